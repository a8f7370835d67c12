import type { GiftState } from "../../domain/coupons/index.js";
import type { GiftQuery } from "../../services/repositories.js";

/**
 * Which rows are in `state` at `now`, as `giftAt` reads them: a pending gift past its time is
 * timed out though its row may still say pending (rows are marked only when touched).
 */
function stateAt(state: GiftState): string {
  switch (state) {
    case "pending":
      return "(state = 'pending' AND expires_at > ?)";
    case "timed-out":
      return "(state = 'timed-out' OR (state = 'pending' AND expires_at <= ?))";
    case "accepted":
      return "state = 'accepted'";
    case "declined":
      return "state = 'declined'";
  }
}

const GIFT_COLUMNS = "id, coupon_id, user_id, to_user_id, state, created_at, expires_at, resolved_at";

/**
 * The SQL of `listGifts`, the same on SQLite and PostgreSQL: one batch's gifts in some states (as
 * of `now`) or all, newest first and then by id, after the cursor's row, at most `limit`. Never the
 * token's hash: the columns a list needs only.
 */
export function listGiftsQuery(query: GiftQuery): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [query.batchId];
  let sql = `SELECT ${GIFT_COLUMNS} FROM coupon_gifts WHERE batch_id = ?`;
  if (query.states !== undefined) {
    const states = [...new Set(query.states)];
    if (states.length === 0) return { sql: `SELECT ${GIFT_COLUMNS} FROM coupon_gifts WHERE 1 = 0`, params: [] };
    sql += ` AND (${states.map(stateAt).join(" OR ")})`;
    for (const s of states) if (s === "pending" || s === "timed-out") params.push(query.now);
  }
  if (query.after !== null) {
    sql += " AND (created_at < ? OR (created_at = ? AND id < ?))";
    params.push(query.after.at, query.after.at, query.after.id);
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  params.push(Math.max(0, Math.trunc(query.limit)));
  return { sql, params };
}

/** The SQL of `giftCounts`: a batch's gifts by their state at `now` (see `stateAt`). */
export function giftCountsQuery(batchId: string, now: number): { sql: string; params: (string | number)[] } {
  return {
    sql: `SELECT COUNT(*) AS made,
        COALESCE(SUM(CASE WHEN state = 'pending' AND expires_at > ? THEN 1 ELSE 0 END), 0) AS pending,
        COALESCE(SUM(CASE WHEN state = 'accepted' THEN 1 ELSE 0 END), 0) AS accepted,
        COALESCE(SUM(CASE WHEN state = 'declined' THEN 1 ELSE 0 END), 0) AS declined,
        COALESCE(SUM(CASE WHEN state = 'timed-out' OR (state = 'pending' AND expires_at <= ?) THEN 1 ELSE 0 END), 0) AS timed_out
      FROM coupon_gifts WHERE batch_id = ?`,
    params: [now, now, batchId],
  };
}

/** A row of `giftCountsQuery`. */
export interface GiftCountsRow {
  made: number;
  pending: number;
  accepted: number;
  declined: number;
  timed_out: number;
}
