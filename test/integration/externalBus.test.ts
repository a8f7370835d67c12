import { randomBytes } from "node:crypto";
import type mqtt from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExternalBus, type ExternalBusOptions, topicMatches } from "../../cloud/src/adapters/mqtt/ExternalBus.js";
import type { BusMessage } from "../../cloud/src/services/ports.js";
import { allGatewaysFilter, gatewayTopic } from "../../protocol/index.js";
import {
  adminProvisioner,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  silentLog,
  startMosquitto,
} from "../support/mosquitto.js";
import { TcpProxy } from "../support/TcpProxy.js";
import { connectAs, type Login, until } from "./brokerContract.js";

describe("topicMatches", () => {
  it.each([
    ["a/+/c", "a/b/c", true],
    ["a/+/c", "a/b/d", false],
    ["a/#", "a", true],
    ["a/#", "a/b/c", true],
    ["a/+", "a/b/c", false],
    ["#", "$SYS/x", false],
    ["$SYS/#", "$SYS/x", true],
    ["arrival/v1/stores/+/gateways/+/events", "arrival/v1/stores/s1/gateways/g1/events", true],
    ["arrival/v1/stores/+/gateways/+/events", "arrival/v1/stores/s1/gateways/g1/status", false],
  ])("%s matches %s: %s", (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});

/**
 * The cloud's MQTT client against a real mosquitto, through a TCP proxy that cuts the link: backoff
 * and reconnect, the persistent session that queues gateway events while the cloud is away,
 * resubscription when the broker kept no session, and clear failures for wrong credentials.
 */
describe.skipIf(!MOSQUITTO_AVAILABLE)(
  `ExternalBus against mosquitto${MOSQUITTO_AVAILABLE ? "" : ` (skipped: ${MOSQUITTO_SKIP_REASON})`}`,
  () => {
    let broker: MosquittoInstance;
    let proxy: TcpProxy;
    let service: Login;
    let gateway: Login;
    const buses: ExternalBus[] = [];
    const clients: mqtt.MqttClient[] = [];

    const bus = (options: Partial<ExternalBusOptions> = {}): ExternalBus => {
      const created = new ExternalBus({
        url: `mqtt://127.0.0.1:${proxy.port}`,
        username: service.username,
        password: service.password,
        backoff: { initialMs: 50, maxMs: 200 },
        startTimeoutMs: 5000,
        publishTimeoutMs: 3000,
        log: silentLog,
        ...options,
      });
      buses.push(created);
      return created;
    };
    const collect = () => {
      const received: BusMessage[] = [];
      const handler = async (message: BusMessage) => {
        received.push(message);
      };
      return { received, handler };
    };
    const publishAsGateway = async (payloads: readonly string[]) => {
      const client = await connectAs(broker.url, gateway);
      clients.push(client);
      for (const payload of payloads) {
        await client.publishAsync(gatewayTopic("s1", "g1", "events"), payload, { qos: 1 });
      }
      client.end(true);
    };

    beforeAll(async () => {
      broker = await startMosquitto();
      proxy = new TcpProxy(broker.port);
      await proxy.start();
      const admin = adminProvisioner(broker);
      service = { username: "svc.bus-test", password: randomBytes(12).toString("hex") };
      gateway = { username: "gw.s1.g1", password: randomBytes(12).toString("hex") };
      await admin.grant(service.username, service.password, { role: "service", name: "bus-test" });
      await admin.grant(gateway.username, gateway.password, { role: "gateway", storeId: "s1", gatewayId: "g1" });
      await admin.close();
    });
    afterEach(async () => {
      for (const created of buses.splice(0)) await created.stop();
      for (const client of clients.splice(0)) client.end(true);
      proxy.restore();
    });
    afterAll(async () => {
      await proxy?.stop();
      await broker?.stop();
    });

    it("reconnects after the link is cut and receives what the broker queued meanwhile, in order", async () => {
      const b = bus();
      await b.start();
      const { received, handler } = collect();
      await b.subscribe(allGatewaysFilter("events"), handler);
      await publishAsGateway(["1"]);
      await until(() => received.length === 1);

      proxy.cut();
      await until(() => !b.connected);
      await publishAsGateway(["2", "3", "4"]);
      proxy.restore();
      await until(() => received.length === 4);
      expect(received.map((m) => m.payload.toString())).toEqual(["1", "2", "3", "4"]);
      expect(b.connectCount).toBe(2);
      // And it publishes again after the reconnect.
      await b.publish(gatewayTopic("s1", "g1", "ack"), Buffer.from("{}"), { qos: 1, retain: false });
    });

    it("subscribes again when the broker kept no session", async () => {
      const b = bus({ sessionExpiryS: 1, clientId: `${service.username}` });
      await b.start();
      const { received, handler } = collect();
      await b.subscribe(allGatewaysFilter("events"), handler);
      proxy.cut();
      await until(() => !b.connected);
      // Longer than the session expiry: mosquitto forgets the subscription.
      await new Promise((r) => setTimeout(r, 2200));
      proxy.restore();
      await until(() => b.connected && b.connectCount === 2);
      await until(async () => {
        await publishAsGateway(["after"]);
        return received.some((m) => m.payload.toString() === "after");
      });
    });

    it("after a restart, hands over what arrived before its subscription was registered", async () => {
      const first = bus();
      await first.start();
      await first.subscribe(allGatewaysFilter("events"), collect().handler);
      await first.stop();
      // The cloud is down; its session keeps the subscription and queues the gateway's events.
      await publishAsGateway(["a", "b", "c"]);
      const second = bus();
      await second.start();
      // The queued events arrive right after CONNACK, before ingest subscribes; none may be lost.
      await new Promise((r) => setTimeout(r, 300));
      const { received, handler } = collect();
      await second.subscribe(allGatewaysFilter("events"), handler);
      await until(() => received.length === 3);
      expect(received.map((m) => m.payload.toString())).toEqual(["a", "b", "c"]);
    });

    it("fails to start at once when the broker refuses the cloud's credentials", async () => {
      const started = Date.now();
      await expect(bus({ password: "wrong" }).start()).rejects.toThrow(/refused the cloud's credentials/);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it("fails to start when the broker cannot be reached in time", async () => {
      proxy.cut();
      await expect(bus({ startTimeoutMs: 500 }).start()).rejects.toThrow(/no connection/);
    });

    it("rejects a subscription or a publish the broker refuses, naming it", async () => {
      const asGateway = bus({ username: gateway.username, password: gateway.password, clientId: gateway.username });
      await asGateway.start();
      await expect(asGateway.subscribe(allGatewaysFilter("events"), collect().handler)).rejects.toThrow(
        /refused the cloud's subscription to arrival\/v1\/stores\/\+\/gateways\/\+\/events/,
      );
      await expect(
        asGateway.publish(gatewayTopic("s1", "g2", "events"), Buffer.from("{}"), { qos: 1, retain: false }),
      ).rejects.toThrow(/Not authorized/i);
    });

    it("holds a publish while the link is down and sends it once reconnected", async () => {
      const b = bus();
      await b.start();
      const listener = await connectAs(broker.url, gateway);
      clients.push(listener);
      const acks: string[] = [];
      listener.on("message", (_topic, payload) => acks.push(payload.toString()));
      await listener.subscribeAsync(gatewayTopic("s1", "g1", "ack"), { qos: 1 });
      proxy.cut();
      await until(() => !b.connected);
      const publishing = b.publish(gatewayTopic("s1", "g1", "ack"), Buffer.from("held"), { qos: 1, retain: false });
      setTimeout(() => proxy.restore(), 300);
      await publishing;
      await until(() => acks.includes("held"));
    });
  },
);
