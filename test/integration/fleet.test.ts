import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { SimHub } from "../../gateway/src/adapters/sim/SimulatedScanSource.js";
import { standaloneWorld } from "../../gateway/src/adapters/sim/SimWorld.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { ManualClock } from "../cloud/manualClock.js";
import { parsePrometheusText } from "../support/prometheusText.js";
import { TcpProxy } from "../support/TcpProxy.js";
import { until } from "../support/until.js";
import { uplinkGatewayConfig } from "../support/uplinkGateway.js";

const log = createLogger({ level: "silent", format: "json", name: "test" });

interface GatewayJson {
  state: string;
  offlineTooLong: boolean;
  version: string | null;
  telemetry: { version: string } | null;
  config: { desiredRevision: number | null; reportedRevision: number | null; state: string; problems: { path: string; message: string }[] };
}

/**
 * Fleet operation end to end: the real gateway composition (createGateway on a simulated radio,
 * SQLite outbox, MQTT.js) connected to the real cloud (embedded aedes on port 0, SQLite in a temp
 * dir) through a TCP proxy that can cut the link, driven through the HTTP API. The cloud runs on a
 * manual clock, so "offline for longer than the threshold" is a clock move, not a wait.
 */
describe("fleet: config push and gateway health over MQTT", () => {
  let f: CloudFixture;
  const clock = new ManualClock(Date.now());
  let proxy: TcpProxy;
  let dirs: string[];
  let gateways: Gateway[];
  let login: { username: string; password: string };

  async function startGateway(port: number): Promise<Gateway> {
    const dir = await mkdtemp(join(tmpdir(), "arrival-fleet-gw-"));
    dirs.push(dir);
    const config = uplinkGatewayConfig({ dataDir: dir, url: `mqtt://127.0.0.1:${port}`, ...login });
    const { world, radio } = standaloneWorld(config.gatewayId, 1, Date.now());
    const source = new SimHub({ world, radios: [radio], clock: { now: () => Date.now() } }).source(config.gatewayId);
    const gateway = await createGateway(config, { source, log, clock: { now: () => Date.now() } });
    gateways.push(gateway);
    await gateway.start();
    return gateway;
  }

  const api = (method: "GET" | "POST", url: string, payload?: Record<string, unknown>) =>
    f.cloud.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${f.keys.admin}` },
      ...(payload === undefined ? {} : { payload }),
    });
  const g1 = async () => (await api("GET", "/v1/gateways/g1")).json<GatewayJson>();

  beforeEach(async () => {
    dirs = [];
    gateways = [];
    f = await createCloudFixture({ clock, seedRule: false });
    proxy = new TcpProxy(f.cloud.mqttPort());
    await proxy.start();
    const issued = await api("POST", "/v1/gateways/g1/credentials");
    login = issued.json<{ username: string; password: string }>();
    await startGateway(proxy.port);
    await until(async () => (await g1()).state === "online", 10_000, "g1 online");
  });

  afterEach(async () => {
    for (const gateway of gateways) await gateway.stop();
    await proxy.stop();
    await f.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("a config pushed through the API is applied by the running gateway and reported applied", async () => {
    expect((await g1()).config.state).toBe("none");
    const zones = [
      { id: "entrance", shape: "gateway-radius", gatewayId: "g1", radiusM: 2.5 },
      { id: "counter", shape: "gateway-radius", gatewayId: "g1", radiusM: 6 },
    ];
    const pushed = await api("POST", "/v1/gateways/g1/config", { zones, presence: { exitAfterMs: 15_000 } });
    expect(pushed.statusCode, pushed.body).toBe(200);
    const { revision } = pushed.json<{ revision: number }>();
    await until(async () => (await g1()).config.state === "applied", 10_000, "config applied");
    expect((await g1()).config).toEqual({ desiredRevision: revision, reportedRevision: revision, state: "applied", problems: [] });
    // What the gateway runs now: its last good config on disk is exactly the pushed one.
    const onDisk = JSON.parse(await readFile(join(dirs[0] ?? "", "remote-config.json"), "utf8")) as unknown;
    expect(onDisk).toEqual({ v: 1, revision, zones, presence: { exitAfterMs: 15_000 } });

    // The store-wide push reaches it too, with the next revision.
    const store = await api("POST", "/v1/stores/s1/config", { zones: zones.slice(0, 1) });
    expect(store.json()).toEqual({ gateways: [{ gatewayId: "g1", revision: revision + 1 }] });
    await until(async () => (await g1()).config.reportedRevision === revision + 1, 10_000, "second config applied");
    expect((await g1()).config.state).toBe("applied");
    await until(async () => (await g1()).telemetry !== null, 10_000, "telemetry");
    expect((await g1()).telemetry?.version).toBe((await g1()).version);
  });

  it("a config the gateway rejects is shown rejected with the gateway's problems", async () => {
    // Duplicate zone ids pass the schema; the cloud's API refuses them (400), so this one is stored
    // behind the API's back, as a config written by an earlier release would be, and published.
    const refused = await api("POST", "/v1/gateways/g1/config", {
      zones: [
        { id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 },
        { id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 5 },
      ],
    });
    expect(refused.statusCode).toBe(400);
    const repo = f.cloud.repositories.fleet;
    const stored = await repo.putDesiredConfig(
      "g1",
      (current) => ({
        v: 1,
        revision: (current.desiredRevision ?? 0) + 1,
        zones: [
          { id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 },
          { id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 5 },
        ],
      }),
      clock.now(),
    );
    expect(await f.cloud.fleet.republish()).toBe(1);
    await until(async () => (await g1()).config.state === "rejected", 10_000, "config rejected");
    const config = (await g1()).config;
    expect(config.desiredRevision).toBe(stored.revision);
    expect(config.reportedRevision).toBe(stored.revision);
    expect(config.problems.map((p) => p.message).join("\n")).toMatch(/duplicate id "z1"/);
    const metrics = parsePrometheusText((await api("GET", "/metrics")).body);
    expect(metrics.value("arrival_config_reports_total", { state: "rejected" })).toBe(1);
    expect(metrics.value("arrival_gateway_configs", { state: "rejected" })).toBe(1);
  });

  it("a gateway cut off shows offline from its last will, and offlineTooLong after the threshold", async () => {
    proxy.cut(); // the broker sees the connection drop without DISCONNECT and publishes the will
    await until(async () => (await g1()).state === "offline", 10_000, "g1 offline");
    const offline = await g1();
    expect(offline.offlineTooLong).toBe(false);
    let metrics = parsePrometheusText((await api("GET", "/metrics")).body);
    expect(metrics.value("arrival_gateways", { state: "offline" })).toBe(1);
    expect(metrics.value("arrival_gateways_offline_too_long")).toBe(0);

    clock.advance(601_000); // fleet.offlineAlertS defaults to 600
    expect((await g1()).offlineTooLong).toBe(true);
    metrics = parsePrometheusText((await api("GET", "/metrics")).body);
    expect(metrics.value("arrival_gateways_offline_too_long")).toBe(1);

    proxy.restore(); // it reconnects and says it is online again
    await until(async () => (await g1()).state === "online", 10_000, "g1 online again");
    expect((await g1()).offlineTooLong).toBe(false);
  });

  it("a cloud restart publishes the desired configs again: a gateway that connects afterwards gets its config", async () => {
    const zones = [{ id: "aisle", shape: "gateway-radius", gatewayId: "g1", radiusM: 4 }];
    const { revision } = (await api("POST", "/v1/gateways/g1/config", { zones })).json<{ revision: number }>();
    await until(async () => (await g1()).config.state === "applied", 10_000, "config applied");
    for (const gateway of gateways.splice(0)) await gateway.stop();
    // A clean stop publishes the offline status itself (no will needed).
    await until(async () => (await g1()).state === "offline", 10_000, "g1 offline after stop");

    // The embedded broker's retained messages die with it; the new cloud listens on a new port.
    await f.restart();
    // A replacement gateway with empty storage: only the retained config can tell it the zones.
    await startGateway(f.cloud.mqttPort());
    await until(async () => (await g1()).state === "online", 10_000, "replacement online");
    await until(async () => (await g1()).config.state === "applied", 10_000, "config applied after restart");
    expect((await g1()).config).toMatchObject({ desiredRevision: revision, reportedRevision: revision });
    const onDisk = JSON.parse(await readFile(join(dirs[1] ?? "", "remote-config.json"), "utf8")) as unknown;
    expect(onDisk).toEqual({ v: 1, revision, zones });
  });
});
