/**
 * Writes sdk/src/generated/api.ts from the cloud's OpenAPI document.
 *
 *   npm run -s api-types            regenerate the file
 *   npm run -s api-types -- --check exit 1 if the committed file differs from the code
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { API_TYPES_COMMAND, API_TYPES_PATH, openApiDocument, renderApiTypes } from "./apiTypes.js";

const path = join(import.meta.dirname, "..", "..", API_TYPES_PATH);
const text = await renderApiTypes(await openApiDocument());

if (process.argv.includes("--check")) {
  const committed = await readFile(path, "utf8").catch(() => "");
  if (committed !== text) {
    process.stderr.write(`${API_TYPES_PATH} is out of date with the API: run \`${API_TYPES_COMMAND}\`\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${API_TYPES_PATH} is up to date\n`);
  }
} else {
  await writeFile(path, text);
  process.stdout.write(`wrote ${API_TYPES_PATH}\n`);
}
