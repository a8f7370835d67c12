import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, SoftwareTargetSchema } from "../../../../../protocol/index.js";
import type { RolloutService } from "../../../services/RolloutService.js";
import { principalOf } from "../createHttpApp.js";
import { unwrap } from "../refusals.js";

const StoreParams = Type.Object({ storeId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

const RolloutBody = Type.Object(
  {
    ...SoftwareTargetSchema.properties,
    canaryShare: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, description: "Share of the store's gateways that go first (at least one); default 0.1." }),
    ),
    healthGateS: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 7 * 86_400, description: "How long every canary must run it online and scanning before the rest go, s; default 900." }),
    ),
  },
  { additionalProperties: false },
);

const RolloutViewSchema = Type.Object({
  storeId: Type.String(),
  release: Type.String(),
  url: Type.String(),
  sha256: Type.String(),
  canaryShare: Type.Number(),
  healthGateS: Type.Integer(),
  paused: Type.Boolean(),
  createdAt: Type.Integer({ description: "Epoch ms." }),
  plan: Type.Object({
    phase: Type.Union(["paused", "canary", "gated", "rest", "done", "halted"].map((p) => Type.Literal(p)), {
      description: "canary: the first share is updating; gated: waiting for the health gate; rest: the others are updating; halted: a gateway rolled it back.",
    }),
    assign: Type.Array(Type.String(), { description: "Gateways told (or to be told) to update now." }),
    canaries: Type.Array(Type.String()),
    done: Type.Array(Type.String(), { description: "Gateways that run the release." }),
    failed: Type.Array(Type.String(), { description: "Gateways that rolled it back, refused or failed it: see their `update`." }),
    reason: Type.String(),
  }),
});

export interface RolloutRouteDependencies {
  readonly rollouts: RolloutService;
}

/** Staged software rollouts per store (see RolloutService). */
export function rolloutRoutes(app: FastifyInstance, deps: RolloutRouteDependencies): void {
  const { rollouts } = deps;
  const storeIdOf = (request: Parameters<typeof principalOf>[0]) => (request.params as Static<typeof StoreParams>).storeId;

  app.put(
    "/v1/stores/:storeId/rollout",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Roll a release out to the store's gateways: canaries, a health gate, then the rest",
        params: StoreParams,
        body: RolloutBody,
        response: { 200: RolloutViewSchema },
      },
    },
    async (request) => unwrap(await rollouts.start(principalOf(request), storeIdOf(request), request.body as Static<typeof RolloutBody>)),
  );

  app.get(
    "/v1/stores/:storeId/rollout",
    {
      config: { roles: ["admin", "store-ops"] },
      schema: { summary: "The store's rollout and where it stands", params: StoreParams, response: { 200: RolloutViewSchema } },
    },
    async (request) => unwrap(await rollouts.view(principalOf(request), storeIdOf(request))),
  );

  for (const [action, paused] of [["pause", true], ["resume", false]] as const)
    app.post(
      `/v1/stores/:storeId/rollout/${action}`,
      {
        config: { roles: ["admin"] },
        schema: {
          summary: paused ? "Pause the store's rollout (gateways told already go on)" : "Resume the store's rollout where it was",
          params: StoreParams,
          response: { 200: RolloutViewSchema },
        },
      },
      async (request) => unwrap(await rollouts.setPaused(principalOf(request), storeIdOf(request), paused)),
    );
}
