import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import type { PushService } from "../../../services/push/PushService.js";
import type { PushOutboxItem, PushRegistration } from "../../../services/repositories.js";
import { principalOf } from "../createHttpApp.js";
import { ApiError, unwrap } from "../refusals.js";

const UserParams = Type.Object({ userId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const InstallationParams = Type.Object(
  {
    userId: Type.String({ pattern: ID_PATTERN }),
    installationId: Type.String({
      pattern: ID_PATTERN,
      description: "The app's id for this installation (stable across launches, new after a reinstall).",
    }),
  },
  { additionalProperties: false },
);
const StoreParams = Type.Object({ storeId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const ItemParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

const RegistrationBody = Type.Object(
  {
    provider: StringEnum(["webpush", "apns", "fcm"] as const, { description: "The OS push service." }),
    token: Type.String({
      minLength: 1,
      maxLength: 4096,
      description: "Web Push: the subscription's endpoint URL; APNs: the device token (hex); FCM: the registration token.",
    }),
    keys: Type.Optional(
      Type.Object(
        {
          p256dh: Type.String({ maxLength: 200, description: "The subscription's P-256 public key, base64url." }),
          auth: Type.String({ maxLength: 100, description: "The subscription's auth secret, base64url." }),
        },
        { additionalProperties: false, description: "Web Push only: `PushSubscription.toJSON().keys`." },
      ),
    ),
    environment: Type.Optional(
      StringEnum(["production", "development"] as const, {
        description: "APNs only: the APNs environment of the token (default production).",
      }),
    ),
  },
  { additionalProperties: false },
);
const RegistrationView = Type.Object({
  installationId: Type.String(),
  provider: Type.String(),
  /** The token is not echoed back: it is a bearer address of the device. */
  environment: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
});

const HHMM = Type.String({ pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$", description: "Local time HH:MM." });
const PolicyBody = Type.Object(
  {
    quietHours: Type.Union(
      [
        Type.Object(
          { start: HHMM, end: HHMM },
          { additionalProperties: false, description: "No push between start and end (end may be past midnight), in the store's timezone." },
        ),
        Type.Null(),
      ],
      { description: "Null: no quiet hours (a store then falls back to the organisation's)." },
    ),
    frequencyCapMinutes: Type.Union([Type.Integer({ minimum: 0, maximum: 10_080 }), Type.Null()], {
      description: "At most one offer notified per member per this many minutes; null: the cloud's default. Organisation only.",
    }),
  },
  { additionalProperties: false },
);
const OutboxItemView = Type.Object({
  id: Type.String(),
  offerId: Type.String(),
  userId: Type.String(),
  installationId: Type.String(),
  storeId: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  deadAt: Type.String({ format: "date-time" }),
});
const DeliveriesQuery = Type.Object(
  {
    from: Type.String({ format: "date-time" }),
    to: Type.String({ format: "date-time" }),
    storeId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
  },
  { additionalProperties: false },
);
const MAX_PERIOD_MS = 366 * 86_400_000;

function registrationView(r: PushRegistration): Static<typeof RegistrationView> {
  return {
    installationId: r.installationId,
    provider: r.provider,
    environment: r.environment,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function outboxItemView(i: PushOutboxItem): Static<typeof OutboxItemView> {
  return {
    id: i.id,
    offerId: i.offerId,
    userId: i.userId,
    installationId: i.installationId,
    storeId: i.storeId,
    attempts: i.attempts,
    lastError: i.lastError,
    createdAt: new Date(i.createdAt).toISOString(),
    deadAt: new Date(i.updatedAt).toISOString(),
  };
}

/**
 * Push delivery: installations register where the OS push service reaches them; admins set quiet
 * hours and the frequency cap, inspect and replay dead letters; analytics roles read receipts per
 * channel. See docs/push.md.
 */
export function pushRoutes(app: FastifyInstance, deps: { push: PushService }): void {
  const { push } = deps;

  app.get(
    "/v1/push/web-push-key",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "The VAPID public key a browser subscribes with (applicationServerKey)",
        response: { 200: Type.Object({ publicKey: Type.String({ description: "Uncompressed P-256 point, base64url." }) }) },
      },
    },
    async () => unwrap(push.webPushKey()),
  );

  app.put(
    "/v1/users/:userId/push-registrations/:installationId",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Register (or replace) where an app installation is reached by push",
        params: InstallationParams,
        body: RegistrationBody,
        response: { 200: RegistrationView, 201: RegistrationView },
      },
    },
    async (request, reply) => {
      const { userId, installationId } = request.params as Static<typeof InstallationParams>;
      const body = request.body as Static<typeof RegistrationBody>;
      const { registration, created } = unwrap(
        await push.register(principalOf(request), userId, installationId, {
          provider: body.provider,
          token: body.token,
          keys: body.keys,
          environment: body.environment,
        }),
      );
      void reply.status(created ? 201 : 200);
      return registrationView(registration);
    },
  );

  app.get(
    "/v1/users/:userId/push-registrations",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "A user's push registrations (tokens are not shown)",
        params: UserParams,
        response: { 200: Type.Object({ registrations: Type.Array(RegistrationView) }) },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      return { registrations: unwrap(await push.list(principalOf(request), userId)).map(registrationView) };
    },
  );

  app.delete(
    "/v1/users/:userId/push-registrations/:installationId",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Stop push to an installation (sign-out, notifications turned off)",
        params: InstallationParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { userId, installationId } = request.params as Static<typeof InstallationParams>;
      return unwrap(await push.remove(principalOf(request), userId, installationId));
    },
  );

  app.get(
    "/v1/push/policy",
    {
      config: { roles: ["admin", "marketer"] },
      schema: { summary: "The organisation's quiet hours and frequency cap", response: { 200: PolicyBody } },
    },
    async (request) => unwrap(await push.policy(principalOf(request), null)),
  );

  app.put(
    "/v1/push/policy",
    {
      config: { roles: ["admin"] },
      schema: { summary: "Set the organisation's quiet hours and frequency cap", body: PolicyBody, response: { 200: PolicyBody } },
    },
    async (request) => unwrap(await push.setPolicy(principalOf(request), null, request.body as Static<typeof PolicyBody>)),
  );

  app.get(
    "/v1/stores/:storeId/push-policy",
    {
      config: { roles: ["admin", "marketer"] },
      schema: { summary: "A store's own quiet hours (null: the organisation's)", params: StoreParams, response: { 200: PolicyBody } },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      return unwrap(await push.policy(principalOf(request), storeId));
    },
  );

  app.put(
    "/v1/stores/:storeId/push-policy",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Set a store's own quiet hours, in its timezone (frequencyCapMinutes must be null)",
        params: StoreParams,
        body: PolicyBody,
        response: { 200: PolicyBody },
      },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      return unwrap(await push.setPolicy(principalOf(request), storeId, request.body as Static<typeof PolicyBody>));
    },
  );

  app.get(
    "/v1/push/dead-letters",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Push notifications given up on, newest first",
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ deadLetters: Type.Array(OutboxItemView) }) },
      },
    },
    async (request) => {
      const { limit } = request.query as { limit?: number };
      return { deadLetters: unwrap(await push.deadLetters(principalOf(request), limit ?? 100)).map(outboxItemView) };
    },
  );

  app.post(
    "/v1/push/dead-letters/:id/replay",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Send a dead-lettered push notification again (attempts start over)",
        params: ItemParams,
        response: { 200: Type.Object({ replayed: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { id } = request.params as Static<typeof ItemParams>;
      return unwrap(await push.replay(principalOf(request), id));
    },
  );

  app.get(
    "/v1/analytics/deliveries",
    {
      config: { roles: ["marketer", "admin", "store-ops"] },
      schema: {
        summary: "Offers delivered per channel (push, MQTT, pull) with a receipt in [from, to)",
        description:
          "An offer counts once per channel, at the channel's first receipt: push when the push service accepted the notification, mqtt when the broker took the QoS 1 publish, pull when the app fetched it over HTTP. An offer can count on several channels; the funnel's `delivered` stays the app's own acknowledgement.",
        querystring: DeliveriesQuery,
        response: {
          200: Type.Object({
            from: Type.String({ format: "date-time" }),
            to: Type.String({ format: "date-time" }),
            delivered: Type.Object({ push: Type.Integer(), mqtt: Type.Integer(), pull: Type.Integer() }),
          }),
        },
      },
    },
    async (request) => {
      const query = request.query as Static<typeof DeliveriesQuery>;
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      if (!(from < to) || to - from > MAX_PERIOD_MS)
        throw new ApiError("VALIDATION_FAILED", "to must be after from, by at most 366 days", [
          { path: "/to", message: "must be after from, by at most 366 days" },
        ]);
      const delivered = unwrap(await push.receipts(principalOf(request), { from, to, storeId: query.storeId ?? null }));
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), delivered };
    },
  );
}
