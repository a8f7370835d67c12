import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type Cloud, createCloud } from "../../cloud/src/createCloud.js";
import { decodeGatewayMessage, encodeMessage, gatewayTopic } from "../../protocol/index.js";
import {
  adminProvisioner,
  externalMqttConfig,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  startMosquitto,
} from "../support/mosquitto.js";
import { until } from "../support/until.js";
import { presenceEvent } from "../cloud/cloudFixture.js";
import { connectAs, type Login } from "./brokerContract.js";

/**
 * Two cloud workers behind one mosquitto, sharing one SQLite file (each its own connection; SQLite
 * serialises their writes), as the shared subscription spreads one gateway's batches over them:
 * every event stored once by one worker, and the gateway's acks reach the end of what it sent
 * without a single re-send, whichever worker stored which batch and in whatever order they
 * committed. (With PostgreSQL the same holds through its repositories; that run is the integrator's.)
 */
describe.skipIf(!MOSQUITTO_AVAILABLE)(
  `two cloud workers on one broker and one database${MOSQUITTO_AVAILABLE ? "" : ` (skipped: ${MOSQUITTO_SKIP_REASON})`}`,
  () => {
    let broker: MosquittoInstance;
    let dir: string;
    let workers: Cloud[] = [];
    let gateway: Login;
    let client: mqtt.MqttClient | undefined;

    const worker = async (id: string, mqttConfig: Record<string, unknown>): Promise<Cloud> => {
      const parsed = parseCloudConfig({
        dataDir: dir,
        http: { port: 0 },
        mqtt: mqttConfig,
        worker: { id },
        log: { level: "silent" },
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      return createCloud(parsed.config, {
        log: createLogger({ level: "silent", format: "json", name: "test" }),
        clock: { now: () => Date.now() },
      });
    };

    beforeAll(async () => {
      broker = await startMosquitto();
      dir = await mkdtemp(join(tmpdir(), "arrival-workers-"));
      const { mqtt: mqttConfig } = await externalMqttConfig(broker, "workers");
      // One after the other: the first creates and migrates the database.
      const first = await worker("w1", mqttConfig);
      const now = Date.now();
      const directory = first.repositories.directory;
      await directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, now);
      await directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, now);
      await directory.upsertZone({ id: "z1", storeId: "s1", name: "Zone", tags: [], geometry: {} });
      await directory.upsertGateway({ id: "g1", storeId: "s1", name: "Gateway" }, now);
      workers = [first, await worker("w2", mqttConfig)];
      for (const w of workers) await w.start();
      gateway = { username: "gw.s1.g1", password: randomBytes(12).toString("hex") };
      const admin = adminProvisioner(broker);
      await admin.grant(gateway.username, gateway.password, { role: "gateway", storeId: "s1", gatewayId: "g1" });
      await admin.close();
    }, 60_000);
    afterAll(async () => {
      client?.end(true);
      for (const w of workers) await w.stop();
      await broker?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("stores each batch once at one worker and acks the gateway's whole outbox without re-sends", async () => {
      client = await connectAs(broker.url, gateway, { protocolVersion: 5 });
      let acked = 0;
      client.on("message", (_topic, payload) => {
        const ack = decodeGatewayMessage("ack", payload);
        if (ack.ok && ack.value.outbox === "outbox-e2e") acked = Math.max(acked, ack.value.upToSeq);
      });
      await client.subscribeAsync(gatewayTopic("s1", "g1", "ack"), { qos: 1 });
      const batches = 20;
      const perBatch = 5;
      // As a gateway with many batches in flight: each names its lowest unacknowledged sequence.
      for (let b = 0; b < batches; b++) {
        const events = Array.from({ length: perBatch }, (_, k) => presenceEvent(b * perBatch + k + 1));
        await client.publishAsync(
          gatewayTopic("s1", "g1", "events"),
          encodeMessage({ v: 1, outbox: "outbox-e2e", fromSeq: acked + 1, events }),
          { qos: 1 },
        );
      }
      const total = batches * perBatch;
      await until(() => acked === total, 20_000, "the ack of the whole outbox");
      for (const w of workers) await w.ingest.idle();
      const [a, b] = workers as [Cloud, Cloud];
      expect(await a.repositories.events.countEvents()).toBe(total);
      // Stored once: no worker stored another's batch again, and both took a share.
      expect(a.ingest.counters.eventsStored + b.ingest.counters.eventsStored).toBe(total);
      expect(a.ingest.counters.duplicates + b.ingest.counters.duplicates).toBe(0);
      expect(a.ingest.counters.batches).toBeGreaterThan(0);
      expect(b.ingest.counters.batches).toBeGreaterThan(0);
      expect(await b.repositories.events.outboxProgress("g1")).toEqual([
        { outbox: "outbox-e2e", ackedSeq: total, pending: [] },
      ]);
    });
  },
);
