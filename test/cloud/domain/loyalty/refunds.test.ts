import { describe, expect, it } from "vitest";
import { refundReversalPoints } from "../../../../cloud/src/domain/loyalty/index.js";

describe("refundReversalPoints", () => {
  it.each([
    // points, total, refunded before, this refund, reversed
    [100, 10_000, 0, 10_000, 100],
    [100, 10_000, 0, 2_500, 25],
    [100, 10_000, 2_500, 7_500, 75],
    // 1/3 of 100 points is 33.3…: rounded down, the member keeps the fraction for now.
    [100, 3_000, 0, 1_000, 33],
    [100, 3_000, 1_000, 1_000, 33],
    // The last third takes what the rounding left: 33 + 33 + 34 = 100.
    [100, 3_000, 2_000, 1_000, 34],
    [7, 999, 0, 1, 0],
    [0, 5_000, 0, 5_000, 0],
    [50, 0, 0, 0, 0],
    [5, 1_000, 400, 0, 0],
  ])("%i points of %i, %i refunded before, refunding %i: reverses %i", (points, total, before, amount, expected) => {
    expect(refundReversalPoints(points, total, before, amount)).toBe(expected);
  });

  it("adds up to exactly the points earned once the whole order is refunded, however it is split", () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let trial = 0; trial < 500; trial++) {
      const total = 1 + Math.floor(random() * 1_000_000);
      const points = Math.floor(random() * 10_000);
      let refunded = 0;
      let reversed = 0;
      while (refunded < total) {
        const amount = Math.min(total - refunded, 1 + Math.floor(random() * total * 0.4));
        const step = refundReversalPoints(points, total, refunded, amount);
        refunded += amount;
        reversed += step;
        // Never ahead of the share refunded so far.
        expect(reversed * total).toBeLessThanOrEqual(points * refunded);
      }
      expect(reversed).toBe(points);
    }
  });

  it("is exact where floating point is not", () => {
    // 999 999 999 × 9 007 199 254 740 990 overflows a double's 53 bits by far.
    const total = 9_007_199_254_740_991;
    expect(refundReversalPoints(999_999_999, total, 0, total - 1)).toBe(999_999_998);
    expect(refundReversalPoints(999_999_999, total, total - 1, 1)).toBe(1);
  });

  it("refuses amounts beyond the order and values that are not whole numbers", () => {
    expect(() => refundReversalPoints(10, 1_000, 600, 401)).toThrow(/exceed the order's total 1000/);
    expect(() => refundReversalPoints(10, 1_000, 0, 1.5)).toThrow(/amountMinor must be a whole number/);
    expect(() => refundReversalPoints(-1, 1_000, 0, 1)).toThrow(/points must be a whole number/);
  });
});
