/**
 * Store beacon sightings through a whole cloud in one process (SQLite file, HTTP app): phones
 * report the value their store's beacon advertises (computed from the config the cloud pushes to
 * the store's gateway), open-loop at a fixed rate, and each answer waits for the rules to decide
 * and carries the offer a live `beacon-arrival` rule issued. Latency is measured from each
 * report's scheduled start to its answer. Target (issue #23): p99 ≤ 100 ms at 200 reports/s.
 *
 *   npx tsx scripts/bench/sightings.ts [--rate 200] [--seconds 10] [--stores 10]
 *
 * Each report is a new sighting (a user and store pair not reported before in the slot), so every
 * one is stored, decided and answered with an offer; apps' keys are verified as in production.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { createCloud } from "../../cloud/src/createCloud.js";
import { checkRuleSpec } from "../../cloud/src/domain/rules/index.js";
import { fromHex, storeBeaconValue } from "../../protocol/index.js";

const { values } = parseArgs({
  options: { rate: { type: "string", default: "200" }, seconds: { type: "string", default: "10" }, stores: { type: "string", default: "10" } },
});
const RATE = Number(values.rate);
const TOTAL = RATE * Number(values.seconds);
const STORES = Number(values.stores);
const USERS = Math.ceil(TOTAL / STORES);

const dir = await mkdtemp(join(tmpdir(), "arrival-bench-sightings-"));
await writeFile(join(dir, "beacon-secret"), "b".repeat(48));
const parsed = parseCloudConfig({
  dataDir: dir,
  http: { port: 0 },
  mqtt: { mode: "embedded", port: 0 },
  log: { level: "silent" },
  storeBeacon: { secretFile: join(dir, "beacon-secret") },
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const cloud = await createCloud(parsed.config, { log: createLogger({ level: "silent", format: "json", name: "bench" }), clock: { now: () => Date.now() } });
const { directory, users, rules } = cloud.repositories;
const now = Date.now();
await directory.upsertOrganisation({ id: "o1", name: "Bench", maxOffersPerUserPerDay: 1000 }, now);
const storeIds = Array.from({ length: STORES }, (_, i) => `s${i}`);
for (const id of storeIds) {
  await directory.upsertStore({ id, orgId: "o1", name: id, timezone: "Asia/Hong_Kong", lat: null, lon: null, tags: [] }, now);
  await directory.upsertGateway({ id: `g-${id}`, storeId: id, name: "door" }, now);
}
const spec = checkRuleSpec({
  trigger: { type: "beacon-arrival" },
  offer: { title: "Welcome in", text: "", discount: { kind: "percent", percent: 10 }, validityS: 3600 },
  limits: { maxPerUserPerDay: 1000 },
});
if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
await rules.putRule("o1", { id: "r-beacon", version: 1, status: "live", spec: spec.value }, now);
const keys: string[] = [];
for (let i = 0; i < USERS; i++) {
  const id = `u${i}`;
  await users.upsertUser({ id, orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true }, now);
  keys.push((await cloud.credentials.issueApiKey({ role: "app", orgId: "o1", userId: id, label: "bench" }, "bench")).key);
}
await cloud.start();
// What each store's gateway advertises now: from the config the cloud pushed it.
const admin = (await cloud.credentials.issueApiKey({ role: "admin", orgId: "o1", label: "bench" }, "bench")).key;
const heard = new Map<string, { major: number; minor: number; uuid: string }>();
for (const id of storeIds) {
  const pushed = await cloud.http.inject({ method: "POST", url: `/v1/gateways/g-${id}/config`, headers: { authorization: `Bearer ${admin}` }, payload: { zones: [] } });
  if (pushed.statusCode !== 200) throw new Error(`config push: ${pushed.body}`);
}
for (const record of await cloud.repositories.fleet.desiredConfigs()) {
  const beacon = record.config.storeBeacon;
  if (!beacon) throw new Error("no store beacon in the pushed config");
  const value = storeBeaconValue(fromHex(beacon.identityKey) as Uint8Array, beacon.rotationExponent, Math.floor(Date.now() / 1000));
  heard.set(record.storeId, { uuid: beacon.uuid, major: value.major, minor: value.minor });
}
// Warm the key cache and the paths once per user (a phone's app key is verified once, then cached).
for (let i = 0; i < USERS; i++) {
  await cloud.http.inject({ method: "GET", url: "/v1/store-beacon", headers: { authorization: `Bearer ${keys[i]}` }, remoteAddress: `10.0.${i >> 8}.${i & 255}` });
}

const loadBefore = loadavg();
const latencies: number[] = [];
let withOffer = 0;
let failed = 0;
const started = performance.now();
const pending: Promise<void>[] = [];
for (let n = 0; n < TOTAL; n++) {
  const at = started + (n * 1000) / RATE;
  const wait = at - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const user = n % USERS;
  const store = storeIds[Math.floor(n / USERS)] as string;
  const value = heard.get(store);
  pending.push(
    cloud.http
      .inject({
        method: "POST",
        url: `/v1/users/u${user}/store-beacon-sightings`,
        headers: { authorization: `Bearer ${keys[user]}` },
        // Each phone its own address, as on a real network (the API limits per address).
        remoteAddress: `10.0.${user >> 8}.${user & 255}`,
        payload: { ...value, rssi: -70, at: new Date().toISOString() },
      })
      .then((res) => {
        latencies.push(performance.now() - at);
        const body = res.json<{ resolved?: boolean; offers?: unknown[] }>();
        if (res.statusCode !== 200 || body.resolved !== true) failed++;
        else if ((body.offers?.length ?? 0) > 0) withOffer++;
      }),
  );
}
await Promise.all(pending);
const seconds = (performance.now() - started) / 1000;
await cloud.stop();
await rm(dir, { recursive: true, force: true });
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({
    reports: TOTAL,
    rate: RATE,
    achievedPerSecond: Math.round(TOTAL / seconds),
    answeredWithOffer: withOffer,
    failed,
    p50Ms: Number(q(0.5).toFixed(1)),
    p99Ms: Number(q(0.99).toFixed(1)),
    maxMs: Number((latencies.at(-1) ?? Number.NaN).toFixed(1)),
    loadBefore: loadBefore.map((l) => Number(l.toFixed(2))),
    loadAfter: loadavg().map((l) => Number(l.toFixed(2))),
  })}\n`,
);
