import type { FunnelQuery } from "../../services/repositories.js";

/** SQL the SQLite and PostgreSQL analytics adapters share word for word. */

/** What both databases' handles offer a shared query: positional parameters, rows back. */
export interface SqlReader {
  all<T>(sql: string, params: readonly (string | number | null)[]): Promise<T[]>;
}

/** The cohort: visits of app users at the organisation's stores that started in [from, to). */
export function cohort(q: FunnelQuery): { where: string; params: (string | number)[] } {
  return {
    where: `s.org_id = ? AND v.user_id IS NOT NULL AND v.entered_at >= ? AND v.entered_at < ?${q.storeId === null ? "" : " AND v.store_id = ?"}`,
    params: q.storeId === null ? [q.orgId, q.from, q.to] : [q.orgId, q.from, q.to, q.storeId],
  };
}

/**
 * What each user of a rule's holdout cohort spent from their first eligible decision of the rule
 * (issued or held out) to the period's end, keyed by rule and user: purchases reported for them
 * (net of refunds) and the baskets of their coupon redemptions not also reported as a purchase of
 * the same store and order. Users are unique across organisations, so the cohort's users bound
 * the sales to the organisation; a chosen store bounds them to that store.
 */
export async function cohortRevenue(db: SqlReader, q: FunnelQuery): Promise<Map<string, number>> {
  const { where, params } = cohort(q);
  const atStore = (column: string) => (q.storeId === null ? "" : ` AND ${column} = ?`);
  const store = q.storeId === null ? [] : [q.storeId];
  const rows = await db.all<{ rule_id: string; user_id: string; revenue: number | null }>(
    `WITH firsts AS (
       SELECT d.rule_id, d.user_id, MIN(d.decided_at) AS first_at
       FROM visits v JOIN stores s ON s.id = v.store_id JOIN decisions d ON d.visit_id = v.id
       WHERE ${where} AND d.user_id IS NOT NULL AND d.outcome IN ('issued', 'held-out')
       GROUP BY d.rule_id, d.user_id),
     sales AS (
       SELECT p.user_id, p.at, p.total_minor - p.refunded_minor AS amount FROM member_purchases p
       WHERE p.org_id = ? AND p.at >= ? AND p.at < ?${atStore("p.store_id")} AND p.user_id IN (SELECT user_id FROM firsts)
       UNION ALL
       SELECT o.user_id, r.redeemed_at AS at, r.total_minor AS amount FROM redemptions r JOIN offers o ON o.id = r.offer_id
       WHERE r.total_minor IS NOT NULL AND r.redeemed_at >= ? AND r.redeemed_at < ?${atStore("r.store_id")}
         AND o.user_id IN (SELECT user_id FROM firsts)
         AND NOT EXISTS (SELECT 1 FROM member_purchases p2
           WHERE p2.org_id = ? AND p2.user_id = o.user_id AND p2.order_key = r.store_id || ':' || r.order_id))
     SELECT f.rule_id, f.user_id, SUM(x.amount) AS revenue
     FROM firsts f JOIN sales x ON x.user_id = f.user_id AND x.at >= f.first_at
     GROUP BY f.rule_id, f.user_id`,
    [...params, q.orgId, q.from, q.to, ...store, q.from, q.to, ...store, q.orgId],
  );
  return new Map(rows.map((r) => [`${r.rule_id}\u0000${r.user_id}`, r.revenue ?? 0]));
}
