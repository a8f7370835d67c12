import { describe, expect, it } from "vitest";
import {
  EMPTY_PROGRAM,
  isMemberDay,
  type LoyaltyProgram,
  type MemberDayWhen,
  nextTier,
  purchaseEarning,
  qualifyingTier,
} from "../../../../cloud/src/domain/loyalty/index.js";
import { formatMemberCode, memberCodePayload, parseMemberCode } from "../../../../cloud/src/domain/loyalty/memberCode.js";

const HK = "Asia/Hong_Kong";
const NY = "America/New_York";

describe("member days fall on the store's local day", () => {
  const cases: [string, MemberDayWhen, string, string, number | null, boolean][] = [
    // 2026-11-24T17:00Z is Wednesday 01:00 in Hong Kong and Tuesday noon in New York.
    ["weekly Wednesday, HK", { kind: "weekday", weekday: "wed" }, "2026-11-24T17:00:00Z", HK, null, true],
    ["weekly Wednesday, NY", { kind: "weekday", weekday: "wed" }, "2026-11-24T17:00:00Z", NY, null, false],
    ["the 8th, local", { kind: "day-of-month", day: 8 }, "2026-12-07T16:30:00Z", HK, null, true],
    ["the 8th, still the 7th in UTC-5", { kind: "day-of-month", day: 8 }, "2026-12-08T03:00:00Z", NY, null, false],
    ["the 31st in a 30-day month", { kind: "day-of-month", day: 31 }, "2026-11-30T04:00:00Z", HK, null, false],
    ["last Friday of November 2026 (27th)", { kind: "last-weekday-of-month", weekday: "fri" }, "2026-11-27T04:00:00Z", HK, null, true],
    ["a Friday that is not the last (20th)", { kind: "last-weekday-of-month", weekday: "fri" }, "2026-11-20T04:00:00Z", HK, null, false],
    ["last Friday of July 2026 is the 31st", { kind: "last-weekday-of-month", weekday: "fri" }, "2026-07-31T04:00:00Z", HK, null, true],
    ["the 24th of July 2026 is not", { kind: "last-weekday-of-month", weekday: "fri" }, "2026-07-24T04:00:00Z", HK, null, false],
    ["birthday month, local 1 December", { kind: "birthday-month" }, "2026-11-30T16:30:00Z", HK, 12, true],
    ["birthday month, still November in NY", { kind: "birthday-month" }, "2026-12-01T03:00:00Z", NY, 12, false],
    ["birthday month unknown", { kind: "birthday-month" }, "2026-12-10T03:00:00Z", HK, null, false],
  ];
  it.each(cases)("%s", (_name, when, at, tz, birthMonth, expected) => {
    expect(isMemberDay(when, Date.parse(at), tz, birthMonth)).toBe(expected);
  });
});

describe("purchase earnings", () => {
  const program: LoyaltyProgram = {
    ...EMPTY_PROGRAM,
    currency: "HKD",
    earnRules: [
      { id: "base", points: 1, perAmountMinor: 100 },
      { id: "online-double", points: 1, perAmountMinor: 100, channels: ["online"] },
      { id: "s2-beauty", points: 5, perAmountMinor: 1000, storeIds: ["s2"], categories: ["beauty"] },
    ],
    memberDays: [
      { id: "wed", when: { kind: "weekday", weekday: "wed" }, multiplier: 2 },
      { id: "wed-s2", when: { kind: "weekday", weekday: "wed" }, multiplier: 3, storeIds: ["s2"] },
    ],
  };
  const lines = [
    { sku: "a", category: "beauty", quantity: 3, unitPriceMinor: 1_050 },
    { sku: "b", category: null, quantity: 1, unitPriceMinor: 999 },
  ];
  const tuesday = Date.parse("2026-11-24T04:00:00Z");
  const wednesday = Date.parse("2026-11-25T04:00:00Z");
  const ctx = { channel: "till" as const, storeId: "s1", timeZone: HK, at: tuesday, currency: "HKD", birthMonth: null };

  it("adds up the rules that match channel, store and category, rounding each down", () => {
    // 4149 minor → 41 points by the base rule only.
    expect(purchaseEarning(program, lines, ctx)).toMatchObject({ points: 41, ruleIds: ["base"] });
    expect(purchaseEarning(program, lines, { ...ctx, channel: "online" })).toMatchObject({ points: 82, ruleIds: ["base", "online-double"] });
    // s2: beauty lines 3150 → 3 × 5 = 15 more.
    expect(purchaseEarning(program, lines, { ...ctx, storeId: "s2" })).toMatchObject({ points: 56, ruleIds: ["base", "s2-beauty"] });
  });

  it("applies the highest member day, not the product of them", () => {
    expect(purchaseEarning(program, lines, { ...ctx, at: wednesday })).toMatchObject({ points: 82, multiplier: 2, memberDayId: "wed" });
    expect(purchaseEarning(program, lines, { ...ctx, at: wednesday, storeId: "s2" })).toMatchObject({ points: 168, multiplier: 3, memberDayId: "wed-s2" });
  });

  it("earns nothing in another currency", () => {
    expect(purchaseEarning(program, lines, { ...ctx, currency: "USD" }).points).toBe(0);
  });

  it("earns on each line less a coupon's share of it, as the same lines sold at that price", () => {
    // s2: a coupon took 1 000 off the beauty line (3 150 → 2 150): base 31, beauty 2 × 5 = 10.
    const withCoupon = purchaseEarning(program, lines, { ...ctx, storeId: "s2", lineDiscountsMinor: [1_000, 0] });
    const soldAtThat = purchaseEarning(
      program,
      [
        { sku: "a", category: "beauty", quantity: 1, unitPriceMinor: 2_150 },
        { sku: "b", category: null, quantity: 1, unitPriceMinor: 999 },
      ],
      { ...ctx, storeId: "s2" },
    );
    expect(withCoupon).toMatchObject({ points: 41, ruleIds: ["base", "s2-beauty"] });
    expect(withCoupon.points).toBe(soldAtThat.points);
    // The same 1 000 off the uncategorised line leaves the beauty bonus whole.
    expect(purchaseEarning(program, lines, { ...ctx, storeId: "s2", lineDiscountsMinor: [0, 999] })).toMatchObject({ points: 46 });
  });
});

describe("tiers", () => {
  const tiers = [{ name: "member" }, { name: "silver", minPoints: 100 }, { name: "gold", minPoints: 500, minSpendMinor: 100_000 }];

  it("qualifies for the highest tier whose every threshold is met", () => {
    expect(qualifyingTier(tiers, { pointsEarned: 0, spendMinor: 0 })).toBe("member");
    expect(qualifyingTier(tiers, { pointsEarned: 600, spendMinor: 50_000 })).toBe("silver");
    expect(qualifyingTier(tiers, { pointsEarned: 600, spendMinor: 100_000 })).toBe("gold");
    expect(qualifyingTier([], { pointsEarned: 600, spendMinor: 100_000 })).toBeNull();
  });

  it("upgrades at once and downgrades only at period end", () => {
    expect(nextTier(tiers, "silver", "gold", false)).toEqual({ tier: "gold", change: "upgrade" });
    expect(nextTier(tiers, "gold", "silver", false)).toEqual({ tier: "gold", change: null });
    expect(nextTier(tiers, "gold", "silver", true)).toEqual({ tier: "silver", change: "downgrade" });
    expect(nextTier(tiers, "gold", "gold", true)).toEqual({ tier: "gold", change: null });
    // A tier the programme does not define (dropped, or free text from before) is replaced at once.
    expect(nextTier(tiers, "platinum", "silver", false)).toEqual({ tier: "silver", change: "upgrade" });
  });
});

describe("member codes", () => {
  it("parses what it formats, from the code or its QR payload, and nothing else", () => {
    const code = formatMemberCode("u1", 1_800_000_000, "A".repeat(22));
    expect(parseMemberCode(code)).toEqual({ memberId: "u1", expiresAtS: 1_800_000_000, signature: "A".repeat(22), payload: memberCodePayload("u1", 1_800_000_000) });
    expect(parseMemberCode(`arrival:member:v1:${code}`)?.memberId).toBe("u1");
    expect(parseMemberCode(code.slice(0, -1))).toBeNull();
    expect(parseMemberCode("M1.u1..AAAAAAAAAAAAAAAAAAAAAA")).toBeNull();
    expect(parseMemberCode("arrival:redeem:v1:ABCD")).toBeNull();
  });
});
