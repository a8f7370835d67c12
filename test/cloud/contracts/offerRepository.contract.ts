import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Offer } from "../../../cloud/src/domain/offers/index.js";
import type { DecisionCounters, NewPushOutboxItem, Repositories, StoredEvent } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, BEACON, type MakeBackend, presenceEvent, seedStore, store, user } from "./repositoryContract.js";
import { rule } from "./ruleRepository.contract.js";

const MINUTE_MS = 60_000;
const T0 = Date.parse("2026-11-22T09:00:00.000Z");

function offerFor(event: StoredEvent, n: number, overrides: Partial<Offer> = {}): Offer {
  return {
    offerId: `offer-${n}`,
    ruleId: "r1",
    ruleVersion: 1,
    userId: "u1",
    storeId: event.storeId,
    zoneId: event.zoneId,
    visitId: event.visitId,
    eventId: event.id,
    title: "10% off",
    text: "Today only",
    discount: { kind: "percent", percent: 10 },
    issuedAt: T0,
    expiresAt: T0 + 10 * MINUTE_MS,
    code: `CODE-${n}`,
    status: "issued",
    statusAt: T0,
    ...overrides,
  };
}

/**
 * Issues `offer` for `event` through the port's decision transaction, and returns what it resolved
 * to with the counters it was shown. The one place that knows how decisions are recorded: if the
 * decision port changes shape, only this changes.
 */
async function issue(
  repos: Repositories,
  event: StoredEvent,
  offer: Offer | null,
  now = T0,
): Promise<{ offer: Offer | null; counters: DecisionCounters }> {
  let seen: DecisionCounters | null = null;
  const ruleId = offer?.ruleId ?? "r1";
  const request = { event, userId: "u1", dayKey: "2026-11-22", ruleIds: [ruleId], now };
  const [result = null] = await repos.offers.decideGroup({ requests: [request], passed: [], published: [], now }, (_r, counters) => {
    seen = counters;
    return {
      decisions: [
        offer
          ? { ruleId, ruleVersion: 1, outcome: "issued", reason: "eligible", text: "eligible" }
          : { ruleId, ruleVersion: 1, outcome: "not-issued", reason: "cooldown", text: "cooling down" },
      ],
      offer,
    };
  });
  if (seen === null) throw new Error("decide did not read counters");
  return { offer: result, counters: seen };
}

/**
 * What every backend's OfferRepository (with the decision log and the offer sweeper's reads) does:
 * one offer per rule, user and visit, exact counters, forward-only acknowledgements and
 * exactly-once redemption with idempotent retries.
 */
export function describeOfferRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`OfferRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let repos: Repositories;
    let stored: readonly StoredEvent[];

    beforeEach(async () => {
      backend = await makeBackend();
      repos = backend.repos;
      await seedStore(repos);
      await repos.directory.upsertStore(store("s2", "o1"), 0);
      await repos.users.upsertUser(user("u1", "o1"), 0);
      await repos.users.registerDevice(BEACON, "u1", null, 0);
      await repos.rules.putRule("o1", rule("r1", { status: "live" }), 0);
      await repos.rules.putRule("o1", rule("r2", { status: "live" }), 0);
      const { inserted } = await repos.events.storeBatch({
        storeId: "s1",
        gatewayId: "g1",
        outbox: "outbox-a1",
        fromSeq: 1,
        refusedSeqs: [],
        receivedAt: T0,
        events: [
          presenceEvent(1),
          presenceEvent(2, { type: "dwell", dwellMs: 60_000 }),
          presenceEvent(3, { visitId: "visit-00000002", at: new Date(T0 + 30 * MINUTE_MS).toISOString() }),
        ],
      });
      stored = inserted;
    });
    afterEach(async () => {
      await backend.close();
    });

    const event = (i: number): StoredEvent => {
      const e = stored[i];
      if (!e) throw new Error(`no stored event ${i}`);
      return e;
    };

    describe("decisions", () => {
      it("stores the offer, records the decision and marks the event decided, in one go", async () => {
        const { offer, counters } = await issue(repos, event(0), offerFor(event(0), 1));
        expect(offer).toEqual(offerFor(event(0), 1));
        expect(counters).toMatchObject({ userIssuedTodayAllRules: 0, offersReceived: 0, visitEndedAt: null });
        expect(await repos.offers.getOffer("offer-1")).toEqual(offerFor(event(0), 1));
        expect(await repos.offers.getOffer("nope")).toBeNull();
        const [decision] = await repos.offers.decisionsForUser("u1", 10);
        expect(decision).toMatchObject({
          eventId: event(0).id,
          ruleId: "r1",
          ruleVersion: 1,
          userId: "u1",
          storeId: "s1",
          visitId: event(0).visitId,
          outcome: "issued",
          reason: "eligible",
          offerId: "offer-1",
          decidedAt: T0,
        });
        expect((await repos.offers.getEvent(event(0).id))?.decidedAt).toBe(T0);
        expect((await repos.events.undecidedEvents(10)).map((e) => e.id)).toEqual([event(1).id, event(2).id]);
      });

      it("shows the next decision exact counters of what was issued", async () => {
        await issue(repos, event(0), offerFor(event(0), 1));
        const { counters } = await issue(repos, event(1), null, T0 + MINUTE_MS);
        expect(counters.counters.r1).toEqual({
          issuedTotal: 1,
          userIssuedToday: 1,
          userIssuedTotal: 1,
          userLastIssuedAt: T0,
          alreadyIssuedThisVisit: true,
        });
        expect(counters).toMatchObject({ userIssuedTodayAllRules: 1, offersReceived: 1 });
        const next = await issue(repos, event(2), null, T0 + 31 * MINUTE_MS);
        expect(next.counters.counters.r1?.alreadyIssuedThisVisit).toBe(false);
        expect(next.counters.visitCount).toBe(2);
        expect(next.counters.previousVisitAt).toBe(T0);
      });

      it("never issues a rule twice to a user in one visit: the second is recorded as not issued", async () => {
        await issue(repos, event(0), offerFor(event(0), 1));
        const second = await issue(repos, event(1), offerFor(event(1), 2));
        expect(second.offer).toBeNull();
        expect(await repos.offers.getOffer("offer-2")).toBeNull();
        const decisions = await repos.offers.decisionsPage({ by: "event", id: event(1).id, limit: 10, after: null });
        expect(decisions.map((d) => [d.outcome, d.reason, d.offerId])).toEqual([["not-issued", "already-issued-this-visit", null]]);
      });

      it("keeps a budget exact and one offer per visit while decision groups run concurrently", async () => {
        // Eight visits, each event decided twice at once (two cloud processes took the same event),
        // against a budget of three: a backend shared by several processes must serialise on the
        // counters it stores, not on one process's queue.
        const { inserted } = await repos.events.storeBatch({
          storeId: "s1",
          gatewayId: "g1",
          outbox: "outbox-budget",
          fromSeq: 1,
          refusedSeqs: [],
          receivedAt: T0,
          events: Array.from({ length: 8 }, (_, i) =>
            presenceEvent(i + 1, { id: `event-budget-${i}`, visitId: `visit-budget-${i}` }),
          ),
        });
        const budget = 3;
        const decideUnderBudget = (e: StoredEvent, n: number) =>
          repos.offers.decideGroup(
            { requests: [{ event: e, userId: "u1", dayKey: "2026-11-22", ruleIds: ["r1"], now: T0 }], passed: [], published: [], now: T0 },
            (_r, counters) => {
              const c = counters.counters.r1;
              const ok = c !== undefined && c.issuedTotal < budget && !c.alreadyIssuedThisVisit;
              return {
                decisions: [
                  ok
                    ? { ruleId: "r1", ruleVersion: 1, outcome: "issued", reason: "eligible", text: "eligible" }
                    : { ruleId: "r1", ruleVersion: 1, outcome: "not-issued", reason: "budget-exhausted", text: "budget spent" },
                ],
                offer: ok ? offerFor(e, n) : null,
              };
            },
          );
        const results = await Promise.all(inserted.flatMap((e, i) => [decideUnderBudget(e, 100 + i), decideUnderBudget(e, 200 + i)]));
        const issued = results.flat().filter((o): o is Offer => o !== null);
        expect(issued).toHaveLength(budget);
        expect(new Set(issued.map((o) => o.visitId)).size).toBe(budget);
        const { counters } = await issue(repos, event(0), null);
        expect(counters.counters.r1).toMatchObject({ issuedTotal: budget, userIssuedTotal: budget, userIssuedToday: budget });
      });

      it("marks an event decided without a decision", async () => {
        await repos.offers.decideGroup({ requests: [], passed: [event(0)], published: [], now: T0 + 5 }, () => {
          throw new Error("nothing to decide");
        });
        expect((await repos.offers.getEvent(event(0).id))?.decidedAt).toBe(T0 + 5);
        expect(await repos.offers.getEvent("nope")).toBeNull();
        expect((await repos.offers.getEvent(event(1).id))?.orgId).toBe("o1");
        expect((await repos.offers.getEvent(event(1).id))?.decidedAt).toBeNull();
      });

      it("pages decisions newest first by user, rule or event", async () => {
        await issue(repos, event(0), offerFor(event(0), 1), T0);
        await issue(repos, event(1), null, T0 + 1);
        await issue(repos, event(2), offerFor(event(2), 3), T0 + 2);
        const all = await repos.offers.decisionsPage({ by: "user", id: "u1", limit: 10, after: null });
        expect(all.map((d) => d.eventId)).toEqual([event(2).id, event(1).id, event(0).id]);
        const first = await repos.offers.decisionsPage({ by: "rule", id: "r1", limit: 2, after: null });
        const last = first.at(-1);
        if (!last) throw new Error("no decisions");
        const rest = await repos.offers.decisionsPage({ by: "rule", id: "r1", limit: 2, after: { decidedAt: last.decidedAt, id: last.id } });
        expect([...first, ...rest].map((d) => d.eventId)).toEqual(all.map((d) => d.eventId));
        expect(await repos.offers.decisionsPage({ by: "rule", id: "r2", limit: 10, after: null })).toEqual([]);
      });
    });

    describe("push outbox rows in the decision's transaction", () => {
      /** The outbox row of `offer` for `installationId`, as a dispatcher builds it. */
      const pushRow = (offer: Offer, installationId: string, id = `push-${offer.offerId}-${installationId}`): NewPushOutboxItem => ({
        id,
        offerId: offer.offerId,
        userId: offer.userId,
        installationId,
        orgId: "o1",
        storeId: offer.storeId,
        title: offer.title,
        expiresAt: offer.expiresAt,
        nextAttemptAt: T0,
      });
      const issuing = (offer: Offer) => ({
        decisions: [{ ruleId: offer.ruleId, ruleVersion: 1, outcome: "issued" as const, reason: "eligible" as const, text: "eligible" }],
        offer,
      });
      const request = (e: StoredEvent) => ({ event: e, userId: "u1", dayKey: "2026-11-22", ruleIds: ["r1"], now: T0 });

      it("stores the rows of the offers it stores, and asks for none of an offer it did not store", async () => {
        // Two events of one visit, each issued an offer of r1 by `decide`: the second loses to the
        // one offer per rule, user and visit, and must leave no push rows behind.
        const asked: string[] = [];
        const offers = await repos.offers.decideGroup(
          {
            requests: [request(event(0)), request(event(1))],
            passed: [],
            published: [],
            now: T0,
            pushItems: (offer) => {
              asked.push(offer.offerId);
              return [pushRow(offer, "phone"), pushRow(offer, "tablet")];
            },
          },
          (r) => issuing(offerFor(r.event, r.event.id === event(0).id ? 1 : 2)),
        );
        expect(offers.map((o) => o?.offerId ?? null)).toEqual(["offer-1", null]);
        expect(asked).toEqual(["offer-1"]);
        const due = await repos.delivery.duePush(T0, 10);
        expect(due.map((i) => [i.id, i.offerId, i.installationId, i.status, i.attempts])).toEqual([
          ["push-offer-1-phone", "offer-1", "phone", "pending", 0],
          ["push-offer-1-tablet", "offer-1", "tablet", "pending", 0],
        ]);
        expect(due[0]).toMatchObject({ userId: "u1", orgId: "o1", storeId: "s1", title: "10% off", expiresAt: T0 + 10 * MINUTE_MS, createdAt: T0 });
      });

      it("stores no offer, decision or decided mark when its push rows are refused", async () => {
        // An outbox row of another offer already holds the id the group's row asks for.
        const other = offerFor(event(2), 9);
        expect(await repos.delivery.enqueuePush([pushRow(other, "phone", "taken")], T0)).toBe(1);
        const deciding = repos.offers.decideGroup(
          { requests: [request(event(0))], passed: [event(1)], published: [], now: T0, pushItems: (offer) => [pushRow(offer, "phone", "taken")] },
          () => issuing(offerFor(event(0), 1)),
        );
        await expect(deciding).rejects.toThrow();
        expect(await repos.offers.getOffer("offer-1")).toBeNull();
        expect(await repos.offers.decisionsForUser("u1", 10)).toEqual([]);
        expect((await repos.events.undecidedEvents(10)).map((e) => e.id)).toEqual([event(0).id, event(1).id, event(2).id]);
        expect((await repos.delivery.duePush(T0, 10)).map((i) => [i.id, i.offerId])).toEqual([["taken", "offer-9"]]);
        // Decided again (the decision stage retries a failed group), with rows the outbox takes.
        const [offer] = await repos.offers.decideGroup(
          { requests: [request(event(0))], passed: [], published: [], now: T0, pushItems: (o) => [pushRow(o, "phone")] },
          () => issuing(offerFor(event(0), 1)),
        );
        expect(offer?.offerId).toBe("offer-1");
        expect((await repos.delivery.duePush(T0, 10)).map((i) => i.id).sort()).toEqual(["push-offer-1-phone", "taken"]);
      });
    });

    describe("delivery", () => {
      beforeEach(async () => {
        await issue(repos, event(0), offerFor(event(0), 1));
        await issue(repos, event(2), offerFor(event(2), 2, { issuedAt: T0 + 1, expiresAt: T0 + 60 * MINUTE_MS }));
      });

      it("lists offers never published until they are, oldest first", async () => {
        expect((await repos.offers.unpublishedOffers(10)).map((o) => o.offerId)).toEqual(["offer-1", "offer-2"]);
        await repos.offers.markPublished("offer-1", T0 + 1);
        await repos.offers.markPublished("offer-1", T0 + 2);
        expect((await repos.offers.unpublishedOffers(10)).map((o) => o.offerId)).toEqual(["offer-2"]);
        expect((await repos.offers.undeliveredOffers(T0 + 2, T0 + 1, 10)).map((o) => o.offerId)).toEqual(["offer-2"]);
        expect(await repos.offers.undeliveredOffers(T0 + 2, T0, 10)).toEqual([]);
      });

      it("lists a user's open offers valid at a time", async () => {
        expect((await repos.offers.pendingOffers("u1", T0)).map((o) => o.offerId)).toEqual(["offer-1", "offer-2"]);
        expect((await repos.offers.pendingOffers("u1", T0 + 10 * MINUTE_MS)).map((o) => o.offerId)).toEqual(["offer-2"]);
        expect(await repos.offers.pendingOffers("u2", T0)).toEqual([]);
      });

      it("moves acknowledgements forward only, for the offer's own user, while it is valid", async () => {
        expect(await repos.offers.acknowledge("offer-1", "u2", "deliver", T0 + 1)).toBeNull();
        expect(await repos.offers.acknowledge("nope", "u1", "deliver", T0 + 1)).toBeNull();
        expect(await repos.offers.acknowledge("offer-1", "u1", "view", T0 + 2)).toMatchObject({ ok: true, offer: { status: "viewed", statusAt: T0 + 2 } });
        expect(await repos.offers.acknowledge("offer-1", "u1", "deliver", T0 + 3)).toMatchObject({ ok: true, offer: { status: "viewed", statusAt: T0 + 2 } });
        expect((await repos.offers.getOffer("offer-1"))?.status).toBe("viewed");
        expect(await repos.offers.acknowledge("offer-1", "u1", "deliver", T0 + 10 * MINUTE_MS)).toMatchObject({ ok: false, reason: "expired" });
      });
    });

    describe("redemption", () => {
      const redeem = (code: string, overrides: { storeId?: string; key?: string; apiKeyId?: string; now?: number } = {}) =>
        repos.offers.redeem({
          code,
          storeId: overrides.storeId ?? "s1",
          idempotencyKey: overrides.key ?? "key-1",
          apiKeyId: overrides.apiKeyId ?? "till-1",
          now: overrides.now ?? T0 + MINUTE_MS,
        });

      beforeEach(async () => {
        await issue(repos, event(0), offerFor(event(0), 1));
        await issue(repos, event(2), offerFor(event(2), 2));
      });

      it("redeems once; a retry with the same key gets the same answer, any other request is refused", async () => {
        const first = await redeem("CODE-1");
        expect(first).toMatchObject({ ok: true, replayed: false, offer: { offerId: "offer-1", status: "redeemed", statusAt: T0 + MINUTE_MS } });
        const retry = await redeem("CODE-1", { now: T0 + 2 * MINUTE_MS });
        expect(retry).toMatchObject({ ok: true, replayed: true, offer: { offerId: "offer-1", status: "redeemed" } });
        if (!first.ok || !retry.ok) throw new Error("expected redemptions");
        expect(retry.redemptionId).toBe(first.redemptionId);
        expect(await redeem("CODE-1", { key: "key-2" })).toMatchObject({ ok: false, reason: "already-redeemed" });
        expect(await redeem("CODE-1", { key: "key-1", apiKeyId: "till-2" })).toMatchObject({ ok: false, reason: "already-redeemed" });
        expect(await repos.offers.acknowledge("offer-1", "u1", "view", T0 + 3 * MINUTE_MS)).toMatchObject({ ok: false, reason: "already-redeemed" });
        expect((await repos.offers.pendingOffers("u1", T0 + 3 * MINUTE_MS)).map((o) => o.offerId)).toEqual(["offer-2"]);
      });

      it("refuses a key reused for another code, but keys are each till's own", async () => {
        expect(await redeem("CODE-1")).toMatchObject({ ok: true });
        expect(await redeem("CODE-2")).toMatchObject({ ok: false, reason: "key-reused" });
        expect(await redeem("CODE-2", { apiKeyId: "till-2" })).toMatchObject({ ok: true, replayed: false });
      });

      it("refuses an unknown code, another store, and an expired offer, redeeming nothing", async () => {
        expect(await redeem("NOPE")).toMatchObject({ ok: false, reason: "unknown-code" });
        expect(await redeem("CODE-1", { storeId: "s2" })).toMatchObject({ ok: false, reason: "wrong-store" });
        expect(await redeem("CODE-1", { key: "key-3", now: T0 + 10 * MINUTE_MS })).toMatchObject({ ok: false, reason: "expired" });
        expect((await repos.offers.getOffer("offer-1"))?.status).toBe("issued");
        // A refused request does not use its key up.
        expect(await redeem("CODE-1")).toMatchObject({ ok: true, replayed: false });
      });

      it("accepts exactly one of many concurrent redemptions of one code", async () => {
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => redeem("CODE-1", { key: `k-${i}`, apiKeyId: `till-${i % 3}` })));
        expect(answers.filter((a) => a.ok)).toHaveLength(1);
        expect(answers.filter((a) => !a.ok && a.reason === "already-redeemed")).toHaveLength(19);
      });
    });

    describe("sweeper", () => {
      beforeEach(async () => {
        await issue(repos, event(0), offerFor(event(0), 1, { expiresAt: T0 + 10 * MINUTE_MS }));
        await issue(repos, event(2), offerFor(event(2), 2, { expiresAt: T0 + 60 * MINUTE_MS }));
      });

      it("expires open offers at their time, oldest first, once; a redeemed one never", async () => {
        await repos.offers.redeem({ code: "CODE-2", storeId: "s1", idempotencyKey: "k", apiKeyId: "till", now: T0 });
        expect(await repos.offers.expireDue(T0 + 10 * MINUTE_MS - 1, 10)).toEqual([]);
        const expired = await repos.offers.expireDue(T0 + 60 * MINUTE_MS, 10);
        expect(expired.map((o) => [o.offerId, o.status])).toEqual([["offer-1", "expired"]]);
        expect(await repos.offers.expireDue(T0 + 60 * MINUTE_MS, 10)).toEqual([]);
        expect((await repos.offers.getOffer("offer-2"))?.status).toBe("redeemed");
      });

      it("finds reminders due for published offers of consenting users, and lets one sweep claim each", async () => {
        const lead = 15 * MINUTE_MS;
        const now = T0 + 50 * MINUTE_MS;
        expect(await repos.offers.remindersDue(now, lead, 10)).toEqual([]);
        await repos.offers.markPublished("offer-2", T0);
        expect((await repos.offers.remindersDue(now, lead, 10)).map((o) => o.offerId)).toEqual(["offer-2"]);
        // Valid for less than the lead: never reminded.
        expect(await repos.offers.remindersDue(now, 61 * MINUTE_MS, 10)).toEqual([]);
        expect(await repos.offers.claimReminder("offer-2", now)).toBe(true);
        expect(await repos.offers.claimReminder("offer-2", now + 1)).toBe(false);
        expect(await repos.offers.remindersDue(now, lead, 10)).toEqual([]);
        await repos.offers.releaseReminder("offer-2", now);
        expect(await repos.offers.claimReminder("offer-2", now + 2)).toBe(true);
        await repos.users.upsertUser(user("u1", "o1", { marketingConsent: false }), now);
        await repos.offers.releaseReminder("offer-2", now + 2);
        expect(await repos.offers.remindersDue(now, lead, 10)).toEqual([]);
      });
    });
  });
}
