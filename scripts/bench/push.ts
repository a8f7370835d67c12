/**
 * Push fan-out through the durable outbox to a local Web Push service, in one process: N offers to
 * N members (one browser each), queued at once, then sent; the service verifies each VAPID JWT and
 * decrypts each payload, so the figure includes both ends' crypto. Prints notifications/s, the
 * queueing time and the CPU each side used as JSON. `--batch` is the outbox's window (attempts in
 * flight at once).
 *
 *   npx tsx scripts/bench/push.ts [--offers 2000] [--batch 64] [--service-process] [--encryption-threads N]
 *
 * With `--service-process` the push service runs in a process of its own (scripts/bench/pushService.ts),
 * as a real one is elsewhere: its decryption then takes the other core, not the sender's.
 * `--encryption-threads` is the sender's pool of encryption threads (0: on its event loop; default:
 * one fewer than the cores). `senderCpuMs` counts every thread of the sender, `senderLoopBusy` the
 * share of the run its event loop was busy. `--cpu-prof <file>` writes a CPU profile of the sender's
 * main thread (and, in one process, the push service's) from the first enqueue to the drained outbox,
 * without the set-up, for Chrome DevTools or `scripts/bench/cpuProfileSummary.ts`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createSqliteRepositories } from "../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { vapidKeysFromPem } from "../../cloud/src/adapters/push/webPushCrypto.js";
import { WebPushSender } from "../../cloud/src/adapters/push/WebPushSender.js";
import type { Offer } from "../../cloud/src/domain/offers/index.js";
import { PushDispatcher } from "../../cloud/src/services/push/PushDispatcher.js";
import { systemScheduler } from "../../cloud/src/services/ports.js";
import { FakeWebPushService } from "../../test/support/FakeWebPushService.js";
import { p256Pem } from "../../test/support/pushConfig.js";
import { type BenchSubscription, startPushServiceProcess } from "./pushServiceProcess.js";

const { values } = parseArgs({
  options: { offers: { type: "string", default: "2000" }, batch: { type: "string", default: "64" }, "service-process": { type: "boolean", default: false }, "encryption-threads": { type: "string" }, "cpu-prof": { type: "string" } },
});
const n = Number(values.offers);
const dir = await mkdtemp(join(tmpdir(), "arrival-bench-push-"));
const db = await SqliteDatabase.open(join(dir, "cloud.db"));
await migrate(db, 0);
const repos = createSqliteRepositories(db);
const vapid = vapidKeysFromPem(p256Pem());
/** The push service's subscriptions and counts, in this process or in a child. */
interface PushServiceHandle {
  subscribe(): { endpoint: string; keys: { p256dh: string; auth: string } };
  /** What it received and refused, and (in a process of its own) the CPU it used, ms. */
  counts(): Promise<{ received: number; errors: number; cpuMs?: number }>;
  stop(): Promise<void>;
}
async function inProcessService(): Promise<PushServiceHandle> {
  const service = new FakeWebPushService(vapid.publicKey);
  await service.start();
  return {
    subscribe: () => service.subscribe(),
    counts: async () => ({ received: service.received.length, errors: service.errors.length }),
    stop: () => service.stop(),
  };
}
async function childProcessService(count: number): Promise<PushServiceHandle> {
  const child = await startPushServiceProcess(count, vapid.publicKey);
  let i = 0;
  return {
    subscribe: () => child.subscriptions[i++] as BenchSubscription,
    counts: () => child.counts(),
    stop: () => child.stop(),
  };
}
const service = values["service-process"] ? await childProcessService(n) : await inProcessService();
const now = Date.now();
await repos.directory.upsertOrganisation({ id: "o1", name: "O", maxOffersPerUserPerDay: 5 }, now);
await repos.directory.upsertStore({ id: "s1", orgId: "o1", name: "S", timezone: "UTC", lat: null, lon: null, tags: [] }, now);
const offers: Offer[] = [];
for (let i = 0; i < n; i++) {
  const userId = `u${i}`;
  await repos.users.upsertUser({ id: userId, orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true }, now);
  const sub = service.subscribe();
  await repos.pushRegistrations.upsertPushRegistration(
    { userId, installationId: "browser", orgId: "o1", provider: "webpush", token: sub.endpoint, keys: sub.keys, environment: null },
    now,
  );
  offers.push({
    offerId: `offer-${i}`, ruleId: "r1", ruleVersion: 1, userId, storeId: "s1", zoneId: "z1", visitId: "v", eventId: "e",
    title: "10% off", text: "t", discount: { kind: "percent", percent: 10 }, issuedAt: now, expiresAt: now + 600_000,
    code: "ABCD-EFGH", status: "issued", statusAt: now,
  });
}
let id = 0;
const dispatcher = new PushDispatcher({
  registrations: repos.pushRegistrations,
  delivery: repos.delivery,
  stores: repos.directory,
  senders: [
    new WebPushSender({
      vapid,
      subject: "mailto:bench@arrival.invalid",
      now: () => Date.now(),
      ...(values["encryption-threads"] === undefined ? {} : { encryptionThreads: Number(values["encryption-threads"]) }),
    }),
  ],
  clock: { now: () => Date.now() },
  scheduler: systemScheduler,
  log: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } },
  newId: () => `item-${++id}`,
  jitter: () => 0,
  frequencyCapMinutes: Number(process.env.CAP ?? 30),
  maxAttempts: 3,
  backoff: { baseMs: 1000, maxMs: 10_000 },
  pollIntervalMs: 60_000,
  batchSize: Number(values.batch),
});
const profiler = values["cpu-prof"] === undefined ? null : new Session();
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}
const serviceCpu0 = (await service.counts()).cpuMs;
const cpu0 = process.cpuUsage();
const loop0 = performance.eventLoopUtilization();
const t0 = performance.now();
await dispatcher.offersIssued(offers);
const queuedMs = performance.now() - t0;
await dispatcher.drain();
const totalMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const loop = performance.eventLoopUtilization(loop0);
if (profiler && values["cpu-prof"] !== undefined) {
  const { profile } = await profiler.post("Profiler.stop");
  await writeFile(values["cpu-prof"], JSON.stringify(profile));
  profiler.disconnect();
}
const { cpuMs: serviceCpu1, ...counts } = await service.counts();
process.stdout.write(
  `${JSON.stringify({
    offers: n,
    batch: Number(values.batch),
    queuedMs: Math.round(queuedMs),
    totalMs: Math.round(totalMs),
    notificationsPerS: Math.round((dispatcher.counters.sent / totalMs) * 1000),
    ...counts,
    // CPU of every thread of the sender (its SQLite work runs on libuv's pool), and of the service.
    senderCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    senderLoopBusy: Number(loop.utilization.toFixed(2)),
    encryptionThreads: values["encryption-threads"] ?? "default",
    ...(serviceCpu0 === undefined || serviceCpu1 === undefined ? {} : { serviceCpuMs: serviceCpu1 - serviceCpu0 }),
    serviceProcess: values["service-process"],
    counters: dispatcher.counters,
  })}\n`,
);
await dispatcher.stop();
await service.stop();
await db.close();
await rm(dir, { recursive: true, force: true });
