import type { Discount } from "../../../../protocol/index.js";
import {
  type Coupon,
  type CouponDiscount,
  type IssueChannel,
  ruleBatchId,
  termsOfDisplayDiscount,
} from "../../domain/coupons/index.js";
import type { Offer, OfferStatus } from "../../domain/offers/index.js";

/** A row of `offers`: the columns every offer has (the offer repositories read these). */
export interface OfferRow {
  id: string;
  rule_id: string;
  rule_version: number;
  user_id: string;
  store_id: string;
  zone_id: string;
  visit_id: string;
  event_id: string;
  title: string;
  text: string;
  discount: string;
  code: string;
  state: OfferStatus;
  state_at: number;
  issued_at: number;
  expires_at: number;
}

/** The offer of a row, as stored (a voided coupon's state is not looked at here: see `toCoupon`). */
export function toOffer(r: OfferRow): Offer {
  return {
    offerId: r.id,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    userId: r.user_id,
    storeId: r.store_id,
    zoneId: r.zone_id,
    visitId: r.visit_id,
    eventId: r.event_id,
    title: r.title,
    text: r.text,
    discount: JSON.parse(r.discount) as Discount,
    code: r.code,
    status: r.state,
    statusAt: r.state_at,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
  };
}

/** A row of `offers` with the coupon columns of SQLite migration 14, PostgreSQL 4. */
export interface CouponRow extends OfferRow {
  batch_id: string | null;
  channel: IssueChannel;
  channel_tag: string | null;
  store_ids: string | null;
  terms: string | null;
  valid_from: number | null;
  gift_passes: number;
  voided_at: number | null;
}

/** The coupon of a row: a rule's offer (batch_id NULL) reads as a coupon of the rule's batch. */
export function toCoupon(r: CouponRow): Coupon {
  const offer = toOffer(r);
  return {
    ...offer,
    status: r.voided_at !== null ? "voided" : r.state,
    statusAt: r.voided_at ?? r.state_at,
    batchId: r.batch_id ?? ruleBatchId(r.rule_id),
    channel: r.channel,
    channelTag: r.channel_tag,
    storeIds: r.store_ids ? (JSON.parse(r.store_ids) as string[]) : [r.store_id],
    terms: r.terms ? (JSON.parse(r.terms) as CouponDiscount) : termsOfDisplayDiscount(offer.discount),
    validFrom: r.valid_from ?? r.issued_at,
    giftPasses: r.gift_passes,
  };
}

/** The offer view of a coupon (what the offer API and messages show); a voided one reads as expired. */
export function offerOfCoupon(c: Coupon): Offer {
  return {
    offerId: c.offerId,
    ruleId: c.ruleId,
    ruleVersion: c.ruleVersion,
    userId: c.userId,
    storeId: c.storeId,
    zoneId: c.zoneId,
    visitId: c.visitId,
    eventId: c.eventId,
    title: c.title,
    text: c.text,
    discount: c.discount,
    code: c.code,
    status: c.status === "voided" ? "expired" : c.status,
    statusAt: c.statusAt,
    issuedAt: c.issuedAt,
    expiresAt: c.expiresAt,
  };
}
