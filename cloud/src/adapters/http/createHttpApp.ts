import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { TSchema } from "typebox";
import { Convert } from "typebox/value";
import { Checker, formatProblems } from "../../../../protocol/index.js";
import type { CredentialService, Principal, PrincipalRole } from "../../services/CredentialService.js";
import type { Logger } from "../../services/ports.js";
import { API_TAGS, operationIdOf, tagOf } from "./apiTags.js";
import { docsRoutes } from "./docsRoutes.js";
import { ApiError, ApiErrorSchema } from "./refusals.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route registered so far (HEAD twins of GET routes left out), for tests and listings. */
    registeredRoutes(): readonly RegisteredRoute[];
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent means the route is public (health only). */
    roles?: readonly PrincipalRole[];
    /**
     * Also let a gateway in with its MQTT login as HTTP Basic (release downloads): the handler then
     * sees no principal. Only where `HttpAppOptions.verifyGatewayLogin` is given.
     */
    gatewayLogin?: boolean;
  }
}

/** The OpenAPI fields of a route schema that the app fills in when the route leaves them out. */
interface OperationSchema {
  tags?: string[];
  operationId?: string;
}

/** A route as registered: what an access-control test needs to know about it. */
export interface RegisteredRoute {
  readonly method: string;
  /** The path pattern, e.g. `/v1/stores/:storeId`. */
  readonly url: string;
  /** Roles allowed; null for a public route. */
  readonly roles: readonly PrincipalRole[] | null;
  readonly hasBody: boolean;
  readonly hasQuery: boolean;
}

export interface HttpAppOptions {
  readonly credentials: CredentialService;
  readonly log: Logger;
  /** Largest accepted request body, bytes. */
  readonly bodyLimitBytes?: number;
  /** Requests per minute per client address. */
  readonly rateLimitPerMinute?: number;
  /** Failed authentications per minute per address before it is refused without checking. */
  readonly failedAuthPerMinute?: number;
  /** True when the username and password are a gateway's valid, unrevoked MQTT login. */
  readonly verifyGatewayLogin?: (username: string, password: string) => Promise<boolean>;
}

/** Parses `Authorization: Bearer <key>`; anything else is no key. */
export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== "string") return null;
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/** `Authorization: Basic base64(username:password)`, or null. */
function gatewayLoginOf(request: FastifyRequest): { username: string; password: string } | null {
  const header = request.headers.authorization;
  if (typeof header !== "string") return null;
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon <= 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Builds the fastify app without listening, so tests call `inject()` with no socket. Every route
 * declares TypeBox schemas; bodies are validated strictly (no coercion, unknown fields refused),
 * path and query parameters are converted from strings first. Every error leaves as
 * `{ error: { code, message, details? } }` with a stable code.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // The root logger is pino, which is what fastify expects; the port type is only narrower.
    loggerInstance: options.log as unknown as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    // Per-request lines are noise at a till's request rate; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false } },
    // The router's own refusals (a path segment past maxParamLength, a path that is not valid
    // percent-encoding) are answered before any hook or error handler; without this they leave in
    // fastify's shape ({ error: "Bad Request", code: "FST_ERR_…" }), not the documented one.
    frameworkErrors: (err, _request, reply) => {
      const error = apiErrorOf(err);
      // The router's reply is typed for route generics it does not have; it is a plain reply.
      void (reply as unknown as FastifyReply).status(error.statusCode).send(error.toBody());
    },
  });
  app.decorateRequest("principal", null);
  // Every body is JSON; fastify's default text/plain parser would hand a string to a JSON schema
  // and answer "must be object" instead of naming the real problem (415 below).
  app.removeContentTypeParser("text/plain");
  // Every operation gets a tag (its area of the product) and a unique operationId, so a client
  // generator makes one module per tag and one stable method name per operation.
  const operationIds = new Map<string, string>();
  const documentOperation = (schema: OperationSchema, methods: readonly string[], url: string) => {
    // A GET route's HEAD twin is not documented (nor named) apart from its GET.
    const method = methods.find((m) => m !== "HEAD");
    if (method === undefined) return;
    const tag = tagOf(method, url);
    if (schema.tags === undefined && tag !== null) schema.tags = [tag];
    schema.operationId ??= operationIdOf(method, url);
    const other = operationIds.get(schema.operationId);
    if (other !== undefined && other !== `${method} ${url}`)
      throw new Error(`operationId ${schema.operationId} of ${method} ${url} is already ${other}'s; set schema.operationId`);
    operationIds.set(schema.operationId, `${method} ${url}`);
  };
  const routes: RegisteredRoute[] = [];
  app.addHook("onRoute", (route) => {
    // Every documented route answers errors in one shape; say so in the OpenAPI document.
    if (route.schema && !(route.schema as { hide?: boolean }).hide) {
      const response = (route.schema.response ?? {}) as Record<string, unknown>;
      route.schema.response = { "4xx": ApiErrorSchema, "5xx": ApiErrorSchema, ...response };
      documentOperation(route.schema as OperationSchema, [route.method].flat(), route.url);
    }
    const config = route.config as { roles?: readonly PrincipalRole[] } | undefined;
    for (const method of [route.method].flat()) {
      // fastify adds a HEAD twin to every GET route (same handler, same hooks); it is not a route of its own.
      if (method === "HEAD" && routes.some((r) => r.url === route.url && r.method === "GET")) continue;
      routes.push({
        method,
        url: route.url,
        roles: config?.roles ?? null,
        hasBody: (route.schema as { body?: unknown } | undefined)?.body !== undefined,
        hasQuery: (route.schema as { querystring?: unknown } | undefined)?.querystring !== undefined,
      });
    }
  });
  app.decorate("registeredRoutes", () => [...routes]);

  app.setValidatorCompiler(({ schema, httpPart }) => {
    const checker = new Checker(schema);
    const convert = httpPart !== "body";
    return (data: unknown) => {
      const value = convert ? Convert(schema as TSchema, data) : data;
      const checked = checker.check(value);
      if (checked.ok) return { value };
      const where =
        httpPart === "body" ? "body" : httpPart === "querystring" ? "query" : (httpPart ?? "request");
      return {
        error: new ApiError(
          "VALIDATION_FAILED",
          `invalid ${where}:\n${formatProblems(checked.problems)}`,
          checked.problems,
        ),
      };
    };
  });

  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    const error = apiErrorOf(err);
    if (error.code === "INTERNAL") request.log.error({ err, url: request.url }, "request failed");
    if (error.retryAfterS !== undefined) void reply.header("retry-after", String(error.retryAfterS));
    void reply.status(error.statusCode).send(error.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError("NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`);
    void reply.status(error.statusCode).send(error.toBody());
  });

  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 1200,
    timeWindow: 60_000,
    // By address: a key-derived bucket would let a caller pick a fresh bucket per request by
    // varying the (unverified) secret part.
    keyGenerator: (request) => request.ip,
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Arrival cloud API",
        version: "1",
        description:
          "Every error answers `{ error: { code, message, details? } }` with a stable code; invalid input lists each " +
          "problem with the JSON pointer of its field. Instants in answers are ISO 8601 in UTC.",
      },
      // Relative: the document describes the cloud that serves it, wherever that is deployed.
      servers: [{ url: "/", description: "The cloud that served this document" }],
      tags: API_TAGS.map((t) => ({ name: t.name, description: t.description })),
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
      security: [{ apiKey: [] }],
    },
  });

  // Authentication, then role: a route without `roles` is public; any other needs a valid key of
  // one of its roles. Finer checks (own user, own store) are made by the handlers.
  const failures = new FailureWindow(options.failedAuthPerMinute ?? 30, 60_000);
  app.addHook("onRequest", async (request) => {
    const roles = request.routeOptions.config.roles;
    if (!roles) return;
    const basic = gatewayLoginOf(request);
    if (basic && request.routeOptions.config.gatewayLogin && options.verifyGatewayLogin) {
      if (failures.blocked(request.ip)) throw new ApiError("RATE_LIMITED", "too many failed authentications; wait a minute");
      if (await options.verifyGatewayLogin(basic.username, basic.password)) return;
      failures.note(request.ip);
      throw new ApiError("UNAUTHORIZED", "the gateway login is not valid");
    }
    const key = bearer(request);
    if (!key) throw new ApiError("UNAUTHORIZED", "send an API key as 'Authorization: Bearer <key>'");
    // Each wrong key costs a scrypt; an address that keeps guessing is stopped before hashing.
    if (failures.blocked(request.ip)) throw new ApiError("RATE_LIMITED", "too many failed authentications; wait a minute");
    const principal = await options.credentials.verifyApiKey(key);
    if (!principal) {
      failures.note(request.ip);
      throw new ApiError("UNAUTHORIZED", "the API key is not valid");
    }
    if (!roles.includes(principal.role))
      throw new ApiError("FORBIDDEN", `role ${principal.role} may not do this`);
    request.principal = principal;
  });

  docsRoutes(app);
  return app;
}

/**
 * fastify's own errors (router, content-type parser, body limit, rate limit) as catalogue errors,
 * so a client meets one shape and matches on a stable code. Anything unknown outside 4xx is
 * INTERNAL; its details stay in the log.
 */
export function apiErrorOf(err: FastifyError | ApiError): ApiError {
  if (err instanceof ApiError) return err;
  switch (err.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new ApiError("MALFORMED_JSON", "the request body is not valid JSON");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError("PAYLOAD_TOO_LARGE", "the request body is too large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_TYPE":
    case "FST_ERR_CTP_INVALID_TYPE":
      return new ApiError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ApiError("BAD_REQUEST", "the body's size does not match its Content-Length");
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new ApiError("URI_TOO_LONG", "a path parameter is longer than 100 characters");
    case "FST_ERR_BAD_URL":
      return new ApiError("BAD_URL", "the path is not valid percent-encoding");
    default:
      break;
  }
  if (err.statusCode === 429) return new ApiError("RATE_LIMITED", "too many requests; slow down");
  if (err.statusCode === 413) return new ApiError("PAYLOAD_TOO_LARGE", "the request body is too large");
  if (err.statusCode === 415) return new ApiError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)
    return new ApiError("VALIDATION_FAILED", err.message);
  return new ApiError("INTERNAL", "internal error");
}

/** Failed authentications per address in a fixed window; bounded so a scan of addresses cannot grow it. */
class FailureWindow {
  private readonly counts = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  blocked(address: string): boolean {
    const entry = this.counts.get(address);
    if (!entry) return false;
    if (Date.now() - entry.since > this.windowMs) {
      this.counts.delete(address);
      return false;
    }
    return entry.count >= this.limit;
  }

  note(address: string): void {
    const now = Date.now();
    const entry = this.counts.get(address);
    if (!entry || now - entry.since > this.windowMs) {
      if (this.counts.size >= 10_000) this.counts.clear();
      this.counts.set(address, { count: 1, since: now });
    } else {
      entry.count++;
    }
  }
}

/** The authenticated principal of a route that declared roles. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError("UNAUTHORIZED", "not authenticated");
  return request.principal;
}
