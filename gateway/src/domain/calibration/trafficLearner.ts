/**
 * Calibration from the passers-by a gateway hears all day: an outer bound on its zones' edge loss
 * learned from what the pavement sounds like through the shop front. Pure: readings and time in,
 * values out; no clock, no I/O. The reasoning (docs/architecture.md, "Calibration from evidence";
 * docs/benchmarks.md, "Passers-by heard all day"):
 *
 * 1. **Whose evidence.** A gateway near a street hears hundreds of passers-by an hour, each briefly:
 *    a track of a few tens of seconds. Shoppers are heard for minutes, staff and fixed beacons all
 *    day. So a track that ends within `maxTrackMs` of its start is, in most cases, someone outside
 *    the shop: the pavement (and the window) as heard through the glass, with the power spread of
 *    real phones in it. Subjects known to have been inside (a label; optionally an enter of the
 *    engine) are left out by the caller ({@link TrafficTracks.exclude}); shoppers who pop in for a
 *    few seconds are a minority the bound is chosen to stand (point 3).
 * 2. **A track's closest approach, as the engine would judge it.** Per second, the median loss of
 *    that second's adverts (the engine's enter test ranks one value per second); over the track,
 *    the lowest loss that `approachSeconds` of the seconds within any `approachWindowMs` reach: the
 *    edge loss at which this subject would have met a "k of the last n seconds" enter rule. Raw loss
 *    (advertised power at 1 m minus the RSSI as the radio reported it, before any offset), so it
 *    holds whatever offset runs later.
 * 3. **The bound.** The strong tail of the closest approaches of the tracks of the last
 *    `memoryDays`, less `marginDb`: a zone whose edge loss stays below it takes in about that share
 *    of the pavement's tracks, whatever the shop front, the shadowing at the door or the gateway's
 *    reading error. The tail is extrapolated from the middle (the median less `tailZ` robust
 *    deviations), which the few pop-in shoppers among the tracks, heard deep inside, hardly move;
 *    or read directly at `quantile`. Nothing is bounded before `minTracks` tracks.
 * 4. **Bounded memory, drift.** Tracks in progress: at most `maxSubjects`, each at most
 *    `maxTrackMs` of seconds (a longer one is known not to count and keeps none). Closed tracks:
 *    a histogram per day in `binDb` bins, at most `maxDays` days kept; the bound reads the last
 *    `memoryDays`, so a changed shop front (or a moved gateway) is followed within that many days.
 */

import type { Zone } from "../../../../protocol/index.js";

const DAY_MS = 86_400_000;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export interface TrafficLearnerOptions {
  /** A subject unheard this long has ended its track, ms. */
  readonly gapMs?: number;
  /** Longest track counted (first to last second heard), ms: longer ones are shoppers, staff, fixtures. */
  readonly maxTrackMs?: number;
  /** Fewest seconds heard for a track to count. */
  readonly minSeconds?: number;
  /** The closest approach: the lowest loss `approachSeconds` seconds within any `approachWindowMs` reach. */
  readonly approachSeconds?: number;
  readonly approachWindowMs?: number;
  /** Share of the pavement's tracks the bound may take in (0..1): their strong side. */
  readonly quantile?: number;
  /**
   * Instead of reading `quantile` off the tracks, extrapolate the strong tail from their middle:
   * the median less this many robust standard deviations ((median − lower quartile) / 0.674),
   * as for a normal spread (2.33: 1 %). A low quantile read directly takes the few deep tracks of
   * pop-in shoppers for pavement unless they are left out; the middle hardly moves. 0: off (the
   * default: the pavement's spread is not normal enough, see TRAFFIC_LEARNER_DEFAULTS).
   */
  readonly tailZ?: number;
  /** dB the bound stays short of that quantile. */
  readonly marginDb?: number;
  /** Fewest tracks (over `memoryDays`) before the bound acts. */
  readonly minTracks?: number;
  /** Days of tracks the bound reads: the (UTC) days the last this many × 24 h touch. */
  readonly memoryDays?: number;
  /** Day histograms kept (for the report's history). */
  readonly maxDays?: number;
  /** Tracks in progress kept at most (the least recently heard goes first). */
  readonly maxSubjects?: number;
  /** Width of the histogram's bins, dB. */
  readonly binDb?: number;
}

/**
 * The closest approach follows the engine's own enter rule (5 of 10 s); tracks of at most 90 s (a
 * passer-by is heard for 20-70 s at 1-4 m from the glass, a browsing shopper for minutes). The
 * bound, the strong tenth of the tracks less 3 dB with the engine's entered subjects left out by the
 * caller, was chosen on the simulator's tuning seeds 11-15 only (scripts/bench/presence.ts
 * `--traffic`, docs/benchmarks.md "Passers-by heard all day"): of the rules tried it took out the
 * most passers-by without costing a shopper on any seed. The tail extrapolated from the middle
 * (`tailZ` 2.33, no margin, nobody left out) did better there, but on fresh seeds it cut two shops'
 * zones to 18-20 dB and lost a sixth of their shoppers.
 */
export const TRAFFIC_LEARNER_DEFAULTS = Object.freeze({
  gapMs: 20_000,
  maxTrackMs: 90_000,
  minSeconds: 5,
  approachSeconds: 5,
  approachWindowMs: 10_000,
  quantile: 0.1,
  tailZ: 0,
  marginDb: 3,
  minTracks: 100,
  memoryDays: 7,
  maxDays: 28,
  maxSubjects: 2000,
  binDb: 0.5,
});

type Resolved = Required<TrafficLearnerOptions>;

const resolve = (options: TrafficLearnerOptions): Resolved => ({ ...TRAFFIC_LEARNER_DEFAULTS, ...options });

/** One closed track that counted: when it ended and its closest approach, raw loss, dB. */
export interface TrackApproach {
  readonly subjectId: string;
  readonly at: number;
  readonly lossDb: number;
}

interface OpenTrack {
  readonly firstT: number;
  lastT: number;
  /** Too long, or excluded: it will not count, and keeps no seconds. */
  dropped: boolean;
  /** Start of the second being gathered, and its losses. */
  second: number;
  pending: number[];
  /** Finished seconds: start, median loss. */
  readonly seconds: { t: number; lossDb: number }[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  // The upper middle of the losses is the lower middle of the RSSI, as the engine's per-second value.
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * The closest approach of a track's seconds (oldest first): the lowest loss that `k` of the seconds
 * within any `windowMs` reach, or null when no window holds `k` seconds.
 */
export function closestApproachDb(seconds: readonly { readonly t: number; readonly lossDb: number }[], k: number, windowMs: number): number | null {
  let best: number | null = null;
  for (let i = 0; i < seconds.length; i++) {
    const start = seconds[i]?.t ?? 0;
    const inWindow: number[] = [];
    for (let j = i; j < seconds.length; j++) {
      const s = seconds[j];
      if (s === undefined || s.t >= start + windowMs) break;
      inWindow.push(s.lossDb);
    }
    if (inWindow.length < k) continue;
    inWindow.sort((a, b) => a - b);
    const level = inWindow[k - 1] ?? Number.POSITIVE_INFINITY;
    if (best === null || level < best) best = level;
  }
  return best;
}

/**
 * The tracks in progress of one gateway's radio: what it heard of each subject, second by second,
 * until the subject has been unheard for `gapMs`; then the track's closest approach if it counts.
 */
export class TrafficTracks {
  private readonly o: Resolved;
  /** Insertion order is recency order: a subject heard again is moved to the end. */
  private readonly open = new Map<string, OpenTrack>();
  private readonly excluded = new Set<string>();

  constructor(options: TrafficLearnerOptions = {}) {
    this.o = resolve(options);
  }

  get size(): number {
    return this.open.size;
  }

  /**
   * One reading (raw RSSI, before any offset) of `subjectId` at `t`, epoch ms. Returns the approach
   * of the subject's previous track when this reading starts a new one and that track counted.
   */
  heard(subjectId: string, t: number, rssiDbm: number, measuredPowerDbm: number): TrackApproach | null {
    if (!Number.isFinite(t) || !Number.isFinite(rssiDbm) || !Number.isFinite(measuredPowerDbm)) return null;
    const lossDb = measuredPowerDbm - rssiDbm;
    const second = Math.floor(t / 1000) * 1000;
    let track = this.open.get(subjectId);
    let ended: TrackApproach | null = null;
    if (track !== undefined && t - track.lastT > this.o.gapMs) {
      ended = this.finish(subjectId, track);
      track = undefined;
    }
    if (track === undefined) {
      track = { firstT: t, lastT: t, dropped: this.excluded.has(subjectId), second, pending: [], seconds: [] };
    } else {
      this.open.delete(subjectId);
    }
    this.open.set(subjectId, track);
    // Before any early return: a dropped track (an excluded subject's, a long one's) is held too.
    while (this.open.size > this.o.maxSubjects) {
      const first = this.open.keys().next();
      if (first.done === true) break;
      this.open.delete(first.value);
    }
    // Readings out of order within the gap join the second being gathered or are dropped.
    if (t > track.lastT) track.lastT = t;
    if (track.dropped) return ended;
    if (track.lastT - track.firstT > this.o.maxTrackMs) {
      track.dropped = true;
      track.pending = [];
      track.seconds.length = 0;
      return ended;
    }
    if (second > track.second) {
      if (track.pending.length > 0) track.seconds.push({ t: track.second, lossDb: median(track.pending) });
      track.second = second;
      track.pending = [];
    }
    if (second === track.second && track.pending.length < 64) track.pending.push(lossDb);
    return ended;
  }

  /** Leaves `subjectId` out from now on (known inside: a label, an enter); its open track too. */
  exclude(subjectId: string): void {
    this.excluded.add(subjectId);
    const track = this.open.get(subjectId);
    if (track !== undefined) {
      track.dropped = true;
      track.seconds.length = 0;
      track.pending = [];
    }
    // Bounded like the tracks: the oldest exclusions go first.
    if (this.excluded.size > 4 * this.o.maxSubjects) {
      const first = this.excluded.values().next();
      if (first.done !== true) this.excluded.delete(first.value);
    }
  }

  /** Ends the tracks unheard for `gapMs` at `now` (epoch ms); returns those that counted. */
  close(now: number): TrackApproach[] {
    const out: TrackApproach[] = [];
    for (const [subjectId, track] of this.open) {
      if (now - track.lastT <= this.o.gapMs) continue;
      const a = this.finish(subjectId, track);
      if (a !== null) out.push(a);
    }
    return out;
  }

  private finish(subjectId: string, track: OpenTrack): TrackApproach | null {
    this.open.delete(subjectId);
    if (track.dropped) return null;
    if (track.pending.length > 0) track.seconds.push({ t: track.second, lossDb: median(track.pending) });
    if (track.seconds.length < this.o.minSeconds) return null;
    const lossDb = closestApproachDb(track.seconds, this.o.approachSeconds, this.o.approachWindowMs);
    return lossDb === null ? null : { subjectId, at: track.lastT, lossDb };
  }
}

/** One day's closest approaches: bins of `binDb` (their lower edge, dB) and the tracks in each. */
export interface TrafficDay {
  readonly dayStart: number;
  readonly bins: readonly (readonly [lossDb: number, tracks: number])[];
}

export interface TrafficLearnerState {
  readonly v: 1;
  /** Oldest first. */
  readonly days: readonly TrafficDay[];
}

export const EMPTY_TRAFFIC_LEARNER: TrafficLearnerState = Object.freeze({ v: 1, days: [] });

/** Counts one track's closest approach into its day's histogram. */
export function learnTraffic(state: TrafficLearnerState, approach: { readonly at: number; readonly lossDb: number }, options: TrafficLearnerOptions = {}): TrafficLearnerState {
  const o = resolve(options);
  if (!Number.isFinite(approach.lossDb) || approach.lossDb < 0 || approach.lossDb > 200) return state;
  const dayStart = Math.floor(approach.at / DAY_MS) * DAY_MS;
  const bin = Math.floor(approach.lossDb / o.binDb) * o.binDb;
  const day = state.days.find((d) => d.dayStart === dayStart);
  const bins = new Map(day?.bins ?? []);
  bins.set(bin, (bins.get(bin) ?? 0) + 1);
  const next: TrafficDay = { dayStart, bins: [...bins].sort((a, b) => a[0] - b[0]) };
  const days = [...state.days.filter((d) => d.dayStart !== dayStart), next].sort((a, b) => a.dayStart - b.dayStart).slice(-o.maxDays);
  return { v: 1, days };
}

export interface TrafficBound {
  /** Tracks read (over `memoryDays`). */
  readonly tracks: number;
  /** The `quantile` of their closest approaches, raw loss, dB. */
  readonly quantileDb: number;
  /** The highest raw edge loss the pavement allows: `quantileDb` less the margin, dB; null below `minTracks`. */
  readonly boundDb: number | null;
}

/**
 * The nearest-rank `q` quantile (as domain/survey/siteSurvey.ts `quantile`) of `total` values given as
 * `[value, count]` pairs sorted by value.
 */
export function histogramQuantile(bins: readonly (readonly [number, number])[], total: number, q: number): number {
  const rank = Math.min(total - 1, Math.max(0, Math.ceil(q * total) - 1));
  let seen = 0;
  for (const [value, n] of bins) {
    seen += n;
    if (seen > rank) return value;
  }
  return Number.NaN;
}

/** What the tracks of the days the last `memoryDays` × 24 h before `now` touch say, or null when there are none. */
export function trafficBound(state: TrafficLearnerState, now: number, options: TrafficLearnerOptions = {}): TrafficBound | null {
  const o = resolve(options);
  // The (UTC) days the last `memoryDays` × 24 h touch, not the last `memoryDays` calendar days:
  // those drop a whole day at midnight UTC (a shop's afternoon in the Americas), and with
  // `memoryDays` 1 left only the tracks since midnight, below `minTracks`, every day.
  const from = Math.floor((now - o.memoryDays * DAY_MS) / DAY_MS) * DAY_MS;
  const counts = new Map<number, number>();
  for (const d of state.days) {
    if (d.dayStart < from || d.dayStart > now) continue;
    for (const [lossDb, n] of d.bins) counts.set(lossDb, (counts.get(lossDb) ?? 0) + n);
  }
  // Each bin stands for its middle. Read off the histogram, never spread into one value per track:
  // a week of a busy street is tens of thousands, read every few seconds, and a state file's count
  // is only as small as the file says.
  const bins = [...counts].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const tracks = bins.reduce((sum, [, n]) => sum + n, 0);
  if (tracks === 0) return null;
  const at = (p: number): number => histogramQuantile(bins, tracks, p) + o.binDb / 2;
  // An extrapolated tail can fall below 0 dB (a wide spread, or a few tracks far apart), and a
  // track at 200 dB reads as its bin's middle above it: no loss lies outside 0-200, and the status's
  // schema refuses one that does (a cloud would then refuse the whole status).
  const q = clamp(
    o.tailZ > 0
      ? at(0.5) - (o.tailZ * (at(0.5) - at(0.25))) / 0.6745
      : at(o.quantile),
    0,
    200,
  );
  return { tracks, quantileDb: q, boundDb: tracks < o.minTracks ? null : Math.round((q - o.marginDb) * 2) / 2 };
}

/**
 * `zones` with each `gateway-radius` zone's edge loss bounded by its gateway's traffic bound:
 * `boundDbOf(gatewayId)` gives that gateway's bound in the engine's terms (raw bound less the offset
 * it runs with), or null when it has none. A zone without `edgeLossDb` is judged at its drawn
 * radius under `pathLossExponent`, and gets an `edgeLossDb` only when the bound narrows it.
 */
export function boundZones(zones: readonly Zone[], pathLossExponent: number, boundDbOf: (gatewayId: string) => number | null): Zone[] {
  return zones.map((z) => {
    if (z.shape !== "gateway-radius") return z;
    const bound = boundDbOf(z.gatewayId);
    if (bound === null) return z;
    const edge = z.edgeLossDb ?? 10 * pathLossExponent * Math.log10(z.radiusM);
    return bound < edge ? { ...z, edgeLossDb: Math.max(0.5, bound) } : z;
  });
}
