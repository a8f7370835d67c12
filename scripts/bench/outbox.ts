/**
 * Gateway outbox and uplink throughput with durable commits. Run from the repository root:
 *
 *   npx tsx scripts/bench/outbox.ts [--rounds N] [--seconds S] [--depth ROWS] [--e2e-events N] [--dir DIR]
 *                                   [--only append,backlog,drain,e2e]
 *
 * What it measures, each with the gateway's real code on a real SQLite file (WAL, synchronous=FULL,
 * so every commit waits for the disk):
 *
 * 1. append: `SqliteOutbox.append` of batches of 1, 10 and 100 events, one after another for
 *    `--seconds` per round, on an outbox kept nearly empty (rows acked between rounds). One append
 *    is one transaction, so batch 1 is the commit rate of the disk.
 * 2. append into a backlog: batches of 1 with `--depth` rows already held (an outage): the cost of
 *    an append must not grow with the backlog.
 * 3. peek+ack: what the relay does per batch, `peek(acked, 200)` then `ackUpTo(last)`, draining a
 *    prefilled outbox; the relay's default batch is 200 events.
 * 4. end to end: the real gateway composition (`createGateway`: outbox, relay, MQTT.js, default
 *    uplink settings: 200 events a batch, 4 in flight) in this process, the real cloud
 *    (`cloud/src/main.ts`: embedded aedes, ingest, SQLite) in a child process on 127.0.0.1.
 *    "live": events appended in chunks of 10 as fast as the outbox takes them while the relay sends,
 *    from the first append until the outbox is empty (everything acked = committed by the cloud).
 *    "backlog": the outbox already holds the events when the gateway first connects (an outage
 *    ends), from the connection until it is empty.
 *
 * Each of 1-3 runs `--rounds` times and reports the median; the script prints a table, then one JSON
 * line with every round. Files go to a temporary directory on the disk under test (`--dir`, default
 * the OS temp directory: check it is a real disk, not tmpfs, or fsync costs nothing).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { createCloud } from "../../cloud/src/createCloud.js";
import { SqliteOutbox } from "../../gateway/src/adapters/sqlite/SqliteOutbox.js";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import type { Logger, UnsequencedEvent } from "../../gateway/src/services/ports.js";
import { freePort } from "../../test/support/freePort.js";

const ROOT = join(import.meta.dirname, "..", "..");

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "2" },
    depth: { type: "string", default: "200000" },
    "e2e-events": { type: "string", default: "20000" },
    dir: { type: "string" },
    only: { type: "string", default: "append,backlog,drain,e2e" },
  },
});
const ONLY = new Set((values.only ?? "").split(","));
const ROUNDS = Number(values.rounds);
const ROUND_MS = Number(values.seconds) * 1000;
const DEPTH = Number(values.depth);
const E2E_EVENTS = Number(values["e2e-events"]);

/** A dwell event as the scan pipeline hands it over (about 330 bytes of JSON in the outbox). */
function event(run: string, n: number): UnsequencedEvent {
  return {
    id: `${run}-${String(n).padStart(10, "0")}`,
    type: "dwell",
    storeId: "bench",
    zoneId: "z1",
    gatewayId: "gw",
    subject: { kind: "ibeacon", id: "ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:7:7" },
    // Dated now: the cloud refuses events far from its own clock.
    at: new Date().toISOString(),
    visitId: `visit-${run}`,
    rssi: -70,
    distanceM: 3,
    dwellMs: n,
  };
}
const events = (run: string, from: number, count: number): UnsequencedEvent[] =>
  Array.from({ length: count }, (_, k) => event(run, from + k));

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

interface Row {
  readonly name: string;
  /** Events per second, one per round. */
  readonly rounds: number[];
  readonly note: string;
}
const results: Row[] = [];

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quiet,
};

async function openOutbox(dir: string, name: string): Promise<SqliteOutbox> {
  return SqliteOutbox.open({ path: join(dir, `${name}.db`), maxRows: 1_000_000, maxAgeMs: 168 * 3_600_000 });
}

/** Appends batches of `size` for ROUND_MS; events/s. Rows are acked after the round, not during. */
async function appendRound(outbox: SqliteOutbox, size: number, run: string): Promise<number> {
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < ROUND_MS) {
    await outbox.append(events(run, n, size), Date.now());
    n += size;
  }
  const seconds = (performance.now() - started) / 1000;
  await outbox.ackUpTo(await outbox.lastAssignedSeq());
  return n / seconds;
}

async function benchAppend(dir: string): Promise<void> {
  const outbox = await openOutbox(dir, "append");
  try {
    for (const size of [1, 10, 100]) {
      const rounds: number[] = [];
      for (let r = 0; r < ROUNDS; r++) rounds.push(await appendRound(outbox, size, `a${size}r${r}`));
      results.push({
        name: `append, batch ${size}`,
        rounds,
        note: `${Math.round(median(rounds) / size)} commits/s`,
      });
    }
  } finally {
    await outbox.close();
  }
}

async function benchAppendIntoBacklog(dir: string): Promise<void> {
  const outbox = await openOutbox(dir, "backlog");
  try {
    for (let n = 0; n < DEPTH; n += 500) await outbox.append(events("fill", n, 500), Date.now());
    const rounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let n = 0;
      const started = performance.now();
      while (performance.now() - started < ROUND_MS) {
        await outbox.append(events(`d${r}`, n, 1), Date.now());
        n += 1;
      }
      rounds.push(n / ((performance.now() - started) / 1000));
    }
    results.push({
      name: `append, batch 1, ${DEPTH.toLocaleString("en")} rows held`,
      rounds,
      note: `depth ${(await outbox.stats()).depth}`,
    });
  } finally {
    await outbox.close();
  }
}

async function benchPeekAck(dir: string): Promise<void> {
  const outbox = await openOutbox(dir, "drain");
  const total = 50_000;
  try {
    const rounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (let n = 0; n < total; n += 500) await outbox.append(events(`p${r}`, n, 500), Date.now());
      let acked = (await outbox.stats()).lowestSeq ?? 1;
      acked -= 1;
      let drained = 0;
      const started = performance.now();
      for (;;) {
        const batch = await outbox.peek(acked, 200);
        const last = batch.at(-1);
        if (!last) break;
        drained += await outbox.ackUpTo(last.seq);
        acked = last.seq;
      }
      rounds.push(drained / ((performance.now() - started) / 1000));
    }
    const note = `${total.toLocaleString("en")} events a round`;
    results.push({ name: "peek 200 + ack cycle", rounds, note });
  } finally {
    await outbox.close();
  }
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface RunningCloud {
  readonly child: ChildProcess;
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

/** Seeds a cloud data directory (store, gateway, its MQTT login), then runs the cloud on it in a child. */
async function startCloud(dir: string): Promise<RunningCloud> {
  const parsed = parseCloudConfig({
    dataDir: dir,
    http: { port: 0 },
    mqtt: { mode: "embedded", port: 0 },
    log: { level: "silent" },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const log = createLogger({ level: "silent", format: "json", name: "bench" });
  const cloud = await createCloud(parsed.config, { log, clock: { now: () => Date.now() } });
  const now = Date.now();
  await cloud.repositories.directory.upsertOrganisation({ id: "o1", name: "Bench", maxOffersPerUserPerDay: 5 }, now);
  await cloud.repositories.directory.upsertStore(
    { id: "bench", orgId: "o1", name: "Bench", timezone: "Europe/London", lat: null, lon: null, tags: [] },
    now,
  );
  await cloud.repositories.directory.upsertZone({ id: "z1", storeId: "bench", name: "Zone", tags: [], geometry: {} });
  await cloud.repositories.directory.upsertGateway({ id: "gw", storeId: "bench", name: "Gateway" }, now);
  const login = await cloud.credentials.issueMqtt(
    { role: "gateway", storeId: "bench", gatewayId: "gw" },
    "bench",
  );
  await cloud.stop();
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(ROOT, "cloud/src/main.ts"),
      "--data-dir",
      dir,
      "--mqtt-port",
      String(port),
      "--http-port",
      String(await freePort()),
      "--log-level",
      "error",
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
  );
  return { child, port, ...login };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function cloudCount(dir: string): Promise<number> {
  const db = await SqliteDatabase.open(join(dir, "cloud.db"));
  try {
    return (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM presence_events"))?.n ?? 0;
  } finally {
    await db.close();
  }
}

async function benchEndToEnd(dir: string): Promise<void> {
  for (const mode of ["live", "backlog"] as const) {
    const cloudDir = join(dir, `cloud-${mode}`);
    const gatewayDir = join(dir, `gateway-${mode}`);
    const { child, port, username, password } = await startCloud(cloudDir);
    let connectedAt = 0;
    const log: Logger = {
      ...quiet,
      info: (_obj, msg) => {
        if (msg === "uplink connected" && connectedAt === 0) connectedAt = performance.now();
      },
      child: () => log,
    };
    let gateway: Gateway | null = null;
    try {
      if (mode === "live") await waitFor(() => portOpen(port), 60_000, "cloud listening");
      const parsed = parseGatewayConfig({
        storeId: "bench",
        gatewayId: "gw",
        dataDir: gatewayDir,
        mqtt: {
          url: `mqtt://127.0.0.1:${port}`,
          username,
          password,
          reconnectInitialMs: 100,
          reconnectMaxMs: 1000,
        },
        scanner: { source: "sim" },
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      const g = await createGateway(parsed.config, {
        source: { start: async () => undefined, stop: async () => undefined },
        log,
        clock: { now: () => Date.now() },
      });
      gateway = g;
      let started: number;
      if (mode === "live") {
        await g.start();
        await waitFor(() => connectedAt > 0, 60_000, "gateway connected");
        started = performance.now();
        for (let n = 0; n < E2E_EVENTS; n += 10) await g.relay.enqueue(events("live", n, 10));
      } else {
        // The cloud is still starting (its port refuses): the events wait in the outbox.
        for (let n = 0; n < E2E_EVENTS; n += 500) {
          await g.outbox.append(events("backlog", n, 500), Date.now());
        }
        await g.start();
        await waitFor(() => connectedAt > 0, 120_000, "gateway connected");
        started = connectedAt;
      }
      await waitFor(async () => (await g.outbox.stats()).depth === 0, 600_000, "outbox drained");
      const seconds = (performance.now() - started) / 1000;
      await g.stop();
      gateway = null;
      const stored = await cloudCount(cloudDir);
      results.push({
        name: `end to end, ${mode}`,
        rounds: [E2E_EVENTS / seconds],
        note:
          `${E2E_EVENTS.toLocaleString("en")} events in ${seconds.toFixed(1)} s; ` +
          `cloud stored ${stored.toLocaleString("en")}`,
      });
    } finally {
      if (gateway) await gateway.stop();
      await stopChild(child);
    }
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(values.dir ?? tmpdir(), "arrival-bench-outbox-"));
  const machine = {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    dir,
  };
  process.stdout.write(`${JSON.stringify(machine)}\n`);
  try {
    if (ONLY.has("append")) await benchAppend(dir);
    if (ONLY.has("backlog")) await benchAppendIntoBacklog(dir);
    if (ONLY.has("drain")) await benchPeekAck(dir);
    if (ONLY.has("e2e")) await benchEndToEnd(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const width = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(`\n${"measurement".padEnd(width)}  events/s (median)  rounds  note\n`);
  for (const row of results) {
    const perSecond = Math.round(median(row.rounds)).toLocaleString("en");
    process.stdout.write(
      `${row.name.padEnd(width)}  ${perSecond.padStart(17)}  ` +
        `${String(row.rounds.length).padStart(6)}  ${row.note}\n`,
    );
  }
  process.stdout.write(
    `\n${JSON.stringify({
      machine: { ...machine, loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100) },
      settings: { rounds: ROUNDS, roundMs: ROUND_MS, depth: DEPTH, e2eEvents: E2E_EVENTS },
      results: results.map((r) => ({
        ...r,
        median: Math.round(median(r.rounds)),
        rounds: r.rounds.map(Math.round),
      })),
    })}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
