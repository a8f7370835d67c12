/**
 * Calibration from evidence: the gateway's RSSI offset learned from what it heard of members at the
 * till when the till redeemed their coupons. Pure: state and samples in, state and outcome out; no
 * clock, no I/O. The reasoning (docs/architecture.md, "Calibration from evidence"):
 *
 * 1. **A sample.** A redemption at the till says where the member stood: at the till spot, a known
 *    distance from the gateway (config `learning.tillDistanceM`). The gateway's seconds of that
 *    member around the redemption give, like the site survey's edge walk, expected minus heard RSSI
 *    under the engine's log-distance model; their median is one sample of the offset.
 * 2. **Robust.** The offset learned is the median of the samples; a sample further than
 *    `outlierDb` from the median of those before is refused (a member who paid at another till,
 *    or held the phone in a bag), and so is one beyond the offset's range.
 * 3. **Slow.** Nothing is learned before `minSamples` samples; then the offset moves towards the
 *    median by at most `maxStepDbPerDay` per day since it last moved, so a bad week cannot swing
 *    the store, and a radio that drifts is followed over days.
 * 4. **The survey first.** A site survey is evidence too, gathered on purpose: the offset starts
 *    from the survey's (or the config's) and the learner acts only on samples taken after the last
 *    survey. A new survey clears what was learned before it, so it is never overridden without
 *    `minSamples` fresh samples, and even then only by `maxStepDbPerDay` a day.
 * 5. **Drift.** Each 7-day bin keeps its count and median sample, so weeks can be compared.
 */

import { quantile } from "../survey/siteSurvey.js";
import type { HeardSecond } from "./HeardMemory.js";

const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

export interface TillLearnerOptions {
  /** Fewest samples before the offset moves. */
  readonly minSamples?: number;
  /** Largest move of the offset per day, dB. */
  readonly maxStepDbPerDay?: number;
  /** A sample further than this from the median of the samples before is refused, dB. */
  readonly outlierDb?: number;
  /** Samples kept (the oldest go first). */
  readonly maxSamples?: number;
  /** 7-day bins kept. */
  readonly maxWeeks?: number;
  /** Largest offset, dB (the config schema's limit). */
  readonly maxOffsetDb?: number;
  /** Fewest seconds heard around a label for a sample. */
  readonly minSeconds?: number;
  /** Seconds before the label's time that count (the member waits and pays before it is rung up), ms. */
  readonly beforeMs?: number;
  /** Seconds after it that count, ms. */
  readonly afterMs?: number;
}

/**
 * Starting values, by reasoning rather than measurement: 10 samples make the median's error well
 * under 1 dB with 3 dB shadowing; 8 dB refuses another till (metres away) but not shadowing; 1 dB a
 * day lets a 6 dB error be corrected within a week. Not yet tuned on the simulator.
 */
export const TILL_LEARNER_DEFAULTS = Object.freeze({
  minSamples: 10,
  maxStepDbPerDay: 1,
  outlierDb: 8,
  maxSamples: 200,
  maxWeeks: 26,
  maxOffsetDb: 30,
  minSeconds: 5,
  beforeMs: 30_000,
  afterMs: 5_000,
});

export interface LearnedSample {
  /** When the member was at the till, epoch ms. */
  readonly at: number;
  /** Expected minus heard RSSI at the till, dB: this sample's offset. */
  readonly residualDb: number;
}

export interface LearnedWeek {
  /** Start of the 7-day bin, epoch ms (a multiple of 7 days since the epoch). */
  readonly weekStart: number;
  readonly samples: number;
  /** Median offset sample of the bin, dB. */
  readonly medianDb: number;
}

export interface TillLearnerState {
  readonly v: 1;
  /** The samples counted, oldest first; only ones after `since`. */
  readonly samples: readonly LearnedSample[];
  /** The offset learned and applied now, dB; null while the survey's (or the config's) runs. */
  readonly offsetDb: number | null;
  /** When `offsetDb` last moved, epoch ms. */
  readonly steppedAt: number | null;
  /** The survey the samples are counted from (its time, epoch ms); null: never surveyed. */
  readonly since: number | null;
  readonly weeks: readonly LearnedWeek[];
}

export const EMPTY_LEARNER: TillLearnerState = Object.freeze({
  v: 1,
  samples: [],
  offsetDb: null,
  steppedAt: null,
  since: null,
  weeks: [],
});

export type SampleRefusal = "too-few-readings" | "no-power" | "out-of-range" | "outlier" | "before-survey";

export interface LearnContext {
  /** The offset the config holds (the survey's, or set by hand), dB. */
  readonly baseOffsetDb: number;
  /** When the last site survey ended, epoch ms; null: never surveyed. */
  readonly surveyedAt: number | null;
  /** Now, epoch ms. */
  readonly now: number;
}

const half = (x: number): number => Math.round(x * 2) / 2;

/**
 * One sample from the seconds heard of a member around a label, the member at `distanceM` from the
 * gateway: the median of expected minus heard RSSI (the survey's residual), or why there is none.
 */
export function tillSample(
  seconds: readonly HeardSecond[],
  distanceM: number,
  pathLossExponent: number,
  defaultMeasuredPowerDbm: number,
  options: TillLearnerOptions = {},
): { readonly ok: true; readonly residualDb: number; readonly seconds: number } | { readonly ok: false; readonly reason: SampleRefusal } {
  const minSeconds = options.minSeconds ?? TILL_LEARNER_DEFAULTS.minSeconds;
  if (seconds.length < minSeconds) return { ok: false, reason: "too-few-readings" };
  const expectedLoss = 10 * pathLossExponent * Math.log10(distanceM);
  const residuals = seconds.map((s) => (s.measuredPowerDbm ?? defaultMeasuredPowerDbm) - expectedLoss - s.rssiDbm);
  return { ok: true, residualDb: quantile(residuals, 0.5), seconds: seconds.length };
}

/**
 * Adds one sample and moves the offset as far as the rules allow. The outcome says whether the
 * sample was counted and, if not, why.
 */
export function learn(
  state: TillLearnerState,
  sample: LearnedSample,
  context: LearnContext,
  options: TillLearnerOptions = {},
): { readonly state: TillLearnerState; readonly accepted: true } | { readonly state: TillLearnerState; readonly accepted: false; readonly reason: SampleRefusal } {
  const o = { ...TILL_LEARNER_DEFAULTS, ...options };
  let current = state;
  // A survey newer than what was learned wins: start again from it.
  if (context.surveyedAt !== null && (current.since === null || current.since < context.surveyedAt))
    current = { ...EMPTY_LEARNER, since: context.surveyedAt, weeks: current.weeks };
  if (current.since !== null && sample.at < current.since) return { state: current, accepted: false, reason: "before-survey" };
  if (!Number.isFinite(sample.residualDb) || Math.abs(sample.residualDb) > o.maxOffsetDb)
    return { state: current, accepted: false, reason: "out-of-range" };
  if (current.samples.length >= 3) {
    const median = quantile(current.samples.map((s) => s.residualDb), 0.5);
    if (Math.abs(sample.residualDb - median) > o.outlierDb) return { state: current, accepted: false, reason: "outlier" };
  }
  const samples = [...current.samples, sample].slice(-o.maxSamples);
  const weekStart = Math.floor(sample.at / WEEK_MS) * WEEK_MS;
  const inWeek = samples.filter((s) => Math.floor(s.at / WEEK_MS) * WEEK_MS === weekStart).map((s) => s.residualDb);
  const week: LearnedWeek = { weekStart, samples: inWeek.length, medianDb: half(quantile(inWeek, 0.5)) };
  const weeks = [...current.weeks.filter((w) => w.weekStart !== weekStart), week]
    .sort((a, b) => a.weekStart - b.weekStart)
    .slice(-o.maxWeeks);
  return { state: step({ ...current, samples, weeks }, context, o), accepted: true };
}

/**
 * Moves the learned offset towards the median of the samples, at most `maxStepDbPerDay` per day
 * since it last moved (since the first sample counted, the first time). Nothing before
 * `minSamples`. Call it again later (e.g. daily) to keep moving without new samples.
 */
export function step(state: TillLearnerState, context: LearnContext, options: TillLearnerOptions = {}): TillLearnerState {
  const o = { ...TILL_LEARNER_DEFAULTS, ...options };
  const first = state.samples[0];
  if (state.samples.length < o.minSamples || first === undefined) return state;
  const target = half(quantile(state.samples.map((s) => s.residualDb), 0.5));
  const from = state.offsetDb ?? context.baseOffsetDb;
  const since = state.steppedAt ?? first.at;
  const allowed = Math.floor((o.maxStepDbPerDay * Math.max(0, context.now - since)) / DAY_MS * 2) / 2;
  if (allowed <= 0 || target === from) return state.offsetDb === null && target === from ? { ...state, offsetDb: from, steppedAt: context.now } : state;
  const move = Math.max(-allowed, Math.min(allowed, target - from));
  return { ...state, offsetDb: Math.max(-o.maxOffsetDb, Math.min(o.maxOffsetDb, from + move)), steppedAt: context.now };
}

/**
 * The offset to run with: the learned one once it acts, else the config's (the survey's). A survey
 * newer than what was learned wins at once, before any new sample.
 */
export function runningOffset(state: TillLearnerState, baseOffsetDb: number, surveyedAt: number | null): number {
  if (surveyedAt !== null && (state.since === null || state.since < surveyedAt)) return baseOffsetDb;
  return state.offsetDb ?? baseOffsetDb;
}
