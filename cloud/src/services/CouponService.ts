import { createHash } from "node:crypto";
import type { Problem } from "../../../protocol/index.js";
import {
  type BatchSpec,
  type Coupon,
  type CouponBatch,
  type CouponGift,
  checkBatchSpec,
  type GiftCounts,
  giftSeenByStaff,
  type GiftState,
  giftTimeoutMsOf,
  type IssueChannel,
  issueCoupon,
  maxGiftPassesOf,
  type StaffGift,
} from "../domain/coupons/index.js";
import { formatRedemptionCode, REDEMPTION_CODE_BYTES } from "../domain/offers/index.js";
import { isValidTimeZone, localDayKey } from "../domain/rules/localTime.js";
import type { Principal } from "./CredentialService.js";
import { conflict, done, forbidden, invalid, notFound, type Outcome, type RefusalCode, refuse } from "./Outcome.js";
import type { Clock } from "./ports.js";
import type {
  BatchCounters,
  ClaimResult,
  CouponRepository,
  CouponStatsRow,
  DirectoryRepository,
  GiftAnswer,
  GiftResult,
  UserRepository,
  WrittenEntry,
} from "./repositories.js";

/** What happened to a coupon, for the live view and the webhook stream (WeChat pushes the same). */
export type CouponEvent =
  | { readonly kind: "claimed"; readonly coupon: Coupon; readonly at: number }
  | { readonly kind: "gift-offered"; readonly gift: CouponGift; readonly at: number }
  | { readonly kind: "gift-accepted" | "gift-declined"; readonly gift: CouponGift; readonly coupon: Coupon; readonly at: number };

export interface CouponServiceOptions {
  readonly coupons: CouponRepository;
  /** Members: an app key's owner, and whether the members of a listed gift consent to analytics. */
  readonly users: Pick<UserRepository, "getUser" | "usersByIds">;
  readonly stores: Pick<DirectoryRepository, "getStore">;
  readonly clock: Clock;
  /** A CSPRNG (node's randomBytes): codes, ids and gift tokens. */
  readonly randomBytes: (size: number) => Buffer;
  /** Told every claim, gift, accept and decline. */
  readonly onEvent?: (event: CouponEvent) => void;
  /**
   * The ledger entries of a points exchange (the spend, lots found expired), written with its
   * coupon in one transaction outside the ledger's own writes; each with the balance after it.
   */
  readonly onPointsWritten?: (orgId: string, written: WrittenEntry) => void;
}

/** A claim as a caller asks it: the batch and where it came from. */
export interface ClaimInput {
  readonly batchId: string;
  readonly userId: string;
  /** The tag the link or QR carried (campaign, post, poster). */
  readonly channelTag?: string;
  /** The store where it was claimed (a till names its own). */
  readonly storeId?: string;
}

const CLAIM_REFUSAL: Record<Extract<ClaimResult, { ok: false }>["reason"], RefusalCode> = {
  "no-batch": "NOT_FOUND",
  "no-user": "NOT_FOUND",
  "out-of-stock": "OUT_OF_STOCK",
  "daily-out-of-stock": "OUT_OF_STOCK",
  "member-limit": "LIMIT_REACHED",
  "presence-required": "PRESENCE_REQUIRED",
};

const GIFT_REFUSAL: Record<Extract<GiftResult, { ok: false }>["reason"] | Extract<GiftAnswer, { ok: false }>["reason"], RefusalCode> = {
  "no-coupon": "NOT_FOUND",
  "not-giftable": "CONFLICT",
  "pass-limit": "LIMIT_REACHED",
  "not-open": "COUPON_NOT_VALID",
  "already-gifting": "CONFLICT",
  "no-gift": "NOT_FOUND",
  "timed-out": "CODE_EXPIRED",
  resolved: "CONFLICT",
  "own-gift": "FORBIDDEN",
  "member-limit": "LIMIT_REACHED",
};

/** What a points exchange bought and cost. */
export interface PointsExchange {
  readonly coupon: Coupon;
  readonly pointsSpent: number;
  /** The member's spendable points after the exchange; null on a replay (read the balance instead). */
  readonly balance: number | null;
  readonly replayed: boolean;
}

/** Who a send reaches: listed members, or an audience. */
export type SendTarget =
  | { readonly userIds: readonly string[]; readonly audience?: undefined }
  | {
      readonly userIds?: undefined;
      readonly audience: {
        readonly segment?: string;
        readonly tier?: string;
        readonly seenInStoreIds?: readonly string[];
        /** With `seenInStoreIds`; default 30. */
        readonly seenWithinDays?: number;
      };
    };

/** Each member's answer to a send: the coupon, or why not. */
export interface SendResult {
  readonly userId: string;
  readonly couponId: string | null;
  readonly refused: RefusalCode | null;
}

/** Most coupons one segment send issues in one request. */
export const MAX_SEND_USERS = 1000;

/** The stored token's form: a gift link is a bearer secret, so only its hash is kept. */
export const giftTokenHash = (token: string): string => createHash("sha256").update(token).digest("base64url");

/**
 * The coupon wallet: marketers' batches, claims through every channel, members' wallets, gifts and
 * the analytics of it all. Who may do what: admins and marketers manage batches and send to
 * segments; an app key claims, reads its wallet and gifts for its own user; a till key issues
 * coupons at its own store. Another organisation's batch or member is "not found".
 */
export class CouponService {
  /**
   * Batches by id: a batch is never edited once created (there is no update), so a flash sale's
   * thousands of claims read it once instead of once each. Bounded; cleared when full.
   */
  private readonly batchCache = new Map<string, CouponBatch>();

  constructor(private readonly o: CouponServiceOptions) {}

  async createBatch(principal: Principal, batchId: string, spec: unknown): Promise<Outcome<CouponBatch>> {
    const checked = checkBatchSpec(spec, isValidTimeZone);
    if (!checked.ok) return invalid(checked.problems.map((p) => ({ ...p, path: `/spec${p.path}` })));
    const problems: Problem[] = [];
    for (const [i, storeId] of checked.value.storeIds.entries()) {
      const store = await this.o.stores.getStore(storeId);
      if (!store || store.orgId !== principal.orgId) problems.push({ path: `/spec/storeIds/${i}`, message: `no store ${storeId} in this organisation` });
    }
    if (problems.length > 0) return invalid(problems);
    const batch: CouponBatch = { batchId, orgId: principal.orgId, spec: checked.value, createdAt: this.o.clock.now() };
    if (!(await this.o.coupons.createBatch(batch))) return conflict(`batch id ${batchId} is not available; choose another`);
    return done(batch);
  }

  async batch(principal: Principal, batchId: string): Promise<Outcome<{ batch: CouponBatch; counters: BatchCounters; gifts: GiftCounts }>> {
    const batch = await this.batchOf(principal, batchId);
    if (!batch.ok) return batch;
    const now = this.o.clock.now();
    const counters = await this.o.coupons.batchCounters(batchId, localDayKey(now, batch.value.spec.timezone));
    return done({ batch: batch.value, counters, gifts: await this.o.coupons.giftCounts(batchId, now) });
  }

  /**
   * A batch's gifts for the organisation's marketers and admins, newest first, each in its state
   * now, a page after `after`: the giver and the friend named only where they consent to analytics
   * (`giftSeenByStaff`). The gift's token is never stored, so never listed.
   */
  async gifts(
    principal: Principal,
    batchId: string,
    page: { readonly states?: readonly GiftState[]; readonly limit: number; readonly after: { readonly at: number; readonly id: string } | null },
  ): Promise<Outcome<StaffGift[]>> {
    const batch = await this.batchOf(principal, batchId);
    if (!batch.ok) return batch;
    const now = this.o.clock.now();
    const gifts = await this.o.coupons.listGifts({ batchId, now, limit: page.limit, after: page.after, ...(page.states === undefined ? {} : { states: page.states }) });
    const ids = [...new Set(gifts.flatMap((g) => (g.toUserId === null ? [g.fromUserId] : [g.fromUserId, g.toUserId])))];
    const consenting = new Set(
      (ids.length === 0 ? [] : await this.o.users.usersByIds(ids)).filter((u) => u.orgId === principal.orgId && u.analyticsConsent).map((u) => u.id),
    );
    return done(gifts.map((g) => giftSeenByStaff(g, now, (id) => consenting.has(id))));
  }

  async batches(principal: Principal, limit: number): Promise<Outcome<CouponBatch[]>> {
    return done(await this.o.coupons.listBatches(principal.orgId, limit));
  }

  /**
   * A claim through the caller's channel: an app claims online for its own user (from a link or
   * QR with its tag), a till issues at its store for the next visit, an admin issues online on a
   * member's behalf. Near-field batches need the member seen in one of their stores lately.
   */
  async claim(principal: Principal, request: Omit<ClaimInput, "userId"> & { readonly userId?: string }): Promise<Outcome<Coupon>> {
    const userId = request.userId ?? (principal.role === "app" ? principal.userId : null);
    if (userId === null) return invalid([{ path: "/userId", message: "required for till and admin keys" }]);
    const input: ClaimInput = { ...request, userId };
    let channel: Exclude<IssueChannel, "rule">;
    let storeId: string | null = input.storeId ?? null;
    if (principal.role === "app") {
      if (principal.userId !== input.userId) return forbidden("an app key may only claim for its own user");
      channel = "online";
    } else if (principal.role === "pos") {
      if (input.storeId !== undefined && input.storeId !== principal.storeId) return forbidden("this till key belongs to another store");
      channel = "till";
      storeId = principal.storeId;
    } else {
      channel = "online";
    }
    return this.issue(principal.orgId, { ...input, storeId }, channel);
  }

  /**
   * Sends a batch to members chosen by the marketer: a list of ids, or an audience (a segment, a
   * tier, members seen in some stores within N days). A send is marketing: only members who consent
   * to it get a coupon (the others are answered `FORBIDDEN`). One coupon each while stock lasts.
   */
  async send(principal: Principal, batchId: string, to: SendTarget): Promise<Outcome<SendResult[]>> {
    const batch = await this.batchOf(principal, batchId);
    if (!batch.ok) return batch;
    let userIds: readonly string[];
    if (to.userIds !== undefined) {
      userIds = to.userIds;
    } else {
      const a = to.audience;
      const now = this.o.clock.now();
      userIds = await this.o.coupons.audience({
        orgId: principal.orgId,
        segment: a.segment ?? null,
        tier: a.tier ?? null,
        seenInStoreIds: a.seenInStoreIds ?? null,
        seenSinceMs: now - (a.seenWithinDays ?? 30) * 86_400_000,
        limit: MAX_SEND_USERS,
      });
    }
    const results: SendResult[] = [];
    for (const userId of userIds) {
      const user = await this.o.users.getUser(userId);
      if (!user || user.orgId !== principal.orgId) {
        results.push({ userId, couponId: null, refused: "NOT_FOUND" });
        continue;
      }
      if (!user.marketingConsent) {
        results.push({ userId, couponId: null, refused: "FORBIDDEN" });
        continue;
      }
      const issued = await this.issue(principal.orgId, { batchId, userId }, "segment");
      results.push({ userId, couponId: issued.ok ? issued.value.offerId : null, refused: issued.ok ? null : issued.code });
    }
    return done(results);
  }

  /**
   * Points exchange: the member spends the batch's points price for one coupon, in one
   * transaction (points spent and coupon issued, or neither). The member's app exchanges for its
   * own user; an admin on a member's behalf (customer service). A marketer may not: spending a
   * member's points is the member's decision, and marketers reach members by sends, which cost
   * the member nothing. The same idempotency key answers the same coupon without spending twice.
   */
  async exchangeForPoints(
    principal: Principal,
    userId: string,
    input: { readonly batchId: string; readonly idempotencyKey: string },
  ): Promise<Outcome<PointsExchange>> {
    if (principal.role !== "app" && principal.role !== "admin") return forbidden("points are exchanged by the member's app or an admin");
    const allowed = await this.mayActFor(principal, userId);
    if (!allowed.ok) return allowed;
    // Keyed per member (the same key from two members is two exchanges), without the member's id
    // in the stored key, as transfers do: an export or an erasure leaves no trace of who it was.
    const key = `exchange:${createHash("sha256").update(`${userId}\n${input.idempotencyKey}`).digest("base64url").slice(0, 32)}`;
    // A retry is answered even after the batch ended or ran out since the first exchange.
    const prior = await this.o.coupons.exchangedCoupon(principal.orgId, key);
    if (prior) {
      if (prior.coupon.userId !== userId && prior.entry.memberId !== userId) return conflict("this idempotency key was used for another exchange");
      return done({ coupon: prior.coupon, pointsSpent: -prior.entry.points, balance: null, replayed: true });
    }
    const batch = await this.cachedBatch(input.batchId);
    if (!batch || batch.orgId !== principal.orgId) return notFound(`no batch ${input.batchId} in this organisation`);
    const price = batch.spec.pointsPrice;
    if (!batch.spec.channels.includes("points") || price === undefined) return forbidden("this batch is not exchanged for points");
    const now = this.o.clock.now();
    const issued = issueCoupon({
      batch,
      couponId: this.id("c"),
      userId,
      storeId: null,
      channel: "points",
      channelTag: null,
      codeBytes: this.o.randomBytes(REDEMPTION_CODE_BYTES),
      now,
    });
    if (!issued.ok) return refuse(issued.reason === "channel" ? "FORBIDDEN" : "OUT_OF_STOCK", issued.text);
    const result = await this.o.coupons.exchangeForPoints({
      orgId: principal.orgId,
      claim: {
        batchId: batch.batchId,
        coupon: issued.coupon,
        dayKey: localDayKey(now, batch.spec.timezone),
        presenceSince: presenceSinceOf(batch.spec, now),
        delivered: true,
        reminderLeadMs: batch.spec.reminderLeadMin === undefined ? null : batch.spec.reminderLeadMin * 60_000,
      },
      points: price,
      idempotencyKey: key,
      now,
    });
    if (!result.ok) {
      if (result.reason === "insufficient-points") return refuse("INSUFFICIENT_POINTS", result.text);
      if (result.reason === "key-reused") return conflict(result.text);
      return refuse(CLAIM_REFUSAL[result.reason], result.text);
    }
    if (!result.replayed) this.o.onEvent?.({ kind: "claimed", coupon: result.coupon, at: now });
    for (const w of result.written) this.o.onPointsWritten?.(principal.orgId, w);
    return done({ coupon: result.coupon, pointsSpent: -result.entry.points, balance: result.replayed ? null : result.balance, replayed: result.replayed });
  }

  async wallet(principal: Principal, userId: string, limit: number): Promise<Outcome<Coupon[]>> {
    const allowed = await this.mayActFor(principal, userId);
    if (!allowed.ok) return allowed;
    return done(await this.o.coupons.wallet(userId, limit));
  }

  async coupon(principal: Principal, userId: string, couponId: string): Promise<Outcome<Coupon>> {
    const allowed = await this.mayActFor(principal, userId);
    if (!allowed.ok) return allowed;
    const coupon = await this.o.coupons.getCoupon(couponId);
    if (!coupon || coupon.userId !== userId) return notFound(`no coupon ${couponId} in this wallet`);
    return done(coupon);
  }

  /** The owner offers a coupon as a gift: the answer's token (a link to share) is shown once. */
  async gift(principal: Principal, userId: string, couponId: string): Promise<Outcome<{ token: string; gift: CouponGift }>> {
    if (principal.role !== "app" || principal.userId !== userId) return forbidden("only the owner's app gives a coupon away");
    const coupon = await this.o.coupons.getCoupon(couponId);
    if (!coupon || coupon.userId !== userId) return notFound(`no coupon ${couponId} in this wallet`);
    const batch = coupon.channel === "rule" ? null : await this.o.coupons.getBatch(coupon.batchId);
    const now = this.o.clock.now();
    const token = this.o.randomBytes(24).toString("base64url");
    const result = await this.o.coupons.offerGift({
      giftId: this.id("g"),
      tokenHash: giftTokenHash(token),
      couponId,
      userId,
      maxPasses: batch ? maxGiftPassesOf(batch.spec) : 0,
      expiresAt: Math.min(now + (batch ? giftTimeoutMsOf(batch.spec) : 0), coupon.expiresAt),
      now,
    });
    if (!result.ok) return refuse(GIFT_REFUSAL[result.reason], result.text);
    this.o.onEvent?.({ kind: "gift-offered", gift: result.gift, at: now });
    return done({ token, gift: result.gift });
  }

  /** The friend (an app key of the same organisation) accepts: the coupon is theirs, with a new code. */
  async accept(principal: Principal, token: string): Promise<Outcome<{ gift: CouponGift; coupon: Coupon }>> {
    const gift = await this.giftFor(principal, token);
    if (!gift.ok) return gift;
    const now = this.o.clock.now();
    const result = await this.o.coupons.acceptGift({
      tokenHash: giftTokenHash(token),
      userId: gift.value,
      newCode: formatRedemptionCode(this.o.randomBytes(REDEMPTION_CODE_BYTES)),
      now,
    });
    if (!result.ok) return refuse(GIFT_REFUSAL[result.reason], result.text);
    this.o.onEvent?.({ kind: "gift-accepted", gift: result.gift, coupon: result.coupon, at: now });
    return done({ gift: result.gift, coupon: result.coupon });
  }

  async decline(principal: Principal, token: string): Promise<Outcome<{ gift: CouponGift }>> {
    const gift = await this.giftFor(principal, token);
    if (!gift.ok) return gift;
    const now = this.o.clock.now();
    const result = await this.o.coupons.declineGift({ tokenHash: giftTokenHash(token), userId: gift.value, now });
    if (!result.ok) return refuse(GIFT_REFUSAL[result.reason], result.text);
    this.o.onEvent?.({ kind: "gift-declined", gift: result.gift, coupon: result.coupon, at: now });
    return done({ gift: result.gift });
  }

  /** Coupon analytics of the caller's organisation between two instants (epoch ms). */
  async stats(principal: Principal, fromMs: number, toMs: number): Promise<Outcome<CouponStatsRow[]>> {
    if (!(toMs > fromMs)) return invalid([{ path: "/to", message: "must be after from" }]);
    if (toMs - fromMs > 366 * 86_400_000) return invalid([{ path: "/to", message: "at most 366 days after from" }]);
    return done(await this.o.coupons.couponStats(principal.orgId, fromMs, toMs));
  }

  private async issue(orgId: string, input: Omit<ClaimInput, "storeId"> & { readonly storeId?: string | null }, channel: Exclude<IssueChannel, "rule">): Promise<Outcome<Coupon>> {
    const batch = await this.cachedBatch(input.batchId);
    if (!batch || batch.orgId !== orgId) return notFound(`no batch ${input.batchId} in this organisation`);
    // The member's organisation is checked inside the claim's transaction (one read fewer per claim).
    const now = this.o.clock.now();
    const issued = issueCoupon({
      batch,
      couponId: this.id("c"),
      userId: input.userId,
      storeId: input.storeId ?? null,
      channel,
      channelTag: input.channelTag ?? null,
      codeBytes: this.o.randomBytes(REDEMPTION_CODE_BYTES),
      now,
    });
    if (!issued.ok) {
      if (issued.reason === "store") return invalid([{ path: "/storeId", message: issued.text }]);
      return refuse(issued.reason === "channel" ? "FORBIDDEN" : "OUT_OF_STOCK", issued.text);
    }
    const result = await this.o.coupons.claim({
      batchId: batch.batchId,
      coupon: issued.coupon,
      dayKey: localDayKey(now, batch.spec.timezone),
      presenceSince: presenceSinceOf(batch.spec, now),
      // A claim is handed over in its answer; a segment send is pushed to the member's app on the
      // offers channel by the offer sweeper's redelivery, as a rule's offer the broker missed is.
      delivered: channel !== "segment",
      reminderLeadMs: batch.spec.reminderLeadMin === undefined ? null : batch.spec.reminderLeadMin * 60_000,
    });
    if (!result.ok) return refuse(CLAIM_REFUSAL[result.reason], result.text);
    this.o.onEvent?.({ kind: "claimed", coupon: result.coupon, at: now });
    return done(result.coupon);
  }

  private async cachedBatch(batchId: string): Promise<CouponBatch | null> {
    const cached = this.batchCache.get(batchId);
    if (cached) return cached;
    const batch = await this.o.coupons.getBatch(batchId);
    if (batch) {
      if (this.batchCache.size >= 1000) this.batchCache.clear();
      this.batchCache.set(batchId, batch);
    }
    return batch;
  }

  private async batchOf(principal: Principal, batchId: string): Promise<Outcome<CouponBatch>> {
    const batch = await this.o.coupons.getBatch(batchId);
    if (!batch || batch.orgId !== principal.orgId) return notFound(`no batch ${batchId} in this organisation`);
    return done(batch);
  }

  private async giftFor(principal: Principal, token: string): Promise<Outcome<string>> {
    if (principal.role !== "app" || principal.userId === null) return forbidden("a gift is accepted or declined in the friend's app");
    const gift = await this.o.coupons.getGift(giftTokenHash(token));
    const owner = gift ? await this.o.users.getUser(gift.fromUserId) : null;
    if (!gift || !owner || owner.orgId !== principal.orgId) return notFound("no such gift");
    return done(principal.userId);
  }

  private async mayActFor(principal: Principal, userId: string): Promise<Outcome<void>> {
    if (principal.role === "app" && principal.userId !== userId) return forbidden("an app key may only act for its own user");
    const user = await this.o.users.getUser(userId);
    if (!user || user.orgId !== principal.orgId) return notFound(`no user ${userId} in this organisation`);
    return done(undefined);
  }

  private id(prefix: string): string {
    return `${prefix}_${this.o.randomBytes(12).toString("base64url")}`;
  }
}

function presenceSinceOf(spec: BatchSpec, now: number): number | null {
  return spec.presenceWithinMin === undefined ? null : now - spec.presenceWithinMin * 60_000;
}
