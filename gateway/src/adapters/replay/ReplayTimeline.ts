import { MinHeap } from "../../domain/collections/MinHeap.js";
import type { Advert } from "../../services/ports.js";

/** What a replay does next: feed an advert, or run the engine's clock to `t`. */
export type ReplayStep =
  | { readonly kind: "advert"; readonly advert: Advert }
  | { readonly kind: "tick"; readonly t: number };

export interface ReplayTimelineOptions {
  /**
   * Adverts are held this long (capture time, ms) so that a capture merged from several gateways,
   * slightly out of order, is fed in timestamp order. An advert older than one already fed is fed at
   * once and counted as late. Default 2000; 0 feeds in file order.
   */
  readonly reorderMs?: number;
  /** Tick period, ms; ticks fall on multiples of it (epoch-aligned, like a wall-clock timer). Default 1000. */
  readonly tickMs?: number;
  /**
   * Whether the engine holds nothing (no subject tracked). While it does, ticks over a silent stretch
   * of the capture (a shop closed overnight) are skipped: a tick on an empty engine changes nothing.
   */
  readonly idle?: () => boolean;
}

interface Held {
  readonly advert: Advert;
  /** Arrival order, breaks ties between equal timestamps so the order is the file's. */
  readonly order: number;
}

/**
 * The schedule of a replay, as fast as the data allows: adverts in timestamp order with a tick of
 * the engine at every whole `tickMs` of capture time in between, so away timeouts fire as they would
 * have live. Pure and deterministic: the same adverts in give the same steps out.
 *
 * A tick at time T runs before an advert stamped T. The replay ends at the last advert's timestamp:
 * {@link finish} ticks up to it and no further, so visits still open then get no exit (the data does
 * not show one; the cloud closes visits it never hears an exit for).
 */
export class ReplayTimeline {
  private readonly reorderMs: number;
  private readonly tickMs: number;
  private readonly idle: () => boolean;
  /** Held adverts, least first on (t, gateway, order). */
  private readonly heap = new MinHeap<Held>(before);
  private order = 0;
  private newestT = Number.NEGATIVE_INFINITY;
  /** Time of the last advert fed; a later arrival older than this is late. */
  private fedT = Number.NEGATIVE_INFINITY;
  private nextTickAt: number | null = null;
  private lastTickAt = Number.NEGATIVE_INFINITY;
  /** Adverts fed out of timestamp order because they arrived after the reorder window. */
  late = 0;

  constructor(options: ReplayTimelineOptions = {}) {
    this.reorderMs = Math.max(0, options.reorderMs ?? 2000);
    this.tickMs = Math.max(1, options.tickMs ?? 1000);
    this.idle = options.idle ?? (() => false);
  }

  /** Takes the next advert in file order; `run` receives the steps now due, in order. */
  push(advert: Advert, run: (step: ReplayStep) => void): void {
    if (advert.t < this.fedT) {
      this.late++;
      run({ kind: "advert", advert });
      return;
    }
    this.heap.push({ advert, order: this.order++ });
    if (advert.t > this.newestT) this.newestT = advert.t;
    this.release(this.newestT - this.reorderMs, run);
  }

  /** End of the capture: feeds what is held, ticking up to the last advert's time and no further. */
  finish(run: (step: ReplayStep) => void): void {
    this.release(Number.POSITIVE_INFINITY, run);
    if (Number.isFinite(this.fedT) && this.lastTickAt < this.fedT) this.tick(this.fedT, run);
  }

  private release(upTo: number, run: (step: ReplayStep) => void): void {
    for (;;) {
      const top = this.heap.peek();
      if (top === undefined || top.advert.t > upTo) return;
      this.heap.pop();
      const t = top.advert.t;
      this.ticksUpTo(t, run);
      this.fedT = t;
      run({ kind: "advert", advert: top.advert });
    }
  }

  private ticksUpTo(t: number, run: (step: ReplayStep) => void): void {
    if (this.nextTickAt === null) this.nextTickAt = Math.ceil(t / this.tickMs) * this.tickMs;
    if (this.nextTickAt <= t - this.tickMs && this.idle()) {
      // Nothing tracked: jump over the silent stretch to the last tick due before t.
      this.nextTickAt = Math.floor(t / this.tickMs) * this.tickMs;
    }
    while (this.nextTickAt <= t) {
      this.tick(this.nextTickAt, run);
      this.nextTickAt += this.tickMs;
    }
  }

  private tick(t: number, run: (step: ReplayStep) => void): void {
    this.lastTickAt = t;
    run({ kind: "tick", t });
  }
}

/**
 * Timestamp order; adverts of one instant by gateway id, then file order. The gateway tie-break is
 * the order the store LAN's live fusion feeds (SightingMerger): every gateway of a store hears an
 * advert at the same instant in a simulation, and which one the pooled engine reads first changes
 * what it decides, so a replay must not depend on how the capture was merged.
 */
function before(a: Held, b: Held): boolean {
  if (a.advert.t !== b.advert.t) return a.advert.t < b.advert.t;
  const ga = a.advert.gatewayId ?? "";
  const gb = b.advert.gatewayId ?? "";
  if (ga !== gb) return ga < gb;
  return a.order < b.order;
}
