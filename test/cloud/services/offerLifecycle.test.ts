import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cloud } from "../../../cloud/src/createCloud.js";
import { decodeUserMessage, type OfferMessage, userTopic } from "../../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { addUsers, api, arrive, count, eventOf, liveRule, MIN } from "../ruleKit.js";

/** An app user's phone: an MQTT client on the user's offers topic, recording what arrives. */
interface Phone {
  readonly received: OfferMessage[];
  close(): Promise<void>;
}

async function phoneOf(cloud: Cloud, userId: string): Promise<Phone> {
  const login = await cloud.credentials.issueMqtt({ role: "app", userId }, "test");
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.mqttPort()}`, {
    clientId: login.clientId,
    username: login.username,
    password: login.password,
    reconnectPeriod: 0,
  });
  const received: OfferMessage[] = [];
  client.on("message", (_topic, payload) => {
    const decoded = decodeUserMessage("offers", payload);
    if (decoded.ok) received.push(decoded.value);
  });
  await client.subscribeAsync(userTopic(userId, "offers"), { qos: 1 });
  return { received, close: () => client.endAsync() };
}

/** Waits until `n` messages arrived (at most `waitMs`), then a little longer to catch any extra. */
async function settle(phone: Phone, n: number, waitMs = 5000): Promise<OfferMessage[]> {
  const deadline = Date.now() + waitMs;
  while (phone.received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  return phone.received;
}

async function offerRow(f: CloudFixture, userId: string) {
  return f.cloud.repositories.db.get<{
    id: string;
    code: string;
    state: string;
    issued_at: number;
    expires_at: number;
    published_at: number | null;
    reminder_sent_at: number | null;
  }>("SELECT * FROM offers WHERE user_id = ?", [userId]);
}

/**
 * Expiry, reminders and delivery after a crash, on a manual clock: offers valid 600 s, reminders
 * 300 s before expiry (`offers.reminderLeadS`).
 */
describe("offer lifecycle: expiry, reminders, delivery across a restart", () => {
  const clock = new ManualClock("2026-03-10T02:00:00Z");
  let f: CloudFixture;
  const phones: Phone[] = [];

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false, offers: { reminderLeadS: 300 } });
    await addUsers(f, ["u500", "u501", "u502", "u503", "u504", "u506", "u510"]);
    await addUsers(f, ["u505"], { segments: ["quick"] });
    // Enter offers valid 600 s; shoppers in segment "quick" get a 120 s offer instead (too short
    // for a reminder 300 s before expiry).
    await liveRule(f, "quick", {
      trigger: { type: "enter" },
      conditions: { segments: ["quick"] },
      offer: { title: "Now or never", text: "2 minutes", discount: { kind: "percent", percent: 5 }, validityS: 120 },
      priority: 10,
    });
    await liveRule(f, "lipstick", { trigger: { type: "enter" } });
  });
  afterAll(async () => {
    for (const p of phones) await p.close().catch(() => undefined);
    await f?.close();
  });

  it("sends one reminder 300 s before expiry, on the offers channel, never twice", async () => {
    const phone = await phoneOf(f.cloud, "u500");
    phones.push(phone);
    const t0 = clock.now();
    await arrive(f, [eventOf("u500", t0)]);
    const [offer] = await settle(phone, 1);
    expect(offer?.kind).toBe("offer");

    clock.set(t0 + 299_000);
    expect((await f.cloud.offerLifecycle.sweep()).reminded).toBe(0);
    clock.set(t0 + 300_000);
    expect((await f.cloud.offerLifecycle.sweep()).reminded).toBe(1);
    expect(await Promise.all([f.cloud.offerLifecycle.sweep(), f.cloud.offerLifecycle.sweep()])).toEqual([
      { expired: 0, reminded: 0, redelivered: 0 },
      { expired: 0, reminded: 0, redelivered: 0 },
    ]);
    const messages = await settle(phone, 2);
    expect(messages.map((m) => m.kind)).toEqual(["offer", "reminder"]);
    expect(messages[1]).toEqual({ ...offer, kind: "reminder" });
    expect((await offerRow(f, "u500"))?.reminder_sent_at).toBe(t0 + 300_000);
  });

  it("sends no reminder for a redeemed offer, an offer too short for one, or a user who withdrew consent", async () => {
    const t0 = clock.now();
    await arrive(f, ["u502", "u504", "u505"].map((u) => eventOf(u, t0)));
    const redeemed = await offerRow(f, "u502");
    const redeem = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/redemptions",
      headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": "receipt-0502" },
      payload: { code: redeemed?.code ?? "" },
    });
    expect(redeem.statusCode).toBe(201);
    const u504 = await f.cloud.repositories.users.getUser("u504");
    if (!u504) throw new Error("no u504");
    await f.cloud.repositories.users.upsertUser({ ...u504, marketingConsent: false }, t0);

    clock.set(t0 + 300_000);
    expect((await f.cloud.offerLifecycle.sweep()).reminded).toBe(0);
    for (const u of ["u502", "u504", "u505"]) expect((await offerRow(f, u))?.reminder_sent_at).toBeNull();
    expect((await offerRow(f, "u505"))?.expires_at).toBe(t0 + 120_000);
  });

  it("marks offers expired at expiresAt, not before; expired codes are refused; redeemed ones stay redeemed", async () => {
    const t0 = clock.now();
    await arrive(f, [eventOf("u503", t0)]);
    const row = await offerRow(f, "u503");
    clock.set(t0 + 599_999);
    await f.cloud.offerLifecycle.sweep();
    expect((await offerRow(f, "u503"))?.state).toBe("issued");
    // u506's offer is issued now; the next sweep comes only after it expired (the cloud was down).
    await arrive(f, [eventOf("u506", clock.now())]);
    clock.set(t0 + 600_000);
    expect((await f.cloud.offerLifecycle.sweep()).expired).toBe(1);
    expect((await offerRow(f, "u503"))?.state).toBe("expired");
    clock.set(t0 + 599_999 + 600_000);
    const late = await f.cloud.offerLifecycle.sweep();
    expect(late).toEqual({ expired: 1, reminded: 0, redelivered: 0 });
    // Never a reminder for an expired offer, even one that was never reminded.
    expect(await offerRow(f, "u506")).toMatchObject({ state: "expired", reminder_sent_at: null });
    expect((await f.cloud.offerLifecycle.sweep()).expired).toBe(0);
    expect((await offerRow(f, "u502"))?.state).toBe("redeemed");

    const pending = await api<{ offers: unknown[] }>(f, f.keys.admin, "GET", "/v1/users/u503/offers");
    expect(pending.body.offers).toEqual([]);
    const redeem = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/redemptions",
      headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": "receipt-0503" },
      payload: { code: row?.code ?? "" },
    });
    expect(redeem.statusCode).toBe(409);
    expect(redeem.json<{ error: { code: string } }>().error.code).toBe("CODE_EXPIRED");
  });

  it("keeps a reminder due across a restart, and sends it once from the restarted cloud", async () => {
    const t0 = clock.now();
    await arrive(f, [eventOf("u501", t0)]);
    await f.restart();
    clock.set(t0 + 301_000);
    expect((await f.cloud.offerLifecycle.sweep()).reminded).toBe(1);
    await f.restart();
    expect((await f.cloud.offerLifecycle.sweep()).reminded).toBe(0);
    expect((await offerRow(f, "u501"))?.reminder_sent_at).toBe(t0 + 301_000);
  });

  it("delivers an offer committed just before a crash exactly once, from the restarted cloud", async () => {
    const before = await phoneOf(f.cloud, "u510");
    phones.push(before);
    // The process dies between the commit and the publish: the publish never reaches the broker.
    const bus = f.cloud.broker;
    const publish = bus.publish.bind(bus);
    bus.publish = async (topic, payload, options) => {
      if (topic === userTopic("u510", "offers")) throw new Error("process died before the publish");
      return publish(topic, payload, options);
    };
    const event = eventOf("u510", clock.now());
    await arrive(f, [event]);
    expect(await settle(before, 1, 300)).toEqual([]);
    const row = await offerRow(f, "u510");
    expect(row?.published_at).toBeNull();

    let after: Phone | null = null;
    await f.restart(async (cloud) => {
      // The app reconnects as soon as the broker is back, before start-up redelivers.
      await cloud.embeddedBroker?.start();
      after = await phoneOf(cloud, "u510");
    });
    if (after === null) throw new Error("no phone after the restart");
    const phone: Phone = after;
    phones.push(phone);
    const messages = await settle(phone, 1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: "offer", offerId: row?.id, code: row?.code });

    // Nothing sends it again: not the sweeper's redelivery, not another restart.
    clock.advance(MIN);
    expect((await f.cloud.offerLifecycle.sweep()).redelivered).toBe(0);
    await settle(phone, 2, 300);
    expect(phone.received).toHaveLength(1);
    expect(await count(f, "SELECT COUNT(*) AS n FROM offers WHERE user_id = 'u510'")).toBe(1);
    // Decided once, before the crash: one decision per live enter rule, one of them issued.
    expect(await count(f, "SELECT COUNT(*) AS n FROM decisions WHERE event_id = ?", [event.id])).toBe(2);
    expect(
      await count(f, "SELECT COUNT(*) AS n FROM decisions WHERE event_id = ? AND outcome = 'issued'", [event.id]),
    ).toBe(1);
    expect((await offerRow(f, "u510"))?.published_at).not.toBeNull();
  });

  it("redelivers an offer whose publish failed without a restart, once the broker takes it again", async () => {
    await addUsers(f, ["u520"]);
    const phone = await phoneOf(f.cloud, "u520");
    phones.push(phone);
    const bus = f.cloud.broker;
    const publish = bus.publish.bind(bus);
    let down = true;
    bus.publish = async (topic, payload, options) => {
      if (down && topic === userTopic("u520", "offers")) throw new Error("broker unavailable");
      return publish(topic, payload, options);
    };
    await arrive(f, [eventOf("u520", clock.now())]);
    down = false;
    // Left to the publish that follows its commit for 30 s, then the sweeper takes over.
    clock.advance(29_000);
    expect((await f.cloud.offerLifecycle.sweep()).redelivered).toBe(0);
    clock.advance(1_000);
    expect((await f.cloud.offerLifecycle.sweep()).redelivered).toBe(1);
    expect((await f.cloud.offerLifecycle.sweep()).redelivered).toBe(0);
    expect((await settle(phone, 1)).map((m) => m.kind)).toEqual(["offer"]);
  });

  it("queues an offer for push again when its first queueing failed", async () => {
    await addUsers(f, ["u530"]);
    const push = f.cloud.push;
    const queue = push.offersIssued.bind(push);
    const prepare = push.prepare.bind(push);
    const queued: string[] = [];
    let failing = true;
    // The registrations could not be read before the decision, so its rows were not stored with the
    // offer, and queueing them after the commit failed too.
    push.prepare = async (userIds) => {
      if (failing && userIds.includes("u530")) throw new Error("database is locked");
      return prepare(userIds);
    };
    push.offersIssued = async (offers) => {
      if (failing && offers.some((o) => o.userId === "u530")) throw new Error("database is locked");
      queued.push(...offers.filter((o) => o.userId === "u530").map((o) => o.offerId));
      return queue(offers);
    };
    await arrive(f, [eventOf("u530", clock.now())]);
    failing = false;
    // Published over MQTT but not recorded: the sweeper takes it after 30 s and queues it.
    expect((await offerRow(f, "u530"))?.published_at).toBeNull();
    clock.advance(30_000);
    expect((await f.cloud.offerLifecycle.sweep()).redelivered).toBe(1);
    expect(queued).toHaveLength(1);
    expect((await offerRow(f, "u530"))?.published_at).not.toBeNull();
    push.offersIssued = queue;
    push.prepare = prepare;
  });
});
