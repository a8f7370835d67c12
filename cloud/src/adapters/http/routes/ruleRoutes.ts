import type { FastifyInstance, FastifyRequest } from "fastify";
import Type, { type Static, type TObject } from "typebox";
import { Checker, ID_PATTERN, type Problem, StringEnum } from "../../../../../protocol/index.js";
import { checkRuleSpec, NOT_ISSUED_REASONS, RULE_STATUSES, type Rule, RuleSpecSchema } from "../../../domain/rules/index.js";
import { type DryRunReport, type DryRunService, LIMIT_REASONS } from "../../../services/DryRunService.js";
import type { ReachService } from "../../../services/ReachService.js";
import type { RuleService } from "../../../services/RuleService.js";
import { invalid } from "../../../services/Outcome.js";
import { refusalError, unwrap } from "../refusals.js";
import { principalOf } from "../createHttpApp.js";
import { PeriodBoundSchema, timeBoundOf } from "../timeBounds.js";

const RuleParams = Type.Object({ ruleId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const RuleId = Type.String({
  pattern: ID_PATTERN,
  description: "Stable id of the rule across versions; generated when absent.",
});

const CreateBody = Type.Object({ id: Type.Optional(RuleId), spec: RuleSpecSchema }, { additionalProperties: false });
const ReviseBody = Type.Object(
  {
    spec: RuleSpecSchema,
    baseVersion: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "The version the edit was made from; refused with 409 if the rule has moved on since.",
      }),
    ),
  },
  { additionalProperties: false },
);
const TransitionBody = Type.Object(
  {
    to: StringEnum(RULE_STATUSES, {
      description:
        "draft → scheduled | live; scheduled → draft | live | ended; live → paused | ended; paused → live | ended.",
    }),
  },
  { additionalProperties: false },
);
const DryRunBody = Type.Object(
  {
    spec: RuleSpecSchema,
    from: PeriodBoundSchema("Start of the replayed period, inclusive; a day starts at midnight where the rule's stores are."),
    to: PeriodBoundSchema("End of the replayed period, exclusive; at most 92 days after from."),
    ruleId: Type.Optional(
      Type.String({
        pattern: ID_PATTERN,
        description: "Id the rule would have (it decides the holdout group); default `dry-run`.",
      }),
    ),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({ status: Type.Optional(StringEnum(RULE_STATUSES)) }, { additionalProperties: false });
const ReachBody = Type.Object({ spec: RuleSpecSchema }, { additionalProperties: false });
const ReachView = Type.Object({
  members: Type.Integer({
    description: "Members the rule's audience reaches now: marketing consent given, in one of its segments and tiers where it names them.",
  }),
  lastWeek: Type.Object(
    {
      from: Type.String({ format: "date-time" }),
      to: Type.String({ format: "date-time" }),
      arrivals: Type.Integer({ description: "Recorded events of the rule's trigger inside its scope in the last 7 days." }),
      shoppers: Type.Integer({ description: "Distinct shoppers the rule would have sent an offer to in those 7 days (its dry run)." }),
      offers: Type.Integer({ description: "Offers it would have issued in those 7 days, within its limits." }),
    },
    { description: "The rule replayed over the last 7 days, as `POST /v1/rules/dry-run` does." },
  ),
});

/**
 * A stored spec as it was written: open here, so a spec stored under an older schema is returned
 * whole rather than cut to today's fields by the response serialiser (the request body's `spec`
 * documents its shape).
 */
const StoredSpec = Type.Object({}, { additionalProperties: true, description: "The rule spec as written (see the request body's `spec`)." });

const RuleView = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  status: StringEnum(RULE_STATUSES),
  spec: StoredSpec,
  updatedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});
const RuleEnvelope = Type.Object({ rule: RuleView });

const RuleDetailsView = Type.Object({
  rule: RuleView,
  offersIssued: Type.Integer({ description: "Across every version." }),
  budgetRemaining: Type.Union([Type.Integer(), Type.Null()], { description: "Offers the budget still allows; null without a budget." }),
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      status: StringEnum(RULE_STATUSES, { description: "The status this version had when it was last current." }),
      spec: StoredSpec,
      createdAt: Type.String({ format: "date-time" }),
      offersIssued: Type.Integer({ description: "Offers issued under this version." }),
    }),
    { description: "Newest first." },
  ),
  history: Type.Array(
    Type.Object({
      at: Type.String({ format: "date-time" }),
      actor: Type.String({ description: "API key id, or `scheduler`; never a secret." }),
      action: Type.String(),
      detail: Type.Object({}, { additionalProperties: true, description: "What changed; its fields depend on the action." }),
    }),
    { description: "Creation, edits and status changes, newest first." },
  ),
});

/** Counts per reason; only the reasons that occurred are present. */
const ReasonCounts = (reasons: readonly string[], description: string) =>
  Type.Object(Object.fromEntries(reasons.map((r) => [r, Type.Optional(Type.Integer())])), {
    additionalProperties: false,
    description,
  });

const DryRunReportView = Type.Object({
  ruleId: Type.String(),
  from: Type.String({ format: "date-time" }),
  to: Type.String({ format: "date-time" }),
  eventsEvaluated: Type.Integer({ description: "Recorded events of the rule's trigger type, inside its scope, replayed in time order." }),
  eventsOutOfScope: Type.Integer({ description: "Events of the trigger type at stores or zones outside the rule's scope." }),
  offersIssued: Type.Integer(),
  distinctUsers: Type.Integer(),
  heldOutUsers: Type.Integer(),
  notIssued: ReasonCounts(NOT_ISSUED_REASONS, "Every reason the rule would not have issued, with its count."),
  limitsHit: ReasonCounts(LIMIT_REASONS, "The subset of notIssued that are limits (budget, caps, cooldown)."),
  budget: Type.Object({
    limit: Type.Union([Type.Integer(), Type.Null()]),
    exhaustedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  }),
  issuedByDay: Type.Array(Type.Object({ day: Type.String({ description: "YYYY-MM-DD in the store's timezone." }), offers: Type.Integer() }), {
    description: "Offers per local day of the store they would have been issued in.",
  }),
  truncated: Type.Boolean({ description: "The period held more events than one dry run replays." }),
});

function view(rule: Rule): Static<typeof RuleView> {
  return {
    id: rule.id,
    version: rule.version,
    status: rule.status,
    spec: rule.spec,
    updatedAt: rule.updatedAt === undefined ? null : new Date(rule.updatedAt).toISOString(),
  };
}

/**
 * Validates a body that carries a rule spec before fastify's schema check, so a marketer reads
 * `checkRuleSpec`'s problems (the trigger or discount branch they meant, semantic checks such as
 * `until` before `from`) rather than every branch of every union. The envelope is checked too, and
 * all problems come back at once, each with its path in the body (`/spec/trigger/minDwellS`).
 */
function specBodyValidator(envelope: TObject) {
  const rest = new Checker(Type.Object({ ...envelope.properties, spec: Type.Unknown() }, { additionalProperties: false }));
  return async (request: FastifyRequest): Promise<void> => {
    const body = request.body;
    const problems: Problem[] = [];
    const outer = rest.check(body);
    if (!outer.ok) problems.push(...outer.problems);
    if (typeof body === "object" && body !== null && "spec" in body) {
      const checked = checkRuleSpec(body.spec);
      if (!checked.ok) problems.push(...checked.problems.map((p) => ({ path: `/spec${p.path}`, message: p.message })));
    }
    if (problems.length > 0) throw refusalError(invalid(problems));
  };
}

function dryRunView(r: DryRunReport) {
  return {
    ...r,
    from: new Date(r.from).toISOString(),
    to: new Date(r.to).toISOString(),
    budget: {
      limit: r.budget.limit,
      exhaustedAt: r.budget.exhaustedAt === null ? null : new Date(r.budget.exhaustedAt).toISOString(),
    },
  };
}

const WRITE = ["marketer", "admin"] as const;
const READ = ["marketer", "admin", "store-ops"] as const;

/**
 * The rules API. Rules belong to the caller's organisation (another organisation's rule is a 404);
 * marketers and admins write, store operators read. Every change is recorded in the audit log with
 * the API key's id, and takes effect on the next event.
 */
export function ruleRoutes(
  app: FastifyInstance,
  deps: { rules: RuleService; dryRun: DryRunService; reach: ReachService },
): void {
  const actor = (request: FastifyRequest) => {
    const p = principalOf(request);
    return { orgId: p.orgId, actor: p.keyId };
  };

  app.post(
    "/v1/rules",
    {
      config: { roles: WRITE },
      preValidation: specBodyValidator(CreateBody),
      schema: {
        summary: "Create a rule (as a draft, version 1)",
        description: "Every problem of the spec is reported with its path, e.g. `/spec/trigger/minDwellS`.",
        body: CreateBody,
        response: { 201: RuleEnvelope },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateBody>;
      const rule = unwrap(await deps.rules.create(actor(request), body));
      void reply.status(201);
      return { rule: view(rule) };
    },
  );

  app.get(
    "/v1/rules",
    {
      config: { roles: READ },
      schema: {
        summary: "The organisation's rules, current versions",
        querystring: ListQuery,
        response: { 200: Type.Object({ rules: Type.Array(RuleView) }) },
      },
    },
    async (request) => {
      const { status } = request.query as Static<typeof ListQuery>;
      const rules = await deps.rules.list(principalOf(request).orgId, status);
      return { rules: rules.map(view) };
    },
  );

  app.post(
    "/v1/rules/dry-run",
    {
      config: { roles: WRITE },
      preValidation: specBodyValidator(DryRunBody),
      schema: {
        summary: "What a rule would have done over a past period",
        description:
          "Replays the presence events recorded in [from, to) through the rules engine as if the rule had " +
          "been live, with simulated counters: offers it would have issued, distinct shoppers, every " +
          "reason it would not have issued (limitsHit: budget, caps, cooldown), when the budget would have " +
          "run out, and offers per local day. Shoppers' profiles are today's; offers other rules really " +
          "issued count towards the organisation's daily cap; priority against other rules is not simulated.",
        body: DryRunBody,
        response: { 200: Type.Object({ report: DryRunReportView }) },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof DryRunBody>;
      const report = unwrap(
        await deps.dryRun.run(principalOf(request).orgId, {
          spec: body.spec,
          from: timeBoundOf(body.from, "/from"),
          to: timeBoundOf(body.to, "/to"),
          ...(body.ruleId === undefined ? {} : { ruleId: body.ruleId }),
        }),
      );
      return { report: dryRunView(report) };
    },
  );

  app.post(
    "/v1/rules/reach",
    {
      config: { roles: WRITE },
      preValidation: specBodyValidator(ReachBody),
      schema: {
        summary: "Who a rule would reach: members matching its audience now, and its last 7 days replayed",
        body: ReachBody,
        response: { 200: ReachView },
      },
    },
    async (request) => {
      const { spec } = request.body as Static<typeof ReachBody>;
      const r = unwrap(await deps.reach.reach(principalOf(request).orgId, spec));
      return {
        members: r.members,
        lastWeek: { ...r.lastWeek, from: new Date(r.lastWeek.from).toISOString(), to: new Date(r.lastWeek.to).toISOString() },
      };
    },
  );

  app.get(
    "/v1/rules/:ruleId",
    {
      config: { roles: READ },
      schema: {
        summary: "A rule with its versions, change history and offers issued",
        params: RuleParams,
        response: { 200: RuleDetailsView },
      },
    },
    async (request) => {
      const { ruleId } = request.params as Static<typeof RuleParams>;
      const d = unwrap(await deps.rules.get(principalOf(request).orgId, ruleId));
      return {
        rule: view(d.rule),
        offersIssued: d.offersIssued,
        budgetRemaining: d.budgetRemaining,
        versions: d.versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })),
        history: d.history.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
      };
    },
  );

  app.put(
    "/v1/rules/:ruleId",
    {
      config: { roles: WRITE },
      preValidation: specBodyValidator(ReviseBody),
      schema: {
        summary: "Edit a rule: a new version with the same status",
        description:
          "Offers already issued keep the version they were issued under; budgets and caps count across " +
          "versions. An ended rule cannot be edited.",
        params: RuleParams,
        body: ReviseBody,
        response: { 200: RuleEnvelope },
      },
    },
    async (request) => {
      const { ruleId } = request.params as Static<typeof RuleParams>;
      const body = request.body as Static<typeof ReviseBody>;
      return { rule: view(unwrap(await deps.rules.revise(actor(request), ruleId, body))) };
    },
  );

  app.post(
    "/v1/rules/:ruleId/transitions",
    {
      config: { roles: WRITE },
      schema: {
        summary: "Move a rule through its lifecycle",
        description:
          "A refused step answers 409 CONFLICT with the reason in details (e.g. a scheduled rule needs a " +
          "`from` day; ended is final). The scheduler moves scheduled rules live on their `from` day and " +
          "ends rules after their `until` day by itself.",
        params: RuleParams,
        body: TransitionBody,
        response: { 200: RuleEnvelope },
      },
    },
    async (request) => {
      const { ruleId } = request.params as Static<typeof RuleParams>;
      const { to } = request.body as Static<typeof TransitionBody>;
      return { rule: view(unwrap(await deps.rules.transition(actor(request), ruleId, to))) };
    },
  );
}
