/**
 * Calibration from "inside, position unknown": a zone's enter threshold (its edge loss) learned from
 * what the gateway heard of members the store knows were inside, a phone having heard the store's
 * own beacon (an `inside` label). Pure: state and samples in, state and outcome out; no clock, no
 * I/O. The reasoning (docs/architecture.md, "Calibration from evidence"):
 *
 * 1. **What such a label can say.** Not where the member stood, so no offset: only that the member
 *    was inside, so the zone that is the store's floor should read them inside. The gateway's path
 *    loss to a confirmed-inside member (advertised power at 1 m minus the raw RSSI heard, before any
 *    offset) is a draw from the losses of the store's floor as shoppers use it. The zone reads a
 *    subject inside when its loss, offset applied, is at most the edge loss; so an edge loss at the
 *    `percentile` of those draws, less the offset the engine runs with, makes that share of
 *    confirmed-inside seconds read inside. Learned in raw loss, it holds whatever offset runs later.
 * 2. **Its bias, stated.** The draws are where phones hear the store beacon, which is not where the
 *    zone's edge is: shoppers crowd some aisles, a phone at the door or just outside the window hears
 *    the beacon too, and its owner was then "inside" by the label. So the threshold learned follows
 *    where members spend time, not the floor's outline, and errs large when many labels come from the
 *    door (passers-by near the window may then read inside). `percentile` sets that trade. Two
 *    options take the door out, measured but off: a window after the label (`fromMs`, `toMs`; the
 *    member who walked in is on the floor seconds later), and a bound from a label's seconds before
 *    it when they are markedly weaker (`approachBound`: the member walked in from the pavement, so
 *    those seconds should read outside).
 * 3. **Robust and slow.** One sample per label: the losses of its seconds. A label whose median loss
 *    is beyond `outlierDb` above the threshold the samples before give is refused (heard through a
 *    wall from the car park). Nothing moves before `minLabels` labels; then the edge loss moves by
 *    at most `maxStepDbPerDay` per day, counted from the label that made `minLabels`.
 * 4. **The survey first.** Only labels after the last site survey count, and a newer survey clears
 *    what was learned: a survey is never overridden without `minLabels` fresh labels, and then a
 *    step a day.
 * 5. **Drift.** Each 7-day bin keeps its label count and the threshold its own seconds give.
 */

import { quantile } from "../survey/siteSurvey.js";
import type { HeardSecond } from "./HeardMemory.js";
import { WEEK_MS } from "./tillLearner.js";

const DAY_MS = 86_400_000;

export interface InsideLearnerOptions {
  /** Fewest labels before the edge loss moves. */
  readonly minLabels?: number;
  /** Share of confirmed-inside seconds that should read inside (0..1). */
  readonly percentile?: number;
  /** Added to the percentile's loss, dB: a percentile near the middle plus a margin widens less with shadowing. */
  readonly marginDb?: number;
  /** Largest move of the edge loss per day, dB. */
  readonly maxStepDbPerDay?: number;
  /** A label whose median loss is this far above the threshold of those before is refused, dB. */
  readonly outlierDb?: number;
  /** Labels kept (the oldest go first). */
  readonly maxLabels?: number;
  /** Seconds kept per label (the strongest-heard are not preferred: the first ones). */
  readonly maxSecondsPerLabel?: number;
  /** 7-day bins kept. */
  readonly maxWeeks?: number;
  /** Fewest seconds heard around a label for a sample. */
  readonly minSeconds?: number;
  /**
   * Where the seconds a label counts start, ms from the label's time (negative: before it). A phone
   * reports the store beacon when it first hears it, at the door or on the pavement in front of it,
   * so seconds before the label (and the first after it) may be outside; seconds later are inside.
   */
  readonly fromMs?: number;
  /** Where they end, ms from the label's time. */
  readonly toMs?: number;
  /**
   * The seconds before a label that may show the member walking in, ms from the label's time: a
   * phone reports the store beacon when it first hears it, so a member who came in was on the
   * pavement or at the door then.
   */
  readonly approachFromMs?: number;
  readonly approachToMs?: number;
  /**
   * A label's approach seconds count as outside when their median loss is at least this far above
   * the median of its own inside seconds, dB: the member walked in (a member who reported standing
   * on the floor shows no such rise).
   */
  readonly approachRiseDb?: number;
  /**
   * Whether the approach seconds bound the edge loss. Off by default: on the simulator's tuning
   * seeds it cost recall where it bound and did not reach the seed that needed it (the one whose
   * floor the gateway hears as weakly as the pavement shows no approach); docs/benchmarks.md,
   * "Calibration from inside labels: the door, the seconds after the label and the approach".
   */
  readonly approachBound?: boolean;
  /** Fewest labels with approach seconds before they bound the edge loss. */
  readonly minApproachLabels?: number;
  /** The bound: this quantile of the approach seconds (their strong part, nearest the door)... */
  readonly approachQuantile?: number;
  /** ...less this margin, dB, so the pavement and the door read outside. */
  readonly approachMarginDb?: number;
  /** The edge loss is kept within these, dB. */
  readonly minEdgeLossDb?: number;
  readonly maxEdgeLossDb?: number;
}

/**
 * 10 labels of ~10 s give 100 seconds, enough for a percentile within a dB or two with 3-6 dB
 * shadowing; a phone reports the store beacon at the moment it hears it, so ±5 s around it (a
 * window after the label, [+2 s, +30 s] at 0.8, is free of the door's pull but read the floor's
 * upper tail 1-3 dB too far out on the fresh seeds; the approach bound, off, cost recall); 2 dB
 * a day corrects a 6 dB error in three days. The percentile, 0.6, was the one of 0.5-0.9 that met
 * every target on the simulator's tuning seeds 11-15 (docs/benchmarks.md, "Calibration from inside
 * labels"): higher ones follow the labels made at the door out onto the pavement.
 */
export const INSIDE_LEARNER_DEFAULTS = Object.freeze({
  minLabels: 10,
  percentile: 0.6,
  marginDb: 0,
  maxStepDbPerDay: 2,
  outlierDb: 15,
  maxLabels: 200,
  maxSecondsPerLabel: 60,
  maxWeeks: 26,
  minSeconds: 3,
  fromMs: -5_000,
  toMs: 5_000,
  approachBound: false,
  approachFromMs: -10_000,
  approachToMs: -2_000,
  approachRiseDb: 6,
  minApproachLabels: 3,
  approachQuantile: 0.25,
  approachMarginDb: 3,
  minEdgeLossDb: 10,
  maxEdgeLossDb: 100,
});

export interface InsideSample {
  /** When the member was known inside, epoch ms. */
  readonly at: number;
  /** Raw path loss of each second heard around then (power at 1 m minus raw RSSI), dB. */
  readonly lossesDb: readonly number[];
  /** Raw losses of the seconds before the label when they show the member walking in, dB; absent otherwise. */
  readonly approachLossesDb?: readonly number[];
}

export interface InsideWeek {
  /** Start of the 7-day bin, epoch ms. */
  readonly weekStart: number;
  readonly labels: number;
  /** The raw-loss threshold the bin's own seconds give at the percentile, dB. */
  readonly thresholdDb: number;
}

export interface InsideLearnerState {
  readonly v: 1;
  /** The zone learned for. */
  readonly zoneId: string;
  /** Labels counted, oldest first; only ones after `since`. */
  readonly samples: readonly InsideSample[];
  /** The edge loss learned and run with, dB; null while the config's (the survey's) runs. */
  readonly edgeLossDb: number | null;
  /** When `edgeLossDb` last moved, epoch ms. */
  readonly steppedAt: number | null;
  /** The survey counted from (its time, epoch ms); null: never surveyed. */
  readonly since: number | null;
  readonly weeks: readonly InsideWeek[];
}

export function emptyInsideLearner(zoneId: string): InsideLearnerState {
  return { v: 1, zoneId, samples: [], edgeLossDb: null, steppedAt: null, since: null, weeks: [] };
}

export type InsideRefusal = "too-few-readings" | "outlier" | "before-survey" | "out-of-range";

export interface InsideContext {
  /** The zone's edge loss as the config holds it (the survey's, or from its drawn radius), dB. */
  readonly baseEdgeLossDb: number;
  /** The RSSI offset the engine runs with now (config's, surveyed or learned at the till), dB. */
  readonly offsetDb: number;
  /** When the last site survey ended, epoch ms; null: never surveyed. */
  readonly surveyedAt: number | null;
  readonly now: number;
}

const half = (x: number): number => Math.round(x * 2) / 2;

/**
 * One sample from the seconds heard of a member around an `inside` label, or why none: the raw
 * losses of the seconds in [`fromMs`, `toMs`] of the label, and, when the seconds in
 * [`approachFromMs`, `approachToMs`] are `approachRiseDb` weaker than those, the approach's losses
 * (the member walked in from outside). `seconds` may span more than both windows.
 */
export function insideSample(
  seconds: readonly HeardSecond[],
  at: number,
  defaultMeasuredPowerDbm: number,
  options: InsideLearnerOptions = {},
): { readonly ok: true; readonly sample: InsideSample } | { readonly ok: false; readonly reason: InsideRefusal } {
  const o = { ...INSIDE_LEARNER_DEFAULTS, ...options };
  const loss = (s: HeardSecond): number => half((s.measuredPowerDbm ?? defaultMeasuredPowerDbm) - s.rssiDbm);
  const inside = seconds.filter((s) => s.t >= at + o.fromMs && s.t <= at + o.toMs);
  if (inside.length < o.minSeconds) return { ok: false, reason: "too-few-readings" };
  const lossesDb = inside.slice(0, o.maxSecondsPerLabel).map(loss);
  const approach = seconds.filter((s) => s.t >= at + o.approachFromMs && s.t <= at + o.approachToMs).map(loss);
  const walkedIn = approach.length >= o.minSeconds && quantile(approach, 0.5) - quantile([...lossesDb], 0.5) >= o.approachRiseDb;
  return { ok: true, sample: walkedIn ? { at, lossesDb, approachLossesDb: approach.slice(0, o.maxSecondsPerLabel) } : { at, lossesDb } };
}

/**
 * The highest raw edge loss the approach seconds allow: their `approachQuantile` less
 * `approachMarginDb`; null before `minApproachLabels` labels showed an approach.
 */
export function approachBoundDb(samples: readonly InsideSample[], options: InsideLearnerOptions = {}): number | null {
  const o = { ...INSIDE_LEARNER_DEFAULTS, ...options };
  const walkedIn = samples.filter((s) => s.approachLossesDb !== undefined && s.approachLossesDb.length > 0);
  if (walkedIn.length < o.minApproachLabels) return null;
  return quantile(walkedIn.flatMap((s) => s.approachLossesDb ?? []), o.approachQuantile) - o.approachMarginDb;
}

/** The raw-loss threshold the samples give: the percentile of all their seconds, dB. */
export function rawThresholdDb(samples: readonly InsideSample[], percentile: number): number | null {
  const all = samples.flatMap((s) => s.lossesDb);
  return all.length === 0 ? null : quantile(all, percentile);
}

/** Adds one label's sample and moves the edge loss as far as the rules allow. */
export function learnInside(
  state: InsideLearnerState,
  sample: InsideSample,
  context: InsideContext,
  options: InsideLearnerOptions = {},
):
  | { readonly state: InsideLearnerState; readonly accepted: true }
  | { readonly state: InsideLearnerState; readonly accepted: false; readonly reason: InsideRefusal } {
  const o = { ...INSIDE_LEARNER_DEFAULTS, ...options };
  let current = state;
  if (context.surveyedAt !== null && (current.since === null || current.since < context.surveyedAt))
    current = { ...emptyInsideLearner(state.zoneId), since: context.surveyedAt, weeks: current.weeks };
  if (current.since !== null && sample.at < current.since) return { state: current, accepted: false, reason: "before-survey" };
  if (sample.lossesDb.length === 0 || sample.lossesDb.some((l) => !Number.isFinite(l) || l < 0 || l > 200))
    return { state: current, accepted: false, reason: "out-of-range" };
  if (current.samples.length >= 3) {
    const threshold = rawThresholdDb(current.samples, o.percentile) ?? 0;
    if (quantile([...sample.lossesDb], 0.5) - threshold > o.outlierDb) return { state: current, accepted: false, reason: "outlier" };
  }
  const samples = [...current.samples, sample].slice(-o.maxLabels);
  const weekStart = Math.floor(sample.at / WEEK_MS) * WEEK_MS;
  const inWeek = samples.filter((s) => Math.floor(s.at / WEEK_MS) * WEEK_MS === weekStart);
  const week: InsideWeek = { weekStart, labels: inWeek.length, thresholdDb: half(rawThresholdDb(inWeek, o.percentile) ?? 0) };
  const weeks = [...current.weeks.filter((w) => w.weekStart !== weekStart), week]
    .sort((a, b) => a.weekStart - b.weekStart)
    .slice(-o.maxWeeks);
  return { state: stepInside({ ...current, samples, weeks }, context, o), accepted: true };
}

/**
 * The edge loss the samples ask for now: their raw threshold less the offset the engine runs with,
 * within the bounds; null before `minLabels`.
 */
export function insideTarget(state: InsideLearnerState, offsetDb: number, options: InsideLearnerOptions = {}): number | null {
  const o = { ...INSIDE_LEARNER_DEFAULTS, ...options };
  if (state.samples.length < o.minLabels) return null;
  const percentile = rawThresholdDb(state.samples, o.percentile);
  if (percentile === null) return null;
  const bound = o.approachBound ? approachBoundDb(state.samples, o) : null;
  const raw = bound === null ? percentile + o.marginDb : Math.min(percentile + o.marginDb, bound);
  return Math.max(o.minEdgeLossDb, Math.min(o.maxEdgeLossDb, half(raw - offsetDb)));
}

/**
 * Moves the learned edge loss towards {@link insideTarget}, at most `maxStepDbPerDay` per day since
 * it last moved (since the `minLabels`-th label, the first time). Call it again later (the gateway
 * does, between labels) to keep moving without new labels.
 */
export function stepInside(state: InsideLearnerState, context: InsideContext, options: InsideLearnerOptions = {}): InsideLearnerState {
  const o = { ...INSIDE_LEARNER_DEFAULTS, ...options };
  const target = insideTarget(state, context.offsetDb, o);
  // The first step counts from the label that made `minLabels`: days spent gathering them are not
  // days of moving, so the first move is a step too.
  const enough = state.samples[Math.max(0, o.minLabels - 1)];
  if (target === null || enough === undefined) return state;
  const from = state.edgeLossDb ?? context.baseEdgeLossDb;
  const since = state.steppedAt ?? enough.at;
  const allowed = Math.floor(((o.maxStepDbPerDay * Math.max(0, context.now - since)) / DAY_MS) * 2) / 2;
  if (target === from) return state.edgeLossDb === null ? { ...state, edgeLossDb: from, steppedAt: context.now } : state;
  if (allowed <= 0) return state;
  const move = Math.max(-allowed, Math.min(allowed, target - from));
  return { ...state, edgeLossDb: from + move, steppedAt: context.now };
}

/** The edge loss to run the zone with: the learned one once it acts, else the config's (the survey's). */
export function runningEdgeLoss(state: InsideLearnerState, baseEdgeLossDb: number, surveyedAt: number | null): number {
  if (surveyedAt !== null && (state.since === null || state.since < surveyedAt)) return baseEdgeLossDb;
  return state.edgeLossDb ?? baseEdgeLossDb;
}
