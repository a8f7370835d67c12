import Type, { type Static } from "typebox";
import { ID_PATTERN, type Problem, StringEnum } from "../../../../protocol/index.js";
import { type RuleSpec, RuleSpecSchema } from "./ruleSpec.js";

/**
 * Lifecycle of a rule:
 *
 * ```
 * draft ──► scheduled ──► live ◄──► paused
 *   │  ◄──────┘  │         │          │
 *   └────────────┼───────► │          │
 *                └──────► ended ◄─────┘
 * ```
 *
 * `draft` is being written; `scheduled` is approved and waits for its `from` day; `live` issues
 * offers; `paused` stops issuing and can resume; `ended` is final (counters and offers stay for
 * reporting). Only `live` rules issue: `evaluate` answers `rule-not-live` for the others.
 */
export const RULE_STATUSES = ["draft", "scheduled", "live", "paused", "ended"] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];

export const ALLOWED_TRANSITIONS: Readonly<Record<RuleStatus, readonly RuleStatus[]>> = {
  draft: ["scheduled", "live"],
  scheduled: ["draft", "live", "ended"],
  live: ["paused", "ended"],
  paused: ["live", "ended"],
  ended: [],
};

export const RuleSchema = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN, description: "Stable across versions." }),
    version: Type.Integer({
      minimum: 1,
      description: "Increases with every edit; an offer keeps the version it was issued under.",
    }),
    status: StringEnum(RULE_STATUSES),
    spec: RuleSpecSchema,
    updatedAt: Type.Optional(Type.Integer({ minimum: 0, description: "Last change, epoch ms." })),
  },
  { additionalProperties: false },
);

/** A rule spec with its identity, version and lifecycle status. Immutable: changes make new records. */
export interface Rule {
  readonly id: string;
  readonly version: number;
  readonly status: RuleStatus;
  readonly spec: RuleSpec;
  /** Last change (status or version), epoch ms. */
  readonly updatedAt?: number;
}

// Static type and interface must agree; this line stops compiling if they drift apart.
const _ruleShape: (r: Static<typeof RuleSchema>) => Rule = (r) => r;
void _ruleShape;

/** Distinguishes a refusal from a rule in the results of `transition` and `reviseRule`. */
export function isProblem(value: Rule | Problem): value is Problem {
  return !("spec" in value);
}

const HOUR_MS = 3_600_000;

/**
 * A rule's `until` is a local day, and a rule may cover stores on every continent. The earliest
 * local date on Earth is UTC-12, the latest UTC+14; these give the days "somewhere" and "everywhere".
 */
function earliestLocalDay(now: number): string {
  return new Date(now - 12 * HOUR_MS).toISOString().slice(0, 10);
}
function latestLocalDay(now: number): string {
  return new Date(now + 14 * HOUR_MS).toISOString().slice(0, 10);
}

/**
 * Moves `rule` to `to` at `now` (epoch ms), or says why not. Refused: transitions outside
 * `ALLOWED_TRANSITIONS`; `scheduled` without a `from` day; `scheduled` or `live` when `until` has
 * already passed in every timezone (such a rule could never issue; end it instead).
 */
export function transition(rule: Rule, to: RuleStatus, now: number): Rule | Problem {
  if (rule.status === to) return { path: "/status", message: `already ${to}` };
  if (!ALLOWED_TRANSITIONS[rule.status].includes(to)) {
    const allowed = ALLOWED_TRANSITIONS[rule.status];
    return {
      path: "/status",
      message: `cannot go from ${rule.status} to ${to}${allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : " (ended is final)"}`,
    };
  }
  const schedule = rule.spec.conditions?.schedule;
  if (to === "scheduled" && schedule?.from === undefined) {
    return {
      path: "/spec/conditions/schedule/from",
      message: "a scheduled rule needs a from day; make it live instead",
    };
  }
  if ((to === "scheduled" || to === "live") && schedule?.until !== undefined) {
    if (earliestLocalDay(now) > schedule.until) {
      return {
        path: "/spec/conditions/schedule/until",
        message: `${schedule.until} has passed; end the rule`,
      };
    }
  }
  return { ...rule, status: to, updatedAt: now };
}

/**
 * An edit: the same rule id with `spec` as version + 1 and the same status. Offers already issued
 * keep the version they were issued under; counters (budget, caps) belong to the rule id and carry
 * over. Ended rules cannot be edited. `spec` must come from `checkRuleSpec`.
 */
export function reviseRule(rule: Rule, spec: RuleSpec, now: number): Rule | Problem {
  if (rule.status === "ended") return { path: "/status", message: "an ended rule cannot be edited" };
  return { id: rule.id, version: rule.version + 1, status: rule.status, spec, updatedAt: now };
}

/**
 * The transition the clock calls for at `now`, if any: a scheduled rule goes live once its `from`
 * day has begun somewhere (each store still waits for its own local day, `evaluate` checks it); a
 * live or paused rule ends once its `until` day is over everywhere. For a rule service's timer.
 */
export function dueTransition(rule: Rule, now: number): RuleStatus | null {
  const schedule = rule.spec.conditions?.schedule;
  if (
    (rule.status === "live" || rule.status === "paused" || rule.status === "scheduled") &&
    schedule?.until
  ) {
    if (earliestLocalDay(now) > schedule.until) return "ended";
  }
  if (rule.status === "scheduled" && schedule?.from !== undefined && latestLocalDay(now) >= schedule.from) {
    return "live";
  }
  return null;
}
