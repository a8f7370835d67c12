import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN } from "../../../../../protocol/index.js";
import type {
  DecisionCursor,
  DecisionPageQuery,
  DecisionRepository,
  RecordedDecision,
  RuleRepository,
  UserRepository,
} from "../../../services/repositories.js";
import { ApiError } from "../ApiError.js";
import { principalOf } from "../createHttpApp.js";

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

async function page(
  decisions: DecisionRepository,
  by: DecisionPageQuery["by"],
  id: string,
  query: PageQuery,
): Promise<Static<typeof PageSchema>> {
  const limit = query.limit ?? 100;
  // One more than asked tells whether there is a next page without a second query.
  const rows = await decisions.decisionsPage({ by, id, limit: limit + 1, after: parseCursor(query.cursor) });
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    decisions: shown.map(view),
    nextCursor: rows.length > limit && last ? `${last.decidedAt}_${last.id}` : null,
  };
}

export interface DecisionRouteDeps {
  readonly decisions: DecisionRepository;
  readonly users: Pick<UserRepository, "getUser">;
  readonly rules: Pick<RuleRepository, "getRule">;
}

/** The decision log: why each shopper did or did not get an offer, by user, by event and by rule. */
export function decisionRoutes(app: FastifyInstance, deps: DecisionRouteDeps): void {
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
      const user = await deps.users.getUser(userId);
      if (!user || user.orgId !== principalOf(request).orgId) {
        throw new ApiError("NOT_FOUND", `no user ${userId} in this organisation`);
      }
      return page(deps.decisions, "user", userId, request.query as PageQuery);
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
      const record = await deps.decisions.getEvent(eventId);
      if (!record || record.orgId !== principalOf(request).orgId) {
        throw new ApiError("NOT_FOUND", `no event ${eventId} in this organisation`);
      }
      const result = await page(deps.decisions, "event", eventId, request.query as PageQuery);
      const { event, decidedAt } = record;
      const status =
        decidedAt === null
          ? "pending"
          : event.userId === null
            ? "no-user"
            : result.decisions.length === 0 && (request.query as PageQuery).cursor === undefined
              ? "no-candidate-rules"
              : "decided";
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
          status,
        },
        ...result,
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
      const found = await deps.rules.getRule(ruleId);
      if (!found || found.orgId !== principalOf(request).orgId) {
        throw new ApiError("NOT_FOUND", `no rule ${ruleId} in this organisation`);
      }
      return page(deps.decisions, "rule", ruleId, request.query as PageQuery);
    },
  );
}
