import { createECDH } from "node:crypto";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptWebPush, vapidKeysFromPem } from "../../../cloud/src/adapters/push/webPushCrypto.js";
import { startEncryptionWorker, WebPushEncryptionPool } from "../../../cloud/src/adapters/push/WebPushEncryptionPool.js";
import { WebPushSender } from "../../../cloud/src/adapters/push/WebPushSender.js";
import type { PushRegistration } from "../../../cloud/src/services/repositories.js";
import { FakeWebPushService } from "../../support/FakeWebPushService.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { ManualClock } from "../manualClock.js";
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

describe("Web Push message keys", () => {
  it("are a fresh key pair and salt for every message (RFC 8291 §3.1)", () => {
    const ua = createECDH("prime256v1");
    const subscription = { p256dh: ua.generateKeys(), auth: Buffer.alloc(16, 1) };
    const bodies = Array.from({ length: 20 }, () => encryptWebPush(Buffer.from("same"), subscription));
    const keyIds = new Set(bodies.map((b) => b.subarray(21, 86).toString("hex")));
    const salts = new Set(bodies.map((b) => b.subarray(0, 16).toString("hex")));
    expect(keyIds.size).toBe(20);
    expect(salts.size).toBe(20);
    for (const b of bodies) expect(b[20]).toBe(65);
  });
});

describe("Web Push encryption threads", () => {
  const rfc = {
    plaintext: "When I grow up, I want to be a watermelon",
    subscription: { p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", auth: "BTBZMqHH6r4Tts7J_aSIgg" },
    fixed: { privateKey: b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"), salt: b64("DGv6ra1nlYgDCS1FRnbzlw") },
  };
  /** The same inputs as the event loop's encryption takes them. */
  const onLoop = (fixed?: typeof rfc.fixed) =>
    encryptWebPush(Buffer.from(rfc.plaintext), { p256dh: b64(rfc.subscription.p256dh), auth: b64(rfc.subscription.auth) }, fixed);

  it("produce the same bytes as the event loop does, RFC 8291 §5's example included", async () => {
    const pool = new WebPushEncryptionPool(2);
    try {
      const bodies = await Promise.all([1, 2, 3, 4].map(() => pool.encrypt(rfc.plaintext, rfc.subscription, rfc.fixed)));
      expect(pool.running).toBe(2);
      for (const body of bodies) expect(body.equals(onLoop(rfc.fixed))).toBe(true);
      expect(bodies[0]?.subarray(0, 16).toString("base64url")).toBe("DGv6ra1nlYgDCS1FRnbzlw");
    } finally {
      await pool.close();
    }
  });

  it("fail a message whose key is not a P-256 point, and keep serving the next", async () => {
    const pool = new WebPushEncryptionPool(1);
    try {
      await expect(pool.encrypt(rfc.plaintext, { p256dh: Buffer.alloc(65, 7).toString("base64url"), auth: rfc.subscription.auth })).rejects.toThrow(
        /web push encryption failed/,
      );
      const body = await pool.encrypt(rfc.plaintext, rfc.subscription, rfc.fixed);
      expect(body.equals(onLoop(rfc.fixed))).toBe(true);
      // A failure among the messages of one turn (answered together) fails that message only.
      const mixed = await Promise.allSettled([
        pool.encrypt(rfc.plaintext, rfc.subscription, rfc.fixed),
        pool.encrypt(rfc.plaintext, { ...rfc.subscription, p256dh: "AAAA" }),
        pool.encrypt(rfc.plaintext, rfc.subscription, rfc.fixed),
      ]);
      expect(mixed.map((m) => m.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      for (const m of mixed) if (m.status === "fulfilled") expect(m.value.equals(onLoop(rfc.fixed))).toBe(true);
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

describe("Web Push encryption threads that die", () => {
  const rfc = {
    plaintext: "When I grow up, I want to be a watermelon",
    subscription: { p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", auth: "BTBZMqHH6r4Tts7J_aSIgg" },
  };

  it("are respawned after a capped, doubling wait, logged once per streak, their messages failed", async () => {
    const scheduler = new ManualScheduler(new ManualClock(0));
    const log = new RecordingLogger();
    let healthy = false;
    let started = 0;
    const pool = new WebPushEncryptionPool(1, {
      scheduler,
      log,
      respawnBackoff: { initialMs: 100, maxMs: 300 },
      startWorker: () => {
        started += 1;
        // A worker whose module cannot load dies before it answers anything.
        return healthy ? startEncryptionWorker() : new Worker("throw new Error('cannot load the cipher');", { eval: true });
      },
    });
    const attempt = () => pool.encrypt(rfc.plaintext, rfc.subscription).then(() => "encrypted", (err: Error) => err.message);
    try {
      // The messages a dying thread held fail (the outbox retries them), none is left hanging.
      const held = await Promise.all([attempt(), attempt(), attempt()]);
      expect(held.every((m) => /web push encryption thread (failed|exited)/.test(m))).toBe(true);
      expect(started).toBe(1);
      // Within the wait a message fails at once instead of starting another thread.
      expect(await attempt()).toBe("web push encryption threads are restarting after a failure");
      expect(started).toBe(1);
      // The wait doubles with each death (100, 200, then capped at 300 ms).
      for (const waitMs of [100, 200, 300, 300]) {
        await scheduler.advance(waitMs - 1);
        expect(await attempt()).toMatch(/restarting after a failure/);
        const before = started;
        await scheduler.advance(1);
        expect(await attempt()).toMatch(/web push encryption thread (failed|exited)/);
        expect(started).toBe(before + 1);
      }
      expect(log.named("web push encryption thread lost")).toHaveLength(1);
      expect(log.named("web push encryption thread lost")[0]?.level).toBe("warn");
      // Once a thread answers the streak ends: reported once, and the next death waits the least again.
      healthy = true;
      await scheduler.advance(300);
      expect(await attempt()).toBe("encrypted");
      expect(await attempt()).toBe("encrypted");
      expect(log.named("web push encryption thread answering again")).toEqual([
        expect.objectContaining({ level: "info", obj: expect.objectContaining({ threadsLost: 5 }) }),
      ]);
      expect(pool.running).toBe(1);
    } finally {
      await pool.close();
    }
    expect(scheduler.pending).toBe(0);
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

  it("is refused when the payload is encrypted for another key or auth secret", async () => {
    const [sub, other] = [service.subscribe(), service.subscribe()];
    const before = service.received.length;
    const wrongKey = { ...sub, keys: { ...sub.keys, p256dh: other.keys.p256dh } };
    expect(await sender.send(registrationOf(wrongKey), message)).toEqual({ outcome: "rejected", reason: "HTTP 400" });
    expect(service.errors.at(-1)).toMatch(/^payload does not decrypt/);
    const wrongAuth = { ...sub, keys: { ...sub.keys, auth: other.keys.auth } };
    expect(await sender.send(registrationOf(wrongAuth), message)).toEqual({ outcome: "rejected", reason: "HTTP 400" });
    expect(service.errors.at(-1)).toMatch(/^payload does not decrypt/);
    expect(service.received.length).toBe(before);
  });

  it("is refused when the VAPID JWT is not signed by the key it names", async () => {
    const forger = new WebPushSender({
      vapid: { privateKey: vapidKeysFromPem(p256Pem()).privateKey, publicKey: vapid.publicKey },
      subject: "mailto:x@arrival.invalid",
      now: () => Date.now(),
      encryptionThreads: 0,
    });
    try {
      expect(await forger.send(registrationOf(service.subscribe()), message)).toEqual({ outcome: "rejected", reason: "HTTP 401" });
      expect(service.errors.at(-1)).toBe("JWT signature does not verify");
    } finally {
      await forger.close();
    }
  });

  it("retries when the push service cannot be reached", async () => {
    const sub = service.subscribe();
    const result = await sender.send({ ...registrationOf(sub), token: "http://127.0.0.1:9/push/none" }, message);
    expect(result.outcome).toBe("retry");
  });
});
