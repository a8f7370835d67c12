import { randomUUID } from "node:crypto";
import type { WebhookDelivery } from "../../services/repositories.js";
import { DELIVERY_COLUMNS, type DeliveryRow, deliveryOf, marks, type WebhookClaims } from "../sql/SqlWebhookRepository.js";
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
 * Due webhook deliveries in PostgreSQL, claimed as PostgresDeliveryRepository.duePush claims
 * pushes: rows locked FOR UPDATE SKIP LOCKED and leased to this process, passed over by the others
 * until rescheduled, settled or expired (`release` clears the lease).
 */
export class PostgresWebhookClaims implements WebhookClaims {
  readonly release = ", lease_owner = NULL, lease_until = NULL";
  private readonly leaseOwner: string;
  private readonly leaseMs: number;

  constructor(
    private readonly db: PostgresDatabase,
    options: PostgresWebhookOptions = {},
  ) {
    this.leaseOwner = options.leaseOwner ?? randomUUID();
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  due(now: number, limit: number, skipEndpoints: readonly string[]): Promise<WebhookDelivery[]> {
    const skip = skipEndpoints.length === 0 ? "" : `AND endpoint_id NOT IN (${marks(skipEndpoints.length)})`;
    // READ COMMITTED: the row locks serialise the claim, as in PostgresDeliveryRepository.duePush.
    return this.db.transaction(
      async (tx) => {
        const rows = await tx.all<DeliveryRow>(
          `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
           WHERE status = 'pending' AND next_attempt_at <= ? ${skip}
             AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)
           ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
          [now, ...skipEndpoints, this.leaseOwner, now, limit],
        );
        if (rows.length > 0)
          await tx.run(`UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ? WHERE id IN (${marks(rows.length)})`, [
            this.leaseOwner,
            now + this.leaseMs,
            ...rows.map((r) => r.id),
          ]);
        return rows.map(deliveryOf);
      },
      { readCommitted: true },
    );
  }

  async nextDueAt(): Promise<number | null> {
    // A delivery leased to another process is not this one's to send before its lease runs out.
    const row = await this.db.get<{ at: number | null }>(
      `SELECT MIN(CASE WHEN lease_owner IS NOT NULL AND lease_owner <> ? THEN GREATEST(next_attempt_at, lease_until)
                  ELSE next_attempt_at END) AS at
       FROM webhook_deliveries WHERE status = 'pending'`,
      [this.leaseOwner],
    );
    return row?.at ?? null;
  }
}
