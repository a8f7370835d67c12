/**
 * Hostile traffic for the real cloud, shared by the in-suite property tests (small runs) and the
 * long chaos run (scripts/chaos/hostile.ts): event batches a buggy or forged gateway could publish,
 * and HTTP requests any client could send. Each case is checked as it goes: no 5xx, every error
 * in the documented shape, nothing stored that breaks a reader.
 */
import fc from "fast-check";
import type { InjectOptions } from "fastify";
import { API_ERRORS } from "../../cloud/src/adapters/http/refusals.js";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import type { CloudFixture } from "../cloud/cloudFixture.js";

/** A beacon no user registered: hostile events must not reach the rules through a real shopper. */
const STRANGER = "ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:9:9";

/** Readers that must answer 2xx whatever ingest stored. */
export function readerUrls(nowMs: number): string[] {
  const period = `from=${new Date(nowMs - 30 * 86_400_000).toISOString()}&to=${new Date(nowMs + 86_400_000).toISOString()}`;
  return [
    "/v1/stores/s1/visit-counts",
    "/v1/stores/s1/visits",
    "/v1/stores/s1/events",
    `/v1/analytics/funnel?groupBy=day&${period}`,
    `/v1/analytics/funnel?groupBy=zone&${period}`,
  ];
}

/** Problems found by `checkReaders`: each reader that did not answer 2xx, with its status. */
export async function checkReaders(f: CloudFixture, nowMs: number): Promise<string[]> {
  const problems: string[] = [];
  for (const url of readerUrls(nowMs)) {
    const res = await f.cloud.http.inject({ method: "GET", url, headers: { authorization: `Bearer ${f.keys.admin}` } });
    if (res.statusCode < 200 || res.statusCode >= 300) problems.push(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  }
  return problems;
}

/** Stored rows a reader could not show (times a Date cannot hold, dwell beyond the contract). */
export async function implausibleRows(f: CloudFixture): Promise<number> {
  const row = await f.cloud.repositories.db.get<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM presence_events WHERE typeof(at) <> 'integer' OR ABS(at) > 8640000000000000
               OR (dwell_ms IS NOT NULL AND (dwell_ms < 0 OR dwell_ms > 86400000)))
          + (SELECT COUNT(*) FROM visits WHERE typeof(entered_at) <> 'integer' OR ABS(entered_at) > 8640000000000000
               OR dwell_ms < 0 OR dwell_ms > 86400000) AS n`,
  );
  return row?.n ?? 0;
}

const hostileNumber = fc.oneof(
  fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e300, -1, 1e15, 2 ** 53 + 2, -1e300, 0.5, 86_400_001),
  fc.double({ noNaN: true }),
  fc.integer(),
);

/** An event field by field: mostly valid, each field sometimes hostile. */
function eventArb(nowMs: number): fc.Arbitrary<HostileEvent> {
  const at = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -60_000, max: 60_000 }).map((d) => new Date(nowMs + d).toISOString()) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "9999-12-31T23:59:59.000Z",
        "1971-01-01T00:00:00.000Z",
        "0000-01-01T00:00:00Z",
        new Date(nowMs + 365 * 86_400_000).toISOString(),
        new Date(nowMs + 86_400_000).toISOString(),
        new Date(nowMs - 9 * 86_400_000).toISOString(),
        new Date(nowMs - 365 * 86_400_000).toISOString(),
        "2026-02-30T25:61:61Z",
        "not a date",
        "",
      ),
    },
    { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  );
  return fc.record({
    type: fc.constantFrom("enter", "dwell", "exit", "leave"),
    zoneId: fc.oneof({ weight: 4, arbitrary: fc.constant("z1") }, fc.constantFrom("z9", "Z1", "", "../z1", "x".repeat(100))),
    storeId: fc.oneof({ weight: 6, arbitrary: fc.constant("s1") }, fc.constantFrom("s2", "other")),
    gatewayId: fc.oneof({ weight: 6, arbitrary: fc.constant("g1") }, fc.constant("g2")),
    subject: fc.oneof(
      { weight: 5, arbitrary: fc.constant({ kind: "ibeacon", id: STRANGER }) },
      fc.constant({ kind: "ibeacon", id: STRANGER.toUpperCase() }),
      fc.constant({ kind: "app", id: "app:u1" }),
      fc.constant({ kind: "mac", id: "x".repeat(200) }),
      fc.record({ kind: fc.string(), id: fc.string() }),
    ),
    at,
    rssi: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -100, max: -30 }) }, fc.constant(null), hostileNumber),
    distanceM: fc.oneof({ weight: 4, arbitrary: fc.double({ min: 0, max: 30, noNaN: true }) }, fc.constant(null), hostileNumber),
    dwellMs: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 3_600_000 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: hostileNumber },
    ),
    extra: fc.option(fc.jsonValue({ maxDepth: 2 }), { freq: 10 }),
  });
}

/** One event as generated; fields may hold anything a forger could put there. */
export interface HostileEvent {
  readonly type: string;
  readonly zoneId: string;
  readonly storeId: string;
  readonly gatewayId: string;
  readonly subject: { readonly kind: string; readonly id: string };
  readonly at: string;
  readonly rssi: number | null;
  readonly distanceM: number | null;
  readonly dwellMs: number | undefined;
  readonly extra: unknown;
}

/**
 * An event that passes the wire schema but may still be implausible: dated in 1971, 9999 or a year
 * ahead, in a zone the store lacks, another store's, a phone's: what only ingest can refuse.
 */
function plausibilityArb(nowMs: number): fc.Arbitrary<HostileEvent> {
  return fc.record({
    type: fc.constantFrom("enter", "dwell", "exit"),
    zoneId: fc.oneof({ weight: 3, arbitrary: fc.constant("z1") }, fc.constantFrom("z9", "Z1", "till")),
    storeId: fc.oneof({ weight: 8, arbitrary: fc.constant("s1") }, fc.constant("s2")),
    gatewayId: fc.constant("g1"),
    subject: fc.oneof({ weight: 8, arbitrary: fc.constant({ kind: "ibeacon", id: STRANGER }) }, fc.constant({ kind: "app", id: "app:u1" })),
    at: fc.oneof(
      { weight: 2, arbitrary: fc.integer({ min: -60_000, max: 60_000 }).map((d) => new Date(nowMs + d).toISOString()) },
      fc.constantFrom(
        "9999-12-31T23:59:59.000Z",
        "1971-01-01T00:00:00.000Z",
        new Date(nowMs + 365 * 86_400_000).toISOString(),
        new Date(nowMs + 86_400_000).toISOString(),
        new Date(nowMs - 9 * 86_400_000).toISOString(),
        new Date(nowMs - 3 * 86_400_000).toISOString(),
      ),
    ),
    rssi: fc.oneof(fc.integer({ min: -127, max: 20 }), fc.constant(null)),
    distanceM: fc.oneof(fc.double({ min: 0, max: 1000, noNaN: true }), fc.constant(null)),
    dwellMs: fc.oneof(fc.integer({ min: 0, max: 86_400_000 }), fc.constant(undefined)),
    extra: fc.constant(null),
  });
}

/** A batch of 1 to 5 events: mostly schema-valid but implausible, else hostile in any field or envelope. */
export function batchArb(nowMs: number) {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        events: fc.array(plausibilityArb(nowMs), { minLength: 1, maxLength: 5 }),
        envelope: fc.constant(null),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        events: fc.array(eventArb(nowMs), { minLength: 1, maxLength: 5 }),
        envelope: fc.oneof(
          { weight: 8, arbitrary: fc.constant(null) },
          fc.record({ key: fc.constantFrom("v", "outbox", "fromSeq", "events"), value: fc.jsonValue({ maxDepth: 2 }) }),
        ),
      }),
    },
  );
}

export interface IngestFuzzReport {
  batches: number;
  readerChecks: number;
  readerProblems: string[];
}

let serial = 0;

/** Publishes one hostile batch through the cloud's real ingest; sequences stay fresh per call. */
export async function ingestHostile(
  f: CloudFixture,
  batch: { events: HostileEvent[]; envelope: { key: string; value: unknown } | null },
): Promise<void> {
  const events = batch.events.map((e) => {
    const n = ++serial;
    const { extra, dwellMs, ...rest } = e;
    return {
      id: `hostile-${process.pid}-${String(n).padStart(10, "0")}`,
      seq: n,
      visitId: `visit-hostile-${n % 97}`,
      ...rest,
      ...(dwellMs === undefined ? {} : { dwellMs }),
      ...(extra === null ? {} : { extra }),
    };
  });
  const body: Record<string, unknown> = { v: 1, outbox: "hostile-outbox", fromSeq: events[0]?.seq ?? 1, events };
  if (batch.envelope) body[batch.envelope.key] = batch.envelope.value;
  await f.cloud.ingest
    .handleBatch(gatewayTopic("s1", "g1", "events"), encodeMessage(body))
    // A refused commit (none expected) is counted by ingest; the checks below judge the outcome.
    .catch(() => undefined);
}

const hostileSegment = fc.oneof(
  fc.constantFrom(
    "x".repeat(5000),
    "%E0%A4%A",
    "%00",
    "..",
    "%2e%2e%2f%2e%2e",
    "s1%2Fgateways",
    "🙂",
    "a b",
    "-",
    "s1'--",
    "<script>",
    "9".repeat(400),
  ),
  fc.string({ maxLength: 80 }).map((s) => encodeURIComponent(s)),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/).map((s) => `fz-${s}`),
);

const hostileBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("", "{", "null", "[]", '{"__proto__":{"x":1}}', `{"a":"${"x".repeat(70_000)}"}`, '{"code":"AAAA-BBBB"}'),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")),
);

export interface HostileRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" | "HEAD";
  /** Use the route's own method (most cases), else `method`, which may not be the route's. */
  readonly routeMethod: boolean;
  readonly route: number;
  readonly params: readonly string[];
  readonly query: string | null;
  readonly auth: "none" | "admin" | "pos" | "app" | "garbage";
  readonly contentType: string | null;
  readonly body: string | null;
  readonly idempotencyKey: string | null;
  readonly address: number;
}

export function requestArb(routeCount: number): fc.Arbitrary<HostileRequest> {
  return fc.record({
    method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"),
    routeMethod: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
    route: fc.nat({ max: Math.max(0, routeCount - 1) }),
    params: fc.array(hostileSegment, { minLength: 3, maxLength: 3 }),
    query: fc.option(
      fc.oneof(
        fc.constantFrom("limit=-1", "limit=lots", "from=9999-99-99", "groupBy=nope", "after=%%%", "limit=1e309", "a[b]=c"),
        fc.string({ maxLength: 60 }).map((s) => encodeURIComponent(s)),
      ),
      { freq: 3 },
    ),
    auth: fc.constantFrom("none", "admin", "pos", "app", "garbage"),
    contentType: fc.option(
      fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=klingon", ";;;", "multipart/form-data; boundary=x", "application/xml"),
      { freq: 4 },
    ),
    body: fc.option(hostileBody, { freq: 3 }),
    idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.constant("receipt-fuzz-0001")), { freq: 3 }),
    address: fc.nat({ max: 65_535 }),
  });
}

/** Routes the HTTP fuzz may call: all but the live stream (it never ends) and the pages. */
export function fuzzableRoutes(f: CloudFixture): { method: string; url: string }[] {
  return f.cloud.http
    .registeredRoutes()
    .filter((r) => r.url.startsWith("/v1/") && !r.url.startsWith("/v1/live"))
    .map((r) => ({ method: r.method, url: r.url }));
}

/** What is wrong with one answer (a 5xx, or an error not in the documented shape); null when fine. */
export function answerProblem(status: number, contentType: string | undefined, body: string): string | null {
  if (status >= 500) return `status ${status}: ${body.slice(0, 200)}`;
  if (status < 400) return null;
  if (!/^application\/json/.test(contentType ?? "")) return `status ${status} with content-type ${contentType}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `status ${status} with a body that is not JSON: ${body.slice(0, 200)}`;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
  if (typeof error !== "object" || error === null || Object.keys(parsed as object).length !== 1)
    return `status ${status} not in the error shape: ${body.slice(0, 200)}`;
  const code = error.code;
  if (typeof code !== "string" || !(code in API_ERRORS)) return `status ${status} with unknown code ${String(code)}`;
  if (API_ERRORS[code as keyof typeof API_ERRORS] !== status) return `code ${code} answered with status ${status}`;
  if (typeof error.message !== "string" || error.message.length === 0) return `code ${code} without a message`;
  return null;
}

/** Sends one hostile request; answers its status and what is wrong with the answer, if anything. */
export async function sendHostile(
  f: CloudFixture,
  routes: readonly { method: string; url: string }[],
  r: HostileRequest,
): Promise<{ status: number; problem: string | null }> {
  const route = routes[r.route % Math.max(1, routes.length)];
  let k = 0;
  const path = (route?.url ?? "/v1/nowhere").replace(/:[A-Za-z]+/g, () => r.params[k++ % r.params.length] ?? "x");
  const keys = { admin: f.keys.admin, pos: f.keys.pos, app: f.keys.appU2, garbage: "not-a-key" } as const;
  const headers: Record<string, string> = {};
  if (r.auth !== "none") headers.authorization = `Bearer ${keys[r.auth]}`;
  if (r.contentType !== null) headers["content-type"] = r.contentType;
  if (r.idempotencyKey !== null) headers["idempotency-key"] = r.idempotencyKey.replace(/[\r\n]/g, "");
  const url = r.query === null ? path : `${path}?${r.query}`;
  const method = r.routeMethod && route ? (route.method as HostileRequest["method"]) : r.method;
  const request: InjectOptions = {
    method,
    url,
    headers,
    // Many addresses: the per-address rate and failed-auth limits would otherwise answer most
    // requests with 429 and leave the routes untested.
    remoteAddress: `10.${(r.address >> 8) & 255}.${r.address & 255}.7`,
    ...(r.body === null || method === "GET" || method === "HEAD" ? {} : { payload: r.body }),
  };
  const res = await f.cloud.http.inject(request);
  const problem = method === "HEAD" && res.statusCode < 500 ? null : answerProblem(res.statusCode, res.headers["content-type"] as string | undefined, res.body);
  return { status: res.statusCode, problem: problem === null ? null : `${method} ${url.slice(0, 120)}: ${problem}` };
}
