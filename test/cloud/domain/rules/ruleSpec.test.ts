import { describe, expect, it } from "vitest";
import { checkRuleSpec, eventTriggerOf, type Trigger } from "../../../../cloud/src/domain/rules/ruleSpec.js";
import { BASE_SPEC } from "./fixtures.js";

const withField = (patch: Record<string, unknown>) => ({ ...BASE_SPEC, ...patch });

describe("checkRuleSpec", () => {
  it("accepts a complete rule as marketers write it", () => {
    const json = {
      name: "Lipstick flash",
      trigger: { type: "dwell", minDwellS: 45 },
      scope: { storeTags: ["mall"], zoneIds: ["lipsticks"] },
      conditions: {
        schedule: {
          days: ["fri", "sat"],
          windows: [{ start: "22:00", end: "02:00" }],
          from: "2026-03-01",
          until: "2026-03-31",
        },
        segments: ["beauty", "vip"],
        loyaltyTiers: ["gold"],
        requireMarketingConsent: true,
        visitCount: { min: 2, max: 10 },
        maxOffersReceived: 5,
      },
      offer: {
        title: "20% off",
        text: "Lipsticks, next 30 minutes",
        discount: { kind: "percent", percent: 20 },
        validityS: 1800,
        variations: [{ storeId: "hk-02", discount: { kind: "amount", amountMinor: 5000, currency: "HKD" } }],
      },
      limits: { cooldownS: 3600, maxPerUserPerDay: 1, maxPerUser: 3, budget: 1000 },
      priority: 10,
      holdoutPercent: 10,
    };
    const checked = checkRuleSpec(json);
    expect(checked).toEqual({ ok: true, value: json });
    if (checked.ok) {
      expect(Object.isFrozen(checked.value)).toBe(true);
      expect(Object.isFrozen(checked.value.conditions?.schedule?.windows?.[0])).toBe(true);
    }
  });

  it.each<[string, Trigger]>([
    ["enter", { type: "enter" }],
    ["dwell", { type: "dwell", minDwellS: 30 }],
    ["exit", { type: "exit" }],
    ["geofence-arrival", { type: "geofence-arrival" }],
    ["nth-visit", { type: "nth-visit", n: 5 }],
    ["first-visit", { type: "first-visit" }],
    ["return-after", { type: "return-after", days: 30 }],
  ])("accepts the %s trigger", (_name, trigger) => {
    expect(checkRuleSpec(withField({ trigger })).ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, { path: string; message: RegExp }]>([
    [
      "unknown trigger",
      { trigger: { type: "walk-by" } },
      { path: "/trigger/type", message: /must be one of "enter", "dwell", .*"return-after"/ },
    ],
    ["dwell without minDwellS", { trigger: { type: "dwell" } }, { path: "/trigger/minDwellS", message: /is required/ }],
    [
      "enter with a stray field",
      { trigger: { type: "enter", n: 1 } },
      { path: "/trigger", message: /unknown field "n"/ },
    ],
    [
      "unknown discount kind",
      { offer: { ...BASE_SPEC.offer, discount: { kind: "bogo" } } },
      { path: "/offer/discount/kind", message: /"percent", "amount", "free-item"/ },
    ],
    [
      "bad currency in a variation",
      {
        offer: {
          ...BASE_SPEC.offer,
          variations: [{ storeId: "hk-02", discount: { kind: "amount", amountMinor: 100, currency: "hkd" } }],
        },
      },
      { path: "/offer/variations/0/discount/currency", message: /pattern/ },
    ],
    ["nth-visit n = 0", { trigger: { type: "nth-visit", n: 0 } }, { path: "/trigger/n", message: />= 1/ }],
    [
      "empty storeIds",
      { scope: { storeIds: [] } },
      { path: "/scope/storeIds", message: /fewer than 1|1 item/ },
    ],
    ["bad store id", { scope: { storeIds: ["hk/01"] } }, { path: "/scope/storeIds/0", message: /pattern/ }],
    [
      "unknown scope field",
      { scope: { stores: ["hk-01"] } },
      { path: "/scope", message: /unknown field "stores"/ },
    ],
    [
      "bad weekday",
      { conditions: { schedule: { days: ["monday"] } } },
      { path: "/conditions/schedule/days/0", message: /"mon"/ },
    ],
    [
      "window 24:00",
      { conditions: { schedule: { windows: [{ start: "09:00", end: "24:00" }] } } },
      { path: "/conditions/schedule/windows/0/end", message: /pattern/ },
    ],
    [
      "impossible date",
      { conditions: { schedule: { from: "2026-02-30" } } },
      { path: "/conditions/schedule/from", message: /format "date"/ },
    ],
    [
      "consent false",
      { conditions: { requireMarketingConsent: false } },
      { path: "/conditions/requireMarketingConsent", message: /never sent without marketing consent/ },
    ],
    [
      "discount over 100%",
      { offer: { ...BASE_SPEC.offer, discount: { kind: "percent", percent: 120 } } },
      { path: "/offer/discount/percent", message: /<= 100/ },
    ],
    [
      "validity under a minute",
      { offer: { ...BASE_SPEC.offer, validityS: 10 } },
      { path: "/offer/validityS", message: />= 60/ },
    ],
    ["holdout over 50", { holdoutPercent: 60 }, { path: "/holdoutPercent", message: /<= 50/ }],
    ["negative cooldown", { limits: { cooldownS: -1 } }, { path: "/limits/cooldownS", message: />= 0/ }],
    ["zero budget", { limits: { budget: 0 } }, { path: "/limits/budget", message: />= 1/ }],
    ["fractional priority", { priority: 1.5 }, { path: "/priority", message: /integer/ }],
    // Cross-field checks, run once the schema passes.
    [
      "empty window",
      { conditions: { schedule: { windows: [{ start: "09:00", end: "09:00" }] } } },
      { path: "/conditions/schedule/windows/0", message: /equal/ },
    ],
    [
      "until before from",
      { conditions: { schedule: { from: "2026-03-10", until: "2026-03-01" } } },
      { path: "/conditions/schedule/until", message: /before from/ },
    ],
    [
      "visit range upside down",
      { conditions: { visitCount: { min: 5, max: 2 } } },
      { path: "/conditions/visitCount/max", message: /below min/ },
    ],
    [
      "duplicate variation",
      { offer: { ...BASE_SPEC.offer, variations: [{ storeId: "a1" }, { storeId: "a1" }] } },
      { path: "/offer/variations/1/storeId", message: /duplicate/ },
    ],
    [
      "daily cap above lifetime cap",
      { limits: { maxPerUserPerDay: 3, maxPerUser: 2 } },
      { path: "/limits/maxPerUserPerDay", message: /exceeds maxPerUser/ },
    ],
  ])("rejects %s with its path", (_name, patch, expected) => {
    const checked = checkRuleSpec(withField(patch));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toContainEqual({
      path: expected.path,
      message: expect.stringMatching(expected.message),
    });
  });

  it("reports every problem, not only the first", () => {
    const checked = checkRuleSpec({
      trigger: { type: "enter" },
      offer: { title: "", text: "x", discount: { kind: "percent", percent: 10 }, validityS: 0 },
      priority: "high",
      extra: 1,
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const paths = checked.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["", "/offer/title", "/offer/validityS", "/priority"]));
  });

  it("reports only the named branch of a tagged union", () => {
    const checked = checkRuleSpec(withField({ trigger: { type: "nth-visit", n: 0 } }));
    expect(checked).toEqual({ ok: false, problems: [{ path: "/trigger/n", message: "must be >= 1" }] });
  });

  it("rejects a non-object", () => {
    expect(checkRuleSpec("rule").ok).toBe(false);
  });
});

describe("eventTriggerOf", () => {
  it.each<[Trigger, string]>([
    [{ type: "enter" }, "enter"],
    [{ type: "dwell", minDwellS: 1 }, "dwell"],
    [{ type: "exit" }, "exit"],
    [{ type: "geofence-arrival" }, "geofence-arrival"],
    [{ type: "nth-visit", n: 2 }, "enter"],
    [{ type: "first-visit" }, "enter"],
    [{ type: "return-after", days: 7 }, "enter"],
  ])("%o listens to %s events", (trigger, expected) => {
    expect(eventTriggerOf(trigger)).toBe(expected);
  });
});
