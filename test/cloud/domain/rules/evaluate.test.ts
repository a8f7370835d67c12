import { describe, expect, it } from "vitest";
import {
  type DecisionReason,
  evaluate,
  NOT_ISSUED_REASONS,
} from "../../../../cloud/src/domain/rules/evaluate.js";
import { holdoutPosition } from "../../../../cloud/src/domain/rules/holdout.js";
import type { Rule, RuleStatus } from "../../../../cloud/src/domain/rules/rule.js";
import type { RuleSpec } from "../../../../cloud/src/domain/rules/ruleSpec.js";
import { counters, DAY, HK_TUE_10_00, HOUR, type InputOverrides, input, MIN, rule } from "./fixtures.js";

interface Case {
  readonly name: string;
  readonly spec?: Partial<RuleSpec>;
  readonly status?: RuleStatus;
  readonly input?: InputOverrides;
  readonly reason: DecisionReason;
}

/** One rule, one event: the reason the rule gets. `eligible` means it issues. */
const CASES: readonly Case[] = [
  { name: "plain enter rule issues", reason: "eligible" },
  // Lifecycle.
  ...(["draft", "scheduled", "paused", "ended"] as const).map(
    (status): Case => ({ name: `${status} rule`, status, reason: "rule-not-live" }),
  ),
  // Freshness.
  {
    name: "fresh event",
    input: { event: { at: HK_TUE_10_00 - MIN }, maxEventAgeMs: 5 * MIN },
    reason: "eligible",
  },
  {
    name: "stale event",
    input: { event: { at: HK_TUE_10_00 - HOUR }, maxEventAgeMs: 5 * MIN },
    reason: "stale-event",
  },
  // The shopper already left: arrival offers (enter, dwell) are not sent; exit rules still fire.
  { name: "enter of an ended visit", input: { visitEndedAt: HK_TUE_10_00 - MIN }, reason: "visit-ended" },
  {
    name: "dwell of an ended visit",
    spec: { trigger: { type: "dwell", minDwellS: 30 } },
    input: { event: { type: "dwell", dwellMs: 60_000 }, visitEndedAt: HK_TUE_10_00 - MIN },
    reason: "visit-ended",
  },
  { name: "enter of a visit still open", input: { visitEndedAt: null }, reason: "eligible" },
  {
    name: "exit rule on the exit that ended the visit",
    spec: { trigger: { type: "exit" } },
    input: { event: { type: "exit" }, visitEndedAt: HK_TUE_10_00 },
    reason: "eligible",
  },
  // Scope (re-checked even when the caller did not use the index).
  { name: "other store", spec: { scope: { storeIds: ["hk-02"] } }, reason: "scope-mismatch" },
  { name: "zone tag matches", spec: { scope: { zoneTags: ["cosmetics"] } }, reason: "eligible" },
  // Triggers.
  { name: "enter rule on exit", input: { event: { type: "exit" } }, reason: "trigger-mismatch" },
  {
    name: "exit rule on exit",
    spec: { trigger: { type: "exit" } },
    input: { event: { type: "exit" } },
    reason: "eligible",
  },
  {
    name: "geofence rule on geofence arrival",
    spec: { trigger: { type: "geofence-arrival" } },
    input: { event: { type: "geofence-arrival" } },
    reason: "eligible",
  },
  {
    name: "dwell 44 s, needs 45",
    spec: { trigger: { type: "dwell", minDwellS: 45 } },
    input: { event: { type: "dwell", dwellMs: 44_999 } },
    reason: "trigger-mismatch",
  },
  {
    name: "dwell 45 s, needs 45",
    spec: { trigger: { type: "dwell", minDwellS: 45 } },
    input: { event: { type: "dwell", dwellMs: 45_000 } },
    reason: "eligible",
  },
  {
    name: "dwell event without dwellMs",
    spec: { trigger: { type: "dwell", minDwellS: 45 } },
    input: { event: { type: "dwell" } },
    reason: "trigger-mismatch",
  },
  {
    name: "first visit on visit 1",
    spec: { trigger: { type: "first-visit" } },
    input: { user: { visitCount: 1 } },
    reason: "eligible",
  },
  {
    name: "first visit on visit 2",
    spec: { trigger: { type: "first-visit" } },
    input: { user: { visitCount: 2 } },
    reason: "trigger-mismatch",
  },
  {
    name: "first visit on a dwell",
    spec: { trigger: { type: "first-visit" } },
    input: { user: { visitCount: 1 }, event: { type: "dwell", dwellMs: 60_000 } },
    reason: "trigger-mismatch",
  },
  {
    name: "5th visit on visit 5",
    spec: { trigger: { type: "nth-visit", n: 5 } },
    input: { user: { visitCount: 5 } },
    reason: "eligible",
  },
  {
    name: "5th visit on visit 6",
    spec: { trigger: { type: "nth-visit", n: 5 } },
    input: { user: { visitCount: 6 } },
    reason: "trigger-mismatch",
  },
  {
    name: "return after 30 days, back after 30 local days",
    spec: { trigger: { type: "return-after", days: 30 } },
    // Previous visit 2026-02-08 23:30 HK, now 2026-03-10 10:00 HK: 30 calendar days, 29.4 x 24 h.
    input: { user: { previousVisitAt: Date.parse("2026-02-08T15:30:00Z") } },
    reason: "eligible",
  },
  {
    name: "return after 30 days, back after 29 local days",
    spec: { trigger: { type: "return-after", days: 30 } },
    input: { user: { previousVisitAt: Date.parse("2026-02-09T00:00:00Z") } },
    reason: "trigger-mismatch",
  },
  {
    name: "return after, no previous visit",
    spec: { trigger: { type: "return-after", days: 1 } },
    input: { user: { visitCount: 1, previousVisitAt: null } },
    reason: "trigger-mismatch",
  },
  // Schedule, in the store's timezone: 10:00 in Hong Kong.
  {
    name: "inside window",
    spec: { conditions: { schedule: { windows: [{ start: "09:00", end: "11:00" }] } } },
    reason: "eligible",
  },
  {
    name: "outside window",
    spec: { conditions: { schedule: { windows: [{ start: "11:00", end: "12:00" }] } } },
    reason: "outside-schedule",
  },
  {
    name: "same instant, store in New York (21:00 the day before)",
    spec: { conditions: { schedule: { windows: [{ start: "09:00", end: "11:00" }] } } },
    input: { store: { timezone: "America/New_York" } },
    reason: "outside-schedule",
  },
  {
    name: "wrong weekday",
    spec: { conditions: { schedule: { days: ["sat", "sun"] } } },
    reason: "outside-schedule",
  },
  {
    name: "campaign over",
    spec: { conditions: { schedule: { until: "2026-03-09" } } },
    reason: "outside-schedule",
  },
  // Consent: always enforced.
  {
    name: "no marketing consent",
    input: { user: { marketingConsent: false } },
    reason: "no-marketing-consent",
  },
  {
    name: "no consent, rule says requireMarketingConsent true",
    spec: { conditions: { requireMarketingConsent: true } },
    input: { user: { marketingConsent: false } },
    reason: "no-marketing-consent",
  },
  // Who.
  {
    name: "segment any-of hit",
    spec: { conditions: { segments: ["sports", "beauty"] } },
    reason: "eligible",
  },
  { name: "segment miss", spec: { conditions: { segments: ["sports"] } }, reason: "segment-mismatch" },
  { name: "tier hit", spec: { conditions: { loyaltyTiers: ["gold", "platinum"] } }, reason: "eligible" },
  { name: "tier miss", spec: { conditions: { loyaltyTiers: ["platinum"] } }, reason: "tier-mismatch" },
  {
    name: "no tier",
    spec: { conditions: { loyaltyTiers: ["gold"] } },
    input: { user: { loyaltyTier: null } },
    reason: "tier-mismatch",
  },
  {
    name: "visit count in range",
    spec: { conditions: { visitCount: { min: 3, max: 3 } } },
    reason: "eligible",
  },
  { name: "visit count below", spec: { conditions: { visitCount: { min: 4 } } }, reason: "visit-count" },
  { name: "visit count above", spec: { conditions: { visitCount: { max: 2 } } }, reason: "visit-count" },
  { name: "offers received at max", spec: { conditions: { maxOffersReceived: 2 } }, reason: "eligible" },
  {
    name: "offers received above max",
    spec: { conditions: { maxOffersReceived: 1 } },
    reason: "offers-received",
  },
  {
    name: "geofence claim the store's gateways did not see, corroboration required",
    spec: { trigger: { type: "geofence-arrival" }, conditions: { requireCorroboration: true } },
    input: { event: { type: "geofence-arrival", corroborated: false } },
    reason: "not-corroborated",
  },
  {
    name: "geofence claim at a store without gateways, corroboration required",
    spec: { trigger: { type: "geofence-arrival" }, conditions: { requireCorroboration: true } },
    input: { event: { type: "geofence-arrival", corroborated: null } },
    reason: "not-corroborated",
  },
  {
    name: "geofence claim the gateways confirmed, corroboration required",
    spec: { trigger: { type: "geofence-arrival" }, conditions: { requireCorroboration: true } },
    input: { event: { type: "geofence-arrival", corroborated: true } },
    reason: "eligible",
  },
  {
    name: "gateway sighting, corroboration required (the store's own evidence)",
    spec: { conditions: { requireCorroboration: true } },
    reason: "eligible",
  },
  // Limits.
  {
    name: "budget left",
    spec: { limits: { budget: 10 } },
    input: { counters: { r: counters({ issuedTotal: 9 }) } },
    reason: "eligible",
  },
  {
    name: "budget used up",
    spec: { limits: { budget: 10 } },
    input: { counters: { r: counters({ issuedTotal: 10 }) } },
    reason: "budget-exhausted",
  },
  {
    name: "already issued this visit",
    input: { counters: { r: counters({ alreadyIssuedThisVisit: true }) } },
    reason: "already-issued-this-visit",
  },
  {
    name: "user cap reached",
    spec: { limits: { maxPerUser: 2 } },
    input: { counters: { r: counters({ userIssuedTotal: 2 }) } },
    reason: "user-cap",
  },
  {
    name: "user cap not reached",
    spec: { limits: { maxPerUser: 2 } },
    input: { counters: { r: counters({ userIssuedTotal: 1 }) } },
    reason: "eligible",
  },
  {
    name: "daily cap reached",
    spec: { limits: { maxPerUserPerDay: 1 } },
    input: { counters: { r: counters({ userIssuedToday: 1 }) } },
    reason: "daily-cap",
  },
  {
    name: "cooldown running",
    spec: { limits: { cooldownS: 3600 } },
    input: { counters: { r: counters({ userLastIssuedAt: HK_TUE_10_00 - 3599_000 }) } },
    reason: "cooldown",
  },
  {
    name: "cooldown over",
    spec: { limits: { cooldownS: 3600 } },
    input: { counters: { r: counters({ userLastIssuedAt: HK_TUE_10_00 - 3600_000 }) } },
    reason: "eligible",
  },
  {
    name: "org daily cap reached",
    input: { userIssuedTodayAllRules: 3, orgMaxPerUserPerDay: 3 },
    reason: "org-daily-cap",
  },
  {
    name: "org daily cap off",
    input: { userIssuedTodayAllRules: 30, orgMaxPerUserPerDay: null },
    reason: "eligible",
  },
  // Configuration.
  { name: "invalid store timezone", input: { store: { timezone: "Hong Kong" } }, reason: "invalid-timezone" },
];

describe("evaluate: one rule, each condition and limit", () => {
  it.each(CASES)("$name -> $reason", (c) => {
    const r = rule("r", c.spec, c.status ?? "live");
    const result = evaluate(input([r], c.input));
    expect(result.decisions).toHaveLength(1);
    const [decision] = result.decisions;
    expect(decision?.reason).toBe(c.reason);
    expect(decision?.outcome).toBe(c.reason === "eligible" ? "issued" : "not-issued");
    expect(decision?.text.length).toBeGreaterThan(0);
    expect(result.issued?.rule.id ?? null).toBe(c.reason === "eligible" ? "r" : null);
  });

  it("covers every reason code except lower-priority (tested below)", () => {
    const covered = new Set(CASES.map((c) => c.reason));
    expect(NOT_ISSUED_REASONS.filter((r) => r !== "lower-priority" && !covered.has(r))).toEqual([]);
  });

  it("reports the first failing check with readable text", () => {
    const r = rule("r", { limits: { cooldownS: 3600, maxPerUserPerDay: 1 } });
    const result = evaluate(
      input([r], {
        counters: { r: counters({ userIssuedToday: 1, userLastIssuedAt: HK_TUE_10_00 - 60_000 }) },
      }),
    );
    expect(result.decisions).toEqual([
      {
        ruleId: "r",
        ruleVersion: 1,
        outcome: "not-issued",
        reason: "daily-cap",
        text: "user already has 1 today (2026-03-10), at most 1",
      },
    ]);
    expect(result.dayKey).toBe("2026-03-10");
  });
});

describe("evaluate: several rules", () => {
  it("issues only the highest priority eligible rule; the others get lower-priority", () => {
    const rules = [rule("low", { priority: 1 }), rule("high", { priority: 5 }), rule("mid", { priority: 3 })];
    const result = evaluate(input(rules));
    expect(result.decisions.map((d) => [d.ruleId, d.outcome, d.reason])).toEqual([
      ["high", "issued", "eligible"],
      ["mid", "not-issued", "lower-priority"],
      ["low", "not-issued", "lower-priority"],
    ]);
    expect(result.issued?.rule.id).toBe("high");
    expect(result.decisions[1]?.text).toBe("eligible, but high (priority 5) issues on this event");
  });

  it("skips ineligible rules when picking the winner", () => {
    const rules = [
      rule("high", { priority: 9, conditions: { segments: ["sports"] } }),
      rule("low", { priority: 1 }),
    ];
    const result = evaluate(input(rules));
    expect(result.decisions.map((d) => [d.ruleId, d.reason])).toEqual([
      ["high", "segment-mismatch"],
      ["low", "eligible"],
    ]);
  });

  it("breaks priority ties by rule id, whatever the candidate order", () => {
    const a = rule("rule-a", { priority: 2 });
    const b = rule("rule-b", { priority: 2 });
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      expect(evaluate(input(order)).issued?.rule.id).toBe("rule-a");
    }
  });

  it("gives one decision per rule id even if a candidate is listed twice", () => {
    const r = rule("r");
    expect(evaluate(input([r, r])).decisions).toHaveLength(1);
  });

  it("returns no decisions and nothing issued without candidates", () => {
    expect(evaluate(input([]))).toMatchObject({
      decisions: [],
      issued: null,
      eventId: "evt-00000001",
      userId: "u-1",
    });
  });

  it("is a pure function of its input", () => {
    const rules = [rule("a", { priority: 1, holdoutPercent: 50 }), rule("b")];
    const i = input(rules);
    expect(evaluate(i)).toEqual(evaluate(structuredClone(i)));
  });
});

describe("evaluate: holdout", () => {
  // Users sorted by their position for rule "h": the first is held out at 50 %, the last is not.
  const users = Array.from({ length: 200 }, (_, i) => `user-${i}`).sort(
    (x, y) => holdoutPosition("h", x) - holdoutPosition("h", y),
  );
  const heldOutUser = users[0] ?? "";
  const treatedUser = users[users.length - 1] ?? "";

  const forUser = (userId: string, rules: readonly Rule[], o: InputOverrides = {}) =>
    evaluate(input(rules, { ...o, event: { userId, ...o.event }, user: { id: userId, ...o.user } }));

  it("holds out the same user on every event", () => {
    const h = rule("h", { holdoutPercent: 50 });
    for (let i = 0; i < 5; i++) {
      const result = forUser(heldOutUser, [h], {
        now: HK_TUE_10_00 + i * DAY,
        event: { id: `evt-0000000${i}` },
      });
      expect(result.decisions).toEqual([
        {
          ruleId: "h",
          ruleVersion: 1,
          outcome: "held-out",
          reason: "held-out",
          text: "eligible; user is in the 50% holdout of this rule",
        },
      ]);
      expect(result.issued).toBeNull();
    }
    expect(forUser(treatedUser, [h]).issued?.rule.id).toBe("h");
  });

  it("applies after eligibility: an ineligible held-out user gets the real reason", () => {
    const h = rule("h", { holdoutPercent: 50, conditions: { segments: ["sports"] } });
    expect(forUser(heldOutUser, [h]).decisions[0]?.reason).toBe("segment-mismatch");
  });

  it("lets the next eligible rule issue to a held-out user", () => {
    const rules = [rule("h", { holdoutPercent: 50, priority: 5 }), rule("fallback", { priority: 1 })];
    expect(forUser(heldOutUser, rules).decisions.map((d) => [d.ruleId, d.outcome])).toEqual([
      ["h", "held-out"],
      ["fallback", "issued"],
    ]);
  });

  it("does not count a user as held out of a rule that would have lost on priority", () => {
    const rules = [rule("top", { priority: 9 }), rule("h", { holdoutPercent: 50, priority: 5 })];
    expect(forUser(heldOutUser, rules).decisions.map((d) => [d.ruleId, d.reason])).toEqual([
      ["top", "eligible"],
      ["h", "lower-priority"],
    ]);
  });

  it("is keyed by rule id, not version", () => {
    const v1 = rule("h", { holdoutPercent: 50 }, "live", 1);
    const v7 = rule("h", { holdoutPercent: 50, priority: 3 }, "live", 7);
    expect(forUser(heldOutUser, [v1]).decisions[0]?.outcome).toBe("held-out");
    expect(forUser(heldOutUser, [v7]).decisions[0]).toMatchObject({ outcome: "held-out", ruleVersion: 7 });
  });
});
