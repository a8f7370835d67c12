import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN } from "../../../../../protocol/index.js";
import type { LiveAudience, LiveFeed, LiveSnapshot } from "../../../services/LiveFeed.js";
import { ApiError } from "../refusals.js";
import type { CredentialService } from "../../../services/CredentialService.js";
import { type Scheduler, systemScheduler, type TimerHandle } from "../../../services/ports.js";
import { bearer, principalOf } from "../createHttpApp.js";

const LiveQuery = Type.Object(
  {
    storeId: Type.Optional(
      Type.String({ pattern: ID_PATTERN, description: "One store only; a store-bound key sees its own store." }),
    ),
  },
  { additionalProperties: false },
);

/**
 * Between keep-alive comments, so proxies and the browser do not drop an idle stream; the key is
 * verified again at each, so a revoked key stops streaming within this time.
 */
const HEARTBEAT_MS = 15_000;
/** Changes within this window are sent as one snapshot: a busy store emits many events a second. */
const COALESCE_MS = 150;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The wire form of a snapshot: instants as ISO strings, like the rest of the API. */
export function liveView(snapshot: LiveSnapshot) {
  return {
    at: iso(snapshot.at),
    stores: snapshot.stores.map((s) => ({
      storeId: s.storeId,
      zones: s.zones.map((z) => ({
        zoneId: z.zoneId,
        present: z.present.map((p) => ({
          subjectId: p.subjectId,
          userId: p.userId,
          since: iso(p.since),
          lastSeenAt: iso(p.lastSeenAt),
        })),
        unlinked: z.unlinked,
        arrivals: z.arrivals,
      })),
      arrivalsPerMinute: s.arrivalsPerMinute.map((a) => ({ minute: iso(a.minute), count: a.count })),
      offers: s.offers.map((o) => ({ ...o, issuedAt: iso(o.issuedAt), redeemedAt: iso(o.redeemedAt) })),
      issuedCount: s.issuedCount,
      redeemedCount: s.redeemedCount,
    })),
  };
}

const Instant = Type.String({ format: "date-time" });
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** The body of `GET /v1/live`, and the data of each `snapshot` event of the stream. */
const LiveSnapshotView = Type.Object({
  at: Instant,
  stores: Type.Array(
    Type.Object({
      storeId: Type.String(),
      zones: Type.Array(
        Type.Object({
          zoneId: Type.String(),
          present: Type.Array(
            Type.Object({
              subjectId: Type.String({ description: "A beacon identity or a pseudonymous rotating-MAC hash." }),
              userId: NullableString,
              since: Instant,
              lastSeenAt: Instant,
            }),
            { description: "Shoppers present whom storage keeps linked." },
          ),
          unlinked: Type.Integer({ description: "More shoppers present without analytics consent: a head-count only." }),
          arrivals: Type.Integer({ description: "Enters into this zone in the last 30 minutes." }),
        }),
      ),
      arrivalsPerMinute: Type.Array(Type.Object({ minute: Instant, count: Type.Integer() }), {
        description: "Enters per minute for the last 30 minutes, oldest first.",
      }),
      offers: Type.Array(
        Type.Object({
          offerId: Type.String(),
          ruleId: Type.String(),
          userId: Type.Union([Type.String(), Type.Null()], { description: "Null when the shopper gave no analytics consent." }),
          storeId: Type.String(),
          zoneId: Type.String(),
          title: Type.String(),
          issuedAt: Instant,
          redeemedAt: Type.Union([Instant, Type.Null()]),
        }),
        { description: "Recent offers, newest first." },
      ),
      issuedCount: Type.Integer(),
      redeemedCount: Type.Integer(),
    }),
  ),
});

const READ = ["marketer", "admin", "store-ops"] as const;

/**
 * The live view of the stores: a snapshot (`GET /v1/live`) and a server-sent-events stream
 * (`GET /v1/live/stream`, WHATWG HTML §9.2) that sends a `snapshot` event at once and another after
 * each change. The stream is authenticated like every route, with the Bearer key, so browsers read
 * it with fetch streaming (EventSource cannot send headers). A store-bound key sees its own store.
 */
export function liveRoutes(
  app: FastifyInstance,
  deps: {
    live: LiveFeed;
    credentials: Pick<CredentialService, "verifyApiKey">;
    /** Keep-alive and key re-check interval, ms (default 15 s; short in tests). */
    heartbeatMs?: number;
    /** Timers for the heartbeat and the coalescing delay; default the process's own. */
    scheduler?: Scheduler;
  },
): void {
  const scheduler = deps.scheduler ?? systemScheduler;
  const open = new Set<ServerResponse>();
  // Open streams would keep `close()` waiting for ever; end them first.
  app.addHook("preClose", async () => {
    for (const res of open) res.end();
    open.clear();
  });

  const audienceOf = (request: Parameters<typeof principalOf>[0]): { audience: LiveAudience; storeId: string | null } => {
    const principal = principalOf(request);
    const { storeId } = request.query as Static<typeof LiveQuery>;
    if (principal.storeId !== null && storeId !== undefined && storeId !== principal.storeId) {
      throw new ApiError("FORBIDDEN", "this key is bound to another store");
    }
    return {
      audience: { orgId: principal.orgId, storeId: principal.storeId },
      storeId: storeId ?? principal.storeId,
    };
  };

  app.get(
    "/v1/live",
    {
      config: { roles: READ },
      schema: {
        summary: "Who is in each zone now, arrivals per minute, recent offers",
        querystring: LiveQuery,
        response: { 200: LiveSnapshotView },
      },
    },
    async (request) => {
      const { audience, storeId } = audienceOf(request);
      return liveView(deps.live.snapshot(audience, storeId));
    },
  );

  app.get(
    "/v1/live/stream",
    {
      config: { roles: READ },
      schema: {
        summary: "The live view as server-sent events",
        description:
          "`text/event-stream`: an `event: snapshot` with the same body as GET /v1/live at once and after " +
          "every change (coalesced), and a comment line every 15 s to keep the connection open. The key is " +
          "verified again every 15 s; the stream ends once it is revoked.",
        querystring: LiveQuery,
        response: {
          200: {
            description: "The stream; each `snapshot` event's data is the body of GET /v1/live.",
            content: {
              "text/event-stream": {
                schema: Type.String({
                  description: "Server-sent events (WHATWG HTML §9.2): `event: snapshot` then `data: <LiveSnapshot JSON>`.",
                  contentMediaType: "text/event-stream",
                }),
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { audience, storeId } = audienceOf(request);
      const keyId = principalOf(request).keyId;
      const key = bearer(request);
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        // Tells nginx-style proxies not to buffer the stream.
        "x-accel-buffering": "no",
      });
      open.add(res);
      let pending: TimerHandle | null = null;
      const send = () => {
        pending = null;
        const data = JSON.stringify(liveView(deps.live.snapshot(audience, storeId)));
        res.write(`event: snapshot\ndata: ${data}\n\n`);
      };
      send();
      const unsubscribe = deps.live.subscribe((changed) => {
        if (pending || !deps.live.visible(audience, changed)) return;
        if (storeId !== null && changed !== storeId) return;
        pending = scheduler.setTimeout(send, COALESCE_MS);
      });
      // The key was checked when the stream opened; a stream lives for hours, so check it again at
      // each heartbeat and end the stream once it is revoked (or expired).
      const heartbeat = scheduler.setInterval(() => {
        void (key === null ? Promise.resolve(null) : deps.credentials.verifyApiKey(key))
          .catch((err: unknown) => {
            request.log.warn({ err }, "live stream key check failed");
            return null;
          })
          .then((principal) => {
            if (res.writableEnded) return;
            if (principal?.keyId !== keyId) res.end();
            else res.write(": keep-alive\n\n");
          });
      }, deps.heartbeatMs ?? HEARTBEAT_MS);
      res.on("close", () => {
        open.delete(res);
        unsubscribe();
        scheduler.clearInterval(heartbeat);
        if (pending) scheduler.clearTimeout(pending);
      });
    },
  );
}
