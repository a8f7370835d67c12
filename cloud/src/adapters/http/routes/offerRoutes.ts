import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { DiscountSchema, ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import { MAX_BASKET_LINE_QUANTITY, MAX_BASKET_LINES, MAX_BASKET_UNIT_PRICE_MINOR } from "../../../domain/coupons/index.js";
import type { Offer } from "../../../domain/offers/index.js";
import type { RedemptionService } from "../../../services/RedemptionService.js";
import type { ShopperOfferService } from "../../../services/ShopperOfferService.js";
import { principalOf } from "../createHttpApp.js";
import { unwrap } from "../refusals.js";

const UserParams = Type.Object(
  { userId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
const AckParams = Type.Object(
  {
    userId: Type.String({ pattern: ID_PATTERN }),
    offerId: Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" }),
  },
  { additionalProperties: false },
);
const AckBody = Type.Object(
  { kind: Type.Union([Type.Literal("delivered"), Type.Literal("viewed")]) },
  { additionalProperties: false },
);
const BasketSchema = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]*$", description: "The till's or shop's order id." }),
    totalMinor: Type.Integer({ minimum: 0, description: "Must equal the sum of quantity × unitPriceMinor over the lines." }),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
    lines: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1, maxLength: 64 }),
          category: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          quantity: Type.Integer({ minimum: 1, maximum: MAX_BASKET_LINE_QUANTITY }),
          unitPriceMinor: Type.Integer({ minimum: 0, maximum: MAX_BASKET_UNIT_PRICE_MINOR, description: "Minor units (cents)." }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_BASKET_LINES },
    ),
  },
  {
    additionalProperties: false,
    description: "The order the coupon is redeemed against: its conditions are checked and the discount to apply answered.",
  },
);
const RedeemBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 80,
      description:
        "The code as the cashier typed it, or the scanned QR payload `arrival:redeem:v1:<code>` as it is.",
    }),
    storeId: Type.Optional(
      Type.String({
        pattern: ID_PATTERN,
        description: "Required for admin keys; a till key is bound to its store.",
      }),
    ),
    basket: Type.Optional(BasketSchema),
    channel: Type.Optional(
      StringEnum(["till", "online"] as const, {
        description: "`online`: an order of the retailer's online shop, sent by its backend (admin key); needs a basket. Default `till`.",
      }),
    ),
  },
  { additionalProperties: false },
);
const VoidParams = Type.Object({ redemptionId: Type.String({ minLength: 8, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" }) }, { additionalProperties: false });
const VoidBody = Type.Object(
  { storeId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Required for admin keys; a till key is bound to its store." })) },
  { additionalProperties: false },
);
const DiscountAnswerSchema = Type.Object({
  discountMinor: Type.Integer({ description: "Minor units to take off the basket: apply exactly this." }),
  currency: Type.String(),
  eligibleMinor: Type.Integer({ description: "Sum of the lines the coupon applies to." }),
  freeSku: Type.Union([Type.String(), Type.Null()], { description: "The SKU given free (one unit), for a free-item coupon." }),
  text: Type.String(),
  lineDiscountsMinor: Type.Optional(
    Type.Array(Type.Integer({ minimum: 0 }), {
      description: "The discount spread over the basket's lines (same order), summing to discountMinor: what each line was sold for.",
    }),
  ),
});
const RedeemHeaders = Type.Object(
  { "idempotency-key": Type.String({ minLength: 8, maxLength: 128, pattern: "^[\\x21-\\x7e]+$" }) },
  { description: "A retried request with the same key gets the first answer." },
);

export const OfferViewSchema = Type.Object({
  offerId: Type.String(),
  ruleId: Type.String(),
  storeId: Type.String(),
  zoneId: Type.String(),
  title: Type.String(),
  text: Type.String(),
  discount: DiscountSchema,
  code: Type.String(),
  status: Type.String(),
  issuedAt: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time" }),
});

/** An offer as the API shows it to its shopper. */
export function offerView(offer: Offer): Static<typeof OfferViewSchema> {
  return {
    offerId: offer.offerId,
    ruleId: offer.ruleId,
    storeId: offer.storeId,
    zoneId: offer.zoneId,
    title: offer.title,
    text: offer.text,
    discount: offer.discount,
    code: offer.code,
    status: offer.status,
    issuedAt: new Date(offer.issuedAt).toISOString(),
    expiresAt: new Date(offer.expiresAt).toISOString(),
  };
}

const RedemptionPointsSchema = Type.Object(
  {
    points: Type.Integer({ description: "Points the coupon's owner earned on what they paid (0: none); a replay answers the first earning." }),
    multiplier: Type.Number({ description: "The member-day multiplier applied (1: none)." }),
    memberDayId: Type.Union([Type.String(), Type.Null()]),
    reason: Type.Union([Type.Literal("earned"), Type.Literal("order-reported"), Type.Literal("no-member"), Type.Literal("not-written")], {
      description: "`order-reported`: the order earned already (reported as a purchase, or redeemed with another coupon).",
    }),
  },
  { description: "With a basket: what the redemption earned the member (see Membership)." },
);

const RedemptionAnswer = Type.Object({
  redemptionId: Type.String(),
  offer: OfferViewSchema,
  discount: Type.Optional(DiscountAnswerSchema),
  points: Type.Optional(RedemptionPointsSchema),
});

/** A shopper's offers (app and admin keys) and redemption at the till (pos and admin keys). */
export function offerRoutes(
  app: FastifyInstance,
  deps: { offers: ShopperOfferService; redemptions: RedemptionService },
): void {
  app.get(
    "/v1/users/:userId/offers",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Offers a user can still use (catch-up for an app that was offline)",
        params: UserParams,
        response: { 200: Type.Object({ offers: Type.Array(OfferViewSchema) }) },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const offers = unwrap(await deps.offers.pending(principalOf(request), userId));
      return { offers: offers.map(offerView) };
    },
  );

  app.post(
    "/v1/users/:userId/offers/:offerId/acknowledgements",
    {
      config: { roles: ["app"] },
      schema: {
        summary: "The app confirms an offer was delivered or viewed",
        params: AckParams,
        body: AckBody,
        response: { 200: Type.Object({ offer: OfferViewSchema }) },
      },
    },
    async (request) => {
      const { userId, offerId } = request.params as Static<typeof AckParams>;
      const { kind } = request.body as Static<typeof AckBody>;
      const offer = unwrap(await deps.offers.acknowledge(principalOf(request), userId, offerId, kind));
      return { offer: offerView(offer) };
    },
  );

  app.post(
    "/v1/redemptions",
    {
      config: { roles: ["pos", "admin"] },
      schema: {
        summary: "Redeem a coupon at the till (or an online order), exactly once; with a basket, answers the discount to apply",
        description:
          "A basket that does not meet the coupon's conditions is refused with `422 BASKET_NOT_ELIGIBLE` and the reason " +
          "(`min-spend-not-reached`, `no-eligible-item`, `currency-mismatch`) in `details`; nothing is redeemed.",
        body: RedeemBody,
        headers: RedeemHeaders,
        response: { 200: RedemptionAnswer, 201: RedemptionAnswer },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof RedeemBody>;
      const key = (request.headers as Static<typeof RedeemHeaders>)["idempotency-key"];
      const result = unwrap(
        await deps.redemptions.redeem(principalOf(request), {
          code: body.code,
          ...(body.storeId === undefined ? {} : { storeId: body.storeId }),
          ...(body.basket === undefined
            ? {}
            : { basket: { ...body.basket, lines: body.basket.lines.map((l) => ({ ...l, category: l.category ?? null })) } }),
          ...(body.channel === undefined ? {} : { channel: body.channel }),
          idempotencyKey: key,
        }),
      );
      void reply.status(result.replayed ? 200 : 201);
      return {
        redemptionId: result.redemptionId,
        offer: offerView(result.offer),
        ...(result.discount ? { discount: { ...result.discount } } : {}),
        ...(result.points ? { points: result.points } : {}),
      };
    },
  );

  app.post(
    "/v1/redemptions/:redemptionId/void",
    {
      config: { roles: ["pos", "admin"] },
      schema: {
        summary: "Void a redemption: by the store that made it, within the void window; the coupon is valid again if not expired",
        params: VoidParams,
        body: VoidBody,
        response: {
          200: Type.Object({
            redemptionId: Type.String(),
            offer: OfferViewSchema,
            replayed: Type.Boolean(),
            pointsReversed: Type.Integer({ description: "Points the redemption had earned that the void took back (0: none)." }),
          }),
        },
      },
    },
    async (request) => {
      const { redemptionId } = request.params as Static<typeof VoidParams>;
      const body = (request.body ?? {}) as Static<typeof VoidBody>;
      const result = unwrap(
        await deps.redemptions.void(principalOf(request), { redemptionId, ...(body.storeId === undefined ? {} : { storeId: body.storeId }) }),
      );
      return { redemptionId: result.redemptionId, offer: offerView(result.offer), replayed: result.replayed, pointsReversed: result.pointsReversed };
    },
  );
}
