import type mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynsecAclsFor, dynsecRoleName } from "../../cloud/src/adapters/mqtt/MosquittoDynsec.js";
import { gatewayTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import {
  adminProvisioner,
  externalMqttConfig,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  startMosquitto,
} from "../support/mosquitto.js";
import { type LogEntry, RecordingLogger } from "../support/RecordingLogger.js";
import { until } from "../support/until.js";
import { connectAs, grant } from "./brokerContract.js";

/**
 * An upgrade on a real mosquitto: a gateway provisioned by a release before the clock topics has a
 * role without them; once the cloud of this release starts, the same connection may subscribe to
 * its clock replies, with no new credential and no reconnect.
 */
describe.skipIf(!MOSQUITTO_AVAILABLE)(
  `mosquitto roles at cloud start${MOSQUITTO_AVAILABLE ? "" : ` (skipped: ${MOSQUITTO_SKIP_REASON})`}`,
  () => {
    let broker: MosquittoInstance;
    let f: CloudFixture;
    const entries: LogEntry[] = [];
    const open: mqtt.MqttClient[] = [];

    beforeAll(async () => {
      broker = await startMosquitto();
      const { mqtt: config } = await externalMqttConfig(broker);
      f = await createCloudFixture({ mqtt: config, log: new RecordingLogger(entries) });
    });
    afterAll(async () => {
      for (const client of open) client.end(true);
      await f?.close();
      await broker?.stop();
    });

    const refreshed = () => entries.filter((e) => e.msg === "mqtt roles refreshed");

    it("gives a gateway provisioned before the clock topics its time-reply subscription, without reconnecting it", async () => {
      const login = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
      const identity = { role: "gateway", storeId: "s1", gatewayId: "g1" } as const;
      // The role as the previous release wrote it.
      const older = dynsecAclsFor(identity).filter((a) => !/\/time(-reply)?$/.test(a.topic));
      const admin = adminProvisioner(broker);
      try {
        const [modified] = await admin.send([{ command: "modifyRole", rolename: dynsecRoleName(login.username), acls: older }]);
        expect(modified?.error).toBeUndefined();
      } finally {
        await admin.close();
      }
      const gateway = await connectAs(broker.url, login);
      open.push(gateway);
      let closed = false;
      gateway.on("close", () => {
        closed = true;
      });
      const timeReply = gatewayTopic("s1", "g1", "time-reply");
      expect(await grant(gateway, timeReply)).toBe(128);

      const before = refreshed().length;
      await f.restart();
      await until(() => refreshed().length > before, 10_000, "the role refresh");
      expect(refreshed().at(-1)?.obj).toMatchObject({ broker: "mosquitto-dynsec", refreshed: 1, failed: 0 });

      expect(await grant(gateway, timeReply)).toBe(1);
      expect(closed).toBe(false);
    });

    it("writes nothing at the next start once roles are current", async () => {
      const before = refreshed().length;
      await f.restart();
      await until(() => refreshed().length > before, 10_000, "the role refresh");
      expect(refreshed().at(-1)?.obj).toMatchObject({ refreshed: 0, unchanged: 1, failed: 0 });
    });

    it("starts and serves when the refresh cannot reach the plugin, and says how many roles are left", async () => {
      const { mqtt: config } = await externalMqttConfig(broker, "other");
      const seen: LogEntry[] = [];
      const wrongAdmin = { ...config, dynsec: { username: broker.adminUser, password: "not-the-password" } };
      const other = await createCloudFixture({ mqtt: wrongAdmin, log: new RecordingLogger(seen) });
      try {
        // The first start had no credential to refresh; one is recorded (as by an older release).
        await other.cloud.repositories.credentials.putMqttCredential(
          { username: "gw.s1.g9", secretHash: "h", identity: { role: "gateway", storeId: "s1", gatewayId: "g9" } },
          0,
        );
        await other.restart();
        await until(() => seen.some((e) => String(e.msg).startsWith("mqtt roles not all refreshed")), 15_000, "the warning");
        const warning = seen.find((e) => String(e.msg).startsWith("mqtt roles not all refreshed"));
        expect(warning).toMatchObject({ level: "warn", obj: { refreshed: 0, failed: 1 } });
        expect(JSON.stringify(warning?.obj)).not.toContain("not-the-password");
        expect((await other.cloud.http.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
      } finally {
        await other.close();
      }
    });
  },
);
