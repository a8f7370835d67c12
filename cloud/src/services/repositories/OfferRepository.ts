import type { Basket, DiscountAnswer, UnmetReason } from "../../domain/coupons/index.js";
import type { Offer } from "../../domain/offers/index.js";
import type { Decision, RuleCounters } from "../../domain/rules/index.js";
import type { NewPushOutboxItem } from "./DeliveryRepository.js";
import type { StoredEvent } from "./EventRepository.js";

/** What the rules engine needs from storage about one user and the candidate rules, read inside
 * the same transaction that records the decisions, so caps and budgets are exact. */
export interface DecisionCounters {
  readonly counters: Readonly<Record<string, RuleCounters>>;
  readonly userIssuedTodayAllRules: number;
  readonly visitCount: number;
  readonly previousVisitAt: number | null;
  readonly offersReceived: number;
  /** When the event's visit ended (its exit is stored), epoch ms; null while it is open. */
  readonly visitEndedAt: number | null;
}

export interface DecisionOutcome {
  readonly decisions: readonly Decision[];
  readonly offer: Offer | null;
}

export interface DecisionRequest {
  readonly event: StoredEvent;
  readonly userId: string;
  /** Local day of the store at decision time (daily caps count within it). */
  readonly dayKey: string;
  readonly ruleIds: readonly string[];
  readonly now: number;
}

export type RedeemResult =
  | {
      readonly ok: true;
      readonly offer: Offer;
      readonly redemptionId: string;
      readonly replayed: boolean;
      /** The discount to apply, as validated against the basket; null when no basket was sent. */
      readonly discount?: DiscountAnswer | null;
    }
  | {
      readonly ok: false;
      readonly reason:
        | "unknown-code"
        | "expired"
        | "wrong-store"
        | "already-redeemed"
        | "key-reused"
        | "voided"
        | "not-yet-valid"
        | "unmet";
      /** For `unmet`: the condition the basket does not meet. */
      readonly unmet?: UnmetReason;
      readonly text: string;
    };

/** A redemption's basket and where it came from (the till, or the retailer's online shop). */
export interface RedemptionBasket {
  readonly basket: Basket;
  readonly channel: "till" | "online";
}

export type VoidResult =
  | { readonly ok: true; readonly offer: Offer; readonly redemptionId: string; readonly replayed: boolean }
  | {
      readonly ok: false;
      readonly reason: "no-redemption" | "wrong-store" | "window-passed";
      readonly text: string;
    };

export type AcknowledgeResult =
  | { readonly ok: true; readonly offer: Offer }
  | { readonly ok: false; readonly reason: "expired" | "already-redeemed"; readonly text: string };

export interface RecordedDecision {
  /** Storage order; with `decidedAt` it makes the paging cursor. */
  readonly id: number;
  readonly eventId: string;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly userId: string | null;
  readonly storeId: string;
  readonly zoneId: string;
  readonly visitId: string;
  readonly outcome: Decision["outcome"];
  readonly reason: string;
  readonly text: string;
  readonly offerId: string | null;
  readonly decidedAt: number;
  /**
   * What else was known about the event when it was decided: for a phone's geofence report, the
   * plausibility verdict and whether the store's own gateways saw the user around that time.
   */
  readonly signals?: Record<string, unknown>;
}

/**
 * The events of one group, decided together in one transaction (see `OfferRepository.decideGroup`).
 */
export interface DecisionGroup {
  /** Events to evaluate, in order; each sees the offers issued to the ones before it. */
  readonly requests: readonly DecisionRequest[];
  /**
   * Events through the rules engine with nothing to evaluate (no user, store or candidate rule):
   * marked decided, and an unlinked event's pending user is forgotten with it.
   */
  readonly passed: readonly StoredEvent[];
  /** Offers handed to the broker since the last group: recorded as published in this transaction. */
  readonly published: readonly string[];
  /** Decision time, epoch ms. */
  readonly now: number;
  /**
   * The push outbox rows of an offer the group stores (none: not pushed), written in the group's
   * transaction with the offer, so an issued offer is never committed without them (and a failed
   * write of them fails the group). Asked once per offer stored, and asked again for the new
   * offers if the backend runs the transaction again. Absent: no push rows.
   */
  readonly pushItems?: (offer: Offer) => readonly NewPushOutboxItem[];
}

/**
 * Chooses the outcome of one request from its counters (pure and synchronous: it runs inside the
 * transaction, between the reads and the writes, so it must not wait on anything).
 */
export type DecideOne = (request: DecisionRequest, counters: DecisionCounters) => DecisionOutcome;

export interface OfferRepository {
  /**
   * In one transaction: records `published` as published, reads the counters of every request
   * (keyed counter rows, never a count over history), lets `decide` choose for each in order (an
   * offer issued to one request counts for the next), records every decision, stores the offers
   * with their push outbox rows (`pushItems`; leased to this process where leases exist, as
   * `DeliveryRepository.enqueuePush` does) and marks every event of the group decided. Resolves to
   * the new offers, in request order, one entry per request (null when none was issued). `decide`
   * must have no effect beyond its answer: a backend shared by several processes may run the
   * transaction, and so call it, again.
   */
  decideGroup(group: DecisionGroup, decide: DecideOne): Promise<(Offer | null)[]>;
  markPublished(offerId: string, now: number): Promise<void>;
  /** Records offers as handed to the broker (those no decision group took along), in one statement. */
  markAllPublished(offerIds: readonly string[], now: number): Promise<void>;
  /** Offers issued but never handed to the broker (e.g. the cloud stopped in between). */
  unpublishedOffers(limit: number): Promise<Offer[]>;
  /** A user's offers that can still be used (not redeemed, not expired at `now`). */
  pendingOffers(userId: string, now: number): Promise<Offer[]>;
  getOffer(offerId: string): Promise<Offer | null>;
  /**
   * Records the app's delivery or view acknowledgement; forward-only. Null when the user has no such
   * offer; a refusal when the offer was already redeemed or has expired.
   */
  acknowledge(offerId: string, userId: string, kind: "deliver" | "view", now: number): Promise<AcknowledgeResult | null>;
  /**
   * Atomic single-use redemption of any coupon (a rule's offer or a batch's coupon); a retried
   * request with the same key gets the same answer. With a basket, the coupon's terms are checked
   * against it inside the transaction and the answer carries the discount to apply (or the unmet
   * condition, and nothing is redeemed); the basket's order, total and discount are recorded.
   */
  redeem(input: {
    code: string;
    storeId: string;
    idempotencyKey: string;
    apiKeyId: string;
    now: number;
    basket?: RedemptionBasket | null;
  }): Promise<RedeemResult>;
  /**
   * Voids redemption `redemptionId` for `storeId` at `now`, within `windowMs` of the redemption and
   * only by the store that made it: the redemption is kept as voided and the coupon reopens (or
   * expires, if its time has passed), so it may be redeemed again once. Voiding a voided
   * redemption again answers the first void (`replayed`).
   */
  voidRedemption(input: {
    redemptionId: string;
    storeId: string;
    apiKeyId: string;
    windowMs: number;
    now: number;
  }): Promise<VoidResult>;
  decisionsForUser(userId: string, limit: number): Promise<RecordedDecision[]>;
}

/** Where a page of decisions starts: strictly after this one in newest-first order. */
export interface DecisionCursor {
  readonly decidedAt: number;
  readonly id: number;
}

export interface DecisionPageQuery {
  readonly by: "user" | "event" | "rule";
  /** The user, event or rule id. */
  readonly id: string;
  readonly limit: number;
  readonly after: DecisionCursor | null;
}

/** A presence event with what happened to it, for "why did nothing happen" questions. */
export interface EventRecord {
  readonly event: StoredEvent;
  readonly orgId: string;
  /** When the rules engine was done with it; null while queued. */
  readonly decidedAt: number | null;
}

/** Decisions as recorded, newest first, for the decision log API. */
export interface DecisionRepository {
  decisionsPage(query: DecisionPageQuery): Promise<RecordedDecision[]>;
  getEvent(eventId: string): Promise<EventRecord | null>;
}

/**
 * An offer due for its reminder. A coupon of a batch with its own lead carries it (`leadMs` of
 * `remindersDue` is then replaced by this one for that coupon, in every condition).
 */
export type DueReminder = Offer & { readonly reminderLeadMs?: number };

/** What the offer sweeper needs: expiry, reminders, redelivery, all driven from storage. */
export interface OfferLifecycleRepository {
  /**
   * How many offers `undeliveredOffers` would find with no issue-time bound or limit: issued, not
   * yet published, expiring after `now` (epoch ms). A metrics gauge, read per scrape.
   */
  countUndelivered(now: number): Promise<number>;
  /** Marks offers expired whose `expiresAt` is at or before `now` (oldest first); returns them. */
  expireDue(now: number, limit: number): Promise<Offer[]>;
  /**
   * Offers due for their reminder at `now`: open (issued, delivered, viewed), already published,
   * not yet reminded, expiring after `now` but within `leadMs`, valid for longer than `leadMs`, and
   * of a user who still consents to marketing.
   */
  remindersDue(now: number, leadMs: number, limit: number): Promise<DueReminder[]>;
  /** Sets `reminder_sent_at` if it is unset and the offer still open at `now`; true when this call did. */
  claimReminder(offerId: string, now: number): Promise<boolean>;
  /** Undoes a claim whose publish failed, so the next sweep tries again. */
  releaseReminder(offerId: string, claimedAt: number): Promise<void>;
  /** Offers never handed to the broker, still `issued` (the app has not fetched them either) and
   * valid at `now`, issued at or before `issuedBefore`; oldest first. */
  undeliveredOffers(now: number, issuedBefore: number, limit: number): Promise<Offer[]>;
}
