import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { DiscountSchema, ID_PATTERN } from "../../../../../protocol/index.js";
import { type Offer, parseScannedRedemptionCode } from "../../../domain/offers/index.js";
import type { Principal } from "../../../services/CredentialService.js";
import type { Clock } from "../../../services/ports.js";
import type { RedemptionGuard } from "../../../services/RedemptionGuard.js";
import type {
  DirectoryRepository,
  OfferRepository,
  RedeemResult,
  UserRepository,
} from "../../../services/repositories.js";
import { ApiError } from "../ApiError.js";
import { principalOf } from "../createHttpApp.js";

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

/** An app key reads and acknowledges only its own user's offers; admin may read its organisation's. */
async function requireUser(
  users: Pick<UserRepository, "getUser">,
  principal: Principal,
  userId: string,
): Promise<void> {
  if (principal.role === "app" && principal.userId !== userId) {
    throw new ApiError("FORBIDDEN", "an app key may only act for its own user");
  }
  if (principal.role === "admin") {
    const user = await users.getUser(userId);
    if (!user || user.orgId !== principal.orgId) {
      throw new ApiError("NOT_FOUND", `no user ${userId} in this organisation`);
    }
  }
}

export function offerRoutes(
  app: FastifyInstance,
  deps: {
    offers: OfferRepository;
    users: Pick<UserRepository, "getUser">;
    /** To keep an admin key's redemptions inside its organisation; absent: not checked. */
    stores?: Pick<DirectoryRepository, "getStore">;
    clock: Clock;
    /** Told the outcome of every redemption attempt that reached the code check (for metrics). */
    onRedeem?: (
      outcome: "redeemed" | "replayed" | "locked" | Extract<RedeemResult, { ok: false }>["reason"],
    ) => void;
    /** Called once per offer redeemed at the till (not for a replayed request), e.g. for the live view. */
    onRedeemed?: (offer: Offer, at: number) => void;
    /** Locks a till key or store out after too many unknown codes (docs/api.md, "Redemptions"). */
    guard: RedemptionGuard;
  },
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
      await requireUser(deps.users, principalOf(request), userId);
      const offers = await deps.offers.pendingOffers(userId, deps.clock.now());
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
      },
    },
    async (request) => {
      const { userId, offerId } = request.params as Static<typeof AckParams>;
      const { kind } = request.body as Static<typeof AckBody>;
      await requireUser(deps.users, principalOf(request), userId);
      const result = await deps.offers.acknowledge(
        offerId,
        userId,
        kind === "delivered" ? "deliver" : "view",
        deps.clock.now(),
      );
      if (!result) throw new ApiError("NOT_FOUND", "no such offer for this user");
      if (!result.ok) {
        throw new ApiError(result.reason === "expired" ? "CODE_EXPIRED" : "CODE_ALREADY_REDEEMED", result.text);
      }
      return { offer: view(result.offer) };
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
      const principal = principalOf(request);
      const body = request.body as Static<typeof RedeemBody>;
      const key = (request.headers as Static<typeof RedeemHeaders>)["idempotency-key"];
      const storeId = principal.role === "pos" ? principal.storeId : (body.storeId ?? null);
      if (!storeId)
        throw new ApiError("VALIDATION_FAILED", "storeId is required", [
          { path: "/storeId", message: "required" },
        ]);
      if (principal.role === "pos" && body.storeId !== undefined && body.storeId !== principal.storeId) {
        throw new ApiError("FORBIDDEN", "this till key belongs to another store");
      }
      if (principal.role === "admin" && deps.stores) {
        const store = await deps.stores.getStore(storeId);
        if (!store || store.orgId !== principal.orgId) {
          // Like every other-organisation resource: not found, whether or not it exists.
          throw new ApiError("NOT_FOUND", `no store ${storeId} in this organisation`);
        }
      }
      const now = deps.clock.now();
      const locked = deps.guard.lockedUntil(principal.keyId, storeId, now);
      // A retry of a redemption that succeeded only replays its answer: an honest till is never
      // locked out of learning that its redemption went through.
      if (locked !== null && !deps.guard.isReplay(principal.keyId, key)) {
        deps.onRedeem?.("locked");
        const retryAfterS = Math.max(1, Math.ceil((locked - now) / 1000));
        void reply.header("retry-after", String(retryAfterS));
        throw new ApiError(
          "REDEMPTION_LOCKED",
          `too many unknown codes from this till or store; try again in ${retryAfterS} s`,
        );
      }
      const code = parseScannedRedemptionCode(body.code);
      if (!code) {
        deps.onRedeem?.("unknown-code");
        deps.guard.noteUnknownCode(principal.keyId, storeId, key, now);
        throw new ApiError("NOT_FOUND", "no offer has this code");
      }
      const result = await deps.offers.redeem({
        code,
        storeId,
        idempotencyKey: key,
        apiKeyId: principal.keyId,
        now,
      });
      deps.onRedeem?.(result.ok ? (result.replayed ? "replayed" : "redeemed") : result.reason);
      if (result.ok && !result.replayed) deps.guard.noteRedeemed(principal.keyId, key);
      if (!result.ok) {
        switch (result.reason) {
          case "unknown-code":
            deps.guard.noteUnknownCode(principal.keyId, storeId, key, now);
            throw new ApiError("NOT_FOUND", result.text);
          case "expired":
            throw new ApiError("CODE_EXPIRED", result.text);
          case "wrong-store":
            throw new ApiError("WRONG_STORE", result.text);
          case "already-redeemed":
            throw new ApiError("CODE_ALREADY_REDEEMED", result.text);
          case "key-reused":
            throw new ApiError("CONFLICT", result.text);
        }
      }
      if (!result.replayed) deps.onRedeemed?.(result.offer, result.offer.statusAt);
      void reply.status(result.replayed ? 200 : 201);
      return { redemptionId: result.redemptionId, offer: view(result.offer) };
    },
  );
}
