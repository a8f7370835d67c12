import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeGatewayMessage,
  decodeStoreMessage,
  decodeUserMessage,
  encodeMessage,
  gatewayTopic,
  type PickupArrivalMessage,
  type PresenceEvent,
  storeTopic,
  TOPIC_ROOT,
  userTopic,
} from "../../protocol/index.js";
import { type CloudFixture, presenceEvent, SUBJECT_U1, SUBJECT_U2 } from "../cloud/cloudFixture.js";

/** A running cloud on one kind of broker, and where its MQTT clients connect. */
export interface BrokerSetup {
  readonly fixture: CloudFixture;
  /** `mqtt://host:port` of the broker gateways and apps use. */
  readonly url: string;
  close(): Promise<void>;
}

export interface Login {
  readonly username: string;
  readonly password: string;
}

/** MQTT.js with reconnect off: each test decides what a refused or dropped connection means. */
export async function connectAs(
  url: string,
  login: Login,
  options: mqtt.IClientOptions = {},
): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(url, {
    clientId: login.username,
    username: login.username,
    password: login.password,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
}

/** The QoS the broker grants, or 128 when it refuses (MQTT.js rejects on a 0x80 SUBACK). */
export async function grant(client: mqtt.MqttClient, filter: string): Promise<number> {
  try {
    const [granted] = await client.subscribeAsync(filter, { qos: 1 });
    return granted?.qos ?? -1;
  } catch (err) {
    if (/Subscribe error|Not authorized/i.test((err as Error).message)) return 128;
    throw err;
  }
}

export async function grants(client: mqtt.MqttClient, filters: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (const filter of filters) out.push(await grant(client, filter));
  return out;
}

/**
 * Publishes at QoS 1 and settles when the broker has dealt with it: PUBACK (mosquitto answers a
 * refused MQTT 3.1.1 publish with a PUBACK and drops it), or the connection closing (aedes drops a
 * client that publishes where it may not), whichever comes first.
 */
export async function publishSettled(client: mqtt.MqttClient, topic: string, payload: Buffer): Promise<void> {
  await Promise.race([
    client.publishAsync(topic, payload, { qos: 1 }).catch(() => undefined),
    new Promise<void>((resolve) => client.once("close", () => resolve())),
    new Promise<void>((resolve) => setTimeout(resolve, 3000)),
  ]);
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const batch = (fromSeq: number, events: readonly PresenceEvent[]) => encodeMessage({ v: 1, outbox: "contract-outbox", fromSeq, events });

/**
 * What every broker the cloud runs with must do, embedded aedes or an external mosquitto alike
 * (the shared abstract suite, as aedes does for its persistence back ends): ingest over real MQTT
 * clients, offers to the app's topic, and the same least-privilege matrix and revocation.
 */
export function brokerContract(name: string, setup: () => Promise<BrokerSetup>, skip: string | null = null): void {
  describe.skipIf(skip !== null)(`broker contract: ${name}${skip === null ? "" : ` (skipped: ${skip})`}`, () => {
    let s: BrokerSetup;
    let gw: Login;
    let app: Login;
    let counter: Login;
    const open: mqtt.MqttClient[] = [];
    const track = (client: mqtt.MqttClient) => {
      open.push(client);
      return client;
    };

    beforeAll(async () => {
      s = await setup();
      gw = await s.fixture.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
      app = await s.fixture.cloud.credentials.issueMqtt({ role: "app", userId: "u1" }, "test");
      counter = await s.fixture.cloud.credentials.issueMqtt({ role: "store", storeId: "s1", deviceId: "counter-1" }, "test");
    });
    afterAll(async () => {
      for (const client of open) client.end(true);
      await s?.close();
    });

    it("stores each event of a gateway's batches once and acknowledges the contiguous prefix", async () => {
      const gateway = track(await connectAs(s.url, gw, { clean: false }));
      const acks: number[] = [];
      gateway.on("message", (_topic, payload) => {
        const decoded = decodeGatewayMessage("ack", payload);
        if (decoded.ok) acks.push(decoded.value.upToSeq);
      });
      expect(await grant(gateway, gatewayTopic("s1", "g1", "ack"))).toBe(1);
      // u2 has no marketing consent: these events are stored and decided, but send no offer.
      const ev = (seq: number) =>
        presenceEvent(seq, { subject: { kind: "ibeacon", id: SUBJECT_U2 }, visitId: `visit-u2-${seq}0000000` });
      const before = await s.fixture.cloud.repositories.events.countEvents();
      // A batch, its resend (the ack was lost), and the next batch overlapping the first.
      await gateway.publishAsync(gatewayTopic("s1", "g1", "events"), batch(1, [ev(1), ev(2)]), { qos: 1 });
      await gateway.publishAsync(gatewayTopic("s1", "g1", "events"), batch(1, [ev(1), ev(2)]), { qos: 1 });
      await gateway.publishAsync(gatewayTopic("s1", "g1", "events"), batch(1, [ev(2), ev(3)]), { qos: 1 });
      await until(() => acks.length >= 3);
      expect(acks).toEqual([2, 2, 3]);
      expect((await s.fixture.cloud.repositories.events.countEvents()) - before).toBe(3);
      expect(s.fixture.cloud.ingest.counters.duplicates).toBe(3);
    });

    it("delivers an offer to the app user's own topic", async () => {
      const phone = track(await connectAs(s.url, app));
      const offers: { kind: string; title: string }[] = [];
      phone.on("message", (_topic, payload) => {
        const decoded = decodeUserMessage("offers", payload);
        if (decoded.ok) offers.push(decoded.value);
      });
      expect(await grant(phone, userTopic("u1", "offers"))).toBe(1);
      const gateway = track(await connectAs(s.url, gw, { clientId: gw.username }));
      await gateway.publishAsync(
        gatewayTopic("s1", "g1", "events"),
        batch(4, [presenceEvent(4, { subject: { kind: "ibeacon", id: SUBJECT_U1 } })]),
        { qos: 1 },
      );
      await until(() => offers.length > 0);
      expect(offers[0]).toMatchObject({ kind: "offer", title: "10% off" });
    });

    it("grants a gateway exactly its own config and ack", async () => {
      const client = track(await connectAs(s.url, gw));
      expect(
        await grants(client, [
          gatewayTopic("s1", "g1", "config"),
          gatewayTopic("s1", "g1", "ack"),
          gatewayTopic("s1", "g2", "ack"),
          gatewayTopic("s1", "g1", "events"),
          `${TOPIC_ROOT}/stores/s1/gateways/+/ack`,
          `${TOPIC_ROOT}/stores/s1/gateways/g1/#`,
          userTopic("u1", "offers"),
          "$SYS/#",
          "$CONTROL/dynamic-security/#",
          "#",
        ]),
      ).toEqual([1, 1, 128, 128, 128, 128, 128, 128, 128, 128]);
    });

    it("grants an app user its own offers only", async () => {
      const client = track(await connectAs(s.url, app));
      expect(
        await grants(client, [
          userTopic("u1", "offers"),
          `${TOPIC_ROOT}/users/u1/#`,
          userTopic("u2", "offers"),
          `${TOPIC_ROOT}/users/+/offers`,
          `${TOPIC_ROOT}/users/#`,
          gatewayTopic("s1", "g1", "events"),
          "$SYS/#",
          "#",
        ]),
      ).toEqual([1, 1, 128, 128, 128, 128, 128, 128]);
    });

    it("grants a store device exactly its own store's pick-up topic", async () => {
      const client = track(await connectAs(s.url, counter));
      expect(
        await grants(client, [
          storeTopic("s1", "pickups"),
          storeTopic("s2", "pickups"),
          `${TOPIC_ROOT}/stores/+/pickups`,
          `${TOPIC_ROOT}/stores/s1/#`,
          `${TOPIC_ROOT}/stores/s1/+`,
          gatewayTopic("s1", "g1", "config"),
          `${TOPIC_ROOT}/stores/s1/gateways/+/events`,
          userTopic("u1", "offers"),
          "$SYS/#",
          "$CONTROL/dynamic-security/#",
          "#",
        ]),
      ).toEqual([1, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128]);
    });

    it("tells a store's counter device when a click-and-collect customer arrives, and no other store's device", async () => {
      const cloud = s.fixture.cloud;
      const admin = { authorization: `Bearer ${s.fixture.keys.admin}` };
      // The counters of both stores, with credentials issued over the API as the store's IT would.
      const issue = async (storeId: string, deviceId: string): Promise<Login> => {
        const res = await cloud.http.inject({ method: "POST", url: `/v1/stores/${storeId}/devices/${deviceId}/credentials`, headers: admin });
        expect(res.statusCode).toBe(201);
        return res.json<Login>();
      };
      const here = track(await connectAs(s.url, await issue("s1", "counter-2"), { clean: false }));
      const there = track(await connectAs(s.url, await issue("s2", "counter-1")));
      const arrivals: PickupArrivalMessage[] = [];
      const elsewhere: string[] = [];
      here.on("message", (topic, payload) => {
        const decoded = decodeStoreMessage("pickups", payload);
        if (topic === storeTopic("s1", "pickups") && decoded.ok) arrivals.push(decoded.value);
      });
      there.on("message", (topic) => elsewhere.push(topic));
      expect(await grant(here, storeTopic("s1", "pickups"))).toBe(1);
      expect(await grant(there, storeTopic("s2", "pickups"))).toBe(1);
      // The s2 counter may not listen in on s1, where the order is collected.
      expect(await grant(there, storeTopic("s1", "pickups"))).toBe(128);

      // The online shop registers an order for pick-up at s1.
      const created = await cloud.http.inject({
        method: "POST",
        url: "/v1/pickups",
        headers: { ...admin, "content-type": "application/json" },
        payload: JSON.stringify({ orderId: "web-1001", storeId: "s1", userId: "u1" }),
      });
      expect(created.statusCode).toBe(201);
      const { pickup } = created.json<{ pickup: { pickupId: string; code: string } }>();

      // The member is seen at s1 by its gateway, over the broker like any presence.
      const gateway = track(await connectAs(s.url, gw));
      const seen = presenceEvent(1, {
        id: "event-pickup-0001",
        subject: { kind: "ibeacon", id: SUBJECT_U1 },
        visitId: "visit-pickup-00001",
      });
      await gateway.publishAsync(
        gatewayTopic("s1", "g1", "events"),
        encodeMessage({ v: 1, outbox: "pickup-outbox", fromSeq: 1, events: [seen] }),
        { qos: 1 },
      );
      await until(() => arrivals.length > 0);
      expect(arrivals).toEqual([
        { v: 1, kind: "pickup-arrived", pickupId: pickup.pickupId, orderId: "web-1001", storeId: "s1", arrivedAt: expect.any(String) },
      ]);
      // Only what the counter needs (the exact shape above names no member); never the single-use
      // pick-up code, which the customer shows at the counter to collect.
      expect(JSON.stringify(arrivals)).not.toContain(pickup.code);
      expect(elsewhere).toEqual([]);
    });

    it("delivers a gateway's own publishes and nothing published where an identity may not", async () => {
      const observerLogin = await s.fixture.cloud.credentials.issueMqtt({ role: "service", name: "observer" }, "test");
      const observer = track(await connectAs(s.url, observerLogin));
      const seen: string[] = [];
      observer.on("message", (topic) => seen.push(topic));
      expect(await grant(observer, `${TOPIC_ROOT}/#`)).toBe(1);
      const payload = encodeMessage({ v: 1, state: "offline" });
      const forbidden: [Login, string][] = [
        [gw, gatewayTopic("s1", "g2", "status")],
        [gw, gatewayTopic("s2", "g1", "telemetry")],
        [gw, gatewayTopic("s1", "g1", "ack")],
        [gw, gatewayTopic("s1", "g1", "config")],
        [gw, userTopic("u1", "offers")],
        [gw, `${gatewayTopic("s1", "g1", "status")}/deeper`],
        [app, userTopic("u1", "offers")],
        [app, gatewayTopic("s1", "g1", "status")],
        // A store device only listens, even on its own store's topic.
        [counter, storeTopic("s1", "pickups")],
        [counter, gatewayTopic("s1", "g1", "events")],
        [counter, userTopic("u1", "location")],
      ];
      for (const [login, topic] of forbidden) {
        // A fresh connection each: the embedded broker drops a client at its first refused publish.
        const client = track(await connectAs(s.url, login));
        await publishSettled(client, topic, payload);
        client.end(true);
      }
      const allowed = [gatewayTopic("s1", "g1", "status"), gatewayTopic("s1", "g1", "telemetry")];
      const client = track(await connectAs(s.url, gw));
      for (const topic of allowed) await client.publishAsync(topic, payload, { qos: 1 });
      await until(() => allowed.every((t) => seen.includes(t)));
      // Everything forbidden was published before the allowed ones: had any got through, it
      // would have arrived first.
      expect(seen).toEqual(allowed);
    });

    it("refuses wrong passwords, anonymous clients and another identity's client id", async () => {
      await expect(connectAs(s.url, { username: gw.username, password: "wrong" })).rejects.toThrow();
      await expect(mqtt.connectAsync(s.url, { clientId: "anonymous", reconnectPeriod: 0 })).rejects.toThrow();
      await expect(connectAs(s.url, app, { clientId: gw.username })).rejects.toThrow();
    });

    it("replaces the password when a credential is issued again", async () => {
      const first = await s.fixture.cloud.credentials.issueMqtt({ role: "app", userId: "u2" }, "test");
      const second = await s.fixture.cloud.credentials.issueMqtt({ role: "app", userId: "u2" }, "test");
      await expect(connectAs(s.url, first)).rejects.toThrow();
      const client = track(await connectAs(s.url, second));
      expect(await grant(client, userTopic("u2", "offers"))).toBe(1);
    });

    it("cuts a revoked gateway off within a second and refuses it afterwards", async () => {
      const creds = await s.fixture.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g9" }, "test");
      const client = track(await connectAs(s.url, creds));
      const closed = new Promise<number>((resolve) => client.once("close", () => resolve(Date.now())));
      const revokedAt = Date.now();
      expect(await s.fixture.cloud.credentials.revokeMqtt(creds.username, "test")).toBe(true);
      expect((await closed) - revokedAt).toBeLessThan(1000);
      await expect(connectAs(s.url, creds)).rejects.toThrow();
      // Revoking again is harmless and says there was nothing left to revoke.
      expect(await s.fixture.cloud.credentials.revokeMqtt(creds.username, "test")).toBe(false);
    });

    it("cuts a suspended organisation's live logins, refuses them, and lets them in again on reinstatement", async () => {
      const cloud = s.fixture.cloud;
      // Another organisation's gateway, which must stay connected throughout.
      await cloud.repositories.directory.upsertOrganisation({ id: "o-other", name: "Other", maxOffersPerUserPerDay: 3 }, Date.now());
      await cloud.repositories.directory.upsertStore(
        { id: "s-other", orgId: "o-other", name: "Other", timezone: "UTC", lat: null, lon: null, tags: [] },
        Date.now(),
      );
      const otherGw = await cloud.credentials.issueMqtt({ role: "gateway", storeId: "s-other", gatewayId: "g1" }, "test");
      const gwLogin = await cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g7" }, "test");
      const appLogin = await cloud.credentials.issueMqtt({ role: "app", userId: "u1" }, "test");
      const counterLogin = await cloud.credentials.issueMqtt({ role: "store", storeId: "s1", deviceId: "counter-9" }, "test");
      const gateway = track(await connectAs(s.url, gwLogin));
      const phone = track(await connectAs(s.url, appLogin));
      const till = track(await connectAs(s.url, counterLogin));
      const other = track(await connectAs(s.url, otherGw));
      const closed = (client: mqtt.MqttClient) => new Promise<void>((resolve) => client.once("close", () => resolve()));
      const cut = Promise.all([closed(gateway), closed(phone), closed(till)]);
      let otherClosed = false;
      other.once("close", () => {
        otherClosed = true;
      });
      const operator = (await cloud.credentials.issueOperatorKey("contract operator", "test")).key;
      const post = (url: string) => cloud.http.inject({ method: "POST", url, headers: { authorization: `Bearer ${operator}` } });

      const suspended = await post("/v1/operator/organisations/o1/suspend");
      expect(suspended.statusCode).toBe(200);
      await cut;
      await expect(connectAs(s.url, gwLogin)).rejects.toThrow();
      await expect(connectAs(s.url, appLogin)).rejects.toThrow();
      await expect(connectAs(s.url, counterLogin)).rejects.toThrow();
      // A login issued while suspended exists but is refused too.
      const issuedWhileSuspended = await cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g8" }, "test");
      await expect(connectAs(s.url, issuedWhileSuspended)).rejects.toThrow();
      // The other organisation's gateway is untouched.
      expect(await grant(other, gatewayTopic("s-other", "g1", "config"))).toBe(1);
      expect(otherClosed).toBe(false);

      expect((await post("/v1/operator/organisations/o1/reinstate")).statusCode).toBe(200);
      const back = track(await connectAs(s.url, gwLogin));
      expect(await grant(back, gatewayTopic("s1", "g7", "config"))).toBe(1);
      track(await connectAs(s.url, appLogin));
      const counterBack = track(await connectAs(s.url, counterLogin));
      expect(await grant(counterBack, storeTopic("s1", "pickups"))).toBe(1);
      track(await connectAs(s.url, issuedWhileSuspended));
    });
  });
}
