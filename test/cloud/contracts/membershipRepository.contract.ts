import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMPTY_PROGRAM } from "../../../cloud/src/domain/loyalty/index.js";
import type { MembershipRepository, Repositories } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, org, user } from "./repositoryContract.js";

/**
 * What every backend's MembershipRepository does: programmes versioned per organisation, the tier
 * mirrored into the profile with each change recorded, purchases and refunds once, the visit cap
 * exact under concurrency, one member-code secret, and bulk upserts that write only what differs.
 */
export function describeMembershipRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`MembershipRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let repos: Repositories;
    let membership: MembershipRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      repos = backend.repos;
      membership = repos.membership;
      await repos.directory.upsertOrganisation(org("o1"), 0);
      await repos.directory.upsertOrganisation(org("o2"), 0);
      await repos.users.upsertUser(user("u1", "o1", { loyaltyTier: "crm-gold" }), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("versions a programme per organisation", async () => {
      expect(await membership.getProgram("o1")).toBeNull();
      expect(await membership.putProgram("o1", EMPTY_PROGRAM, 1)).toBe(1);
      expect(await membership.putProgram("o1", { ...EMPTY_PROGRAM, transfersAllowed: true }, 2)).toBe(2);
      expect(await membership.getProgram("o1")).toEqual({ program: { ...EMPTY_PROGRAM, transfersAllowed: true }, version: 2 });
      expect(await membership.getProgram("o2")).toBeNull();
    });

    it("mirrors the tier into the profile and records each change once", async () => {
      const change = await membership.setTier("u1", "o1", "gold", "upgrade", 100);
      expect(change).toMatchObject({ userId: "u1", fromTier: "crm-gold", toTier: "gold", reason: "upgrade", at: 100 });
      expect((await repos.users.getUser("u1"))?.loyaltyTier).toBe("gold");
      expect(await membership.getMember("u1")).toEqual({ userId: "u1", orgId: "o1", birthMonth: null, tier: "gold", tierSince: 100 });
      // The same tier again starts a new period and records nothing.
      expect(await membership.setTier("u1", "o1", "gold", "renewal", 200)).toBeNull();
      expect((await membership.getMember("u1"))?.tierSince).toBe(200);
      expect((await membership.tierChanges("u1", 10)).map((c) => c.toTier)).toEqual(["gold"]);
      expect(await membership.membersWithTierBefore("o1", 199, 10)).toEqual([]);
      expect((await membership.membersWithTierBefore("o1", 200, 10)).map((m) => m.userId)).toEqual(["u1"]);
      expect(await membership.setTier("nobody", "o1", "gold", "upgrade", 1)).toBeNull();
    });

    it("records a purchase once per order key and a refund once", async () => {
      const purchase = { orgId: "o1", orderKey: "s1:o-1", userId: "u1", storeId: "s1", channel: "till" as const, totalMinor: 990, currency: "HKD", points: 9, at: 10 };
      expect(await membership.recordPurchase(purchase)).toBe(true);
      expect(await membership.recordPurchase({ ...purchase, points: 99 })).toBe(false);
      expect(await membership.getPurchase("o1", "s1:o-1")).toEqual({ ...purchase, refundedAt: null, refundedMinor: 0, pointsSpent: 0, pointsDiscountMinor: 0, earnKey: null });
      expect(await membership.getPurchase("o2", "s1:o-1")).toBeNull();
      expect(await membership.tierActivity("o1", "u1", 0)).toEqual({ pointsEarned: 0, spendMinor: 990 });
      expect(await membership.markRefunded("o1", "s1:o-1", 20)).toBe(true);
      expect(await membership.markRefunded("o1", "s1:o-1", 30)).toBe(false);
      expect((await membership.getPurchase("o1", "s1:o-1"))?.refundedAt).toBe(20);
      expect((await membership.getPurchase("o1", "s1:o-1"))?.refundedMinor).toBe(990);
      expect(await membership.tierActivity("o1", "u1", 0)).toEqual({ pointsEarned: 0, spendMinor: 0 });
    });

    it("keeps a coupon redemption's earning key on its order, and releases that order with its refunds", async () => {
      const purchase = { orgId: "o1", orderKey: "s1:c-1", userId: "u1", storeId: "s1", channel: "till" as const, totalMinor: 800, currency: "HKD", points: 8, at: 10 };
      expect(await membership.recordPurchase({ ...purchase, earnKey: "coupon-redemption:r-1" })).toBe(true);
      expect(await membership.getPurchase("o1", "s1:c-1")).toMatchObject({ earnKey: "coupon-redemption:r-1", points: 8 });
      expect(await membership.recordRefund({ orgId: "o1", orderKey: "s1:c-1", refundId: "x1", amountMinor: 100, points: 1, at: 20 })).toBe(true);
      expect(await membership.releasePurchase("o2", "coupon-redemption:r-1")).toBeNull();
      expect(await membership.releasePurchase("o1", "coupon-redemption:r-2")).toBeNull();
      expect(await membership.releasePurchase("o1", "coupon-redemption:r-1")).toMatchObject({ orderKey: "s1:c-1", userId: "u1", refundedMinor: 100 });
      expect(await membership.getPurchase("o1", "s1:c-1")).toBeNull();
      expect(await membership.getRefund("o1", "s1:c-1", "x1")).toBeNull();
      expect(await membership.releasePurchase("o1", "coupon-redemption:r-1")).toBeNull();
      expect((await membership.tierActivity("o1", "u1", 0)).spendMinor).toBe(0);
      // Released, the order may be recorded again (redeemed anew), refunds starting from nothing.
      expect(await membership.recordPurchase({ ...purchase, earnKey: "coupon-redemption:r-3" })).toBe(true);
      expect(await membership.getPurchase("o1", "s1:c-1")).toMatchObject({ earnKey: "coupon-redemption:r-3", refundedMinor: 0 });
    });

    it("records each partial refund once, adds it up, and marks the order refunded at its total", async () => {
      const purchase = { orgId: "o1", orderKey: "s1:o-2", userId: "u1", storeId: "s1", channel: "till" as const, totalMinor: 1_000, currency: "HKD", points: 10, at: 10 };
      await membership.recordPurchase(purchase);
      const refund = { orgId: "o1", orderKey: "s1:o-2", refundId: "r1", amountMinor: 300, points: 3, at: 20 };
      expect(await membership.recordRefund(refund)).toBe(true);
      expect(await membership.recordRefund({ ...refund, amountMinor: 999 })).toBe(false);
      expect(await membership.getRefund("o1", "s1:o-2", "r1")).toEqual(refund);
      expect(await membership.getRefund("o1", "s1:o-2", "r2")).toBeNull();
      expect(await membership.getPurchase("o1", "s1:o-2")).toMatchObject({ refundedMinor: 300, refundedAt: null });
      expect((await membership.tierActivity("o1", "u1", 0)).spendMinor).toBe(700);
      expect(await membership.recordRefund({ ...refund, refundId: "r2", amountMinor: 700, points: 7, at: 30 })).toBe(true);
      expect(await membership.getPurchase("o1", "s1:o-2")).toMatchObject({ refundedMinor: 1_000, refundedAt: 30 });
      expect((await membership.tierActivity("o1", "u1", 0)).spendMinor).toBe(0);
    });

    it("adds up refunds of one order recorded at once, and counts points net of partial reversals", async () => {
      const purchase = { orgId: "o1", orderKey: "s1:o-3", userId: "u1", storeId: "s1", channel: "till" as const, totalMinor: 900, currency: "HKD", points: 90, at: 10 };
      await membership.recordPurchase(purchase);
      const refund = (refundId: string) => ({ orgId: "o1", orderKey: "s1:o-3", refundId, amountMinor: 300, points: 30, at: 20 });
      expect(await Promise.all(["r1", "r2", "r3"].map((id) => membership.recordRefund(refund(id))))).toEqual([true, true, true]);
      expect(await membership.getPurchase("o1", "s1:o-3")).toMatchObject({ refundedMinor: 900, refundedAt: 20 });

      await repos.ledger.append("o1", "u1", { kind: "earn", points: 100, source: "till-purchase", expiresAt: null, reference: null, reason: null }, "till:s1:o-4", 30);
      const part = { kind: "reverse" as const, reversesKey: "till:s1:o-4", source: "till-purchase" as const, reference: null, reason: null };
      await repos.ledger.append("o1", "u1", { ...part, points: 30 }, "refund:o-4:r1", 40);
      expect((await membership.tierActivity("o1", "u1", 0)).pointsEarned).toBe(70);
      await repos.ledger.append("o1", "u1", { ...part, points: 25 }, "refund:o-4:r2", 50);
      expect((await membership.tierActivity("o1", "u1", 0)).pointsEarned).toBe(45);
    });

    describe("purchases paid in part with points", () => {
      const earn = (points: number, key: string) =>
        repos.ledger.append("o1", "u1", { kind: "earn", points, source: "till-purchase", expiresAt: null, reference: null, reason: null }, key, 5);
      const write = (orderKey: string, pointsSpent: number, earnPoints: number | null) =>
        membership.recordPurchaseWithPoints({
          purchase: { orgId: "o1", orderKey, userId: "u1", storeId: "s1", channel: "till", totalMinor: 10_000, currency: "HKD", at: 10, pointsSpent, pointsDiscountMinor: pointsSpent },
          source: "till-purchase",
          spendKey: `purchase-spend:${orderKey}`,
          earn: earnPoints === null ? null : { points: earnPoints, expiresAt: null, reason: null, key: `purchase:${orderKey}` },
          now: 10,
        });

      it("writes the spend, the earning on the net and the purchase together, once", async () => {
        await earn(500, "earn-1");
        const first = await write("s1:p-1", 300, 97);
        expect(first).toMatchObject({ ok: true, recorded: true, balance: 297, owed: 0, purchase: { points: 97, pointsSpent: 300, pointsDiscountMinor: 300 } });
        expect(await membership.getPurchase("o1", "s1:p-1")).toMatchObject({ points: 97, pointsSpent: 300, pointsDiscountMinor: 300, totalMinor: 10_000 });
        expect(await repos.ledger.entryByKey("o1", "purchase-spend:s1:p-1")).toMatchObject({ kind: "spend", points: -300, reference: "s1:p-1" });
        expect(await repos.ledger.entryByKey("o1", "purchase:s1:p-1")).toMatchObject({ kind: "earn", points: 97 });
        // Spend counts for tiers net of the points discount.
        expect((await membership.tierActivity("o1", "u1", 0)).spendMinor).toBe(9_700);
        const again = await write("s1:p-1", 300, 97);
        expect(again).toMatchObject({ ok: true, recorded: false, purchase: { pointsSpent: 300 } });
        expect((await repos.ledger.balance("o1", "u1", 10)).balance).toBe(297);
        expect(await repos.ledger.entrySum("o1", "u1")).toBe(297);
      });

      it("writes nothing when the member holds too few points", async () => {
        await earn(100, "earn-1");
        expect(await write("s1:p-2", 101, 99)).toEqual({ ok: false, reason: "insufficient-points", balance: 100 });
        expect(await membership.getPurchase("o1", "s1:p-2")).toBeNull();
        expect(await repos.ledger.entryByKey("o1", "purchase:s1:p-2")).toBeNull();
        expect((await repos.ledger.history("o1", "u1", { limit: 10 })).map((e) => e.kind)).toEqual(["earn"]);
      });

      it("lets exactly one of two purchases racing for the last points spend them", async () => {
        await earn(100, "earn-1");
        const results = await Promise.all([write("s1:p-a", 100, 5), write("s1:p-b", 100, 5)]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.find((r) => !r.ok)).toMatchObject({ reason: "insufficient-points" });
        const recorded = await Promise.all(["s1:p-a", "s1:p-b"].map((k) => membership.getPurchase("o1", k)));
        expect(recorded.filter((p) => p !== null)).toHaveLength(1);
        expect((await repos.ledger.balance("o1", "u1", 10)).balance).toBe(5);
        expect(await repos.ledger.entrySum("o1", "u1")).toBe(5);
      });

      it("records one order reported twice at once, spending once", async () => {
        await earn(500, "earn-1");
        const results = await Promise.all([write("s1:p-same", 200, 10), write("s1:p-same", 200, 10)]);
        expect(results.map((r) => r.ok && r.recorded).sort()).toEqual([false, true]);
        expect((await repos.ledger.balance("o1", "u1", 10)).balance).toBe(310);
        expect(await repos.ledger.entrySum("o1", "u1")).toBe(310);
      });

      it("gives spent points back by a reversal, in parts and then exactly in full", async () => {
        await earn(400, "earn-1");
        await write("s1:p-3", 300, null);
        const back = { kind: "reverse" as const, reversesKey: "purchase-spend:s1:p-3", source: "till-purchase" as const, reference: "s1:p-3", reason: null, expiresAt: 1_000 };
        expect(await repos.ledger.append("o1", "u1", { ...back, points: 120 }, "refund-points:s1:p-3:r1", 20)).toMatchObject({
          ok: true,
          balance: 220,
          entry: { kind: "reverse", points: 120, expiresAt: 1_000 },
        });
        expect(await repos.ledger.append("o1", "u1", back, "refund-points:s1:p-3:whole", 30)).toMatchObject({ ok: true, balance: 400, entry: { points: 180 } });
        expect(await repos.ledger.append("o1", "u1", back, "refund-points:s1:p-3:again", 40)).toMatchObject({ ok: false, reason: "already-reversed" });
        // The points given back live until their own expiry.
        expect((await repos.ledger.balance("o1", "u1", 1_000)).balance).toBe(100);
        expect(await repos.ledger.entrySum("o1", "u1")).toBe(400);
      });
    });

    it("counts earning visits up to the cap, exactly, under concurrency", async () => {
      const counted = await Promise.all(Array.from({ length: 10 }, () => membership.countEarningVisit("u1", "s1", "2026-11-24", 3)));
      expect(counted.filter(Boolean)).toHaveLength(3);
      expect(await membership.countEarningVisit("u1", "s1", "2026-11-25", 3)).toBe(true);
      // A cap of none counts nothing, on a new day or a counted one.
      expect(await membership.countEarningVisit("u1", "s1", "2026-11-26", 0)).toBe(false);
      expect(await membership.countEarningVisit("u1", "s1", "2026-11-25", 0)).toBe(false);
      expect(await membership.countEarningVisit("u1", "s1", "2026-11-26", 1)).toBe(true);
    });

    it("creates the member-code secret once", async () => {
      const first = await membership.memberCodeSecret(() => new Uint8Array(32).fill(7), 1);
      const second = await membership.memberCodeSecret(() => new Uint8Array(32).fill(9), 2);
      expect([...second]).toEqual([...first]);
      expect(first[0]).toBe(7);
    });

    it("upserts members writing only what differs, and leaves another organisation's ids alone", async () => {
      await repos.users.upsertUser(user("theirs", "o2"), 0);
      const rows = [
        { id: "m1", displayName: "Ada", segments: ["vip"], birthMonth: 4, marketingConsent: true },
        { id: "u1", segments: ["crm"] },
        { id: "theirs", displayName: "x" },
      ];
      expect(await membership.upsertMembers("o1", rows, 5)).toEqual({ created: 1, updated: 1, unchanged: 0, taken: ["theirs"], analyticsWithdrawn: [], analyticsGiven: [] });
      expect(await membership.upsertMembers("o1", rows, 6)).toEqual({ created: 0, updated: 0, unchanged: 2, taken: ["theirs"], analyticsWithdrawn: [], analyticsGiven: [] });
      // u1 had analytics consent (the fixture's default); a new member may come with it.
      expect(await membership.upsertMembers("o1", [{ id: "u1", analyticsConsent: false }, { id: "m2", analyticsConsent: true }], 7)).toMatchObject({
        analyticsWithdrawn: ["u1"],
        analyticsGiven: ["m2"],
      });
      expect(await repos.users.getUser("m1")).toMatchObject({ orgId: "o1", displayName: "Ada", segments: ["vip"], marketingConsent: true, analyticsConsent: false });
      expect(await repos.users.getUser("u1")).toMatchObject({ segments: ["crm"], loyaltyTier: "crm-gold", marketingConsent: true });
      expect((await membership.getMember("m1"))?.birthMonth).toBe(4);
      expect((await repos.users.getUser("theirs"))?.displayName).toBeNull();
      expect((await membership.exportMembers("o1", null, 10)).map((m) => [m.id, m.birthMonth])).toEqual([
        ["m1", 4],
        ["m2", null],
        ["u1", null],
      ]);
      expect((await membership.exportMembers("o1", "m2", 10)).map((m) => m.id)).toEqual(["u1"]);
    });
  });
}
