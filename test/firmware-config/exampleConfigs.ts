import { readdir } from "node:fs/promises";
import { join } from "node:path";

const EXAMPLES = join(import.meta.dirname, "..", "..", "firmware-config", "examples");

/** Every example config under firmware-config/examples (subdirectories included), absolute paths. */
export async function exampleConfigs(): Promise<string[]> {
  const entries = await readdir(EXAMPLES, { recursive: true });
  return entries
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(EXAMPLES, name));
}
