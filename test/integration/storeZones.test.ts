import type mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decodeGatewayMessage, gatewayTopic, type GatewayRemoteConfig } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { until } from "../support/until.js";
import { connectAs } from "./brokerContract.js";

interface ZoneJson {
  id: string;
  tags: string[];
  zone: { id: string; shape: string } | null;
}

/**
 * A store's zones have one home, the directory: the directory API and the fleet config push both
 * write it, and every config a gateway gets is built from it. Real cloud (SQLite in a temp dir,
 * embedded broker on port 0), with gateway g1's own MQTT credential watching its retained config
 * topic as the gateway would.
 */
describe("store zones: one source for the directory, the gateways and the rules", () => {
  let f: CloudFixture;
  let client: mqtt.MqttClient;
  /** Configs received on g1's config topic, in order. */
  const received: GatewayRemoteConfig[] = [];

  const api = async (method: "GET" | "POST" | "PUT" | "DELETE", url: string, key: string, payload?: object) => {
    const res = await f.cloud.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const desiredRevision = async () =>
    ((await api("GET", "/v1/gateways/g1", f.keys.admin)).body as { config: { desiredRevision: number | null } }).config
      .desiredRevision;
  const storeZones = async () => ((await api("GET", "/v1/stores/s1/zones", f.keys.admin)).body.zones as ZoneJson[]);
  /** Waits for g1 to receive `revision` and returns that config. */
  const configOf = async (revision: number): Promise<GatewayRemoteConfig> => {
    await until(() => received.some((c) => c.revision === revision), 10_000, `revision ${revision} on g1's config topic`);
    const config = received.find((c) => c.revision === revision);
    if (!config) throw new Error("unreachable");
    return config;
  };

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    const issued = await api("POST", "/v1/gateways/g1/credentials", f.keys.admin);
    expect(issued.status).toBe(201);
    client = await connectAs(`mqtt://127.0.0.1:${f.cloud.mqttPort()}`, issued.body as { username: string; password: string });
    client.on("message", (_topic, payload) => {
      const decoded = decodeGatewayMessage("config", payload);
      if (decoded.ok) received.push(decoded.value);
    });
    await client.subscribeAsync(gatewayTopic("s1", "g1", "config"), { qos: 1 });
  });
  afterAll(async () => {
    await client?.endAsync();
    await f?.close();
  });

  it("a zone created through the directory API reaches the gateway in a new desired config", async () => {
    expect(await desiredRevision()).toBeNull();
    const zone = { id: "door", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 };
    expect((await api("POST", "/v1/stores/s1/zones", f.keys.admin, { zone, tags: ["entrance"] })).status).toBe(201);
    expect(await desiredRevision()).toBe(1);
    // z1 of the seeded store has no valid geometry, so it is not sent; `door` is.
    expect((await configOf(1)).zones).toEqual([zone]);

    const wider = { ...zone, radiusM: 5 };
    expect((await api("PUT", "/v1/stores/s1/zones/door", f.keys.admin, { zone: wider, tags: ["entrance"] })).status).toBe(200);
    expect(await desiredRevision()).toBe(2);
    expect((await configOf(2)).zones).toEqual([wider]);
  });

  it("zones pushed through the config API become the store's zones, tags given or kept, and rules see them", async () => {
    const till = { id: "till", shape: "gateway-radius", gatewayId: "g1", radiusM: 2 };
    const door = { id: "door", shape: "gateway-radius", gatewayId: "g1", radiusM: 4 };
    const pushed = await api("POST", "/v1/gateways/g1/config", f.keys.admin, {
      zones: [till, door],
      zoneTags: { till: ["checkout"] },
      presence: { exitAfterMs: 20_000 },
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    expect(pushed.body).toEqual({ revision: 3 });
    expect(await configOf(3)).toEqual({ v: 1, revision: 3, zones: [till, door], presence: { exitAfterMs: 20_000 } });
    // Replaced as a set: z1 is gone; door kept the tags it had, till has the ones given.
    expect((await storeZones()).map(({ id, tags, zone }) => ({ id, tags, zone }))).toEqual([
      { id: "door", tags: ["entrance"], zone: door },
      { id: "till", tags: ["checkout"], zone: till },
    ]);
    const badTags = await api("POST", "/v1/stores/s1/config", f.keys.admin, { zones: [till], zoneTags: { ghost: ["x"] } });
    expect(badTags.status).toBe(400);
    expect(badTags.body).toMatchObject({ error: { details: [{ path: "/zoneTags/ghost" }] } });

    const rule = await api("POST", "/v1/rules", f.keys.admin, {
      id: "r-checkout",
      spec: {
        trigger: { type: "enter" },
        scope: { zoneTags: ["checkout"] },
        offer: { title: "Bag", text: "Free bag", discount: { kind: "percent", percent: 100 }, validityS: 600 },
        limits: { maxPerUserPerDay: 5 },
      },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    expect((await api("POST", "/v1/rules/r-checkout/transitions", f.keys.admin, { to: "live" })).status).toBe(200);
    // At the door (tagged entrance) the rule does not apply; at the till (tagged checkout) it does.
    await f.ingest([presenceEvent(1, { zoneId: "door", visitId: "visit-door" })], 1);
    await f.cloud.offers.idle();
    expect((await api("GET", "/v1/users/u1/offers", f.keys.appU1)).body.offers).toEqual([]);
    await f.ingest([presenceEvent(2, { zoneId: "till", visitId: "visit-till" })], 2);
    await f.cloud.offers.idle();
    expect((await api("GET", "/v1/users/u1/offers", f.keys.appU1)).body.offers).toMatchObject([{ title: "Bag" }]);
  });

  it("a deleted zone is gone from the next config; a push without zones sends the store's zones", async () => {
    expect((await api("DELETE", "/v1/stores/s1/zones/door", f.keys.admin)).status).toBe(200);
    expect(await desiredRevision()).toBe(4);
    const till = { id: "till", shape: "gateway-radius", gatewayId: "g1", radiusM: 2 };
    // The directory change keeps the presence tuning the gateway was last given.
    expect(await configOf(4)).toEqual({ v: 1, revision: 4, zones: [till], presence: { exitAfterMs: 20_000 } });

    const presenceOnly = await api("POST", "/v1/stores/s1/config", f.keys.admin, { presence: { exitAfterMs: 30_000 } });
    expect(presenceOnly.status, JSON.stringify(presenceOnly.body)).toBe(200);
    expect(presenceOnly.body).toEqual({ gateways: [{ gatewayId: "g1", revision: 5 }] });
    expect(await configOf(5)).toEqual({ v: 1, revision: 5, zones: [till], presence: { exitAfterMs: 30_000 } });
    expect((await storeZones()).map((z) => z.id)).toEqual(["till"]);
  });

  it("a zone change commits when the broker refuses the publish, and the sweep publishes it", async () => {
    const bus = f.cloud.broker;
    const publish = bus.publish.bind(bus);
    let failing = true;
    const spy = vi.spyOn(bus, "publish").mockImplementation(async (topic, payload, options) => {
      if (failing) throw new Error("broker unreachable");
      return publish(topic, payload, options);
    });
    try {
      const shelf = { id: "shelf", shape: "circle", center: { lat: 22.28, lon: 114.16 }, radiusM: 4 };
      expect((await api("POST", "/v1/stores/s1/zones", f.keys.admin, { zone: shelf })).status).toBe(201);
      expect((await storeZones()).map((z) => z.id)).toEqual(["shelf", "till"]);
      expect(await desiredRevision()).toBe(6);
      expect(received.some((c) => c.revision === 6)).toBe(false);
      failing = false;
      await f.cloud.fleet.sweep();
      expect((await configOf(6)).zones.map((z) => z.id)).toEqual(["shelf", "till"]);
    } finally {
      spy.mockRestore();
    }
  });

  it("a zone's own exit margin is stored, returned and pushed to the gateways; a bad one is refused with its path", async () => {
    const till = { id: "till", shape: "gateway-radius", gatewayId: "g1", radiusM: 2, exitMarginM: 1.5 };
    const replaced = await api("PUT", "/v1/stores/s1/zones/till", f.keys.admin, { zone: till });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.zone).toEqual(till);
    expect((await api("GET", "/v1/stores/s1/zones/till", f.keys.admin)).body.zone).toEqual(till);
    expect((await configOf(7)).zones).toContainEqual(till);

    const aisle = {
      id: "aisle",
      shape: "polygon",
      points: [
        { lat: 22.28, lon: 114.15 },
        { lat: 22.2801, lon: 114.15 },
        { lat: 22.2801, lon: 114.1501 },
      ],
      exitMarginM: 0,
    };
    const created = await api("POST", "/v1/stores/s1/zones", f.keys.admin, { zone: aisle });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.zone).toEqual(aisle);
    expect((await configOf(8)).zones).toContainEqual(aisle);

    const shelf = { id: "shelf", shape: "circle", center: { lat: 22.28, lon: 114.16 }, radiusM: 4, exitMarginM: 3 };
    const pushed = await api("POST", "/v1/stores/s1/config", f.keys.admin, { zones: [shelf, till, aisle] });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    expect((await configOf(9)).zones).toEqual([shelf, till, aisle]);
    expect((await storeZones()).map((z) => z.zone)).toEqual([aisle, shelf, till]);

    for (const exitMarginM of [25, -1, "2"]) {
      const zone = { ...till, exitMarginM };
      const direct = await api("PUT", "/v1/stores/s1/zones/till", f.keys.admin, { zone });
      expect(direct.status).toBe(400);
      expect(JSON.stringify(direct.body)).toContain("/zone/exitMarginM");
      const viaConfig = await api("POST", "/v1/gateways/g1/config", f.keys.admin, { zones: [zone] });
      expect(viaConfig.status).toBe(400);
      expect(JSON.stringify(viaConfig.body)).toContain("/zones/0/exitMarginM");
    }
    expect(await desiredRevision()).toBe(9);
  });
});
