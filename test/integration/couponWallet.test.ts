import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { ManualClock } from "../cloud/manualClock.js";
import { LIPSTICK_BATCH } from "../support/couponBatches.js";

/**
 * The coupon wallet through the real HTTP app over a real SQLite file: claims under concurrency,
 * near-field claims, daily stock at the store's midnight, basket redemption exactly once, voids,
 * gifts racing redemptions, analytics.
 */

const MINUTE_MS = 60_000;
const clock = new ManualClock(Date.now());
let f: CloudFixture;
let seq = 0;

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: { path: string; message: string }[] } };
}

async function call(key: string, method: "GET" | "POST", url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await f.cloud.http.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, ...headers },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
  let parsed: Reply["body"];
  try {
    parsed = res.json();
  } catch {
    parsed = { text: res.body };
  }
  return { status: res.statusCode, body: parsed };
}

const BATCH = { ...LIPSTICK_BATCH, giftable: true };

async function batch(overrides: Record<string, unknown> = {}): Promise<string> {
  const batchId = `batch-${++seq}`;
  const reply = await call(f.keys.admin, "POST", "/v1/coupon-batches", { batchId, spec: { ...BATCH, ...overrides } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return batchId;
}

async function newUser(): Promise<string> {
  const id = `member-${++seq}`;
  await f.cloud.repositories.users.upsertUser(
    { id, orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
    clock.now(),
  );
  return id;
}

async function claimFor(batchId: string, userId: string): Promise<Reply> {
  return call(f.keys.admin, "POST", `/v1/coupon-batches/${batchId}/claims`, { userId });
}

async function couponOf(batchId: string, userId = "u1"): Promise<{ couponId: string; code: string }> {
  const reply = await claimFor(batchId, userId);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.coupon as { couponId: string; code: string };
}

const basket = (totalMinor: number, category = "lipstick") => ({
  orderId: `order-${++seq}`,
  totalMinor,
  currency: "HKD",
  lines: [{ sku: "lip-1", category, quantity: 1, unitPriceMinor: totalMinor }],
});

const redeem = (code: string, key: string, extra: Record<string, unknown> = {}, apiKey = f.keys.pos) =>
  call(apiKey, "POST", "/v1/redemptions", { code, basket: basket(12000), ...extra }, { "idempotency-key": key });

beforeAll(async () => {
  f = await createCloudFixture({ clock });
});
afterAll(async () => {
  await f.close();
});

describe("claims", () => {
  it("lets exactly 50 of 200 concurrent claims succeed when 50 are left; the rest are out of stock", async () => {
    const batchId = await batch({ totalStock: 60 });
    for (let i = 0; i < 10; i++) expect((await claimFor(batchId, await newUser())).status).toBe(201);
    const users = await Promise.all(Array.from({ length: 200 }, () => newUser()));
    const replies = await Promise.all(users.map((u) => claimFor(batchId, u)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(50);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(150);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.error?.code}`))).toEqual(new Set(["409 OUT_OF_STOCK"]));
    const view = await call(f.keys.marketer, "GET", `/v1/coupon-batches/${batchId}`);
    expect(view.body).toMatchObject({ claimed: 60 });
  });

  it("keeps the per-member limit under concurrent claims of one member", async () => {
    const batchId = await batch({ perMemberLimit: 2 });
    const userId = await newUser();
    const replies = await Promise.all(Array.from({ length: 20 }, () => claimFor(batchId, userId)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(2);
    expect(replies.find((r) => r.status !== 201)?.body.error?.code).toBe("LIMIT_REACHED");
  });

  it("records the app's channel tag and lists the coupon in the wallet", async () => {
    const batchId = await batch();
    const reply = await call(f.keys.appU1, "POST", `/v1/coupon-batches/${batchId}/claims`, { channelTag: "mall-poster-3" });
    expect(reply.status).toBe(201);
    expect(reply.body.coupon).toMatchObject({ batchId, channel: "online", channelTag: "mall-poster-3", status: "issued", storeIds: ["s1"] });
    const wallet = await call(f.keys.appU1, "GET", "/v1/users/u1/coupons");
    expect((wallet.body.coupons as { batchId: string }[]).some((c) => c.batchId === batchId)).toBe(true);
    expect((await call(f.keys.appU2, "GET", "/v1/users/u1/coupons")).status).toBe(403);
  });

  it("refuses a near-field claim until the member is seen in one of the batch's stores", async () => {
    const batchId = await batch({ presenceWithinMin: 10 });
    const before = await call(f.keys.appU1, "POST", `/v1/coupon-batches/${batchId}/claims`, {});
    expect(before.status).toBe(409);
    expect(before.body.error?.code).toBe("PRESENCE_REQUIRED");
    await f.ingest([presenceEvent(1, { at: clock.iso(), visitId: `visit-near-${seq}` })], 1);
    expect((await call(f.keys.appU1, "POST", `/v1/coupon-batches/${batchId}/claims`, {})).status).toBe(201);
  });

  it("resets the daily stock at the store's local midnight", async () => {
    const batchId = await batch({ dailyStock: 1, perMemberLimit: 5 });
    const userId = await newUser();
    const start = clock.now();
    // 23:59 in Hong Kong (UTC+8) is 15:59 UTC.
    const day = new Date(start + 86_400_000);
    day.setUTCHours(15, 59, 0, 0);
    clock.set(day.getTime());
    expect((await claimFor(batchId, userId)).status).toBe(201);
    const second = await claimFor(batchId, userId);
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe("OUT_OF_STOCK");
    clock.advance(MINUTE_MS);
    expect((await claimFor(batchId, userId)).status).toBe(201);
    clock.set(start);
  });
});

describe("segment sends", () => {
  it("sends to a segment's consenting members only, recording the channel", async () => {
    const batchId = await batch({ channels: ["segment"] });
    const reply = await call(f.keys.marketer, "POST", `/v1/coupon-batches/${batchId}/sends`, { audience: { segment: "vip", tier: "gold" } });
    expect(reply.status).toBe(200);
    // u2 is in the segment but gave no marketing consent: not part of the audience.
    const results = reply.body.results as { userId: string; couponId: string | null; refused: string | null }[];
    expect(results.map((r) => r.userId)).toContain("u1");
    expect(results.map((r) => r.userId)).not.toContain("u2");
    const listed = await call(f.keys.marketer, "POST", `/v1/coupon-batches/${batchId}/sends`, { userIds: ["u2"] });
    expect(listed.body.results).toEqual([{ userId: "u2", couponId: null, refused: "FORBIDDEN" }]);
    const wallet = await call(f.keys.appU1, "GET", "/v1/users/u1/coupons");
    expect((wallet.body.coupons as { batchId: string; channel: string }[]).find((c) => c.batchId === batchId)?.channel).toBe("segment");
  });
});

describe("redemption with a basket", () => {
  it("answers the discount to apply, once; a retry replays it", async () => {
    const { code } = await couponOf(await batch());
    const first = await redeem(code, "till-key-0001");
    expect(first.status).toBe(201);
    expect(first.body.discount).toMatchObject({ discountMinor: 2000, currency: "HKD", eligibleMinor: 12000 });
    const retry = await redeem(code, "till-key-0001");
    expect(retry.status).toBe(200);
    expect(retry.body.redemptionId).toBe(first.body.redemptionId);
    expect(retry.body.discount).toMatchObject({ discountMinor: 2000 });
  });

  it("lets one of 50 concurrent redemptions of a coupon win", async () => {
    const { code } = await couponOf(await batch());
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => redeem(code, `race-key-${String(i).padStart(4, "0")}`)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.body.error?.code === "CODE_ALREADY_REDEEMED")).toHaveLength(49);
  });

  it("gives a basket that does not qualify the reason, and redeems nothing", async () => {
    const { code, couponId } = await couponOf(await batch());
    const low = await redeem(code, "unmet-key-0001", { basket: basket(5000) });
    expect(low.status).toBe(422);
    expect(low.body.error).toMatchObject({ code: "BASKET_NOT_ELIGIBLE", details: [{ path: "/basket" }] });
    expect(low.body.error?.details?.[0]?.message).toMatch(/^min-spend-not-reached/);
    const other = await redeem(code, "unmet-key-0002", { basket: basket(50000, "skincare") });
    expect(other.body.error?.details?.[0]?.message).toMatch(/^no-eligible-item/);
    const coupon = await call(f.keys.admin, "GET", `/v1/users/u1/coupons/${couponId}`);
    expect(coupon.body.coupon).toMatchObject({ status: "issued" });
  });

  it("refuses a basket that does not add up, or is negative or absurd, naming the field", async () => {
    const { code } = await couponOf(await batch());
    const cases: [unknown, string][] = [
      [{ ...basket(12000), totalMinor: 11999 }, "/basket/totalMinor"],
      [{ ...basket(12000), lines: [{ sku: "a", quantity: 1, unitPriceMinor: -1 }] }, "/basket/lines/0/unitPriceMinor"],
      [{ ...basket(12000), lines: [{ sku: "a", quantity: 10_000_000, unitPriceMinor: 1 }] }, "/basket/lines/0/quantity"],
    ];
    for (const [b, path] of cases) {
      const reply = await redeem(code, `bad-basket-${++seq}`, { basket: b });
      expect(reply.status).toBe(400);
      expect(reply.body.error?.details?.map((d) => d.path)).toContain(path);
    }
  });

  it("redeems an online order from the e-commerce backend", async () => {
    const { code } = await couponOf(await batch());
    const reply = await redeem(code, "online-key-0001", { storeId: "s1", channel: "online" }, f.keys.admin);
    expect(reply.status).toBe(201);
    expect(reply.body.discount).toMatchObject({ discountMinor: 2000 });
    const noBasket = await call(f.keys.admin, "POST", "/v1/redemptions", { code, storeId: "s1", channel: "online" }, { "idempotency-key": "online-key-0002" });
    expect(noBasket.status).toBe(400);
  });

  it("keeps redeeming a proximity offer without a basket as before", async () => {
    const { code } = await couponOf(await batch());
    const reply = await call(f.keys.pos, "POST", "/v1/redemptions", { code }, { "idempotency-key": "plain-key-0001" });
    expect(reply.status).toBe(201);
    expect(reply.body.discount).toBeUndefined();
  });
});

describe("voids", () => {
  it("voids within the window by the same store; the coupon is redeemed again once", async () => {
    const { code } = await couponOf(await batch());
    const first = await redeem(code, "void-key-0001");
    const redemptionId = first.body.redemptionId as string;
    const other = await call(f.keys.posOtherStore, "POST", `/v1/redemptions/${redemptionId}/void`, {});
    expect(other.status).toBe(409);
    expect(other.body.error?.code).toBe("WRONG_STORE");
    const voided = await call(f.keys.pos, "POST", `/v1/redemptions/${redemptionId}/void`, {});
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ replayed: false, offer: { status: "issued" } });
    const again = await Promise.all(["void-key-0002", "void-key-0003", "void-key-0004"].map((k) => redeem(code, k)));
    expect(again.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it("refuses a void after the window", async () => {
    const { code } = await couponOf(await batch());
    const first = await redeem(code, "late-key-0001");
    clock.advance(16 * MINUTE_MS);
    const late = await call(f.keys.pos, "POST", `/v1/redemptions/${first.body.redemptionId as string}/void`, {});
    clock.advance(-16 * MINUTE_MS);
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe("CONFLICT");
  });
});

describe("gifts", () => {
  async function gift(couponId: string): Promise<string> {
    const reply = await call(f.keys.appU1, "POST", `/v1/users/u1/coupons/${couponId}/gifts`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body.token as string;
  }

  it("moves the coupon to the friend with a new code; the old code is dead", async () => {
    const { couponId, code } = await couponOf(await batch());
    const token = await gift(couponId);
    const accepted = await call(f.keys.appU2, "POST", "/v1/gifts/accept", { token });
    expect(accepted.status).toBe(200);
    const coupon = accepted.body.coupon as { code: string; giftPasses: number };
    expect(coupon.code).not.toBe(code);
    expect(coupon.giftPasses).toBe(1);
    // The batch lets a coupon pass on once.
    const again = await call(f.keys.appU2, "POST", `/v1/users/u2/coupons/${couponId}/gifts`);
    expect(again.body.error?.code).toBe("LIMIT_REACHED");
    expect((await redeem(code, "gift-key-0001")).body.error?.code).toBe("NOT_FOUND");
    expect((await redeem(coupon.code, "gift-key-0002")).status).toBe(201);
  });

  it("lets exactly one of a gift accept and a redemption racing win", async () => {
    for (let round = 0; round < 5; round++) {
      const { couponId, code } = await couponOf(await batch());
      const token = await gift(couponId);
      const [accept, redemption] = await Promise.all([
        call(f.keys.appU2, "POST", "/v1/gifts/accept", { token }),
        redeem(code, `gift-race-${round}-0001`),
      ]);
      expect([accept.status === 200, redemption.status === 201].filter(Boolean)).toHaveLength(1);
    }
  });

  it("refuses a friend who already got the batch's per-member limit, and leaves the coupon with its giver", async () => {
    const batchId = await batch({ perMemberLimit: 1 });
    await couponOf(batchId, "u2");
    const { couponId, code } = await couponOf(batchId);
    const token = await gift(couponId);
    const refused = await call(f.keys.appU2, "POST", "/v1/gifts/accept", { token });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("LIMIT_REACHED");
    expect(refused.body.error?.message).toContain("the coupon stays with its giver");
    // Still the giver's, by its first code.
    expect((await redeem(code, "limit-gift-0001")).status).toBe(201);
  });

  it("lists a batch's gifts to its marketers in their state now, naming only members who consent to analytics, never a token", async () => {
    const batchId = await batch({ perMemberLimit: 5, giftTimeoutHours: 1 });
    const giver = await newUser();
    const friend = await newUser();
    const member = async (id: string, analyticsConsent: boolean) =>
      f.cloud.repositories.users.upsertUser({ id, orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent }, clock.now());
    await member(friend, false);
    const appKey = async (userId: string) => (await f.cloud.credentials.issueApiKey({ role: "app", orgId: "o1", userId, label: "test app" }, "test")).key;
    const [giverKey, friendKey] = [await appKey(giver), await appKey(friend)];
    const tokens: string[] = [];
    const offer = async () => {
      clock.advance(MINUTE_MS);
      const { couponId } = await couponOf(batchId, giver);
      const reply = await call(giverKey, "POST", `/v1/users/${giver}/coupons/${couponId}/gifts`);
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      tokens.push(reply.body.token as string);
      const gift = reply.body.gift as { giftId: string; createdAt: string; expiresAt: string };
      return { ...gift, couponId, token: reply.body.token as string };
    };
    const a = await offer();
    expect((await call(friendKey, "POST", "/v1/gifts/accept", { token: a.token })).status).toBe(200);
    const b = await offer();
    expect((await call(f.keys.appU2, "POST", "/v1/gifts/decline", { token: b.token })).status).toBe(200);
    const c = await offer();
    // c goes unanswered past its hour; d is made after.
    clock.advance(61 * MINUTE_MS);
    const d = await offer();
    const row = (g: typeof a, rest: { state: string; resolvedAt: string | null; fromUserId: string | null; toUserId: string | null }) => ({
      giftId: g.giftId,
      couponId: g.couponId,
      createdAt: g.createdAt,
      expiresAt: g.expiresAt,
      ...rest,
    });
    const url = `/v1/coupon-batches/${batchId}/gifts`;
    const listed = await call(f.keys.marketer, "GET", url);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body).toEqual({
      gifts: [
        row(d, { state: "pending", resolvedAt: null, fromUserId: giver, toUserId: null }),
        row(c, { state: "timed-out", resolvedAt: c.expiresAt, fromUserId: giver, toUserId: null }),
        row(b, { state: "declined", resolvedAt: expect.any(String) as string, fromUserId: giver, toUserId: "u2" }),
        // The friend does not consent to analytics: the gift is listed, not who took it.
        row(a, { state: "accepted", resolvedAt: expect.any(String) as string, fromUserId: giver, toUserId: null }),
      ],
      nextCursor: null,
    });
    // The gift link is a bearer secret: no token, nor its hash, in the answer.
    expect(Object.keys((listed.body.gifts as object[])[0] ?? {}).sort()).toEqual(["couponId", "createdAt", "expiresAt", "fromUserId", "giftId", "resolvedAt", "state", "toUserId"]);
    const text = JSON.stringify(listed.body);
    for (const token of tokens) expect(text).not.toContain(token);

    const ids = async (query: string) => ((await call(f.keys.admin, "GET", `${url}?${query}`)).body.gifts as { giftId: string }[]).map((g) => g.giftId);
    expect(await ids("state=timed-out")).toEqual([c.giftId]);
    expect(await ids("state=pending")).toEqual([d.giftId]);
    expect(await ids("state=accepted,declined")).toEqual([b.giftId, a.giftId]);
    const bad = await call(f.keys.marketer, "GET", `${url}?state=lost`);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details?.map((p) => p.path)).toEqual(["/state"]);

    // Pages of two, each after the cursor of the one before.
    const first = await call(f.keys.marketer, "GET", `${url}?limit=2`);
    expect((first.body.gifts as { giftId: string }[]).map((g) => g.giftId)).toEqual([d.giftId, c.giftId]);
    const second = await call(f.keys.marketer, "GET", `${url}?limit=2&cursor=${first.body.nextCursor as string}`);
    expect((second.body.gifts as { giftId: string }[]).map((g) => g.giftId)).toEqual([b.giftId, a.giftId]);
    const third = await call(f.keys.marketer, "GET", `${url}?limit=2&cursor=${second.body.nextCursor as string}`);
    expect(third.body).toEqual({ gifts: [], nextCursor: null });
    expect((await call(f.keys.marketer, "GET", `${url}?cursor=not-ours`)).body.error?.details?.map((p) => p.path)).toEqual(["/cursor"]);

    // The batch counts them by their state now.
    expect((await call(f.keys.marketer, "GET", `/v1/coupon-batches/${batchId}`)).body.gifts).toEqual({ made: 4, pending: 1, accepted: 1, declined: 1, timedOut: 1 });
    // A giver who withdraws analytics consent is no longer named on any of their gifts.
    await member(giver, false);
    expect(((await call(f.keys.marketer, "GET", url)).body.gifts as { fromUserId: string | null }[]).map((g) => g.fromUserId)).toEqual([null, null, null, null]);
    // Members' apps give and take gifts; they do not list a batch's.
    expect((await call(giverKey, "GET", url)).status).toBe(403);
    expect((await call(f.keys.storeOps, "GET", url)).status).toBe(403);
  });

  it("leaves a declined gift's coupon with its owner", async () => {
    const { couponId, code } = await couponOf(await batch());
    const token = await gift(couponId);
    expect((await call(f.keys.appU2, "POST", "/v1/gifts/decline", { token })).status).toBe(200);
    expect((await call(f.keys.appU2, "POST", "/v1/gifts/accept", { token })).status).toBe(409);
    expect((await redeem(code, "declined-key-0001")).status).toBe(201);
  });
});

describe("analytics", () => {
  it("reports revenue and discount cost of redeeming baskets per batch, and exports CSV", async () => {
    const batchId = await batch();
    const { code } = await couponOf(batchId);
    await redeem(code, "stats-key-0001", { basket: basket(15000) });
    const from = new Date(clock.now() - 86_400_000).toISOString();
    const to = new Date(clock.now() + 86_400_000).toISOString();
    const stats = await call(f.keys.marketer, "GET", `/v1/coupon-analytics?from=${from}&to=${to}`);
    expect(stats.status).toBe(200);
    const rows = (stats.body.rows as { batchId: string; claimed: number; redeemed: number; revenueMinor: number; discountMinor: number; averageBasketMinor: number }[]).filter(
      (r) => r.batchId === batchId,
    );
    expect(rows).toEqual([expect.objectContaining({ claimed: 1, redeemed: 1, revenueMinor: 15000, discountMinor: 2000, averageBasketMinor: 15000 })]);
    const csv = await f.cloud.http.inject({
      method: "GET",
      url: `/v1/coupon-analytics/export?from=${from}&to=${to}`,
      headers: { authorization: `Bearer ${f.keys.admin}` },
    });
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split("\n");
    expect(lines[0]).toMatch(/^batchId,channel,storeId,day,claimed,/);
    expect(lines.some((l) => l.startsWith(`${batchId},online,s1,`) && l.includes(",15000,2000,1,15000"))).toBe(true);
  });
});

describe("points exchange", () => {
  const exchange = (userId: string, batchId: string, key: string, apiKey = f.keys.appU1) =>
    call(apiKey, "POST", `/v1/users/${userId}/points/exchanges`, { batchId }, { "idempotency-key": key });
  const earn = async (userId: string, points: number) => {
    const reply = await call(f.keys.admin, "POST", `/v1/users/${userId}/points/adjustments`, { points, reason: "welcome" }, { "idempotency-key": `earn-key-${++seq}` });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  };
  const balanceOf = async (userId: string) => (await call(f.keys.admin, "GET", `/v1/users/${userId}/points`)).body.balance;

  it("requires a points price on a batch issued for points, and only there", async () => {
    const missing = await call(f.keys.admin, "POST", "/v1/coupon-batches", { batchId: `batch-${++seq}`, spec: { ...BATCH, channels: ["points"] } });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.details).toContainEqual(expect.objectContaining({ path: "/spec/pointsPrice" }));
    const stray = await call(f.keys.admin, "POST", "/v1/coupon-batches", { batchId: `batch-${++seq}`, spec: { ...BATCH, pointsPrice: 10 } });
    expect(stray.status).toBe(400);
    expect(stray.body.error?.details).toContainEqual(expect.objectContaining({ path: "/spec/pointsPrice" }));
  });

  it("spends the points and issues a coupon of channel points; a retry answers the same coupon", async () => {
    const batchId = await batch({ channels: ["points"], pointsPrice: 300 });
    await earn("u1", 500);
    const before = (await balanceOf("u1")) as number;
    const first = await exchange("u1", batchId, "exchange-key-1");
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ pointsSpent: 300, balance: before - 300, coupon: { channel: "points", batchId } });
    const again = await exchange("u1", batchId, "exchange-key-1");
    expect(again.status).toBe(200);
    expect((again.body.coupon as { couponId: string }).couponId).toBe((first.body.coupon as { couponId: string }).couponId);
    expect(await balanceOf("u1")).toBe(before - 300);
    const history = await call(f.keys.admin, "GET", "/v1/users/u1/points/history?limit=1");
    expect((history.body.entries as unknown[])[0]).toMatchObject({ kind: "spend", source: "points-exchange", points: -300 });
  });

  it("refuses with a clear code and spends nothing when points, stock or the batch fall short", async () => {
    const userId = await newUser();
    const batchId = await batch({ channels: ["points"], pointsPrice: 100, totalStock: 1 });
    const poor = await exchange(userId, batchId, "exchange-poor", f.keys.admin);
    expect(poor.status).toBe(409);
    expect(poor.body.error?.code).toBe("INSUFFICIENT_POINTS");
    await earn(userId, 250);
    expect((await exchange(userId, batchId, "exchange-ok-1", f.keys.admin)).status).toBe(201);
    const out = await exchange(userId, batchId, "exchange-out", f.keys.admin);
    expect(out.status).toBe(409);
    expect(out.body.error?.code).toBe("OUT_OF_STOCK");
    const online = await batch();
    const notForPoints = await exchange(userId, online, "exchange-online", f.keys.admin);
    expect(notForPoints.status).toBe(403);
    const ended = await batch({
      channels: ["points"],
      pointsPrice: 100,
      validity: { kind: "from-claim", hours: 24, claimUntil: new Date(clock.now() - MINUTE_MS).toISOString() },
    });
    const late = await exchange(userId, ended, "exchange-late", f.keys.admin);
    expect(late.status).toBe(409);
    expect(late.body.error?.message).toMatch(/ended/);
    expect(await balanceOf(userId)).toBe(150);
  });

  it("lets a member's app exchange for itself only, an admin for a member, a marketer never", async () => {
    const batchId = await batch({ channels: ["points"], pointsPrice: 1, perMemberLimit: 10 });
    await earn("u2", 10);
    expect((await exchange("u2", batchId, "exchange-other-app")).status).toBe(403);
    expect((await exchange("u2", batchId, "exchange-marketer", f.keys.marketer)).status).toBe(403);
    expect((await exchange("u2", batchId, "exchange-app-u2", f.keys.appU2)).status).toBe(201);
  });

  it("lets exactly one of two exchanges racing for the last points win", async () => {
    const userId = await newUser();
    const batchId = await batch({ channels: ["points"], pointsPrice: 100, perMemberLimit: 5 });
    await earn(userId, 100);
    const replies = await Promise.all([exchange(userId, batchId, "exchange-race-a", f.keys.admin), exchange(userId, batchId, "exchange-race-b", f.keys.admin)]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await balanceOf(userId)).toBe(0);
  });
});
