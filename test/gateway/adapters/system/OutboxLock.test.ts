import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OutboxLock, OutboxLockedError } from "../../../../gateway/src/adapters/system/OutboxLock.js";
import { TsxChild } from "../../../support/TsxChild.js";

/** One gateway identity, one process: the outbox's lock file. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "arrival-outbox-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("OutboxLock", () => {
  it("is exclusive while held, and free again once released", async () => {
    const path = join(dir, "outbox.lock");
    const first = new OutboxLock({ path, pid: 4242, isAlive: () => true });
    await first.acquire();
    expect((await readFile(path, "utf8")).trim()).toBe("4242");
    const second = new OutboxLock({ path, pid: 4343, isAlive: () => true });
    await expect(second.acquire()).rejects.toBeInstanceOf(OutboxLockedError);
    await first.release();
    await second.acquire();
    expect((await readFile(path, "utf8")).trim()).toBe("4343");
    await second.release();
  });

  it("refuses a second gateway in the same process too", async () => {
    const path = join(dir, "outbox.lock");
    const first = new OutboxLock({ path });
    await first.acquire();
    await expect(new OutboxLock({ path }).acquire()).rejects.toMatchObject({ code: "outbox-locked" });
    await first.release();
  });

  it("takes over a stale lock whose process is dead (a crash, a power cut)", async () => {
    const path = join(dir, "outbox.lock");
    await writeFile(path, "999999\n");
    const lock = new OutboxLock({ path, pid: 4242, isAlive: (pid) => pid !== 999999 });
    await lock.acquire();
    expect((await readFile(path, "utf8")).trim()).toBe("4242");
    await lock.release();
  });

  it("names the live holder", async () => {
    const path = join(dir, "outbox.lock");
    await writeFile(path, "777\n");
    const err = await new OutboxLock({ path, pid: 4242, isAlive: () => true }).acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboxLockedError);
    expect((err as OutboxLockedError).holderPid).toBe(777);
    expect((err as Error).message).toMatch(/pid 777/);
  });
});

describe("arrival-gateway run with an outbox held by a live process", () => {
  it("refuses to start with a clear error and exit code 75", async () => {
    const dataDir = join(dir, "data");
    const config = join(dir, "gateway.json");
    await writeFile(join(dir, "password"), "secret-password\n");
    await writeFile(
      config,
      JSON.stringify({
        storeId: "s1",
        gatewayId: "g1",
        dataDir,
        mqtt: { url: "mqtt://127.0.0.1:9", username: "g1", passwordFile: join(dir, "password") },
        scanner: { source: "sim" },
      }),
    );
    // This test's own process is alive and holds the lock, as a first gateway would.
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, "outbox.lock"), `${process.pid}\n`);
    const child = new TsxChild("gateway/src/main.ts", ["run", "--config", config, "--log-format", "json"]);
    const exit = await child.exited;
    expect(exit.code).toBe(75);
    // One JSON log line (--log-format json), as journald keeps it, naming the holder.
    const lines = child.lines.map((line) => JSON.parse(line) as { level: number; msg: string; holderPid?: number; err?: { message: string } });
    const refusal = lines.find((line) => line.msg === "another gateway process holds the outbox");
    expect(refusal, child.lines.join("\n")).toMatchObject({ level: 50, holderPid: process.pid });
    expect(refusal?.err?.message).toMatch(new RegExp(`another gateway process \\(pid ${process.pid}\\)`));
  });
});
