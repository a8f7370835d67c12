import { formatRedemptionCode, type Offer, type OfferStatus } from "../offers/index.js";
import type { Basket } from "./basket.js";
import { type CouponBatch, type CouponDiscount, claimWindow, type IssueChannel } from "./couponBatch.js";
import { computeDiscount, type DiscountAnswer, displayDiscount, termsOfDisplayDiscount, type UnmetReason } from "./couponDiscount.js";

/** issued → delivered → viewed → redeemed | expired | voided. A void of a redemption reopens it. */
export const COUPON_STATUSES = ["issued", "delivered", "viewed", "redeemed", "expired", "voided"] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];

/** The batch id every offer of a proximity rule belongs to: the rule's implicit batch. */
export const ruleBatchId = (ruleId: string): string => `rule:${ruleId}`;

/**
 * One coupon to one member, whatever issued it: a proximity rule's offer is a coupon of the rule's
 * implicit batch (`ruleBatchId`), with `channel` "rule"; a claimed, sent, till-issued or exchanged
 * coupon is one of a marketer's batch. Immutable.
 */
export interface Coupon extends Omit<Offer, "status"> {
  readonly status: CouponStatus;
  readonly batchId: string;
  readonly channel: IssueChannel;
  /** Where the claim came from (campaign, social post, poster), as the link or QR carried it. */
  readonly channelTag: string | null;
  /** Stores that accept it (for a rule's offer, the store where it was issued). */
  readonly storeIds: readonly string[];
  /** The discount with its basket conditions; null for a free item that names no SKU. */
  readonly terms: CouponDiscount | null;
  /** Redeemable from, epoch ms (a fixed window may open after the claim). */
  readonly validFrom: number;
  /** How often it has passed to a friend. */
  readonly giftPasses: number;
}

/** A rule's offer as the coupon it is. */
export function couponOfOffer(offer: Offer): Coupon {
  return {
    ...offer,
    batchId: ruleBatchId(offer.ruleId),
    channel: "rule",
    channelTag: null,
    storeIds: [offer.storeId],
    terms: termsOfDisplayDiscount(offer.discount),
    validFrom: offer.issuedAt,
    giftPasses: 0,
  };
}

export const isOpen = (status: CouponStatus): boolean => status === "issued" || status === "delivered" || status === "viewed";

export type RedeemRefusal = "expired" | "wrong-store" | "already-redeemed" | "voided" | "not-yet-valid" | "unmet";

export type CouponRedemption =
  | { readonly ok: true; readonly coupon: Coupon; readonly discount: DiscountAnswer | null }
  | { readonly ok: false; readonly reason: RedeemRefusal; readonly unmet?: UnmetReason; readonly text: string };

/**
 * Redeems `coupon` at `storeId` at `now`, against `basket` when the till sends one (then the answer
 * carries the discount to apply, or the unmet condition). Time decides validity, not the status
 * flag. Without a basket the till applies the coupon as printed (the behaviour before baskets).
 */
export function redeemCoupon(
  coupon: Coupon,
  input: { readonly storeId: string; readonly basket: Basket | null; readonly now: number },
): CouponRedemption {
  const { now } = input;
  if (coupon.status === "redeemed")
    return { ok: false, reason: "already-redeemed", text: `coupon was redeemed at ${new Date(coupon.statusAt).toISOString()}` };
  if (coupon.status === "voided") return { ok: false, reason: "voided", text: "coupon was voided" };
  if (coupon.status === "expired" || now >= coupon.expiresAt)
    return { ok: false, reason: "expired", text: `coupon expired at ${new Date(coupon.expiresAt).toISOString()}` };
  if (now < coupon.validFrom)
    return { ok: false, reason: "not-yet-valid", text: `coupon is valid from ${new Date(coupon.validFrom).toISOString()}` };
  if (!coupon.storeIds.includes(input.storeId))
    return {
      ok: false,
      reason: "wrong-store",
      text: `coupon is redeemable at ${coupon.storeIds.length === 1 ? `store ${coupon.storeIds[0]}` : "its batch's stores"}, not ${input.storeId}`,
    };
  let discount: DiscountAnswer | null = null;
  if (input.basket) {
    if (coupon.terms === null) {
      discount = { discountMinor: 0, currency: input.basket.currency, eligibleMinor: input.basket.totalMinor, freeSku: null, text: coupon.title };
    } else {
      const result = computeDiscount(coupon.terms, input.basket);
      if (!result.ok) return { ok: false, reason: "unmet", unmet: result.reason, text: result.text };
      const { ok: _ok, ...answer } = result;
      discount = answer;
    }
  }
  return { ok: true, coupon: { ...coupon, status: "redeemed", statusAt: now }, discount };
}

export type VoidRefusal = "wrong-store" | "window-passed";

/**
 * Whether a redemption made at `redeemedAt` in `redeemedStoreId` may be voided by `storeId` at
 * `now`: only by the store that redeemed it, and only within `windowMs`. The coupon then reopens
 * (or is expired, if its time has passed).
 */
export function checkVoid(input: {
  readonly redeemedStoreId: string;
  readonly redeemedAt: number;
  readonly storeId: string;
  readonly windowMs: number;
  readonly now: number;
}): { readonly ok: true } | { readonly ok: false; readonly reason: VoidRefusal; readonly text: string } {
  if (input.storeId !== input.redeemedStoreId)
    return { ok: false, reason: "wrong-store", text: `only store ${input.redeemedStoreId}, which redeemed it, may void this redemption` };
  if (input.now - input.redeemedAt > input.windowMs)
    return { ok: false, reason: "window-passed", text: `a redemption may be voided within ${Math.round(input.windowMs / 60_000)} min` };
  return { ok: true };
}

/** The status a coupon returns to when its redemption is voided at `now`. */
export function reopenedStatus(coupon: Pick<Coupon, "expiresAt">, previous: OfferStatus, now: number): OfferStatus {
  if (now >= coupon.expiresAt) return "expired";
  return previous === "redeemed" || previous === "expired" ? "viewed" : previous;
}

/** Gift states: pending until the friend accepts or declines, or it times out. */
export const GIFT_STATES = ["pending", "accepted", "declined", "timed-out"] as const;
export type GiftState = (typeof GIFT_STATES)[number];

export interface CouponGift {
  readonly giftId: string;
  readonly couponId: string;
  readonly fromUserId: string;
  readonly toUserId: string | null;
  readonly state: GiftState;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly resolvedAt: number | null;
}

/**
 * A gift's state at `now`. A pending gift past its time has timed out whether or not anyone has
 * touched it since (the store marks it only when a friend opens the link, or the giver gifts
 * again), so a list read at `now` says timed out, answered at `expiresAt`.
 */
export function giftAt(gift: CouponGift, now: number): CouponGift {
  return gift.state === "pending" && now >= gift.expiresAt ? { ...gift, state: "timed-out", resolvedAt: gift.expiresAt } : gift;
}

/** How a batch's gifts stand at a moment: every gift made, by its state then (see `giftAt`). */
export interface GiftCounts {
  readonly made: number;
  readonly pending: number;
  readonly accepted: number;
  readonly declined: number;
  readonly timedOut: number;
}

/**
 * A gift as the organisation's staff see it (the marketer's list of a batch's gifts): the giver
 * and the friend are named only when `named` says so, i.e. when that member consents to
 * analytics, as the live view names a shopper. Who gives to whom is a member's social tie, and
 * learning it from coupons is analytics; without consent the gift is still counted and listed,
 * not whose it was. The state is the one at `now`.
 */
export function giftSeenByStaff(gift: CouponGift, now: number, named: (userId: string) => boolean): StaffGift {
  const at = giftAt(gift, now);
  return {
    ...at,
    fromUserId: named(at.fromUserId) ? at.fromUserId : null,
    toUserId: at.toUserId !== null && named(at.toUserId) ? at.toUserId : null,
  };
}

/** A gift as staff see it: a member not named is null (see `giftSeenByStaff`). */
export interface StaffGift extends Omit<CouponGift, "fromUserId"> {
  readonly fromUserId: string | null;
}

export type GiftCheck = { readonly ok: true } | { readonly ok: false; readonly reason: "not-giftable" | "pass-limit" | "not-open"; readonly text: string };

/** Whether `coupon` may be offered as a gift now (open, valid, and passes left under `maxPasses`). */
export function checkGiftable(coupon: Coupon, maxPasses: number, now: number): GiftCheck {
  if (maxPasses === 0) return { ok: false, reason: "not-giftable", text: "coupons of this batch cannot be gifted" };
  if (!isOpen(coupon.status) || now >= coupon.expiresAt) return { ok: false, reason: "not-open", text: `coupon is ${coupon.status === "redeemed" ? "redeemed" : "no longer valid"}` };
  if (coupon.giftPasses >= maxPasses) return { ok: false, reason: "pass-limit", text: `coupon has passed on ${coupon.giftPasses} time(s), the batch allows ${maxPasses}` };
  return { ok: true };
}

export interface IssueCouponInput {
  readonly batch: CouponBatch;
  /** Unique id from the caller (`^[A-Za-z0-9_-]{8,64}$` on the wire). */
  readonly couponId: string;
  readonly userId: string;
  /** Where it was claimed or issued; absent: the batch's first store (an online claim). */
  readonly storeId: string | null;
  readonly channel: Exclude<IssueChannel, "rule">;
  readonly channelTag: string | null;
  /** At least 12 bytes from a CSPRNG: the redemption code. */
  readonly codeBytes: Uint8Array;
  readonly now: number;
}

/**
 * A coupon of `batch` for a member at `now`: content and terms from the batch, validity from its
 * window or from now, a fresh code. Refused when the batch no longer takes claims, or the channel
 * or store is not one of the batch's.
 */
export function issueCoupon(
  input: IssueCouponInput,
): { readonly ok: true; readonly coupon: Coupon } | { readonly ok: false; readonly reason: "ended" | "not-started" | "channel" | "store"; readonly text: string } {
  const { spec } = input.batch;
  if (!spec.channels.includes(input.channel))
    return { ok: false, reason: "channel", text: `this batch is not issued through the ${input.channel} channel` };
  if (input.storeId !== null && !spec.storeIds.includes(input.storeId))
    return { ok: false, reason: "store", text: `store ${input.storeId} does not take this batch` };
  const window = claimWindow(spec, input.now);
  if (!window.ok) return window;
  const storeId = input.storeId ?? spec.storeIds[0] ?? "";
  return {
    ok: true,
    coupon: {
      offerId: input.couponId,
      // The batch stands where a rule's offer names its rule (the offer message's `ruleId`).
      ruleId: input.batch.batchId,
      ruleVersion: 0,
      userId: input.userId,
      storeId,
      zoneId: "",
      visitId: `coupon-${input.couponId}`,
      eventId: `coupon-${input.couponId}`,
      title: spec.title,
      text: spec.text,
      discount: displayDiscount(spec.discount),
      code: formatRedemptionCode(input.codeBytes),
      status: "issued",
      statusAt: input.now,
      issuedAt: input.now,
      expiresAt: window.expiresAt,
      batchId: input.batch.batchId,
      channel: input.channel,
      channelTag: input.channelTag,
      storeIds: spec.storeIds,
      terms: spec.discount,
      validFrom: window.validFrom,
      giftPasses: 0,
    },
  };
}
