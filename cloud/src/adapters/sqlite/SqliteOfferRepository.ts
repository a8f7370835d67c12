import { randomUUID } from "node:crypto";
import { checkVoid, type DiscountAnswer, redeemCoupon, reopenedStatus } from "../../domain/coupons/index.js";
import { type Offer, type OfferStatus, transitionOffer } from "../../domain/offers/index.js";
import type {
  AcknowledgeResult,
  DecideOne,
  DecisionGroup,
  DecisionPageQuery,
  DecisionRepository,
  EventRecord,
  OfferLifecycleRepository,
  OfferRepository,
  RecordedDecision,
  RedeemResult,
  DueReminder,
  RedemptionBasket,
  VoidResult,
} from "../../services/repositories.js";
import { type CouponRow, type OfferRow, offerOfCoupon, toCoupon, toOffer } from "../sql/couponRows.js";
import { type DecisionRow, toDecision } from "../sql/decisionRows.js";
import type { SqlExecutor, SqliteDatabase } from "./SqliteDatabase.js";
import { decideGroupIn, type PushRowsIn } from "./SqliteDecisionGroup.js";
import { GroupCommit } from "../sql/GroupCommit.js";
import { toStoredEvent } from "./SqliteEventRepository.js";

const OPEN_STATES = "('issued', 'delivered', 'viewed')";

const STATE_COLUMN: Partial<Record<OfferStatus, string>> = {
  delivered: "delivered_at",
  viewed: "viewed_at",
  redeemed: "redeemed_at",
};

async function saveState(tx: SqlExecutor, offer: Offer): Promise<void> {
  const column = STATE_COLUMN[offer.status];
  await tx.run(
    `UPDATE offers SET state = ?, state_at = ?${column ? `, ${column} = COALESCE(${column}, ?)` : ""} WHERE id = ?`,
    column
      ? [offer.status, offer.statusAt, offer.statusAt, offer.offerId]
      : [offer.status, offer.statusAt, offer.offerId],
  );
}

/** Decisions, offers and redemptions in SQLite. */
export class SqliteOfferRepository
  implements OfferRepository, DecisionRepository, OfferLifecycleRepository
{
  private readonly db: SqliteDatabase;
  /** Redemptions are group-committed (see `GroupCommit`): tills at a rush must not wait on fsyncs in turn. */
  private readonly redemptions: GroupCommit<SqlExecutor>;

  /** Writes a decision group's push outbox rows in its transaction (the delivery repository). */
  private readonly pushRows: PushRowsIn;

  constructor(db: SqliteDatabase, options: { readonly pushRows: PushRowsIn }) {
    this.db = db;
    this.redemptions = new GroupCommit(db);
    this.pushRows = options.pushRows;
  }

  /** See `OfferRepository.decideGroup`; the statements are in `SqliteDecisionGroup`. */
  decideGroup(group: DecisionGroup, decide: DecideOne): Promise<(Offer | null)[]> {
    return this.db.transaction((tx) => decideGroupIn(tx, group, decide, this.pushRows));
  }

  async markPublished(offerId: string, now: number): Promise<void> {
    await this.db.run("UPDATE offers SET published_at = COALESCE(published_at, ?) WHERE id = ?", [
      now,
      offerId,
    ]);
  }

  async markAllPublished(offerIds: readonly string[], now: number): Promise<void> {
    if (offerIds.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (let k = 0; k < offerIds.length; k += 500) {
        const part = offerIds.slice(k, k + 500);
        await tx.run(
          `UPDATE offers SET published_at = COALESCE(published_at, ?) WHERE id IN (${part.map(() => "?").join(", ")})`,
          [now, ...part],
        );
      }
    });
  }

  async unpublishedOffers(limit: number): Promise<Offer[]> {
    const rows = await this.db.all<OfferRow>(
      "SELECT * FROM offers WHERE published_at IS NULL ORDER BY issued_at LIMIT ?",
      [limit],
    );
    return rows.map(toOffer);
  }

  async pendingOffers(userId: string, now: number): Promise<Offer[]> {
    const rows = await this.db.all<OfferRow>(
      `SELECT * FROM offers WHERE user_id = ? AND state IN ('issued', 'delivered', 'viewed') AND expires_at > ?
       ORDER BY issued_at`,
      [userId, now],
    );
    return rows.map(toOffer);
  }

  async getOffer(offerId: string): Promise<Offer | null> {
    const row = await this.db.get<OfferRow>("SELECT * FROM offers WHERE id = ?", [offerId]);
    return row ? toOffer(row) : null;
  }

  acknowledge(
    offerId: string,
    userId: string,
    kind: "deliver" | "view",
    now: number,
  ): Promise<AcknowledgeResult | null> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<OfferRow>("SELECT * FROM offers WHERE id = ? AND user_id = ?", [
        offerId,
        userId,
      ]);
      if (!row) return null;
      const result = transitionOffer(toOffer(row), { kind }, now);
      if (!result.ok) {
        return { ok: false, reason: result.reason === "already-redeemed" ? "already-redeemed" : "expired", text: result.text };
      }
      if (result.changed) await saveState(tx, result.offer);
      return { ok: true, offer: result.offer };
    });
  }

  redeem(input: {
    code: string;
    storeId: string;
    idempotencyKey: string;
    apiKeyId: string;
    now: number;
    basket?: RedemptionBasket | null;
  }): Promise<RedeemResult> {
    // Keys are scoped to the API key that sent them, so two tills cannot collide on a key.
    const idempotencyKey = `${input.apiKeyId}:${input.idempotencyKey}`;
    return this.redemptions.run(async (tx): Promise<RedeemResult> => {
      // A retried request (same key) gets the answer of the first one; a key reused for another
      // code is refused rather than silently answered with someone else's redemption.
      // One statement for both places a key can be: a redemption, or one that was voided since.
      const previous = await tx.get<{ id: string; offer_id: string; code: string; answer: string | null; voided: number }>(
        `SELECT r.id, r.offer_id, o.code, r.answer, 0 AS voided FROM redemptions r JOIN offers o ON o.id = r.offer_id
         WHERE r.idempotency_key = ?
         UNION ALL SELECT v.id, v.offer_id, '', NULL, 1 FROM redemption_voids v WHERE v.idempotency_key = ?`,
        [idempotencyKey, idempotencyKey],
      );
      if (previous?.voided === 1) {
        return { ok: false, reason: "key-reused", text: "this key's redemption was voided; redeem again with a new key" };
      }
      if (previous) {
        if (previous.code !== input.code) {
          return { ok: false, reason: "key-reused", text: "this idempotency key was used for another code" };
        }
        const row = await tx.get<OfferRow>("SELECT * FROM offers WHERE id = ?", [previous.offer_id]);
        if (row) {
          const discount = previous.answer ? (JSON.parse(previous.answer) as DiscountAnswer) : null;
          return { ok: true, offer: toOffer(row), redemptionId: previous.id, replayed: true, discount };
        }
      }
      const row = await tx.get<CouponRow>("SELECT * FROM offers WHERE code = ?", [input.code]);
      if (!row) return { ok: false, reason: "unknown-code", text: "no offer has this code" };
      const result = redeemCoupon(toCoupon(row), { storeId: input.storeId, basket: input.basket?.basket ?? null, now: input.now });
      if (!result.ok) {
        return { ok: false, reason: result.reason, ...(result.unmet ? { unmet: result.unmet } : {}), text: result.text };
      }
      await tx.run("UPDATE offers SET state = 'redeemed', state_at = ?, redeemed_at = ? WHERE id = ?", [input.now, input.now, row.id]);
      const redemptionId = randomUUID();
      const basket = input.basket ?? null;
      const discount = result.discount;
      await tx.run(
        `INSERT INTO redemptions (id, offer_id, store_id, idempotency_key, api_key_id, redeemed_at, channel, order_id,
           total_minor, discount_minor, currency, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          redemptionId,
          row.id,
          input.storeId,
          idempotencyKey,
          input.apiKeyId,
          input.now,
          basket?.channel ?? "till",
          basket?.basket.orderId ?? null,
          basket?.basket.totalMinor ?? null,
          discount?.discountMinor ?? null,
          discount?.currency ?? null,
          discount ? JSON.stringify(discount) : null,
        ],
      );
      return { ok: true, offer: offerOfCoupon(result.coupon), redemptionId, replayed: false, discount };
    });
  }

  voidRedemption(input: {
    redemptionId: string;
    storeId: string;
    apiKeyId: string;
    windowMs: number;
    now: number;
  }): Promise<VoidResult> {
    return this.db.transaction(async (tx): Promise<VoidResult> => {
      const r = await tx.get<{
        id: string;
        offer_id: string;
        store_id: string;
        idempotency_key: string;
        api_key_id: string;
        redeemed_at: number;
        channel: string;
        order_id: string | null;
        total_minor: number | null;
        discount_minor: number | null;
        currency: string | null;
      }>("SELECT * FROM redemptions WHERE id = ?", [input.redemptionId]);
      if (!r) {
        const done = await tx.get<{ offer_id: string; store_id: string }>("SELECT offer_id, store_id FROM redemption_voids WHERE id = ?", [
          input.redemptionId,
        ]);
        const row = done && done.store_id === input.storeId ? await tx.get<OfferRow>("SELECT * FROM offers WHERE id = ?", [done.offer_id]) : undefined;
        if (row) return { ok: true, offer: toOffer(row), redemptionId: input.redemptionId, replayed: true };
        return { ok: false, reason: "no-redemption", text: `no redemption ${input.redemptionId}` };
      }
      const check = checkVoid({ redeemedStoreId: r.store_id, redeemedAt: r.redeemed_at, storeId: input.storeId, windowMs: input.windowMs, now: input.now });
      if (!check.ok) return check;
      // redemptions.offer_id is UNIQUE: the voided redemption moves out so the coupon can be redeemed again.
      await tx.run(
        `INSERT INTO redemption_voids (id, offer_id, store_id, idempotency_key, api_key_id, redeemed_at, channel, order_id,
           total_minor, discount_minor, currency, voided_at, void_api_key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [r.id, r.offer_id, r.store_id, r.idempotency_key, r.api_key_id, r.redeemed_at, r.channel, r.order_id, r.total_minor,
          r.discount_minor, r.currency, input.now, input.apiKeyId],
      );
      await tx.run("DELETE FROM redemptions WHERE id = ?", [r.id]);
      const row = await tx.get<OfferRow & { viewed_at: number | null; delivered_at: number | null }>("SELECT * FROM offers WHERE id = ?", [r.offer_id]);
      if (!row) return { ok: false, reason: "no-redemption", text: `no redemption ${input.redemptionId}` };
      const before = row.viewed_at !== null ? "viewed" : row.delivered_at !== null ? "delivered" : "issued";
      const status = reopenedStatus({ expiresAt: row.expires_at }, before, input.now);
      await tx.run("UPDATE offers SET state = ?, state_at = ?, redeemed_at = NULL WHERE id = ?", [status, input.now, row.id]);
      return { ok: true, offer: { ...toOffer(row), status, statusAt: input.now }, redemptionId: r.id, replayed: false };
    });
  }

  decisionsForUser(userId: string, limit: number): Promise<RecordedDecision[]> {
    return this.decisionsPage({ by: "user", id: userId, limit, after: null });
  }

  async decisionsPage(query: DecisionPageQuery): Promise<RecordedDecision[]> {
    const column = { user: "user_id", event: "event_id", rule: "rule_id" }[query.by];
    // Keyset paging, newest first, on the (column, decided_at, rowid) indexes of migration 1.
    const after = query.after;
    const rows = await this.db.all<DecisionRow>(
      `SELECT * FROM decisions WHERE ${column} = ?
       ${after ? "AND (decided_at < ? OR (decided_at = ? AND id < ?))" : ""}
       ORDER BY decided_at DESC, id DESC LIMIT ?`,
      after
        ? [query.id, after.decidedAt, after.decidedAt, after.id, query.limit]
        : [query.id, query.limit],
    );
    return rows.map(toDecision);
  }

  async getEvent(eventId: string): Promise<EventRecord | null> {
    const row = await this.db.get<Parameters<typeof toStoredEvent>[0] & { org_id: string; decided_at: number | null }>(
      "SELECT e.*, s.org_id FROM presence_events e JOIN stores s ON s.id = e.store_id WHERE e.id = ?",
      [eventId],
    );
    return row ? { event: toStoredEvent(row), orgId: row.org_id, decidedAt: row.decided_at } : null;
  }

  expireDue(now: number, limit: number): Promise<Offer[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<OfferRow>(
        `SELECT * FROM offers WHERE state IN ${OPEN_STATES} AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
        [now, limit],
      );
      const expired: Offer[] = [];
      for (const row of rows) {
        const result = transitionOffer(toOffer(row), { kind: "expire" }, now);
        if (result.ok && result.changed) {
          await saveState(tx, result.offer);
          expired.push(result.offer);
        }
      }
      return expired;
    });
  }

  async remindersDue(now: number, leadMs: number, limit: number): Promise<DueReminder[]> {
    const rows = await this.db.all<OfferRow & { reminder_lead_ms: number | null }>(
      `SELECT o.* FROM offers o JOIN app_users u ON u.id = o.user_id
       WHERE o.state IN ${OPEN_STATES} AND o.expires_at > ? AND o.expires_at <= ? + COALESCE(o.reminder_lead_ms, ?)
         AND o.reminder_sent_at IS NULL AND o.published_at IS NOT NULL
         AND o.expires_at - o.issued_at > COALESCE(o.reminder_lead_ms, ?) AND u.marketing_consent = 1
       ORDER BY o.expires_at LIMIT ?`,
      [now, now, leadMs, leadMs, limit],
    );
    return rows.map((r) => (r.reminder_lead_ms === null ? toOffer(r) : { ...toOffer(r), reminderLeadMs: r.reminder_lead_ms }));
  }

  async claimReminder(offerId: string, now: number): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE offers SET reminder_sent_at = ?
       WHERE id = ? AND reminder_sent_at IS NULL AND state IN ${OPEN_STATES} AND expires_at > ?`,
      [now, offerId, now],
    );
    return result.changes === 1;
  }

  async releaseReminder(offerId: string, claimedAt: number): Promise<void> {
    await this.db.run("UPDATE offers SET reminder_sent_at = NULL WHERE id = ? AND reminder_sent_at = ?", [
      offerId,
      claimedAt,
    ]);
  }

  /**
   * How many offers `undeliveredOffers` would find with no issue-time bound or limit (a metrics
   * gauge, read per scrape): the partial index on unpublished offers keeps it to those rows.
   */
  async countUndelivered(now: number): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM offers WHERE published_at IS NULL AND state = 'issued' AND expires_at > ?",
      [now],
    );
    return row?.n ?? 0;
  }

  async undeliveredOffers(now: number, issuedBefore: number, limit: number): Promise<Offer[]> {
    const rows = await this.db.all<OfferRow>(
      `SELECT * FROM offers WHERE published_at IS NULL AND state = 'issued' AND expires_at > ? AND issued_at <= ?
       ORDER BY issued_at LIMIT ?`,
      [now, issuedBefore, limit],
    );
    return rows.map(toOffer);
  }
}
