import { describe, expect, it } from "vitest";
import {
  InMemoryCounters,
  type SimulationInput,
} from "../../../../cloud/src/domain/rules/inMemoryCounters.js";
import type { Rule } from "../../../../cloud/src/domain/rules/rule.js";
import { HK_TUE_10_00, HOUR, input, MIN, rule } from "./fixtures.js";

/** An enter of `userId` in visit `visitId` at `now`, evaluated against `rules`. */
function enter(
  rules: readonly Rule[],
  userId: string,
  now: number,
  visitId = `visit-${userId}-${now}`,
): SimulationInput {
  const {
    counters: _c,
    userIssuedTodayAllRules: _u,
    ...rest
  } = input(rules, {
    now,
    event: { userId, visitId, id: `evt-${userId}-${now}` },
    user: { id: userId },
  });
  return rest;
}

describe("InMemoryCounters", () => {
  it("runs a budget out at exactly N offers and says when", () => {
    const r = rule("flash", { limits: { budget: 5 } });
    const sim = new InMemoryCounters();
    const outcomes = Array.from({ length: 8 }, (_, i) => {
      const ev = sim.step(enter([r], `u-${i}`, HK_TUE_10_00 + i * MIN));
      return ev.decisions[0]?.reason;
    });
    expect(outcomes).toEqual([
      "eligible",
      "eligible",
      "eligible",
      "eligible",
      "eligible",
      "budget-exhausted",
      "budget-exhausted",
      "budget-exhausted",
    ]);
    expect(sim.report()).toEqual({
      events: 8,
      offersIssued: 5,
      distinctUsers: 5,
      notIssued: { "budget-exhausted": 3 },
      rules: {
        flash: {
          issued: 5,
          distinctUsers: 5,
          heldOutUsers: 0,
          notIssued: { "budget-exhausted": 3 },
          budgetExhaustedAt: HK_TUE_10_00 + 4 * MIN,
        },
      },
    });
  });

  it("issues once per visit: the dwells after an enter get already-issued-this-visit", () => {
    const onEnter = rule("on-enter", { priority: 2 });
    const onDwell = rule("on-dwell", { trigger: { type: "dwell", minDwellS: 30 } });
    const sim = new InMemoryCounters();
    const base = enter([onEnter], "u-1", HK_TUE_10_00, "visit-a");
    expect(sim.step(base).issued?.rule.id).toBe("on-enter");
    const dwell = (now: number): SimulationInput => ({
      ...base,
      now,
      candidates: [onDwell],
      event: { ...base.event, type: "dwell", dwellMs: now - HK_TUE_10_00, at: now },
    });
    expect(sim.step(dwell(HK_TUE_10_00 + 60_000)).issued?.rule.id).toBe("on-dwell");
    expect(sim.step(dwell(HK_TUE_10_00 + 120_000)).decisions[0]?.reason).toBe("already-issued-this-visit");
    // The same rule on the next visit issues again.
    expect(sim.step(enter([onEnter], "u-1", HK_TUE_10_00 + 2 * HOUR, "visit-b")).issued?.rule.id).toBe(
      "on-enter",
    );
  });

  it("resets daily caps at local midnight of the store", () => {
    const r = rule("daily", { limits: { maxPerUserPerDay: 1 } });
    const sim = new InMemoryCounters();
    // 23:30 and 23:50 Hong Kong time on 03-10, then 00:10 on 03-11 (16:10Z on 03-10).
    const reasons = [
      Date.parse("2026-03-10T15:30:00Z"),
      Date.parse("2026-03-10T15:50:00Z"),
      Date.parse("2026-03-10T16:10:00Z"),
    ].map((now) => sim.step(enter([r], "u-1", now)).decisions[0]?.reason);
    expect(reasons).toEqual(["eligible", "daily-cap", "eligible"]);
  });

  it("applies cooldown and lifetime caps over a sequence", () => {
    const r = rule("cool", { limits: { cooldownS: 3600, maxPerUser: 2 } });
    const sim = new InMemoryCounters();
    const reasons = [0, 30 * MIN, 60 * MIN, 3 * HOUR].map(
      (dt) => sim.step(enter([r], "u-1", HK_TUE_10_00 + dt)).decisions[0]?.reason,
    );
    expect(reasons).toEqual(["eligible", "cooldown", "eligible", "user-cap"]);
  });

  it("enforces the organisation's daily cap across rules", () => {
    const a = rule("a", { priority: 2 });
    const b = rule("b", { priority: 1 });
    const sim = new InMemoryCounters();
    const step = (dt: number) => {
      const i = enter([a, b], "u-1", HK_TUE_10_00 + dt);
      return sim.step({ ...i, orgMaxPerUserPerDay: 2 }).decisions.map((d) => `${d.ruleId}:${d.reason}`);
    };
    expect(step(0)).toEqual(["a:eligible", "b:lower-priority"]);
    expect(step(HOUR)).toEqual(["a:eligible", "b:lower-priority"]);
    expect(step(2 * HOUR)).toEqual(["a:org-daily-cap", "b:org-daily-cap"]);
  });

  it("counts offers it issued towards the user's offersReceived", () => {
    const first = rule("first", { priority: 2, conditions: { maxOffersReceived: 2 } });
    const sim = new InMemoryCounters();
    // The fixture user starts with 2 offers received; after one more, the rule no longer applies.
    expect(sim.step(enter([first], "u-1", HK_TUE_10_00)).issued?.rule.id).toBe("first");
    expect(sim.step(enter([first], "u-1", HK_TUE_10_00 + HOUR)).decisions[0]?.reason).toBe("offers-received");
    expect(sim.offersIssuedTo("u-1")).toBe(1);
  });

  it("reports held-out users per rule", () => {
    const r = rule("h", { holdoutPercent: 50 });
    const sim = new InMemoryCounters();
    for (let i = 0; i < 1000; i++) sim.step(enter([r], `u-${i}`, HK_TUE_10_00 + i));
    const report = sim.report().rules.h;
    expect((report?.heldOutUsers ?? 0) + (report?.issued ?? 0)).toBe(1000);
    expect(report?.heldOutUsers).toBeGreaterThan(430);
    expect(report?.heldOutUsers).toBeLessThan(570);
  });

  it("answers counter queries like the offer store", () => {
    const r = rule("r");
    const sim = new InMemoryCounters();
    sim.step(enter([r], "u-1", HK_TUE_10_00, "visit-a"));
    expect(
      sim.countersFor({ userId: "u-1", visitId: "visit-a", dayKey: "2026-03-10", ruleIds: ["r", "other"] }),
    ).toEqual({
      counters: {
        r: {
          issuedTotal: 1,
          userIssuedToday: 1,
          userIssuedTotal: 1,
          userLastIssuedAt: HK_TUE_10_00,
          alreadyIssuedThisVisit: true,
        },
        other: {
          issuedTotal: 0,
          userIssuedToday: 0,
          userIssuedTotal: 0,
          userLastIssuedAt: null,
          alreadyIssuedThisVisit: false,
        },
      },
      userIssuedTodayAllRules: 1,
    });
    expect(
      sim.countersFor({ userId: "u-2", visitId: "v", dayKey: "2026-03-11", ruleIds: ["r"] }).counters.r,
    ).toMatchObject({
      issuedTotal: 1,
      userIssuedToday: 0,
    });
  });
});
