/**
 * The store beacon in the real gateway composition: a remote config with `storeBeacon` arrives on
 * the gateway's config topic (a plain aedes broker on port 0), the gateway advertises through the
 * recording advertiser of radio-less gateways, and its retained status carries `advertising`; a
 * config without it takes the beacon off the air.
 */
import { stat, mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Aedes } from "aedes";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayStatus, gatewayTopic, storeBeaconValue } from "../../protocol/index.js";
import { RecordingAdvertiser } from "../../gateway/src/adapters/sim/RecordingAdvertiser.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { decodeAdvertisement } from "../../gateway/src/domain/advert/index.js";
import { RecordingLogger } from "../support/RecordingLogger.js";
import { silentSource, uplinkGatewayConfig } from "../support/uplinkGateway.js";
import { until } from "../support/until.js";
import { GATEWAY_ID, STORE_ID } from "../support/uplinkEvents.js";

const KEY_HEX = "5a5a5a5a00112233445566778899aabb";
const UUID = "f7826da6-4fa2-4e98-8024-bc5b71e0893e";

describe("the store beacon in the gateway's status", () => {
  let aedes: Aedes;
  let server: Server;
  let port: number;
  let dir: string;
  let gateway: Gateway | undefined;
  let client: mqtt.MqttClient;

  beforeAll(async () => {
    aedes = new Aedes();
    await aedes.listen();
    server = createServer((socket) => aedes.handle(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
    dir = await mkdtemp(join(tmpdir(), "arrival-store-beacon-"));
    client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: "test-cloud" });
  });
  afterAll(async () => {
    await gateway?.stop();
    await client?.endAsync();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it("advertises what the config asks, says so in the retained status, and stops when it is dropped", async () => {
    const statuses: GatewayStatus[] = [];
    client.on("message", (_topic, payload) => statuses.push(JSON.parse(payload.toString()) as GatewayStatus));
    await client.subscribeAsync(gatewayTopic(STORE_ID, GATEWAY_ID, "status"), { qos: 1 });

    const clock = { now: () => Date.now() };
    const advertiser = new RecordingAdvertiser({ clock });
    const log = new RecordingLogger();
    const config = uplinkGatewayConfig({ dataDir: join(dir, "data"), url: `mqtt://127.0.0.1:${port}`, username: "gw.s1.g1", password: "unused" });
    gateway = await createGateway(config, { source: silentSource, advertiser, log, clock });
    await gateway.start();
    await until(() => statuses.some((s) => s.state === "online"), 10_000, "the online status");
    expect(statuses.find((s) => s.state === "online")?.advertising).toEqual({ state: "off" });

    const storeBeacon = { format: "ibeacon", uuid: UUID, identityKey: KEY_HEX, rotationExponent: 6, measuredPowerDbm: -59 };
    const configTopic = gatewayTopic(STORE_ID, GATEWAY_ID, "config");
    await client.publishAsync(configTopic, JSON.stringify({ v: 1, revision: 1, zones: [], storeBeacon }), { qos: 1, retain: true });
    await until(() => statuses.at(-1)?.advertising?.state === "advertising", 10_000, "advertising in the status");

    // The last value sent is the one the last status describes (a slot may end during the test).
    const sent = advertiser.recorded.findLast((r) => r.kind === "advertise");
    expect(sent).toBeDefined();
    const value = storeBeaconValue(Uint8Array.from(Buffer.from(KEY_HEX, "hex")), 6, Math.floor((sent?.at ?? 0) / 1000));
    expect(decodeAdvertisement(sent?.kind === "advertise" ? sent.data : new Uint8Array())).toMatchObject({
      format: "ibeacon",
      uuid: UUID,
      major: value.major,
      minor: value.minor,
    });
    expect(statuses.at(-1)?.advertising).toEqual({ state: "advertising", format: "ibeacon", slotStart: new Date(value.slotStartS * 1000).toISOString() });
    // The applied config holds the identity key: readable by the gateway's user only, and never logged.
    expect((await stat(join(config.dataDir, "remote-config.json"))).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(log.entries)).not.toContain(KEY_HEX);

    await client.publishAsync(configTopic, JSON.stringify({ v: 1, revision: 2, zones: [] }), { qos: 1, retain: true });
    await until(() => statuses.at(-1)?.advertising?.state === "off", 10_000, "advertising off in the status");
    expect(advertiser.recorded.at(-1)?.kind).toBe("stop");
    expect(advertiser.current).toBeNull();
  });
});
