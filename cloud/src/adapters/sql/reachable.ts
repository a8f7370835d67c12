/** SQL the SQLite and PostgreSQL adapters share word for word. */

/**
 * The SQL of `countReachable`, the same on SQLite and PostgreSQL: segments are stored as the JSON
 * text of their list, so a segment is in it when its JSON string is (LIKE, its wildcards escaped).
 */
export function reachableQuery(
  orgId: string,
  audience: { readonly segments?: readonly string[]; readonly tiers?: readonly string[] },
): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [orgId];
  let sql = "SELECT COUNT(*) AS n FROM app_users WHERE org_id = ? AND marketing_consent = 1";
  const { segments, tiers } = audience;
  if (segments !== undefined) {
    if (segments.length === 0) return { sql: "SELECT 0 AS n", params: [] };
    sql += ` AND (${segments.map(() => "segments LIKE ? ESCAPE '\\'").join(" OR ")})`;
    params.push(...segments.map((s) => `%${JSON.stringify(s).replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  }
  if (tiers !== undefined) {
    if (tiers.length === 0) return { sql: "SELECT 0 AS n", params: [] };
    sql += ` AND loyalty_tier IN (${tiers.map(() => "?").join(", ")})`;
    params.push(...tiers);
  }
  return { sql, params };
}
