import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InsideLearnerFile } from "../../../gateway/src/adapters/system/InsideLearnerFile.js";
import { engineOptions } from "../../../gateway/src/config/engineOptions.js";
import { parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { baseEdgeLossDb, InsideCalibration } from "../../../gateway/src/services/InsideCalibration.js";
import { encodeMessage } from "../../../protocol/index.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

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

  const make = (zoneId = "store") =>
    new InsideCalibration({
      zoneId,
      baseEdgeLossDb: () => (zoneId === "store" ? DRAWN : null),
      offsetDb: () => 0,
      surveyedAt: null,
      defaultMeasuredPowerDbm: -59,
      store: new InsideLearnerFile(join(dir, "learned-zone.json")),
      clock,
      log: new RecordingLogger(),
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
    const c = new InsideCalibration({
      zoneId: "store",
      baseEdgeLossDb: () => DRAWN,
      offsetDb: () => 0,
      surveyedAt: null,
      defaultMeasuredPowerDbm: -59,
      store: new InsideLearnerFile(file),
      clock,
      scheduler,
      log: new RecordingLogger(),
      learner: { minLabels: 5, fromMs: 2000, toMs: 10_000 },
    });
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
    const again = new InsideCalibration({
      zoneId: "store",
      baseEdgeLossDb: () => DRAWN,
      offsetDb: () => 0,
      surveyedAt: null,
      defaultMeasuredPowerDbm: -59,
      store: new InsideLearnerFile(file),
      clock,
      log: new RecordingLogger(),
    });
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
});
