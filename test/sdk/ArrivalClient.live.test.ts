import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { geofenceEventId } from "../../cloud/src/services/GeofenceService.js";
import { ArrivalClient, type ClientOffer, codeFromRedemptionPayload, encodeAppToken } from "../../sdk/src/index.js";
import type { ConnectionState } from "../../sdk/src/ports.js";
import { type CloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { TcpProxy } from "../support/TcpProxy.js";
import { until } from "../support/until.js";
import { createSdkCloudFixture, type SdkCloudFixture } from "./sdkCloudFixture.js";

/**
 * The client library against a real cloud: embedded broker with its WebSocket listener, HTTP API
 * and SQLite, with a TCP proxy between the phone and the broker so the test can cut the link.
 */
describe("ArrivalClient against the cloud", () => {
  let sdk: SdkCloudFixture;
  let f: CloudFixture;
  let proxy: TcpProxy;
  let client: ArrivalClient;
  const received: ClientOffer[] = [];
  const states: ConnectionState[] = [];
  const errors: Error[] = [];
  const api = () => sdk.api();

  async function statusOf(offerId: string): Promise<string | undefined> {
    const response = await fetch(`${api()}/v1/users/u1/offers`, {
      headers: { authorization: `Bearer ${f.keys.appU1}` },
    });
    const body = (await response.json()) as { offers: { offerId: string; status: string }[] };
    return body.offers.find((o) => o.offerId === offerId)?.status;
  }

  beforeAll(async () => {
    sdk = await createSdkCloudFixture();
    f = sdk.f;
    proxy = new TcpProxy(f.cloud.mqttPorts().websocket);
    await proxy.start();
    const token = encodeAppToken(await sdk.appToken("u1", f.keys.appU1, { mqttUrl: `ws://127.0.0.1:${proxy.port}/mqtt` }));
    client = new ArrivalClient({ token, reconnectPeriodMs: 200 });
    client.on("offer", (offer) => received.push(offer));
    client.on("connection", (state) => states.push(state));
    client.on("error", (err) => errors.push(err));
    client.start();
  });

  afterAll(async () => {
    await client?.stop();
    await proxy?.stop();
    await sdk?.close();
  });

  it("connects, receives an offer live, and acknowledges its delivery", async () => {
    await until(() => client.catchUpCount() >= 1, 20_000, "first connection and catch-up");
    expect(client.connectionState()).toBe("connected");
    // 40 minutes ago: the arrival of a later test is then another store visit, rewarded again.
    await f.ingest([presenceEvent(1, { at: new Date(Date.now() - 40 * 60_000).toISOString() })]);
    await until(() => received.length === 1, 20_000, "the offer over MQTT");
    const [offer] = received;
    expect(offer?.title).toBe("10% off");
    expect(client.offers().map((o) => o.offerId)).toEqual([offer?.offerId]);
    await until(async () => (await statusOf(offer?.offerId ?? "")) === "delivered", 20_000, "delivered ack");
  });

  it("records a view, and gives a QR payload whose code the till redeems", async () => {
    const offer = received[0];
    if (!offer) throw new Error("no offer from the previous test");
    await client.acknowledge(offer.offerId, "viewed");
    expect(await statusOf(offer.offerId)).toBe("viewed");
    const { qrPayload, secondsLeft } = client.redemption(offer.offerId);
    expect(secondsLeft).toBeGreaterThan(500);
    const response = await fetch(`${api()}/v1/redemptions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${f.keys.pos}`,
        "content-type": "application/json",
        "idempotency-key": "sdk-test-redeem-1",
      },
      body: JSON.stringify({ code: codeFromRedemptionPayload(qrPayload) }),
    });
    expect(response.status).toBe(201);
  });

  it("reconnects after the link drops and catches up on the offer it missed, once", async () => {
    const catchUpsBefore = client.catchUpCount();
    proxy.cut();
    await until(() => client.connectionState() !== "connected", 20_000, "the client to notice the cut");
    // Issued while the phone is away: the broker has no session for it, so only the catch-up brings it.
    await f.ingest([presenceEvent(2, { visitId: "visit-second1" })], 2);
    await f.cloud.offers.idle();
    expect(received).toHaveLength(1);
    proxy.restore();
    await until(() => client.catchUpCount() > catchUpsBefore, 30_000, "reconnection and catch-up");
    await until(() => received.length === 2, 10_000, "the missed offer");
    expect(states).toContain("reconnecting");
    expect(new Set(received.map((o) => o.offerId)).size).toBe(2);
    // Another catch-up brings both again (the first is still open): neither is announced twice.
    await client.catchUp();
    expect(received).toHaveLength(2);
    expect(errors.filter((e) => !/ECONNRESET|closed|EPIPE|connack|socket|timeout/i.test(e.message))).toEqual([]);
  });

  it("reports a geofence entry over MQTT and over HTTP; each goes through the geofence rules once per visit", async () => {
    const fix = { lat: 22.2819, lon: 114.1582, accuracyM: 12, at: Date.now() };
    const eventId = geofenceEventId("u1", await client.queueGeofenceEntry({ storeId: "s1", fix }));
    await until(async () => (await f.cloud.repositories.offers.getEvent(eventId)) !== null, 20_000, "the report stored");
    await until(() => received.length === 3, 20_000, "the offer for the geofence entry");
    const stored = await f.cloud.repositories.offers.getEvent(eventId);
    expect(stored?.event).toMatchObject({ userId: "u1", zoneId: "geofence", subject: { kind: "app", id: "app:u1" } });
    const answer = await client.reportGeofenceEntry({ storeId: "s1", fix: { ...fix, at: Date.now() } });
    // The fixture's store has no coordinates: flagged, yet plausible.
    expect(answer).toMatchObject({ plausible: true, flags: ["store-location-unknown"] });
    // The same arrival reported again, over HTTP: decided, and refused as this visit's offer was given.
    const again = answer.eventId;
    await until(async () => ((await f.cloud.repositories.offers.getEvent(again))?.decidedAt ?? null) !== null, 20_000, "the HTTP report decided");
    const decisions = await f.cloud.repositories.offers.decisionsPage({ by: "event", id: again, limit: 10, after: null });
    expect(decisions.map((d) => [d.ruleId, d.outcome, d.reason])).toEqual([["r-geo", "not-issued", "already-issued-this-visit"]]);
    expect(received).toHaveLength(3);
  });
});
