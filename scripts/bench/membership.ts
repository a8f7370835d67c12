/**
 * Membership throughput with durable commits. Run from the repository root:
 *
 *   npx tsx scripts/bench/membership.ts [--members N] [--earns N] [--entries N] [--reads N] [--in-flight N] [--dir DIR]
 *
 * Each part runs the cloud's real code on a real SQLite file (WAL, synchronous=FULL: every commit
 * waits for the disk):
 *
 * 1. import: `MemberImportService.importMembers` of an NDJSON file of `--members` members (default
 *    100 000: id, name, segments, tier, birth month, consents), read line by line from memory, as
 *    the HTTP route hands it on; then the same file again (a rerun: every row unchanged).
 * 2. earn: `--earns` earnings (default 10 000) through `SqlLedgerRepository.append`, each its own
 *    call with its own idempotency key, `--in-flight` (default 256) at a time over 1 000 members, as
 *    concurrent tills would send them; the repository group-commits what arrives during a commit.
 *    Entries per second, durable (each call resolves after its commit).
 * 3. balance: a ledger of `--entries` entries (default 1 000 000: earn lots over 20 000 members,
 *    written in bulk by SQL, since the append rate is part 2's business), then `--reads` balance
 *    reads (default 2 000) of random members, one at a time; p50, p99 and max latency.
 *
 * Prints a table and one JSON line. Files go to a temporary directory under `--dir` (default the OS
 * temp directory: check it is a real disk, not tmpfs, or fsync costs nothing).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createSqliteRepositories } from "../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { MemberImportService } from "../../cloud/src/services/MemberImportService.js";
import type { Logger } from "../../cloud/src/services/ports.js";

const { values } = parseArgs({
  options: {
    members: { type: "string", default: "100000" },
    earns: { type: "string", default: "10000" },
    entries: { type: "string", default: "1000000" },
    reads: { type: "string", default: "2000" },
    "in-flight": { type: "string", default: "256" },
    dir: { type: "string", default: tmpdir() },
  },
});
const MEMBERS = Number(values.members);
const EARNS = Number(values.earns);
const ENTRIES = Number(values.entries);
const READS = Number(values.reads);

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };
const admin = { keyId: "bench", role: "admin" as const, orgId: "o1", storeId: null, userId: null };

async function open(dir: string, name: string) {
  const db = await SqliteDatabase.open(join(dir, name));
  await migrate(db, Date.now());
  const repos = createSqliteRepositories(db);
  await repos.directory.upsertOrganisation({ id: "o1", name: "Bench", maxOffersPerUserPerDay: 3 }, Date.now());
  return { db, repos };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

async function benchImport(dir: string) {
  const { db, repos } = await open(dir, "import.db");
  const service = new MemberImportService({ membership: repos.membership, ledger: repos.ledger, users: repos.users, clock: { now: () => Date.now() }, log: silent });
  const lines = Array.from({ length: MEMBERS }, (_, i) =>
    JSON.stringify({
      id: `member-${String(i).padStart(7, "0")}`,
      displayName: `Member ${i}`,
      segments: i % 3 === 0 ? ["vip", "beauty"] : ["tea"],
      loyaltyTier: i % 10 === 0 ? "gold" : "member",
      birthMonth: (i % 12) + 1,
      marketingConsent: i % 2 === 0,
      analyticsConsent: i % 4 !== 0,
    }),
  );
  const t0 = performance.now();
  const first = await service.importMembers(admin, "ndjson", linesOf(lines));
  const firstS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const rerun = await service.importMembers(admin, "ndjson", linesOf(lines));
  const rerunS = (performance.now() - t1) / 1000;
  await db.close();
  if (!first.ok || !rerun.ok) throw new Error("import refused");
  return { members: MEMBERS, firstS, rerunS, created: first.value.created, rerunUnchanged: rerun.value.unchanged };
}

async function benchEarn(dir: string) {
  const { db, repos } = await open(dir, "earn.db");
  const inFlight = Number(values["in-flight"]);
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next;
      next += 1;
      if (i >= EARNS) return;
      const r = await repos.ledger.append(
        "o1",
        `member-${i % 1000}`,
        { kind: "earn", points: 10, source: "till-purchase", expiresAt: null, reference: `order-${i}`, reason: null },
        `purchase:s1:order-${i}`,
        Date.now(),
      );
      if (!r.ok) throw new Error(`earn refused: ${r.reason}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await db.close();
  return { earns: EARNS, inFlight, seconds, perSecond: EARNS / seconds };
}

async function benchBalance(dir: string) {
  const { db, repos } = await open(dir, "balance.db");
  const members = 20_000;
  const t0 = performance.now();
  // Earn entries and their lots in bulk: entry i earns 10 points for member i % members; a third of
  // the lots are spent down to 0 (as spends would leave them), so reads skip empty lots as in use.
  await db.transaction(async (tx) => {
    await tx.exec(`
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${ENTRIES})
      INSERT INTO ledger_entries (id, org_id, member_id, kind, source, points, idempotency_key, reference, reason, expires_at, reverses, at)
      SELECT 'e' || i, 'o1', 'member-' || (i % ${members}), 'earn', 'till-purchase', 10, 'k' || i, NULL, NULL,
             1900000000000 + i, NULL, 1700000000000 + i FROM n;
      INSERT INTO ledger_lots (id, org_id, member_id, earned_at, expires_at, points, remaining)
      SELECT id, org_id, member_id, at, expires_at, points, CASE WHEN seq % 3 = 0 THEN 0 ELSE points END FROM ledger_entries;
    `);
  });
  const seedS = (performance.now() - t0) / 1000;
  const latencies: number[] = [];
  let check = 0;
  for (let r = 0; r < READS; r += 1) {
    const member = `member-${Math.floor(Math.random() * members)}`;
    const s = performance.now();
    const b = await repos.ledger.balance("o1", member, 1_800_000_000_000);
    latencies.push(performance.now() - s);
    check += b.balance;
  }
  latencies.sort((a, b) => a - b);
  await db.close();
  return { entries: ENTRIES, members, seedS, reads: READS, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), maxMs: latencies.at(-1) ?? 0, check };
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const dir = await mkdtemp(join(values.dir, "arrival-bench-membership-"));
try {
  const load = loadavg();
  const imported = await benchImport(dir);
  out(`import   ${imported.members} members: ${imported.firstS.toFixed(1)} s (created ${imported.created}); rerun ${imported.rerunS.toFixed(1)} s (unchanged ${imported.rerunUnchanged})`);
  const earn = await benchEarn(dir);
  out(`earn     ${earn.earns} entries, ${earn.inFlight} in flight: ${earn.seconds.toFixed(2)} s = ${earn.perSecond.toFixed(0)} entries/s durable`);
  const balance = await benchBalance(dir);
  out(
    `balance  ${balance.entries} entries (${balance.members} members, seeded in ${balance.seedS.toFixed(1)} s), ${balance.reads} reads: p50 ${balance.p50Ms.toFixed(2)} ms, p99 ${balance.p99Ms.toFixed(2)} ms, max ${balance.maxMs.toFixed(2)} ms`,
  );
  out(JSON.stringify({ node: process.version, kernel: release(), cpus: cpus().length, cpu: cpus()[0]?.model, loadBefore: load, imported, earn, balance }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
