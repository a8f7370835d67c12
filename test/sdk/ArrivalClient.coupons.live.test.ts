import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrivalClient, ArrivalClientError, encodeAppToken } from "../../sdk/src/index.js";
import { createSdkCloudFixture, type SdkCloudFixture } from "./sdkCloudFixture.js";

/** The coupon wallet from the client library against a real cloud: claim, wallet, gift, accept. */
describe("ArrivalClient coupons against the cloud", () => {
  let sdk: SdkCloudFixture;
  let u1: ArrivalClient;
  let u2: ArrivalClient;

  beforeAll(async () => {
    sdk = await createSdkCloudFixture();
    u1 = new ArrivalClient({ token: encodeAppToken(await sdk.appToken("u1", sdk.f.keys.appU1)) });
    u2 = new ArrivalClient({ token: encodeAppToken(await sdk.appToken("u2", sdk.f.keys.appU2)) });
    const spec = {
      title: "Free latte",
      text: "With any pastry",
      discount: { kind: "free-item", item: "Latte", sku: "latte" },
      validity: { kind: "from-claim", hours: 2 },
      timezone: "Asia/Hong_Kong",
      totalStock: 1,
      storeIds: ["s1"],
      channels: ["online"],
      giftable: true,
    };
    const created = await sdk.f.cloud.http.inject({
      method: "POST",
      url: "/v1/coupon-batches",
      headers: { authorization: `Bearer ${sdk.f.keys.marketer}` },
      payload: { batchId: "latte", spec },
    });
    expect(created.statusCode).toBe(201);
  });

  afterAll(async () => {
    await sdk?.close();
  });

  it("claims a coupon into the wallet, gifts it, and the friend accepts it with a new code", async () => {
    const coupon = await u1.claimCoupon("latte", { channelTag: "ig-post-12" });
    expect(coupon).toMatchObject({ batchId: "latte", channel: "online", title: "Free latte", status: "issued", storeIds: ["s1"] });
    expect((await u1.wallet()).map((c) => c.couponId)).toContain(coupon.couponId);

    const second = await u2.claimCoupon("latte").catch((err: unknown) => err);
    expect(second).toBeInstanceOf(ArrivalClientError);
    expect((second as ArrivalClientError).status).toBe(409);

    const { token } = await u1.giftCoupon(coupon.couponId);
    const received = await u2.acceptGift(token);
    expect(received.couponId).toBe(coupon.couponId);
    expect(received.code).not.toBe(coupon.code);
    expect((await u1.wallet()).map((c) => c.couponId)).not.toContain(coupon.couponId);
    expect((await u2.wallet()).map((c) => c.couponId)).toContain(coupon.couponId);
    await expect(u2.declineGift(token)).rejects.toBeInstanceOf(ArrivalClientError);
  });
});
