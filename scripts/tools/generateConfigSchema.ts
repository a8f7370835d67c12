/**
 * Writes firmware-config/gateway.schema.json from the gateway's TypeBox config schema.
 *
 *   npm run -s config-schema            regenerate the file
 *   npm run -s config-schema -- --check exit 1 if the committed file differs from the code
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_SCHEMA_PATH, REGENERATE_COMMAND, renderGatewayConfigSchema } from "./configJsonSchema.js";

const path = join(import.meta.dirname, "..", "..", CONFIG_SCHEMA_PATH);
const text = renderGatewayConfigSchema();

if (process.argv.includes("--check")) {
  const committed = await readFile(path, "utf8").catch(() => "");
  if (committed !== text) {
    process.stderr.write(`${CONFIG_SCHEMA_PATH} is out of date with the code: run \`${REGENERATE_COMMAND}\`\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${CONFIG_SCHEMA_PATH} is up to date\n`);
  }
} else {
  await writeFile(path, text);
  process.stdout.write(`wrote ${CONFIG_SCHEMA_PATH}\n`);
}
