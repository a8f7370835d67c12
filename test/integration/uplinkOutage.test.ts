import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import type { Cloud } from "../../cloud/src/createCloud.js";
import { freePort } from "../support/freePort.js";
import { RecordingLogger } from "../support/RecordingLogger.js";
import { sleep, until } from "../support/until.js";
import {
  cloudAckedSeq,
  cloudRows,
  openCloud,
  perfect,
  range,
  seedUplinkStore,
  stopCloud,
  summarise,
  untilStored,
} from "../support/uplinkCloud.js";
import { GATEWAY_ID, STORE_ID, uplinkEvents } from "../support/uplinkEvents.js";
import { startUplinkGateway } from "../support/uplinkGateway.js";

const silent = createLogger({ level: "silent", format: "json", name: "test" });

/**
 * The uplink across a broker outage of 30 s: the cloud (embedded aedes) stops and comes back on the
 * same port and data while the gateway keeps producing. In a file of its own, so that its 30 s of
 * outage run beside the other fault tests (uplinkFaults.test.ts) instead of after them.
 */
describe("uplink across a broker outage", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  const later = (cleanup: () => Promise<unknown>): void => {
    cleanups.push(cleanup);
  };
  const tempDir = async (prefix: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), `arrival-${prefix}-`));
    later(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  });

  it(
    "delivers every event exactly once after the broker was stopped for 30 s and restarted on the same port and data",
    { timeout: 240_000 },
    async () => {
      const dir = await tempDir("outage");
      const ports = { mqttPort: await freePort(), httpPort: await freePort() };
      let cloud: Cloud = await openCloud(dir, ports, silent);
      await seedUplinkStore(cloud);
      const creds = await cloud.credentials.issueMqtt(
        { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
        "test",
      );
      await cloud.start();
      later(() => stopCloud(cloud));
      const log = new RecordingLogger();
      const gateway = await startUplinkGateway(
        {
          dataDir: join(dir, "gw"),
          url: `mqtt://127.0.0.1:${ports.mqttPort}`,
          username: creds.username,
          password: creds.password,
        },
        log,
      );
      later(() => gateway.stop());

      // A steady store: 10 events every 100 ms, before, during and after the outage.
      let produced = 0;
      let producing = true;
      const producer = (async () => {
        while (producing) {
          await gateway.relay.enqueue(uplinkEvents("outage", produced, 10));
          produced += 10;
          await sleep(100);
        }
      })();
      later(() => {
        producing = false;
        return producer;
      });

      await untilStored(cloud, 200, 60_000);
      await stopCloud(cloud);
      const producedAtStop = produced;
      await sleep(30_000);
      const duringOutage = produced - producedAtStop;
      expect(duringOutage).toBeGreaterThan(0);
      expect((await gateway.outbox.stats()).depth).toBeGreaterThanOrEqual(duringOutage);

      // Same data directory, same port: the gateway finds it again by itself.
      cloud = await openCloud(dir, ports, silent);
      await cloud.start();
      await untilStored(cloud, produced, 60_000);
      producing = false;
      await producer;
      await until(async () => (await gateway.outbox.stats()).depth === 0, 60_000, "outbox drained");

      expect(summarise(await cloudRows(cloud), range(1, produced))).toEqual(perfect(range(1, produced)));
      expect(await cloudAckedSeq(cloud)).toBe(produced);
      expect(log.named("uplink connected").length).toBeGreaterThanOrEqual(2);
    },
  );
});
