import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { StringEnum } from "../../../../../protocol/index.js";
import { MAX_WEBHOOK_URL_LENGTH, SUBSCRIBABLE_EVENT_TYPES } from "../../../domain/webhooks/index.js";
import type { WebhookDelivery, WebhookEndpoint } from "../../../services/repositories.js";
import { WEBHOOK_DELIVERY_STATUSES } from "../../../services/repositories.js";
import type { WebhookService } from "../../../services/webhooks/WebhookService.js";
import { principalOf } from "../createHttpApp.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { unwrap } from "../refusals.js";

const WEBHOOK_ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$";
const EndpointParams = Type.Object({ endpointId: Type.String({ pattern: WEBHOOK_ID_PATTERN }) }, { additionalProperties: false });
const DeliveryParams = Type.Object({ deliveryId: Type.String({ pattern: WEBHOOK_ID_PATTERN }) }, { additionalProperties: false });

const Url = Type.String({
  minLength: 1,
  maxLength: MAX_WEBHOOK_URL_LENGTH,
  description: "Where messages are POSTed: https, a public address (loopback and private ones are refused).",
});
const Events = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: 32,
  description: `Event types (${SUBSCRIBABLE_EVENT_TYPES.join(", ")}), a family (\`offer.*\`) or \`*\`.`,
});
const Description = Type.String({ maxLength: 200, description: "For people: what the endpoint feeds." });

const CreateBody = Type.Object(
  { url: Url, events: Events, description: Type.Optional(Description), enabled: Type.Optional(Type.Boolean({ default: true })) },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  { url: Type.Optional(Url), events: Type.Optional(Events), description: Type.Optional(Description), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
const RotateBody = Type.Object(
  {
    graceS: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        default: 86_400,
        description: "How long the previous secret keeps signing beside the new one, seconds (0: it stops now).",
      }),
    ),
  },
  { additionalProperties: false, description: "`{}` for the default grace of a day." },
);

const EndpointView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  previousSecretUntil: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description: "Until when the secret before the last rotation signs too; null when none does.",
  }),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
});
const EndpointWithSecret = Type.Object({
  endpoint: EndpointView,
  secret: Type.String({ description: "The signing secret (`whsec_…`). Shown only in this answer: store it now." }),
});
const DeliveryView = Type.Object({
  id: Type.String({ description: "The message's `webhook-id`: the same on every retry and replay." }),
  endpointId: Type.String(),
  eventType: Type.String(),
  status: StringEnum(WEBHOOK_DELIVERY_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], { description: "Null once sent or dead." }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  payload: Type.Unknown({ description: "The body as sent: `{ type, timestamp, data }`." }),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
});
const DeliveriesQuery = Type.Object(
  {
    endpointId: Type.Optional(Type.String({ pattern: WEBHOOK_ID_PATTERN })),
    status: Type.Optional(StringEnum(WEBHOOK_DELIVERY_STATUSES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: "Page size, default 50." })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: "`nextCursor` of the previous page; omit for the newest page." })),
  },
  { additionalProperties: false },
);
const NextCursor = Type.Union([Type.String(), Type.Null()], { description: "Null on the last page." });

const iso = (ms: number) => new Date(ms).toISOString();

function endpointView(e: WebhookEndpoint): Static<typeof EndpointView> {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: [...e.events],
    enabled: e.enabled,
    previousSecretUntil: e.previousSecret === null || e.previousSecretUntil === null ? null : iso(e.previousSecretUntil),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

function deliveryView(d: WebhookDelivery): Static<typeof DeliveryView> {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? iso(d.nextAttemptAt) : null,
    lastError: d.lastError,
    lastStatusCode: d.lastStatusCode,
    payload: JSON.parse(d.payload) as unknown,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

/**
 * Outgoing webhooks (docs/webhooks.md): an organisation's admins manage endpoints and their secrets,
 * inspect deliveries and replay dead letters. Admin only: an endpoint receives members' ids and
 * movements, so choosing where they go is the organisation's decision, not a campaign's.
 */
export function webhookRoutes(app: FastifyInstance, deps: { webhooks: WebhookService }): void {
  const { webhooks } = deps;
  const roles = ["admin"] as const;

  app.post(
    "/v1/webhooks/endpoints",
    {
      config: { roles },
      schema: {
        summary: "Create a webhook endpoint; the answer shows its signing secret, once",
        body: CreateBody,
        response: { 201: EndpointWithSecret },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateBody>;
      const { endpoint, secret } = unwrap(await webhooks.create(principalOf(request), body));
      void reply.status(201);
      return { endpoint: endpointView(endpoint), secret };
    },
  );

  app.get(
    "/v1/webhooks/endpoints",
    {
      config: { roles },
      schema: { summary: "The organisation's webhook endpoints (secrets are not shown)", response: { 200: Type.Object({ endpoints: Type.Array(EndpointView) }) } },
    },
    async (request) => ({ endpoints: unwrap(await webhooks.list(principalOf(request))).map(endpointView) }),
  );

  app.get(
    "/v1/webhooks/endpoints/:endpointId",
    { config: { roles }, schema: { summary: "A webhook endpoint", params: EndpointParams, response: { 200: EndpointView } } },
    async (request) => {
      const { endpointId } = request.params as Static<typeof EndpointParams>;
      return endpointView(unwrap(await webhooks.get(principalOf(request), endpointId)));
    },
  );

  app.patch(
    "/v1/webhooks/endpoints/:endpointId",
    {
      config: { roles },
      schema: {
        summary: "Change a webhook endpoint's URL, events, description, or turn it off and on",
        params: EndpointParams,
        body: PatchBody,
        response: { 200: EndpointView },
      },
    },
    async (request) => {
      const { endpointId } = request.params as Static<typeof EndpointParams>;
      return endpointView(unwrap(await webhooks.update(principalOf(request), endpointId, request.body as Static<typeof PatchBody>)));
    },
  );

  app.delete(
    "/v1/webhooks/endpoints/:endpointId",
    {
      config: { roles },
      schema: {
        summary: "Remove a webhook endpoint and its deliveries",
        params: EndpointParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { endpointId } = request.params as Static<typeof EndpointParams>;
      return unwrap(await webhooks.remove(principalOf(request), endpointId));
    },
  );

  app.post(
    "/v1/webhooks/endpoints/:endpointId/secret",
    {
      config: { roles },
      schema: {
        summary: "Rotate the signing secret; the previous one signs too until the grace ends",
        params: EndpointParams,
        body: RotateBody,
        response: { 200: EndpointWithSecret },
      },
    },
    async (request) => {
      const { endpointId } = request.params as Static<typeof EndpointParams>;
      const body = request.body as Static<typeof RotateBody>;
      const { endpoint, secret } = unwrap(await webhooks.rotateSecret(principalOf(request), endpointId, body.graceS));
      return { endpoint: endpointView(endpoint), secret };
    },
  );

  app.post(
    "/v1/webhooks/endpoints/:endpointId/test",
    {
      config: { roles },
      schema: {
        summary: "Send a webhook.test message to the endpoint (queued like any other)",
        params: EndpointParams,
        response: { 202: DeliveryView },
      },
    },
    async (request, reply) => {
      const { endpointId } = request.params as Static<typeof EndpointParams>;
      const delivery = unwrap(await webhooks.test(principalOf(request), endpointId));
      void reply.status(202);
      return deliveryView(delivery);
    },
  );

  app.get(
    "/v1/webhooks/deliveries",
    {
      config: { roles },
      schema: {
        summary: "Webhook deliveries, newest first, by endpoint and status",
        querystring: DeliveriesQuery,
        response: { 200: Type.Object({ deliveries: Type.Array(DeliveryView), nextCursor: NextCursor }) },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof DeliveriesQuery>;
      const limit = q.limit ?? 50;
      const deliveries = unwrap(
        await webhooks.deliveries(principalOf(request), {
          endpointId: q.endpointId ?? null,
          status: q.status ?? null,
          limit,
          after: q.cursor === undefined ? null : decodeCursor(q.cursor),
        }),
      );
      const last = deliveries.at(-1);
      return { deliveries: deliveries.map(deliveryView), nextCursor: last && deliveries.length === limit ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
    },
  );

  app.get(
    "/v1/webhooks/deliveries/:deliveryId",
    { config: { roles }, schema: { summary: "A webhook delivery", params: DeliveryParams, response: { 200: DeliveryView } } },
    async (request) => {
      const { deliveryId } = request.params as Static<typeof DeliveryParams>;
      return deliveryView(unwrap(await webhooks.delivery(principalOf(request), deliveryId)));
    },
  );

  app.post(
    "/v1/webhooks/deliveries/:deliveryId/replay",
    {
      config: { roles },
      schema: {
        summary: "Send a dead-lettered delivery again (same webhook-id and body, attempts reset)",
        params: DeliveryParams,
        response: { 200: DeliveryView },
      },
    },
    async (request) => {
      const { deliveryId } = request.params as Static<typeof DeliveryParams>;
      return deliveryView(unwrap(await webhooks.replay(principalOf(request), deliveryId)));
    },
  );
}
