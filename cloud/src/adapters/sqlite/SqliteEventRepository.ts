import { type PresenceEvent, userIdOfAppSubject } from "../../../../protocol/index.js";
import type { SeqRange } from "../../domain/ingest/outboxAck.js";
import { isoInstant, MAX_INSTANT_MS } from "../../domain/rules/localTime.js";
import { joinStoreVisit, type StoreVisitState } from "../../domain/visits/storeVisit.js";
import type {
  ActivityQuery,
  ActivityRepository,
  EventRepository,
  OutboxProgress,
  StoreBatchInput,
  StoreBatchResult,
  StoredEvent,
  VisitRecord,
} from "../../services/repositories.js";
import { readStoredAcks, storeIngestGroup } from "../sql/ingestGroup.js";
import { chunks, placeholders } from "../sql/multiRow.js";
import type { SqlExecutor, SqliteDatabase, SqlValue } from "./SqliteDatabase.js";

interface EventRow {
  id: string;
  gateway_id: string;
  store_id: string;
  zone_id: string;
  seq: number;
  type: PresenceEvent["type"];
  subject_kind: PresenceEvent["subject"]["kind"];
  subject_id: string;
  user_id: string | null;
  visit_id: string;
  at: number;
  rssi: number | null;
  distance_m: number | null;
  dwell_ms: number | null;
  received_at: number;
}

export function toStoredEvent(r: EventRow): StoredEvent {
  return {
    id: r.id,
    seq: r.seq,
    type: r.type,
    storeId: r.store_id,
    zoneId: r.zone_id,
    gatewayId: r.gateway_id,
    subject: { kind: r.subject_kind, id: r.subject_id },
    // Clipped: a row stored before ingest bounded times must not fail every reader that meets it.
    at: isoInstant(r.at),
    visitId: r.visit_id,
    rssi: r.rssi,
    distanceM: r.distance_m,
    ...(r.dwell_ms === null ? {} : { dwellMs: r.dwell_ms }),
    userId: r.user_id,
    receivedAt: r.received_at,
  };
}

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

/**
 * Presence events and visits in SQLite: ingest (with the per-outbox ack state and subject
 * resolution), the restart queue and the events and visits API.
 */
export class SqliteEventRepository implements EventRepository, ActivityRepository {
  constructor(private readonly db: SqliteDatabase) {}

  storeBatch(input: StoreBatchInput): Promise<StoreBatchResult> {
    return this.storeBatches([input]).then((results) => results[0] as StoreBatchResult);
  }

  /**
   * Stores several batches in one transaction, so one commit (one fsync under `synchronous = FULL`)
   * covers them all: group commit. Each batch is still handled as on its own (its gateway check,
   * its ack state, its duplicates), in the order given, so a later batch of the same outbox sees the
   * ack state an earlier one left; but the statements are per group, not per batch (`storeIngestGroup`).
   */
  storeBatches(inputs: readonly StoreBatchInput[]): Promise<StoreBatchResult[]> {
    // BEGIN IMMEDIATE holds the write lock from the first statement: the acks need no lock here.
    return this.db.transaction((tx) => storeIngestGroup(tx, inputs, { readAcks: readStoredAcks, insertEvents }));
  }

  /**
   * Events stored but not decided (the cloud stopped first), oldest first. An event stored unlinked
   * gets its user back from `pending_event_users`, so its offer is decided as it would have been.
   */
  async undecidedEvents(limit: number): Promise<StoredEvent[]> {
    const rows = await this.db.all<
      EventRow & { pending_user_id: string | null; joined_visit_id: string | null; seen: string | null }
    >(
      `SELECT e.*, p.user_id AS pending_user_id, COALESCE(e.store_visit_id, p.store_visit_id) AS joined_visit_id,
         json_type(e.signals, '$.seenByStoreGateways') AS seen
       FROM presence_events e
       LEFT JOIN pending_event_users p ON p.event_id = e.id
       WHERE e.decided_at IS NULL ORDER BY e.received_at, e.seq LIMIT ?`,
      [limit],
    );
    return rows.map((row) => {
      const stored = toStoredEvent(row);
      // A geofence entry's cross-check (its seenByStoreGateways signal), as GeofenceService hands it on.
      const corroborated = row.seen === "true" ? true : row.seen === "false" ? false : row.seen === "null" ? null : undefined;
      const event = {
        ...stored,
        ...(row.joined_visit_id === null ? {} : { storeVisitId: row.joined_visit_id }),
        ...(corroborated === undefined ? {} : { corroborated }),
      };
      return row.pending_user_id === null ? event : { ...event, userId: row.pending_user_id, unlinked: true };
    });
  }

  async outboxProgress(gatewayId: string): Promise<OutboxProgress[]> {
    const rows = await this.db.all<{ outbox: string; acked_seq: number | null; lo: number | null; hi: number | null }>(
      `SELECT k.outbox, o.acked_seq, r.lo, r.hi FROM (
         SELECT outbox FROM gateway_outboxes WHERE gateway_id = ?
         UNION SELECT outbox FROM gateway_outbox_ranges WHERE gateway_id = ?
       ) k
       LEFT JOIN gateway_outboxes o ON o.gateway_id = ? AND o.outbox = k.outbox
       LEFT JOIN gateway_outbox_ranges r ON r.gateway_id = ? AND r.outbox = k.outbox
       ORDER BY k.outbox, r.lo`,
      [gatewayId, gatewayId, gatewayId, gatewayId],
    );
    const byOutbox = new Map<string, { outbox: string; ackedSeq: number; pending: SeqRange[] }>();
    for (const row of rows) {
      let progress = byOutbox.get(row.outbox);
      if (!progress) {
        progress = { outbox: row.outbox, ackedSeq: row.acked_seq ?? 0, pending: [] };
        byOutbox.set(row.outbox, progress);
      }
      if (row.lo !== null && row.hi !== null) progress.pending.push({ lo: row.lo, hi: row.hi });
    }
    return [...byOutbox.values()];
  }

  async countOutboxesBehindGap(): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM (SELECT 1 FROM gateway_outbox_ranges GROUP BY gateway_id, outbox)",
    );
    return row?.n ?? 0;
  }

  async countEvents(): Promise<number> {
    const row = await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM presence_events");
    return row?.n ?? 0;
  }

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

/** Rows per multi-row statement: 15 parameters a row stays far below SQLite's 32 766 limit. */
const ROWS_PER_STATEMENT = 500;

/** Who a subject is, as far as storage is concerned. */
interface Resolved {
  /** The user, for the rules engine; null when the subject is nobody's. */
  readonly userId: string | null;
  /** What is written: without analytics consent, no user and no subject id (aggregate only). */
  readonly storedUserId: string | null;
  readonly storedSubjectId: string;
}

/**
 * Resolves each distinct subject of the events to a user of the organisation that owns the event's
 * store: a registered device, an Eddystone-EID through the resolution table (nearest period to the
 * sighting), or a phone reporting as its own user (`app:<userId>`). A user of another organisation
 * is nobody here: a device id or EID heard in another retailer's store must not reach this one's
 * rules, nor name that user in its data.
 */
async function resolveSubjects(tx: SqlExecutor, events: readonly PresenceEvent[]): Promise<Map<string, Resolved>> {
  const orgOf = new Map<string, string>();
  const storeIds = [...new Set(events.map((e) => e.storeId))];
  for (const part of chunks(storeIds, ROWS_PER_STATEMENT)) {
    const rows = await tx.all<{ id: string; org_id: string }>(
      `SELECT id, org_id FROM stores WHERE id IN (${part.map(() => "?").join(", ")})`,
      part,
    );
    for (const row of rows) orgOf.set(row.id, row.org_id);
  }
  interface Owner {
    readonly userId: string;
    readonly orgId: string;
    readonly analytics: boolean;
  }
  // Each organisation registers beacons on its own: one beacon may be a user's in several.
  const devices = new Map<string, Owner>();
  const subjects = [...new Set(events.map((e) => e.subject.id))];
  for (const part of chunks(subjects, ROWS_PER_STATEMENT)) {
    const rows = await tx.all<{ subject_id: string; user_id: string; org_id: string; analytics_consent: number }>(
      `SELECT d.subject_id, d.user_id, d.org_id, u.analytics_consent FROM user_devices d
       JOIN app_users u ON u.id = d.user_id WHERE d.subject_id IN (${part.map(() => "?").join(", ")})`,
      part,
    );
    for (const row of rows)
      devices.set(`${row.org_id}\u0000${row.subject_id}`, {
        userId: row.user_id,
        orgId: row.org_id,
        analytics: row.analytics_consent === 1,
      });
  }
  const resolved = new Map<string, Resolved>();
  for (const event of events) {
    const key = `${event.storeId}\u0000${event.subject.id}`;
    if (resolved.has(key)) continue;
    let owner = devices.get(`${orgOf.get(event.storeId) ?? ""}\u0000${event.subject.id}`) ?? null;
    if (!owner && event.subject.kind === "eddystone-eid") {
      const row = await tx.get<{ user_id: string; org_id: string; analytics_consent: number }>(
        `SELECT r.user_id, u.org_id, u.analytics_consent FROM eid_resolutions r JOIN app_users u ON u.id = r.user_id
         WHERE r.subject_id = ? ORDER BY ABS(r.period_start_s - ?) LIMIT 1`,
        [event.subject.id, Math.floor(Date.parse(event.at) / 1000)],
      );
      if (row) owner = { userId: row.user_id, orgId: row.org_id, analytics: row.analytics_consent === 1 };
    } else if (!owner && event.subject.kind === "app") {
      const row = await tx.get<{ id: string; org_id: string; analytics_consent: number }>(
        "SELECT id, org_id, analytics_consent FROM app_users WHERE id = ?",
        [userIdOfAppSubject(event.subject.id)],
      );
      if (row) owner = { userId: row.id, orgId: row.org_id, analytics: row.analytics_consent === 1 };
    }
    if (!owner || owner.orgId !== orgOf.get(event.storeId)) {
      resolved.set(key, { userId: null, storedUserId: null, storedSubjectId: event.subject.id });
    } else {
      resolved.set(key, {
        userId: owner.userId,
        storedUserId: owner.analytics ? owner.userId : null,
        storedSubjectId: owner.analytics ? event.subject.id : "unlinked",
      });
    }
  }
  return resolved;
}

/** Stores one event (a phone's geofence entry, with its plausibility signals); null if stored before. */
export async function insertEvent(
  tx: SqlExecutor,
  event: PresenceEvent,
  receivedAt: number,
  signals: object | null = null,
  options: InsertOptions = {},
): Promise<StoredEvent | null> {
  const [stored] = await insertEvents(tx, [event], receivedAt, signals, options);
  return stored ?? null;
}

export interface InsertOptions {
  /**
   * False for an event that must never count as a visit nor join one (a phone's geofence entry
   * found implausible): it is stored for an operator to look at, and that is all. Default true.
   */
  readonly joinsVisit?: boolean;
}

/**
 * Inserts the events not stored before (by id) and folds them into their visits; returns the ones
 * inserted, in batch order. Presence of a user without analytics consent is kept only in aggregate:
 * the stored event and visit carry no user and no subject id, so no history of where that person
 * was can be read back, while the returned event keeps the user so the rules engine can still
 * decide an offer for them now. An event whose subject is nobody's is stored already decided: the
 * rules engine has nothing to decide for it (offers go to users), and marking it one by one
 * afterwards would cost a commit per event.
 */
async function insertEvents(
  tx: SqlExecutor,
  events: readonly PresenceEvent[],
  /** When the cloud received them: one instant for all, or one per event (a group of batches). */
  receivedAts: number | readonly number[],
  signals: object | null = null,
  options: InsertOptions = {},
): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const receivedAt = (index: number): number => {
    const at = typeof receivedAts === "number" ? receivedAts : receivedAts[index];
    if (at === undefined) throw new Error(`no receipt time for event ${events[index]?.id ?? index}`);
    return at;
  };
  const resolved = await resolveSubjects(tx, events);
  const who = (event: PresenceEvent): Resolved => {
    const found = resolved.get(`${event.storeId}\u0000${event.subject.id}`);
    if (!found) throw new Error(`subject of event ${event.id} was not resolved`);
    return found;
  };
  const signalsJson = signals ? JSON.stringify(signals) : null;
  const fresh = new Set<string>();
  for (let from = 0; from < events.length; from += ROWS_PER_STATEMENT) {
    const part = events.slice(from, from + ROWS_PER_STATEMENT);
    const params: (string | number | null)[] = [];
    for (const [k, event] of part.entries()) {
      const { userId, storedUserId, storedSubjectId } = who(event);
      params.push(
        event.id,
        event.gatewayId,
        event.storeId,
        event.zoneId,
        event.seq,
        event.type,
        event.subject.kind,
        storedSubjectId,
        storedUserId,
        event.visitId,
        Date.parse(event.at),
        event.rssi,
        event.distanceM,
        event.dwellMs ?? null,
        receivedAt(from + k),
        userId === null ? receivedAt(from + k) : null,
        signalsJson,
      );
    }
    // OR IGNORE skips ids stored before (a re-sent batch); RETURNING names only the rows inserted.
    const rows = await tx.all<{ id: string }>(
      `INSERT OR IGNORE INTO presence_events (id, gateway_id, store_id, zone_id, seq, type, subject_kind,
         subject_id, user_id, visit_id, at, rssi, distance_m, dwell_ms, received_at, decided_at, signals)
       VALUES ${placeholders(part.length, 17)} RETURNING id`,
      params,
    );
    for (const row of rows) fresh.add(row.id);
  }
  // A batch may carry the same id twice (a forged or buggy gateway): the first one counts.
  const fresher: StoredEvent[] = [];
  for (const [i, event] of events.entries()) {
    if (!fresh.delete(event.id)) continue;
    const { userId, storedUserId } = who(event);
    // Kept without the user (no analytics consent): beyond deciding an offer now, aggregate only.
    fresher.push({ ...event, userId, receivedAt: receivedAt(i), ...(userId !== null && storedUserId === null ? { unlinked: true } : {}) });
  }
  const inserted = options.joinsVisit === false ? fresher : await joinStoreVisits(tx, fresher);
  for (const part of chunks(inserted, ROWS_PER_STATEMENT)) {
    const params: (string | number | null)[] = [];
    for (const event of part) {
      const at = Date.parse(event.at);
      const { storedUserId, storedSubjectId } = who(event);
      params.push(
        event.visitId,
        event.storeId,
        event.zoneId,
        storedSubjectId,
        storedUserId,
        event.type === "enter" ? at : at - (event.dwellMs ?? 0),
        at,
        event.type === "exit" ? at : null,
        event.dwellMs ?? 0,
      );
    }
    // Rows apply in order, so a visit seen twice in one statement folds like two statements would.
    await tx.run(
      `INSERT INTO visits (id, store_id, zone_id, subject_id, user_id, entered_at, last_event_at, exited_at, dwell_ms)
       VALUES ${placeholders(part.length, 9)}
       ON CONFLICT(id) DO UPDATE SET
         entered_at = MIN(entered_at, excluded.entered_at),
         last_event_at = MAX(last_event_at, excluded.last_event_at),
         exited_at = COALESCE(excluded.exited_at, exited_at),
         dwell_ms = MAX(dwell_ms, excluded.dwell_ms)`,
      params,
    );
  }
  // The user of an unlinked event, until its offer is decided (see migration 8), and its store
  // visit (migration 15); a linked event keeps its store visit on its row.
  const pending = inserted.filter((e) => e.unlinked === true);
  for (const part of chunks(pending, ROWS_PER_STATEMENT)) {
    await tx.run(
      `INSERT INTO pending_event_users (event_id, user_id, store_visit_id) VALUES ${placeholders(part.length, 3)}`,
      part.flatMap((e) => [e.id, e.userId, e.storeVisitId ?? null]),
    );
  }
  const linked = inserted.filter((e) => e.unlinked !== true && e.storeVisitId !== undefined);
  for (const part of chunks(linked, ROWS_PER_STATEMENT)) {
    await tx.run(
      `UPDATE presence_events SET store_visit_id = v.column2 FROM (VALUES ${placeholders(part.length, 2)}) AS v
       WHERE presence_events.id = v.column1`,
      part.flatMap((e) => [e.id, e.storeVisitId ?? null]),
    );
  }
  return inserted;
}

/**
 * Joins each event of a resolved user to that user's store visit (`joinStoreVisit`) and counts
 * the store visits opened, whatever the user's analytics consent: the rules engine needs the visit
 * number (first-visit, nth-visit, return-after) and the visits table cannot give it (unlinked rows
 * without consent, rows deleted by retention). A store visit, not a zone visit, is the unit: a
 * shopper crossing two zones, or seen by two gateways and reported by the phone's geofence, is on
 * one visit. Returns the events with their store visit, in order.
 */
async function joinStoreVisits(tx: SqlExecutor, events: readonly StoredEvent[]): Promise<StoredEvent[]> {
  const users = [...new Set(events.flatMap((e) => (e.userId === null ? [] : [e.userId])))];
  if (users.length === 0) return [...events];
  const states = new Map<string, StoreVisitState>();
  const stateKey = (userId: string, storeId: string) => `${userId}\u0000${storeId}`;
  for (const part of chunks(users, ROWS_PER_STATEMENT)) {
    const rows = await tx.all<{
      user_id: string;
      store_id: string;
      visits: number;
      last_visit_id: string;
      last_visit_at: number;
      last_seen_at: number | null;
      previous_visit_at: number | null;
    }>(`SELECT * FROM user_visit_counts WHERE user_id IN (${part.map(() => "?").join(", ")})`, part);
    for (const r of rows) {
      states.set(stateKey(r.user_id, r.store_id), {
        visits: r.visits,
        lastVisitId: r.last_visit_id,
        lastVisitAt: r.last_visit_at,
        lastSeenAt: r.last_seen_at ?? r.last_visit_at,
        previousVisitAt: r.previous_visit_at,
      });
    }
  }
  const changed = new Set<string>();
  const joined = events.map((event): StoredEvent => {
    if (event.userId === null) return event;
    const k = stateKey(event.userId, event.storeId);
    const join = joinStoreVisit(states.get(k) ?? null, {
      type: event.type,
      visitId: event.visitId,
      at: Date.parse(event.at),
      ...(event.dwellMs === undefined ? {} : { dwellMs: event.dwellMs }),
    });
    states.set(k, join.state);
    changed.add(k);
    return { ...event, storeVisitId: join.storeVisitId };
  });
  const rows = [...changed].map((k) => {
    const [userId, storeId] = k.split("\u0000") as [string, string];
    const s = states.get(k) as StoreVisitState;
    return [userId, storeId, s.visits, s.lastVisitId, s.lastVisitAt, s.lastSeenAt, s.previousVisitAt];
  });
  for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
    await tx.run(
      `INSERT INTO user_visit_counts (user_id, store_id, visits, last_visit_id, last_visit_at, last_seen_at, previous_visit_at)
       VALUES ${placeholders(part.length, 7)}
       ON CONFLICT(user_id, store_id) DO UPDATE SET
         visits = excluded.visits,
         last_visit_id = excluded.last_visit_id,
         last_visit_at = excluded.last_visit_at,
         last_seen_at = excluded.last_seen_at,
         previous_visit_at = excluded.previous_visit_at`,
      part.flat(),
    );
  }
  return joined;
}
