import { randomUUID } from "node:crypto";
import type { WebhookDelivery } from "../../services/repositories.js";
import { DELIVERY_COLUMNS, type DeliveryRow, deliveryOf, marks, type WebhookClaims } from "../sql/SqlWebhookRepository.js";
import { claimDue, type LeasedQueue, nextDueAt } from "./leasedQueue.js";
import type { PostgresDatabase } from "./PostgresDatabase.js";

/** Options of the PostgreSQL webhook claims (as PostgresDeliveryOptions). */
export interface PostgresWebhookOptions {
  /** Who holds the leases taken on due deliveries: one id per cloud process. Default: a random id. */
  readonly leaseOwner?: string;
  /**
   * How long a delivery handed out by `due` stays this process's, ms: longer than one attempt (the
   * sender gives up after its timeout), short enough that a dead process's deliveries are sent soon
   * by another. Default 60 000.
   */
  readonly leaseMs?: number;
}

/**
 * Due webhook deliveries in PostgreSQL, claimed as the push outbox is (`claimDue`): rows locked FOR
 * UPDATE SKIP LOCKED and leased to this process, passed over by the others until rescheduled,
 * settled or expired (`release` clears the lease).
 */
export class PostgresWebhookClaims implements WebhookClaims {
  readonly release = ", lease_owner = NULL, lease_until = NULL";
  private readonly queue: LeasedQueue;

  constructor(
    private readonly db: PostgresDatabase,
    options: PostgresWebhookOptions = {},
  ) {
    this.queue = {
      table: "webhook_deliveries",
      columns: DELIVERY_COLUMNS,
      owner: options.leaseOwner ?? randomUUID(),
      leaseMs: options.leaseMs ?? 60_000,
    };
  }

  async due(now: number, limit: number, skipEndpoints: readonly string[]): Promise<WebhookDelivery[]> {
    const filter =
      skipEndpoints.length === 0 ? undefined : { sql: `AND endpoint_id NOT IN (${marks(skipEndpoints.length)})`, params: skipEndpoints };
    return (await claimDue<DeliveryRow>(this.db, this.queue, now, limit, filter)).map(deliveryOf);
  }

  nextDueAt(): Promise<number | null> {
    return nextDueAt(this.db, this.queue);
  }
}
