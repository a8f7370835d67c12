/**
 * The system benchmark's burst: N distinct registered shoppers enter a store at once, and the cloud
 * decides and delivers their N offers with no other load. Measured from the first batch's publish to
 * the N-th offer at a subscriber of every user's offers topic (one service login, so N apps need not
 * connect), so it covers ingest, decision and delivery. Run with one rule, with ten (nine of which are
 * candidates that refuse), and with one rule that already issued `history` earlier offers, to show
 * whether deciding costs more as the offers table grows.
 *
 * The shoppers and the earlier offers are written with SQL straight into the cloud's database before
 * the cloud starts: seeding a million offers through the pipeline would take longer than the run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { encodeMessage, gatewayTopic, type PresenceEvent, TOPIC_ROOT } from "../../protocol/index.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { processUsage, seedWorld, startCloudProcess } from "./systemSetup.js";

export interface BurstOptions {
  /** Distinct shoppers, one enter each (at most 65 535: iBeacon minors). */
  readonly shoppers: number;
  readonly rules: number;
  /** Offers of rule 0 issued earlier (to other users), seeded with SQL. */
  readonly history: number;
  /** Parent directory of the run's data directory. */
  readonly dir?: string;
  /** Extra node arguments for the cloud process (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  readonly progress: (line: string) => void;
}

export interface BurstResult {
  readonly shoppers: number;
  readonly rules: number;
  readonly history: number;
  readonly offers: number;
  /** First publish to the last offer, ms. */
  readonly elapsedMs: number;
  readonly offersPerS: number;
  /** First publish to the last batch's ack (all events committed), ms. */
  readonly ackedMs: number | null;
  readonly cloudCpu: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

const BATCH = 200;
const burstSubject = (n: number): string => `ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:7:${n}`;

/** Registered shoppers `b-1..b-N`, each with one beacon, consenting to marketing. */
async function seedShoppers(db: SqliteDatabase, shoppers: number, now: number): Promise<void> {
  await db.run(
    `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ?)
     INSERT INTO app_users (id, org_id, display_name, segments, loyalty_tier, marketing_consent, analytics_consent,
       created_at, updated_at)
     SELECT 'b-' || n, 'o1', NULL, '["shopper"]', NULL, 1, 1, ?, ? FROM c`,
    [shoppers, now, now],
  );
  await db.run(
    `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ?)
     INSERT INTO user_devices (org_id, subject_id, user_id, label, created_at)
     SELECT 'o1', '${burstSubject(0).slice(0, -1)}' || n, 'b-' || n, NULL, ? FROM c`,
    [shoppers, now],
  );
}

/** `count` offers of rule 0, all published and expired, to 200 000 other users, over the past year. */
async function seedHistory(db: SqliteDatabase, count: number, now: number, progress: (line: string) => void): Promise<void> {
  const chunk = 200_000;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    progress(`seeding earlier offers ${from}..${to} of ${count}`);
    // ?1..?2: the offer numbers of this chunk; ?3: now. Spread over the past year, one a user-day.
    await db.run(
      `WITH RECURSIVE c(n) AS (SELECT ?1 UNION ALL SELECT n + 1 FROM c WHERE n < ?2)
       INSERT INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title, text,
         discount, code, state, state_at, day_key, issued_at, expires_at, published_at)
       SELECT 'h-' || n, 'rule-0', 1, 'h-user-' || (n % 200000), 's1', 'z1', 'h-visit-' || n, 'h-event-' || n,
         '10% off', 'Today', '{"kind":"percent","percent":10}', 'H' || n, 'expired', ?3,
         strftime('%Y-%m-%d', (?3 - (n % 365) * 86400000) / 1000, 'unixepoch'), ?3 - (n % 365) * 86400000,
         ?3 - (n % 365) * 86400000 + 600000, ?3 - (n % 365) * 86400000 FROM c`,
      [from + 1, to, now],
    );
  }
}

function connect(url: string, login: { username: string; password: string; clientId: string }): Promise<MqttClient> {
  const client = mqtt.connect(url, { ...login, clean: true, reconnectPeriod: 500 });
  client.on("error", () => undefined);
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve(client));
    client.once("error", reject);
  });
}

/** Seeds a world for the burst, starts the cloud, fires the burst and waits for its offers. */
export async function runBurst(options: BurstOptions): Promise<BurstResult> {
  const { shoppers, rules, history, progress } = options;
  const dir = await mkdtemp(join(options.dir ?? tmpdir(), "arrival-burst-"));
  const embedded = { mode: "embedded", port: 0, connectionsPerSecondPerIp: 0 };
  let cloud: Awaited<ReturnType<typeof startCloudProcess>> | null = null;
  const clients: MqttClient[] = [];
  try {
    progress(`burst: seeding ${shoppers} shoppers, ${rules} rules, ${history} earlier offers`);
    const world = await seedWorld(dir, { stores: 1, gatewaysPerStore: 4, subjectsPerStore: 0, rules }, embedded);
    const db = await SqliteDatabase.open(join(dir, "cloud.db"), { synchronous: "NORMAL" });
    try {
      const now = Date.now();
      await seedShoppers(db, shoppers, now);
      if (history > 0) await seedHistory(db, history, now, progress);
      await db.exec("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
    } finally {
      await db.close();
    }
    cloud = await startCloudProcess(dir, embedded, options.nodeArgs ?? []);
    const url = `mqtt://127.0.0.1:${cloud.mqttPort}`;
    if (!world.service) throw new Error("seedWorld gave no service login");
    const watcher = await connect(url, world.service);
    clients.push(watcher);
    let offers = 0;
    let lastOfferAt = 0;
    let allOffers: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allOffers = resolve;
    });
    watcher.on("message", () => {
      offers++;
      lastOfferAt = performance.now();
      if (offers >= shoppers) allOffers();
    });
    await watcher.subscribeAsync(`${TOPIC_ROOT}/users/+/offers`, { qos: 1 });
    const gateways = await Promise.all(world.gateways.map((g) => connect(url, g)));
    clients.push(...gateways);
    let batchesAcked = 0;
    let lastAckAt: number | null = null;
    const batches: { client: MqttClient; topic: string; payload: Buffer }[] = [];
    const at = new Date().toISOString();
    let n = 0;
    for (const [k, g] of world.gateways.entries()) {
      const client = gateways[k] as MqttClient;
      client.on("message", () => {
        batchesAcked++;
        if (batchesAcked === batches.length) lastAckAt = performance.now();
      });
      await client.subscribeAsync(gatewayTopic(g.storeId, g.gatewayId, "ack"), { qos: 1 });
      const share = Math.ceil(shoppers / world.gateways.length);
      const outbox = `burst-${g.gatewayId}`;
      const events: PresenceEvent[] = [];
      for (let seq = 1; seq <= share && n < shoppers; seq++) {
        n++;
        events.push({
          id: `burst-${g.gatewayId}-${seq}`,
          seq,
          type: "enter",
          storeId: g.storeId,
          zoneId: "z1",
          gatewayId: g.gatewayId,
          subject: { kind: "ibeacon", id: burstSubject(n) },
          at,
          visitId: `burst-visit-${n}`,
          rssi: -60,
          distanceM: 1.5,
        });
      }
      for (let i = 0; i < events.length; i += BATCH) {
        const slice = events.slice(i, i + BATCH);
        batches.push({
          client,
          topic: gatewayTopic(g.storeId, g.gatewayId, "events"),
          payload: encodeMessage({ v: 1, outbox, fromSeq: slice[0]?.seq ?? 1, events: slice }),
        });
      }
    }
    // Logins are scrypt checks on the thread pool SQLite shares: let them finish first.
    await new Promise((r) => setTimeout(r, 3000));
    const loadBefore = loadavg();
    const cpu0 = await processUsage(cloud.pid);
    progress(`burst: publishing ${shoppers} enters in ${batches.length} batches`);
    const t0 = performance.now();
    for (const b of batches) b.client.publish(b.topic, b.payload, { qos: 1 }, () => undefined);
    const timeout = new Promise<void>((r) => setTimeout(r, 180_000));
    await Promise.race([done, timeout]);
    const elapsedMs = (offers > 0 ? lastOfferAt : performance.now()) - t0;
    const cpu1 = await processUsage(cloud.pid);
    return {
      shoppers,
      rules,
      history,
      offers,
      elapsedMs: Math.round(elapsedMs),
      offersPerS: Math.round((offers / elapsedMs) * 1000),
      ackedMs: lastAckAt === null ? null : Math.round(lastAckAt - t0),
      cloudCpu: Math.round(((cpu1.cpuMs - cpu0.cpuMs) / elapsedMs) * 100),
      loadBefore,
      loadAfter: loadavg(),
    };
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await cloud?.stop();
    if (cloud && process.env.BURST_STDERR) process.stderr.write(cloud.stderr());
    if (cloud) for (const line of Object.values(cloud.logSamples())) progress(`burst cloud log: ${line}`);
    await rm(dir, { recursive: true, force: true });
  }
}
