import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import type { Cloud } from "../../cloud/src/createCloud.js";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { FLAGS, advert, manufacturer } from "../gateway/domain/advert/advertBytes.js";
import { freePort } from "../support/freePort.js";
import { until } from "../support/until.js";
import { openCloud, seedUplinkStore, stopCloud } from "../support/uplinkCloud.js";
import { GATEWAY_ID, STORE_ID } from "../support/uplinkEvents.js";
import { silentSource, uplinkGatewayDocument } from "../support/uplinkGateway.js";

const silent = createLogger({ level: "silent", format: "json", name: "test" });

const vector = (
  JSON.parse(readFileSync(new URL("../fixtures/ble-adverts.json", import.meta.url), "utf8")) as { id: string; hex: string }[]
).find((v) => v.id === "room-assistant-ibeacon-1");
if (!vector) throw new Error("vector room-assistant-ibeacon-1 is missing");
const BEACON = advert(FLAGS, manufacturer(vector.hex));

/** How far the gateway's system clock is ahead of the cloud's (true time), ms; not whole seconds, as the adverts' spacing is. */
const SKEW_MS = 4300;

/**
 * A real gateway whose clock is 4.3 s ahead, connected to the cloud's real embedded broker: it sets
 * its clock by the cloud's over MQTT, so the events the cloud stores carry true time, not its own,
 * and its telemetry (the fleet API's) says by how much and over what round trip.
 */
describe("a gateway's clock set by the cloud's", () => {
  let dir: string;
  let cloud: Cloud;
  let gateway: Gateway;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-cloud-clock-"));
    const ports = { mqttPort: await freePort(), httpPort: await freePort() };
    cloud = await openCloud(join(dir, "cloud"), ports, silent);
    await seedUplinkStore(cloud);
    const login = await cloud.credentials.issueMqtt({ role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID }, "test");
    await cloud.start();
    const parsed = parseGatewayConfig(
      uplinkGatewayDocument({ dataDir: join(dir, "gw"), url: `mqtt://127.0.0.1:${ports.mqttPort}`, username: login.username, password: login.password }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    gateway = await createGateway(parsed.config, { source: silentSource, log: silent, clock: { now: () => Date.now() + SKEW_MS } });
    await gateway.start();
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop().catch(() => undefined);
    if (cloud) await stopCloud(cloud);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("stamps its events in the cloud's time and reports the offset it measured", { timeout: 60_000 }, async () => {
    await until(() => gateway.time?.known === true, 10_000, "the cloud's clock reply");
    const correction = gateway.time?.correctionMs ?? 0;
    // Localhost: a round trip of a few ms, so the offset is within a few ms of the skew.
    expect(Math.abs(correction + SKEW_MS)).toBeLessThan(50);
    expect(Math.abs(gateway.clock.now() - Date.now())).toBeLessThan(50);

    // The radio stamps the shopper's adverts by the system clock, 4.3 s ahead: 20 s of them, to now.
    const raw = Date.now() + SKEW_MS;
    const stamps = Array.from({ length: 20 }, (_, i) => raw - (19 - i) * 1000);
    for (const t of stamps) gateway.pipeline.onAdvert({ t, addr: "c0:ff:ee:00:00:01", rssi: -55, data: BEACON });
    const enters = async () =>
      cloud.repositories.db.all<{ at: string | number }>("SELECT at FROM presence_events WHERE type = 'enter' AND gateway_id = ?", [GATEWAY_ID]);
    await until(async () => (await enters()).length > 0, 30_000, "the enter stored");
    const [enter] = await enters();
    const at = typeof enter?.at === "number" ? enter.at : Date.parse(enter?.at ?? "");
    // Decided on one of the adverts' stamps, moved onto the cloud's time: 4.3 s before the radio's
    // (on the radio's own stamps, it would fall 300 ms off any of these).
    const nearest = stamps.reduce((best, t) => (Math.abs(t - SKEW_MS - at) < Math.abs(best - SKEW_MS - at) ? t : best));
    expect(Math.abs(nearest - SKEW_MS - at)).toBeLessThan(50);
    expect(at).toBeLessThanOrEqual(Date.now());

    // The telemetry carries the measurement to the fleet API.
    await until(async () => (await cloud.fleet.get(GATEWAY_ID))?.telemetry?.clock !== undefined, 10_000, "telemetry with the clock");
    const clock = (await cloud.fleet.get(GATEWAY_ID))?.telemetry?.clock;
    expect(clock?.source).toBe("cloud");
    expect(clock?.correctionMs).toBe(correction);
    expect(Math.abs((clock?.offsetMs ?? 0) + SKEW_MS)).toBeLessThan(50);
    expect(clock?.roundTripMs).toBeLessThan(1000);
    expect(clock?.samples).toBeGreaterThanOrEqual(1);
    expect(cloud.time.counters.answered).toBeGreaterThanOrEqual(1);
  });
});
