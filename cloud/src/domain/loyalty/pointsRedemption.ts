import Type, { type Static } from "typebox";

/**
 * Points as a discount at the till, as the retailer allows it: a rate (how many points one
 * currency unit costs), the largest share of a basket points may pay, and the fewest points spent
 * at once. Pure: the member's balance and the basket are inputs, the answer is a value.
 */
export const PointsRedemptionSchema = Type.Object(
  {
    enabled: Type.Boolean({ description: "Members may pay part of a purchase with points." }),
    pointsPerCurrencyUnit: Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      description: "Points that pay one currency unit (`currencyUnitMinor` minor units); e.g. 100: 100 points = HKD 1.",
    }),
    currencyUnitMinor: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, description: "Minor units in one currency unit. Default 100 (HKD, USD); 1 for JPY." }),
    ),
    maxShareOfBasket: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      description: "Largest share of the basket total points may pay, e.g. 0.5 (half); a larger spend is reduced to it.",
    }),
    minPoints: Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: "Fewest points spent at once (0: any)." }),
  },
  { additionalProperties: false },
);
export type PointsRedemption = Static<typeof PointsRedemptionSchema>;

/** What the till may apply: the points taken and the discount they pay, minor units. */
export type PointsRedemptionQuote =
  | {
      readonly ok: true;
      /** Points to spend: never more than asked, nor than the discount needs (no fraction of a minor unit is charged). */
      readonly points: number;
      readonly discountMinor: number;
      /** The largest discount points may pay on this basket, minor units. */
      readonly maxDiscountMinor: number;
      /** The points that pay `maxDiscountMinor`. */
      readonly maxPoints: number;
    }
  | { readonly ok: false; readonly reason: "not-allowed" | "currency" | "below-minimum"; readonly text: string };

/** Basis points of the share (0.5 → 5000), so the cap is taken in whole numbers. */
const shareBp = (share: number): bigint => BigInt(Math.round(share * 10_000));

/**
 * The discount `pointsToSpend` buys on a basket of `totalMinor` in `currency`, by the programme's
 * redemption settings (null or disabled: not allowed). The discount is rounded down to a minor
 * unit and capped at the basket share; the points charged are those the discount needs (rounded
 * up), so a member never pays for a fraction they do not get. Whether the member holds the points
 * is the ledger's to say.
 */
export function quotePointsRedemption(
  settings: PointsRedemption | null | undefined,
  programCurrency: string,
  basket: { readonly pointsToSpend: number; readonly totalMinor: number; readonly currency: string },
): PointsRedemptionQuote {
  if (!settings?.enabled) return { ok: false, reason: "not-allowed", text: "this retailer's programme does not take points at the till" };
  if (basket.currency !== programCurrency)
    return { ok: false, reason: "currency", text: `points pay for purchases in ${programCurrency} only` };
  const unit = BigInt(settings.currencyUnitMinor ?? 100);
  const rate = BigInt(settings.pointsPerCurrencyUnit);
  const maxDiscount = (BigInt(basket.totalMinor) * shareBp(settings.maxShareOfBasket)) / 10_000n;
  const pointsFor = (discount: bigint): bigint => (discount * rate + unit - 1n) / unit;
  const worth = (BigInt(basket.pointsToSpend) * unit) / rate;
  const discount = worth < maxDiscount ? worth : maxDiscount;
  const points = pointsFor(discount);
  if (points < BigInt(settings.minPoints))
    return { ok: false, reason: "below-minimum", text: `at least ${settings.minPoints} points are spent at once (this basket takes ${points})` };
  return { ok: true, points: Number(points), discountMinor: Number(discount), maxDiscountMinor: Number(maxDiscount), maxPoints: Number(pointsFor(maxDiscount)) };
}
