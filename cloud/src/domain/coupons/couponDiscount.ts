import type { Discount } from "../../../../protocol/index.js";
import type { Basket, CouponBasketLine } from "./basket.js";
import type { CouponDiscount, Eligibility } from "./couponBatch.js";

/** Why a basket earns no discount: the shopper and the cashier are told which condition failed. */
export const UNMET_REASONS = ["min-spend-not-reached", "no-eligible-item", "currency-mismatch"] as const;
export type UnmetReason = (typeof UNMET_REASONS)[number];

/** What the till applies: exactly this, as validated. */
export interface DiscountAnswer {
  /** Minor units off the basket total (for a free item, its unit price). */
  readonly discountMinor: number;
  readonly currency: string;
  /** Sum of the eligible lines, minor units. */
  readonly eligibleMinor: number;
  /** For a free-item coupon: the SKU given free (one unit). */
  readonly freeSku: string | null;
  /** For people: what was applied. */
  readonly text: string;
  /**
   * The discount spread over the basket's lines (same order, summing to `discountMinor`): what each
   * line was really sold for, so earning points on a redeemed basket counts what the member paid.
   * Absent from answers stored before it was kept.
   */
  readonly lineDiscountsMinor?: readonly number[];
}

export type DiscountResult =
  | ({ readonly ok: true } & DiscountAnswer)
  | { readonly ok: false; readonly reason: UnmetReason; readonly text: string };

const eligibleLine = (e: Eligibility | undefined) => (l: CouponBasketLine) =>
  e === undefined ||
  (e.skus?.includes(l.sku) ?? false) ||
  (l.category !== null && (e.categories?.includes(l.category) ?? false));

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;

/**
 * The discount `discount` gives on `basket` (already valid, see `basketProblems`), or the condition
 * it does not meet. Amounts are whole minor units, rounded down, and never exceed the eligible spend
 * (a coupon never pays the shopper). Pure: the same basket always gets the same answer.
 */
export function computeDiscount(discount: CouponDiscount, basket: Basket): DiscountResult {
  const eligible = basket.lines.filter(eligibleLine(discount.eligible));
  const eligibleMinor = eligible.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
  const currency = basket.currency;
  if ((discount.kind === "amount" || discount.kind === "spend-save") && discount.currency !== currency)
    return { ok: false, reason: "currency-mismatch", text: `the coupon is in ${discount.currency}, the basket in ${currency}` };
  if (eligible.length === 0) return { ok: false, reason: "no-eligible-item", text: "no item in the basket is eligible for this coupon" };
  const minSpend = discount.kind === "spend-save" ? undefined : discount.minSpendMinor;
  if (discount.kind !== "free-item" && minSpend !== undefined && eligibleMinor < minSpend)
    return minSpendUnmet(minSpend, eligibleMinor, currency);
  const isEligible = eligibleLine(discount.eligible);
  const answer = (discountMinor: number, text: string, freeSku: string | null = null): DiscountResult => {
    const applied = Math.min(discountMinor, eligibleMinor);
    const lineDiscountsMinor = spreadDiscount(basket.lines.map((l) => (isEligible(l) ? l.quantity * l.unitPriceMinor : 0)), applied);
    return { ok: true, discountMinor: applied, currency, eligibleMinor, freeSku, text, lineDiscountsMinor };
  };
  switch (discount.kind) {
    case "percent": {
      const raw = Math.floor((eligibleMinor * discount.percent) / 100);
      const capped = discount.maxDiscountMinor === undefined ? raw : Math.min(raw, discount.maxDiscountMinor);
      return answer(capped, `${discount.percent} % off ${money(eligibleMinor, currency)}`);
    }
    case "amount":
      return answer(discount.amountMinor, `${money(discount.amountMinor, currency)} off`);
    case "free-item": {
      const line = eligible.find((l) => l.sku === discount.sku) ?? basket.lines.find((l) => l.sku === discount.sku);
      if (!line) return { ok: false, reason: "no-eligible-item", text: `${discount.item} (${discount.sku}) is not in the basket` };
      // The free unit itself does not count towards the spend it unlocks.
      const otherMinor = eligibleMinor - (eligible.includes(line) ? line.unitPriceMinor : 0);
      if (discount.minSpendMinor !== undefined && otherMinor < discount.minSpendMinor)
        return minSpendUnmet(discount.minSpendMinor, otherMinor, currency);
      // The free unit comes off its own line.
      const lineDiscountsMinor = basket.lines.map((l) => (l === line ? line.unitPriceMinor : 0));
      return { ok: true, discountMinor: line.unitPriceMinor, currency, eligibleMinor, freeSku: line.sku, text: `${discount.item} free`, lineDiscountsMinor };
    }
    case "spend-save": {
      const tier = [...discount.tiers].reverse().find((t) => eligibleMinor >= t.spendMinor);
      const lowest = discount.tiers[0];
      if (!tier) return minSpendUnmet(lowest?.spendMinor ?? 0, eligibleMinor, currency);
      return answer(tier.saveMinor, `spend ${money(tier.spendMinor, currency)} save ${money(tier.saveMinor, currency)}`);
    }
  }
}

/**
 * `discountMinor` spread over lines of the given amounts in proportion, in whole minor units that
 * sum to it exactly (largest remainders, ties to the earlier line); a line never gets more than
 * its amount. Lines of amount 0 (not eligible) get nothing.
 */
export function spreadDiscount(amountsMinor: readonly number[], discountMinor: number): number[] {
  const total = amountsMinor.reduce((s, a) => s + a, 0);
  if (discountMinor <= 0 || total <= 0) return amountsMinor.map(() => 0);
  const d = BigInt(Math.min(discountMinor, total));
  const t = BigInt(total);
  const shares = amountsMinor.map((a) => (BigInt(a) * d) / t);
  let left = d - shares.reduce((s, x) => s + x, 0n);
  const order = amountsMinor
    .map((a, i) => ({ i, rem: (BigInt(a) * d) % t }))
    .sort((x, y) => (x.rem === y.rem ? x.i - y.i : x.rem > y.rem ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    if ((shares[i] ?? 0n) < BigInt(amountsMinor[i] ?? 0)) {
      shares[i] = (shares[i] ?? 0n) + 1n;
      left -= 1n;
    }
  }
  return shares.map(Number);
}

function minSpendUnmet(minSpend: number, spent: number, currency: string): DiscountResult {
  return {
    ok: false,
    reason: "min-spend-not-reached",
    text: `eligible spend ${money(spent, currency)} is below the minimum ${money(minSpend, currency)}`,
  };
}

/**
 * The discount as the offer message and older apps know it (protocol `Discount`): spend-X-save-Y
 * shows as its first tier's amount, a free item as its label. What the till applies is always
 * `computeDiscount` over the full terms.
 */
export function displayDiscount(discount: CouponDiscount): Discount {
  switch (discount.kind) {
    case "percent":
      return { kind: "percent", percent: discount.percent };
    case "amount":
      return { kind: "amount", amountMinor: discount.amountMinor, currency: discount.currency };
    case "free-item":
      return { kind: "free-item", item: discount.item };
    case "spend-save": {
      const first = discount.tiers[0];
      return { kind: "amount", amountMinor: first?.saveMinor ?? 1, currency: discount.currency };
    }
  }
}

/**
 * The terms of a coupon issued with only a protocol discount (a proximity rule's offer): the whole
 * basket is eligible; a free item names no SKU, so the till hands it over and nothing is taken off.
 */
export function termsOfDisplayDiscount(discount: Discount): CouponDiscount | null {
  switch (discount.kind) {
    case "percent":
      return { kind: "percent", percent: discount.percent };
    case "amount":
      return { kind: "amount", amountMinor: discount.amountMinor, currency: discount.currency };
    case "free-item":
      return null;
  }
}
