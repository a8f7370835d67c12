import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { fromHex, ID_PATTERN } from "../../../../../protocol/index.js";
import type { EidResolutionService } from "../../../services/EidResolutionService.js";
import type { GeofenceService } from "../../../services/GeofenceService.js";
import type { StoreActivityService } from "../../../services/StoreActivityService.js";
import { principalOf } from "../createHttpApp.js";
import { ApiError, unwrap } from "../refusals.js";

const EidKeyParams = Type.Object(
  {
    userId: Type.String({ pattern: ID_PATTERN }),
    installId: Type.String({ pattern: ID_PATTERN, description: "The app install (one key per install)." }),
  },
  { additionalProperties: false },
);
const EidKeyBody = Type.Object(
  {
    identityKey: Type.String({
      pattern: "^[0-9a-f]{32}$",
      description: "The install's 16-byte Eddystone-EID identity key, lowercase hex. Never returned.",
    }),
  },
  { additionalProperties: false },
);
const StoreParams = Type.Object({ storeId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const UserParams = Type.Object({ userId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const GeofenceBody = Type.Object(
  {
    storeId: Type.String({ pattern: ID_PATTERN, description: "Store whose geofence the OS reported entered." }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    accuracyM: Type.Number({ minimum: 0, maximum: 100_000, description: "Horizontal accuracy radius, metres." }),
    at: Type.String({ format: "date-time", maxLength: 40, description: "When the fix was taken." }),
  },
  { additionalProperties: false },
);

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const GeofenceEntryView = Type.Object({
  eventId: Type.String(),
  plausible: Type.Boolean({ description: "False: stored and flagged, decided no further." }),
  flags: Type.Array(Type.String(), { description: "Why the fix is implausible (empty when plausible)." }),
  signals: Type.Object({
    source: Type.Literal("phone-geofence"),
    plausible: Type.Boolean(),
    flags: Type.Array(Type.String()),
    accuracyM: Type.Number(),
    distanceFromStoreM: NullableNumber,
    speedFromPreviousMps: NullableNumber,
    seenByStoreGateways: Type.Union([Type.Boolean(), Type.Null()], {
      description: "null: the store has no gateways; otherwise whether they saw this user within ±10 min.",
    }),
  }),
});

/** An app key acts for its own user only. */
function ownUser(request: Parameters<typeof principalOf>[0], userId: string) {
  const principal = principalOf(request);
  if (principal.userId !== userId) throw new ApiError("FORBIDDEN", "an app key may only act for its own user");
  return principal;
}

/**
 * The app's privacy-related calls: registering the install's Eddystone-EID identity key, and
 * reporting an OS geofence entry with its GPS fix.
 */
export function privacyRoutes(
  app: FastifyInstance,
  deps: {
    eid: EidResolutionService;
    geofence: GeofenceService;
    activity: Pick<StoreActivityService, "dailyVisitCounts">;
  },
): void {
  app.get(
    "/v1/stores/:storeId/visit-counts",
    {
      config: { roles: ["admin", "marketer", "store-ops"] },
      schema: {
        summary: "Visits per day and zone, kept in aggregate after raw presence data is deleted",
        params: StoreParams,
        response: {
          200: Type.Object({
            visits: Type.Array(
              Type.Object({
                day: Type.String({ description: "The store's local day of entry (its timezone; UTC if unknown), YYYY-MM-DD." }),
                zoneId: Type.String(),
                visits: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      const counts = unwrap(await deps.activity.dailyVisitCounts(principalOf(request), storeId));
      return { visits: counts.map((c) => ({ day: c.day, zoneId: c.zoneId, visits: c.visits })) };
    },
  );

  app.put(
    "/v1/users/:userId/eid-keys/:installId",
    {
      config: { roles: ["app"] },
      schema: {
        summary: "Register this install's Eddystone-EID identity key (at sign-in)",
        params: EidKeyParams,
        body: EidKeyBody,
        response: {
          200: Type.Object({
            installId: Type.String(),
            rotationExponent: Type.Integer({ description: "Advertise a new EID every 2^K seconds." }),
          }),
        },
      },
    },
    async (request) => {
      const { userId, installId } = request.params as Static<typeof EidKeyParams>;
      const principal = ownUser(request, userId);
      const key = fromHex((request.body as Static<typeof EidKeyBody>).identityKey);
      if (!key) throw new ApiError("VALIDATION_FAILED", "identityKey is not hex", [{ path: "/identityKey", message: "not hex" }]);
      const { rotationExponent } = await deps.eid.register(userId, installId, key, `api-key:${principal.keyId}`);
      return { installId, rotationExponent };
    },
  );

  app.post(
    "/v1/users/:userId/geofence-entries",
    {
      config: { roles: ["app"] },
      schema: {
        summary: "Report that the phone's OS geofence for a store was entered, with its GPS fix",
        params: UserParams,
        body: GeofenceBody,
        response: { 201: GeofenceEntryView },
      },
    },
    async (request, reply) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const principal = ownUser(request, userId);
      const body = request.body as Static<typeof GeofenceBody>;
      const at = Date.parse(body.at);
      if (Number.isNaN(at)) throw new ApiError("VALIDATION_FAILED", "at is not a time", [{ path: "/at", message: "not a date-time" }]);
      const outcome = unwrap(
        await deps.geofence.reportEntry({
          userId,
          orgId: principal.orgId,
          storeId: body.storeId,
          fix: { lat: body.lat, lon: body.lon, accuracyM: body.accuracyM, at },
        }),
      );
      void reply.status(201);
      return {
        eventId: outcome.eventId,
        plausible: outcome.verdict.plausible,
        flags: outcome.verdict.flags,
        signals: outcome.signals,
      };
    },
  );
}
