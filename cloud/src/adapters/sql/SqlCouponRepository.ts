import { randomUUID } from "node:crypto";
import {
  type BatchSpec,
  type Coupon,
  type CouponBatch,
  type CouponGift,
  checkGiftable,
  displayDiscount,
  giftAt,
  type GiftCounts,
  type GiftState,
  type IssueChannel,
  perMemberLimitOf,
} from "../../domain/coupons/index.js";
import { DAY_SAFE_BUCKET_MS, storeDayKey } from "../../domain/rules/localTime.js";
import type {
  AudienceQuery,
  BatchCounters,
  ClaimRequest,
  ClaimResult,
  CouponRepository,
  CouponStatsRow,
  GiftAnswer,
  GiftQuery,
  GiftResult,
  LedgerEntry,
  PointsExchangeRequest,
  PointsExchangeResult,
} from "../../services/repositories.js";
import { type GiftCountsRow, giftCountsQuery, listGiftsQuery } from "./gifts.js";
import { type CouponRow, toCoupon } from "./couponRows.js";
import type { SharedSqlDatabase, SharedSqlExecutor } from "./SqlDatabase.js";
import { applyLedgerCommand, balanceAt } from "../../domain/loyalty/ledger.js";
import { byKey as ledgerEntryRow, entryOf as ledgerEntryOf, stateOf as ledgerStateOf, write as writeLedgerChange } from "./SqlLedgerRepository.js";

interface BatchRow {
  id: string;
  org_id: string;
  spec: string;
  total_stock: number | null;
  daily_stock: number | null;
  per_member_limit: number;
  timezone: string;
  claimed: number;
  created_at: number;
}

const toBatch = (r: BatchRow): CouponBatch => ({
  batchId: r.id,
  orgId: r.org_id,
  spec: JSON.parse(r.spec) as BatchSpec,
  createdAt: r.created_at,
});

interface GiftRow {
  id: string;
  coupon_id: string;
  user_id: string;
  to_user_id: string | null;
  state: GiftState;
  created_at: number;
  expires_at: number;
  resolved_at: number | null;
}

const toGift = (r: GiftRow): CouponGift => ({
  giftId: r.id,
  couponId: r.coupon_id,
  fromUserId: r.user_id,
  toUserId: r.to_user_id,
  state: r.state,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  resolvedAt: r.resolved_at,
});

const OPEN = "('issued', 'delivered', 'viewed')";

/**
 * What the coupon SQL leaves to each backend: how its writes run and how they lock. SQLite has
 * one writer, so its transactions run one at a time and lock nothing, and claims (thousands a
 * second in a flash sale) are group-committed. Several PostgreSQL processes share one database, so
 * there every write is a transaction of its own that locks the rows it decides on.
 */
export interface CouponDialect {
  /** Runs a claim. */
  claim<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a points exchange: a claim that also spends from the ledger. */
  exchange<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T>;
  /** Runs an answer to a gift, which orders itself by the row locks it takes (`forUpdate`). */
  answer<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T>;
  /**
   * What a SELECT ends with to lock the rows it reads (of table `alias` only, when given), with
   * its leading space; "" where transactions run one at a time.
   */
  forUpdate(alias?: string): string;
  /** Locks a batch's row before its counters are read; false when there is no such batch. */
  lockBatch(tx: SharedSqlExecutor, batchId: string): Promise<boolean>;
  /** A table `alias` of the text elements, as `value`, of the JSON array in `column` (none if it is not one). */
  jsonTextElements(column: string, alias: string): string;
}

/** How many of a batch's coupons (on one channel, at one store) something happened to in one bucket. */
interface BucketCount {
  batch_id: string;
  channel: IssueChannel;
  store_id: string;
  bucket: number;
  n: number;
  tz: string | null;
}

/**
 * Coupon batches, their stock counters, claimed coupons and gifts in SQL (SQLite or PostgreSQL):
 * the same statements on both but for the locks and the running of writes (`CouponDialect`).
 * Every limit holds by conditional updates and unique constraints, read after the row locks a
 * backend with several writers takes (see `claimIn`, `openGift`).
 */
export class SqlCouponRepository implements CouponRepository {
  constructor(
    private readonly db: SharedSqlDatabase,
    private readonly dialect: CouponDialect,
  ) {}

  async createBatch(batch: CouponBatch): Promise<boolean> {
    const s = batch.spec;
    const result = await this.db.run(
      `INSERT INTO coupon_batches (id, org_id, spec, total_stock, daily_stock, per_member_limit, timezone, claimed,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [batch.batchId, batch.orgId, JSON.stringify(s), s.totalStock ?? null, s.dailyStock ?? null, perMemberLimitOf(s), s.timezone,
        batch.createdAt, batch.createdAt],
    );
    return result.changes === 1;
  }

  async getBatch(batchId: string): Promise<CouponBatch | null> {
    const row = await this.db.get<BatchRow>("SELECT * FROM coupon_batches WHERE id = ?", [batchId]);
    return row ? toBatch(row) : null;
  }

  async listBatches(orgId: string, limit: number): Promise<CouponBatch[]> {
    const rows = await this.db.all<BatchRow>("SELECT * FROM coupon_batches WHERE org_id = ? ORDER BY created_at DESC, id LIMIT ?", [
      orgId,
      limit,
    ]);
    return rows.map(toBatch);
  }

  async batchCounters(batchId: string, dayKey: string): Promise<BatchCounters> {
    const row = await this.db.get<{ claimed: number; day: number | null }>(
      `SELECT b.claimed, d.claimed AS day FROM coupon_batches b
       LEFT JOIN coupon_batch_days d ON d.batch_id = b.id AND d.day_key = ? WHERE b.id = ?`,
      [dayKey, batchId],
    );
    return { claimed: row?.claimed ?? 0, claimedOnDay: row?.day ?? 0 };
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.dialect.claim((tx) => claimIn(tx, this.dialect, request));
  }

  exchangeForPoints(request: PointsExchangeRequest): Promise<PointsExchangeResult> {
    return this.dialect.exchange((tx) => exchangeIn(tx, this.dialect, request));
  }

  async exchangedCoupon(orgId: string, idempotencyKey: string): Promise<{ coupon: Coupon; entry: LedgerEntry } | null> {
    const found = await exchangedIn(this.db, orgId, idempotencyKey);
    return found && found.ok ? { coupon: found.coupon, entry: found.entry } : null;
  }

  async wallet(userId: string, limit: number): Promise<Coupon[]> {
    const rows = await this.db.all<CouponRow>("SELECT * FROM offers WHERE user_id = ? ORDER BY issued_at DESC, id LIMIT ?", [userId, limit]);
    return rows.map(toCoupon);
  }

  async getCoupon(couponId: string): Promise<Coupon | null> {
    const row = await this.db.get<CouponRow>("SELECT * FROM offers WHERE id = ?", [couponId]);
    return row ? toCoupon(row) : null;
  }

  offerGift(input: Parameters<CouponRepository["offerGift"]>[0]): Promise<GiftResult> {
    return this.db.transaction(async (tx): Promise<GiftResult> => {
      // The coupon's row lock orders gifts of one coupon; the partial unique index on pending
      // gifts stands behind it.
      const row = await tx.get<CouponRow>(`SELECT * FROM offers WHERE id = ? AND user_id = ?${this.dialect.forUpdate()}`, [input.couponId, input.userId]);
      if (!row) return { ok: false, reason: "no-coupon", text: `no coupon ${input.couponId} in this wallet` };
      const check = checkGiftable(toCoupon(row), input.maxPasses, input.now);
      if (!check.ok) return check;
      await expireGifts(tx, input.now, input.couponId);
      const pending = await tx.get<{ id: string }>("SELECT id FROM coupon_gifts WHERE coupon_id = ? AND state = 'pending'", [input.couponId]);
      if (pending) return { ok: false, reason: "already-gifting", text: "this coupon is already offered as a gift" };
      await tx.run(
        `INSERT INTO coupon_gifts (id, token_hash, coupon_id, batch_id, user_id, to_user_id, state, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, NULL, 'pending', ?, ?)`,
        [input.giftId, input.tokenHash, input.couponId, row.batch_id, input.userId, input.now, input.expiresAt],
      );
      const gift = await tx.get<GiftRow>("SELECT * FROM coupon_gifts WHERE id = ?", [input.giftId]);
      if (!gift) throw new Error("gift vanished inside its transaction");
      return { ok: true, gift: toGift(gift) };
    });
  }

  async getGift(tokenHash: string): Promise<CouponGift | null> {
    const row = await this.db.get<GiftRow>("SELECT * FROM coupon_gifts WHERE token_hash = ?", [tokenHash]);
    return row ? toGift(row) : null;
  }

  async listGifts(query: GiftQuery): Promise<CouponGift[]> {
    const { sql, params } = listGiftsQuery(query);
    return (await this.db.all<GiftRow>(sql, params)).map((r) => giftAt(toGift(r), query.now));
  }

  async giftCounts(batchId: string, now: number): Promise<GiftCounts> {
    const { sql, params } = giftCountsQuery(batchId, now);
    const row = await this.db.get<GiftCountsRow>(sql, params);
    return { made: row?.made ?? 0, pending: row?.pending ?? 0, accepted: row?.accepted ?? 0, declined: row?.declined ?? 0, timedOut: row?.timed_out ?? 0 };
  }

  acceptGift(input: { tokenHash: string; userId: string; newCode: string; now: number }): Promise<GiftAnswer> {
    // Row locks (the gift's, the batch's, then the coupon's by a conditional update; see
    // CouponDialect.answer), as the redemption it races takes the coupon's: whichever commits
    // first wins, and the other re-reads the row it waited for and is refused.
    return this.dialect.answer(async (tx): Promise<GiftAnswer> => {
      const open = await openGift(tx, this.dialect, input.tokenHash, input.userId, input.now);
      if (!open.ok) return open;
      const { gift } = open;
      // The friend's per-member limit of the batch: the batch's row lock is the one every claim
      // of the batch takes first (claimIn; SQLite's single writer stands for it), so claims and
      // accepts of one member are counted one after the other; the count is read after the lock, in a statement of its own, and a
      // refusal writes nothing (the gift stays open for another friend). Nothing that locks a
      // coupon first waits for a batch, so gift, batch, coupon is a safe order.
      const batch = await tx.get<{ id: string; per_member_limit: number }>(
        `SELECT b.id, b.per_member_limit FROM coupon_batches b JOIN offers o ON o.batch_id = b.id WHERE o.id = ?${this.dialect.forUpdate("b")}`,
        [gift.coupon_id],
      );
      const limits = batch
        ? {
            batch_id: batch.id,
            per_member_limit: batch.per_member_limit,
            member_claimed:
              (await tx.get<{ claimed: number }>("SELECT claimed FROM coupon_member_claims WHERE batch_id = ? AND user_id = ?", [batch.id, input.userId]))
                ?.claimed ?? 0,
          }
        : null;
      if (limits && limits.member_claimed >= limits.per_member_limit)
        return { ok: false, reason: "member-limit", text: `you already got ${limits.per_member_limit} coupon(s) of this batch, the most a member may: the coupon stays with its giver` };
      // The move is conditional on the coupon being still open, valid and the giver's: a
      // redemption that committed first leaves nothing to move, and the accept is refused.
      const moved = await tx.run(
        `UPDATE offers SET user_id = ?, code = ?, gift_passes = gift_passes + 1, state = 'issued', state_at = ?,
           delivered_at = NULL, viewed_at = NULL, reminder_sent_at = NULL
         WHERE id = ? AND user_id = ? AND state IN ${OPEN} AND voided_at IS NULL AND expires_at > ?`,
        [input.userId, input.newCode, input.now, gift.coupon_id, gift.user_id, input.now],
      );
      if (moved.changes !== 1) return { ok: false, reason: "not-open", text: "the coupon was used or is no longer valid" };
      if (limits) {
        const counted = await tx.run(
          `INSERT INTO coupon_member_claims AS c (batch_id, user_id, claimed) VALUES (?, ?, 1)
           ON CONFLICT (batch_id, user_id) DO UPDATE SET claimed = c.claimed + 1 WHERE c.claimed < ?`,
          [limits.batch_id, input.userId, limits.per_member_limit],
        );
        if (counted.changes !== 1) throw new Error(`gift of ${gift.coupon_id}: the member's count moved inside its transaction`);
      }
      await tx.run("UPDATE coupon_gifts SET state = 'accepted', to_user_id = ?, resolved_at = ? WHERE id = ?", [
        input.userId,
        input.now,
        gift.id,
      ]);
      const row = await tx.get<CouponRow>("SELECT * FROM offers WHERE id = ?", [gift.coupon_id]);
      if (!row) throw new Error("coupon vanished inside its transaction");
      return { ok: true, gift: { ...toGift(gift), state: "accepted", toUserId: input.userId, resolvedAt: input.now }, coupon: toCoupon(row) };
    });
  }

  declineGift(input: { tokenHash: string; userId: string; now: number }): Promise<GiftAnswer> {
    // Behind the gift's row lock (see openGift), as acceptGift.
    return this.dialect.answer(async (tx): Promise<GiftAnswer> => {
      const open = await openGift(tx, this.dialect, input.tokenHash, input.userId, input.now);
      if (!open.ok) return open;
      await tx.run("UPDATE coupon_gifts SET state = 'declined', to_user_id = ?, resolved_at = ? WHERE id = ?", [
        input.userId,
        input.now,
        open.gift.id,
      ]);
      const row = await tx.get<CouponRow>("SELECT * FROM offers WHERE id = ?", [open.gift.coupon_id]);
      if (!row) throw new Error("coupon vanished inside its transaction");
      return {
        ok: true,
        gift: { ...toGift(open.gift), state: "declined", toUserId: input.userId, resolvedAt: input.now },
        coupon: toCoupon(row),
      };
    });
  }

  async audience(query: AudienceQuery): Promise<string[]> {
    const stores = query.seenInStoreIds;
    const rows = await this.db.all<{ id: string }>(
      `SELECT u.id FROM app_users u
       WHERE u.org_id = ? AND u.marketing_consent = 1
         AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM ${this.dialect.jsonTextElements("u.segments", "s")} WHERE s.value = ?))
         AND (CAST(? AS TEXT) IS NULL OR u.loyalty_tier = ?)
         ${stores ? `AND EXISTS (SELECT 1 FROM presence_events e WHERE e.user_id = u.id AND e.at >= ? AND e.store_id IN (${stores.map(() => "?").join(", ")}))` : ""}
       ORDER BY u.id LIMIT ?`,
      [query.orgId, query.segment, query.segment, query.tier, query.tier, ...(stores ? [query.seenSinceMs, ...stores] : []), query.limit],
    );
    return rows.map((r) => r.id);
  }

  async couponStats(orgId: string, fromMs: number, toMs: number): Promise<CouponStatsRow[]> {
    const B = DAY_SAFE_BUCKET_MS;
    // Counted per quarter-hour bucket, each bucket then put on its store's local day (see
    // DAY_SAFE_BUCKET_MS): the same days as naming every row's, without a row per coupon.
    // The five reads are independent and issued together (PostgreSQL runs them on the pool's
    // connections).
    const read = <T,>(sql: string): Promise<T[]> => this.db.all<T>(sql, [orgId, fromMs, toMs]);
    const [claims, redemptions, voids, expired, gifts] = await Promise.all([
      read<BucketCount>(
        `SELECT COALESCE(o.batch_id, 'rule:' || o.rule_id) AS batch_id, o.channel, o.store_id, (o.issued_at / ${B}) AS bucket,
           COUNT(*) AS n, s.timezone AS tz
         FROM offers o JOIN stores s ON s.id = o.store_id
         WHERE s.org_id = ? AND o.issued_at >= ? AND o.issued_at < ? GROUP BY 1, 2, 3, 4, s.timezone`,
      ),
      read<BucketCount & { baskets: number; revenue: number | null; discount: number | null }>(
        `SELECT COALESCE(o.batch_id, 'rule:' || o.rule_id) AS batch_id, o.channel, r.store_id, (r.redeemed_at / ${B}) AS bucket,
           COUNT(*) AS n, COUNT(r.total_minor) AS baskets, SUM(r.total_minor) AS revenue, SUM(r.discount_minor) AS discount, s.timezone AS tz
         FROM redemptions r JOIN offers o ON o.id = r.offer_id JOIN stores s ON s.id = r.store_id
         WHERE s.org_id = ? AND r.redeemed_at >= ? AND r.redeemed_at < ? GROUP BY 1, 2, 3, 4, s.timezone`,
      ),
      read<BucketCount>(
        `SELECT COALESCE(o.batch_id, 'rule:' || o.rule_id) AS batch_id, o.channel, v.store_id, (v.voided_at / ${B}) AS bucket,
           COUNT(*) AS n, s.timezone AS tz
         FROM redemption_voids v JOIN offers o ON o.id = v.offer_id JOIN stores s ON s.id = v.store_id
         WHERE s.org_id = ? AND v.voided_at >= ? AND v.voided_at < ? GROUP BY 1, 2, 3, 4, s.timezone`,
      ),
      read<BucketCount>(
        `SELECT COALESCE(o.batch_id, 'rule:' || o.rule_id) AS batch_id, o.channel, o.store_id, (o.expires_at / ${B}) AS bucket,
           COUNT(*) AS n, s.timezone AS tz
         FROM offers o JOIN stores s ON s.id = o.store_id
         WHERE s.org_id = ? AND o.state = 'expired' AND o.voided_at IS NULL AND o.expires_at >= ? AND o.expires_at < ? GROUP BY 1, 2, 3, 4, s.timezone`,
      ),
      read<{
        batch_id: string;
        channel: IssueChannel;
        store_id: string;
        bucket: number;
        made: number;
        accepted: number;
        tz: string | null;
      }>(
        `SELECT COALESCE(o.batch_id, 'rule:' || o.rule_id) AS batch_id, o.channel, o.store_id, (g.created_at / ${B}) AS bucket,
           COUNT(*) AS made, COUNT(*) FILTER (WHERE g.state = 'accepted') AS accepted, s.timezone AS tz
         FROM coupon_gifts g JOIN offers o ON o.id = g.coupon_id JOIN stores s ON s.id = o.store_id
         WHERE s.org_id = ? AND g.created_at >= ? AND g.created_at < ? GROUP BY 1, 2, 3, 4, s.timezone`,
      ),
    ]);
    const out = new Map<string, { -readonly [K in keyof CouponStatsRow]: CouponStatsRow[K] }>();
    const at = (r: { batch_id: string; channel: IssueChannel; store_id: string; bucket: number; tz: string | null }) => {
      const day = storeDayKey(r.bucket * B, r.tz);
      const key = `${r.batch_id}\u0000${r.channel}\u0000${r.store_id}\u0000${day}`;
      let row = out.get(key);
      if (!row) {
        row = {
          batchId: r.batch_id,
          channel: r.channel,
          storeId: r.store_id,
          day,
          claimed: 0,
          giftsMade: 0,
          giftsAccepted: 0,
          redeemed: 0,
          voided: 0,
          expired: 0,
          revenueMinor: 0,
          discountMinor: 0,
          basketRedemptions: 0,
        };
        out.set(key, row);
      }
      return row;
    };
    for (const r of claims) at(r).claimed += r.n;
    for (const r of redemptions) {
      const row = at(r);
      row.redeemed += r.n;
      row.basketRedemptions += r.baskets;
      row.revenueMinor += r.revenue ?? 0;
      row.discountMinor += r.discount ?? 0;
    }
    for (const r of voids) at(r).voided += r.n;
    for (const r of expired) at(r).expired += r.n;
    for (const r of gifts) {
      const row = at(r);
      row.giftsMade += r.made;
      row.giftsAccepted += r.accepted;
    }
    return [...out.values()].sort(
      (a, b) => a.day.localeCompare(b.day) || a.batchId.localeCompare(b.batchId) || a.channel.localeCompare(b.channel) || a.storeId.localeCompare(b.storeId),
    );
  }
}

/**
 * One claim. The batch's row is locked first (`lockBatch`, where writers run side by side): every
 * claim of the batch, in any process, waits there, so the counters read next (a statement of
 * their own, with a snapshot taken after the lock) stay as read until this transaction ends. Every
 * limit is then checked, so a refusal writes nothing; each counter is taken by a conditional
 * update, which cannot miss after those reads (a miss is a bug, thrown, and rolls the claim back).
 */
async function claimIn(tx: SharedSqlExecutor, dialect: CouponDialect, request: ClaimRequest): Promise<ClaimResult> {
  const { batchId, coupon, dayKey } = request;
  const refuse = (reason: Extract<ClaimResult, { ok: false }>["reason"], text: string): ClaimResult => ({ ok: false, reason, text });
  if (!(await dialect.lockBatch(tx, batchId))) return refuse("no-batch", `no batch ${batchId}`);
  // The batch and both of the claim's counters in one statement: a claim's cost is its round trips.
  const batch = await tx.get<BatchRow & { day_claimed: number | null; member_claimed: number | null; user_org: string | null }>(
    `SELECT b.*, d.claimed AS day_claimed, m.claimed AS member_claimed,
       (SELECT org_id FROM app_users WHERE id = ?) AS user_org FROM coupon_batches b
     LEFT JOIN coupon_batch_days d ON d.batch_id = b.id AND d.day_key = ?
     LEFT JOIN coupon_member_claims m ON m.batch_id = b.id AND m.user_id = ?
     WHERE b.id = ?`,
    [coupon.userId, dayKey, coupon.userId, batchId],
  );
  if (!batch) return refuse("no-batch", `no batch ${batchId}`);
  if (batch.user_org !== batch.org_id) return refuse("no-user", `no member ${coupon.userId} in the batch's organisation`);
  if (batch.total_stock !== null && batch.claimed >= batch.total_stock)
    return refuse("out-of-stock", "out of stock: every coupon of this batch has been claimed");
  if (batch.daily_stock !== null && (batch.day_claimed ?? 0) >= batch.daily_stock)
    return refuse("daily-out-of-stock", "out of stock for today: try again tomorrow");
  if ((batch.member_claimed ?? 0) >= batch.per_member_limit)
    return refuse("member-limit", `a member may claim ${batch.per_member_limit} coupon(s) of this batch`);
  if (request.presenceSince !== null) {
    const marks = coupon.storeIds.map(() => "?").join(", ");
    const seen = await tx.get<{ n: number }>(
      `SELECT 1 AS n FROM presence_events WHERE user_id = ? AND at >= ? AND store_id IN (${marks}) LIMIT 1`,
      [coupon.userId, request.presenceSince, ...coupon.storeIds],
    );
    if (!seen) return refuse("presence-required", "this coupon is claimed in one of its stores: you were not seen there recently");
  }
  const taken = [
    await tx.run("UPDATE coupon_batches SET claimed = claimed + 1 WHERE id = ? AND (total_stock IS NULL OR claimed < total_stock)", [batchId]),
    await tx.run(
      `INSERT INTO coupon_member_claims AS c (batch_id, user_id, claimed) VALUES (?, ?, 1)
       ON CONFLICT (batch_id, user_id) DO UPDATE SET claimed = c.claimed + 1 WHERE c.claimed < ?`,
      [batchId, coupon.userId, batch.per_member_limit],
    ),
  ];
  if (batch.daily_stock !== null)
    taken.push(
      await tx.run(
        `INSERT INTO coupon_batch_days AS c (batch_id, day_key, claimed) VALUES (?, ?, 1)
         ON CONFLICT (batch_id, day_key) DO UPDATE SET claimed = c.claimed + 1 WHERE c.claimed < ?`,
        [batchId, dayKey, batch.daily_stock],
      ),
    );
  if (taken.some((r) => r.changes !== 1)) throw new Error(`claim of ${batchId}: a counter moved inside its transaction`);
  await insertCoupon(tx, coupon, dayKey, request.delivered, request.reminderLeadMs);
  return { ok: true, coupon };
}

/** The coupon an exchange under `key` bought, as a replay answers it; null when the key is unused. */
async function exchangedIn(
  tx: SharedSqlExecutor,
  orgId: string,
  key: string,
  memberId?: string,
): Promise<Extract<PointsExchangeResult, { ok: true }> | Extract<PointsExchangeResult, { reason: "key-reused" }> | null> {
  const row = await ledgerEntryRow(tx, orgId, key);
  if (!row) return null;
  const coupon = row.kind === "spend" && row.source === "points-exchange" && row.reference !== null
    ? await tx.get<CouponRow>("SELECT * FROM offers WHERE id = ?", [row.reference])
    : undefined;
  if (!coupon || (memberId !== undefined && row.member_id !== memberId))
    return { ok: false, reason: "key-reused", text: `idempotency key was used for another entry` };
  return { ok: true, coupon: toCoupon(coupon), entry: ledgerEntryOf(row), balance: 0, written: [], replayed: true };
}

/**
 * A points exchange in one transaction. Every check is made before the first write: the key
 * (a replay answers the first coupon), the member's live points (by the ledger's own policy,
 * spending order and expiry included), then the claim's limits (claimIn refuses without writing).
 * Only then are the coupon and the spend written, so a refusal leaves no trace.
 */
async function exchangeIn(tx: SharedSqlExecutor, dialect: CouponDialect, request: PointsExchangeRequest): Promise<PointsExchangeResult> {
  const { orgId, claim, points, idempotencyKey, now } = request;
  const memberId = claim.coupon.userId;
  const prior = await exchangedIn(tx, orgId, idempotencyKey, memberId);
  if (prior) {
    if (!prior.ok) return prior;
    return { ...prior, balance: balanceAt(await ledgerStateOf(tx, orgId, memberId), now) };
  }
  const state = await ledgerStateOf(tx, orgId, memberId);
  const entryId = randomUUID();
  const change = applyLedgerCommand(
    state,
    { kind: "spend", points, source: "points-exchange", reference: claim.coupon.offerId, reason: `coupon of batch ${claim.batchId}` },
    { now, entryId, idempotencyKey },
  );
  if (!change.ok) {
    if (change.reason === "insufficient-points")
      return { ok: false, reason: "insufficient-points", balance: change.balance, text: `not enough points: the coupon costs ${points}, the balance is ${change.balance}` };
    throw new Error(`points exchange: ${change.reason}`);
  }
  const claimed = await claimIn(tx, dialect, claim);
  if (!claimed.ok) return claimed;
  const written = await writeLedgerChange(tx, orgId, memberId, change, state, now);
  const entry = written.find((w) => w.entry.id === entryId)?.entry;
  if (!entry) throw new Error("the exchange's spend entry was not written");
  return { ok: true, coupon: claimed.coupon, entry, balance: change.balance, written, replayed: false };
}

/** Stores a coupon of a batch as a row of offers (see SQLite migration 14 for the columns it leaves empty). */
async function insertCoupon(tx: SharedSqlExecutor, c: Coupon, dayKey: string, delivered: boolean, reminderLeadMs: number | null): Promise<void> {
  await tx.run(
    `INSERT INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title, text, discount, code,
       state, state_at, day_key, issued_at, expires_at, published_at, batch_id, channel, channel_tag, store_ids, terms, valid_from,
       gift_passes, reminder_lead_ms)
     VALUES (?, ?, 0, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    [
      c.offerId,
      c.ruleId,
      c.userId,
      c.storeId,
      `coupon-${c.offerId}`,
      `coupon-${c.offerId}`,
      c.title,
      c.text,
      JSON.stringify(c.terms ? displayDiscount(c.terms) : c.discount),
      c.code,
      c.status,
      c.statusAt,
      dayKey,
      c.issuedAt,
      c.expiresAt,
      delivered ? c.issuedAt : null,
      c.batchId,
      c.channel,
      c.channelTag,
      JSON.stringify(c.storeIds),
      c.terms ? JSON.stringify(c.terms) : null,
      c.validFrom,
      reminderLeadMs,
    ],
  );
}

/** Marks pending gifts past their time as timed out (the coupon never left its owner). */
async function expireGifts(tx: SharedSqlExecutor, now: number, couponId: string): Promise<void> {
  await tx.run("UPDATE coupon_gifts SET state = 'timed-out', resolved_at = expires_at WHERE coupon_id = ? AND state = 'pending' AND expires_at <= ?", [
    couponId,
    now,
  ]);
}

/**
 * The pending gift of `tokenHash`, locked: an accept and a decline of one gift (in any process)
 * run one after the other, the second seeing the first's answer.
 */
async function openGift(
  tx: SharedSqlExecutor,
  dialect: CouponDialect,
  tokenHash: string,
  userId: string,
  now: number,
): Promise<{ ok: true; gift: GiftRow } | Extract<GiftAnswer, { ok: false }>> {
  const gift = await tx.get<GiftRow>(`SELECT * FROM coupon_gifts WHERE token_hash = ?${dialect.forUpdate()}`, [tokenHash]);
  if (!gift) return { ok: false, reason: "no-gift", text: "no such gift" };
  if (gift.state !== "pending") return { ok: false, reason: gift.state === "timed-out" ? "timed-out" : "resolved", text: `the gift was ${gift.state}` };
  if (now >= gift.expires_at) {
    await expireGifts(tx, now, gift.coupon_id);
    return { ok: false, reason: "timed-out", text: "the gift timed out; the coupon went back to its owner" };
  }
  if (gift.user_id === userId) return { ok: false, reason: "own-gift", text: "a member cannot accept their own gift" };
  return { ok: true, gift };
}
