import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TrafficLearnerFile } from "../../../gateway/src/adapters/system/TrafficLearnerFile.js";
import { engineOptions } from "../../../gateway/src/config/engineOptions.js";
import { parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { PresenceEngine } from "../../../gateway/src/domain/presence/PresenceEngine.js";
import { ScanPipeline } from "../../../gateway/src/services/ScanPipeline.js";
import { TrafficCalibration } from "../../../gateway/src/services/TrafficCalibration.js";
import { encodeMessage } from "../../../protocol/index.js";
import { simulateStore } from "../../../scripts/sim/simulateStore.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

describe("TrafficCalibration", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-traffic-learn-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * The simulated shop (6 dB shop front) heard by gw-floor, as the running gateway feeds the
   * learner: each advert through the scan pipeline (decoder, subject, raw RSSI, advertised power),
   * the engine's enters leaving their subjects out (`leaveOutEntered`, the default), the learner
   * ticked with the health timer.
   */
  async function learnFromShop(gatewayOffsetDb: number, offsetDb: number) {
    const sim = simulateStore({ seed: 11, minutes: 20, rate: "1hz", radio: { storefrontDb: 6, gatewayOffsetDb } });
    const parsed = parseGatewayConfig(sim.config);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const clock = new ManualClock(sim.startAt);
    const log = new RecordingLogger();
    let moved = 0;
    const traffic = new TrafficCalibration({
      offsetDb: () => offsetDb,
      defaultMeasuredPowerDbm: -59,
      store: new TrafficLearnerFile(join(dir, `traffic${gatewayOffsetDb}.json`)),
      clock,
      log,
      learner: { minTracks: 40 },
      onBound: () => void moved++,
    });
    await traffic.start();
    const entered = new Set<string>();
    const pipeline = new ScanPipeline({
      storeId: "sim-store",
      gatewayId: "gw-floor",
      source: { start: async () => undefined, stop: async () => undefined },
      // The store zone heard wide (30 dB), as inside labels may set it; the offset corrects the radio.
      engine: new PresenceEngine(
        engineOptions({
          ...parsed.config,
          site: { ...parsed.config.site, rssiOffsetDb: offsetDb },
          zones: parsed.config.zones.map((z) => (z.id === "store" ? { ...z, edgeLossDb: 30 } : z)),
        }),
      ),
      clock,
      log,
      sink: async (events) => {
        for (const e of events)
          if (e.type === "enter") {
            entered.add(e.subject.id);
            traffic.inside(e.subject.id);
          }
      },
      onHeard: (subjectId, t, rssiDbm, p1m) => traffic.heard(subjectId, t, rssiDbm, p1m),
    });
    let next = sim.startAt + 5000;
    const tickTo = async (t: number) => {
      while (next <= t) {
        clock.set(next);
        pipeline.tick(next);
        await traffic.tick();
        next += 5000;
      }
    };
    for (const advert of sim.adverts()) {
      await tickTo(advert.t);
      pipeline.onAdvert(advert);
    }
    await tickTo(sim.endAt + 60_000);
    return { traffic, moved, entered, sim };
  }

  it("learns the pavement's bound from what the gateway hears of the shop, in raw loss", async () => {
    const right = await learnFromShop(0, 0);
    const low = await learnFromShop(-6, 6);
    const r = right.traffic.report();
    const l = low.traffic.report();
    expect(r.tracks).toBeGreaterThanOrEqual(40);
    expect(right.moved).toBeGreaterThanOrEqual(1);
    // The shop's 20 minutes have about 100 passers-by: most of the short tracks are theirs.
    const passers = right.sim.truth.filter((x) => x.kind === "subject" && x.role === "passer-by").length;
    expect(r.counted).toBeLessThanOrEqual(passers + 10);
    expect(right.entered.size).toBeGreaterThan(0);
    // The pavement's strong tenth, through 6 dB of glass, 10 m or more from gw-floor: beyond the
    // store zone's drawn 15.4 dB, short of the 36 dB the pavement's middle costs.
    expect(r.boundDb).toBeGreaterThan(20);
    expect(r.boundDb).toBeLessThan(34);
    // A radio reading 6 dB low hears every loss 6 dB larger: the raw bound carries the error, the
    // engine's (raw less the offset it runs with) does not.
    expect((l.boundDb ?? 0) - (r.boundDb ?? 0)).toBeGreaterThanOrEqual(4.5);
    expect((l.boundDb ?? 0) - (r.boundDb ?? 0)).toBeLessThanOrEqual(7.5);
    expect(Math.abs((low.traffic.boundDb ?? 0) - (right.traffic.boundDb ?? 0))).toBeLessThanOrEqual(1.5);
  }, 60_000);

  it("leaves out labelled subjects, persists its days and bounds in the engine's terms", async () => {
    const clock = new ManualClock(T0);
    const file = join(dir, "learned-traffic.json");
    let offsetDb = 0;
    let moved = 0;
    const make = () =>
      new TrafficCalibration({
        offsetDb: () => offsetDb,
        defaultMeasuredPowerDbm: -59,
        store: new TrafficLearnerFile(file),
        clock,
        log: new RecordingLogger(),
        learner: { minTracks: 20 },
        onBound: () => void moved++,
        saveEveryMs: 0,
      });
    const c = make();
    await c.start();
    expect(c.boundDb).toBeNull();
    // A member labelled inside (any place) is no passer-by, however briefly heard.
    c.label(encodeMessage({ v: 1, place: "inside", at: new Date(T0).toISOString(), subjects: ["IBEACON:A:1:999"] }));
    // And one the engine entered, when the gateway leaves those out.
    c.inside("ibeacon:a:1:998");
    for (let k = 0; k < 31; k++) {
      const subject = k === 0 ? "ibeacon:a:1:999" : k === 30 ? "ibeacon:a:1:998" : `ibeacon:a:1:${k}`;
      // Each pass heard 10 s at 30 dB (the two known inside at 12 dB, deep inside), advertising no power.
      const loss = k === 0 || k === 30 ? 12 : 30;
      for (let s = 0; s < 10; s++) c.heard(subject, clock.now() + s * 1000, -59 - loss, null);
      clock.advance(30_000);
      await c.tick();
    }
    clock.advance(30_000);
    await c.tick();
    // Every pass at 30 dB (the bin 30-30.5, its middle 30.25), less the 3 dB margin.
    expect(c.report()).toMatchObject({ tracks: 29, counted: 29, quantileDb: 30.3, boundDb: 27.5 });
    expect(moved).toBe(1);
    expect(c.boundDb).toBe(27.5);
    // The offset the engine runs with moves (a till learned it): the bound in its terms follows.
    offsetDb = 4;
    expect(c.boundDb).toBe(23.5);
    await c.stop();
    const stored = JSON.parse(await readFile(file, "utf8")) as { days: { bins: [number, number][] }[] };
    expect(stored.days[0]?.bins).toEqual([[30, 29]]);
    // A restarted gateway runs with the bound at once.
    const again = make();
    await again.start();
    expect(again.boundDb).toBe(23.5);
    expect(again.report().days).toEqual([{ dayStart: "2026-11-02T00:00:00.000Z", tracks: 29 }]);
  });

  // A state file is checked against its schema on load; a count no street reaches (a corrupt digit,
  // a hand edit) would be summed into the status's tracks past what its schema holds, and the cloud
  // would refuse the gateway's whole status. Such a file reads as none: learning starts afresh.
  it("starts afresh from a state file with a count no street reaches", async () => {
    const file = join(dir, "learned-traffic.json");
    const day = Date.UTC(2026, 10, 2);
    await writeFile(file, JSON.stringify({ v: 1, days: [{ dayStart: day, bins: [[30, Number.MAX_SAFE_INTEGER], [31, 5]] }] }));
    const started = async () => {
      const c = new TrafficCalibration({
        offsetDb: () => 0,
        defaultMeasuredPowerDbm: -59,
        store: new TrafficLearnerFile(file),
        clock: new ManualClock(T0),
        log: new RecordingLogger(),
      });
      await c.start();
      return c;
    };
    expect((await started()).report()).toMatchObject({ tracks: 0, quantileDb: null, boundDb: null, days: [] });
    // A sound file with a street's counts is read as it was written.
    await writeFile(file, JSON.stringify({ v: 1, days: [{ dayStart: day, bins: [[30, 4000], [31, 5]] }] }));
    expect((await started()).report()).toMatchObject({ tracks: 4005, boundDb: 27.5 });
  });
});
