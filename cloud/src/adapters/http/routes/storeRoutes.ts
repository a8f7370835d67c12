import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, ZoneSchema } from "../../../../../protocol/index.js";
import { invalid } from "../../../services/Outcome.js";
import type { StoreDetails } from "../../../services/repositories.js";
import type { StoreService } from "../../../services/StoreService.js";
import { principalOf } from "../createHttpApp.js";
import { refusalError, unwrap } from "../refusals.js";

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const StoreParams = Type.Object({ storeId: Id("Store id.") }, { additionalProperties: false });
const ZoneParams = Type.Object({ storeId: Id("Store id."), zoneId: Id("Zone id.") }, { additionalProperties: false });

const Location = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, description: "Latitude, WGS 84 degrees." }),
    lon: Type.Number({ minimum: -180, maximum: 180, description: "Longitude, WGS 84 degrees." }),
  },
  { additionalProperties: false },
);
const Tags = Type.Array(Type.String({ pattern: ID_PATTERN }), {
  maxItems: 50,
  description: "Tags that rules select stores or zones by.",
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Address = Type.String({ minLength: 1, maxLength: 500, description: "Postal address, one string." });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: "IANA time zone, e.g. `Asia/Hong_Kong`; schedules and daily caps are evaluated in it.",
});

const CreateStoreBody = Type.Object(
  {
    id: Id("Store id; it becomes an MQTT topic level, unique across organisations."),
    name: Name,
    timezone: TimeZone,
    location: Type.Optional(Type.Union([Location, Type.Null()])),
    address: Type.Optional(Type.Union([Address, Type.Null()])),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
const UpdateStoreBody = Type.Object(
  {
    name: Type.Optional(Name),
    timezone: Type.Optional(TimeZone),
    location: Type.Optional(Type.Union([Location, Type.Null()])),
    address: Type.Optional(Type.Union([Address, Type.Null()])),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false, minProperties: 1, description: "The fields to change; the others keep their values." },
);
const StoreView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  location: Type.Union([Location, Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
});

const ZoneBody = Type.Object(
  { zone: ZoneSchema, tags: Type.Optional(Tags) },
  { additionalProperties: false },
);
const ZoneView = Type.Object({
  id: Type.String(),
  storeId: Type.String(),
  name: Type.String(),
  tags: Type.Array(Type.String()),
  zone: Type.Union([ZoneSchema, Type.Null()], {
    description: "The geofence as gateways apply it; null for a zone stored before zones were validated.",
  }),
});

function storeView(store: StoreDetails): Static<typeof StoreView> {
  return {
    id: store.id,
    name: store.name,
    timezone: store.timezone,
    location: store.lat === null || store.lon === null ? null : { lat: store.lat, lon: store.lon },
    address: store.address,
    tags: [...store.tags],
  };
}

/**
 * Stores and zones of the caller's organisation. Reading: admin, marketer and store-ops (a
 * store-bound key only its store). Creating and changing stores: admin. Zones are drawn by whoever
 * installs the gateways: admin and store-ops (their store).
 */
export function storeRoutes(app: FastifyInstance, deps: { stores: StoreService }): void {
  const { stores } = deps;

  app.get(
    "/v1/stores",
    {
      config: { roles: ["admin", "marketer", "store-ops"] },
      schema: { summary: "List the organisation's stores", response: { 200: Type.Object({ stores: Type.Array(StoreView) }) } },
    },
    async (request) => ({ stores: (await stores.listStores(principalOf(request))).map(storeView) }),
  );

  app.post(
    "/v1/stores",
    {
      config: { roles: ["admin"] },
      schema: { summary: "Create a store", body: CreateStoreBody, response: { 201: StoreView } },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateStoreBody>;
      const store = unwrap(
        await stores.createStore(principalOf(request), body.id, {
          name: body.name,
          timezone: body.timezone,
          location: body.location ?? null,
          address: body.address ?? null,
          tags: body.tags ?? [],
        }),
      );
      void reply.status(201);
      return storeView(store);
    },
  );

  app.get(
    "/v1/stores/:storeId",
    {
      config: { roles: ["admin", "marketer", "store-ops"] },
      schema: { summary: "A store", params: StoreParams, response: { 200: StoreView } },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      return storeView(unwrap(await stores.getStore(principalOf(request), storeId)));
    },
  );

  app.patch(
    "/v1/stores/:storeId",
    {
      config: { roles: ["admin"] },
      schema: { summary: "Change a store's name, time zone, location, address or tags", params: StoreParams, body: UpdateStoreBody, response: { 200: StoreView } },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      const body = request.body as Static<typeof UpdateStoreBody>;
      return storeView(unwrap(await stores.updateStore(principalOf(request), storeId, body)));
    },
  );

  app.get(
    "/v1/stores/:storeId/zones",
    {
      config: { roles: ["admin", "marketer", "store-ops"] },
      schema: { summary: "A store's zones", params: StoreParams, response: { 200: Type.Object({ zones: Type.Array(ZoneView) }) } },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      return { zones: unwrap(await stores.listZones(principalOf(request), storeId)) };
    },
  );

  app.post(
    "/v1/stores/:storeId/zones",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: { summary: "Create a zone (gateway radius, circle or polygon)", params: StoreParams, body: ZoneBody, response: { 201: ZoneView } },
    },
    async (request, reply) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      const body = request.body as Static<typeof ZoneBody>;
      const zone = unwrap(
        await stores.putZone(principalOf(request), storeId, { zone: body.zone, tags: body.tags ?? [] }, "create"),
      );
      void reply.status(201);
      return zone;
    },
  );

  app.get(
    "/v1/stores/:storeId/zones/:zoneId",
    {
      config: { roles: ["admin", "marketer", "store-ops"] },
      schema: { summary: "A zone", params: ZoneParams, response: { 200: ZoneView } },
    },
    async (request) => {
      const { storeId, zoneId } = request.params as Static<typeof ZoneParams>;
      return unwrap(await stores.getZone(principalOf(request), storeId, zoneId));
    },
  );

  app.put(
    "/v1/stores/:storeId/zones/:zoneId",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: { summary: "Replace a zone's geofence and tags", params: ZoneParams, body: ZoneBody, response: { 200: ZoneView } },
    },
    async (request) => {
      const { storeId, zoneId } = request.params as Static<typeof ZoneParams>;
      const body = request.body as Static<typeof ZoneBody>;
      if (body.zone.id !== zoneId)
        throw refusalError(invalid([{ path: "/zone/id", message: `must be ${zoneId}, the zone in the path` }]));
      return unwrap(
        await stores.putZone(principalOf(request), storeId, { zone: body.zone, tags: body.tags ?? [] }, "replace"),
      );
    },
  );

  app.delete(
    "/v1/stores/:storeId/zones/:zoneId",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: { summary: "Delete a zone", params: ZoneParams, response: { 200: Type.Object({ deleted: Type.Boolean() }) } },
    },
    async (request) => {
      const { storeId, zoneId } = request.params as Static<typeof ZoneParams>;
      return unwrap(await stores.deleteZone(principalOf(request), storeId, zoneId));
    },
  );
}
