import type { WebhookDelivery } from "../../services/repositories.js";
import { DELIVERY_COLUMNS, type DeliveryRow, deliveryOf, marks, type WebhookClaims } from "../sql/SqlWebhookRepository.js";
import type { SqlExecutor } from "./SqliteDatabase.js";

/**
 * Due webhook deliveries in SQLite: one process sends, so `due` is a plain read and a delivery it
 * hands out is held by nothing but the sender's own memory.
 */
export class SqliteWebhookClaims implements WebhookClaims {
  readonly release = "";

  constructor(private readonly db: SqlExecutor) {}

  async due(now: number, limit: number, skipEndpoints: readonly string[]): Promise<WebhookDelivery[]> {
    const skip = skipEndpoints.length === 0 ? "" : `AND endpoint_id NOT IN (${marks(skipEndpoints.length)})`;
    const rows = await this.db.all<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ${skip}
       ORDER BY next_attempt_at, id LIMIT ?`,
      [now, ...skipEndpoints, limit],
    );
    return rows.map(deliveryOf);
  }

  async nextDueAt(): Promise<number | null> {
    const row = await this.db.get<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries WHERE status = 'pending'");
    return row?.at ?? null;
  }
}
