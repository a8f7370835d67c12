import type { DeliveryReceipt, PushOutboxStatus } from "../../services/repositories.js";
import type { SharedSqlDatabase, SharedSqlExecutor } from "./SqlDatabase.js";

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

/** Where the backends' statements for a group differ. */
export interface PushWriteDialect {
  /**
   * Ends the read of the members' cap rows. SQLite: nothing (its transaction holds the write lock).
   * PostgreSQL: the rows locked, in one order for every process, so two dispatchers' groups over
   * one member take turns (and the later one, its snapshot stale, runs again).
   */
  readonly lockCapRows: string;
  /** More `SET` assignments of a settle (PostgreSQL: the item's lease ends with its attempt). */
  readonly settleAlsoSets: string;
}

/**
 * The push outbox's per-notification writes (the frequency cap's claim, the settle and its
 * receipt) arrive together from a pass's concurrent attempts: they share commits, one flush to disk
 * for many, and statements, one per table for the group instead of one per write (each statement is
 * a round trip to SQLite's thread or to the PostgreSQL server and a parse: at a thousand
 * notifications a second, most of the outbox's cost). Those arriving while a group commits form
 * the next one. Outcomes are those of running the writes one after another in arrival order.
 */
export class PushWriteGroups {
  private pending: PendingWrite[] = [];
  private flushing = false;

  constructor(
    private readonly db: SharedSqlDatabase,
    private readonly dialect: PushWriteDialect,
  ) {}

  /** The frequency cap's claim (see `DeliveryRepository.claimNotification`), durable when it resolves. */
  claim(userId: string, offerId: string, now: number, capMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => this.write({ kind: "claim", userId, offerId, now, capMs, resolve, reject }));
  }

  /** An item's settle and its receipt, in one commit (see `DeliveryRepository.settlePush`). */
  settle(
    id: string,
    status: Exclude<PushOutboxStatus, "pending">,
    reason: string | null,
    now: number,
    receipt: DeliveryReceipt | undefined,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => this.write({ kind: "settle", id, status, reason, now, receipt, resolve, reject }));
  }

  private write(w: PendingWrite): void {
    this.pending.push(w);
    if (!this.flushing) void this.flush();
  }

  /**
   * Group commit (as `GroupCommit`), with the group taken when its transaction starts, so the
   * writes that came while it waited join it. A transaction PostgreSQL runs again (a serialization
   * failure) keeps its group and computes it anew. If a group's transaction fails, each of its
   * writes runs again in a transaction of its own, so only a failing one fails.
   */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        let group: PendingWrite[] = [];
        try {
          const won = await this.db.transaction((tx) => {
            if (group.length === 0) group = this.pending.splice(0, MAX_GROUP);
            return this.writeGroup(tx, group);
          });
          answer(group, won);
        } catch (err) {
          // The transaction did not start (the database closed): those waiting fail.
          if (group.length === 0) for (const w of this.pending.splice(0, MAX_GROUP)) w.reject(err);
          for (const w of group) {
            try {
              answer([w], await this.db.transaction((tx) => this.writeGroup(tx, [w])));
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

  /**
   * Writes a group of claims and settles (with their receipts) in `tx`, with a few statements for
   * the whole group rather than two or three each. Resolves nothing: returns each claim's answer.
   */
  private async writeGroup(tx: SharedSqlExecutor, group: readonly PendingWrite[]): Promise<Map<PendingClaim, boolean>> {
    const won = new Map<PendingClaim, boolean>();
    const claims = group.filter((w): w is PendingClaim => w.kind === "claim");
    if (claims.length > 0) {
      // The cap's rule, applied in order over the members' rows as they stand (locked, or under
      // the write lock): a member without a row, or whose last notification was of another offer
      // and is older than the window, is notified of this offer; otherwise the claim holds only if
      // the member's notification is already this offer's.
      const users = [...new Set(claims.map((c) => c.userId))].sort();
      const rows = await tx.all<{ user_id: string; offer_id: string; notified_at: number }>(
        `SELECT user_id, offer_id, notified_at FROM member_notifications WHERE user_id IN (${users.map(() => "?").join(", ")})${this.dialect.lockCapRows}`,
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
      // One row per member, so PostgreSQL's upsert touches each once.
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
      // The time is cast: PostgreSQL types a VALUES column of parameters as text otherwise.
      await tx.run(
        `WITH s (id, status, reason, at) AS (VALUES ${values.map(() => "(?, ?, ?, CAST(? AS BIGINT))").join(", ")})
         UPDATE push_outbox SET status = s.status, last_error = s.reason, updated_at = s.at,
           attempts = attempts + (CASE WHEN s.status IN ('sent', 'dead') THEN 1 ELSE 0 END)${this.dialect.settleAlsoSets}
         FROM s WHERE push_outbox.id = s.id AND push_outbox.status = 'pending'`,
        values.flatMap((v) => [v.id, v.status, v.reason, v.now]),
      );
      const receipts = settles.filter((s) => s.receipt !== undefined);
      // ON CONFLICT DO NOTHING keeps the first of a key, also when the statement holds it twice.
      if (receipts.length > 0)
        await tx.run(
          `INSERT INTO delivery_receipts (offer_id, channel, store_id, at) VALUES ${receipts.map(() => "(?, ?, ?, ?)").join(", ")}
           ON CONFLICT DO NOTHING`,
          receipts.flatMap((s) => (s.receipt ? [s.receipt.offerId, s.receipt.channel, s.receipt.storeId, s.now] : [])),
        );
    }
    return won;
  }
}

/** Resolves each write of a committed group: a claim with whether it won. */
function answer(group: readonly PendingWrite[], won: ReadonlyMap<PendingClaim, boolean>): void {
  for (const w of group) {
    if (w.kind === "claim") w.resolve(won.get(w) ?? false);
    else w.resolve();
  }
}
