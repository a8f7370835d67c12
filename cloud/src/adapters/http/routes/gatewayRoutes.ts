import type { FastifyInstance, FastifyRequest } from "fastify";
import Type, { type Static } from "typebox";
import { CalibrationReportSchema, Checker, ID_PATTERN, ProblemSchema, TelemetrySchema, UpdateReportSchema } from "../../../../../protocol/index.js";
import { DesiredConfigSchema } from "../../../domain/fleet/index.js";
import type { Principal } from "../../../services/CredentialService.js";
import type { FleetService, GatewayView } from "../../../services/FleetService.js";
import type { GatewayService } from "../../../services/GatewayService.js";
import { invalid } from "../../../services/Outcome.js";
import { ApiError, refusalError, unwrap } from "../refusals.js";
import { principalOf } from "../createHttpApp.js";

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const GatewayParams = Type.Object({ gatewayId: Id("Gateway id.") }, { additionalProperties: false });
const StoreParams = Type.Object({ storeId: Id("Store id.") }, { additionalProperties: false });
const ListQuery = Type.Object(
  {
    storeId: Type.Optional(
      Id("Only this store's gateways. Store-ops keys see only their own store, with or without it."),
    ),
  },
  { additionalProperties: false },
);
const IsoTime = (description: string) => Type.String({ format: "date-time", description });
const TelemetryQuery = Type.Object(
  {
    from: Type.Optional(IsoTime("Samples received at or after this time.")),
    to: Type.Optional(IsoTime("Samples received at or before this time.")),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 5000, default: 500, description: "The most recent samples of the range, oldest first." }),
    ),
  },
  { additionalProperties: false },
);
const RegisterBody = Type.Object(
  { id: Id("Gateway id; also its MQTT identity and topic level."), name: Type.String({ minLength: 1, maxLength: 120 }) },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const GatewayViewSchema = Type.Object({
  id: Type.String(),
  storeId: Type.String(),
  name: Type.String(),
  state: Type.Union([Type.Literal("online"), Type.Literal("degraded"), Type.Literal("offline"), Type.Literal("unknown")], {
    description:
      "online: its status says so and it was heard within fleet.staleAfterS; degraded: the same, but its radio is interrupted (powered off, blocked, failing to restart: no presence from it); offline: its status (or last will) says so, or silence; unknown: never heard from.",
  }),
  lastSeenAt: Nullable(Type.String({ format: "date-time", description: "Last message of any kind from it." })),
  version: Nullable(Type.String()),
  offlineSinceAt: Nullable(Type.String({ format: "date-time" })),
  offlineTooLong: Type.Boolean({ description: "Offline for longer than fleet.offlineAlertS." }),
  telemetry: Nullable(TelemetrySchema),
  scan: Nullable(
    Type.Object(
      {
        state: Type.Union([Type.Literal("scanning"), Type.Literal("interrupted")]),
        lastAdvertAt: Nullable(Type.String({ format: "date-time", description: "When it last heard an advert (cloud clock)." })),
      },
      { description: "Its radio, as its last online status said; null when it did not say (gateways before 0.2)." },
    ),
  ),
  update: Nullable(UpdateReportSchema),
  advertising: Nullable(
    Type.Object(
      {
        state: Type.Union([Type.Literal("advertising"), Type.Literal("off"), Type.Literal("failed")]),
        format: Type.Optional(Type.Union([Type.Literal("ibeacon"), Type.Literal("eddystone-eid")])),
        slotStart: Type.Optional(Type.String({ format: "date-time" })),
        error: Type.Optional(Type.String()),
      },
      { description: "The store beacon it advertises, as its last online status said (failed: the adapter refused, with the error); null when it did not say." },
    ),
  ),
  calibration: Nullable(
    Type.Object(CalibrationReportSchema.properties, {
      description:
        "Its presence calibration as its last online status said: the RSSI offset and each zone's edge threshold it runs with, and when `arrival-gateway calibrate` surveyed it (surveyedAt null: never). Null when it did not say (gateways before 0.4).",
    }),
  ),
  lan: Nullable(
    Type.Object(
      {
        peers: Type.Array(
          Type.Object({
            id: Type.String({ description: "The peer's gateway id, as configured." }),
            lastHeardAt: Nullable(
              Type.String({ format: "date-time", description: "Its last authenticated datagram (cloud clock); null: never heard since the gateway started." }),
            ),
            heardRecently: Type.Boolean({ description: "Heard within the last minute." }),
            sightingsReceived: Type.Integer({ description: "Its sightings taken in since the gateway started." }),
            refused: Type.Integer({ description: "Its authenticated datagrams refused as stale or replayed." }),
            lateDropped: Type.Integer({ description: "Its sightings dropped as late: its clock or the LAN lags." }),
            clockOffsetMs: Nullable(
              Type.Integer({ description: "Its clock minus this gateway's, ms; null: not known (not heard lately, too far off, or older gateways)." }),
            ),
          }),
        ),
        silentPeers: Type.Array(Type.String(), {
          description: "Configured peers not heard for a minute: meanwhile this gateway decides its zones alone, without their evidence.",
        }),
        clockOffsetMs: Nullable(
          Type.Integer({ description: "What this gateway adds to its clock to read the time the store's gateways agree on, ms; null: not reported (older gateways)." }),
        ),
        recovery: Nullable(
          Type.Object(
            {
              missed: Type.Integer({ description: "Peers' datagrams found missing." }),
              requested: Type.Integer({ description: "Requests sent to peers for missing datagrams." }),
              resent: Type.Integer({ description: "Datagrams sent again because a peer asked." }),
              recovered: Type.Integer({ description: "Missing datagrams that arrived after all." }),
              givenUp: Type.Integer({ description: "Missing datagrams given up on: the gateways may have decided apart." }),
            },
            { description: "Lost LAN datagrams asked for again since the gateway started; null: not reported (older gateways)." },
          ),
        ),
      },
      { description: "Its store LAN peers as its latest telemetry reported them; null without LAN peers (or gateways before 0.4)." },
    ),
  ),
  config: Type.Object({
    desiredRevision: Nullable(Type.Integer({ description: "Revision the cloud pushed last." })),
    reportedRevision: Nullable(Type.Integer({ description: "Revision the gateway last reported." })),
    state: Type.Union(
      [Type.Literal("pending"), Type.Literal("applied"), Type.Literal("rejected"), Type.Literal("none")],
      { description: "none: nothing pushed; pending: not yet reported; applied or rejected (with problems)." },
    ),
    problems: Type.Array(ProblemSchema),
  }),
  takeovers: Type.Integer({
    description:
      "MQTT session takeovers of its client id since the cloud started (embedded broker): a new connection with the same id evicting a live one. More than a few: two processes run with one identity.",
  }),
  lastTakeoverAt: Nullable(Type.String({ format: "date-time" })),
});

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function view(g: GatewayView): Static<typeof GatewayViewSchema> {
  return {
    id: g.id,
    storeId: g.storeId,
    name: g.name,
    state: g.state,
    lastSeenAt: iso(g.lastSeenAt),
    version: g.version,
    offlineSinceAt: iso(g.offlineSinceAt),
    offlineTooLong: g.offlineTooLong,
    telemetry: g.telemetry,
    scan: g.scan === null ? null : { state: g.scan.state, lastAdvertAt: iso(g.scan.lastAdvertAt) },
    update: g.update,
    advertising: g.advertising,
    calibration: g.calibration,
    lan:
      g.lan === null
        ? null
        : {
            peers: g.lan.peers.map((p) => ({
              id: p.id,
              lastHeardAt: iso(p.lastHeardAt),
              heardRecently: p.heardRecently,
              sightingsReceived: p.sightingsReceived,
              refused: p.refused,
              lateDropped: p.lateDropped,
              clockOffsetMs: p.clockOffsetMs,
            })),
            silentPeers: [...g.lan.silentPeers],
            clockOffsetMs: g.lan.clockOffsetMs,
            recovery: g.lan.recovery === null ? null : { ...g.lan.recovery },
          },
    config: {
      desiredRevision: g.config.desiredRevision,
      reportedRevision: g.config.reportedRevision,
      state: g.config.state,
      problems: g.config.problems.map((p) => ({ path: p.path, message: p.message })),
    },
    takeovers: g.takeovers,
    lastTakeoverAt: iso(g.lastTakeoverAt),
  };
}

export interface GatewayRouteDependencies {
  /** Health, telemetry and config pushes. */
  readonly fleet: FleetService;
  /** Who may reach which store and gateway; registration. */
  readonly gateways: GatewayService;
}

const ROLES = ["admin", "store-ops"] as const;

/**
 * Fleet operation over HTTP: list gateways with their health and config state, read telemetry
 * history, register gateways and push configs. Admins see their organisation; a store-ops key only
 * its own store (another store of the organisation is 403, anything of another organisation 404,
 * so other tenants' ids do not leak).
 */
export function gatewayRoutes(app: FastifyInstance, deps: GatewayRouteDependencies): void {
  const { fleet, gateways } = deps;
  const bodyChecker = new Checker(DesiredConfigSchema);
  const storeOf = async (principal: Principal, storeId: string) => unwrap(await gateways.visibleStore(principal, storeId));
  const gatewayOf = async (principal: Principal, gatewayId: string) =>
    unwrap(await gateways.visibleGateway(principal, gatewayId));

  /** Checks a config body like the schema would, but counts the refusal for /metrics first. */
  const configBody = async (request: FastifyRequest): Promise<void> => {
    const checked = bodyChecker.check(request.body);
    if (checked.ok) return;
    fleet.countRefusedPush();
    throw refusalError(invalid(checked.problems));
  };

  const actor = (principal: Principal) => `api-key:${principal.keyId}`;

  app.get(
    "/v1/gateways",
    {
      config: { roles: ROLES },
      schema: {
        summary: "Gateways with their health, last telemetry and config state",
        querystring: ListQuery,
        response: { 200: Type.Object({ gateways: Type.Array(GatewayViewSchema) }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { storeId } = request.query as Static<typeof ListQuery>;
      if (principal.role === "store-ops" && principal.storeId === null)
        throw new ApiError("FORBIDDEN", "this store-ops key is bound to no store");
      const only = storeId ?? (principal.role === "store-ops" ? principal.storeId : null);
      if (only === null) return { gateways: (await fleet.list({ orgId: principal.orgId })).map(view) };
      await storeOf(principal, only);
      return { gateways: (await fleet.list({ orgId: principal.orgId, storeId: only })).map(view) };
    },
  );

  app.get(
    "/v1/gateways/:gatewayId",
    {
      config: { roles: ROLES },
      schema: { summary: "One gateway's health, last telemetry and config state", params: GatewayParams, response: { 200: GatewayViewSchema } },
    },
    async (request) => {
      const { gatewayId } = request.params as Static<typeof GatewayParams>;
      await gatewayOf(principalOf(request), gatewayId);
      const gateway = await fleet.get(gatewayId);
      if (!gateway) throw new ApiError("NOT_FOUND", "no such gateway");
      return view(gateway);
    },
  );

  app.get(
    "/v1/gateways/:gatewayId/telemetry",
    {
      config: { roles: ROLES },
      schema: {
        summary: "A gateway's telemetry history (kept fleet.telemetryRetentionH hours)",
        params: GatewayParams,
        querystring: TelemetryQuery,
        response: { 200: Type.Object({ samples: Type.Array(TelemetrySchema) }) },
      },
    },
    async (request) => {
      const { gatewayId } = request.params as Static<typeof GatewayParams>;
      const query = request.query as Static<typeof TelemetryQuery>;
      await gatewayOf(principalOf(request), gatewayId);
      const from = query.from === undefined ? undefined : Date.parse(query.from);
      const to = query.to === undefined ? undefined : Date.parse(query.to);
      if (from !== undefined && to !== undefined && from > to)
        throw new ApiError("VALIDATION_FAILED", "from is after to", [{ path: "/from", message: "must not be after to" }]);
      const samples = await fleet.telemetry(gatewayId, {
        limit: query.limit ?? 500,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      });
      return { samples };
    },
  );

  app.post(
    "/v1/stores/:storeId/gateways",
    {
      config: { roles: ROLES },
      schema: {
        summary: "Register a gateway in a store (201), or rename one already there (200)",
        description: "Then issue its MQTT credential with POST /v1/gateways/{gatewayId}/credentials.",
        params: StoreParams,
        body: RegisterBody,
        response: { 200: GatewayViewSchema, 201: GatewayViewSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { storeId } = request.params as Static<typeof StoreParams>;
      const body = request.body as Static<typeof RegisterBody>;
      const { created } = unwrap(await gateways.register(principal, storeId, body));
      const gateway = await fleet.get(body.id);
      if (!gateway) throw new ApiError("INTERNAL", "the gateway was not stored");
      void reply.status(created ? 201 : 200);
      return view(gateway);
    },
  );

  app.post(
    "/v1/gateways/:gatewayId/config",
    {
      config: { roles: ROLES },
      preValidation: configBody,
      schema: {
        summary: "Push a config (zones, presence tuning) to one gateway",
        description:
          "Stored as the gateway's desired config with the next revision and published retained on its config topic. " +
          "gateway-radius zones must name a gateway of the same store. `zones` replace the store's zones " +
          "(GET /v1/stores/{storeId}/zones; tags kept unless `zoneTags` gives them), which the store's other gateways then get too; " +
          "without `zones` the store's current zones are sent. Follow the outcome in GET /v1/gateways/{gatewayId} (config.state).",
        params: GatewayParams,
        body: DesiredConfigSchema,
        response: { 200: Type.Object({ revision: Type.Integer() }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { gatewayId } = request.params as Static<typeof GatewayParams>;
      const gateway = await gatewayOf(principal, gatewayId);
      return unwrap(
        await fleet.pushConfig(gateway, request.body, actor(principal), { softwareAllowed: principal.role === "admin" }),
      );
    },
  );

  app.post(
    "/v1/stores/:storeId/config",
    {
      config: { roles: ROLES },
      preValidation: configBody,
      schema: {
        summary: "Push one config to every gateway of a store",
        description: "Each gateway gets its own next revision; see POST /v1/gateways/{gatewayId}/config.",
        params: StoreParams,
        body: DesiredConfigSchema,
        response: {
          200: Type.Object({
            gateways: Type.Array(Type.Object({ gatewayId: Type.String(), revision: Type.Integer() })),
          }),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { storeId } = request.params as Static<typeof StoreParams>;
      await storeOf(principal, storeId);
      return {
        gateways: unwrap(
          await fleet.pushStore(storeId, request.body, actor(principal), { softwareAllowed: principal.role === "admin" }),
        ),
      };
    },
  );
}
