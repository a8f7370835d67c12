import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText, type ParsedExposition } from "../../support/prometheusText.js";
import { type CloudFixture, createCloudFixture, presenceEvent, SUBJECT_U2 } from "../cloudFixture.js";

/**
 * The latency histograms and queue gauges over a real cloud (SQLite in a temp dir, embedded broker,
 * fastify): events ingested and offers issued through the real flow move their counts.
 */
describe("pipeline metrics", () => {
  let f: CloudFixture;
  const scrape = async (): Promise<ParsedExposition> => {
    const res = await f.cloud.http.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${f.keys.admin}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    return parsePrometheusText(res.body);
  };
  const count = (m: ParsedExposition, name: string, labels: Record<string, string> = {}): number =>
    m.value(`${name}_count`, labels) ?? 0;

  beforeAll(async () => {
    f = await createCloudFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it("types the new families: histograms in seconds, queue depths as gauges", async () => {
    const m = await scrape();
    for (const name of [
      "arrival_ingest_commit_duration_seconds",
      "arrival_decision_duration_seconds",
      "arrival_event_to_offer_seconds",
    ])
      expect(m.types.get(name)).toBe("histogram");
    for (const name of ["arrival_ingest_events_queued", "arrival_decisions_queued", "arrival_offers_undelivered"])
      expect(m.types.get(name)).toBe("gauge");
    // Buckets from half a millisecond (the targets are 5 ms p50, 20 ms p99) to seconds.
    const les = m.samples
      .filter((s) => s.name === "arrival_event_to_offer_seconds_bucket")
      .map((s) => s.labels.le);
    expect(les).toEqual(["0.0005", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"]);
  });

  it("observes each commit, each decision by outcome and each event's way to its published offer", async () => {
    const before = await scrape();
    // u1 gets r1's offer; u2 (no marketing consent) is decided against the same rule and gets none.
    await f.ingest([presenceEvent(1)], 1);
    await f.ingest([presenceEvent(2, { subject: { kind: "ibeacon", id: SUBJECT_U2 } })], 2);
    await f.cloud.offers.idle();
    const after = await scrape();

    expect((after.value("arrival_offers_issued_total") ?? 0) - (before.value("arrival_offers_issued_total") ?? 0)).toBe(1);
    expect(count(after, "arrival_ingest_commit_duration_seconds") - count(before, "arrival_ingest_commit_duration_seconds")).toBe(2);
    expect(
      count(after, "arrival_decision_duration_seconds", { outcome: "offer" }) -
        count(before, "arrival_decision_duration_seconds", { outcome: "offer" }),
    ).toBe(1);
    expect(
      count(after, "arrival_decision_duration_seconds", { outcome: "none" }) -
        count(before, "arrival_decision_duration_seconds", { outcome: "none" }),
    ).toBe(1);
    expect(count(after, "arrival_event_to_offer_seconds") - count(before, "arrival_event_to_offer_seconds")).toBe(1);
    expect(after.value("arrival_event_to_offer_seconds_sum")).toBeGreaterThanOrEqual(0);
    // Buckets are cumulative: +Inf holds every observation.
    expect(after.value("arrival_event_to_offer_seconds_bucket", { le: "+Inf" })).toBe(
      count(after, "arrival_event_to_offer_seconds"),
    );
    // Drained: nothing waits for a commit or a decision, and the offer went out.
    expect(after.value("arrival_ingest_events_queued")).toBe(0);
    expect(after.value("arrival_decisions_queued")).toBe(0);
    expect(after.value("arrival_offers_undelivered")).toBe(0);
  });

  it("counts offers stored but not handed to the broker", async () => {
    // As after a crash between the commit and the publish.
    await f.cloud.repositories.db.run("UPDATE offers SET published_at = NULL");
    expect((await scrape()).value("arrival_offers_undelivered")).toBe(1);
  });
});
