import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InsideLearnerFile } from "../../../gateway/src/adapters/system/InsideLearnerFile.js";
import { engineOptions } from "../../../gateway/src/config/engineOptions.js";
import { parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { PresenceEngine } from "../../../gateway/src/domain/presence/PresenceEngine.js";
import { FusedPresence } from "../../../gateway/src/services/FusedPresence.js";
import type { SharedSighting } from "../../../gateway/src/services/ports.js";
import {
  baseEdgeLossDb,
  basePeerEdgesDb,
  gatewayOffsetsDb,
  InsideCalibration,
  type InsideCalibrationOptions,
  learnedZone,
} from "../../../gateway/src/services/InsideCalibration.js";
import { encodeMessage } from "../../../protocol/index.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { beacon } from "../domain/presence/scenario.js";
import { configOf, fakeLan } from "./fusionKit.js";

const DAY = 86_400_000;
const SUBJECT = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:1";
/** The zone drawn at 5 m, n 2.2. */
const DRAWN = 22 * Math.log10(5);

describe("InsideCalibration", () => {
  let dir: string;
  let clock: ManualClock;
  let moved: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-inside-learn-"));
    clock = new ManualClock("2026-11-02T10:00:00.000Z");
    moved = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The store zone drawn at DRAWN, a radio read as is, state in the test's directory; `o` changes any of it. */
  const calibration = (o: Partial<InsideCalibrationOptions> = {}) =>
    new InsideCalibration({
      zoneId: "store",
      baseEdgeLossDb: () => DRAWN,
      offsetDb: () => 0,
      surveyedAt: null,
      defaultMeasuredPowerDbm: -59,
      store: new InsideLearnerFile(join(dir, "learned-zone.json")),
      clock,
      log: new RecordingLogger(),
      ...o,
    });
  const make = (zoneId = "store") =>
    calibration({
      zoneId,
      baseEdgeLossDb: () => (zoneId === "store" ? DRAWN : null),
      learner: { minLabels: 5, percentile: 0.9, maxStepDbPerDay: 2 },
      onEdgeLoss: () => void moved++,
    });

  /**
   * A member somewhere on the floor for 10 s, heard by a radio reading 6 dB low at losses of
   * 16-30 dB, then the phone's inside label; the clock moves on a day.
   */
  const visit = async (c: InsideCalibration, place: "inside" | "till" = "inside") => {
    const end = clock.now();
    for (let i = 0; i < 10; i++) c.heard(SUBJECT, end - 5000 + i * 1000, -59 - (16 + (14 * i) / 9), -59);
    const outcome = await c.label(encodeMessage({ v: 1, place, at: new Date(end).toISOString(), subjects: ["app:u1", SUBJECT] }));
    clock.advance(DAY);
    return outcome;
  };

  it("learns the floor zone's edge loss from inside labels, a step a day, and says so in its report", async () => {
    const c = make();
    await c.start();
    expect(await visit(c, "till")).toEqual({ outcome: "ignored" });
    for (let i = 0; i < 4; i++) expect(await visit(c)).toMatchObject({ outcome: "sample", subjectId: SUBJECT, edgeLossDb: null });
    expect(c.edgeLossDb).toBeNull();
    await visit(c);
    expect(c.report()).toMatchObject({ zoneId: "store", labels: 5, refused: 0, edgeLossDb: null, targetDb: 28.5 });
    // A day after the fifth label: one step of 2 dB from the drawn radius's 15.4 dB.
    await c.tick();
    expect(c.edgeLossDb).toBeCloseTo(DRAWN + 2, 5);
    expect(moved).toBe(1);
    clock.advance(10 * DAY);
    await c.tick();
    expect(c.edgeLossDb).toBe(28.5);
    expect(c.report().weeks.reduce((n, w) => n + w.labels, 0)).toBe(5);
    await c.stop();

    // Persisted: a restarted gateway runs with what was learned.
    const again = make();
    await again.start();
    expect(again.edgeLossDb).toBe(28.5);
    // Learned for another zone: not taken up for this one.
    const other = make("till-zone");
    await other.start();
    expect(other.edgeLossDb).toBeNull();
    expect(await visit(other)).toEqual({ outcome: "refused", reason: "no-zone" });
  });

  it("refuses a label for a subject it did not hear", async () => {
    const c = make();
    await c.start();
    const outcome = await c.label(encodeMessage({ v: 1, place: "inside", at: new Date(clock.now()).toISOString(), subjects: ["app:u9"] }));
    expect(outcome).toEqual({ outcome: "refused", reason: "too-few-readings" });
    expect(c.report().refused).toBe(1);
  });

  it("starts from the zone's surveyed edge loss, else the one at its drawn radius", () => {
    const parsed = parseGatewayConfig({
      storeId: "s1",
      gatewayId: "g1",
      mqtt: { url: "mqtt://localhost:1883", username: "g1", password: "x" },
      scanner: { source: "sim" },
      zones: [
        { id: "store", shape: "gateway-radius", gatewayId: "g1", radiusM: 5 },
        { id: "till", shape: "gateway-radius", gatewayId: "g1", radiusM: 2, edgeLossDb: 12 },
        { id: "other", shape: "gateway-radius", gatewayId: "g2", radiusM: 5 },
      ],
      insideLearning: { zoneId: "store" },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const options = engineOptions(parsed.config);
    expect(baseEdgeLossDb(options, "g1", "store")).toBeCloseTo(DRAWN, 5);
    expect(baseEdgeLossDb(options, "g1", "till")).toBe(12);
    expect(baseEdgeLossDb(options, "g1", "other")).toBeNull();
    expect(parsed.config.insideLearning).toEqual({ zoneId: "store", minLabels: 10, percentile: 0.6, maxStepDbPerDay: 2 });
  });

  it("waits for the seconds after a label that arrives before they are heard, and keeps the approach", async () => {
    const scheduler = new ManualScheduler(clock);
    const file = join(dir, "learned-zone.json");
    const c = calibration({ store: new InsideLearnerFile(file), scheduler, learner: { minLabels: 5, fromMs: 2000, toMs: 10_000 } });
    await c.start();
    const at = clock.now();
    // On the pavement (36 dB) until the phone reports the store beacon at the door...
    for (let t = at - 10_000; t <= at; t += 1000) c.heard(SUBJECT, t, -59 - 36, -59);
    // ...whose label reaches the gateway a second later, before the member is on the floor.
    await scheduler.advance(1000);
    let outcome: Awaited<ReturnType<InsideCalibration["label"]>> | undefined;
    const pending = c.label(encodeMessage({ v: 1, place: "inside", at: new Date(at).toISOString(), subjects: [SUBJECT] })).then((o) => {
      outcome = o;
    });
    for (let s = 1; s <= 10; s++) {
      c.heard(SUBJECT, at + s * 1000, -59 - 20, -59);
      await scheduler.advance(1000);
      if (s < 10) expect(outcome).toBeUndefined();
    }
    await scheduler.advance(1000);
    await pending;
    expect(outcome).toMatchObject({ outcome: "sample", subjectId: SUBJECT });
    expect(c.report()).toMatchObject({ labels: 1, refused: 0 });
    await c.stop();
    // The approach persisted with the sample: a restarted gateway has it.
    const again = calibration({ store: new InsideLearnerFile(file) });
    await again.start();
    expect(again.report().labels).toBe(1);
    const stored = JSON.parse(await readFile(file, "utf8")) as { samples: { lossesDb: number[]; approachLossesDb?: number[] }[] };
    expect(stored.samples[0]?.lossesDb).toEqual(Array(9).fill(20));
    expect(stored.samples[0]?.approachLossesDb).toEqual(Array(9).fill(36));

    // Stopped while a label waits: it is taken with what was heard so far.
    const late = clock.now();
    for (let t = late - 10_000; t <= late + 5000; t += 1000) c.heard(SUBJECT, t, -59 - 20, -59);
    const waiting = c.label(encodeMessage({ v: 1, place: "inside", at: new Date(late).toISOString(), subjects: [SUBJECT] }));
    await c.stop();
    expect(await waiting).toMatchObject({ outcome: "sample" });
    expect(scheduler.pending).toBe(0);
  });

  it("in a pooled store, learns the peer's reference from what the peer's sightings over the LAN say it heard", async () => {
    // gw-a learns its zone "floor"; gw-b, 4 m away, shares its sightings over the store LAN.
    const config = configOf("gw-a");
    const options = engineOptions(config);
    const base = basePeerEdgesDb(options, "gw-a", "floor");
    // The geometry's reference: the gateways 4 m apart plus the 5 m radius.
    expect(base?.["gw-b"]).toBeCloseTo(22 * Math.log10(4 + 5), 1);
    expect(basePeerEdgesDb(options, "gw-b", "floor")).toBeNull();
    const file = join(dir, "learned-zone.json");
    const make = () =>
      new InsideCalibration({
        zoneId: "floor",
        baseEdgeLossDb: () => baseEdgeLossDb(options, "gw-a", "floor"),
        offsetDb: () => 0,
        basePeerEdgesDb: () => basePeerEdgesDb(options, "gw-a", "floor"),
        peerOffsetsDb: () => gatewayOffsetsDb(options),
        surveyedAt: null,
        defaultMeasuredPowerDbm: -59,
        store: new InsideLearnerFile(file),
        clock,
        log: new RecordingLogger(),
        learner: { minLabels: 5, percentile: 0.9, peerPercentile: 0.9, maxStepDbPerDay: 10 },
        onEdgeLoss: () => void moved++,
      });
    const c = make();
    await c.start();
    const net = fakeLan();
    const fusion = (self: "gw-a" | "gw-b") =>
      new FusedPresence({
        gatewayId: self,
        engine: new PresenceEngine(engineOptions(configOf(self))),
        channel: net.channel(self, self === "gw-a" ? "gw-b" : "gw-a"),
        clock,
        log: new RecordingLogger(),
        latenessMs: 1500,
        ...(self === "gw-a"
          ? {
              onPeerSightings: (gatewayId: string, sightings: readonly SharedSighting[]) => {
                for (const x of sightings) c.peerHeard(gatewayId, x.subject.id, x.t, x.rssiDbm, x.measuredPowerDbm);
              },
            }
          : {}),
      });
    const [a, b] = [fusion("gw-a"), fusion("gw-b")];
    const member = beacon(7);
    await a.start();
    await b.start();
    for (let label = 0; label < 5; label++) {
      const end = clock.now();
      // The member on the floor for 10 s: gw-a hears 16-30 dB of loss (it reads 6 dB low), gw-b
      // the other way round, 30-16 dB, plus 4: own + peer 50 dB on every second.
      for (let i = 0; i < 10; i++) {
        const t = end - 5000 + i * 1000;
        c.heard(member.id, t, -59 - (16 + (14 * i) / 9), -59);
        b.observe({ t, gatewayId: "gw-b", subject: member, rssiDbm: -59 - (34 - (14 * i) / 9), measuredPowerDbm: -59 });
      }
      b.tick(end);
      net.deliver();
      const outcome = await c.label(encodeMessage({ v: 1, place: "inside", at: new Date(end).toISOString(), subjects: [member.id] }));
      expect(outcome).toMatchObject({ outcome: "sample" });
      clock.advance(DAY);
    }
    // 10 dB a day from the drawn 15.4 dB: two days.
    await c.tick();
    clock.advance(DAY);
    await c.tick();
    // The own edge as alone (the 90th percentile, 28.5 dB); the peer's reference the rest of the
    // 90th percentile of the sums, 50.5 dB once the datagram has rounded RSSI to whole dB: 22 dB.
    expect(c.edgeLossDb).toBe(28.5);
    expect(c.peerEdges).toEqual([{ gatewayId: "gw-b", edgeLossDb: 22 }]);
    expect(moved).toBe(2);
    await c.stop();
    await a.stop();
    await b.stop();
    const stored = JSON.parse(await readFile(file, "utf8")) as { samples: { peers?: { gatewayId: string; lossesDb: (number | null)[] }[] }[] };
    expect(stored.samples[0]?.peers?.[0]?.gatewayId).toBe("gw-b");
    expect(stored.samples[0]?.peers?.[0]?.lossesDb).toHaveLength(10);
    // Persisted: a restarted gateway runs the zone with both.
    const again = make();
    await again.start();
    expect(again.peerEdges).toEqual([{ gatewayId: "gw-b", edgeLossDb: 22 }]);
    // As the engine runs the zone: the learned edge and reference, the exit band kept in dB.
    const zone = options.zones.find((z) => z.id === "floor");
    if (zone === undefined) throw new Error("no zone");
    const running = learnedZone(zone, { edgeLossDb: again.edgeLossDb, peerEdges: again.peerEdges }, {
      baseEdgeLossDb: DRAWN,
      exitMarginM: options.tuning.exitMarginM,
      pathLossExponent: 2.2,
      maxDistanceM: 50,
    });
    expect(running).toMatchObject({ edgeLossDb: 28.5, peerEdges: [{ gatewayId: "gw-b", edgeLossDb: 22 }] });
    const band = (edge: number, marginM: number) => 22 * Math.log10((10 ** (edge / 22) + marginM) / 10 ** (edge / 22));
    expect(band(28.5, running.shape === "gateway-radius" ? (running.exitMarginM ?? 0) : 0)).toBeCloseTo(band(DRAWN, options.tuning.exitMarginM), 1);
  });

  it("starts a peer's reference from the geometry the engine runs: the gateways apart plus the reach of the zone's edge loss", () => {
    const options = engineOptions(configOf("gw-a"));
    const surveyed = { ...options, zones: options.zones.map((z) => (z.id === "floor" ? { ...z, edgeLossDb: 30 } : z)) };
    // A surveyed edge of 30 dB reaches 23.1 m under n 2.2, not the drawn 5 m: PresenceEngine
    // measures gw-b against 4 + 23.1 m (its rangePeers), so a learned reference starts there.
    expect(basePeerEdgesDb(surveyed, "gw-a", "floor")?.["gw-b"]).toBeCloseTo(22 * Math.log10(4 + 10 ** (30 / 22)), 1);
    // Without an edge loss, the drawn radius.
    expect(basePeerEdgesDb(options, "gw-a", "floor")?.["gw-b"]).toBeCloseTo(22 * Math.log10(4 + 5), 1);
  });

  it("keeps a label whose member a peer heard nearer than 1 m, its loss counted as at 1 m", async () => {
    const c = calibration({ basePeerEdgesDb: () => ({ "gw-till": 20 }), peerOffsetsDb: () => ({}) });
    await c.start();
    const end = clock.now();
    for (let i = 0; i < 10; i++) {
      c.heard(SUBJECT, end - 5000 + i * 1000, -59 - 25, -59);
      // The member at the till, beside its gateway: the peer hears it stronger than at 1 m.
      c.peerHeard("gw-till", SUBJECT, end - 5000 + i * 1000, i < 5 ? -52 : -62, -59);
    }
    const outcome = await c.label(encodeMessage({ v: 1, place: "inside", at: new Date(end).toISOString(), subjects: [SUBJECT] }));
    expect(outcome).toMatchObject({ outcome: "sample", subjectId: SUBJECT });
    await c.stop();
    const stored = JSON.parse(await readFile(join(dir, "learned-zone.json"), "utf8")) as { samples: { peers?: { lossesDb: (number | null)[] }[] }[] };
    expect(stored.samples[0]?.peers?.[0]?.lossesDb).toEqual([0, 0, 0, 0, 0, 3, 3, 3, 3, 3]);
    // What it wrote, it reads back.
    expect(await new InsideLearnerFile(join(dir, "learned-zone.json")).load()).not.toBeNull();
  });

  it("runs a learned zone with its exit band in dB, within the engine's distances, and keeps the config's other references", () => {
    const zone = { id: "store", shape: "gateway-radius" as const, gatewayId: "g1", radiusM: 5, peerEdges: [{ gatewayId: "g2", edgeLossDb: 18 }, { gatewayId: "g3", edgeLossDb: 20 }] };
    const o = { baseEdgeLossDb: DRAWN, exitMarginM: 5, pathLossExponent: 2.2, maxDistanceM: 50 };
    // Nothing learned: the zone as configured.
    expect(learnedZone(zone, { edgeLossDb: null, peerEdges: [] }, o)).toBe(zone);
    // An edge 6 dB out means a reach 1.87 times as far (10^(6/22)): the margin with it.
    const six = learnedZone(zone, { edgeLossDb: DRAWN + 6, peerEdges: [{ gatewayId: "g2", edgeLossDb: 25 }] }, o);
    expect(six).toMatchObject({ edgeLossDb: DRAWN + 6, exitMarginM: 9.37, peerEdges: [{ gatewayId: "g3", edgeLossDb: 20 }, { gatewayId: "g2", edgeLossDb: 25 }] });
    // 35 dB means 39 m: the band is cut at the engine's 50 m, beyond which no distance is read.
    const far = learnedZone(zone, { edgeLossDb: 35, peerEdges: [] }, o);
    expect(far.shape === "gateway-radius" ? far.exitMarginM : null).toBeCloseTo(50 - 10 ** (35 / 22), 1);
    // Only peers learned: the zone's own edge and margin stay.
    expect(learnedZone(zone, { edgeLossDb: null, peerEdges: [{ gatewayId: "g3", edgeLossDb: 22 }] }, o)).toEqual({
      ...zone,
      peerEdges: [{ gatewayId: "g2", edgeLossDb: 18 }, { gatewayId: "g3", edgeLossDb: 22 }],
    });
  });
});
