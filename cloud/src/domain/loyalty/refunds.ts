/**
 * How many of a purchase's points a refund reverses, when part of the order may have been refunded
 * before.
 *
 * Rounding: after every refund the points reversed in all are `floor(points × refunded ÷ total)`,
 * where `refunded` is what has been refunded of the order so far (minor units); a refund reverses
 * the difference that makes it so. Each partial refund therefore rounds down (the member keeps a
 * fraction of a point until the order is refunded further), the partial reversals never add up to
 * more than the purchase earned, and once the whole order is refunded they add up to exactly what
 * it earned, whatever the split. Products are taken in BigInt, so the result is exact for any
 * amounts the API accepts.
 *
 * @param points what the purchase earned (≥ 0)
 * @param totalMinor the order's total, minor units (≥ 0; an order of 0 earned no points, as every earn
 *   rule earns per amount spent, so it reverses none)
 * @param refundedMinor refunded before this refund, minor units (0 ≤ refundedMinor ≤ totalMinor)
 * @param amountMinor this refund, minor units (0 ≤ amountMinor ≤ totalMinor − refundedMinor)
 */
export function refundReversalPoints(points: number, totalMinor: number, refundedMinor: number, amountMinor: number): number {
  for (const [name, value] of [["points", points], ["totalMinor", totalMinor], ["refundedMinor", refundedMinor], ["amountMinor", amountMinor]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number >= 0, got ${value}`);
  }
  if (refundedMinor + amountMinor > totalMinor)
    throw new RangeError(`refunds of ${refundedMinor + amountMinor} exceed the order's total ${totalMinor}`);
  if (totalMinor === 0) return 0;
  const reversedAfter = (refunded: number): bigint => (BigInt(points) * BigInt(refunded)) / BigInt(totalMinor);
  return Number(reversedAfter(refundedMinor + amountMinor) - reversedAfter(refundedMinor));
}
