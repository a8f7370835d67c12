import type { PresenceEvent } from "../../../../protocol/index.js";
import type {
  ActivityQuery,
  ActivityRepository,
  StoredEvent,
  VisitRecord,
} from "../../services/repositories.js";
import { MAX_INSTANT_MS } from "../../domain/rules/localTime.js";
import type { SqlValue, SqliteDatabase } from "./SqliteDatabase.js";
import { toStoredEvent } from "./SqliteRepository.js";

interface VisitRow {
  id: string;
  store_id: string;
  zone_id: string;
  subject_id: string;
  user_id: string | null;
  entered_at: number;
  last_event_at: number;
  exited_at: number | null;
  dwell_ms: number;
}

/**
 * The user id as shown: only for users who consented to analytics (the `analytics` consent flag);
 * others' presence is still listed, under the subject id alone. `t` is the table alias.
 */
const SHOWN_USER = "(SELECT u.id FROM app_users u WHERE u.id = t.user_id AND u.analytics_consent = 1)";

/** The WHERE clause shared by both queries; `time` is the column the range and the cursor apply to. */
function where(query: ActivityQuery, time: string): { sql: string; params: SqlValue[] } {
  // Rows at no instant a Date can hold (stored before ingest bounded times and dwell) are skipped:
  // they cannot be shown or paged through, and must not fail the page they would be on.
  const clauses = ["store_id = ?", `${time} BETWEEN ? AND ?`];
  const params: SqlValue[] = [query.storeId, -MAX_INSTANT_MS, MAX_INSTANT_MS];
  if (query.from !== null) {
    clauses.push(`${time} >= ?`);
    params.push(query.from);
  }
  if (query.to !== null) {
    clauses.push(`${time} < ?`);
    params.push(query.to);
  }
  if (query.zoneId !== null) {
    clauses.push("zone_id = ?");
    params.push(query.zoneId);
  }
  if (query.subjectId !== null) {
    clauses.push("subject_id = ?");
    params.push(query.subjectId);
  }
  if (query.userId !== null) {
    clauses.push(`${SHOWN_USER} = ?`);
    params.push(query.userId);
  }
  if (query.after !== null) {
    // Keyset paging, newest first: rows strictly before the cursor's (time, id).
    clauses.push(`(${time} < ? OR (${time} = ? AND id < ?))`);
    params.push(query.after.at, query.after.at, query.after.id);
  }
  return { sql: clauses.join(" AND "), params };
}

/** Presence history queries over SQLite, served by the (store_id, time) indexes. */
export class SqliteActivityRepository implements ActivityRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async eventsPage(query: ActivityQuery & { readonly type: PresenceEvent["type"] | null }): Promise<StoredEvent[]> {
    const { sql, params } = where(query, "at");
    const typeClause = query.type === null ? "" : " AND type = ?";
    if (query.type !== null) params.push(query.type);
    const rows = await this.db.all<Parameters<typeof toStoredEvent>[0] & { shown_user_id: string | null }>(
      `SELECT t.*, ${SHOWN_USER} AS shown_user_id FROM presence_events t WHERE ${sql}${typeClause}
       ORDER BY at DESC, id DESC LIMIT ?`,
      [...params, query.limit],
    );
    return rows.map((row) => toStoredEvent({ ...row, user_id: row.shown_user_id }));
  }

  async visitsPage(query: ActivityQuery): Promise<VisitRecord[]> {
    const { sql, params } = where(query, "entered_at");
    const rows = await this.db.all<VisitRow & { shown_user_id: string | null }>(
      `SELECT t.*, ${SHOWN_USER} AS shown_user_id FROM visits t WHERE ${sql} ORDER BY entered_at DESC, id DESC LIMIT ?`,
      [...params, query.limit],
    );
    return rows.map((r) => ({
      id: r.id,
      storeId: r.store_id,
      zoneId: r.zone_id,
      subjectId: r.subject_id,
      userId: r.shown_user_id,
      enteredAt: r.entered_at,
      lastEventAt: r.last_event_at,
      exitedAt: r.exited_at,
      dwellMs: r.dwell_ms,
    }));
  }
}
