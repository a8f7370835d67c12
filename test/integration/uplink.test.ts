import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { MqttUplinkConnection } from "../../gateway/src/adapters/mqtt/MqttUplinkConnection.js";
import { SqliteOutbox } from "../../gateway/src/adapters/sqlite/SqliteOutbox.js";
import type { UnsequencedEvent } from "../../gateway/src/services/ports.js";
import { Relay } from "../../gateway/src/services/Relay.js";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { TcpProxy } from "../support/TcpProxy.js";

/** Events are dated from when the test run started: the cloud refuses dates far from its clock. */
const RUN_START_MS = Date.now();

const log = createLogger({ level: "silent", format: "json", name: "test" });

function event(n: number): UnsequencedEvent {
  return {
    id: `uplink-${String(n).padStart(10, "0")}`,
    type: "dwell",
    storeId: "s1",
    zoneId: "z1",
    gatewayId: "g1",
    // An unregistered beacon: stored, no rules evaluated, so the test measures the uplink only.
    subject: { kind: "ibeacon", id: "ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:7:7" },
    at: new Date(RUN_START_MS + n).toISOString(),
    visitId: "visit-uplink-0001",
    rssi: -70,
    distanceM: 3,
    dwellMs: n,
  };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Gateway relay (real SQLite outbox, real MQTT.js) to the real cloud, through a cuttable TCP link. */
describe("uplink: every event reaches the cloud exactly once", () => {
  let f: CloudFixture;
  let dir: string;
  let proxy: TcpProxy;
  let relay: Relay;
  let outbox: SqliteOutbox;

  beforeEach(async () => {
    f = await createCloudFixture();
    dir = await mkdtemp(join(tmpdir(), "arrival-uplink-"));
    proxy = new TcpProxy(f.cloud.mqttPort());
    await proxy.start();
    const creds = await f.cloud.credentials.issueMqtt(
      { role: "gateway", storeId: "s1", gatewayId: "g1" },
      "test",
    );
    outbox = await SqliteOutbox.open({
      path: join(dir, "outbox.db"),
      maxRows: 1_000_000,
      maxAgeMs: 3_600_000,
    });
    const connection = new MqttUplinkConnection({
      url: `mqtt://127.0.0.1:${proxy.port}`,
      username: creds.username,
      password: creds.password,
      keepaliveS: 5,
      backoff: { initialMs: 50, maxMs: 400 },
      will: { topic: gatewayTopic("s1", "g1", "status"), payload: encodeMessage({ v: 1, state: "offline" }) },
      log,
    });
    relay = new Relay({
      storeId: "s1",
      gatewayId: "g1",
      version: "test",
      outbox,
      connection,
      clock: { now: () => Date.now() },
      log,
      batchSize: 100,
      maxInflightBatches: 4,
      ackTimeoutMs: 1500,
    });
    await relay.start();
  });

  afterEach(async () => {
    await relay.stop();
    await outbox.close();
    await proxy.stop();
    await f.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers 2 000 events, and the outbox empties only as the cloud acknowledges", async () => {
    for (let i = 0; i < 20; i++)
      await relay.enqueue(Array.from({ length: 100 }, (_, k) => event(i * 100 + k)));
    await until(async () => (await outbox.stats()).depth === 0, 30_000);
    expect(await f.cloud.repositories.events.countEvents()).toBe(2000);
    expect(relay.counters.eventsAcked).toBe(2000);
  });

  it("loses nothing and stores nothing twice when the link is cut and restored repeatedly during a 10 000-event run", async () => {
    let produced = 0;
    const producer = (async () => {
      while (produced < 10_000) {
        await relay.enqueue(Array.from({ length: 50 }, (_, k) => event(produced + k)));
        produced += 50;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    for (let cut = 0; cut < 6; cut++) {
      await new Promise((r) => setTimeout(r, 150 + cut * 40));
      proxy.cut();
      await new Promise((r) => setTimeout(r, 200));
      proxy.restore();
    }
    await producer;
    await until(async () => (await outbox.stats()).depth === 0, 60_000);
    expect(await f.cloud.repositories.events.countEvents()).toBe(10_000);
    const distinct = await f.cloud.repositories.db.get<{ n: number }>(
      "SELECT COUNT(DISTINCT id) AS n FROM presence_events",
    );
    expect(distinct?.n).toBe(10_000);
    expect(relay.counters.eventsAcked).toBe(10_000);
  });
});
