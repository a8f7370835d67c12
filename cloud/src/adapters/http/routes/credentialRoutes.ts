import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import type { MqttIdentity } from "../../../domain/access/mqttAccess.js";
import {
  type CredentialService,
  mqttUsernameFor as mqttUsername,
  type Principal,
} from "../../../services/CredentialService.js";
import type { DirectoryRepository, UserRepository } from "../../../services/repositories.js";
import { ApiError, atBroker } from "../refusals.js";
import { principalOf } from "../createHttpApp.js";

const GatewayParams = Type.Object(
  { gatewayId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
const UserParams = Type.Object(
  { userId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
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
  readonly credentials: CredentialService;
  readonly directory: Pick<DirectoryRepository, "getGateway" | "getStore">;
  readonly users: Pick<UserRepository, "getUser">;
}

/** The audit trail's actor for a request: the key, never its secret. */
function actorOf(principal: Principal): string {
  return `api-key:${principal.keyId}`;
}

/**
 * Issuing and revoking credentials. MQTT credentials: an admin for any gateway or app user of its
 * organisation, a store-ops key for the gateways of its own store. API keys: admins of the
 * organisation. Anything of another organisation is "not found", so ids of other tenants do not
 * leak. Secrets are in the 201 answer only; every issue and revoke is in the audit log.
 */
export function credentialRoutes(app: FastifyInstance, deps: CredentialRouteDependencies): void {
  const { credentials, directory, users } = deps;

  /** The gateway as an MQTT identity, if the principal may manage its credentials. */
  async function gatewayIdentity(principal: Principal, gatewayId: string): Promise<MqttIdentity> {
    const gateway = await directory.getGateway(gatewayId);
    const store = gateway ? await directory.getStore(gateway.storeId) : null;
    if (!gateway || store?.orgId !== principal.orgId) throw new ApiError("NOT_FOUND", "no such gateway");
    if (principal.role === "store-ops" && principal.storeId !== gateway.storeId) {
      throw new ApiError("FORBIDDEN", "a store-ops key manages only the gateways of its own store");
    }
    return { role: "gateway", storeId: gateway.storeId, gatewayId: gateway.id };
  }

  async function userIdentity(principal: Principal, userId: string): Promise<MqttIdentity> {
    const user = await users.getUser(userId);
    if (user?.orgId !== principal.orgId) throw new ApiError("NOT_FOUND", "no such user");
    return { role: "app", userId: user.id };
  }

  const issueSchema = (summary: string, params: typeof GatewayParams | typeof UserParams) => ({
    summary,
    params,
    response: { 201: MqttCredentialSchema },
  });
  const revokeSchema = (summary: string, params: typeof GatewayParams | typeof UserParams) => ({
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
      const principal = principalOf(request);
      const { gatewayId } = request.params as Static<typeof GatewayParams>;
      const identity = await gatewayIdentity(principal, gatewayId);
      const issued = await atBroker(() => credentials.issueMqtt(identity, actorOf(principal)));
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
      const principal = principalOf(request);
      const { gatewayId } = request.params as Static<typeof GatewayParams>;
      const identity = await gatewayIdentity(principal, gatewayId);
      const username = mqttUsername(identity);
      const revoked = await atBroker(() => credentials.revokeMqtt(username, actorOf(principal)));
      return { username, revoked };
    },
  );

  app.post(
    "/v1/users/:userId/credentials",
    {
      config: { roles: ["admin"] },
      schema: issueSchema("Issue (or replace) an app user's MQTT credential", UserParams),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { userId } = request.params as Static<typeof UserParams>;
      const identity = await userIdentity(principal, userId);
      const issued = await atBroker(() => credentials.issueMqtt(identity, actorOf(principal)));
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
      const principal = principalOf(request);
      const { userId } = request.params as Static<typeof UserParams>;
      const username = mqttUsername(await userIdentity(principal, userId));
      const revoked = await atBroker(() => credentials.revokeMqtt(username, actorOf(principal)));
      return { username, revoked };
    },
  );

  app.post(
    "/v1/api-keys",
    {
      config: { roles: ["admin"] },
      schema: { summary: "Issue an API key of the caller's organisation", body: ApiKeyBody, response: { 201: ApiKeySchema } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body as Static<typeof ApiKeyBody>;
      const needsStore = body.role === "pos" || body.role === "store-ops";
      const problems: { path: string; message: string }[] = [];
      if (needsStore && body.storeId === undefined)
        problems.push({ path: "/storeId", message: `required for a ${body.role} key` });
      if (!needsStore && body.storeId !== undefined)
        problems.push({ path: "/storeId", message: `a ${body.role} key is not bound to a store` });
      if (body.role === "app" && body.userId === undefined)
        problems.push({ path: "/userId", message: "required for an app key" });
      if (body.role !== "app" && body.userId !== undefined)
        problems.push({ path: "/userId", message: `a ${body.role} key is not bound to a user` });
      if (problems.length > 0)
        throw new ApiError("VALIDATION_FAILED", problems.map((p) => `${p.path}: ${p.message}`).join("\n"), problems);
      if (body.storeId !== undefined && (await directory.getStore(body.storeId))?.orgId !== principal.orgId)
        throw new ApiError("NOT_FOUND", "no such store");
      if (body.userId !== undefined) await userIdentity(principal, body.userId);
      const issued = await credentials.issueApiKey(
        {
          role: body.role,
          orgId: principal.orgId,
          storeId: body.storeId ?? null,
          userId: body.userId ?? null,
          label: body.label,
        },
        actorOf(principal),
      );
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
      const principal = principalOf(request);
      const { keyId } = request.params as Static<typeof KeyParams>;
      const key = await credentials.describeApiKey(keyId);
      if (key?.orgId !== principal.orgId) throw new ApiError("NOT_FOUND", "no such API key");
      return { id: keyId, revoked: await credentials.revokeApiKey(keyId, actorOf(principal)) };
    },
  );
}
