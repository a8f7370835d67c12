/**
 * The API auth matrix over the real app built by createCloud: every registered route × every kind of
 * caller (no key, a wrong key, each role, a key of another store, another user's app key, an admin of
 * another organisation), and every route with a body × malformed JSON, wrong types, an oversized body
 * and unknown fields. Expectations live in apiRouteTable.ts; a route without a row fails here.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrincipalRole } from "../../cloud/src/services/CredentialService.js";
import type { ApiRole } from "../../cloud/src/services/repositories.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { webPushConfig } from "../support/pushConfig.js";
import {
  CALLERS,
  type Caller,
  type KeyedCaller,
  type MatrixContext,
  ROUTE_TABLE,
  type RouteRequest,
  insertOffer,
} from "./apiRouteTable.js";

interface Reply {
  status: number;
  body: { error?: { code?: string; message?: string; details?: { path: string }[] } } & Record<string, unknown>;
}

const STATUS_CODE: Record<number, string> = { 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND" };

describe("API auth matrix", () => {
  let f: CloudFixture;
  let ctx: MatrixContext;
  let counter = 0;
  // Each request comes from its own address, so the per-address rate limits (requests, failed
  // authentications) never decide an outcome here; they have their own tests.
  const nextAddress = () => {
    counter++;
    return `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255}`;
  };

  async function send(
    method: string,
    url: string,
    options: {
      key?: string | null;
      body?: unknown;
      payload?: string;
      contentType?: string;
      headers?: Record<string, string>;
      stream?: boolean;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let payload: string | undefined;
    if (options.payload !== undefined) payload = options.payload;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers["content-type"] = options.contentType ?? "application/json";
    if (options.stream) {
      // An open event stream never ends: take the status line, read the body only of a refusal.
      const res = await f.cloud.http.inject({ method: method as "GET", url, headers, remoteAddress: nextAddress(), payloadAsStream: true });
      const stream = res.stream();
      if (res.statusCode === 200) {
        stream.destroy();
        return { status: 200, body: {} };
      }
      let text = "";
      for await (const chunk of stream) text += String(chunk);
      return { status: res.statusCode, body: JSON.parse(text) as Reply["body"] };
    }
    const res = await f.cloud.http.inject({
      method: method as "GET",
      url,
      headers,
      remoteAddress: nextAddress(),
      ...(payload === undefined ? {} : { payload }),
    });
    let body: Reply["body"];
    try {
      body = res.json();
    } catch {
      body = {};
    }
    return { status: res.statusCode, body };
  }

  beforeAll(async () => {
    f = await createCloudFixture({ push: await webPushConfig(), webhooks: { maxEndpointsPerOrganisation: 1000 } });
    const repo = f.cloud.repositories;
    await repo.directory.upsertOrganisation({ id: "o2", name: "Other org", maxOffersPerUserPerDay: 3 }, Date.now());
    const issue = async (role: ApiRole, orgId: string, extra: { storeId?: string; userId?: string } = {}) =>
      (await f.cloud.credentials.issueApiKey({ role, orgId, label: `matrix ${role}`, ...extra }, "test")).key;
    const keys: Record<KeyedCaller, string> = {
      admin: f.keys.admin,
      marketer: f.keys.marketer,
      storeOps: await issue("store-ops", "o1", { storeId: "s1" }),
      storeOpsOtherStore: await issue("store-ops", "o1", { storeId: "s2" }),
      pos: f.keys.pos,
      posOtherStore: f.keys.posOtherStore,
      appSelf: f.keys.appU1,
      appOtherUser: f.keys.appU2,
      adminOtherOrg: await issue("admin", "o2"),
      operator: (await f.cloud.credentials.issueOperatorKey("matrix operator", "test")).key,
    };
    // One event and its decision, for the event and decision routes.
    await f.ingest([presenceEvent(1)]);
    await f.cloud.offers.idle();
    let n = 0;
    ctx = {
      f,
      keys,
      unique: (prefix) => `${prefix}-${++n}-${randomBytes(3).toString("hex")}`,
      async asAdmin(method, url, body, headers) {
        const reply = await send(method, url, { key: keys.admin, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
        if (reply.status >= 400) throw new Error(`setup ${method} ${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
        return reply.body;
      },
      async freshUser() {
        const userId = ctx.unique("shopper");
        await repo.users.upsertUser(
          { id: userId, orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
          Date.now(),
        );
        return { userId, appKey: await issue("app", "o1", { userId }) };
      },
      async seedOffer(userId) {
        const offerId = ctx.unique("offer");
        return { offerId, code: await insertOffer(f, offerId, userId) };
      },
    };
  });
  afterAll(async () => {
    await f?.close();
  });

  const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

  it("has an expectation for every route the app registers, and none for a route it does not", () => {
    const registered = f.cloud.http.registeredRoutes().map(routeKey);
    expect(registered.length).toBeGreaterThan(30);
    const missing = registered.filter((route) => !(route in ROUTE_TABLE));
    const stale = Object.keys(ROUTE_TABLE).filter((route) => !registered.includes(route));
    expect(missing, "routes without a row in test/integration/apiRouteTable.ts").toEqual([]);
    expect(stale, "rows for routes the app does not register").toEqual([]);
  });

  it("declares the same callers as the route's roles allow", () => {
    const ROLE_OF: Record<KeyedCaller, PrincipalRole> = {
      admin: "admin",
      marketer: "marketer",
      storeOps: "store-ops",
      storeOpsOtherStore: "store-ops",
      pos: "pos",
      posOtherStore: "pos",
      appSelf: "app",
      appOtherUser: "app",
      adminOtherOrg: "admin",
      operator: "operator",
    };
    const mismatches: string[] = [];
    for (const route of f.cloud.http.registeredRoutes()) {
      const row = ROUTE_TABLE[routeKey(route)];
      if (!row) continue;
      const declared = row.expect === "public" ? null : [...new Set(Object.keys(row.expect).map((c) => ROLE_OF[c as KeyedCaller]))].sort();
      const actual = route.roles === null ? null : [...route.roles].sort();
      if (JSON.stringify(declared) !== JSON.stringify(actual))
        mismatches.push(`${routeKey(route)}: table ${JSON.stringify(declared)}, route ${JSON.stringify(actual)}`);
    }
    expect(mismatches).toEqual([]);
  });

  /** What a caller must get from a route, by the table. */
  function expected(key: string, caller: Caller): number {
    const row = ROUTE_TABLE[key];
    if (!row) throw new Error(`no row for ${key}`);
    if (row.expect === "public") return row.publicStatus ?? 200;
    if (caller === "anonymous" || caller === "badKey" || caller === "malformedKey") return 401;
    return row.expect[caller] ?? 403;
  }

  function keyOf(caller: Caller, request: RouteRequest): string | null {
    if (caller === "anonymous") return null;
    // Well-formed, so it is looked up and refused, not rejected by its shape.
    if (caller === "badKey") return `ak_${"x".repeat(16)}.${"A".repeat(43)}`;
    if (caller === "malformedKey") return "not-a-key";
    return request.keys?.[caller] ?? ctx.keys[caller];
  }

  it.each(Object.keys(ROUTE_TABLE))("%s: each caller is refused or accepted as declared", async (key) => {
    const row = ROUTE_TABLE[key];
    if (!row) throw new Error(`no row for ${key}`);
    const method = key.split(" ")[0] ?? "GET";
    const outcomes: string[] = [];
    const wrong: string[] = [];
    for (const caller of CALLERS) {
      const request = await row.request(ctx, caller);
      const reply = await send(method, request.url, {
        key: keyOf(caller, request),
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.payload === undefined ? {} : { payload: request.payload, contentType: request.contentType ?? "application/json" }),
        ...(request.headers ? { headers: { ...request.headers } } : {}),
        ...(request.stream ? { stream: true } : {}),
      });
      const want = expected(key, caller);
      outcomes.push(`${caller}=${reply.status}`);
      const codeOk = STATUS_CODE[want] === undefined || reply.body.error?.code === STATUS_CODE[want];
      if (reply.status !== want || !codeOk)
        wrong.push(`${caller}: want ${want}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    }
    expect(wrong, outcomes.join(" ")).toEqual([]);
  });

  const bodyRoutes = Object.entries(ROUTE_TABLE).filter(([, row]) => row.validBody !== undefined);

  let openApi: Promise<Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { required?: string[] } }> } }>>> | undefined;
  /** The top-level body fields the route's documented JSON body schema requires. */
  async function requiredBodyFields(key: string): Promise<string[]> {
    openApi ??= send("GET", "/docs").then((r) => (r.body as unknown as { paths: Awaited<NonNullable<typeof openApi>> }).paths);
    const [method = "", url = ""] = key.split(" ");
    const operation = (await openApi)[url.replace(/:([A-Za-z]+)/g, "{$1}")]?.[method.toLowerCase()];
    return operation?.requestBody?.content?.["application/json"]?.schema?.required ?? [];
  }

  it("covers every route with a body schema with a valid body", () => {
    const withBody = f.cloud.http
      .registeredRoutes()
      .filter((r) => r.hasBody)
      .map(routeKey);
    expect(withBody.filter((key) => ROUTE_TABLE[key]?.validBody === undefined)).toEqual([]);
  });

  /** The caller that body tests run as: declared, or the first the table lets in. */
  function bodyCaller(key: string): KeyedCaller {
    const row = ROUTE_TABLE[key];
    if (!row || row.expect === "public") throw new Error(`${key} has no keyed caller`);
    if (row.bodyCaller) return row.bodyCaller;
    const first = Object.entries(row.expect).find(([, status]) => status < 300)?.[0];
    if (!first) throw new Error(`${key} accepts nobody`);
    return first as KeyedCaller;
  }

  it.each(bodyRoutes.map(([key]) => key))("%s: bad bodies get a 4xx with a clear code, never a 500", async (key) => {
    const row = ROUTE_TABLE[key];
    if (!row?.validBody) throw new Error("no valid body");
    const method = key.split(" ")[0] ?? "POST";
    const caller = bodyCaller(key);
    const fresh = async () => {
      const request = await row.validBody?.(ctx);
      if (!request) throw new Error("no valid body");
      return { request, key: keyOf(caller, request), headers: { ...(request.headers ?? {}) } };
    };
    const problems: string[] = [];
    const check = (what: string, reply: Reply, status: number, code: string, mention?: string) => {
      const message = reply.body.error?.message ?? "";
      if (reply.status !== status || reply.body.error?.code !== code || message.length === 0)
        problems.push(`${what}: want ${status} ${code}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
      else if (mention !== undefined && !`${message} ${JSON.stringify(reply.body.error?.details ?? [])}`.includes(mention))
        problems.push(`${what}: the error does not mention ${mention}: ${message}`);
    };

    // The valid body is accepted: the refusals below are about the body, nothing else.
    {
      const { request, key: k, headers } = await fresh();
      const reply = await send(method, request.url, { key: k, body: request.body, headers });
      if (reply.status >= 300) problems.push(`valid body: got ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    }
    {
      const { request, key: k, headers } = await fresh();
      check("malformed JSON", await send(method, request.url, { key: k, payload: '{"a": ', headers }), 400, "MALFORMED_JSON");
    }
    {
      const { request, key: k, headers } = await fresh();
      const payload = JSON.stringify({ ...(request.body as object), padding: "x".repeat(70 * 1024) });
      check("oversized body", await send(method, request.url, { key: k, payload, headers }), 413, "PAYLOAD_TOO_LARGE");
    }
    {
      const { request, key: k, headers } = await fresh();
      const reply = await send(method, request.url, { key: k, payload: JSON.stringify(request.body), contentType: "text/plain", headers });
      check("not JSON", reply, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    {
      const { request, key: k, headers } = await fresh();
      const body = { ...(request.body as object), surpriseField: 1 };
      check("unknown field", await send(method, request.url, { key: k, body, headers }), 400, "VALIDATION_FAILED", "surpriseField");
    }
    for (const notAnObject of [[], "text", 42, null]) {
      const { request, key: k, headers } = await fresh();
      check(`body ${JSON.stringify(notAnObject)}`, await send(method, request.url, { key: k, body: notAnObject, headers }), 400, "VALIDATION_FAILED");
    }
    const valid = (await fresh()).request.body as Record<string, unknown>;
    for (const [field, value] of Object.entries(valid)) {
      const { request, key: k, headers } = await fresh();
      const body = { ...(request.body as Record<string, unknown>), [field]: wrongType(value) };
      check(`wrong type of ${field}`, await send(method, request.url, { key: k, body, headers }), 400, "VALIDATION_FAILED", `/${field}`);
    }
    // A missing field is named at its own path, as a form shows it beside the field.
    for (const field of await requiredBodyFields(key)) {
      if (!(field in valid)) continue;
      const { request, key: k, headers } = await fresh();
      const { [field]: _dropped, ...body } = request.body as Record<string, unknown>;
      const reply = await send(method, request.url, { key: k, body, headers });
      check(`missing ${field}`, reply, 400, "VALIDATION_FAILED", `"path":"/${field}"`);
    }
    expect(problems).toEqual([]);
  });

  it("refuses unknown and mistyped query parameters on every route with a query schema", async () => {
    const routes = f.cloud.http.registeredRoutes().filter((r) => r.hasQuery);
    expect(routes.length).toBeGreaterThan(3);
    const problems: string[] = [];
    for (const route of routes) {
      const key = routeKey(route);
      const row = ROUTE_TABLE[key];
      if (!row) continue; // reported by the completeness test
      const caller = bodyCaller(key);
      for (const [extra, mention] of [["surprise=1", "surprise"], ["limit=lots", "limit"]] as const) {
        const request = await row.request(ctx, caller);
        const url = `${request.url}${request.url.includes("?") ? "&" : "?"}${extra}`;
        const reply = await send(route.method, url, { key: keyOf(caller, request) });
        const text = `${reply.body.error?.message ?? ""} ${JSON.stringify(reply.body.error?.details ?? [])}`;
        if (reply.status !== 400 || reply.body.error?.code !== "VALIDATION_FAILED" || !text.includes(mention))
          problems.push(`${key} ${extra}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("documents every route in the OpenAPI document with a summary and its error shape", async () => {
    const doc = (await send("GET", "/docs")).body as unknown as {
      paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
    };
    const problems: string[] = [];
    for (const route of f.cloud.http.registeredRoutes()) {
      if (route.url === "/docs" || ROUTE_TABLE[routeKey(route)]?.page) continue;
      const path = route.url.replace(/:([A-Za-z]+)/g, "{$1}");
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      if (!operation?.summary) problems.push(`${routeKey(route)}: no summary`);
      if (!operation?.responses?.["4XX"] && !operation?.responses?.["4xx"]) problems.push(`${routeKey(route)}: no error response`);
    }
    expect(problems).toEqual([]);
  });
});

/** A value of another JSON type than `value`. */
function wrongType(value: unknown): unknown {
  if (typeof value === "string") return 12345;
  if (typeof value === "number") return "not a number";
  if (typeof value === "boolean") return "yes";
  if (Array.isArray(value)) return { not: "an array" };
  if (value === null) return [];
  return ["not", "an", "object"];
}
