import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type Cloud, createCloud } from "../../cloud/src/createCloud.js";
import { decodeGatewayMessage, gatewayTopic } from "../../protocol/index.js";
import {
  adminProvisioner,
  externalMqttConfig,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  startMosquitto,
} from "../support/mosquitto.js";
import { until } from "../support/until.js";
import { connectAs, type Login } from "./brokerContract.js";

/**
 * mosquitto run without persistence forgets its retained messages when it restarts, and with them
 * every gateway's desired config: a gateway that reconnects (or a replacement Pi) would find no
 * config. The cloud notices its link come back and publishes the configs again.
 */
describe.skipIf(!MOSQUITTO_AVAILABLE)(
  `the cloud after its external broker restarts${MOSQUITTO_AVAILABLE ? "" : ` (skipped: ${MOSQUITTO_SKIP_REASON})`}`,
  () => {
    let broker: MosquittoInstance;
    let dir: string;
    let cloud: Cloud;
    let gateway: Login;
    let adminKey: string;

    beforeAll(async () => {
      broker = await startMosquitto();
      dir = await mkdtemp(join(tmpdir(), "arrival-broker-restart-"));
      const { mqtt: mqttConfig } = await externalMqttConfig(broker, "restart");
      const parsed = parseCloudConfig({
        dataDir: dir,
        http: { port: 0 },
        mqtt: mqttConfig,
        worker: { id: "w1" },
        log: { level: "silent" },
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      cloud = await createCloud(parsed.config, {
        log: createLogger({ level: "silent", format: "json", name: "test" }),
        clock: { now: () => Date.now() },
      });
      const now = Date.now();
      const directory = cloud.repositories.directory;
      await directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, now);
      await directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, now);
      await directory.upsertGateway({ id: "g1", storeId: "s1", name: "Gateway" }, now);
      await cloud.start();
      adminKey = (await cloud.credentials.issueApiKey({ role: "admin", orgId: "o1", label: "test" }, "test")).key;
      gateway = { username: "gw.s1.g1", password: randomBytes(12).toString("hex") };
      const admin = adminProvisioner(broker);
      await admin.grant(gateway.username, gateway.password, { role: "gateway", storeId: "s1", gatewayId: "g1" });
      await admin.close();
    }, 60_000);
    afterAll(async () => {
      await cloud?.stop();
      await broker?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** The retained config a gateway finds when it subscribes now, or null within a second. */
    const retainedConfig = async (): Promise<number | null> => {
      const client = await connectAs(broker.url, gateway, { clean: true });
      try {
        const revision = new Promise<number | null>((resolve) => {
          client.on("message", (_topic, payload) => {
            const decoded = decodeGatewayMessage("config", payload);
            resolve(decoded.ok ? decoded.value.revision : null);
          });
          setTimeout(() => resolve(null), 1000);
        });
        await client.subscribeAsync(gatewayTopic("s1", "g1", "config"), { qos: 1 });
        return await revision;
      } finally {
        await client.endAsync();
      }
    };

    it("publishes the desired configs again once its link to the restarted broker is back", { timeout: 90_000 }, async () => {
      const pushed = await cloud.http.inject({
        method: "POST",
        url: "/v1/gateways/g1/config",
        headers: { authorization: `Bearer ${adminKey}` },
        payload: { zones: [{ id: "entrance", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 }] },
      });
      expect(pushed.statusCode, pushed.body).toBe(200);
      const { revision } = pushed.json<{ revision: number }>();
      expect(await retainedConfig()).toBe(revision);

      await broker.restart();
      await until(async () => (await retainedConfig()) === revision, 60_000, "the config retained again after the restart");
    });
  },
);
