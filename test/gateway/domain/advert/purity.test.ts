/**
 * Keeps gateway/src/domain/advert/ pure (STYLE.md: domain code takes bytes and returns values): it may
 * import only its own files, types from protocol/ and the subject id builders (protocol/subjectIds.ts,
 * held to the same rules here), and may not touch the clock, randomness, the process, the console or
 * Node's Buffer.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const DIR = new URL("../../../../gateway/src/domain/advert/", import.meta.url);
const files = readdirSync(DIR).filter((name) => name.endsWith(".ts"));
const SUBJECT_IDS = new URL("../../../../protocol/subjectIds.ts", import.meta.url);

describe("domain/advert purity", () => {
  it("has source files", () => {
    expect(files).toContain("decodeAdvertisement.ts");
  });

  it.each(files)("%s imports only siblings and protocol types", (name) => {
    const source = readFileSync(new URL(name, DIR), "utf8");
    const imports = [...source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gm)];
    for (const [statement, typeOnly, specifier] of imports) {
      if (specifier?.startsWith("./")) continue;
      if (specifier === "../../../../protocol/subjectIds.js") continue;
      expect(specifier, statement).toBe("../../../../protocol/index.js");
      expect(typeOnly, `${name}: protocol may be imported for types only`).toBeDefined();
    }
  });

  it.each(files)("%s uses no clock, randomness, process, console or Buffer", (name) => {
    const source = readFileSync(new URL(name, DIR), "utf8");
    expect(source).not.toMatch(/\bDate\b|Math\.random|\bprocess\b|\bconsole\b|\bBuffer\b|\brequire\(/);
  });

  it("imports a protocol module at run time only if it is as pure (subjectIds.ts)", () => {
    const source = readFileSync(SUBJECT_IDS, "utf8");
    expect(source).not.toMatch(/^import\s+(?!type\b)/m);
    expect(source).not.toMatch(/\bDate\b|Math\.random|\bprocess\b|\bconsole\b|\bBuffer\b|\brequire\(/);
  });
});
