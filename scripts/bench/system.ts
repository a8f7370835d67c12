/**
 * What one cloud process carries: N simulated stores, each with gateways and shoppers' apps, drive
 * the real cloud (`cloud/src/main.ts`, a child process, so its CPU and memory are its own) over real
 * MQTT, with its SQLite on disk (WAL, synchronous = FULL: an ack means the events survive a power
 * cut). Run from the repository root:
 *
 *   npm run -s bench:system -- [--stores 4] [--gateways 2] [--subjects 50] [--rules 10]
 *        [--brokers aedes,mosquitto] [--loads 100,1000,5000] [--steps 2000,5000,10000,20000,40000]
 *        [--seconds 5] [--eligible 0.02] [--json FILE] [--dir DIR] [--cpu-prof DIR]
 *        [--burst 3000] [--burst-rules 1,10] [--burst-history 1000000]
 *        [--storage sqlite,postgres] [--workers 1] [--push]
 *
 * `--storage` runs every broker on each storage: SQLite in the data directory, and PostgreSQL (a
 * private cluster started for the run, as the tests start theirs). `--workers N` runs N cloud
 * workers (child processes) on one PostgreSQL behind mosquitto's shared subscriptions (N > 1 needs
 * both); each step then reports every worker's CPU, so the split of the work shows, and the CPU per
 * 1 000 acknowledged events of all of them together; on PostgreSQL also the server's own CPU (the
 * postmaster and its backends), and workers plus server per 1 000 events: the per-event cost to
 * compare with SQLite, whose work is all inside the cloud process. The PostgreSQL server commits
 * durably (fsync, synchronous commit), as SQLite does with synchronous FULL.
 *
 * For each broker (the embedded aedes, and an external mosquitto 2 with dynamic security started
 * privately for the run):
 *
 * 1. latency at fixed offered loads (`--loads`, events/s): gateways publish batches at the offered
 *    rate; a share (`--eligible`) of the events are enters of registered shoppers, each of which
 *    issues one offer; the time from the gateway's publish of the batch holding the enter to the
 *    offer arriving at the shopper's app is one sample (p50, p95, p99). The time from a batch's
 *    publish to the cloud's ack for it (committed) is reported beside it ("ack p50/p99"), which
 *    splits the latency into ingest and decision.
 * 2. sustained throughput (`--steps`): the offered load is stepped up; a step is sustained when the
 *    cloud acknowledged (so committed) at least 95 % of what was offered and the gateways' backlog
 *    did not grow past one second of load. The highest sustained step and the best acked rate are
 *    reported.
 *
 * With `--push`, every app user also has a Web Push subscription at a local push service in a
 * process of its own (scripts/bench/pushService.ts, which verifies each VAPID JWT and decrypts each
 * payload, and stamps each request's arrival), the cloud sends every issued offer through its push
 * outbox (frequency cap off, so each offer is one push), and each step also reports the time from the
 * gateway's publish of the batch holding the enter to the push service receiving the offer's push
 * request ("push p50/p95/p99"; issue #23's target: p99 under 50 ms at 1 000 events/s), and on SQLite
 * the same split into phases (stderr). `--encryption-threads N` sets the cloud's Web Push
 * encryption threads (0: on its event loop).
 *
 * 3. a burst (`--burst N`, 0 to skip; see systemBurst.ts): N distinct registered shoppers enter at
 *    once, and the offers decided and delivered per second are measured, with each rule count of
 *    `--burst-rules`, then with one rule that already issued `--burst-history` earlier offers.
 *
 * Every step reports the cloud's CPU (% of one core) and peak RSS; the harness's own CPU is shown
 * too, since both share the machine's cores. Output: a table on stdout, progress on stderr, and all
 * figures as JSON with `--json FILE`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { externalMqttConfig, MOSQUITTO_SKIP_REASON, startMosquitto } from "../../test/support/mosquitto.js";
import { POSTGRES_SKIP_REASON, type PostgresInstance, startPostgres } from "../../test/support/postgres.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { p256Pem } from "../../test/support/pushConfig.js";
import { vapidKeysFromPem } from "../../cloud/src/adapters/push/webPushCrypto.js";
import { type PushServiceProcess, startPushServiceProcess } from "./pushServiceProcess.js";
import { type BurstResult, runBurst } from "./systemBurst.js";
import { Fleet } from "./systemFleet.js";
import {
  type CloudProcess,
  processTreeCpuMs,
  processUsage,
  seedWorld,
  startCloudProcess,
  type WorldShape,
} from "./systemSetup.js";

const { values } = parseArgs({
  options: {
    stores: { type: "string", default: "4" },
    gateways: { type: "string", default: "2" },
    subjects: { type: "string", default: "50" },
    rules: { type: "string", default: "10" },
    brokers: { type: "string", default: "aedes,mosquitto" },
    loads: { type: "string", default: "100,1000,5000" },
    steps: { type: "string", default: "2000,5000,10000,20000,40000" },
    seconds: { type: "string", default: "5" },
    eligible: { type: "string", default: "0.02" },
    json: { type: "string" },
    dir: { type: "string" },
    "cpu-prof": { type: "string" },
    burst: { type: "string", default: "3000" },
    "burst-rules": { type: "string", default: "1,10" },
    "burst-history": { type: "string", default: "1000000" },
    storage: { type: "string", default: "sqlite" },
    workers: { type: "string", default: "1" },
    push: { type: "boolean", default: false },
    "encryption-threads": { type: "string" },
  },
});
const PUSH = values.push;
/** With `--push` on SQLite: the cloud's database, read after each step for the per-phase timings. */
let PHASES_DB: string | null = null;
const WORKERS = Math.max(1, Number(values.workers));

const list = (s: string | undefined): number[] =>
  (s ?? "")
    .split(",")
    .filter((x) => x !== "")
    .map(Number);
const SHAPE: WorldShape = {
  stores: Number(values.stores),
  gatewaysPerStore: Number(values.gateways),
  subjectsPerStore: Number(values.subjects),
  rules: Math.max(1, Number(values.rules)),
};
const STEP_MS = Number(values.seconds) * 1000;
const ELIGIBLE = Number(values.eligible);
const TICK_MS = 10;

interface StepResult {
  readonly broker: string;
  readonly kind: "latency" | "throughput";
  readonly offered: number;
  readonly ackedPerS: number;
  readonly offersPerS: number;
  readonly eligible: number;
  readonly offers: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly ackP50: number | null;
  readonly ackP99: number | null;
  /** With `--push`: pushes received for the step's offers, and publish-to-push-request latency. */
  readonly pushes: number | null;
  readonly pushP50: number | null;
  readonly pushP95: number | null;
  readonly pushP99: number | null;
  /** The push service's CPU, % of one core (`--push`). */
  readonly pushServiceCpu: number | null;
  readonly cloudCpu: number;
  /** Each worker's CPU, % of one core (one entry with one worker). */
  readonly workerCpu: readonly number[];
  /** CPU ms of every worker together per 1 000 acknowledged events. */
  readonly cpuMsPer1000: number | null;
  /** The PostgreSQL server's CPU (postmaster and backends), % of one core; null on SQLite. */
  readonly dbCpu: number | null;
  /** Workers and PostgreSQL server together, CPU ms per 1 000 acknowledged events. */
  readonly totalCpuMsPer1000: number | null;
  readonly cloudRssMb: number;
  readonly harnessCpu: number;
  readonly backlog: number;
  readonly sustained: boolean;
  readonly load1: number;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function progress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
  else process.stderr.write(`${line}\n`);
}

/**
 * Where an offer's push spends its time, per phase, from the cloud's own stamps (read from its SQLite
 * file after the step, all on the one machine's clock, ms): the gateway's publish of the enter →
 * the decision (`offers.issued_at`: ingest's commit and ack, the decision group's start) → the offer
 * at the app over MQTT, and → the push outbox row (`push_outbox.created_at`: the decision's commit
 * and the queueing) → the push request at the push service (the sender's pick-up, encryption and
 * request). Printed to stderr as p50/p95/p99 per phase.
 */
async function reportPushPhases(path: string, fleet: Fleet, pushArrivals: ReadonlyMap<string, number>): Promise<void> {
  const ids = [...fleet.enterPublishedAt.keys()];
  if (ids.length === 0) return;
  const db = await SqliteDatabase.open(path);
  try {
    const rows: { offer_id: string; issued_at: number; published_at: number | null; queued_at: number | null }[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      rows.push(
        ...(await db.all<(typeof rows)[number]>(
          `SELECT o.id AS offer_id, o.issued_at, o.published_at, (SELECT MIN(p.created_at) FROM push_outbox p WHERE p.offer_id = o.id) AS queued_at
           FROM offers o WHERE o.id IN (${chunk.map(() => "?").join(",")})`,
          chunk,
        )),
      );
    }
    const phases: Record<string, number[]> = {
      "publish → decision": [],
      "decision → offer at app (MQTT)": [],
      "decision → published_at": [],
      "decision → push outbox row": [],
      "push outbox row → push request": [],
      "publish → push request": [],
    };
    const add = (name: string, v: number | null | undefined) => {
      if (v !== null && v !== undefined && Number.isFinite(v)) phases[name]?.push(v);
    };
    for (const r of rows) {
      const entered = fleet.enterPublishedAt.get(r.offer_id);
      const atApp = fleet.offerArrivedAt.get(r.offer_id);
      const pushed = pushArrivals.get(r.offer_id);
      add("publish → decision", entered === undefined ? null : r.issued_at - entered);
      add("decision → offer at app (MQTT)", atApp === undefined ? null : atApp - r.issued_at);
      add("decision → published_at", r.published_at === null ? null : r.published_at - r.issued_at);
      add("decision → push outbox row", r.queued_at === null ? null : r.queued_at - r.issued_at);
      add("push outbox row → push request", r.queued_at === null || pushed === undefined ? null : pushed - r.queued_at);
      add("publish → push request", entered === undefined || pushed === undefined ? null : pushed - entered);
    }
    for (const [name, values] of Object.entries(phases)) {
      const sorted = values.sort((a, b) => a - b);
      const f = (q: number) => (sorted.length === 0 ? "-" : Math.round(percentile(sorted, q) ?? 0));
      process.stderr.write(`  phase ${name}: n ${sorted.length}  p50 ${f(50)}  p95 ${f(95)}  p99 ${f(99)} ms\n`);
    }
  } finally {
    await db.close();
  }
}

/** Runs the fleet at `rate` events/s for `ms`, measuring the last part after a warm-up. */
async function step(
  broker: string,
  kind: StepResult["kind"],
  fleet: Fleet,
  clouds: readonly CloudProcess[],
  rate: number,
  ms: number,
  dbPid: number | null,
  pushService: PushServiceProcess | null = null,
): Promise<StepResult> {
  const usageOf = async () => {
    const each = await Promise.all(clouds.map((c) => processUsage(c.pid)));
    const dbCpuMs = dbPid === null ? 0 : await processTreeCpuMs(dbPid);
    return { each, cpuMs: each.reduce((a, u) => a + u.cpuMs, 0), rssMb: each.reduce((a, u) => a + u.rssMb, 0), dbCpuMs };
  };
  const warmupMs = Math.min(1000, ms / 4);
  let samples: number[] = [];
  let ackSamples: number[] = [];
  fleet.onLatency((v) => samples.push(v));
  fleet.onAckLatency((v) => ackSamples.push(v));
  const started = performance.now();
  let last = started;
  let measuring = false;
  let base = { ...fleet.counters };
  let cloud0 = await usageOf();
  let self0 = process.cpuUsage();
  let t0 = performance.now();
  let peakRss = 0;
  let lastReport = started;
  let backlog0 = fleet.backlog;
  let pushCpu0 = 0;
  fleet.trackOffers = pushService !== null;
  while (performance.now() - started < ms) {
    await new Promise((r) => setTimeout(r, TICK_MS));
    const now = performance.now();
    fleet.tick((rate * (now - last)) / 1000, ELIGIBLE);
    last = now;
    if (!measuring && now - started >= warmupMs) {
      measuring = true;
      samples = [];
      ackSamples = [];
      base = { ...fleet.counters };
      cloud0 = await usageOf();
      self0 = process.cpuUsage();
      t0 = performance.now();
      backlog0 = fleet.backlog;
      fleet.enterPublishedAt.clear();
      fleet.offerArrivedAt.clear();
      if (pushService) {
        await pushService.receipts();
        pushCpu0 = (await pushService.counts()).cpuMs;
      }
    }
    if (now - lastReport >= 1000) {
      lastReport = now;
      const usage = await usageOf();
      peakRss = Math.max(peakRss, usage.rssMb);
      const s = (now - t0) / 1000;
      progress(
        `${broker} ${kind} ${rate} ev/s  ${(((now - started) / ms) * 100).toFixed(0)}%  acked ${measuring ? Math.round((fleet.counters.acked - base.acked) / s) : "-"}/s  offers ${fleet.counters.offers - base.offers}  backlog ${fleet.backlog}  cloud cpu ${(((usage.cpuMs - cloud0.cpuMs) / (now - t0)) * 100).toFixed(0)}%`,
      );
    }
  }
  const elapsed = performance.now() - t0;
  const pushServiceCpuMs = pushService ? (await pushService.counts()).cpuMs - pushCpu0 : 0;
  // The pushes of the step's offers, the last of them allowed a few seconds to arrive.
  const pushSamples: number[] = [];
  const pushArrivals = new Map<string, number>();
  if (pushService) {
    const deadline = performance.now() + 5000;
    // A push may reach the service before the offer reaches the app over MQTT: keep every receipt.
    const arrived = pushArrivals;
    for (;;) {
      for (const r of await pushService.receipts()) if (!arrived.has(r.offerId)) arrived.set(r.offerId, r.at);
      const missing = [...fleet.enterPublishedAt.keys()].filter((id) => !arrived.has(id)).length;
      if (missing === 0 || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const [offerId, enteredAt] of fleet.enterPublishedAt) {
      const at = arrived.get(offerId);
      if (at !== undefined) pushSamples.push(at - enteredAt);
    }
  }
  const pushSorted = pushSamples.sort((a, b) => a - b);
  if (pushService && PHASES_DB !== null) await reportPushPhases(PHASES_DB, fleet, pushArrivals);
  const usage = await usageOf();
  peakRss = Math.max(peakRss, usage.rssMb);
  const self = process.cpuUsage(self0);
  const c = fleet.counters;
  const acked = c.acked - base.acked;
  const offered = (c.generated - base.generated) / (elapsed / 1000);
  const backlog = fleet.backlog;
  const sorted = [...samples].sort((a, b) => a - b);
  const ackSorted = [...ackSamples].sort((a, b) => a - b);
  const ackedPerS = acked / (elapsed / 1000);
  return {
    broker,
    kind,
    offered: Math.round(offered),
    ackedPerS: Math.round(ackedPerS),
    offersPerS: Math.round(((c.offers - base.offers) / elapsed) * 1000 * 10) / 10,
    eligible: c.eligible - base.eligible,
    offers: c.offers - base.offers,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    ackP50: percentile(ackSorted, 50),
    ackP99: percentile(ackSorted, 99),
    pushes: pushService ? pushSorted.length : null,
    pushP50: percentile(pushSorted, 50),
    pushP95: percentile(pushSorted, 95),
    pushP99: percentile(pushSorted, 99),
    pushServiceCpu: pushService ? Math.round((pushServiceCpuMs / elapsed) * 100) : null,
    cloudCpu: Math.round(((usage.cpuMs - cloud0.cpuMs) / elapsed) * 100),
    workerCpu: usage.each.map((u, i) => Math.round(((u.cpuMs - (cloud0.each[i]?.cpuMs ?? 0)) / elapsed) * 100)),
    cpuMsPer1000: acked > 0 ? Math.round(((usage.cpuMs - cloud0.cpuMs) / acked) * 1000 * 10) / 10 : null,
    dbCpu: dbPid === null ? null : Math.round(((usage.dbCpuMs - cloud0.dbCpuMs) / elapsed) * 100),
    totalCpuMsPer1000:
      acked > 0 ? Math.round(((usage.cpuMs - cloud0.cpuMs + usage.dbCpuMs - cloud0.dbCpuMs) / acked) * 1000 * 10) / 10 : null,
    cloudRssMb: Math.round(peakRss),
    harnessCpu: Math.round(((self.user + self.system) / 1000 / elapsed) * 100),
    backlog,
    sustained: ackedPerS >= 0.95 * offered && backlog - backlog0 <= rate,
    load1: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}

/** Lets the gateways' backlog drain (bounded), so one step does not spill into the next. */
async function drain(fleet: Fleet, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (fleet.backlog > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
}

/** The cloud's warnings and errors during the run, by message, per broker. */
const logs: Record<string, Record<string, number>> = {};

/** The label of a run in the table: broker, storage, and the worker count when several. */
function runLabel(broker: string, storage: string): string {
  return `${broker}/${storage}${WORKERS > 1 ? `x${WORKERS}` : ""}`;
}

async function runBroker(broker: string, storageKind: string, results: StepResult[]): Promise<void> {
  const label = runLabel(broker, storageKind);
  const dir = await mkdtemp(join(values.dir ?? tmpdir(), `arrival-system-${broker}-${storageKind}-`));
  const mosquitto = broker === "mosquitto" ? await startMosquitto() : null;
  let postgres: PostgresInstance | null = null;
  const clouds: CloudProcess[] = [];
  let fleet: Fleet | null = null;
  let pushService: PushServiceProcess | null = null;
  try {
    // Every simulated store connects from 127.0.0.1 here, where real ones have their own addresses:
    // the per-address connection limit is lifted so it does not shed the simulated fleet.
    const mqtt = mosquitto
      ? (await externalMqttConfig(mosquitto)).mqtt
      : { mode: "embedded", port: 0, connectionsPerSecondPerIp: 0 };
    let storage: Record<string, unknown> | undefined;
    if (storageKind === "postgres") {
      // Durable commits, as a production server makes them: SQLite's run is synchronous FULL.
      postgres = await startPostgres({ durable: true });
      const url = new URL(await postgres.createDatabase("bench"));
      const passwordFile = join(dir, "pg-password");
      await writeFile(passwordFile, `${postgres.password}\n`, { mode: 0o600 });
      url.password = "";
      storage = { kind: "postgres", url: url.toString(), passwordFile };
    }
    let push: Record<string, unknown> | undefined;
    if (PUSH) {
      const pem = p256Pem();
      const vapidKeyFile = join(dir, "vapid.pem");
      await writeFile(vapidKeyFile, pem, { mode: 0o600 });
      pushService = await startPushServiceProcess(SHAPE.stores * SHAPE.subjectsPerStore, vapidKeysFromPem(pem).publicKey);
      // Cap off: every offer is one push, so each is one sample.
      push = { frequencyCapMinutes: 0, allowPrivateEndpoints: true, webPush: {
          subject: "mailto:bench@arrival.invalid",
          vapidKeyFile,
          ...(values["encryption-threads"] === undefined ? {} : { encryptionThreads: Number(values["encryption-threads"]) }),
        },
      };
    }
    PHASES_DB = PUSH && storageKind === "sqlite" && WORKERS === 1 ? join(dir, "cloud.db") : null;
    progress(`${label}: seeding ${SHAPE.stores} stores`);
    const world = await seedWorld(dir, SHAPE, mqtt, storage, pushService?.subscriptions);
    const profArgs = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
    for (let w = 1; w <= WORKERS; w++) {
      clouds.push(
        await startCloudProcess(dir, mqtt, profArgs, {
          ...(storage ? { storage } : {}),
          ...(WORKERS > 1 ? { workerId: `w${w}` } : {}),
          ...(push ? { push } : {}),
        }),
      );
    }
    const first = clouds[0];
    if (!first) throw new Error("no cloud started");
    const url = mosquitto ? mosquitto.url : `mqtt://127.0.0.1:${first.mqttPort}`;
    fleet = new Fleet(world.gateways, world.apps);
    progress(`${label}: connecting ${world.gateways.length} gateways and ${world.apps.length} apps`);
    await fleet.connect(url);
    // Each login is an scrypt verification in the cloud's thread pool, which SQLite shares: let
    // them finish before the first measurement.
    progress(`${label}: settling`);
    await new Promise((r) => setTimeout(r, 5000));
    for (const rate of list(values.loads)) {
      results.push(await step(label, "latency", fleet, clouds, rate, STEP_MS, postgres?.serverPid() ?? null, pushService));
      await drain(fleet, 20_000);
    }
    for (const rate of list(values.steps)) {
      const result = await step(label, "throughput", fleet, clouds, rate, STEP_MS, postgres?.serverPid() ?? null, pushService);
      results.push(result);
      await drain(fleet, 30_000);
      if (!result.sustained) break;
    }
  } finally {
    await fleet?.close();
    for (const [i, cloud] of clouds.entries()) {
      await cloud.stop();
      const key = clouds.length > 1 ? `${label} w${i + 1}` : label;
      logs[key] = cloud.logCounts();
      for (const line of Object.values(cloud.logSamples())) process.stderr.write(`${key} cloud log: ${line}\n`);
    }
    await mosquitto?.stop();
    await postgres?.stop();
    await pushService?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function table(results: readonly StepResult[]): string {
  const head = [
    "broker",
    "kind",
    "offered ev/s",
    "acked ev/s",
    "offers/s",
    "offers/eligible",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "ack p50",
    "ack p99",
    ...(PUSH ? ["pushes", "push p50", "push p95", "push p99", "push svc CPU %"] : []),
    "cloud CPU %",
    "per worker %",
    "CPU ms/1k ev",
    "db CPU %",
    "with db ms/1k",
    "cloud RSS MB",
    "harness CPU %",
    "sustained",
    "load1",
  ];
  const rows = results.map((r) => [
    r.broker,
    r.kind,
    String(r.offered),
    String(r.ackedPerS),
    String(r.offersPerS),
    `${r.offers}/${r.eligible}`,
    String(r.p50 ?? "-"),
    String(r.p95 ?? "-"),
    String(r.p99 ?? "-"),
    String(r.ackP50 ?? "-"),
    String(r.ackP99 ?? "-"),
    ...(PUSH ? [String(r.pushes ?? "-"), String(r.pushP50 ?? "-"), String(r.pushP95 ?? "-"), String(r.pushP99 ?? "-"), String(r.pushServiceCpu ?? "-")] : []),
    String(r.cloudCpu),
    r.workerCpu.join("+"),
    String(r.cpuMsPer1000 ?? "-"),
    String(r.dbCpu ?? "-"),
    String(r.totalCpuMsPer1000 ?? "-"),
    String(r.cloudRssMb),
    String(r.harnessCpu),
    r.sustained ? "yes" : "no",
    String(r.load1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(" | ")} |`;
  return [line(head), `|${widths.map((w, i) => (i < 2 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n");
}

/**
 * The disk's commit latency as the cloud sees it (SQLite, WAL, synchronous = FULL, one small row a
 * transaction): the floor under every decision, which commits on its own.
 */
async function commitLatency(): Promise<{ p50: number; p99: number; perS: number }> {
  const dir = await mkdtemp(join(values.dir ?? tmpdir(), "arrival-commit-"));
  const db = await SqliteDatabase.open(join(dir, "probe.db"));
  try {
    await db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
    const times: number[] = [];
    const started = performance.now();
    for (let k = 0; k < 200; k++) {
      const t0 = performance.now();
      await db.transaction((tx) => tx.run("INSERT INTO t (v) VALUES (?)", ["x".repeat(300)]));
      times.push(performance.now() - t0);
    }
    const elapsed = performance.now() - started;
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50) ?? 0, p99: percentile(times, 99) ?? 0, perS: Math.round((200 / elapsed) * 1000) };
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results: StepResult[] = [];
  const commit = await commitLatency();
  progress(`disk commit (WAL, synchronous FULL): p50 ${commit.p50} ms, p99 ${commit.p99} ms, ${commit.perS}/s`);
  const brokers = (values.brokers ?? "").split(",").filter((b) => b !== "");
  const storages = (values.storage ?? "").split(",").filter((b) => b !== "");
  const runs: string[] = [];
  for (const storage of storages) {
    if (storage !== "sqlite" && storage !== "postgres") throw new Error(`unknown storage ${storage}`);
    if (storage === "postgres" && POSTGRES_SKIP_REASON !== null) {
      process.stderr.write(`skipping postgres: ${POSTGRES_SKIP_REASON}\n`);
      continue;
    }
    for (const broker of brokers) {
      if (broker !== "aedes" && broker !== "mosquitto") throw new Error(`unknown broker ${broker}`);
      if (broker === "mosquitto" && MOSQUITTO_SKIP_REASON !== null) {
        process.stderr.write(`skipping mosquitto: ${MOSQUITTO_SKIP_REASON}\n`);
        continue;
      }
      // Several workers share events through the broker's shared subscriptions and one database.
      if (WORKERS > 1 && (broker !== "mosquitto" || storage !== "postgres")) {
        process.stderr.write(`skipping ${broker}/${storage}: ${WORKERS} workers need mosquitto and postgres\n`);
        continue;
      }
      await runBroker(broker, storage, results);
      runs.push(runLabel(broker, storage));
    }
  }
  const bursts: BurstResult[] = [];
  const burstShoppers = Number(values.burst);
  if (burstShoppers > 0) {
    const history = Number(values["burst-history"]);
    const plan = [
      ...list(values["burst-rules"]).map((rules) => ({ rules, history: 0 })),
      ...(history > 0 ? [{ rules: 1, history }] : []),
    ];
    for (const p of plan) {
      const nodeArgs = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
      bursts.push(
        await runBurst({ shoppers: burstShoppers, ...p, ...(values.dir ? { dir: values.dir } : {}), nodeArgs, progress }),
      );
    }
  }
  progress("done\n");
  const best = (broker: string) => {
    const sustained = results.filter((r) => r.broker === broker && r.kind === "throughput" && r.sustained);
    const all = results.filter((r) => r.broker === broker && r.kind === "throughput");
    return {
      broker,
      maxSustainedOffered: Math.max(0, ...sustained.map((r) => r.offered)),
      bestAckedPerS: Math.max(0, ...all.map((r) => r.ackedPerS)),
    };
  };
  const summary = runs.map(best);
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? "", node: process.version, loadavg: loadavg() };
  out(table(results));
  for (const s of summary) {
    out(
      `${s.broker}: highest sustained step ${s.maxSustainedOffered} ev/s offered; best acked ${s.bestAckedPerS} ev/s`,
    );
  }
  for (const b of bursts) {
    out(
      `burst: ${b.shoppers} shoppers, ${b.rules} rule(s), ${b.history} earlier offers: ${b.offers} offers in ${b.elapsedMs} ms = ${b.offersPerS} offers/s (all acked at ${b.ackedMs ?? "-"} ms), cloud CPU ${b.cloudCpu} %, load ${b.loadBefore.map((l) => l.toFixed(1)).join(" ")} -> ${b.loadAfter.map((l) => l.toFixed(1)).join(" ")}`,
    );
  }
  out(
    `disk commit (WAL, synchronous FULL, one row): p50 ${commit.p50} ms, p99 ${commit.p99} ms, ${commit.perS} commits/s`,
  );
  out(
    `shape: ${SHAPE.stores} stores x ${SHAPE.gatewaysPerStore} gateways, ${SHAPE.subjectsPerStore} app users a store, ${SHAPE.rules} rules; eligible share ${ELIGIBLE}; ${machine.cpus} cpus ${machine.model}, ${machine.node}`,
  );
  for (const [broker, counts] of Object.entries(logs)) {
    out(`${broker}: cloud log (warn and above): ${JSON.stringify(counts)}`);
  }
  if (values.json) {
    await writeFile(values.json, JSON.stringify({ shape: SHAPE, workers: WORKERS, eligible: ELIGIBLE, stepMs: STEP_MS, machine, commit, summary, results, bursts, logs }, null, 2));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
