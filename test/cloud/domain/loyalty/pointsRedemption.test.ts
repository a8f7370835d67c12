import { describe, expect, it } from "vitest";
import { applyLedgerCommand, purchaseEarning, quotePointsRedemption, type LoyaltyProgram, EMPTY_PROGRAM } from "../../../../cloud/src/domain/loyalty/index.js";

const SETTINGS = { enabled: true, pointsPerCurrencyUnit: 10, maxShareOfBasket: 0.5, minPoints: 50 };

describe("points as a discount at the till", () => {
  it.each([
    // [pointsToSpend, totalMinor, points charged, discountMinor]
    [300, 20_000, 300, 3_000],
    // 305 points are worth 30.50: whole minor units, nothing rounded away from the member.
    [305, 20_000, 305, 3_050],
    // Half of 20 000 is the cap: 1 000 points, however many are offered.
    [5_000, 20_000, 1_000, 10_000],
    // Half of 999 is 499 (rounded down); 499 minor units need 49.9 points, charged 50.
    [5_000, 999, 50, 499],
  ])("spends %i points on a basket of %i as %i points for %i off", (pointsToSpend, totalMinor, points, discountMinor) => {
    expect(quotePointsRedemption(SETTINGS, "HKD", { pointsToSpend, totalMinor, currency: "HKD" })).toMatchObject({ ok: true, points, discountMinor });
  });

  it("keeps to the currency unit of the programme (1 minor unit for yen)", () => {
    const yen = { ...SETTINGS, currencyUnitMinor: 1, pointsPerCurrencyUnit: 1, minPoints: 0 };
    expect(quotePointsRedemption(yen, "JPY", { pointsToSpend: 300, totalMinor: 1_000, currency: "JPY" })).toMatchObject({ points: 300, discountMinor: 300, maxPoints: 500 });
  });

  it.each([
    ["no settings", null, "HKD", 100, "not-allowed"],
    ["disabled", { ...SETTINGS, enabled: false }, "HKD", 100, "not-allowed"],
    ["another currency", SETTINGS, "USD", 100, "currency"],
    ["fewer than the minimum", SETTINGS, "HKD", 49, "below-minimum"],
  ] as const)("refuses: %s", (_name, settings, currency, pointsToSpend, reason) => {
    expect(quotePointsRedemption(settings, "HKD", { pointsToSpend, totalMinor: 20_000, currency })).toMatchObject({ ok: false, reason });
  });

  it("earns on what the member paid: each rule's lines lose their share of the discount", () => {
    const program: LoyaltyProgram = { ...EMPTY_PROGRAM, earnRules: [{ id: "base", points: 1, perAmountMinor: 100 }] };
    const lines = [{ sku: "a", category: null, quantity: 1, unitPriceMinor: 20_000 }];
    const context = { channel: "till" as const, storeId: "s1", timeZone: "UTC", at: 0, currency: "HKD", birthMonth: null };
    expect(purchaseEarning(program, lines, context).points).toBe(200);
    expect(purchaseEarning(program, lines, { ...context, pointsDiscountMinor: 3_000 }).points).toBe(170);
    // The whole basket paid by points earns nothing.
    expect(purchaseEarning(program, lines, { ...context, pointsDiscountMinor: 20_000 }).points).toBe(0);
  });

  it("gives a refunded spend back as a lot of its own, at most what was spent", () => {
    const state = { lots: [{ id: "lot-1", earnedAt: 0, expiresAt: null, points: 100, remaining: 40 }], owed: 10 };
    const spend = { entryId: "spend-1", points: 60, lotId: null, reversed: false, reversedPoints: 0, spend: true };
    const command = { kind: "reverse", reversesKey: "purchase-spend:s1:o", source: "till-purchase", reference: null, reason: null, expiresAt: 5_000 } as const;
    const back = applyLedgerCommand(state, { ...command, points: 25 }, { now: 10, entryId: "e-1", idempotencyKey: "k1", reversed: spend });
    // 25 come back; the 10 owed are settled first.
    expect(back).toMatchObject({ ok: true, owed: 0, balance: 55, entries: [{ kind: "reverse", points: 25, reverses: "spend-1", expiresAt: 5_000 }] });
    const tooMany = applyLedgerCommand(state, { ...command, points: 36 }, { now: 10, entryId: "e-2", idempotencyKey: "k2", reversed: { ...spend, reversedPoints: 25 } });
    expect(tooMany).toMatchObject({ ok: false, reason: "invalid-points" });
    expect(applyLedgerCommand(state, command, { now: 10, entryId: "e-3", idempotencyKey: "k3", reversed: { ...spend, reversedPoints: 60, reversed: true } })).toMatchObject({
      ok: false,
      reason: "already-reversed",
    });
  });
});
