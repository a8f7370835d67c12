import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, PRESENCE_EVENT_TYPES, StringEnum, SubjectSchema } from "../../../../../protocol/index.js";
import { isoInstant } from "../../../domain/rules/localTime.js";
import type { ActivityRequest, StoreActivityService } from "../../../services/StoreActivityService.js";
import { principalOf } from "../createHttpApp.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { unwrap } from "../refusals.js";
import { PeriodBoundSchema, timeBoundOf } from "../timeBounds.js";

const StoreParams = Type.Object({ storeId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

const commonQuery = {
  from: Type.Optional(PeriodBoundSchema("Inclusive start (event time, visit start); a day starts at midnight in the store's timezone.")),
  to: Type.Optional(PeriodBoundSchema("Exclusive end; a day starts at midnight in the store's timezone.")),
  zoneId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
  subjectId: Type.Optional(Type.String({ minLength: 3, maxLength: 120 })),
  userId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: "Page size, default 100." })),
  cursor: Type.Optional(
    Type.String({ maxLength: 200, description: "`nextCursor` of the previous page; omit for the newest page." }),
  ),
};
const EventsQuery = Type.Object(
  { ...commonQuery, type: Type.Optional(StringEnum(PRESENCE_EVENT_TYPES)) },
  { additionalProperties: false },
);
const VisitsQuery = Type.Object(commonQuery, { additionalProperties: false });

const NextCursor = Type.Union([Type.String(), Type.Null()], { description: "Null on the last page." });
const EventView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  storeId: Type.String(),
  zoneId: Type.String(),
  gatewayId: Type.String(),
  subject: SubjectSchema,
  userId: Type.Union([Type.String(), Type.Null()]),
  visitId: Type.String(),
  at: Type.String({ format: "date-time" }),
  receivedAt: Type.String({ format: "date-time" }),
  rssi: Type.Union([Type.Number(), Type.Null()]),
  distanceM: Type.Union([Type.Number(), Type.Null()]),
  dwellMs: Type.Union([Type.Integer(), Type.Null()]),
});
const VisitView = Type.Object({
  id: Type.String(),
  storeId: Type.String(),
  zoneId: Type.String(),
  subjectId: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  enteredAt: Type.String({ format: "date-time" }),
  lastEventAt: Type.String({ format: "date-time" }),
  exitedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  dwellMs: Type.Integer(),
});

function activityQuery(storeId: string, query: Static<typeof VisitsQuery>): ActivityRequest {
  return {
    storeId,
    from: query.from === undefined ? null : timeBoundOf(query.from, "/from"),
    to: query.to === undefined ? null : timeBoundOf(query.to, "/to"),
    zoneId: query.zoneId ?? null,
    subjectId: query.subjectId ?? null,
    userId: query.userId ?? null,
    limit: query.limit ?? 100,
    after: query.cursor === undefined ? null : decodeCursor(query.cursor),
  };
}

/** Clipped to what a Date holds: a visit stored before ingest bounded dwell began before time. */
const iso = (ms: number): string => isoInstant(ms);

/**
 * Presence history of a store, newest first with keyset paging: admin, marketer and store-ops (a
 * store-bound key only its store). A store of another organisation is "not found".
 */
export function activityRoutes(app: FastifyInstance, deps: { activity: StoreActivityService }): void {
  app.get(
    "/v1/stores/:storeId/events",
    {
      config: { roles: ["admin", "marketer", "store-ops"] },
      schema: {
        summary: "Presence events of a store (enter, dwell, exit), newest first",
        params: StoreParams,
        querystring: EventsQuery,
        response: { 200: Type.Object({ events: Type.Array(EventView), nextCursor: NextCursor }) },
      },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      const query = request.query as Static<typeof EventsQuery>;
      const q = activityQuery(storeId, query);
      const events = unwrap(await deps.activity.events(principalOf(request), { ...q, type: query.type ?? null }));
      const last = events.at(-1);
      return {
        events: events.map((e) => ({
          id: e.id,
          type: e.type,
          storeId: e.storeId,
          zoneId: e.zoneId,
          gatewayId: e.gatewayId,
          subject: e.subject,
          userId: e.userId,
          visitId: e.visitId,
          at: e.at,
          receivedAt: iso(e.receivedAt),
          rssi: e.rssi,
          distanceM: e.distanceM,
          dwellMs: e.dwellMs ?? null,
        })),
        nextCursor: last && events.length === q.limit ? encodeCursor({ at: Date.parse(last.at), id: last.id }) : null,
      };
    },
  );

  app.get(
    "/v1/stores/:storeId/visits",
    {
      config: { roles: ["admin", "marketer", "store-ops"] },
      schema: {
        summary: "Visits of a store (one subject's stay in one zone), newest first",
        params: StoreParams,
        querystring: VisitsQuery,
        response: { 200: Type.Object({ visits: Type.Array(VisitView), nextCursor: NextCursor }) },
      },
    },
    async (request) => {
      const { storeId } = request.params as Static<typeof StoreParams>;
      const query = request.query as Static<typeof VisitsQuery>;
      const q = activityQuery(storeId, query);
      const visits = unwrap(await deps.activity.visits(principalOf(request), q));
      const last = visits.at(-1);
      return {
        visits: visits.map((v) => ({
          ...v,
          enteredAt: iso(v.enteredAt),
          lastEventAt: iso(v.lastEventAt),
          exitedAt: v.exitedAt === null ? null : iso(v.exitedAt),
        })),
        nextCursor: last && visits.length === q.limit ? encodeCursor({ at: last.enteredAt, id: last.id }) : null,
      };
    },
  );
}
