import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iBeaconAdvert } from "../../../gateway/src/adapters/sim/SimWorld.js";
import { BAD_LINES_QUOTED, runReplay } from "../../../gateway/src/cli/replay.js";
import { Checker, PresenceEventSchema } from "../../../protocol/index.js";
import { simulateStore, writeSimulation } from "../../../scripts/sim/simulateStore.js";

const UUID = "f7826da6-4fa2-4e98-8024-bc5b71e0893e";
const AD = Buffer.from(iBeaconAdvert(UUID, 1, 2, -59)).toString("hex");
const SUBJECT = `ibeacon:${UUID}:1:2`;
const T0 = Date.UTC(2026, 2, 2, 10, 0, 0);

/** A gateway config for replay: one zone, a circle of 3 m around gw-1. */
const CONFIG = {
  storeId: "store-1",
  gatewayId: "gw-1",
  mqtt: { url: "mqtt://localhost:1883", username: "gw-1", password: "replay-only" },
  scanner: { source: "replay" },
  zones: [{ id: "door", shape: "gateway-radius", gatewayId: "gw-1", radiusM: 3 }],
  presence: {
    enterMinSamples: 3,
    enterWindowMs: 5000,
    exitMarginM: 1,
    exitAfterMs: 10_000,
    dwellMarksMs: [20_000],
  },
};

function sink(): Writable & { text(): string } {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      callback();
    },
  });
  return Object.assign(writable, { text: () => chunks.join("") });
}

let dir: string;
let configPath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "replay-cli-"));
  configPath = join(dir, "config.json");
  await writeFile(configPath, JSON.stringify(CONFIG));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function replay(lines: readonly string[], config = configPath) {
  const inputPath = join(dir, `capture-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(inputPath, lines.map((l) => `${l}\n`).join(""));
  const output = sink();
  const errors = sink();
  const code = await runReplay({ configPath: config, inputPath }, { output, errors });
  return { code, out: output.text(), err: errors.text() };
}

const advert = (t: number, rssi: number, gw?: string): string =>
  JSON.stringify({ t, addr: "02:00:00:00:00:02", rssi, ad: AD, ...(gw === undefined ? {} : { gw }) });

/** One beacon a metre from gw-1 for 40 s (1/s), then heard far away for 20 s more. */
const VISIT: readonly string[] = [
  ...Array.from({ length: 41 }, (_, i) => advert(T0 + i * 1000, -60)),
  ...Array.from({ length: 20 }, (_, i) => advert(T0 + 41_000 + i * 1000, -95)),
];

describe("runReplay", () => {
  it("prints the enter, dwell and exit the gateway would publish, with seq from 1", async () => {
    const { code, out, err } = await replay(VISIT);
    expect(code).toBe(0);
    expect(err).toBe("");
    const events = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const checker = new Checker(PresenceEventSchema);
    for (const e of events) expect(checker.check(e).ok).toBe(true);
    const base = {
      storeId: "store-1",
      zoneId: "door",
      gatewayId: "gw-1",
      subject: { kind: "ibeacon", id: SUBJECT },
      rssi: -60,
      // 10^((-59 - -60) / (10 * 2.2)): the gateway's default path-loss exponent.
      distanceM: 1.11,
    };
    expect(events).toEqual([
      {
        ...base,
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        seq: 1,
        type: "enter",
        at: new Date(T0 + 2000).toISOString(),
        visitId: expect.any(String),
      },
      {
        ...base,
        id: expect.any(String),
        seq: 2,
        type: "dwell",
        at: new Date(T0 + 22_000).toISOString(),
        visitId: events[0]?.visitId,
        dwellMs: 20_000,
      },
      // The upper-quantile smoothing (0.75 of 4 s) keeps the last strong adverts for 2 s more: last
      // support at T0 + 42 s, and the tick at T0 + 52 s finds 10 s without support.
      {
        ...base,
        id: expect.any(String),
        seq: 3,
        type: "exit",
        at: new Date(T0 + 52_000).toISOString(),
        visitId: events[0]?.visitId,
        dwellMs: 40_000,
      },
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it("gives no exit the timestamps do not justify: the replay ends at the last advert", async () => {
    const { out } = await replay(VISIT.slice(0, 52));
    expect(
      out
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(["enter", "dwell"]);
  });

  it("counts bad lines, reports the first ones with line numbers once at the end, and keeps going", async () => {
    const lines = [...VISIT];
    lines.splice(3, 0, "not json");
    lines.splice(10, 0, '{"t":1}', "", "[]");
    for (let i = 0; i < 5; i++) lines.push(`{"t":"x${i}"}`);
    const clean = await replay(VISIT);
    const { code, out, err } = await replay(lines);
    expect(code).toBe(0);
    expect(out).toBe(clean.out);
    const report = err.trim().split("\n");
    expect(report[0]).toMatch(/^replay: 8 bad lines skipped in .*capture-.*\.jsonl \(61 adverts read\):$/);
    expect(report.slice(1, 1 + BAD_LINES_QUOTED)).toEqual([
      "  line 4: not JSON",
      "  line 11: addr must be aa:bb:cc:dd:ee:ff",
      "  line 13: not a JSON object",
      "  line 66: t must be a finite number (epoch ms)",
      "  line 67: t must be a finite number (epoch ms)",
    ]);
    expect(report.at(-1)).toBe("  ... and 3 more");
  });

  it.each([
    { surveyed: false, name: "one gateway's config" },
    { surveyed: true, name: "every gateway surveyed (pooled evidence)" },
  ])("replaying the same capture twice gives byte-identical output: $name", async ({ surveyed }) => {
    const sim = simulateStore({ seed: 11, minutes: 4, rate: "android", surveyed });
    const written = await writeSimulation(sim, join(dir, surveyed ? "sim-surveyed" : "sim"));
    const run = async () => {
      const output = sink();
      const errors = sink();
      const code = await runReplay(
        { configPath: written.configPath, inputPath: written.capturePath },
        { output, errors },
      );
      return { code, out: output.text(), err: errors.text() };
    };
    const first = await run();
    const second = await run();
    expect(first.code).toBe(0);
    expect(first.err).toBe("");
    expect(first.out.split("\n").length).toBeGreaterThan(10);
    expect(Buffer.from(second.out).equals(Buffer.from(first.out))).toBe(true);
    const seqs = first.out
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it("exits 2 for a config that does not validate, listing every problem with its path", async () => {
    const bad = join(dir, "bad-config.json");
    await writeFile(
      bad,
      JSON.stringify({
        ...CONFIG,
        mqtt: { url: "http://x" },
        zones: [{ id: "door", shape: "gateway-radius", gatewayId: "gw-1", radiusM: -1 }],
      }),
    );
    const { code, out, err } = await replay(VISIT, bad);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain("is not a valid gateway config");
    expect(err).toContain("/mqtt/url");
    expect(err).toContain("/mqtt");
    expect(err).toContain("/zones/0");
  });

  it("exits 2 for a config file that is missing or not JSON", async () => {
    const notJson = join(dir, "not-json.json");
    await writeFile(notJson, "{");
    expect((await replay(VISIT, notJson)).code).toBe(2);
    const missing = await replay(VISIT, join(dir, "missing.json"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read/);
  });

  it("exits 2 for a capture that cannot be read (missing, a directory)", async () => {
    for (const inputPath of [join(dir, "missing.jsonl"), dir]) {
      const output = sink();
      const errors = sink();
      expect(await runReplay({ configPath, inputPath }, { output, errors })).toBe(2);
      expect(errors.text()).toMatch(/^replay: cannot read /);
      expect(output.text()).toBe("");
    }
  });

  it("exits 0 with no output for an empty capture", async () => {
    expect(await replay([])).toEqual({ code: 0, out: "", err: "" });
  });

  it("stops with 0 when the reader goes away (replay | head)", async () => {
    const inputPath = join(dir, "visit.jsonl");
    await writeFile(inputPath, VISIT.map((l) => `${l}\n`).join(""));
    const output = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    expect(await runReplay({ configPath, inputPath }, { output, errors: sink() })).toBe(0);
  });

  it("rejects on other output errors", async () => {
    const inputPath = join(dir, "visit2.jsonl");
    await writeFile(inputPath, VISIT.map((l) => `${l}\n`).join(""));
    const output = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("disk full"), { code: "ENOSPC" }));
      },
    });
    await expect(runReplay({ configPath, inputPath }, { output, errors: sink() })).rejects.toThrow(
      "disk full",
    );
  });

  it("takes a capture merged from several gateways and judges each zone by its own gateway", async () => {
    const twoZones = join(dir, "two-zones.json");
    await writeFile(
      twoZones,
      JSON.stringify({
        ...CONFIG,
        zones: [...CONFIG.zones, { id: "till", shape: "gateway-radius", gatewayId: "gw-2", radiusM: 2 }],
      }),
    );
    const lines = Array.from({ length: 10 }, (_, i) => [
      advert(T0 + i * 1000, -95, "gw-1"),
      advert(T0 + i * 1000, -60, "gw-2"),
    ]).flat();
    const { out } = await replay(lines, twoZones);
    const events = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; zoneId: string; gatewayId: string });
    expect(events.map((e) => [e.type, e.zoneId, e.gatewayId])).toEqual([["enter", "till", "gw-1"]]);
  });
});
