import { randomUUID } from "node:crypto";
import type { Discount } from "../../../../protocol/index.js";
import { type Offer, type OfferStatus, transitionOffer } from "../../domain/offers/index.js";
import { type RuleCounters, ZERO_COUNTERS } from "../../domain/rules/index.js";
import type {
  AcknowledgeResult,
  DecisionCounters,
  DecisionOutcome,
  DecisionPageQuery,
  DecisionRepository,
  DecisionRequest,
  EventRecord,
  OfferLifecycleRepository,
  OfferRepository,
  RecordedDecision,
  RedeemResult,
  StoredEvent,
} from "../../services/repositories.js";
import type { SqlExecutor, SqliteDatabase } from "./SqliteDatabase.js";
import { toStoredEvent } from "./SqliteEventRepository.js";

interface DecisionRow {
  id: number;
  event_id: string;
  rule_id: string;
  rule_version: number;
  user_id: string | null;
  store_id: string;
  zone_id: string;
  visit_id: string;
  outcome: RecordedDecision["outcome"];
  reason: string;
  detail: string;
  offer_id: string | null;
  decided_at: number;
  signals: string | null;
}

function toDecision(r: DecisionRow): RecordedDecision {
  return {
    id: r.id,
    eventId: r.event_id,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    userId: r.user_id,
    storeId: r.store_id,
    zoneId: r.zone_id,
    visitId: r.visit_id,
    outcome: r.outcome,
    reason: r.reason,
    text: r.detail,
    offerId: r.offer_id,
    decidedAt: r.decided_at,
    ...(r.signals ? { signals: JSON.parse(r.signals) as Record<string, unknown> } : {}),
  };
}

const OPEN_STATES = "('issued', 'delivered', 'viewed')";

interface OfferRow {
  id: string;
  rule_id: string;
  rule_version: number;
  user_id: string;
  store_id: string;
  zone_id: string;
  visit_id: string;
  event_id: string;
  title: string;
  text: string;
  discount: string;
  code: string;
  state: OfferStatus;
  state_at: number;
  issued_at: number;
  expires_at: number;
}

function toOffer(r: OfferRow): Offer {
  return {
    offerId: r.id,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    userId: r.user_id,
    storeId: r.store_id,
    zoneId: r.zone_id,
    visitId: r.visit_id,
    eventId: r.event_id,
    title: r.title,
    text: r.text,
    discount: JSON.parse(r.discount) as Discount,
    code: r.code,
    status: r.state,
    statusAt: r.state_at,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
  };
}

const STATE_COLUMN: Partial<Record<OfferStatus, string>> = {
  delivered: "delivered_at",
  viewed: "viewed_at",
  redeemed: "redeemed_at",
};

async function saveState(tx: SqlExecutor, offer: Offer): Promise<void> {
  const column = STATE_COLUMN[offer.status];
  await tx.run(
    `UPDATE offers SET state = ?, state_at = ?${column ? `, ${column} = COALESCE(${column}, ?)` : ""} WHERE id = ?`,
    column
      ? [offer.status, offer.statusAt, offer.statusAt, offer.offerId]
      : [offer.status, offer.statusAt, offer.offerId],
  );
}

/** Decisions, offers and redemptions in SQLite. */
export class SqliteOfferRepository
  implements OfferRepository, DecisionRepository, OfferLifecycleRepository
{
  private readonly db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.db = db;
  }

  decide(
    request: DecisionRequest,
    decide: (counters: DecisionCounters) => DecisionOutcome,
  ): Promise<Offer | null> {
    return this.db.transaction(async (tx) => {
      const { event, userId, dayKey, now } = request;
      const counters = await readCounters(tx, request);
      const outcome = decide(counters);
      // An event stored unlinked (no analytics consent) is not named again by what is kept of its
      // decision: the offer and the decision log keep the user (redemption, accounting, "why did I
      // get this"), but refer to the event and visit by an opaque reference that nothing else holds,
      // and the presence row's decided_at is not the decision time (a join key otherwise).
      const unlinked = event.unlinked === true;
      const reference = unlinked ? `unlinked-${randomUUID()}` : null;
      let offer = outcome.offer;
      if (offer) {
        const stored = unlinked ? { ...offer, eventId: `unlinked-${offer.offerId}`, visitId: `unlinked-${offer.offerId}` } : offer;
        const inserted = await tx.run(
          `INSERT OR IGNORE INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title,
             text, discount, code, state, state_at, day_key, issued_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            stored.offerId,
            stored.ruleId,
            stored.ruleVersion,
            stored.userId,
            stored.storeId,
            stored.zoneId,
            stored.visitId,
            stored.eventId,
            stored.title,
            stored.text,
            JSON.stringify(stored.discount),
            stored.code,
            stored.status,
            stored.statusAt,
            dayKey,
            stored.issuedAt,
            stored.expiresAt,
          ],
        );
        // (rule, user, visit) is unique: the counters read above make a conflict impossible while
        // this connection is the only writer; if another writer ever races us, nothing is issued twice.
        if (inserted.changes === 0) offer = null;
        else if (unlinked) {
          // The per-visit cap of an unlinked visit: which rule issued in it, not to whom.
          await tx.run("INSERT OR IGNORE INTO unlinked_visit_offers (visit_id, rule_id) VALUES (?, ?)", [
            event.visitId,
            stored.ruleId,
          ]);
          offer = stored;
        }
      }
      for (const d of outcome.decisions) {
        const issuedHere = offer !== null && d.outcome === "issued";
        await tx.run(
          `INSERT OR IGNORE INTO decisions (event_id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, outcome,
             reason, detail, offer_id, decided_at, signals)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT signals FROM presence_events WHERE id = ?))`,
          [
            reference ?? event.id,
            d.ruleId,
            d.ruleVersion,
            userId,
            event.storeId,
            event.zoneId,
            reference ?? event.visitId,
            d.outcome === "issued" && !issuedHere ? "not-issued" : d.outcome,
            d.outcome === "issued" && !issuedHere ? "already-issued-this-visit" : d.reason,
            unlinked ? d.text.replaceAll(event.visitId, "unlinked") : d.text,
            issuedHere ? (offer?.offerId ?? null) : null,
            now,
            event.id,
          ],
        );
      }
      await setDecided(tx, event, now);
      return offer;
    });
  }

  async markDecided(event: StoredEvent, now: number): Promise<void> {
    if (event.unlinked !== true) {
      await this.db.run("UPDATE presence_events SET decided_at = ? WHERE id = ? AND decided_at IS NULL", [now, event.id]);
      return;
    }
    await this.db.transaction((tx) => setDecided(tx, event, now));
  }

  async markPublished(offerId: string, now: number): Promise<void> {
    await this.db.run("UPDATE offers SET published_at = COALESCE(published_at, ?) WHERE id = ?", [
      now,
      offerId,
    ]);
  }

  async unpublishedOffers(limit: number): Promise<Offer[]> {
    const rows = await this.db.all<OfferRow>(
      "SELECT * FROM offers WHERE published_at IS NULL ORDER BY issued_at LIMIT ?",
      [limit],
    );
    return rows.map(toOffer);
  }

  async pendingOffers(userId: string, now: number): Promise<Offer[]> {
    const rows = await this.db.all<OfferRow>(
      `SELECT * FROM offers WHERE user_id = ? AND state IN ('issued', 'delivered', 'viewed') AND expires_at > ?
       ORDER BY issued_at`,
      [userId, now],
    );
    return rows.map(toOffer);
  }

  async getOffer(offerId: string): Promise<Offer | null> {
    const row = await this.db.get<OfferRow>("SELECT * FROM offers WHERE id = ?", [offerId]);
    return row ? toOffer(row) : null;
  }

  acknowledge(
    offerId: string,
    userId: string,
    kind: "deliver" | "view",
    now: number,
  ): Promise<AcknowledgeResult | null> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<OfferRow>("SELECT * FROM offers WHERE id = ? AND user_id = ?", [
        offerId,
        userId,
      ]);
      if (!row) return null;
      const result = transitionOffer(toOffer(row), { kind }, now);
      if (!result.ok) {
        return { ok: false, reason: result.reason === "already-redeemed" ? "already-redeemed" : "expired", text: result.text };
      }
      if (result.changed) await saveState(tx, result.offer);
      return { ok: true, offer: result.offer };
    });
  }

  redeem(input: {
    code: string;
    storeId: string;
    idempotencyKey: string;
    apiKeyId: string;
    now: number;
  }): Promise<RedeemResult> {
    // Keys are scoped to the API key that sent them, so two tills cannot collide on a key.
    const idempotencyKey = `${input.apiKeyId}:${input.idempotencyKey}`;
    return this.db.transaction(async (tx): Promise<RedeemResult> => {
      // A retried request (same key) gets the answer of the first one; a key reused for another
      // code is refused rather than silently answered with someone else's redemption.
      const previous = await tx.get<{ id: string; offer_id: string; code: string }>(
        `SELECT r.id, r.offer_id, o.code FROM redemptions r JOIN offers o ON o.id = r.offer_id
         WHERE r.idempotency_key = ?`,
        [idempotencyKey],
      );
      if (previous) {
        if (previous.code !== input.code) {
          return { ok: false, reason: "key-reused", text: "this idempotency key was used for another code" };
        }
        const row = await tx.get<OfferRow>("SELECT * FROM offers WHERE id = ?", [previous.offer_id]);
        if (row) return { ok: true, offer: toOffer(row), redemptionId: previous.id, replayed: true };
      }
      const row = await tx.get<OfferRow>("SELECT * FROM offers WHERE code = ?", [input.code]);
      if (!row) return { ok: false, reason: "unknown-code", text: "no offer has this code" };
      const result = transitionOffer(toOffer(row), { kind: "redeem", storeId: input.storeId }, input.now);
      if (!result.ok) {
        return {
          ok: false,
          reason: result.reason === "not-expired" ? "expired" : result.reason,
          text: result.text,
        };
      }
      await saveState(tx, result.offer);
      const redemptionId = randomUUID();
      await tx.run(
        "INSERT INTO redemptions (id, offer_id, store_id, idempotency_key, api_key_id, redeemed_at) VALUES (?, ?, ?, ?, ?, ?)",
        [redemptionId, row.id, input.storeId, idempotencyKey, input.apiKeyId, input.now],
      );
      return { ok: true, offer: result.offer, redemptionId, replayed: false };
    });
  }

  decisionsForUser(userId: string, limit: number): Promise<RecordedDecision[]> {
    return this.decisionsPage({ by: "user", id: userId, limit, after: null });
  }

  async decisionsPage(query: DecisionPageQuery): Promise<RecordedDecision[]> {
    const column = { user: "user_id", event: "event_id", rule: "rule_id" }[query.by];
    // Keyset paging, newest first, on the (column, decided_at, rowid) indexes of migration 1.
    const after = query.after;
    const rows = await this.db.all<DecisionRow>(
      `SELECT * FROM decisions WHERE ${column} = ?
       ${after ? "AND (decided_at < ? OR (decided_at = ? AND id < ?))" : ""}
       ORDER BY decided_at DESC, id DESC LIMIT ?`,
      after
        ? [query.id, after.decidedAt, after.decidedAt, after.id, query.limit]
        : [query.id, query.limit],
    );
    return rows.map(toDecision);
  }

  async getEvent(eventId: string): Promise<EventRecord | null> {
    const row = await this.db.get<Parameters<typeof toStoredEvent>[0] & { org_id: string; decided_at: number | null }>(
      "SELECT e.*, s.org_id FROM presence_events e JOIN stores s ON s.id = e.store_id WHERE e.id = ?",
      [eventId],
    );
    return row ? { event: toStoredEvent(row), orgId: row.org_id, decidedAt: row.decided_at } : null;
  }

  expireDue(now: number, limit: number): Promise<Offer[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<OfferRow>(
        `SELECT * FROM offers WHERE state IN ${OPEN_STATES} AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
        [now, limit],
      );
      const expired: Offer[] = [];
      for (const row of rows) {
        const result = transitionOffer(toOffer(row), { kind: "expire" }, now);
        if (result.ok && result.changed) {
          await saveState(tx, result.offer);
          expired.push(result.offer);
        }
      }
      return expired;
    });
  }

  async remindersDue(now: number, leadMs: number, limit: number): Promise<Offer[]> {
    const rows = await this.db.all<OfferRow>(
      `SELECT o.* FROM offers o JOIN app_users u ON u.id = o.user_id
       WHERE o.state IN ${OPEN_STATES} AND o.expires_at > ? AND o.expires_at <= ? + ?
         AND o.reminder_sent_at IS NULL AND o.published_at IS NOT NULL
         AND o.expires_at - o.issued_at > ? AND u.marketing_consent = 1
       ORDER BY o.expires_at LIMIT ?`,
      [now, now, leadMs, leadMs, limit],
    );
    return rows.map(toOffer);
  }

  async claimReminder(offerId: string, now: number): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE offers SET reminder_sent_at = ?
       WHERE id = ? AND reminder_sent_at IS NULL AND state IN ${OPEN_STATES} AND expires_at > ?`,
      [now, offerId, now],
    );
    return result.changes === 1;
  }

  async releaseReminder(offerId: string, claimedAt: number): Promise<void> {
    await this.db.run("UPDATE offers SET reminder_sent_at = NULL WHERE id = ? AND reminder_sent_at = ?", [
      offerId,
      claimedAt,
    ]);
  }

  /**
   * How many offers `undeliveredOffers` would find with no issue-time bound or limit (a metrics
   * gauge, read per scrape): the partial index on unpublished offers keeps it to those rows.
   */
  async countUndelivered(now: number): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM offers WHERE published_at IS NULL AND state = 'issued' AND expires_at > ?",
      [now],
    );
    return row?.n ?? 0;
  }

  async undeliveredOffers(now: number, issuedBefore: number, limit: number): Promise<Offer[]> {
    const rows = await this.db.all<OfferRow>(
      `SELECT * FROM offers WHERE published_at IS NULL AND state = 'issued' AND expires_at > ? AND issued_at <= ?
       ORDER BY issued_at LIMIT ?`,
      [now, issuedBefore, limit],
    );
    return rows.map(toOffer);
  }
}

/**
 * Marks the event decided. An unlinked event's user (kept until now in pending_event_users) is
 * forgotten, and its decided_at is its receipt time: the decision time is in the decision log and
 * on the offer, and an equal value here would join them back to the presence row.
 */
async function setDecided(tx: SqlExecutor, event: StoredEvent, now: number): Promise<void> {
  if (event.unlinked !== true) {
    await tx.run("UPDATE presence_events SET decided_at = ? WHERE id = ? AND decided_at IS NULL", [now, event.id]);
    return;
  }
  await tx.run("UPDATE presence_events SET decided_at = received_at WHERE id = ? AND decided_at IS NULL", [event.id]);
  await tx.run("DELETE FROM pending_event_users WHERE event_id = ?", [event.id]);
}

async function readCounters(tx: SqlExecutor, request: DecisionRequest): Promise<DecisionCounters> {
  const { event, userId, dayKey, ruleIds } = request;
  const counters: Record<string, RuleCounters> = {};
  if (ruleIds.length > 0) {
    const marks = ruleIds.map(() => "?").join(", ");
    const totals = await tx.all<{ rule_id: string; n: number }>(
      `SELECT rule_id, COUNT(*) AS n FROM offers WHERE rule_id IN (${marks}) GROUP BY rule_id`,
      [...ruleIds],
    );
    const mine = await tx.all<{
      rule_id: string;
      total: number;
      today: number;
      last: number;
      this_visit: number;
    }>(
      `SELECT rule_id, COUNT(*) AS total, SUM(day_key = ?) AS today, MAX(issued_at) AS last, SUM(visit_id = ?) AS this_visit
       FROM offers WHERE user_id = ? AND rule_id IN (${marks}) GROUP BY rule_id`,
      [dayKey, event.visitId, userId, ...ruleIds],
    );
    // Offers of an unlinked visit do not carry its id (see migration 9); the visit holds which rules
    // issued in it. A visit may be both: consent given or withdrawn while the shopper is in the zone.
    const unlinkedVisit = await tx.all<{ rule_id: string }>(
      `SELECT rule_id FROM unlinked_visit_offers WHERE visit_id = ? AND rule_id IN (${marks})`,
      [event.visitId, ...ruleIds],
    );
    const issuedUnlinked = new Set(unlinkedVisit.map((r) => r.rule_id));
    for (const id of ruleIds)
      counters[id] = issuedUnlinked.has(id) ? { ...ZERO_COUNTERS, alreadyIssuedThisVisit: true } : ZERO_COUNTERS;
    for (const t of totals) counters[t.rule_id] = { ...(counters[t.rule_id] ?? ZERO_COUNTERS), issuedTotal: t.n };
    for (const m of mine) {
      counters[m.rule_id] = {
        issuedTotal: counters[m.rule_id]?.issuedTotal ?? 0,
        userIssuedToday: m.today,
        userIssuedTotal: m.total,
        userLastIssuedAt: m.last,
        alreadyIssuedThisVisit: m.this_visit > 0 || issuedUnlinked.has(m.rule_id),
      };
    }
  }
  const all = await tx.get<{ total: number; today: number }>(
    "SELECT COUNT(*) AS total, COALESCE(SUM(day_key = ?), 0) AS today FROM offers WHERE user_id = ?",
    [dayKey, userId],
  );
  // The per-user counter (see countVisits), not the visits table: it counts users without analytics
  // consent and visits already swept by retention. When this event's visit is not the last one
  // counted (a later zone visit already stored, or its enter never received), the previous visit is
  // the last one counted, as the visits table read it: the latest start among the other visits.
  const visits = await tx.get<{ n: number; last_id: string; last_at: number; previous_at: number | null }>(
    `SELECT visits AS n, last_visit_id AS last_id, last_visit_at AS last_at, previous_visit_at AS previous_at
     FROM user_visit_counts WHERE user_id = ? AND store_id = ?`,
    [userId, event.storeId],
  );
  const thisIsLast = visits?.last_id === event.visitId;
  // The exit of this visit may already be stored: a gateway back from an outage uploads enter,
  // dwells and exit in one batch, and they are decided after the whole batch is committed.
  const visit = await tx.get<{ exited_at: number | null }>("SELECT exited_at FROM visits WHERE id = ?", [
    event.visitId,
  ]);
  return {
    counters,
    userIssuedTodayAllRules: all?.today ?? 0,
    visitCount: Math.max(1, visits?.n ?? 1),
    previousVisitAt: (thisIsLast ? visits.previous_at : visits?.last_at) ?? null,
    offersReceived: all?.total ?? 0,
    visitEndedAt: visit?.exited_at ?? null,
  };
}
