import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LearnerFile } from "../../../gateway/src/adapters/system/LearnerFile.js";
import { TillCalibration } from "../../../gateway/src/services/TillCalibration.js";
import { encodeMessage } from "../../../protocol/index.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

const DAY = 86_400_000;
const SUBJECT = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:1";
/** Heard at the till (3 m, n 2.2) by a radio 6 dB deaf. */
const DEAF_AT_TILL = -59 - 22 * Math.log10(3) - 6;

describe("TillCalibration", () => {
  let dir: string;
  let clock: ManualClock;
  let offsets: number[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-learn-"));
    clock = new ManualClock("2026-11-02T10:00:00.000Z");
    offsets = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const make = (surveyedAt: number | null = null, baseOffsetDb = 0) =>
    new TillCalibration({
      gatewayId: "g1",
      tillDistanceM: 3,
      pathLossExponent: 2.2,
      defaultMeasuredPowerDbm: -59,
      baseOffsetDb,
      surveyedAt,
      store: new LearnerFile(join(dir, "learned-calibration.json")),
      clock,
      log: new RecordingLogger(),
      learner: { minSamples: 5, maxStepDbPerDay: 1 },
      onOffset: (o) => offsets.push(o),
    });

  /** One shopper at the till for 20 s, then the till's label; the clock moves on a day. */
  const visit = async (c: TillCalibration, subjectId = SUBJECT, rssiDbm = DEAF_AT_TILL) => {
    const end = clock.now();
    for (let i = 19; i >= 0; i--) c.heard(subjectId, end - i * 1000, rssiDbm + (i % 3) - 1, -59);
    const outcome = await c.label(encodeMessage({ v: 1, place: "till", at: new Date(end).toISOString(), subjects: ["app:u1", subjectId] }));
    clock.advance(DAY);
    return outcome;
  };

  it("learns a 6 dB offset a step a day after enough visits, and keeps it across a restart", async () => {
    const c = make();
    await c.start();
    for (let i = 0; i < 4; i++) expect((await visit(c)).outcome).toBe("sample");
    expect(c.offsetDb).toBe(0);
    expect(offsets).toEqual([]);
    for (let i = 0; i < 6; i++) await visit(c);
    expect(offsets).toEqual([4, 5, 6]);
    expect(c.offsetDb).toBe(6);
    expect(c.report()).toMatchObject({ samples: 10, refused: 0, rssiOffsetDb: 6 });
    await c.stop();

    const again = make();
    await again.start();
    expect(again.offsetDb).toBe(6);
    expect(again.report().samples).toBe(10);
  });

  it("keeps stepping a day at a time between labels", async () => {
    const c = make();
    await c.start();
    // Ten members in one morning: enough samples, but a few minutes allow no step yet.
    for (let i = 0; i < 10; i++) {
      const end = clock.now();
      for (let k = 19; k >= 0; k--) c.heard(SUBJECT, end - k * 1000, DEAF_AT_TILL, -59);
      await c.label(encodeMessage({ v: 1, place: "till", at: new Date(end).toISOString(), subjects: [SUBJECT] }));
      clock.advance(60_000);
    }
    expect(c.offsetDb).toBe(0);
    await c.tick();
    expect(offsets).toEqual([]);
    clock.advance(2 * DAY);
    await c.tick();
    expect(offsets).toEqual([2]);
    clock.advance(DAY);
    await c.tick();
    clock.advance(10 * DAY);
    await c.tick();
    expect(offsets).toEqual([2, 3, 6]);
    expect(c.report().learnedAt).toBe(new Date(clock.now()).toISOString());
  });

  it("refuses a label for a subject it did not hear, a malformed one, and an outlier", async () => {
    const c = make();
    await c.start();
    const unheard = await c.label(encodeMessage({ v: 1, place: "till", at: new Date(clock.now()).toISOString(), subjects: ["app:u9"] }));
    expect(unheard).toEqual({ outcome: "refused", reason: "too-few-readings" });
    expect(await c.label(Buffer.from("{\"v\":1,\"place\":\"door\"}"))).toEqual({ outcome: "refused", reason: "malformed" });
    for (let i = 0; i < 3; i++) await visit(c);
    // A member known to be in the store, somewhere: no sample at the till, and not a refusal.
    const inside = await c.label(encodeMessage({ v: 1, place: "inside", at: new Date(clock.now()).toISOString(), subjects: [SUBJECT] }));
    expect(inside).toEqual({ outcome: "ignored", place: "inside" });
    expect(c.report()).toMatchObject({ samples: 3, refused: 2 });
    // Paid at the other till, far away: 20 dB weaker than the rest.
    expect(await visit(c, SUBJECT, DEAF_AT_TILL - 20)).toEqual({ outcome: "refused", reason: "outlier" });
    expect(c.report()).toMatchObject({ samples: 3, refused: 3 });
  });

  it("lets a newer site survey run at once and learns again only from samples after it", async () => {
    const c = make();
    await c.start();
    for (let i = 0; i < 10; i++) await visit(c);
    expect(c.offsetDb).toBe(6);
    await c.stop();

    const surveyed = make(clock.now() - 1000, 5);
    await surveyed.start();
    expect(surveyed.offsetDb).toBe(5);
    expect(surveyed.report()).toMatchObject({ samples: 0, rssiOffsetDb: null });
    await visit(surveyed);
    expect(surveyed.report().samples).toBe(1);
    expect(surveyed.offsetDb).toBe(5);
  });

  it("starts from scratch when its file is not a learner's state", async () => {
    await writeFile(join(dir, "learned-calibration.json"), "{\"v\":1,\"offsetDb\":99}");
    const c = make();
    await c.start();
    expect(c.offsetDb).toBe(0);
    await visit(c);
    expect(JSON.parse(await readFile(join(dir, "learned-calibration.json"), "utf8"))).toMatchObject({ v: 1, samples: [{ residualDb: expect.any(Number) }] });
  });
});
