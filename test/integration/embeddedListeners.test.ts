import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionRateLimiter } from "../../cloud/src/adapters/broker/ConnectionRateLimiter.js";
import { decodeUserMessage, gatewayTopic, userTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { connectAs, grants, type Login, until } from "./brokerContract.js";

const execFileAsync = promisify(execFile);
const OPENSSL = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"].find((p) => existsSync(p));

describe("ConnectionRateLimiter", () => {
  it("lets a burst through, then one connection per 1/rate seconds, per address", () => {
    const limiter = new ConnectionRateLimiter({ ratePerS: 2, burst: 3 });
    const at = (t: number, address = "10.0.0.1") => limiter.take(address, t);
    expect([at(0), at(0), at(0), at(0)]).toEqual([true, true, true, false]);
    expect(at(0, "10.0.0.2")).toBe(true); // another address has its own bucket
    expect(at(499)).toBe(false);
    expect(at(500)).toBe(true); // 2 per second: one token back after 500 ms
    expect(at(500)).toBe(false);
    expect([at(10_000), at(10_000), at(10_000), at(10_000)]).toEqual([true, true, true, false]); // refills to the burst only
  });

  it("forgets addresses whose bucket is full again, so memory stays bounded", () => {
    const limiter = new ConnectionRateLimiter({ ratePerS: 1, burst: 1 }, 100);
    for (let i = 0; i < 100; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`, 0);
    expect(limiter.size).toBe(100);
    limiter.take("10.9.9.9", 5000);
    expect(limiter.size).toBeLessThanOrEqual(1);
  });
});

/**
 * The embedded broker's other transports: MQTT over TLS with a certificate made here by openssl,
 * and MQTT over WebSocket for apps and browsers; the same authentication and ACLs on each.
 */
describe("embedded broker over TLS and WebSocket", () => {
  let f: CloudFixture;
  let dir: string;
  let cert: Buffer | null = null;
  let gw: Login;
  let app: Login;
  const open: mqtt.MqttClient[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-tls-"));
    if (OPENSSL) {
      await execFileAsync(OPENSSL, [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ]);
      cert = await readFile(join(dir, "cert.pem"));
    }
    f = await createCloudFixture({
      mqtt: {
        mode: "embedded",
        port: 0,
        maxPayloadBytes: 4096,
        websocket: { port: 0 },
        ...(cert ? { tls: { port: 0, certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") } } : {}),
      },
    });
    gw = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
    app = await f.cloud.credentials.issueMqtt({ role: "app", userId: "u1" }, "test");
  });
  afterAll(async () => {
    for (const client of open) client.end(true);
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const wsUrl = () => `ws://127.0.0.1:${f.cloud.mqttPorts().websocket}/mqtt`;

  it.skipIf(!OPENSSL)(`accepts mqtts:// with the configured certificate${OPENSSL ? "" : " (skipped: no openssl to make one)"}`, async () => {
    const url = `mqtts://127.0.0.1:${f.cloud.mqttPorts().tls}`;
    const client = await connectAs(url, gw, cert ? { ca: cert } : {});
    open.push(client);
    expect(await grants(client, [gatewayTopic("s1", "g1", "ack"), gatewayTopic("s1", "g2", "ack")])).toEqual([1, 128]);
    // A client that does not trust the certificate never gets to MQTT.
    await expect(connectAs(url, gw, { rejectUnauthorized: true })).rejects.toThrow(/self[- ]signed|certificate/i);
    await expect(connectAs(url, { username: gw.username, password: "wrong" }, cert ? { ca: cert } : {})).rejects.toThrow();
  });

  it("accepts MQTT over WebSocket with the same credentials and ACLs, and delivers offers there", async () => {
    const phone = await connectAs(wsUrl(), app);
    open.push(phone);
    expect(await grants(phone, [userTopic("u1", "offers"), userTopic("u2", "offers"), "#"])).toEqual([1, 128, 128]);
    const offers: string[] = [];
    phone.on("message", (_topic, payload) => {
      const decoded = decodeUserMessage("offers", payload);
      if (decoded.ok) offers.push(decoded.value.title);
    });
    await f.ingest([presenceEvent(1)]);
    await until(() => offers.length === 1);
    expect(offers).toEqual(["10% off"]);
    await expect(connectAs(wsUrl(), { username: app.username, password: "wrong" })).rejects.toThrow();
  });

  it("drops a WebSocket client that publishes more than the payload limit", async () => {
    const client = await connectAs(wsUrl(), gw);
    open.push(client);
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    client.publish(gatewayTopic("s1", "g1", "telemetry"), Buffer.alloc(8192, 0x7b), { qos: 1 });
    await closed;
  });

  it("answers a plain HTTP request on the WebSocket port with 426 Upgrade Required", async () => {
    const response = await fetch(`http://127.0.0.1:${f.cloud.mqttPorts().websocket}/mqtt`);
    expect(response.status).toBe(426);
  });
});

describe("embedded broker connection rate per address", () => {
  let f: CloudFixture;
  let gw: Login;
  const open: mqtt.MqttClient[] = [];

  beforeAll(async () => {
    f = await createCloudFixture({
      mqtt: {
        mode: "embedded",
        port: 0,
        websocket: { port: 0 },
        connectionBurstPerIp: 3,
        connectionsPerSecondPerIp: 0.01,
      },
    });
    gw = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
  });
  afterAll(async () => {
    for (const client of open) client.end(true);
    await f?.close();
  });

  /** How a connection attempt ends: CONNACK, or the socket closed under it (MQTT.js then waits). */
  const attempt = (url: string, clientId: string) =>
    new Promise<"connected" | "closed">((resolve) => {
      const client = mqtt.connect(url, {
        clientId,
        username: gw.username,
        password: gw.password,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      client.once("connect", () => {
        client.end(true);
        resolve("connected");
      });
      client.once("close", () => {
        client.end(true);
        resolve("closed");
      });
    });

  it("sheds connections beyond the burst, on every listener, before any MQTT work", async () => {
    const tcp = `mqtt://127.0.0.1:${f.cloud.mqttPorts().tcp}`;
    const ws = `ws://127.0.0.1:${f.cloud.mqttPorts().websocket}/mqtt`;
    for (let i = 0; i < 3; i++) {
      const client = await connectAs(i === 1 ? ws : tcp, gw, { clientId: `${gw.username}:${i}` });
      open.push(client);
    }
    expect(await attempt(tcp, `${gw.username}:4`)).toBe("closed");
    expect(await attempt(ws, `${gw.username}:5`)).toBe("closed");
    // The clients let in stay connected.
    expect(open.every((c) => c.connected)).toBe(true);
  });
});
