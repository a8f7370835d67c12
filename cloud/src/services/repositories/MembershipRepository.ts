import type { LoyaltyProgram, TierActivity } from "../../domain/loyalty/loyaltyProgram.js";
import type { ImportedMember } from "../../domain/loyalty/memberImport.js";
import type { LedgerSource } from "../../domain/loyalty/ledger.js";
import type { WrittenEntry } from "./LedgerRepository.js";
import type { AppUser } from "./UserRepository.js";

/** What membership adds to an app user: birth month (member days) and the computed tier. */
export interface MemberProfile {
  readonly userId: string;
  readonly orgId: string;
  /** 1..12, or null when unknown. */
  readonly birthMonth: number | null;
  /** The tier the programme computed; mirrored into the user's `loyaltyTier`. */
  readonly tier: string | null;
  /** When the current tier was reached, epoch ms; its period ends `tierWindowDays` later. */
  readonly tierSince: number | null;
}

/** One recorded tier change. */
export interface TierChange {
  readonly seq: number;
  readonly userId: string;
  readonly fromTier: string | null;
  readonly toTier: string | null;
  /** `upgrade`, `downgrade`, or `programme` (the programme's tiers changed). */
  readonly reason: string;
  readonly at: number;
}

/** A purchase as recorded against a member (the ledger holds its points). */
export interface MemberPurchase {
  readonly orgId: string;
  /** Unique per organisation: `<storeId or online>:<orderId>`. */
  readonly orderKey: string;
  readonly userId: string;
  readonly storeId: string | null;
  readonly channel: "till" | "online";
  readonly totalMinor: number;
  readonly currency: string;
  /** Points the purchase earned. */
  readonly points: number;
  readonly at: number;
  /** When the whole order had been refunded (null while any of it is not). */
  readonly refundedAt: number | null;
  /** How much of the order has been refunded so far, minor units (0 to `totalMinor`). */
  readonly refundedMinor: number;
  /** Points the member spent on the purchase as a discount (0: none). */
  readonly pointsSpent: number;
  /** The discount those points paid, minor units: the member paid `totalMinor` less this. */
  readonly pointsDiscountMinor: number;
  /**
   * Ledger key of the order's earning when not `purchase:<orderKey>`: a coupon redemption with the
   * basket earns under `coupon-redemption:<redemptionId>` (refunds reverse that entry). Null: the default.
   */
  readonly earnKey: string | null;
}

/** A purchase paid in part with points, as the service built it. */
export interface PointsPurchaseWrite {
  /** The purchase; `points` (earned) is what the earning below writes, or what an earlier one wrote. */
  readonly purchase: Omit<MemberPurchase, "refundedAt" | "refundedMinor" | "points" | "earnKey">;
  /** Source of both the spend and the earning (`till-purchase` or `online-order`). */
  readonly source: LedgerSource;
  /** Ledger key of the spend (`purchase-spend:<orderKey>`). */
  readonly spendKey: string;
  /** The earning on the net amount, under its key (`purchase:<orderKey>`); null when it earns nothing. */
  readonly earn: { readonly points: number; readonly expiresAt: number | null; readonly reason: string | null; readonly key: string } | null;
  readonly now: number;
}

export type PointsPurchaseResult =
  | {
      readonly ok: true;
      /** False when the order was recorded before: nothing was written, `purchase` is the first. */
      readonly recorded: boolean;
      readonly purchase: MemberPurchase;
      readonly balance: number;
      readonly owed: number;
      /** Every ledger entry stored (lots found expired, the spend, the earning); empty when not recorded. */
      readonly written: readonly WrittenEntry[];
    }
  | { readonly ok: false; readonly reason: "insufficient-points"; readonly balance: number }
  | { readonly ok: false; readonly reason: "key-reused"; readonly text: string };

/** One refund of a purchase, recorded once under the id the till gave it. */
export interface MemberRefund {
  readonly orgId: string;
  readonly orderKey: string;
  /** Unique per order; a whole-order refund without one is recorded as `whole`. */
  readonly refundId: string;
  readonly amountMinor: number;
  /** Points it reversed. */
  readonly points: number;
  readonly at: number;
}

/** What a bulk upsert did. */
export interface MemberUpsertReport {
  readonly created: number;
  readonly updated: number;
  /** Rows that matched the stored member exactly: nothing was written. */
  readonly unchanged: number;
  /** Ids held by another organisation's users, left alone. */
  readonly taken: readonly string[];
  /** Members whose analytics consent this upsert withdrew. */
  readonly analyticsWithdrawn: readonly string[];
  /** Members whose analytics consent this upsert gave (new members with it included). */
  readonly analyticsGiven: readonly string[];
}

/** A member as exported: the profile, consents and birth month. */
export interface ExportedMember extends AppUser {
  readonly birthMonth: number | null;
}

/**
 * Loyalty programmes (one per organisation, versioned), member profiles and their tiers with the
 * history of changes, the purchases members made, the visit-earning counters and the secret that
 * signs member codes.
 */
export interface MembershipRepository {
  getProgram(orgId: string): Promise<{ readonly program: LoyaltyProgram; readonly version: number } | null>;
  /** Replaces the programme; the new version (1 for the first). */
  putProgram(orgId: string, program: LoyaltyProgram, now: number): Promise<number>;
  getMember(userId: string): Promise<MemberProfile | null>;
  /** Sets the birth month of a user (creating the member row); the tier is kept. */
  setBirthMonth(userId: string, orgId: string, birthMonth: number | null, now: number): Promise<void>;
  /**
   * Sets the member's tier, mirrors it into `app_users.loyalty_tier` (what rule conditions read)
   * and records the change, in one transaction. When the tier was already that, nothing is
   * recorded, its period starts again at `now` (a tier kept at period end), and the answer is null.
   */
  setTier(userId: string, orgId: string, tier: string | null, reason: string, now: number): Promise<TierChange | null>;
  /** The member's tier changes, newest first. */
  tierChanges(userId: string, limit: number): Promise<TierChange[]>;
  /** Members whose tier period ended by `now` (tier reached before `since`), for the downgrade sweep. */
  membersWithTierBefore(orgId: string, since: number, limit: number): Promise<MemberProfile[]>;
  /** Records a purchase without points spent once per `(orgId, orderKey)`; false when that key is recorded already. */
  recordPurchase(
    purchase: Omit<MemberPurchase, "refundedAt" | "refundedMinor" | "pointsSpent" | "pointsDiscountMinor" | "earnKey"> & { readonly earnKey?: string | null },
  ): Promise<boolean>;
  /**
   * Removes the purchase recorded with `earnKey` and its refunds (a voided coupon redemption: the
   * order was not sold that way, and may be redeemed and recorded again); the removed purchase, or
   * null when none was recorded with that key.
   */
  releasePurchase(orgId: string, earnKey: string): Promise<MemberPurchase | null>;
  getPurchase(orgId: string, orderKey: string): Promise<MemberPurchase | null>;
  /**
   * Records a purchase paid in part with points in one transaction with its ledger entries: the
   * spend (from the lots that expire soonest; refused, writing nothing, when the member holds too
   * few live points), the earning on the net amount, and the purchase itself; or nothing. An order
   * recorded already answers as it was. Exact under concurrency with every other ledger write.
   */
  recordPurchaseWithPoints(write: PointsPurchaseWrite): Promise<PointsPurchaseResult>;
  /** Marks a purchase refunded; false when it was already. */
  markRefunded(orgId: string, orderKey: string, now: number): Promise<boolean>;
  /**
   * Records a refund once per `(orgId, orderKey, refundId)` and adds its amount to the purchase's
   * `refundedMinor` (setting `refundedAt` when that reaches the total), atomically; false when a
   * refund of that id is recorded already (nothing changes then).
   */
  recordRefund(refund: MemberRefund): Promise<boolean>;
  getRefund(orgId: string, orderKey: string, refundId: string): Promise<MemberRefund | null>;
  /**
   * Points earned (ledger entries of kind earn, net of their reversals) and spend not refunded
   * since `since`; spend is what the member paid, net of points discounts (in proportion to what
   * is left of each order).
   */
  tierActivity(orgId: string, userId: string, since: number): Promise<TierActivity>;
  /**
   * Counts one earning visit of the user in the store on the local `day` if fewer than `maxPerDay`
   * were counted; true when counted. Atomic: concurrent visits never exceed the cap.
   */
  countEarningVisit(userId: string, storeId: string, day: string, maxPerDay: number): Promise<boolean>;
  /**
   * Creates or updates members of the organisation in one transaction (a CRM import's batch): an
   * absent field keeps the stored value, a row equal to what is stored writes nothing, so a rerun
   * of the same file changes nothing. An id held by another organisation is reported, not touched.
   */
  upsertMembers(orgId: string, members: readonly ImportedMember[], now: number): Promise<MemberUpsertReport>;
  /** Users of the organisation by id after `afterId` (exclusive), at most `limit`. */
  exportMembers(orgId: string, afterId: string | null, limit: number): Promise<ExportedMember[]>;
  /** The secret that signs member codes: created at the first call, the same ever after. */
  memberCodeSecret(create: () => Uint8Array, now: number): Promise<Uint8Array>;
}
