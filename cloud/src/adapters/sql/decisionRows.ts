import type { RecordedDecision } from "../../services/repositories.js";

/** A row of `decisions`, as both backends store it. */
export interface DecisionRow {
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

/** The recorded decision of a row. */
export function toDecision(r: DecisionRow): RecordedDecision {
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
