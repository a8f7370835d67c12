import { describe, expect, it } from "vitest";
import {
  arrivesFor,
  type Basket,
  basketProblems,
  type BatchSpec,
  checkBatchSpec,
  checkCollect,
  checkGiftable,
  checkVoid,
  claimWindow,
  computeDiscount,
  type Coupon,
  type CouponDiscount,
  type CouponGift,
  couponOfOffer,
  displayDiscount,
  giftAt,
  giftSeenByStaff,
  type Pickup,
  redeemCoupon,
  reopenedStatus,
  spreadDiscount,
} from "../../../../cloud/src/domain/coupons/index.js";
import { isValidTimeZone } from "../../../../cloud/src/domain/rules/localTime.js";
import { issuedOffer } from "../offers/fixtures.js";

const line = (sku: string, category: string | null, quantity: number, unitPriceMinor: number) => ({ sku, category, quantity, unitPriceMinor });
const basket = (lines: Basket["lines"], currency = "HKD"): Basket => ({
  orderId: "order-1",
  currency,
  lines,
  totalMinor: lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0),
});

const SPEC: BatchSpec = {
  title: "10% off lipsticks",
  text: "This week",
  discount: { kind: "percent", percent: 10, eligible: { categories: ["lipstick"] } },
  validity: { kind: "from-claim", hours: 48 },
  timezone: "Asia/Hong_Kong",
  totalStock: 100,
  dailyStock: 20,
  storeIds: ["s1", "s2"],
  channels: ["online"],
};

describe("checkBatchSpec", () => {
  it("accepts a complete batch", () => {
    expect(checkBatchSpec(SPEC, isValidTimeZone).ok).toBe(true);
  });

  it.each([
    [{ ...SPEC, timezone: "Mars/Olympus" }, "/timezone"],
    [{ ...SPEC, dailyStock: 500 }, "/dailyStock"],
    [{ ...SPEC, validity: { kind: "window", from: "2026-12-08T00:00:00Z", until: "2026-12-07T00:00:00Z" } }, "/validity/until"],
    [{ ...SPEC, discount: { kind: "spend-save", currency: "HKD", tiers: [{ spendMinor: 10000, saveMinor: 2000 }, { spendMinor: 5000, saveMinor: 1000 }] } }, "/discount/tiers/1/spendMinor"],
    [{ ...SPEC, discount: { kind: "spend-save", currency: "HKD", tiers: [{ spendMinor: 1000, saveMinor: 1000 }] } }, "/discount/tiers/0/saveMinor"],
    [{ ...SPEC, maxGiftPasses: 2 }, "/maxGiftPasses"],
    [{ ...SPEC, totalStock: -1 }, "/totalStock"],
    [{ ...SPEC, channels: ["rule"] }, "/channels/0"],
    [{ ...SPEC, extra: 1 }, ""],
  ])("names the field at fault (%#)", (spec, path) => {
    const checked = checkBatchSpec(spec, isValidTimeZone);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems.map((p) => p.path)).toContain(path);
  });
});

describe("claimWindow", () => {
  const NOW = Date.parse("2026-12-07T10:00:00Z");
  it("runs N hours from the claim", () => {
    expect(claimWindow(SPEC, NOW)).toEqual({ ok: true, validFrom: NOW, expiresAt: NOW + 48 * 3_600_000 });
  });
  it("uses the fixed window, and refuses claims once it ended", () => {
    const spec: BatchSpec = { ...SPEC, validity: { kind: "window", from: "2026-12-08T00:00:00Z", until: "2026-12-09T00:00:00Z" } };
    expect(claimWindow(spec, NOW)).toEqual({ ok: true, validFrom: Date.parse("2026-12-08T00:00:00Z"), expiresAt: Date.parse("2026-12-09T00:00:00Z") });
    expect(claimWindow(spec, Date.parse("2026-12-09T00:00:00Z"))).toMatchObject({ ok: false, reason: "ended" });
  });
  it("stops claims at claimUntil", () => {
    const spec: BatchSpec = { ...SPEC, validity: { kind: "from-claim", hours: 1, claimUntil: "2026-12-07T09:00:00Z" } };
    expect(claimWindow(spec, NOW)).toMatchObject({ ok: false, reason: "ended" });
  });
});

describe("basketProblems", () => {
  it("accepts a basket that adds up", () => {
    expect(basketProblems(basket([line("a", null, 2, 500), line("b", "x", 1, 100)]))).toEqual([]);
  });
  it.each([
    [{ ...basket([line("a", null, 2, 500)]), totalMinor: 999 }, "/basket/totalMinor"],
    [basket([line("a", null, 1, -5)]), "/basket/lines/0/unitPriceMinor"],
    [basket([line("a", null, 1_000_000, 5)]), "/basket/lines/0/quantity"],
    [basket([line("a", null, 1.5, 5)]), "/basket/lines/0/quantity"],
    [basket([]), "/basket/lines"],
    [{ ...basket([line("a", null, 1, 5)]), currency: "hkd" }, "/basket/currency"],
    [{ ...basket([line("a", null, 1, 5)]), orderId: "" }, "/basket/orderId"],
    [{ ...basket([line("a", null, 1, 5)]), totalMinor: -5 }, "/basket/totalMinor"],
  ])("refuses bad input with the field named (%#)", (b, path) => {
    expect(basketProblems(b, "/basket").map((p) => p.path)).toContain(path);
  });
});

describe("computeDiscount", () => {
  const b = basket([line("lip-1", "lipstick", 2, 15000), line("mask", "skincare", 1, 8000)]);

  it("takes a percentage of the eligible lines only, rounded down", () => {
    expect(computeDiscount({ kind: "percent", percent: 15, eligible: { categories: ["lipstick"] } }, b)).toMatchObject({
      ok: true,
      discountMinor: 4500,
      eligibleMinor: 30000,
      currency: "HKD",
    });
    expect(computeDiscount({ kind: "percent", percent: 33 }, basket([line("a", null, 1, 101)]))).toMatchObject({ discountMinor: 33 });
  });

  it("caps a percentage", () => {
    expect(computeDiscount({ kind: "percent", percent: 50, maxDiscountMinor: 2000 }, b)).toMatchObject({ discountMinor: 2000 });
  });

  it("never gives more than the eligible spend", () => {
    expect(computeDiscount({ kind: "amount", amountMinor: 50000, currency: "HKD", eligible: { skus: ["mask"] } }, b)).toMatchObject({
      ok: true,
      discountMinor: 8000,
    });
  });

  it("gives one unit of the free item", () => {
    expect(computeDiscount({ kind: "free-item", item: "Mask", sku: "mask" }, b)).toMatchObject({ ok: true, discountMinor: 8000, freeSku: "mask" });
  });

  it("applies the highest spend-save tier reached", () => {
    const d: CouponDiscount = { kind: "spend-save", currency: "HKD", tiers: [{ spendMinor: 20000, saveMinor: 3000 }, { spendMinor: 35000, saveMinor: 7000 }] };
    expect(computeDiscount(d, b)).toMatchObject({ ok: true, discountMinor: 7000 });
    expect(computeDiscount({ ...d, eligible: { categories: ["lipstick"] } }, b)).toMatchObject({ ok: true, discountMinor: 3000 });
  });

  it.each([
    [{ kind: "spend-save", currency: "HKD", tiers: [{ spendMinor: 100000, saveMinor: 1000 }] }, "min-spend-not-reached"],
    [{ kind: "percent", percent: 10, minSpendMinor: 40000 }, "min-spend-not-reached"],
    [{ kind: "percent", percent: 10, eligible: { skus: ["perfume"] } }, "no-eligible-item"],
    [{ kind: "free-item", item: "Perfume", sku: "perfume" }, "no-eligible-item"],
    [{ kind: "free-item", item: "Mask", sku: "mask", minSpendMinor: 40000 }, "min-spend-not-reached"],
    [{ kind: "amount", amountMinor: 100, currency: "TWD" }, "currency-mismatch"],
  ] as [CouponDiscount, string][])("gives a reason, not a discount, when unmet (%#)", (discount, reason) => {
    const result = computeDiscount(discount, b);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.text.length).toBeGreaterThan(0);
  });

  it("spreads the discount over the eligible lines it came off, summing to it exactly", () => {
    const three = basket([line("lip-1", "lipstick", 1, 10000), line("mask", "skincare", 1, 8000), line("lip-2", "lipstick", 1, 5000)]);
    expect(computeDiscount({ kind: "amount", amountMinor: 1000, currency: "HKD", eligible: { categories: ["lipstick"] } }, three)).toMatchObject({
      discountMinor: 1000,
      lineDiscountsMinor: [667, 0, 333],
    });
    expect(computeDiscount({ kind: "free-item", item: "Mask", sku: "mask" }, three)).toMatchObject({ lineDiscountsMinor: [0, 8000, 0] });
    expect(computeDiscount({ kind: "percent", percent: 10 }, b)).toMatchObject({ discountMinor: 3800, lineDiscountsMinor: [3000, 800] });
  });

  it.each([
    [[100, 100, 100], 100, [34, 33, 33]],
    [[1, 0, 2], 3, [1, 0, 2]],
    [[5, 5], 20, [5, 5]],
    [[7, 0], 0, [0, 0]],
  ])("spreads %j by %i as %j", (amounts, discount, expected) => {
    expect(spreadDiscount(amounts, discount)).toEqual(expected);
  });

  it("shows spend-save as its first tier to older apps", () => {
    expect(displayDiscount({ kind: "spend-save", currency: "HKD", tiers: [{ spendMinor: 20000, saveMinor: 3000 }] })).toEqual({
      kind: "amount",
      amountMinor: 3000,
      currency: "HKD",
    });
  });
});

describe("redeemCoupon", () => {
  const offer = issuedOffer();
  const rc = couponOfOffer(offer);
  const coupon: Coupon = { ...rc, storeIds: ["hk-01", "hk-02"], terms: { kind: "amount", amountMinor: 2000, currency: "HKD", minSpendMinor: 10000 } };
  const at = offer.issuedAt + 1000;

  it("makes a rule's offer a coupon of the rule's batch", () => {
    expect(rc).toMatchObject({ batchId: `rule:${offer.ruleId}`, channel: "rule", storeIds: [offer.storeId] });
  });

  it("answers the discount for a basket that meets the terms", () => {
    const r = redeemCoupon(coupon, { storeId: "hk-02", basket: basket([line("a", null, 1, 12000)]), now: at });
    expect(r).toMatchObject({ ok: true, coupon: { status: "redeemed", statusAt: at }, discount: { discountMinor: 2000 } });
  });

  it("gives the unmet condition", () => {
    expect(redeemCoupon(coupon, { storeId: "hk-01", basket: basket([line("a", null, 1, 5000)]), now: at })).toMatchObject({
      ok: false,
      reason: "unmet",
      unmet: "min-spend-not-reached",
    });
  });

  it.each([
    [{ ...coupon, status: "redeemed" as const }, "hk-01", at, "already-redeemed"],
    [{ ...coupon, status: "voided" as const }, "hk-01", at, "voided"],
    [coupon, "hk-01", coupon.expiresAt, "expired"],
    [{ ...coupon, validFrom: at + 1 }, "hk-01", at, "not-yet-valid"],
    [coupon, "tw-01", at, "wrong-store"],
  ])("refuses (%#)", (c, storeId, now, reason) => {
    expect(redeemCoupon(c, { storeId, basket: null, now })).toMatchObject({ ok: false, reason });
  });
});

describe("voids and gifts", () => {
  const base = { redeemedStoreId: "s1", redeemedAt: 1_000, windowMs: 600_000 };
  it("lets the redeeming store void within the window only", () => {
    expect(checkVoid({ ...base, storeId: "s1", now: 601_000 })).toEqual({ ok: true });
    expect(checkVoid({ ...base, storeId: "s2", now: 2_000 })).toMatchObject({ ok: false, reason: "wrong-store" });
    expect(checkVoid({ ...base, storeId: "s1", now: 601_001 })).toMatchObject({ ok: false, reason: "window-passed" });
  });
  it("reopens a voided coupon unless its time has passed", () => {
    expect(reopenedStatus({ expiresAt: 10 }, "viewed", 5)).toBe("viewed");
    expect(reopenedStatus({ expiresAt: 10 }, "redeemed", 5)).toBe("viewed");
    expect(reopenedStatus({ expiresAt: 10 }, "issued", 10)).toBe("expired");
  });
  it("limits gifting to open coupons with passes left", () => {
    const c = couponOfOffer(issuedOffer());
    expect(checkGiftable(c, 1, c.issuedAt)).toEqual({ ok: true });
    expect(checkGiftable(c, 0, c.issuedAt)).toMatchObject({ reason: "not-giftable" });
    expect(checkGiftable({ ...c, giftPasses: 1 }, 1, c.issuedAt)).toMatchObject({ reason: "pass-limit" });
    expect(checkGiftable({ ...c, status: "redeemed" }, 1, c.issuedAt)).toMatchObject({ reason: "not-open" });
    expect(checkGiftable(c, 1, c.expiresAt)).toMatchObject({ reason: "not-open" });
  });
});

describe("gifts as staff read them", () => {
  const gift: CouponGift = { giftId: "g1", couponId: "c1", fromUserId: "u1", toUserId: null, state: "pending", createdAt: 1_000, expiresAt: 5_000, resolvedAt: null };

  it("reads a pending gift past its time as timed out at that time, and leaves answered gifts as they are", () => {
    expect(giftAt(gift, 4_999)).toEqual(gift);
    expect(giftAt(gift, 5_000)).toEqual({ ...gift, state: "timed-out", resolvedAt: 5_000 });
    const accepted: CouponGift = { ...gift, state: "accepted", toUserId: "u2", resolvedAt: 2_000 };
    expect(giftAt(accepted, 9_000)).toEqual(accepted);
  });

  it("names the giver and the friend only where they consent to analytics", () => {
    const accepted: CouponGift = { ...gift, state: "accepted", toUserId: "u2", resolvedAt: 2_000 };
    expect(giftSeenByStaff(accepted, 3_000, () => true)).toEqual(accepted);
    expect(giftSeenByStaff(accepted, 3_000, (id) => id === "u1")).toEqual({ ...accepted, toUserId: null });
    expect(giftSeenByStaff(accepted, 3_000, (id) => id === "u2")).toEqual({ ...accepted, fromUserId: null });
    expect(giftSeenByStaff(gift, 6_000, () => false)).toEqual({ ...gift, fromUserId: null, state: "timed-out", resolvedAt: 5_000 });
  });
});

describe("pick-up", () => {
  const p: Pickup = {
    pickupId: "pickup-1",
    orgId: "o1",
    storeId: "s1",
    userId: "u1",
    orderId: "web-1",
    code: "CODE",
    state: "awaiting",
    createdAt: 0,
    expiresAt: 1000,
    arrivedAt: null,
    collectedAt: null,
  };
  it("hands over once, at its store, before it expires", () => {
    expect(checkCollect(p, "s1", 999)).toEqual({ ok: true });
    expect(checkCollect({ ...p, state: "arrived" }, "s1", 10)).toEqual({ ok: true });
    expect(checkCollect(p, "s2", 10)).toMatchObject({ ok: false, reason: "wrong-store" });
    expect(checkCollect(p, "s1", 1000)).toMatchObject({ ok: false, reason: "expired" });
    expect(checkCollect({ ...p, state: "collected", collectedAt: 5 }, "s1", 10)).toMatchObject({ ok: false, reason: "already-collected" });
  });
  it("counts an arrival only for an awaiting order at its store", () => {
    expect(arrivesFor(p, "s1", 10)).toBe(true);
    expect(arrivesFor(p, "s2", 10)).toBe(false);
    expect(arrivesFor(p, "s1", 1000)).toBe(false);
    expect(arrivesFor({ ...p, state: "arrived" }, "s1", 10)).toBe(false);
  });
});
