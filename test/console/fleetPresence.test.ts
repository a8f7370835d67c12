import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { formatSurvey } from "../../gateway/src/adapters/replay/surveyCapture.js";
import { readLanKey } from "../../gateway/src/adapters/lan/readLanKey.js";
import { UdpSightingChannel } from "../../gateway/src/adapters/lan/UdpSightingChannel.js";
import { HealthFile } from "../../gateway/src/adapters/system/HealthFile.js";
import { runCalibrate } from "../../gateway/src/cli/calibrate.js";
import { loadGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { readSurveyRecord, surveyRecordPath } from "../../gateway/src/config/surveyRecord.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { simulateStore } from "../../scripts/sim/simulateStore.js";
import { simulateSurvey } from "../../scripts/sim/survey.js";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { lossyRelay } from "../gateway/adapters/lan/lanKit.js";
import { freePort } from "../support/freePort.js";
import { silentSource, uplinkGatewayConfig } from "../support/uplinkGateway.js";
import { until } from "../support/until.js";
import { chromiumAvailable, launchChromium, signedInPage } from "./browser.js";

const hasChromium = chromiumAvailable();
/** YYYY-MM-DD in Hong Kong, the fixture store's zone. */
const hongKongDay = (iso: string): string => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Hong_Kong" }).format(new Date(iso));
const log = createLogger({ level: "silent", format: "json", name: "test" });

interface GatewayJson {
  calibration: {
    surveyedAt: string | null;
    rssiOffsetDb: number;
    zones: { zoneId: string; edgeLossDb: number | null }[];
    learned?: { samples: number; rssiOffsetDb: number | null; weeks: { medianDb: number }[] };
    learnedZones?: { zoneId: string; labels: number }[];
  } | null;
  lan: {
    peers: { id: string; heardRecently: boolean; sightingsReceived: number; clockOffsetMs: number | null }[];
    silentPeers: string[];
    clockOffsetMs: number | null;
    recovery: { missed: number; requested: number; resent: number; recovered: number; givenUp: number } | null;
  } | null;
}

/**
 * The fleet page's presence column from real gateways: the floor gateway is surveyed with
 * `arrival-gateway calibrate` (a recorded walk of the simulated shop), then runs the real gateway
 * composition with the store LAN, connected to the real cloud (embedded broker, SQLite in a temp
 * dir); its door peer sends it sightings over UDP under the store key, across a LAN that loses
 * the door's second datagram (asked for again and recovered), its till peer never does.
 * The fixture's g1 runs without a survey. What the page shows came from their status and
 * telemetry through the broker.
 */
describe("fleet page: calibration and the store LAN", () => {
  let f: CloudFixture;
  let browser: Browser;
  let dir: string;
  const gateways: Gateway[] = [];
  let door: UdpSightingChannel;
  let lossy: Awaited<ReturnType<typeof lossyRelay>>;
  let plain: Gateway;
  let base: string;
  const pageErrors: string[] = [];

  const api = async (url: string) =>
    (await f.cloud.http.inject({ method: "GET", url, headers: { authorization: `Bearer ${f.keys.admin}` } })).json<GatewayJson>();
  const login = async (gatewayId: string) =>
    (
      await f.cloud.http.inject({ method: "POST", url: `/v1/gateways/${gatewayId}/credentials`, headers: { authorization: `Bearer ${f.keys.admin}` } })
    ).json<{ username: string; password: string }>();

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    base = `http://127.0.0.1:${f.cloud.httpPort()}`;
    dir = await mkdtemp(join(tmpdir(), "arrival-fleet-presence-"));
    const mqttUrl = `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
    const registered = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/stores/s1/gateways",
      headers: { authorization: `Bearer ${f.keys.admin}` },
      payload: { id: "gw-floor", name: "Floor" },
    });
    expect(registered.statusCode, registered.body).toBeLessThan(300);

    // The store key, the same on every gateway of the store.
    const key = randomBytes(32);
    const keyFile = join(dir, "lan.key");
    await writeFile(keyFile, key.toString("hex"), { mode: 0o600 });
    const floorPort = await freePort();
    lossy = await lossyRelay(() => floorPort, new Set([1]));
    door = new UdpSightingChannel({
      storeId: "s1",
      gatewayId: "gw-door",
      key: await readLanKey(keyFile),
      port: 0,
      bindHost: "127.0.0.1",
      peers: [{ id: "gw-floor", host: "127.0.0.1", port: lossy.port }],
      clock: { now: () => Date.now() },
      log,
      maxAgeMs: 2000,
    });
    await door.start(() => undefined);

    const floor = await login("gw-floor");
    const configPath = join(dir, "gateway.json");
    await writeFile(
      configPath,
      JSON.stringify({
        storeId: "s1",
        gatewayId: "gw-floor",
        dataDir: join(dir, "floor"),
        mqtt: { url: mqttUrl, username: floor.username, password: floor.password, reconnectInitialMs: 100, reconnectMaxMs: 1000 },
        scanner: { source: "sim" },
        site: { lat: 22.28, lon: 114.16 },
        zones: [{ id: "store", shape: "gateway-radius", gatewayId: "gw-floor", radiusM: 5 }],
        peers: [
          { id: "gw-door", lat: 22.28001, lon: 114.16, lan: `127.0.0.1:${door.port}` },
          { id: "gw-till", lat: 22.28, lon: 114.16001, lan: "127.0.0.1:9" },
        ],
        lan: { port: floorPort, bindHost: "127.0.0.1", keyFile },
        telemetryIntervalS: 1,
      }),
    );
    // The five-minute survey, from a recorded walk of the simulated shop whose gateway reads 6 dB low.
    const sim = simulateStore({ seed: 1, minutes: 1, rate: "1hz", radio: { storefrontDb: 6, gatewayOffsetDb: -6 } });
    const surveyPath = join(dir, "survey.jsonl");
    await writeFile(surveyPath, formatSurvey(simulateSurvey(sim.plan, sim.radio, { seed: 1, startAt: sim.startAt })));
    const out = new PassThrough();
    const calibrated = await runCalibrate(
      { configPath, fromPath: surveyPath, dryRun: false, yes: true },
      {
        createSource: () => silentSource,
        clock: { now: () => Date.now() },
        sleep: async () => {},
        input: new PassThrough(),
        output: out,
        tty: false,
      },
    );
    expect(calibrated, String(out.read())).toBe(0);
    const loaded = await loadGatewayConfig(configPath);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const floorGateway = await createGateway(loaded.config, {
      source: silentSource,
      log,
      clock: { now: () => Date.now() },
      surveyRecord: await readSurveyRecord(surveyRecordPath(configPath)),
    });
    gateways.push(floorGateway);
    await floorGateway.start();

    const g1 = await login("g1");
    // g1 learns from the till (its till 2 m away); it was never surveyed.
    const plainConfig = uplinkGatewayConfig({ dataDir: join(dir, "g1"), url: mqttUrl, ...g1 });
    plain = await createGateway({ ...plainConfig, learning: { tillDistanceM: 2, minSamples: 10, maxStepDbPerDay: 1 }, insideLearning: { zoneId: "z1", minLabels: 10, percentile: 0.6, maxStepDbPerDay: 2 }, trafficLearning: { quantile: 0.1, marginDb: 3, tailZ: 0, leaveOutEntered: true, minTracks: 100, memoryDays: 7 } }, {
      source: silentSource,
      log,
      clock: { now: () => Date.now() },
    });
    gateways.push(plain);
    await plain.start();
    if (hasChromium) browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const g of gateways) await g.stop();
    await door?.stop();
    await lossy?.close();
    await f?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reports what the survey set and which peers are heard, from the gateways' own messages", async () => {
    const record = JSON.parse(await readFile(join(dir, "gateway.survey.json"), "utf8")) as {
      surveyedAt: string;
      rssiOffsetDb: number;
      zones: { zoneId: string; edgeLossDb: number }[];
    };
    await until(async () => (await api("/v1/gateways/gw-floor")).calibration !== null, 10_000, "the floor gateway's status");
    expect((await api("/v1/gateways/gw-floor")).calibration).toMatchObject({
      surveyedAt: record.surveyedAt,
      rssiOffsetDb: record.rssiOffsetDb,
      zones: record.zones,
    });
    await until(async () => (await api("/v1/gateways/g1")).calibration !== null, 10_000, "g1's status");
    expect((await api("/v1/gateways/g1")).calibration).toEqual({
      surveyedAt: null,
      samples: null,
      rssiOffsetDb: 0,
      zones: [{ zoneId: "z1", edgeLossDb: null }],
      learned: { samples: 0, refused: 0, rssiOffsetDb: null, learnedAt: null, weeks: [] },
      learnedZones: [{ zoneId: "z1", labels: 0, refused: 0, edgeLossDb: null, targetDb: null, learnedAt: null, weeks: [] }],
      learnedTraffic: { tracks: 0, counted: 0, quantileDb: null, boundDb: null, days: [] },
    });
    // A member heard 6 dB weaker than the model expects at g1's till, then the till's label: g1
    // reports the sample in its status, which the cloud keeps.
    const now = Date.now();
    for (let i = 19; i >= 0; i--) plain.learning?.heard("app:u1", now - i * 1000, -59 - 22 * Math.log10(2) - 6, -59);
    const label = { v: 1, place: "till", at: new Date(now).toISOString(), subjects: ["app:u1"] };
    await f.cloud.broker.publish(gatewayTopic("s1", "g1", "labels"), encodeMessage(label), { qos: 1, retain: false });
    await until(async () => (await api("/v1/gateways/g1")).calibration?.learned?.samples === 1, 10_000, "g1's learned sample");
    expect((await api("/v1/gateways/g1")).calibration?.learned).toMatchObject({ samples: 1, rssiOffsetDb: null, weeks: [{ samples: 1, medianDb: 6 }] });
    // The same member known inside (a phone heard the store beacon): a label for z1's threshold,
    // made 7 s ago, so the seconds after it that the gateway waits for are already heard.
    const insideAt = now - 7000;
    for (let i = 4; i >= 0; i--) plain.insideLearning?.heard("app:u1", insideAt + 1000 - i * 1000, -80, -59);
    const inside = { v: 1, place: "inside", at: new Date(insideAt).toISOString(), subjects: ["app:u1"] };
    await f.cloud.broker.publish(gatewayTopic("s1", "g1", "labels"), encodeMessage(inside), { qos: 1, retain: false });
    await until(async () => (await api("/v1/gateways/g1")).calibration?.learnedZones?.[0]?.labels === 1, 10_000, "g1's inside label");
    expect((await api("/v1/gateways/g1")).calibration?.learned?.samples).toBe(1);
    expect((await api("/v1/gateways/g1")).lan).toBeNull();

    // The door gateway shares a sighting over the LAN; the till never does. (The door is heard before
    // it shares anything: it answers the floor's heartbeats while the floor starts.)
    const heard = async () => {
      const peer = (await api("/v1/gateways/gw-floor")).lan?.peers.find((p) => p.id === "gw-door");
      return peer?.heardRecently === true && (peer.sightingsReceived ?? 0) > 0;
    };
    await until(
      async () => {
        if (await heard()) return true;
        door.send([{ t: Date.now(), subject: { kind: "ibeacon", id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2" }, rssiDbm: -70, measuredPowerDbm: -59 }]);
        return false;
      },
      15_000,
      "the door peer heard in the floor gateway's telemetry",
      500,
    );
    // The door's datagram the LAN lost was asked for again and taken, within the allowance.
    await until(
      async () => {
        if ((await api("/v1/gateways/gw-floor")).lan?.recovery?.recovered === 1) return true;
        door.send([{ t: Date.now(), subject: { kind: "ibeacon", id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2" }, rssiDbm: -70, measuredPowerDbm: -59 }]);
        return false;
      },
      15_000,
      "the lost datagram recovered in the floor gateway's telemetry",
      500,
    );
    const lan = (await api("/v1/gateways/gw-floor")).lan;
    expect(lan?.silentPeers).toEqual(["gw-till"]);
    expect(lan?.peers.find((p) => p.id === "gw-door")?.sightingsReceived).toBeGreaterThan(0);
    expect(lan?.recovery).toMatchObject({ missed: 1, recovered: 1, resent: 0, givenUp: 0 });
    expect(lan?.recovery?.requested).toBeGreaterThanOrEqual(1);
    expect(door.counters.retransmitted).toBeGreaterThanOrEqual(1);
    // One machine, one clock: the door's offset is the LAN's delay, a few ms; the till's unknown.
    expect(Math.abs(lan?.peers.find((p) => p.id === "gw-door")?.clockOffsetMs ?? Number.NaN)).toBeLessThan(250);
    expect(lan?.peers.find((p) => p.id === "gw-till")?.clockOffsetMs).toBeNull();
    expect(lan?.clockOffsetMs).toBe(0);
    // The health file doctor reads says the same, on the gateway itself.
    const health = new HealthFile(join(dir, "floor", "health.json"));
    const doorAge = async () => (await health.read())?.lan?.peers.find((p) => p.id === "gw-door")?.lastHeardAgeS;
    await until(async () => typeof (await doorAge()) === "number", 15_000, "the peer in the health file");
    expect((await health.read())?.lan?.peers.map((p) => [p.id, p.lastHeardAgeS === null])).toEqual([
      ["gw-door", false],
      ["gw-till", true],
    ]);
  });

  it.skipIf(!hasChromium)("shows per gateway the survey's values or how to survey it, and warns of a silent peer", async () => {
    await until(async () => (await api("/v1/gateways/gw-floor")).lan?.peers.some((p) => p.heardRecently) === true, 15_000, "a peer heard");
    const record = JSON.parse(await readFile(join(dir, "gateway.survey.json"), "utf8")) as {
      surveyedAt: string;
      rssiOffsetDb: number;
      zones: { zoneId: string; edgeLossDb: number }[];
    };
    const context = await browser.newContext();
    const page = await signedInPage(context, `${base}/console/`, f.keys.admin, pageErrors);
    await page.getByRole("link", { name: "Fleet" }).click();
    const floor = page.locator("tr[data-gateway=gw-floor]");
    await floor.waitFor();
    const offset = `${record.rssiOffsetDb > 0 ? "+" : record.rssiOffsetDb < 0 ? "\u2212" : ""}${Math.abs(record.rssiOffsetDb)} dB`;
    const edge = record.zones[0]?.edgeLossDb;
    expect(edge).toBeGreaterThan(0);
    // The store is in Hong Kong: the day is the store's.
    await expect(floor.locator("[data-calibration=surveyed]").textContent()).resolves.toBe(
      `surveyed on ${hongKongDay(record.surveyedAt)}: offset ${offset}, zone store edge \u2212${edge} dB`,
    );
    await expect(floor.locator("[data-lan=heard]").textContent()).resolves.toBe("LAN peers heard: gw-door");
    await expect(floor.locator("[data-lan=silent]").textContent()).resolves.toBe(
      "peer gw-till never heard: without it this gateway decides alone",
    );
    await expect(floor.locator("[data-lan=recovery]").textContent()).resolves.toMatch(
      /^LAN datagrams lost: 1, 1 recovered, 0 given up \(\d+ requests?\); 0 sent again for peers$/,
    );
    const g1 = page.locator("tr[data-gateway=g1]");
    await expect(g1.locator("[data-calibration=not-surveyed]").textContent()).resolves.toBe("not surveyed: run arrival-gateway calibrate");
    await expect(g1.locator("[data-calibration=learned]").textContent()).resolves.toBe("learning at the till: 1 sample, not acting yet; weekly medians +6 dB");
    await expect(g1.locator("[data-calibration=learned-zone]").textContent()).resolves.toBe(
      "learning zone z1 from inside labels: 1 label, not acting yet; weekly thresholds \u221221 dB",
    );
    await expect(g1.locator("[data-calibration=learned-traffic]").textContent()).resolves.toBe("learning the pavement from passers-by: 0 tracks, not acting yet");
    await expect(floor.locator("[data-calibration=learned-zone]").count()).resolves.toBe(0);
    await expect(floor.locator("[data-calibration=learned-traffic]").count()).resolves.toBe(0);
    await expect(floor.locator("[data-calibration=learned]").count()).resolves.toBe(0);
    await expect(g1.locator("[data-lan]").count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
