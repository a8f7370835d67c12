import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FcmSender } from "../../../cloud/src/adapters/push/FcmSender.js";
import type { PushRegistration } from "../../../cloud/src/services/repositories.js";
import { FakeFcm } from "../../support/FakeFcm.js";

describe("FCM HTTP v1 sender against a local token endpoint and FCM", () => {
  const fcm = new FakeFcm();
  let sender: FcmSender;
  const message = { offerId: "offer-1", title: "10% off", ttlS: 600, collapseKey: "offer-1" };
  const device = (token: string): PushRegistration => ({
    userId: "u1",
    installationId: "i1",
    orgId: "o1",
    provider: "fcm",
    token,
    keys: null,
    environment: null,
    createdAt: 0,
    updatedAt: 0,
  });
  const TOKEN = "fcm-token-0123456789-abcdefghij:APA91b";

  beforeAll(async () => {
    await fcm.start();
    sender = new FcmSender({ serviceAccountJson: fcm.serviceAccountJson(), url: fcm.url, now: () => Date.now() });
    fcm.devices.add(TOKEN);
  });
  afterAll(() => fcm.stop());

  it("exchanges a signed JWT for an access token once, and sends the documented message", async () => {
    expect(await sender.send(device(TOKEN), message)).toEqual({ outcome: "sent" });
    expect(await sender.send(device(TOKEN), { ...message, offerId: "offer-2" })).toEqual({ outcome: "sent" });
    expect(fcm.errors).toEqual([]);
    expect(fcm.tokenExchanges).toBe(1);
    expect(fcm.received[0]?.message).toEqual({
      token: TOKEN,
      notification: { title: "10% off" },
      data: { offerId: "offer-1" },
      android: { priority: "high", ttl: "600s", collapse_key: "offer-1" },
    });
  });

  it("reads UNREGISTERED and an INVALID_ARGUMENT about the token as gone", async () => {
    expect(await sender.send(device("unknown-token-0123456789-xyz"), message)).toEqual({ outcome: "gone", reason: "HTTP 404 UNREGISTERED" });
    expect(await sender.send(device("bad token!"), message)).toEqual({ outcome: "gone", reason: "HTTP 400 INVALID_ARGUMENT" });
  });

  it("retries quota and availability errors after Retry-After, renews a refused access token", async () => {
    fcm.script.push({ status: 429, errorCode: "QUOTA_EXCEEDED", status_: "RESOURCE_EXHAUSTED", headers: { "retry-after": "30" } });
    fcm.script.push({ status: 503, errorCode: "UNAVAILABLE" });
    expect(await sender.send(device(TOKEN), message)).toEqual({ outcome: "retry", reason: "HTTP 429 QUOTA_EXCEEDED", retryAfterMs: 30_000 });
    expect(await sender.send(device(TOKEN), message)).toEqual({ outcome: "retry", reason: "HTTP 503 UNAVAILABLE" });
    fcm.revokeAccessTokens();
    expect(await sender.send(device(TOKEN), message)).toEqual({ outcome: "retry", reason: "HTTP 401 UNAUTHENTICATED" });
    expect(await sender.send(device(TOKEN), message)).toEqual({ outcome: "sent" });
    expect(fcm.tokenExchanges).toBe(2);
  });

  it("gives up on a message FCM refuses for itself, and cannot get a token with another key", async () => {
    fcm.script.push({ status: 403, errorCode: "THIRD_PARTY_AUTH_ERROR", status_: "PERMISSION_DENIED" });
    expect(await sender.send(device(TOKEN), message)).toEqual({ outcome: "rejected", reason: "HTTP 403 THIRD_PARTY_AUTH_ERROR" });
    const wrongKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const impostor = new FcmSender({ serviceAccountJson: fcm.serviceAccountJson(wrongKey), url: fcm.url, now: () => Date.now() });
    const result = await impostor.send(device(TOKEN), message);
    expect(result.outcome).toBe("retry");
    expect(fcm.errors.at(-1)).toBe("assertion signature does not verify");
  });
});
