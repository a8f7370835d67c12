import { randomUUID } from "node:crypto";
import { type LoyaltyProgram, type TierActivity } from "../../domain/loyalty/loyaltyProgram.js";
import type { ImportedMember } from "../../domain/loyalty/memberImport.js";
import type {
  ExportedMember,
  MemberProfile,
  MemberPurchase,
  MemberRefund,
  MembershipRepository,
  MemberUpsertReport,
  PointsPurchaseResult,
  PointsPurchaseWrite,
  TierChange,
} from "../../services/repositories.js";
import type { SharedSqlDatabase, SharedSqlExecutor } from "./SqlDatabase.js";
import { applyLedgerCommand } from "../../domain/loyalty/ledger.js";
import { byKey as ledgerEntryRow, stateOf as ledgerStateOf, write as writeLedgerChange } from "./SqlLedgerRepository.js";
import { toUser, type UserRow as AppUserRow } from "./SqlUserRepository.js";

interface MemberRow {
  user_id: string;
  org_id: string;
  birth_month: number | null;
  tier: string | null;
  tier_since: number | null;
}
/** An `app_users` row with the member's birth month beside it. */
type UserRow = Omit<AppUserRow, "id"> & { birth_month: number | null };
interface TierChangeRow {
  seq: number;
  user_id: string;
  from_tier: string | null;
  to_tier: string | null;
  reason: string;
  at: number;
}
interface PurchaseRow {
  org_id: string;
  order_key: string;
  user_id: string;
  store_id: string | null;
  channel: "till" | "online";
  total_minor: number;
  currency: string;
  points: number;
  at: number;
  refunded_at: number | null;
  refunded_minor: number;
  points_spent: number;
  points_discount_minor: number;
  earn_key: string | null;
}

const memberOf = (r: MemberRow): MemberProfile => ({
  userId: r.user_id,
  orgId: r.org_id,
  birthMonth: r.birth_month,
  tier: r.tier,
  tierSince: r.tier_since,
});
const changeOf = (r: TierChangeRow): TierChange => ({
  seq: r.seq,
  userId: r.user_id,
  fromTier: r.from_tier,
  toTier: r.to_tier,
  reason: r.reason,
  at: r.at,
});

/**
 * Loyalty programmes, member profiles, tiers, purchases and visit counters in SQL (SQLite or
 * PostgreSQL: the same statements on both). A read-then-write runs in one transaction: one at a
 * time on SQLite's single connection, SERIALIZABLE (run again on conflict) on PostgreSQL.
 */
export class SqlMembershipRepository implements MembershipRepository {
  constructor(private readonly db: SharedSqlDatabase) {}

  async getProgram(orgId: string): Promise<{ program: LoyaltyProgram; version: number } | null> {
    const row = await this.db.get<{ program: string; version: number }>("SELECT program, version FROM loyalty_programs WHERE org_id = ?", [orgId]);
    return row ? { program: JSON.parse(row.program) as LoyaltyProgram, version: row.version } : null;
  }

  async putProgram(orgId: string, program: LoyaltyProgram, now: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO loyalty_programs (org_id, program, version, updated_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (org_id) DO UPDATE SET program = excluded.program, version = loyalty_programs.version + 1, updated_at = excluded.updated_at`,
        [orgId, JSON.stringify(program), now],
      );
      return (await tx.get<{ version: number }>("SELECT version FROM loyalty_programs WHERE org_id = ?", [orgId]))?.version ?? 1;
    });
  }

  async getMember(userId: string): Promise<MemberProfile | null> {
    const row = await this.db.get<MemberRow>("SELECT user_id, org_id, birth_month, tier, tier_since FROM loyalty_members WHERE user_id = ?", [userId]);
    return row ? memberOf(row) : null;
  }

  async setBirthMonth(userId: string, orgId: string, birthMonth: number | null, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO loyalty_members (user_id, org_id, birth_month, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET birth_month = excluded.birth_month, updated_at = excluded.updated_at
       WHERE loyalty_members.birth_month IS DISTINCT FROM excluded.birth_month`,
      [userId, orgId, birthMonth, now],
    );
  }

  setTier(userId: string, orgId: string, tier: string | null, reason: string, now: number): Promise<TierChange | null> {
    return this.db.transaction(async (tx) => {
      const current = await tx.get<{ tier: string | null }>("SELECT tier FROM loyalty_members WHERE user_id = ?", [userId]);
      const user = await tx.get<{ loyalty_tier: string | null }>("SELECT loyalty_tier FROM app_users WHERE id = ?", [userId]);
      if (!user) return null;
      // What rule conditions read until now (a CRM may have written the profile's tier).
      const from = user.loyalty_tier;
      if ((current?.tier ?? null) === tier && from === tier) {
        // Kept at the end of its period: a new period starts.
        await tx.run("UPDATE loyalty_members SET tier_since = ?, updated_at = ? WHERE user_id = ?", [tier === null ? null : now, now, userId]);
        return null;
      }
      await tx.run(
        `INSERT INTO loyalty_members (user_id, org_id, tier, tier_since, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET tier = excluded.tier, tier_since = excluded.tier_since, updated_at = excluded.updated_at`,
        [userId, orgId, tier, tier === null ? null : now, now],
      );
      // Rule conditions read the profile's tier: the computed tier replaces whatever was written there.
      await tx.run("UPDATE app_users SET loyalty_tier = ?, updated_at = ? WHERE id = ?", [tier, now, userId]);
      const result = await tx.get<{ seq: number }>("INSERT INTO tier_changes (org_id, user_id, from_tier, to_tier, reason, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq", [
        orgId,
        userId,
        from,
        tier,
        reason,
        now,
      ]);
      if (result === undefined) throw new Error("tier change was not stored");
      return { seq: result.seq, userId, fromTier: from, toTier: tier, reason, at: now };
    });
  }

  async tierChanges(userId: string, limit: number): Promise<TierChange[]> {
    const rows = await this.db.all<TierChangeRow>(
      "SELECT seq, user_id, from_tier, to_tier, reason, at FROM tier_changes WHERE user_id = ? ORDER BY seq DESC LIMIT ?",
      [userId, Math.max(1, Math.min(500, Math.trunc(limit)))],
    );
    return rows.map(changeOf);
  }

  async membersWithTierBefore(orgId: string, since: number, limit: number): Promise<MemberProfile[]> {
    const rows = await this.db.all<MemberRow>(
      `SELECT user_id, org_id, birth_month, tier, tier_since FROM loyalty_members
       WHERE org_id = ? AND tier IS NOT NULL AND tier_since <= ? ORDER BY tier_since LIMIT ?`,
      [orgId, since, Math.max(1, Math.trunc(limit))],
    );
    return rows.map(memberOf);
  }

  async recordPurchase(
    p: Omit<MemberPurchase, "refundedAt" | "refundedMinor" | "pointsSpent" | "pointsDiscountMinor" | "earnKey"> & { readonly earnKey?: string | null },
  ): Promise<boolean> {
    const result = await this.db.run(
      `INSERT INTO member_purchases (org_id, order_key, user_id, store_id, channel, total_minor, currency, points, at, earn_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [p.orgId, p.orderKey, p.userId, p.storeId, p.channel, p.totalMinor, p.currency, p.points, p.at, p.earnKey ?? null],
    );
    return result.changes === 1;
  }

  async getPurchase(orgId: string, orderKey: string): Promise<MemberPurchase | null> {
    return purchaseIn(this.db, orgId, orderKey);
  }

  releasePurchase(orgId: string, earnKey: string): Promise<MemberPurchase | null> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ order_key: string }>("SELECT order_key FROM member_purchases WHERE org_id = ? AND earn_key = ?", [orgId, earnKey]);
      if (!row) return null;
      const purchase = await purchaseIn(tx, orgId, row.order_key);
      await tx.run("DELETE FROM member_refunds WHERE org_id = ? AND order_key = ?", [orgId, row.order_key]);
      await tx.run("DELETE FROM member_purchases WHERE org_id = ? AND order_key = ?", [orgId, row.order_key]);
      return purchase;
    });
  }

  recordPurchaseWithPoints(w: PointsPurchaseWrite): Promise<PointsPurchaseResult> {
    // The ledger's transaction: the lots read here and spent below stay as read (SQLite runs one
    // transaction at a time; PostgreSQL's SERIALIZABLE runs this again should they change).
    return this.db.transaction(async (tx): Promise<PointsPurchaseResult> => {
      const p = w.purchase;
      const prior = await purchaseIn(tx, p.orgId, p.orderKey);
      if (prior) return { ok: true, recorded: false, purchase: prior, balance: 0, owed: 0, written: [] };
      const state = await ledgerStateOf(tx, p.orgId, p.userId, w.spendKey);
      if (state.keyUsed) return { ok: false, reason: "key-reused", text: `ledger key ${w.spendKey} was used without its purchase` };
      const spent = applyLedgerCommand(
        state,
        { kind: "spend", points: p.pointsSpent, source: w.source, reference: p.orderKey, reason: `points paid ${p.pointsDiscountMinor} of the order` },
        { now: w.now, entryId: randomUUID(), idempotencyKey: w.spendKey },
      );
      if (!spent.ok) {
        if (spent.reason === "insufficient-points") return spent;
        throw new Error(`points purchase: ${spent.reason}`);
      }
      // The order's row goes first, before any ledger row: a report of the same order racing this
      // one meets it here and (PostgreSQL) is aborted and run again, then finds it recorded; on
      // SQLite transactions run one at a time, so the read above has already found it.
      const inserted = await tx.run(
        `INSERT INTO member_purchases (org_id, order_key, user_id, store_id, channel, total_minor, currency, points, at,
           points_spent, points_discount_minor) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [p.orgId, p.orderKey, p.userId, p.storeId, p.channel, p.totalMinor, p.currency, p.at, p.pointsSpent, p.pointsDiscountMinor],
      );
      if (inserted.changes !== 1) {
        const recorded = await purchaseIn(tx, p.orgId, p.orderKey);
        if (!recorded) throw new Error(`purchase ${p.orderKey} neither inserted nor found`);
        return { ok: true, recorded: false, purchase: recorded, balance: 0, owed: 0, written: [] };
      }
      const written = await writeLedgerChange(tx, p.orgId, p.userId, spent, state, w.now);
      let balance = spent.balance;
      let owed = spent.owed;
      let points = 0;
      if (w.earn) {
        // An earning under the order's key from before (a release that wrote it apart from the
        // purchase) stands: it is what the order earned.
        const earlier = await ledgerEntryRow(tx, p.orgId, w.earn.key);
        if (earlier) {
          points = earlier.points;
        } else {
          const after = await ledgerStateOf(tx, p.orgId, p.userId);
          const earned = applyLedgerCommand(
            after,
            { kind: "earn", points: w.earn.points, source: w.source, expiresAt: w.earn.expiresAt, reference: p.orderKey, reason: w.earn.reason },
            { now: w.now, entryId: randomUUID(), idempotencyKey: w.earn.key },
          );
          if (!earned.ok) throw new Error(`points purchase earning: ${earned.reason}`);
          written.push(...(await writeLedgerChange(tx, p.orgId, p.userId, earned, after, w.now)));
          ({ balance, owed } = earned);
          points = w.earn.points;
        }
      }
      if (points !== 0) await tx.run("UPDATE member_purchases SET points = ? WHERE org_id = ? AND order_key = ?", [points, p.orgId, p.orderKey]);
      return { ok: true, recorded: true, purchase: { ...p, points, refundedAt: null, refundedMinor: 0, earnKey: null }, balance, owed, written };
    });
  }


  recordRefund(refund: MemberRefund): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.run(
        `INSERT INTO member_refunds (org_id, order_key, refund_id, amount_minor, points, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [refund.orgId, refund.orderKey, refund.refundId, refund.amountMinor, refund.points, refund.at],
      );
      if (inserted.changes !== 1) return false;
      // ?1 is the amount in both places it is used; PostgreSQL's SERIALIZABLE runs this again should
      // another process refund part of the same order at once, so the parts add up.
      await tx.run(
        `UPDATE member_purchases
            SET refunded_minor = refunded_minor + ?1,
                refunded_at = CASE WHEN refunded_at IS NULL AND refunded_minor + ?1 >= total_minor THEN ?2 ELSE refunded_at END
          WHERE org_id = ?3 AND order_key = ?4`,
        [refund.amountMinor, refund.at, refund.orgId, refund.orderKey],
      );
      return true;
    });
  }

  async getRefund(orgId: string, orderKey: string, refundId: string): Promise<MemberRefund | null> {
    const r = await this.db.get<{ refund_id: string; amount_minor: number; points: number; at: number }>(
      "SELECT refund_id, amount_minor, points, at FROM member_refunds WHERE org_id = ? AND order_key = ? AND refund_id = ?",
      [orgId, orderKey, refundId],
    );
    return r ? { orgId, orderKey, refundId: r.refund_id, amountMinor: r.amount_minor, points: r.points, at: r.at } : null;
  }

  async markRefunded(orgId: string, orderKey: string, now: number): Promise<boolean> {
    const result = await this.db.run(
      "UPDATE member_purchases SET refunded_at = ?, refunded_minor = total_minor WHERE org_id = ? AND order_key = ? AND refunded_at IS NULL",
      [now, orgId, orderKey],
    );
    return result.changes === 1;
  }

  async tierActivity(orgId: string, userId: string, since: number): Promise<TierActivity> {
    const points = await this.db.get<{ total: number | null }>(
      // Net of reversals, partial ones included (reversal points are negative).
      `SELECT SUM(e.points + COALESCE((SELECT SUM(r.points) FROM ledger_entries r WHERE r.reverses = e.id), 0)) AS total
         FROM ledger_entries e
       WHERE e.org_id = ? AND e.member_id = ? AND e.at >= ? AND e.kind = 'earn'`,
      [orgId, userId, since],
    );
    const spend = await this.db.get<{ total: number | null }>(
      `SELECT SUM(total_minor - refunded_minor
                  - CASE WHEN total_minor = 0 THEN 0 ELSE points_discount_minor * (total_minor - refunded_minor) / total_minor END) AS total
         FROM member_purchases WHERE org_id = ? AND user_id = ? AND at >= ?`,
      [orgId, userId, since],
    );
    return { pointsEarned: points?.total ?? 0, spendMinor: spend?.total ?? 0 };
  }

  async countEarningVisit(userId: string, storeId: string, day: string, maxPerDay: number): Promise<boolean> {
    // One statement, no read first: the row is taken or bumped only while under the cap, and
    // PostgreSQL re-checks the WHERE on the row as it stands, so processes racing to count the
    // last visit of the day cannot both win. (The SELECT has its WHERE, as SQLite's parser needs
    // before an upsert's ON CONFLICT.)
    const row = await this.db.get<{ visits: number }>(
      `INSERT INTO visit_earnings AS e (user_id, store_id, day, visits) SELECT ?, ?, ?, 1 WHERE CAST(? AS BIGINT) > 0
       ON CONFLICT (user_id, store_id, day) DO UPDATE SET visits = e.visits + 1 WHERE e.visits < CAST(? AS BIGINT)
       RETURNING visits`,
      [userId, storeId, day, maxPerDay, maxPerDay],
    );
    return row !== undefined;
  }

  upsertMembers(orgId: string, members: readonly ImportedMember[], now: number): Promise<MemberUpsertReport> {
    return this.db.transaction(async (tx) => {
      let created = 0;
      let updated = 0;
      let unchanged = 0;
      const taken: string[] = [];
      const analyticsWithdrawn: string[] = [];
      const analyticsGiven: string[] = [];
      for (const m of members) {
        const row = await tx.get<UserRow>(
          `SELECT u.org_id, u.display_name, u.segments, u.loyalty_tier, u.marketing_consent, u.analytics_consent, l.birth_month
           FROM app_users u LEFT JOIN loyalty_members l ON l.user_id = u.id WHERE u.id = ?`,
          [m.id],
        );
        if (row && row.org_id !== orgId) {
          taken.push(m.id);
          continue;
        }
        const next = {
          display_name: m.displayName !== undefined ? m.displayName : (row?.display_name ?? null),
          segments: JSON.stringify(m.segments ?? (row ? (JSON.parse(row.segments) as string[]) : [])),
          loyalty_tier: m.loyaltyTier !== undefined ? m.loyaltyTier : (row?.loyalty_tier ?? null),
          marketing_consent: m.marketingConsent !== undefined ? Number(m.marketingConsent) : (row?.marketing_consent ?? 0),
          analytics_consent: m.analyticsConsent !== undefined ? Number(m.analyticsConsent) : (row?.analytics_consent ?? 0),
        };
        const birthChanged = m.birthMonth !== undefined && m.birthMonth !== (row?.birth_month ?? null);
        const profileChanged =
          !row ||
          row.display_name !== next.display_name ||
          row.segments !== next.segments ||
          row.loyalty_tier !== next.loyalty_tier ||
          row.marketing_consent !== next.marketing_consent ||
          row.analytics_consent !== next.analytics_consent;
        if (!row) {
          await tx.run(
            `INSERT INTO app_users (id, org_id, display_name, segments, loyalty_tier, marketing_consent, analytics_consent, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [m.id, orgId, next.display_name, next.segments, next.loyalty_tier, next.marketing_consent, next.analytics_consent, now, now],
          );
        } else if (profileChanged) {
          await tx.run(
            `UPDATE app_users SET display_name = ?, segments = ?, loyalty_tier = ?, marketing_consent = ?, analytics_consent = ?, updated_at = ?
             WHERE id = ?`,
            [next.display_name, next.segments, next.loyalty_tier, next.marketing_consent, next.analytics_consent, now, m.id],
          );
        }
        if (birthChanged) {
          await tx.run(
            `INSERT INTO loyalty_members (user_id, org_id, birth_month, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (user_id) DO UPDATE SET birth_month = excluded.birth_month, updated_at = excluded.updated_at`,
            [m.id, orgId, m.birthMonth ?? null, now],
          );
        }
        const analyticsBefore = row?.analytics_consent ?? 0;
        if (analyticsBefore === 1 && next.analytics_consent === 0) analyticsWithdrawn.push(m.id);
        if (analyticsBefore === 0 && next.analytics_consent === 1) analyticsGiven.push(m.id);
        if (!row) created += 1;
        else if (profileChanged || birthChanged) updated += 1;
        else unchanged += 1;
      }
      return { created, updated, unchanged, taken, analyticsWithdrawn, analyticsGiven };
    });
  }

  async exportMembers(orgId: string, afterId: string | null, limit: number): Promise<ExportedMember[]> {
    const rows = await this.db.all<UserRow & { id: string }>(
      `SELECT u.id, u.org_id, u.display_name, u.segments, u.loyalty_tier, u.marketing_consent, u.analytics_consent, l.birth_month
       FROM app_users u LEFT JOIN loyalty_members l ON l.user_id = u.id
       WHERE u.org_id = ? AND u.id > ? ORDER BY u.id LIMIT ?`,
      [orgId, afterId ?? "", Math.max(1, Math.min(10_000, Math.trunc(limit)))],
    );
    return rows.map((r) => ({ ...toUser(r), birthMonth: r.birth_month }));
  }

  memberCodeSecret(create: () => Uint8Array, now: number): Promise<Uint8Array> {
    return this.db.transaction(async (tx) => {
      await tx.run("INSERT INTO loyalty_secrets (name, secret, created_at) VALUES ('member-code', ?, ?) ON CONFLICT DO NOTHING", [Buffer.from(create()), now]);
      const row = await tx.get<{ secret: Buffer }>("SELECT secret FROM loyalty_secrets WHERE name = 'member-code'");
      if (!row) throw new Error("member code secret vanished inside its transaction");
      return new Uint8Array(row.secret);
    });
  }
}

/** The purchase recorded under `orderKey`, or null. */
async function purchaseIn(db: SharedSqlExecutor, orgId: string, orderKey: string): Promise<MemberPurchase | null> {
  const r = await db.get<PurchaseRow>("SELECT * FROM member_purchases WHERE org_id = ? AND order_key = ?", [orgId, orderKey]);
  if (!r) return null;
  return {
    orgId: r.org_id,
    orderKey: r.order_key,
    userId: r.user_id,
    storeId: r.store_id,
    channel: r.channel,
    totalMinor: r.total_minor,
    currency: r.currency,
    points: r.points,
    at: r.at,
    refundedAt: r.refunded_at,
    refundedMinor: r.refunded_minor,
    pointsSpent: r.points_spent,
    pointsDiscountMinor: r.points_discount_minor,
    earnKey: r.earn_key,
  };
}
