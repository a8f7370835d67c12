import type { NewPushOutboxItem } from "../../services/repositories.js";
import { chunks } from "./multiRow.js";
import type { SharedSqlExecutor } from "./SqlDatabase.js";

/** Who may send the stored items first, and until when (PostgreSQL's lease; SQLite has one process). */
export interface PushItemLease {
  readonly owner: string;
  readonly until: number;
}

/**
 * Stores new push outbox items, pending, with `now` as their creation time, in statements of at most
 * `rowsPerStatement` rows (each statement is a round trip: an offer burst queues thousands, and a
 * decision group's transaction stays open for every one). An item whose offer and installation the
 * outbox holds already is left as it is. Resolves to how many were stored.
 */
export async function insertPushItems(
  tx: SharedSqlExecutor,
  items: readonly NewPushOutboxItem[],
  now: number,
  rowsPerStatement: number,
  lease: PushItemLease | null,
): Promise<number> {
  const leaseColumns = lease === null ? "" : ", lease_owner, lease_until";
  const leaseValues = lease === null ? "" : ", ?, ?";
  let added = 0;
  for (const part of chunks(items, rowsPerStatement)) {
    const result = await tx.run(
      `INSERT INTO push_outbox (id, offer_id, user_id, installation_id, org_id, store_id, title, expires_at,
         status, attempts, next_attempt_at, last_error, created_at, updated_at${leaseColumns})
       VALUES ${part.map(() => `(?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, ?, ?${leaseValues})`).join(", ")}
       ON CONFLICT (offer_id, installation_id) DO NOTHING`,
      part.flatMap((r) => [
        r.id,
        r.offerId,
        r.userId,
        r.installationId,
        r.orgId,
        r.storeId,
        r.title,
        r.expiresAt,
        r.nextAttemptAt,
        now,
        now,
        ...(lease === null ? [] : [lease.owner, lease.until]),
      ]),
    );
    added += result.changes;
  }
  return added;
}
