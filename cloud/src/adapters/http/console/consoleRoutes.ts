import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Type, { type Static } from "typebox";
import { StringEnum } from "../../../../../protocol/index.js";
import { ApiError } from "../refusals.js";
import { principalOf } from "../createHttpApp.js";
import { CONSOLE_FILES, type ConsoleAssets, loadConsole } from "./consoleAssets.js";

/**
 * Strict policy for the console's pages: its own script and stylesheet only, no inline script or
 * style, no plugins, no framing, API calls to this origin only. Charts set SVG attributes, never
 * `style` attributes, so `style-src 'self'` holds.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const FileParams = Type.Object(
  { file: Type.Union(CONSOLE_FILES.map((f) => Type.Literal(f))) },
  { additionalProperties: false },
);

let shared: Promise<ConsoleAssets> | null = null;

/**
 * Serves the browser console at `/console/` and tells it who the key belongs to
 * (`GET /v1/session`). The bundle is built on first request, once per process, so a cloud that
 * nobody opens the console on pays nothing. Assets are revalidated on every load (ETag, 304), so a
 * new release is never hidden behind a cached script.
 */
export function consoleRoutes(app: FastifyInstance, deps: { load?: () => Promise<ConsoleAssets> } = {}): void {
  const load = deps.load ?? (() => (shared ??= loadConsole().catch((err: unknown) => {
    shared = null;
    throw err;
  })));

  const serve = async (name: string, request: FastifyRequest, reply: FastifyReply) => {
    const ifNoneMatch = request.headers["if-none-match"];
    const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
    const asset = (await load()).get(name);
    if (!asset) throw new ApiError("NOT_FOUND", `no console file ${name}`);
    // Each encoding is its own representation, with its own validator (RFC 9110 §8.8.3).
    const etag = gzip ? `${asset.etag.slice(0, -1)}-gz"` : asset.etag;
    void reply
      .header("content-type", asset.contentType)
      .header("etag", etag)
      .header("cache-control", "no-cache")
      .header("content-security-policy", CONSOLE_CSP)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer")
      .header("x-frame-options", "DENY")
      .header("vary", "accept-encoding");
    if (ifNoneMatch === etag) return reply.status(304).send();
    if (gzip) void reply.header("content-encoding", "gzip");
    return reply.send(gzip ? asset.gzipped : asset.body);
  };

  const hidden = { schema: { hide: true } } as const;
  app.get("/", hidden, async (_request, reply) => reply.redirect("/console/"));
  app.get("/console", hidden, async (_request, reply) => reply.redirect("/console/"));
  app.get("/console/", hidden, async (request, reply) => serve("index.html", request, reply));
  app.get("/console/:file", { schema: { hide: true, params: FileParams } }, async (request, reply) => {
    const { file } = request.params as Static<typeof FileParams>;
    return serve(file, request, reply);
  });

  app.get(
    "/v1/session",
    {
      config: { roles: ["marketer", "admin", "store-ops"] },
      schema: {
        summary: "Who this console key is: role, organisation and store (if bound to one)",
        response: {
          200: Type.Object({
            role: StringEnum(["marketer", "admin", "store-ops"] as const),
            orgId: Type.String(),
            storeId: Type.Union([Type.String(), Type.Null()], { description: "The store a store-ops key is bound to." }),
          }),
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return { role: p.role, orgId: p.orgId, storeId: p.storeId };
    },
  );
}
