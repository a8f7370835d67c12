import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import type { StoreBeaconService } from "../../../services/StoreBeaconService.js";
import { principalOf } from "../createHttpApp.js";
import { ApiError } from "../refusals.js";
import { offerView, OfferViewSchema } from "./offerRoutes.js";

const UserParams = Type.Object({ userId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

const StoreBeaconView = Type.Object({
  enabled: Type.Boolean({ description: "False: the stores' gateways advertise no store beacon." }),
  uuid: Type.Union([Type.String({ format: "uuid" }), Type.Null()], {
    description: "The organisation's proximity UUID: the beacon region an iOS app monitors to be woken in a store.",
  }),
  format: StringEnum(["ibeacon", "eddystone-eid"] as const),
  slotS: Type.Integer({ description: "How long one beacon value lasts, seconds; values rotate at multiples of it in Unix time." }),
});

const SightingBody = Type.Object(
  {
    uuid: Type.Optional(Type.String({ format: "uuid", description: "The iBeacon's proximity UUID as heard." })),
    major: Type.Optional(Type.Integer({ minimum: 0, maximum: 65_535 })),
    minor: Type.Optional(Type.Integer({ minimum: 0, maximum: 65_535 })),
    eid: Type.Optional(Type.String({ pattern: "^[0-9a-fA-F]{16}$", description: "An Eddystone-EID as heard, hex." })),
    rssi: Type.Optional(Type.Number({ minimum: -127, maximum: 20 })),
    at: Type.String({ format: "date-time", maxLength: 40, description: "When the phone heard it." }),
  },
  { additionalProperties: false },
);

const SightingView = Type.Object({
  resolved: Type.Boolean(),
  eventId: Type.Union([Type.String(), Type.Null()], {
    description: "The presence event the sighting is stored as (one per user, store and slot: a repeat in the slot names the same), which the rules decide on as `beacon-arrival`.",
  }),
  storeId: Type.Union([Type.String(), Type.Null()], { description: "The store whose beacon sent the value in that slot." }),
  slotStart: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  offers: Type.Array(OfferViewSchema, {
    description:
      "Offers the rules issued on this sighting when they decided within the wait (about 2 s): a woken app can show one at once. The same offer also arrives by push, MQTT or the pending list: de-duplicate by offerId. Empty for a repeat within the slot.",
  }),
  reason: Type.Union([StringEnum(["too-old", "in-the-future", "no-store", "disabled", "other-organisation"] as const), Type.Null()], {
    description:
      "Why no store: the report is older (or later) than the cloud allows, the value names no store in the slot of `at` (a value from another slot, or guessed), store beacons are off, or the UUID is another organisation's.",
  }),
});

/** Reports one installation may send a minute: a phone hears a beacon about once a second at most, and reports on entry. */
const SIGHTINGS_PER_MINUTE = 30;

/**
 * The store beacon for apps: the UUID to monitor (`GET /v1/store-beacon`), and a phone's report of
 * a value it heard, resolved to the store whose beacon sent it, in its slot only.
 */
export function storeBeaconRoutes(app: FastifyInstance, deps: { storeBeacon: StoreBeaconService }): void {
  app.get(
    "/v1/store-beacon",
    {
      config: { roles: ["app", "marketer", "store-ops", "admin"] },
      schema: { summary: "The store beacon an app monitors: the organisation's proximity UUID, format and slot length", response: { 200: StoreBeaconView } },
    },
    async (request) => deps.storeBeacon.describe(principalOf(request).orgId),
  );

  app.post(
    "/v1/users/:userId/store-beacon-sightings",
    {
      config: {
        roles: ["app"],
        rateLimit: {
          max: SIGHTINGS_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (request: { ip: string; params: unknown }) => `${request.ip}/${(request.params as { userId?: string }).userId ?? ""}`,
        },
      },
      schema: {
        summary: "Report a store beacon value the phone heard: resolved to a store, it is the user's presence there",
        description:
          "Give `uuid`, `major` and `minor` for an iBeacon, or `eid` for an Eddystone-EID. A value names a store only within the slot it was advertised in: a value replayed from another slot, or guessed, names none. " +
          `At most ${SIGHTINGS_PER_MINUTE} reports a minute per installation (429 beyond).`,
        params: UserParams,
        body: SightingBody,
        response: { 200: SightingView },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const principal = principalOf(request);
      if (principal.userId !== userId) throw new ApiError("FORBIDDEN", "an app key may only act for its own user");
      const body = request.body as Static<typeof SightingBody>;
      const at = Date.parse(body.at);
      if (Number.isNaN(at)) throw new ApiError("VALIDATION_FAILED", "at is not a time", [{ path: "/at", message: "not a date-time" }]);
      const ibeacon = body.major !== undefined || body.minor !== undefined || body.uuid !== undefined;
      if (ibeacon === (body.eid !== undefined) || (ibeacon && (body.major === undefined || body.minor === undefined || body.uuid === undefined))) {
        throw new ApiError("VALIDATION_FAILED", "give uuid, major and minor (an iBeacon) or eid (an Eddystone-EID)", [
          { path: body.eid === undefined ? "/major" : "/eid", message: "give uuid, major and minor, or eid alone" },
        ]);
      }
      const heard = body.eid !== undefined ? { eid: body.eid } : { major: body.major ?? 0, minor: body.minor ?? 0 };
      const result = await deps.storeBeacon.reportSighting({
        userId,
        orgId: principal.orgId,
        ...(body.uuid === undefined ? {} : { uuid: body.uuid }),
        heard,
        atMs: at,
        rssi: body.rssi ?? null,
      });
      return result.ok
        ? {
            resolved: true,
            eventId: result.eventId,
            storeId: result.storeId,
            slotStart: new Date(result.slotStart).toISOString(),
            offers: result.offers.map(offerView),
            reason: null,
          }
        : { resolved: false, eventId: null, storeId: null, slotStart: null, offers: [], reason: result.reason };
    },
  );
}
