import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { decodeUserMessage, type OfferMessage, userTopic } from "../../protocol/index.js";
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
    demo = await startDemo({ cloudConfig: parsed.config, log, seed: 11, firstArrivalMs: 1000 });
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
});
