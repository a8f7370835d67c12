import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageVersion } from "../../../../gateway/src/adapters/system/packageVersion.js";

describe("packageVersion", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-version-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is this checkout's package.json version, not a constant", () => {
    const root = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "..", "..", "package.json"), "utf8")) as { version: string };
    expect(packageVersion()).toBe(root.version);
  });

  it("reads the nearest package.json above the module, as in an installed release's dist/", async () => {
    await mkdir(join(dir, "release", "dist", "gateway", "src"), { recursive: true });
    await writeFile(join(dir, "release", "package.json"), JSON.stringify({ name: "arrival", version: "1.4.2-rc.1" }));
    expect(packageVersion(join(dir, "release", "dist", "gateway", "src", "main.js"))).toBe("1.4.2-rc.1");
    await writeFile(join(dir, "release", "package.json"), JSON.stringify({ name: "arrival" }));
    expect(() => packageVersion(join(dir, "release", "dist", "gateway", "src", "main.js"))).toThrow(/has no version/);
  });
});
