import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createLogger as createCloudLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { createCloud } from "../../cloud/src/createCloud.js";
import { checkRuleSpec } from "../../cloud/src/domain/rules/index.js";
import { createLogger as createGatewayLogger } from "../../gateway/src/adapters/log/createLogger.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import type { UnsequencedEvent } from "../../gateway/src/services/ports.js";
import { freePort } from "./freePort.js";
import { adminProvisioner, externalMqttConfig, type MosquittoInstance, startMosquitto } from "./mosquitto.js";
import { type PostgresInstance, startPostgres } from "./postgres.js";
import { silentSource, uplinkGatewayDocument } from "./uplinkGateway.js";
import { sleep, until } from "./until.js";
import { seededRandom } from "../../gateway/src/adapters/sim/random.js";

/**
 * The worker chaos run, shared by scripts/chaos/workers.ts (long form) and
 * test/integration/workersChaos.test.ts (short form): N cloud workers as real child processes
 * (`arrival-cloud serve`, so `kill -9` is real) on a private PostgreSQL behind a private mosquitto
 * with MQTT 5 shared subscriptions; real gateways (createGateway: SQLite outbox, relay, MQTT uplink)
 * in this process, each with its own login, streaming arrivals of registered shoppers into their
 * outboxes; a random worker SIGKILLed and restarted every `killEveryMs`; PostgreSQL and mosquitto
 * each restarted once. Then the load stops, every outbox must drain, and the books are read from the
 * database: every event produced stored once, every eligible event decided, at most one offer per
 * (rule, user, visit), every outbox acknowledged to its last sequence.
 */

export interface WorkerChaosOptions {
  readonly workers: number;
  readonly stores: number;
  readonly gatewaysPerStore: number;
  /** Registered shoppers (users with a beacon) the arrivals are drawn from. */
  readonly shoppers: number;
  /** How long the gateways stream arrivals, ms. */
  readonly loadMs: number;
  /** A random worker is killed (SIGKILL) and restarted this often during the load, ms; 0: never. */
  readonly killEveryMs: number;
  /** Each gateway hands one arrival (an enter and a dwell event of a new visit) to its outbox this often, ms. */
  readonly arrivalEveryMs: number;
  readonly restartPostgres: boolean;
  readonly restartMosquitto: boolean;
  /** Bound on the wait for every outbox to drain and every event to be decided after the load, ms. */
  readonly drainTimeoutMs: number;
  /** Seed of the choice of worker to kill and of shopper to arrive. */
  readonly seed: number;
  /** Called with each line of the run's timeline as it happens. */
  readonly onTimeline?: (line: string) => void;
}

export const WORKER_CHAOS_DEFAULTS: WorkerChaosOptions = {
  workers: 3,
  stores: 4,
  gatewaysPerStore: 2,
  shoppers: 200,
  loadMs: 120_000,
  killEveryMs: 10_000,
  arrivalEveryMs: 500,
  restartPostgres: true,
  restartMosquitto: true,
  drainTimeoutMs: 90_000,
  seed: 1,
};

export interface GatewayBooks {
  readonly gatewayId: string;
  /** Events handed to the outbox. */
  readonly produced: number;
  /** Sequence of the last event handed to the outbox. */
  readonly lastSeq: number;
  /** The cloud's acknowledged sequence for this gateway's outbox. */
  readonly ackedSeq: number;
  /** Rows still in the gateway's outbox at the end. */
  readonly depth: number;
}

export interface WorkerChaosReport {
  readonly options: Omit<WorkerChaosOptions, "onTimeline">;
  /** How long the load actually ran, and the drain after it, ms. */
  readonly loadMs: number;
  readonly drainMs: number;
  readonly produced: number;
  /** Produced events found in the database. */
  readonly stored: number;
  /** Produced events not in the database. */
  readonly lost: number;
  /** Events in the database that no gateway produced. */
  readonly unexpected: number;
  /** Events stored twice: another row with the same (gateway, outbox sequence). */
  readonly storedTwice: number;
  /** Arrivals (enter events of registered shoppers) produced. */
  readonly arrivals: number;
  /** Events of registered shoppers not marked decided. */
  readonly undecided: number;
  /** Arrivals without a decision of the live rule. */
  readonly arrivalsWithoutDecision: number;
  /** (event, rule) pairs decided more than once. */
  readonly doubleDecisions: number;
  readonly offers: number;
  /** Decisions of the live rule by outcome and reason (`issued`, `not-issued: <reason>`). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** (rule, user, visit) triples with more than one offer. */
  readonly doubleOffers: number;
  /**
   * (rule, user, store visit) triples with more than one offer: a shopper's arrivals within the
   * store-visit gap (30 min) join one store visit, and the rule's once-per-visit cap is on that.
   */
  readonly doubleOffersPerStoreVisit: number;
  /** Issued decisions without their offer, or offers without their issued decision. */
  readonly orphanOffers: number;
  readonly gateways: readonly GatewayBooks[];
  /** Gateways whose outbox did not drain to the end. */
  readonly undrained: number;
  readonly kills: number;
  /** Worker starts that failed and were tried again (e.g. while PostgreSQL was down). */
  readonly failedStarts: number;
  /** Longest time from a kill until the restarted worker was ready, ms. */
  readonly slowestRecoveryMs: number;
  /** Workers that exited without being killed or stopped, with how ("w2: exit code 1"). */
  readonly crashes: readonly string[];
  readonly postgresRestarts: number;
  readonly mosquittoRestarts: number;
  readonly timeline: readonly string[];
  /** The run's directory (worker configs and logs, gateway outboxes); kept when the run failed. */
  readonly dir: string;
  /** Every way the books did not balance; empty when they did. */
  readonly failures: readonly string[];
}

const ROOT = join(import.meta.dirname, "..", "..");
const ORG = "o1";
const RULE = "r-arrival";
const BEACON_UUID = "0d1c6f2e-6a3b-4c52-9a57-5b1d2c7e8f90";

/** The simulator's seeded generator, so a run's choices can be replayed. */
const random = seededRandom;

const shopperId = (n: number): string => `u${String(n).padStart(4, "0")}`;
const shopperSubject = (n: number): string => `ibeacon:${BEACON_UUID}:1:${n}`;

/**
 * One cloud worker as an operator runs it: `arrival-cloud serve --config FILE` in its own process
 * (`node --import tsx`, no wrapper process, so SIGKILL hits the cloud itself), its output appended
 * to a log file, ready when its `/readyz` answers 200 (database and broker reachable).
 */
class WorkerProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Whether the running process was ready once, and whether its exit was asked for. */
  private wasReady = false;
  private exitExpected = false;
  starts = 0;

  constructor(
    readonly id: string,
    private readonly configFile: string,
    readonly logFile: string,
    private readonly httpPort: number,
    /** Told when a worker that was ready exits without being killed or stopped (a crash). */
    private readonly onCrash: (how: string) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async spawn(): Promise<void> {
    const log = await open(this.logFile, "a");
    try {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", join(ROOT, "cloud/src/main.ts"), "serve", "--config", this.configFile],
        { cwd: ROOT, stdio: ["ignore", log.fd, log.fd] },
      );
      this.child = child;
      this.wasReady = false;
      this.exitExpected = false;
      this.exited = new Promise((resolve) =>
        child.once("exit", (code, signal) => {
          if (this.wasReady && !this.exitExpected) this.onCrash(signal ?? `exit code ${code}`);
          resolve();
        }),
      );
      this.starts++;
    } finally {
      await log.close();
    }
  }

  private running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  private async ready(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.httpPort}/readyz`, { signal: AbortSignal.timeout(2000) });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /**
   * Starts the worker and waits until it is ready; a start that fails (the process exits, e.g. its
   * database is down) is tried again. Resolves to how many starts failed; rejects after `timeoutMs`.
   */
  async start(timeoutMs: number): Promise<number> {
    let failed = 0;
    await this.spawn();
    const deadline = Date.now() + timeoutMs;
    while (!(await this.ready())) {
      if (Date.now() > deadline) throw new Error(`worker ${this.id} was not ready within ${timeoutMs} ms (see ${this.logFile})`);
      if (!this.running()) {
        failed++;
        await sleep(500);
        await this.spawn();
        continue;
      }
      await sleep(200);
    }
    this.wasReady = true;
    return failed;
  }

  /** Whether the process runs (it may have crashed). */
  get up(): boolean {
    return this.running();
  }

  async kill(): Promise<void> {
    this.exitExpected = true;
    if (this.running()) this.child?.kill("SIGKILL");
    await this.exited;
  }

  /** A clean stop (SIGTERM: drain, ack, disconnect), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.exitExpected = true;
    if (!this.running()) return;
    this.child?.kill("SIGTERM");
    const stopped = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!stopped) await this.kill();
  }
}

interface RunningGateway {
  readonly storeId: string;
  readonly gatewayId: string;
  readonly gateway: Gateway;
  produced: number;
  lastSeq: number;
}

/** Runs the whole chaos scenario and returns its books; never throws for books that do not balance. */
export async function runWorkerChaos(options: Partial<WorkerChaosOptions> = {}): Promise<WorkerChaosReport> {
  const { onTimeline, ...rest } = { ...WORKER_CHAOS_DEFAULTS, ...options };
  const o: Omit<WorkerChaosOptions, "onTimeline"> = rest;
  const rand = random(o.seed);
  const t0 = Date.now();
  const timeline: string[] = [];
  const note = (line: string): void => {
    const stamped = `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${line}`;
    timeline.push(stamped);
    onTimeline?.(stamped);
  };
  const failures: string[] = [];
  const crashes: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), "arrival-worker-chaos-"));
  let postgres: PostgresInstance | null = null;
  let broker: MosquittoInstance | null = null;
  const workers: WorkerProcess[] = [];
  const gateways: RunningGateway[] = [];
  let db: pg.Client | null = null;
  let balanced = false;
  try {
    postgres = await startPostgres();
    broker = await startMosquitto();
    const url = new URL(await postgres.createDatabase("chaos"));
    const passwordFile = join(dir, "pg-password");
    await writeFile(passwordFile, `${postgres.password}\n`, { mode: 0o600 });
    url.password = "";
    const storage = { kind: "postgres", url: url.toString(), passwordFile, maxConnections: 5 };
    const { mqtt } = await externalMqttConfig(broker, "chaos");
    const storeIds = Array.from({ length: o.stores }, (_, i) => `s${i + 1}`);
    const gatewayIds = (storeId: string) => Array.from({ length: o.gatewaysPerStore }, (_, i) => `${storeId}-g${i + 1}`);

    // The data, written once through the cloud's own repositories (which also migrate the database).
    const seedConfig = parseCloudConfig({ dataDir: join(dir, "seed"), storage, mqtt, log: { level: "silent" } });
    if (!seedConfig.ok) throw new Error(JSON.stringify(seedConfig.problems));
    const seeder = await createCloud(seedConfig.config, {
      log: createCloudLogger({ level: "silent", format: "json", name: "seed" }),
      clock: { now: () => Date.now() },
    });
    try {
      const { directory, users, rules } = seeder.repositories;
      const now = Date.now();
      // No cap that an honest run would reach: every arrival may be offered, so every decision counts.
      await directory.upsertOrganisation({ id: ORG, name: "Chaos", maxOffersPerUserPerDay: 1_000_000 }, now);
      for (const storeId of storeIds) {
        await directory.upsertStore({ id: storeId, orgId: ORG, name: storeId, timezone: "UTC", lat: null, lon: null, tags: [] }, now);
        await directory.upsertZone({ id: `${storeId}-z1`, storeId, name: "Entrance", tags: [], geometry: {} });
        for (const gatewayId of gatewayIds(storeId)) await directory.upsertGateway({ id: gatewayId, storeId, name: gatewayId }, now);
      }
      for (let n = 1; n <= o.shoppers; n++) {
        await users.upsertUser(
          { id: shopperId(n), orgId: ORG, displayName: shopperId(n), segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
          now,
        );
        await users.registerDevice(shopperSubject(n), shopperId(n), null, now);
      }
      const spec = checkRuleSpec({
        trigger: { type: "enter" },
        offer: { title: "Welcome", text: "10% off today", discount: { kind: "percent", percent: 10 }, validityS: 3600 },
      });
      if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
      await rules.putRule(ORG, { id: RULE, version: 1, status: "live", spec: spec.value }, now);
    } finally {
      await seeder.stop();
    }
    note(`seeded ${o.stores} stores × ${o.gatewaysPerStore} gateways, ${o.shoppers} shoppers, rule ${RULE}`);

    for (let i = 1; i <= o.workers; i++) {
      const id = `w${i}`;
      const configFile = join(dir, `${id}.json`);
      const httpPort = await freePort();
      const config = {
        dataDir: join(dir, id),
        storage,
        http: { port: httpPort },
        mqtt,
        worker: { id },
        log: { level: "info", format: "json" },
      };
      await writeFile(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
      workers.push(
        new WorkerProcess(id, configFile, join(dir, `${id}.log`), httpPort, (how) => {
          crashes.push(`${id}: ${how}`);
          note(`${id} exited on its own (${how}); see ${join(dir, `${id}.log`)}`);
        }),
      );
    }
    let failedStarts = 0;
    // All at once, as a supervisor would start them (the seeding migrated the database already).
    for (const failed of await Promise.all(workers.map((w) => w.start(60_000)))) failedStarts += failed;
    note(`workers ${workers.map((w) => `${w.id} (pid ${w.pid})`).join(", ")} ready`);

    const admin = adminProvisioner(broker);
    const gatewayLog = createGatewayLogger({ level: "silent", format: "json", name: "gateway" });
    try {
      for (const storeId of storeIds) {
        for (const gatewayId of gatewayIds(storeId)) {
          const username = `gw.${gatewayId}`;
          const password = randomBytes(12).toString("hex");
          await admin.grant(username, password, { role: "gateway", storeId, gatewayId });
          const dataDir = join(dir, "gateways", gatewayId);
          await mkdir(dataDir, { recursive: true });
          const parsed = parseGatewayConfig({
            ...uplinkGatewayDocument({ dataDir, url: broker.url, username, password }),
            storeId,
            gatewayId,
            zones: [{ id: `${storeId}-z1`, shape: "gateway-radius", gatewayId, radiusM: 5 }],
          });
          if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
          const gateway = await createGateway(parsed.config, { source: silentSource, log: gatewayLog, clock: { now: () => Date.now() } });
          await gateway.start();
          gateways.push({ storeId, gatewayId, gateway, produced: 0, lastSeq: 0 });
        }
      }
    } finally {
      await admin.close();
    }
    note(`${gateways.length} gateways connected`);

    // The load: each gateway, in turn, an arrival of a random registered shopper in a new visit.
    const producedIds: string[] = [];
    const arrivalIds: string[] = [];
    const loadStart = Date.now();
    const loadEnd = loadStart + o.loadMs;
    const tag = randomBytes(3).toString("hex");
    const stream = async (g: RunningGateway): Promise<void> => {
      let n = 0;
      while (Date.now() < loadEnd) {
        n++;
        const shopper = 1 + Math.floor(rand() * o.shoppers);
        const visitId = `visit-${tag}-${g.gatewayId}-${n}`;
        const at = Date.now();
        const base = {
          storeId: g.storeId,
          zoneId: `${g.storeId}-z1`,
          gatewayId: g.gatewayId,
          subject: { kind: "ibeacon" as const, id: shopperSubject(shopper) },
          visitId,
          rssi: -62,
          distanceM: 1.5,
        };
        const events: UnsequencedEvent[] = [
          { ...base, id: `${tag}-${g.gatewayId}-${n}-enter`, type: "enter", at: new Date(at).toISOString() },
          { ...base, id: `${tag}-${g.gatewayId}-${n}-dwell`, type: "dwell", at: new Date(at + 1).toISOString(), dwellMs: 30_000 },
        ];
        const stored = await g.gateway.relay.enqueue(events);
        g.produced += stored.length;
        g.lastSeq = stored.at(-1)?.seq ?? g.lastSeq;
        producedIds.push(...events.map((e) => e.id));
        arrivalIds.push(events[0]?.id ?? "");
        await sleep(o.arrivalEveryMs);
      }
    };

    let kills = 0;
    let slowestRecoveryMs = 0;
    const killer = async (): Promise<void> => {
      if (o.killEveryMs <= 0) return;
      // On a fixed beat from the start of the load, however long each recovery took.
      for (let next = loadStart + o.killEveryMs; ; next += o.killEveryMs) {
        await sleep(Math.max(0, next - Date.now()));
        // No kill so late that the worker would not be back before the load ends.
        if (Date.now() + o.killEveryMs / 2 > loadEnd) return;
        const victim = workers[Math.floor(rand() * workers.length)] as WorkerProcess;
        const pid = victim.pid;
        const killedAt = Date.now();
        await victim.kill();
        kills++;
        note(`kill -9 ${victim.id} (pid ${pid})`);
        try {
          const failed = await victim.start(60_000);
          failedStarts += failed;
          const recoveryMs = Date.now() - killedAt;
          slowestRecoveryMs = Math.max(slowestRecoveryMs, recoveryMs);
          note(`${victim.id} ready again (pid ${victim.pid}) after ${recoveryMs} ms${failed ? `, ${failed} failed starts` : ""}`);
        } catch (err) {
          failures.push(String(err));
          note(`${victim.id} did not recover`);
          return;
        }
      }
    };
    let postgresRestarts = 0;
    let mosquittoRestarts = 0;
    const pgServer = postgres;
    const mqttServer = broker;
    const restarts = async (): Promise<void> => {
      if (o.restartPostgres) {
        await sleep(Math.max(0, loadStart + o.loadMs * 0.35 - Date.now()));
        const began = Date.now();
        await pgServer.restart("fast");
        postgresRestarts++;
        note(`PostgreSQL restarted (${Date.now() - began} ms down)`);
      }
      if (o.restartMosquitto) {
        await sleep(Math.max(0, loadStart + o.loadMs * 0.65 - Date.now()));
        const began = Date.now();
        await mqttServer.restart();
        mosquittoRestarts++;
        note(`mosquitto restarted (${Date.now() - began} ms down)`);
      }
    };
    note(`load starts: ${o.loadMs / 1000} s, an arrival per gateway every ${o.arrivalEveryMs} ms`);
    await Promise.all([...gateways.map(stream), killer(), restarts()]);
    const loadMs = Date.now() - loadStart;
    note(`load stopped: ${producedIds.length} events, ${arrivalIds.length} arrivals`);
    // A worker that crashed is started again, as its supervisor would; the crash stays a failure.
    for (const w of workers.filter((w) => !w.up)) {
      failedStarts += await w.start(60_000);
      note(`${w.id} started again after its crash`);
    }

    // The drain: every outbox empty and acknowledged to its last sequence, every event decided.
    db = new pg.Client({ connectionString: postgres.url(url.pathname.slice(1)) });
    await db.connect();
    const client = db;
    const count = async (sql: string, params: unknown[] = []): Promise<number> =>
      Number((await client.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);
    const ackedSeq = async (gatewayId: string): Promise<number> =>
      count("SELECT COALESCE(MAX(acked_seq), 0) AS n FROM gateway_outboxes WHERE gateway_id = $1", [gatewayId]);
    const drainStart = Date.now();
    const drained = async (): Promise<boolean> => {
      for (const g of gateways) {
        if ((await g.gateway.outbox.stats()).depth > 0) return false;
        if ((await ackedSeq(g.gatewayId)) < g.lastSeq) return false;
      }
      return true;
    };
    const undecidedSql = "SELECT COUNT(*) AS n FROM presence_events WHERE user_id IS NOT NULL AND decided_at IS NULL";
    try {
      await until(drained, o.drainTimeoutMs, "every gateway's outbox drained and acknowledged", 250);
      note(`outboxes drained in ${Date.now() - drainStart} ms`);
      await until(async () => (await count(undecidedSql)) === 0, Math.max(5000, o.drainTimeoutMs - (Date.now() - drainStart)), "every eligible event decided", 250);
      note(`every eligible event decided after ${Date.now() - drainStart} ms`);
    } catch (err) {
      failures.push(String(err));
      note(String(err));
    }
    const drainMs = Date.now() - drainStart;

    // The books, from the database.
    const stored = await count("SELECT COUNT(*) AS n FROM presence_events WHERE id = ANY($1::text[])", [producedIds]);
    const unexpected = await count("SELECT COUNT(*) AS n FROM presence_events WHERE NOT (id = ANY($1::text[]))", [producedIds]);
    const storedTwice =
      (await count("SELECT COALESCE(SUM(c - 1), 0) AS n FROM (SELECT COUNT(*) AS c FROM presence_events GROUP BY gateway_id, seq HAVING COUNT(*) > 1) x")) +
      (await count("SELECT COALESCE(SUM(c - 1), 0) AS n FROM (SELECT COUNT(*) AS c FROM presence_events GROUP BY id HAVING COUNT(*) > 1) x"));
    const undecided = await count(undecidedSql);
    const arrivalsWithoutDecision = await count(
      "SELECT COUNT(*) AS n FROM presence_events e WHERE e.id = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.event_id = e.id AND d.rule_id = $2)",
      [arrivalIds, RULE],
    );
    const doubleDecisions = await count(
      "SELECT COUNT(*) AS n FROM (SELECT 1 FROM decisions GROUP BY event_id, rule_id HAVING COUNT(*) > 1) x",
    );
    const offers = await count("SELECT COUNT(*) AS n FROM offers");
    const doubleOffers = await count(
      "SELECT COUNT(*) AS n FROM (SELECT 1 FROM offers GROUP BY rule_id, user_id, visit_id HAVING COUNT(*) > 1) x",
    );
    const doubleOffersPerStoreVisit = await count(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM offers o JOIN presence_events e ON e.id = o.event_id
         GROUP BY o.rule_id, o.user_id, COALESCE(e.store_visit_id, o.visit_id) HAVING COUNT(*) > 1) x`,
    );
    const orphanOffers =
      (await count(
        "SELECT COUNT(*) AS n FROM offers o WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.offer_id = o.id AND d.outcome = 'issued')",
      )) +
      (await count(
        "SELECT COUNT(*) AS n FROM decisions d WHERE d.outcome = 'issued' AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.id = d.offer_id)",
      ));
    const outcomes: Record<string, number> = {};
    const grouped = await client.query<{ outcome: string; reason: string; n: string }>(
      "SELECT outcome, reason, COUNT(*) AS n FROM decisions WHERE rule_id = $1 GROUP BY outcome, reason ORDER BY outcome, reason",
      [RULE],
    );
    for (const row of grouped.rows) outcomes[row.outcome === "issued" ? "issued" : `${row.outcome}: ${row.reason}`] = Number(row.n);
    const books: GatewayBooks[] = [];
    for (const g of gateways) {
      books.push({
        gatewayId: g.gatewayId,
        produced: g.produced,
        lastSeq: g.lastSeq,
        ackedSeq: await ackedSeq(g.gatewayId),
        depth: (await g.gateway.outbox.stats()).depth,
      });
    }
    const undrained = books.filter((b) => b.depth > 0 || b.ackedSeq !== b.lastSeq).length;
    const produced = producedIds.length;
    const lost = produced - stored;
    const check = (ok: boolean, what: string): void => {
      if (!ok) failures.push(what);
    };
    check(produced > 0, "no event was produced");
    check(lost === 0, `${lost} of ${produced} events lost`);
    check(unexpected === 0, `${unexpected} stored events that no gateway produced`);
    check(storedTwice === 0, `${storedTwice} events stored twice`);
    check(undecided === 0, `${undecided} events of registered shoppers not decided`);
    check(arrivalsWithoutDecision === 0, `${arrivalsWithoutDecision} arrivals without a decision of ${RULE}`);
    check(doubleDecisions === 0, `${doubleDecisions} (event, rule) pairs decided twice`);
    check(doubleOffers === 0, `${doubleOffers} (rule, user, visit) with two offers`);
    check(doubleOffersPerStoreVisit === 0, `${doubleOffersPerStoreVisit} (rule, user, store visit) with two offers`);
    check(orphanOffers === 0, `${orphanOffers} offers and issued decisions without each other`);
    check(offers > 0, "no offer was issued");
    check(undrained === 0, `${undrained} gateways' outboxes not acknowledged to their end`);
    check(o.killEveryMs <= 0 || kills > 0, "no worker was killed");
    check(crashes.length === 0, `workers exited on their own: ${crashes.join(", ")}`);
    balanced = failures.length === 0;
    return {
      options: o,
      loadMs,
      drainMs,
      produced,
      stored,
      lost,
      unexpected,
      storedTwice,
      arrivals: arrivalIds.length,
      undecided,
      arrivalsWithoutDecision,
      doubleDecisions,
      offers,
      outcomes,
      doubleOffers,
      doubleOffersPerStoreVisit,
      orphanOffers,
      gateways: books,
      undrained,
      kills,
      failedStarts,
      slowestRecoveryMs,
      crashes,
      postgresRestarts,
      mosquittoRestarts,
      timeline,
      dir,
      failures,
    };
  } finally {
    await db?.end().catch(() => undefined);
    for (const g of gateways) await g.gateway.stop().catch(() => undefined);
    await Promise.all(workers.map((w) => w.stop()));
    await broker?.stop();
    await postgres?.stop();
    // A failed run keeps its directory: the workers' logs say what happened.
    if (balanced && process.env.ARRIVAL_CHAOS_KEEP !== "1") await rm(dir, { recursive: true, force: true });
  }
}
