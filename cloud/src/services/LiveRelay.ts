import type { Coordination } from "./Coordination.js";
import { asStored, type LiveEvent, type LiveFeed, type LiveOfferIssued, type LiveShopper } from "./LiveFeed.js";
import type { Logger, Scheduler, TimerHandle } from "./ports.js";

/**
 * One change of the live view, as workers share it. Short keys: a busy store shares several
 * hundred a second. Only what the view holds travels: an unlinked event without its user and
 * subject, an offer of an unconsenting shopper without its user.
 */
type Shared =
  | {
      readonly k: "e";
      readonly s: string;
      readonly z: string;
      readonly t: string;
      readonly i: string;
      readonly u: string | null;
      readonly a: string;
      readonly v: string;
      readonly n?: 1;
    }
  | {
      readonly k: "o";
      readonly o: string;
      readonly r: string;
      readonly u: string | null;
      readonly s: string;
      readonly z: string;
      readonly ti: string;
      readonly a: number;
      readonly c: boolean;
    }
  | { readonly k: "r"; readonly o: string; readonly s: string; readonly a: number }
  /** forget (erased), unlink (analytics consent withdrawn), relink (given again) */
  | { readonly k: "f" | "w" | "g"; readonly u: string };

export interface LiveRelayOptions {
  readonly feed: LiveFeed;
  readonly coordination: Pick<Coordination, "shared" | "maxBroadcastBytes" | "broadcast" | "onBroadcast">;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Changes within this window go to the other workers together (default 200 ms). */
  readonly flushMs?: number;
  /**
   * Changes held for sending at most; beyond it (the link is down or slower than the stores) the
   * newest are dropped and counted, as the view is volatile anyway (default 20 000).
   */
  readonly maxPending?: number;
}

/**
 * The live view across workers. Each worker's view is fed by what that worker handles (the events
 * it stored, the offers it issued and redeemed, the erasures and consent changes it processed);
 * with several workers behind a shared subscription and a load balancer, that is a share of each
 * store. The relay applies every change to its own worker's view at once and broadcasts it to the
 * others, which apply it to theirs, so a console connected to any worker sees the whole store.
 *
 * Changes go out in batches every `flushMs`, in the order they happened; an erasure or consent
 * withdrawal goes out at once, after what was pending, so another worker never names someone
 * longer than a round trip. A broadcast lost while a worker is disconnected leaves that worker's
 * view short of it, as a restart would: the view is not a record, the database is.
 */
export class LiveRelay {
  private readonly o: LiveRelayOptions;
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: TimerHandle | null = null;
  private sending: Promise<void> | null = null;
  private dropped = 0;
  private failing = false;
  private unsubscribe: (() => void) | null = null;

  constructor(options: LiveRelayOptions) {
    this.o = options;
  }

  start(): void {
    if (this.unsubscribe || !this.o.coordination.shared) return;
    this.unsubscribe = this.o.coordination.onBroadcast((payload) => this.received(payload));
  }

  /** Stops receiving and sends what is pending. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.flush();
  }

  /** Ingest hook: see `LiveFeed.eventsStored`. */
  eventsStored(events: readonly LiveEvent[]): void {
    this.o.feed.eventsStored(events);
    if (!this.o.coordination.shared) return;
    for (const event of events) {
      const e = asStored(event);
      this.share({
        k: "e",
        s: e.storeId,
        z: e.zoneId,
        t: e.type,
        i: e.subject.id,
        u: e.userId,
        a: e.at,
        v: e.visitId,
        ...(e.unlinked ? { n: 1 as const } : {}),
      });
    }
  }

  /** Offer hook: see `LiveFeed.offerIssued`. */
  offerIssued(offer: LiveOfferIssued, shopper: LiveShopper): void {
    this.o.feed.offerIssued(offer, shopper);
    const consent = shopper.analyticsConsent;
    this.share({
      k: "o",
      o: offer.offerId,
      r: offer.ruleId,
      u: consent ? offer.userId : null,
      s: offer.storeId,
      z: offer.zoneId,
      ti: offer.title,
      a: offer.issuedAt,
      c: consent,
    });
  }

  /** Redemption hook: see `LiveFeed.offerRedeemed`. */
  offerRedeemed(offer: { readonly offerId: string; readonly storeId: string }, at: number): void {
    this.o.feed.offerRedeemed(offer, at);
    this.share({ k: "r", o: offer.offerId, s: offer.storeId, a: at });
  }

  /** Erasure hook: see `LiveFeed.forgetUser`; the others are told at once. */
  forgetUser(userId: string): void {
    this.o.feed.forgetUser(userId);
    this.share({ k: "f", u: userId }, true);
  }

  /** Consent hook: see `LiveFeed.unlinkUser`; the others are told at once. */
  unlinkUser(userId: string): void {
    this.o.feed.unlinkUser(userId);
    this.share({ k: "w", u: userId }, true);
  }

  /** Consent hook: see `LiveFeed.relinkUser`. */
  relinkUser(userId: string): void {
    this.o.feed.relinkUser(userId);
    this.share({ k: "g", u: userId });
  }

  /** Sends what is pending now (also run by the flush timer); resolves once it is sent or given up. */
  async flush(): Promise<void> {
    if (this.timer) this.o.scheduler.clearTimeout(this.timer);
    this.timer = null;
    // One send at a time keeps the order; what arrives meanwhile goes in the next.
    while (this.sending) await this.sending;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const run = this.send(items).finally(() => {
      this.sending = null;
    });
    this.sending = run;
    await run;
  }

  private share(item: Shared, now = false): void {
    if (!this.o.coordination.shared) return;
    if (this.pending.length >= (this.o.maxPending ?? 20_000)) {
      if (this.dropped++ === 0) this.o.log.warn({ pending: this.pending.length }, "live view changes not shared with the other workers: too many pending");
      return;
    }
    const encoded = JSON.stringify(item);
    this.pending.push(encoded);
    this.pendingBytes += Buffer.byteLength(encoded) + 1;
    if (now || this.pendingBytes >= this.o.coordination.maxBroadcastBytes) void this.flush();
    else this.timer ??= this.o.scheduler.setTimeout(() => void this.flush(), this.o.flushMs ?? 200);
  }

  private async send(items: readonly string[]): Promise<void> {
    const { coordination, log } = this.o;
    for (const payload of chunks(items, coordination.maxBroadcastBytes)) {
      const sent = await coordination.broadcast(payload);
      // Logged when sharing stops and when it resumes, not at every batch in between.
      if (!sent && !this.failing) log.warn({}, "live view changes not shared with the other workers: no coordination link");
      if (sent && this.failing) log.info({}, "live view changes shared with the other workers again");
      this.failing = !sent;
    }
    if (this.dropped > 0 && !this.failing) {
      log.warn({ dropped: this.dropped }, "live view changes dropped while too many were pending");
      this.dropped = 0;
    }
  }

  private received(payload: string): void {
    let items: unknown;
    try {
      items = JSON.parse(payload);
    } catch {
      this.o.log.warn({ bytes: payload.length }, "unreadable live view changes from another worker");
      return;
    }
    if (!Array.isArray(items)) return;
    const events: LiveEvent[] = [];
    const { feed } = this.o;
    // Events are applied in runs, as the ingest hook does, and in order with the other changes.
    const flushEvents = () => {
      if (events.length > 0) feed.eventsStored(events.splice(0));
    };
    for (const item of items) {
      const change = parseShared(item);
      if (!change) {
        this.o.log.warn({ kind: (item as { k?: unknown } | null)?.k }, "unknown live view change from another worker");
        continue;
      }
      if (change.k === "e") {
        events.push({
          storeId: change.s,
          zoneId: change.z,
          type: change.t as LiveEvent["type"],
          subject: { id: change.i },
          userId: change.u,
          at: change.a,
          visitId: change.v,
          unlinked: change.n === 1,
        });
        continue;
      }
      flushEvents();
      switch (change.k) {
        case "o":
          feed.offerIssued(
            { offerId: change.o, ruleId: change.r, userId: change.u, storeId: change.s, zoneId: change.z, title: change.ti, issuedAt: change.a },
            { analyticsConsent: change.c },
          );
          break;
        case "r":
          feed.offerRedeemed({ offerId: change.o, storeId: change.s }, change.a);
          break;
        case "f":
          feed.forgetUser(change.u);
          break;
        case "w":
          feed.unlinkUser(change.u);
          break;
        case "g":
          feed.relinkUser(change.u);
          break;
      }
    }
    flushEvents();
  }
}

/** JSON arrays of the encoded items, each at most `maxBytes`; an item too large alone is left out. */
function* chunks(items: readonly string[], maxBytes: number): Generator<string> {
  let batch: string[] = [];
  let bytes = 2;
  for (const item of items) {
    const size = Buffer.byteLength(item) + 1;
    if (size + 2 > maxBytes) continue;
    if (bytes + size > maxBytes) {
      yield `[${batch.join(",")}]`;
      batch = [];
      bytes = 2;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) yield `[${batch.join(",")}]`;
}

const str = (v: unknown): v is string => typeof v === "string";
const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";

/** The change if `item` is one a worker sends, else null. */
function parseShared(item: unknown): Shared | null {
  if (typeof item !== "object" || item === null) return null;
  const c = item as Record<string, unknown>;
  switch (c.k) {
    case "e":
      return str(c.s) && str(c.z) && str(c.t) && str(c.i) && strOrNull(c.u) && str(c.a) && str(c.v) && (c.n === undefined || c.n === 1)
        ? (c as Shared)
        : null;
    case "o":
      return str(c.o) && str(c.r) && strOrNull(c.u) && str(c.s) && str(c.z) && str(c.ti) && num(c.a) && typeof c.c === "boolean"
        ? (c as Shared)
        : null;
    case "r":
      return str(c.o) && str(c.s) && num(c.a) ? (c as Shared) : null;
    case "f":
    case "w":
    case "g":
      return str(c.u) ? (c as Shared) : null;
    default:
      return null;
  }
}
