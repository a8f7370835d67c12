import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";

/** The demo shopper page: an HTML document and its bundled script, built by the demo. */
export interface ShopperPage {
  readonly html: string;
  readonly script: string;
  /** Its service worker (notifications on push); without one the page is not installable. */
  readonly serviceWorker?: string;
}

/** The Web App Manifest that makes the page installable (scope /demo/, standalone). */
export const SHOPPER_MANIFEST = {
  name: "Arrival · your offers",
  short_name: "Offers",
  start_url: "/demo/shopper",
  scope: "/demo/",
  display: "standalone",
  background_color: "#f4f1ec",
  theme_color: "#1d3557",
  icons: [{ src: "/demo/shopper-icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
} as const;

const SHOPPER_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#1d3557"/><path d="M256 96a112 112 0 0 0-112 112c0 84 112 208 112 208s112-124 112-208A112 112 0 0 0 256 96zm0 152a40 40 0 1 1 0-80 40 40 0 0 1 0 80z" fill="#f1c453"/></svg>`;

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
  const { serviceWorker } = page;
  if (serviceWorker === undefined) return;
  // Served from /demo/, so its default scope is the page's and no Service-Worker-Allowed is needed.
  app.get("/demo/shopper-sw.js", { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type("text/javascript; charset=utf-8").send(serviceWorker),
  );
  app.get("/demo/shopper.webmanifest", { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type("application/manifest+json; charset=utf-8").send(JSON.stringify(SHOPPER_MANIFEST)),
  );
  app.get("/demo/shopper-icon.svg", { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type("image/svg+xml").send(SHOPPER_ICON),
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
    // 'self': the page's own service worker, which shows notifications on push.
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    `style-src ${styleHashes.length > 0 ? styleHashes.join(" ") : "'none'"}`,
    "img-src 'self' data:",
    host ? `connect-src 'self' ws://${host}:* wss://${host}:*` : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
