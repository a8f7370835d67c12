import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { Metrics, MetricsExposition } from "../../../services/Metrics.js";

/**
 * Counts every HTTP request by method, route pattern and status. The route is the pattern fastify
 * matched (`/v1/gateways/:gatewayId`), never the URL, so ids do not become labels; requests that
 * match no route share `unmatched`. Register before the routes it should see.
 */
export function httpMetrics(app: FastifyInstance, metrics: Metrics): void {
  const requests = metrics.counter({
    name: "arrival_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status code.",
    labelNames: ["method", "route", "status"],
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
  });
}

/**
 * `GET /metrics` in the Prometheus text format 0.0.4. Not anonymous: Prometheus sends an admin key
 * as a bearer token (`authorization: { credentials_file: … }` in its scrape config). Admin only
 * (least privilege): the figures are the whole process's, every organisation's together, so a
 * store's operations key must not read them; the scrape key should be the operator's admin key.
 */
export function metricsRoutes(app: FastifyInstance, deps: { exposition: MetricsExposition }): void {
  app.get(
    "/metrics",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Prometheus metrics (text exposition format 0.0.4)",
        response: { 200: Type.String({ description: "text/plain; version=0.0.4" }) },
      },
    },
    async (_request, reply) => {
      const text = await deps.exposition.render();
      void reply.header("content-type", deps.exposition.contentType);
      return text;
    },
  );
}
