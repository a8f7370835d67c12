import { describe, expect, it } from "vitest";
import type { Rule } from "../../../../cloud/src/domain/rules/rule.js";
import { type MatchContext, RuleIndex } from "../../../../cloud/src/domain/rules/ruleIndex.js";
import type { RuleSpec } from "../../../../cloud/src/domain/rules/ruleSpec.js";
import { rule } from "./fixtures.js";

const ctx = (o: Partial<MatchContext> = {}): MatchContext => ({
  storeId: "hk-01",
  zoneId: "lipsticks",
  storeTags: ["mall", "flagship"],
  zoneTags: ["cosmetics"],
  trigger: "enter",
  ...o,
});

const RULES: readonly Rule[] = [
  rule("org-enter"),
  rule("org-exit", { trigger: { type: "exit" } }),
  rule("org-dwell", { trigger: { type: "dwell", minDwellS: 60 } }),
  rule("org-geo", { trigger: { type: "geofence-arrival" } }),
  rule("org-first", { trigger: { type: "first-visit" } }),
  rule("store-hk01", { scope: { storeIds: ["hk-01"] } }),
  rule("store-hk02", { scope: { storeIds: ["hk-02"] } }),
  rule("store-ids-or-tag", { scope: { storeIds: ["hk-02"], storeTags: ["flagship"] } }),
  rule("tag-mall", { scope: { storeTags: ["mall"] } }),
  rule("tag-outlet", { scope: { storeTags: ["outlet"] } }),
  rule("zone-lipsticks", { scope: { zoneIds: ["lipsticks"] } }),
  rule("zone-shoes", { scope: { zoneIds: ["shoes"] } }),
  rule("zone-tag-cosmetics", { scope: { zoneTags: ["cosmetics"] } }),
  rule("store-and-zone", { scope: { storeIds: ["hk-01"], zoneIds: ["shoes"] } }),
  rule("prio-high", { priority: 10, scope: { storeIds: ["hk-01"] } }),
];

describe("RuleIndex", () => {
  const index = new RuleIndex(RULES);

  it.each<[string, Partial<MatchContext>, string[]]>([
    [
      "enter at hk-01/lipsticks",
      {},
      [
        "prio-high",
        "org-enter",
        "org-first",
        "store-hk01",
        "store-ids-or-tag",
        "tag-mall",
        "zone-lipsticks",
        "zone-tag-cosmetics",
      ],
    ],
    [
      "exit anywhere",
      { trigger: "exit", storeId: "xx-99", storeTags: [], zoneId: "z", zoneTags: [] },
      ["org-exit"],
    ],
    ["dwell", { trigger: "dwell" }, ["org-dwell"]],
    ["geofence arrival", { trigger: "geofence-arrival" }, ["org-geo"]],
    [
      "hk-02 shoes, no tags",
      { storeId: "hk-02", storeTags: [], zoneId: "shoes", zoneTags: [] },
      ["org-enter", "org-first", "store-hk02", "store-ids-or-tag", "zone-shoes"],
    ],
    [
      "hk-01 shoes (store and zone both needed)",
      { zoneId: "shoes", zoneTags: [] },
      [
        "prio-high",
        "org-enter",
        "org-first",
        "store-and-zone",
        "store-hk01",
        "store-ids-or-tag",
        "tag-mall",
        "zone-shoes",
      ],
    ],
    [
      "outlet store",
      { storeId: "ol-01", storeTags: ["outlet"], zoneId: "z", zoneTags: [] },
      ["org-enter", "org-first", "tag-outlet"],
    ],
  ])("%s", (_name, o, expected) => {
    expect(index.candidates(ctx(o)).map((r) => r.id)).toEqual(expected);
  });

  it("keeps the highest version of a rule id", () => {
    const idx = new RuleIndex([rule("r", {}, "live", 1), rule("r", {}, "live", 3), rule("r", {}, "live", 2)]);
    expect(idx.size).toBe(1);
    expect(idx.candidates(ctx()).map((r) => r.version)).toEqual([3]);
  });

  it("returns nothing when no rule listens to the trigger", () => {
    expect(new RuleIndex([rule("a")]).candidates(ctx({ trigger: "exit" }))).toEqual([]);
  });

  it("looks only at the rules filed under the event's store and zone, whatever the total", () => {
    // 10 000 rules for other stores; count how often the index reads a rule's spec.
    let reads = 0;
    const counted = (r: Rule): Rule => {
      const spec: RuleSpec = r.spec;
      return {
        id: r.id,
        version: r.version,
        status: r.status,
        get spec() {
          reads++;
          return spec;
        },
      };
    };
    const others = Array.from({ length: 10_000 }, (_, i) =>
      counted(rule(`other-${i}`, { scope: { storeIds: [`s-${i}`] } })),
    );
    const mine = [counted(rule("mine-1", { scope: { storeIds: ["hk-01"] } })), counted(rule("org-1"))];
    const idx = new RuleIndex([...others, ...mine]);
    reads = 0;
    expect(idx.candidates(ctx()).map((r) => r.id)).toEqual(["mine-1", "org-1"]);
    expect(reads).toBeLessThanOrEqual(2 * 4); // scope check and priority sort of two rules
  });
});
