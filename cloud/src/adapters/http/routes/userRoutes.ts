import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN } from "../../../../../protocol/index.js";
import type { AppUser, RegisteredDevice } from "../../../services/repositories.js";
import type { UserService } from "../../../services/UserService.js";
import { principalOf } from "../createHttpApp.js";
import { atBroker, unwrap } from "../refusals.js";

const UserParams = Type.Object(
  { userId: Type.String({ pattern: ID_PATTERN, description: "User id, as the CRM and the app know it." }) },
  { additionalProperties: false },
);
const DeviceParams = Type.Object(
  {
    userId: Type.String({ pattern: ID_PATTERN }),
    subjectId: Type.String({
      maxLength: 120,
      pattern: "^(ibeacon|altbeacon|eddystone-uid):[0-9a-f:-]+$",
      description: "The device's subject id, as listed.",
    }),
  },
  { additionalProperties: false },
);

const ConsentSchema = Type.Object(
  {
    marketing: Type.Boolean({ description: "Offers may be sent." }),
    analytics: Type.Boolean({ description: "Presence may be used for analytics." }),
  },
  { additionalProperties: false },
);
const ProfileBody = Type.Object(
  {
    displayName: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
    segments: Type.Optional(
      Type.Array(Type.String({ pattern: ID_PATTERN }), { maxItems: 100, description: "Segments rules target." }),
    ),
    loyaltyTier: Type.Optional(Type.Union([Type.String({ pattern: ID_PATTERN }), Type.Null()])),
    consent: Type.Optional(ConsentSchema),
  },
  {
    additionalProperties: false,
    description:
      "The whole profile (absent fields are cleared), except consent, which is kept when absent and may be set here by an admin key only.",
  },
);
const UserView = Type.Object({
  id: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  segments: Type.Array(Type.String()),
  loyaltyTier: Type.Union([Type.String(), Type.Null()]),
  consent: ConsentSchema,
});

const Hex = (digits: number, description: string) =>
  Type.String({ pattern: `^[0-9A-Fa-f]{${digits}}$`, description });
const U16 = (description: string) => Type.Integer({ minimum: 0, maximum: 65535, description });
/** What is printed on a beacon or shown by its configuration app; one branch per identifying format. */
const BeaconIdentitySchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal("ibeacon"),
      uuid: Type.String({
        pattern: "^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$",
        description: "Proximity UUID, with or without dashes.",
      }),
      major: U16("Major."),
      minor: U16("Minor."),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("altbeacon"),
      id1: Type.String({
        pattern: "^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$",
        description: "First 16 bytes of the beacon id, hex (dashes allowed).",
      }),
      id2: U16("Next 2 bytes."),
      id3: U16("Last 2 bytes."),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("eddystone-uid"),
      namespace: Hex(20, "10-byte namespace, hex."),
      instance: Hex(12, "6-byte instance, hex."),
    },
    { additionalProperties: false },
  ),
]);
const DeviceBody = Type.Object(
  {
    identity: BeaconIdentitySchema,
    label: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 120 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const DeviceView = Type.Object({
  subjectId: Type.String({ description: "The id gateways report when they hear this beacon." }),
  label: Type.Union([Type.String(), Type.Null()]),
  identity: Type.Union([BeaconIdentitySchema, Type.Null()]),
  registeredAt: Type.String({ format: "date-time" }),
});

function userView(user: AppUser): Static<typeof UserView> {
  return {
    id: user.id,
    displayName: user.displayName,
    segments: [...user.segments],
    loyaltyTier: user.loyaltyTier,
    consent: { marketing: user.marketingConsent, analytics: user.analyticsConsent },
  };
}

function deviceView(device: RegisteredDevice): Static<typeof DeviceView> {
  return {
    subjectId: device.subjectId,
    label: device.label,
    identity: (device.identity ?? null) as Static<typeof DeviceView>["identity"],
    registeredAt: new Date(device.createdAt).toISOString(),
  };
}

/**
 * App users: a CRM upserts profiles (admin, marketer; consent by admin only), the app reads its own
 * profile, sets its consent, registers its beacons and deletes its user (right to erasure); an admin
 * can do each of these for any user of the organisation. See `UserService` for the reasoning.
 */
export function userRoutes(app: FastifyInstance, deps: { users: UserService }): void {
  const { users } = deps;

  app.put(
    "/v1/users/:userId",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "Create or replace a user's profile (CRM upsert)",
        params: UserParams,
        body: ProfileBody,
        response: { 200: UserView, 201: UserView },
      },
    },
    async (request, reply) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const body = request.body as Static<typeof ProfileBody>;
      const { user, created } = unwrap(
        await users.upsertProfile(principalOf(request), userId, {
          displayName: body.displayName ?? null,
          segments: body.segments ?? [],
          loyaltyTier: body.loyaltyTier ?? null,
          ...(body.consent ? { consent: body.consent } : {}),
        }),
      );
      void reply.status(created ? 201 : 200);
      return userView(user);
    },
  );

  app.get(
    "/v1/users/:userId",
    {
      config: { roles: ["admin", "marketer", "app"] },
      schema: { summary: "A user's profile and consent", params: UserParams, response: { 200: UserView } },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      return userView(unwrap(await users.visibleUser(principalOf(request), userId)));
    },
  );

  app.put(
    "/v1/users/:userId/consent",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Set a user's marketing and analytics consent",
        params: UserParams,
        body: ConsentSchema,
        response: { 200: UserView },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const body = request.body as Static<typeof ConsentSchema>;
      return userView(unwrap(await users.setConsent(principalOf(request), userId, body)));
    },
  );

  app.delete(
    "/v1/users/:userId",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Delete a user and their personal data (right to erasure)",
        description:
          "Revokes the user's MQTT credentials (disconnecting the app) and API keys, then deletes the profile, registered beacons, presence events, visits, decisions and unredeemed offers. Redeemed offers stay for the till's accounting with the user replaced by `reference`; the audit trail names only `reference`.",
        params: UserParams,
        response: {
          200: Type.Object({
            reference: Type.String({ description: "Random pseudonym of the erased user in kept records." }),
            deleted: Type.Record(Type.String(), Type.Integer(), { description: "Rows deleted, by table." }),
            anonymisedOffers: Type.Integer(),
            pseudonymisedAudit: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      // A broker that cannot revoke the app's credential stops the erasure before any data goes.
      return unwrap(await atBroker(() => users.erase(principalOf(request), userId)));
    },
  );

  app.get(
    "/v1/users/:userId/devices",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Beacons registered to a user",
        params: UserParams,
        response: { 200: Type.Object({ devices: Type.Array(DeviceView) }) },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      return { devices: unwrap(await users.listDevices(principalOf(request), userId)).map(deviceView) };
    },
  );

  app.post(
    "/v1/users/:userId/devices",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Register a beacon (iBeacon, AltBeacon or Eddystone-UID) to a user",
        params: UserParams,
        body: DeviceBody,
        response: { 200: DeviceView, 201: DeviceView },
      },
    },
    async (request, reply) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const body = request.body as Static<typeof DeviceBody>;
      const { device, created } = unwrap(
        await users.addDevice(principalOf(request), userId, body.identity, body.label ?? null),
      );
      void reply.status(created ? 201 : 200);
      return deviceView(device);
    },
  );

  app.delete(
    "/v1/users/:userId/devices/:subjectId",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Unregister a beacon",
        params: DeviceParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { userId, subjectId } = request.params as Static<typeof DeviceParams>;
      return unwrap(await users.removeDevice(principalOf(request), userId, subjectId));
    },
  );
}
