import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import type { Cloud } from "../../cloud/src/createCloud.js";
import { checkRuleSpec } from "../../cloud/src/domain/rules/index.js";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { FLAGS, advert, manufacturer } from "../gateway/domain/advert/advertBytes.js";
import { freePort } from "../support/freePort.js";
import { until } from "../support/until.js";
import { openCloud, seedUplinkStore, stopCloud } from "../support/uplinkCloud.js";
import { STORE_ID } from "../support/uplinkEvents.js";
import { silentSource, uplinkGatewayDocument } from "../support/uplinkGateway.js";

const silent = createLogger({ level: "silent", format: "json", name: "test" });

/** A real iBeacon advert (room-assistant's test vector), the shopper's registered beacon. */
const vector = (
  JSON.parse(readFileSync(new URL("../fixtures/ble-adverts.json", import.meta.url), "utf8")) as {
    id: string;
    hex: string;
  }[]
).find((v) => v.id === "room-assistant-ibeacon-1");
if (!vector) throw new Error("vector room-assistant-ibeacon-1 is missing");
const BEACON = advert(FLAGS, manufacturer(vector.hex));
const SUBJECT = "ibeacon:2f234454-cf6d-4a0f-adf2-f4911ba9ffa6:1:2";

/**
 * Two real gateways of one store, each running its own presence engine on the same shopper, both
 * uploading through the cloud's broker over MQTT: the cloud joins their zone visits into one store
 * visit, so the shopper counts one visit and gets at most one offer per rule, even when one gateway
 * dies mid-visit and the other one carries on.
 */
describe("two gateways judging one zone", () => {
  let dir: string;
  let cloud: Cloud;
  const gateways = new Map<string, Gateway>();
  // The shopper's time: adverts are dated from a minute ago, so events are neither stale nor ahead.
  let simNow = Date.now() - 120_000;

  const db = () => cloud.repositories.db;
  const count = async (sql: string) => (await db().get<{ n: number }>(sql))?.n ?? 0;

  /** One second of the shopper near both live gateways: an advert each, then the engines' tick. */
  const second = (rssiDbm: Partial<Record<string, number>>) => {
    simNow += 1000;
    for (const [id, gateway] of gateways) {
      const rssi = rssiDbm[id];
      if (rssi !== undefined) gateway.pipeline.onAdvert({ t: simNow, addr: "c0:ff:ee:00:00:01", rssi, data: BEACON });
      gateway.pipeline.tick(simNow);
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-two-gateways-"));
    const ports = { mqttPort: await freePort(), httpPort: await freePort() };
    cloud = await openCloud(join(dir, "cloud"), ports, silent);
    await seedUplinkStore(cloud);
    const repo = cloud.repositories;
    await repo.directory.upsertGateway({ id: "g2", storeId: STORE_ID, name: "Second gateway" }, Date.now());
    await repo.users.upsertUser(
      { id: "u1", orgId: "o1", displayName: "u1", segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
      Date.now(),
    );
    await repo.users.registerDevice(SUBJECT, "u1", null, Date.now());
    const spec = checkRuleSpec({
      trigger: { type: "enter" },
      offer: { title: "Hello", text: "Welcome", discount: { kind: "percent", percent: 5 }, validityS: 600 },
    });
    if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
    await repo.rules.putRule("o1", { id: "hello", version: 1, status: "live", spec: spec.value }, Date.now());
    const logins = new Map<string, { username: string; password: string }>();
    for (const id of ["g1", "g2"]) {
      logins.set(id, await cloud.credentials.issueMqtt({ role: "gateway", storeId: STORE_ID, gatewayId: id }, "test"));
    }
    await cloud.start();
    for (const id of ["g1", "g2"]) {
      const login = logins.get(id);
      if (!login) throw new Error("no login");
      const document = {
        ...uplinkGatewayDocument({
          dataDir: join(dir, id),
          url: `mqtt://127.0.0.1:${ports.mqttPort}`,
          username: login.username,
          password: login.password,
        }),
        gatewayId: id,
        // Each gateway judges zone z1 around itself, as a store with two radios by one shelf does.
        zones: [{ id: "z1", shape: "gateway-radius", gatewayId: id, radiusM: 3 }],
        // The test moves the gateways' clock (the shopper's time), not the cloud's: not corrected.
        time: { source: "system" },
      };
      const parsed = parseGatewayConfig(document);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      const gateway = await createGateway(parsed.config, { source: silentSource, log: silent, clock: { now: () => simNow } });
      await gateway.start();
      gateways.set(id, gateway);
    }
  }, 60_000);

  afterAll(async () => {
    for (const gateway of gateways.values()) await gateway.stop().catch(() => undefined);
    if (cloud) await stopCloud(cloud);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("makes one store visit and one offer of both gateways' enters", { timeout: 60_000 }, async () => {
    for (let k = 0; k < 30; k++) second({ g1: -55, g2: -58 });
    await until(
      async () => (await count("SELECT COUNT(*) AS n FROM presence_events WHERE type = 'enter'")) >= 2,
      30_000,
      "both gateways' enters stored",
    );
    await until(async () => (await count("SELECT COUNT(*) AS n FROM presence_events WHERE decided_at IS NULL")) === 0, 30_000);
    // Both engines judged the zone by themselves: two zone visits, one per gateway...
    const enters = await db().all<{ gateway_id: string; visit_id: string; store_visit_id: string }>(
      "SELECT gateway_id, visit_id, store_visit_id FROM presence_events WHERE type = 'enter' ORDER BY gateway_id",
    );
    expect(enters.map((e) => e.gateway_id)).toEqual(["g1", "g2"]);
    expect(new Set(enters.map((e) => e.visit_id)).size).toBe(2);
    // ...joined into one store visit, counted once, with one offer.
    expect(new Set(enters.map((e) => e.store_visit_id)).size).toBe(1);
    expect(await count("SELECT visits AS n FROM user_visit_counts WHERE user_id = 'u1'")).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM offers WHERE user_id = 'u1'")).toBe(1);
    const reasons = await db().all<{ reason: string }>("SELECT reason FROM decisions WHERE rule_id = 'hello' ORDER BY id");
    expect(reasons.map((r) => r.reason)).toEqual(["eligible", "already-issued-this-visit"]);
  });

  it("keeps the visit one when a gateway dies and the other carries on", { timeout: 60_000 }, async () => {
    const g1 = gateways.get("g1");
    await g1?.stop();
    gateways.delete("g1");
    // The shopper steps away from the shelf and comes back a few minutes later: g2 alone sees it.
    for (let k = 0; k < 120; k++) second({});
    for (let k = 0; k < 30; k++) second({ g2: -56 });
    await until(
      async () => (await count("SELECT COUNT(*) AS n FROM presence_events WHERE type = 'enter' AND gateway_id = 'g2'")) >= 2,
      30_000,
      "g2's second enter stored",
    );
    await until(async () => (await count("SELECT COUNT(*) AS n FROM presence_events WHERE decided_at IS NULL")) === 0, 30_000);
    expect(await count("SELECT COUNT(DISTINCT store_visit_id) AS n FROM presence_events WHERE user_id = 'u1'")).toBe(1);
    expect(await count("SELECT visits AS n FROM user_visit_counts WHERE user_id = 'u1'")).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM offers WHERE user_id = 'u1'")).toBe(1);
  });
});
