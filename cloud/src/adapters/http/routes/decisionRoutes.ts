import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN } from "../../../../../protocol/index.js";
import type { DecisionLogService, DecisionPage, DecisionPageRequest } from "../../../services/DecisionLogService.js";
import type { DecisionCursor, RecordedDecision } from "../../../services/repositories.js";
import { principalOf } from "../createHttpApp.js";
import { unwrap } from "../refusals.js";

const PageQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: "Decisions per page, newest first; default 100." }),
    ),
    cursor: Type.Optional(
      Type.String({
        pattern: "^[0-9]{1,16}_[0-9]{1,16}$",
        description: "The `nextCursor` of the previous page.",
      }),
    ),
  },
  { additionalProperties: false },
);
type PageQuery = Static<typeof PageQuery>;

export const DecisionViewSchema = Type.Object({
  eventId: Type.String(),
  ruleId: Type.String(),
  ruleVersion: Type.Integer(),
  userId: Type.Union([Type.String(), Type.Null()]),
  storeId: Type.String(),
  zoneId: Type.String(),
  visitId: Type.String(),
  outcome: Type.String({ description: "issued, held-out or not-issued" }),
  reason: Type.String({
    description: "eligible, held-out, or why not (rule-not-live, stale-event, visit-ended, scope-mismatch, …)",
  }),
  text: Type.String({ description: "The reason in words, with the numbers that decided it." }),
  offerId: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.String({ format: "date-time" }),
  signals: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description:
        "For a phone's geofence entry: the plausibility verdict (flags, accuracy, distance, speed) and whether the store's gateways saw the user then.",
    }),
  ),
});

const PageSchema = Type.Object({
  decisions: Type.Array(DecisionViewSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: "null on the last page." }),
});

const PAGE_DESCRIPTION =
  "Newest first. Every rule evaluated on an event has one decision: issued, held-out (the shopper is " +
  "in the rule's control group) or not-issued with a reason code and its text.";

function view(d: RecordedDecision): Static<typeof DecisionViewSchema> {
  return {
    eventId: d.eventId,
    ruleId: d.ruleId,
    ruleVersion: d.ruleVersion,
    userId: d.userId,
    storeId: d.storeId,
    zoneId: d.zoneId,
    visitId: d.visitId,
    outcome: d.outcome,
    reason: d.reason,
    text: d.text,
    offerId: d.offerId,
    decidedAt: new Date(d.decidedAt).toISOString(),
    ...(d.signals ? { signals: d.signals } : {}),
  };
}

function parseCursor(cursor: string | undefined): DecisionCursor | null {
  if (cursor === undefined) return null;
  const [decidedAt, id] = cursor.split("_").map(Number);
  return { decidedAt: decidedAt ?? 0, id: id ?? 0 };
}

function pageRequest(query: PageQuery): DecisionPageRequest {
  return { limit: query.limit ?? 100, after: parseCursor(query.cursor) };
}

function pageView(page: DecisionPage): Static<typeof PageSchema> {
  return {
    decisions: page.decisions.map(view),
    nextCursor: page.next === null ? null : `${page.next.decidedAt}_${page.next.id}`,
  };
}

/** The decision log: why each shopper did or did not get an offer, by user, by event and by rule. */
export function decisionRoutes(app: FastifyInstance, deps: { log: DecisionLogService }): void {
  const UserParams = Type.Object({ userId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
  app.get(
    "/v1/users/:userId/decisions",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "Every decision made for a user, with its reason",
        description: PAGE_DESCRIPTION,
        params: UserParams,
        querystring: PageQuery,
        response: { 200: PageSchema },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const orgId = principalOf(request).orgId;
      return pageView(unwrap(await deps.log.forUser(orgId, userId, pageRequest(request.query as PageQuery))));
    },
  );

  const EventParams = Type.Object(
    { eventId: Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" }) },
    { additionalProperties: false },
  );
  app.get(
    "/v1/events/:eventId/decisions",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "What the rules engine made of one presence event",
        description:
          `${PAGE_DESCRIPTION} \`status\` says why an event may have no decisions at all: ` +
          "`pending` (not decided yet), `no-user` (the subject is not linked to an app user, so no rule " +
          "is evaluated), `no-candidate-rules` (no live rule listens to this store, zone and event type), " +
          "or `decided`.",
        params: EventParams,
        querystring: PageQuery,
        response: {
          200: Type.Object({
            event: Type.Object({
              id: Type.String(),
              type: Type.String(),
              storeId: Type.String(),
              zoneId: Type.String(),
              visitId: Type.String(),
              userId: Type.Union([Type.String(), Type.Null()]),
              at: Type.String({ format: "date-time" }),
              decidedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
              status: Type.String(),
            }),
            decisions: Type.Array(DecisionViewSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { eventId } = request.params as Static<typeof EventParams>;
      const orgId = principalOf(request).orgId;
      const result = unwrap(await deps.log.forEvent(orgId, eventId, pageRequest(request.query as PageQuery)));
      const { event, decidedAt } = result.record;
      return {
        event: {
          id: event.id,
          type: event.type,
          storeId: event.storeId,
          zoneId: event.zoneId,
          visitId: event.visitId,
          userId: event.userId,
          at: event.at,
          decidedAt: decidedAt === null ? null : new Date(decidedAt).toISOString(),
          status: result.status,
        },
        ...pageView(result),
      };
    },
  );

  const RuleParams = Type.Object({ ruleId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
  app.get(
    "/v1/rules/:ruleId/decisions",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "Every decision of one rule, with its reason",
        description: PAGE_DESCRIPTION,
        params: RuleParams,
        querystring: PageQuery,
        response: { 200: PageSchema },
      },
    },
    async (request) => {
      const { ruleId } = request.params as Static<typeof RuleParams>;
      const orgId = principalOf(request).orgId;
      return pageView(unwrap(await deps.log.forRule(orgId, ruleId, pageRequest(request.query as PageQuery))));
    },
  );
}
