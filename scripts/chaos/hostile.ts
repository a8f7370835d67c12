/**
 * The long hostile-input run: 10 000 event batches a buggy or forged gateway could publish through
 * the real cloud's ingest, and 5 000 HTTP requests of any method, path, header and body through its
 * API, with the generators of the in-suite property tests (test/support/hostileTraffic.ts). Every
 * request's answer is checked (no 5xx, the documented error shape); the readers (visits, events,
 * visit counts, funnel) are checked every `--check-every` batches and at the end, with a count of
 * stored rows no reader could show; then a valid batch must still be acknowledged and decided.
 * Prints a report; exits 1 if anything failed. From the repository root:
 *
 *   npx tsx scripts/chaos/hostile.ts [--batches 10000] [--requests 5000] [--check-every 100] [--seed 17]
 */
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { createCloudFixture, presenceEvent } from "../../test/cloud/cloudFixture.js";
import {
  batchArb,
  checkReaders,
  fuzzableRoutes,
  implausibleRows,
  ingestHostile,
  requestArb,
  sendHostile,
} from "../../test/support/hostileTraffic.js";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "10000" },
    requests: { type: "string", default: "5000" },
    "check-every": { type: "string", default: "100" },
    seed: { type: "string", default: "17" },
  },
});
const BATCHES = Number(values.batches);
const REQUESTS = Number(values.requests);
const CHECK_EVERY = Math.max(1, Number(values["check-every"]));
const SEED = Number(values.seed);

const f = await createCloudFixture();
const problems: string[] = [];
const acks: { outbox: string; upToSeq: number }[] = [];
await f.cloud.broker.subscribe(gatewayTopic("s1", "g1", "ack"), async (m) => {
  acks.push(JSON.parse(m.payload.toString("utf8")) as { outbox: string; upToSeq: number });
});

const started = performance.now();
const now = Date.now();
let readerChecks = 0;
const batches = fc.sample(batchArb(now), { numRuns: BATCHES, seed: SEED });
let events = 0;
for (const [i, batch] of batches.entries()) {
  events += batch.events.length;
  await ingestHostile(f, batch);
  if ((i + 1) % CHECK_EVERY === 0 || i === batches.length - 1) {
    await f.cloud.ingest.idle();
    readerChecks++;
    problems.push(...(await checkReaders(f, now)).map((p) => `after batch ${i + 1}: ${p}`));
  }
}
await f.cloud.ingest.idle();
const implausible = await implausibleRows(f);
if (implausible > 0) problems.push(`${implausible} stored rows no reader can show`);
const ingestS = (performance.now() - started) / 1000;

const httpStarted = performance.now();
const routes = fuzzableRoutes(f);
const statuses = new Map<number, number>();
const requests = fc.sample(requestArb(routes.length), { numRuns: REQUESTS, seed: SEED });
for (const request of requests) {
  const { status, problem } = await sendHostile(f, routes, request);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  if (problem !== null) problems.push(problem);
}
problems.push(...(await checkReaders(f, Date.now())).map((p) => `after the requests: ${p}`));
const httpS = (performance.now() - httpStarted) / 1000;

// Valid traffic afterwards: stored, acknowledged, decided (u1's enter issues the live rule's offer).
const issued = f.cloud.offers.counters.offersIssued;
await f.cloud.ingest.handleBatch(
  gatewayTopic("s1", "g1", "events"),
  encodeMessage({ v: 1, outbox: "valid-outbox", fromSeq: 1, events: [presenceEvent(1, { id: "valid-after-chaos", visitId: "visit-after-chaos" })] }),
);
await f.cloud.offers.idle();
for (let i = 0; i < 100 && !acks.some((a) => a.outbox === "valid-outbox" && a.upToSeq === 1); i++)
  await new Promise((r) => setTimeout(r, 20));
const validAcked = acks.some((a) => a.outbox === "valid-outbox" && a.upToSeq === 1);
const validDecided = f.cloud.offers.counters.offersIssued === issued + 1;
if (!validAcked) problems.push("the valid batch after the run was not acknowledged");
if (!validDecided) problems.push("the valid event after the run issued no offer");

const c = f.cloud.ingest.counters;
const refusals = Object.entries(c.rejections)
  .filter(([, n]) => n > 0)
  .map(([reason, n]) => `${reason} ${n}`)
  .join(", ");
const statusLine = [...statuses.entries()]
  .sort(([a], [b]) => a - b)
  .map(([s, n]) => `${s}: ${n}`)
  .join(", ");
const [load1, load5, load15] = loadavg().map((l) => l.toFixed(2));
process.stdout.write(`# Hostile-input run (seed ${SEED})
machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}
load average at the end: ${load1} ${load5} ${load15}

ingest: ${BATCHES} batches (${events} events) in ${ingestS.toFixed(1)} s
  batches stored and acked ${c.batches}, refused whole ${c.rejectedBatches}
  events stored ${c.eventsStored}, refused one by one ${c.rejectedEvents}
  refusals by reason: ${refusals}
  reader checks ${readerChecks} (5 readers each), stored rows no reader can show ${implausible}
http: ${REQUESTS} requests over ${routes.length} routes in ${httpS.toFixed(1)} s
  statuses: ${statusLine}
  5xx: ${[...statuses.entries()].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0)}
afterwards: valid batch acknowledged ${validAcked ? "yes" : "NO"}, decided (offer issued) ${validDecided ? "yes" : "NO"}
problems: ${problems.length}${problems.length > 0 ? `\n  ${problems.slice(0, 20).join("\n  ")}` : ""}\n`);
await f.close();
process.exitCode = problems.length > 0 ? 1 : 0;
