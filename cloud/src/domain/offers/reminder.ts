import type { Offer } from "./offer.js";

/**
 * When to remind the shopper, `leadS` seconds before the offer expires, epoch ms; null when no
 * reminder makes sense: a lead of zero or less, a lead at least as long as the validity (the
 * reminder would come at or before the offer itself), or an offer already redeemed or expired.
 * A due time already in the past is returned as is; the scheduler decides whether it is too late.
 */
export function reminderDueAt(offer: Offer, leadS: number): number | null {
  if (offer.status === "redeemed" || offer.status === "expired") return null;
  const leadMs = leadS * 1000;
  if (!(leadMs > 0) || leadMs >= offer.expiresAt - offer.issuedAt) return null;
  return offer.expiresAt - leadMs;
}
