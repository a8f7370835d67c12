import { describe, expect, it } from "vitest";
import { HeardMemory } from "../../../../gateway/src/domain/calibration/HeardMemory.js";
import { EMPTY_LEARNER, learn, runningOffset, step, type TillLearnerState, tillSample } from "../../../../gateway/src/domain/calibration/tillLearner.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2);

/** Feeds residuals one per `everyMs`, from T0, with `now` at each sample's time. */
function feed(residuals: readonly number[], everyMs: number, base = 0, surveyedAt: number | null = null, state: TillLearnerState = EMPTY_LEARNER) {
  let s = state;
  const outcomes: boolean[] = [];
  residuals.forEach((r, i) => {
    const at = T0 + i * everyMs;
    const result = learn(s, { at, residualDb: r }, { baseOffsetDb: base, surveyedAt, now: at }, { minSamples: 5, maxStepDbPerDay: 1 });
    s = result.state;
    outcomes.push(result.accepted);
  });
  return { state: s, outcomes };
}

describe("tillSample", () => {
  it("gives the median of expected minus heard at the till's distance", () => {
    // P1m -59, n 2, 4 m: expected -59 - 20*log10(4) = -71.04; a radio 6 dB deaf hears about -77.
    const seconds = [-77, -76, -78, -90, -77].map((rssiDbm, i) => ({ t: T0 + i * 1000, rssiDbm, measuredPowerDbm: -59 }));
    const sample = tillSample(seconds, 4, 2, -59, { minSeconds: 5 });
    expect(sample.ok).toBe(true);
    if (sample.ok) expect(sample.residualDb).toBeCloseTo(-71.04 + 77, 1);
  });

  it("refuses a label heard for too few seconds", () => {
    const seconds = [{ t: T0, rssiDbm: -70, measuredPowerDbm: -59 }];
    expect(tillSample(seconds, 4, 2, -59, { minSeconds: 5 })).toEqual({ ok: false, reason: "too-few-readings" });
  });
});

describe("learn", () => {
  it("does not act before minSamples, then moves at most the daily step", () => {
    const { state } = feed([6, 6, 6, 6], DAY);
    expect(state.offsetDb).toBeNull();
    expect(runningOffset(state, 0, null)).toBe(0);
    const five = feed([6, 6, 6, 6, 6], DAY).state;
    // First sample at T0, fifth four days later: four days at 1 dB a day.
    expect(five.offsetDb).toBe(4);
    const more = feed([6, 6, 6, 6, 6, 6, 6, 6], DAY).state;
    expect(more.offsetDb).toBe(6);
  });

  it("moves no more than a day's step when every sample comes the same day", () => {
    const { state } = feed(Array.from({ length: 20 }, () => 6), 60_000);
    expect(state.offsetDb === null || Math.abs(state.offsetDb) <= 1).toBe(true);
  });

  it("refuses outliers and values beyond the offset's range", () => {
    const { outcomes, state } = feed([6, 5.5, 6.5, 25, 6, -40], DAY);
    expect(outcomes).toEqual([true, true, true, false, true, false]);
    expect(state.samples.map((s) => s.residualDb)).toEqual([6, 5.5, 6.5, 6]);
  });

  it("takes the median, so one bad sample among many does not move it", () => {
    const { state } = feed([6, 6, 6, 12, 6, 6, 6, 6, 6, 6], DAY);
    expect(state.offsetDb).toBe(6);
  });

  it("never overrides a newer survey without fresh samples", () => {
    const learned = feed(Array.from({ length: 10 }, () => 6), DAY).state;
    expect(runningOffset(learned, 0, null)).toBe(6);
    const surveyedAt = T0 + 20 * DAY;
    // The survey set 2 dB: it runs at once, the old samples are dropped at the next sample.
    expect(runningOffset(learned, 2, surveyedAt)).toBe(2);
    const stale = learn(learned, { at: T0 + 19 * DAY, residualDb: 6 }, { baseOffsetDb: 2, surveyedAt, now: T0 + 21 * DAY });
    expect(stale.accepted).toBe(false);
    expect(stale.state.samples).toHaveLength(0);
    expect(runningOffset(stale.state, 2, surveyedAt)).toBe(2);
  });

  it("keeps a median per week to show drift, and keeps moving when called later", () => {
    const { state } = feed([...Array.from({ length: 7 }, () => 4), ...Array.from({ length: 7 }, () => 8)], DAY);
    expect(state.weeks.length).toBeGreaterThanOrEqual(2);
    const medians = state.weeks.map((w) => w.medianDb);
    expect(medians[0]).toBe(4);
    expect(medians[medians.length - 1]).toBe(8);
    const later = step(state, { baseOffsetDb: 0, surveyedAt: null, now: T0 + 60 * DAY }, { minSamples: 5 });
    expect(later.offsetDb).toBe(quantileHalf(state.samples.map((s) => s.residualDb)));
  });
});

function quantileHalf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.ceil(sorted.length / 2) - 1] ?? 0) * 2) / 2;
}

describe("HeardMemory", () => {
  it("keeps the strongest reading per second within the window", () => {
    const m = new HeardMemory({ windowMs: 10_000, maxSubjects: 10 });
    m.record("a", T0 + 100, -80, -59);
    m.record("a", T0 + 900, -70, -59);
    for (let i = 1; i <= 20; i++) m.record("a", T0 + i * 1000, -75, -59);
    const all = m.heard("a", 0, Number.MAX_SAFE_INTEGER);
    expect(all.length).toBe(11);
    expect(all[0]?.t).toBe(T0 + 10_000);
    m.record("b", T0, -70, -59);
    expect(m.heard("b", T0, T0)).toEqual([{ t: T0, rssiDbm: -70, measuredPowerDbm: -59 }]);
  });

  it("forgets the subject heard least recently beyond maxSubjects", () => {
    const m = new HeardMemory({ maxSubjects: 2 });
    m.record("a", T0, -70, null);
    m.record("b", T0, -70, null);
    m.record("a", T0 + 1000, -70, null);
    m.record("c", T0 + 1000, -70, null);
    expect(m.size).toBe(2);
    expect(m.heard("b", 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(m.heard("a", 0, Number.MAX_SAFE_INTEGER)).toHaveLength(2);
  });
});
