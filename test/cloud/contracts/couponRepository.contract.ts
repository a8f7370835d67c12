import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Basket,
  type BatchSpec,
  type Coupon,
  type CouponBatch,
  type CouponGift,
  type GiftState,
  issueCoupon,
} from "../../../cloud/src/domain/coupons/index.js";
import type { ClaimResult, Repositories } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, BEACON, type MakeBackend, presenceEvent, seedStore, store, user } from "./repositoryContract.js";

const MINUTE_MS = 60_000;
const T0 = Date.parse("2026-11-22T09:00:00.000Z");

export const BATCH_SPEC: BatchSpec = {
  title: "HKD 20 off HKD 100",
  text: "This week",
  discount: { kind: "amount", amountMinor: 2000, currency: "HKD", minSpendMinor: 10000 },
  validity: { kind: "from-claim", hours: 24 },
  timezone: "UTC",
  storeIds: ["s1", "s2"],
  channels: ["online", "segment", "till", "points"],
  giftable: true,
  maxGiftPasses: 1,
  pointsPrice: 100,
};

const batchOf = (batchId: string, spec: Partial<BatchSpec> = {}): CouponBatch => ({
  batchId,
  orgId: "o1",
  spec: { ...BATCH_SPEC, ...spec },
  createdAt: T0,
});

let codeSeq = 0;
/** The coupon a claim of `batch` by `userId` would store, with a code unique within the run. */
export function couponFor(batch: CouponBatch, userId: string, n: number, now = T0): Coupon {
  codeSeq += 1;
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setUint32(0, codeSeq);
  new DataView(bytes.buffer).setUint32(4, n);
  const issued = issueCoupon({ batch, couponId: `coupon-${batch.batchId}-${userId}-${n}`, userId, storeId: null, channel: "online", channelTag: "poster", codeBytes: bytes, now });
  if (!issued.ok) throw new Error(issued.text);
  return issued.coupon;
}

const basket = (totalMinor: number, orderId = "order-1"): Basket => ({
  orderId,
  currency: "HKD",
  totalMinor,
  lines: [{ sku: "sku-1", category: "lipstick", quantity: 1, unitPriceMinor: totalMinor }],
});

const hash = (token: string) => createHash("sha256").update(token).digest("base64url");

/**
 * What every backend's CouponRepository does (with the coupon side of OfferRepository's redeem and
 * void): exact stock, daily stock and per-member limits under concurrent claims, presence-required
 * claims, wallets of every channel, basket redemption exactly once, voids by the redeeming store
 * within the window, and gifts that move a coupon with a new code, racing redemption safely.
 */
export function describeCouponRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`CouponRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let repos: Repositories;

    beforeEach(async () => {
      backend = await makeBackend();
      repos = backend.repos;
      await seedStore(repos);
      await repos.directory.upsertStore(store("s2", "o1"), 0);
      await repos.directory.upsertStore(store("s3", "o1"), 0);
      for (const id of ["u1", "u2", "u3"]) await repos.users.upsertUser(user(id, "o1"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    const claim = (batch: CouponBatch, userId: string, n: number, extra: { dayKey?: string; presenceSince?: number | null; now?: number } = {}) =>
      repos.coupons.claim({
        batchId: batch.batchId,
        coupon: couponFor(batch, userId, n, extra.now ?? T0),
        dayKey: extra.dayKey ?? "2026-11-22",
        presenceSince: extra.presenceSince ?? null,
        delivered: true,
        reminderLeadMs: null,
      });
    const claimed = async (batch: CouponBatch, userId: string, n = 1): Promise<Coupon> => {
      const result = await claim(batch, userId, n);
      if (!result.ok) throw new Error(result.text);
      return result.coupon;
    };
    const redeem = (code: string, key: string, extra: { storeId?: string; basket?: Basket | null; now?: number; apiKeyId?: string } = {}) =>
      repos.offers.redeem({
        code,
        storeId: extra.storeId ?? "s1",
        idempotencyKey: key,
        apiKeyId: extra.apiKeyId ?? "key-pos",
        now: extra.now ?? T0 + MINUTE_MS,
        basket: extra.basket === null ? null : { basket: extra.basket ?? basket(12000), channel: "till" },
      });

    describe("batches", () => {
      it("stores a batch once per id and lists an organisation's", async () => {
        expect(await repos.coupons.createBatch(batchOf("b1"))).toBe(true);
        expect(await repos.coupons.createBatch(batchOf("b1", { title: "again" }))).toBe(false);
        expect(await repos.coupons.getBatch("b1")).toEqual(batchOf("b1"));
        expect(await repos.coupons.getBatch("nope")).toBeNull();
        await repos.coupons.createBatch({ ...batchOf("b2"), createdAt: T0 + 1 });
        expect((await repos.coupons.listBatches("o1", 10)).map((b) => b.batchId)).toEqual(["b2", "b1"]);
        expect(await repos.coupons.listBatches("o2", 10)).toEqual([]);
      });
    });

    describe("claims", () => {
      it("stores the claimed coupon in the member's wallet, with its channel", async () => {
        const batch = batchOf("b1");
        await repos.coupons.createBatch(batch);
        const coupon = await claimed(batch, "u1");
        expect(await repos.coupons.getCoupon(coupon.offerId)).toEqual(coupon);
        expect(await repos.coupons.wallet("u1", 10)).toEqual([coupon]);
        expect(coupon).toMatchObject({ batchId: "b1", channel: "online", channelTag: "poster", storeIds: ["s1", "s2"] });
        expect(await repos.coupons.batchCounters("b1", "2026-11-22")).toEqual({ claimed: 1, claimedOnDay: 0 });
      });

      it("leaves a coupon to be pushed unpublished, so the offer delivery sends it", async () => {
        const batch = batchOf("b1", { perMemberLimit: 2 });
        await repos.coupons.createBatch(batch);
        const pushed = couponFor(batch, "u1", 1);
        await repos.coupons.claim({ batchId: "b1", coupon: pushed, dayKey: "2026-11-22", presenceSince: null, delivered: false, reminderLeadMs: null });
        await claimed(batch, "u1", 2);
        expect((await repos.offers.undeliveredOffers(T0 + 1, T0, 10)).map((o) => o.offerId)).toEqual([pushed.offerId]);
      });

      it("lets exactly the stock left succeed out of 200 concurrent claims", async () => {
        const batch = batchOf("flash", { totalStock: 50 });
        await repos.coupons.createBatch(batch);
        const users = Array.from({ length: 200 }, (_, i) => `m${i}`);
        for (const id of users) await repos.users.upsertUser(user(id, "o1"), 0);
        const results = await Promise.all(users.map((id, i) => claim(batch, id, i)));
        expect(results.filter((r) => r.ok)).toHaveLength(50);
        const refused = results.filter((r): r is Extract<ClaimResult, { ok: false }> => !r.ok);
        expect(refused).toHaveLength(150);
        expect(new Set(refused.map((r) => r.reason))).toEqual(new Set(["out-of-stock"]));
        expect((await repos.coupons.batchCounters("flash", "2026-11-22")).claimed).toBe(50);
      });

      it("keeps the per-member limit exact under concurrency, and a refusal takes no stock", async () => {
        const batch = batchOf("b1", { perMemberLimit: 3, totalStock: 10 });
        await repos.coupons.createBatch(batch);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(batch, "u1", i)));
        expect(results.filter((r) => r.ok)).toHaveLength(3);
        expect(results.find((r) => !r.ok)).toMatchObject({ reason: "member-limit" });
        expect((await repos.coupons.batchCounters("b1", "2026-11-22")).claimed).toBe(3);
        expect(await repos.coupons.wallet("u1", 10)).toHaveLength(3);
      });

      it("counts the daily stock per local day: a new day has its own", async () => {
        const batch = batchOf("b1", { dailyStock: 2, perMemberLimit: 10 });
        await repos.coupons.createBatch(batch);
        expect((await claim(batch, "u1", 1)).ok).toBe(true);
        expect((await claim(batch, "u1", 2)).ok).toBe(true);
        expect(await claim(batch, "u1", 3)).toMatchObject({ ok: false, reason: "daily-out-of-stock" });
        expect((await claim(batch, "u1", 4, { dayKey: "2026-11-23" })).ok).toBe(true);
        expect(await repos.coupons.batchCounters("b1", "2026-11-22")).toEqual({ claimed: 3, claimedOnDay: 2 });
      });

      it("refuses a claim of an unknown batch, or by a member of another organisation", async () => {
        const ghost = batchOf("ghost");
        expect(await claim(ghost, "u1", 1)).toMatchObject({ ok: false, reason: "no-batch" });
        const batch = batchOf("b1");
        await repos.coupons.createBatch(batch);
        await repos.directory.upsertOrganisation({ id: "o2", name: "Other", maxOffersPerUserPerDay: 3 }, 0);
        await repos.users.upsertUser(user("x1", "o2"), 0);
        expect(await claim(batch, "x1", 1)).toMatchObject({ ok: false, reason: "no-user" });
        expect(await claim(batch, "nobody", 1)).toMatchObject({ ok: false, reason: "no-user" });
        expect((await repos.coupons.batchCounters("b1", "2026-11-22")).claimed).toBe(0);
      });

      it("requires presence in one of the batch's stores for a near-field claim", async () => {
        const batch = batchOf("b1", { perMemberLimit: 5 });
        await repos.coupons.createBatch(batch);
        await repos.users.registerDevice(BEACON, "u1", null, 0);
        expect(await claim(batch, "u1", 1, { presenceSince: T0 - 10 * MINUTE_MS })).toMatchObject({ ok: false, reason: "presence-required" });
        await repos.events.storeBatch({
          storeId: "s1",
          gatewayId: "g1",
          outbox: "outbox-a1",
          fromSeq: 1,
          refusedSeqs: [],
          receivedAt: T0,
          events: [presenceEvent(1, { at: new Date(T0 - 5 * MINUTE_MS).toISOString() })],
        });
        expect((await claim(batch, "u1", 2, { presenceSince: T0 - 10 * MINUTE_MS })).ok).toBe(true);
        expect(await claim(batch, "u1", 3, { presenceSince: T0 - 2 * MINUTE_MS })).toMatchObject({ ok: false, reason: "presence-required" });
        expect((await repos.coupons.batchCounters("b1", "2026-11-22")).claimed).toBe(1);
      });
    });

    describe("points exchange", () => {
      const earn = (userId: string, points: number, key: string) =>
        repos.ledger.append("o1", userId, { kind: "earn", points, source: "till-purchase", expiresAt: null, reference: null, reason: null }, key, T0 - MINUTE_MS);
      const exchange = (batch: CouponBatch, userId: string, n: number, key: string, points = 100) => {
        const coupon = { ...couponFor(batch, userId, n), channel: "points" as const, channelTag: null };
        return repos.coupons.exchangeForPoints({
          orgId: "o1",
          claim: { batchId: batch.batchId, coupon, dayKey: "2026-11-22", presenceSince: null, delivered: true, reminderLeadMs: null },
          points,
          idempotencyKey: key,
          now: T0,
        });
      };

      it("spends the price and stores the coupon in one go; the same key answers the same coupon", async () => {
        const batch = batchOf("b1");
        await repos.coupons.createBatch(batch);
        await earn("u1", 250, "earn-1");
        const first = await exchange(batch, "u1", 1, "exchange:k1");
        if (!first.ok) throw new Error(first.text);
        expect(first).toMatchObject({ replayed: false, balance: 150, entry: { kind: "spend", source: "points-exchange", points: -100, reference: first.coupon.offerId } });
        expect(await repos.coupons.getCoupon(first.coupon.offerId)).toMatchObject({ channel: "points", userId: "u1", batchId: "b1" });
        const again = await exchange(batch, "u1", 2, "exchange:k1");
        expect(again).toMatchObject({ ok: true, replayed: true, balance: 150, coupon: { offerId: first.coupon.offerId } });
        expect(await repos.coupons.exchangedCoupon("o1", "exchange:k1")).toMatchObject({ coupon: { offerId: first.coupon.offerId }, entry: { points: -100 } });
        expect(await repos.coupons.exchangedCoupon("o1", "exchange:other")).toBeNull();
        expect((await repos.ledger.balance("o1", "u1", T0)).balance).toBe(150);
        expect(await repos.ledger.entrySum("o1", "u1")).toBe(150);
        expect(await repos.coupons.wallet("u1", 10)).toHaveLength(1);
        expect((await repos.coupons.batchCounters("b1", "2026-11-22")).claimed).toBe(1);
      });

      it("spends once when the same key races itself", async () => {
        const batch = batchOf("b1", { perMemberLimit: 5 });
        await repos.coupons.createBatch(batch);
        await earn("u1", 500, "earn-1");
        const results = await Promise.all([exchange(batch, "u1", 1, "exchange:same"), exchange(batch, "u1", 2, "exchange:same")]);
        const coupons = results.map((r) => (r.ok ? r.coupon.offerId : r.reason));
        expect(coupons[0]).toBe(coupons[1]);
        expect(results.map((r) => r.ok && r.replayed).sort()).toEqual([false, true]);
        expect((await repos.ledger.balance("o1", "u1", T0)).balance).toBe(400);
        expect(await repos.coupons.wallet("u1", 10)).toHaveLength(1);
      });

      it("refuses a key used for another ledger entry", async () => {
        const batch = batchOf("b1");
        await repos.coupons.createBatch(batch);
        await earn("u1", 250, "exchange:k1");
        expect(await exchange(batch, "u1", 1, "exchange:k1")).toMatchObject({ ok: false, reason: "key-reused" });
        expect(await repos.coupons.wallet("u1", 10)).toEqual([]);
      });

      it("writes nothing when the points, the stock or the member's limit fall short", async () => {
        const batch = batchOf("b1", { totalStock: 1 });
        await repos.coupons.createBatch(batch);
        await earn("u1", 99, "earn-1");
        expect(await exchange(batch, "u1", 1, "exchange:short")).toMatchObject({ ok: false, reason: "insufficient-points", balance: 99 });
        expect((await repos.coupons.batchCounters("b1", "2026-11-22")).claimed).toBe(0);
        await earn("u2", 500, "earn-2");
        expect(await exchange(batch, "u2", 1, "exchange:u2-1")).toMatchObject({ ok: true });
        // Stock out: u2's second try (and u1, once rich enough) spend nothing.
        await earn("u1", 1, "earn-3");
        expect(await exchange(batch, "u1", 2, "exchange:late")).toMatchObject({ ok: false, reason: "out-of-stock" });
        expect((await repos.ledger.balance("o1", "u1", T0)).balance).toBe(100);
        const limited = batchOf("b2", { perMemberLimit: 1 });
        await repos.coupons.createBatch(limited);
        expect(await exchange(limited, "u2", 1, "exchange:u2-2")).toMatchObject({ ok: true });
        expect(await exchange(limited, "u2", 2, "exchange:u2-3")).toMatchObject({ ok: false, reason: "member-limit" });
        expect((await repos.ledger.balance("o1", "u2", T0)).balance).toBe(300);
        expect((await repos.ledger.history("o1", "u1", { limit: 10 })).map((e) => e.kind)).toEqual(["earn", "earn"]);
        expect(await repos.ledger.entrySum("o1", "u2")).toBe(300);
      });

      it("lets exactly one of two exchanges racing for the last points win", async () => {
        const batch = batchOf("b1", { perMemberLimit: 5 });
        await repos.coupons.createBatch(batch);
        await earn("u1", 100, "earn-1");
        const results = await Promise.all([exchange(batch, "u1", 1, "exchange:a"), exchange(batch, "u1", 2, "exchange:b")]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.find((r) => !r.ok)).toMatchObject({ reason: "insufficient-points", balance: 0 });
        expect(await repos.coupons.wallet("u1", 10)).toHaveLength(1);
        expect((await repos.ledger.balance("o1", "u1", T0)).balance).toBe(0);
        expect(await repos.ledger.entrySum("o1", "u1")).toBe(0);
      });

      it("lets exactly one of two exchanges racing for the last coupon win, and the loser keeps its points", async () => {
        const batch = batchOf("b1", { totalStock: 1 });
        await repos.coupons.createBatch(batch);
        await earn("u1", 100, "earn-1");
        await earn("u2", 100, "earn-2");
        const results = await Promise.all([exchange(batch, "u1", 1, "exchange:a"), exchange(batch, "u2", 1, "exchange:b")]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.find((r) => !r.ok)).toMatchObject({ reason: "out-of-stock" });
        const balances = [(await repos.ledger.balance("o1", "u1", T0)).balance, (await repos.ledger.balance("o1", "u2", T0)).balance];
        expect(balances.sort((a, b) => a - b)).toEqual([0, 100]);
      });

      it("is exact against other ledger writes spending the same points", async () => {
        const batch = batchOf("b1", { perMemberLimit: 50 });
        await repos.coupons.createBatch(batch);
        await earn("u1", 1000, "earn-1");
        const writes = await Promise.all([
          ...Array.from({ length: 10 }, (_, i) => exchange(batch, "u1", i, `exchange:${i}`)),
          ...Array.from({ length: 10 }, (_, i) =>
            repos.ledger.append("o1", "u1", { kind: "spend", points: 100, source: "till-purchase", reference: null, reason: null }, `spend:${i}`, T0),
          ),
        ]);
        expect(writes.filter((r) => r.ok)).toHaveLength(10);
        const exchanged = writes.slice(0, 10).filter((r) => r.ok).length;
        expect(await repos.coupons.wallet("u1", 50)).toHaveLength(exchanged);
        expect((await repos.ledger.balance("o1", "u1", T0)).balance).toBe(0);
        expect(await repos.ledger.entrySum("o1", "u1")).toBe(0);
      });
    });

    describe("reminders", () => {
      it("reminds a batch's coupon at the batch's own lead time", async () => {
        const batch = batchOf("b1");
        await repos.coupons.createBatch(batch);
        const coupon = couponFor(batch, "u1", 1);
        const result = await repos.coupons.claim({ batchId: "b1", coupon, dayKey: "2026-11-22", presenceSince: null, delivered: true, reminderLeadMs: 120 * MINUTE_MS });
        expect(result.ok).toBe(true);
        const plain = await claimed(batch, "u2");
        const at = coupon.expiresAt - 119 * MINUTE_MS;
        expect(await repos.offers.remindersDue(at - 2 * MINUTE_MS, 10 * MINUTE_MS, 10)).toEqual([]);
        const due = await repos.offers.remindersDue(at, 10 * MINUTE_MS, 10);
        expect(due.map((o) => [o.offerId, o.reminderLeadMs])).toEqual([[coupon.offerId, 120 * MINUTE_MS]]);
        const late = await repos.offers.remindersDue(plain.expiresAt - 9 * MINUTE_MS, 10 * MINUTE_MS, 10);
        expect(late.map((o) => o.offerId).sort()).toEqual([coupon.offerId, plain.offerId].sort());
      });
    });

    describe("redemption with a basket", () => {
      let coupon: Coupon;
      beforeEach(async () => {
        const batch = batchOf("b1");
        await repos.coupons.createBatch(batch);
        coupon = await claimed(batch, "u1");
      });

      it("answers the discount and records the redemption once; a retry replays it", async () => {
        const first = await redeem(coupon.code, "key-1");
        expect(first).toMatchObject({ ok: true, replayed: false, discount: { discountMinor: 2000, currency: "HKD", eligibleMinor: 12000 } });
        expect(await redeem(coupon.code, "key-1")).toMatchObject({ ok: true, replayed: true, discount: { discountMinor: 2000 } });
        expect(await redeem(coupon.code, "key-2")).toMatchObject({ ok: false, reason: "already-redeemed" });
        expect((await repos.coupons.getCoupon(coupon.offerId))?.status).toBe("redeemed");
      });

      it("gives the unmet condition and leaves the coupon open", async () => {
        expect(await redeem(coupon.code, "key-1", { basket: basket(5000) })).toMatchObject({
          ok: false,
          reason: "unmet",
          unmet: "min-spend-not-reached",
        });
        expect((await repos.coupons.getCoupon(coupon.offerId))?.status).toBe("issued");
        expect((await redeem(coupon.code, "key-2")).ok).toBe(true);
      });

      it("accepts the coupon in every store of its batch and no other", async () => {
        expect(await redeem(coupon.code, "key-1", { storeId: "s3" })).toMatchObject({ ok: false, reason: "wrong-store" });
        expect((await redeem(coupon.code, "key-2", { storeId: "s2" })).ok).toBe(true);
      });

      it("lets one of 50 concurrent redemptions win", async () => {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => redeem(coupon.code, `key-${i}`)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === "already-redeemed")).toHaveLength(49);
      });

      it("voids within the window by the redeeming store; the coupon is redeemed again once", async () => {
        const first = await redeem(coupon.code, "key-1");
        if (!first.ok) throw new Error(first.text);
        const v = { redemptionId: first.redemptionId, apiKeyId: "key-pos", windowMs: 10 * MINUTE_MS };
        expect(await repos.offers.voidRedemption({ ...v, storeId: "s2", now: T0 + 2 * MINUTE_MS })).toMatchObject({ ok: false, reason: "wrong-store" });
        expect(await repos.offers.voidRedemption({ ...v, storeId: "s1", now: T0 + 12 * MINUTE_MS })).toMatchObject({ ok: false, reason: "window-passed" });
        const voided = await repos.offers.voidRedemption({ ...v, storeId: "s1", now: T0 + 2 * MINUTE_MS });
        expect(voided).toMatchObject({ ok: true, replayed: false, offer: { status: "issued" } });
        expect(await repos.offers.voidRedemption({ ...v, storeId: "s1", now: T0 + 3 * MINUTE_MS })).toMatchObject({ ok: true, replayed: true });
        expect(await redeem(coupon.code, "key-1", { now: T0 + 3 * MINUTE_MS })).toMatchObject({ ok: false, reason: "key-reused" });
        const again = await Promise.all([2, 3, 4].map((k) => redeem(coupon.code, `key-${k}`, { now: T0 + 3 * MINUTE_MS })));
        expect(again.filter((r) => r.ok)).toHaveLength(1);
        expect(await repos.offers.voidRedemption({ ...v, redemptionId: "nope", storeId: "s1", now: T0 })).toMatchObject({ ok: false, reason: "no-redemption" });
      });

      it("redeems without a basket as before (no discount answered)", async () => {
        expect(await redeem(coupon.code, "key-1", { basket: null })).toMatchObject({ ok: true, discount: null });
      });
    });

    describe("gifts", () => {
      let coupon: Coupon;
      const gift = (token: string, couponId: string, userId = "u1", maxPasses = 1) =>
        repos.coupons.offerGift({ giftId: `gift-${token}`, tokenHash: hash(token), couponId, userId, maxPasses, expiresAt: T0 + 60 * MINUTE_MS, now: T0 });
      beforeEach(async () => {
        const batch = batchOf("b1");
        await repos.coupons.createBatch(batch);
        coupon = await claimed(batch, "u1");
      });

      it("moves the coupon to the friend with a new code; the old code is dead", async () => {
        expect(await gift("t1", coupon.offerId)).toMatchObject({ ok: true, gift: { state: "pending", fromUserId: "u1" } });
        expect(await gift("t1b", coupon.offerId)).toMatchObject({ ok: false, reason: "already-gifting" });
        expect(await repos.coupons.getGift(hash("t1"))).toMatchObject({ couponId: coupon.offerId, state: "pending" });
        expect(await repos.coupons.acceptGift({ tokenHash: hash("t1"), userId: "u1", newCode: "NEW-CODE-1", now: T0 })).toMatchObject({ ok: false, reason: "own-gift" });
        const accepted = await repos.coupons.acceptGift({ tokenHash: hash("t1"), userId: "u2", newCode: "NEW-CODE-1", now: T0 + MINUTE_MS });
        expect(accepted).toMatchObject({ ok: true, gift: { state: "accepted", toUserId: "u2" }, coupon: { userId: "u2", code: "NEW-CODE-1", giftPasses: 1, status: "issued" } });
        expect(await repos.coupons.wallet("u1", 10)).toEqual([]);
        expect(await redeem(coupon.code, "key-1")).toMatchObject({ ok: false, reason: "unknown-code" });
        expect((await redeem("NEW-CODE-1", "key-2")).ok).toBe(true);
        expect(await repos.coupons.acceptGift({ tokenHash: hash("t1"), userId: "u3", newCode: "NEW-CODE-2", now: T0 })).toMatchObject({ ok: false, reason: "resolved" });
      });

      it("limits how often a coupon passes on", async () => {
        await gift("t1", coupon.offerId);
        await repos.coupons.acceptGift({ tokenHash: hash("t1"), userId: "u2", newCode: "NEW-CODE-1", now: T0 });
        expect(await gift("t2", coupon.offerId, "u2")).toMatchObject({ ok: false, reason: "pass-limit" });
        expect(await gift("t3", coupon.offerId, "u2", 0)).toMatchObject({ ok: false, reason: "not-giftable" });
      });

      it("leaves the coupon with its owner when declined or timed out", async () => {
        await gift("t1", coupon.offerId);
        expect(await repos.coupons.declineGift({ tokenHash: hash("t1"), userId: "u2", now: T0 })).toMatchObject({ ok: true, gift: { state: "declined" }, coupon: { userId: "u1" } });
        expect((await gift("t2", coupon.offerId)).ok).toBe(true);
        expect(await repos.coupons.acceptGift({ tokenHash: hash("t2"), userId: "u2", newCode: "NEW-CODE-1", now: T0 + 60 * MINUTE_MS })).toMatchObject({
          ok: false,
          reason: "timed-out",
        });
        expect(await repos.coupons.getGift(hash("t2"))).toMatchObject({ state: "timed-out" });
        expect((await repos.coupons.getCoupon(coupon.offerId))?.userId).toBe("u1");
        expect((await redeem(coupon.code, "key-1")).ok).toBe(true);
      });

      it("lets a member who received a gift be erased, and the giver keep their records", async () => {
        await gift("t1", coupon.offerId);
        await repos.coupons.acceptGift({ tokenHash: hash("t1"), userId: "u2", newCode: "NEW-CODE-1", now: T0 });
        await repos.privacy.eraseUser("u2", "erased-2");
        expect(await repos.coupons.wallet("u2", 10)).toEqual([]);
        expect(await repos.coupons.getCoupon(coupon.offerId)).toBeNull();
        expect(await repos.coupons.getGift(hash("t1"))).toMatchObject({ state: "accepted", fromUserId: "u1", toUserId: null });
        await repos.privacy.eraseUser("u1", "erased-1");
        expect(await repos.coupons.getGift(hash("t1"))).toBeNull();
      });

      it("refuses a friend who got the batch's per-member limit already: the coupon stays with its giver, the gift open", async () => {
        // b1 allows one coupon per member: u2 claimed theirs.
        await claimed(batchOf("b1"), "u2", 7);
        await gift("t1", coupon.offerId);
        const refused = await repos.coupons.acceptGift({ tokenHash: hash("t1"), userId: "u2", newCode: "NEW-CODE-1", now: T0 + MINUTE_MS });
        expect(refused).toMatchObject({ ok: false, reason: "member-limit" });
        if (refused.ok) throw new Error("unreachable");
        expect(refused.text).toContain("1 coupon(s) of this batch");
        expect(await repos.coupons.getCoupon(coupon.offerId)).toMatchObject({ userId: "u1", code: coupon.code, giftPasses: 0 });
        expect(await repos.coupons.getGift(hash("t1"))).toMatchObject({ state: "pending", toUserId: null });
        // Another friend may still take it; then that friend's own claim meets the limit.
        expect(await repos.coupons.acceptGift({ tokenHash: hash("t1"), userId: "u3", newCode: "NEW-CODE-2", now: T0 + MINUTE_MS })).toMatchObject({ ok: true, coupon: { userId: "u3" } });
        expect(await claim(batchOf("b1"), "u3", 8)).toMatchObject({ ok: false, reason: "member-limit" });
        // The giver's claim still counts for the giver.
        expect(await claim(batchOf("b1"), "u1", 9)).toMatchObject({ ok: false, reason: "member-limit" });
      });

      it("keeps the per-member limit exact when gifts are accepted and claims made at once", async () => {
        const batch = batchOf("b2", { perMemberLimit: 3 });
        await repos.coupons.createBatch(batch);
        const tokens: string[] = [];
        for (const giver of ["u1", "u2"])
          for (let n = 0; n < 3; n++) {
            const c = await claimed(batch, giver, 10 + n);
            const token = `race-${giver}-${n}`;
            expect((await gift(token, c.offerId, giver)).ok).toBe(true);
            tokens.push(token);
          }
        const results = await Promise.all([
          ...tokens.map((t, i) => repos.coupons.acceptGift({ tokenHash: hash(t), userId: "u3", newCode: `RACE-CODE-${i}`, now: T0 + MINUTE_MS })),
          ...Array.from({ length: 4 }, (_, i) => claim(batch, "u3", 20 + i)),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(3);
        expect(new Set(results.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.reason)))).toEqual(new Set(["member-limit"]));
        const held = async (userId: string) => (await repos.coupons.wallet(userId, 50)).filter((c) => c.batchId === "b2").length;
        expect(await held("u3")).toBe(3);
        // Every coupon is with exactly one member: a refused gift's coupon is still its giver's.
        const accepted = results.slice(0, tokens.length).filter((r) => r.ok).length;
        expect((await held("u1")) + (await held("u2"))).toBe(6 - accepted);
      });

      it("lists a batch's gifts newest first in their state now, filtered and a page at a time, and counts them", async () => {
        const batch = batchOf("bg", { perMemberLimit: 10 });
        await repos.coupons.createBatch(batch);
        const offer = async (name: string, giver: string, n: number, createdAt: number, expiresAt = T0 + 60 * MINUTE_MS) => {
          const c = await claimed(batch, giver, n);
          const made = await repos.coupons.offerGift({ giftId: `gift-${name}`, tokenHash: hash(`list-${name}`), couponId: c.offerId, userId: giver, maxPasses: 1, expiresAt, now: createdAt });
          if (!made.ok) throw new Error(made.text);
          return made.gift;
        };
        // `gift` (beforeEach's coupon, batch b1) is another batch's: never listed here.
        await gift("other", coupon.offerId);
        const a = await offer("a", "u1", 1, T0 + 1);
        const b = await offer("b", "u1", 2, T0 + 2);
        const c = await offer("c", "u1", 3, T0 + 3, T0 + 10 * MINUTE_MS);
        const d = await offer("d", "u2", 4, T0 + 3);
        expect((await repos.coupons.acceptGift({ tokenHash: hash("list-a"), userId: "u2", newCode: "LIST-CODE-A", now: T0 + 2 * MINUTE_MS })).ok).toBe(true);
        expect((await repos.coupons.declineGift({ tokenHash: hash("list-b"), userId: "u3", now: T0 + 3 * MINUTE_MS })).ok).toBe(true);

        const now = T0 + 30 * MINUTE_MS;
        const list = (extra: { states?: GiftState[]; limit?: number; after?: { at: number; id: string } | null } = {}) =>
          repos.coupons.listGifts({ batchId: "bg", now, limit: extra.limit ?? 10, after: extra.after ?? null, ...(extra.states ? { states: extra.states } : {}) });
        const ids = (gifts: readonly CouponGift[]) => gifts.map((g) => g.giftId);
        // Newest first; c and d were made at the same instant, so by id.
        expect(await list()).toEqual([
          d,
          // Still pending in its row (nobody touched it since it timed out): read as timed out at its time.
          { ...c, state: "timed-out", resolvedAt: T0 + 10 * MINUTE_MS },
          { ...b, state: "declined", toUserId: "u3", resolvedAt: T0 + 3 * MINUTE_MS },
          { ...a, state: "accepted", toUserId: "u2", resolvedAt: T0 + 2 * MINUTE_MS },
        ]);
        expect(ids(await list({ states: ["pending"] }))).toEqual(["gift-d"]);
        expect(ids(await list({ states: ["timed-out"] }))).toEqual(["gift-c"]);
        expect(ids(await list({ states: ["accepted", "declined"] }))).toEqual(["gift-b", "gift-a"]);
        expect(ids(await list({ states: ["pending", "timed-out"] }))).toEqual(["gift-d", "gift-c"]);
        expect(await list({ states: [] })).toEqual([]);
        // Before c's time it was pending.
        expect(ids(await repos.coupons.listGifts({ batchId: "bg", now: T0 + 5 * MINUTE_MS, limit: 10, after: null, states: ["pending"] }))).toEqual(["gift-d", "gift-c"]);
        // Pages: each after the previous one's last gift, the tie at T0 + 3 split by id.
        expect(ids(await list({ limit: 1 }))).toEqual(["gift-d"]);
        expect(ids(await list({ limit: 2, after: { at: d.createdAt, id: d.giftId } }))).toEqual(["gift-c", "gift-b"]);
        expect(ids(await list({ limit: 2, after: { at: b.createdAt, id: b.giftId } }))).toEqual(["gift-a"]);
        expect(await repos.coupons.listGifts({ batchId: "nope", now, limit: 10, after: null })).toEqual([]);

        expect(await repos.coupons.giftCounts("bg", now)).toEqual({ made: 4, pending: 1, accepted: 1, declined: 1, timedOut: 1 });
        expect(await repos.coupons.giftCounts("bg", T0 + 5 * MINUTE_MS)).toEqual({ made: 4, pending: 2, accepted: 1, declined: 1, timedOut: 0 });
        expect(await repos.coupons.giftCounts("nope", now)).toEqual({ made: 0, pending: 0, accepted: 0, declined: 0, timedOut: 0 });

        // Erasing u2 deletes the coupon a moved to them and the gift d they made; a stays in its
        // batch, the giver's record, with the friend no longer named.
        await repos.privacy.eraseUser("u2", "erased-2");
        expect(await list()).toEqual([
          { ...c, state: "timed-out", resolvedAt: T0 + 10 * MINUTE_MS },
          { ...b, state: "declined", toUserId: "u3", resolvedAt: T0 + 3 * MINUTE_MS },
          { ...a, state: "accepted", toUserId: null, resolvedAt: T0 + 2 * MINUTE_MS },
        ]);
        expect(await repos.coupons.giftCounts("bg", now)).toEqual({ made: 3, pending: 0, accepted: 1, declined: 1, timedOut: 1 });
      });

      it("lets exactly one of a gift accept and a redemption racing win", async () => {
        await gift("t1", coupon.offerId);
        const [accept, redemption] = await Promise.all([
          repos.coupons.acceptGift({ tokenHash: hash("t1"), userId: "u2", newCode: "NEW-CODE-1", now: T0 + MINUTE_MS }),
          redeem(coupon.code, "key-1"),
        ]);
        expect([accept.ok, redemption.ok].filter(Boolean)).toHaveLength(1);
      });
    });

    describe("audience", () => {
      it("finds consenting members by segment, tier and presence in some stores", async () => {
        await repos.users.upsertUser(user("u1", "o1", { segments: ["vip", "tea"], loyaltyTier: "gold" }), 0);
        await repos.users.upsertUser(user("u2", "o1", { segments: ["vip"], loyaltyTier: "silver" }), 0);
        await repos.users.upsertUser(user("u3", "o1", { segments: ["vip"], marketingConsent: false }), 0);
        const q = { orgId: "o1", segment: null, tier: null, seenInStoreIds: null, seenSinceMs: 0, limit: 10 };
        expect(await repos.coupons.audience({ ...q, segment: "vip" })).toEqual(["u1", "u2"]);
        expect(await repos.coupons.audience({ ...q, segment: "vip", tier: "gold" })).toEqual(["u1"]);
        expect(await repos.coupons.audience({ ...q, segment: "tea" })).toEqual(["u1"]);
        expect(await repos.coupons.audience({ ...q, orgId: "o2" })).toEqual([]);
        await repos.users.registerDevice(BEACON, "u2", null, 0);
        await repos.events.storeBatch({ storeId: "s1", gatewayId: "g1", outbox: "outbox-a1", fromSeq: 1, refusedSeqs: [], receivedAt: T0, events: [presenceEvent(1)] });
        expect(await repos.coupons.audience({ ...q, seenInStoreIds: ["s1"], seenSinceMs: T0 - MINUTE_MS })).toEqual(["u2"]);
        expect(await repos.coupons.audience({ ...q, seenInStoreIds: ["s1"], seenSinceMs: T0 + MINUTE_MS })).toEqual([]);
        expect(await repos.coupons.audience({ ...q, seenInStoreIds: ["s2"], seenSinceMs: 0 })).toEqual([]);
        expect(await repos.coupons.audience({ ...q, limit: 1 })).toEqual(["u1"]);
      });
    });

    describe("analytics", () => {
      it("counts claims, gifts, redemptions with revenue and discount, and voids per batch, channel, store and day", async () => {
        const batch = batchOf("b1", { perMemberLimit: 5 });
        await repos.coupons.createBatch(batch);
        const a = await claimed(batch, "u1", 1);
        const b = await claimed(batch, "u1", 2);
        await claimed(batch, "u2", 3);
        await repos.coupons.offerGift({ giftId: "g1", tokenHash: hash("t"), couponId: a.offerId, userId: "u1", maxPasses: 1, expiresAt: T0 + MINUTE_MS, now: T0 });
        const r = await redeem(a.code, "key-1", { basket: basket(15000) });
        await redeem(b.code, "key-2", { storeId: "s2", basket: basket(10000) });
        if (!r.ok) throw new Error(r.text);
        await repos.offers.voidRedemption({ redemptionId: r.redemptionId, storeId: "s1", apiKeyId: "k", windowMs: MINUTE_MS, now: T0 + MINUTE_MS });
        const rows = await repos.coupons.couponStats("o1", T0 - MINUTE_MS, T0 + 60 * MINUTE_MS);
        expect(rows).toEqual([
          { batchId: "b1", channel: "online", storeId: "s1", day: "2026-11-22", claimed: 3, giftsMade: 1, giftsAccepted: 0, redeemed: 0, voided: 1, expired: 0, revenueMinor: 0, discountMinor: 0, basketRedemptions: 0 },
          { batchId: "b1", channel: "online", storeId: "s2", day: "2026-11-22", claimed: 0, giftsMade: 0, giftsAccepted: 0, redeemed: 1, voided: 0, expired: 0, revenueMinor: 10000, discountMinor: 2000, basketRedemptions: 1 },
        ]);
        expect(await repos.coupons.couponStats("o2", T0 - MINUTE_MS, T0 + 60 * MINUTE_MS)).toEqual([]);
      });
    });
  });
}
