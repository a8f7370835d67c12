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

/** Most claims and settles one group commit takes (at most 4 parameters each per statement). */
const MAX_GROUP = 500;

interface PendingClaim {
  readonly kind: "claim";
  readonly userId: string;
  readonly offerId: string;
  readonly now: number;
  readonly capMs: number;
  readonly resolve: (won: boolean) => void;
  readonly reject: (err: unknown) => void;
}

interface PendingSettle {
  readonly kind: "settle";
  readonly id: string;
  readonly status: Exclude<PushOutboxStatus, "pending">;
  readonly reason: string | null;
  readonly now: number;
  readonly receipt: DeliveryReceipt | undefined;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

type PendingWrite = PendingClaim | PendingSettle;

/**
 * Writes a group of frequency-cap claims and outbox settles (with their receipts) in `tx`, with a
 * few statements for the whole group rather than two or three each, and with the same outcome as
 * running them one after another in arrival order. Resolves nothing: returns each claim's answer.
 */
async function writeGroup(tx: SqlExecutor, group: readonly PendingWrite[]): Promise<Map<PendingClaim, boolean>> {
  const won = new Map<PendingClaim, boolean>();
  const claims = group.filter((w): w is PendingClaim => w.kind === "claim");
  if (claims.length > 0) {
    // The cap's rule, applied in order over the members' rows as they stand (the transaction holds
    // the write lock, so nothing changes them meanwhile): a member without a row, or whose last
    // notification was of another offer and is older than the window, is notified of this offer;
    // otherwise the claim holds only if the member's notification is already this offer's.
    const users = [...new Set(claims.map((c) => c.userId))];
    const rows = await tx.all<{ user_id: string; offer_id: string; notified_at: number }>(
      `SELECT user_id, offer_id, notified_at FROM member_notifications WHERE user_id IN (${users.map(() => "?").join(", ")})`,
      users,
    );
    const state = new Map(rows.map((r) => [r.user_id, { offerId: r.offer_id, notifiedAt: r.notified_at }]));
    const changed = new Map<string, { offerId: string; notifiedAt: number }>();
    for (const c of claims) {
      const row = state.get(c.userId);
      if (row === undefined || (row.offerId !== c.offerId && row.notifiedAt <= c.now - c.capMs)) {
        const next = { offerId: c.offerId, notifiedAt: c.now };
        state.set(c.userId, next);
        changed.set(c.userId, next);
        won.set(c, true);
      } else won.set(c, row.offerId === c.offerId);
    }
    if (changed.size > 0)
      await tx.run(
        `INSERT INTO member_notifications (user_id, offer_id, notified_at) VALUES ${[...changed].map(() => "(?, ?, ?)").join(", ")}
         ON CONFLICT (user_id) DO UPDATE SET offer_id = excluded.offer_id, notified_at = excluded.notified_at`,
        [...changed].flatMap(([userId, r]) => [userId, r.offerId, r.notifiedAt]),
      );
  }
  const settles = group.filter((w): w is PendingSettle => w.kind === "settle");
  if (settles.length > 0) {
    // Only an item's first settle can apply (it leaves `pending`), so later ones in the group go.
    const first = new Map<string, PendingSettle>();
    for (const s of settles) if (!first.has(s.id)) first.set(s.id, s);
    const values = [...first.values()];
    await tx.run(
      `WITH s (id, status, reason, at) AS (VALUES ${values.map(() => "(?, ?, ?, ?)").join(", ")})
       UPDATE push_outbox SET status = s.status, last_error = s.reason, updated_at = s.at,
         attempts = attempts + (CASE WHEN s.status IN ('sent', 'dead') THEN 1 ELSE 0 END)
       FROM s WHERE push_outbox.id = s.id AND push_outbox.status = 'pending'`,
      values.flatMap((v) => [v.id, v.status, v.reason, v.now]),
    );
    const receipts = settles.filter((s) => s.receipt !== undefined);
    if (receipts.length > 0)
      await tx.run(
        `INSERT INTO delivery_receipts (offer_id, channel, store_id, at) VALUES ${receipts.map(() => "(?, ?, ?, ?)").join(", ")}
         ON CONFLICT DO NOTHING`,
        receipts.flatMap((s) => (s.receipt ? [s.receipt.offerId, s.receipt.channel, s.receipt.storeId, s.now] : [])),
      );
  }
  return won;
}

/** The push outbox, receipts, frequency-cap claims and push policies in SQLite (migration 16). */
export class SqliteDeliveryRepository implements DeliveryRepository {
  /**
   * The outbox's per-notification writes (the frequency cap's claim, the settle and its receipt)
   * arrive together from a pass's concurrent attempts: they share commits, one sync to disk for
   * many, and statements, one per table for the group instead of one per write (each statement is
   * a round trip to SQLite's thread and a parse: at a thousand notifications a second, most of the
   * outbox's cost). Those arriving while a group commits form the next one.
   */
  private pending: PendingWrite[] = [];
  private flushing = false;

  constructor(private readonly db: SqliteDatabase) {}

  enqueuePush(items: readonly NewPushOutboxItem[], now: number): Promise<number> {
    if (items.length === 0) return Promise.resolve(0);
    return this.db.transaction(async (tx) => {
      let added = 0;
      // Many rows per statement: an offer burst queues thousands, and each statement is a round
      // trip to SQLite's thread. `changes` counts only the rows inserted.
      for (let i = 0; i < items.length; i += ROWS_PER_INSERT) {
        const chunk = items.slice(i, i + ROWS_PER_INSERT);
        const result = await tx.run(
          `INSERT INTO push_outbox (id, offer_id, user_id, installation_id, org_id, store_id, title, expires_at,
             status, attempts, next_attempt_at, last_error, created_at, updated_at)
           VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, ?, ?)").join(", ")}
           ON CONFLICT (offer_id, installation_id) DO NOTHING`,
          chunk.flatMap((r) => [r.id, r.offerId, r.userId, r.installationId, r.orgId, r.storeId, r.title, r.expiresAt, r.nextAttemptAt, now, now]),
        );
        added += result.changes;
      }
      return added;
    });
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
    return new Promise<void>((resolve, reject) => this.write({ kind: "settle", id, status, reason, now, receipt, resolve, reject }));
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
    return new Promise<boolean>((resolve, reject) => this.write({ kind: "claim", userId, offerId, now, capMs, resolve, reject }));
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

  private write(w: PendingWrite): void {
    this.pending.push(w);
    if (!this.flushing) void this.flush();
  }

  /**
   * Group commit (see `GroupCommit`), with the group taken when its transaction starts, so the
   * writes that came while it waited behind other statements join it. If a group's transaction
   * fails, each of its writes runs again in a transaction of its own, so only a failing one fails.
   */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        let group: PendingWrite[] = [];
        try {
          const won = await this.db.transaction((tx) => {
            group = this.pending.splice(0, MAX_GROUP);
            return writeGroup(tx, group);
          });
          answer(group, won);
        } catch (err) {
          // The transaction did not start (the database closed, or stayed locked): those waiting fail.
          if (group.length === 0) for (const w of this.pending.splice(0, MAX_GROUP)) w.reject(err);
          for (const w of group) {
            try {
              answer([w], await this.db.transaction((tx) => writeGroup(tx, [w])));
            } catch (err) {
              w.reject(err);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

/** Resolves each write of a committed group: a claim with whether it won. */
function answer(group: readonly PendingWrite[], won: ReadonlyMap<PendingClaim, boolean>): void {
  for (const w of group) {
    if (w.kind === "claim") w.resolve(won.get(w) ?? false);
    else w.resolve();
  }
}
