import { createHash } from "node:crypto";
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
  // The page's own inline stylesheet is allowed by its hash (CSP Level 3 hash-source), nothing else inline.
  const styleHashes = [...page.html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) => `'sha256-${createHash("sha256").update(m[1] ?? "").digest("base64")}'`,
  );
  app.get("/demo/shopper", { schema: { hide: true } }, async (request, reply) =>
    reply
      .headers({ ...headers, "content-security-policy": shopperPageCsp(request.hostname, styleHashes) })
      .type("text/html; charset=utf-8")
      .send(page.html),
  );
  app.get("/demo/shopper.js", { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type("text/javascript; charset=utf-8").send(page.script),
  );
}

/**
 * Strict policy for the shopper page, like the console's: its own script, its own inline stylesheet
 * by hash, API calls to this origin, no plugins, no framing. The page's MQTT connection goes to the
 * embedded broker's WebSocket listener, on this host but another port (known only once it is bound),
 * so `connect-src` allows WebSockets to the host the page was loaded from, on any port, and nowhere else.
 */
export function shopperPageCsp(hostname: string, styleHashes: readonly string[]): string {
  // The Host header is the client's; only a plain host name or address goes into the policy.
  const host = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/.test(hostname) ? hostname : null;
  return [
    "default-src 'none'",
    "script-src 'self'",
    // MQTT.js (worker-timers) runs its keep-alive timers in a worker made from a blob, so a
    // background tab does not throttle the pings; only a script already allowed can make one.
    "worker-src blob:",
    `style-src ${styleHashes.length > 0 ? styleHashes.join(" ") : "'none'"}`,
    "img-src 'self' data:",
    host ? `connect-src 'self' ws://${host}:* wss://${host}:*` : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
