import { describe, expect, it } from "vitest";
import {
  canPublish,
  canSubscribe,
  type MqttIdentity,
} from "../../../../cloud/src/domain/access/mqttAccess.js";

const gateway: MqttIdentity = { role: "gateway", storeId: "s1", gatewayId: "g1" };
const app: MqttIdentity = { role: "app", userId: "u1" };
const service: MqttIdentity = { role: "service", name: "cloud" };
const counter: MqttIdentity = { role: "store", storeId: "s1", deviceId: "counter-1" };
const own = "arrival/v1/stores/s1/gateways/g1";
const pickups = "arrival/v1/stores/s1/pickups";

describe("MQTT access control", () => {
  it.each([
    [gateway, `${own}/events`, true],
    [gateway, `${own}/status`, true],
    [gateway, `${own}/telemetry`, true],
    [gateway, `${own}/config`, false],
    [gateway, `${own}/ack`, false],
    // Labels come from the cloud only: a gateway forging one would calibrate itself.
    [gateway, `${own}/labels`, false],
    // Its own clock requests only; replies come from the cloud only: a forged one would set its clock.
    [gateway, `${own}/time`, true],
    [gateway, "arrival/v1/stores/s1/gateways/g2/time", false],
    [gateway, `${own}/time-reply`, false],
    [gateway, "arrival/v1/stores/s1/gateways/g2/time-reply", false],
    [app, `${own}/time`, false],
    [counter, `${own}/time-reply`, false],
    [service, `${own}/time-reply`, true],
    [gateway, "arrival/v1/stores/s1/gateways/g2/events", false],
    [gateway, "arrival/v1/stores/s2/gateways/g1/events", false],
    [gateway, `${own}/events/extra`, false],
    [gateway, "arrival/v1/stores/+/gateways/g1/events", false],
    [gateway, "$SYS/x", false],
    [app, "arrival/v1/users/u1/offers", false],
    [app, "arrival/v1/users/u1/location", true],
    [app, "arrival/v1/users/u2/location", false],
    [app, "arrival/v1/users/+/location", false],
    [app, "arrival/v1/users/u1/location/x", false],
    [app, `${own}/events`, false],
    [service, "arrival/v1/users/u1/offers", true],
    [service, `${own}/ack`, true],
    [service, "$SYS/broker", false],
    [service, "other/topic", false],
    // A store device only listens: not even its own store's topic, nor a gateway's.
    [counter, pickups, false],
    [counter, `${own}/events`, false],
    [counter, `${own}/status`, false],
    [counter, "arrival/v1/users/u1/location", false],
    [counter, "arrival/v1/stores/s1/counter-1", false],
    [counter, "$SYS/x", false],
  ] as const)("publish by %j to %s: %s", (identity, topic, allowed) => {
    expect(canPublish(identity, topic)).toBe(allowed);
  });

  it.each([
    [gateway, `${own}/config`, true],
    [gateway, `${own}/ack`, true],
    [gateway, `${own}/labels`, true],
    [gateway, "arrival/v1/stores/s1/gateways/g2/labels", false],
    [gateway, "arrival/v1/stores/+/gateways/+/labels", false],
    [counter, `${own}/labels`, false],
    [app, `${own}/labels`, false],
    [gateway, `${own}/time-reply`, true],
    [gateway, "arrival/v1/stores/s1/gateways/g2/time-reply", false],
    [gateway, "arrival/v1/stores/s1/gateways/+/time-reply", false],
    [gateway, `${own}/time`, false],
    [app, `${own}/time-reply`, false],
    [gateway, `${own}/events`, false],
    [gateway, `${own}/#`, false],
    [gateway, `${own}/+`, false],
    [gateway, "arrival/v1/stores/s1/gateways/g2/config", false],
    [gateway, "#", false],
    [app, "arrival/v1/users/u1/offers", true],
    [app, "arrival/v1/users/u1/#", true],
    [app, "arrival/v1/users/u10/offers", false],
    [app, "arrival/v1/users/+/offers", false],
    [app, "arrival/v1/users/u1/+", false],
    [app, "arrival/v1/users/#", false],
    [app, "#", false],
    [app, "$SYS/#", false],
    [service, "arrival/v1/stores/+/gateways/+/events", true],
    [service, "#", false],
    [service, "$SYS/#", false],
    [counter, pickups, true],
    [counter, "arrival/v1/stores/s2/pickups", false],
    [counter, "arrival/v1/stores/s10/pickups", false],
    [counter, "arrival/v1/stores/s/pickups", false],
    [counter, "arrival/v1/stores/+/pickups", false],
    [counter, "arrival/v1/stores/s1/#", false],
    [counter, "arrival/v1/stores/s1/+", false],
    [counter, `${pickups}/#`, false],
    [counter, `${pickups}/x`, false],
    [counter, "arrival/v1/stores/s1/pickups\u0000", false],
    [counter, `${own}/config`, false],
    [counter, "arrival/v1/stores/s1/gateways/+/events", false],
    [counter, "arrival/v1/users/u1/offers", false],
    [counter, "$share/g/arrival/v1/stores/s1/pickups", false],
    [counter, "#", false],
    [counter, "$SYS/#", false],
  ] as const)("subscribe by %j to %s: %s", (identity, filter, allowed) => {
    expect(canSubscribe(identity, filter)).toBe(allowed);
  });
});
