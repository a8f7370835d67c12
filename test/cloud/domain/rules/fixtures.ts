import type { EvaluationInput, RuleCounters } from "../../../../cloud/src/domain/rules/evaluate.js";
import type { Rule, RuleStatus } from "../../../../cloud/src/domain/rules/rule.js";
import { checkRuleSpec, type RuleSpec } from "../../../../cloud/src/domain/rules/ruleSpec.js";

/** 2026-03-10 (Tuesday) 10:00 in Hong Kong (UTC+8, no DST) = 02:00Z. */
export const HK_TUE_10_00 = Date.UTC(2026, 2, 10, 2, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const BASE_SPEC: RuleSpec = {
  trigger: { type: "enter" },
  offer: {
    title: "20% off lipsticks",
    text: "For the next 30 minutes",
    discount: { kind: "percent", percent: 20 },
    validityS: 1800,
  },
};

/** A validated spec: fixtures go through the same gate as marketers' JSON. */
export function spec(overrides: Partial<RuleSpec> = {}): RuleSpec {
  const checked = checkRuleSpec({ ...BASE_SPEC, ...overrides });
  if (!checked.ok) throw new Error(`bad fixture: ${JSON.stringify(checked.problems)}`);
  return checked.value;
}

export function rule(
  id: string,
  overrides: Partial<RuleSpec> = {},
  status: RuleStatus = "live",
  version = 1,
): Rule {
  return { id, version, status, spec: spec(overrides) };
}

export function counters(c: Partial<RuleCounters> = {}): RuleCounters {
  return {
    issuedTotal: 0,
    userIssuedToday: 0,
    userIssuedTotal: 0,
    userLastIssuedAt: null,
    alreadyIssuedThisVisit: false,
    ...c,
  };
}

export interface InputOverrides {
  readonly event?: Partial<EvaluationInput["event"]>;
  readonly store?: Partial<EvaluationInput["store"]>;
  readonly zone?: Partial<EvaluationInput["zone"]>;
  readonly user?: Partial<EvaluationInput["user"]>;
  readonly counters?: EvaluationInput["counters"];
  readonly userIssuedTodayAllRules?: number;
  readonly orgMaxPerUserPerDay?: number | null;
  readonly now?: number;
  readonly maxEventAgeMs?: number;
  readonly visitEndedAt?: number | null;
}

/** An enter event of a consenting member in store hk-01, zone lipsticks, at `now`. */
export function input(candidates: readonly Rule[], o: InputOverrides = {}): EvaluationInput {
  const now = o.now ?? HK_TUE_10_00;
  const base: EvaluationInput = {
    event: {
      id: "evt-00000001",
      type: "enter",
      storeId: "hk-01",
      zoneId: "lipsticks",
      at: now,
      visitId: "visit-0000001",
      userId: "u-1",
      ...o.event,
    },
    store: { id: "hk-01", timezone: "Asia/Hong_Kong", tags: ["mall"], ...o.store },
    zone: { id: "lipsticks", tags: ["cosmetics"], ...o.zone },
    user: {
      id: "u-1",
      segments: ["beauty"],
      loyaltyTier: "gold",
      marketingConsent: true,
      visitCount: 3,
      previousVisitAt: now - 10 * DAY,
      offersReceived: 2,
      ...o.user,
    },
    counters: o.counters ?? {},
    userIssuedTodayAllRules: o.userIssuedTodayAllRules ?? 0,
    orgMaxPerUserPerDay: o.orgMaxPerUserPerDay === undefined ? 3 : o.orgMaxPerUserPerDay,
    now,
    candidates,
  };
  return {
    ...base,
    ...(o.maxEventAgeMs === undefined ? {} : { maxEventAgeMs: o.maxEventAgeMs }),
    ...(o.visitEndedAt === undefined ? {} : { visitEndedAt: o.visitEndedAt }),
  };
}
