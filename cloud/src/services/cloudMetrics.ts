import type { FleetService } from "./FleetService.js";
import type { IngestService } from "./IngestService.js";
import type { Counter, MetricsRegistry } from "./MetricsRegistry.js";
import type { EventPipeline } from "./pipeline/EventPipeline.js";

export interface CloudMetricSources {
  readonly ingest: Pick<IngestService, "counters">;
  readonly offers: Pick<EventPipeline, "counters">;
  readonly fleet: Pick<FleetService, "counters" | "summary">;
}

/** Redemption outcomes, as the till sees them. */
export type RedemptionOutcome =
  | "redeemed"
  | "replayed"
  | "unknown-code"
  | "expired"
  | "wrong-store"
  | "already-redeemed"
  | "key-reused";

/**
 * The cloud's own metric families over the services' counters (read at scrape time) and the
 * fleet's state. Every label comes from a closed set. Returns the counters the HTTP layer feeds.
 */
export function cloudMetrics(registry: MetricsRegistry, s: CloudMetricSources): { redemptions: Counter } {
  const { ingest, offers, fleet } = s;
  registry.register("arrival_events_ingested_total", "Presence events stored (first delivery only).", "counter", () => [
    { value: ingest.counters.eventsStored },
  ]);
  registry.register(
    "arrival_events_duplicate_total",
    "Presence events delivered again and deduplicated.",
    "counter",
    () => [{ value: ingest.counters.duplicates }],
  );
  registry.register(
    "arrival_events_rejected_total",
    "Refusals at ingest, by reason: topic, schema, storage (whole batches, not acknowledged); foreign-event, subject-id, app-subject (single events).",
    "counter",
    () =>
      Object.entries(ingest.counters.rejections).map(([reason, value]) => ({ labels: { reason }, value })),
  );
  registry.register(
    "arrival_event_batches_rejected_total",
    "Event batches refused as a whole (schema, version or size), so not acknowledged.",
    "counter",
    () => [{ labels: { reason: "invalid" }, value: ingest.counters.rejectedBatches }],
  );
  registry.register("arrival_offers_issued_total", "Offers issued by the rules engine.", "counter", () => [
    { value: offers.counters.offersIssued },
  ]);
  const redemptions = registry.counter(
    "arrival_redemptions_total",
    "Redemption requests at the till, by outcome (redeemed, replayed = same idempotency key, or the refusal).",
    ["outcome"],
  );
  registry.register(
    "arrival_gateway_messages_rejected_total",
    "Gateway status and telemetry messages refused, by channel and reason (invalid, unregistered, topic).",
    "counter",
    () =>
      (["status", "telemetry"] as const).flatMap((channel) =>
        Object.entries(fleet.counters.rejected[channel]).map(([reason, value]) => ({
          labels: { channel, reason },
          value,
        })),
      ),
  );
  registry.register(
    "arrival_config_pushes_total",
    "Config pushes to gateways, by outcome: published, refused (invalid config), failed (broker).",
    "counter",
    () => Object.entries(fleet.counters.configPushes).map(([outcome, value]) => ({ labels: { outcome }, value })),
  );
  registry.register(
    "arrival_config_reports_total",
    "Config outcomes reported by gateways, by state (applied, rejected).",
    "counter",
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
  registry.register("arrival_gateways", "Registered gateways by state (online, offline, unknown).", "gauge", async () =>
    Object.entries((await summary()).byState).map(([state, value]) => ({ labels: { state }, value })),
  );
  registry.register(
    "arrival_gateways_offline_too_long",
    "Gateways offline for longer than fleet.offlineAlertS.",
    "gauge",
    async () => [{ value: (await summary()).offlineTooLong }],
  );
  registry.register(
    "arrival_gateway_configs",
    "Gateways by state of their desired config (none, pending, applied, rejected).",
    "gauge",
    async () => Object.entries((await summary()).configs).map(([state, value]) => ({ labels: { state }, value })),
  );
  return { redemptions };
}
