import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import type { Cloud } from "../../cloud/src/createCloud.js";
import { type GatewayConfig, parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import type { UnsequencedEvent } from "../../gateway/src/services/ports.js";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { freeUdpPort, SimClock } from "../../scripts/bench/fusionLive.js";
import { loadVectors, vectorAdvertisingData } from "../gateway/domain/advert/advertBytes.js";
import { freePort } from "../support/freePort.js";
import { until } from "../support/until.js";
import { openCloud, seedUplinkStore, stopCloud } from "../support/uplinkCloud.js";
import { STORE_ID } from "../support/uplinkEvents.js";
import { silentSource, uplinkGatewayDocument } from "../support/uplinkGateway.js";

const silent = createLogger({ level: "silent", format: "json", name: "test" });

/** A real iBeacon advert (room-assistant's test vector, 1 m power -52 dBm): the member's beacon. */
const vector = loadVectors().find((v) => v.id === "room-assistant-ibeacon-1");
if (!vector) throw new Error("vector room-assistant-ibeacon-1 is missing");
const BEACON = vectorAdvertisingData(vector);
const SUBJECT = "ibeacon:2f234454-cf6d-4a0f-adf2-f4911ba9ffa6:1:2";
const DAY = 86_400_000;
const STEP_MS = 250;

/**
 * A store of two real gateways fusing over the real store LAN (UDP, the store key) and uploading
 * through the cloud's broker: g1's floor zone is drawn at 3 m (10.5 dB), but its radio hears the
 * floor weaker, and g1 learns the zone's edge from inside labels sent on its labels topic, as the
 * cloud sends them. Afterwards a member on the floor is decided alike by both gateways: g2 runs
 * what g1 learned (its calibration record over the LAN), not its config's 3 m, so both upload the
 * same events under the same ids and the cloud stores each once.
 */
describe("a learned calibration shared over the store LAN", () => {
  let dir: string;
  let cloud: Cloud;
  const clock = new SimClock(Math.floor((Date.now() - 5 * DAY) / 1000) * 1000);
  const gateways = new Map<string, Gateway>();
  const uploaded = new Map<string, UnsequencedEvent[]>();
  const configs = new Map<string, GatewayConfig>();

  /** Starts gateway `id` on its config, every event it hands its relay recorded in `uploaded`. */
  const startGateway = async (id: string): Promise<void> => {
    const config = configs.get(id);
    if (config === undefined) throw new Error(`no config for ${id}`);
    const gateway = await createGateway(config, { source: silentSource, log: silent, clock });
    const events = uploaded.get(id) ?? [];
    uploaded.set(id, events);
    const enqueue = gateway.relay.enqueue.bind(gateway.relay);
    vi.spyOn(gateway.relay, "enqueue").mockImplementation((batch) => {
      events.push(...batch);
      return enqueue(batch);
    });
    await gateway.start();
    gateways.set(id, gateway);
  };
  const floorEvents = (id: string) =>
    (uploaded.get(id) ?? []).filter((e) => e.zoneId === "floor").map((e) => ({ id: e.id, type: e.type, visitId: e.visitId, at: e.at }));
  const storedIds = async () =>
    (await cloud.repositories.db.all<{ id: string }>("SELECT id FROM presence_events WHERE zone_id = 'floor' ORDER BY at")).map((r) => r.id);

  /** Datagrams of gateways stopped, and those sent to a gateway while it was down (never received). */
  const retired = { queued: 0, received: 0, lost: 0 };
  const unreceived = (): number => {
    let queued = retired.queued;
    let received = retired.received;
    for (const g of gateways.values()) {
      queued += g.fusion?.channel.counters.datagramsQueued ?? 0;
      received += g.fusion?.channel.counters.datagramsReceived ?? 0;
    }
    return queued - received;
  };
  /** Every datagram handed to a socket reached the other gateway, but for those sent to one down. */
  const lanQuiet = (): boolean => unreceived() === retired.lost;
  /** One batch interval of the store: the member heard by g1 at `rssiDbm` (none: not heard), then every gateway's tick. */
  const step = async (rssiDbm?: number): Promise<void> => {
    clock.t += STEP_MS;
    const g1 = gateways.get("g1");
    if (rssiDbm !== undefined && clock.t % 1000 === 0) g1?.pipeline.onAdvert({ t: clock.t, addr: "c0:ff:ee:00:00:01", rssi: rssiDbm, data: BEACON });
    for (const g of gateways.values()) g.pipeline.tick(clock.t);
    await until(lanQuiet, 10_000, "the store LAN quiet", 1);
  };
  const seconds = async (n: number, rssiDbm?: number): Promise<void> => {
    for (let i = 0; i < n * (1000 / STEP_MS); i++) await step(rssiDbm);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-shared-calibration-"));
    const ports = { mqttPort: await freePort(), httpPort: await freePort() };
    cloud = await openCloud(join(dir, "cloud"), ports, silent, clock);
    await seedUplinkStore(cloud);
    await cloud.repositories.directory.upsertGateway({ id: "g2", storeId: STORE_ID, name: "Second gateway" }, clock.now());
    await cloud.repositories.directory.upsertZone({ id: "floor", storeId: STORE_ID, name: "Floor", tags: [], geometry: {} });
    const logins = new Map<string, { username: string; password: string }>();
    for (const id of ["g1", "g2"]) logins.set(id, await cloud.credentials.issueMqtt({ role: "gateway", storeId: STORE_ID, gatewayId: id }, "test"));
    await cloud.start();
    const keyFile = join(dir, "lan.key");
    await writeFile(keyFile, "5f0c3e1d9a7b2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\n", { mode: 0o600 });
    const lanPorts = new Map([
      ["g1", await freeUdpPort()],
      ["g2", await freeUdpPort()],
    ]);
    // g2 hangs 100 m away: it pools nothing into g1's zone, it only judges g1's sightings.
    const sites = new Map([
      ["g1", { lat: 52.5, lon: 13.4 }],
      ["g2", { lat: 52.5009, lon: 13.4 }],
    ]);
    for (const id of ["g1", "g2"]) {
      const login = logins.get(id);
      if (!login) throw new Error("no login");
      const other = id === "g1" ? "g2" : "g1";
      const parsed = parseGatewayConfig({
        ...uplinkGatewayDocument({ dataDir: join(dir, id), url: `mqtt://127.0.0.1:${ports.mqttPort}`, username: login.username, password: login.password }),
        gatewayId: id,
        site: sites.get(id),
        peers: [{ id: other, ...sites.get(other), lan: `127.0.0.1:${lanPorts.get(other)}` }],
        lan: { port: lanPorts.get(id), bindHost: "127.0.0.1", keyFile, latenessMs: 500, batchMs: STEP_MS },
        zones: [{ id: "floor", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 }],
        ...(id === "g1" ? { insideLearning: { zoneId: "floor", minLabels: 3, maxStepDbPerDay: 10 } } : {}),
        // The test moves the store's clock, the cloud's included.
        time: { source: "system" },
        telemetryIntervalS: 3600,
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      configs.set(id, parsed.config);
      await startGateway(id);
    }
  }, 60_000);

  afterAll(async () => {
    for (const g of gateways.values()) await g.stop().catch(() => undefined);
    if (cloud) await stopCloud(cloud);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("both gateways upload the same events under the same ids once the owner learned its zone's edge", { timeout: 120_000 }, async () => {
    const g1 = gateways.get("g1");
    if (g1 === undefined || g1.insideLearning === null) throw new Error("g1 does not learn");
    await seconds(3);
    // Three visits of a member heard at 25 dB of loss (a phone in a pocket on the floor), each
    // followed by the phone's inside label on g1's labels topic, as the cloud publishes it.
    for (let visit = 0; visit < 3; visit++) {
      const at = clock.t + 5000;
      await seconds(10, -77);
      await seconds(60);
      const label = encodeMessage({ v: 1, place: "inside", at: new Date(at).toISOString(), subjects: ["app:u1", SUBJECT] });
      await cloud.broker.publish(gatewayTopic(STORE_ID, "g1", "labels"), label, { qos: 1, retain: false });
      await until(() => g1.insideLearning?.report().labels === visit + 1, 10_000, `label ${visit + 1} taken`);
    }
    // Nothing the zone decided while it learned.
    expect(uploaded.get("g1")?.filter((e) => e.zoneId === "floor")).toEqual([]);
    // A day a step: the edge moves from the drawn 10.5 dB towards what the labels say.
    for (let day = 0; day < 3; day++) {
      clock.t += DAY;
      await g1.insideLearning.tick();
      await seconds(2);
    }
    const learned = g1.insideLearning.edgeLossDb;
    expect(learned).not.toBeNull();
    expect(learned ?? 0).toBeGreaterThan(20);

    // The member on the floor at 18 dB of loss: outside the drawn 3 m, inside what g1 learned.
    await seconds(30, -70);
    await seconds(60);
    const byG1 = floorEvents("g1");
    expect(byG1.map((e) => e.type)).toEqual(["enter", "exit"]);
    expect(floorEvents("g2")).toEqual(byG1);
    // The cloud stored each event once.
    await until(async () => (await storedIds()).length >= 2, 30_000, "the events stored");
    for (const g of gateways.values()) await until(() => g.relay.counters.eventsAcked >= 2, 30_000, `${JSON.stringify(g.relay.counters)} acked`);
    expect(await storedIds()).toEqual(byG1.map((e) => e.id));
  });

  it("a peer restarted holds its decisions until the owner's record is in, and decides alike at once", { timeout: 120_000 }, async () => {
    // Runs after the first: g1 has learned. g2 restarts; g1 heard it before, and sends its record
    // when g2's sequence numbers start over.
    const before = floorEvents("g1").length;
    const old = gateways.get("g2");
    await old?.stop();
    gateways.delete("g2");
    retired.queued += old?.fusion?.channel.counters.datagramsQueued ?? 0;
    retired.received += old?.fusion?.channel.counters.datagramsReceived ?? 0;
    uploaded.set("g2", []);
    await startGateway("g2");
    // What g1 sent while g2 was down is lost; what was on its way since arrives within a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    retired.lost = unreceived();
    // The member walks onto the floor right away.
    await seconds(30, -70);
    await seconds(60);
    const byG1 = floorEvents("g1").slice(before);
    expect(byG1.map((e) => e.type)).toEqual(["enter", "exit"]);
    expect(floorEvents("g2")).toEqual(byG1);
    await until(async () => (await storedIds()).length >= before + 2, 30_000, "the events stored");
  });
});
