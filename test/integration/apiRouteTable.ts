/**
 * The expected access of every HTTP route, for the API auth matrix (apiAuthMatrix.test.ts). A route
 * the app registers without a row here fails the test, so each new route must state who may call it.
 *
 * A row gives, per caller holding a key of an allowed role, the status it must get; every caller left
 * out that holds a key must get 403 (its role is refused) and a request without a valid key 401.
 * `request` builds a fresh request per caller (routes that delete or create get their own target),
 * and `validBody` routes are also sent malformed, mistyped, oversized and over-specified bodies.
 *
 * Adding a route: one row keyed `METHOD /path/:param` as fastify registers it, e.g. for a store's
 * gateways `"GET /v1/stores/:storeId/gateways": { expect: STORE_READERS, request: () => ({ url:
 * "/v1/stores/s1/gateways" }) }`; target s1, g1, u1 (fixture data) or create a fresh target in
 * `request` when the call changes or deletes it; give `validBody` when the route takes a body.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatRedemptionCode } from "../../cloud/src/domain/offers/index.js";
import type { CloudFixture } from "../cloud/cloudFixture.js";
import { subscriptionKeys } from "../support/pushConfig.js";

export const CALLERS = [
  "anonymous",
  /** A well-formed key that does not exist. */
  "badKey",
  /** Something that is not a key at all. */
  "malformedKey",
  "admin",
  "marketer",
  /** store-ops key bound to s1, the store every store route targets. */
  "storeOps",
  /** store-ops key bound to s2. */
  "storeOpsOtherStore",
  /** till key of s1. */
  "pos",
  /** till key of s2. */
  "posOtherStore",
  /** app key of the user the route targets (u1 unless the request says otherwise). */
  "appSelf",
  /** app key of another user of the same organisation (u2). */
  "appOtherUser",
  /** admin of another organisation: everything of o1 is "not found" to it. */
  "adminOtherOrg",
  /** the cloud's operator key: organisations themselves, nothing inside them. */
  "operator",
] as const;
export type Caller = (typeof CALLERS)[number];
export type KeyedCaller = Exclude<Caller, "anonymous" | "badKey" | "malformedKey">;

export interface MatrixContext {
  readonly f: CloudFixture;
  readonly keys: Readonly<Record<KeyedCaller, string>>;
  /** A fresh id with a prefix, unique within the run. */
  unique(prefix: string): string;
  /** Sends a request as o1's admin (setup only); resolves to the parsed body and fails on >= 400. */
  asAdmin(method: "POST" | "PUT" | "DELETE", url: string, body?: unknown, headers?: Readonly<Record<string, string>>): Promise<unknown>;
  /** A new user of o1 with a beacon and an app key of its own. */
  freshUser(): Promise<{ userId: string; appKey: string }>;
  /** An issued, published offer of a user at store s1, valid for ten minutes. */
  seedOffer(userId: string): Promise<{ offerId: string; code: string }>;
}

export interface RouteRequest {
  readonly url: string;
  readonly body?: unknown;
  /** A raw body sent as is with `contentType` (a file upload), instead of `body` as JSON. */
  readonly payload?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Keys that replace a caller's for this request (e.g. the app key of a fresh user). */
  readonly keys?: Partial<Record<KeyedCaller, string>>;
  /** The answer is a stream that stays open (server-sent events): judged by its status line only. */
  readonly stream?: boolean;
}

export interface RouteExpectation {
  /** `public`: no key needed, everyone gets `publicStatus` (200). Otherwise the status per allowed caller. */
  readonly expect: "public" | Partial<Record<KeyedCaller, number>>;
  readonly publicStatus?: number;
  /** A browser page or asset rather than an API operation, so not in the OpenAPI document: why. */
  readonly page?: string;
  readonly request: (ctx: MatrixContext, caller: Caller) => RouteRequest | Promise<RouteRequest>;
  /** For routes with a body: one the route accepts (for `bodyCaller`, default the first 2xx caller). */
  readonly validBody?: (ctx: MatrixContext) => RouteRequest | Promise<RouteRequest>;
  readonly bodyCaller?: KeyedCaller;
}

const RULE_SPEC = {
  trigger: { type: "enter" },
  scope: { storeIds: ["s1"] },
  offer: { title: "5% off", text: "Today", discount: { kind: "percent", percent: 5 }, validityS: 600 },
  limits: { maxPerUserPerDay: 1 },
};
const CIRCLE = (id: string) => ({ id, shape: "circle", center: { lat: 22.28, lon: 114.16 }, radiusM: 25 });
const HOUR = 3_600_000;

/**
 * A programme that earns a point per dollar, allows transfers and takes points at the till (100
 * points a dollar, up to half a basket) (the membership rows use it).
 */
const LOYALTY_PROGRAM = {
  currency: "HKD",
  pointsValidityDays: 365,
  transfersAllowed: true,
  earnRules: [{ id: "base", points: 1, perAmountMinor: 100 }],
  visit: null,
  memberDays: [],
  tiers: [],
  tierWindowDays: 365,
  pointsRedemption: { enabled: true, pointsPerCurrencyUnit: 100, maxShareOfBasket: 0.5, minPoints: 0 },
};
/** A purchase of u1 worth 10 HKD. */
const purchase = (orderId: string) => ({
  memberId: "u1",
  orderId,
  currency: "HKD",
  totalMinor: 1000,
  lines: [{ sku: "sku-1", quantity: 1, unitPriceMinor: 1000 }],
});

/** Everyone of the organisation who reads stores: admin, marketer, store-ops of the store. */
export const STORE_READERS = { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 };
/** The live view: like STORE_READERS, but another organisation's store is simply empty to its admin. */
export const STORE_READERS_LIVE = { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 200 };
/** Who changes what is installed in a store: admin, store-ops of the store. */
export const STORE_WRITERS = (ok: number) => ({ admin: ok, storeOps: ok, storeOpsOtherStore: 403, adminOtherOrg: 404 });

async function freshZone(ctx: MatrixContext): Promise<string> {
  const id = ctx.unique("zone");
  await ctx.asAdmin("POST", "/v1/stores/s1/zones", { zone: CIRCLE(id) });
  return id;
}

async function freshRule(ctx: MatrixContext): Promise<string> {
  const id = ctx.unique("rule");
  await ctx.asAdmin("POST", "/v1/rules", { id, spec: RULE_SPEC });
  return id;
}

/** Requests about a user: app callers act on the user their key belongs to. */
async function forUser(ctx: MatrixContext, caller: Caller, fresh: boolean) {
  if (!fresh) return { userId: "u1", keys: {} };
  const user = await ctx.freshUser();
  return { userId: user.userId, keys: caller === "appSelf" ? { appSelf: user.appKey } : {} };
}

/** A giftable coupon batch of o1 taken at s1 and s2, valid a day from claim. */
const COUPON_BATCH = {
  title: "HKD 20 off HKD 100",
  text: "This week",
  discount: { kind: "amount", amountMinor: 2000, currency: "HKD", minSpendMinor: 10000 },
  validity: { kind: "from-claim", hours: 24 },
  timezone: "Asia/Hong_Kong",
  storeIds: ["s1", "s2"],
  channels: ["online", "till", "segment"],
  giftable: true,
};

async function freshBatch(ctx: MatrixContext): Promise<string> {
  const batchId = ctx.unique("batch");
  await ctx.asAdmin("POST", "/v1/coupon-batches", { batchId, spec: COUPON_BATCH });
  return batchId;
}

/** A batch of o1 sold for 1 point, and a point for u1 to spend on it (by an admin adjustment). */
async function freshPointsBatch(ctx: MatrixContext): Promise<string> {
  const batchId = ctx.unique("batch");
  await ctx.asAdmin("POST", "/v1/coupon-batches", { batchId, spec: { ...COUPON_BATCH, channels: ["points"], pointsPrice: 1 } });
  await ctx.asAdmin("POST", "/v1/users/u1/points/adjustments", { points: 1, reason: "exchange" }, { "idempotency-key": ctx.unique("points-key") });
  return batchId;
}

/** A coupon of a fresh batch in u1's wallet. */
async function freshCoupon(ctx: MatrixContext): Promise<string> {
  const batchId = await freshBatch(ctx);
  const { coupon } = (await ctx.asAdmin("POST", `/v1/coupon-batches/${batchId}/claims`, { userId: "u1" })) as { coupon: { couponId: string } };
  return coupon.couponId;
}

/** A click-and-collect order of u1 at s1. */
async function freshPickup(ctx: MatrixContext): Promise<{ pickupId: string; code: string }> {
  const { pickup } = (await ctx.asAdmin("POST", "/v1/pickups", { orderId: ctx.unique("web-order"), storeId: "s1", userId: "u1" })) as {
    pickup: { pickupId: string; code: string };
  };
  return pickup;
}

/** A gift of u1's (made in u1's app): its token. */
async function freshGift(ctx: MatrixContext): Promise<string> {
  const couponId = await freshCoupon(ctx);
  const reply = await ctx.f.cloud.http.inject({
    method: "POST",
    url: `/v1/users/u1/coupons/${couponId}/gifts`,
    headers: { authorization: `Bearer ${ctx.keys.appSelf}` },
  });
  if (reply.statusCode !== 201) throw new Error(`setup gift: ${reply.statusCode} ${reply.body}`);
  return (JSON.parse(reply.body) as { token: string }).token;
}

export const ROUTE_TABLE: Readonly<Record<string, RouteExpectation>> = {
  // Health and the API description are public.
  "GET /healthz": { expect: "public", request: () => ({ url: "/healthz" }) },
  "GET /readyz": { expect: "public", request: () => ({ url: "/readyz" }) },
  "GET /docs": { expect: "public", request: () => ({ url: "/docs" }) },
  "GET /docs/openapi.json": {
    expect: "public",
    page: "the OpenAPI document itself, as JSON",
    request: () => ({ url: "/docs/openapi.json" }),
  },

  // The console: its page and assets are public (they hold no data; every call they make needs a
  // key), the session and live view need a console role.
  "GET /": { expect: "public", publicStatus: 302, page: "redirect to the console", request: () => ({ url: "/" }) },
  "GET /console": { expect: "public", publicStatus: 302, page: "redirect to /console/", request: () => ({ url: "/console" }) },
  "GET /console/": { expect: "public", page: "console page", request: () => ({ url: "/console/" }) },
  "GET /console/:file": { expect: "public", page: "console asset", request: () => ({ url: "/console/app.css" }) },
  "GET /v1/session": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/session" }),
  },
  "GET /v1/live": { expect: STORE_READERS_LIVE, request: () => ({ url: "/v1/live?storeId=s1" }) },
  "GET /v1/live/stream": { expect: STORE_READERS_LIVE, request: () => ({ url: "/v1/live/stream?storeId=s1", stream: true }) },

  // Stores and zones.
  "GET /v1/stores": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/stores" }),
  },
  "POST /v1/stores": {
    expect: { admin: 201, adminOtherOrg: 201 },
    request: (ctx) => ({ url: "/v1/stores", body: { id: ctx.unique("store"), name: "Store", timezone: "Europe/Paris" } }),
    validBody: (ctx) => ({
      url: "/v1/stores",
      body: { id: ctx.unique("store"), name: "Store", timezone: "Asia/Hong_Kong", location: { lat: 22.3, lon: 114.2 } },
    }),
  },
  "GET /v1/stores/:storeId": { expect: STORE_READERS, request: () => ({ url: "/v1/stores/s1" }) },
  "PATCH /v1/stores/:storeId": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/stores/s1", body: { address: "1 Queen's Road, Central" } }),
    validBody: () => ({ url: "/v1/stores/s1", body: { name: "s1", timezone: "Asia/Hong_Kong" } }),
  },
  "GET /v1/stores/:storeId/zones": { expect: STORE_READERS, request: () => ({ url: "/v1/stores/s1/zones" }) },
  "POST /v1/stores/:storeId/zones": {
    expect: STORE_WRITERS(201),
    request: (ctx) => ({ url: "/v1/stores/s1/zones", body: { zone: CIRCLE(ctx.unique("zone")), tags: ["entrance"] } }),
    validBody: (ctx) => ({ url: "/v1/stores/s1/zones", body: { zone: CIRCLE(ctx.unique("zone")), tags: [] } }),
  },
  "GET /v1/stores/:storeId/zones/:zoneId": { expect: STORE_READERS, request: () => ({ url: "/v1/stores/s1/zones/z1" }) },
  "PUT /v1/stores/:storeId/zones/:zoneId": {
    expect: STORE_WRITERS(200),
    request: async (ctx) => {
      const id = await freshZone(ctx);
      return { url: `/v1/stores/s1/zones/${id}`, body: { zone: CIRCLE(id), tags: ["till"] } };
    },
    validBody: async (ctx) => {
      const id = await freshZone(ctx);
      return { url: `/v1/stores/s1/zones/${id}`, body: { zone: CIRCLE(id), tags: [] } };
    },
  },
  "DELETE /v1/stores/:storeId/zones/:zoneId": {
    expect: STORE_WRITERS(200),
    request: async (ctx) => ({ url: `/v1/stores/s1/zones/${await freshZone(ctx)}` }),
  },

  // Presence history.
  "GET /v1/stores/:storeId/events": {
    expect: STORE_READERS,
    request: () => ({ url: "/v1/stores/s1/events?limit=5" }),
  },
  "GET /v1/stores/:storeId/visits": {
    expect: STORE_READERS,
    request: () => ({ url: "/v1/stores/s1/visits?zoneId=z1" }),
  },

  // Users.
  "PUT /v1/users/:userId": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1", body: { displayName: "u1", segments: ["vip"], loyaltyTier: "gold" } }),
    validBody: () => ({ url: "/v1/users/u1", body: { displayName: "u1", segments: ["vip"], loyaltyTier: "gold" } }),
  },
  "GET /v1/users/:userId": {
    expect: { admin: 200, marketer: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1" }),
  },
  "PUT /v1/users/:userId/consent": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/consent", body: { marketing: true, analytics: true } }),
    validBody: () => ({ url: "/v1/users/u1/consent", body: { marketing: true, analytics: true } }),
  },
  "DELETE /v1/users/:userId": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: async (ctx, caller) => {
      const { userId, keys } = await forUser(ctx, caller, true);
      return { url: `/v1/users/${userId}`, keys };
    },
  },
  "GET /v1/users/:userId/devices": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/devices" }),
  },
  "POST /v1/users/:userId/devices": {
    expect: { admin: 201, appSelf: 201, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({
      url: "/v1/users/u1/devices",
      body: { identity: { kind: "eddystone-uid", namespace: "00112233445566778899", instance: randomBytes(6).toString("hex") } },
    }),
    validBody: () => ({
      url: "/v1/users/u1/devices",
      body: { identity: { kind: "ibeacon", uuid: "F7826DA64FA24E988024BC5B71E0893E", major: 7, minor: 7 }, label: "keyring" },
    }),
  },
  "DELETE /v1/users/:userId/devices/:subjectId": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: async (ctx) => {
      const minor = Number.parseInt(randomBytes(2).toString("hex"), 16);
      await ctx.asAdmin("POST", "/v1/users/u1/devices", {
        identity: { kind: "altbeacon", id1: "0123456789abcdef0123456789abcdef", id2: 1, id3: minor },
      });
      return { url: `/v1/users/u1/devices/altbeacon:0123456789abcdef0123456789abcdef:1:${minor}` };
    },
  },

  // Offers and redemption.
  "GET /v1/users/:userId/offers": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/offers" }),
  },
  "POST /v1/users/:userId/offers/:offerId/acknowledgements": {
    expect: { appSelf: 200, appOtherUser: 403 },
    request: async (ctx) => {
      const { offerId } = await ctx.seedOffer("u1");
      return { url: `/v1/users/u1/offers/${offerId}/acknowledgements`, body: { kind: "delivered" } };
    },
    validBody: async (ctx) => {
      const { offerId } = await ctx.seedOffer("u1");
      return { url: `/v1/users/u1/offers/${offerId}/acknowledgements`, body: { kind: "viewed" } };
    },
  },
  "POST /v1/redemptions": {
    // A till of another store is told the code belongs elsewhere (409 WRONG_STORE), as at the till.
    expect: { pos: 201, posOtherStore: 409, admin: 201, adminOtherOrg: 404 },
    request: async (ctx, caller) => {
      const { code } = await ctx.seedOffer("u1");
      return {
        url: "/v1/redemptions",
        headers: { "idempotency-key": ctx.unique("idem-key") },
        body: caller === "admin" || caller === "adminOtherOrg" ? { code, storeId: "s1" } : { code },
      };
    },
    validBody: async (ctx) => {
      const { code } = await ctx.seedOffer("u1");
      return { url: "/v1/redemptions", headers: { "idempotency-key": ctx.unique("idem-key") }, body: { code } };
    },
    bodyCaller: "pos",
  },

  // Coupon wallet: batches and sends (admin, marketer), claims (the app for itself, a till at its
  // store, an admin for a member), wallets (the member's app, admins), gifts (members' apps),
  // analytics (admin, marketer), voids (the redeeming store's till, admins).
  "POST /v1/coupon-batches": {
    // Another organisation does not know store s1: the batch names a store that is not there.
    expect: { admin: 201, marketer: 201, adminOtherOrg: 400 },
    request: (ctx) => ({ url: "/v1/coupon-batches", body: { batchId: ctx.unique("batch"), spec: COUPON_BATCH } }),
    validBody: (ctx) => ({ url: "/v1/coupon-batches", body: { batchId: ctx.unique("batch"), spec: COUPON_BATCH } }),
  },
  "GET /v1/coupon-batches": { expect: { admin: 200, marketer: 200, adminOtherOrg: 200 }, request: () => ({ url: "/v1/coupon-batches" }) },
  "GET /v1/coupon-batches/:batchId": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: async (ctx) => ({ url: `/v1/coupon-batches/${await freshBatch(ctx)}` }),
  },
  "GET /v1/coupon-batches/:batchId/gifts": {
    // Marketers and admins of the batch's organisation; members' apps give and take gifts, they do not list a batch's.
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: async (ctx) => ({ url: `/v1/coupon-batches/${await freshBatch(ctx)}/gifts?state=pending,accepted&limit=10` }),
  },
  "POST /v1/coupon-batches/:batchId/claims": {
    // The app claims for its own user; naming another user is refused.
    expect: { appSelf: 201, appOtherUser: 403, pos: 201, posOtherStore: 201, admin: 201, adminOtherOrg: 404 },
    request: async (ctx, caller) => ({
      url: `/v1/coupon-batches/${await freshBatch(ctx)}/claims`,
      body: caller === "appSelf" ? { channelTag: "poster-1" } : { userId: "u1" },
    }),
    validBody: async (ctx) => ({ url: `/v1/coupon-batches/${await freshBatch(ctx)}/claims`, body: { userId: "u1", channelTag: "poster-1" } }),
    bodyCaller: "admin",
  },
  "POST /v1/coupon-batches/:batchId/sends": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: async (ctx) => ({ url: `/v1/coupon-batches/${await freshBatch(ctx)}/sends`, body: { userIds: ["u1", "u2"] } }),
    validBody: async (ctx) => ({ url: `/v1/coupon-batches/${await freshBatch(ctx)}/sends`, body: { userIds: ["u1"] } }),
  },
  "GET /v1/users/:userId/coupons": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/coupons" }),
  },
  "GET /v1/users/:userId/coupons/:couponId": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: async (ctx) => ({ url: `/v1/users/u1/coupons/${await freshCoupon(ctx)}` }),
  },
  "POST /v1/users/:userId/coupons/:couponId/gifts": {
    expect: { appSelf: 201, appOtherUser: 403 },
    request: async (ctx) => ({ url: `/v1/users/u1/coupons/${await freshCoupon(ctx)}/gifts` }),
  },
  "POST /v1/gifts/accept": {
    // u1's own app cannot accept u1's gift; u2 (a friend in the same organisation) can.
    expect: { appOtherUser: 200, appSelf: 403 },
    request: async (ctx) => ({ url: "/v1/gifts/accept", body: { token: await freshGift(ctx) } }),
    validBody: async (ctx) => ({ url: "/v1/gifts/accept", body: { token: await freshGift(ctx) } }),
  },
  "POST /v1/gifts/decline": {
    expect: { appOtherUser: 200, appSelf: 403 },
    request: async (ctx) => ({ url: "/v1/gifts/decline", body: { token: await freshGift(ctx) } }),
    validBody: async (ctx) => ({ url: "/v1/gifts/decline", body: { token: await freshGift(ctx) } }),
  },
  "GET /v1/coupon-analytics": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/coupon-analytics?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z" }),
  },
  "GET /v1/coupon-analytics/export": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/coupon-analytics/export?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z" }),
  },
  "POST /v1/redemptions/:redemptionId/void": {
    // Only the store that redeemed may void: another store's till is told so (409 WRONG_STORE).
    expect: { pos: 200, posOtherStore: 409, admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => {
      const { code } = await ctx.seedOffer("u1");
      const { redemptionId } = (await ctx.asAdmin("POST", "/v1/redemptions", { code, storeId: "s1" }, { "idempotency-key": ctx.unique("idem-key") })) as {
        redemptionId: string;
      };
      return { url: `/v1/redemptions/${redemptionId}/void`, body: caller === "admin" || caller === "adminOtherOrg" ? { storeId: "s1" } : {} };
    },
    validBody: async (ctx) => {
      const { code } = await ctx.seedOffer("u1");
      const { redemptionId } = (await ctx.asAdmin("POST", "/v1/redemptions", { code, storeId: "s1" }, { "idempotency-key": ctx.unique("idem-key") })) as {
        redemptionId: string;
      };
      return { url: `/v1/redemptions/${redemptionId}/void`, body: {} };
    },
    bodyCaller: "pos",
  },

  // Click-and-collect: the online shop registers orders (admin), the counter reads and collects them.
  "POST /v1/pickups": {
    expect: { admin: 201, adminOtherOrg: 404 },
    request: (ctx) => ({ url: "/v1/pickups", body: { orderId: ctx.unique("web-order"), storeId: "s1", userId: "u1" } }),
    validBody: (ctx) => ({ url: "/v1/pickups", body: { orderId: ctx.unique("web-order"), storeId: "s1", userId: "u1", validHours: 24 } }),
  },
  "GET /v1/pickups": {
    expect: { admin: 200, pos: 200, posOtherStore: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/pickups?storeId=s1&state=awaiting,arrived" }),
  },
  "GET /v1/pickups/:pickupId": {
    expect: { admin: 200, pos: 200, posOtherStore: 403, adminOtherOrg: 404 },
    request: async (ctx) => ({ url: `/v1/pickups/${(await freshPickup(ctx)).pickupId}` }),
  },
  "POST /v1/pickups/collect": {
    // The counter of another store is told the order is collected elsewhere (409 WRONG_STORE).
    expect: { pos: 200, posOtherStore: 409, admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => {
      const { code } = await freshPickup(ctx);
      return { url: "/v1/pickups/collect", body: caller === "admin" || caller === "adminOtherOrg" ? { code, storeId: "s1" } : { code } };
    },
    validBody: async (ctx) => ({ url: "/v1/pickups/collect", body: { code: (await freshPickup(ctx)).code } }),
    bodyCaller: "pos",
  },

  // Membership: the programme (admin, marketer), purchases and refunds (pos, admin), points of a
  // member (the app for itself, admins; marketers read only, for service in the console),
  // adjustments (admins), transfers (where the programme allows).
  "GET /v1/loyalty/program": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/loyalty/program" }),
  },
  "PUT /v1/loyalty/program": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/loyalty/program", body: LOYALTY_PROGRAM }),
    validBody: () => ({ url: "/v1/loyalty/program", body: LOYALTY_PROGRAM }),
  },
  "POST /v1/purchases": {
    // A till key earns for its own store (s2's till reports s2's purchases); another organisation
    // knows neither the store nor the member.
    expect: { pos: 201, posOtherStore: 201, admin: 201, adminOtherOrg: 404 },
    request: (ctx, caller) => ({
      url: "/v1/purchases",
      body: { ...purchase(ctx.unique("order")), ...(caller === "admin" || caller === "adminOtherOrg" ? { storeId: "s1" } : {}) },
    }),
    validBody: (ctx) => ({ url: "/v1/purchases", body: purchase(ctx.unique("order")) }),
    bodyCaller: "pos",
  },
  "POST /v1/purchases/points-quote": {
    // Another organisation does not know the member.
    expect: { pos: 200, posOtherStore: 200, admin: 200, adminOtherOrg: 404 },
    request: async (ctx) => {
      await ctx.asAdmin("PUT", "/v1/loyalty/program", LOYALTY_PROGRAM);
      return { url: "/v1/purchases/points-quote", body: { memberId: "u1", totalMinor: 1000, currency: "HKD" } };
    },
    validBody: async (ctx) => {
      await ctx.asAdmin("PUT", "/v1/loyalty/program", LOYALTY_PROGRAM);
      return { url: "/v1/purchases/points-quote", body: { memberId: "u1", totalMinor: 1000, currency: "HKD", pointsToSpend: 10 } };
    },
    bodyCaller: "pos",
  },
  "POST /v1/purchases/refunds": {
    // The till of s2 does not see s1's orders.
    expect: { pos: 200, posOtherStore: 404, admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => {
      const orderId = ctx.unique("order");
      await ctx.asAdmin("POST", "/v1/purchases", { ...purchase(orderId), storeId: "s1" });
      return { url: "/v1/purchases/refunds", body: { orderId, ...(caller === "admin" || caller === "adminOtherOrg" ? { storeId: "s1" } : {}) } };
    },
    validBody: async (ctx) => {
      const orderId = ctx.unique("order");
      await ctx.asAdmin("POST", "/v1/purchases", { ...purchase(orderId), storeId: "s1" });
      return { url: "/v1/purchases/refunds", body: { orderId } };
    },
    bodyCaller: "pos",
  },
  "POST /v1/members/import": {
    expect: { admin: 200, adminOtherOrg: 200 },
    request: (ctx) => ({ url: "/v1/members/import", payload: `${JSON.stringify({ id: ctx.unique("crm-member") })}\n`, contentType: "application/x-ndjson" }),
  },
  "GET /v1/members/export": { expect: { admin: 200, adminOtherOrg: 200 }, request: () => ({ url: "/v1/members/export" }) },
  "GET /v1/members/ledger/export": { expect: { admin: 200, adminOtherOrg: 200 }, request: () => ({ url: "/v1/members/ledger/export" }) },
  "GET /v1/users/:userId/points": {
    expect: { admin: 200, marketer: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/points" }),
  },
  "GET /v1/users/:userId/points/history": {
    expect: { admin: 200, marketer: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/points/history?limit=5" }),
  },
  "GET /v1/users/:userId/tier-changes": {
    expect: { admin: 200, marketer: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/tier-changes" }),
  },
  "POST /v1/users/:userId/member-code": {
    expect: { appSelf: 200, appOtherUser: 403 },
    request: () => ({ url: "/v1/users/u1/member-code" }),
  },
  "POST /v1/users/:userId/points/adjustments": {
    expect: { admin: 201, adminOtherOrg: 404 },
    request: (ctx) => ({
      url: "/v1/users/u1/points/adjustments",
      headers: { "idempotency-key": ctx.unique("adjust-key") },
      body: { points: 10, reason: "goodwill" },
    }),
    validBody: (ctx) => ({
      url: "/v1/users/u1/points/adjustments",
      headers: { "idempotency-key": ctx.unique("adjust-key") },
      body: { points: 10, reason: "goodwill" },
    }),
  },
  "POST /v1/users/:userId/points/exchanges": {
    // The member's app for itself, an admin on the member's behalf; a marketer may not spend a
    // member's points.
    expect: { appSelf: 201, admin: 201, appOtherUser: 403, adminOtherOrg: 404 },
    request: async (ctx) => ({
      url: "/v1/users/u1/points/exchanges",
      headers: { "idempotency-key": ctx.unique("exchange-key") },
      body: { batchId: await freshPointsBatch(ctx) },
    }),
    validBody: async (ctx) => ({
      url: "/v1/users/u1/points/exchanges",
      headers: { "idempotency-key": ctx.unique("exchange-key") },
      body: { batchId: await freshPointsBatch(ctx) },
    }),
    bodyCaller: "appSelf",
  },
  "POST /v1/users/:userId/points/transfers": {
    expect: { appSelf: 201, admin: 201, appOtherUser: 403, adminOtherOrg: 404 },
    request: async (ctx) => {
      await ctx.asAdmin("PUT", "/v1/loyalty/program", LOYALTY_PROGRAM);
      await ctx.asAdmin("POST", "/v1/purchases", { ...purchase(ctx.unique("order")), storeId: "s1" });
      return { url: "/v1/users/u1/points/transfers", headers: { "idempotency-key": ctx.unique("gift-key") }, body: { toUserId: "u2", points: 1 } };
    },
    validBody: async (ctx) => {
      await ctx.asAdmin("PUT", "/v1/loyalty/program", LOYALTY_PROGRAM);
      await ctx.asAdmin("POST", "/v1/purchases", { ...purchase(ctx.unique("order")), storeId: "s1" });
      return { url: "/v1/users/u1/points/transfers", headers: { "idempotency-key": ctx.unique("gift-key") }, body: { toUserId: "u2", points: 1 } };
    },
    bodyCaller: "appSelf",
  },

  // Decisions.
  "GET /v1/users/:userId/decisions": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/decisions" }),
  },
  "GET /v1/events/:eventId/decisions": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/events/event-00000001/decisions" }),
  },
  "GET /v1/rules/:ruleId/decisions": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/rules/r1/decisions" }),
  },

  // Rules.
  "POST /v1/rules": {
    // The rule names store s1, which another organisation does not have: refused in a sentence.
    expect: { admin: 201, marketer: 201, adminOtherOrg: 400 },
    request: () => ({ url: "/v1/rules", body: { spec: RULE_SPEC } }),
    validBody: () => ({ url: "/v1/rules", body: { spec: RULE_SPEC } }),
  },
  "GET /v1/rules": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/rules" }),
  },
  "POST /v1/rules/dry-run": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 200 },
    request: () => ({
      url: "/v1/rules/dry-run",
      body: { spec: RULE_SPEC, from: new Date(Date.now() - 24 * HOUR).toISOString(), to: new Date().toISOString() },
    }),
    validBody: () => ({
      url: "/v1/rules/dry-run",
      body: { spec: RULE_SPEC, from: new Date(Date.now() - 24 * HOUR).toISOString(), to: new Date().toISOString() },
    }),
  },
  "POST /v1/rules/reach": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/rules/reach", body: { spec: { ...RULE_SPEC, scope: {} } } }),
    validBody: () => ({ url: "/v1/rules/reach", body: { spec: { ...RULE_SPEC, scope: {} } } }),
  },
  "GET /v1/rules/:ruleId": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/rules/r1" }),
  },
  "PUT /v1/rules/:ruleId": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: async (ctx) => ({ url: `/v1/rules/${await freshRule(ctx)}`, body: { spec: RULE_SPEC } }),
    validBody: async (ctx) => ({ url: `/v1/rules/${await freshRule(ctx)}`, body: { spec: RULE_SPEC, baseVersion: 1 } }),
  },
  "POST /v1/rules/:ruleId/transitions": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: async (ctx) => ({ url: `/v1/rules/${await freshRule(ctx)}/transitions`, body: { to: "live" } }),
    validBody: async (ctx) => ({ url: `/v1/rules/${await freshRule(ctx)}/transitions`, body: { to: "live" } }),
  },

  // Analytics.
  "GET /v1/analytics/funnel": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 },
    request: () => ({
      url: `/v1/analytics/funnel?from=${new Date(Date.now() - 24 * HOUR).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}&storeId=s1&groupBy=store`,
    }),
  },
  "GET /v1/analytics/funnel/export": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 },
    request: () => ({
      url: `/v1/analytics/funnel/export?from=${new Date(Date.now() - 24 * HOUR).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}&storeId=s1&groupBy=rule`,
    }),
  },

  "GET /v1/analytics/trends": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 },
    request: () => ({
      url: `/v1/analytics/trends?from=${new Date(Date.now() - 24 * HOUR).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}&storeId=s1&by=campaign`,
    }),
  },

  // The app's privacy calls, and visit counts that outlive raw presence data.
  "PUT /v1/users/:userId/eid-keys/:installId": {
    expect: { appSelf: 200, appOtherUser: 403 },
    request: () => ({ url: "/v1/users/u1/eid-keys/phone-1", body: { identityKey: randomBytes(16).toString("hex") } }),
    validBody: () => ({ url: "/v1/users/u1/eid-keys/phone-2", body: { identityKey: randomBytes(16).toString("hex") } }),
  },
  "GET /v1/store-beacon": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 200, appSelf: 200, appOtherUser: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/store-beacon" }),
  },
  "POST /v1/users/:userId/store-beacon-sightings": {
    expect: { appSelf: 200, appOtherUser: 403 },
    request: () => ({ url: "/v1/users/u1/store-beacon-sightings", body: { eid: "00".repeat(8), at: new Date().toISOString() } }),
    validBody: () => ({ url: "/v1/users/u1/store-beacon-sightings", body: { eid: "00".repeat(8), at: new Date().toISOString() } }),
  },
  "POST /v1/users/:userId/geofence-entries": {
    expect: { appSelf: 201, appOtherUser: 403 },
    request: () => ({
      url: "/v1/users/u1/geofence-entries",
      body: { storeId: "s1", lat: 22.28, lon: 114.16, accuracyM: 20, at: new Date().toISOString() },
    }),
    validBody: () => ({
      url: "/v1/users/u1/geofence-entries",
      body: { storeId: "s1", lat: 22.28, lon: 114.16, accuracyM: 20, at: new Date().toISOString() },
    }),
  },
  "GET /v1/stores/:storeId/visit-counts": { expect: STORE_READERS, request: () => ({ url: "/v1/stores/s1/visit-counts" }) },

  // Fleet: gateways, their health and config, and the metrics a monitoring system scrapes.
  "GET /v1/gateways": {
    expect: { admin: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/gateways?storeId=s1" }),
  },
  "GET /v1/gateways/:gatewayId": {
    expect: { admin: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/gateways/g1" }),
  },
  "GET /v1/gateways/:gatewayId/telemetry": {
    expect: { admin: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/gateways/g1/telemetry?limit=10" }),
  },
  "POST /v1/stores/:storeId/gateways": {
    expect: STORE_WRITERS(201),
    request: (ctx) => ({ url: "/v1/stores/s1/gateways", body: { id: ctx.unique("gw"), name: "Till" } }),
    validBody: (ctx) => ({ url: "/v1/stores/s1/gateways", body: { id: ctx.unique("gw"), name: "Door" } }),
  },
  "POST /v1/gateways/:gatewayId/config": {
    expect: STORE_WRITERS(200),
    request: (ctx) => ({ url: "/v1/gateways/g1/config", body: { zones: [CIRCLE(ctx.unique("zone"))] } }),
    validBody: (ctx) => ({ url: "/v1/gateways/g1/config", body: { zones: [CIRCLE(ctx.unique("zone"))] } }),
  },
  "POST /v1/stores/:storeId/config": {
    expect: STORE_WRITERS(200),
    request: (ctx) => ({ url: "/v1/stores/s1/config", body: { zones: [CIRCLE(ctx.unique("zone"))] } }),
    validBody: (ctx) => ({ url: "/v1/stores/s1/config", body: { zones: [CIRCLE(ctx.unique("zone"))] } }),
  },
  "GET /metrics": {
    // Admin only; any organisation's admin reads the process-wide figures (the operator's key scrapes).
    expect: { admin: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/metrics" }),
  },

  // Credentials and API keys.
  "POST /v1/gateways/:gatewayId/credentials": {
    expect: STORE_WRITERS(201),
    request: () => ({ url: "/v1/gateways/g1/credentials" }),
  },
  "DELETE /v1/gateways/:gatewayId/credentials": {
    expect: STORE_WRITERS(200),
    request: () => ({ url: "/v1/gateways/g1/credentials" }),
  },
  "GET /v1/stores/:storeId/devices": {
    expect: STORE_WRITERS(200),
    request: () => ({ url: "/v1/stores/s1/devices" }),
  },
  "POST /v1/stores/:storeId/devices/:deviceId/credentials": {
    expect: STORE_WRITERS(201),
    request: () => ({ url: "/v1/stores/s1/devices/counter-1/credentials" }),
  },
  "DELETE /v1/stores/:storeId/devices/:deviceId/credentials": {
    expect: STORE_WRITERS(200),
    request: () => ({ url: "/v1/stores/s1/devices/counter-1/credentials" }),
  },
  "POST /v1/users/:userId/credentials": {
    expect: { admin: 201, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u2/credentials" }),
  },
  "DELETE /v1/users/:userId/credentials": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u2/credentials" }),
  },
  "POST /v1/api-keys": {
    expect: { admin: 201, adminOtherOrg: 201 },
    request: () => ({ url: "/v1/api-keys", body: { role: "marketer", label: "campaign desk" } }),
    validBody: () => ({ url: "/v1/api-keys", body: { role: "pos", label: "till 3", storeId: "s1" } }),
  },
  "DELETE /v1/api-keys/:keyId": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx) => {
      const issued = (await ctx.asAdmin("POST", "/v1/api-keys", { role: "marketer", label: "to revoke" })) as { id: string };
      return { url: `/v1/api-keys/${issued.id}` };
    },
  },
  "PUT /v1/stores/:storeId/rollout": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/stores/s1/rollout", body: ROLLOUT }),
    validBody: () => ({ url: "/v1/stores/s1/rollout", body: { ...ROLLOUT, canaryShare: 0.5, healthGateS: 60 } }),
  },
  "GET /v1/stores/:storeId/rollout": {
    expect: { admin: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 },
    request: async (ctx) => {
      await ctx.asAdmin("PUT", "/v1/stores/s1/rollout", ROLLOUT);
      return { url: "/v1/stores/s1/rollout" };
    },
  },
  "POST /v1/stores/:storeId/rollout/pause": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx) => {
      await ctx.asAdmin("PUT", "/v1/stores/s1/rollout", ROLLOUT);
      return { url: "/v1/stores/s1/rollout/pause" };
    },
  },
  "POST /v1/stores/:storeId/rollout/resume": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx) => {
      await ctx.asAdmin("PUT", "/v1/stores/s1/rollout", ROLLOUT);
      return { url: "/v1/stores/s1/rollout/resume" };
    },
  },
  "GET /v1/releases/:file": {
    // Releases are signed software, not an organisation's data: any admin may fetch them, as may
    // a gateway with its MQTT login (test/integration/releaseDownload.test.ts).
    expect: { admin: 200, adminOtherOrg: 200 },
    request: async (ctx) => {
      await mkdir(join(ctx.f.dataDir, "releases"), { recursive: true });
      await writeFile(join(ctx.f.dataDir, "releases", "0.0.1-000000000000.tgz"), "not really a tarball");
      return { url: "/v1/releases/0.0.1-000000000000.tgz" };
    },
  },
  "GET /v1/operator/organisations": {
    expect: { operator: 200 },
    request: () => ({ url: "/v1/operator/organisations" }),
  },
  "POST /v1/operator/organisations": {
    expect: { operator: 201 },
    request: (ctx) => ({ url: "/v1/operator/organisations", body: { id: ctx.unique("org"), name: "New org" } }),
    validBody: (ctx) => ({
      url: "/v1/operator/organisations",
      body: { id: ctx.unique("org"), name: "New org", maxOffersPerUserPerDay: 5 },
    }),
  },
  "POST /v1/operator/organisations/:orgId/suspend": {
    expect: { operator: 200 },
    request: async (ctx) => ({ url: `/v1/operator/organisations/${await freshOrganisation(ctx)}/suspend` }),
  },
  "POST /v1/operator/organisations/:orgId/reinstate": {
    expect: { operator: 200 },
    request: async (ctx) => ({ url: `/v1/operator/organisations/${await freshOrganisation(ctx)}/reinstate` }),
  },
  // Push delivery (docs/push.md).
  "GET /v1/push/web-push-key": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/push/web-push-key" }),
  },
  "PUT /v1/users/:userId/push-registrations/:installationId": {
    expect: { admin: 201, appSelf: 201, appOtherUser: 403, adminOtherOrg: 404 },
    request: (ctx) => ({
      url: `/v1/users/u1/push-registrations/${ctx.unique("install")}`,
      body: { provider: "webpush", token: `https://push.example.com/send/${ctx.unique("sub")}`, keys: subscriptionKeys() },
    }),
    validBody: (ctx) => ({
      url: `/v1/users/u1/push-registrations/${ctx.unique("install")}`,
      body: { provider: "webpush", token: `https://push.example.com/send/${ctx.unique("sub")}`, keys: subscriptionKeys() },
    }),
  },
  "GET /v1/users/:userId/push-registrations": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/users/u1/push-registrations" }),
  },
  "DELETE /v1/users/:userId/push-registrations/:installationId": {
    expect: { admin: 200, appSelf: 200, appOtherUser: 403, adminOtherOrg: 404 },
    request: async (ctx, caller) => {
      const installationId = ctx.unique("install");
      // Only for the callers that may delete it: a member holds a bounded number of registrations.
      if (caller === "admin" || caller === "appSelf")
        await ctx.asAdmin("PUT", `/v1/users/u1/push-registrations/${installationId}`, {
          provider: "webpush",
          token: `https://push.example.com/send/${ctx.unique("sub")}`,
          keys: subscriptionKeys(),
        });
      return { url: `/v1/users/u1/push-registrations/${installationId}` };
    },
  },
  "GET /v1/push/policy": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/push/policy" }),
  },
  "PUT /v1/push/policy": {
    expect: { admin: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/push/policy", body: { quietHours: null, frequencyCapMinutes: null } }),
    validBody: () => ({ url: "/v1/push/policy", body: { quietHours: null, frequencyCapMinutes: null } }),
  },
  "GET /v1/stores/:storeId/push-policy": {
    expect: { admin: 200, marketer: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/stores/s1/push-policy" }),
  },
  "PUT /v1/stores/:storeId/push-policy": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: () => ({ url: "/v1/stores/s1/push-policy", body: { quietHours: null, frequencyCapMinutes: null } }),
    validBody: () => ({ url: "/v1/stores/s1/push-policy", body: { quietHours: null, frequencyCapMinutes: null } }),
  },
  "GET /v1/push/dead-letters": {
    expect: { admin: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/push/dead-letters?limit=5" }),
  },
  "POST /v1/push/dead-letters/:id/replay": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx) => {
      const id = ctx.unique("push");
      const delivery = ctx.f.cloud.repositories.delivery;
      const now = Date.now();
      await delivery.enqueuePush(
        [{ id, offerId: ctx.unique("offer"), userId: "u1", installationId: "i1", orgId: "o1", storeId: "s1", title: "t", expiresAt: now - 1, nextAttemptAt: now + HOUR }],
        now,
      );
      await delivery.settlePush(id, "dead", "HTTP 500 (after 8 attempts)", now);
      return { url: `/v1/push/dead-letters/${id}/replay` };
    },
  },
  // Outgoing webhooks (docs/webhooks.md): admins only.
  "POST /v1/webhooks/endpoints": {
    expect: { admin: 201, adminOtherOrg: 201 },
    request: (ctx) => ({ url: "/v1/webhooks/endpoints", body: { url: `https://crm.example.com/${ctx.unique("hook")}`, events: ["offer.*"] } }),
    validBody: (ctx) => ({ url: "/v1/webhooks/endpoints", body: { url: `https://crm.example.com/${ctx.unique("hook")}`, events: ["*"] } }),
  },
  "GET /v1/webhooks/endpoints": {
    expect: { admin: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/webhooks/endpoints" }),
  },
  "GET /v1/webhooks/endpoints/:endpointId": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => ({ url: `/v1/webhooks/endpoints/${await webhookEndpoint(ctx, caller)}` }),
  },
  "PATCH /v1/webhooks/endpoints/:endpointId": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => ({ url: `/v1/webhooks/endpoints/${await webhookEndpoint(ctx, caller)}`, body: { enabled: false } }),
    validBody: async (ctx) => ({ url: `/v1/webhooks/endpoints/${await webhookEndpoint(ctx)}`, body: { description: "CRM" } }),
  },
  "DELETE /v1/webhooks/endpoints/:endpointId": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => ({ url: `/v1/webhooks/endpoints/${await webhookEndpoint(ctx, caller)}` }),
  },
  "POST /v1/webhooks/endpoints/:endpointId/secret": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => ({ url: `/v1/webhooks/endpoints/${await webhookEndpoint(ctx, caller)}/secret`, body: { graceS: 60 } }),
    validBody: async (ctx) => ({ url: `/v1/webhooks/endpoints/${await webhookEndpoint(ctx)}/secret`, body: { graceS: 0 } }),
  },
  "POST /v1/webhooks/endpoints/:endpointId/test": {
    expect: { admin: 202, adminOtherOrg: 404 },
    request: async (ctx, caller) => ({ url: `/v1/webhooks/endpoints/${await webhookEndpoint(ctx, caller)}/test` }),
  },
  "GET /v1/webhooks/deliveries": {
    expect: { admin: 200, adminOtherOrg: 200 },
    request: () => ({ url: "/v1/webhooks/deliveries?status=dead&limit=5" }),
  },
  "GET /v1/webhooks/deliveries/:deliveryId": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => ({ url: `/v1/webhooks/deliveries/${await deadWebhookDelivery(ctx, caller)}` }),
  },
  "POST /v1/webhooks/deliveries/:deliveryId/replay": {
    expect: { admin: 200, adminOtherOrg: 404 },
    request: async (ctx, caller) => ({ url: `/v1/webhooks/deliveries/${await deadWebhookDelivery(ctx, caller)}/replay` }),
  },
  "GET /v1/analytics/deliveries": {
    expect: { admin: 200, marketer: 200, storeOps: 200, storeOpsOtherStore: 403, adminOtherOrg: 404 },
    request: () => ({
      url: `/v1/analytics/deliveries?from=${new Date(Date.now() - 24 * HOUR).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}&storeId=s1`,
    }),
  },
};

/** A release to roll out to s1 (the fixture's gateways are told; nothing downloads it). */
const ROLLOUT = { release: "0.2.0-0123456789ab", url: "https://releases.example/arrival-0.2.0.tgz", sha256: "e".repeat(64) };

/** A new organisation nobody else uses, so suspending it changes no other row's outcome. */
async function freshOrganisation(ctx: MatrixContext): Promise<string> {
  const id = ctx.unique("org");
  await ctx.f.cloud.repositories.directory.createOrganisation({ id, name: id, maxOffersPerUserPerDay: 3 }, Date.now());
  return id;
}

/** Inserts an offer the way the rules engine stores one, for routes that act on an offer. */
export async function insertOffer(f: CloudFixture, offerId: string, userId: string): Promise<string> {
  const code = formatRedemptionCode(randomBytes(12));
  const now = Date.now();
  await f.cloud.repositories.db.run(
    `INSERT INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title, text,
       discount, code, state, state_at, day_key, issued_at, expires_at, published_at)
     VALUES (?, 'r1', 1, ?, 's1', 'z1', ?, ?, 'Offer', 'Text', '{"kind":"percent","percent":10}', ?, 'issued', ?,
       '2026-01-01', ?, ?, ?)`,
    [offerId, userId, `visit-${offerId}`, `event-${offerId}`, code, now, now, now + 600_000, now],
  );
  return code;
}

/** A fresh webhook endpoint of o1 (a public URL: the matrix's cloud sends nowhere it could reach). */
async function webhookEndpoint(ctx: MatrixContext, caller?: Caller): Promise<string> {
  // Only for the callers that reach the handler: the others are refused by role first.
  if (caller !== undefined && caller !== "admin" && caller !== "adminOtherOrg") return "ep_unused";
  const created = (await ctx.asAdmin("POST", "/v1/webhooks/endpoints", {
    url: `https://crm.example.com/${ctx.unique("hook")}`,
    events: ["offer.*"],
    enabled: false,
  })) as { endpoint: { id: string } };
  return created.endpoint.id;
}

/** A dead-lettered webhook delivery of o1. */
async function deadWebhookDelivery(ctx: MatrixContext, caller?: Caller): Promise<string> {
  if (caller !== undefined && caller !== "admin" && caller !== "adminOtherOrg") return "msg_unused";
  const endpointId = await webhookEndpoint(ctx);
  const id = ctx.unique("msg");
  const webhooks = ctx.f.cloud.repositories.webhooks;
  const now = Date.now();
  await webhooks.enqueue([{ id, endpointId, orgId: "o1", eventType: "webhook.test", userId: null, payload: "{}", nextAttemptAt: now + HOUR }], now);
  await webhooks.settle(id, { status: "dead", error: "HTTP 500 (after 10 attempts)", statusCode: 500 }, now);
  return id;
}
