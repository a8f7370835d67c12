import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The signal, zones and presence domains, and the collections they share, are pure: no I/O, no
 * clock, no randomness, no logging.
 */
const ROOTS = ["signal", "zones", "presence", "collections"].map((d) =>
  fileURLToPath(new URL(`../../../../gateway/src/domain/${d}`, import.meta.url)),
);
const FILES = ROOTS.flatMap((root) =>
  readdirSync(root)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(root, f)),
);

describe("gateway presence domain purity", () => {
  it("finds the sources", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
  });

  it.each(FILES)("%s imports only geolib, protocol and the domain", (file) => {
    const source = readFileSync(file, "utf8");
    const specifiers = [...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
    for (const s of specifiers) {
      const ok =
        s === "geolib" ||
        /^\.\/[\w.]+\.js$/.test(s) ||
        /^\.\.\/(signal|zones|presence|collections)\/[\w.]+\.js$/.test(s) ||
        /^(\.\.\/){4}protocol\/index\.js$/.test(s);
      expect(ok, `${file} imports ${s}`).toBe(true);
    }
  });

  it.each(FILES)("%s reads no clock, randomness or console", (file) => {
    const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    expect(code).not.toMatch(/Date\.now|new Date\(|Math\.random|performance\.now|console\.|process\.|node:/);
  });
});
