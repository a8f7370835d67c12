/**
 * One ingest group commit, alone: the time `EventRepository.storeBatches` takes for a group of
 * small batches (their statements, then the commit's flush to disk: SQLite under WAL and
 * `synchronous = FULL`, or a private PostgreSQL server committing durably), as at 1 000 events/s
 * from 8 gateways, where each gateway publishes a batch of one or two events every 10 ms. Every ack
 * and every decision waits behind this, so it is the floor under event → offer latency. Run from
 * the repository root:
 *
 *   npx tsx scripts/bench/ingestCommit.ts [--groups 2000] [--batches 8] [--events 2] [--users 0.02]
 *     [--storage sqlite|postgres] [--workers 1]
 *
 * `--users` is the share of events from registered devices (these join store visits). `--workers 2`
 * (PostgreSQL) runs two pools, as two cloud workers, committing groups at once: each group takes
 * its batches from the same gateways' outboxes in turn, so the workers take turns on their rows,
 * as with MQTT shared subscriptions. Prints JSON: per-group time p50/p95/p99/max (ms) and the
 * CPU per 1 000 events: this process (all threads, SQLite's included) and, on PostgreSQL, the
 * server's (postmaster and backends, from /proc).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createPostgresRepositories } from "../../cloud/src/adapters/postgres/createPostgresRepositories.js";
import { migratePostgres } from "../../cloud/src/adapters/postgres/migrations.js";
import { PostgresDatabase } from "../../cloud/src/adapters/postgres/PostgresDatabase.js";
import { createSqliteRepositories } from "../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import type { Repositories, StoreBatchInput } from "../../cloud/src/services/repositories.js";
import type { PresenceEvent } from "../../protocol/index.js";
import { type PostgresInstance, startPostgres } from "../../test/support/postgres.js";
import { processTreeCpuMs } from "./systemSetup.js";

const { values } = parseArgs({
  options: {
    groups: { type: "string", default: "2000" },
    batches: { type: "string", default: "8" },
    events: { type: "string", default: "2" },
    users: { type: "string", default: "0.02" },
    storage: { type: "string", default: "sqlite" },
    workers: { type: "string", default: "1" },
  },
});
const groups = Number(values.groups);
const batchesPerGroup = Number(values.batches);
const eventsPerBatch = Number(values.events);
const userShare = Number(values.users);
const workers = Number(values.workers);
if (values.storage !== "sqlite" && values.storage !== "postgres") throw new Error(`unknown storage ${values.storage}`);
if (workers > 1 && values.storage !== "postgres") throw new Error("several workers need --storage postgres");

const dir = await mkdtemp(join(tmpdir(), "arrival-bench-ingest-"));
let postgres: PostgresInstance | null = null;
const closers: (() => Promise<void>)[] = [];
const workerRepos: Repositories[] = [];
if (values.storage === "postgres") {
  // Durable commits, as a production server makes them (SQLite's run is synchronous FULL).
  postgres = await startPostgres({ durable: true });
  const url = await postgres.createDatabase("bench");
  for (let w = 0; w < workers; w++) {
    const db = await PostgresDatabase.open({ url, maxConnections: 4 });
    if (w === 0) await migratePostgres(db, 0);
    workerRepos.push(createPostgresRepositories(db));
    closers.push(() => db.close());
  }
} else {
  const db = await SqliteDatabase.open(join(dir, "cloud.db"));
  await migrate(db, 0);
  workerRepos.push(createSqliteRepositories(db));
  closers.push(() => db.close());
}
const repos = workerRepos[0] as Repositories;

/** CPU ms of the PostgreSQL server (postmaster and backends), 0 on SQLite. */
const serverCpuMs = async (): Promise<number> => {
  const root = postgres?.serverPid() ?? null;
  return root === null ? 0 : processTreeCpuMs(root);
};

await repos.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, 0);
await repos.directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, 0);
await repos.directory.upsertZone({ id: "z1", storeId: "s1", name: "Zone", tags: [], geometry: {} });
const gateways = Array.from({ length: batchesPerGroup }, (_, k) => `g${k + 1}`);
for (const id of gateways) await repos.directory.upsertGateway({ id, storeId: "s1", name: id }, 0);
const USERS = 50;
for (let u = 0; u < USERS; u++) {
  await repos.users.upsertUser(
    { id: `u${u}`, orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
    0,
  );
  await repos.users.registerDevice(`ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:9:${u}`, `u${u}`, null, 0);
}

const seqs = new Map<string, number>();
let serial = 0;
function batchOf(gatewayId: string, at: string, receivedAt: number): StoreBatchInput {
  const from = (seqs.get(gatewayId) ?? 0) + 1;
  const events: PresenceEvent[] = [];
  for (let k = 0; k < eventsPerBatch; k++) {
    const seq = from + k;
    const user = Math.random() < userShare ? Math.floor(Math.random() * USERS) : null;
    serial++;
    events.push({
      id: `e-${gatewayId}-${String(seq).padStart(10, "0")}`,
      seq,
      type: user === null ? "dwell" : "enter",
      storeId: "s1",
      zoneId: "z1",
      gatewayId,
      subject: {
        kind: "ibeacon",
        id: `ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:${user === null ? 8 : 9}:${user ?? serial % 65_535}`,
      },
      at,
      visitId: `v-${gatewayId}-${seq}`,
      rssi: -68,
      distanceM: 2.5,
      ...(user === null ? { dwellMs: 30_000 } : {}),
    });
  }
  seqs.set(gatewayId, from + eventsPerBatch - 1);
  return { storeId: "s1", gatewayId, outbox: `outbox-${gatewayId}`, fromSeq: from, events, refusedSeqs: [], receivedAt };
}

const times: number[] = [];
const cpuBefore = process.cpuUsage();
const serverBefore = await serverCpuMs();
const started = performance.now();
let next = 0;
let failed = 0;
// Each worker takes the next group as soon as its last one committed; the groups are built in
// order, so two workers hold neighbouring batches of the same outboxes.
await Promise.all(
  workerRepos.map(async (worker) => {
    while (next < groups) {
      next++;
      const now = Date.now();
      const at = new Date(now).toISOString();
      const inputs = gateways.map((id) => batchOf(id, at, now));
      const began = performance.now();
      try {
        await worker.events.storeBatches(inputs);
        times.push(performance.now() - began);
      } catch {
        // Still contended after every retry (ingest would store the batches one by one, then
        // leave them to the gateway's re-send): counted, not timed.
        failed++;
      }
    }
  }),
);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const serverMs = (await serverCpuMs()) - serverBefore;
for (const close of closers) await close();
await postgres?.stop();
await rm(dir, { recursive: true, force: true });

const sorted = [...times].sort((a, b) => a - b);
const q = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2));
// Events stored: a failed group stored none.
const events = (groups - failed) * batchesPerGroup * eventsPerBatch;
process.stdout.write(
  `${JSON.stringify({
    storage: values.storage,
    workers,
    groups,
    batchesPerGroup,
    eventsPerBatch,
    groupMs: { p50: q(50), p95: q(95), p99: q(99), max: Number((sorted[sorted.length - 1] ?? 0).toFixed(2)) },
    failedGroups: failed,
    eventsPerSecond: Math.round(events / (wallMs / 1000)),
    cpuMsPer1000Events: Number((((cpu.user + cpu.system) / 1000 / events) * 1000).toFixed(1)),
    ...(postgres === null ? {} : { serverCpuMsPer1000Events: Number(((serverMs / events) * 1000).toFixed(1)) }),
  })}\n`,
);
