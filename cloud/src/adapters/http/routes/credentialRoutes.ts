import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import type { CredentialAdminService } from "../../../services/CredentialAdminService.js";
import { principalOf } from "../createHttpApp.js";
import { atBroker, unwrap } from "../refusals.js";

const GatewayParams = Type.Object(
  { gatewayId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
const UserParams = Type.Object(
  { userId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
const StoreDeviceParams = Type.Object(
  {
    storeId: Type.String({ pattern: ID_PATTERN }),
    deviceId: Type.String({
      pattern: ID_PATTERN,
      description: "The device within its store, chosen by the store (e.g. counter-1, pos-2).",
    }),
  },
  { additionalProperties: false },
);
const StoreParams = Type.Object({ storeId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const StoreDeviceListSchema = Type.Object({
  devices: Type.Array(
    Type.Object({
      deviceId: Type.String(),
      username: Type.String(),
      createdAt: Type.String({ format: "date-time", description: "When the login was first issued." }),
      revokedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], { description: "null while it is active" }),
    }),
  ),
});
const KeyParams = Type.Object(
  { keyId: Type.String({ pattern: "^[A-Za-z0-9_-]{8,32}$" }) },
  { additionalProperties: false },
);

const MqttCredentialSchema = Type.Object(
  {
    username: Type.String(),
    password: Type.String({ description: "Shown once; store it where the client reads it." }),
    clientId: Type.String({ description: "Connect with exactly this client id." }),
  },
  { description: "A new MQTT credential. Issuing again replaces the earlier password." },
);
const RevokedMqttSchema = Type.Object({
  username: Type.String(),
  revoked: Type.Boolean({ description: "false when there was no active credential" }),
});

const ApiKeyBody = Type.Object(
  {
    role: StringEnum(["admin", "marketer", "store-ops", "pos", "app"] as const),
    label: Type.String({ minLength: 1, maxLength: 200, description: "Who or what holds the key." }),
    storeId: Type.Optional(
      Type.String({ pattern: ID_PATTERN, description: "Required for pos and store-ops keys: their store." }),
    ),
    userId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Required for app keys: their user." })),
  },
  { additionalProperties: false },
);
const ApiKeySchema = Type.Object({
  id: Type.String(),
  key: Type.String({ description: "Shown once: send it as 'Authorization: Bearer <key>'." }),
  role: Type.String(),
  storeId: Type.Union([Type.String(), Type.Null()]),
  userId: Type.Union([Type.String(), Type.Null()]),
});

export interface CredentialRouteDependencies {
  readonly credentials: CredentialAdminService;
}

/**
 * Issuing and revoking credentials (see `CredentialAdminService` for who may manage which).
 * Secrets are in the 201 answer only; every issue and revoke is in the audit log.
 */
export function credentialRoutes(app: FastifyInstance, deps: CredentialRouteDependencies): void {
  const { credentials } = deps;

  type HolderParams = typeof GatewayParams | typeof UserParams | typeof StoreDeviceParams;
  const issueSchema = (summary: string, params: HolderParams, description?: string) => ({
    summary,
    ...(description === undefined ? {} : { description }),
    params,
    response: { 201: MqttCredentialSchema },
  });
  const revokeSchema = (summary: string, params: HolderParams) => ({
    summary,
    params,
    response: { 200: RevokedMqttSchema },
  });

  app.post(
    "/v1/gateways/:gatewayId/credentials",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: issueSchema("Issue (or replace) a gateway's MQTT credential", GatewayParams),
    },
    async (request, reply) => {
      const { gatewayId } = request.params as Static<typeof GatewayParams>;
      const issued = unwrap(await atBroker(() => credentials.issueMqtt(principalOf(request), { gatewayId })));
      void reply.status(201);
      return issued;
    },
  );

  app.delete(
    "/v1/gateways/:gatewayId/credentials",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: revokeSchema("Revoke a gateway's MQTT credential and disconnect it", GatewayParams),
    },
    async (request) => {
      const { gatewayId } = request.params as Static<typeof GatewayParams>;
      return unwrap(await atBroker(() => credentials.revokeMqtt(principalOf(request), { gatewayId })));
    },
  );

  app.post(
    "/v1/users/:userId/credentials",
    {
      config: { roles: ["admin"] },
      schema: issueSchema("Issue (or replace) an app user's MQTT credential", UserParams),
    },
    async (request, reply) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const issued = unwrap(await atBroker(() => credentials.issueMqtt(principalOf(request), { userId })));
      void reply.status(201);
      return issued;
    },
  );

  app.delete(
    "/v1/users/:userId/credentials",
    {
      config: { roles: ["admin"] },
      schema: revokeSchema("Revoke an app user's MQTT credential and disconnect it", UserParams),
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      return unwrap(await atBroker(() => credentials.revokeMqtt(principalOf(request), { userId })));
    },
  );

  app.get(
    "/v1/stores/:storeId/devices",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: {
        summary: "List a store's devices with MQTT logins (pick-up counters), revoked ones included",
        params: StoreParams,
        response: { 200: StoreDeviceListSchema },
      },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      const devices = unwrap(await credentials.storeDevices(principalOf(request), storeId));
      return {
        devices: devices.map((d) => ({
          deviceId: d.deviceId,
          username: d.username,
          createdAt: new Date(d.createdAt).toISOString(),
          revokedAt: d.revokedAt === null ? null : new Date(d.revokedAt).toISOString(),
        })),
      };
    },
  );

  app.post(
    "/v1/stores/:storeId/devices/:deviceId/credentials",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: issueSchema(
        "Issue (or replace) a store device's MQTT credential",
        StoreDeviceParams,
        "For the store's pick-up counter tablet or POS terminal: it may subscribe to " +
          "arrival/v1/stores/{storeId}/pickups (click-and-collect arrivals, QoS 1) and to nothing " +
          "else, and publish nothing. Connect with clientId as given; see docs/api.md.",
      ),
    },
    async (request, reply) => {
      const { storeId, deviceId } = request.params as Static<typeof StoreDeviceParams>;
      const issued = unwrap(await atBroker(() => credentials.issueMqtt(principalOf(request), { storeId, deviceId })));
      void reply.status(201);
      return issued;
    },
  );

  app.delete(
    "/v1/stores/:storeId/devices/:deviceId/credentials",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: revokeSchema("Revoke a store device's MQTT credential and disconnect it", StoreDeviceParams),
    },
    async (request) => {
      const { storeId, deviceId } = request.params as Static<typeof StoreDeviceParams>;
      return unwrap(await atBroker(() => credentials.revokeMqtt(principalOf(request), { storeId, deviceId })));
    },
  );

  app.post(
    "/v1/api-keys",
    {
      config: { roles: ["admin"] },
      schema: { summary: "Issue an API key of the caller's organisation", body: ApiKeyBody, response: { 201: ApiKeySchema } },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof ApiKeyBody>;
      const issued = unwrap(await credentials.issueApiKey(principalOf(request), body));
      void reply.status(201);
      return { ...issued, role: body.role, storeId: body.storeId ?? null, userId: body.userId ?? null };
    },
  );

  app.delete(
    "/v1/api-keys/:keyId",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Revoke an API key of the caller's organisation",
        params: KeyParams,
        response: { 200: Type.Object({ id: Type.String(), revoked: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { keyId } = request.params as Static<typeof KeyParams>;
      return unwrap(await credentials.revokeApiKey(principalOf(request), keyId));
    },
  );
}
