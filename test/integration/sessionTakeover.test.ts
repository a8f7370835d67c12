import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { until } from "../support/until.js";

/**
 * Two processes with one gateway identity take each other's MQTT session ([MQTT-3.1.4-2]); the
 * cloud notices each takeover and says so: a warning, a metric, and the gateway's fleet view.
 */
describe("MQTT session takeovers of one client id", () => {
  let f: CloudFixture;
  const open: mqtt.MqttClient[] = [];

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
  });
  afterAll(async () => {
    for (const c of open) c.end(true);
    await f?.close();
  });

  const api = (url: string) =>
    f.cloud.http.inject({ method: "GET", url, headers: { authorization: `Bearer ${f.keys.admin}` } });

  it("counts a second connection of the gateway's client id in the fleet view and the metrics", async () => {
    const gw = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
    const url = `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
    const options = { clientId: gw.username, username: gw.username, password: gw.password, reconnectPeriod: 0, connectTimeout: 5000 };
    const before = (await api("/v1/gateways/g1")).json<{ takeovers: number; lastTakeoverAt: string | null }>();
    expect(before).toMatchObject({ takeovers: 0, lastTakeoverAt: null });

    const first = await mqtt.connectAsync(url, options);
    open.push(first);
    const closed = new Promise<void>((resolve) => first.once("close", () => resolve()));
    const second = await mqtt.connectAsync(url, options);
    open.push(second);
    await closed;

    const view = (await api("/v1/gateways/g1")).json<{ takeovers: number; lastTakeoverAt: string | null }>();
    expect(view.takeovers).toBe(1);
    expect(view.lastTakeoverAt).not.toBeNull();
    await until(async () => /arrival_mqtt_session_takeovers_total\{role="gateway"\} 1/.test((await api("/metrics")).body), 5000, "the takeover metric");
  });

  it("does not count a reconnect after a clean disconnect", async () => {
    const gw = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
    const url = `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
    const options = { clientId: gw.username, username: gw.username, password: gw.password, reconnectPeriod: 0, connectTimeout: 5000 };
    for (const c of open) await c.endAsync(true);
    const before = (await api("/v1/gateways/g1")).json<{ takeovers: number }>().takeovers;
    const a = await mqtt.connectAsync(url, options);
    await a.endAsync();
    const b = await mqtt.connectAsync(url, options);
    open.push(b);
    expect((await api("/v1/gateways/g1")).json<{ takeovers: number }>().takeovers).toBe(before);
  });
});
