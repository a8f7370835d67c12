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
 * 6. **The pooled test.** Where the store's gateways pool their evidence, the zone reads a subject
 *    inside when the mean, over the gateways that hear it, of each one's loss (after its offset)
 *    less its reference is not above 0 (`PresenceEngine.meanExcessDb`): the own gateway's
 *    reference is the edge loss, a peer's its `peerEdges` entry. For a second the own gateway and
 *    a peer both heard, that is own raw loss + peer raw loss <= raw edge loss + peer's reference +
 *    peer's offset: only the sum counts. So a peer's reference is learned from the seconds of the
 *    labels the peer heard too (its sightings reach this gateway over the store LAN): the
 *    `peerPercentile` of those sums, less the raw edge loss learned, less the peer's offset, makes
 *    that share of the paired confirmed-inside seconds read inside pooled, as the edge loss does
 *    alone. The survey measures the same reference from the zone's edge (`siteSurvey.ts`); this
 *    one follows where members stand, with the same bias as the edge loss (point 2), which the
 *    peer's independent shadowing narrows but does not remove.
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
  /**
   * Share of the labelled seconds heard by both the own gateway and a peer that the pooled test
   * should read inside (0..1): sets each peer's reference (point 6 above).
   */
  readonly peerPercentile?: number;
  /** Added to that percentile's sum of losses, dB. */
  readonly peerMarginDb?: number;
}

/**
 * 10 labels of ~10 s give 100 seconds, enough for a percentile within a dB or two with 3-6 dB
 * shadowing; a phone reports the store beacon at the moment it hears it, so ±5 s around it (a
 * window after the label, [+2 s, +30 s] at 0.8, is free of the door's pull but read the floor's
 * upper tail 1-3 dB too far out on the fresh seeds; the approach bound, off, cost recall); 2 dB
 * a day corrects a 6 dB error in three days. The percentile, 0.6, was the one of 0.5-0.9 that met
 * every target on the simulator's tuning seeds 11-15 (docs/benchmarks.md, "Calibration from inside
 * labels"): higher ones follow the labels made at the door out onto the pavement. The peers'
 * percentile, 0.65 with no margin, was the one of 0.5-0.7 and 0-3 dB that met every target at 3 and
 * 6 dB of shadowing on the same seeds, pooled (docs/benchmarks.md, "Self-calibration for a pooled
 * store"): lower ones lose recall and the enter latency's tail, higher ones take in the window.
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
  peerPercentile: 0.65,
  peerMarginDb: 0,
});

export interface InsideSample {
  /** When the member was known inside, epoch ms. */
  readonly at: number;
  /** Raw path loss of each second heard around then (power at 1 m minus raw RSSI), dB. */
  readonly lossesDb: readonly number[];
  /** Raw losses of the seconds before the label when they show the member walking in, dB; absent otherwise. */
  readonly approachLossesDb?: readonly number[];
  /**
   * What the store's other gateways heard of the same seconds: per peer, its raw loss of each
   * second of `lossesDb` (same order), null where it did not hear that second; absent without peers.
   */
  readonly peers?: readonly PeerLosses[];
}

export interface PeerLosses {
  readonly gatewayId: string;
  /** Raw loss the peer heard in each second of the sample's `lossesDb`, dB; null: not heard. */
  readonly lossesDb: readonly (number | null)[];
}

/** A peer's reference in the zone's pooled test, learned (config zone `peerEdges`). */
export interface LearnedPeerEdge {
  readonly gatewayId: string;
  /** The loss the peer's excess is measured against, after its offset, dB. */
  readonly edgeLossDb: number;
  /** When it last moved, epoch ms. */
  readonly steppedAt: number;
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
  /** The peers' references learned and run with; a peer absent runs the config's (the survey's, or the geometry). */
  readonly peerEdges?: readonly LearnedPeerEdge[];
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
  /**
   * The peers' references in the zone's pooled test as the config holds them now (the survey's
   * `peerEdges`, else the geometry's), dB, by gateway id: where a learned one starts from. A peer
   * not listed (it pools nothing into this zone) is not learned for.
   */
  readonly basePeerEdgesDb?: Readonly<Record<string, number>>;
  /** The RSSI offsets the engine runs the peers with, dB, by gateway id (0 when absent). */
  readonly peerOffsetsDb?: Readonly<Record<string, number>>;
}

const half = (x: number): number => Math.round(x * 2) / 2;

/**
 * One sample from the seconds heard of a member around an `inside` label, or why none: the raw
 * losses of the seconds in [`fromMs`, `toMs`] of the label, and, when the seconds in
 * [`approachFromMs`, `approachToMs`] are `approachRiseDb` weaker than those, the approach's losses
 * (the member walked in from outside). `seconds` may span more than both windows. `peers`: what
 * the store's other gateways heard of the member (their sightings over the store LAN), by gateway
 * id; each peer's loss is kept for the same seconds, null where it heard nothing.
 */
export function insideSample(
  seconds: readonly HeardSecond[],
  at: number,
  defaultMeasuredPowerDbm: number,
  options: InsideLearnerOptions = {},
  peers: Readonly<Record<string, readonly HeardSecond[]>> = {},
): { readonly ok: true; readonly sample: InsideSample } | { readonly ok: false; readonly reason: InsideRefusal } {
  const o = { ...INSIDE_LEARNER_DEFAULTS, ...options };
  const loss = (s: HeardSecond): number => half((s.measuredPowerDbm ?? defaultMeasuredPowerDbm) - s.rssiDbm);
  const inside = seconds.filter((s) => s.t >= at + o.fromMs && s.t <= at + o.toMs).slice(0, o.maxSecondsPerLabel);
  if (inside.length < o.minSeconds) return { ok: false, reason: "too-few-readings" };
  const lossesDb = inside.map(loss);
  const approach = seconds.filter((s) => s.t >= at + o.approachFromMs && s.t <= at + o.approachToMs).map(loss);
  const walkedIn = approach.length >= o.minSeconds && quantile(approach, 0.5) - quantile([...lossesDb], 0.5) >= o.approachRiseDb;
  // A peer's loss below 0 dB is a member nearer the peer than the 1 m its power is advertised at
  // (one standing at a till gateway): counted as at 1 m, so it does not refuse the own seconds'
  // sample (learnInside refuses losses out of range), and the sums keep the member near the peer.
  const peerLoss = (s: HeardSecond): number => Math.max(0, loss(s));
  const peerLosses: PeerLosses[] = [];
  for (const gatewayId of Object.keys(peers).sort()) {
    const bySecond = new Map((peers[gatewayId] ?? []).map((s) => [Math.floor(s.t / 1000) * 1000, peerLoss(s)]));
    const paired = inside.map((s) => bySecond.get(Math.floor(s.t / 1000) * 1000) ?? null);
    if (paired.some((l) => l !== null)) peerLosses.push({ gatewayId, lossesDb: paired });
  }
  return {
    ok: true,
    sample: {
      at,
      lossesDb,
      ...(walkedIn ? { approachLossesDb: approach.slice(0, o.maxSecondsPerLabel) } : {}),
      ...(peerLosses.length > 0 ? { peers: peerLosses } : {}),
    },
  };
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
  const outOfRange = (l: number | null): boolean => l !== null && (!Number.isFinite(l) || l < 0 || l > 200);
  if (
    sample.lossesDb.length === 0 ||
    sample.lossesDb.some(outOfRange) ||
    (sample.peers ?? []).some((p) => p.lossesDb.length !== sample.lossesDb.length || p.lossesDb.some(outOfRange))
  )
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
 * Each peer's reference in the pooled test the samples ask for now (point 6 of the header): the
 * `peerPercentile` of the sums of own and peer raw loss over the labelled seconds both heard, plus
 * `peerMarginDb`, less the raw edge loss the own target means, less the peer's offset; within the
 * edge loss's bounds. Only peers of `basePeerEdgesDb` (when given) and only once `minLabels` labels
 * carry seconds the peer heard; empty before the own target acts.
 */
export function peerTargets(
  state: InsideLearnerState,
  offsetDb: number,
  peerOffsetsDb: Readonly<Record<string, number>> = {},
  options: InsideLearnerOptions = {},
  basePeerEdgesDb?: Readonly<Record<string, number>>,
): readonly { readonly gatewayId: string; readonly edgeLossDb: number; readonly labels: number }[] {
  const o = { ...INSIDE_LEARNER_DEFAULTS, ...options };
  const own = insideTarget(state, offsetDb, o);
  if (own === null) return [];
  const ownRaw = own + offsetDb;
  const sums = new Map<string, { labels: number; sums: number[] }>();
  for (const sample of state.samples) {
    for (const peer of sample.peers ?? []) {
      if (basePeerEdgesDb !== undefined && basePeerEdgesDb[peer.gatewayId] === undefined) continue;
      const entry = sums.get(peer.gatewayId) ?? { labels: 0, sums: [] };
      let paired = 0;
      peer.lossesDb.forEach((l, i) => {
        const mine = sample.lossesDb[i];
        if (l === null || mine === undefined) return;
        entry.sums.push(mine + l);
        paired++;
      });
      if (paired > 0) entry.labels++;
      sums.set(peer.gatewayId, entry);
    }
  }
  const targets: { gatewayId: string; edgeLossDb: number; labels: number }[] = [];
  for (const [gatewayId, entry] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
    if (entry.labels < o.minLabels || entry.sums.length === 0) continue;
    const raw = quantile(entry.sums, o.peerPercentile) + o.peerMarginDb - ownRaw - (peerOffsetsDb[gatewayId] ?? 0);
    targets.push({ gatewayId, edgeLossDb: Math.max(o.minEdgeLossDb, Math.min(o.maxEdgeLossDb, half(raw))), labels: entry.labels });
  }
  return targets;
}

/** How far a learned value may move by `now` since `since`, dB, to 0.5 dB. */
function allowedStep(o: { readonly maxStepDbPerDay: number }, since: number, now: number): number {
  return Math.floor(((o.maxStepDbPerDay * Math.max(0, now - since)) / DAY_MS) * 2) / 2;
}

/**
 * Moves the learned edge loss towards {@link insideTarget}, and each peer's reference towards
 * {@link peerTargets}, at most `maxStepDbPerDay` per day since it last moved (since the
 * `minLabels`-th label, the first time). Call it again later (the gateway does, between labels) to
 * keep moving without new labels.
 */
export function stepInside(state: InsideLearnerState, context: InsideContext, options: InsideLearnerOptions = {}): InsideLearnerState {
  const o = { ...INSIDE_LEARNER_DEFAULTS, ...options };
  const target = insideTarget(state, context.offsetDb, o);
  // The first step counts from the label that made `minLabels`: days spent gathering them are not
  // days of moving, so the first move is a step too.
  const enough = state.samples[Math.max(0, o.minLabels - 1)];
  if (target === null || enough === undefined) return state;
  let next = state;
  const from = state.edgeLossDb ?? context.baseEdgeLossDb;
  const allowed = allowedStep(o, state.steppedAt ?? enough.at, context.now);
  if (target === from) {
    if (state.edgeLossDb === null) next = { ...state, edgeLossDb: from, steppedAt: context.now };
  } else if (allowed > 0) {
    const move = Math.max(-allowed, Math.min(allowed, target - from));
    next = { ...state, edgeLossDb: from + move, steppedAt: context.now };
  }
  if (context.basePeerEdgesDb === undefined) return next;
  return stepPeers(next, enough.at, context, o);
}

/** The peers' part of {@link stepInside}: each reference a step a day from the config's towards its target. */
function stepPeers(
  state: InsideLearnerState,
  enoughAt: number,
  context: InsideContext,
  o: InsideLearnerOptions & { readonly maxStepDbPerDay: number },
): InsideLearnerState {
  const base = context.basePeerEdgesDb ?? {};
  const learned = state.peerEdges ?? [];
  const targets = peerTargets(state, context.offsetDb, context.peerOffsetsDb, o, base);
  let changed = false;
  const peerEdges: LearnedPeerEdge[] = [];
  for (const t of targets) {
    const was = learned.find((p) => p.gatewayId === t.gatewayId);
    const from = was?.edgeLossDb ?? base[t.gatewayId] ?? t.edgeLossDb;
    // A peer counts its days from when it had `minLabels` labels: the label that made them, or the
    // own edge loss's first label, whichever is later.
    const heardBy = state.samples.filter((s) => (s.peers ?? []).some((p) => p.gatewayId === t.gatewayId && p.lossesDb.some((l) => l !== null)));
    const since = was?.steppedAt ?? Math.max(enoughAt, heardBy[(o.minLabels ?? INSIDE_LEARNER_DEFAULTS.minLabels) - 1]?.at ?? enoughAt);
    const allowed = allowedStep(o, since, context.now);
    if (was !== undefined && t.edgeLossDb === was.edgeLossDb) {
      peerEdges.push(was);
    } else if (was === undefined && t.edgeLossDb === from) {
      peerEdges.push({ gatewayId: t.gatewayId, edgeLossDb: from, steppedAt: context.now });
      changed = true;
    } else if (allowed > 0) {
      const move = Math.max(-allowed, Math.min(allowed, t.edgeLossDb - from));
      peerEdges.push({ gatewayId: t.gatewayId, edgeLossDb: from + move, steppedAt: context.now });
      changed = true;
    } else if (was !== undefined) {
      peerEdges.push(was);
    }
  }
  // A peer no longer pooled (gone from the config) is forgotten.
  if (peerEdges.length !== learned.length) changed = true;
  return changed ? { ...state, peerEdges } : state;
}

/** The edge loss to run the zone with: the learned one once it acts, else the config's (the survey's). */
export function runningEdgeLoss(state: InsideLearnerState, baseEdgeLossDb: number, surveyedAt: number | null): number {
  if (surveyedAt !== null && (state.since === null || state.since < surveyedAt)) return baseEdgeLossDb;
  return state.edgeLossDb ?? baseEdgeLossDb;
}

/**
 * The peers' references to run the zone's pooled test with, as `peerEdges` entries: the learned
 * ones once they act; empty while the config's (the survey's, or the geometry) run.
 */
export function runningPeerEdges(state: InsideLearnerState, surveyedAt: number | null): readonly { readonly gatewayId: string; readonly edgeLossDb: number }[] {
  if (surveyedAt !== null && (state.since === null || state.since < surveyedAt)) return [];
  return (state.peerEdges ?? []).map((p) => ({ gatewayId: p.gatewayId, edgeLossDb: p.edgeLossDb }));
}
