import { describe, expect, it } from "vitest";
import { holdoutPosition, isHeldOut } from "../../../../cloud/src/domain/rules/holdout.js";

const USERS = Array.from({ length: 10_000 }, (_, i) => `u${String(i).padStart(5, "0")}`);

describe("holdout", () => {
  it("is deterministic", () => {
    for (const user of USERS.slice(0, 100)) {
      expect(holdoutPosition("rule-1", user)).toBe(holdoutPosition("rule-1", user));
      expect(isHeldOut("rule-1", user, 25)).toBe(isHeldOut("rule-1", user, 25));
    }
  });

  it("is a position in [0, 1)", () => {
    for (const user of USERS) {
      const p = holdoutPosition("rule-1", user);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(1);
    }
  });

  // 10 000 users, binomial: the standard deviation of the share is at most 0.5 percentage points;
  // a tolerance of 1.5 points is 3 sigma, and the hash is fixed, so the test is not flaky.
  it.each([
    ["rule-1", 0],
    ["rule-1", 5],
    ["rule-1", 10],
    ["spring-campaign", 10],
    ["rule-1", 25],
    ["rule-2", 33.3],
    ["rule-1", 50],
  ])("holds out about %s%% of 10 000 sequential user ids for %s", (ruleId, percent) => {
    const held = USERS.filter((u) => isHeldOut(ruleId, u, percent)).length;
    expect(Math.abs((held / USERS.length) * 100 - percent)).toBeLessThanOrEqual(1.5);
    if (percent === 0) expect(held).toBe(0);
  });

  it("only adds users when the percentage grows", () => {
    for (const user of USERS) {
      if (isHeldOut("rule-1", user, 10)) expect(isHeldOut("rule-1", user, 20)).toBe(true);
    }
  });

  it("draws independent groups for different rules", () => {
    const a = new Set(USERS.filter((u) => isHeldOut("rule-a", u, 50)));
    const both = USERS.filter((u) => a.has(u) && isHeldOut("rule-b", u, 50)).length;
    // Independent halves overlap on about a quarter.
    expect(Math.abs(both / USERS.length - 0.25)).toBeLessThanOrEqual(0.02);
  });
});
