import type { Sighting } from "./types.js";
import { MinHeap } from "../collections/MinHeap.js";

/** What the pooled engine does next: take one sighting, or run its clock to `t`. */
export type MergedStep =
  | { readonly kind: "sighting"; readonly sighting: Sighting }
  | { readonly kind: "tick"; readonly t: number };

/** Why {@link SightingMerger.offer} did not hold a sighting. */
export type MergeRefusal = "late" | "ahead" | "full" | "invalid";

export interface SightingMergerOptions {
  /**
   * How long a sighting is held for the sightings of other gateways with the same or an earlier time
   * to arrive, ms: the watermark is `now - latenessMs`. A sighting older than the watermark when it
   * arrives is refused as late. Default 1500.
   */
  readonly latenessMs?: number;
  /** Engine ticks fall on whole multiples of this, ms (epoch-aligned, as in a replay). Default 1000. */
  readonly tickMs?: number;
  /** A sighting dated more than this after `now` is refused (a peer's clock runs ahead), ms. Default 10 000. */
  readonly maxAheadMs?: number;
  /** Sightings held at most; beyond, new ones are refused as full. Default 100 000. */
  readonly maxHeld?: number;
}

export interface SightingMergerCounters {
  /** Sightings handed out, in order. */
  released: number;
  late: number;
  ahead: number;
  full: number;
  invalid: number;
}

export const SIGHTING_MERGER_DEFAULTS = Object.freeze({
  latenessMs: 1500,
  tickMs: 1000,
  maxAheadMs: 10_000,
  maxHeld: 100_000,
});

/**
 * The one order in which every gateway of a store feeds its pooled engine: its own sightings and its
 * peers', held until the watermark (`now - latenessMs`) passes them, then released sorted by
 * (time, gateway, subject, RSSI, advertised power), with an engine tick at every whole `tickMs` of
 * that time in between, a tick at T before a sighting at T, as {@link ReplayTimeline} does for a
 * merged capture. The order depends only on the sightings, not on when or in which order they
 * arrived, so gateways that receive the same sightings within the allowance make the same engine
 * calls, hence the same decisions, and the same as a replay of the merged capture.
 *
 * The past is never reordered: a sighting at or before the last watermark is refused as late and
 * counted, as is one from a clock far ahead. Pure: time is the `now` passed in.
 */
export class SightingMerger {
  readonly counters: SightingMergerCounters = { released: 0, late: 0, ahead: 0, full: 0, invalid: 0 };
  private readonly latenessMs: number;
  private readonly tickMs: number;
  private readonly maxAheadMs: number;
  private readonly maxHeld: number;
  /** Held sightings, least first in release order. */
  private readonly heap = new MinHeap<Sighting>((a, b) => compareSightings(a, b) < 0);
  /** Everything at or before this was released; later arrivals there are late. */
  private releasedUpTo = Number.NEGATIVE_INFINITY;
  private nextTickAt: number | null = null;

  constructor(options: SightingMergerOptions = {}) {
    const d = SIGHTING_MERGER_DEFAULTS;
    this.latenessMs = Math.max(0, options.latenessMs ?? d.latenessMs);
    this.tickMs = Math.max(1, options.tickMs ?? d.tickMs);
    this.maxAheadMs = Math.max(0, options.maxAheadMs ?? d.maxAheadMs);
    this.maxHeld = Math.max(1, options.maxHeld ?? d.maxHeld);
  }

  /** Sightings waiting for the watermark. */
  get held(): number {
    return this.heap.size;
  }

  /** The time up to which everything was released, epoch ms; -Infinity before the first release. */
  get watermark(): number {
    return this.releasedUpTo;
  }

  /** Takes one sighting (own or a peer's) as of `now`; null when held, else why it was refused. */
  offer(s: Sighting, now: number): MergeRefusal | null {
    let refusal: MergeRefusal | null = null;
    if (!Number.isFinite(s.t) || !Number.isFinite(s.rssiDbm)) refusal = "invalid";
    else if (s.t <= this.releasedUpTo) refusal = "late";
    else if (s.t > now + this.maxAheadMs) refusal = "ahead";
    else if (this.heap.size >= this.maxHeld) refusal = "full";
    if (refusal !== null) {
      this.counters[refusal]++;
      return refusal;
    }
    this.heap.push(s);
    return null;
  }

  /** Releases, in order, every sighting and tick up to the watermark `now - latenessMs`. */
  release(now: number): MergedStep[] {
    const steps: MergedStep[] = [];
    const upTo = now - this.latenessMs;
    if (!Number.isFinite(upTo) || upTo <= this.releasedUpTo) return steps;
    for (;;) {
      const top = this.heap.peek();
      if (top === undefined || top.t > upTo) break;
      this.heap.pop();
      this.ticksUpTo(top.t, steps);
      steps.push({ kind: "sighting", sighting: top });
      this.counters.released++;
    }
    this.ticksUpTo(upTo, steps);
    this.releasedUpTo = upTo;
    return steps;
  }

  private ticksUpTo(t: number, steps: MergedStep[]): void {
    if (this.nextTickAt === null) this.nextTickAt = Math.ceil(t / this.tickMs) * this.tickMs;
    while (this.nextTickAt <= t) {
      steps.push({ kind: "tick", t: this.nextTickAt });
      this.nextTickAt += this.tickMs;
    }
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The release order: time, then gateway id, subject id, RSSI and advertised power, so two sightings
 * compare equal only when they are the same in everything the engine reads.
 */
export function compareSightings(a: Sighting, b: Sighting): number {
  return (
    a.t - b.t ||
    cmp(a.gatewayId, b.gatewayId) ||
    cmp(a.subject.id, b.subject.id) ||
    a.rssiDbm - b.rssiDbm ||
    (a.measuredPowerDbm ?? 0) - (b.measuredPowerDbm ?? 0)
  );
}
