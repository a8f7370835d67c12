import { afterEach, describe, expect, it } from "vitest";
import type { PresenceEvent } from "../../../protocol/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloudFixture.js";

/**
 * Rows stored before the wire bounds existed (a dwell of 2^53 ms made a visit that began 285 000
 * years ago; REAL 1e300 one that began before time) must not break the readers: the visit, event
 * and analytics endpoints answer 2xx and leave such rows out. The rows are written here the way
 * ingest wrote them then, straight through the repository, which checks no bounds.
 */

let f: CloudFixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

const PERIOD = `from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
const READERS = [
  "/v1/stores/s1/visit-counts",
  "/v1/stores/s1/visits",
  "/v1/stores/s1/events",
  `/v1/analytics/funnel?groupBy=day&${PERIOD}`,
  `/v1/analytics/funnel?groupBy=rule&${PERIOD}`,
  `/v1/analytics/funnel?groupBy=store&${PERIOD}`,
];

async function storeRaw(f: CloudFixture, events: PresenceEvent[]): Promise<void> {
  await f.cloud.repositories.events.storeBatch({
    storeId: "s1",
    gatewayId: "g1",
    outbox: "old-outbox",
    fromSeq: 1,
    events,
    refusedSeqs: [],
    receivedAt: Date.now(),
  });
}

async function answers(f: CloudFixture): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const url of READERS) {
    const res = await f.cloud.http.inject({ method: "GET", url, headers: { authorization: `Bearer ${f.keys.admin}` } });
    out[url] = res.statusCode;
  }
  return out;
}

const allOk = Object.fromEntries(READERS.map((u) => [u, 200]));

describe("readers over rows stored before the bounds", () => {
  it.each([
    ["a dwell of Number.MAX_SAFE_INTEGER", { type: "dwell", dwellMs: Number.MAX_SAFE_INTEGER }],
    ["a dwell of 1e300", { type: "exit", dwellMs: 1e300 }],
    ["an event at 9999-12-31", { at: "9999-12-31T23:59:59.000Z" }],
    ["an event in 1971", { at: "1971-01-01T00:00:00.000Z" }],
  ] as const)("%s: every reader answers 200", async (_name, overrides) => {
    f = await createCloudFixture();
    await storeRaw(f, [presenceEvent(1, { at: new Date().toISOString() }), presenceEvent(2, { ...overrides })]);
    expect(await answers(f)).toEqual(allOk);
    // The good visit is still there.
    const visits = await f.cloud.http.inject({
      method: "GET",
      url: "/v1/stores/s1/visits",
      headers: { authorization: `Bearer ${f.keys.admin}` },
    });
    expect(visits.json<{ visits: { id: string }[] }>().visits.map((v) => v.id)).toContain("visit-00000001");
  });
});
