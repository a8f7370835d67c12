import type { FastifyInstance } from "fastify";

/** The demo shopper page: an HTML document and its bundled script, built by the demo. */
export interface ShopperPage {
  readonly html: string;
  readonly script: string;
}

/**
 * Serves the demo shopper page at `/demo/shopper` (demo mode only). Both responses are public
 * and static: the page signs in with the app token in its URL fragment, which browsers never
 * send to the server, so no secret passes through here or into the access log.
 */
export function shopperPageRoutes(app: FastifyInstance, page: ShopperPage): void {
  const headers = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
  };
  app.get("/demo/shopper", { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type("text/html; charset=utf-8").send(page.html),
  );
  app.get("/demo/shopper.js", { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type("text/javascript; charset=utf-8").send(page.script),
  );
}
