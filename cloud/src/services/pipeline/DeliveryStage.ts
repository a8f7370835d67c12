import type { Offer } from "../../domain/offers/index.js";
import { publishOffer } from "../offerDelivery.js";
import type { LatencyHistogram } from "../Metrics.js";
import { type Clock, type Logger, type MessageBus, type Scheduler, systemScheduler, type TimerHandle } from "../ports.js";
import type { OfferLifecycleRepository, OfferRepository } from "../repositories.js";
import type { PipelineStage } from "./PipelineStage.js";

/** Offers handed to the broker and not yet recorded as published. */
export interface PublishedOffers {
  /** Takes every id waiting to be recorded; the caller records them in its own transaction. */
  take(): string[];
  /** Gives back ids whose transaction failed, to be recorded later. */
  giveBack(offerIds: readonly string[]): void;
}

export interface DeliveryStageOptions {
  readonly bus: MessageBus;
  readonly offers: Pick<OfferRepository, "markAllPublished"> & Pick<OfferLifecycleRepository, "undeliveredOffers">;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * Longest wait before published offers are recorded on their own when no decision group takes
   * them along (default 1 000 ms). Well below the sweeper's redelivery age (30 s), so an offer
   * published here is not published again by the sweeper.
   */
  readonly recordDelayMs?: number;
  /** Timer for the record delay; default the process's own. */
  readonly scheduler?: Scheduler;
  /** Observes, per offer published, the seconds from its event's receipt to the publish (optional). */
  readonly eventToOffer?: LatencyHistogram;
  /**
   * The durable push outbox (optional). Offers are queued there before they are recorded as
   * published, so an offer recorded has its push queued, and one not recorded is queued again by the
   * start-up redelivery (the outbox ignores an offer it holds already). Offers whose decision stored
   * their push rows with them (`pushQueued`) are not queued again.
   */
  readonly pushOutbox?: { offersIssued(offers: readonly Offer[]): Promise<void> };
  /** Told of each offer the broker took (delivery receipts, the frequency cap); must not reject. */
  readonly onPublished?: (offers: readonly Offer[]) => Promise<void>;
}

/** An offer to deliver, with when its event reached the cloud (absent for a redelivery). */
export interface OfferToDeliver {
  readonly offer: Offer;
  readonly receivedAt?: number;
  /** True when its push outbox rows were stored with it (its decision's transaction). */
  readonly pushQueued?: boolean;
}

export interface DeliveryCounters {
  offersPublished: number;
}

/**
 * Publishes issued offers to their users (QoS 1, the app deduplicates by offer id) and records them
 * as published, which the offer sweeper and the start-up redelivery read.
 *
 * The record is not a commit of its own: the ids wait here until the next decision group takes them
 * (`take`) into its transaction, or, when none comes within `recordDelayMs`, one statement records
 * them all. An offer is only ever recorded after the broker took it, so "an offer stored but never
 * handed to the broker is published again at start-up" holds: a crash before the publish leaves it
 * unrecorded. A crash between the publish and the record sends it again at start-up, a duplicate
 * the app drops (the order that risks a repeat rather than a loss).
 */
export class DeliveryStage implements PipelineStage<readonly OfferToDeliver[]>, PublishedOffers {
  readonly name = "deliver";
  readonly counters: DeliveryCounters = { offersPublished: 0 };
  private readonly o: DeliveryStageOptions;
  private readonly inFlight = new Set<Promise<void>>();
  private waiting: string[] = [];
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  private recording: Promise<void> = Promise.resolve();
  private started = false;

  constructor(options: DeliveryStageOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /**
   * Publishes offers committed but never handed to the broker (a crash in between), still valid and
   * not fetched by the app over HTTP meanwhile, and records them before returning; the sweeper keeps
   * retrying any that fail again.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const now = this.o.clock.now();
    this.accept((await this.o.offers.undeliveredOffers(now, now, 10_000)).map((offer) => ({ offer })));
    await this.idle();
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.idle();
  }

  accept(offers: readonly OfferToDeliver[]): void {
    if (offers.length === 0) return;
    const queued = this.queuePush(offers);
    const publishing = Promise.all(offers.map((o) => this.publish(o, queued))).then(() => undefined);
    this.inFlight.add(publishing);
    void publishing.finally(() => this.inFlight.delete(publishing));
  }

  /** True while offers are being queued for push or published. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Resolves when every accepted offer is published (or failed) and recorded. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.record();
  }

  take(): string[] {
    const taken = this.waiting;
    this.waiting = [];
    return taken;
  }

  giveBack(offerIds: readonly string[]): void {
    if (offerIds.length === 0) return;
    this.waiting.push(...offerIds);
    this.recordLater();
  }

  /** Resolves true once the batch is in the push outbox (or there is none), false when that failed. */
  private async queuePush(offers: readonly OfferToDeliver[]): Promise<boolean> {
    const unqueued = offers.filter((o) => o.pushQueued !== true);
    if (this.o.pushOutbox === undefined || unqueued.length === 0) return true;
    try {
      await this.o.pushOutbox.offersIssued(unqueued.map((o) => o.offer));
      return true;
    } catch (err) {
      this.o.log.warn({ err, count: offers.length }, "offers not queued for push");
      return false;
    }
  }

  private async publish({ offer, receivedAt }: OfferToDeliver, queued: Promise<boolean>): Promise<void> {
    try {
      await publishOffer(this.o.bus, offer, "offer");
      this.counters.offersPublished++;
      await this.o.onPublished?.([offer]);
      // Not queued for push: left unrecorded, so the offer sweeper's redelivery (or a restart's)
      // queues it again before recording it.
      if (!(await queued)) return;
      if (receivedAt !== undefined) this.o.eventToOffer?.observe((this.o.clock.now() - receivedAt) / 1000);
      this.waiting.push(offer.offerId);
      this.recordLater();
    } catch (err) {
      // Stays unpublished; the app can still fetch it over HTTP, and the offer sweeper
      // (OfferLifecycleService) publishes it again.
      this.o.log.warn({ err, offerId: offer.offerId }, "offer publish failed");
    }
  }

  private recordLater(): void {
    if (this.timer !== null) return;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      void this.record();
    }, this.o.recordDelayMs ?? 1000);
  }

  /** Records what no decision group took along, in one statement. */
  private record(): Promise<void> {
    if (this.timer !== null) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = null;
    }
    this.recording = this.recording.then(async () => {
      const ids = this.take();
      if (ids.length === 0) return;
      try {
        await this.o.offers.markAllPublished(ids, this.o.clock.now());
      } catch (err) {
        // Not recorded: the sweeper sends them once more, and the app drops the repeat.
        this.o.log.warn({ err, count: ids.length }, "published offers not recorded");
      }
    });
    return this.recording;
  }
}
