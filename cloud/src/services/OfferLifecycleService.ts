import type { Offer } from "../domain/offers/index.js";
import { reminderDueAt } from "../domain/offers/index.js";
import { publishOffer } from "./offerDelivery.js";
import { type Clock, type Logger, type MessageBus, type Scheduler, systemScheduler, type TimerHandle } from "./ports.js";
import type { OfferLifecycleRepository, OfferRepository } from "./repositories.js";

export interface OfferLifecycleOptions {
  readonly bus: MessageBus;
  readonly offers: OfferRepository & OfferLifecycleRepository;
  readonly clock: Clock;
  readonly log: Logger;
  /** Seconds before `expiresAt` the reminder goes out; 0 turns reminders off. */
  readonly reminderLeadS: number;
  /** How often the sweeper runs, ms. */
  readonly intervalMs: number;
  /** An unpublished offer younger than this is left to the publish that follows its commit, ms. */
  readonly redeliverAfterMs?: number;
  /** Offers handled per step, so one sweep never holds the database for long. */
  readonly batchSize?: number;
  /** Timers; default the process's own. */
  readonly scheduler?: Scheduler;
  /**
   * The durable push outbox (optional): a redelivered offer is queued there too before it is
   * recorded as published, so an offer whose first queueing failed still reaches the phone.
   */
  readonly pushOutbox?: { offersIssued(offers: readonly Offer[]): Promise<void> };
}

export interface SweepResult {
  readonly expired: number;
  readonly reminded: number;
  readonly redelivered: number;
}

export interface OfferLifecycleCounters {
  sweeps: number;
  expired: number;
  remindersSent: number;
  redelivered: number;
}

/**
 * The time-driven half of the offer lifecycle, driven from the database, not from memory, so a
 * restart loses nothing: each sweep (a timer, or `sweep()` directly)
 *
 * - marks offers `expired` once `expiresAt` has passed (validity itself never depends on this:
 *   `transitionOffer` refuses an expired redemption whether or not the sweeper ran);
 * - sends one reminder per offer (`OfferMessage` with kind `reminder`, same channel) from
 *   `reminderLeadS` before expiry, never for redeemed or expired offers nor to a user who withdrew
 *   consent. The reminder is claimed in the database (`reminder_sent_at`) before it is published
 *   and released if the publish fails, so two sweepers never both send it; a crash between claim
 *   and publish loses that reminder rather than risking a second one, the right way round for a
 *   nudge whose excess is what makes people turn notifications off;
 * - publishes offers that were committed but never handed to the broker and that the app has not
 *   fetched either (the broker refused, or the process died in between).
 */
export class OfferLifecycleService {
  readonly counters: OfferLifecycleCounters = { sweeps: 0, expired: 0, remindersSent: 0, redelivered: 0 };
  private readonly o: OfferLifecycleOptions;
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  private running: Promise<SweepResult> | null = null;

  constructor(options: OfferLifecycleOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  start(): void {
    if (this.timer) return;
    this.timer = this.scheduler.setInterval(() => {
      this.sweep().catch((err: unknown) => this.o.log.error({ err }, "offer sweep failed"));
    }, this.o.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One sweep at the clock's now; concurrent calls share the sweep in progress. */
  sweep(): Promise<SweepResult> {
    if (this.running) return this.running;
    this.running = this.runSweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runSweep(): Promise<SweepResult> {
    const { offers, clock, log } = this.o;
    const batch = this.o.batchSize ?? 500;
    const now = clock.now();
    this.counters.sweeps++;

    let expired = 0;
    for (;;) {
      const done = await offers.expireDue(now, batch);
      expired += done.length;
      if (done.length < batch) break;
    }
    if (expired > 0) log.info({ count: expired }, "offers expired");

    let reminded = 0;
    const leadS = this.o.reminderLeadS;
    if (leadS > 0) {
      for (const offer of await offers.remindersDue(now, leadS * 1000, batch)) {
        const due = reminderDueAt(offer, offer.reminderLeadMs === undefined ? leadS : offer.reminderLeadMs / 1000);
        if (due === null || due > now) continue;
        if (!(await offers.claimReminder(offer.offerId, now))) continue;
        try {
          await publishOffer(this.o.bus, offer, "reminder");
          reminded++;
          log.debug({ offerId: offer.offerId, userId: offer.userId }, "offer reminder sent");
        } catch (err) {
          await offers.releaseReminder(offer.offerId, now);
          log.warn({ err, offerId: offer.offerId }, "offer reminder publish failed");
        }
      }
    }

    let redelivered = 0;
    const issuedBefore = now - (this.o.redeliverAfterMs ?? 30_000);
    for (const offer of await offers.undeliveredOffers(now, issuedBefore, batch)) {
      try {
        await publishOffer(this.o.bus, offer, "offer");
        // The outbox ignores an offer it holds already; a failure leaves the offer for the next sweep.
        await this.o.pushOutbox?.offersIssued([offer]);
        await offers.markPublished(offer.offerId, now);
        redelivered++;
      } catch (err) {
        log.warn({ err, offerId: offer.offerId }, "offer redelivery failed");
      }
    }
    if (redelivered > 0) log.info({ count: redelivered }, "unpublished offers delivered");

    this.counters.expired += expired;
    this.counters.remindersSent += reminded;
    this.counters.redelivered += redelivered;
    return { expired, reminded, redelivered };
  }
}
