import type { SqlStore } from "../../cloud/src/openStorage.js";

/**
 * The books a fault must leave balanced, read from the cloud's database: every event once, every
 * eligible arrival decided exactly once by each candidate rule, no offer issued twice for one event,
 * no offer redeemed twice. Shared by the fault tests and the chaos suite (scripts/chaos).
 */
export interface Accounting {
  /** Stored events of the given ids, and how many of those ids are missing. */
  readonly stored: number;
  readonly missing: number;
  /** Eligible events (a registered user) that are not marked decided. */
  readonly undecided: number;
  /** (event, rule) pairs with more than one decision row; the schema forbids it, so 0. */
  readonly doubleDecisions: number;
  /** Events with more than one offer. */
  readonly doubleOffers: number;
  /** Offers whose "issued" decision is missing, or issued decisions whose offer is missing. */
  readonly orphanOffers: number;
  /** Offers with more than one accepted redemption. */
  readonly doubleRedemptions: number;
  readonly offers: number;
}

/** The books of a SQLite cloud (its SQL: a temporary table on the one connection, INSERT OR IGNORE). */
export async function audit(db: SqlStore, eventIds: readonly string[]): Promise<Accounting> {
  await db.exec("CREATE TEMP TABLE IF NOT EXISTS audit_ids (id TEXT PRIMARY KEY)");
  await db.exec("DELETE FROM audit_ids");
  for (let i = 0; i < eventIds.length; i += 500) {
    const part = eventIds.slice(i, i + 500);
    await db.run(`INSERT OR IGNORE INTO audit_ids (id) VALUES ${part.map(() => "(?)").join(", ")}`, part);
  }
  const one = async (sql: string): Promise<number> => (await db.get<{ n: number }>(sql))?.n ?? 0;
  const stored = await one("SELECT COUNT(*) AS n FROM presence_events WHERE id IN (SELECT id FROM audit_ids)");
  return {
    stored,
    missing: (await one("SELECT COUNT(*) AS n FROM audit_ids")) - stored,
    undecided: await one(
      "SELECT COUNT(*) AS n FROM presence_events WHERE user_id IS NOT NULL AND decided_at IS NULL",
    ),
    doubleDecisions: await one(
      "SELECT COUNT(*) AS n FROM (SELECT 1 FROM decisions GROUP BY event_id, rule_id HAVING COUNT(*) > 1)",
    ),
    doubleOffers: await one("SELECT COUNT(*) AS n FROM (SELECT 1 FROM offers GROUP BY event_id HAVING COUNT(*) > 1)"),
    orphanOffers:
      (await one(
        "SELECT COUNT(*) AS n FROM offers o WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.offer_id = o.id AND d.outcome = 'issued')",
      )) +
      (await one(
        "SELECT COUNT(*) AS n FROM decisions d WHERE d.outcome = 'issued' AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.id = d.offer_id)",
      )),
    doubleRedemptions: await one(
      "SELECT COUNT(*) AS n FROM (SELECT 1 FROM redemptions GROUP BY offer_id HAVING COUNT(*) > 1)",
    ),
    offers: await one("SELECT COUNT(*) AS n FROM offers"),
  };
}

/** What `audit` returns when the books balance for `events` events and `offers` offers. */
export function balanced(events: number, offers: number): Accounting {
  return {
    stored: events,
    missing: 0,
    undecided: 0,
    doubleDecisions: 0,
    doubleOffers: 0,
    orphanOffers: 0,
    doubleRedemptions: 0,
    offers,
  };
}
