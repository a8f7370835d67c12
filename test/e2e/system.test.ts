import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { decodeUserMessage, type OfferMessage, userTopic } from "../../protocol/index.js";
import type { DemoRetailEvent } from "../../scripts/demo/DemoRetail.js";
import { DEMO_BATCHES, DEMO_USERS } from "../../scripts/demo/demoStore.js";
import { type DemoSystem, startDemo } from "../../scripts/demo/demoSystem.js";

/**
 * The whole flow with nothing mocked: real aedes over TCP on an ephemeral port, a real SQLite file
 * in a temp dir, both demo gateways running the real pipeline (decoder, presence engine, SQLite
 * outbox, MQTT relay) on the simulated radio, and an MQTT client signed in as an app user.
 */
describe("end to end: a simulated shopper walks in and her phone receives an offer", () => {
  let dir: string;
  let demo: DemoSystem;
  let phone: mqtt.MqttClient;
  const received: OfferMessage[] = [];
  const retailEvents: DemoRetailEvent[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-e2e-"));
    const parsed = parseCloudConfig({
      dataDir: dir,
      http: { port: 0 },
      mqtt: { mode: "embedded", port: 0 },
      log: { level: "silent" },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const log = createLogger({ level: "silent", format: "json", name: "e2e" });
    demo = await startDemo({
      cloudConfig: parsed.config,
      log,
      seed: 11,
      firstArrivalMs: 1000,
      onRetailEvent: (event) => retailEvents.push(event),
    });
    const login = demo.credentials.apps["u-ada"];
    if (!login) throw new Error("no app login for u-ada");
    phone = await mqtt.connectAsync(`mqtt://127.0.0.1:${demo.cloud.mqttPort()}`, {
      clientId: `${login.username}:e2e`,
      username: login.username,
      password: login.password,
      reconnectPeriod: 0,
    });
    phone.on("message", (_topic, payload) => {
      const decoded = decodeUserMessage("offers", payload);
      if (decoded.ok) received.push(decoded.value);
    });
    const grants = await phone.subscribeAsync(userTopic("u-ada", "offers"), { qos: 1 });
    expect(grants[0]?.qos).toBe(1);
  });

  afterAll(async () => {
    await phone?.endAsync();
    await demo?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // Waits up to 90 s for the offer (the simulated store runs in real time), so it needs more than
  // the suite's 60 s default.
  it("delivers the offer over MQTT, lists it over HTTP, and redeems it exactly once", { timeout: 150_000 }, async () => {
    const deadline = Date.now() + 90_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const offer = received[0];
    expect(offer, "no offer reached the app within 90 s").toBeDefined();
    if (!offer) return;
    expect(offer.storeId).toBe("demo-store");
    expect(offer.code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    expect(Date.parse(offer.expiresAt)).toBeGreaterThan(Date.parse(offer.issuedAt));

    // The presence events behind it were stored once each, and the gateway's outbox was acknowledged.
    expect(demo.cloud.ingest.counters.eventsStored).toBeGreaterThan(0);

    const pending = await demo.cloud.http.inject({
      method: "GET",
      url: "/v1/users/u-ada/offers",
      headers: { authorization: `Bearer ${demo.credentials.appKey.key}` },
    });
    expect(pending.statusCode).toBe(200);
    expect(pending.json<{ offers: { offerId: string }[] }>().offers.map((o) => o.offerId)).toContain(
      offer.offerId,
    );

    const redeem = (key: string) =>
      demo.cloud.http.inject({
        method: "POST",
        url: "/v1/redemptions",
        headers: { authorization: `Bearer ${demo.credentials.posKey}`, "idempotency-key": key },
        payload: { code: offer.code.toLowerCase().replaceAll("-", " ") },
      });
    const first = await redeem("till-1-receipt-0001");
    expect(first.statusCode).toBe(201);
    const retried = await redeem("till-1-receipt-0001");
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual(first.json());
    const second = await redeem("till-1-receipt-0002");
    expect(second.statusCode).toBe(409);
    expect(second.json<{ error: { code: string } }>().error.code).toBe("CODE_ALREADY_REDEEMED");

    const decisions = await demo.cloud.http.inject({
      method: "GET",
      url: "/v1/users/u-ada/decisions",
      headers: { authorization: `Bearer ${demo.credentials.marketerKey}` },
    });
    const recorded = decisions.json<{ decisions: { outcome: string; offerId: string | null }[] }>()
      .decisions;
    expect(recorded.some((d) => d.outcome === "issued" && d.offerId === offer.offerId)).toBe(true);
  });

  // The demo's retailer acts through the HTTP API; what it did is read back from the API here, as
  // the retailer's back office would see it. The regulars' first visits end within a couple of
  // minutes of simulated (real) time, so the wait has room beyond the suite's default.
  it("has members claim online, give a gift, collect a pick-up, redeem with a basket and earn points", { timeout: 240_000 }, async () => {
    const admin = { authorization: `Bearer ${demo.credentials.adminKey}` };
    const marketer = { authorization: `Bearer ${demo.credentials.marketerKey}` };
    const get = async <T>(url: string, headers: Record<string, string> = admin): Promise<T> => {
      const response = await demo.cloud.http.inject({ method: "GET", url, headers });
      expect(response.statusCode, url).toBe(200);
      return response.json<T>();
    };
    interface WalletCoupon {
      couponId: string;
      batchId: string;
      channel: string;
      channelTag: string | null;
      status: string;
      giftPasses: number;
    }
    interface LedgerEntry {
      kind: string;
      source: string;
      points: number;
    }
    const snapshot = async () => {
      const chloe = (await get<{ coupons: WalletCoupon[] }>("/v1/users/u-chloe/coupons")).coupons;
      const from = new Date(Date.now() - 86_400_000).toISOString();
      const to = new Date(Date.now() + 86_400_000).toISOString();
      const rows = (await get<{ rows: { batchId: string; claimed: number; giftsMade: number; giftsAccepted: number; redeemed: number; basketRedemptions: number; revenueMinor: number; discountMinor: number }[] }>(`/v1/coupon-analytics?from=${from}&to=${to}`, marketer)).rows;
      const sum = (batchId: string, field: "claimed" | "giftsMade" | "giftsAccepted" | "redeemed" | "basketRedemptions" | "revenueMinor" | "discountMinor") =>
        rows.filter((r) => r.batchId === batchId).reduce((total, r) => total + r[field], 0);
      const ordered = retailEvents.find((e) => e.kind === "pickup-ordered" && e.userId === "u-dev");
      const pickup = ordered?.kind === "pickup-ordered"
        ? (await get<{ pickup: { state: string; arrivedAt: string | null; collectedAt: string | null } }>(`/v1/pickups/${ordered.pickupId}`)).pickup
        : null;
      const members = await Promise.all(
        DEMO_USERS.map(async (u) => ({
          userId: u.id,
          balance: (await get<{ balance: number; owed: number }>(`/v1/users/${u.id}/points`)).balance,
          entries: (await get<{ entries: LedgerEntry[] }>(`/v1/users/${u.id}/points/history?limit=500`)).entries,
        })),
      );
      const earnedBy = (source: string) => members.filter((m) => m.entries.some((e) => e.kind === "earn" && e.source === source && e.points > 0));
      return { chloe, sum, ordered, pickupId: ordered?.kind === "pickup-ordered" ? ordered.pickupId : null, pickup, members, earnedBy };
    };
    let last = await snapshot();
    const done = (s: typeof last) =>
      s.chloe.some((c) => c.batchId === DEMO_BATCHES.lipstick.batchId && c.status === "redeemed") &&
      s.chloe.some((c) => c.batchId === DEMO_BATCHES.friendCoffee.batchId && c.status === "redeemed") &&
      s.pickup?.state === "collected" &&
      s.earnedBy("till-purchase").some((m) => s.earnedBy("store-visit").includes(m));
    const deadline = Date.now() + 180_000;
    while (!done(last) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      last = await snapshot();
    }

    // Chloe claimed the lipstick coupon online from the tagged Instagram post, and the till
    // redeemed it against a basket that met its HK$300 on lipsticks.
    const lipsticks = last.chloe.filter((c) => c.batchId === DEMO_BATCHES.lipstick.batchId);
    expect(lipsticks.length, "one lipstick coupon per member").toBeLessThanOrEqual(1);
    const lipstick = lipsticks[0];
    expect(lipstick, "Chloe claimed no lipstick coupon").toMatchObject({ channel: "online", channelTag: "ig-spring-post", status: "redeemed" });
    expect(last.sum(DEMO_BATCHES.lipstick.batchId, "claimed")).toBeGreaterThanOrEqual(2);
    expect(last.sum(DEMO_BATCHES.lipstick.batchId, "basketRedemptions")).toBeGreaterThanOrEqual(1);
    expect(last.sum(DEMO_BATCHES.lipstick.batchId, "discountMinor")).toBe(5_000 * last.sum(DEMO_BATCHES.lipstick.batchId, "redeemed"));
    expect(last.sum(DEMO_BATCHES.lipstick.batchId, "revenueMinor")).toBeGreaterThanOrEqual(30_000 * last.sum(DEMO_BATCHES.lipstick.batchId, "basketRedemptions"));

    // Ada gave her coffee to Chloe, who accepted it and had it at the till. Chloe never claims a
    // coffee herself, so every one in her wallet came as a gift (newcomers may give her more).
    const coffees = last.chloe.filter((c) => c.batchId === DEMO_BATCHES.friendCoffee.batchId);
    expect(coffees.length, "no gifted coffee reached Chloe's wallet").toBeGreaterThanOrEqual(1);
    for (const c of coffees) expect(c).toMatchObject({ channel: "online", giftPasses: 1 });
    const usedCoffee = coffees.find((c) => c.status === "redeemed");
    expect(usedCoffee, "Chloe's gifted coffee was not redeemed at the till").toBeDefined();
    expect(last.sum(DEMO_BATCHES.friendCoffee.batchId, "giftsMade")).toBeGreaterThanOrEqual(1);
    expect(last.sum(DEMO_BATCHES.friendCoffee.batchId, "giftsAccepted")).toBeGreaterThanOrEqual(1);
    const adaWallet = (await get<{ coupons: WalletCoupon[] }>("/v1/users/u-ada/coupons")).coupons;
    expect(adaWallet.some((c) => c.couponId === usedCoffee?.couponId), "the gift stayed in Ada's wallet").toBe(false);

    // Dev's click-and-collect order: his arrival was seen and told to the store, then the counter
    // handed it over by its code.
    expect(last.pickupId, "no online order for pick-up").not.toBeNull();
    expect(last.pickup).toMatchObject({ state: "collected" });
    expect(last.pickup?.arrivedAt, "the customer's arrival was never seen").not.toBeNull();
    expect(Date.parse(last.pickup?.arrivedAt ?? "")).toBeLessThanOrEqual(Date.parse(last.pickup?.collectedAt ?? ""));
    expect(retailEvents).toContainEqual(expect.objectContaining({ kind: "pickup-arrived", pickupId: last.pickupId }));

    // Members earned points at the till (member code) and on their visits; every balance is its ledger.
    const both = last.earnedBy("till-purchase").filter((m) => last.earnedBy("store-visit").includes(m));
    expect(both.length, "no member earned both on a visit and at the till").toBeGreaterThanOrEqual(1);
    for (const m of last.members) expect(m.balance, m.userId).toBe(m.entries.reduce((total, e) => total + e.points, 0));
  });
});
