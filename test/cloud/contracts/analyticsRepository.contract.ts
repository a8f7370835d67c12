import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Offer } from "../../../cloud/src/domain/offers/index.js";
import type { Decision } from "../../../cloud/src/domain/rules/index.js";
import type { FunnelQuery, Repositories, StoredEvent } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, BEACON, type MakeBackend, org, presenceEvent, seedStore, store, user } from "./repositoryContract.js";
import { rule } from "./ruleRepository.contract.js";

const MINUTE_MS = 60_000;
const T0 = Date.parse("2026-11-22T09:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** Records `decision` (and `offer`, if any) for `event` through the offer port's decision transaction. */
async function decide(repos: Repositories, event: StoredEvent, decision: Decision, offer: Offer | null, now: number): Promise<void> {
  const request = { event, userId: "u1", dayKey: "2026-11-22", ruleIds: [decision.ruleId], now };
  await repos.offers.decideGroup({ requests: [request], passed: [], published: [], now }, () => ({
    decisions: [decision],
    offer,
  }));
}

/**
 * What every backend's read models do: the funnel over visits, decisions and offers; holdout
 * cohorts; and the history a dry run replays.
 */
export function describeAnalyticsRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`AnalyticsRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let repos: Repositories;
    const period: FunnelQuery = { orgId: "o1", from: T0, to: T0 + 60 * MINUTE_MS, storeId: null };

    beforeEach(async () => {
      backend = await makeBackend();
      repos = backend.repos;
      await seedStore(repos);
      await repos.directory.upsertStore(store("s2", "o1"), 0);
      await repos.directory.upsertGateway({ id: "g2", storeId: "s2", name: "G2" }, 0);
      await repos.directory.upsertOrganisation(org("o2"), 0);
      await repos.directory.upsertStore(store("x1", "o2"), 0);
      await repos.users.upsertUser(user("u1", "o1", { segments: ["vip"], loyaltyTier: "gold" }), 0);
      await repos.users.registerDevice(BEACON, "u1", null, 0);
      await repos.rules.putRule("o1", rule("r1", { status: "live" }), 0);
      const s1 = await repos.events.storeBatch({
        storeId: "s1",
        gatewayId: "g1",
        outbox: "a",
        fromSeq: 1,
        refusedSeqs: [],
        receivedAt: T0,
        events: [
          presenceEvent(1, { at: iso(T0), visitId: "visit-a" }),
          presenceEvent(2, { at: iso(T0 + 5 * MINUTE_MS), visitId: "visit-nobody", subject: { kind: "ibeacon", id: "ibeacon:other" } }),
          presenceEvent(3, { at: iso(T0 + 10 * MINUTE_MS), visitId: "visit-b", zoneId: "z2" }),
          presenceEvent(4, { at: iso(T0 + 90 * MINUTE_MS), visitId: "visit-late" }),
        ],
      });
      const s2 = await repos.events.storeBatch({
        storeId: "s2",
        gatewayId: "g2",
        outbox: "a",
        fromSeq: 1,
        refusedSeqs: [],
        receivedAt: T0,
        events: [presenceEvent(1, { id: "s2-event-1", storeId: "s2", gatewayId: "g2", at: iso(T0 + 20 * MINUTE_MS), visitId: "visit-c" })],
      });
      const [a, , b] = s1.inserted;
      if (!a || !b || !s2.inserted[0]) throw new Error("events not stored");
      const offer: Offer = {
        offerId: "offer-1",
        ruleId: "r1",
        ruleVersion: 1,
        userId: "u1",
        storeId: "s1",
        zoneId: "z1",
        visitId: "visit-a",
        eventId: a.id,
        title: "10% off",
        text: "Today only",
        discount: { kind: "percent", percent: 10 },
        issuedAt: T0,
        expiresAt: T0 + 30 * MINUTE_MS,
        code: "CODE-1",
        status: "issued",
        statusAt: T0,
      };
      await decide(repos, a, { ruleId: "r1", ruleVersion: 1, outcome: "issued", reason: "eligible", text: "ok" }, offer, T0);
      await decide(repos, b, { ruleId: "r1", ruleVersion: 1, outcome: "held-out", reason: "held-out", text: "control" }, null, T0 + 10 * MINUTE_MS);
      await decide(
        repos,
        s2.inserted[0],
        { ruleId: "r1", ruleVersion: 1, outcome: "not-issued", reason: "segment-mismatch", text: "no" },
        null,
        T0 + 20 * MINUTE_MS,
      );
      await repos.offers.acknowledge("offer-1", "u1", "view", T0 + MINUTE_MS);
      await repos.offers.redeem({ code: "CODE-1", storeId: "s1", idempotencyKey: "k", apiKeyId: "till", now: T0 + 2 * MINUTE_MS });
    });
    afterEach(async () => {
      await backend.close();
    });

    it("counts the funnel per store and zone over app users' visits that started in the period", async () => {
      const zero = { eligible: 0, heldOut: 0, issued: 0, delivered: 0, viewed: 0, redeemed: 0 };
      expect(await repos.analytics.funnelByPlace(period, "store")).toEqual([
        { storeId: "s1", zoneId: null, visits: 2, eligible: 2, heldOut: 1, issued: 1, delivered: 1, viewed: 1, redeemed: 1 },
        { storeId: "s2", zoneId: null, visits: 1, ...zero },
      ]);
      expect((await repos.analytics.funnelByPlace(period, "zone")).map((r) => [r.storeId, r.zoneId, r.visits, r.issued])).toEqual([
        ["s1", "z1", 1, 1],
        ["s1", "z2", 1, 0],
        ["s2", "z1", 1, 0],
      ]);
      expect((await repos.analytics.funnelByPlace({ ...period, storeId: "s2" }, "store")).map((r) => r.storeId)).toEqual(["s2"]);
      expect(await repos.analytics.funnelByPlace({ ...period, orgId: "o2" }, "store")).toEqual([]);
    });

    it("counts the funnel per time bucket of visit start, and per rule", async () => {
      const buckets = await repos.analytics.funnelByBucket(period, 15 * MINUTE_MS);
      expect(buckets.map((b) => [b.storeId, b.bucketStart, b.visits, b.redeemed])).toEqual([
        ["s1", T0, 2, 1],
        ["s2", T0 + 15 * MINUTE_MS, 1, 0],
      ]);
      expect(await repos.analytics.funnelByRule(period)).toEqual([
        { ruleId: "r1", visits: 3, eligible: 2, heldOut: 1, issued: 1, delivered: 1, viewed: 1, redeemed: 1 },
      ]);
    });

    it("puts a user who was issued the offer even once in the issued group of the rule's holdout", async () => {
      expect(await repos.analytics.holdoutCohorts(period)).toEqual([
        { ruleId: "r1", userId: "u1", group: "issued", firstAt: T0, storeId: "s1", redeemed: true },
      ]);
      expect(await repos.analytics.lastVisits(period)).toEqual([{ userId: "u1", enteredAt: T0 + 20 * MINUTE_MS }]);
    });

    it("replays an organisation's events of one type with each user's visit history, in pages", async () => {
      const query = { orgId: "o1", from: T0, to: T0 + 120 * MINUTE_MS, type: "enter" as const, after: null, limit: 2 };
      const first = await repos.analytics.replayEvents(query);
      // visit-b (zone z2, ten minutes on) is the same store visit as visit-a, as the live path
      // counts and caps it.
      expect(first.map((e) => [e.visitId, e.visitCount, e.previousVisitAt])).toEqual([
        ["visit-a", 1, null],
        ["visit-a", 1, null],
      ]);
      expect(first[0]).toMatchObject({ userId: "u1", segments: ["vip"], loyaltyTier: "gold", marketingConsent: true, storeId: "s1", at: T0 });
      const last = first.at(-1);
      if (!last) throw new Error("no events");
      const next = await repos.analytics.replayEvents({ ...query, after: { at: last.at, id: last.id } });
      expect(next.map((e) => [e.visitId, e.storeId, e.visitCount, e.previousVisitAt])).toEqual([
        ["visit-c", "s2", 1, null],
        ["visit-late", "s1", 2, T0],
      ]);
      expect(await repos.analytics.replayEvents({ ...query, type: "exit" })).toEqual([]);
    });

    it("reads offers really issued, for a replay's caps", async () => {
      expect(await repos.analytics.issuedOffers("o1", T0, T0 + MINUTE_MS)).toEqual([{ userId: "u1", issuedAt: T0, dayKey: "2026-11-22" }]);
      expect(await repos.analytics.issuedOffers("o1", T0 + 1, T0 + MINUTE_MS)).toEqual([]);
      expect(await repos.analytics.offerCountsBefore("o1", T0 + 1)).toEqual([{ userId: "u1", n: 1 }]);
      expect(await repos.analytics.offerCountsBefore("o1", T0)).toEqual([]);
      expect(await repos.analytics.offerCountsBefore("o2", T0 + 1)).toEqual([]);
    });
  });
}
