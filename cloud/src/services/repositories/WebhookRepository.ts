/** An organisation's webhook endpoint: where its events go, which ones, and the secrets that sign them. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly orgId: string;
  readonly url: string;
  readonly description: string;
  /** Event types or families (`offer.*`, `*`) the endpoint receives. */
  readonly events: readonly string[];
  readonly enabled: boolean;
  /**
   * The signing secret (`whsec_…`), stored as the cloud's other signing secrets are (the member-code
   * secret): usable, because the cloud must sign with it. Shown to the organisation at creation and
   * rotation only, never logged.
   */
  readonly secret: string;
  /** The secret before the last rotation, still signing until `previousSecretUntil`; null when none. */
  readonly previousSecret: string | null;
  /** Epoch ms: when the previous secret stops signing. */
  readonly previousSecretUntil: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What may change on an endpoint; absent fields stay. */
export interface WebhookEndpointChange {
  readonly url?: string;
  readonly description?: string;
  readonly events?: readonly string[];
  readonly enabled?: boolean;
}

/** `pending` waits for its next attempt; `sent` and `dead` are final (a dead one may be replayed). */
export type WebhookDeliveryStatus = "pending" | "sent" | "dead";
export const WEBHOOK_DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ["pending", "sent", "dead"];

/** One message to one endpoint. Its id is the `webhook-id`, the same across retries and replays. */
export interface NewWebhookDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly orgId: string;
  readonly eventType: string;
  /** The member the event is about (erasing the member deletes the message); null when none. */
  readonly userId: string | null;
  /** The request body, JSON, exactly as it is signed and sent. */
  readonly payload: string;
  /** Epoch ms: the first attempt. */
  readonly nextAttemptAt: number;
}

export interface WebhookDelivery extends NewWebhookDelivery {
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  /** Why the last attempt failed; null after a success or before the first attempt. */
  readonly lastError: string | null;
  /** The HTTP status of the last attempt; null when none answered (timeout, refused connection). */
  readonly lastStatusCode: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Where a page of deliveries ends: the last row's creation time and id. */
export interface WebhookDeliveryCursor {
  readonly at: number;
  readonly id: string;
}

export interface WebhookDeliveryQuery {
  readonly orgId: string;
  readonly endpointId: string | null;
  readonly status: WebhookDeliveryStatus | null;
  readonly limit: number;
  /** Rows older than this (newest first); null for the newest page. */
  readonly after: WebhookDeliveryCursor | null;
}

/** The outcome of an attempt that did not deliver. */
export interface WebhookAttemptFailure {
  readonly error: string;
  readonly statusCode: number | null;
}

/**
 * Webhook endpoints and the durable outbox of their deliveries, shaped like the push outbox
 * (DeliveryRepository): a delivery is written before its first attempt and changes state in place,
 * so a restart resumes every pending one. With several cloud processes on one database, `due`
 * hands a delivery to one process at a time (a lease), as `duePush` does.
 */
export interface WebhookRepository {
  createEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** The endpoint if it is the organisation's. */
  endpoint(orgId: string, id: string): Promise<WebhookEndpoint | null>;
  /** The organisation's endpoints, oldest first. */
  endpoints(orgId: string): Promise<WebhookEndpoint[]>;
  /** Applies a change; the endpoint after it, or null when it is not the organisation's. */
  updateEndpoint(orgId: string, id: string, change: WebhookEndpointChange, now: number): Promise<WebhookEndpoint | null>;
  /**
   * Makes `secret` the signing secret; the current one becomes the previous, signing until
   * `previousUntil` (epoch ms). The endpoint after it, or null when it is not the organisation's.
   */
  rotateSecret(orgId: string, id: string, secret: string, previousUntil: number, now: number): Promise<WebhookEndpoint | null>;
  /** Removes the endpoint and its deliveries; false when it is not the organisation's. */
  deleteEndpoint(orgId: string, id: string): Promise<boolean>;

  /** Stores new deliveries (an id already stored is ignored); how many were new. */
  enqueue(deliveries: readonly NewWebhookDelivery[], now: number): Promise<number>;
  /**
   * Pending deliveries due at `now`, earliest first, at most `limit`, leaving out those of the
   * endpoints in `skipEndpoints` (busy ones, so they cannot fill the page).
   */
  due(now: number, limit: number, skipEndpoints: readonly string[]): Promise<WebhookDelivery[]>;
  /** When the earliest pending delivery is due (epoch ms), or null when none is pending. */
  nextDueAt(): Promise<number | null>;
  /** The delivery if it is the organisation's. */
  delivery(orgId: string, id: string): Promise<WebhookDelivery | null>;
  /**
   * Makes the endpoint's pending deliveries due at `now` (it was turned back on: what waited while
   * it was off goes at once, not at its next try an hour later); how many.
   */
  resume(orgId: string, endpointId: string, now: number): Promise<number>;
  /** Counts a failed attempt on a pending delivery and sets its next one. */
  reschedule(id: string, change: { attempts: number; nextAttemptAt: number } & WebhookAttemptFailure, now: number): Promise<void>;
  /** Ends a pending delivery: sent (with the status that accepted it) or dead (with the last failure); counts the attempt. */
  settle(id: string, outcome: { status: "sent"; statusCode: number } | ({ status: "dead" } & WebhookAttemptFailure), now: number): Promise<void>;
  /** The organisation's deliveries, newest first, filtered by endpoint and status. */
  deliveries(query: WebhookDeliveryQuery): Promise<WebhookDelivery[]>;
  /** Puts a dead delivery back in the queue, due at `now`, its attempts reset; false when it is not a dead one of the organisation. */
  replay(orgId: string, id: string, now: number): Promise<boolean>;
}
