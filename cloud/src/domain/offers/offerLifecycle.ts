import type { Offer } from "./offer.js";

/** What can happen to an offer. `deliver` and `view` come from the app, `redeem` from the POS,
 * `expire` from a sweeper once `expiresAt` has passed. */
export type OfferAction =
  | { readonly kind: "deliver" }
  | { readonly kind: "view" }
  | { readonly kind: "redeem"; readonly storeId: string }
  | { readonly kind: "expire" };

export const OFFER_REFUSALS = ["expired", "wrong-store", "already-redeemed", "not-expired"] as const;
export type OfferRefusal = (typeof OFFER_REFUSALS)[number];

export type OfferTransition =
  | {
      readonly ok: true;
      readonly offer: Offer;
      /** False for a repeated acknowledgement (QoS 1 redelivers): nothing to store. */
      readonly changed: boolean;
    }
  | { readonly ok: false; readonly reason: OfferRefusal; readonly text: string };

const RANK = { issued: 0, delivered: 1, viewed: 2 } as const;

/**
 * Applies `action` to `offer` at `now` (epoch ms). Time decides validity, not the status flag: an
 * offer is expired from `expiresAt` on even if no sweeper has marked it yet.
 *
 * - `deliver`, `view`: move forward only (a view implies delivery; a late delivery ack after a
 *   view changes nothing); refused once redeemed or expired.
 * - `redeem`: exactly once, before `expiresAt`, at the offer's store; from issued, delivered or
 *   viewed (a shopper may show the code before the app's acknowledgement arrives).
 * - `expire`: from `expiresAt` on, unless redeemed; idempotent.
 */
export function transitionOffer(offer: Offer, action: OfferAction, now: number): OfferTransition {
  const expired = now >= offer.expiresAt;
  const at = new Date(offer.expiresAt).toISOString();
  if (offer.status === "redeemed") {
    return {
      ok: false,
      reason: "already-redeemed",
      text: `offer ${offer.offerId} was redeemed at ${new Date(offer.statusAt).toISOString()}`,
    };
  }
  switch (action.kind) {
    case "expire":
      if (offer.status === "expired") return { ok: true, offer, changed: false };
      if (!expired) return { ok: false, reason: "not-expired", text: `offer is valid until ${at}` };
      return moved(offer, "expired", now);
    case "deliver":
    case "view": {
      if (offer.status === "expired" || expired) {
        return { ok: false, reason: "expired", text: `offer expired at ${at}` };
      }
      const target = action.kind === "deliver" ? "delivered" : "viewed";
      if (RANK[offer.status] >= RANK[target]) return { ok: true, offer, changed: false };
      return moved(offer, target, now);
    }
    case "redeem":
      if (offer.status === "expired" || expired) {
        return { ok: false, reason: "expired", text: `offer expired at ${at}` };
      }
      if (action.storeId !== offer.storeId) {
        return {
          ok: false,
          reason: "wrong-store",
          text: `offer is redeemable at store ${offer.storeId}, not ${action.storeId}`,
        };
      }
      return moved(offer, "redeemed", now);
  }
}

function moved(offer: Offer, status: Offer["status"], now: number): OfferTransition {
  return { ok: true, offer: { ...offer, status, statusAt: now }, changed: true };
}
