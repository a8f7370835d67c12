import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN } from "../../../../../protocol/index.js";
import type { Pickup, PickupState } from "../../../domain/coupons/index.js";
import type { PickupService } from "../../../services/PickupService.js";
import { principalOf } from "../createHttpApp.js";
import { unwrap } from "../refusals.js";

const CreateBody = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]*$", description: "The online shop's order id; unique per store." }),
    storeId: Type.String({ pattern: ID_PATTERN, description: "Where the customer collects it." }),
    userId: Type.String({ pattern: ID_PATTERN, description: "The customer (a member), whose arrival the store is told." }),
    validHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, description: "How long the code is accepted. Default 72." })),
  },
  { additionalProperties: false },
);
const CollectBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 80, description: "The pick-up code as typed, or its QR payload." }),
    storeId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Required for admin keys; a till key is bound to its store." })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    storeId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "One store; a till key may name only its own." })),
    state: Type.Optional(
      Type.String({
        pattern: "^(awaiting|arrived|collected)(,(awaiting|arrived|collected)){0,2}$",
        description: "Only orders in these states, comma-separated: awaiting, arrived, collected.",
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: "At most this many; default 100." })),
  },
  { additionalProperties: false },
);
const PickupParams = Type.Object({ pickupId: Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" }) }, { additionalProperties: false });

const PickupViewSchema = Type.Object({
  pickupId: Type.String(),
  orderId: Type.String(),
  storeId: Type.String(),
  code: Type.String({ description: "Single-use; shown by the customer at the counter." }),
  state: Type.String({ description: "awaiting, arrived or collected." }),
  createdAt: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time" }),
  arrivedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  collectedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const view = (p: Pickup) => ({
  pickupId: p.pickupId,
  orderId: p.orderId,
  storeId: p.storeId,
  code: p.code,
  state: p.state,
  createdAt: new Date(p.createdAt).toISOString(),
  expiresAt: new Date(p.expiresAt).toISOString(),
  arrivedAt: iso(p.arrivedAt),
  collectedAt: iso(p.collectedAt),
});

/** Click-and-collect: the online shop registers orders (admin key), the counter collects them (till key). */
export function pickupRoutes(app: FastifyInstance, deps: { pickups: PickupService }): void {
  const { pickups } = deps;

  app.post(
    "/v1/pickups",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Register an online order for pick-up in a store; answers its single-use pick-up code",
        description: "When the customer is seen at the store, the cloud publishes `pickup-arrived` on `arrival/v1/stores/{storeId}/pickups`.",
        body: CreateBody,
        response: { 201: Type.Object({ pickup: PickupViewSchema }) },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateBody>;
      const pickup = unwrap(
        await pickups.create(principalOf(request), {
          orderId: body.orderId,
          storeId: body.storeId,
          userId: body.userId,
          ...(body.validHours === undefined ? {} : { validHours: body.validHours }),
        }),
      );
      void reply.status(201);
      return { pickup: view(pickup) };
    },
  );

  app.get(
    "/v1/pickups",
    {
      config: { roles: ["admin", "pos"] },
      schema: {
        summary: "The pick-up orders of a store, newest first: what its counter lists",
        description:
          "A till key lists its own store's orders; an admin key one store's (`storeId`) or every store's. " +
          "`state` filters (comma-separated: awaiting, arrived, collected), e.g. `arrived` for the customers waiting at the counter.",
        querystring: ListQuery,
        response: { 200: Type.Object({ pickups: Type.Array(PickupViewSchema) }) },
      },
    },
    async (request) => {
      const query = request.query as Static<typeof ListQuery>;
      const states = query.state === undefined ? undefined : (query.state.split(",") as PickupState[]);
      const list = unwrap(
        await pickups.list(principalOf(request), {
          ...(query.storeId === undefined ? {} : { storeId: query.storeId }),
          ...(states === undefined ? {} : { states }),
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        }),
      );
      return { pickups: list.map(view) };
    },
  );

  app.get(
    "/v1/pickups/:pickupId",
    {
      config: { roles: ["admin", "pos"] },
      schema: { summary: "A pick-up order and its state", params: PickupParams, response: { 200: Type.Object({ pickup: PickupViewSchema }) } },
    },
    async (request) => {
      const { pickupId } = request.params as Static<typeof PickupParams>;
      return { pickup: view(unwrap(await pickups.get(principalOf(request), pickupId))) };
    },
  );

  app.post(
    "/v1/pickups/collect",
    {
      config: { roles: ["pos", "admin"] },
      schema: { summary: "Hand over a pick-up order by its code, exactly once", body: CollectBody, response: { 200: Type.Object({ pickup: PickupViewSchema }) } },
    },
    async (request) => {
      const body = request.body as Static<typeof CollectBody>;
      const pickup = unwrap(await pickups.collect(principalOf(request), { code: body.code, ...(body.storeId === undefined ? {} : { storeId: body.storeId }) }));
      return { pickup: view(pickup) };
    },
  );
}
