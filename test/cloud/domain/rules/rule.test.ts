import { describe, expect, it } from "vitest";
import {
  ALLOWED_TRANSITIONS,
  dueTransition,
  isProblem,
  RULE_STATUSES,
  type Rule,
  type RuleStatus,
  reviseRule,
  transition,
} from "../../../../cloud/src/domain/rules/rule.js";
import { rule, spec } from "./fixtures.js";

const NOW = Date.parse("2026-03-10T02:00:00Z");
const withDates = (from?: string, until?: string) =>
  rule(
    "r1",
    { conditions: { schedule: { ...(from ? { from } : {}), ...(until ? { until } : {}) } } },
    "draft",
  );

describe("transition", () => {
  const allowed: [RuleStatus, RuleStatus][] = [
    ["draft", "scheduled"],
    ["draft", "live"],
    ["scheduled", "draft"],
    ["scheduled", "live"],
    ["scheduled", "ended"],
    ["live", "paused"],
    ["live", "ended"],
    ["paused", "live"],
    ["paused", "ended"],
  ];
  const refused = RULE_STATUSES.flatMap((from) =>
    RULE_STATUSES.filter((to) => !allowed.some(([f, t]) => f === from && t === to)).map(
      (to) => [from, to] as [RuleStatus, RuleStatus],
    ),
  );

  it("has exactly the documented table", () => {
    expect(Object.entries(ALLOWED_TRANSITIONS).flatMap(([f, ts]) => ts.map((t) => [f, t]))).toEqual(allowed);
    expect(refused).toHaveLength(25 - allowed.length);
  });

  it.each(allowed)("allows %s -> %s", (from, to) => {
    const r: Rule = { ...withDates("2026-04-01"), status: from };
    const next = transition(r, to, NOW);
    expect(next).toEqual({ ...r, status: to, updatedAt: NOW });
  });

  it.each(refused)("refuses %s -> %s", (from, to) => {
    const next = transition({ ...withDates("2026-04-01"), status: from }, to, NOW);
    expect(isProblem(next)).toBe(true);
    expect(next).toMatchObject({ path: "/status" });
  });

  it("explains that ended is final", () => {
    expect(transition({ ...withDates(), status: "ended" }, "live", NOW)).toEqual({
      path: "/status",
      message: "cannot go from ended to live (ended is final)",
    });
  });

  it("needs a from day to schedule", () => {
    expect(transition(withDates(), "scheduled", NOW)).toEqual({
      path: "/spec/conditions/schedule/from",
      message: "a scheduled rule needs a from day; make it live instead",
    });
  });

  it.each([
    // 02:00Z on 03-10: it is still 03-09 in UTC-12 (Baker Island), so until 03-09 has not passed everywhere.
    ["2026-03-09", true],
    ["2026-03-08", false],
  ])("until %s allows going live: %s", (until, ok) => {
    const next = transition(withDates(undefined, until), "live", NOW);
    expect(isProblem(next)).toBe(!ok);
    if (!ok)
      expect(next).toEqual({
        path: "/spec/conditions/schedule/until",
        message: `${until} has passed; end the rule`,
      });
  });

  it("does not change the rule it was given", () => {
    const r = withDates("2026-04-01");
    transition(r, "scheduled", NOW);
    expect(r.status).toBe("draft");
  });
});

describe("reviseRule", () => {
  it("makes a new version with the same id and status", () => {
    const live = rule("r1", {}, "live", 3);
    const edited = spec({ priority: 5 });
    expect(reviseRule(live, edited, NOW)).toEqual({
      id: "r1",
      version: 4,
      status: "live",
      spec: edited,
      updatedAt: NOW,
    });
    expect(live.version).toBe(3);
  });

  it("refuses to edit an ended rule", () => {
    expect(reviseRule(rule("r1", {}, "ended"), spec(), NOW)).toEqual({
      path: "/status",
      message: "an ended rule cannot be edited",
    });
  });
});

describe("dueTransition", () => {
  it.each<[string, Rule, string, RuleStatus | null]>([
    [
      "scheduled, from not begun anywhere",
      { ...withDates("2026-03-11"), status: "scheduled" },
      "2026-03-10T09:59:00Z",
      null,
    ],
    // 10:00Z on 03-10 is 00:00 on 03-11 in UTC+14 (Kiribati).
    [
      "scheduled, from begun in UTC+14",
      { ...withDates("2026-03-11"), status: "scheduled" },
      "2026-03-10T10:00:00Z",
      "live",
    ],
    [
      "live, until not over everywhere",
      { ...withDates(undefined, "2026-03-10"), status: "live" },
      "2026-03-11T11:59:00Z",
      null,
    ],
    [
      "live, until over in UTC-12",
      { ...withDates(undefined, "2026-03-10"), status: "live" },
      "2026-03-11T12:00:00Z",
      "ended",
    ],
    [
      "paused, until over",
      { ...withDates(undefined, "2026-03-10"), status: "paused" },
      "2026-03-12T00:00:00Z",
      "ended",
    ],
    [
      "draft never moves by itself",
      { ...withDates("2026-03-01"), status: "draft" },
      "2026-03-12T00:00:00Z",
      null,
    ],
    ["live without dates", { ...withDates(), status: "live" }, "2030-01-01T00:00:00Z", null],
  ])("%s", (_name, r, iso, expected) => {
    expect(dueTransition(r, Date.parse(iso))).toBe(expected);
  });
});
