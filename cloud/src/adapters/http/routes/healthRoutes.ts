import type { FastifyInstance } from "fastify";
import { ApiError } from "../refusals.js";

/** Liveness (the process answers) and readiness (storage and broker are usable). Public. */
export function healthRoutes(app: FastifyInstance, deps: { ready: () => Promise<boolean> }): void {
  app.get("/healthz", { schema: { summary: "Liveness", security: [] } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { summary: "Readiness", security: [] } }, async () => {
    if (!(await deps.ready())) throw new ApiError("NOT_READY", "not ready");
    return { status: "ready" };
  });
}
