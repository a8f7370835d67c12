import { createConnection } from "node:net";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMessage, gatewayTopic, userTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { until } from "../support/until.js";

/** Real MQTT clients over TCP against the embedded broker and its access control. */
describe("embedded broker access control", () => {
  let f: CloudFixture;
  let url: string;
  let gw: { username: string; password: string };
  let app: { username: string; password: string };
  const open: mqtt.MqttClient[] = [];

  const connect = async (options: mqtt.IClientOptions) => {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    open.push(client);
    return client;
  };

  /** The QoS the broker grants, or 128 when it refuses (mqtt.js rejects on a 0x80 SUBACK). */
  const grant = async (client: mqtt.MqttClient, filter: string): Promise<number> => {
    try {
      const [granted] = await client.subscribeAsync(filter, { qos: 1 });
      return granted?.qos ?? -1;
    } catch (err) {
      if (/Subscribe error/.test((err as Error).message)) return 128;
      throw err;
    }
  };
  const grants = async (client: mqtt.MqttClient, filters: readonly string[]): Promise<number[]> => {
    const out: number[] = [];
    for (const filter of filters) out.push(await grant(client, filter));
    return out;
  };

  beforeAll(async () => {
    f = await createCloudFixture();
    url = `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
    gw = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
    app = await f.cloud.credentials.issueMqtt({ role: "app", userId: "u1" }, "test");
  });
  afterAll(async () => {
    for (const client of open) client.end(true);
    await f?.close();
  });

  it("refuses anonymous connections and wrong passwords", async () => {
    await expect(connect({ clientId: "anon" })).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(
      connect({ clientId: gw.username, username: gw.username, password: "wrong" }),
    ).rejects.toThrow(/Bad username or password|Not authorized/i);
  });

  it("refuses a client id of a user whose name extends this user's (app.u1 cannot become app.u1-2)", async () => {
    await f.cloud.repositories.users.upsertUser(
      { id: "u1-2", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
      Date.now(),
    );
    const other = await f.cloud.credentials.issueMqtt({ role: "app", userId: "u1-2" }, "test");
    for (const clientId of [other.username, `${other.username}:phone`]) {
      await expect(connect({ clientId, username: app.username, password: app.password })).rejects.toThrow();
    }
    const own = await connect({ clientId: `${other.username}:phone`, username: other.username, password: other.password });
    expect(own.connected).toBe(true);
  });

  it("drops a connection whose first packet announces more than the limit, before buffering it", async () => {
    const socket = createConnection(f.cloud.mqttPort(), "127.0.0.1");
    socket.on("error", () => undefined); // the broker resets the connection mid-write: expected
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    // CONNECT (type 1) with Remaining Length 200 MiB: 0x10, then 0x80 0x80 0x80 0x64 [MQTT-2.2.3].
    socket.write(Buffer.from([0x10, 0x80, 0x80, 0x80, 0x64, 0x00, 0x04]));
    socket.write(Buffer.alloc(64 * 1024));
    await closed;
    expect(socket.destroyed).toBe(true);
  });

  it("cuts the sessions opened with a password when a new one is issued", async () => {
    const first = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g7" }, "test");
    const client = await connect({ clientId: first.username, username: first.username, password: first.password });
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    const second = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g7" }, "test");
    await closed;
    await expect(connect({ clientId: first.username, username: first.username, password: first.password })).rejects.toThrow();
    const again = await connect({ clientId: second.username, username: second.username, password: second.password });
    expect(again.connected).toBe(true);
  });

  it("forgets closed connections, so revocation only sees live ones", async () => {
    const client = await connect({ clientId: `${app.username}:short`, username: app.username, password: app.password });
    await client.endAsync();
    await new Promise((r) => setTimeout(r, 200));
    expect(f.cloud.embeddedBroker?.disconnect(app.username)).toBe(0);
  });

  it("refuses a client id that belongs to another identity", async () => {
    await expect(
      connect({ clientId: app.username, username: gw.username, password: gw.password }),
    ).rejects.toThrow();
  });

  it("grants a gateway its own config, ack and clock replies, and refuses anything else", async () => {
    const client = await connect({ clientId: gw.username, username: gw.username, password: gw.password });
    const granted = await grants(client, [
      gatewayTopic("s1", "g1", "config"),
      gatewayTopic("s1", "g1", "ack"),
      gatewayTopic("s1", "g1", "time-reply"),
      gatewayTopic("s1", "g2", "ack"),
      gatewayTopic("s1", "g2", "time-reply"),
      "arrival/v1/stores/s1/gateways/+/time-reply",
      gatewayTopic("s1", "g1", "time"),
      "arrival/v1/stores/s1/gateways/+/ack",
      userTopic("u1", "offers"),
      "$SYS/#",
      "#",
    ]);
    expect(granted).toEqual([1, 1, 1, 128, 128, 128, 128, 128, 128, 128, 128]);
  });

  it("answers a gateway's clock request on its own reply topic only, and drops a gateway that forges a reply", async () => {
    const client = await connect({ clientId: gw.username, username: gw.username, password: gw.password });
    const replies: { topic: string; payload: string }[] = [];
    client.on("message", (topic, payload) => replies.push({ topic, payload: payload.toString("utf8") }));
    await client.subscribeAsync(gatewayTopic("s1", "g1", "time-reply"), { qos: 0 });
    const t0 = Date.now() - 5000;
    await client.publishAsync(gatewayTopic("s1", "g1", "time"), encodeMessage({ v: 1, id: "q1", t0 }), { qos: 0 });
    await until(() => replies.length > 0, 5000, "the clock reply");
    expect(replies[0]?.topic).toBe(gatewayTopic("s1", "g1", "time-reply"));
    const reply = JSON.parse(replies[0]?.payload ?? "{}") as { id: string; t0: number; t1: number; t2: number };
    expect(reply).toMatchObject({ id: "q1", t0 });
    expect(reply.t2).toBeGreaterThanOrEqual(reply.t1);
    expect(reply.t1).toBeGreaterThan(t0);

    // Another gateway's clock request, or a forged reply: the broker refuses it and drops the client.
    for (const topic of [gatewayTopic("s1", "g2", "time"), gatewayTopic("s1", "g1", "time-reply")]) {
      const rogue = await connect({ clientId: `${gw.username}:${topic.endsWith("reply") ? "forger" : "asker"}`, username: gw.username, password: gw.password });
      const closed = new Promise<void>((resolve) => rogue.once("close", () => resolve()));
      rogue.publish(topic, encodeMessage({ v: 1, id: "q2", t0, t1: t0, t2: t0 }), { qos: 1 });
      await closed;
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(replies).toHaveLength(1);
  });

  it("grants an app user its own offers only", async () => {
    const client = await connect({
      clientId: `${app.username}:phone`,
      username: app.username,
      password: app.password,
    });
    const granted = await grants(client, [
      userTopic("u1", "offers"),
      userTopic("u2", "offers"),
      "arrival/v1/users/+/offers",
      gatewayTopic("s1", "g1", "events"),
    ]);
    expect(granted).toEqual([1, 128, 128, 128]);
  });

  it("drops a gateway that publishes outside its own topics, and lets other clients see nothing", async () => {
    const spy = await connect({
      clientId: `${app.username}:spy`,
      username: app.username,
      password: app.password,
    });
    const seen: string[] = [];
    spy.on("message", (topic) => seen.push(topic));
    await spy.subscribeAsync(userTopic("u1", "offers"), { qos: 1 });
    const client = await connect({
      clientId: `${gw.username}:rogue`,
      username: gw.username,
      password: gw.password,
    });
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    client.publish(userTopic("u1", "offers"), encodeMessage({ v: 1, kind: "offer" }), { qos: 1 });
    await closed;
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([]);
  });

  it("cuts a revoked gateway off within a second and refuses it afterwards", async () => {
    const creds = await f.cloud.credentials.issueMqtt(
      { role: "gateway", storeId: "s1", gatewayId: "g9" },
      "test",
    );
    const client = await connect({
      clientId: creds.username,
      username: creds.username,
      password: creds.password,
    });
    const closed = new Promise<number>((resolve) => client.once("close", () => resolve(Date.now())));
    const revokedAt = Date.now();
    expect(await f.cloud.credentials.revokeMqtt(creds.username, "test")).toBe(true);
    expect((await closed) - revokedAt).toBeLessThan(1000);
    await expect(
      connect({ clientId: creds.username, username: creds.username, password: creds.password }),
    ).rejects.toThrow();
  });
});
