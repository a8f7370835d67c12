import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appSubjectId,
  decodeGatewayMessage,
  encodeMessage,
  fromHex,
  type GatewayStatus,
  gatewayTopic,
  type PlaceLabel,
  storeBeaconValue,
} from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture, SUBJECT_U1 } from "../cloud/cloudFixture.js";
import { until } from "../support/until.js";

/**
 * Calibration labels from phones through a real cloud and its embedded broker: a member's phone
 * that reports hearing the store's beacon (resolved to the store in its slot) makes the cloud tell
 * the store's gateway, on its labels topic, that the member was inside then; a member without
 * analytics consent and an unresolved report make none. The gateway says in its status that it
 * learns from inside labels, as one with `insideLearning` does; others are not told.
 */
describe("inside labels from phone-side store beacon reports", () => {
  let f: CloudFixture;
  let dir: string;
  let client: mqtt.MqttClient;
  const labels: PlaceLabel[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-inside-"));
    await writeFile(join(dir, "beacon-secret"), `${"k".repeat(40)}\n`);
    f = await createCloudFixture({ storeBeacon: { secretFile: join(dir, "beacon-secret"), rotationExponent: 9, maxReportAgeS: 120 } });
    // u2 withdraws analytics consent: what the gateways heard of them is not to be measured.
    await f.cloud.repositories.users.upsertUser(
      { id: "u2", orgId: "o1", displayName: "u2", segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: false },
      Date.now(),
    );
    // Listens as gateway g1 would, with its own login and the broker's access control.
    const login = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
    client = await mqtt.connectAsync(`mqtt://127.0.0.1:${f.cloud.mqttPort()}`, {
      clientId: login.username,
      username: login.username,
      password: login.password,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    client.on("message", (topic, payload) => {
      if (topic !== gatewayTopic("s1", "g1", "labels")) return;
      const decoded = decodeGatewayMessage("labels", payload);
      if (decoded.ok) labels.push(decoded.value);
    });
    const [granted] = await client.subscribeAsync(gatewayTopic("s1", "g1", "labels"), { qos: 1 });
    expect(granted?.qos).toBe(1);
    const status: GatewayStatus = {
      v: 1,
      state: "online",
      at: new Date().toISOString(),
      calibration: {
        surveyedAt: null,
        samples: null,
        rssiOffsetDb: 0,
        zones: [],
        learnedZones: [{ zoneId: "floor", labels: 0, refused: 0, edgeLossDb: null, targetDb: null, learnedAt: null, weeks: [] }],
      },
    };
    await client.publishAsync(gatewayTopic("s1", "g1", "status"), encodeMessage(status), { qos: 1, retain: true });
    await until(async () => (await f.cloud.repositories.fleet.getFleetGateway("g1"))?.calibration?.learnedZones !== undefined, 10_000, "g1 learning");
  }, 60_000);
  afterAll(async () => {
    await client?.endAsync();
    await f?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const call = async <T>(key: string, method: "GET" | "POST", url: string, payload?: Record<string, unknown>) => {
    const res = await f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload }) });
    return { status: res.statusCode, body: res.json<T>() };
  };

  it("labels a consenting member inside at the report's time, and no one else", async () => {
    const pushed = await call(f.keys.admin, "POST", "/v1/gateways/g1/config", { zones: [] });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    const config = (await f.cloud.repositories.fleet.desiredConfigs()).find((c) => c.gatewayId === "g1")?.config.storeBeacon;
    if (config === undefined) throw new Error("no store beacon pushed");
    const now = Date.now();
    const onAir = storeBeaconValue(fromHex(config.identityKey) as Uint8Array, 9, Math.floor(now / 1000));
    const report = (key: string, user: string, at: number, value = onAir) =>
      call<{ resolved: boolean; reason: string | null }>(key, "POST", `/v1/users/${user}/store-beacon-sightings`, {
        uuid: config.uuid,
        major: value.major,
        minor: value.minor,
        rssi: -70,
        at: new Date(at).toISOString(),
      });

    // Within the value's slot, whenever in it the test runs.
    const base = Math.max(now - 2000, onAir.slotStartS * 1000);
    // Before the one that is labelled, in this order: a member without consent, and a value from
    // the previous slot (names no store). Labels on one topic arrive in order at QoS 1, and each is
    // published before the next report is made or not at all.
    expect((await report(f.keys.appU2, "u2", base)).body).toMatchObject({ resolved: true });
    const stale = storeBeaconValue(fromHex(config.identityKey) as Uint8Array, 9, onAir.slotStartS - 1);
    expect((await report(f.keys.appU1, "u1", base, stale)).body).toMatchObject({ resolved: false, reason: "no-store" });
    expect((await report(f.keys.appU1, "u1", base + 500)).body).toMatchObject({ resolved: true });
    await until(async () => labels.length > 0, 10_000, "an inside label");
    expect(labels).toEqual([{ v: 1, place: "inside", at: new Date(base + 500).toISOString(), subjects: [appSubjectId("u1"), SUBJECT_U1] }]);
  });
});
