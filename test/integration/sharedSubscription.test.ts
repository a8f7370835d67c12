import { randomBytes } from "node:crypto";
import type mqtt from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExternalBus } from "../../cloud/src/adapters/mqtt/ExternalBus.js";
import { createMqttSide, type MqttSide } from "../../cloud/src/createMqtt.js";
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

    /** A worker's MQTT side as createCloud makes it, with a configured (stable) or generated worker id. */
    // A group of its own per test: the sessions earlier tests left behind are members of theirs.
    const side = async (workerId: string, workerIdStable: boolean, shareGroup: string): Promise<MqttSide> => {
      const created = createMqttSide(
        {
          mode: "external",
          url: broker.url,
          username: service.username,
          password: service.password,
          keepaliveS: 30,
          sessionExpiryS: 3600,
          shareGroup,
          provisioning: "none",
        },
        {
          log: silentLog,
          clock: { now: () => Date.now() },
          workerId,
          workerIdStable,
          authenticate: async () => null,
          revokedSince: async () => [],
        },
      );
      await created.start();
      sides.push(created);
      return created;
    };
    const sides: MqttSide[] = [];
    afterEach(async () => {
      for (const s of sides.splice(0)) await s.stop();
    });
    const publishBatches = async (count: number, prefix: string): Promise<void> => {
      const gw = await connectAs(broker.url, gateway, { protocolVersion: 5 });
      clients.push(gw);
      for (let i = 0; i < count; i++) await gw.publishAsync(gatewayTopic("s1", "g1", "events"), `${prefix}${i}`, { qos: 1 });
    };

    it("keeps a stopped worker's share for it when its worker id is configured, to hand over when it returns", async () => {
      const stays = await side("stays", true, "keep");
      const leaves = await side("leaves", true, "keep");
      const atStays = collect();
      await stays.bus.subscribe(allGatewaysFilter("events"), atStays.handler, { shared: true });
      await leaves.bus.subscribe(allGatewaysFilter("events"), collect().handler, { shared: true });
      await leaves.stop();
      await publishBatches(10, "k");
      // The same worker id again: its session, with the share mosquitto queued in it.
      const back = await side("leaves", true, "keep");
      const atBack = collect();
      await back.bus.subscribe(allGatewaysFilter("events"), atBack.handler, { shared: true });
      await until(() => atStays.received.length + atBack.received.length === 10, 10_000, "every batch");
      expect(atBack.received.length).toBeGreaterThan(0);
    });

    it("gives a worker with a generated id no session to strand batches in once it has gone", async () => {
      const stays = await side("gen-stays", false, "gen");
      const leaves = await side("gen-leaves", false, "gen");
      const atStays = collect();
      await stays.bus.subscribe(allGatewaysFilter("events"), atStays.handler, { shared: true });
      await leaves.bus.subscribe(allGatewaysFilter("events"), collect().handler, { shared: true });
      await leaves.stop();
      await publishBatches(10, "g");
      // Session expiry 0: the departed worker left the group, so the one that stays takes all.
      await until(() => atStays.received.length === 10, 10_000, "every batch at the worker that stayed");
    });

    it("still binds a gateway to its own client id", async () => {
      await expect(connectAs(broker.url, gateway, { clientId: "gw.s1.g1.other" })).rejects.toThrow(/Not authorized/i);
    });
  },
);
