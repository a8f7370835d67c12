import type { FleetService } from "./FleetService.js";
import type { IngestService } from "./IngestService.js";
import type { CounterInstrument, LatencyHistogram, Metrics } from "./Metrics.js";
import type { EventPipeline } from "./pipeline/EventPipeline.js";

export interface CloudMetricSources {
  readonly ingest: Pick<IngestService, "counters" | "queuedEvents">;
  readonly offers: Pick<EventPipeline, "counters" | "queuedDecisions">;
  readonly fleet: Pick<FleetService, "counters" | "summary">;
  /** Offers stored but not yet handed to the broker and still valid, read at scrape time. */
  readonly undeliveredOffers?: () => Promise<number>;
  /** Gateway outboxes whose ack waits behind a missing batch, read at scrape time (fleet-wide). */
  readonly outboxesBehindGap?: () => Promise<number>;
  /** Whether this worker now runs the fleet's periodic jobs. */
  readonly leader?: () => boolean;
}

/** Redemption outcomes, as the till sees them. */
export type RedemptionOutcome =
  | "redeemed"
  | "replayed"
  | "locked"
  | "unknown-code"
  | "expired"
  | "wrong-store"
  | "already-redeemed"
  | "key-reused";

/**
 * Upper bounds of the latency histograms, seconds: fine around the targets (event → offer p50 ≤ 5 ms,
 * p99 ≤ 20 ms; see docs/benchmarks.md) and coarse up to seconds, where a backlog shows.
 */
export const LATENCY_BUCKETS_S: readonly number[] = [
  0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** The pipeline's latency histograms, observed where the work happens (ingest and decision services). */
export interface PipelineLatency {
  /** One ingest storage transaction (a group of batches), from its start to its commit. */
  readonly ingestCommit: LatencyHistogram;
  /** One decision over candidate rules, to its record's commit; label `outcome`: offer or none. */
  readonly decision: LatencyHistogram;
  /** From an event's receipt by the cloud to its offer's publish to the broker. */
  readonly eventToOffer: LatencyHistogram;
}

/** Creates the pipeline's latency histograms (before the services that observe them). */
export function pipelineLatency(metrics: Metrics): PipelineLatency {
  return {
    ingestCommit: metrics.histogram({
      name: "arrival_ingest_commit_duration_seconds",
      help: "Duration of one ingest storage transaction (a group of event batches) up to its commit, seconds.",
      bucketsS: LATENCY_BUCKETS_S,
    }),
    decision: metrics.histogram({
      name: "arrival_decision_duration_seconds",
      help: "Duration of one decision of an event over candidate rules up to its recorded commit, seconds, by outcome (offer, none).",
      labelNames: ["outcome"],
      bucketsS: LATENCY_BUCKETS_S,
    }),
    eventToOffer: metrics.histogram({
      name: "arrival_event_to_offer_seconds",
      help: "From an event's receipt by the cloud to its offer's publish to the broker, seconds.",
      bucketsS: LATENCY_BUCKETS_S,
    }),
  };
}

/**
 * The cloud's own metric families over the services' counters (read at scrape time) and the
 * fleet's state. Every label comes from a closed set. Returns the counters the HTTP layer feeds.
 */
export function cloudMetrics(
  metrics: Metrics,
  s: CloudMetricSources,
): { redemptions: CounterInstrument; takeovers: CounterInstrument } {
  const { ingest, offers, fleet } = s;
  metrics.collected(
    { name: "arrival_events_ingested_total", help: "Presence events stored (first delivery only).", type: "counter" },
    () => [{ value: ingest.counters.eventsStored }],
  );
  metrics.collected(
    { name: "arrival_events_duplicate_total", help: "Presence events delivered again and deduplicated.", type: "counter" },
    () => [{ value: ingest.counters.duplicates }],
  );
  metrics.collected(
    {
      name: "arrival_events_rejected_total",
      help: "Refusals at ingest, by reason: topic, schema, storage (whole batches, not acknowledged); foreign-event, subject-id, app-subject, unknown-zone, bad-time, too-old, in-future (single events, acknowledged).",
      labelNames: ["reason"],
      type: "counter",
    },
    () => Object.entries(ingest.counters.rejections).map(([reason, value]) => ({ labels: { reason }, value })),
  );
  metrics.collected(
    {
      name: "arrival_event_batches_rejected_total",
      help: "Event batches refused as a whole (schema, version or size), so not acknowledged.",
      labelNames: ["reason"],
      type: "counter",
    },
    () => [{ labels: { reason: "invalid" }, value: ingest.counters.rejectedBatches }],
  );
  metrics.collected(
    { name: "arrival_offers_issued_total", help: "Offers issued by the rules engine.", type: "counter" },
    () => [{ value: offers.counters.offersIssued }],
  );
  metrics.collected(
    {
      name: "arrival_ingest_events_queued",
      help: "Events received and waiting for an ingest commit (the subscription waits past ingest.maxQueuedEvents).",
      type: "gauge",
    },
    () => [{ value: ingest.queuedEvents }],
  );
  metrics.collected(
    { name: "arrival_decisions_queued", help: "Stored events waiting for (or in) a decision.", type: "gauge" },
    () => [{ value: offers.queuedDecisions }],
  );
  const { undeliveredOffers } = s;
  if (undeliveredOffers)
    metrics.collected(
      {
        name: "arrival_offers_undelivered",
        help: "Offers stored and still valid but not yet handed to the broker (the offer sweeper retries them).",
        type: "gauge",
        scope: "fleet",
      },
      async () => [{ value: await undeliveredOffers() }],
    );
  const redemptions = metrics.counter({
    name: "arrival_redemptions_total",
    help: "Redemption requests at the till, by outcome (redeemed, replayed = same idempotency key, locked = refused by the lockout, or the refusal).",
    labelNames: ["outcome"],
  });
  metrics.collected(
    {
      name: "arrival_gateway_messages_rejected_total",
      help: "Gateway status and telemetry messages refused, by channel and reason (invalid, unregistered, topic).",
      labelNames: ["channel", "reason"],
      type: "counter",
    },
    () =>
      (["status", "telemetry"] as const).flatMap((channel) =>
        Object.entries(fleet.counters.rejected[channel]).map(([reason, value]) => ({
          labels: { channel, reason },
          value,
        })),
      ),
  );
  metrics.collected(
    {
      name: "arrival_config_pushes_total",
      help: "Config pushes to gateways, by outcome: published, refused (invalid config), failed (broker).",
      labelNames: ["outcome"],
      type: "counter",
    },
    () => Object.entries(fleet.counters.configPushes).map(([outcome, value]) => ({ labels: { outcome }, value })),
  );
  metrics.collected(
    {
      name: "arrival_config_reports_total",
      help: "Config outcomes reported by gateways, by state (applied, rejected).",
      labelNames: ["state"],
      type: "counter",
    },
    () => Object.entries(fleet.counters.configReports).map(([state, value]) => ({ labels: { state }, value })),
  );
  // One read of the fleet per scrape serves the three gauges below.
  let pending: Promise<Awaited<ReturnType<FleetService["summary"]>>> | null = null;
  const summary = () => {
    pending ??= fleet.summary().finally(() => {
      pending = null;
    });
    return pending;
  };
  metrics.collected(
    {
      name: "arrival_gateways",
      help: "Registered gateways by state (online, degraded, offline, unknown).",
      labelNames: ["state"],
      type: "gauge",
      scope: "fleet",
    },
    async () => Object.entries((await summary()).byState).map(([state, value]) => ({ labels: { state }, value })),
  );
  metrics.collected(
    {
      name: "arrival_gateways_offline_too_long",
      help: "Gateways offline for longer than fleet.offlineAlertS.",
      type: "gauge",
      scope: "fleet",
    },
    async () => [{ value: (await summary()).offlineTooLong }],
  );
  metrics.collected(
    {
      name: "arrival_gateway_configs",
      help: "Gateways by state of their desired config (none, pending, applied, rejected).",
      labelNames: ["state"],
      type: "gauge",
      scope: "fleet",
    },
    async () => Object.entries((await summary()).configs).map(([state, value]) => ({ labels: { state }, value })),
  );
  const { outboxesBehindGap, leader } = s;
  if (outboxesBehindGap)
    metrics.collected(
      {
        name: "arrival_gateway_outboxes_behind_gap",
        help: "Gateway outboxes whose ack waits behind a missing batch (later batches stored, an earlier one not yet); the gateway re-sends it after its ack timeout.",
        type: "gauge",
        scope: "fleet",
      },
      async () => [{ value: await outboxesBehindGap() }],
    );
  if (leader)
    metrics.collected(
      {
        name: "arrival_worker_leader",
        help: "1 while this worker runs the fleet's periodic jobs (reminders, retention, EID refresh, rule transitions), else 0; summed over the workers it is 1.",
        type: "gauge",
      },
      () => [{ value: leader() ? 1 : 0 }],
    );
  const takeovers = metrics.counter({
    name: "arrival_mqtt_session_takeovers_total",
    help: "MQTT connections that took over the session of a client id still connected (embedded broker), by role; a steady rise for gateways means two processes run with one identity.",
    labelNames: ["role"],
  });
  return { redemptions, takeovers };
}
