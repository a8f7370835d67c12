import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrivalClient, encodeAppToken } from "../../sdk/src/index.js";
import { createSdkCloudFixture, type SdkCloudFixture } from "./sdkCloudFixture.js";

/**
 * Points from the client library against a real cloud (HTTP API, SQLite): the member code the app
 * shows is what the till earns with, and balance and history show the earning.
 */
describe("ArrivalClient points against the cloud", () => {
  let sdk: SdkCloudFixture;
  let u1: ArrivalClient;

  beforeAll(async () => {
    sdk = await createSdkCloudFixture();
    u1 = new ArrivalClient({ token: encodeAppToken(await sdk.appToken("u1", sdk.f.keys.appU1)) });
    const program = {
      currency: "HKD",
      pointsValidityDays: 30,
      transfersAllowed: false,
      earnRules: [{ id: "base", points: 1, perAmountMinor: 100 }],
      visit: null,
      memberDays: [],
      tiers: [],
      tierWindowDays: 365,
    };
    const put = await sdk.f.cloud.http.inject({ method: "PUT", url: "/v1/loyalty/program", headers: { authorization: `Bearer ${sdk.f.keys.admin}` }, payload: program });
    expect(put.statusCode).toBe(200);
  });

  afterAll(async () => {
    await sdk?.close();
  });

  it("shows a member code the till earns with, then the balance and the history", async () => {
    expect(await u1.pointsBalance()).toEqual({ balance: 0, owed: 0, nextExpiry: null, tier: null });
    const code = await u1.memberCode();
    expect(code.qr).toBe(`arrival:member:v1:${code.code}`);
    expect(Date.parse(code.expiresAt)).toBeGreaterThan(Date.now());

    for (const [orderId, priceMinor] of [["sdk-1", 12_345], ["sdk-2", 500]] as const) {
      const res = await sdk.f.cloud.http.inject({
        method: "POST",
        url: "/v1/purchases",
        headers: { authorization: `Bearer ${sdk.f.keys.pos}` },
        payload: { memberCode: code.qr, orderId, currency: "HKD", totalMinor: priceMinor, lines: [{ sku: "a", quantity: 1, unitPriceMinor: priceMinor }] },
      });
      expect(res.statusCode).toBe(201);
    }
    const balance = await u1.pointsBalance();
    expect(balance).toMatchObject({ balance: 128, owed: 0, nextExpiry: { points: 123 } });
    const history = await u1.pointsHistory({ limit: 1 });
    expect(history.map((e) => [e.kind, e.source, e.points, e.reference])).toEqual([["earn", "till-purchase", 5, "s1:sdk-2"]]);
    const older = await u1.pointsHistory({ beforeSeq: history[0]?.seq ?? 0 });
    expect(older.map((e) => e.points)).toEqual([123]);
  });

  it("exchanges points for a coupon once per key, and refuses with the API code when points run short", async () => {
    const admin = { authorization: `Bearer ${sdk.f.keys.admin}` };
    const batch = await sdk.f.cloud.http.inject({
      method: "POST",
      url: "/v1/coupon-batches",
      headers: admin,
      payload: {
        batchId: "points-latte",
        spec: {
          title: "Latte for points",
          text: "",
          discount: { kind: "percent", percent: 100 },
          validity: { kind: "from-claim", hours: 24 },
          timezone: "UTC",
          storeIds: ["s1"],
          channels: ["points"],
          pointsPrice: 50,
          perMemberLimit: 10,
        },
      },
    });
    expect(batch.statusCode, batch.body).toBe(201);
    const before = (await u1.pointsBalance()).balance;
    expect(before).toBeGreaterThanOrEqual(100);
    const first = await u1.exchangePoints("points-latte");
    expect(first).toMatchObject({ pointsSpent: 50, balance: before - 50, coupon: { batchId: "points-latte", channel: "points" } });
    const retry = await u1.exchangePoints("points-latte", { idempotencyKey: first.idempotencyKey });
    expect(retry.coupon.couponId).toBe(first.coupon.couponId);
    expect((await u1.pointsBalance()).balance).toBe(before - 50);
    let left = before - 50;
    while (left >= 50) {
      await u1.exchangePoints("points-latte");
      left -= 50;
    }
    await expect(u1.exchangePoints("points-latte")).rejects.toMatchObject({ code: "HTTP_ERROR", status: 409, apiCode: "INSUFFICIENT_POINTS" });
    expect((await u1.pointsBalance()).balance).toBe(left);
  });

  it("reports another user's points as refused, with the API code", async () => {
    const u2 = new ArrivalClient({ token: encodeAppToken(await sdk.appToken("u1", sdk.f.keys.appU2)) });
    await expect(u2.pointsBalance()).rejects.toMatchObject({ code: "HTTP_ERROR", status: 403, apiCode: "FORBIDDEN" });
  });
});
