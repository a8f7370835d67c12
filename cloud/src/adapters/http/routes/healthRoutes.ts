import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { ApiError } from "../refusals.js";

const Live = Type.Object({ status: Type.Literal("ok") }, { description: "The process answers." });
const Ready = Type.Object({ status: Type.Literal("ready") }, { description: "Storage and broker are usable." });

/** Liveness (the process answers) and readiness (storage and broker are usable). Public. */
export function healthRoutes(app: FastifyInstance, deps: { ready: () => Promise<boolean> }): void {
  app.get("/healthz", { schema: { summary: "Liveness", security: [], response: { 200: Live } } }, async () => ({ status: "ok" }));
  app.get(
    "/readyz",
    { schema: { summary: "Readiness (503 NOT_READY until storage and broker are usable)", security: [], response: { 200: Ready } } },
    async () => {
      if (!(await deps.ready())) throw new ApiError("NOT_READY", "not ready");
      return { status: "ready" };
    },
  );
}
