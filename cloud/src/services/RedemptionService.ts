import { type Basket, basketProblems, type DiscountAnswer } from "../domain/coupons/index.js";
import { type Offer, parseScannedRedemptionCode } from "../domain/offers/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, invalid, notFound, type Outcome, type RefusalCode, refuse } from "./Outcome.js";
import type { Clock } from "./ports.js";
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
  /** Called once per offer redeemed (not for a replayed request), e.g. for the live view. */
  readonly onRedeemed?: (offer: Offer, at: number) => void;
  /** Locks a till key or store out after too many unknown codes (docs/api.md, "Redemptions"). */
  readonly guard: RedemptionGuard;
}

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
  ): Promise<Outcome<{ redemptionId: string; offer: Offer; replayed: boolean; discount?: DiscountAnswer }>> {
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
    if (!result.replayed) this.o.onRedeemed?.(result.offer, result.offer.statusAt);
    const { redemptionId, offer, replayed, discount } = result;
    return done({ redemptionId, offer, replayed, ...(discount ? { discount } : {}) });
  }

  /**
   * Voids a redemption: by the store that made it (its till key, or an admin naming it), within the
   * void window. The coupon is valid again if it has not expired. Repeating a void answers the first.
   */
  async void(principal: Principal, request: VoidRequest): Promise<Outcome<{ offer: Offer; redemptionId: string; replayed: boolean }>> {
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
    return done({ offer: result.offer, redemptionId: result.redemptionId, replayed: result.replayed });
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
