import { randomBytes } from "node:crypto";
import type mqtt from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExternalBus } from "../../cloud/src/adapters/mqtt/ExternalBus.js";
import type { BusMessage } from "../../cloud/src/services/ports.js";
import { allGatewaysFilter, gatewayTopic, TOPIC_ROOT, userTopic } from "../../protocol/index.js";
import {
  adminProvisioner,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  silentLog,
  startMosquitto,
} from "../support/mosquitto.js";
import { until } from "../support/until.js";
import { connectAs, type Login } from "./brokerContract.js";

/**
 * Several cloud workers on one service account behind mosquitto 2 with dynamic security: each
 * worker connects with its own client id, gateway events and phones' location reports reach one
 * worker each through the MQTT 5 shared subscription, and gateway status reaches every worker.
 */
describe.skipIf(!MOSQUITTO_AVAILABLE)(
  `shared subscriptions of cloud workers on mosquitto${MOSQUITTO_AVAILABLE ? "" : ` (skipped: ${MOSQUITTO_SKIP_REASON})`}`,
  () => {
    let broker: MosquittoInstance;
    let service: Login;
    let gateway: Login;
    let app: Login;
    const buses: ExternalBus[] = [];
    const clients: mqtt.MqttClient[] = [];

    const worker = async (workerId: string, shareGroup = "arrival-cloud"): Promise<ExternalBus> => {
      const bus = new ExternalBus({
        url: broker.url,
        username: service.username,
        password: service.password,
        clientId: `${service.username}.${workerId}`,
        shareGroup,
        backoff: { initialMs: 50, maxMs: 200 },
        startTimeoutMs: 5000,
        log: silentLog,
      });
      buses.push(bus);
      await bus.start();
      return bus;
    };
    const collect = () => {
      const received: BusMessage[] = [];
      const handler = async (message: BusMessage) => {
        received.push(message);
      };
      return { received, handler };
    };

    beforeAll(async () => {
      broker = await startMosquitto();
      const admin = adminProvisioner(broker);
      service = { username: "svc.workers", password: randomBytes(12).toString("hex") };
      gateway = { username: "gw.s1.g1", password: randomBytes(12).toString("hex") };
      app = { username: "app.u1", password: randomBytes(12).toString("hex") };
      await admin.grant(service.username, service.password, { role: "service", name: "workers" });
      await admin.grant(gateway.username, gateway.password, { role: "gateway", storeId: "s1", gatewayId: "g1" });
      await admin.grant(app.username, app.password, { role: "app", userId: "u1" });
      await admin.close();
    });
    afterEach(async () => {
      for (const bus of buses.splice(0)) await bus.stop();
      for (const client of clients.splice(0)) client.end(true);
    });
    afterAll(async () => {
      await broker?.stop();
    });

    it("hands each gateway batch and location report to exactly one worker, and status to every worker", async () => {
      const [w1, w2] = [await worker("w1"), await worker("w2")];
      const events = [collect(), collect()];
      const locations = [collect(), collect()];
      const statuses = [collect(), collect()];
      for (const [k, bus] of [w1, w2].entries()) {
        await bus.subscribe(allGatewaysFilter("events"), (events[k] as ReturnType<typeof collect>).handler, { shared: true });
        await bus.subscribe(`${TOPIC_ROOT}/users/+/location`, (locations[k] as ReturnType<typeof collect>).handler, {
          shared: true,
        });
        await bus.subscribe(allGatewaysFilter("status"), (statuses[k] as ReturnType<typeof collect>).handler);
      }
      expect(w1.connected && w2.connected).toBe(true);

      const gw = await connectAs(broker.url, gateway, { protocolVersion: 5 });
      const phone = await connectAs(broker.url, app, { protocolVersion: 5 });
      clients.push(gw, phone);
      const batches = Array.from({ length: 40 }, (_, i) => `batch-${i}`);
      for (const payload of batches) await gw.publishAsync(gatewayTopic("s1", "g1", "events"), payload, { qos: 1 });
      const reports = Array.from({ length: 10 }, (_, i) => `fix-${i}`);
      for (const payload of reports) await phone.publishAsync(userTopic("u1", "location"), payload, { qos: 1 });
      await gw.publishAsync(gatewayTopic("s1", "g1", "status"), "online", { qos: 1 });

      const payloads = (c: ReturnType<typeof collect>[]) => c.flatMap((x) => x.received.map((m) => m.payload.toString()));
      await until(
        () => payloads(events).length >= batches.length && payloads(locations).length >= reports.length,
        10_000,
        "every batch and report",
      );
      await until(() => statuses.every((s) => s.received.length === 1), 10_000, "status at both workers");
      // Exactly once across the group: every batch and report once, none twice.
      expect(payloads(events).sort()).toEqual([...batches].sort());
      expect(payloads(locations).sort()).toEqual([...reports].sort());
      // mosquitto spreads a group's messages over its members: both workers took a share.
      expect(events.every((c) => c.received.length > 0)).toBe(true);
      // Messages of a shared subscription arrive under their own topic, matched to the handler.
      expect(events[0]?.received[0]?.topic).toBe(gatewayTopic("s1", "g1", "events"));
      // Status is not shared: each worker keeps its own view of the fleet.
      expect(statuses.map((s) => s.received.map((m) => m.payload.toString()))).toEqual([["online"], ["online"]]);
    });

    it("lets two workers of one service account connect at once, each with its own client id", async () => {
      const [w1, w2] = [await worker("a"), await worker("b")];
      // With one client id the second connection would take over the first's session.
      await new Promise((r) => setTimeout(r, 200));
      expect([w1.connected, w2.connected, w1.connectCount, w2.connectCount]).toEqual([true, true, 1, 1]);
    });

    it("still binds a gateway to its own client id", async () => {
      await expect(connectAs(broker.url, gateway, { clientId: "gw.s1.g1.other" })).rejects.toThrow(/Not authorized/i);
    });
  },
);
