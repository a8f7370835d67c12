import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Offer } from "../../../cloud/src/domain/offers/index.js";
import type { Decision } from "../../../cloud/src/domain/rules/index.js";
import type { FunnelQuery, Repositories, StoredEvent, TrendBucket } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, BEACON, type MakeBackend, org, presenceEvent, seedStore, store, user } from "./repositoryContract.js";
import { BATCH_SPEC, couponFor } from "./couponRepository.contract.js";
import { rule } from "./ruleRepository.contract.js";

const MINUTE_MS = 60_000;
const T0 = Date.parse("2026-11-22T09:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** Records `decision` (and `offer`, if any) for `event` through the offer port's decision transaction. */
async function decide(repos: Repositories, event: StoredEvent, decision: Decision, offer: Offer | null, now: number, userId = "u1"): Promise<void> {
  const request = { event, userId, dayKey: "2026-11-22", ruleIds: [decision.ruleId], now };
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
        { ruleId: "r1", userId: "u1", group: "issued", firstAt: T0, storeId: "s1", redeemed: true, revenueMinor: 0 },
      ]);
      expect(await repos.analytics.lastVisits(period)).toEqual([{ userId: "u1", enteredAt: T0 + 20 * MINUTE_MS }]);
    });

    it("gives each cohort member's revenue from their first eligible decision: purchases net of refunds and redeemed baskets, once per order", async () => {
      // u2 is held out of r1 at s1, half an hour in.
      const u2Beacon = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:3";
      await repos.users.upsertUser(user("u2", "o1"), 0);
      await repos.users.registerDevice(u2Beacon, "u2", null, 0);
      const stored = await repos.events.storeBatch({
        storeId: "s1",
        gatewayId: "g1",
        outbox: "b",
        fromSeq: 1,
        refusedSeqs: [],
        receivedAt: T0,
        events: [presenceEvent(1, { id: "u2-event-1", at: iso(T0 + 30 * MINUTE_MS), visitId: "visit-u2", subject: { kind: "ibeacon", id: u2Beacon } })],
      });
      const [u2Event] = stored.inserted;
      if (!u2Event) throw new Error("event not stored");
      await decide(repos, u2Event, { ruleId: "r1", ruleVersion: 1, outcome: "held-out", reason: "held-out", text: "control" }, null, T0 + 30 * MINUTE_MS, "u2");
      const purchase = (userId: string, storeId: string | null, orderId: string, totalMinor: number, at: number) =>
        repos.membership.recordPurchase({
          orgId: "o1",
          orderKey: `${storeId ?? "online"}:${orderId}`,
          userId,
          storeId,
          channel: storeId === null ? "online" : "till",
          totalMinor,
          currency: "HKD",
          points: 0,
          at,
        });
      // u1 (issued from T0): before it, nothing counts; a till order of 120 with 20 refunded; an
      // online order of 10; one after the period.
      await purchase("u1", "s1", "o-0", 999, T0 - MINUTE_MS);
      await purchase("u1", "s1", "o-1", 12000, T0 + 5 * MINUTE_MS);
      await repos.membership.recordRefund({ orgId: "o1", orderKey: "s1:o-1", refundId: "r-1", amountMinor: 2000, points: 0, at: T0 + 9 * MINUTE_MS });
      await purchase("u1", null, "o-3", 1000, T0 + 8 * MINUTE_MS);
      await purchase("u1", "s1", "o-9", 7000, T0 + 70 * MINUTE_MS);
      // u1's coupons redeemed with baskets: o-1 again (reported as a purchase already: once), and
      // a basket of 150 at s2.
      const batch = { batchId: "b-rev", orgId: "o1", spec: { ...BATCH_SPEC, perMemberLimit: 2 }, createdAt: T0 };
      await repos.coupons.createBatch(batch);
      for (const [n, storeId, orderId, totalMinor] of [[1, "s1", "o-1", 12000], [2, "s2", "o-2", 15000]] as const) {
        const claimed = await repos.coupons.claim({ batchId: "b-rev", coupon: couponFor(batch, "u1", n), dayKey: "2026-11-22", presenceSince: null, delivered: true, reminderLeadMs: null });
        if (!claimed.ok) throw new Error(claimed.text);
        const basket = { orderId, currency: "HKD", totalMinor, lines: [{ sku: "sku-1", category: "bags", quantity: 1, unitPriceMinor: totalMinor }] };
        const redeemed = await repos.offers.redeem({
          code: claimed.coupon.code,
          storeId,
          idempotencyKey: `rev-${n}`,
          apiKeyId: "till",
          now: T0 + (5 + n) * MINUTE_MS,
          basket: { basket, channel: "till" },
        });
        expect(redeemed.ok).toBe(true);
      }
      // u2 (held out from T0 + 30 min): a purchase before that does not count, one after does.
      await purchase("u2", "s1", "u2-o-0", 500, T0 + 20 * MINUTE_MS);
      await purchase("u2", "s1", "u2-o-1", 2000, T0 + 40 * MINUTE_MS);

      const revenue = async (query: FunnelQuery) =>
        (await repos.analytics.holdoutCohorts(query)).map((c) => [c.userId, c.group, c.revenueMinor]).sort();
      expect(await revenue(period)).toEqual([
        ["u1", "issued", 10000 + 1000 + 15000],
        ["u2", "held-out", 2000],
      ]);
      // At s1 only: neither the online order nor the basket at s2.
      expect(await revenue({ ...period, storeId: "s1" })).toEqual([
        ["u1", "issued", 10000],
        ["u2", "held-out", 2000],
      ]);
    });

    it("counts the daily trends' visits, offers issued and redemptions with their baskets, leaving out shoppers without analytics consent", async () => {
      const B = 15 * MINUTE_MS;
      // u3 gave no analytics consent: the visit is stored unlinked and the offer it earned names it
      // by an opaque reference; neither counts, as neither does in the funnel.
      const u3Beacon = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:9";
      await repos.users.upsertUser(user("u3", "o1", { analyticsConsent: false }), 0);
      await repos.users.registerDevice(u3Beacon, "u3", null, 0);
      const u3 = await repos.events.storeBatch({
        storeId: "s1",
        gatewayId: "g1",
        outbox: "c",
        fromSeq: 1,
        refusedSeqs: [],
        receivedAt: T0,
        events: [presenceEvent(1, { id: "u3-event-1", at: iso(T0 + 3 * MINUTE_MS), visitId: "visit-u3", subject: { kind: "ibeacon", id: u3Beacon } })],
      });
      const [u3Event] = u3.inserted;
      if (!u3Event?.unlinked) throw new Error("u3's event not stored unlinked");
      const u3Offer: Offer = {
        offerId: "offer-u3",
        ruleId: "r1",
        ruleVersion: 1,
        userId: "u3",
        storeId: "s1",
        zoneId: "z1",
        visitId: "visit-u3",
        eventId: u3Event.id,
        title: "10% off",
        text: "Today only",
        discount: { kind: "percent", percent: 10 },
        issuedAt: T0 + 3 * MINUTE_MS,
        expiresAt: T0 + 30 * MINUTE_MS,
        code: "CODE-U3",
        status: "issued",
        statusAt: T0 + 3 * MINUTE_MS,
      };
      await decide(repos, u3Event, { ruleId: "r1", ruleVersion: 1, outcome: "issued", reason: "eligible", text: "ok" }, u3Offer, T0 + 3 * MINUTE_MS, "u3");
      await repos.offers.redeem({ code: "CODE-U3", storeId: "s1", idempotencyKey: "k-u3", apiKeyId: "till", now: T0 + 4 * MINUTE_MS });
      // u1 claims a coupon online (it counts at the batch's first store, in no zone) and redeems
      // it at s2 with a basket of 150.00.
      const batch = { batchId: "b-trend", orgId: "o1", spec: BATCH_SPEC, createdAt: T0 };
      await repos.coupons.createBatch(batch);
      const claimed = await repos.coupons.claim({ batchId: "b-trend", coupon: couponFor(batch, "u1", 1, T0 + 16 * MINUTE_MS), dayKey: "2026-11-22", presenceSince: null, delivered: true, reminderLeadMs: null });
      if (!claimed.ok) throw new Error(claimed.text);
      const basket = { orderId: "o-t", currency: "HKD", totalMinor: 15000, lines: [{ sku: "sku-1", category: "bags", quantity: 1, unitPriceMinor: 15000 }] };
      const redeemed = await repos.offers.redeem({ code: claimed.coupon.code, storeId: "s2", idempotencyKey: "k-t", apiKeyId: "till", now: T0 + 31 * MINUTE_MS, basket: { basket, channel: "till" } });
      expect(redeemed.ok).toBe(true);

      const order = (b: TrendBucket) => JSON.stringify([b.measure, b.storeId, b.zoneId, b.bucketStart]);
      const trends = async (query: FunnelQuery) => (await repos.analytics.trendBuckets(query, B)).sort((a, b) => (order(a) < order(b) ? -1 : 1));
      const rule = { channel: "rule", ruleId: "r1", batchId: null };
      const coupon = { channel: "online", ruleId: claimed.coupon.ruleId, batchId: "b-trend" };
      expect(await trends(period)).toEqual([
        { measure: "issued", storeId: "s1", zoneId: "z1", ...rule, bucketStart: T0, count: 1, revenueMinor: 0, baskets: 0 },
        { measure: "issued", storeId: "s1", zoneId: null, ...coupon, bucketStart: T0 + B, count: 1, revenueMinor: 0, baskets: 0 },
        { measure: "redeemed", storeId: "s1", zoneId: "z1", ...rule, bucketStart: T0, count: 1, revenueMinor: 0, baskets: 0 },
        { measure: "redeemed", storeId: "s2", zoneId: null, ...coupon, bucketStart: T0 + 2 * B, count: 1, revenueMinor: 15000, baskets: 1 },
        { measure: "visits", storeId: "s1", zoneId: "z1", bucketStart: T0, count: 1 },
        { measure: "visits", storeId: "s1", zoneId: "z2", bucketStart: T0, count: 1 },
        { measure: "visits", storeId: "s2", zoneId: "z1", bucketStart: T0 + B, count: 1 },
      ]);
      // One store: what happened there only (the coupon redeemed at s2 is s2's).
      expect((await trends({ ...period, storeId: "s2" })).map((b) => [b.measure, b.storeId, b.count])).toEqual([
        ["redeemed", "s2", 1],
        ["visits", "s2", 1],
      ]);
      expect(await trends({ ...period, orgId: "o2" })).toEqual([]);
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
