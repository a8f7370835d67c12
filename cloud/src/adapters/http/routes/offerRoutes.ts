import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { DiscountSchema, ID_PATTERN } from "../../../../../protocol/index.js";
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
  },
  { additionalProperties: false },
);
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

function view(offer: Offer): Static<typeof OfferViewSchema> {
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
      return { offers: offers.map(view) };
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
      return { offer: view(offer) };
    },
  );

  app.post(
    "/v1/redemptions",
    {
      config: { roles: ["pos", "admin"] },
      schema: {
        summary: "Redeem an offer at the till, exactly once",
        body: RedeemBody,
        headers: RedeemHeaders,
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof RedeemBody>;
      const key = (request.headers as Static<typeof RedeemHeaders>)["idempotency-key"];
      const result = unwrap(
        await deps.redemptions.redeem(principalOf(request), {
          code: body.code,
          ...(body.storeId === undefined ? {} : { storeId: body.storeId }),
          idempotencyKey: key,
        }),
      );
      void reply.status(result.replayed ? 200 : 201);
      return { redemptionId: result.redemptionId, offer: view(result.offer) };
    },
  );
}
