import type { Problem } from "../../../../protocol/index.js";

/** Largest quantity on one basket line: more is a typing error at the till, not a purchase. */
export const MAX_BASKET_LINE_QUANTITY = 10_000;
/** Largest unit price, minor units (10 million in the major unit). */
export const MAX_BASKET_UNIT_PRICE_MINOR = 1_000_000_000;
/** Most lines one basket may carry. */
export const MAX_BASKET_LINES = 500;

/** A basket line as the till or the e-commerce backend reports it. */
export interface CouponBasketLine {
  readonly sku: string;
  /** What category eligibility matches on; null when the till does not send one. */
  readonly category: string | null;
  readonly quantity: number;
  /** Minor units (cents). */
  readonly unitPriceMinor: number;
}

/** The order a coupon is redeemed against. */
export interface Basket {
  /** The till's or shop's order id, unique per store. */
  readonly orderId: string;
  /** Sum of quantity × unitPriceMinor over the lines, minor units. */
  readonly totalMinor: number;
  /** ISO 4217. */
  readonly currency: string;
  readonly lines: readonly CouponBasketLine[];
}

const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/**
 * Every problem of a basket, by JSON pointer under `at` (e.g. `/basket`): an order id, a currency,
 * at least one line, whole quantities and prices within bounds, and a total equal to the sum of
 * the lines. A basket that does not add up is refused, never corrected: the till must apply what
 * was validated.
 */
export function basketProblems(basket: Basket, at = ""): Problem[] {
  const problems: Problem[] = [];
  if (!ORDER_ID.test(basket.orderId)) problems.push({ path: `${at}/orderId`, message: "must be 1-64 letters, digits, _ . : -" });
  if (!/^[A-Z]{3}$/.test(basket.currency)) problems.push({ path: `${at}/currency`, message: "must be an ISO 4217 code such as HKD" });
  if (basket.lines.length === 0) problems.push({ path: `${at}/lines`, message: "must hold at least one line" });
  if (basket.lines.length > MAX_BASKET_LINES) problems.push({ path: `${at}/lines`, message: `must hold at most ${MAX_BASKET_LINES} lines` });
  let sum = 0;
  basket.lines.forEach((line, i) => {
    if (line.sku.length === 0 || line.sku.length > 64) problems.push({ path: `${at}/lines/${i}/sku`, message: "must be 1-64 characters" });
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_BASKET_LINE_QUANTITY)
      problems.push({ path: `${at}/lines/${i}/quantity`, message: `must be a whole number from 1 to ${MAX_BASKET_LINE_QUANTITY}` });
    if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0 || line.unitPriceMinor > MAX_BASKET_UNIT_PRICE_MINOR)
      problems.push({
        path: `${at}/lines/${i}/unitPriceMinor`,
        message: `must be a whole number of minor units from 0 to ${MAX_BASKET_UNIT_PRICE_MINOR}`,
      });
    sum += line.quantity * line.unitPriceMinor;
  });
  if (!Number.isSafeInteger(basket.totalMinor) || basket.totalMinor < 0)
    problems.push({ path: `${at}/totalMinor`, message: "must be a whole, non-negative number of minor units" });
  else if (problems.length === 0 && sum !== basket.totalMinor)
    problems.push({ path: `${at}/totalMinor`, message: `must equal the sum of the lines (${sum})` });
  return problems;
}
