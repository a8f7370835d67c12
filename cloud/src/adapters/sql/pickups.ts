import type { PickupState } from "../../domain/coupons/index.js";

/**
 * The SQL of `listPickups`, the same on SQLite and PostgreSQL: an organisation's orders, at one
 * store or all, in some states or all, newest first and then by id so a page is stable.
 */
export function listPickupsQuery(query: {
  readonly orgId: string;
  readonly storeId?: string;
  readonly states?: readonly PickupState[];
  readonly limit: number;
}): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [query.orgId];
  let sql = "SELECT * FROM pickups WHERE org_id = ?";
  if (query.storeId !== undefined) {
    sql += " AND store_id = ?";
    params.push(query.storeId);
  }
  if (query.states !== undefined) {
    if (query.states.length === 0) return { sql: "SELECT * FROM pickups WHERE 1 = 0", params: [] };
    sql += ` AND state IN (${query.states.map(() => "?").join(", ")})`;
    params.push(...query.states);
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  params.push(Math.max(0, Math.trunc(query.limit)));
  return { sql, params };
}
