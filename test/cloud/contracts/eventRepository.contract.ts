import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PresenceEvent } from "../../../protocol/index.js";
import type { ActivityQuery, EventRepository, ActivityRepository } from "../../../cloud/src/services/repositories.js";
import {
  type BackendUnderTest,
  BEACON,
  type MakeBackend,
  org,
  presenceEvent as event,
  seedStore,
  store,
  user,
} from "./repositoryContract.js";

const batch = { storeId: "s1", gatewayId: "g1", outbox: "outbox-a1", refusedSeqs: [] as number[], receivedAt: 5 };

const page = (overrides: Partial<ActivityQuery> = {}): ActivityQuery => ({
  storeId: "s1",
  from: null,
  to: null,
  zoneId: null,
  subjectId: null,
  userId: null,
  limit: 50,
  after: null,
  ...overrides,
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute)).toISOString();

/**
 * What every backend's EventRepository (and the events and visits API's ActivityRepository) does:
 * each event stored once, the per-outbox ack of the contiguous prefix, subjects resolved to users
 * of the store's organisation only, consent-less presence kept unlinked, and the restart queue.
 */
export function describeEventRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`EventRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let events: EventRepository & ActivityRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      events = backend.repos.events;
      await seedStore(backend.repos);
    });
    afterEach(async () => {
      await backend.close();
    });

    describe("acks", () => {
      it("stores each event once and acknowledges the contiguous prefix", async () => {
        const first = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1), event(2)] });
        expect(first).toMatchObject({ ackSeq: 2, duplicates: 0 });
        expect(first.inserted.map((e) => e.id)).toEqual([event(1).id, event(2).id]);
        const again = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1), event(2)] });
        expect(again).toMatchObject({ ackSeq: 2, duplicates: 2, inserted: [] });
        expect(await events.countEvents()).toBe(2);
      });

      it("does not let a later batch acknowledge past a lost one; the lost one, once stored, acks both", async () => {
        // Batch 3-4 arrives while 1-2 was lost (or is being stored by another worker): stored, but
        // the ack stays at 0, and 3-4 waits above the gap.
        const later = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(3), event(4)] });
        expect(later.ackSeq).toBe(0);
        expect(later.inserted).toHaveLength(2);
        expect(await events.outboxProgress("g1")).toEqual([{ outbox: "outbox-a1", ackedSeq: 0, pending: [{ lo: 3, hi: 4 }] }]);
        // 1-2 fills the gap: the ack is computed from what is stored, so it covers 3-4 too.
        const lost = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1), event(2)] });
        expect(lost.ackSeq).toBe(4);
        expect(await events.outboxProgress("g1")).toEqual([{ outbox: "outbox-a1", ackedSeq: 4, pending: [] }]);
        // A re-send of 3-4 (its ack was the earlier 0) is duplicates, answered with the same ack.
        const resent = await events.storeBatch({ ...batch, fromSeq: 3, events: [event(3), event(4)] });
        expect(resent).toMatchObject({ ackSeq: 4, duplicates: 2 });
      });

      it("keeps every range above a gap and acks up to the next gap when it is filled", async () => {
        // Three later batches land before the first, out of order (several workers): 7-8, 3-4, 10.
        for (const seqs of [[7, 8], [3, 4], [10]]) {
          const result = await events.storeBatch({ ...batch, fromSeq: 1, events: seqs.map((n) => event(n)) });
          expect(result.ackSeq).toBe(0);
        }
        expect((await events.outboxProgress("g1"))[0]?.pending).toEqual([
          { lo: 3, hi: 4 },
          { lo: 7, hi: 8 },
          { lo: 10, hi: 10 },
        ]);
        expect(await events.countOutboxesBehindGap()).toBe(1);
        // 1-2 fills the first gap only: the ack stops where 5 is missing.
        expect((await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1), event(2)] })).ackSeq).toBe(4);
        // 5-6 joins 7-8; 9 is still missing.
        expect((await events.storeBatch({ ...batch, fromSeq: 5, events: [event(5), event(6)] })).ackSeq).toBe(8);
        // The gateway evicted 9 (fromSeq 10 says so): the ack takes in 10 as well.
        expect((await events.storeBatch({ ...batch, fromSeq: 10, events: [event(11)] })).ackSeq).toBe(11);
        expect(await events.outboxProgress("g1")).toEqual([{ outbox: "outbox-a1", ackedSeq: 11, pending: [] }]);
        expect(await events.countOutboxesBehindGap()).toBe(0);
      });

      it("ends with one ack covering both when two batches of an outbox are stored at once", async () => {
        // Two workers committing neighbouring batches concurrently must see each other's ranges.
        const results = await Promise.all([
          events.storeBatch({ ...batch, fromSeq: 1, events: [event(1), event(2)] }),
          events.storeBatch({ ...batch, fromSeq: 1, events: [event(3), event(4)] }),
        ]);
        expect(Math.max(...results.map((r) => r.ackSeq))).toBe(4);
        expect(await events.outboxProgress("g1")).toEqual([{ outbox: "outbox-a1", ackedSeq: 4, pending: [] }]);
        expect(await events.countEvents()).toBe(4);
      });

      it("acks every batch when many of one outbox, and groups over two outboxes in opposite orders, are stored at once", async () => {
        // Eight batches of two, stored concurrently, the last ones first.
        const pairs = Array.from({ length: 8 }, (_, i) => [2 * i + 1, 2 * i + 2]).reverse();
        await Promise.all(pairs.map((seqs) => events.storeBatch({ ...batch, fromSeq: 1, events: seqs.map((n) => event(n)) })));
        expect(await events.outboxProgress("g1")).toEqual([{ outbox: "outbox-a1", ackedSeq: 16, pending: [] }]);
        // Two groups, each writing outboxes b and c, in opposite orders.
        const b = (seqs: number[]) => ({ ...batch, outbox: "outbox-b", fromSeq: 1, events: seqs.map((n) => event(n, { id: `b-${n}` })) });
        const c = (seqs: number[]) => ({ ...batch, outbox: "outbox-c", fromSeq: 1, events: seqs.map((n) => event(n, { id: `c-${n}` })) });
        await Promise.all([events.storeBatches([b([1, 2]), c([3, 4])]), events.storeBatches([c([1, 2]), b([3, 4])])]);
        expect((await events.outboxProgress("g1")).map((p) => [p.outbox, p.ackedSeq, p.pending.length])).toEqual([
          ["outbox-a1", 16, 0],
          ["outbox-b", 4, 0],
          ["outbox-c", 4, 0],
        ]);
        expect(await events.countEvents()).toBe(24);
        expect(await events.countOutboxesBehindGap()).toBe(0);
      });

      it("moves the ack past sequences the gateway evicted (fromSeq) and past refused events", async () => {
        const result = await events.storeBatch({ ...batch, fromSeq: 10, events: [event(10), event(12)], refusedSeqs: [11] });
        expect(result.ackSeq).toBe(12);
        expect(await events.countEvents()).toBe(2);
      });

      it("acknowledges a batch of refused events only, storing none of them", async () => {
        const result = await events.storeBatch({ ...batch, fromSeq: 1, events: [], refusedSeqs: [1, 2, 3] });
        expect(result).toEqual({ ackSeq: 3, inserted: [], duplicates: 0 });
        expect(await events.countEvents()).toBe(0);
      });

      it("never moves the outbox's ack back", async () => {
        expect((await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1), event(2), event(3)] })).ackSeq).toBe(3);
        // An old batch delivered late is answered with the stored ack (the gateway clamps an ack to
        // what it has itself sent, and ignores one below what it already deleted)...
        expect((await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1)] })).ackSeq).toBe(3);
        // ...and 4-5, sent with a stale fromSeq, ack to 5.
        expect((await events.storeBatch({ ...batch, fromSeq: 1, events: [event(4), event(5)] })).ackSeq).toBe(5);
        expect(await events.outboxProgress("g1")).toEqual([{ outbox: "outbox-a1", ackedSeq: 5, pending: [] }]);
        expect(await events.outboxProgress("g-never-heard")).toEqual([]);
      });

      it("keeps acks per outbox: a replaced outbox numbering from 1 gets no ack for what it has not sent", async () => {
        const old = { ...batch, outbox: "outbox-old" };
        const oldEvents = Array.from({ length: 50 }, (_, i) => event(i + 1, { id: `old-event-${i + 1}-xx` }));
        expect((await events.storeBatch({ ...old, fromSeq: 1, events: oldEvents })).ackSeq).toBe(50);
        // The new SD card's first batch (1-20) is lost; its second (21-40) arrives with fromSeq 1.
        const fresh = { ...batch, outbox: "outbox-new", receivedAt: 6 };
        const second = Array.from({ length: 20 }, (_, i) => event(i + 21, { id: `new-event-${i + 21}-xx` }));
        expect((await events.storeBatch({ ...fresh, fromSeq: 1, events: second })).ackSeq).toBe(0);
        const first = Array.from({ length: 20 }, (_, i) => event(i + 1, { id: `new-event-${i + 1}-xx` }));
        // Filling the new outbox's gap acks what it has stored of its own (40), nothing of the old.
        expect((await events.storeBatch({ ...fresh, fromSeq: 1, events: first })).ackSeq).toBe(40);
        expect((await events.outboxProgress("g1")).map((p) => [p.outbox, p.ackedSeq])).toEqual([
          ["outbox-new", 40],
          ["outbox-old", 50],
        ]);
      });

      it("counts an id repeated inside one batch once", async () => {
        const result = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1), event(2, { id: event(1).id })] });
        expect(result.inserted.map((e) => e.seq)).toEqual([1]);
        expect(result.duplicates).toBe(1);
        expect(result.ackSeq).toBe(2);
      });

      it("refuses a batch from a gateway that is not registered in that store, storing nothing", async () => {
        await expect(events.storeBatch({ ...batch, gatewayId: "ghost", fromSeq: 1, events: [event(1)] })).rejects.toThrow(
          /not registered/,
        );
        await backend.repos.directory.upsertStore(store("s2", "o1"), 0);
        await expect(events.storeBatch({ ...batch, storeId: "s2", fromSeq: 1, events: [event(1)] })).rejects.toThrow();
        expect(await events.countEvents()).toBe(0);
      });

      it("stores several batches in one call as one by one, a later batch of an outbox seeing the earlier's ack", async () => {
        const results = await events.storeBatches([
          { ...batch, fromSeq: 1, events: [event(1), event(2)] },
          { ...batch, fromSeq: 3, events: [event(3)] },
          { ...batch, outbox: "outbox-b", fromSeq: 1, events: [event(1, { id: "b-1" })] },
          { ...batch, fromSeq: 1, events: [event(2)] },
        ]);
        expect(results.map((r) => [r.ackSeq, r.inserted.length, r.duplicates])).toEqual([
          [2, 2, 0],
          [3, 1, 0],
          [1, 1, 0],
          // A re-sent 2: a duplicate, answered with the outbox's stored ack.
          [3, 0, 1],
        ]);
        expect(await events.countEvents()).toBe(4);
      });

      it("settles gaps, ranges and duplicates inside one group as batch after batch would", async () => {
        // Stored earlier: 7-8 above a gap, so the group starts from a stored range.
        expect((await events.storeBatch({ ...batch, fromSeq: 1, events: [event(7), event(8)] })).ackSeq).toBe(0);
        await backend.repos.directory.upsertGateway({ id: "g2", storeId: "s1", name: "Gateway 2" }, 0);
        const results = await events.storeBatches([
          // 3-4 overtakes the lost 1-2: stored above the gap.
          { ...batch, fromSeq: 1, events: [event(3), event(4)], receivedAt: 10 },
          // Another gateway's batch, carrying (forged or buggy) an id the first batch stored.
          { ...batch, gatewayId: "g2", outbox: "outbox-g2", fromSeq: 1, events: [event(1, { id: event(3).id, gatewayId: "g2" })], receivedAt: 11 },
          // 1-2 fills the gap: acks through the ranges 3-4 (this group) and 7-8 (stored) up to 5, 6 missing.
          { ...batch, fromSeq: 1, events: [event(1), event(2)], receivedAt: 12 },
          // 5-6 arrives with a re-send of 4 and closes the last gap.
          { ...batch, fromSeq: 4, events: [event(4), event(5), event(6)], receivedAt: 13 },
        ]);
        expect(results.map((r) => [r.ackSeq, r.inserted.map((e) => e.seq), r.duplicates])).toEqual([
          [0, [3, 4], 0],
          [1, [], 1],
          [4, [1, 2], 0],
          [8, [5, 6], 1],
        ]);
        // Each event keeps the receipt time of the batch that brought it.
        expect(results.flatMap((r) => r.inserted.map((e) => e.receivedAt))).toEqual([10, 10, 12, 12, 13, 13]);
        expect(await events.outboxProgress("g1")).toEqual([{ outbox: "outbox-a1", ackedSeq: 8, pending: [] }]);
        expect(await events.outboxProgress("g2")).toEqual([{ outbox: "outbox-g2", ackedSeq: 1, pending: [] }]);
        expect(await events.countOutboxesBehindGap()).toBe(0);
        expect(await events.countEvents()).toBe(8);
      });

      it("keeps a range open when a group ends above a gap", async () => {
        const results = await events.storeBatches([
          { ...batch, fromSeq: 1, events: [event(1)] },
          { ...batch, fromSeq: 1, events: [event(3)] },
          { ...batch, outbox: "outbox-b", fromSeq: 1, events: [event(2, { id: "b-2" })] },
        ]);
        expect(results.map((r) => r.ackSeq)).toEqual([1, 1, 0]);
        expect(await events.outboxProgress("g1")).toEqual([
          { outbox: "outbox-a1", ackedSeq: 1, pending: [{ lo: 3, hi: 3 }] },
          { outbox: "outbox-b", ackedSeq: 0, pending: [{ lo: 2, hi: 2 }] },
        ]);
        expect(await events.countOutboxesBehindGap()).toBe(2);
      });

      it("stores nothing of a group when one of its batches is refused", async () => {
        await expect(
          events.storeBatches([
            { ...batch, fromSeq: 1, events: [event(1)] },
            { ...batch, gatewayId: "ghost", fromSeq: 1, events: [event(2)] },
          ]),
        ).rejects.toThrow();
        expect(await events.countEvents()).toBe(0);
        expect((await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1)] })).ackSeq).toBe(1);
      });
    });

    describe("subjects", () => {
      beforeEach(async () => {
        await backend.repos.users.upsertUser(user("u1", "o1"), 0);
        await backend.repos.users.upsertUser(user("u2", "o1", { analyticsConsent: false }), 0);
      });

      it("resolves the subject to the app user who registered the device; the event waits for the rules", async () => {
        await backend.repos.users.registerDevice(BEACON, "u1", null, 0);
        const { inserted } = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1)] });
        expect(inserted[0]).toMatchObject({ id: event(1).id, userId: "u1", receivedAt: 5 });
        expect(inserted[0]?.unlinked).toBeUndefined();
        expect((await events.undecidedEvents(10)).map((e) => [e.id, e.userId])).toEqual([[event(1).id, "u1"]]);
      });

      it("stores an event of nobody's subject already decided", async () => {
        const { inserted } = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1)] });
        expect(inserted[0]?.userId).toBeNull();
        expect(await events.undecidedEvents(10)).toEqual([]);
        expect(await events.countEvents()).toBe(1);
      });

      it("resolves a phone reporting as itself (app:<userId>), but not a user of another organisation", async () => {
        await backend.repos.directory.upsertOrganisation(org("o2"), 0);
        await backend.repos.users.upsertUser(user("x1", "o2"), 0);
        const { inserted } = await events.storeBatch({
          ...batch,
          fromSeq: 1,
          events: [event(1, { subject: { kind: "app", id: "app:u1" } }), event(2, { subject: { kind: "app", id: "app:x1" } })],
        });
        expect(inserted.map((e) => e.userId)).toEqual(["u1", null]);
      });

      it("resolves a beacon only through the registry of the store's organisation", async () => {
        await backend.repos.directory.upsertOrganisation(org("o2"), 0);
        await backend.repos.users.upsertUser(user("x1", "o2"), 0);
        await backend.repos.users.registerDevice(BEACON, "x1", null, 0);
        const { inserted } = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1)] });
        expect(inserted[0]?.userId).toBeNull();
      });

      it("keeps a user without analytics consent unlinked: decided for them now, listed under no one", async () => {
        await backend.repos.users.registerDevice(BEACON, "u2", null, 0);
        const { inserted } = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1)] });
        expect(inserted[0]).toMatchObject({ userId: "u2", unlinked: true });
        // After a restart the rules engine still gets the user of the pending event.
        expect(await events.undecidedEvents(10)).toEqual([expect.objectContaining({ id: event(1).id, userId: "u2", unlinked: true })]);
        const listed = await events.eventsPage({ ...page(), type: null });
        expect(listed.map((e) => [e.id, e.userId, e.subject.id])).toEqual([[event(1).id, null, "unlinked"]]);
        expect(await events.eventsPage({ ...page({ userId: "u2" }), type: null })).toEqual([]);
        expect((await events.visitsPage(page())).map((v) => [v.userId, v.subjectId])).toEqual([[null, "unlinked"]]);
      });

      it("lists the restart queue oldest first, up to the limit", async () => {
        await backend.repos.users.registerDevice(BEACON, "u1", null, 0);
        await events.storeBatch({ ...batch, fromSeq: 2, events: [event(2)], receivedAt: 9 });
        await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1)], receivedAt: 7 });
        await events.storeBatch({ ...batch, fromSeq: 3, events: [event(3)], receivedAt: 9 });
        expect((await events.undecidedEvents(10)).map((e) => e.seq)).toEqual([1, 2, 3]);
        expect((await events.undecidedEvents(2)).map((e) => e.seq)).toEqual([1, 2]);
      });
    });

    describe("store visits", () => {
      beforeEach(async () => {
        await backend.repos.users.upsertUser(user("u1", "o1"), 0);
        await backend.repos.users.upsertUser(user("u2", "o1", { analyticsConsent: false }), 0);
        await backend.repos.users.registerDevice(BEACON, "u1", null, 0);
        await backend.repos.directory.upsertGateway({ id: "g2", storeId: "s1", name: "Gateway 2" }, 0);
      });

      it("joins every source of one arrival into one store visit, named after the zone visit that opened it", async () => {
        const g1 = await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1, { at: at(0) }), event(2, { type: "exit", at: at(3), dwellMs: 180_000 })] });
        const g2 = await events.storeBatch({
          ...batch,
          gatewayId: "g2",
          outbox: "outbox-b1",
          fromSeq: 1,
          events: [event(1, { id: "g2-enter", gatewayId: "g2", at: at(1), visitId: "visit-g2-1" })],
        });
        // Back at the shelf 29 minutes after last seen: the same visit; 30 minutes later: a new one.
        const back = await events.storeBatch({ ...batch, fromSeq: 3, events: [event(3, { at: at(32), visitId: "visit-back" })] });
        const next = await events.storeBatch({ ...batch, fromSeq: 4, events: [event(4, { at: at(62), visitId: "visit-next" })] });
        expect([...g1.inserted, ...g2.inserted, ...back.inserted, ...next.inserted].map((e) => e.storeVisitId)).toEqual([
          "visit-00000001",
          "visit-00000001",
          "visit-00000001",
          "visit-00000001",
          "visit-next",
        ]);
        // After a restart the rules engine gets each event's store visit back.
        expect((await events.undecidedEvents(10)).map((e) => e.storeVisitId)).toEqual([
          "visit-00000001",
          "visit-00000001",
          "visit-00000001",
          "visit-00000001",
          "visit-next",
        ]);
      });

      it("joins the store visits of batches stored in one group as it does batch after batch", async () => {
        const [g1, g2, back, next] = await events.storeBatches([
          { ...batch, fromSeq: 1, events: [event(1, { at: at(0) }), event(2, { type: "exit", at: at(3), dwellMs: 180_000 })] },
          {
            ...batch,
            gatewayId: "g2",
            outbox: "outbox-b1",
            fromSeq: 1,
            events: [event(1, { id: "g2-enter", gatewayId: "g2", at: at(1), visitId: "visit-g2-1" })],
          },
          { ...batch, fromSeq: 3, events: [event(3, { at: at(32), visitId: "visit-back" })] },
          { ...batch, fromSeq: 4, events: [event(4, { at: at(62), visitId: "visit-next" })] },
        ]);
        expect([g1, g2, back, next].flatMap((r) => r?.inserted.map((e) => e.storeVisitId) ?? [])).toEqual([
          "visit-00000001",
          "visit-00000001",
          "visit-00000001",
          "visit-00000001",
          "visit-next",
        ]);
        expect((await events.undecidedEvents(10)).map((e) => e.storeVisitId)).toEqual([
          "visit-00000001",
          "visit-00000001",
          "visit-00000001",
          "visit-00000001",
          "visit-next",
        ]);
      });

      it("folds a visit whose events come in several batches of one group as batch after batch", async () => {
        // Stored earlier: the visit's entry at minute 2.
        await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1, { at: at(2) })] });
        await events.storeBatches([
          // A dwell reported late, from before the stored entry (entered at minute 1).
          { ...batch, fromSeq: 2, events: [event(2, { type: "dwell", at: at(4), dwellMs: 180_000 })] },
          { ...batch, fromSeq: 3, events: [event(3, { type: "exit", at: at(6), dwellMs: 240_000 })] },
          // A shorter dwell after the exit: neither the dwell, the exit nor the last event move back.
          { ...batch, fromSeq: 4, events: [event(4, { type: "dwell", at: at(5), dwellMs: 60_000 })] },
          { ...batch, fromSeq: 5, events: [event(5, { at: at(9), visitId: "visit-other" }), event(6, { type: "dwell", at: at(8), dwellMs: 30_000, visitId: "visit-other" })] },
        ]);
        const visits = await events.visitsPage(page());
        expect(visits.map((v) => [v.id, v.enteredAt, v.lastEventAt, v.exitedAt, v.dwellMs])).toEqual([
          ["visit-other", Date.parse(at(8)) - 30_000, Date.parse(at(9)), null, 30_000],
          ["visit-00000001", Date.parse(at(1)), Date.parse(at(6)), Date.parse(at(6)), 240_000],
        ]);
      });

      it("keeps an unlinked event's store visit for the restart queue only", async () => {
        await backend.repos.users.registerDevice("ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:9", "u2", null, 0);
        const subject = { kind: "ibeacon" as const, id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:9" };
        await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1, { subject, visitId: "visit-u2-a" })] });
        const { inserted } = await events.storeBatch({
          ...batch,
          fromSeq: 2,
          events: [event(2, { subject, at: at(1), visitId: "visit-u2-b" })],
        });
        expect(inserted[0]).toMatchObject({ userId: "u2", unlinked: true, storeVisitId: "visit-u2-a" });
        expect((await events.undecidedEvents(10)).map((e) => e.storeVisitId)).toEqual(["visit-u2-a", "visit-u2-a"]);
      });

      it("gives nobody's event no store visit", async () => {
        const { inserted } = await events.storeBatch({
          ...batch,
          fromSeq: 1,
          events: [event(1, { subject: { kind: "ibeacon", id: "ibeacon:nobody" } })],
        });
        expect(inserted[0]?.storeVisitId).toBeUndefined();
      });
    });

    describe("visits and history", () => {
      const visitEvents: PresenceEvent[] = [
        event(1, { at: at(0) }),
        event(2, { type: "dwell", at: at(5), dwellMs: 300_000 }),
        event(3, { type: "exit", at: at(7), dwellMs: 420_000 }),
        event(4, { at: at(10), visitId: "visit-00000002", zoneId: "z2" }),
        event(5, { at: at(20), visitId: "visit-00000003", subject: { kind: "ibeacon", id: "ibeacon:other" } }),
      ];

      beforeEach(async () => {
        await backend.repos.users.upsertUser(user("u1", "o1"), 0);
        await backend.repos.users.registerDevice(BEACON, "u1", null, 0);
        await events.storeBatch({ ...batch, fromSeq: 1, events: visitEvents });
      });

      it("folds a visit's events into one visit, whatever order they come in", async () => {
        await events.storeBatch({ ...batch, fromSeq: 1, events: [event(6, { id: "late-enter", at: at(0) })] });
        const [first] = await events.visitsPage(page({ zoneId: "z1", subjectId: BEACON }));
        expect(first).toEqual({
          id: "visit-00000001",
          storeId: "s1",
          zoneId: "z1",
          subjectId: BEACON,
          userId: "u1",
          enteredAt: Date.parse(at(0)),
          lastEventAt: Date.parse(at(7)),
          exitedAt: Date.parse(at(7)),
          dwellMs: 420_000,
        });
      });

      it("pages events newest first by (time, id), with filters", async () => {
        const all = await events.eventsPage({ ...page(), type: null });
        expect(all.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
        const firstPage = await events.eventsPage({ ...page({ limit: 2 }), type: null });
        expect(firstPage.map((e) => e.seq)).toEqual([5, 4]);
        const last = firstPage.at(-1);
        const next = await events.eventsPage({
          ...page({ limit: 2, after: { at: Date.parse(last?.at ?? ""), id: last?.id ?? "" } }),
          type: null,
        });
        expect(next.map((e) => e.seq)).toEqual([3, 2]);
        expect((await events.eventsPage({ ...page(), type: "exit" })).map((e) => e.seq)).toEqual([3]);
        expect((await events.eventsPage({ ...page({ zoneId: "z2" }), type: null })).map((e) => e.seq)).toEqual([4]);
        expect((await events.eventsPage({ ...page({ userId: "u1" }), type: null })).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
        expect(
          (await events.eventsPage({ ...page({ from: Date.parse(at(5)), to: Date.parse(at(10)) }), type: null })).map((e) => e.seq),
        ).toEqual([3, 2]);
        expect(await events.eventsPage({ ...page({ storeId: "s9" }), type: null })).toEqual([]);
      });

      it("pages visits newest first by start", async () => {
        expect((await events.visitsPage(page())).map((v) => v.id)).toEqual(["visit-00000003", "visit-00000002", "visit-00000001"]);
        expect((await events.visitsPage(page({ subjectId: "ibeacon:other" }))).map((v) => v.userId)).toEqual([null]);
        const next = await events.visitsPage(page({ after: { at: Date.parse(at(10)), id: "visit-00000002" } }));
        expect(next.map((v) => v.id)).toEqual(["visit-00000001"]);
      });
    });
  });
}
