import { readFile } from "node:fs/promises";
import { Default } from "typebox/value";
import type { PresenceTuning, Problem } from "../../../protocol/index.js";
import { Checker } from "../../../protocol/index.js";
import { DEFAULT_PRESENCE, type GatewayConfigInput, GatewayConfigSchema } from "./schema.js";

/** A validated, frozen gateway configuration with every default applied. */
export type GatewayConfig = Readonly<GatewayConfigInput> & { readonly presenceTuning: PresenceTuning };

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; problems: Problem[] };

const checker = new Checker(GatewayConfigSchema);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** Validates a parsed config document; every problem is reported with its JSON path. */
export function parseGatewayConfig(document: unknown): ConfigResult {
  const withDefaults = Default(GatewayConfigSchema, structuredClone(document));
  const checked = checker.check(withDefaults);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const value = checked.value;
  const problems: Problem[] = [];
  if (!value.mqtt.password && !value.mqtt.passwordFile && !value.mqtt.certFile) {
    problems.push({
      path: "/mqtt",
      message: "needs password, passwordFile or certFile: anonymous access is refused",
    });
  }
  const zoneIds = new Set<string>();
  value.zones.forEach((zone, i) => {
    if (zoneIds.has(zone.id))
      problems.push({ path: `/zones/${i}/id`, message: `duplicate zone id ${JSON.stringify(zone.id)}` });
    zoneIds.add(zone.id);
  });
  if (problems.length > 0) return { ok: false, problems };
  const presenceTuning: PresenceTuning = {
    ...DEFAULT_PRESENCE,
    dwellMarksMs: [...DEFAULT_PRESENCE.dwellMarksMs],
    ...value.presence,
  };
  return { ok: true, config: deepFreeze({ ...value, presenceTuning }) };
}

/** Reads and validates a JSON config file. */
export async function loadGatewayConfig(path: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    return { ok: false, problems: [{ path: "", message: `cannot read ${path}: ${(err as Error).message}` }] };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [{ path: "", message: `${path} is not valid JSON: ${(err as Error).message}` }],
    };
  }
  return parseGatewayConfig(document);
}
