/**
 * Coupon wallet throughput with durable commits. Run from the repository root:
 *
 *   npx tsx scripts/bench/coupons.ts [--stock N] [--members N] [--in-flight N] [--rate N] [--seconds N] [--lines N] [--dir DIR]
 *
 * Both parts run the cloud's real services on a real SQLite file (WAL, synchronous=FULL: every
 * commit waits for the disk):
 *
 * 1. flash claim: one batch with `--stock` coupons (default 5 000) and `--members` members
 *    (default 8 000, one coupon each), every member claiming once through `CouponService.claim`,
 *    `--in-flight` (default 256) at a time as a burst of app requests would arrive. Claims per
 *    second until every member has an answer, and a check that exactly `--stock` succeeded.
 * 2. redemption: coupons of a percent-off batch with eligible categories, redeemed through
 *    `RedemptionService.redeem` with a `--lines`-line basket (default 20), sent open-loop at
 *    `--rate` per second (default 200) for `--seconds` (default 10): each request starts on
 *    schedule whether or not the previous ones finished, so queueing shows in the latency. p50, p99
 *    and max latency from the scheduled start.
 *
 * Prints a table and one JSON line. Files go to a temporary directory under `--dir` (default the OS
 * temp directory: check it is a real disk, not tmpfs, or fsync costs nothing).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createSqliteRepositories } from "../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import type { BatchSpec } from "../../cloud/src/domain/coupons/index.js";
import { CouponService } from "../../cloud/src/services/CouponService.js";
import type { Principal } from "../../cloud/src/services/CredentialService.js";
import { RedemptionGuard } from "../../cloud/src/services/RedemptionGuard.js";
import { RedemptionService } from "../../cloud/src/services/RedemptionService.js";
import { MembershipService } from "../../cloud/src/services/MembershipService.js";
import { systemScheduler } from "../../cloud/src/services/ports.js";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";

const { values } = parseArgs({
  options: {
    stock: { type: "string", default: "5000" },
    members: { type: "string", default: "8000" },
    "in-flight": { type: "string", default: "256" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "10" },
    lines: { type: "string", default: "20" },
    dir: { type: "string", default: tmpdir() },
  },
});
const STOCK = Number(values.stock);
const MEMBERS = Number(values.members);
const IN_FLIGHT = Number(values["in-flight"]);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const LINES = Number(values.lines);

const clock = { now: () => Date.now() };
const admin: Principal = { keyId: "bench-admin", role: "admin", orgId: "o1", storeId: null, userId: null };
const till: Principal = { keyId: "bench-till", role: "pos", orgId: "o1", storeId: "s1", userId: null };

const SPEC: BatchSpec = {
  title: "Flash",
  text: "While stock lasts",
  discount: { kind: "percent", percent: 15, maxDiscountMinor: 50_000, eligible: { categories: ["lipstick", "skincare"] } },
  validity: { kind: "from-claim", hours: 24 },
  timezone: "Asia/Hong_Kong",
  totalStock: STOCK,
  storeIds: ["s1", "s2"],
  channels: ["online"],
};

async function open(dir: string, name: string) {
  const db = await SqliteDatabase.open(join(dir, name));
  await migrate(db, Date.now());
  const repos = createSqliteRepositories(db);
  const now = Date.now();
  await repos.directory.upsertOrganisation({ id: "o1", name: "Bench", maxOffersPerUserPerDay: 3 }, now);
  for (const id of ["s1", "s2"])
    await repos.directory.upsertStore({ id, orgId: "o1", name: id, timezone: "Asia/Hong_Kong", lat: null, lon: null, tags: [] }, now);
  const coupons = new CouponService({ coupons: repos.coupons, users: repos.users, stores: repos.directory, clock, randomBytes: (n) => randomBytes(n) });
  return { db, repos, coupons };
}

async function seedMembers(db: SqliteDatabase, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `member-${String(i).padStart(7, "0")}`);
  await db.transaction(async (tx) => {
    for (const id of ids)
      await tx.run(
        "INSERT INTO app_users (id, org_id, display_name, segments, loyalty_tier, marketing_consent, analytics_consent, created_at, updated_at) VALUES (?, 'o1', NULL, '[]', NULL, 1, 1, 0, 0)",
        [id],
      );
  });
  return ids;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function benchClaim(dir: string) {
  const { db, coupons } = await open(dir, "claim.db");
  const members = await seedMembers(db, MEMBERS);
  const created = await coupons.createBatch(admin, "flash", SPEC);
  if (!created.ok) throw new Error(created.message);
  let next = 0;
  let ok = 0;
  const refused = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < members.length) {
        const userId = members[next++] as string;
        const result = await coupons.claim(admin, { batchId: "flash", userId });
        if (result.ok) ok++;
        else refused.set(result.code, (refused.get(result.code) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  return { members: MEMBERS, stock: STOCK, inFlight: IN_FLIGHT, ok, exact: ok === STOCK, refused: Object.fromEntries(refused), seconds, perSecond: MEMBERS / seconds };
}

async function benchRedeem(dir: string) {
  const { db, coupons, repos } = await open(dir, "redeem.db");
  const total = RATE * SECONDS;
  const members = await seedMembers(db, total);
  const created = await coupons.createBatch(admin, "redeem", { ...SPEC, totalStock: total });
  if (!created.ok) throw new Error(created.message);
  const codes: string[] = [];
  for (const userId of members) {
    const c = await coupons.claim(admin, { batchId: "redeem", userId });
    if (!c.ok) throw new Error(c.message);
    codes.push(c.value.code);
  }
  // Each redemption with its basket also earns the member's points (a point per HKD 1), as in the cloud.
  const log = createLogger({ level: "silent", format: "json", name: "bench" });
  const membership = new MembershipService({
    ledger: repos.ledger,
    membership: repos.membership,
    users: repos.users,
    directory: repos.directory,
    clock,
    scheduler: systemScheduler,
    log,
    randomBytes: (n) => randomBytes(n),
  });
  const program = await membership.putProgram(admin, {
    currency: "HKD",
    pointsValidityDays: 365,
    transfersAllowed: false,
    earnRules: [{ id: "base", points: 1, perAmountMinor: 100 }],
    visit: null,
    memberDays: [],
    tiers: [],
    tierWindowDays: 365,
  });
  if (!program.ok) throw new Error(program.message);
  const redemptions = new RedemptionService({ offers: repos.offers, stores: repos.directory, clock, guard: new RedemptionGuard(), points: membership, log });
  const lines = Array.from({ length: LINES }, (_, i) => ({
    sku: `sku-${i}`,
    category: i % 3 === 0 ? "lipstick" : i % 3 === 1 ? "skincare" : "snacks",
    quantity: 1 + (i % 4),
    unitPriceMinor: 1_000 + i * 137,
  }));
  const totalMinor = lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
  const latencies: number[] = [];
  let ok = 0;
  let earning = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const at = started + (i * 1000) / RATE;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const code = codes[i] as string;
    pending.push(
      redemptions
        .redeem(till, { code, idempotencyKey: `bench-${i}-key`, basket: { orderId: `order-${i}`, totalMinor, currency: "HKD", lines } })
        .then((r) => {
          latencies.push(performance.now() - at);
          if (r.ok) ok++;
          if (r.ok && (r.value.points?.points ?? 0) > 0) earning++;
        }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  latencies.sort((a, b) => a - b);
  return {
    redemptions: total,
    ok,
    /** Redemptions that earned their member points (each should). */
    earning,
    lines: LINES,
    rate: RATE,
    achievedPerSecond: total / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
  };
}

const out = (line: string) => {
  process.stdout.write(`${line}\n`);
};

const dir = await mkdtemp(join(values.dir, "arrival-bench-coupons-"));
try {
  const load = loadavg();
  const claim = await benchClaim(dir);
  out(
    `claim    ${claim.members} members for ${claim.stock} coupons, ${claim.inFlight} in flight: ${claim.seconds.toFixed(2)} s = ${claim.perSecond.toFixed(0)} claims/s durable; ${claim.ok} succeeded (exact: ${claim.exact}); refused ${JSON.stringify(claim.refused)}`,
  );
  const redeem = await benchRedeem(dir);
  out(
    `redeem   ${redeem.redemptions} redemptions, ${redeem.lines}-line basket at ${redeem.rate}/s (achieved ${redeem.achievedPerSecond.toFixed(0)}/s), ${redeem.ok} ok, ${redeem.earning} earning points: p50 ${redeem.p50Ms.toFixed(2)} ms, p99 ${redeem.p99Ms.toFixed(2)} ms, max ${redeem.maxMs.toFixed(2)} ms`,
  );
  out(JSON.stringify({ node: process.version, kernel: release(), cpus: cpus().length, cpu: cpus()[0]?.model, loadBefore: load, loadAfter: loadavg(), claim, redeem }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
