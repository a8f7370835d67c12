import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Compile } from "typebox/compile";
import { describe, expect, it } from "vitest";
import {
  CONFIG_SCHEMA_PATH,
  REGENERATE_COMMAND,
  gatewayConfigJsonSchema,
  renderGatewayConfigSchema,
} from "../../scripts/tools/configJsonSchema.js";
import { exampleConfigs } from "./exampleConfigs.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("firmware-config/gateway.schema.json", () => {
  it("is what the code's config schema generates (regenerate with npm run -s config-schema)", async () => {
    const committed = await readFile(join(ROOT, CONFIG_SCHEMA_PATH), "utf8");
    expect(
      committed === renderGatewayConfigSchema(),
      `${CONFIG_SCHEMA_PATH} differs from gateway/src/config/schema.ts: run \`${REGENERATE_COMMAND}\` and commit the file`,
    ).toBe(true);
  });

  it("says it is generated, and leaves fields with defaults optional as the loader does", () => {
    const schema = gatewayConfigJsonSchema();
    expect(schema.$comment).toMatch(/Generated .* do not edit/);
    expect(schema.required).toEqual(["storeId", "gatewayId", "mqtt", "scanner"]);
    const mqtt = (schema.properties as Record<string, { required?: string[] }>).mqtt;
    expect(mqtt?.required).toEqual(["url", "username"]);
  });

  it("accepts every example and rejects a broken one, as a plain JSON Schema", async () => {
    const committed = JSON.parse(await readFile(join(ROOT, CONFIG_SCHEMA_PATH), "utf8")) as Record<string, unknown>;
    const { $schema: _s, $comment: _c, ...schema } = committed;
    const validator = Compile(schema);
    const examples = await exampleConfigs();
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) {
      const document: unknown = JSON.parse(await readFile(example, "utf8"));
      expect(validator.Check(document), example).toBe(true);
    }
    expect(validator.Check({ storeId: "s", gatewayId: "g", mqtt: { url: "http://x", username: "u" }, scanner: { source: "noble" } })).toBe(false);
  });
});
