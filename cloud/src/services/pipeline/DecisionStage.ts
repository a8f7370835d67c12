import { randomUUID } from "node:crypto";
import { buildOffer, type Offer, REDEMPTION_CODE_BYTES } from "../../domain/offers/index.js";
import { type EvaluationEvent, evaluate, localDayKey, type Rule, RuleIndex } from "../../domain/rules/index.js";
import type { LiveShopper } from "../LiveFeed.js";
import type { LatencyHistogram } from "../Metrics.js";
import { type Clock, type Logger, type RandomBytes, type Scheduler, systemScheduler } from "../ports.js";
import type {
  AppUser,
  DecisionRequest,
  EventRepository,
  OfferRepository,
  Organisation,
  RuleRepository,
  StoredEvent,
  StoreRecord,
} from "../repositories.js";
import { triggerOfStored } from "../GeofenceService.js";
import type { PushPlan } from "../push/PushDispatcher.js";
import type { DirectoryReads } from "./DirectoryCache.js";
import type { PublishedOffers } from "./DeliveryStage.js";
import type { PipelineStage } from "./PipelineStage.js";

/** An offer the decision stage issued, with whether its user may be named in analytics views. */
export interface IssuedOffer {
  readonly offer: Offer;
  readonly shopper: LiveShopper;
  /** When the cloud received the event that issued it, epoch ms (event → offer latency). */
  readonly receivedAt: number;
  /** Whether its push outbox rows were stored with it (then delivery need not queue them). */
  readonly pushQueued: boolean;
}

export interface DecisionStageOptions {
  readonly offers: Pick<OfferRepository, "decideGroup">;
  readonly rules: RuleRepository;
  readonly events: Pick<EventRepository, "undecidedEvents">;
  /** Directory records, usually a `DirectoryCache`; `refresh` runs before each group. */
  readonly directory: DirectoryReads & {
    refresh(): Promise<void>;
    prime(userIds: readonly string[]): Promise<void>;
  };
  /** Ids of the organisations whose rules are loaded at start. */
  readonly organisations: () => Promise<readonly string[]>;
  /** Offers published since the last group, recorded as published in the group's transaction. */
  readonly published: PublishedOffers;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly log: Logger;
  /** Events older than this when decided issue nothing (a gateway back from a long outage). */
  readonly maxEventAgeMs: number;
  /**
   * Most events one decision transaction takes (default 10 000, ingest's most per commit, so a
   * committed ingest group is never split); more waiting go in the next.
   */
  readonly maxEventsPerGroup?: number;
  /**
   * Observes each decision over candidate rules, from the start of its group to the group's commit,
   * labelled `outcome` (offer or none); optional.
   */
  readonly decisionLatency?: LatencyHistogram;
  /**
   * The push outbox (optional): asked before each group's transaction for the rows of the offers it
   * may issue, which the transaction then stores with them; told after the commit which were
   * stored. If it fails, the group goes on without and delivery queues the pushes after it.
   */
  readonly push?: { prepare(userIds: readonly string[]): Promise<PushPlan> };
  /** Where the issued offers of each group go, after its commit (delivery, the live view). */
  readonly output: (issued: readonly IssuedOffer[]) => void;
  /**
   * Waits before a group whose transaction failed is tried again, ms, one per attempt. A database
   * that restarts or fails over refuses transactions for a few seconds; without a retry the group's
   * events would stay undecided until some worker next starts. After the last the group is left
   * undecided in storage (decided at the next start). Default 250, 500, 1000, 2000, 4000, 8000.
   */
  readonly retryDelaysMs?: readonly number[];
  /** Timers of the retries; default the process's own. */
  readonly scheduler?: Scheduler;
}

const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000];

export interface DecisionCounters {
  eventsDecided: number;
  offersIssued: number;
}

/** What a request needs besides its counters, known before the transaction. */
interface RequestContext {
  readonly store: StoreRecord;
  readonly user: AppUser;
  readonly org: Organisation | null;
  readonly zoneTags: readonly string[];
  readonly candidates: readonly Rule[];
  readonly event: EvaluationEvent;
}

/**
 * The rules engine's stage: runs stored presence events of app users through the live rules of
 * their organisation and records the outcome. The events waiting when a group starts (at least the
 * events of one committed ingest group, at most `maxEventsPerGroup`) are decided together in one
 * transaction: counters read by key for the whole group, each event evaluated in order against
 * them (so budgets and caps stay exact within the group), every decision and offer written, every
 * event marked decided, and the offers published since the previous group recorded as published.
 * One commit per group instead of two per offer. An offer exists exactly when its "issued"
 * decision does; delivery follows the commit (`output`).
 */
export class DecisionStage implements PipelineStage<readonly StoredEvent[]> {
  /** Callers waiting for an event's decision (`whenDecided`), by event id. */
  private readonly waiters = new Map<string, ((offers: readonly Offer[]) => void)[]>();
  readonly name = "decide";
  readonly counters: DecisionCounters = { eventsDecided: 0, offersIssued: 0 };
  private readonly o: DecisionStageOptions;
  private readonly indexes = new Map<string, RuleIndex>();
  private waiting: StoredEvent[] = [];
  private running: Promise<void> | null = null;
  private started = false;
  /** Ends the pause before a retry (set while one runs), so `stop` need not wait for it. */
  private wakeUp: (() => void) | null = null;

  constructor(options: DecisionStageOptions) {
    this.o = options;
  }

  /** Loads the rules, then decides events stored before a crash but never decided, oldest first. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const orgId of await this.o.organisations()) await this.reloadRules(orgId);
    const undecided = await this.o.events.undecidedEvents(100_000);
    if (undecided.length > 0) this.o.log.info({ count: undecided.length }, "deciding events left from last run");
    this.accept(undecided);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.wakeUp?.();
    await this.idle();
  }

  /** Rebuilds the index of live rules of an organisation (after any rule change). */
  async reloadRules(orgId: string): Promise<void> {
    const rules = await this.o.rules.listCurrentRules(orgId);
    this.indexes.set(orgId, new RuleIndex(rules.filter((r) => r.status === "live")));
  }

  /** Queues newly stored events of app users for a decision, in order. */
  accept(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    // Not push(...events): start-up hands over up to 100 000, past what a call's arguments take.
    this.waiting = this.waiting.length === 0 ? [...events] : this.waiting.concat(events);
    this.running ??= this.decideWaiting().finally(() => {
      this.running = null;
    });
  }

  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  /** True while a group is being decided or waits to be. */
  get busy(): boolean {
    return this.running !== null;
  }

  /**
   * The offers issued on an event accepted here, once its group is decided (none: an empty list),
   * or null when that takes longer than `withinMs` (it is still decided; the offer is delivered as
   * any other). For an answer that carries the offer, such as a phone's report of its own arrival.
   */
  whenDecided(eventId: string, withinMs: number): Promise<readonly Offer[] | null> {
    const scheduler = this.o.scheduler ?? systemScheduler;
    return new Promise((resolve) => {
      const done = (offers: readonly Offer[] | null) => {
        scheduler.clearTimeout(timer);
        const left = (this.waiters.get(eventId) ?? []).filter((w) => w !== waiter);
        if (left.length > 0) this.waiters.set(eventId, left);
        else this.waiters.delete(eventId);
        resolve(offers);
      };
      const waiter = (offers: readonly Offer[]) => done(offers);
      const timer = scheduler.setTimeout(() => done(null), withinMs);
      this.waiters.set(eventId, [...(this.waiters.get(eventId) ?? []), waiter]);
    });
  }

  /** Tells whoever waits for these events what was issued on them. */
  private settleWaiters(events: readonly StoredEvent[], issued: readonly Offer[]): void {
    if (this.waiters.size === 0) return;
    for (const e of events) {
      const waiting = this.waiters.get(e.id);
      if (!waiting) continue;
      const offers = issued.filter((o) => o.eventId === e.id);
      for (const waiter of [...waiting]) waiter(offers);
    }
  }

  /** Events accepted and not yet taken into a group (a gauge of the stage's backlog). */
  get queued(): number {
    return this.waiting.length;
  }

  private async decideWaiting(): Promise<void> {
    const max = this.o.maxEventsPerGroup ?? 10_000;
    const delays = this.o.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    let failures = 0;
    while (this.waiting.length > 0) {
      const group = this.waiting.slice(0, max);
      this.waiting = this.waiting.slice(group.length);
      try {
        await this.decideGroup(group);
        failures = 0;
      } catch (err) {
        const delayMs = delays[failures];
        if (delayMs === undefined || !this.started) {
          // The group's events stay undecided in storage and are decided at the next start.
          this.o.log.error({ err, events: group.length }, "decision failed");
          this.settleWaiters(group, []);
          failures = 0;
          continue;
        }
        failures++;
        this.o.log.warn({ err, events: group.length, attempt: failures, retryInMs: delayMs }, "decision failed, trying again");
        // Back at the head of the queue, so events keep their order. Trying again is safe even if
        // the failed transaction did commit (its answer lost with the connection): decisions and
        // offers are unique per (event, rule) and (rule, user, visit), and only undecided events
        // are marked decided.
        this.waiting = group.concat(this.waiting);
        await this.pause(delayMs);
      }
    }
  }

  /** Resolves after `delayMs`, or at once when the stage is stopped meanwhile (then it gives up). */
  private pause(delayMs: number): Promise<void> {
    const scheduler = this.o.scheduler ?? systemScheduler;
    return new Promise((resolve) => {
      const handle = scheduler.setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, delayMs);
      this.wakeUp = () => {
        scheduler.clearTimeout(handle);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  private async decideGroup(events: readonly StoredEvent[]): Promise<void> {
    const { clock } = this.o;
    const unlinked = events.filter((e) => e.unlinked === true);
    if (unlinked.length === 0 || unlinked.length === events.length) {
      await this.decideAt(events, clock.now());
      return;
    }
    // Every event of a transaction is decided at one instant, and a linked event keeps that instant
    // as its decided_at. An unlinked event's offer and decisions must not share it (they would join
    // back to presence rows on the time), so unlinked events are decided in a transaction of their
    // own, at a later instant.
    const at = await this.decideAt(
      events.filter((e) => e.unlinked !== true),
      clock.now(),
    );
    await this.decideAt(unlinked, Math.max(clock.now(), at + 1));
  }

  /**
   * The push rows of the offers that members `userIds` may be issued, from registrations read now
   * (null: no push outbox, no member, or the read failed: delivery then queues the pushes). Never
   * rejects.
   */
  private async pushPlan(userIds: readonly string[]): Promise<PushPlan | null> {
    if (this.o.push === undefined || userIds.length === 0) return null;
    try {
      return await this.o.push.prepare(userIds);
    } catch (err) {
      this.o.log.warn({ err, members: userIds.length }, "push registrations not read before the decision");
      return null;
    }
  }

  /** Decides `events` in one transaction at `now`; resolves to `now`. */
  private async decideAt(events: readonly StoredEvent[], now: number): Promise<number> {
    const { directory, log } = this.o;
    const started = performance.now();
    this.counters.eventsDecided += events.length;
    const userIds = events.flatMap((e) => (e.userId === null ? [] : [e.userId]));
    await directory.refresh();
    await directory.prime(userIds);
    const requests: DecisionRequest[] = [];
    const passed: StoredEvent[] = [];
    const contexts = new Map<DecisionRequest, RequestContext>();
    // One instant for the group, so one local day per timezone.
    const dayKeys = new Map<string, string>();
    for (const event of events) {
      const userId = event.userId;
      const store = userId ? await directory.getStore(event.storeId) : null;
      const user = userId ? await directory.getUser(userId) : null;
      const index = store ? this.indexes.get(store.orgId) : undefined;
      if (!userId || !store || !user || !index) {
        passed.push(event);
        continue;
      }
      const zone = await directory.getZone(event.storeId, event.zoneId);
      const zoneTags = zone?.tags ?? [];
      const candidates = index.candidates({
        storeId: store.id,
        zoneId: event.zoneId,
        storeTags: store.tags,
        zoneTags,
        trigger: triggerOfStored(event),
      });
      if (candidates.length === 0) {
        passed.push(event);
        continue;
      }
      let dayKey = dayKeys.get(store.timezone);
      try {
        dayKey ??= localDayKey(now, store.timezone);
        dayKeys.set(store.timezone, dayKey);
      } catch (err) {
        // A store whose timezone the runtime does not know: the event stays undecided, as it did
        // when each event was decided alone, and the rest of the group goes on.
        log.error({ err, eventId: event.id, storeId: store.id }, "decision failed");
        continue;
      }
      const request: DecisionRequest = { event, userId, dayKey, ruleIds: candidates.map((r) => r.id), now };
      requests.push(request);
      contexts.set(request, {
        store,
        user,
        org: await directory.getOrganisation(store.orgId),
        zoneTags,
        candidates,
        event: {
          id: event.id,
          type: triggerOfStored(event),
          storeId: event.storeId,
          zoneId: event.zoneId,
          at: Date.parse(event.at),
          // The store visit: every source of one arrival joins it, and once-per-visit caps read it.
          visitId: event.storeVisitId ?? event.visitId,
          userId,
          ...(event.dwellMs === undefined ? {} : { dwellMs: event.dwellMs }),
          ...(event.corroborated === undefined ? {} : { corroborated: event.corroborated }),
        },
      });
    }
    // Read only for the members a rule may issue an offer to, once that is known: most groups have
    // none, and a read for every group's members sits on the one connection in front of the
    // ingest's next commit (measured: publish → decision p95 up by a third at 1 000 events/s).
    const plan = requests.length === 0 ? null : await this.pushPlan(requests.map((r) => r.userId));
    const orgOfStore = new Map([...contexts.values()].map((c) => [c.store.id, c.store.orgId]));
    const pushItems =
      plan === null
        ? {}
        : {
            pushItems: (offer: Offer) => {
              const orgId = orgOfStore.get(offer.storeId);
              return orgId === undefined ? [] : plan.itemsOf(offer, orgId);
            },
          };
    const published = this.o.published.take();
    let offers: (Offer | null)[];
    try {
      offers = await this.o.offers.decideGroup({ requests, passed, published, now, ...pushItems }, (request, counters) => {
        const c = contexts.get(request);
        if (c === undefined) throw new Error(`no context for event ${request.event.id}`);
        const evaluation = evaluate({
          event: c.event,
          store: { id: c.store.id, timezone: c.store.timezone, tags: c.store.tags },
          zone: { id: request.event.zoneId, tags: c.zoneTags },
          user: {
            id: c.user.id,
            segments: c.user.segments,
            loyaltyTier: c.user.loyaltyTier,
            marketingConsent: c.user.marketingConsent,
            visitCount: counters.visitCount,
            previousVisitAt: counters.previousVisitAt,
            offersReceived: counters.offersReceived,
          },
          counters: counters.counters,
          userIssuedTodayAllRules: counters.userIssuedTodayAllRules,
          orgMaxPerUserPerDay: c.org?.maxOffersPerUserPerDay ?? null,
          now,
          candidates: c.candidates,
          maxEventAgeMs: this.o.maxEventAgeMs,
          visitEndedAt: counters.visitEndedAt,
        });
        const issued = evaluation.issued
          ? buildOffer({
              rule: evaluation.issued.rule,
              decision: evaluation.issued.decision,
              event: c.event,
              offerId: randomUUID(),
              codeBytes: this.o.randomBytes(REDEMPTION_CODE_BYTES),
              now,
            })
          : null;
        return { decisions: evaluation.decisions, offer: issued };
      });
    } catch (err) {
      this.o.published.giveBack(published);
      throw err;
    }
    const issued: IssuedOffer[] = [];
    const decidedS = (performance.now() - started) / 1000;
    requests.forEach((request, k) => {
      const offer = offers[k];
      this.o.decisionLatency?.observe(decidedS, { outcome: offer ? "offer" : "none" });
      const c = contexts.get(request);
      if (!offer || !c) return;
      this.counters.offersIssued++;
      // No user id at info: logs are reached by neither erasure nor retention, and a user id with a
      // store, zone and time is a presence record (kept unlinked in storage without analytics
      // consent). The offer id leads to the user through the offers table, for those allowed to read it.
      log.info(
        { offerId: offer.offerId, ruleId: offer.ruleId, storeId: offer.storeId, zoneId: offer.zoneId, title: offer.title },
        "offer issued",
      );
      issued.push({
        offer,
        shopper: { analyticsConsent: c.user.analyticsConsent && request.event.unlinked !== true },
        receivedAt: request.event.receivedAt,
        pushQueued: plan !== null,
      });
    });
    plan?.stored(issued.map((i) => i.offer));
    if (issued.length > 0) this.o.output(issued);
    this.settleWaiters(events, issued.map((i) => i.offer));
    return now;
  }
}
