import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMessage, fromHex, type GatewayRemoteConfig, gatewayTopic, storeBeaconValue, toHex } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { POSTGRES_AVAILABLE, type PostgresInstance, startPostgres } from "../support/postgres.js";

interface Sighting {
  resolved: boolean;
  storeId: string | null;
  slotStart: string | null;
  reason: string | null;
}

/**
 * The store beacon through a real cloud: the config pushed to a store's gateway carries the
 * beacon, the app reads the UUID to monitor, and a value computed from the pushed config (what the
 * gateway advertises) is resolved to the store within its slot only; stale and foreign reports
 * are refused with a reason, a flood is rate-limited, and a config stored before the beacon was
 * enabled gets it when the leader starts.
 */
describe("store beacon", () => {
  let f: CloudFixture;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-beacon-"));
    await writeFile(join(dir, "beacon-secret"), `${"k".repeat(40)}\n`);
    f = await createCloudFixture({ storeBeacon: { secretFile: join(dir, "beacon-secret"), rotationExponent: 9, maxReportAgeS: 120 } });
  });
  afterAll(async () => {
    await f?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const call = async <T>(key: string, method: "GET" | "POST" | "PUT", url: string, payload?: Record<string, unknown>) => {
    const res = await f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload }) });
    return { status: res.statusCode, body: res.json<T>() };
  };
  const desired = async (): Promise<GatewayRemoteConfig | undefined> =>
    (await f.cloud.repositories.fleet.desiredConfigs()).find((c) => c.gatewayId === "g1")?.config;
  const report = (body: Record<string, unknown>, key = f.keys.appU1, user = "u1") =>
    call<Sighting>(key, "POST", `/v1/users/${user}/store-beacon-sightings`, body);

  it("pushes the store's beacon to its gateway and resolves what the gateway advertises, in its slot only", async () => {
    const pushed = await call(f.keys.admin, "POST", "/v1/gateways/g1/config", { zones: [] });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    const config = (await desired())?.storeBeacon;
    expect(config).toMatchObject({ format: "ibeacon", rotationExponent: 9, measuredPowerDbm: -59 });
    const described = await call<{ enabled: boolean; uuid: string; slotS: number }>(f.keys.appU1, "GET", "/v1/store-beacon");
    expect(described.body).toEqual({ enabled: true, uuid: config?.uuid, format: "ibeacon", slotS: 512 });

    const now = Date.now();
    const key = fromHex(config?.identityKey ?? "") as Uint8Array;
    const onAir = storeBeaconValue(key, 9, Math.floor(now / 1000));
    const heard = await report({ uuid: config?.uuid.toUpperCase(), major: onAir.major, minor: onAir.minor, rssi: -70, at: new Date(now).toISOString() });
    expect(heard.body).toMatchObject({ resolved: true, storeId: "s1", slotStart: new Date(onAir.slotStartS * 1000).toISOString(), reason: null });
    const byEid = await report({ eid: toHex(onAir.eid), at: new Date(now).toISOString() });
    expect(byEid.body.storeId).toBe("s1");

    // The previous slot's value, replayed now, names nothing; nor does a report older than allowed.
    const before = storeBeaconValue(key, 9, onAir.slotStartS - 1);
    expect((await report({ uuid: config?.uuid, major: before.major, minor: before.minor, at: new Date(now).toISOString() })).body).toMatchObject({ resolved: false, reason: "no-store" });
    expect((await report({ uuid: config?.uuid, major: onAir.major, minor: onAir.minor, at: new Date(now - 300_000).toISOString() })).body).toMatchObject({ resolved: false, reason: "too-old" });
    // Another organisation's UUID is not ours.
    expect((await report({ uuid: "00000000-0000-8000-8000-000000000000", major: onAir.major, minor: onAir.minor, at: new Date(now).toISOString() })).body).toMatchObject({ reason: "other-organisation" });
  });

  it("refuses a malformed report with the field, another user's report, and a flood", async () => {
    const at = new Date().toISOString();
    const both = await report({ uuid: "00000000-0000-8000-8000-000000000000", major: 1, minor: 2, eid: "00".repeat(8), at });
    expect(both.status).toBe(400);
    const missing = await report({ major: 1, at });
    expect(missing.status).toBe(400);
    expect((await report({ eid: "00".repeat(8), at }, f.keys.appU1, "u2")).status).toBe(403);
    // Thirty a minute per installation, the refused report above included.
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await report({ eid: "11".repeat(8), at }, f.keys.appU2, "u2")).status);
    expect(statuses.slice(0, 29)).toEqual(new Array(29).fill(200));
    expect(statuses.slice(29)).toEqual([429, 429]);
  });

  it("gives a config stored before the beacon was enabled its beacon when the leader starts", async () => {
    await f.restart(async (cloud) => {
      const { storeBeacon: _dropped, ...without } = (await desired()) as GatewayRemoteConfig;
      await cloud.repositories.fleet.putDesiredConfig("g1", () => without, Date.now());
    });
    const config = await desired();
    expect(config?.storeBeacon?.identityKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it("gives a registered gateway that never had a config its first one when the leader starts", async () => {
    await f.restart(async (cloud) => {
      await cloud.repositories.directory.upsertGateway({ id: "g-idle", storeId: "s2", name: "Never connected" }, Date.now());
    });
    const config = (await f.cloud.repositories.fleet.desiredConfigs()).find((c) => c.gatewayId === "g-idle")?.config;
    expect(config?.storeBeacon?.identityKey).toMatch(/^[0-9a-f]{32}$/);
    expect(config?.storeBeacon?.identityKey).not.toBe((await desired())?.storeBeacon?.identityKey);
  });

  it("pushes a first config with the beacon to a new gateway when it first comes online, over MQTT", async () => {
    await f.cloud.repositories.directory.upsertGateway({ id: "g-new", storeId: "s1", name: "New" }, Date.now());
    const gw = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g-new" }, "test");
    expect((await f.cloud.repositories.fleet.getFleetGateway("g-new"))?.desiredRevision).toBeNull();
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${f.cloud.mqttPort()}`, {
      clientId: gw.username,
      username: gw.username,
      password: gw.password,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    try {
      const configTopic = gatewayTopic("s1", "g-new", "config");
      const received = new Promise<GatewayRemoteConfig>((resolve) =>
        client.on("message", (topic, payload) => {
          if (topic === configTopic) resolve(JSON.parse(payload.toString()) as GatewayRemoteConfig);
        }),
      );
      await client.subscribeAsync(configTopic, { qos: 1 });
      // What a gateway publishes as it connects: online, no remote config applied yet.
      await client.publishAsync(gatewayTopic("s1", "g-new", "status"), encodeMessage({ v: 1, state: "online", at: new Date().toISOString() }), {
        qos: 1,
        retain: true,
      });
      const config = await received;
      const stored = (await f.cloud.repositories.fleet.desiredConfigs()).find((c) => c.gatewayId === "g-new")?.config;
      expect(config).toEqual(stored);
      expect(config.storeBeacon?.identityKey).toMatch(/^[0-9a-f]{32}$/);
      expect(config.zones.map((z) => z.id)).toEqual(stored?.zones.map((z) => z.id));
    } finally {
      await client.endAsync(true);
    }
  });
});

/**
 * A resolved sighting is the user's presence at the store: stored once per slot, decided by the
 * rules as `beacon-arrival` (and by no gateway `enter` rule), replayed the same by a dry run; on
 * SQLite and on PostgreSQL.
 */
describe.each([["SQLite"], ["PostgreSQL"]] as const)("store beacon sightings in the presence pipeline (%s)", (storageKind) => {
  let f: CloudFixture;
  let dir: string;
  let server: PostgresInstance | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-beacon-pipeline-"));
    await writeFile(join(dir, "beacon-secret"), "p".repeat(48));
    let storage: Record<string, unknown> | undefined;
    if (storageKind === "PostgreSQL") {
      if (!POSTGRES_AVAILABLE) return;
      server = await startPostgres();
      const url = new URL(await server.createDatabase("beacon"));
      url.password = server.password;
      storage = { kind: "postgres", url: url.toString() };
    }
    f = await createCloudFixture({ storeBeacon: { secretFile: join(dir, "beacon-secret") }, ...(storage ? { storage } : {}) });
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(storageKind === "PostgreSQL" && !POSTGRES_AVAILABLE)("issues a beacon-arrival rule's offer once per slot, and no gateway rule's", async () => {
    const call = async <T>(key: string, method: "GET" | "POST", url: string, payload?: Record<string, unknown>) => {
      const res = await f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload }) });
      return { status: res.statusCode, body: res.json<T>() };
    };
    const spec = {
      trigger: { type: "beacon-arrival" },
      scope: { storeIds: ["s1"] },
      offer: { title: "Welcome in", text: "You are here", discount: { kind: "percent", percent: 10 }, validityS: 600 },
      limits: { maxPerUserPerDay: 1 },
    };
    expect((await call(f.keys.marketer, "POST", "/v1/rules", { id: "r-beacon", spec })).status).toBe(201);
    expect((await call(f.keys.marketer, "POST", "/v1/rules/r-beacon/transitions", { to: "live" })).status).toBe(200);
    const { body: described } = await call<{ uuid: string; slotS: number }>(f.keys.appU1, "GET", "/v1/store-beacon");
    const pushed = await call(f.keys.admin, "POST", "/v1/gateways/g1/config", { zones: [] });
    expect(pushed.status).toBe(200);
    const config = (await f.cloud.repositories.fleet.desiredConfigs()).find((c) => c.gatewayId === "g1")?.config.storeBeacon;
    const now = Date.now();
    const onAir = storeBeaconValue(fromHex(config?.identityKey ?? "") as Uint8Array, config?.rotationExponent ?? 9, Math.floor(now / 1000));
    const report = () =>
      call<Sighting & { eventId: string }>(f.keys.appU1, "POST", "/v1/users/u1/store-beacon-sightings", {
        uuid: described.uuid,
        major: onAir.major,
        minor: onAir.minor,
        rssi: -71,
        at: new Date(now).toISOString(),
      });
    const first = await report();
    expect(first.body).toMatchObject({ resolved: true, storeId: "s1" });
    // The answer carries the offer the rules issued on it, for a woken app to show at once.
    const answered = (first.body as unknown as { offers: { offerId: string; ruleId: string; title: string; code: string }[] }).offers;
    expect(answered.map((o) => [o.ruleId, o.title])).toEqual([["r-beacon", "Welcome in"]]);
    const again = await report();
    expect(again.body.eventId).toBe(first.body.eventId);
    expect((again.body as unknown as { offers: unknown[] }).offers).toEqual([]);
    await f.cloud.pipeline.idle();
    const offers = await call<{ offers: { offerId: string; ruleId: string; code: string }[] }>(f.keys.appU1, "GET", "/v1/users/u1/offers");
    // r1, the fixture's live gateway `enter` rule, does not fire on the phone's own claim.
    expect(offers.body.offers.map((o) => o.ruleId)).toEqual(["r-beacon"]);
    expect(offers.body.offers.map((o) => [o.offerId, o.code])).toEqual(answered.map((o) => [o.offerId, o.code]));
    // The dry run replays the stored sighting as the live path decided it.
    const dry = await call<{ report: { eventsEvaluated: number; offersIssued: number } }>(f.keys.marketer, "POST", "/v1/rules/dry-run", {
      spec,
      from: new Date(now - 3_600_000).toISOString(),
      to: new Date(now + 60_000).toISOString(),
    });
    expect(dry.body.report).toMatchObject({ eventsEvaluated: 1, offersIssued: 1 });
  });
});
