import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReplayScanSource } from "../../../../gateway/src/adapters/replay/ReplayScanSource.js";
import type { Advert } from "../../../../gateway/src/services/ports.js";

const line = (t: number, gw?: string): string =>
  JSON.stringify({
    t,
    addr: "aa:bb:cc:dd:ee:ff",
    rssi: -60,
    ad: "020106",
    ...(gw === undefined ? {} : { gw }),
  });

/** A manual clock whose sleep advances it, recording each wait. */
function manualTime(start: number) {
  let now = start;
  const waits: number[] = [];
  return {
    clock: { now: () => now },
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "replay-source-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function capture(lines: readonly string[]): Promise<string> {
  const path = join(dir, "capture.jsonl");
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

describe("ReplayScanSource", () => {
  it("paces adverts by their offsets from the first and re-stamps them on the gateway clock", async () => {
    const path = await capture([line(5_000), line(5_250, "gw-2"), line(6_000), line(5_900), line(9_000)]);
    const time = manualTime(1_000_000);
    const bad: [number, string][] = [];
    const done = new Promise<{ adverts: number; badLines: number }>((resolve) => {
      const source = new ReplayScanSource({
        path,
        clock: time.clock,
        sleep: time.sleep,
        onBadLine: (n, e) => bad.push([n, e]),
        onEnd: resolve,
      });
      void source.start((a) => delivered.push(a));
    });
    const delivered: Advert[] = [];
    expect(await done).toEqual({ adverts: 5, badLines: 0 });
    expect(delivered.map((a) => a.t)).toEqual([1_000_000, 1_000_250, 1_001_000, 1_000_900, 1_004_000]);
    expect(delivered[1]?.gatewayId).toBe("gw-2");
    // Out of order (5900 after 6000): delivered at once, no wait.
    expect(time.waits).toEqual([250, 750, 3000]);
    expect(bad).toEqual([]);
  });

  it("plays faster with a speed factor, and reports bad lines", async () => {
    const path = await capture([line(0), "garbage", line(10_000), line(20_000)]);
    const time = manualTime(0);
    const bad: [number, string][] = [];
    const delivered: Advert[] = [];
    const stats = await new Promise((resolve) => {
      const source = new ReplayScanSource({
        path,
        speed: 4,
        clock: time.clock,
        sleep: time.sleep,
        onBadLine: (n, e) => bad.push([n, e]),
        onEnd: resolve,
      });
      void source.start((a) => delivered.push(a));
    });
    expect(stats).toEqual({ adverts: 3, badLines: 1 });
    expect(delivered.map((a) => a.t)).toEqual([0, 2500, 5000]);
    expect(bad).toEqual([[2, "not JSON"]]);
  });

  it("plays in real time with a tiny speed factor (real timers)", async () => {
    const path = await capture([line(0), line(1000), line(2000)]);
    const delivered: number[] = [];
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const source = new ReplayScanSource({ path, speed: 20, onEnd: () => resolve() });
      void source.start(() => delivered.push(Date.now() - started));
    });
    expect(delivered).toHaveLength(3);
    // 2 s of capture at 20x: about 100 ms, in order.
    expect(delivered[2] ?? 0).toBeGreaterThanOrEqual(95);
    expect(delivered[2] ?? 0).toBeLessThan(2000);
  });

  it("stops: no advert after stop resolves, start and stop idempotent", async () => {
    const path = await capture(Array.from({ length: 100 }, (_, i) => line(i * 1000)));
    const delivered: Advert[] = [];
    const ended: unknown[] = [];
    const source = new ReplayScanSource({ path, speed: 1, onEnd: (s) => ended.push(s) });
    await source.start((a) => delivered.push(a));
    await source.start(() => {
      throw new Error("second start must not replace the listener");
    });
    await new Promise((r) => setTimeout(r, 30));
    await source.stop();
    const count = delivered.length;
    expect(count).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(delivered.length).toBe(count);
    expect(ended).toEqual([]);
    await source.stop();
  });

  it("rejects start for a missing file and a bad speed", async () => {
    await expect(new ReplayScanSource({ path: join(dir, "nope.jsonl") }).start(() => {})).rejects.toThrow(
      /ENOENT/,
    );
    const path = await capture([line(0)]);
    await expect(new ReplayScanSource({ path, speed: 0 }).start(() => {})).rejects.toThrow(/speed/);
  });

  it("reports a read failure through onError", async () => {
    const errors: unknown[] = [];
    const source = new ReplayScanSource({ path: dir, onError: (e) => errors.push(e) });
    await source.start(() => {});
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(String(errors[0])).toMatch(/EISDIR/);
    await source.stop();
  });
});
