import type { PgValue, PostgresDatabase } from "./PostgresDatabase.js";

/** Where a leased queue lives and who holds its leases (the push outbox, the webhook deliveries). */
export interface LeasedQueue {
  /** The table: rows with `id`, `status`, `next_attempt_at`, `lease_owner` and `lease_until`. */
  readonly table: string;
  /** The columns to read back. */
  readonly columns: string;
  /** This process's lease owner id. */
  readonly owner: string;
  /** How long a claimed row stays this process's, ms. */
  readonly leaseMs: number;
}

/**
 * Claims up to `limit` due pending rows of `queue` for this process: locked `FOR UPDATE SKIP
 * LOCKED` (a process never waits for another's claim) and leased until `now + leaseMs`. Rows leased
 * to another process are passed over until their lease runs out; this process is handed its own
 * again. `filter` narrows the due rows further (an SQL condition starting with AND, with its
 * parameters).
 *
 * READ COMMITTED: the row locks are what serialise the claim (a row another process claimed
 * meanwhile is read again after its commit and then fails the lease test), as a queue's SKIP LOCKED
 * consumer does; a SERIALIZABLE snapshot would only add aborts.
 */
export function claimDue<Row extends { id: string }>(
  db: PostgresDatabase,
  queue: LeasedQueue,
  now: number,
  limit: number,
  filter: { readonly sql: string; readonly params: readonly PgValue[] } = { sql: "", params: [] },
): Promise<Row[]> {
  return db.transaction(
    async (tx) => {
      const rows = await tx.all<Row>(
        `SELECT ${queue.columns} FROM ${queue.table}
         WHERE status = 'pending' AND next_attempt_at <= ? ${filter.sql}
           AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)
         ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [now, ...filter.params, queue.owner, now, limit],
      );
      if (rows.length > 0)
        await tx.run(
          `UPDATE ${queue.table} SET lease_owner = ?, lease_until = ? WHERE id IN (${rows.map(() => "?").join(", ")})`,
          [queue.owner, now + queue.leaseMs, ...rows.map((r) => r.id)],
        );
      return rows;
    },
    { readCommitted: true },
  );
}

/**
 * When `queue`'s next pending row falls due for this process: a row leased to another process is
 * not this one's to take before its lease runs out.
 */
export async function nextDueAt(db: PostgresDatabase, queue: LeasedQueue): Promise<number | null> {
  const row = await db.get<{ at: number | null }>(
    `SELECT MIN(CASE WHEN lease_owner IS NOT NULL AND lease_owner <> ? THEN GREATEST(next_attempt_at, lease_until)
                ELSE next_attempt_at END) AS at
     FROM ${queue.table} WHERE status = 'pending'`,
    [queue.owner],
  );
  return row?.at ?? null;
}
