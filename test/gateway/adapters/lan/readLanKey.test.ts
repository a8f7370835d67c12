import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LanKeyError, readLanKey } from "../../../../gateway/src/adapters/lan/readLanKey.js";

describe("readLanKey", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-lan-key-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the key as written by openssl rand -hex 32, without its newline", async () => {
    const file = join(dir, "good.key");
    const hex = "5f0c3e1d9a7b2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";
    await writeFile(file, `${hex}\n`);
    expect(Buffer.from(await readLanKey(file)).toString("utf8")).toBe(hex);
  });

  it("refuses a short key and a missing file, naming the field and the file but never the key", async () => {
    const short = join(dir, "short.key");
    await writeFile(short, "s3cret-but-short\n");
    const err = await readLanKey(short).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LanKeyError);
    expect((err as Error).message).toContain("lan.keyFile");
    expect((err as Error).message).toContain(short);
    expect((err as Error).message).not.toContain("s3cret");
    await expect(readLanKey(join(dir, "absent.key"))).rejects.toThrow(/lan\.keyFile .*absent\.key cannot be read/);
  });
});
