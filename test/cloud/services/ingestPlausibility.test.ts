import { afterEach, describe, expect, it } from "vitest";
import { gatewayTopic, type PresenceEvent } from "../../../protocol/index.js";
import { until } from "../../support/until.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";

/**
 * Plausibility at ingest through the real cloud (SQLite, embedded broker, rules engine): events
 * that cannot be true are refused with a reason, acknowledged so the outbox moves on, and never
 * decide an offer; valid events in the same batch are stored and decided as usual.
 */

const START = "2026-06-01T10:00:00.000Z";
const DAY_MS = 86_400_000;
let f: CloudFixture | null = null;

afterEach(async () => {
  await f?.close();
  f = null;
});

async function fixture(extra: { ingest?: Record<string, unknown> } = {}) {
  const clock = new ManualClock(START);
  f = await createCloudFixture({ clock, ...extra });
  const acks: number[] = [];
  await f.cloud.broker.subscribe(gatewayTopic("s1", "g1", "ack"), async (m) => {
    acks.push((JSON.parse(m.payload.toString("utf8")) as { upToSeq: number }).upToSeq);
  });
  return { f, clock, acks };
}

const at = (clock: ManualClock, offsetMs: number) => new Date(clock.now() + offsetMs).toISOString();

async function ingestAndSettle(f: CloudFixture, events: PresenceEvent[]): Promise<void> {
  await f.ingest(events, events[0]?.seq ?? 1);
  await f.cloud.ingest.idle();
  await f.cloud.offers.idle();
}

describe("plausibility at ingest", () => {
  it("an event dated a year ahead is refused, acknowledged and issues no offer; a valid one still does", async () => {
    const { f, clock, acks } = await fixture();
    await ingestAndSettle(f, [presenceEvent(1, { at: at(clock, 365 * DAY_MS) })]);
    expect(f.cloud.ingest.counters.rejections["in-future"]).toBe(1);
    expect(f.cloud.ingest.counters.eventsStored).toBe(0);
    expect(f.cloud.offers.counters.offersIssued).toBe(0);
    expect(await f.cloud.repositories.events.countEvents()).toBe(0);

    await ingestAndSettle(f, [presenceEvent(2, { at: at(clock, 0) })]);
    expect(f.cloud.offers.counters.offersIssued).toBe(1);
    await until(() => acks.includes(2), 5000, "the ack of seq 2");
    // The refused seq 1 counted as done: the ack covers it, so the outbox is not blocked.
    expect(Math.max(...acks)).toBe(2);
  });

  it("refuses unknown zones, dates older than an outbox holds and the end of time, each by reason", async () => {
    const { f, clock, acks } = await fixture();
    await ingestAndSettle(f, [
      presenceEvent(1, { zoneId: "no-such-zone", at: at(clock, 0) }),
      presenceEvent(2, { at: "1971-01-01T00:00:00.000Z" }),
      presenceEvent(3, { at: "9999-12-31T23:59:59.000Z" }),
      presenceEvent(4, { at: at(clock, -10 * DAY_MS) }),
      presenceEvent(5, { at: at(clock, 0), subject: { kind: "ibeacon", id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:9:9" } }),
    ]);
    const r = f.cloud.ingest.counters.rejections;
    expect([r["unknown-zone"], r["too-old"], r["in-future"]]).toEqual([1, 2, 1]);
    expect(f.cloud.ingest.counters.eventsStored).toBe(1);
    await until(() => acks.includes(5), 5000, "the ack of seq 5");
    const metrics = await f.cloud.http.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${f.keys.admin}` } });
    expect(metrics.body).toMatch(/arrival_events_rejected_total\{reason="unknown-zone"\} 1/);
    expect(metrics.body).toMatch(/arrival_events_rejected_total\{reason="too-old"\} 2/);
  });

  it("a zone added after the store's zones were cached is accepted at once", async () => {
    const { f, clock } = await fixture();
    await ingestAndSettle(f, [presenceEvent(1, { at: at(clock, 0) })]);
    await f.cloud.repositories.directory.upsertZone({ id: "z2", storeId: "s1", name: "New", tags: [], geometry: {} });
    await ingestAndSettle(f, [presenceEvent(2, { zoneId: "z2", at: at(clock, 0) })]);
    expect(f.cloud.ingest.counters.rejections["unknown-zone"]).toBe(0);
    expect(f.cloud.ingest.counters.eventsStored).toBe(2);
  });

  it("a zone deleted through the API is refused from the next batch on", async () => {
    const { f, clock } = await fixture();
    const admin = { authorization: `Bearer ${f.keys.admin}` };
    const zone = { id: "pop-up", shape: "circle", center: { lat: 22.28, lon: 114.16 }, radiusM: 5 };
    const created = await f.cloud.http.inject({ method: "POST", url: "/v1/stores/s1/zones", headers: admin, payload: { zone } });
    expect(created.statusCode).toBe(201);
    await ingestAndSettle(f, [presenceEvent(1, { zoneId: "pop-up", at: at(clock, 0) })]);
    expect(f.cloud.ingest.counters.eventsStored).toBe(1);
    const deleted = await f.cloud.http.inject({ method: "DELETE", url: "/v1/stores/s1/zones/pop-up", headers: admin });
    expect(deleted.statusCode).toBe(200);
    await ingestAndSettle(f, [presenceEvent(2, { zoneId: "pop-up", at: at(clock, 0) })]);
    expect(f.cloud.ingest.counters.rejections["unknown-zone"]).toBe(1);
    expect(f.cloud.ingest.counters.eventsStored).toBe(1);
  });

  it("an event stored ahead of the clock (within the skew) but beyond the decision window decides nothing", async () => {
    // A skew of a day lets the event in; the decision window (offers.maxEventAgeS, 600 s) does not.
    const { f, clock } = await fixture({ ingest: { maxClockSkewS: 86_400 } });
    await ingestAndSettle(f, [presenceEvent(1, { at: at(clock, 3_600_000) })]);
    expect(f.cloud.ingest.counters.eventsStored).toBe(1);
    expect(f.cloud.offers.counters.eventsDecided).toBe(1);
    expect(f.cloud.offers.counters.offersIssued).toBe(0);
  });
});

