import {
  type Evaluation,
  type EvaluationInput,
  evaluate,
  type NotIssuedReason,
  type RuleCounters,
} from "./evaluate.js";
import { isValidTimeZone, localDayKey } from "./localTime.js";

/** Per rule, what a simulation saw. */
export interface RuleReport {
  readonly issued: number;
  /** Users who received this rule's offer at least once. */
  readonly distinctUsers: number;
  /** Users who were held out of this rule at least once (its control group so far). */
  readonly heldOutUsers: number;
  /** Non-issuance decisions of this rule, per reason. */
  readonly notIssued: Readonly<Partial<Record<NotIssuedReason, number>>>;
  /** `now` of the evaluation whose offer used up the budget; null while budget remains (or none). */
  readonly budgetExhaustedAt: number | null;
}

export interface SimulationReport {
  readonly events: number;
  readonly offersIssued: number;
  /** Users who received at least one offer. */
  readonly distinctUsers: number;
  /** Non-issuance decisions of all rules, per reason (the limits hit, among others). */
  readonly notIssued: Readonly<Partial<Record<NotIssuedReason, number>>>;
  readonly rules: Readonly<Record<string, RuleReport>>;
}

/** What `step` needs: an evaluation input without the counters, which this class supplies. */
export type SimulationInput = Omit<EvaluationInput, "counters" | "userIssuedTodayAllRules">;

interface UserRuleState {
  total: number;
  lastAt: number | null;
  readonly perDay: Map<string, number>;
  readonly visits: Set<string>;
}

interface RuleState {
  issued: number;
  readonly users: Set<string>;
  readonly heldOut: Set<string>;
  readonly notIssued: Partial<Record<NotIssuedReason, number>>;
  budgetExhaustedAt: number | null;
}

/**
 * Issuance counters kept in memory, for replaying recorded events through `evaluate` (dry run,
 * tests, benchmarks). It answers the same questions as the offer store (`countersFor`) and learns
 * from each evaluation (`record`), so a sequence of events plays out as it would have live:
 * budgets run out, caps and cooldowns bite. Days are the store's local days, as in production.
 *
 * Not thread-safe and not durable, by design: it is a model of the store, not the store.
 */
export class InMemoryCounters {
  private readonly rules = new Map<string, RuleState>();
  private readonly userRules = new Map<string, UserRuleState>();
  private readonly userDays = new Map<string, number>();
  private readonly userTotals = new Map<string, number>();
  private readonly notIssuedTotals: Partial<Record<NotIssuedReason, number>> = {};
  private events = 0;
  private offers = 0;

  /** Counters for `ruleIds` as seen by `userId` in `visitId` on local day `dayKey`. */
  countersFor(query: {
    readonly userId: string;
    readonly visitId: string;
    readonly dayKey: string;
    readonly ruleIds: readonly string[];
  }): Pick<EvaluationInput, "counters" | "userIssuedTodayAllRules"> {
    const counters: Record<string, RuleCounters> = {};
    for (const ruleId of query.ruleIds) {
      const ur = this.userRules.get(userRuleKey(ruleId, query.userId));
      counters[ruleId] = {
        issuedTotal: this.rules.get(ruleId)?.issued ?? 0,
        userIssuedToday: ur?.perDay.get(query.dayKey) ?? 0,
        userIssuedTotal: ur?.total ?? 0,
        userLastIssuedAt: ur?.lastAt ?? null,
        alreadyIssuedThisVisit: ur?.visits.has(query.visitId) ?? false,
      };
    }
    return {
      counters,
      userIssuedTodayAllRules: this.userDays.get(`${query.userId}\u0000${query.dayKey}`) ?? 0,
    };
  }

  /** Offers this simulation issued to `userId` so far. */
  offersIssuedTo(userId: string): number {
    return this.userTotals.get(userId) ?? 0;
  }

  /** Learns from one evaluation of `input`: counts the issued offer and every decision. */
  record(input: EvaluationInput, evaluation: Evaluation): void {
    this.events++;
    const userId = input.event.userId;
    for (const decision of evaluation.decisions) {
      const state = this.ruleState(decision.ruleId);
      if (decision.outcome === "held-out") state.heldOut.add(userId);
      if (decision.outcome === "not-issued") {
        state.notIssued[decision.reason] = (state.notIssued[decision.reason] ?? 0) + 1;
        this.notIssuedTotals[decision.reason] = (this.notIssuedTotals[decision.reason] ?? 0) + 1;
      }
    }
    const issued = evaluation.issued;
    if (issued === null) return;
    const dayKey = evaluation.dayKey ?? "";
    this.offers++;
    this.userTotals.set(userId, (this.userTotals.get(userId) ?? 0) + 1);
    const dayUserKey = `${userId}\u0000${dayKey}`;
    this.userDays.set(dayUserKey, (this.userDays.get(dayUserKey) ?? 0) + 1);

    const state = this.ruleState(issued.rule.id);
    state.issued++;
    state.users.add(userId);
    const budget = issued.rule.spec.limits?.budget;
    if (budget !== undefined && state.issued >= budget && state.budgetExhaustedAt === null) {
      state.budgetExhaustedAt = evaluation.now;
    }
    const key = userRuleKey(issued.rule.id, userId);
    let ur = this.userRules.get(key);
    if (ur === undefined) {
      ur = { total: 0, lastAt: null, perDay: new Map(), visits: new Set() };
      this.userRules.set(key, ur);
    }
    ur.total++;
    ur.lastAt = evaluation.now;
    ur.perDay.set(dayKey, (ur.perDay.get(dayKey) ?? 0) + 1);
    ur.visits.add(input.event.visitId);
  }

  /**
   * Evaluates one event against the simulated counters and records the result. The user's
   * `offersReceived` is taken as of before the simulation; offers issued by it are added.
   */
  step(input: SimulationInput): Evaluation {
    const tz = input.store.timezone;
    const dayKey = isValidTimeZone(tz) ? localDayKey(input.now, tz) : "";
    const full: EvaluationInput = {
      ...input,
      user: { ...input.user, offersReceived: input.user.offersReceived + this.offersIssuedTo(input.user.id) },
      ...this.countersFor({
        userId: input.event.userId,
        visitId: input.event.visitId,
        dayKey,
        ruleIds: input.candidates.map((r) => r.id),
      }),
    };
    const evaluation = evaluate(full);
    this.record(full, evaluation);
    return evaluation;
  }

  report(): SimulationReport {
    const rules: Record<string, RuleReport> = {};
    for (const [ruleId, s] of [...this.rules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      rules[ruleId] = {
        issued: s.issued,
        distinctUsers: s.users.size,
        heldOutUsers: s.heldOut.size,
        notIssued: { ...s.notIssued },
        budgetExhaustedAt: s.budgetExhaustedAt,
      };
    }
    return {
      events: this.events,
      offersIssued: this.offers,
      distinctUsers: this.userTotals.size,
      notIssued: { ...this.notIssuedTotals },
      rules,
    };
  }

  private ruleState(ruleId: string): RuleState {
    let s = this.rules.get(ruleId);
    if (s === undefined) {
      s = { issued: 0, users: new Set(), heldOut: new Set(), notIssued: {}, budgetExhaustedAt: null };
      this.rules.set(ruleId, s);
    }
    return s;
  }
}

function userRuleKey(ruleId: string, userId: string): string {
  return `${ruleId}\u0000${userId}`;
}
