import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText, type ParsedExposition } from "../../support/prometheusText.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloudFixture.js";

/**
 * /metrics of one worker of several: its own figures labelled with its configured worker id, the
 * fleet's state (read from the database, the same on every worker) without it, and whether it leads.
 */
describe("worker metrics", () => {
  let f: CloudFixture;
  const scrape = async (): Promise<ParsedExposition> => {
    const res = await f.cloud.http.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${f.keys.admin}` },
    });
    expect(res.statusCode).toBe(200);
    return parsePrometheusText(res.body);
  };
  const labelsOf = (m: ParsedExposition, name: string) => m.samples.filter((s) => s.name === name).map((s) => s.labels);

  beforeAll(async () => {
    f = await createCloudFixture({ worker: { id: "w-1" } });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("labels this worker's own families with its id and leaves the fleet's state unlabelled", async () => {
    await f.ingestAs("s1", "g1", [presenceEvent(1)]);
    const m = await scrape();
    expect(f.cloud.workerId).toBe("w-1");
    expect(m.value("arrival_events_ingested_total", { worker: "w-1" })).toBe(1);
    expect(labelsOf(m, "arrival_ingest_events_queued")).toEqual([{ worker: "w-1" }]);
    // A single process with SQLite is its own leader.
    expect(m.value("arrival_worker_leader", { worker: "w-1" })).toBe(1);
    for (const name of ["arrival_gateways", "arrival_offers_undelivered", "arrival_gateway_outboxes_behind_gap"]) {
      expect(labelsOf(m, name).length).toBeGreaterThan(0);
      for (const labels of labelsOf(m, name)) expect(labels).not.toHaveProperty("worker");
    }
  });

  it("counts outboxes whose ack waits behind a missing batch, from the database", async () => {
    expect((await scrape()).value("arrival_gateway_outboxes_behind_gap")).toBe(0);
    // 7 arrives while 2-6 are missing (lost, or at another worker): stored above a gap.
    await f.ingestAs("s1", "g1", [presenceEvent(7)], 2);
    expect((await scrape()).value("arrival_gateway_outboxes_behind_gap")).toBe(1);
    await f.ingestAs("s1", "g1", [2, 3, 4, 5, 6].map((seq) => presenceEvent(seq)), 2);
    expect((await scrape()).value("arrival_gateway_outboxes_behind_gap")).toBe(0);
  });
});
