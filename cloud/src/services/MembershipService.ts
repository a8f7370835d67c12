import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Problem } from "../../../protocol/index.js";
import {
  type BasketLine,
  checkLoyaltyProgram,
  EMPTY_PROGRAM,
  formatMemberCode,
  type LoyaltyProgram,
  MEMBER_CODE_QR_PREFIX,
  MEMBER_CODE_SIGNATURE_CHARS,
  MEMBER_CODE_TTL_S,
  memberCodePayload,
  memberDayMultiplier,
  nextTier,
  parseMemberCode,
  purchaseEarning,
  qualifyingTier,
  quotePointsRedemption,
  refundReversalPoints,
} from "../domain/loyalty/index.js";
import { type Basket, type DiscountAnswer, spreadDiscount } from "../domain/coupons/index.js";
import { localDayKey } from "../domain/rules/localTime.js";
import type { Principal } from "./CredentialService.js";
import { conflict, done, forbidden, invalid, notFound, type Outcome, refuse } from "./Outcome.js";
import type { CounterInstrument, Metrics } from "./Metrics.js";
import type { Clock, Logger, RandomBytes, Scheduler, TimerHandle } from "./ports.js";
import type {
  AppUser,
  DirectoryRepository,
  LedgerEntry,
  LedgerRepository,
  LedgerWriteResult,
  MemberBalance,
  MemberPurchase,
  MembershipRepository,
  StoredEvent,
  TierChange,
  UserRepository,
  WrittenEntry,
} from "./repositories.js";

const DAY_MS = 86_400_000;
/** Largest quantity of one basket line: a till never sells more of one item at once. */
export const MAX_LINE_QUANTITY = 10_000;
/** Largest unit price, minor units (10 million in major units). */
export const MAX_UNIT_PRICE_MINOR = 1_000_000_000;

export interface MembershipServiceOptions {
  readonly ledger: LedgerRepository;
  readonly membership: MembershipRepository;
  readonly users: Pick<UserRepository, "getUser">;
  readonly directory: Pick<DirectoryRepository, "getStore" | "listOrganisations">;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly randomBytes: RandomBytes;
  /** Life of a member code, seconds (default 300). */
  readonly memberCodeTtlS?: number;
  /** How often expired lots are written off and tiers past their period re-evaluated, ms (default hourly). */
  readonly sweepIntervalMs?: number;
  /** Where the points earned and the purchases reported are counted (absent: not counted). */
  readonly metrics?: Metrics;
  /** Called when a member's tier changes (webhooks, live views). */
  readonly onTierChanged?: (orgId: string, change: TierChange) => void;
  /**
   * Ledger entries written beside a purchase in one transaction (points paid at the till, the
   * points earned on the net, lots found expired), which the ledger's own writes do not see; each
   * with its member's balance just after it.
   */
  readonly onPointsWritten?: (orgId: string, written: WrittenEntry) => void;
}

/** A purchase as the till (or an online shop) reports it. */
export interface PurchaseInput {
  /** The dynamic member code the app showed (or its QR payload), or the member id. */
  readonly memberCode?: string;
  readonly memberId?: string;
  readonly orderId: string;
  /** Required for admin keys; a till key is bound to its store. */
  readonly storeId?: string;
  readonly channel?: "till" | "online";
  readonly totalMinor: number;
  readonly currency: string;
  readonly lines: readonly BasketLine[];
  /**
   * Points the member pays part of the basket with, where the programme takes points at the till:
   * reduced to the basket share the programme allows, the rest stays in the balance.
   */
  readonly pointsToSpend?: number;
}

/** A coupon redeemed with the basket, as the redemption recorded it. */
export interface CouponRedemptionInput {
  readonly orgId: string;
  readonly redemptionId: string;
  /** The coupon's owner. */
  readonly memberId: string;
  readonly storeId: string;
  readonly channel: "till" | "online";
  readonly basket: Basket;
  /** The discount the redemption answered; null when the coupon took nothing off. */
  readonly discount: DiscountAnswer | null;
  /** When it was redeemed, epoch ms: the member day is the store's local day of this instant. */
  readonly at: number;
  readonly replayed: boolean;
}

/** What a coupon redemption earned. */
export interface CouponRedemptionEarning {
  readonly points: number;
  readonly multiplier: number;
  readonly memberDayId: string | null;
  /** The order as membership keys it: `<storeId>:<orderId>`. */
  readonly orderKey: string;
  /**
   * `earned` (perhaps 0 points, by the programme), `order-reported` (the order earned once already,
   * as a purchase or by another redemption), `no-member`, or `not-written` (the ledger refused).
   */
  readonly reason: "earned" | "order-reported" | "no-member" | "not-written";
  readonly replayed: boolean;
}

/** Ledger key of a coupon redemption's earning: one per redemption. */
export const couponRedemptionKey = (redemptionId: string): string => `coupon-redemption:${redemptionId}`;

/** What a refund did (or, replayed, what it did the first time). */
export interface RefundResult {
  readonly memberId: string;
  readonly refundId: string;
  readonly reversedPoints: number;
  /** Points spent on the order that this refund gave back, in proportion to the amount refunded. */
  readonly returnedPoints: number;
  /** Refunded of the order so far, this refund included, minor units. */
  readonly refundedMinor: number;
  readonly totalMinor: number;
  readonly balance: number;
  readonly owed: number;
  readonly replayed: boolean;
}

export interface PurchaseResult {
  readonly memberId: string;
  readonly orderKey: string;
  readonly points: number;
  /** Points spent as a discount on this purchase (0 when none). */
  readonly pointsSpent: number;
  /** The discount they paid, minor units: the till takes `totalMinor` less this. */
  readonly pointsDiscountMinor: number;
  /** What the member pays after the points discount, minor units; earning is on this. */
  readonly payableMinor: number;
  readonly multiplier: number;
  readonly memberDayId: string | null;
  readonly balance: number;
  readonly owed: number;
  readonly tier: string | null;
  readonly replayed: boolean;
}

/** What points could pay of a basket, before the purchase is reported. */
export interface PointsQuote {
  readonly memberId: string;
  /** The member's spendable points now. */
  readonly balance: number;
  /** The most points this basket takes: the programme's basket share, or the balance if lower. */
  readonly maxPoints: number;
  readonly maxDiscountMinor: number;
  /** The points the purchase would spend for the `pointsToSpend` asked (0 when none was asked). */
  readonly points: number;
  readonly discountMinor: number;
  readonly payableMinor: number;
}

/**
 * One membership across channels: the loyalty programme marketers write, purchases at the till that
 * earn points (member identified by a short-lived signed code or by id), refunds that reverse them,
 * admin adjustments, transfers, tiers kept in sync with the profile's `loyaltyTier`, member codes,
 * and the balance and history the app reads. Refusals are outcomes with catalogue codes.
 */
export class MembershipService {
  private timer: TimerHandle | null = null;
  private secret: Promise<Uint8Array> | null = null;
  /** Visit earnings in arrival order, one at a time (the per-day cap is checked in order). */
  private visitQueue: Promise<void> = Promise.resolve();
  private refunds: Promise<void> = Promise.resolve();

  private readonly earned: CounterInstrument | null;
  private readonly purchases: CounterInstrument | null;

  constructor(private readonly o: MembershipServiceOptions) {
    this.earned =
      o.metrics?.counter({ name: "arrival_points_earned_total", help: "Points earned, by source.", labelNames: ["source"] }) ?? null;
    this.purchases =
      o.metrics?.counter({
        name: "arrival_loyalty_purchases_total",
        help: "Purchases reported for members, by outcome (earned, replayed, refused).",
        labelNames: ["outcome"],
      }) ?? null;
  }

  /** Starts the periodic sweep (expiry entries and tier period ends). Idempotent. */
  start(): void {
    if (this.timer) return;
    this.timer = this.o.scheduler.setInterval(() => {
      this.sweep().catch((err: unknown) => this.o.log.error({ err }, "membership sweep failed"));
    }, this.o.sweepIntervalMs ?? 3_600_000);
  }

  stop(): void {
    if (this.timer) this.o.scheduler.clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes off expired lots and re-evaluates tiers whose period ended, in every organisation. */
  async sweep(): Promise<{ expired: number; tierChanges: number }> {
    const now = this.o.clock.now();
    let expired = 0;
    for (let batch = await this.o.ledger.expireDue(now, 1000); batch.length > 0; batch = await this.o.ledger.expireDue(now, 1000))
      expired += batch.length;
    let tierChanges = 0;
    for (const org of await this.o.directory.listOrganisations()) {
      const program = await this.program(org.id);
      if (program.tiers.length === 0) continue;
      const due = await this.o.membership.membersWithTierBefore(org.id, now - program.tierWindowDays * DAY_MS, 10_000);
      for (const member of due) if (await this.evaluateTier(org.id, member.userId, now)) tierChanges += 1;
    }
    return { expired, tierChanges };
  }

  async program(orgId: string): Promise<LoyaltyProgram> {
    return (await this.o.membership.getProgram(orgId))?.program ?? EMPTY_PROGRAM;
  }

  async getProgram(principal: Principal): Promise<Outcome<{ program: LoyaltyProgram; version: number }>> {
    return done((await this.o.membership.getProgram(principal.orgId)) ?? { program: EMPTY_PROGRAM, version: 0 });
  }

  /** Replaces the organisation's programme (admin and marketer keys). */
  async putProgram(principal: Principal, body: unknown): Promise<Outcome<{ program: LoyaltyProgram; version: number }>> {
    const checked = checkLoyaltyProgram(body);
    if (!checked.ok) return invalid(checked.problems);
    const version = await this.o.membership.putProgram(principal.orgId, checked.value, this.o.clock.now());
    this.o.log.info({ orgId: principal.orgId, version, actor: principal.keyId }, "loyalty programme replaced");
    return done({ program: checked.value, version });
  }

  /** A fresh member code for the app to show as QR; valid `memberCodeTtlS` seconds. */
  async memberCode(principal: Principal, userId: string): Promise<Outcome<{ code: string; qr: string; expiresAt: number }>> {
    const user = await this.memberFor(principal, userId);
    if (!user.ok) return user;
    const expiresAtS = Math.ceil(this.o.clock.now() / 1000) + (this.o.memberCodeTtlS ?? MEMBER_CODE_TTL_S);
    const code = formatMemberCode(userId, expiresAtS, await this.sign(memberCodePayload(userId, expiresAtS)));
    return done({ code, qr: `${MEMBER_CODE_QR_PREFIX}${code}`, expiresAt: expiresAtS * 1000 });
  }

  async balance(principal: Principal, userId: string): Promise<Outcome<MemberBalance & { tier: string | null }>> {
    const user = await this.memberFor(principal, userId);
    if (!user.ok) return user;
    const balance = await this.o.ledger.balance(user.value.orgId, userId, this.o.clock.now());
    return done({ ...balance, tier: (await this.o.membership.getMember(userId))?.tier ?? null });
  }

  async history(principal: Principal, userId: string, options: { limit: number; beforeSeq?: number }): Promise<Outcome<LedgerEntry[]>> {
    const user = await this.memberFor(principal, userId);
    if (!user.ok) return user;
    const entries = await this.o.ledger.history(user.value.orgId, userId, options);
    // A store visit's reference names the store and the day: where the member was. Staff reading
    // the ledger of a member without analytics consent see the points, not where they came from;
    // the member's own app sees it all.
    if (principal.role === "app" || user.value.analyticsConsent) return done(entries);
    return done(entries.map((e) => (e.source === "store-visit" ? { ...e, reference: null } : e)));
  }

  async tierChanges(principal: Principal, userId: string): Promise<Outcome<TierChange[]>> {
    const user = await this.memberFor(principal, userId);
    if (!user.ok) return user;
    return done(await this.o.membership.tierChanges(userId, 100));
  }

  /** A purchase at the till or online: earns by the programme, once per order. */
  async purchase(principal: Principal, input: PurchaseInput): Promise<Outcome<PurchaseResult>> {
    const outcome = await this.purchaseOnce(principal, input);
    this.purchases?.inc({ outcome: !outcome.ok ? "refused" : outcome.value.replayed ? "replayed" : "earned" });
    if (outcome.ok && !outcome.value.replayed && outcome.value.points > 0)
      this.earned?.inc({ source: (input.channel ?? "till") === "till" ? "till-purchase" : "online-order" }, outcome.value.points);
    return outcome;
  }

  private async purchaseOnce(principal: Principal, input: PurchaseInput): Promise<Outcome<PurchaseResult>> {
    const problems = basketProblems(input);
    if (problems.length > 0) return invalid(problems);
    const storeId = principal.role === "pos" ? principal.storeId : (input.storeId ?? null);
    if (principal.role === "pos" && input.storeId !== undefined && input.storeId !== principal.storeId)
      return refuse("WRONG_STORE", "a till key reports purchases of its own store only");
    const channel = input.channel ?? "till";
    if (channel === "till" && storeId === null) return invalid([{ path: "/storeId", message: "is required for a till purchase with this key" }]);
    const store = storeId === null ? null : await this.o.directory.getStore(storeId);
    if (storeId !== null && (!store || store.orgId !== principal.orgId)) return notFound(`no store ${storeId}`);
    const member = await this.identify(principal, input);
    if (!member.ok) return member;
    const memberId = member.value.id;
    const now = this.o.clock.now();
    const orderKey = `${storeId ?? "online"}:${input.orderId}`;

    const prior = await this.o.membership.getPurchase(principal.orgId, orderKey);
    if (prior) {
      if (prior.userId !== memberId) return conflict(`order ${input.orderId} was reported for another member`);
      const b = await this.o.ledger.balance(principal.orgId, memberId, now);
      const tier = (await this.o.membership.getMember(memberId))?.tier ?? null;
      return done({ ...purchaseAnswer(prior), memberId, multiplier: 1, memberDayId: null, balance: b.balance, owed: b.owed, tier, replayed: true });
    }
    const program = await this.program(principal.orgId);
    let redemption: { points: number; discountMinor: number } | null = null;
    if (input.pointsToSpend !== undefined && input.pointsToSpend > 0) {
      const quote = quotePointsRedemption(program.pointsRedemption, program.currency, {
        pointsToSpend: input.pointsToSpend,
        totalMinor: input.totalMinor,
        currency: input.currency,
      });
      if (!quote.ok) return quote.reason === "not-allowed" ? forbidden(quote.text) : invalid([{ path: "/pointsToSpend", message: quote.text }]);
      if (quote.points > 0) redemption = { points: quote.points, discountMinor: quote.discountMinor };
    }
    const profile = await this.o.membership.getMember(memberId);
    const earning = purchaseEarning(program, input.lines, {
      channel,
      storeId,
      timeZone: store?.timezone ?? "UTC",
      at: now,
      currency: input.currency,
      birthMonth: profile?.birthMonth ?? null,
      pointsDiscountMinor: redemption?.discountMinor ?? 0,
    });
    const source = channel === "till" ? "till-purchase" : "online-order";
    const expiresAt = program.pointsValidityDays === null ? null : now + program.pointsValidityDays * DAY_MS;
    if (redemption) {
      // Points paid part of it: the spend, the earning on the net and the purchase are one write.
      const written = await this.o.membership.recordPurchaseWithPoints({
        purchase: {
          orgId: principal.orgId,
          orderKey,
          userId: memberId,
          storeId,
          channel,
          totalMinor: input.totalMinor,
          currency: input.currency,
          at: now,
          pointsSpent: redemption.points,
          pointsDiscountMinor: redemption.discountMinor,
        },
        source,
        spendKey: `purchase-spend:${orderKey}`,
        earn:
          earning.points > 0
            ? {
                points: earning.points,
                expiresAt,
                reason: earning.memberDayId === null ? null : `member day ${earning.memberDayId} x${earning.multiplier}`,
                key: `purchase:${orderKey}`,
              }
            : null,
        now,
      });
      if (!written.ok) {
        if (written.reason === "insufficient-points")
          return refuse("INSUFFICIENT_POINTS", `not enough points: ${redemption.points} asked, the balance is ${written.balance}`);
        return conflict(written.text);
      }
      if (!written.recorded) {
        // Another till's report of the same order won the race: answer as a replay.
        if (written.purchase.userId !== memberId) return conflict(`order ${input.orderId} was reported for another member`);
        const b = await this.o.ledger.balance(principal.orgId, memberId, now);
        const tier = (await this.o.membership.getMember(memberId))?.tier ?? null;
        return done({ ...purchaseAnswer(written.purchase), memberId, multiplier: 1, memberDayId: null, balance: b.balance, owed: b.owed, tier, replayed: true });
      }
      for (const w of written.written) this.o.onPointsWritten?.(principal.orgId, w);
      await this.evaluateTier(principal.orgId, memberId, now);
      const tier = (await this.o.membership.getMember(memberId))?.tier ?? null;
      return done({
        ...purchaseAnswer(written.purchase),
        memberId,
        multiplier: earning.multiplier,
        memberDayId: earning.memberDayId,
        balance: written.balance,
        owed: written.owed,
        tier,
        replayed: false,
      });
    }
    let balance = await this.o.ledger.balance(principal.orgId, memberId, now);
    // What the ledger holds for this order: a retry after a crash between the two writes below
    // finds the first earning (computed then, perhaps on another member day) and records that.
    let points = earning.points;
    if (earning.points > 0) {
      const written = await this.o.ledger.append(
        principal.orgId,
        memberId,
        {
          kind: "earn",
          points: earning.points,
          source,
          expiresAt,
          reference: orderKey,
          reason: earning.memberDayId === null ? null : `member day ${earning.memberDayId} x${earning.multiplier}`,
        },
        `purchase:${orderKey}`,
        now,
      );
      if (!written.ok) return ledgerRefusal(written);
      balance = { ...balance, balance: written.balance, owed: written.owed };
      points = written.entry.points;
    }
    const recorded = await this.o.membership.recordPurchase({
      orgId: principal.orgId,
      orderKey,
      userId: memberId,
      storeId,
      channel,
      totalMinor: input.totalMinor,
      currency: input.currency,
      points,
      at: now,
    });
    const raced = recorded ? null : await this.o.membership.getPurchase(principal.orgId, orderKey);
    if (raced && raced.earnKey !== null) {
      // A coupon redemption of the same order recorded it between the read above and now: the
      // order earned there, so this earning is taken back and the report answered as a repeat.
      if (points > 0) {
        const undone = await this.o.ledger.append(
          principal.orgId,
          memberId,
          { kind: "reverse", reversesKey: `purchase:${orderKey}`, source, reference: orderKey, reason: "order redeemed with a coupon" },
          `purchase-undone:${orderKey}`,
          now,
        );
        if (!undone.ok && undone.reason !== "already-reversed") return ledgerRefusal(undone);
      }
      if (raced.userId !== memberId) return conflict(`order ${input.orderId} was reported for another member`);
      const b = await this.o.ledger.balance(principal.orgId, memberId, now);
      const tier = (await this.o.membership.getMember(memberId))?.tier ?? null;
      return done({ ...purchaseAnswer(raced), memberId, multiplier: 1, memberDayId: null, balance: b.balance, owed: b.owed, tier, replayed: true });
    }
    await this.evaluateTier(principal.orgId, memberId, now);
    const tier = (await this.o.membership.getMember(memberId))?.tier ?? null;
    return done({
      memberId,
      orderKey,
      points,
      pointsSpent: 0,
      pointsDiscountMinor: 0,
      payableMinor: input.totalMinor,
      multiplier: earning.multiplier,
      memberDayId: earning.memberDayId,
      balance: balance.balance,
      owed: balance.owed,
      tier,
      replayed: false,
    });
  }

  /**
   * What points may pay of a basket (Talon.One's effects before the session closes): the till
   * shows the member the offer, then reports the purchase with the `pointsToSpend` chosen. Writes
   * nothing; the purchase checks again against the balance as it then is.
   */
  async quotePoints(
    principal: Principal,
    input: { memberCode?: string; memberId?: string; totalMinor: number; currency: string; pointsToSpend?: number },
  ): Promise<Outcome<PointsQuote>> {
    const member = await this.identify(principal, input);
    if (!member.ok) return member;
    const program = await this.program(principal.orgId);
    const balance = (await this.o.ledger.balance(principal.orgId, member.value.id, this.o.clock.now())).balance;
    const wanted = Math.min(input.pointsToSpend ?? balance, balance);
    const quote = quotePointsRedemption(program.pointsRedemption, program.currency, {
      pointsToSpend: wanted,
      totalMinor: input.totalMinor,
      currency: input.currency,
    });
    if (!quote.ok) {
      if (quote.reason === "not-allowed") return forbidden(quote.text);
      if (quote.reason === "currency") return invalid([{ path: "/currency", message: quote.text }]);
      if (input.pointsToSpend !== undefined) return invalid([{ path: "/pointsToSpend", message: quote.text }]);
    }
    const asked = input.pointsToSpend !== undefined && quote.ok;
    const maxPoints = quote.ok ? Math.min(quote.maxPoints, balance) : 0;
    const discountMinor = asked ? quote.discountMinor : 0;
    return done({
      memberId: member.value.id,
      balance,
      maxPoints,
      maxDiscountMinor: quote.ok ? quote.maxDiscountMinor : 0,
      points: asked ? quote.points : 0,
      discountMinor,
      payableMinor: input.totalMinor - discountMinor,
    });
  }

  /**
   * A refund of an order, whole or in part. A whole refund (no `amountMinor`) reverses what the
   * purchase earned that earlier refunds did not; a partial one reverses points in proportion, by
   * `refundReversalPoints` (rounded down on each refund, exact once the whole order is refunded),
   * and needs a `refundId` unique within the order so that a retried request is answered rather
   * than refunded twice. Points already spent are owed. Refunds are taken one at a time in this
   * process, so two partial refunds of one order never count the same refunded amount.
   */
  refund(
    principal: Principal,
    input: { orderId: string; storeId?: string; amountMinor?: number; refundId?: string },
  ): Promise<Outcome<RefundResult>> {
    const run = this.refunds.then(() => this.refundOnce(principal, input));
    this.refunds = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async refundOnce(
    principal: Principal,
    input: { orderId: string; storeId?: string; amountMinor?: number; refundId?: string },
  ): Promise<Outcome<RefundResult>> {
    const storeId = principal.role === "pos" ? principal.storeId : (input.storeId ?? null);
    if (principal.role === "pos" && input.storeId !== undefined && input.storeId !== principal.storeId)
      return refuse("WRONG_STORE", "a till key refunds purchases of its own store only");
    if (input.amountMinor !== undefined && input.refundId === undefined)
      return invalid([{ path: "/refundId", message: "is required with amountMinor, so that a repeated partial refund is not refunded twice" }]);
    const orderKey = `${storeId ?? "online"}:${input.orderId}`;
    const purchase = await this.o.membership.getPurchase(principal.orgId, orderKey);
    if (!purchase) return notFound(`no purchase ${input.orderId} reported${storeId ? ` at store ${storeId}` : ""}`);
    const refundId = input.refundId ?? "whole";
    const returnKey = `refund-points:${orderKey}:${refundId}`;
    const answer = async (points: number, returned: number, replayed: boolean): Promise<Outcome<RefundResult>> => {
      const now = this.o.clock.now();
      const refreshed = (await this.o.membership.getPurchase(principal.orgId, orderKey)) ?? purchase;
      const b = await this.o.ledger.balance(principal.orgId, purchase.userId, now);
      return done({
        memberId: purchase.userId,
        refundId,
        reversedPoints: points,
        returnedPoints: returned,
        refundedMinor: refreshed.refundedMinor,
        totalMinor: purchase.totalMinor,
        balance: b.balance,
        owed: b.owed,
        replayed,
      });
    };
    const prior = await this.o.membership.getRefund(principal.orgId, orderKey, refundId);
    if (prior) {
      if (input.amountMinor !== undefined && prior.amountMinor !== input.amountMinor)
        return refuse("CONFLICT", `refund ${refundId} of order ${input.orderId} was for ${prior.amountMinor}, not ${input.amountMinor}`);
      return answer(prior.points, (await this.o.ledger.entryByKey(principal.orgId, returnKey))?.points ?? 0, true);
    }
    const left = purchase.totalMinor - purchase.refundedMinor;
    // A whole refund of an order refunded in full already (by an older release, or by parts) is a repeat.
    if (input.amountMinor === undefined && left === 0) return answer(0, 0, true);
    const amountMinor = input.amountMinor ?? left;
    if (amountMinor > left)
      return invalid([{ path: "/amountMinor", message: `at most ${left} of this order's ${purchase.totalMinor} is left to refund` }]);
    // The refund that completes the order takes back whatever is left of the earning (the ledger
    // knows it exactly), so the parts add up to the earning even if refunds raced elsewhere.
    const completes = purchase.refundedMinor + amountMinor === purchase.totalMinor;
    let points = refundReversalPoints(purchase.points, purchase.totalMinor, purchase.refundedMinor, amountMinor);
    const now = this.o.clock.now();
    let replayed = false;
    if (points > 0 || (completes && purchase.points > 0)) {
      // A whole refund keeps the key earlier releases used, so their retries stay answered.
      const key = refundId === "whole" ? `refund:${orderKey}` : `refund:${orderKey}:${refundId}`;
      const written = await this.o.ledger.append(
        principal.orgId,
        purchase.userId,
        {
          kind: "reverse",
          reversesKey: purchase.earnKey ?? `purchase:${orderKey}`,
          ...(completes ? {} : { points }),
          source: purchase.earnKey === null ? (purchase.channel === "till" ? "till-purchase" : "online-order") : "coupon-redemption",
          reference: orderKey,
          reason: input.amountMinor === undefined ? "refund" : `partial refund ${refundId}`,
        },
        key,
        now,
      );
      if (written.ok) {
        points = -written.entry.points;
        // A retry after a crash between the ledger and the refund record finds the reversal written.
        replayed = written.replayed;
      } else if (completes && written.reason === "already-reversed") {
        points = 0;
      } else {
        return ledgerRefusal(written);
      }
    }
    // Points that paid part of the order come back in the same proportion (exactly in full once
    // the whole order is refunded), as a lot of their own with the programme's validity from now.
    let returned = 0;
    const back = refundReversalPoints(purchase.pointsSpent, purchase.totalMinor, purchase.refundedMinor, amountMinor);
    if (back > 0 || (completes && purchase.pointsSpent > 0)) {
      const program = await this.program(principal.orgId);
      const written = await this.o.ledger.append(
        principal.orgId,
        purchase.userId,
        {
          kind: "reverse",
          reversesKey: `purchase-spend:${orderKey}`,
          ...(completes ? {} : { points: back }),
          source: purchase.channel === "till" ? "till-purchase" : "online-order",
          reference: orderKey,
          reason: input.amountMinor === undefined ? "refund: points paid back" : `partial refund ${refundId}: points paid back`,
          expiresAt: program.pointsValidityDays === null ? null : now + program.pointsValidityDays * DAY_MS,
        },
        returnKey,
        now,
      );
      if (written.ok) returned = written.entry.points;
      else if (!(completes && written.reason === "already-reversed")) return ledgerRefusal(written);
    }
    await this.o.membership.recordRefund({ orgId: principal.orgId, orderKey, refundId, amountMinor, points, at: now });
    await this.evaluateTier(principal.orgId, purchase.userId, now);
    return answer(points, returned, replayed);
  }

  /**
   * Points for a coupon redeemed with the basket: the order earns by the programme exactly as the
   * same purchase reported without a coupon would, on what the member paid (each line less its
   * share of the coupon's discount), on the store's local day for member days, and is recorded as
   * the member's purchase of the order (`<storeId>:<orderId>`, refunded like any other). Earned
   * once per redemption (ledger key `coupon-redemption:<redemptionId>`): a replayed redemption
   * answers what the first earned. An order reported already (a purchase, or another coupon's
   * redemption of it) earns nothing here: the order id is the key, and it earns once. Never
   * refuses: the redemption stands whatever this answers.
   */
  async couponRedeemed(input: CouponRedemptionInput): Promise<CouponRedemptionEarning> {
    const { orgId, memberId, storeId, basket } = input;
    const earnKey = couponRedemptionKey(input.redemptionId);
    const orderKey = `${storeId}:${basket.orderId}`;
    const none = (reason: CouponRedemptionEarning["reason"]): CouponRedemptionEarning => ({
      points: 0, multiplier: 1, memberDayId: null, orderKey, reason, replayed: input.replayed,
    });
    const earned = await this.o.ledger.entryByKey(orgId, earnKey);
    if (earned) return { points: earned.points, multiplier: 1, memberDayId: null, orderKey, reason: "earned", replayed: true };
    const user = await this.o.users.getUser(memberId);
    const store = await this.o.directory.getStore(storeId);
    if (!user || user.orgId !== orgId || !store || store.orgId !== orgId) return none("no-member");
    const prior = await this.o.membership.getPurchase(orgId, orderKey);
    if (prior) return prior.earnKey === earnKey ? { ...none("earned"), points: prior.points, replayed: true } : none("order-reported");
    const program = await this.program(orgId);
    const profile = await this.o.membership.getMember(memberId);
    const lineDiscountsMinor = input.discount?.lineDiscountsMinor ?? spreadDiscount(basket.lines.map((l) => l.quantity * l.unitPriceMinor), input.discount?.discountMinor ?? 0);
    const discountMinor = lineDiscountsMinor.reduce((sum, d) => sum + d, 0);
    const earning = purchaseEarning(program, basket.lines, {
      channel: input.channel,
      storeId,
      timeZone: store.timezone,
      at: input.at,
      currency: basket.currency,
      birthMonth: profile?.birthMonth ?? null,
      lineDiscountsMinor,
    });
    const now = this.o.clock.now();
    let points = 0;
    if (earning.points > 0) {
      const written = await this.o.ledger.append(
        orgId,
        memberId,
        {
          kind: "earn",
          points: earning.points,
          source: "coupon-redemption",
          expiresAt: program.pointsValidityDays === null ? null : now + program.pointsValidityDays * DAY_MS,
          reference: orderKey,
          reason: earning.memberDayId === null ? null : `member day ${earning.memberDayId} x${earning.multiplier}`,
        },
        earnKey,
        now,
      );
      if (!written.ok) {
        this.o.log.warn({ storeId, reason: written.reason }, "coupon redemption points not written");
        return none("not-written");
      }
      points = written.entry.points;
    }
    const recorded = await this.o.membership.recordPurchase({
      orgId,
      orderKey,
      userId: memberId,
      storeId,
      channel: input.channel,
      totalMinor: basket.totalMinor - discountMinor,
      currency: basket.currency,
      points,
      at: input.at,
      earnKey,
    });
    if (!recorded) {
      // A retry of this redemption racing this call recorded it: the earning (one entry, by its
      // key) is this one's.
      const raced = await this.o.membership.getPurchase(orgId, orderKey);
      if (raced?.earnKey === earnKey) return { ...none("earned"), points: raced.points, replayed: true };
      // The same order was reported as a purchase between the read above and now: it earned there.
      if (points > 0) await this.reverseCouponEarning(orgId, input.redemptionId, "order reported as a purchase");
      return none("order-reported");
    }
    if (points > 0) this.earned?.inc({ source: "coupon-redemption" }, points);
    await this.evaluateTier(orgId, memberId, now);
    return { points, multiplier: earning.multiplier, memberDayId: earning.memberDayId, orderKey, reason: "earned", replayed: false };
  }

  /**
   * A coupon redemption was voided: the points it earned are reversed (exactly what is left of
   * them after refunds; points already spent are owed) and its order is released, so the order may
   * be redeemed or reported again. Repeating it changes nothing. Answers the points reversed.
   */
  async couponRedemptionVoided(orgId: string, redemptionId: string): Promise<number> {
    const reversed = await this.reverseCouponEarning(orgId, redemptionId, "redemption voided");
    const released = await this.o.membership.releasePurchase(orgId, couponRedemptionKey(redemptionId));
    if (released) await this.evaluateTier(orgId, released.userId, this.o.clock.now());
    return reversed;
  }

  private async reverseCouponEarning(orgId: string, redemptionId: string, reason: string): Promise<number> {
    const earnKey = couponRedemptionKey(redemptionId);
    const earned = await this.o.ledger.entryByKey(orgId, earnKey);
    if (!earned) return 0;
    const written = await this.o.ledger.append(
      orgId,
      earned.memberId,
      { kind: "reverse", reversesKey: earnKey, source: "coupon-redemption", reference: earned.reference, reason },
      `coupon-redemption-void:${redemptionId}`,
      this.o.clock.now(),
    );
    if (written.ok) return -written.entry.points;
    // Refunds of the order took every point back already.
    if (written.reason === "already-reversed") return 0;
    this.o.log.warn({ reason: written.reason }, "coupon redemption points not reversed");
    return 0;
  }

  /** An admin's correction with its reason: positive earns a lot, negative takes points (never below zero). */
  async adjust(
    principal: Principal,
    userId: string,
    input: { points: number; reason: string; idempotencyKey: string },
  ): Promise<Outcome<{ entry: LedgerEntry; balance: number; owed: number; replayed: boolean }>> {
    if (principal.role !== "admin") return forbidden("only an admin key may adjust points");
    const user = await this.memberFor(principal, userId);
    if (!user.ok) return user;
    if (input.reason.trim().length === 0) return invalid([{ path: "/reason", message: "must say why" }]);
    if (!Number.isSafeInteger(input.points) || input.points === 0) return invalid([{ path: "/points", message: "must be a non-zero whole number" }]);
    const now = this.o.clock.now();
    const program = await this.program(principal.orgId);
    const written = await this.o.ledger.append(
      principal.orgId,
      userId,
      { kind: "adjust", points: input.points, reason: `${input.reason.trim()} (by ${principal.keyId})`, expiresAt: program.pointsValidityDays === null ? null : now + program.pointsValidityDays * DAY_MS },
      `adjust:${input.idempotencyKey}`,
      now,
    );
    if (!written.ok) return ledgerRefusal(written);
    this.o.log.info({ userId, points: input.points, actor: principal.keyId }, "points adjusted");
    return done({ entry: written.entry, balance: written.balance, owed: written.owed, replayed: written.replayed });
  }

  /** Points from one member to another of the organisation, where the programme allows it. */
  async transfer(
    principal: Principal,
    fromUserId: string,
    input: { toUserId: string; points: number; idempotencyKey: string },
  ): Promise<Outcome<{ entry: LedgerEntry; balance: number; replayed: boolean }>> {
    const from = await this.memberFor(principal, fromUserId);
    if (!from.ok) return from;
    const program = await this.program(principal.orgId);
    if (!program.transfersAllowed) return forbidden("this organisation's programme does not allow transfers");
    if (input.toUserId === fromUserId) return invalid([{ path: "/toUserId", message: "must be another member" }]);
    const to = await this.o.users.getUser(input.toUserId);
    if (!to || to.orgId !== principal.orgId) return notFound(`no member ${input.toUserId}`);
    // Keyed per sender (the same key from two members is two transfers), but the key stored on both
    // members' entries must not name the sender: a digest, not the user id, so an export or an
    // erasure leaves no trace of who sent it.
    const key = createHash("sha256").update(`${fromUserId}\n${input.idempotencyKey}`).digest("base64url").slice(0, 32);
    const written = await this.o.ledger.transfer(principal.orgId, fromUserId, input.toUserId, input.points, `transfer:${key}`, null, this.o.clock.now());
    if (!written.ok) return ledgerRefusal(written);
    return done({ entry: written.entry, balance: written.balance, replayed: written.replayed });
  }

  /**
   * The listener the cloud feeds with stored presence (gateway arrivals and plausible geofence
   * entries; implausible ones are never handed on): each enter of a registered user earns visit
   * points. Events stored unlinked (no analytics consent) earn nothing: presence is not used for
   * the member's profile without that consent. Never throws; failures are logged.
   */
  visitsStored(events: readonly StoredEvent[]): void {
    const enters = events.filter((e) => e.type === "enter" && e.userId !== null && e.unlinked !== true);
    if (enters.length === 0) return;
    this.visitQueue = this.visitQueue.then(async () => {
      for (const e of enters) {
        if (e.userId === null) continue;
        try {
          await this.visit(e.userId, e.storeId, e.visitId, Date.parse(e.at));
        } catch (err) {
          this.o.log.error({ err, storeId: e.storeId }, "visit points failed");
        }
      }
    });
  }

  /** Resolves once every visit handed to `visitsStored` so far is earned (tests, shutdown). */
  drainVisits(): Promise<void> {
    return this.visitQueue;
  }

  /**
   * A store visit the presence engine believes (a stored enter event of a registered user): earns
   * the programme's visit points, at most `maxPerDay` per member, store and local day. Returns the
   * points earned (0 when the programme gives none or the cap is reached).
   */
  async visit(userId: string, storeId: string, visitId: string, at: number): Promise<number> {
    const user = await this.o.users.getUser(userId);
    const store = await this.o.directory.getStore(storeId);
    if (!user || !store || store.orgId !== user.orgId) return 0;
    const program = await this.program(user.orgId);
    if (!program.visit) return 0;
    const day = localDayKey(at, store.timezone);
    const key = `visit:${storeId}:${visitId}`;
    if (await this.o.ledger.entryByKey(user.orgId, key)) return 0;
    if (!(await this.o.membership.countEarningVisit(userId, storeId, day, program.visit.maxPerDay))) return 0;
    const now = this.o.clock.now();
    const profile = await this.o.membership.getMember(userId);
    const { multiplier } = memberDayMultiplier(program, { storeId, timeZone: store.timezone, at, birthMonth: profile?.birthMonth ?? null });
    const points = Math.floor(program.visit.points * multiplier);
    const written = await this.o.ledger.append(
      user.orgId,
      userId,
      { kind: "earn", points, source: "store-visit", expiresAt: program.pointsValidityDays === null ? null : now + program.pointsValidityDays * DAY_MS, reference: `${storeId}:${day}`, reason: null },
      key,
      now,
    );
    if (!written.ok || written.replayed) return 0;
    this.earned?.inc({ source: "store-visit" }, points);
    await this.evaluateTier(user.orgId, userId, now);
    return points;
  }

  /**
   * Recomputes the member's tier: an upgrade applies at once, a downgrade only once the tier's
   * period (`tierWindowDays` from when it was reached) has ended. True when the tier changed.
   */
  async evaluateTier(orgId: string, userId: string, now: number): Promise<boolean> {
    const program = await this.program(orgId);
    if (program.tiers.length === 0) return false;
    const windowMs = program.tierWindowDays * DAY_MS;
    const activity = await this.o.membership.tierActivity(orgId, userId, now - windowMs);
    const profile = await this.o.membership.getMember(userId);
    const current = profile?.tier ?? null;
    const tierSince = profile?.tierSince ?? null;
    const periodEnded = tierSince === null || tierSince + windowMs <= now;
    const next = nextTier(program.tiers, current, qualifyingTier(program.tiers, activity), periodEnded);
    if (next.change === null) {
      // Kept at the end of its period: the period starts again.
      if (current !== null && periodEnded) await this.o.membership.setTier(userId, orgId, current, "renewal", now);
      return false;
    }
    const change = await this.o.membership.setTier(userId, orgId, next.tier, next.change, now);
    if (change) {
      this.o.log.info({ userId, from: change.fromTier, to: change.toTier }, "tier changed");
      this.o.onTierChanged?.(orgId, change);
    }
    return change !== null;
  }

  private async identify(principal: Principal, input: Pick<PurchaseInput, "memberCode" | "memberId">): Promise<Outcome<AppUser>> {
    if ((input.memberCode === undefined) === (input.memberId === undefined))
      return invalid([{ path: "/memberCode", message: "give exactly one of memberCode and memberId" }]);
    let memberId = input.memberId;
    if (input.memberCode !== undefined) {
      const parsed = parseMemberCode(input.memberCode);
      if (!parsed) return invalid([{ path: "/memberCode", message: "is not a member code" }]);
      const expected = Buffer.from(await this.sign(parsed.payload));
      const given = Buffer.from(parsed.signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given))
        return notFound("no member for this code");
      if (parsed.expiresAtS * 1000 <= this.o.clock.now())
        return refuse("CODE_EXPIRED", "the member code expired; ask the member to refresh it in the app");
      memberId = parsed.memberId;
    }
    const user = memberId === undefined ? null : await this.o.users.getUser(memberId);
    if (!user || user.orgId !== principal.orgId) return notFound(`no member ${memberId ?? ""}`);
    return done(user);
  }

  /** An app key acts for its own user only; other keys for users of their organisation. */
  private async memberFor(principal: Principal, userId: string): Promise<Outcome<AppUser>> {
    if (principal.role === "app" && principal.userId !== userId) return forbidden("an app key may only act for its own user");
    const user = await this.o.users.getUser(userId);
    if (!user || user.orgId !== principal.orgId) return notFound(`no user ${userId} in this organisation`);
    return done(user);
  }

  private async sign(payload: string): Promise<string> {
    this.secret ??= this.o.membership.memberCodeSecret(() => this.o.randomBytes(32), this.o.clock.now());
    const key = await this.secret;
    return createHmac("sha256", key).update(payload).digest("base64url").slice(0, MEMBER_CODE_SIGNATURE_CHARS);
  }
}

/** Every problem of a basket, by JSON pointer into the request body. */
export function basketProblems(input: PurchaseInput): Problem[] {
  const problems: Problem[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(input.orderId)) problems.push({ path: "/orderId", message: "must be 1-64 letters, digits, _ . : -" });
  if (!/^[A-Z]{3}$/.test(input.currency)) problems.push({ path: "/currency", message: "must be an ISO 4217 code such as HKD" });
  if (input.lines.length === 0) problems.push({ path: "/lines", message: "must hold at least one line" });
  let sum = 0;
  input.lines.forEach((line, i) => {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY)
      problems.push({ path: `/lines/${i}/quantity`, message: `must be a whole number from 1 to ${MAX_LINE_QUANTITY}` });
    if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0 || line.unitPriceMinor > MAX_UNIT_PRICE_MINOR)
      problems.push({ path: `/lines/${i}/unitPriceMinor`, message: `must be a whole number of minor units from 0 to ${MAX_UNIT_PRICE_MINOR}` });
    sum += line.quantity * line.unitPriceMinor;
  });
  if (input.pointsToSpend !== undefined && (!Number.isSafeInteger(input.pointsToSpend) || input.pointsToSpend < 1))
    problems.push({ path: "/pointsToSpend", message: "must be a whole number of points from 1" });
  if (!Number.isSafeInteger(input.totalMinor) || input.totalMinor < 0)
    problems.push({ path: "/totalMinor", message: "must be a whole, non-negative number of minor units" });
  else if (problems.length === 0 && sum !== input.totalMinor)
    problems.push({ path: "/totalMinor", message: `must equal the sum of the lines (${sum})` });
  return problems;
}

/** What a recorded purchase answers, whoever reads it. */
function purchaseAnswer(p: MemberPurchase): Pick<PurchaseResult, "orderKey" | "points" | "pointsSpent" | "pointsDiscountMinor" | "payableMinor"> {
  return {
    orderKey: p.orderKey,
    points: p.points,
    pointsSpent: p.pointsSpent,
    pointsDiscountMinor: p.pointsDiscountMinor,
    payableMinor: p.totalMinor - p.pointsDiscountMinor,
  };
}

function ledgerRefusal(result: Exclude<LedgerWriteResult, { ok: true }>): Outcome<never> {
  switch (result.reason) {
    case "insufficient-points":
      return refuse("INSUFFICIENT_POINTS", `not enough points: the balance is ${result.balance}`);
    case "invalid-points":
      return invalid([{ path: "/points", message: result.text }]);
    case "nothing-to-reverse":
      return notFound(result.text);
    case "already-reversed":
    case "key-reused":
      return conflict(result.text);
  }
}
