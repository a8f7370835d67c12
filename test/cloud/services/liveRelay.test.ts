import { describe, expect, it } from "vitest";
import { LocalCoordination } from "../../../cloud/src/services/Coordination.js";
import { LiveFeed, type LiveEvent, type LiveOfferIssued } from "../../../cloud/src/services/LiveFeed.js";
import { LiveRelay } from "../../../cloud/src/services/LiveRelay.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { ManualClock } from "../manualClock.js";

const T0 = Date.parse("2026-03-03T10:00:00.000Z");
const STORES: Record<string, string> = { s1: "o1", s2: "o1" };
const ORG = { orgId: "o1", storeId: null };

/** Workers on one storage: what one broadcasts reaches the others, as JSON text, in order. */
class FakeBus {
  readonly sent: string[] = [];
  up = true;
  private readonly members: { id: string; listeners: Set<(payload: string) => void> }[] = [];

  coordination(id: string, maxBroadcastBytes = 7000) {
    const member = { id, listeners: new Set<(payload: string) => void>() };
    this.members.push(member);
    return {
      shared: true,
      maxBroadcastBytes,
      broadcast: async (payload: string): Promise<boolean> => {
        if (!this.up || Buffer.byteLength(payload) > maxBroadcastBytes) return false;
        this.sent.push(payload);
        for (const m of this.members) if (m !== member) for (const l of m.listeners) l(payload);
        return true;
      },
      onBroadcast: (listener: (payload: string) => void) => {
        member.listeners.add(listener);
        return () => member.listeners.delete(listener);
      },
    };
  }
}

function worker(bus: FakeBus, id: string, clock: ManualClock, scheduler: ManualScheduler, options: { maxBytes?: number; maxPending?: number } = {}) {
  const log = new RecordingLogger();
  const feed = new LiveFeed({ clock, log, orgOfStore: async (storeId) => STORES[storeId] ?? null });
  const relay = new LiveRelay({
    feed,
    coordination: bus.coordination(id, options.maxBytes),
    scheduler,
    log,
    flushMs: 200,
    ...(options.maxPending === undefined ? {} : { maxPending: options.maxPending }),
  });
  relay.start();
  return { feed, relay, log };
}

function setup(options: { maxBytes?: number; maxPending?: number } = {}) {
  const clock = new ManualClock(T0);
  const scheduler = new ManualScheduler(clock);
  const bus = new FakeBus();
  return { clock, scheduler, bus, a: worker(bus, "a", clock, scheduler, options), b: worker(bus, "b", clock, scheduler, options) };
}

let n = 0;
function ev(type: LiveEvent["type"], subjectId: string, over: Partial<LiveEvent> = {}): LiveEvent {
  n++;
  return {
    type,
    storeId: "s1",
    zoneId: "z1",
    subject: { id: subjectId },
    at: new Date(T0).toISOString(),
    visitId: `visit-${subjectId}-${n}`,
    userId: null,
    ...over,
  };
}

function offer(over: Partial<LiveOfferIssued> = {}): LiveOfferIssued {
  return { offerId: "offer-000001", ruleId: "r1", userId: "u1", storeId: "s1", zoneId: "z1", title: "10% off", issuedAt: T0, ...over };
}

/** Lets the feeds resolve their stores' organisations. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

const present = (feed: LiveFeed) =>
  feed.snapshot(ORG).stores.flatMap((s) => s.zones.flatMap((z) => z.present.map((p) => `${z.zoneId}:${p.subjectId}:${p.userId}`)));

describe("LiveRelay", () => {
  it("shows what one worker stored in the other worker's view, in one batch after the flush delay", async () => {
    const { a, b, bus, scheduler } = setup();
    a.relay.eventsStored([ev("enter", "ib-1", { userId: "u1" }), ev("enter", "ib-2", { zoneId: "z2" })]);
    a.relay.offerIssued(offer(), { analyticsConsent: true });
    await settle();
    // At once in its own view; the others get it with the next flush.
    expect(present(a.feed)).toEqual(["z1:ib-1:u1", "z2:ib-2:null"]);
    expect(bus.sent).toHaveLength(0);
    await scheduler.advance(200);
    await settle();
    expect(bus.sent).toHaveLength(1);
    expect(present(b.feed)).toEqual(["z1:ib-1:u1", "z2:ib-2:null"]);
    const view = b.feed.snapshot(ORG).stores[0];
    expect(view?.offers.map((o) => [o.offerId, o.userId, o.title])).toEqual([["offer-000001", "u1", "10% off"]]);
    expect(view?.issuedCount).toBe(1);
    expect(view?.arrivalsPerMinute.at(-1)?.count).toBe(2);
  });

  it("follows a shopper's stay across workers: enter at one, exit at the other", async () => {
    const { a, b, scheduler } = setup();
    a.relay.eventsStored([ev("enter", "ib-1", { visitId: "visit-x" })]);
    await scheduler.advance(200);
    b.relay.eventsStored([ev("exit", "ib-1", { visitId: "visit-x" })]);
    await scheduler.advance(200);
    await settle();
    expect(present(a.feed)).toEqual([]);
    expect(present(b.feed)).toEqual([]);
  });

  it("shares an unlinked event and an unconsenting shopper's offer without the user", async () => {
    const { a, b, bus, scheduler } = setup();
    a.relay.eventsStored([ev("enter", "ib-secret", { userId: "u-secret", unlinked: true, visitId: "visit-7" })]);
    a.relay.offerIssued(offer({ userId: "u-secret" }), { analyticsConsent: false });
    await scheduler.advance(200);
    await settle();
    expect(bus.sent.join("")).not.toContain("secret");
    const view = b.feed.snapshot(ORG).stores[0];
    expect(view?.zones[0]?.unlinked).toBe(1);
    expect(view?.zones[0]?.present).toEqual([]);
    expect(view?.offers.map((o) => o.userId)).toEqual([null]);
  });

  it("tells the others of an erasure at once, after what was pending, and they no longer name the user", async () => {
    const { a, b, bus } = setup();
    a.relay.eventsStored([ev("enter", "ib-1", { userId: "u1" })]);
    a.relay.offerIssued(offer(), { analyticsConsent: true });
    await settle();
    a.relay.forgetUser("u1");
    await settle();
    // No timer ran: the erasure went out at once, with the changes that came before it.
    expect(bus.sent).toHaveLength(1);
    const view = b.feed.snapshot(ORG).stores[0];
    expect(view?.zones[0]?.present).toEqual([]);
    // The offer reached the view while its store was looked up, after the erasure: listed unnamed.
    expect(view?.offers.map((o) => o.userId)).toEqual([null]);
    expect(view?.issuedCount).toBe(1);
  });

  it("tells the others of a consent withdrawal at once: the shopper counts but is no longer named", async () => {
    const { a, b, scheduler } = setup();
    a.relay.eventsStored([ev("enter", "ib-1", { userId: "u1" })]);
    await scheduler.advance(200);
    await settle();
    expect(present(b.feed)).toEqual(["z1:ib-1:u1"]);
    b.relay.unlinkUser("u1");
    await settle();
    expect(present(a.feed)).toEqual([]);
    expect(a.feed.snapshot(ORG).stores[0]?.zones[0]?.unlinked).toBe(1);
    // Later events of theirs reaching worker a from b's view are unnamed there too.
    a.relay.offerIssued(offer({ offerId: "offer-000002" }), { analyticsConsent: true });
    await settle();
    expect(a.feed.snapshot(ORG).stores[0]?.offers.map((o) => o.userId)).toEqual([null]);
  });

  it("marks a redemption made at another worker", async () => {
    const { a, b, scheduler } = setup();
    a.relay.offerIssued(offer(), { analyticsConsent: true });
    await scheduler.advance(200);
    b.relay.offerRedeemed({ offerId: "offer-000001", storeId: "s1" }, T0 + 5000);
    await scheduler.advance(200);
    await settle();
    const view = a.feed.snapshot(ORG).stores[0];
    expect(view?.offers[0]?.redeemedAt).toBe(T0 + 5000);
    expect(view?.redeemedCount).toBe(1);
  });

  it("splits a busy flush into payloads within the coordinator's limit, keeping the order", async () => {
    const { a, b, bus, scheduler } = setup({ maxBytes: 600 });
    const events = Array.from({ length: 40 }, (_, i) => ev("enter", `ib-${String(i).padStart(2, "0")}`, { zoneId: `z${i % 3}` }));
    a.relay.eventsStored(events);
    await scheduler.advance(200);
    await settle();
    expect(bus.sent.length).toBeGreaterThan(3);
    for (const payload of bus.sent) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(600);
    expect(bus.sent.flatMap((p) => (JSON.parse(p) as { i: string }[]).map((e) => e.i))).toEqual(events.map((e) => e.subject.id));
    expect(present(b.feed)).toHaveLength(40);
  });

  it("drops changes beyond its bound while the link is down, and says so once", async () => {
    const { a, b, bus, scheduler } = setup({ maxPending: 5 });
    bus.up = false;
    a.relay.eventsStored(Array.from({ length: 8 }, (_, i) => ev("enter", `ib-${i}`)));
    await scheduler.advance(200);
    a.relay.eventsStored([ev("enter", "ib-late")]);
    await scheduler.advance(200);
    expect(a.log.named("live view changes not shared with the other workers: too many pending")).toHaveLength(1);
    expect(a.log.named("live view changes not shared with the other workers: no coordination link")).toHaveLength(1);
    bus.up = true;
    a.relay.eventsStored([ev("enter", "ib-back")]);
    await scheduler.advance(200);
    await settle();
    expect(a.log.named("live view changes shared with the other workers again")).toHaveLength(1);
    expect(a.log.named("live view changes dropped while too many were pending")[0]?.obj).toMatchObject({ dropped: 3 });
    expect(present(b.feed)).toEqual(["z1:ib-back:null"]);
    // Its own view lost nothing.
    expect(present(a.feed)).toHaveLength(10);
  });

  it("skips a change it does not know and applies the rest", async () => {
    const { a, b, scheduler } = setup();
    a.relay.eventsStored([ev("enter", "ib-1")]);
    await scheduler.advance(200);
    await settle();
    expect(present(b.feed)).toEqual(["z1:ib-1:null"]);
    // As from a worker of a later version, sharing a kind this one does not know.
    const receive = (b.relay as unknown as { received(payload: string): void }).received.bind(b.relay);
    receive(JSON.stringify([{ k: "zz", x: 1 }, { k: "e", s: "s1", z: "z9", t: "enter", i: "ib-9", u: null, a: new Date(T0).toISOString(), v: "visit-9x" }]));
    receive("not json");
    await settle();
    expect(present(b.feed)).toEqual(["z1:ib-1:null", "z9:ib-9:null"]);
    expect(b.log.named("unknown live view change from another worker")).toHaveLength(1);
    expect(b.log.named("unreadable live view changes from another worker")).toHaveLength(1);
  });

  it("prepares nothing to share when no other worker shares the storage", async () => {
    const clock = new ManualClock(T0);
    const scheduler = new ManualScheduler(clock);
    const log = new RecordingLogger();
    const feed = new LiveFeed({ clock, log, orgOfStore: async (storeId) => STORES[storeId] ?? null });
    const relay = new LiveRelay({ feed, coordination: new LocalCoordination("w"), scheduler, log });
    relay.start();
    relay.eventsStored([ev("enter", "ib-1")]);
    relay.offerIssued(offer(), { analyticsConsent: true });
    await settle();
    expect(scheduler.pending).toBe(0);
    expect(present(feed)).toEqual(["z1:ib-1:null"]);
  });
});
