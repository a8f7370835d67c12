import type { Discount } from "../../../protocol/index.js";

/** An offer as the app shows it; times are epoch milliseconds. */
export interface ClientOffer {
  readonly offerId: string;
  readonly ruleId: string;
  readonly storeId: string;
  readonly title: string;
  readonly text: string;
  readonly discount: Discount;
  /** Single-use code the till redeems; show it as text or as a QR code (`redemptionPayload`). */
  readonly code: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export type InboxOutcome = "new" | "duplicate" | "expired";

/**
 * The offers an app holds, keyed by offer id. An offer can arrive more than once (a QoS 1
 * redelivery, the catch-up after a reconnect, the cloud re-publishing after a crash), so the id
 * decides: the app shows and acknowledges each offer once. Pure: time is passed in.
 */
export class OfferInbox {
  private readonly live = new Map<string, ClientOffer>();
  /** Ids ever seen, so an offer that expired here and then arrives again late stays gone. */
  private readonly seen = new Set<string>();

  add(offer: ClientOffer, now: number): InboxOutcome {
    if (this.seen.has(offer.offerId)) return "duplicate";
    this.seen.add(offer.offerId);
    if (offer.expiresAt <= now) return "expired";
    this.live.set(offer.offerId, offer);
    return "new";
  }

  get(offerId: string): ClientOffer | undefined {
    return this.live.get(offerId);
  }

  /** Live offers, soonest to expire first. */
  list(): ClientOffer[] {
    return [...this.live.values()].sort((a, b) => a.expiresAt - b.expiresAt);
  }

  /** Removes and returns every offer that has expired by `now`. */
  expireDue(now: number): ClientOffer[] {
    const due = [...this.live.values()].filter((o) => o.expiresAt <= now);
    for (const offer of due) this.live.delete(offer.offerId);
    return due.sort((a, b) => a.expiresAt - b.expiresAt);
  }

  /** Removes an offer the till redeemed or the user dismissed. */
  remove(offerId: string): boolean {
    return this.live.delete(offerId);
  }

  /** When the next live offer expires, or null when none is live. */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const offer of this.live.values()) if (next === null || offer.expiresAt < next) next = offer.expiresAt;
    return next;
  }

  /** Seconds left (rounded down, never negative) for a countdown. */
  static secondsLeft(offer: ClientOffer, now: number): number {
    return Math.max(0, Math.floor((offer.expiresAt - now) / 1000));
  }
}

/**
 * What a QR code on the phone carries: a URI naming the scheme version and the code, so a till's
 * scanner can tell an Arrival code from any other QR code and read the code without the dashes
 * being lost. The till sends the code part to `POST /v1/redemptions` exactly as a typed code.
 */
export function redemptionPayload(offer: Pick<ClientOffer, "code">): string {
  return `arrival:redeem:v1:${offer.code}`;
}

/** The code of a scanned QR payload, or null when it is not one. */
export function codeFromRedemptionPayload(payload: string): string | null {
  const match = /^arrival:redeem:v1:([0-9A-Za-z-]{16,64})$/.exec(payload.trim());
  return match?.[1] ?? null;
}
