import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptWebPush, vapidKeysFromPem } from "../../../cloud/src/adapters/push/webPushCrypto.js";
import { WebPushEncryptionPool } from "../../../cloud/src/adapters/push/WebPushEncryptionPool.js";
import { WebPushSender } from "../../../cloud/src/adapters/push/WebPushSender.js";
import type { PushRegistration } from "../../../cloud/src/services/repositories.js";
import { FakeWebPushService } from "../../support/FakeWebPushService.js";
import { p256Pem } from "../../support/pushConfig.js";

const b64 = (s: string) => Buffer.from(s, "base64url");

describe("Web Push message encryption", () => {
  it("reproduces the example of RFC 8291 §5 from the inputs of its Appendix A", () => {
    const body = encryptWebPush(
      Buffer.from("When I grow up, I want to be a watermelon"),
      {
        p256dh: b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
        auth: b64("BTBZMqHH6r4Tts7J_aSIgg"),
      },
      { privateKey: b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"), salt: b64("DGv6ra1nlYgDCS1FRnbzlw") },
    );
    expect(body.toString("base64url")).toBe(
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
    );
  });
});

describe("Web Push encryption threads", () => {
  const rfc = {
    plaintext: Buffer.from("When I grow up, I want to be a watermelon"),
    subscription: {
      p256dh: b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
      auth: b64("BTBZMqHH6r4Tts7J_aSIgg"),
    },
    fixed: { privateKey: b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"), salt: b64("DGv6ra1nlYgDCS1FRnbzlw") },
  };

  it("produce the same bytes as the event loop does, RFC 8291 §5's example included", async () => {
    const pool = new WebPushEncryptionPool(2);
    try {
      const bodies = await Promise.all([1, 2, 3, 4].map(() => pool.encrypt(rfc.plaintext, rfc.subscription, rfc.fixed)));
      expect(pool.running).toBe(2);
      for (const body of bodies) expect(body.equals(encryptWebPush(rfc.plaintext, rfc.subscription, rfc.fixed))).toBe(true);
      expect(bodies[0]?.subarray(0, 16).toString("base64url")).toBe("DGv6ra1nlYgDCS1FRnbzlw");
    } finally {
      await pool.close();
    }
  });

  it("fail a message whose key is not a P-256 point, and keep serving the next", async () => {
    const pool = new WebPushEncryptionPool(1);
    try {
      await expect(pool.encrypt(rfc.plaintext, { p256dh: Buffer.alloc(65, 7), auth: rfc.subscription.auth })).rejects.toThrow(
        /web push encryption failed/,
      );
      const body = await pool.encrypt(rfc.plaintext, rfc.subscription, rfc.fixed);
      expect(body.equals(encryptWebPush(rfc.plaintext, rfc.subscription, rfc.fixed))).toBe(true);
      expect(pool.running).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("fail the messages in flight when closed, and refuse new ones", async () => {
    const pool = new WebPushEncryptionPool(1);
    const inFlight = Array.from({ length: 50 }, () => pool.encrypt(rfc.plaintext, rfc.subscription).then(() => "done", (err: Error) => err.message));
    await pool.close();
    const outcomes = await Promise.all(inFlight);
    expect(outcomes.every((o) => o === "done" || o === "the encryption pool is closed")).toBe(true);
    expect(outcomes).toContain("the encryption pool is closed");
    expect(pool.running).toBe(0);
    await expect(pool.encrypt(rfc.plaintext, rfc.subscription)).rejects.toThrow("the encryption pool is closed");
  });
});

describe("Web Push sender against a local push service", () => {
  const vapid = vapidKeysFromPem(p256Pem());
  const service = new FakeWebPushService(vapid.publicKey);
  const sender = new WebPushSender({ vapid, subject: "mailto:ops@arrival.invalid", now: () => Date.now() });
  const message = { offerId: "offer-1", title: "10% off", ttlS: 540, collapseKey: "offer-1" };
  const registrationOf = (sub: { endpoint: string; keys: { p256dh: string; auth: string } }): PushRegistration => ({
    userId: "u1",
    installationId: "i1",
    orgId: "o1",
    provider: "webpush",
    token: sub.endpoint,
    keys: sub.keys,
    environment: null,
    createdAt: 0,
    updatedAt: 0,
  });

  beforeAll(() => service.start());
  afterAll(async () => {
    await sender.close();
    await service.stop();
  });

  it("delivers a payload that decrypts to the offer's id and title, with a verified VAPID JWT and headers", async () => {
    const sub = service.subscribe();
    expect(await sender.send(registrationOf(sub), message)).toEqual({ outcome: "sent" });
    expect(service.errors).toEqual([]);
    const [push] = service.received;
    expect(push?.payload).toEqual({ offerId: "offer-1", title: "10% off" });
    expect(push?.ttl).toBe("540");
    expect(push?.urgency).toBe("high");
    expect(push?.topic).toBe(Buffer.from("offer-1").toString("base64url"));
    expect(push?.jwtClaims.sub).toBe("mailto:ops@arrival.invalid");
  });

  it.each([0, 1, 2])("encrypts with %i threads (0: on the event loop) into payloads the service decrypts", async (threads) => {
    const pooled = new WebPushSender({ vapid, subject: "mailto:ops@arrival.invalid", now: () => Date.now(), encryptionThreads: threads });
    try {
      const subs = Array.from({ length: 20 }, () => service.subscribe());
      const before = service.received.length;
      const results = await Promise.all(
        subs.map((sub, i) => pooled.send(registrationOf(sub), { ...message, offerId: `offer-${threads}-${i}` })),
      );
      expect(results.every((r) => r.outcome === "sent")).toBe(true);
      expect(service.errors).toEqual([]);
      const payloads = service.received.slice(before).map((p) => p.payload as { offerId: string });
      expect(payloads.map((p) => p.offerId).sort()).toEqual(subs.map((_, i) => `offer-${threads}-${i}`).sort());
    } finally {
      await pooled.close();
    }
  });

  it("reads 404 and 410 as a subscription gone", async () => {
    const sub = service.subscribe();
    service.script(sub.id, { status: 404 });
    expect(await sender.send(registrationOf(sub), message)).toEqual({ outcome: "gone", reason: "HTTP 404" });
    service.unsubscribe(sub.id);
    expect(await sender.send(registrationOf(sub), message)).toEqual({ outcome: "gone", reason: "HTTP 410" });
  });

  it("retries 429 and 5xx after the service's Retry-After, and gives up on other refusals", async () => {
    const sub = service.subscribe();
    service.script(sub.id, { status: 429, headers: { "retry-after": "120" } }, { status: 503 }, { status: 413 });
    expect(await sender.send(registrationOf(sub), message)).toEqual({ outcome: "retry", reason: "HTTP 429", retryAfterMs: 120_000 });
    expect(await sender.send(registrationOf(sub), message)).toEqual({ outcome: "retry", reason: "HTTP 503" });
    expect(await sender.send(registrationOf(sub), message)).toEqual({ outcome: "rejected", reason: "HTTP 413" });
  });

  it("is refused by a push service that expects another application server key", async () => {
    const other = new WebPushSender({ vapid: vapidKeysFromPem(p256Pem()), subject: "mailto:x@arrival.invalid", now: () => Date.now() });
    const sub = service.subscribe();
    expect(await other.send(registrationOf(sub), message)).toEqual({ outcome: "rejected", reason: "HTTP 403" });
    expect(service.errors.at(-1)).toMatch(/^k is not the key/);
  });

  it("retries when the push service cannot be reached", async () => {
    const sub = service.subscribe();
    const result = await sender.send({ ...registrationOf(sub), token: "http://127.0.0.1:9/push/none" }, message);
    expect(result.outcome).toBe("retry");
  });
});
