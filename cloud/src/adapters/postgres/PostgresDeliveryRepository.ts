import { randomUUID } from "node:crypto";
import {
  DELIVERY_CHANNELS,
  type DeliveryChannel,
  type DeliveryReceipt,
  type DeliveryRepository,
  type NewPushOutboxItem,
  type PushOutboxItem,
  type PushOutboxStatus,
  type PushPolicy,
} from "../../services/repositories.js";
import { insertPushItems } from "../sql/pushOutboxRows.js";
import { PushWriteGroups } from "../sql/PushWriteGroups.js";
import type { PgExecutor, PgValue, PostgresDatabase } from "./PostgresDatabase.js";
import { claimDue, type LeasedQueue, nextDueAt } from "./leasedQueue.js";

interface ItemRow {
  id: string;
  offer_id: string;
  user_id: string;
  installation_id: string;
  org_id: string;
  store_id: string;
  title: string;
  expires_at: number;
  status: PushOutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

const ITEM_COLUMNS =
  "id, offer_id, user_id, installation_id, org_id, store_id, title, expires_at, status, attempts, next_attempt_at, last_error, created_at, updated_at";

function itemOf(r: ItemRow): PushOutboxItem {
  return {
    id: r.id,
    offerId: r.offer_id,
    userId: r.user_id,
    installationId: r.installation_id,
    orgId: r.org_id,
    storeId: r.store_id,
    title: r.title,
    expiresAt: r.expires_at,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}


/** Outbox rows one INSERT writes (13 parameters each, well inside PostgreSQL's 65 535). */
const ROWS_PER_INSERT = 500;

/** Options of the PostgreSQL delivery repository. */
export interface PostgresDeliveryOptions {
  /**
   * Who holds the leases this repository takes on due items: one id per cloud process. Default: a
   * random id, so each repository (each process) is a holder of its own.
   */
  readonly leaseOwner?: string;
  /**
   * How long a due item handed out by `duePush` stays this process's before another may take it,
   * ms: long enough for one attempt (a sender gives up after 10 s), short enough that the items of a
   * process that died mid-pass are sent soon after by another. Default 60 000.
   */
  readonly leaseMs?: number;
}

/**
 * The push outbox, receipts, frequency-cap claims and push policies in PostgreSQL (migration 6 =
 * SQLite 16).
 *
 * Several cloud processes run a push dispatcher each on one database, so the outbox must not hand
 * one due item to two of them. `duePush` claims what it returns: the due rows are locked
 * (`FOR UPDATE SKIP LOCKED`, so a process never waits for another's claim) and leased to this
 * process until `now + leaseMs`; another process's `duePush` passes them over until the item is
 * rescheduled or settled (which end the lease) or the lease runs out (its holder died). The same
 * process is handed its own leased items again, so the port's contract (a read, repeated at will)
 * holds for one process as it does for SQLite's single one.
 */
export class PostgresDeliveryRepository implements DeliveryRepository {
  private readonly leaseOwner: string;
  private readonly leaseMs: number;
  private readonly queue: LeasedQueue;
  /**
   * The cap's claims, the settles and their receipts, group-committed (see `PushWriteGroups`) in
   * SERIALIZABLE transactions: the claims read the members' rows and decide in memory, so two
   * processes' groups over one member must not both decide from what they read. The rows there
   * are locked FOR UPDATE, in user order: the later group waits, then (its snapshot stale) runs
   * again, as does one that inserted a member's first row another process inserted meanwhile.
   */
  private readonly writes: PushWriteGroups;

  constructor(
    private readonly db: PostgresDatabase,
    options: PostgresDeliveryOptions = {},
  ) {
    this.leaseOwner = options.leaseOwner ?? randomUUID();
    this.leaseMs = options.leaseMs ?? 60_000;
    this.queue = { table: "push_outbox", columns: ITEM_COLUMNS, owner: this.leaseOwner, leaseMs: this.leaseMs };
    this.writes = new PushWriteGroups(db, {
      lockCapRows: " ORDER BY user_id FOR UPDATE",
      // The attempt is over: whichever process finds the item due next may take it.
      settleAlsoSets: ", lease_owner = NULL, lease_until = NULL",
    });
  }

  enqueuePush(items: readonly NewPushOutboxItem[], now: number): Promise<number> {
    if (items.length === 0) return Promise.resolve(0);
    return this.db.transaction((tx) => this.enqueuePushIn(tx, items, now));
  }

  /**
   * `enqueuePush` inside a transaction of the caller's: a decision group stores its offers' push
   * rows with the offers (`PostgresOfferRepository`), so they are durable together.
   *
   * Leased to this process as they are stored: the dispatcher that queued them sends them at once
   * without reading them back, so another process must not take them meanwhile (if this one dies,
   * the lease runs out and another sends them).
   */
  enqueuePushIn(tx: PgExecutor, items: readonly NewPushOutboxItem[], now: number): Promise<number> {
    return insertPushItems(tx, items, now, ROWS_PER_INSERT, { owner: this.leaseOwner, until: now + this.leaseMs });
  }

  async duePush(now: number, limit: number): Promise<PushOutboxItem[]> {
    return (await claimDue<ItemRow>(this.db, this.queue, now, limit)).map(itemOf);
  }

  nextPushDueAt(): Promise<number | null> {
    return nextDueAt(this.db, this.queue);
  }

  async pushItem(id: string): Promise<PushOutboxItem | null> {
    const row = await this.db.get<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM push_outbox WHERE id = ?`, [id]);
    return row ? itemOf(row) : null;
  }

  async reschedulePush(
    id: string,
    change: { attempts: number; nextAttemptAt: number; error: string | null },
    now: number,
  ): Promise<void> {
    // The attempt is over: whichever process finds it due next may take it.
    await this.db.run(
      `UPDATE push_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?,
         lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'pending'`,
      [change.attempts, change.nextAttemptAt, change.error, now, id],
    );
  }

  settlePush(
    id: string,
    status: Exclude<PushOutboxStatus, "pending">,
    reason: string | null,
    now: number,
    receipt?: DeliveryReceipt,
  ): Promise<void> {
    // One commit for both, shared with the group's other writes: the item is never sent without
    // its receipt, nor the other way round.
    return this.writes.settle(id, status, reason, now, receipt);
  }

  async deadPush(orgId: string, limit: number): Promise<PushOutboxItem[]> {
    const rows = await this.db.all<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM push_outbox WHERE org_id = ? AND status = 'dead'
       ORDER BY updated_at DESC, id DESC LIMIT ?`,
      [orgId, limit],
    );
    return rows.map(itemOf);
  }

  async replayPush(id: string, now: number): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE push_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?,
         lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'dead'`,
      [now, now, id],
    );
    return result.changes > 0;
  }

  async recordReceipts(receipts: readonly DeliveryReceipt[], at: number): Promise<void> {
    if (receipts.length === 0) return;
    await insertReceipts(this.db, receipts, at);
  }

  async receiptCounts(query: {
    orgId: string;
    storeId: string | null;
    from: number;
    to: number;
  }): Promise<Record<DeliveryChannel, number>> {
    // The store filter is left out rather than written `? IS NULL OR …`: PostgreSQL cannot type a
    // parameter that is only ever compared with NULL.
    const params: PgValue[] = [query.orgId, query.from, query.to];
    if (query.storeId !== null) params.push(query.storeId);
    const rows = await this.db.all<{ channel: DeliveryChannel; n: number }>(
      `SELECT r.channel, COUNT(*) AS n FROM delivery_receipts r JOIN stores s ON s.id = r.store_id
       WHERE s.org_id = ? AND r.at >= ? AND r.at < ? ${query.storeId === null ? "" : "AND r.store_id = ?"}
       GROUP BY r.channel`,
      params,
    );
    const counts = Object.fromEntries(DELIVERY_CHANNELS.map((c) => [c, 0])) as Record<DeliveryChannel, number>;
    for (const r of rows) counts[r.channel] = r.n;
    return counts;
  }

  claimNotification(userId: string, offerId: string, now: number, capMs: number): Promise<boolean> {
    // Decided inside its group's transaction, so two channels (or two processes) claiming at once
    // cannot both win for different offers; durable (its group's commit) before it is answered.
    return this.writes.claim(userId, offerId, now, capMs);
  }

  async pushPolicy(orgId: string, storeId: string | null): Promise<PushPolicy | null> {
    const row = await this.db.get<{ policy: string }>(
      "SELECT policy FROM push_policies WHERE org_id = ? AND store_id = ?",
      [orgId, storeId ?? ""],
    );
    return row ? (JSON.parse(row.policy) as PushPolicy) : null;
  }

  async setPushPolicy(orgId: string, storeId: string | null, policy: PushPolicy, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO push_policies (org_id, store_id, policy, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (org_id, store_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`,
      [orgId, storeId ?? "", JSON.stringify({ quietHours: policy.quietHours, frequencyCapMinutes: policy.frequencyCapMinutes }), now],
    );
  }
}

/** Rows per multi-row statement: 4 parameters a row stays far below PostgreSQL's 65 535 limit. */
const RECEIPTS_PER_STATEMENT = 1000;

/** Records receipts in multi-row statements; only the first per offer and channel is kept. */
async function insertReceipts(tx: PgExecutor, receipts: readonly DeliveryReceipt[], at: number): Promise<void> {
  for (let i = 0; i < receipts.length; i += RECEIPTS_PER_STATEMENT) {
    const part = receipts.slice(i, i + RECEIPTS_PER_STATEMENT);
    // ON CONFLICT DO NOTHING keeps the first of a key, also when one statement holds it twice.
    await tx.run(
      `INSERT INTO delivery_receipts (offer_id, channel, store_id, at) VALUES ${part.map(() => "(?, ?, ?, ?)").join(", ")}
       ON CONFLICT DO NOTHING`,
      part.flatMap((r) => [r.offerId, r.channel, r.storeId, at]),
    );
  }
}
