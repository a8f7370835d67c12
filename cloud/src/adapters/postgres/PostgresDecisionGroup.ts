import { randomUUID } from "node:crypto";
import type { Offer } from "../../domain/offers/index.js";
import type { RuleCounters } from "../../domain/rules/index.js";
import type {
  DecideOne,
  DecisionCounters,
  DecisionGroup,
  DecisionRequest,
  StoredEvent,
} from "../../services/repositories.js";
import type { PgExecutor, PgValue } from "./PostgresDatabase.js";
import type { PostgresDeliveryRepository } from "./PostgresDeliveryRepository.js";

/** Where a group's push outbox rows are written, in its transaction. */
export type PushRowsIn = Pick<PostgresDeliveryRepository, "enqueuePushIn">;

/** Ids per IN list; with the other parameters of a statement, below PostgreSQL's 65 535 parameters. */
const IDS_PER_STATEMENT = 5000;
/** Rows per multi-row INSERT of decisions (13 columns: 19 500 parameters). */
const ROWS_PER_INSERT = 1500;

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let k = 0; k < items.length; k += size) out.push(items.slice(k, k + size));
  return out;
}

const marks = (n: number): string => Array.from({ length: n }, () => "?").join(", ");
const key = (...parts: string[]): string => parts.join("\u0000");
/** The visit once-per-visit caps read: the event's store visit (migration 5), else its zone visit. */
const capVisit = (event: StoredEvent): string => event.storeVisitId ?? event.visitId;

/** Rows of `sql(marks)` for every chunk of `ids`, with `before`/`after` around each chunk's ids. */
async function allIn<T>(
  tx: PgExecutor,
  ids: readonly string[],
  sql: (idMarks: string) => string,
  before: readonly PgValue[] = [],
  after: readonly PgValue[] = [],
): Promise<T[]> {
  const rows: T[] = [];
  for (const part of chunked(ids, IDS_PER_STATEMENT)) {
    rows.push(...(await tx.all<T>(sql(marks(part.length)), [...before, ...part, ...after])));
  }
  return rows;
}

async function runIn(
  tx: PgExecutor,
  ids: readonly string[],
  sql: (idMarks: string) => string,
  before: readonly PgValue[] = [],
): Promise<void> {
  for (const part of chunked(ids, IDS_PER_STATEMENT)) await tx.run(sql(marks(part.length)), [...before, ...part]);
}

/**
 * What the counter rows (kept by migration 1's triggers) and the visit tables say about the users, rules and visits of
 * one group, read by key at the start of its transaction, then kept up to date in memory as the
 * group's own offers are issued: so the fifth event of a user in a group sees the four offers before
 * it exactly as it would have seen them committed.
 */
class GroupCounters {
  private readonly ruleTotals = new Map<string, number>();
  private readonly userTotals = new Map<string, number>();
  private readonly userDays = new Map<string, number>();
  private readonly userRules = new Map<string, { issued: number; last: number | null }>();
  private readonly userRuleDays = new Map<string, number>();
  /** (user, rule, visit) of offers that carry their visit. */
  private readonly visitOffers = new Set<string>();
  /** (visit, rule) of offers of unlinked visits (see SQLite migration 9). */
  private readonly unlinkedVisitOffers = new Set<string>();
  private readonly visitCounts = new Map<
    string,
    { n: number; lastId: string; lastAt: number; previousAt: number | null }
  >();
  private readonly visitEnds = new Map<string, number | null>();

  static async read(tx: PgExecutor, requests: readonly DecisionRequest[]): Promise<GroupCounters> {
    const c = new GroupCounters();
    if (requests.length === 0) return c;
    const users = [...new Set(requests.map((r) => r.userId))];
    const rules = [...new Set(requests.flatMap((r) => r.ruleIds))];
    const days = [...new Set(requests.map((r) => r.dayKey))];
    const visits = [...new Set(requests.map((r) => capVisit(r.event)))];
    const zoneVisits = [...new Set(requests.map((r) => r.event.visitId))];
    const ruleMarks = marks(rules.length);
    const dayMarks = marks(days.length);
    if (rules.length > 0) {
      for (const row of await allIn<{ rule_id: string; issued: number }>(
        tx,
        rules,
        (m) => `SELECT rule_id, issued FROM offer_counts_by_rule WHERE rule_id IN (${m})`,
      ))
        c.ruleTotals.set(row.rule_id, row.issued);
      for (const row of await allIn<{ user_id: string; rule_id: string; issued: number; last_issued_at: number | null }>(
        tx,
        users,
        (m) =>
          `SELECT user_id, rule_id, issued, last_issued_at FROM offer_counts_by_user_rule
           WHERE rule_id IN (${ruleMarks}) AND user_id IN (${m})`,
        rules,
      ))
        c.userRules.set(key(row.user_id, row.rule_id), { issued: row.issued, last: row.last_issued_at });
      for (const row of await allIn<{ user_id: string; rule_id: string; day_key: string; issued: number }>(
        tx,
        users,
        (m) =>
          `SELECT user_id, rule_id, day_key, issued FROM offer_counts_by_user_rule_day
           WHERE rule_id IN (${ruleMarks}) AND day_key IN (${dayMarks}) AND user_id IN (${m})`,
        [...rules, ...days],
      ))
        c.userRuleDays.set(key(row.user_id, row.rule_id, row.day_key), row.issued);
      for (const row of await allIn<{ user_id: string; rule_id: string; visit_id: string }>(
        tx,
        visits,
        (m) => `SELECT user_id, rule_id, visit_id FROM offers WHERE visit_id IN (${m})`,
      ))
        c.visitOffers.add(key(row.user_id, row.rule_id, row.visit_id));
      for (const row of await allIn<{ visit_id: string; rule_id: string }>(
        tx,
        visits,
        (m) => `SELECT visit_id, rule_id FROM unlinked_visit_offers WHERE visit_id IN (${m})`,
      ))
        c.unlinkedVisitOffers.add(key(row.visit_id, row.rule_id));
    }
    for (const row of await allIn<{ user_id: string; issued: number }>(
      tx,
      users,
      (m) => `SELECT user_id, issued FROM offer_counts_by_user WHERE user_id IN (${m})`,
    ))
      c.userTotals.set(row.user_id, row.issued);
    for (const row of await allIn<{ user_id: string; day_key: string; issued: number }>(
      tx,
      users,
      (m) => `SELECT user_id, day_key, issued FROM offer_counts_by_user_day WHERE day_key IN (${dayMarks}) AND user_id IN (${m})`,
      days,
    ))
      c.userDays.set(key(row.user_id, row.day_key), row.issued);
    // The per-user visit counter (SQLite migration 7), not the visits table: it counts users without
    // analytics consent and visits already swept by retention.
    for (const row of await allIn<{
      user_id: string;
      store_id: string;
      visits: number;
      last_visit_id: string;
      last_visit_at: number;
      previous_visit_at: number | null;
    }>(tx, users, (m) => `SELECT * FROM user_visit_counts WHERE user_id IN (${m})`))
      c.visitCounts.set(key(row.user_id, row.store_id), {
        n: row.visits,
        lastId: row.last_visit_id,
        lastAt: row.last_visit_at,
        previousAt: row.previous_visit_at,
      });
    for (const row of await allIn<{ id: string; exited_at: number | null }>(
      tx,
      zoneVisits,
      (m) => `SELECT id, exited_at FROM visits WHERE id IN (${m})`,
    ))
      c.visitEnds.set(row.id, row.exited_at);
    return c;
  }

  countersFor(request: DecisionRequest): DecisionCounters {
    const { event, userId, dayKey, ruleIds } = request;
    const counters: Record<string, RuleCounters> = {};
    for (const ruleId of ruleIds) {
      const mine = this.userRules.get(key(userId, ruleId));
      counters[ruleId] = {
        issuedTotal: this.ruleTotals.get(ruleId) ?? 0,
        userIssuedToday: this.userRuleDays.get(key(userId, ruleId, dayKey)) ?? 0,
        userIssuedTotal: mine?.issued ?? 0,
        userLastIssuedAt: mine?.last ?? null,
        // A visit may have both: consent given or withdrawn while the shopper is in the zone.
        alreadyIssuedThisVisit:
          this.visitOffers.has(key(userId, ruleId, capVisit(event))) ||
          this.unlinkedVisitOffers.has(key(capVisit(event), ruleId)),
      };
    }
    // When this event's visit is not the last one counted (a later zone visit already stored, or its
    // enter never received), the previous visit is the last one counted.
    const visits = this.visitCounts.get(key(userId, event.storeId));
    const thisIsLast = visits?.lastId === capVisit(event);
    return {
      counters,
      userIssuedTodayAllRules: this.userDays.get(key(userId, dayKey)) ?? 0,
      visitCount: Math.max(1, visits?.n ?? 1),
      previousVisitAt: (thisIsLast ? visits.previousAt : visits?.lastAt) ?? null,
      offersReceived: this.userTotals.get(userId) ?? 0,
      // The exit of this visit may already be stored: a gateway back from an outage uploads enter,
      // dwells and exit in one batch, and they are decided after the whole batch is committed.
      visitEndedAt: this.visitEnds.get(event.visitId) ?? null,
    };
  }

  /** Counts an offer stored for `request` in this group, as the triggers did for the committed counters. */
  issued(request: DecisionRequest, offer: Offer, unlinked: boolean): void {
    const { userId, dayKey } = request;
    const bump = (map: Map<string, number>, k: string) => map.set(k, (map.get(k) ?? 0) + 1);
    bump(this.ruleTotals, offer.ruleId);
    bump(this.userTotals, userId);
    bump(this.userDays, key(userId, dayKey));
    bump(this.userRuleDays, key(userId, offer.ruleId, dayKey));
    const mine = this.userRules.get(key(userId, offer.ruleId));
    this.userRules.set(key(userId, offer.ruleId), {
      issued: (mine?.issued ?? 0) + 1,
      last: Math.max(mine?.last ?? offer.issuedAt, offer.issuedAt),
    });
    if (unlinked) this.unlinkedVisitOffers.add(key(capVisit(request.event), offer.ruleId));
    else this.visitOffers.add(key(userId, offer.ruleId, capVisit(request.event)));
  }
}

interface Planned {
  readonly request: DecisionRequest;
  readonly decisions: ReturnType<DecideOne>["decisions"];
  /** The offer as stored (unlinked events: opaque event and visit references). */
  readonly offer: Offer | null;
  /** The decision log's event and visit reference for an unlinked event; null otherwise. */
  readonly reference: string | null;
}

/**
 * Stores one offer unless its (rule, user, visit) already has one, or its id or code is taken;
 * whether it was stored. The counter rows follow by trigger (migration 1), in this transaction.
 */
async function insertOffer(tx: PgExecutor, offer: Offer, dayKey: string): Promise<boolean> {
  const row = await tx.get<{ id: string }>(
    `INSERT INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title,
       text, discount, code, state, state_at, day_key, issued_at, expires_at)
     VALUES (${marks(17)}) ON CONFLICT DO NOTHING RETURNING id`,
    [
      offer.offerId,
      offer.ruleId,
      offer.ruleVersion,
      offer.userId,
      offer.storeId,
      offer.zoneId,
      offer.visitId,
      offer.eventId,
      offer.title,
      offer.text,
      JSON.stringify(offer.discount),
      offer.code,
      offer.status,
      offer.statusAt,
      dayKey,
      offer.issuedAt,
      offer.expiresAt,
    ],
  );
  return row !== undefined;
}

/**
 * The body of one group's transaction (see `OfferRepository.decideGroup`): a handful of statements
 * per group plus one per offer issued, whatever its size, instead of about sixteen per event.
 */
export async function decideGroupIn(
  tx: PgExecutor,
  group: DecisionGroup,
  decide: DecideOne,
  pushRows: PushRowsIn,
): Promise<(Offer | null)[]> {
  const { requests, passed, published, now } = group;
  await runIn(
    tx,
    published,
    (m) => `UPDATE offers SET published_at = COALESCE(published_at, ?) WHERE id IN (${m})`,
    [now],
  );
  const counters = await GroupCounters.read(tx, requests);
  // Decided in order, each offer stored before the next request is decided, and counted in the
  // group's counters only once it is stored: an offer that lost its (rule, user, visit) to another
  // writer counts for nothing, and the next request of the group sees exactly what is committed
  // plus what this group stored. The transaction is SERIALIZABLE (PostgresDatabase.transaction):
  // if another process issued against the same counters meanwhile, the group runs again from the
  // start with their offers counted, so budgets and caps are exact across processes.
  const planned: Planned[] = [];
  const inserted = new Set<string>();
  for (const request of requests) {
    const outcome = decide(request, counters.countersFor(request));
    // An event stored unlinked (no analytics consent) is not named again by what is kept of its
    // decision: the offer and the decision log keep the user (redemption, accounting, "why did I
    // get this"), but refer to the event and visit by an opaque reference that nothing else holds,
    // and the presence row's decided_at is not the decision time (a join key otherwise).
    const unlinked = request.event.unlinked === true;
    const issued = outcome.offer;
    const offer =
      issued && unlinked
        ? { ...issued, eventId: `unlinked-${issued.offerId}`, visitId: `unlinked-${issued.offerId}` }
        : issued;
    if (offer && (await insertOffer(tx, offer, request.dayKey))) {
      inserted.add(offer.offerId);
      counters.issued(request, offer, unlinked);
      // The per-visit cap of an unlinked visit: which rule issued in it, not to whom.
      if (unlinked) {
        await tx.run("INSERT INTO unlinked_visit_offers (visit_id, rule_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [
          capVisit(request.event),
          offer.ruleId,
        ]);
      }
    }
    planned.push({ request, decisions: outcome.decisions, offer, reference: unlinked ? `unlinked-${randomUUID()}` : null });
  }

  // The offers' push outbox rows, with them: a crash cannot leave an issued offer without them.
  const pushItems = group.pushItems;
  if (pushItems !== undefined) {
    const items = planned.flatMap((p) => (p.offer !== null && inserted.has(p.offer.offerId) ? pushItems(p.offer) : []));
    if (items.length > 0) await pushRows.enqueuePushIn(tx, items, now);
  }

  // What else was known about each event (a phone's geofence report): read once per event, not by a
  // subquery per decision row (ten rows an event with ten candidate rules).
  const signals = new Map<string, string>();
  for (const row of await allIn<{ id: string; signals: string }>(
    tx,
    planned.map((p) => p.request.event.id),
    (m) => `SELECT id, signals FROM presence_events WHERE id IN (${m}) AND signals IS NOT NULL`,
  ))
    signals.set(row.id, row.signals);
  const rows: PgValue[][] = [];
  for (const { request, decisions, offer, reference } of planned) {
    const { event, userId } = request;
    const issuedHere = offer !== null && inserted.has(offer.offerId);
    for (const d of decisions) {
      const lost = d.outcome === "issued" && !issuedHere;
      rows.push([
        reference ?? event.id,
        d.ruleId,
        d.ruleVersion,
        userId,
        event.storeId,
        event.zoneId,
        // The zone visit, as analytics funnels read decisions by the visit they were made in.
        reference ?? event.visitId,
        lost ? "not-issued" : d.outcome,
        lost ? "already-issued-this-visit" : d.reason,
        reference !== null ? d.text.replaceAll(capVisit(event), "unlinked").replaceAll(event.visitId, "unlinked") : d.text,
        d.outcome === "issued" && issuedHere ? (offer?.offerId ?? null) : null,
        now,
        signals.get(event.id) ?? null,
      ]);
    }
  }
  for (const part of chunked(rows, ROWS_PER_INSERT)) {
    await tx.run(
      `INSERT INTO decisions (event_id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, outcome,
         reason, detail, offer_id, decided_at, signals)
       VALUES ${part.map(() => `(${marks(13)})`).join(", ")} ON CONFLICT DO NOTHING`,
      part.flat(),
    );
  }

  await markDecided(tx, [...requests.map((r) => r.event), ...passed], now);
  return planned.map((p) => (p.offer !== null && inserted.has(p.offer.offerId) ? p.offer : null));
}

/**
 * Marks events decided. An unlinked event's user (kept until now in pending_event_users) is
 * forgotten, and its decided_at is its receipt time: the decision time is in the decision log and
 * on the offer, and an equal value here would join them back to the presence row.
 */
async function markDecided(tx: PgExecutor, events: readonly StoredEvent[], now: number): Promise<void> {
  const linked = events.filter((e) => e.unlinked !== true).map((e) => e.id);
  const unlinked = events.filter((e) => e.unlinked === true).map((e) => e.id);
  await runIn(
    tx,
    linked,
    (m) => `UPDATE presence_events SET decided_at = ? WHERE id IN (${m}) AND decided_at IS NULL`,
    [now],
  );
  await runIn(
    tx,
    unlinked,
    (m) => `UPDATE presence_events SET decided_at = received_at WHERE id IN (${m}) AND decided_at IS NULL`,
  );
  await runIn(tx, unlinked, (m) => `DELETE FROM pending_event_users WHERE event_id IN (${m})`);
}
