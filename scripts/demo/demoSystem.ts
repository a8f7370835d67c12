import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CloudConfig } from "../../cloud/src/config/schema.js";
import { type Cloud, createCloud } from "../../cloud/src/createCloud.js";
import type { Offer } from "../../cloud/src/domain/offers/index.js";
import { checkRuleSpec, type Rule } from "../../cloud/src/domain/rules/index.js";
import { mqttUsernameFor } from "../../cloud/src/services/CredentialService.js";
import type { Logger as CloudLogger } from "../../cloud/src/services/ports.js";
import { SimHub } from "../../gateway/src/adapters/sim/SimulatedScanSource.js";
import { SimWorld } from "../../gateway/src/adapters/sim/SimWorld.js";
import { systemScheduler } from "../../gateway/src/services/ports.js";
import { DemoCounter } from "./DemoCounter.js";
import { DemoFootfall } from "./DemoFootfall.js";
import { DemoRetail, type DemoRetailEvent } from "./DemoRetail.js";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import type { Logger as GatewayLogger } from "../../gateway/src/services/ports.js";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { encodeAppToken } from "../../sdk/src/index.js";
import { bundleShopperPage, bundleShopperServiceWorker, SHOPPER_PAGE_HTML } from "./bundleShopperPage.js";
import {
  DEMO_GATEWAYS,
  DEMO_ORG,
  DEMO_SCRIPTED_PASSERS_MS,
  DEMO_PRESENCE,
  DEMO_RADIOS,
  DEMO_RULES,
  DEMO_STORE,
  DEMO_USERS,
  DEMO_ZONES,
  demoAdvertisers,
  demoNewcomer,
  demoRemoteConfig,
  subjectIdOf,
} from "./demoStore.js";

export interface DemoCredentials {
  /** App users' MQTT logins, as the retailer's app would receive them at sign-in. */
  readonly apps: Readonly<Record<string, { username: string; password: string }>>;
  /** The demo store's pick-up counter's MQTT login (a store device: its store's pick-ups only). */
  readonly counter: { readonly username: string; readonly password: string };
  /** API key of the demo store's till. */
  readonly posKey: string;
  /** API key of the demo marketer (reads decisions). */
  readonly marketerKey: string;
  /** API key of the demo organisation's admin (reads /metrics). */
  readonly adminKey: string;
  /** API key of one demo app user (reads its pending offers). */
  readonly appKey: { userId: string; key: string };
}

export interface DemoSystemCredentials extends DemoCredentials {
  /**
   * App tokens per demo user (as the retailer's backend would hand them to its app), when the
   * shopper page is on: open `/demo/shopper#token=…` with one.
   */
  readonly shopperTokens: Readonly<Record<string, string>>;
}

export interface DemoSystem {
  readonly cloud: Cloud;
  readonly gateways: readonly Gateway[];
  /** New members signing up and walking in while the demo runs. */
  readonly footfall: DemoFootfall;
  /** The retailer's app, online shop and till around the store, over the HTTP API. */
  readonly retail: DemoRetail;
  readonly credentials: DemoSystemCredentials;
  /** URL of the shopper page signed in as `userId`, when the page is on. */
  shopperPageUrl(userId: string): string | null;
  stop(): Promise<void>;
}

export interface DemoOptions {
  readonly cloudConfig: Readonly<CloudConfig>;
  readonly log: CloudLogger & GatewayLogger;
  readonly seed?: number;
  /** Delay before the first shopper walks in, ms. */
  readonly firstArrivalMs?: number;
  readonly onOfferIssued?: (offer: Offer) => void;
  /** Told what the members, the online shop and the till do: claims, gifts, pick-ups, purchases. */
  readonly onRetailEvent?: (event: DemoRetailEvent) => void;
  /** Serve the shopper page (needs the broker's WebSocket listener in `cloudConfig`). */
  readonly shopperPage?: boolean;
  /** A new member walks in every so often, ms; default `DEMO_NEWCOMER_EVERY_MS` (40 s). */
  readonly newcomerEveryMs?: number;
}

/** The address a local client dials for a listener bound to `host` (a wildcard bind listens on loopback too). */
export function loopbackFor(host: string): string {
  return host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host;
}

/** Seeds the demo organisation, store, zones, gateways, users and rules. Safe to run again. */
export async function seedDemo(cloud: Cloud, now: number): Promise<void> {
  const repo = cloud.repositories;
  await repo.directory.upsertOrganisation(DEMO_ORG, now);
  await repo.directory.upsertStore({ ...DEMO_STORE, tags: [...DEMO_STORE.tags] }, now);
  for (const { tags, ...zone } of DEMO_ZONES) {
    await repo.directory.upsertZone({
      id: zone.id,
      storeId: DEMO_STORE.id,
      name: zone.name ?? zone.id,
      tags,
      geometry: zone,
    });
  }
  for (const g of DEMO_GATEWAYS)
    await repo.directory.upsertGateway({ id: g.id, storeId: DEMO_STORE.id, name: g.name }, now);
  for (const user of DEMO_USERS) {
    await repo.users.upsertUser(
      {
        id: user.id,
        orgId: DEMO_ORG.id,
        displayName: user.displayName,
        segments: user.segments,
        loyaltyTier: user.loyaltyTier,
        marketingConsent: user.marketingConsent,
        analyticsConsent: true,
      },
      now,
    );
    await repo.users.registerDevice(subjectIdOf(user), user.id, "retailer app", now);
  }
  // Demo rules are created once. After that they are the marketer's: edits, pauses and ends (and
  // rules of their own) survive a restart, each already in the rule's history.
  const existing = new Set((await cloud.repositories.rules.listCurrentRules(DEMO_ORG.id)).map((r) => r.id));
  for (const { id, spec } of DEMO_RULES) {
    if (existing.has(id)) continue;
    const checked = checkRuleSpec(spec);
    if (!checked.ok) throw new Error(`demo rule ${id} is invalid: ${JSON.stringify(checked.problems)}`);
    const rule: Rule = { id, version: 1, status: "live", spec: checked.value, updatedAt: now };
    await cloud.repositories.rules.putRule(DEMO_ORG.id, rule, now);
  }
}

/** What the demo keeps in its data directory between runs (secrets: the file is 0600). */
interface SavedDemoCredentials {
  readonly apiKeys: Readonly<Record<string, { id: string; key: string }>>;
  readonly mqtt: Readonly<Record<string, { username: string; password: string }>>;
}

/**
 * The demo's credentials. They are kept in the demo's own data directory (mode 0600) and reused
 * on the next run while they still verify, so the open console, the till's curl and
 * mosquitto_sub keep working across restarts; one that was revoked (or a data directory from an
 * older demo) gets a new one. Keeping secrets in a file is for the demo's sake only: the real
 * cloud stores hashes and shows a secret once.
 */
async function issueCredentials(
  cloud: Cloud,
  dataDir: string,
): Promise<DemoCredentials & { gateways: Record<string, string>; appKeys: Record<string, string> }> {
  const file = join(dataDir, "demo-credentials.json");
  let saved: SavedDemoCredentials = { apiKeys: {}, mqtt: {} };
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<SavedDemoCredentials>;
    saved = { apiKeys: parsed.apiKeys ?? {}, mqtt: parsed.mqtt ?? {} };
  } catch {
    // First run (or an older demo's data directory): everything is issued below.
  }
  // An older demo kept only the key ids and issued new keys every run: those old keys go.
  const legacy = join(dataDir, "demo-api-keys.json");
  try {
    const previous = JSON.parse(await readFile(legacy, "utf8")) as { keyIds?: unknown };
    if (Array.isArray(previous.keyIds))
      for (const id of previous.keyIds) if (typeof id === "string") await cloud.credentials.revokeApiKey(id, "demo");
    await rm(legacy, { force: true });
  } catch {
    // None.
  }
  const apiKeys: Record<string, { id: string; key: string }> = {};
  const apiKey = async (name: string, issue: () => Promise<{ id: string; key: string }>): Promise<{ id: string; key: string }> => {
    const previous = saved.apiKeys[name];
    apiKeys[name] = previous && (await cloud.credentials.verifyApiKey(previous.key)) !== null ? previous : await issue();
    return apiKeys[name];
  };
  const logins: Record<string, { username: string; password: string }> = {};
  const mqttLogin = async (
    name: string,
    issue: () => Promise<{ username: string; password: string }>,
  ): Promise<{ username: string; password: string }> => {
    const previous = saved.mqtt[name];
    const valid = previous && (await cloud.credentials.verifyMqtt(previous.username, Buffer.from(previous.password))) !== null;
    const login = valid ? previous : await issue();
    logins[name] = { username: login.username, password: login.password };
    return logins[name];
  };

  const gateways: Record<string, string> = {};
  for (const g of DEMO_GATEWAYS) {
    const { password } = await mqttLogin(`gateway:${g.id}`, () =>
      cloud.credentials.issueMqtt({ role: "gateway", storeId: DEMO_STORE.id, gatewayId: g.id }, "demo"),
    );
    gateways[g.id] = password;
  }
  const apps: Record<string, { username: string; password: string }> = {};
  for (const user of DEMO_USERS)
    apps[user.id] = await mqttLogin(`app:${user.id}`, () => cloud.credentials.issueMqtt({ role: "app", userId: user.id }, "demo"));
  const counter = await mqttLogin("store:counter-1", () =>
    cloud.credentials.issueMqtt({ role: "store", storeId: DEMO_STORE.id, deviceId: "counter-1" }, "demo"),
  );
  const pos = await apiKey("pos", () =>
    cloud.credentials.issueApiKey({ role: "pos", orgId: DEMO_ORG.id, storeId: DEMO_STORE.id, label: "demo till" }, "demo"),
  );
  const marketer = await apiKey("marketer", () =>
    cloud.credentials.issueApiKey({ role: "marketer", orgId: DEMO_ORG.id, label: "demo marketer" }, "demo"),
  );
  const admin = await apiKey("admin", () =>
    cloud.credentials.issueApiKey({ role: "admin", orgId: DEMO_ORG.id, label: "demo admin (metrics)" }, "demo"),
  );
  const firstUser = DEMO_USERS[0]?.id ?? "u-ada";
  const app = await apiKey("app", () =>
    cloud.credentials.issueApiKey({ role: "app", orgId: DEMO_ORG.id, userId: firstUser, label: "demo app" }, "demo"),
  );
  // One app key per demo user, for the shopper page's app tokens.
  const appKeys: Record<string, string> = {};
  for (const user of DEMO_USERS) {
    const issued = await apiKey(`shopper:${user.id}`, () =>
      cloud.credentials.issueApiKey(
        { role: "app", orgId: DEMO_ORG.id, userId: user.id, label: `demo shopper page ${user.id}` },
        "demo",
      ),
    );
    appKeys[user.id] = issued.key;
  }
  const next: SavedDemoCredentials = { apiKeys, mqtt: logins };
  await writeFile(file, JSON.stringify(next), { mode: 0o600 });
  await chmod(file, 0o600);
  return {
    gateways,
    apps,
    counter,
    posKey: pos.key,
    marketerKey: marketer.key,
    adminKey: admin.key,
    appKey: { userId: firstUser, key: app.key },
    appKeys,
  };
}

/**
 * The whole system on one machine: the cloud (embedded broker, SQLite, HTTP), the demo store's two
 * gateways running the real gateway pipeline on simulated radio input, and the demo data.
 */
export async function startDemo(options: DemoOptions): Promise<DemoSystem> {
  const { log, cloudConfig } = options;
  const clock = { now: () => Date.now() };
  let phones: DemoRetail | null = null;
  const cloud = await createCloud(cloudConfig, {
    log: log.child({ app: "cloud" }),
    clock,
    // The members' phones hear of their offers and acknowledge them, as the retailer's app does.
    onOfferIssued: (offer) => {
      options.onOfferIssued?.(offer);
      phones?.offerIssued(offer);
    },
    ...(options.shopperPage
      ? {
          shopperPage: {
            html: SHOPPER_PAGE_HTML,
            script: await bundleShopperPage(),
            serviceWorker: await bundleShopperServiceWorker(),
          },
        }
      : {}),
  });
  await seedDemo(cloud, clock.now());
  const issued = await issueCredentials(cloud, cloudConfig.dataDir);
  await cloud.start();
  // The store's zones go to the gateways the way an operator would push them: retained on each
  // gateway's config topic, applied without a restart.
  for (const g of DEMO_GATEWAYS) {
    await cloud.broker.publish(
      gatewayTopic(DEMO_STORE.id, g.id, "config"),
      encodeMessage(demoRemoteConfig(1)),
      {
        qos: 1,
        retain: true,
      },
    );
  }

  // The pick-up counter hears arrivals over the broker with its own store-device login.
  const counter = new DemoCounter({
    url: `mqtt://${loopbackFor(cloudConfig.mqtt.mode === "embedded" ? cloudConfig.mqtt.host : "127.0.0.1")}:${cloud.mqttPort()}`,
    ...issued.counter,
    log: log.child({ app: "counter" }),
  });
  await counter.start();

  const seed = options.seed ?? 7;
  const retail = new DemoRetail({
    apiUrl: `http://${loopbackFor(cloudConfig.http.host)}:${cloud.httpPort()}`,
    keys: { marketer: issued.marketerKey, admin: issued.adminKey, pos: issued.posKey },
    storeBus: counter,
    clock,
    scheduler: systemScheduler,
    seed,
    ...(options.onRetailEvent ? { onEvent: options.onRetailEvent } : {}),
    onError: (err) => log.warn({ err }, "demo retail step failed"),
  });
  phones = retail;
  // The programme and the batches exist before the first shopper is seen: the first visit earns.
  await retail.setUp();
  const advertisers = demoAdvertisers({ seed, startAt: clock.now(), firstArrivalMs: options.firstArrivalMs ?? 3000 });
  const world = new SimWorld({
    seed,
    advertisers,
    pathLossExponent: 2.2,
    fadingDb: 2,
    bodyLossProbability: 0.2,
    packetLoss: 0.1,
    sensitivityDbm: -100,
  });
  const hub = new SimHub({ world, radios: DEMO_RADIOS, clock });
  const gateways: Gateway[] = [];
  for (const g of DEMO_GATEWAYS) {
    const parsed = parseGatewayConfig({
      storeId: DEMO_STORE.id,
      gatewayId: g.id,
      dataDir: join(cloudConfig.dataDir, "gateways", g.id),
      mqtt: {
        url: `mqtt://${loopbackFor(cloudConfig.mqtt.mode === "embedded" ? cloudConfig.mqtt.host : "127.0.0.1")}:${cloud.mqttPort()}`,
        username: mqttUsernameFor({ role: "gateway", storeId: DEMO_STORE.id, gatewayId: g.id }),
        password: issued.gateways[g.id],
        reconnectInitialMs: 200,
      },
      scanner: { source: "sim" },
      presence: DEMO_PRESENCE,
      uplink: { ackTimeoutMs: 5000 },
      telemetryIntervalS: 10,
    });
    if (!parsed.ok) throw new Error(`demo gateway config invalid: ${JSON.stringify(parsed.problems)}`);
    const gateway = await createGateway(parsed.config, {
      source: hub.source(g.id),
      log: log.child({ app: g.id }),
      clock,
    });
    gateways.push(gateway);
  }
  for (const gateway of gateways) await gateway.start();
  const startedAt = clock.now();
  const footfall = new DemoFootfall({
    users: cloud.repositories.users,
    world,
    clock,
    scheduler: systemScheduler,
    seed,
    ...(options.newcomerEveryMs !== undefined ? { newcomerEveryMs: options.newcomerEveryMs } : {}),
    // demoAdvertisers scripts the first hour of people passing by; footfall carries on from there.
    passersFromAt: startedAt + DEMO_SCRIPTED_PASSERS_MS,
    onNewcomer: (userId, _arriveAt, { n, advertiser }) =>
      retail.newcomer(n, { userId, segments: demoNewcomer(n).segments, path: advertiser.path }, advertiser.goneAt ?? null),
    onError: (err) => log.warn({ err }, "demo newcomer could not sign up"),
  });
  // demoAdvertisers lists the regulars' phones first, in DEMO_USERS' order.
  await retail.start(
    DEMO_USERS.flatMap((user, i) => {
      const appKey = issued.appKeys[user.id];
      const phone = advertisers[i];
      return appKey && phone ? [{ userId: user.id, segments: user.segments, appKey, path: phone.path }] : [];
    }),
  );
  await footfall.start();
  const shopperTokens: Record<string, string> = {};
  const wsPort = cloud.mqttPorts().websocket;
  if (options.shopperPage && wsPort > 0 && cloudConfig.mqtt.mode === "embedded") {
    const wsPath = cloudConfig.mqtt.websocket?.path ?? "/mqtt";
    const wsHost = loopbackFor(cloudConfig.mqtt.websocket?.host ?? "127.0.0.1");
    for (const user of DEMO_USERS) {
      const login = issued.apps[user.id];
      const apiKey = issued.appKeys[user.id];
      if (!login || !apiKey) continue;
      shopperTokens[user.id] = encodeAppToken({
        v: 1,
        userId: user.id,
        apiUrl: `http://${loopbackFor(cloudConfig.http.host)}:${cloud.httpPort()}`,
        apiKey,
        // The page's connection gets its own client id, so it never takes over the CLI phone's session.
        mqtt: { url: `ws://${wsHost}:${wsPort}${wsPath}`, ...login, clientId: `${login.username}:page` },
      });
    }
  }
  return {
    cloud,
    gateways,
    footfall,
    retail,
    credentials: { ...issued, shopperTokens },
    shopperPageUrl(userId) {
      const token = shopperTokens[userId];
      return token
        ? `http://${loopbackFor(cloudConfig.http.host)}:${cloud.httpPort()}/demo/shopper#token=${token}`
        : null;
    },
    async stop() {
      await footfall.stop();
      await retail.stop();
      await counter.stop();
      for (const gateway of [...gateways].reverse()) await gateway.stop();
      await cloud.stop();
    },
  };
}
