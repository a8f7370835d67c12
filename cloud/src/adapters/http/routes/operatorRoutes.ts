import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN } from "../../../../../protocol/index.js";
import type { OrganisationService } from "../../../services/OrganisationService.js";
import { principalOf } from "../createHttpApp.js";
import { atBroker, unwrap } from "../refusals.js";

const OrgParams = Type.Object({ orgId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

const OrganisationBody = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN, description: "The organisation's id; unique in this cloud." }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    maxOffersPerUserPerDay: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1000, description: "Offers per user per day across its rules; default 3." }),
    ),
  },
  { additionalProperties: false },
);

const OrganisationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.Integer({ description: "Epoch ms." }),
  suspendedAt: Type.Union([Type.Integer(), Type.Null()], { description: "Epoch ms; null while active." }),
});

const CreatedSchema = Type.Object({
  organisation: OrganisationSchema,
  adminKey: Type.Object(
    {
      id: Type.String(),
      key: Type.String({ description: "Shown once: the organisation's first admin key." }),
    },
    { description: "The first admin of the organisation; it issues every other key." },
  ),
});

export interface OperatorRouteDependencies {
  readonly organisations: OrganisationService;
}

/** The operator's routes: organisations themselves (operator keys only; see OrganisationService). */
export function operatorRoutes(app: FastifyInstance, deps: OperatorRouteDependencies): void {
  const { organisations } = deps;
  const actor = (request: Parameters<typeof principalOf>[0]) => `operator-key:${principalOf(request).keyId}`;

  app.get(
    "/v1/operator/organisations",
    {
      config: { roles: ["operator"] },
      schema: { summary: "List every organisation with its status", response: { 200: Type.Array(OrganisationSchema) } },
    },
    async () => organisations.list(),
  );

  app.post(
    "/v1/operator/organisations",
    {
      config: { roles: ["operator"] },
      schema: {
        summary: "Create an organisation and the key of its first admin",
        body: OrganisationBody,
        response: { 201: CreatedSchema },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof OrganisationBody>;
      const created = unwrap(await organisations.create(body, actor(request)));
      void reply.status(201);
      return created;
    },
  );

  app.post(
    "/v1/operator/organisations/:orgId/suspend",
    {
      config: { roles: ["operator"] },
      schema: {
        summary:
          "Suspend an organisation: its API keys stop working and its MQTT logins are cut (live connections closed), its data stays",
        params: OrgParams,
        response: { 200: OrganisationSchema },
      },
    },
    async (request) => {
      const { orgId } = request.params as Static<typeof OrgParams>;
      return unwrap(await atBroker(() => organisations.suspend(orgId, actor(request))));
    },
  );

  app.post(
    "/v1/operator/organisations/:orgId/reinstate",
    {
      config: { roles: ["operator"] },
      schema: {
        summary: "Reinstate a suspended organisation: its unrevoked keys and MQTT logins work again",
        params: OrgParams,
        response: { 200: OrganisationSchema },
      },
    },
    async (request) => {
      const { orgId } = request.params as Static<typeof OrgParams>;
      return unwrap(await atBroker(() => organisations.reinstate(orgId, actor(request))));
    },
  );
}
