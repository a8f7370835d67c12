import type { FunnelQuery, TrendBucket } from "../../services/repositories.js";
import { cohort, type SqlReader } from "./cohort.js";

/**
 * An offer issued on a visit stored unlinked (the shopper gave no analytics consent) carries an
 * `unlinked-` visit reference (see the decision groups); the funnel never counts it, as its visit is
 * not in the cohort, and neither do the trends.
 */
const CONSENTED_OFFER = "o.visit_id NOT LIKE 'unlinked-%'";

/**
 * The daily trends' counts, the same SQL for SQLite and PostgreSQL: integer division of epoch
 * milliseconds by the bucket gives the bucket in both, and grouping is by ordinal.
 */
export async function trendBuckets(db: SqlReader, q: FunnelQuery, bucketMs: number): Promise<TrendBucket[]> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new Error(`bucket of ${bucketMs} ms`);
  const B = bucketMs;
  const { where, params } = cohort(q);
  const atStore = (column: string) => (q.storeId === null ? "" : ` AND ${column} = ?`);
  const period = q.storeId === null ? [q.orgId, q.from, q.to] : [q.orgId, q.from, q.to, q.storeId];
  const visits = await db.all<{ store_id: string; zone_id: string; bucket: number; n: number }>(
    `SELECT v.store_id, v.zone_id, (v.entered_at / ${B}) AS bucket, COUNT(*) AS n
     FROM visits v JOIN stores s ON s.id = v.store_id WHERE ${where} GROUP BY 1, 2, 3`,
    params,
  );
  type OfferRow = { store_id: string; zone_id: string; channel: string; rule_id: string; batch_id: string | null; bucket: number; n: number };
  const issued = await db.all<OfferRow>(
    `SELECT o.store_id, o.zone_id, o.channel, o.rule_id, o.batch_id, (o.issued_at / ${B}) AS bucket, COUNT(*) AS n
     FROM offers o JOIN stores s ON s.id = o.store_id
     WHERE s.org_id = ? AND o.issued_at >= ? AND o.issued_at < ?${atStore("o.store_id")} AND ${CONSENTED_OFFER}
     GROUP BY 1, 2, 3, 4, 5, 6`,
    period,
  );
  // A redemption counts where and when it was made; its zone is the offer's only at the store
  // that issued it (a zone of another store would be no place at all).
  const redeemed = await db.all<OfferRow & { revenue: number | null; baskets: number }>(
    `SELECT r.store_id, CASE WHEN o.store_id = r.store_id THEN o.zone_id ELSE '' END AS zone_id, o.channel, o.rule_id,
       o.batch_id, (r.redeemed_at / ${B}) AS bucket, COUNT(*) AS n, SUM(r.total_minor) AS revenue, COUNT(r.total_minor) AS baskets
     FROM redemptions r JOIN offers o ON o.id = r.offer_id JOIN stores s ON s.id = r.store_id
     WHERE s.org_id = ? AND r.redeemed_at >= ? AND r.redeemed_at < ?${atStore("r.store_id")} AND ${CONSENTED_OFFER}
     GROUP BY 1, 2, 3, 4, 5, 6`,
    period,
  );
  const offer = (measure: "issued" | "redeemed", r: OfferRow, revenueMinor: number, baskets: number): TrendBucket => ({
    measure,
    storeId: r.store_id,
    // A coupon is stored with an empty zone (it was claimed, not earned in a zone).
    zoneId: r.zone_id === "" ? null : r.zone_id,
    channel: r.channel,
    ruleId: r.rule_id,
    batchId: r.batch_id,
    bucketStart: Number(r.bucket) * B,
    count: Number(r.n),
    revenueMinor,
    baskets,
  });
  return [
    ...visits.map((r): TrendBucket => ({ measure: "visits", storeId: r.store_id, zoneId: r.zone_id, bucketStart: Number(r.bucket) * B, count: Number(r.n) })),
    ...issued.map((r) => offer("issued", r, 0, 0)),
    ...redeemed.map((r) => offer("redeemed", r, Number(r.revenue ?? 0), Number(r.baskets))),
  ];
}
