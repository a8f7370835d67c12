import { client, ok } from "../api.js";
import { count } from "../dom.js";
import { fmtMoney } from "../money.js";
import { fmtZoned } from "../storeTime.js";

/**
 * Coupon batches as the API answers them (the model of cloud/src/domain/coupons/couponBatch.ts),
 * and their terms in words for the Coupons page.
 */

export interface Eligibility {
  readonly skus?: readonly string[];
  readonly categories?: readonly string[];
}

export type BatchDiscount =
  | { kind: "percent"; percent: number; maxDiscountMinor?: number; minSpendMinor?: number; eligible?: Eligibility }
  | { kind: "amount"; amountMinor: number; currency: string; minSpendMinor?: number; eligible?: Eligibility }
  | { kind: "free-item"; item: string; sku: string; minSpendMinor?: number; eligible?: Eligibility }
  | { kind: "spend-save"; currency: string; tiers: { spendMinor: number; saveMinor: number }[]; eligible?: Eligibility };

export type Validity = { kind: "window"; from: string; until: string } | { kind: "from-claim"; hours: number; claimUntil?: string };

export const CHANNELS = ["online", "segment", "till", "points"] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_NAMES: Record<string, string> = {
  online: "online claim (link, QR)",
  segment: "segment send",
  till: "at the till",
  points: "points exchange",
  rule: "proximity rule",
};

export interface BatchSpec {
  title: string;
  text: string;
  imageUrl?: string;
  discount: BatchDiscount;
  validity: Validity;
  timezone: string;
  totalStock?: number;
  dailyStock?: number;
  perMemberLimit?: number;
  storeIds: string[];
  channels: Channel[];
  giftable?: boolean;
  maxGiftPasses?: number;
  giftTimeoutHours?: number;
  presenceWithinMin?: number;
  reminderLeadMin?: number;
  pointsPrice?: number;
}

export interface BatchView {
  readonly batchId: string;
  readonly spec: BatchSpec;
  readonly createdAt: string;
}

export interface BatchDetail {
  readonly batch: BatchView;
  readonly claimed: number;
  readonly claimedToday: number;
}

export interface StoreInfo {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
}

/** What the page needs besides the batches: the stores to pick, the programme's currency and tiers. */
export interface CouponContext {
  readonly stores: readonly StoreInfo[];
  /** The loyalty programme's currency: the unit of amounts in batches that name none (percent, free item). */
  readonly currency: string;
  readonly tiers: readonly string[];
}

/** The stores and the programme, read once per visit of the page; the parts it cannot read are left empty. */
export async function couponContext(): Promise<CouponContext> {
  const [stores, program] = await Promise.all([
    ok(client.GET("/v1/stores"))
      .then((r) => r.stores)
      .catch(() => [] as StoreInfo[]),
    ok(client.GET("/v1/loyalty/program"))
      .then((r) => r.program)
      .catch(() => null),
  ]);
  return { stores, currency: program?.currency ?? "HKD", tiers: program?.tiers.map((t) => t.name) ?? [] };
}

/** The currency of a batch's amounts: its discount's own, else the programme's. */
export function currencyOf(spec: BatchSpec, fallback: string): string {
  return spec.discount.kind === "amount" || spec.discount.kind === "spend-save" ? spec.discount.currency : fallback;
}

function eligibleWords(e: Eligibility | undefined): string {
  if (!e) return "";
  const parts = [
    e.categories?.length ? `${e.categories.length === 1 ? "category" : "categories"} ${e.categories.join(", ")}` : "",
    e.skus?.length ? `${e.skus.length === 1 ? "SKU" : "SKUs"} ${e.skus.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? ` on ${parts.join(" or ")}` : "";
}

/** `20.00 HKD off on category lipstick, from 100.00 HKD spent`; `Spend 100.00 HKD save 20.00 HKD; …`. */
export function discountWords(d: BatchDiscount, fallbackCurrency: string): string {
  const money = (minor: number) => fmtMoney(minor, d.kind === "amount" || d.kind === "spend-save" ? d.currency : fallbackCurrency);
  const minSpend = d.kind !== "spend-save" && d.minSpendMinor !== undefined ? `, from ${money(d.minSpendMinor)} spent` : "";
  switch (d.kind) {
    case "percent":
      return `${d.percent} % off${eligibleWords(d.eligible)}${d.maxDiscountMinor === undefined ? "" : `, at most ${money(d.maxDiscountMinor)}`}${minSpend}`;
    case "amount":
      return `${money(d.amountMinor)} off${eligibleWords(d.eligible)}${minSpend}`;
    case "free-item":
      return `Free ${d.item} (SKU ${d.sku})${d.minSpendMinor === undefined ? "" : ` with ${money(d.minSpendMinor)} spent on other items`}${eligibleWords(d.eligible)}`;
    case "spend-save":
      return `${d.tiers.map((t) => `Spend ${money(t.spendMinor)} save ${money(t.saveMinor)}`).join("; ")}${eligibleWords(d.eligible)}`;
  }
}

/** `48 hours` is said `2 days`; anything else in hours. */
export function hoursWords(hours: number): string {
  return hours % 24 === 0 ? count(hours / 24, "day") : count(hours, "hour");
}

/** Validity in words, with the batch's instants in its own timezone (named). */
export function validityWords(spec: BatchSpec): string {
  const v = spec.validity;
  if (v.kind === "window") return `${fmtZoned(v.from, spec.timezone)} to ${fmtZoned(v.until, spec.timezone)}`;
  return `${hoursWords(v.hours)} from claim${v.claimUntil ? `; claims until ${fmtZoned(v.claimUntil, spec.timezone)}` : ""}`;
}

export type BatchStatus = "scheduled" | "live" | "sold-out-today" | "out-of-stock" | "ended";
export const STATUS_WORDS: Record<BatchStatus, string> = {
  scheduled: "scheduled",
  live: "live",
  "sold-out-today": "sold out today",
  "out-of-stock": "out of stock",
  ended: "ended",
};

/**
 * Whether a batch can be claimed now, as the cloud decides a claim (claimWindow, stock counters):
 * ended once its window or its claims end, out of stock once all is claimed, sold out for today
 * at its daily stock (until midnight in its timezone).
 */
export function batchStatus(d: BatchDetail, now: number): BatchStatus {
  const { spec } = d.batch;
  const v = spec.validity;
  if (v.kind === "window" && now >= Date.parse(v.until)) return "ended";
  if (v.kind === "from-claim" && v.claimUntil !== undefined && now >= Date.parse(v.claimUntil)) return "ended";
  if (spec.totalStock !== undefined && d.claimed >= spec.totalStock) return "out-of-stock";
  if (v.kind === "window" && now < Date.parse(v.from)) return "scheduled";
  if (spec.dailyStock !== undefined && d.claimedToday >= spec.dailyStock) return "sold-out-today";
  return "live";
}

/** `37 of 50 left`, `no limit (13 claimed)`. */
export function stockWords(d: BatchDetail): string {
  const total = d.batch.spec.totalStock;
  return total === undefined ? `no limit (${d.claimed} claimed)` : `${Math.max(0, total - d.claimed)} of ${total} left`;
}

export function dailyWords(d: BatchDetail): string {
  const daily = d.batch.spec.dailyStock;
  return daily === undefined ? "no daily limit" : `${Math.max(0, daily - d.claimedToday)} of ${daily} left today`;
}

export function giftWords(spec: BatchSpec): string {
  if (!spec.giftable) return "no";
  return `yes: passes on ${spec.maxGiftPasses === 1 || spec.maxGiftPasses === undefined ? "once" : `${spec.maxGiftPasses} times`}, returns after ${hoursWords(spec.giftTimeoutHours ?? 24)} unaccepted`;
}

export function storeWords(ids: readonly string[], stores: readonly StoreInfo[]): string {
  return ids.map((id) => stores.find((s) => s.id === id)?.name ?? id).map((n, i) => (n === ids[i] ? n : `${n} (${ids[i]})`)).join(", ");
}
