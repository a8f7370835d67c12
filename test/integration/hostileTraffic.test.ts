import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import {
  answerProblem,
  batchArb,
  checkReaders,
  fuzzableRoutes,
  implausibleRows,
  ingestHostile,
  requestArb,
  sendHostile,
} from "../support/hostileTraffic.js";
import { until } from "../support/until.js";

/**
 * Property-based hostile traffic through the real cloud (SQLite, embedded broker, ingest, rules,
 * fastify): for every case no 5xx, every error in the documented shape, nothing stored that breaks
 * a reader; afterwards valid traffic is still acknowledged and decided. Small runs here (seeded,
 * a few seconds); the long run is `npx tsx scripts/chaos/hostile.ts` (docs/reliability.md).
 */
describe("hostile traffic through the real cloud", () => {
  let f: CloudFixture;
  const acks: { outbox: string; upToSeq: number }[] = [];

  beforeAll(async () => {
    f = await createCloudFixture();
    await f.cloud.broker.subscribe(gatewayTopic("s1", "g1", "ack"), async (m) => {
      acks.push(JSON.parse(m.payload.toString("utf8")) as { outbox: string; upToSeq: number });
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("event batches from a buggy or forged gateway: readers stay up, nothing implausible is stored", async () => {
    const now = Date.now();
    await fc.assert(
      fc.asyncProperty(batchArb(now), async (batch) => {
        await ingestHostile(f, batch);
        await f.cloud.ingest.idle();
        expect(await checkReaders(f, now)).toEqual([]);
        expect(await implausibleRows(f)).toBe(0);
      }),
      { numRuns: 40, seed: 17_2026 },
    );
    const r = f.cloud.ingest.counters.rejections;
    // The run reached the refusals it is about, not only the schema.
    expect(r.schema).toBeGreaterThan(0);
    expect(r["unknown-zone"] + r["too-old"] + r["in-future"]).toBeGreaterThan(0);
    expect(f.cloud.ingest.counters.eventsStored).toBeGreaterThan(0);
  });

  it("HTTP requests of any method, path, header and body: no 5xx, every error in the documented shape", async () => {
    const routes = fuzzableRoutes(f);
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(requestArb(routes.length), async (request) => {
        const { status, problem } = await sendHostile(f, routes, request);
        statuses.add(status);
        expect(problem).toBeNull();
      }),
      { numRuns: 250, seed: 17_2026 },
    );
    expect([...statuses].some((s) => s >= 400)).toBe(true);
    expect(await checkReaders(f, Date.now())).toEqual([]);
  });

  it("valid traffic afterwards is still acknowledged and decided", async () => {
    const issued = f.cloud.offers.counters.offersIssued;
    await f.cloud.ingest.handleBatch(
      gatewayTopic("s1", "g1", "events"),
      encodeMessage({ v: 1, outbox: "valid-outbox", fromSeq: 1, events: [presenceEvent(1, { id: "valid-after-fuzz", visitId: "visit-after-fuzz" })] }),
    );
    await f.cloud.offers.idle();
    expect(f.cloud.offers.counters.offersIssued).toBe(issued + 1);
    await until(() => acks.some((a) => a.outbox === "valid-outbox" && a.upToSeq === 1), 5000, "the ack of the valid batch");
  });

  it("the answer check itself fails on what it must catch", () => {
    expect(answerProblem(500, "application/json", '{"error":{"code":"INTERNAL","message":"x"}}')).toMatch(/status 500/);
    expect(answerProblem(414, "application/json", '{"error":"Bad Request","code":"FST_ERR_MAX_PARAM_LENGTH"}')).not.toBeNull();
    expect(answerProblem(400, "application/json", '{"error":{"code":"NOT_FOUND","message":"x"}}')).toMatch(/status 400/);
    expect(answerProblem(404, "application/json", '{"error":{"code":"NOT_FOUND","message":"no route"}}')).toBeNull();
  });
});
