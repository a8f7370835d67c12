import { GatewayConfigSchema } from "../../gateway/src/config/schema.js";

/** Where the generated schema is committed, relative to the repository root. */
export const CONFIG_SCHEMA_PATH = "firmware-config/gateway.schema.json";

/** The command that regenerates it (package.json "config-schema"). */
export const REGENERATE_COMMAND = "npm run -s config-schema";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The gateway config file's JSON Schema (draft 2020-12), derived from the TypeBox schema the
 * gateway validates with, for editors and for people reading firmware-config/.
 *
 * The code fills defaults before it checks (loadConfig.ts), so TypeBox marks every field with a
 * default as required; a file as written may leave those out. The schema of the file therefore
 * drops from `required` every property that has a `default`.
 */
export function gatewayConfigJsonSchema(): { [key: string]: Json } {
  // TypeBox schemas are plain JSON Schema plus non-enumerable markers, which a JSON round trip drops.
  const body = JSON.parse(JSON.stringify(GatewayConfigSchema)) as { [key: string]: Json };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $comment: `Generated from gateway/src/config/schema.ts by \`${REGENERATE_COMMAND}\`; do not edit.`,
    title: "Arrival gateway configuration",
    description:
      "The JSON file given to `arrival-gateway run --config FILE`. Check a file with `arrival-gateway check-config FILE`; see firmware-config/README.md.",
    ...(relaxDefaults(body) as { [key: string]: Json }),
  };
}

/** The file's text: two-space JSON and a final newline. */
export function renderGatewayConfigSchema(): string {
  return `${JSON.stringify(gatewayConfigJsonSchema(), null, 2)}\n`;
}

function relaxDefaults(node: Json): Json {
  if (Array.isArray(node)) return node.map(relaxDefaults);
  if (node === null || typeof node !== "object") return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) out[key] = relaxDefaults(value);
  const properties = out.properties;
  const required = out.required;
  if (Array.isArray(required) && properties !== null && typeof properties === "object" && !Array.isArray(properties)) {
    const kept = required.filter((name) => {
      const property = typeof name === "string" ? properties[name] : undefined;
      return !(property !== null && typeof property === "object" && !Array.isArray(property) && "default" in property);
    });
    if (kept.length > 0) out.required = kept;
    else delete out.required;
  }
  return out;
}
