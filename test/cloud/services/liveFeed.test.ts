import { describe, expect, it } from "vitest";
import type { Offer } from "../../../cloud/src/domain/offers/index.js";
import { LiveFeed } from "../../../cloud/src/services/LiveFeed.js";
import type { StoredEvent } from "../../../cloud/src/services/repositories.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { ManualClock } from "../manualClock.js";

const T0 = Date.parse("2026-03-03T10:00:00.000Z");
const STORES: Record<string, string> = { s1: "o1", s2: "o1", x1: "o2" };

function setup() {
  const clock = new ManualClock(T0);
  const changes: string[] = [];
  const feed = new LiveFeed({
    clock,
    log: new RecordingLogger(),
    orgOfStore: async (storeId) => STORES[storeId] ?? null,
  });
  feed.subscribe((storeId) => changes.push(storeId));
  /** Feeds events and waits until the feed has applied them (it resolves the store's org first). */
  const feedEvents = async (events: StoredEvent[]) => {
    const before = changes.length;
    feed.eventsStored(events);
    const stores = new Set(events.filter((e) => STORES[e.storeId]).map((e) => e.storeId)).size;
    while (changes.length < before + stores) await new Promise((r) => setImmediate(r));
  };
  return { clock, feed, changes, feedEvents };
}

let n = 0;
function ev(type: StoredEvent["type"], subjectId: string, at: number, over: Partial<StoredEvent> = {}): StoredEvent {
  n++;
  return {
    id: `ev-${n}`,
    seq: n,
    type,
    storeId: "s1",
    zoneId: "z1",
    gatewayId: "g1",
    subject: { kind: "ibeacon", id: subjectId },
    at: new Date(at).toISOString(),
    visitId: `visit-${subjectId}`,
    userId: null,
    receivedAt: at,
    ...(type === "dwell" ? { dwellMs: 60_000 } : {}),
    ...over,
  } as StoredEvent;
}

function offer(over: Partial<Offer> = {}): Offer {
  return {
    offerId: "offer-000001",
    ruleId: "r1",
    ruleVersion: 1,
    userId: "u1",
    storeId: "s1",
    zoneId: "z1",
    visitId: "visit-a",
    eventId: "ev-1",
    title: "10% off",
    text: "",
    discount: { kind: "percent", percent: 10 },
    issuedAt: T0,
    expiresAt: T0 + 600_000,
    code: "AAAA-BBBB-CCCC-DDDD-EEEE",
    status: "issued",
    statusAt: T0,
    ...over,
  };
}

const everyone = { orgId: "o1", storeId: null };
const linked = { analyticsConsent: true };

describe("LiveFeed", () => {
  it("shows who is in which zone: enter adds, dwell keeps the enter time, exit removes", async () => {
    const { feed, feedEvents } = setup();
    await feedEvents([ev("enter", "a", T0), ev("enter", "b", T0 + 1000), ev("dwell", "a", T0 + 60_000)]);
    let zone = feed.snapshot(everyone).stores[0]?.zones[0];
    expect(zone?.zoneId).toBe("z1");
    expect(zone?.present.map((p) => [p.subjectId, p.since, p.lastSeenAt])).toEqual([
      ["a", T0, T0 + 60_000],
      ["b", T0 + 1000, T0 + 1000],
    ]);
    await feedEvents([ev("exit", "a", T0 + 90_000)]);
    zone = feed.snapshot(everyone).stores[0]?.zones[0];
    expect(zone?.present.map((p) => p.subjectId)).toEqual(["b"]);
  });

  it("counts arrivals per minute over the last 30 minutes and forgets ghosts after 30 minutes", async () => {
    const { feed, feedEvents, clock } = setup();
    await feedEvents([ev("enter", "a", T0 + 5_000), ev("enter", "b", T0 + 59_000), ev("enter", "c", T0 + 61_000)]);
    clock.set(T0 + 2 * 60_000);
    const arrivals = feed.snapshot(everyone).stores[0]?.arrivalsPerMinute ?? [];
    expect(arrivals).toHaveLength(30);
    await feedEvents([ev("enter", "d", T0 + 62_000, { zoneId: "z2" })]);
    expect(feed.snapshot(everyone).stores[0]?.zones.map((z) => [z.zoneId, z.arrivals])).toEqual([
      ["z1", 3],
      ["z2", 1],
    ]);
    expect(arrivals.slice(-3)).toEqual([
      { minute: T0, count: 2 },
      { minute: T0 + 60_000, count: 1 },
      { minute: T0 + 120_000, count: 0 },
    ]);
    clock.set(T0 + 61_000 + 30 * 60_000);
    expect(feed.snapshot(everyone).stores[0]?.zones[0]?.present).toEqual([]);
    expect(feed.snapshot(everyone).stores[0]?.zones[0]?.arrivals).toBe(0);
    expect(feed.snapshot(everyone).stores[0]?.arrivalsPerMinute.every((a) => a.count === 0)).toBe(true);
  });

  it("shows each audience only its stores: a store-bound key its own, another organisation none", async () => {
    const { feed, feedEvents } = setup();
    await feedEvents([ev("enter", "a", T0), ev("enter", "b", T0, { storeId: "s2" }), ev("enter", "c", T0, { storeId: "x1" })]);
    await feedEvents([ev("enter", "d", T0, { storeId: "nowhere" })]);
    expect(feed.snapshot(everyone).stores.map((s) => s.storeId)).toEqual(["s1", "s2"]);
    expect(feed.snapshot({ orgId: "o1", storeId: "s2" }).stores.map((s) => s.storeId)).toEqual(["s2"]);
    expect(feed.snapshot(everyone, "s2").stores.map((s) => s.storeId)).toEqual(["s2"]);
    expect(feed.snapshot({ orgId: "o2", storeId: null }).stores.map((s) => s.storeId)).toEqual(["x1"]);
    expect(feed.visible({ orgId: "o1", storeId: "s2" }, "s1")).toBe(false);
    expect(feed.visible(everyone, "nowhere")).toBe(false);
  });

  it("lists offers newest first and marks a redeemed one, with running counts", async () => {
    const { feed, changes } = setup();
    feed.offerIssued(offer(), linked);
    feed.offerIssued(offer({ offerId: "offer-000002", issuedAt: T0 + 1000 }), linked);
    while (changes.length < 2) await new Promise((r) => setImmediate(r));
    feed.offerRedeemed(offer(), T0 + 5000);
    while (changes.length < 3) await new Promise((r) => setImmediate(r));
    const store = feed.snapshot(everyone).stores[0];
    expect(store?.offers.map((o) => [o.offerId, o.redeemedAt])).toEqual([
      ["offer-000002", null],
      ["offer-000001", T0 + 5000],
    ]);
    expect([store?.issuedCount, store?.redeemedCount]).toEqual([2, 1]);
  });

  it("shows a shopper stored unlinked (no analytics consent) only in the head-count and arrivals", async () => {
    const { feed, feedEvents } = setup();
    const hidden = { userId: "u3", unlinked: true, visitId: "visit-u3" };
    await feedEvents([ev("enter", "a", T0, { userId: "u1" }), ev("enter", "secret-beacon", T0, hidden)]);
    await feedEvents([ev("dwell", "secret-beacon", T0 + 60_000, hidden)]);
    let zone = feed.snapshot(everyone).stores[0]?.zones[0];
    expect(zone?.present.map((p) => [p.subjectId, p.userId])).toEqual([["a", "u1"]]);
    expect([zone?.unlinked, zone?.arrivals]).toEqual([1, 2]);
    expect(JSON.stringify(feed.snapshot(everyone))).not.toMatch(/secret-beacon|u3/);
    await feedEvents([ev("exit", "secret-beacon", T0 + 120_000, hidden)]);
    zone = feed.snapshot(everyone).stores[0]?.zones[0];
    expect(zone?.unlinked).toBe(0);
  });

  it("forgets an erased user: their presences, by user or app subject, and the offers listed for them", async () => {
    const { feed, changes, feedEvents } = setup();
    await feedEvents([ev("enter", "a", T0, { userId: "u1" }), ev("enter", "app:u1", T0, { zoneId: "z2" }), ev("enter", "b", T0)]);
    feed.offerIssued(offer(), linked);
    feed.offerIssued(offer({ offerId: "offer-000002", userId: "u2" }), linked);
    while (changes.length < 3) await new Promise((r) => setImmediate(r));
    feed.forgetUser("u1");
    expect(changes.length).toBe(4);
    const store = feed.snapshot(everyone).stores[0];
    expect(store?.zones.flatMap((z) => z.present.map((p) => p.subjectId))).toEqual(["b"]);
    expect(store?.offers.map((o) => o.userId)).toEqual(["u2"]);
    expect(JSON.stringify(store)).not.toMatch(/u1/);
    // Counts name no one and stay.
    expect(store?.issuedCount).toBe(2);
  });

  it("lists an offer to a shopper without analytics consent without naming them, and still marks its redemption", async () => {
    const { feed, changes } = setup();
    feed.offerIssued(offer({ userId: "u3" }), { analyticsConsent: false });
    while (changes.length < 1) await new Promise((r) => setImmediate(r));
    feed.offerRedeemed(offer({ userId: "u3" }), T0 + 5000);
    while (changes.length < 2) await new Promise((r) => setImmediate(r));
    const store = feed.snapshot(everyone).stores[0];
    expect(store?.offers.map((o) => [o.offerId, o.userId, o.redeemedAt])).toEqual([["offer-000001", null, T0 + 5000]]);
    expect(JSON.stringify(store)).not.toMatch(/u3/);
    // Erasure still finds it, though the view does not name its user.
    feed.forgetUser("u3");
    expect(feed.snapshot(everyone).stores[0]?.offers).toEqual([]);
  });

  it("stops naming a user who withdraws analytics consent: presence to the head-count, offers without user", async () => {
    const { feed, changes, feedEvents } = setup();
    await feedEvents([ev("enter", "a", T0, { userId: "u1" }), ev("enter", "b", T0, { userId: "u2" })]);
    feed.offerIssued(offer(), linked);
    while (changes.length < 2) await new Promise((r) => setImmediate(r));
    feed.unlinkUser("u1");
    let zone = feed.snapshot(everyone).stores[0]?.zones[0];
    expect(zone?.present.map((p) => p.userId)).toEqual(["u2"]);
    expect(zone?.unlinked).toBe(1);
    expect(feed.snapshot(everyone).stores[0]?.offers.map((o) => o.userId)).toEqual([null]);
    expect(JSON.stringify(feed.snapshot(everyone))).not.toMatch(/u1|"a"/);
    // Their later events arrive unlinked (same visit): the exit ends the head-counted presence.
    await feedEvents([ev("exit", "a", T0 + 60_000, { userId: "u1", unlinked: true })]);
    zone = feed.snapshot(everyone).stores[0]?.zones[0];
    expect(zone?.unlinked).toBe(0);
  });

  it("does not name a user whose consent was withdrawn while their offer or event was on its way", async () => {
    const { feed, changes } = setup();
    // Both were read with consent (decision, storage); the feed still resolves the store's org
    // when the withdrawal runs, so unlinkUser finds nothing of them yet.
    feed.offerIssued(offer(), linked);
    feed.eventsStored([ev("enter", "a", T0, { userId: "u1" }), ev("enter", "app:u1", T0, { zoneId: "z2", userId: "u1" })]);
    feed.unlinkUser("u1");
    while (changes.length < 2) await new Promise((r) => setImmediate(r));
    const store = feed.snapshot(everyone).stores[0];
    expect(store?.offers.map((o) => o.userId)).toEqual([null]);
    expect(store?.zones.map((z) => [z.zoneId, z.present.length, z.unlinked])).toEqual([
      ["z1", 0, 1],
      ["z2", 0, 1],
    ]);
    expect(JSON.stringify(store)).not.toMatch(/u1|"a"/);
    // Given again: what they do from now on is named.
    feed.relinkUser("u1");
    feed.offerIssued(offer({ offerId: "offer-000002" }), linked);
    while (changes.length < 3) await new Promise((r) => setImmediate(r));
    expect(feed.snapshot(everyone).stores[0]?.offers.map((o) => o.userId)).toEqual(["u1", null]);
  });

  it("lists an offer of an erased user that was on its way without naming them", async () => {
    const { feed, changes } = setup();
    feed.offerIssued(offer(), linked);
    feed.forgetUser("u1");
    while (changes.length < 1) await new Promise((r) => setImmediate(r));
    expect(feed.snapshot(everyone).stores[0]?.offers.map((o) => o.userId)).toEqual([null]);
  });
});
