import type { Coupon, CouponBatch, CouponGift, GiftCounts, GiftState, IssueChannel } from "../../domain/coupons/index.js";
import type { LedgerEntry, WrittenEntry } from "./LedgerRepository.js";

/** A claim as the service built it: the coupon to store if the batch's counters allow it. */
export interface ClaimRequest {
  readonly batchId: string;
  /** The coupon, complete (code, validity, channel, stores); stored as is when the claim passes. */
  readonly coupon: Coupon;
  /** Local day of the batch's timezone at claim time: the daily stock counts within it. */
  readonly dayKey: string;
  /**
   * Near-field claim: the member must have been seen in one of `coupon.storeIds` at or after this
   * instant (epoch ms) by any presence source; null when the batch does not require presence.
   */
  readonly presenceSince: number | null;
  /**
   * Whether the coupon is handed over by the answer (claims: true, it is published as it is stored)
   * or is to be pushed to the member's app by the offer delivery (false).
   */
  readonly delivered: boolean;
  /** The batch's reminder lead, ms; null: the cloud's default. */
  readonly reminderLeadMs: number | null;
}

export type ClaimRefusal = "no-batch" | "no-user" | "out-of-stock" | "daily-out-of-stock" | "member-limit" | "presence-required";

export type ClaimResult =
  | { readonly ok: true; readonly coupon: Coupon }
  | { readonly ok: false; readonly reason: ClaimRefusal; readonly text: string };

/** A points exchange as the service built it: the claim, and the points it costs. */
export interface PointsExchangeRequest {
  readonly orgId: string;
  /** The claim of a coupon with channel `points`, checked against the batch's limits as any claim. */
  readonly claim: ClaimRequest;
  /** The batch's points price, spent from the member's lots in spending order. */
  readonly points: number;
  /** Ledger idempotency key (unique per organisation): the same key returns the same coupon. */
  readonly idempotencyKey: string;
  readonly now: number;
}

export type PointsExchangeResult =
  | {
      readonly ok: true;
      readonly coupon: Coupon;
      /** The spend entry (for a replay: the one the first exchange wrote). */
      readonly entry: LedgerEntry;
      /** The member's spendable balance after the exchange (for a replay: now). */
      readonly balance: number;
      /** Every ledger entry the exchange stored (lots found expired, the spend); empty for a replay. */
      readonly written: readonly WrittenEntry[];
      readonly replayed: boolean;
    }
  | { readonly ok: false; readonly reason: ClaimRefusal; readonly text: string }
  | { readonly ok: false; readonly reason: "insufficient-points"; readonly balance: number; readonly text: string }
  | { readonly ok: false; readonly reason: "key-reused"; readonly text: string };

/** Counters of a batch as stored (for the marketer's view and for tests). */
export interface BatchCounters {
  readonly claimed: number;
  /** Claimed on `dayKey` (the day asked for). */
  readonly claimedOnDay: number;
}

export type GiftResult =
  | { readonly ok: true; readonly gift: CouponGift }
  | { readonly ok: false; readonly reason: "no-coupon" | "not-giftable" | "pass-limit" | "not-open" | "already-gifting"; readonly text: string };

export type GiftAnswer =
  | { readonly ok: true; readonly gift: CouponGift; readonly coupon: Coupon }
  | {
      readonly ok: false;
      /** `member-limit`: the friend got as many coupons of the batch as a member may (the gift stays open). */
      readonly reason: "no-gift" | "timed-out" | "resolved" | "not-open" | "own-gift" | "member-limit";
      readonly text: string;
    };

/** A page of a batch's gifts, for the marketer's list. */
export interface GiftQuery {
  readonly batchId: string;
  /** Only gifts in these states at `now` (see `giftAt`); every state when absent. */
  readonly states?: readonly GiftState[];
  /** Epoch ms: the moment the states are read at. */
  readonly now: number;
  /** The last gift of the previous page (creation time, id); null for the newest page. */
  readonly after: { readonly at: number; readonly id: string } | null;
  readonly limit: number;
}

/** One row of coupon analytics: counts and money of one batch, channel, store and local day. */
export interface CouponStatsRow {
  readonly batchId: string;
  readonly channel: IssueChannel;
  readonly storeId: string;
  /** `YYYY-MM-DD`, the local day of the store (claims: of the batch's timezone). */
  readonly day: string;
  readonly claimed: number;
  readonly giftsMade: number;
  readonly giftsAccepted: number;
  readonly redeemed: number;
  readonly voided: number;
  readonly expired: number;
  /** Sum of the redeeming baskets' totals, minor units (baskets without one count 0). */
  readonly revenueMinor: number;
  /** Sum of the discounts given, minor units. */
  readonly discountMinor: number;
  /** Redemptions that carried a basket (the average basket divides revenue by this). */
  readonly basketRedemptions: number;
}

/** Who a segment send reaches: members of one organisation who consent to marketing, and match. */
export interface AudienceQuery {
  readonly orgId: string;
  /** Members holding this segment; null: any. */
  readonly segment: string | null;
  /** Members of this loyalty tier; null: any. */
  readonly tier: string | null;
  /** Members seen in one of these stores at or after `seenSinceMs`; null: anywhere, any time. */
  readonly seenInStoreIds: readonly string[] | null;
  /** Epoch ms; with `seenInStoreIds`. */
  readonly seenSinceMs: number;
  readonly limit: number;
}

/**
 * Coupon batches and the coupons claimed, sent, issued at the till or exchanged from them, with
 * their gifts. Coupons of every channel share one store with the proximity rules' offers (see
 * `OfferRepository`, which redeems and voids them all).
 */
export interface CouponRepository {
  /** Stores a new batch; false when its id is taken (in any organisation). */
  createBatch(batch: CouponBatch): Promise<boolean>;
  getBatch(batchId: string): Promise<CouponBatch | null>;
  /** An organisation's batches, newest first. */
  listBatches(orgId: string, limit: number): Promise<CouponBatch[]>;
  batchCounters(batchId: string, dayKey: string): Promise<BatchCounters>;
  /**
   * In one transaction: checks that the member is of the batch's organisation and presence when
   * asked, then takes one from the batch's total stock,
   * its stock of `dayKey` and the member's limit, each by a conditional update of its counter (the
   * limits as stored at that moment), and stores the coupon. Exact under any concurrency: of N
   * claims with K left, exactly K succeed.
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Exchanges points for a coupon in one transaction: the claim's checks (organisation, stock,
   * daily stock, member limit) and the ledger's (enough live points) are all made before anything
   * is written, then the spend entry (source `points-exchange`, reference the coupon id) and the
   * coupon are written together, or nothing is. A key used before answers the coupon it bought
   * without spending again. Exact under concurrency with every other claim and ledger write.
   */
  exchangeForPoints(request: PointsExchangeRequest): Promise<PointsExchangeResult>;
  /** The coupon an earlier exchange bought under `idempotencyKey`, with its spend entry; null if none. */
  exchangedCoupon(orgId: string, idempotencyKey: string): Promise<{ readonly coupon: Coupon; readonly entry: LedgerEntry } | null>;
  /** A member's coupons of every channel, newest first (all states, expired ones included). */
  wallet(userId: string, limit: number): Promise<Coupon[]>;
  getCoupon(couponId: string): Promise<Coupon | null>;
  /**
   * Offers `couponId` of `userId` as a gift: the coupon must be open and valid at `now`, of a
   * giftable batch (`maxPasses` > 0) with passes left, and not already being gifted. The token's
   * hash identifies the gift; the token itself is never stored.
   */
  offerGift(input: {
    readonly giftId: string;
    readonly tokenHash: string;
    readonly couponId: string;
    readonly userId: string;
    readonly maxPasses: number;
    readonly expiresAt: number;
    readonly now: number;
  }): Promise<GiftResult>;
  getGift(tokenHash: string): Promise<CouponGift | null>;
  /**
   * A batch's gifts, newest first (then by id), each as it stands at `query.now` (`giftAt`: a
   * pending gift past its time reads timed out), in the states asked for, a page after
   * `query.after`. A gift stays listed in its batch after the coupon it moved is gone (its friend
   * erased); a gift goes with its giver.
   */
  listGifts(query: GiftQuery): Promise<CouponGift[]>;
  /** A batch's gifts counted by their state at `now`. */
  giftCounts(batchId: string, now: number): Promise<GiftCounts>;
  /**
   * In one transaction: the pending, unexpired gift moves its coupon to `userId` with `newCode`
   * (the old code is dead from then on), counts a pass, and counts the coupon against the friend's
   * per-member limit of the batch as a claim would; refused when the coupon was redeemed, voided or
   * expired meanwhile (a redemption racing the accept: exactly one wins), and refused with
   * `member-limit`, writing nothing, when the friend already got as many coupons of the batch as a
   * member may (claims and accepted gifts alike, exact with concurrent claims and accepts): the
   * coupon stays with its giver and the gift stays open until it is accepted by another friend,
   * declined or timed out. A gift found past its time is marked timed out.
   */
  acceptGift(input: { readonly tokenHash: string; readonly userId: string; readonly newCode: string; readonly now: number }): Promise<GiftAnswer>;
  /** The friend declines: the gift ends and the coupon stays with its owner. */
  declineGift(input: { readonly tokenHash: string; readonly userId: string; readonly now: number }): Promise<GiftAnswer>;
  /** Member ids a segment send reaches (marketing consent required), in id order. */
  audience(query: AudienceQuery): Promise<string[]>;
  /**
   * Coupon analytics of an organisation from `fromMs` to `toMs` (claims by issue time, redemptions
   * by redemption time), per batch, channel, store and local day of the store.
   */
  couponStats(orgId: string, fromMs: number, toMs: number): Promise<CouponStatsRow[]>;
}
