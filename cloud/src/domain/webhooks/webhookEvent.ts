/**
 * The events a retailer's systems receive by webhook, and the payload shape the Standard Webhooks
 * specification recommends (`{ type, timestamp, data }`). Payloads carry ids, not names: the
 * receiver looks up what it is allowed to know through the API.
 */

export const WEBHOOK_EVENT_TYPES = [
  "offer.issued",
  "offer.delivered",
  "offer.redeemed",
  "coupon.claimed",
  "coupon.gifted",
  "pickup.arrived",
  "visit.started",
  "visit.ended",
  "points.changed",
  "tier.changed",
  "gateway.offline",
  /** A test message sent on request (`POST /v1/webhooks/endpoints/:id/test`); never filtered out. */
  "webhook.test",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The event types an endpoint may subscribe to (the test ping goes to the endpoint asked). */
export const SUBSCRIBABLE_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter((t) => t !== "webhook.test");

/** Event types whose data describe a member's movements: sent only with the member's analytics consent. */
export const CONSENT_GATED_EVENT_TYPES: readonly WebhookEventType[] = ["visit.started", "visit.ended"];

/** A filter entry: an event type, a family (`offer.*`) or everything (`*`). */
export type WebhookEventFilter = string;

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** The entries of `filters` that match no subscribable type (empty: all valid). */
export function invalidFilters(filters: readonly string[]): string[] {
  return filters.filter((f) => !SUBSCRIBABLE_EVENT_TYPES.some((t) => filterMatches(f, t)));
}

function filterMatches(filter: string, type: WebhookEventType): boolean {
  if (filter === "*") return true;
  if (filter.endsWith(".*")) return type.startsWith(filter.slice(0, -1));
  return filter === type;
}

/** True when an endpoint with these filters wants events of `type`. */
export function wantsEvent(filters: readonly WebhookEventFilter[], type: WebhookEventType): boolean {
  if (type === "webhook.test") return true;
  return filters.some((f) => filterMatches(f, type));
}

/** One event as sent: the body of the webhook request. */
export interface WebhookPayload {
  readonly type: WebhookEventType;
  /** ISO 8601, when the event happened. */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, string | number | boolean | null>>;
}

/** The payload of an event of `type` at `at` (epoch ms). */
export function webhookPayload(type: WebhookEventType, at: number, data: WebhookPayload["data"]): WebhookPayload {
  return { type, timestamp: new Date(at).toISOString(), data };
}
