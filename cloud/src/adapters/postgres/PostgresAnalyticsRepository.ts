import { cohort, cohortRevenue } from "../sql/cohort.js";
import { trendBuckets } from "../sql/trends.js";
import type { EventTrigger } from "../../domain/rules/index.js";
import { GEOFENCE_ZONE_ID, PHONE_GATEWAY_ID, STORE_BEACON_ZONE_ID } from "../../services/GeofenceService.js";
import type {
  AnalyticsRepository,
  FunnelCounts,
  FunnelQuery,
  HoldoutCohortRow,
  TrendBucket,
  ReplayEvent,
  ReplayRepository,
} from "../../services/repositories.js";
import type { PgValue, PostgresDatabase } from "./PostgresDatabase.js";

interface CountsRow {
  visits: number;
  eligible: number | null;
  held_out: number | null;
  issued: number | null;
  delivered: number | null;
  viewed: number | null;
  redeemed: number | null;
}

function toCounts(r: CountsRow): FunnelCounts {
  return {
    visits: r.visits,
    eligible: r.eligible ?? 0,
    heldOut: r.held_out ?? 0,
    issued: r.issued ?? 0,
    delivered: r.delivered ?? 0,
    viewed: r.viewed ?? 0,
    redeemed: r.redeemed ?? 0,
  };
}

/**
 * True unless the event's signals (JSON held in TEXT) say it was implausible, as SQLite's
 * `COALESCE(json_extract(signals, '$.plausible'), 1) = 1`: a missing or null member counts as
 * plausible, and so does true (or 1). Gateway events have no signals and skip the parse.
 */
const plausible = (alias: string): string =>
  `(${alias}.signals IS NULL OR COALESCE(NULLIF(arrival_try_jsonb(${alias}.signals) -> 'plausible', 'null'::jsonb), 'true'::jsonb)
     IN ('true'::jsonb, '1'::jsonb))`;

/** A decision that shows the rule was eligible: it issued, held the user out, or lost on priority. */
const ELIGIBLE = "(d.outcome IN ('issued', 'held-out') OR d.reason = 'lower-priority')";
// Each stage counts offers that reached it or a later one: a view implies delivery, and a
// redemption implies both even when the app never acknowledged (the shopper showed the code).
const DELIVERED = "(o.delivered_at IS NOT NULL OR o.viewed_at IS NOT NULL OR o.redeemed_at IS NOT NULL)";
const VIEWED = "(o.viewed_at IS NOT NULL OR o.redeemed_at IS NOT NULL)";
const REDEEMED = "(o.redeemed_at IS NOT NULL)";



/** One row per visit of the cohort with what came of it; the funnel queries aggregate these. */
function perVisit(q: FunnelQuery): { sql: string; params: PgValue[] } {
  const { where, params } = cohort(q);
  return {
    sql: `SELECT v.id, v.store_id, v.zone_id, v.entered_at,
        EXISTS (SELECT 1 FROM decisions d WHERE d.visit_id = v.id AND ${ELIGIBLE})::int AS eligible,
        EXISTS (SELECT 1 FROM decisions d WHERE d.visit_id = v.id AND d.outcome = 'held-out')::int AS held_out,
        (SELECT COUNT(*) FROM offers o WHERE o.visit_id = v.id) AS issued,
        (SELECT COUNT(*) FROM offers o WHERE o.visit_id = v.id AND ${DELIVERED}) AS delivered,
        (SELECT COUNT(*) FROM offers o WHERE o.visit_id = v.id AND ${VIEWED}) AS viewed,
        (SELECT COUNT(*) FROM offers o WHERE o.visit_id = v.id AND ${REDEEMED}) AS redeemed
      FROM visits v JOIN stores s ON s.id = v.store_id WHERE ${where}`,
    params,
  };
}

const SUMS = `COUNT(*) AS visits, SUM(eligible) AS eligible, SUM(held_out) AS held_out, SUM(issued) AS issued,
  SUM(delivered) AS delivered, SUM(viewed) AS viewed, SUM(redeemed) AS redeemed`;

/** Read-only queries over recorded history: the funnel, holdout cohorts, and dry-run replays. */
export class PostgresAnalyticsRepository implements AnalyticsRepository, ReplayRepository {
  private readonly db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.db = db;
  }

  async funnelByPlace(
    query: FunnelQuery,
    by: "store" | "zone",
  ): Promise<(FunnelCounts & { storeId: string; zoneId: string | null })[]> {
    const { sql, params } = perVisit(query);
    const keys = by === "store" ? "store_id" : "store_id, zone_id";
    const rows = await this.db.all<CountsRow & { store_id: string; zone_id?: string }>(
      `SELECT ${keys}, ${SUMS} FROM (${sql}) AS per_visit GROUP BY ${keys} ORDER BY ${keys}`,
      params,
    );
    return rows.map((r) => ({ storeId: r.store_id, zoneId: r.zone_id ?? null, ...toCounts(r) }));
  }

  async funnelByBucket(
    query: FunnelQuery,
    bucketMs: number,
  ): Promise<(FunnelCounts & { storeId: string; bucketStart: number })[]> {
    const { sql, params } = perVisit(query);
    const rows = await this.db.all<CountsRow & { store_id: string; bucket: number }>(
      `SELECT store_id, (entered_at / ?) AS bucket, ${SUMS} FROM (${sql}) AS per_visit GROUP BY store_id, bucket ORDER BY bucket`,
      [bucketMs, ...params],
    );
    return rows.map((r) => ({ storeId: r.store_id, bucketStart: r.bucket * bucketMs, ...toCounts(r) }));
  }

  async funnelByRule(query: FunnelQuery): Promise<(FunnelCounts & { ruleId: string })[]> {
    const { where, params } = cohort(query);
    const seen = await this.db.all<{ rule_id: string; visits: number; eligible: number; held_out: number }>(
      `SELECT d.rule_id, COUNT(DISTINCT v.id) AS visits,
         COUNT(DISTINCT CASE WHEN ${ELIGIBLE} THEN v.id END) AS eligible,
         COUNT(DISTINCT CASE WHEN d.outcome = 'held-out' THEN v.id END) AS held_out
       FROM visits v JOIN stores s ON s.id = v.store_id JOIN decisions d ON d.visit_id = v.id
       WHERE ${where} GROUP BY d.rule_id`,
      params,
    );
    const offers = await this.db.all<{
      rule_id: string;
      issued: number;
      delivered: number;
      viewed: number;
      redeemed: number;
    }>(
      `SELECT o.rule_id, COUNT(*) AS issued, SUM(${DELIVERED}::int) AS delivered, SUM(${VIEWED}::int) AS viewed,
         SUM(${REDEEMED}::int) AS redeemed
       FROM visits v JOIN stores s ON s.id = v.store_id JOIN offers o ON o.visit_id = v.id
       WHERE ${where} GROUP BY o.rule_id`,
      params,
    );
    const byRule = new Map(offers.map((o) => [o.rule_id, o]));
    return seen
      .map((r) => {
        const o = byRule.get(r.rule_id);
        return {
          ruleId: r.rule_id,
          visits: r.visits,
          eligible: r.eligible,
          heldOut: r.held_out,
          issued: o?.issued ?? 0,
          delivered: o?.delivered ?? 0,
          viewed: o?.viewed ?? 0,
          redeemed: o?.redeemed ?? 0,
        };
      })
      .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  }

  async holdoutCohorts(query: FunnelQuery): Promise<HoldoutCohortRow[]> {
    const { where, params } = cohort(query);
    const decisions = await this.db.all<{
      rule_id: string;
      user_id: string;
      outcome: "issued" | "held-out";
      decided_at: number;
      store_id: string;
    }>(
      `SELECT d.rule_id, d.user_id, d.outcome, d.decided_at, d.store_id
       FROM visits v JOIN stores s ON s.id = v.store_id JOIN decisions d ON d.visit_id = v.id
       WHERE ${where} AND d.user_id IS NOT NULL AND d.outcome IN ('issued', 'held-out')
       ORDER BY d.decided_at, d.id`,
      params,
    );
    const redeemed = await this.db.all<{ rule_id: string; user_id: string }>(
      `SELECT DISTINCT o.rule_id, o.user_id
       FROM visits v JOIN stores s ON s.id = v.store_id JOIN offers o ON o.visit_id = v.id
       WHERE ${where} AND o.redeemed_at IS NOT NULL`,
      params,
    );
    const redeemedKeys = new Set(redeemed.map((r) => `${r.rule_id}\u0000${r.user_id}`));
    const revenue = await cohortRevenue(this.db, query);
    const cohorts = new Map<string, HoldoutCohortRow>();
    for (const d of decisions) {
      const key = `${d.rule_id}\u0000${d.user_id}`;
      const first = cohorts.get(key);
      // A user who got the offer even once is in the issued group (only a holdout share lowered
      // between versions can make one user both).
      if (first === undefined || (first.group === "held-out" && d.outcome === "issued")) {
        cohorts.set(key, {
          ruleId: d.rule_id,
          userId: d.user_id,
          group: d.outcome,
          firstAt: first?.firstAt ?? d.decided_at,
          storeId: first?.storeId ?? d.store_id,
          redeemed: redeemedKeys.has(key),
          revenueMinor: revenue.get(key) ?? 0,
        });
      }
    }
    return [...cohorts.values()];
  }

  trendBuckets(query: FunnelQuery, bucketMs: number): Promise<TrendBucket[]> {
    return trendBuckets(this.db, query, bucketMs);
  }

  async lastVisits(query: FunnelQuery): Promise<{ userId: string; enteredAt: number }[]> {
    const { where, params } = cohort(query);
    const rows = await this.db.all<{ user_id: string; last: number }>(
      `SELECT v.user_id, MAX(v.entered_at) AS last FROM visits v JOIN stores s ON s.id = v.store_id
       WHERE ${where} GROUP BY v.user_id`,
      params,
    );
    return rows.map((r) => ({ userId: r.user_id, enteredAt: r.last }));
  }

  async replayEvents(query: {
    orgId: string;
    from: number;
    to: number;
    type: EventTrigger;
    after: { at: number; id: string } | null;
    limit: number;
  }): Promise<ReplayEvent[]> {
    const after = query.after;
    // A phone's geofence entry is stored as an enter of the `geofence` zone and fires only
    // geofence-arrival rules, a store beacon sighting (zone `store-beacon`) only beacon-arrival
    // rules, as in the live path (see triggerOfStored).
    const phone = `(e.gateway_id = '${PHONE_GATEWAY_ID}' AND e.zone_id IN ('${GEOFENCE_ZONE_ID}', '${STORE_BEACON_ZONE_ID}'))`;
    const phoneZone = query.type === "beacon-arrival" ? STORE_BEACON_ZONE_ID : GEOFENCE_ZONE_ID;
    // An implausible entry (its signals say so) was never decided live, so it is not replayed.
    const typeClause =
      query.type === "geofence-arrival" || query.type === "beacon-arrival"
        ? `e.type = ? AND e.gateway_id = '${PHONE_GATEWAY_ID}' AND e.zone_id = '${phoneZone}' AND ${plausible("e")}`
        : `e.type = ? AND NOT ${phone}`;
    const typeParam = query.type === "geofence-arrival" || query.type === "beacon-arrival" ? "enter" : query.type;
    const rows = await this.db.all<{
      id: string;
      type: EventTrigger;
      store_id: string;
      zone_id: string;
      at: number;
      visit_id: string;
      dwell_ms: number | null;
      user_id: string;
      segments: string;
      loyalty_tier: string | null;
      marketing_consent: number;
      visit_count: number;
      previous: number | null;
    }>(
      // The visit count and previous visit are what the live path reads at decision time: the
      // shopper's store visits to this store that had started by this one (a store visit is
      // named after the zone visit that opened it; events stored before store visits count by
      // their zone visit), implausible geofence entries aside. The visit a per-visit cap reads is
      // the store visit too.
      `SELECT e.id, e.type, e.store_id, e.zone_id, e.at, COALESCE(e.store_visit_id, e.visit_id) AS visit_id,
         e.dwell_ms, e.user_id, u.segments, u.loyalty_tier, u.marketing_consent,
         (SELECT COUNT(DISTINCT COALESCE(p.store_visit_id, p.visit_id)) FROM presence_events p
            WHERE p.user_id = e.user_id AND p.store_id = e.store_id AND p.type = 'enter' AND ${plausible("p")}
              AND p.at <= COALESCE(v.entered_at, e.at)) AS visit_count,
         (SELECT MAX(pv.entered_at) FROM presence_events p JOIN visits pv ON pv.id = COALESCE(p.store_visit_id, p.visit_id)
            WHERE p.user_id = e.user_id AND p.store_id = e.store_id AND p.type = 'enter' AND ${plausible("p")}
              AND pv.entered_at < COALESCE(v.entered_at, e.at)) AS previous
       FROM presence_events e
         JOIN stores s ON s.id = e.store_id
         JOIN app_users u ON u.id = e.user_id AND u.org_id = s.org_id
         LEFT JOIN visits v ON v.id = COALESCE(e.store_visit_id, e.visit_id)
       WHERE s.org_id = ? AND ${typeClause} AND e.at >= ? AND e.at < ?
         ${after ? "AND (e.at > ? OR (e.at = ? AND e.id > ?))" : ""}
       ORDER BY e.at, e.id LIMIT ?`,
      after
        ? [query.orgId, typeParam, query.from, query.to, after.at, after.at, after.id, query.limit]
        : [query.orgId, typeParam, query.from, query.to, query.limit],
    );
    return rows.map((r) => ({
      id: r.id,
      type: query.type,
      storeId: r.store_id,
      zoneId: r.zone_id,
      at: r.at,
      visitId: r.visit_id,
      dwellMs: r.dwell_ms,
      userId: r.user_id,
      segments: JSON.parse(r.segments) as string[],
      loyaltyTier: r.loyalty_tier,
      marketingConsent: r.marketing_consent === 1,
      visitCount: Math.max(1, r.visit_count),
      previousVisitAt: r.previous,
    }));
  }

  async issuedOffers(
    orgId: string,
    from: number,
    to: number,
  ): Promise<{ userId: string; issuedAt: number; dayKey: string }[]> {
    const rows = await this.db.all<{ user_id: string; issued_at: number; day_key: string }>(
      `SELECT o.user_id, o.issued_at, o.day_key FROM offers o JOIN stores s ON s.id = o.store_id
       WHERE s.org_id = ? AND o.issued_at >= ? AND o.issued_at < ? ORDER BY o.issued_at`,
      [orgId, from, to],
    );
    return rows.map((r) => ({ userId: r.user_id, issuedAt: r.issued_at, dayKey: r.day_key }));
  }

  async offerCountsBefore(orgId: string, before: number): Promise<{ userId: string; n: number }[]> {
    const rows = await this.db.all<{ user_id: string; n: number }>(
      `SELECT o.user_id, COUNT(*) AS n FROM offers o JOIN stores s ON s.id = o.store_id
       WHERE s.org_id = ? AND o.issued_at < ? GROUP BY o.user_id`,
      [orgId, before],
    );
    return rows.map((r) => ({ userId: r.user_id, n: r.n }));
  }
}
