import { type Offer, parseScannedRedemptionCode } from "../domain/offers/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, invalid, notFound, type Outcome, type RefusalCode, refuse } from "./Outcome.js";
import type { Clock } from "./ports.js";
import type { RedemptionGuard } from "./RedemptionGuard.js";
import type { DirectoryRepository, OfferRepository, RedeemResult } from "./repositories.js";

/** How a redemption attempt that reached the code check ended (for metrics). */
export type RedeemAttempt = "redeemed" | "replayed" | "locked" | Extract<RedeemResult, { ok: false }>["reason"];

export interface RedemptionServiceOptions {
  readonly offers: Pick<OfferRepository, "redeem">;
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
}

const REFUSAL_OF: Record<Extract<RedeemResult, { ok: false }>["reason"], RefusalCode> = {
  "unknown-code": "NOT_FOUND",
  expired: "CODE_EXPIRED",
  "wrong-store": "WRONG_STORE",
  "already-redeemed": "CODE_ALREADY_REDEEMED",
  "key-reused": "CONFLICT",
};

/** Redemption at the till, exactly once per code; a retried request gets the first answer. */
export class RedemptionService {
  constructor(private readonly o: RedemptionServiceOptions) {}

  async redeem(
    principal: Principal,
    request: RedeemRequest,
  ): Promise<Outcome<{ redemptionId: string; offer: Offer; replayed: boolean }>> {
    const storeId = principal.role === "pos" ? principal.storeId : (request.storeId ?? null);
    if (!storeId) return invalid([{ path: "/storeId", message: "required" }], "storeId is required");
    if (principal.role === "pos" && request.storeId !== undefined && request.storeId !== principal.storeId)
      return forbidden("this till key belongs to another store");
    if (principal.role === "admin" && this.o.stores) {
      const store = await this.o.stores.getStore(storeId);
      // Like every other-organisation resource: not found, whether or not it exists.
      if (!store || store.orgId !== principal.orgId) return notFound(`no store ${storeId} in this organisation`);
    }
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
    });
    this.o.onAttempt?.(result.ok ? (result.replayed ? "replayed" : "redeemed") : result.reason);
    if (result.ok && !result.replayed) guard.noteRedeemed(principal.keyId, key);
    if (!result.ok && result.reason === "unknown-code") guard.noteUnknownCode(principal.keyId, storeId, key, now);
    if (!result.ok) return refuse(REFUSAL_OF[result.reason], result.text);
    if (!result.replayed) this.o.onRedeemed?.(result.offer, result.offer.statusAt);
    return done({ redemptionId: result.redemptionId, offer: result.offer, replayed: result.replayed });
  }
}
