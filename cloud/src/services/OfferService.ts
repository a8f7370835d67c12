import { randomUUID } from "node:crypto";
import { buildOffer, type Offer, REDEMPTION_CODE_BYTES } from "../domain/offers/index.js";
import { type EvaluationEvent, evaluate, localDayKey, RuleIndex } from "../domain/rules/index.js";
import type { LiveShopper } from "./LiveFeed.js";
import { publishOffer } from "./offerDelivery.js";
import type { LatencyHistogram } from "./Metrics.js";
import type { Clock, Logger, MessageBus, RandomBytes } from "./ports.js";
import type {
  DirectoryRepository,
  EventRepository,
  OfferLifecycleRepository,
  OfferRepository,
  RuleRepository,
  StoredEvent,
  UserRepository,
} from "./repositories.js";
import { SerialQueue } from "./SerialQueue.js";

export interface OfferServiceOptions {
  readonly bus: MessageBus;
  readonly offers: OfferRepository & OfferLifecycleRepository;
  readonly events: EventRepository;
  readonly rules: RuleRepository;
  readonly directory: DirectoryRepository;
  readonly users: UserRepository;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly log: Logger;
  /** Events older than this when decided issue nothing (a gateway back from a long outage). */
  readonly maxEventAgeMs: number;
  /**
   * Called with every offer issued (the demo and the console watch this), and whether its user may
   * be named in analytics views: consent at the decision and when the event was stored (an event
   * stored unlinked stays so even if consent was given in between).
   */
  readonly onIssued?: (offer: Offer, shopper: LiveShopper) => void;
  /**
   * Latency instruments (optional): `decision` observes each decision over candidate rules up to
   * its commit (label `outcome`: offer, none); `eventToOffer` the time from an event's receipt
   * (`receivedAt`) to its offer's publish.
   */
  readonly latency?: { readonly decision: LatencyHistogram; readonly eventToOffer: LatencyHistogram };
}

export interface OfferCounters {
  eventsDecided: number;
  offersIssued: number;
  offersPublished: number;
}

/**
 * Runs stored presence events through the rules engine and delivers the offers. Decisions for one
 * event are made and recorded in one transaction together with the offer, so an offer exists
 * exactly when its "issued" decision does. Delivery follows the commit; an offer that was stored
 * but not handed to the broker (crash in between) is published again at start-up, and the app
 * deduplicates by offer id.
 */
export class OfferService {
  readonly counters: OfferCounters = { eventsDecided: 0, offersIssued: 0, offersPublished: 0 };
  private readonly o: OfferServiceOptions;
  private readonly queue: SerialQueue;
  private readonly indexes = new Map<string, RuleIndex>();
  private started = false;

  constructor(options: OfferServiceOptions) {
    this.o = options;
    this.queue = new SerialQueue((err) => options.log.error({ err }, "decision failed"));
  }

  async start(orgIds: readonly string[]): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const orgId of orgIds) await this.reloadRules(orgId);
    // Offers committed but never handed to the broker (a crash in between), still valid and not
    // fetched by the app over HTTP meanwhile; the sweeper keeps retrying any that fail again.
    const now = this.o.clock.now();
    for (const offer of await this.o.offers.undeliveredOffers(now, now, 10_000)) await this.publish(offer);
    // Events stored before a crash but never decided are decided now, oldest first.
    const undecided = await this.eventsNotDecided();
    if (undecided.length > 0)
      this.o.log.info({ count: undecided.length }, "deciding events left from last run");
    this.submit(undecided);
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.queue.drain();
  }

  /** Rebuilds the index of live rules of an organisation (after any rule change). */
  async reloadRules(orgId: string): Promise<void> {
    const rules = await this.o.rules.listCurrentRules(orgId);
    this.indexes.set(orgId, new RuleIndex(rules.filter((r) => r.status === "live")));
  }

  /** Queues newly stored events for a decision, in order. */
  submit(events: readonly StoredEvent[]): void {
    for (const event of events) this.queue.push(() => this.decideEvent(event));
  }

  /** Stored events waiting for (or in) a decision (a gauge for the metrics). */
  get queuedDecisions(): number {
    return this.queue.size;
  }

  /** Resolves when every submitted event has been decided. */
  idle(): Promise<void> {
    return this.queue.drain();
  }

  private async eventsNotDecided(): Promise<StoredEvent[]> {
    return this.o.events.undecidedEvents(100_000);
  }

  private async decideEvent(event: StoredEvent): Promise<void> {
    const { offers, directory, users, clock, log } = this.o;
    const decided = this.o.latency?.decision.startTimer();
    const now = clock.now();
    this.counters.eventsDecided++;
    const userId = event.userId;
    const store = userId ? await directory.getStore(event.storeId) : null;
    const user = userId ? await users.getUser(userId) : null;
    const index = store ? this.indexes.get(store.orgId) : undefined;
    if (!userId || !store || !user || !index) {
      await offers.markDecided(event, now);
      return;
    }
    const zone = await directory.getZone(event.storeId, event.zoneId);
    const zoneTags = zone?.tags ?? [];
    const candidates = index.candidates({
      storeId: store.id,
      zoneId: event.zoneId,
      storeTags: store.tags,
      zoneTags,
      trigger: event.type,
    });
    if (candidates.length === 0) {
      await offers.markDecided(event, now);
      return;
    }
    const org = await directory.getOrganisation(store.orgId);
    const evaluationEvent: EvaluationEvent = {
      id: event.id,
      type: event.type,
      storeId: event.storeId,
      zoneId: event.zoneId,
      at: Date.parse(event.at),
      visitId: event.visitId,
      userId,
      ...(event.dwellMs === undefined ? {} : { dwellMs: event.dwellMs }),
    };
    const dayKey = localDayKey(now, store.timezone);
    const offer = await offers.decide(
      { event, userId, dayKey, ruleIds: candidates.map((r) => r.id), now },
      (counters) => {
        const evaluation = evaluate({
          event: evaluationEvent,
          store: { id: store.id, timezone: store.timezone, tags: store.tags },
          zone: { id: event.zoneId, tags: zoneTags },
          user: {
            id: user.id,
            segments: user.segments,
            loyaltyTier: user.loyaltyTier,
            marketingConsent: user.marketingConsent,
            visitCount: counters.visitCount,
            previousVisitAt: counters.previousVisitAt,
            offersReceived: counters.offersReceived,
          },
          counters: counters.counters,
          userIssuedTodayAllRules: counters.userIssuedTodayAllRules,
          orgMaxPerUserPerDay: org?.maxOffersPerUserPerDay ?? null,
          now,
          candidates,
          maxEventAgeMs: this.o.maxEventAgeMs,
          visitEndedAt: counters.visitEndedAt,
        });
        const issued = evaluation.issued
          ? buildOffer({
              rule: evaluation.issued.rule,
              decision: evaluation.issued.decision,
              event: evaluationEvent,
              offerId: randomUUID(),
              codeBytes: this.o.randomBytes(REDEMPTION_CODE_BYTES),
              now,
            })
          : null;
        return { decisions: evaluation.decisions, offer: issued };
      },
    );
    decided?.({ outcome: offer ? "offer" : "none" });
    if (!offer) return;
    this.counters.offersIssued++;
    // No user id at info: logs are reached by neither erasure nor retention, and a user id with a
    // store, zone and time is a presence record (kept unlinked in storage without analytics
    // consent). The offer id leads to the user through the offers table, for those allowed to read it.
    log.info(
      { offerId: offer.offerId, ruleId: offer.ruleId, storeId: offer.storeId, zoneId: offer.zoneId, title: offer.title },
      "offer issued",
    );
    this.o.onIssued?.(offer, { analyticsConsent: user.analyticsConsent && event.unlinked !== true });
    if (await this.publish(offer)) this.o.latency?.eventToOffer.observe((clock.now() - event.receivedAt) / 1000);
  }

  /** Publishes the offer and records it published; false if that failed (logged). */
  private async publish(offer: Offer): Promise<boolean> {
    try {
      await publishOffer(this.o.bus, offer, "offer");
      await this.o.offers.markPublished(offer.offerId, this.o.clock.now());
      this.counters.offersPublished++;
      return true;
    } catch (err) {
      // Stays unpublished; the app can still fetch it over HTTP, and the offer sweeper
      // (OfferLifecycleService) publishes it again.
      this.o.log.warn({ err, offerId: offer.offerId }, "offer publish failed");
      return false;
    }
  }
}
