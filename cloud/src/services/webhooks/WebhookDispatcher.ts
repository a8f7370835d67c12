import { type HmacSha256, signingSecrets, webhookHeaders, webhookRetryDelayMs, type WebhookBackoff } from "../../domain/webhooks/index.js";
import type { Metrics } from "../Metrics.js";
import type { Clock, Logger, Scheduler, TimerHandle } from "../ports.js";
import type { WebhookDelivery, WebhookRepository } from "../repositories.js";
import type { WebhookSender, WebhookSendResult } from "./WebhookSender.js";

/** Counters of the outbox since start, for metrics and tests. */
export interface WebhookCounters {
  queued: number;
  sent: number;
  retried: number;
  dead: number;
}

export interface WebhookDispatcherOptions {
  readonly webhooks: WebhookRepository;
  readonly sender: WebhookSender;
  readonly hmac: HmacSha256;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Attempts before a delivery is dead-lettered. */
  readonly maxAttempts: number;
  readonly backoff: WebhookBackoff;
  /** How often due deliveries are looked for, ms (new ones are sent at once). */
  readonly pollIntervalMs: number;
  /** Attempts in flight to one endpoint at most: a slow endpoint holds this many, never the others' share. */
  readonly perEndpointConcurrency: number;
  /** Attempts in flight in all at most. */
  readonly maxInFlight: number;
}

/** The outbox's counters as a Prometheus family (read at scrape time); labels from a closed set. */
export function webhookMetrics(metrics: Metrics, webhooks: Pick<WebhookDispatcher, "counters">): void {
  metrics.collected(
    {
      name: "arrival_webhook_messages_total",
      help: "Webhook messages by outcome: queued (rows written to the outbox), sent, retried, dead (dead-lettered).",
      labelNames: ["outcome"],
      type: "counter",
    },
    () => (["queued", "sent", "retried", "dead"] as const).map((outcome) => ({ labels: { outcome }, value: webhooks.counters[outcome] })),
  );
}

/**
 * Sends the webhook outbox. Each pass reads the due deliveries (past the endpoints already at their
 * concurrency) and starts their attempts without waiting for them, so an endpoint that hangs until
 * its timeout holds only its own slots while the others' deliveries go out; each attempt that ends
 * looks for more. An attempt signs the stored body under the delivery's id with the endpoint's
 * current secrets (both during a rotation's grace), so a retry or a replay is the same message. A
 * failure is retried on a deterministic exponential schedule up to `maxAttempts`, then
 * dead-lettered, to be inspected and replayed through the API. Delivery is at least once: a
 * receiver deduplicates by `webhook-id`.
 */
export class WebhookDispatcher {
  readonly counters: WebhookCounters = { queued: 0, sent: 0, retried: 0, dead: 0 };
  private readonly o: WebhookDispatcherOptions;
  private interval: TimerHandle | null = null;
  private kick: TimerHandle | null = null;
  private started = false;
  /** Set by `stop`: an attempt that reads its endpoint after it sends nothing. */
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;
  /** Attempts in flight by delivery id. */
  private readonly attempts = new Map<string, Promise<void>>();
  /** Attempts in flight per endpoint. */
  private readonly perEndpoint = new Map<string, number>();

  constructor(options: WebhookDispatcherOptions) {
    this.o = options;
  }

  /** Resumes the pending outbox and polls it. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    this.interval = this.o.scheduler.setInterval(() => this.wake(), this.o.pollIntervalMs);
    this.wake();
  }

  /** Stops polling, aborts the attempts in flight (their deliveries stay pending) and waits for them. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopped = true;
    if (this.interval !== null) this.o.scheduler.clearInterval(this.interval);
    if (this.kick !== null) this.o.scheduler.clearTimeout(this.kick);
    this.interval = null;
    this.kick = null;
    await this.running;
    await this.o.sender.close?.();
    await Promise.all(this.attempts.values());
  }

  /** Counts deliveries written to the outbox and sends them on the next turn. */
  queued(count: number): void {
    this.counters.queued += count;
    this.soon();
  }

  /** Looks for due deliveries on the next turn (new or replayed ones) instead of at the next poll. */
  soon(): void {
    if (!this.started || this.kick !== null) return;
    this.kick = this.o.scheduler.setTimeout(() => {
      this.kick = null;
      this.wake();
    }, 0);
  }

  /** The attempt in flight at a delivery, if any (tests wait for one endpoint's while another hangs). */
  attemptOf(deliveryId: string): Promise<void> | undefined {
    return this.attempts.get(deliveryId);
  }

  /**
   * Starts the attempts due now and returns without waiting for them: what a timer does. Tests call
   * it directly; `drain` also waits.
   */
  async pass(): Promise<void> {
    this.again = false;
    await (this.running ?? this.runPass());
  }

  /** Runs passes and waits for their attempts until nothing is due now (at most `maxPasses`). */
  async drain(maxPasses = 100): Promise<void> {
    for (let i = 0; i < maxPasses; i++) {
      await this.pass();
      await Promise.all(this.attempts.values());
      if (this.again) continue;
      const next = await this.o.webhooks.nextDueAt();
      if (next === null || next > this.o.clock.now()) return;
    }
  }

  private wake(): void {
    if (this.running !== null) {
      this.again = true;
      return;
    }
    void this.runPass();
  }

  private runPass(): Promise<void> {
    const pass = (async () => {
      try {
        const free = this.o.maxInFlight - this.attempts.size;
        if (free <= 0) return;
        const busy = [...this.perEndpoint].filter(([, n]) => n >= this.o.perEndpointConcurrency).map(([id]) => id);
        // Deliveries in flight at endpoints with room are read again: asked for on top of the page.
        const due = await this.o.webhooks.due(this.o.clock.now(), free + this.attempts.size, busy);
        for (const delivery of due) {
          if (this.attempts.size >= this.o.maxInFlight) break;
          if (this.attempts.has(delivery.id)) continue;
          const n = this.perEndpoint.get(delivery.endpointId) ?? 0;
          if (n >= this.o.perEndpointConcurrency) continue;
          this.perEndpoint.set(delivery.endpointId, n + 1);
          const attempt = this.attempt(delivery).finally(() => {
            this.attempts.delete(delivery.id);
            const left = (this.perEndpoint.get(delivery.endpointId) ?? 1) - 1;
            if (left <= 0) this.perEndpoint.delete(delivery.endpointId);
            else this.perEndpoint.set(delivery.endpointId, left);
            // A slot is free: what waited for it may go.
            this.soon();
          });
          this.attempts.set(delivery.id, attempt);
        }
      } catch (err) {
        this.o.log.warn({ err }, "webhook outbox pass failed");
      } finally {
        this.running = null;
        // Woken while this pass ran (a poll, a new message): what it would have found is looked for now.
        if (this.again) this.soon();
      }
    })();
    this.running = pass;
    return pass;
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    try {
      const endpoint = await this.o.webhooks.endpoint(delivery.orgId, delivery.endpointId);
      const now = this.o.clock.now();
      if (endpoint === null) return; // Deleted meanwhile: its deliveries went with it.
      // Stopped while the endpoint was read: the message stays pending for the next start.
      if (this.stopped) return;
      // A test message goes to a paused endpoint too: the operator checks it before turning it on.
      if (!endpoint.enabled && delivery.eventType !== "webhook.test") {
        // Paused: the delivery waits, as the organisation may turn the endpoint back on.
        await this.o.webhooks.reschedule(
          delivery.id,
          { attempts: delivery.attempts, nextAttemptAt: now + this.o.backoff.maxMs, error: "endpoint disabled", statusCode: null },
          now,
        );
        return;
      }
      const headers = webhookHeaders(this.o.hmac, signingSecrets(endpoint, now), delivery.id, now, delivery.payload);
      // A sender that throws at once (a URL it cannot parse) fails the attempt like one that
      // rejects: the message is rescheduled, not picked up again at once.
      const result = await Promise.resolve()
        .then(() => this.o.sender.send({ url: endpoint.url, headers, body: delivery.payload }))
        .catch((err: unknown): WebhookSendResult => ({ outcome: "failed", error: err instanceof Error ? err.message : String(err), statusCode: null }));
      const at = this.o.clock.now();
      if (result.outcome === "delivered") {
        this.counters.sent++;
        await this.o.webhooks.settle(delivery.id, { status: "sent", statusCode: result.statusCode }, at);
        return;
      }
      const attempts = delivery.attempts + 1;
      if (attempts >= this.o.maxAttempts) {
        this.counters.dead++;
        this.o.log.warn(
          { deliveryId: delivery.id, endpointId: delivery.endpointId, statusCode: result.statusCode, reason: result.error },
          "webhook dead-lettered",
        );
        await this.o.webhooks.settle(
          delivery.id,
          { status: "dead", error: `${result.error} (after ${attempts} attempts)`, statusCode: result.statusCode },
          at,
        );
        return;
      }
      this.counters.retried++;
      await this.o.webhooks.reschedule(
        delivery.id,
        { attempts, nextAttemptAt: at + webhookRetryDelayMs(attempts, this.o.backoff), error: result.error, statusCode: result.statusCode },
        at,
      );
    } catch (err) {
      // Storage failed mid-attempt: the delivery stays pending and a later pass tries it again.
      this.o.log.warn({ err, deliveryId: delivery.id }, "webhook attempt failed");
    }
  }
}
