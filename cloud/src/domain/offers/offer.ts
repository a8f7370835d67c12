import type { Discount, OfferMessage } from "../../../../protocol/index.js";
import { PROTOCOL_VERSION } from "../../../../protocol/index.js";
import type { EvaluationEvent, IssuedDecision } from "../rules/evaluate.js";
import type { Rule } from "../rules/rule.js";
import type { OfferTemplate } from "../rules/ruleSpec.js";
import { OfferError } from "./offerError.js";
import { formatRedemptionCode } from "./redemptionCode.js";

/** issued → delivered → viewed → redeemed | expired; see `transitionOffer`. */
export const OFFER_STATUSES = ["issued", "delivered", "viewed", "redeemed", "expired"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** One offer to one shopper, with everything needed to explain and redeem it. Immutable. */
export interface Offer {
  readonly offerId: string;
  readonly ruleId: string;
  /** The rule version it was issued under; later edits of the rule do not change the offer. */
  readonly ruleVersion: number;
  readonly userId: string;
  /** Where it was issued and where it can be redeemed. */
  readonly storeId: string;
  readonly zoneId: string;
  readonly visitId: string;
  /** The presence event that triggered it. */
  readonly eventId: string;
  readonly title: string;
  readonly text: string;
  readonly discount: Discount;
  /** Epoch ms. */
  readonly issuedAt: number;
  /** Epoch ms; redeemable while `now < expiresAt`. */
  readonly expiresAt: number;
  /** Canonical redemption code (`formatRedemptionCode`). */
  readonly code: string;
  readonly status: OfferStatus;
  /** When `status` last changed, epoch ms. */
  readonly statusAt: number;
}

/** Title, text and discount for `storeId`: the store's variation where it sets them, else the template. */
export function resolveOfferContent(
  template: OfferTemplate,
  storeId: string,
): { readonly title: string; readonly text: string; readonly discount: Discount } {
  const v = template.variations?.find((x) => x.storeId === storeId);
  return {
    title: v?.title ?? template.title,
    text: v?.text ?? template.text,
    discount: v?.discount ?? template.discount,
  };
}

export interface BuildOfferInput {
  readonly rule: Rule;
  readonly decision: IssuedDecision;
  readonly event: EvaluationEvent;
  /** Unique id from the caller (`^[A-Za-z0-9_-]{8,64}$` on the wire). */
  readonly offerId: string;
  /** At least 12 bytes from a CSPRNG: the redemption code. */
  readonly codeBytes: Uint8Array;
  /** Issue time, epoch ms (the evaluation's `now`). */
  readonly now: number;
}

/**
 * The offer for an issued decision: content resolved for the event's store, validity from the
 * rule version that issued it, a fresh redemption code. Throws `OfferError("NOT_ISSUED")` when the
 * decision is not an issuance of this rule version (a programming error, not an input).
 */
export function buildOffer(input: BuildOfferInput): Offer {
  const { rule, decision, event, now } = input;
  if (decision.outcome !== "issued" || decision.ruleId !== rule.id || decision.ruleVersion !== rule.version) {
    throw new OfferError(
      "NOT_ISSUED",
      `decision ${decision.ruleId}@${decision.ruleVersion} (${decision.outcome}) does not issue ${rule.id}@${rule.version}`,
    );
  }
  const content = resolveOfferContent(rule.spec.offer, event.storeId);
  return {
    offerId: input.offerId,
    ruleId: rule.id,
    ruleVersion: rule.version,
    userId: event.userId,
    storeId: event.storeId,
    zoneId: event.zoneId,
    visitId: event.visitId,
    eventId: event.id,
    ...content,
    issuedAt: now,
    expiresAt: now + rule.spec.offer.validityS * 1000,
    code: formatRedemptionCode(input.codeBytes),
    status: "issued",
    statusAt: now,
  };
}

/** The wire message for the user's offers channel (protocol `OfferMessageSchema`). */
export function toOfferMessage(offer: Offer, kind: OfferMessage["kind"]): OfferMessage {
  return {
    v: PROTOCOL_VERSION,
    kind,
    offerId: offer.offerId,
    ruleId: offer.ruleId,
    storeId: offer.storeId,
    title: offer.title,
    text: offer.text,
    discount: offer.discount,
    code: offer.code,
    issuedAt: new Date(offer.issuedAt).toISOString(),
    expiresAt: new Date(offer.expiresAt).toISOString(),
  };
}
