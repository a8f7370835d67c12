import type { EventTrigger } from "../../domain/rules/index.js";

/** The period and place of an analytics query: visits that started in [from, to). */
export interface FunnelQuery {
  readonly orgId: string;
  readonly from: number;
  readonly to: number;
  /** Only this store (a store-bound key), or all of the organisation's. */
  readonly storeId: string | null;
}

/** Counts of one funnel group; see `AnalyticsService` for the definitions. */
export interface FunnelCounts {
  readonly visits: number;
  readonly eligible: number;
  readonly heldOut: number;
  readonly issued: number;
  readonly delivered: number;
  readonly viewed: number;
  readonly redeemed: number;
}

/** One user's first eligible decision of a rule in the period, and what came of it. */
export interface HoldoutCohortRow {
  readonly ruleId: string;
  readonly userId: string;
  readonly group: "issued" | "held-out";
  readonly firstAt: number;
  readonly storeId: string;
  /** The user redeemed an offer of this rule issued in the period. */
  readonly redeemed: boolean;
  /**
   * What the user spent from `firstAt` to the period's end, minor units: the baskets of their
   * coupon redemptions and the purchases reported for them (till or online, net of refunds), at
   * the query's store when it names one; a basket reported both ways (the same store and order)
   * counts once. Voided redemptions count nothing.
   */
  readonly revenueMinor: number;
}

/**
 * One count of the daily trends: what happened at a store in one UTC time bucket, by place,
 * channel and campaign. Visits carry no channel or campaign (a visit is not a campaign's).
 */
export type TrendBucket =
  | {
      readonly measure: "visits";
      readonly storeId: string;
      readonly zoneId: string;
      readonly bucketStart: number;
      readonly count: number;
    }
  | {
      /** `issued`: offers issued then; `redeemed`: redemptions made then (voided ones not). */
      readonly measure: "issued" | "redeemed";
      /** Where the offer was issued, or where it was redeemed. */
      readonly storeId: string;
      /** The zone the offer was earned in when it is the same store; null for a coupon claimed, or redeemed elsewhere. */
      readonly zoneId: string | null;
      /** The offer's issue channel (`rule`, `online`, `segment`, `till`, `points`). */
      readonly channel: string;
      readonly ruleId: string;
      /** The coupon batch, for a coupon; null for a rule's offer. */
      readonly batchId: string | null;
      readonly bucketStart: number;
      readonly count: number;
      /** Redeemed only: the baskets' totals, minor units (0 for issued). */
      readonly revenueMinor: number;
      /** Redeemed only: how many of them came with a basket. */
      readonly baskets: number;
    };

export interface AnalyticsRepository {
  funnelByPlace(
    query: FunnelQuery,
    by: "store" | "zone",
  ): Promise<(FunnelCounts & { storeId: string; zoneId: string | null })[]>;
  /**
   * Per store and UTC time bucket of `bucketMs` (visit start), for grouping by local day: every
   * timezone offset and DST switch falls on a 15-minute boundary, so a 15-minute bucket never
   * straddles a local midnight.
   */
  funnelByBucket(
    query: FunnelQuery,
    bucketMs: number,
  ): Promise<(FunnelCounts & { storeId: string; bucketStart: number })[]>;
  funnelByRule(query: FunnelQuery): Promise<(FunnelCounts & { ruleId: string })[]>;
  holdoutCohorts(query: FunnelQuery): Promise<HoldoutCohortRow[]>;
  /**
   * Counts for the daily trends, per store and UTC bucket of `bucketMs` (a divisor of 15 minutes'
   * multiples, as for `funnelByBucket`): app users' zone visits that started, offers issued and
   * redemptions made in [from, to). What the funnel leaves out for want of analytics consent is
   * left out here too: unlinked visits, and offers issued on them.
   */
  trendBuckets(query: FunnelQuery, bucketMs: number): Promise<TrendBucket[]>;
  /** Each user's latest visit start in the period (any store of the organisation). */
  lastVisits(query: FunnelQuery): Promise<{ userId: string; enteredAt: number }[]>;
}

/** A recorded presence event of an app user, with the user's profile and visit history, to replay. */
export interface ReplayEvent {
  readonly id: string;
  readonly type: EventTrigger;
  readonly storeId: string;
  readonly zoneId: string;
  readonly at: number;
  readonly visitId: string;
  readonly dwellMs: number | null;
  readonly userId: string;
  readonly segments: readonly string[];
  readonly loyaltyTier: string | null;
  readonly marketingConsent: boolean;
  /** The shopper's visits to this store up to this one, this one included. */
  readonly visitCount: number;
  /** Start of the shopper's previous visit to this store, epoch ms. */
  readonly previousVisitAt: number | null;
}

/** Reads of recorded history for dry runs; nothing here writes. */
export interface ReplayRepository {
  /** Events of `type` at the organisation's stores in [from, to), by (at, id), after `after`. */
  replayEvents(query: {
    readonly orgId: string;
    readonly from: number;
    readonly to: number;
    readonly type: EventTrigger;
    readonly after: { readonly at: number; readonly id: string } | null;
    readonly limit: number;
  }): Promise<ReplayEvent[]>;
  /** Offers really issued in [from, to) at the organisation's stores, by time. */
  issuedOffers(
    orgId: string,
    from: number,
    to: number,
  ): Promise<{ userId: string; issuedAt: number; dayKey: string }[]>;
  /** Per user, offers really issued before `before` (lifetime counts for `offersReceived`). */
  offerCountsBefore(orgId: string, before: number): Promise<{ userId: string; n: number }[]>;
}
