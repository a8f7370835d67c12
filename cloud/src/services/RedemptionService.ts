import { type Basket, basketProblems, type DiscountAnswer } from "../domain/coupons/index.js";
import { type Offer, parseScannedRedemptionCode } from "../domain/offers/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, invalid, notFound, type Outcome, type RefusalCode, refuse } from "./Outcome.js";
import type { CouponRedemptionEarning, MembershipService } from "./MembershipService.js";
import type { Clock, Logger } from "./ports.js";
import type { RedemptionGuard } from "./RedemptionGuard.js";
import type { DirectoryRepository, OfferRepository, RedeemResult, VoidResult } from "./repositories.js";

/** How a redemption attempt that reached the code check ended (for metrics). */
export type RedeemAttempt = "redeemed" | "replayed" | "locked" | Extract<RedeemResult, { ok: false }>["reason"];

export interface RedemptionServiceOptions {
  readonly offers: Pick<OfferRepository, "redeem"> & Partial<Pick<OfferRepository, "voidRedemption">>;
  /** How long after a redemption its store may void it, ms. Default 15 minutes. */
  readonly voidWindowMs?: number;
  /** To keep an admin key's redemptions inside its organisation; absent: not checked. */
  readonly stores?: Pick<DirectoryRepository, "getStore">;
  readonly clock: Clock;
  /** Told the outcome of every attempt that reached the code check. */
  readonly onAttempt?: (attempt: RedeemAttempt) => void;
  /**
   * Called once per offer redeemed (not for a replayed request), e.g. for the live view; `channel`
   * says whether it was at the store's till or an online order.
   */
  readonly onRedeemed?: (offer: Offer, at: number, context: { readonly storeId: string; readonly channel: "till" | "online" }) => void;
  /** Locks a till key or store out after too many unknown codes (docs/api.md, "Redemptions"). */
  readonly guard: RedemptionGuard;
  /**
   * Membership: a redemption with the basket earns the member's points, a void reverses them.
   * Absent: redemptions earn nothing.
   */
  readonly points?: Pick<MembershipService, "couponRedeemed" | "couponRedemptionVoided">;
  /** Where a failure to earn or reverse points is reported (the redemption stands either way). */
  readonly log?: Logger;
}

/** What a redemption with the basket earned the coupon's owner. */
export type RedemptionPoints = Pick<CouponRedemptionEarning, "points" | "multiplier" | "memberDayId" | "reason">;

/** A redemption request from the till: the code as typed or scanned, and the idempotency key. */
export interface RedeemRequest {
  readonly code: string;
  /** Required for admin keys; a till (pos) key is bound to its store. */
  readonly storeId?: string;
  readonly idempotencyKey: string;
  /** The order the coupon is redeemed against: its conditions are checked and the discount answered. */
  readonly basket?: Basket;
  /** `till` (default) or `online`: an order of the retailer's online shop, sent by its backend. */
  readonly channel?: "till" | "online";
}

/** A void of a redemption by the store that made it. */
export interface VoidRequest {
  readonly redemptionId: string;
  /** Required for admin keys; a till key is bound to its store. */
  readonly storeId?: string;
}

/** Default time a store has to void a redemption (a cashier's mistake is noticed at the till). */
export const DEFAULT_VOID_WINDOW_MS = 15 * 60_000;

const REFUSAL_OF: Record<Extract<RedeemResult, { ok: false }>["reason"], RefusalCode> = {
  "unknown-code": "NOT_FOUND",
  expired: "CODE_EXPIRED",
  "wrong-store": "WRONG_STORE",
  "already-redeemed": "CODE_ALREADY_REDEEMED",
  "key-reused": "CONFLICT",
  voided: "COUPON_NOT_VALID",
  "not-yet-valid": "COUPON_NOT_VALID",
  unmet: "BASKET_NOT_ELIGIBLE",
};

const VOID_REFUSAL_OF: Record<Extract<VoidResult, { ok: false }>["reason"], RefusalCode> = {
  "no-redemption": "NOT_FOUND",
  "wrong-store": "WRONG_STORE",
  "window-passed": "CONFLICT",
};

/** Redemption at the till, exactly once per code; a retried request gets the first answer. */
export class RedemptionService {
  constructor(private readonly o: RedemptionServiceOptions) {}

  async redeem(
    principal: Principal,
    request: RedeemRequest,
  ): Promise<Outcome<{ redemptionId: string; offer: Offer; replayed: boolean; discount?: DiscountAnswer; points?: RedemptionPoints }>> {
    if (request.basket) {
      const problems = basketProblems(request.basket, "/basket");
      if (problems.length > 0) return invalid(problems);
    } else if (request.channel === "online") {
      return invalid([{ path: "/basket", message: "required for an online order" }]);
    }
    const store = await this.storeOf(principal, request.storeId);
    if (!store.ok) return store;
    const storeId = store.value;
    const { guard } = this.o;
    const key = request.idempotencyKey;
    const now = this.o.clock.now();
    const locked = guard.lockedUntil(principal.keyId, storeId, now);
    // A retry of a redemption that succeeded only replays its answer: an honest till is never
    // locked out of learning that its redemption went through.
    if (locked !== null && !guard.isReplay(principal.keyId, key)) {
      this.o.onAttempt?.("locked");
      const retryAfterS = Math.max(1, Math.ceil((locked - now) / 1000));
      return {
        ...refuse("REDEMPTION_LOCKED", `too many unknown codes from this till or store; try again in ${retryAfterS} s`),
        retryAfterS,
      };
    }
    const code = parseScannedRedemptionCode(request.code);
    if (!code) {
      this.o.onAttempt?.("unknown-code");
      guard.noteUnknownCode(principal.keyId, storeId, key, now);
      return notFound("no offer has this code");
    }
    const result = await this.o.offers.redeem({
      code,
      storeId,
      idempotencyKey: key,
      apiKeyId: principal.keyId,
      now,
      ...(request.basket ? { basket: { basket: request.basket, channel: request.channel ?? "till" } } : {}),
    });
    this.o.onAttempt?.(result.ok ? (result.replayed ? "replayed" : "redeemed") : result.reason);
    if (result.ok && !result.replayed) guard.noteRedeemed(principal.keyId, key);
    if (!result.ok && result.reason === "unknown-code") guard.noteUnknownCode(principal.keyId, storeId, key, now);
    if (!result.ok) {
      const problems = result.unmet ? [{ path: "/basket", message: `${result.unmet}: ${result.text}` }] : undefined;
      return refuse(REFUSAL_OF[result.reason], result.text, problems);
    }
    if (!result.replayed) this.o.onRedeemed?.(result.offer, result.offer.statusAt, { storeId, channel: request.channel ?? "till" });
    const { redemptionId, offer, replayed, discount } = result;
    // A replay earns too: the earning is keyed by the redemption, so it is written once, and a
    // till retrying after a failure between the redemption and the earning still gets its points.
    const points = request.basket
      ? await this.earn({
          orgId: principal.orgId,
          redemptionId,
          memberId: offer.userId,
          storeId,
          channel: request.channel ?? "till",
          basket: request.basket,
          discount: discount ?? null,
          at: offer.statusAt,
          replayed,
        })
      : null;
    return done({ redemptionId, offer, replayed, ...(discount ? { discount } : {}), ...(points ? { points } : {}) });
  }

  private async earn(input: Parameters<MembershipService["couponRedeemed"]>[0]): Promise<RedemptionPoints | null> {
    if (!this.o.points) return null;
    try {
      const { points, multiplier, memberDayId, reason } = await this.o.points.couponRedeemed(input);
      return { points, multiplier, memberDayId, reason };
    } catch (err) {
      this.o.log?.error({ err, storeId: input.storeId }, "coupon redemption points failed");
      return { points: 0, multiplier: 1, memberDayId: null, reason: "not-written" };
    }
  }

  /**
   * Voids a redemption: by the store that made it (its till key, or an admin naming it), within the
   * void window. The coupon is valid again if it has not expired. Repeating a void answers the first.
   */
  async void(
    principal: Principal,
    request: VoidRequest,
  ): Promise<Outcome<{ offer: Offer; redemptionId: string; replayed: boolean; pointsReversed: number }>> {
    const store = await this.storeOf(principal, request.storeId);
    if (!store.ok) return store;
    if (!this.o.offers.voidRedemption) return notFound("voids are not available");
    const result = await this.o.offers.voidRedemption({
      redemptionId: request.redemptionId,
      storeId: store.value,
      apiKeyId: principal.keyId,
      windowMs: this.o.voidWindowMs ?? DEFAULT_VOID_WINDOW_MS,
      now: this.o.clock.now(),
    });
    if (!result.ok) return refuse(VOID_REFUSAL_OF[result.reason], result.text);
    // Every void, a repeated one too: the reversal is keyed by the redemption (written once).
    let pointsReversed = 0;
    if (this.o.points) {
      try {
        pointsReversed = await this.o.points.couponRedemptionVoided(principal.orgId, result.redemptionId);
      } catch (err) {
        this.o.log?.error({ err, storeId: store.value }, "coupon redemption points not reversed");
      }
    }
    return done({ offer: result.offer, redemptionId: result.redemptionId, replayed: result.replayed, pointsReversed });
  }

  /** The store a till key is bound to, or the one an admin names (in its organisation). */
  private async storeOf(principal: Principal, requested: string | undefined): Promise<Outcome<string>> {
    const storeId = principal.role === "pos" ? principal.storeId : (requested ?? null);
    if (!storeId) return invalid([{ path: "/storeId", message: "required" }], "storeId is required");
    if (principal.role === "pos" && requested !== undefined && requested !== principal.storeId)
      return forbidden("this till key belongs to another store");
    if (principal.role === "admin" && this.o.stores) {
      const store = await this.o.stores.getStore(storeId);
      // Like every other-organisation resource: not found, whether or not it exists.
      if (!store || store.orgId !== principal.orgId) return notFound(`no store ${storeId} in this organisation`);
    }
    return done(storeId);
  }
}
