import { checkRuleSpec } from "../../cloud/src/domain/rules/index.js";
import type { AppToken } from "../../sdk/src/index.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import type { ShopperPage } from "../../cloud/src/adapters/http/routes/shopperPageRoutes.js";

export interface SdkCloudFixture {
  readonly f: CloudFixture;
  /** The cloud's HTTP base URL. */
  api(): string;
  /**
   * What the retailer's backend hands the app after its own sign-in: the user's app key and a
   * fresh MQTT credential (issuing one replaces the user's previous password).
   */
  appToken(userId: string, apiKey: string, options?: { mqttUrl?: string }): Promise<AppToken>;
  close(): Promise<void>;
}

/**
 * A real cloud for the client library: embedded broker with its WebSocket listener, HTTP API and
 * SQLite in a temp dir (the cloud fixture's store s1, users u1 and u2), with live enter rule r1
 * allowing five offers per user a day, so one test can see several visits each give an offer.
 */
export async function createSdkCloudFixture(
  options: { push?: Record<string, unknown>; shopperPage?: ShopperPage; storeBeacon?: Record<string, unknown> } = {},
): Promise<SdkCloudFixture> {
  const f = await createCloudFixture({
    mqtt: { mode: "embedded", port: 0, websocket: { port: 0 } },
    seedRule: false,
    // The first arrival of a test may be dated 40 minutes back, so a later one is another store visit.
    offers: { maxEventAgeS: 3600 },
    ...(options.push ? { push: options.push } : {}),
    ...(options.shopperPage ? { shopperPage: options.shopperPage } : {}),
    ...(options.storeBeacon ? { storeBeacon: options.storeBeacon } : {}),
  });
  const spec = checkRuleSpec({
    trigger: { type: "enter" },
    scope: { storeIds: ["s1"] },
    offer: { title: "10% off", text: "Today only", discount: { kind: "percent", percent: 10 }, validityS: 600 },
    limits: { maxPerUserPerDay: 5 },
  });
  if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
  await f.cloud.repositories.rules.putRule("o1", { id: "r1", version: 1, status: "live", spec: spec.value }, Date.now());
  // A phone's geofence report fires geofence-arrival rules only.
  const geo = checkRuleSpec({
    trigger: { type: "geofence-arrival" },
    scope: { storeIds: ["s1"] },
    offer: { title: "Nearby: 5% off", text: "Today only", discount: { kind: "percent", percent: 5 }, validityS: 600 },
  });
  if (!geo.ok) throw new Error(JSON.stringify(geo.problems));
  await f.cloud.repositories.rules.putRule("o1", { id: "r-geo", version: 1, status: "live", spec: geo.value }, Date.now());
  await f.cloud.offers.reloadRules("o1");
  const api = () => `http://127.0.0.1:${f.cloud.httpPort()}`;
  return {
    f,
    api,
    async appToken(userId, apiKey, options = {}) {
      const mqtt = await f.cloud.credentials.issueMqtt({ role: "app", userId }, "test");
      const url = options.mqttUrl ?? `ws://127.0.0.1:${f.cloud.mqttPorts().websocket}/mqtt`;
      return { v: 1, userId, apiUrl: api(), apiKey, mqtt: { url, ...mqtt } };
    },
    close: () => f.close(),
  };
}
