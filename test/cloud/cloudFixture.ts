import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import type { ShopperPage } from "../../cloud/src/adapters/http/routes/shopperPageRoutes.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type Cloud, createCloud } from "../../cloud/src/createCloud.js";
import { checkRuleSpec } from "../../cloud/src/domain/rules/index.js";
import type { Clock, Logger } from "../../cloud/src/services/ports.js";
import type { ApiRole } from "../../cloud/src/services/repositories.js";
import { encodeMessage, gatewayTopic, type PresenceEvent } from "../../protocol/index.js";

export const SUBJECT_U1 = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:1";
export const SUBJECT_U2 = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2";
/** The beacon of u3 (see `addShopperWithoutAnalytics`). */
export const SUBJECT_U3 = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:3";

/**
 * Adds u3 to o1 with beacon `SUBJECT_U3`: u3 wants offers but gave no analytics consent, so their
 * presence is stored unlinked.
 */
export async function addShopperWithoutAnalytics(f: CloudFixture): Promise<void> {
  const now = Date.now();
  await f.cloud.repositories.users.upsertUser(
    { id: "u3", orgId: "o1", displayName: "u3", segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: false },
    now,
  );
  await f.cloud.repositories.users.registerDevice(SUBJECT_U3, "u3", null, now);
}

export interface CloudFixture {
  /** The running cloud; a new instance after `restart`. */
  readonly cloud: Cloud;
  readonly dataDir: string;
  readonly keys: Readonly<
    Record<"admin" | "marketer" | "storeOps" | "pos" | "posOtherStore" | "appU1" | "appU2", string>
  >;
  /** Publishes a batch as gateway g1 would (through ingest, as the broker delivers it). */
  ingest(events: readonly PresenceEvent[], fromSeq?: number): Promise<void>;
  /** Publishes a batch as `gatewayId` of `storeId` would (register it first). */
  ingestAs(storeId: string, gatewayId: string, events: readonly PresenceEvent[], fromSeq?: number): Promise<void>;
  /**
   * Stops the cloud and starts a new one on the same data directory, config and clock, as after a
   * process restart. `beforeStart` runs on the new cloud before `start` (e.g. to start its broker
   * and connect a client before start-up work publishes).
   */
  restart(beforeStart?: (cloud: Cloud) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface CloudFixtureOptions {
  /** Replaces the `mqtt` config section (an external broker, TLS or WebSocket listeners). */
  readonly mqtt?: Record<string, unknown>;
  /** The cloud's clock; default the system clock. Tests of time pass a `ManualClock`. */
  readonly clock?: Clock;
  /** Merged into the `offers` config section (e.g. `reminderLeadS`). */
  readonly offers?: Record<string, unknown>;
  /** Merged into the `ingest` config section (e.g. `maxClockSkewS`). */
  readonly ingest?: Record<string, unknown>;
  /** The cloud's logger; default a silent one. Tests of what is logged pass a `RecordingLogger`. */
  readonly log?: Logger;
  /** Seed the live enter rule r1 (default true). */
  readonly seedRule?: boolean;
  /** The `worker` config section (e.g. `{ id: "w-1" }`). */
  readonly worker?: Record<string, unknown>;
  /** Replaces the `storage` config section (PostgreSQL); default SQLite in the temp data directory. */
  readonly storage?: Record<string, unknown>;
  /** The `push` config section (providers, cap, retries). */
  readonly push?: Record<string, unknown>;
  /** The `webhooks` config section (e.g. `{ allowPrivateNetworks: true }` for a local receiver). */
  readonly webhooks?: Record<string, unknown>;
  /** The `storeBeacon` config section (e.g. `{ secretFile }`). */
  readonly storeBeacon?: Record<string, unknown>;
  /** Serve the demo shopper page (as the demo does). */
  readonly shopperPage?: ShopperPage;
}

export function presenceEvent(seq: number, overrides: Partial<PresenceEvent> = {}): PresenceEvent {
  return {
    id: `event-${String(seq).padStart(8, "0")}`,
    seq,
    type: "enter",
    storeId: "s1",
    zoneId: "z1",
    gatewayId: "g1",
    subject: { kind: "ibeacon", id: SUBJECT_U1 },
    at: new Date().toISOString(),
    visitId: `visit-${String(seq).padStart(8, "0")}`,
    rssi: -60,
    distanceM: 1.2,
    ...overrides,
  };
}

/**
 * A real cloud (SQLite file in a temp dir, embedded broker and HTTP on port 0) with one store,
 * one gateway, two users (u2 without marketing consent), one live enter rule and an API key per role.
 * See `CloudFixtureOptions` for the clock, config and seeding.
 */
export async function createCloudFixture(options: CloudFixtureOptions = {}): Promise<CloudFixture> {
  const dir = await mkdtemp(join(tmpdir(), "arrival-cloud-"));
  const parsed = parseCloudConfig({
    dataDir: dir,
    http: { port: 0 },
    mqtt: options.mqtt ?? { mode: "embedded", port: 0 },
    log: { level: "silent" },
    ...(options.offers ? { offers: options.offers } : {}),
    ...(options.ingest ? { ingest: options.ingest } : {}),
    ...(options.worker ? { worker: options.worker } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.push ? { push: options.push } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.storeBeacon ? { storeBeacon: options.storeBeacon } : {}),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const log = options.log ?? createLogger({ level: "silent", format: "json", name: "test" });
  const clock = options.clock ?? { now: () => Date.now() };
  const deps = { log, clock, ...(options.shopperPage ? { shopperPage: options.shopperPage } : {}) };
  let cloud = await createCloud(parsed.config, deps);
  const repo = cloud.repositories;
  const now = clock.now();
  await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, now);
  for (const id of ["s1", "s2"]) {
    await repo.directory.upsertStore(
      { id, orgId: "o1", name: id, timezone: "Asia/Hong_Kong", lat: null, lon: null, tags: [] },
      now,
    );
  }
  await repo.directory.upsertZone({ id: "z1", storeId: "s1", name: "Zone", tags: ["beauty"], geometry: {} });
  await repo.directory.upsertGateway({ id: "g1", storeId: "s1", name: "Gateway" }, now);
  for (const [id, subject, consent] of [
    ["u1", SUBJECT_U1, true],
    ["u2", SUBJECT_U2, false],
  ] as const) {
    await repo.users.upsertUser(
      {
        id,
        orgId: "o1",
        displayName: id,
        segments: ["vip"],
        loyaltyTier: "gold",
        marketingConsent: consent,
        analyticsConsent: true,
      },
      now,
    );
    await repo.users.registerDevice(subject, id, null, now);
  }
  const spec = checkRuleSpec({
    trigger: { type: "enter" },
    scope: { storeIds: ["s1"] },
    offer: {
      title: "10% off",
      text: "Today only",
      discount: { kind: "percent", percent: 10 },
      validityS: 600,
    },
    limits: { maxPerUserPerDay: 1 },
  });
  if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
  if (options.seedRule !== false) {
    await cloud.repositories.rules.putRule("o1", { id: "r1", version: 1, status: "live", spec: spec.value }, now);
  }
  const issue = async (role: ApiRole, extra: { storeId?: string; userId?: string } = {}) =>
    (await cloud.credentials.issueApiKey({ role, orgId: "o1", label: `test ${role}`, ...extra }, "test")).key;
  const keys = {
    admin: await issue("admin"),
    marketer: await issue("marketer"),
    storeOps: await issue("store-ops"),
    pos: await issue("pos", { storeId: "s1" }),
    posOtherStore: await issue("pos", { storeId: "s2" }),
    appU1: await issue("app", { userId: "u1" }),
    appU2: await issue("app", { userId: "u2" }),
  };
  await cloud.start();
  return {
    get cloud() {
      return cloud;
    },
    dataDir: dir,
    keys,
    async ingest(events, fromSeq = 1) {
      await cloud.ingest.handleBatch(
        gatewayTopic("s1", "g1", "events"),
        encodeMessage({ v: 1, outbox: "fixture-outbox", fromSeq, events }),
      );
    },
    async ingestAs(storeId, gatewayId, events, fromSeq = 1) {
      await cloud.ingest.handleBatch(
        gatewayTopic(storeId, gatewayId, "events"),
        encodeMessage({ v: 1, outbox: "fixture-outbox", fromSeq, events }),
      );
    },
    async restart(beforeStart) {
      await cloud.stop();
      cloud = await createCloud(parsed.config, deps);
      if (beforeStart) await beforeStart(cloud);
      await cloud.start();
    },
    async close() {
      await cloud.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
