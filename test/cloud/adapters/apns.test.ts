import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApnsSender } from "../../../cloud/src/adapters/push/ApnsSender.js";
import type { PushRegistration } from "../../../cloud/src/services/repositories.js";
import { FakeApns } from "../../support/FakeApns.js";
import { p256Pem } from "../../support/pushConfig.js";

describe("APNs sender against a local HTTP/2 APNs", () => {
  const signingKeyPem = p256Pem();
  const expected = { teamId: "TEAM123456", keyId: "KEY1234567", topic: "com.example.arrival", signingKeyPem };
  const apns = new FakeApns(expected);
  const production = new FakeApns(expected);
  let sender: ApnsSender;
  const message = { offerId: "offer-1", title: "10% off", ttlS: 600, collapseKey: "offer-1" };
  const device = (token: string, environment: "production" | "development" = "development"): PushRegistration => ({
    userId: "u1",
    installationId: "i1",
    orgId: "o1",
    provider: "apns",
    token,
    keys: null,
    environment,
    createdAt: 0,
    updatedAt: 0,
  });

  beforeAll(async () => {
    await apns.start();
    await production.start();
    sender = new ApnsSender({ ...expected, developmentUrl: apns.url, productionUrl: production.url, now: () => Date.now() });
  });
  afterAll(async () => {
    await sender.close();
    await apns.stop();
    await production.stop();
  });

  it("sends an alert with the offer's id and title, the headers APNs requires and a valid provider token", async () => {
    const token = "a1".repeat(32);
    apns.devices.add(token);
    expect(await sender.send(device(token), message)).toEqual({ outcome: "sent" });
    expect(await sender.send(device(token), { ...message, offerId: "offer-2", collapseKey: "offer-2" })).toEqual({ outcome: "sent" });
    expect(apns.errors).toEqual([]);
    expect(apns.received.map((r) => r.body)).toEqual([
      { aps: { alert: { title: "10% off" }, sound: "default", "mutable-content": 1 }, offerId: "offer-1" },
      { aps: { alert: { title: "10% off" }, sound: "default", "mutable-content": 1 }, offerId: "offer-2" },
    ]);
    expect(apns.received[0]?.headers["apns-collapse-id"]).toBe("offer-1");
    expect(apns.received[0]?.headers["apns-priority"]).toBe("10");
    // One HTTP/2 connection carries both.
    expect(apns.sessions).toBe(1);
  });

  it("sends a production token to the production host", async () => {
    const token = "b2".repeat(32);
    production.devices.add(token);
    expect(await sender.send(device(token, "production"), message)).toEqual({ outcome: "sent" });
    expect(production.received).toHaveLength(1);
  });

  it("reads 410 Unregistered and 400 BadDeviceToken as gone", async () => {
    const token = "c3".repeat(32);
    apns.unregistered.add(token);
    expect(await sender.send(device(token), message)).toEqual({ outcome: "gone", reason: "HTTP 410 Unregistered" });
    expect(await sender.send(device("d4".repeat(32)), message)).toEqual({ outcome: "gone", reason: "HTTP 400 BadDeviceToken" });
  });

  it("retries 429 and 503 (after Retry-After), renews an expired provider token, gives up on the rest", async () => {
    const token = "e5".repeat(32);
    apns.devices.add(token);
    apns.script.push(
      { status: 429, reason: "TooManyRequests", headers: { "retry-after": "7" } },
      { status: 503, reason: "ServiceUnavailable" },
      { status: 403, reason: "ExpiredProviderToken" },
      { status: 400, reason: "PayloadTooLarge" },
    );
    expect(await sender.send(device(token), message)).toEqual({ outcome: "retry", reason: "HTTP 429 TooManyRequests", retryAfterMs: 7000 });
    expect(await sender.send(device(token), message)).toEqual({ outcome: "retry", reason: "HTTP 503 ServiceUnavailable" });
    expect(await sender.send(device(token), message)).toEqual({ outcome: "retry", reason: "HTTP 403 ExpiredProviderToken" });
    expect(await sender.send(device(token), message)).toEqual({ outcome: "rejected", reason: "HTTP 400 PayloadTooLarge" });
  });

  it("is refused with a token signed by another key", async () => {
    const other = new ApnsSender({ ...expected, signingKeyPem: p256Pem(), developmentUrl: apns.url, productionUrl: production.url, now: () => Date.now() });
    const token = "f6".repeat(32);
    apns.devices.add(token);
    expect(await other.send(device(token), message)).toEqual({ outcome: "rejected", reason: "HTTP 403 InvalidProviderToken" });
    expect(apns.errors.at(-1)).toBe("signature does not verify");
    await other.close();
  });

  it("retries when APNs cannot be reached", async () => {
    const unreachable = new ApnsSender({ ...expected, developmentUrl: "http://127.0.0.1:9", productionUrl: "http://127.0.0.1:9", now: () => Date.now() });
    expect((await unreachable.send(device("a1".repeat(32)), message)).outcome).toBe("retry");
    await unreachable.close();
  });
});
