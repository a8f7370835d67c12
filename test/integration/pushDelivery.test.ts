import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { FakeWebPushService } from "../support/FakeWebPushService.js";
import { MAX_INSTALLATIONS } from "../../cloud/src/services/push/PushService.js";
import { subscriptionKeys, webPushConfig } from "../support/pushConfig.js";

/**
 * An offer reaches a backgrounded browser: the app registers its Web Push subscription through the
 * API, a gateway reports the shopper's arrival, and the local push service receives a push whose
 * payload decrypts to the offer's id and title, signed with the cloud's VAPID key.
 */
describe("push delivery end to end", () => {
  let f: CloudFixture;
  let service: FakeWebPushService;

  const api = async (key: string, method: "GET" | "PUT" | "POST" | "DELETE", url: string, payload?: unknown) => {
    const res = await f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };

  beforeAll(async () => {
    f = await createCloudFixture({ push: await webPushConfig({ allowPrivateEndpoints: true, frequencyCapMinutes: 0 }) });
    const key = await api(f.keys.appU1, "GET", "/v1/push/web-push-key");
    expect(key.status).toBe(200);
    service = new FakeWebPushService(key.body.publicKey as string);
    await service.start();
  });
  afterAll(async () => {
    await f.close();
    await service.stop();
  });

  it("pushes an issued offer to the member's subscription, with only its id and title", async () => {
    const sub = service.subscribe();
    const registered = await api(f.keys.appU1, "PUT", "/v1/users/u1/push-registrations/browser-1", {
      provider: "webpush",
      token: sub.endpoint,
      keys: sub.keys,
    });
    expect(registered.status).toBe(201);
    expect(registered.body).not.toHaveProperty("token");

    await f.ingest([presenceEvent(1)]);
    await f.cloud.offers.idle();
    await f.cloud.push.drain();

    expect(service.errors).toEqual([]);
    expect(service.received).toHaveLength(1);
    const offerRow = await f.cloud.repositories.db.get<{ id: string; title: string }>("SELECT id, title FROM offers WHERE user_id = 'u1'");
    expect(service.received[0]?.payload).toEqual({ offerId: offerRow?.id, title: offerRow?.title });

    // The app then pulls its offers: receipts by push, MQTT and pull all count.
    expect((await api(f.keys.appU1, "GET", "/v1/users/u1/offers")).status).toBe(200);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const deliveries = await api(f.keys.marketer, "GET", `/v1/analytics/deliveries?from=${from}&to=${to}`);
    expect(deliveries.body.delivered).toEqual({ push: 1, mqtt: 1, pull: 1 });
    const metrics = await f.cloud.http.inject({ url: "/metrics", headers: { authorization: `Bearer ${f.keys.admin}` } });
    expect(metrics.body).toMatch(/^arrival_push_notifications_total\{outcome="sent"\} 1$/m);
    expect(metrics.body).toMatch(/^arrival_push_notifications_total\{outcome="queued"\} 1$/m);
  });

  it("refuses a registration the cloud could not use, saying which field", async () => {
    const res = await api(f.keys.appU1, "PUT", "/v1/users/u1/push-registrations/browser-2", {
      provider: "apns",
      token: "ab".repeat(32),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: "VALIDATION_FAILED", details: [{ path: "/provider" }] } });
    const noKeys = await api(f.keys.appU1, "PUT", "/v1/users/u1/push-registrations/browser-2", {
      provider: "webpush",
      token: "https://push.example.com/x",
    });
    expect(noKeys.status).toBe(400);
    expect(JSON.stringify(noKeys.body)).toContain("/keys");
  });

  it("holds a member to a bounded number of installations", async () => {
    const register = (installationId: string) =>
      api(f.keys.appU2, "PUT", `/v1/users/u2/push-registrations/${installationId}`, {
        provider: "webpush",
        token: `https://push.example.com/send/${installationId}`,
        keys: subscriptionKeys(),
      });
    for (let i = 0; i < MAX_INSTALLATIONS; i++) expect((await register(`tab-${i}`)).status).toBe(201);
    const over = await register("one-too-many");
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ error: { code: "CONFLICT" } });
    // Replacing one it holds is still allowed.
    expect((await register("tab-0")).status).toBe(200);
  });

  it("keeps a pending push across a restart and sends it after", async () => {
    const sub = service.subscribe();
    await api(f.keys.appU1, "PUT", "/v1/users/u1/push-registrations/browser-3", { provider: "webpush", token: sub.endpoint, keys: sub.keys });
    // The push service is down for this one: the attempt is retried later.
    service.script(sub.id, { status: 503, headers: { "retry-after": "1" } });
    const before = service.received.length;
    await f.cloud.push.offersIssued([
      {
        offerId: "restart-offer",
        ruleId: "r1",
        ruleVersion: 1,
        userId: "u1",
        storeId: "s1",
        zoneId: "z1",
        visitId: "v",
        eventId: "e",
        title: "Still here",
        text: "t",
        discount: { kind: "percent", percent: 5 },
        issuedAt: Date.now(),
        expiresAt: Date.now() + 600_000,
        code: "ABCD-EFGH",
        status: "issued",
        statusAt: Date.now(),
      },
    ]);
    await f.cloud.push.drain();
    expect(service.received.filter((p) => p.subscriptionId === sub.id)).toHaveLength(0);
    await f.restart();
    const row = await f.cloud.repositories.db.get<{ id: string; next_attempt_at: number }>(
      "SELECT id, next_attempt_at FROM push_outbox WHERE offer_id = 'restart-offer' AND installation_id = 'browser-3'",
    );
    expect(row).toBeDefined();
    // Due once its Retry-After has passed; make it due now rather than wait.
    await f.cloud.repositories.delivery.reschedulePush(row?.id ?? "", { attempts: 1, nextAttemptAt: Date.now(), error: null }, Date.now());
    await f.cloud.push.drain();
    expect(service.received.slice(before).filter((p) => p.subscriptionId === sub.id).map((p) => p.payload)).toEqual([
      { offerId: "restart-offer", title: "Still here" },
    ]);
  });
});
