import { isHeldOut } from "./holdout.js";
import { dayNumber, isValidTimeZone, type LocalParts, localParts } from "./localTime.js";
import type { Rule } from "./rule.js";
import { byPriorityThenId } from "./ruleIndex.js";
import { type EventTrigger, eventTriggerOf, type RuleSpec } from "./ruleSpec.js";
import { checkSchedule } from "./schedule.js";
import { matchesScope } from "./scope.js";

/** The presence (or app geofence) event being evaluated, already resolved to a known user. */
export interface EvaluationEvent {
  readonly id: string;
  readonly type: EventTrigger;
  readonly storeId: string;
  readonly zoneId: string;
  /** When the gateway (or app) decided the event, epoch ms. */
  readonly at: number;
  readonly visitId: string;
  /** Time in the zone so far, ms; on dwell events. */
  readonly dwellMs?: number;
  readonly userId: string;
  /**
   * For a phone's own claim (geofence arrival): whether the store's gateways saw the user around
   * it; null when the store has no gateways. Absent for a gateway's event (the store's own evidence).
   */
  readonly corroborated?: boolean | null;
}

export interface StoreContext {
  readonly id: string;
  /** IANA timezone, e.g. `Asia/Hong_Kong`; schedules and "days" are local to it. */
  readonly timezone: string;
  readonly tags: readonly string[];
}

export interface ZoneContext {
  readonly id: string;
  readonly tags: readonly string[];
}

export interface UserContext {
  readonly id: string;
  readonly segments: readonly string[];
  readonly loyaltyTier: string | null;
  readonly marketingConsent: boolean;
  /** Visits so far, this one included (1 on a first visit). */
  readonly visitCount: number;
  /** Start of the previous visit, epoch ms; null on a first visit. */
  readonly previousVisitAt: number | null;
  /** Offers received so far from every rule, lifetime. */
  readonly offersReceived: number;
}

/** What the store of issued offers knows about one rule and this user; absent = all zero. */
export interface RuleCounters {
  /** Offers this rule issued to anyone, all versions. */
  readonly issuedTotal: number;
  /** Offers this rule issued to this user on the current local day of the store. */
  readonly userIssuedToday: number;
  /** Offers this rule issued to this user, lifetime. */
  readonly userIssuedTotal: number;
  /** Last offer of this rule to this user, epoch ms. */
  readonly userLastIssuedAt: number | null;
  /** This rule already issued to this user in this visit (same visitId). */
  readonly alreadyIssuedThisVisit: boolean;
}

export const ZERO_COUNTERS: RuleCounters = Object.freeze({
  issuedTotal: 0,
  userIssuedToday: 0,
  userIssuedTotal: 0,
  userLastIssuedAt: null,
  alreadyIssuedThisVisit: false,
});

export interface EvaluationInput {
  readonly event: EvaluationEvent;
  readonly store: StoreContext;
  readonly zone: ZoneContext;
  readonly user: UserContext;
  /** Per rule id; a rule without an entry has issued nothing. */
  readonly counters: Readonly<Record<string, RuleCounters>>;
  /** Offers of every rule to this user on the current local day of the store. */
  readonly userIssuedTodayAllRules: number;
  /** Organisation setting: offers per user per local day across all rules; null = no cap. */
  readonly orgMaxPerUserPerDay: number | null;
  /** Decision time, epoch ms: schedules, days and cooldowns are judged at this instant. */
  readonly now: number;
  /** Usually `RuleIndex.candidates(...)`; order does not matter. */
  readonly candidates: readonly Rule[];
  /** Events older than this at `now` issue nothing (a gateway that was offline for an hour must
   * not push offers for a visit long over); absent = no limit. */
  readonly maxEventAgeMs?: number;
  /**
   * When the event's visit ended (its exit is already stored), epoch ms; null or absent while the
   * shopper is still there. An enter or dwell event of an ended visit issues nothing: the offer would
   * reach someone who has left (a gateway that uploads enter and exit together after an outage).
   */
  readonly visitEndedAt?: number | null;
}

/** Why a rule did not issue, in the order the checks run (the first failing check is reported). */
export const NOT_ISSUED_REASONS = [
  "invalid-timezone",
  "rule-not-live",
  "stale-event",
  "visit-ended",
  "scope-mismatch",
  "trigger-mismatch",
  "outside-schedule",
  "no-marketing-consent",
  "segment-mismatch",
  "tier-mismatch",
  "visit-count",
  "offers-received",
  "not-corroborated",
  "budget-exhausted",
  "already-issued-this-visit",
  "user-cap",
  "daily-cap",
  "cooldown",
  "org-daily-cap",
  "lower-priority",
] as const;
export type NotIssuedReason = (typeof NOT_ISSUED_REASONS)[number];
export type DecisionReason = "eligible" | "held-out" | NotIssuedReason;

interface DecisionBase {
  readonly ruleId: string;
  readonly ruleVersion: number;
  /** Human-readable explanation for the decision log and the dry-run report. */
  readonly text: string;
}
export interface IssuedDecision extends DecisionBase {
  readonly outcome: "issued";
  readonly reason: "eligible";
}
export interface HeldOutDecision extends DecisionBase {
  readonly outcome: "held-out";
  readonly reason: "held-out";
}
export interface NotIssuedDecision extends DecisionBase {
  readonly outcome: "not-issued";
  readonly reason: NotIssuedReason;
}
export type Decision = IssuedDecision | HeldOutDecision | NotIssuedDecision;

export interface Evaluation {
  readonly eventId: string;
  readonly userId: string;
  readonly now: number;
  /** Local day of the store at `now` (the day of daily caps); null when the timezone is invalid. */
  readonly dayKey: string | null;
  /** One per distinct candidate rule, highest priority first, then by rule id. */
  readonly decisions: readonly Decision[];
  /** The rule that issues, at most one per event. */
  readonly issued: { readonly rule: Rule; readonly decision: IssuedDecision } | null;
}

type Failure = { readonly reason: NotIssuedReason; readonly text: string };

/**
 * Decides, for one event, which candidate rule (if any) issues an offer, and why every other one
 * does not. Pure: time, counters and the user's profile are inputs; the same input gives the same
 * output, so recorded events can be replayed (see `InMemoryCounters`).
 *
 * Per rule the checks run in `NOT_ISSUED_REASONS` order: lifecycle, freshness (event age, visit
 * not over yet for arrival events), where and what
 * (scope, trigger), when (schedule, local to the store), who (consent, which is enforced whatever
 * the rule says, then segments, tier, visits, offers received), then limits (budget, this visit,
 * lifetime, day, cooldown, organisation day cap). The rules that pass are eligible.
 *
 * Among eligible rules the highest priority (ties: lowest rule id) issues. Holdout is applied in
 * that order, after eligibility: an eligible rule whose holdout group contains the user is marked
 * `held-out` and the next eligible rule is tried. So `held-out` means "would have been issued
 * this offer but for the control group", the population a campaign's uplift must be measured on;
 * a held-out user whose turn never comes (a higher rule issued) gets `lower-priority` like anyone.
 * A held-out user never receives that rule's offer, on any event.
 */
export function evaluate(input: EvaluationInput): Evaluation {
  const { event, store, now } = input;
  const rules = distinctById(input.candidates).sort(byPriorityThenId);
  const base = { eventId: event.id, userId: event.userId, now };

  if (!isValidTimeZone(store.timezone)) {
    const text = `store ${store.id} has an unknown timezone ${JSON.stringify(store.timezone)}`;
    return {
      ...base,
      dayKey: null,
      decisions: rules.map((rule) => notIssued(rule, { reason: "invalid-timezone", text })),
      issued: null,
    };
  }

  const local = localParts(now, store.timezone);
  const decisions: Decision[] = [];
  let issued: Evaluation["issued"] = null;
  for (const rule of rules) {
    const failure = checkRule(rule, input, local);
    if (failure !== null) {
      decisions.push(notIssued(rule, failure));
    } else if (issued !== null) {
      decisions.push(
        notIssued(rule, {
          reason: "lower-priority",
          text: `eligible, but ${issued.rule.id} (priority ${priorityOf(issued.rule.spec)}) issues on this event`,
        }),
      );
    } else if (isHeldOut(rule.id, event.userId, rule.spec.holdoutPercent ?? 0)) {
      decisions.push({
        ruleId: rule.id,
        ruleVersion: rule.version,
        outcome: "held-out",
        reason: "held-out",
        text: `eligible; user is in the ${rule.spec.holdoutPercent}% holdout of this rule`,
      });
    } else {
      const decision: IssuedDecision = {
        ruleId: rule.id,
        ruleVersion: rule.version,
        outcome: "issued",
        reason: "eligible",
        text: `highest-priority eligible rule (priority ${priorityOf(rule.spec)})`,
      };
      issued = { rule, decision };
      decisions.push(decision);
    }
  }
  return { ...base, dayKey: local.dayKey, decisions, issued };
}

function priorityOf(spec: RuleSpec): number {
  return spec.priority ?? 0;
}

function distinctById(rules: readonly Rule[]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return [...byId.values()];
}

function notIssued(rule: Rule, failure: Failure): NotIssuedDecision {
  return {
    ruleId: rule.id,
    ruleVersion: rule.version,
    outcome: "not-issued",
    reason: failure.reason,
    text: failure.text,
  };
}

function checkRule(rule: Rule, input: EvaluationInput, local: LocalParts): Failure | null {
  const { event, store, zone, user, now } = input;
  const spec = rule.spec;

  if (rule.status !== "live") return { reason: "rule-not-live", text: `rule is ${rule.status}` };

  if (input.maxEventAgeMs !== undefined && now - event.at > input.maxEventAgeMs) {
    return {
      reason: "stale-event",
      text: `event is ${Math.round((now - event.at) / 1000)} s old, limit ${Math.round(input.maxEventAgeMs / 1000)} s`,
    };
  }
  // The decision window is around now on both sides: an event dated far ahead (a gateway clock
  // gone wrong, stored before ingest refused such events) says nothing about who is here now.
  if (input.maxEventAgeMs !== undefined && event.at - now > input.maxEventAgeMs) {
    return {
      reason: "stale-event",
      text: `event is dated ${Math.round((event.at - now) / 1000)} s ahead, limit ${Math.round(input.maxEventAgeMs / 1000)} s`,
    };
  }

  const ended = input.visitEndedAt;
  if ((event.type === "enter" || event.type === "dwell") && ended !== undefined && ended !== null) {
    return {
      reason: "visit-ended",
      text: `visit ${event.visitId} already ended at ${new Date(ended).toISOString()}; the shopper has left`,
    };
  }

  const place = { storeId: store.id, zoneId: zone.id, storeTags: store.tags, zoneTags: zone.tags };
  if (!matchesScope(spec.scope, place)) {
    return {
      reason: "scope-mismatch",
      text: `store ${store.id} / zone ${zone.id} is outside the rule's scope`,
    };
  }

  const trigger = checkTrigger(spec, input, local);
  if (trigger !== null) return trigger;

  const schedule = checkSchedule(spec.conditions?.schedule, local);
  if (!schedule.ok) {
    return { reason: "outside-schedule", text: `${schedule.text} (${store.timezone})` };
  }

  // Offers are marketing: never without consent, whatever the rule says (the schema only admits
  // `requireMarketingConsent: true`, and this check does not even read it).
  if (!user.marketingConsent) {
    return { reason: "no-marketing-consent", text: "user has not consented to marketing" };
  }

  const conditions = spec.conditions;
  const segments = conditions?.segments;
  if (segments !== undefined && !user.segments.some((s) => segments.includes(s))) {
    return { reason: "segment-mismatch", text: `user is in none of ${segments.join(", ")}` };
  }
  const tiers = conditions?.loyaltyTiers;
  if (tiers !== undefined && (user.loyaltyTier === null || !tiers.includes(user.loyaltyTier))) {
    return {
      reason: "tier-mismatch",
      text: `tier ${user.loyaltyTier ?? "(none)"} is not one of ${tiers.join(", ")}`,
    };
  }
  const visits = conditions?.visitCount;
  if (visits !== undefined) {
    if (
      (visits.min !== undefined && user.visitCount < visits.min) ||
      (visits.max !== undefined && user.visitCount > visits.max)
    ) {
      return {
        reason: "visit-count",
        text: `visit ${user.visitCount} is outside ${visits.min ?? 1}..${visits.max ?? "∞"}`,
      };
    }
  }
  const maxReceived = conditions?.maxOffersReceived;
  if (maxReceived !== undefined && user.offersReceived > maxReceived) {
    return {
      reason: "offers-received",
      text: `user received ${user.offersReceived} offers, rule is for at most ${maxReceived}`,
    };
  }

  if (conditions?.requireCorroboration === true && event.corroborated !== undefined && event.corroborated !== true) {
    return {
      reason: "not-corroborated",
      text:
        event.corroborated === null
          ? "the phone's claim cannot be confirmed: the store has no gateways"
          : "the store's gateways did not see the shopper around the phone's claim",
    };
  }

  const counters = input.counters[rule.id];
  const limits = spec.limits;
  if (limits?.budget !== undefined && (counters?.issuedTotal ?? 0) >= limits.budget) {
    return { reason: "budget-exhausted", text: `budget of ${limits.budget} offers is used up` };
  }
  if (counters?.alreadyIssuedThisVisit === true) {
    return { reason: "already-issued-this-visit", text: `already issued in visit ${event.visitId}` };
  }
  if (limits?.maxPerUser !== undefined && (counters?.userIssuedTotal ?? 0) >= limits.maxPerUser) {
    return {
      reason: "user-cap",
      text: `user already has ${counters?.userIssuedTotal} of at most ${limits.maxPerUser}`,
    };
  }
  if (limits?.maxPerUserPerDay !== undefined && (counters?.userIssuedToday ?? 0) >= limits.maxPerUserPerDay) {
    return {
      reason: "daily-cap",
      text: `user already has ${counters?.userIssuedToday} today (${local.dayKey}), at most ${limits.maxPerUserPerDay}`,
    };
  }
  const last = counters?.userLastIssuedAt ?? null;
  if (limits?.cooldownS !== undefined && last !== null && now - last < limits.cooldownS * 1000) {
    return {
      reason: "cooldown",
      text: `last offer ${Math.floor((now - last) / 1000)} s ago, cooldown ${limits.cooldownS} s`,
    };
  }
  if (input.orgMaxPerUserPerDay !== null && input.userIssuedTodayAllRules >= input.orgMaxPerUserPerDay) {
    return {
      reason: "org-daily-cap",
      text: `user already has ${input.userIssuedTodayAllRules} offers today (${local.dayKey}), organisation allows ${input.orgMaxPerUserPerDay}`,
    };
  }
  return null;
}

function checkTrigger(spec: RuleSpec, input: EvaluationInput, local: LocalParts): Failure | null {
  const { event, user, store } = input;
  const trigger = spec.trigger;
  const wanted = eventTriggerOf(trigger);
  if (event.type !== wanted) {
    return { reason: "trigger-mismatch", text: `rule fires on ${trigger.type}, event is ${event.type}` };
  }
  switch (trigger.type) {
    case "enter":
    case "exit":
    case "geofence-arrival":
    case "beacon-arrival":
      return null;
    case "dwell": {
      const dwellMs = event.dwellMs ?? 0;
      if (dwellMs >= trigger.minDwellS * 1000) return null;
      return {
        reason: "trigger-mismatch",
        text: `dwelt ${Math.floor(dwellMs / 1000)} s, rule needs ${trigger.minDwellS} s`,
      };
    }
    case "first-visit":
      if (user.visitCount === 1) return null;
      return { reason: "trigger-mismatch", text: `first-visit rule, this is visit ${user.visitCount}` };
    case "nth-visit":
      if (user.visitCount === trigger.n) return null;
      return {
        reason: "trigger-mismatch",
        text: `fires on visit ${trigger.n}, this is visit ${user.visitCount}`,
      };
    case "return-after": {
      if (user.previousVisitAt === null) {
        return { reason: "trigger-mismatch", text: "return-after rule, user has no previous visit" };
      }
      const gap =
        dayNumber(local.dayKey) - dayNumber(localParts(user.previousVisitAt, store.timezone).dayKey);
      if (gap >= trigger.days) return null;
      return {
        reason: "trigger-mismatch",
        text: `previous visit ${gap} day(s) ago, rule needs ${trigger.days}`,
      };
    }
  }
}
