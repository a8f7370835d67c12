import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrivalClient, encodeAppToken, readPushPayload } from "../../sdk/src/index.js";
import { subscriptionKeys, webPushConfig } from "../support/pushConfig.js";
import { createSdkCloudFixture, type SdkCloudFixture } from "./sdkCloudFixture.js";

/** Push registration from the client library against a real cloud with Web Push configured. */
describe("ArrivalClient push against the cloud", () => {
  let sdk: SdkCloudFixture;
  let u1: ArrivalClient;

  beforeAll(async () => {
    sdk = await createSdkCloudFixture({ push: await webPushConfig() });
    u1 = new ArrivalClient({ token: encodeAppToken(await sdk.appToken("u1", sdk.f.keys.appU1)) });
  });
  afterAll(async () => {
    await sdk?.close();
  });

  it("gets the VAPID key, registers a subscription per installation, replaces it, and unregisters", async () => {
    expect(await u1.webPushKey()).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    const subscription = { endpoint: "https://push.example.com/send/abc", keys: subscriptionKeys() };
    const first = await u1.registerPush("phone-1", { provider: "webpush", subscription });
    expect(first).toMatchObject({ installationId: "phone-1", provider: "webpush", environment: null });
    const again = await u1.registerPush("phone-1", { provider: "webpush", subscription: { ...subscription, endpoint: "https://push.example.com/send/def" } });
    expect(again.createdAt).toBe(first.createdAt);
    expect((await u1.listPushRegistrations()).map((r) => r.installationId)).toEqual(["phone-1"]);
    // APNs is not configured on this cloud: refused with the field at fault.
    await expect(u1.registerPush("phone-2", { provider: "apns", deviceToken: "ab".repeat(32) })).rejects.toMatchObject({
      code: "HTTP_ERROR",
      status: 400,
    });
    expect(await u1.unregisterPush("phone-1")).toBe(true);
    expect(await u1.unregisterPush("phone-1")).toBe(false);
    expect(await u1.listPushRegistrations()).toEqual([]);
  });

  it("reads the payload of each platform, and nothing else", () => {
    expect(readPushPayload('{"offerId":"o-1","title":"10% off"}')).toEqual({ offerId: "o-1", title: "10% off" });
    expect(readPushPayload({ aps: { alert: { title: "10% off" } }, offerId: "o-1" })).toEqual({ offerId: "o-1", title: "10% off" });
    expect(readPushPayload({ offerId: "o-1" })).toEqual({ offerId: "o-1", title: null });
    expect(readPushPayload("not json")).toBeNull();
    expect(readPushPayload({ offerId: "../../etc" })).toBeNull();
    expect(readPushPayload(null)).toBeNull();
  });
});
