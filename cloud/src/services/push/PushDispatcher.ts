import type { Offer } from "../../domain/offers/index.js";
import { type BackoffPolicy, quietHoursEnd, retryDelayMs } from "../../domain/push/index.js";
import type { Metrics } from "../Metrics.js";
import type { Clock, Logger, Scheduler, TimerHandle } from "../ports.js";
import type {
  DeliveryRepository,
  DirectoryRepository,
  NewPushOutboxItem,
  PushOutboxItem,
  PushProvider,
  PushRegistration,
  PushRegistrationRepository,
} from "../repositories.js";
import type { PushMessage, PushSender, PushSendResult } from "./PushSender.js";

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [value]);
    else group.push(value);
  }
  return groups;
}

/** Most freshly queued items held in memory for the next refill; beyond, they are read back. */
const MAX_FRESH = 10_000;

/** How long a store or policy read is reused by later attempts, ms. */
const CACHE_MS = 1000;

/** An item just stored, with the registration it was made for. */
interface FreshItem {
  readonly item: PushOutboxItem;
  readonly registration: PushRegistration;
}

/**
 * The push outbox rows of the offers one decision group may issue (`PushDispatcher.prepare`), from
 * the registrations read before its transaction.
 */
export interface PushPlan {
  /** The rows of `offer`, issued at a store of `orgId` (none: its member has no installation). */
  itemsOf(offer: Offer, orgId: string): NewPushOutboxItem[];
  /** After the commit: the offers whose rows were stored with them, to be sent without a read back. */
  stored(offers: readonly Offer[]): void;
}

/** Counters of the outbox since start, for metrics and tests. */
export interface PushCounters {
  queued: number;
  sent: number;
  retried: number;
  deferred: number;
  dropped: number;
  dead: number;
  /** Registrations removed because the push service said they are gone. */
  removed: number;
}

export interface PushDispatcherOptions {
  readonly registrations: PushRegistrationRepository;
  readonly delivery: DeliveryRepository;
  /** The store's timezone (quiet hours are local) and organisation (its policy). */
  readonly stores: Pick<DirectoryRepository, "getStore">;
  /** One sender per configured provider; a registration of another provider is dropped. */
  readonly senders: readonly PushSender[];
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** A fresh outbox item id. */
  readonly newId: () => string;
  /** 0..1 per call, to spread retries (tests pass a constant). */
  readonly jitter: () => number;
  /** Default frequency cap when the organisation's policy sets none, minutes (0: none). */
  readonly frequencyCapMinutes: number;
  /** Attempts before an item is dead-lettered. */
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  /** How often due items are looked for, ms (new items are sent at once). */
  readonly pollIntervalMs: number;
  /** Attempts in flight at once, the window refilled as they finish (default 64). */
  readonly batchSize?: number;
  /** Told each notification the push service accepted (the webhook stream's delivery receipt); must not throw. */
  readonly onSent?: (sent: { offerId: string; userId: string; storeId: string }) => void;
}

/** The outbox's counters as Prometheus families (read at scrape time); labels from a closed set. */
export function pushMetrics(metrics: Metrics, push: Pick<PushDispatcher, "counters">): void {
  metrics.collected(
    {
      name: "arrival_push_notifications_total",
      help: "Push notification attempts by outcome: queued, sent, retried, deferred (quiet hours), dropped, dead (dead-lettered).",
      labelNames: ["outcome"],
      type: "counter",
    },
    () =>
      (["queued", "sent", "retried", "deferred", "dropped", "dead"] as const).map((outcome) => ({
        labels: { outcome },
        value: push.counters[outcome],
      })),
  );
  metrics.collected(
    {
      name: "arrival_push_registrations_removed_total",
      help: "Push registrations removed because the push service said they are gone.",
      type: "counter",
    },
    () => [{ value: push.counters.removed }],
  );
}

/**
 * The push side of offer delivery: a durable outbox in front of the OS push services.
 *
 * An issued offer becomes one outbox row per installation of its member, written before any
 * attempt, so a crash or restart loses nothing: `start` resumes whatever is pending. Each attempt
 * applies the delivery policies first: an expired offer is dropped; in the store's quiet hours the
 * item waits for their end (or is dropped if the offer will have expired); the frequency cap lets one
 * offer per member through per window across channels (the MQTT publish claims it too). Failures
 * are retried with exponential backoff (or the service's Retry-After) up to `maxAttempts`, then
 * dead-lettered, to be inspected and replayed through the API. A registration the service says is
 * gone is removed. Delivery is at least once; the collapse key makes a repeat replace the earlier
 * notification on the device.
 */
export class PushDispatcher {
  readonly counters: PushCounters = { queued: 0, sent: 0, retried: 0, deferred: 0, dropped: 0, dead: 0, removed: 0 };
  private readonly o: PushDispatcherOptions;
  private readonly senders: ReadonlyMap<PushProvider, PushSender>;
  private interval: TimerHandle | null = null;
  private kick: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** Wakes the running pass's loop: an attempt finished, or items were queued. */
  private nudge: (() => void) | null = null;
  private stopping = false;
  /**
   * Items just stored by `offersIssued` or a decision group (`prepare`), with their registrations:
   * the next refill takes them from here instead of reading them back (two reads less between an
   * offer and its push request; on one SQLite connection each waits behind the ingest's commits). They are in storage too, so nothing
   * depends on this queue: a restart reads them from there.
   */
  private fresh: FreshItem[] = [];
  private freshHead = 0;
  private started = false;
  /** Stores and policies read for the attempts of the last second (see `passCache`). */
  private readonly cache = new Map<string, Promise<unknown>>();
  private cacheAt = Number.NEGATIVE_INFINITY;

  constructor(options: PushDispatcherOptions) {
    this.o = options;
    this.senders = new Map(options.senders.map((s) => [s.provider, s]));
  }

  /** Providers with a sender: registrations for others are refused. */
  get providers(): readonly PushProvider[] {
    return [...this.senders.keys()];
  }

  /** Resumes the pending outbox and polls it. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.interval = this.o.scheduler.setInterval(() => this.wake(), this.o.pollIntervalMs);
    this.wake();
  }

  /** Stops polling and waits for the attempts in flight; pending items stay for the next start. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.interval !== null) this.o.scheduler.clearInterval(this.interval);
    if (this.kick !== null) this.o.scheduler.clearTimeout(this.kick);
    this.interval = null;
    this.kick = null;
    // The pass in progress finishes its attempts in flight and takes no more: under a steady
    // stream of offers it would otherwise never end.
    this.stopping = true;
    this.nudge?.();
    try {
      await this.running;
    } finally {
      this.stopping = false;
    }
    // Left in storage for the next start.
    this.fresh = [];
    this.freshHead = 0;
    for (const sender of this.senders.values()) await sender.close?.();
  }

  /**
   * Queues a notification of each offer to every installation of its member. Resolves once the
   * rows are stored (durable); sending happens on the next pass, started at once. For offers stored
   * some time before (a redelivery, a claimed coupon); a decision group stores its offers' rows in
   * its own transaction instead (`prepare`).
   */
  async offersIssued(offers: readonly Offer[]): Promise<void> {
    const now = this.o.clock.now();
    const live = offers.filter((o) => o.expiresAt > now);
    if (live.length === 0) return;
    // One read of the members' registrations and one per store, not one each per offer, all asked
    // for at once: on one connection they then run back to back, not each behind another commit.
    const stores = new Map<string, Promise<Awaited<ReturnType<PushDispatcherOptions["stores"]["getStore"]>>>>();
    for (const offer of live) if (!stores.has(offer.storeId)) stores.set(offer.storeId, this.o.stores.getStore(offer.storeId));
    const reading = this.o.registrations.pushRegistrationsOf(live.map((o) => o.userId));
    await Promise.all([reading, ...stores.values()]);
    const byUser = groupBy(await reading, (r) => r.userId);
    const items: FreshItem[] = [];
    for (const offer of live) {
      const orgId = (await stores.get(offer.storeId))?.orgId;
      if (orgId !== undefined) items.push(...this.itemsOf(offer, orgId, byUser.get(offer.userId), now));
    }
    if (items.length === 0) return;
    const added = await this.o.delivery.enqueuePush(
      items.map(({ item }) => item),
      now,
    );
    this.queued(items, added);
  }

  /**
   * The push side of a decision group, whose transaction stores the rows of the offers it issues
   * (`DecisionGroup.pushItems`), so an issued offer is never committed without them. Reads the
   * registrations of the members who may be issued an offer (`userIds`) now, before the group's
   * transaction (outside it, so the transaction stays as short as it was): an installation
   * registered after this read gets no row for this group's offers, as one registered just after
   * the offers' commit got none when the rows were queued after it; one removed after the read is
   * still tried once, with the registration read (as any item sent from the fresh queue is), unless
   * the item is read back first (a restart). After the commit, `stored` hands the stored items to
   * the sender as `offersIssued` does, so they are sent without being read back; every row is new
   * there (its offer is), so all count as queued.
   */
  async prepare(userIds: readonly string[]): Promise<PushPlan> {
    const members = [...new Set(userIds)];
    const byUser = groupBy(members.length === 0 ? [] : await this.o.registrations.pushRegistrationsOf(members), (r) => r.userId);
    // The items of each offer asked for, by offer id: a transaction run again asks for other offers.
    const built = new Map<string, FreshItem[]>();
    return {
      itemsOf: (offer, orgId) => {
        const items = this.itemsOf(offer, orgId, byUser.get(offer.userId), this.o.clock.now());
        built.set(offer.offerId, items);
        return items.map(({ item }) => item);
      },
      stored: (offers) => {
        const items = offers.flatMap((o) => built.get(o.offerId) ?? []);
        built.clear();
        if (items.length > 0) this.queued(items, items.length);
      },
    };
  }

  /** The outbox items of one offer, one per installation of its member (none once it has expired). */
  private itemsOf(offer: Offer, orgId: string, registrations: readonly PushRegistration[] | undefined, now: number): FreshItem[] {
    if (registrations === undefined || offer.expiresAt <= now) return [];
    return registrations.map((registration) => ({
      item: {
        id: this.o.newId(),
        offerId: offer.offerId,
        userId: offer.userId,
        installationId: registration.installationId,
        orgId,
        storeId: offer.storeId,
        title: offer.title,
        expiresAt: offer.expiresAt,
        nextAttemptAt: now,
        status: "pending",
        attempts: 0,
        lastError: null,
        createdAt: now,
        updatedAt: now,
      },
      registration,
    }));
  }

  /** Counts stored items (`added` of them new) and hands them to the next refill. */
  private queued(items: readonly FreshItem[], added: number): void {
    this.counters.queued += added;
    // Only when every row is new: a row the outbox held already (a redelivery) has another id, and
    // is read back with it.
    if (added === items.length && this.fresh.length - this.freshHead + items.length <= MAX_FRESH) this.fresh.push(...items);
    this.soon();
  }

  /** Up to `limit` freshly queued items not already taken in this pass. */
  private takeFresh(limit: number, taken: ReadonlySet<string>): FreshItem[] {
    const out: FreshItem[] = [];
    while (out.length < limit && this.freshHead < this.fresh.length) {
      const next = this.fresh[this.freshHead++];
      if (next !== undefined && !taken.has(next.item.id)) out.push(next);
    }
    if (this.freshHead >= this.fresh.length) {
      this.fresh = [];
      this.freshHead = 0;
    }
    return out;
  }

  /** Looks for due items on the next turn (new or replayed ones) instead of at the next poll. */
  soon(): void {
    if (!this.started || this.kick !== null) return;
    this.kick = this.o.scheduler.setTimeout(() => {
      this.kick = null;
      this.wake();
    }, 0);
  }

  /**
   * Runs passes until nothing is due now (at most `maxPasses`, so items that storage keeps failing
   * on cannot hold it forever); tests and tools call it directly.
   */
  async drain(maxPasses = 100): Promise<void> {
    for (let pass = 0; pass < maxPasses; pass++) {
      this.again = false;
      await (this.running ?? this.runPass());
      if (this.again) continue;
      // A pass already running when the caller queued may have read the outbox before that.
      const next = await this.o.delivery.nextPushDueAt();
      if (next === null || next > this.o.clock.now()) return;
    }
  }

  private wake(): void {
    if (this.running !== null) {
      // The running pass takes the new items as soon as its window has room, without waiting
      // for one of its attempts to finish (a slow push service can take its whole timeout).
      this.again = true;
      this.nudge?.();
      return;
    }
    void this.runPass();
  }

  /**
   * One pass: every item due when it is read is attempted, with up to `batchSize` attempts in
   * flight at any moment. The window is refilled as attempts finish, not batch after batch: a batch
   * waits for its slowest request, so the sender's commits and encryption would alternate with the
   * push service's work instead of overlapping it (measured: about half the sender's time idle).
   * Items queued during the pass (`wake`) join it, so under a steady stream one pass keeps going.
   */
  private runPass(): Promise<void> {
    const pass = (async () => {
      const window = Math.max(1, this.o.batchSize ?? 64);
      // Items read and still pending in storage: in flight, or their attempt failed in storage.
      // Those are tried once per pass (or they would be read and tried without end) and read past,
      // so they do not hold up the items behind them.
      const unsettled = new Set<string>();
      const inFlight = new Set<Promise<void>>();
      try {
        let more = true;
        for (;;) {
          const queued = this.again;
          if (queued) {
            this.again = false;
            more = true;
          }
          if (this.stopping) more = false;
          // Refilled at half the window, so one read brings many items rather than one each;
          // newly queued items go at once if there is room.
          if (more && inFlight.size <= (queued ? window - 1 : window / 2)) {
            const now = this.o.clock.now();
            if (now - this.cacheAt >= CACHE_MS || now < this.cacheAt) {
              this.cache.clear();
              this.cacheAt = now;
            }
            const start = (item: PushOutboxItem, registration: PushRegistration | null) => {
              const attempt: Promise<void> = this.attempt(item, registration).then((settled) => {
                if (settled) unsettled.delete(item.id);
                inFlight.delete(attempt);
                this.nudge?.();
              });
              inFlight.add(attempt);
            };
            // Freshly queued items go first, before any read.
            const room = window - inFlight.size;
            const fresh = this.takeFresh(room, unsettled);
            for (const { item, registration } of fresh) {
              unsettled.add(item.id);
              start(item, registration);
            }
            more = fresh.length === room;
            if (fresh.length < room) {
              const need = room - fresh.length;
              const due = (await this.o.delivery.duePush(now, need + unsettled.size)).filter((i) => !unsettled.has(i.id)).slice(0, need);
              more = due.length === need;
              for (const item of due) unsettled.add(item.id);
              // The items' registrations in one read; if it fails, these items wait for the next pass.
              const registrations = await (due.length === 0 ? Promise.resolve([]) : this.o.registrations.pushRegistrationsOf(due.map((i) => i.userId))).then(
                (read) => new Map(read.map((r) => [`${r.userId}\n${r.installationId}`, r])),
                (err: unknown) => {
                  this.o.log.warn({ err, items: due.length }, "push registrations not read");
                  return null;
                },
              );
              if (registrations !== null) for (const item of due) start(item, registrations.get(`${item.userId}\n${item.installationId}`) ?? null);
            }
          }
          if (inFlight.size === 0) {
            if (more || this.again) continue;
            break;
          }
          // Until an attempt finishes or items are queued.
          await new Promise<void>((resolve) => (this.nudge = resolve));
          this.nudge = null;
        }
      } catch (err) {
        this.o.log.warn({ err }, "push outbox pass failed");
      } finally {
        await Promise.all(inFlight);
        this.running = null;
      }
    })();
    this.running = pass;
    return pass;
  }

  /**
   * One attempt with the installation's registration as read just before (null: removed
   * meanwhile); false when storage failed mid-attempt (the row is still pending).
   */
  private async attempt(item: PushOutboxItem, registration: PushRegistration | null): Promise<boolean> {
    const now = this.o.clock.now();
    try {
      await this.attemptOnce(item, registration, now);
      return true;
    } catch (err) {
      // Storage failed mid-attempt: the row stays pending and the next pass tries it again.
      this.o.log.warn({ err, itemId: item.id }, "push attempt failed");
      return false;
    }
  }

  private async attemptOnce(item: PushOutboxItem, registration: PushRegistration | null, now: number): Promise<void> {
    if (item.expiresAt <= now) return await this.drop(item, "expired", now);
    if (registration === null) return await this.drop(item, "unregistered", now);
    const sender = this.senders.get(registration.provider);
    if (sender === undefined) return await this.drop(item, `no ${registration.provider} sender configured`, now);

    // Asked for at once: on one connection the three reads then run back to back, not each behind
    // another commit.
    const [store, orgPolicy, storePolicy] = await Promise.all([
      this.passCache(`store:${item.storeId}`, () => this.o.stores.getStore(item.storeId)),
      this.passCache(`policy:${item.orgId}`, () => this.o.delivery.pushPolicy(item.orgId, null)),
      this.passCache(`policy:${item.orgId}:${item.storeId}`, () => this.o.delivery.pushPolicy(item.orgId, item.storeId)),
    ]);
    const quiet = storePolicy?.quietHours ?? orgPolicy?.quietHours ?? null;
    const quietEnd = quietHoursEnd(now, store?.timezone ?? "UTC", quiet);
    if (quietEnd !== null) {
      if (quietEnd >= item.expiresAt) return await this.drop(item, "quiet hours until the offer expires", now);
      this.counters.deferred++;
      await this.o.delivery.reschedulePush(item.id, { attempts: item.attempts, nextAttemptAt: quietEnd, error: "quiet hours" }, now);
      return;
    }
    const capMinutes = orgPolicy?.frequencyCapMinutes ?? this.o.frequencyCapMinutes;
    if (capMinutes > 0 && !(await this.o.delivery.claimNotification(item.userId, item.offerId, now, capMinutes * 60_000)))
      return await this.drop(item, "frequency cap", now);

    const message: PushMessage = {
      offerId: item.offerId,
      title: item.title,
      ttlS: Math.max(0, Math.floor((item.expiresAt - now) / 1000)),
      collapseKey: item.offerId,
    };
    const result = await sender.send(registration, message).catch(
      (err: unknown): PushSendResult => ({ outcome: "retry", reason: err instanceof Error ? err.message : String(err) }),
    );
    const at = this.o.clock.now();
    switch (result.outcome) {
      case "sent":
        this.counters.sent++;
        await this.o.delivery.settlePush(item.id, "sent", null, at, { offerId: item.offerId, storeId: item.storeId, channel: "push" });
        this.o.onSent?.({ offerId: item.offerId, userId: item.userId, storeId: item.storeId });
        return;
      case "gone":
        this.counters.removed += await this.o.registrations.removePushToken(registration.provider, registration.token);
        this.o.log.info({ provider: registration.provider, installationId: item.installationId, reason: result.reason }, "push registration gone, removed");
        return await this.drop(item, `gone: ${result.reason}`, at);
      case "rejected":
        return await this.dead(item, result.reason, at);
      case "retry":
        return await this.retry(item, result.reason, at, result.retryAfterMs);
      default: {
        const never: never = result;
        throw new Error(`unknown push outcome ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Stores and policies read once a second at most (`CACHE_MS`) rather than once per attempt: a
   * policy changed meanwhile applies a second later at most.
   */
  private passCache<T>(key: string, read: () => Promise<T>): Promise<T> {
    let cached = this.cache.get(key) as Promise<T> | undefined;
    if (cached === undefined) {
      cached = read();
      this.cache.set(key, cached);
      // A failed read is not kept: the next attempt reads again.
      cached.catch(() => this.cache.delete(key));
    }
    return cached;
  }

  private async retry(item: PushOutboxItem, reason: string, now: number, retryAfter?: number): Promise<void> {
    const attempts = item.attempts + 1;
    if (attempts >= this.o.maxAttempts) return this.dead(item, `${reason} (after ${attempts} attempts)`, now);
    this.counters.retried++;
    const nextAttemptAt = now + retryDelayMs(attempts, this.o.backoff, this.o.jitter(), retryAfter);
    await this.o.delivery.reschedulePush(item.id, { attempts, nextAttemptAt, error: reason }, now);
  }

  private async drop(item: PushOutboxItem, reason: string, now: number): Promise<void> {
    this.counters.dropped++;
    await this.o.delivery.settlePush(item.id, "dropped", reason, now);
  }

  private async dead(item: PushOutboxItem, reason: string, now: number): Promise<void> {
    this.counters.dead++;
    this.o.log.warn({ itemId: item.id, offerId: item.offerId, reason }, "push notification dead-lettered");
    await this.o.delivery.settlePush(item.id, "dead", reason, now);
  }
}
