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
import type { SqlExecutor, SqliteDatabase } from "./SqliteDatabase.js";

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

/** Outbox rows one INSERT writes (11 parameters each, well inside SQLite's bound of 32 766). */
const ROWS_PER_INSERT = 200;

/** The push outbox, receipts, frequency-cap claims and push policies in SQLite (migration 16). */
export class SqliteDeliveryRepository implements DeliveryRepository {
  /** The cap's claims, the settles and their receipts, group-committed (see `PushWriteGroups`). */
  private readonly writes: PushWriteGroups;

  constructor(private readonly db: SqliteDatabase) {
    // The transaction holds the write lock (BEGIN IMMEDIATE): the cap rows need no lock of their own.
    this.writes = new PushWriteGroups(db, { lockCapRows: "", settleAlsoSets: "" });
  }

  enqueuePush(items: readonly NewPushOutboxItem[], now: number): Promise<number> {
    if (items.length === 0) return Promise.resolve(0);
    return this.db.transaction((tx) => this.enqueuePushIn(tx, items, now));
  }

  /**
   * `enqueuePush` inside a transaction of the caller's: a decision group stores its offers' push
   * rows with the offers (`SqliteOfferRepository`), so they are durable together.
   */
  enqueuePushIn(tx: SqlExecutor, items: readonly NewPushOutboxItem[], now: number): Promise<number> {
    return insertPushItems(tx, items, now, ROWS_PER_INSERT, null);
  }

  async duePush(now: number, limit: number): Promise<PushOutboxItem[]> {
    const rows = await this.db.all<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM push_outbox WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, id LIMIT ?`,
      [now, limit],
    );
    return rows.map(itemOf);
  }

  async nextPushDueAt(): Promise<number | null> {
    const row = await this.db.get<{ at: number | null }>(
      "SELECT MIN(next_attempt_at) AS at FROM push_outbox WHERE status = 'pending'",
    );
    return row?.at ?? null;
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
    await this.db.run(
      `UPDATE push_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?
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
    // The settle and its receipt in one commit, shared with the group's other writes: at
    // `synchronous = FULL` each commit is a sync to disk.
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
      `UPDATE push_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
       WHERE id = ? AND status = 'dead'`,
      [now, now, id],
    );
    return result.changes > 0;
  }

  async recordReceipts(receipts: readonly DeliveryReceipt[], at: number): Promise<void> {
    if (receipts.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const r of receipts)
        await tx.run(
          "INSERT INTO delivery_receipts (offer_id, channel, store_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
          [r.offerId, r.channel, r.storeId, at],
        );
    });
  }

  async receiptCounts(query: {
    orgId: string;
    storeId: string | null;
    from: number;
    to: number;
  }): Promise<Record<DeliveryChannel, number>> {
    const rows = await this.db.all<{ channel: DeliveryChannel; n: number }>(
      `SELECT r.channel, COUNT(*) AS n FROM delivery_receipts r JOIN stores s ON s.id = r.store_id
       WHERE s.org_id = ? AND (? IS NULL OR r.store_id = ?) AND r.at >= ? AND r.at < ? GROUP BY r.channel`,
      [query.orgId, query.storeId, query.storeId, query.from, query.to],
    );
    const counts = Object.fromEntries(DELIVERY_CHANNELS.map((c) => [c, 0])) as Record<DeliveryChannel, number>;
    for (const r of rows) counts[r.channel] = r.n;
    return counts;
  }

  claimNotification(userId: string, offerId: string, now: number, capMs: number): Promise<boolean> {
    // Decided inside its group's transaction, so two channels claiming at once cannot both win for
    // different offers; the claim is durable (its group's commit) before the notification is sent.
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
