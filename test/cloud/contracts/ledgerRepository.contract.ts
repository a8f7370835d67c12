import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LedgerCommand } from "../../../cloud/src/domain/loyalty/ledger.js";
import type { LedgerRepository } from "../../../cloud/src/services/repositories.js";
import type { BackendUnderTest, MakeBackend } from "./repositoryContract.js";

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 10);

const earn = (points: number, expiresAt: number | null = null, source: "till-purchase" | "store-visit" = "till-purchase"): LedgerCommand => ({
  kind: "earn",
  points,
  source,
  expiresAt,
  reference: null,
  reason: null,
});
const spend = (points: number): LedgerCommand => ({ kind: "spend", points, source: "coupon-redemption", reference: null, reason: null });
const reverse = (reversesKey: string): LedgerCommand => ({ kind: "reverse", reversesKey, source: "till-purchase", reference: "refund", reason: null });

/**
 * What every backend's LedgerRepository does: entries appended once per key, lots spent soonest
 * expiry first, a balance never below zero, reversals exact (what is gone is owed), and exactness
 * under concurrent writers.
 */
export function describeLedgerRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`LedgerRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let ledger: LedgerRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      ledger = backend.repos.ledger;
    });
    afterEach(async () => {
      await backend.close();
    });

    const reconciled = async (memberId: string, now: number) => {
      const b = await ledger.balance("o1", memberId, now);
      expect(await ledger.entrySum("o1", memberId)).toBe(b.balance - b.owed);
      return b;
    };

    it("earns once per idempotency key and answers a replay with the first entry", async () => {
      const first = await ledger.append("o1", "m1", earn(100), "till:s1:order-1", T0);
      const again = await ledger.append("o1", "m1", earn(100), "till:s1:order-1", T0 + 1000);
      expect(first).toMatchObject({ ok: true, replayed: false, balance: 100 });
      expect(again).toMatchObject({ ok: true, replayed: true, balance: 100 });
      if (!first.ok || !again.ok) throw new Error("unreachable");
      expect(again.entry).toEqual(first.entry);
      expect((await reconciled("m1", T0)).balance).toBe(100);
      expect(await ledger.history("o1", "m1", { limit: 10 })).toHaveLength(1);
    });

    it("keeps keys per organisation and refuses a key reused for another member", async () => {
      await ledger.append("o1", "m1", earn(10), "k1", T0);
      expect(await ledger.append("o2", "m9", earn(10), "k1", T0)).toMatchObject({ ok: true, replayed: false });
      expect(await ledger.append("o1", "m2", earn(10), "k1", T0)).toMatchObject({ ok: false, reason: "key-reused" });
      expect((await ledger.balance("o1", "m2", T0)).balance).toBe(0);
    });

    it("spends the lot that expires soonest first and never below zero", async () => {
      await ledger.append("o1", "m1", earn(50, T0 + 30 * DAY_MS), "a", T0);
      await ledger.append("o1", "m1", earn(50, T0 + 10 * DAY_MS), "b", T0 + 1);
      await ledger.append("o1", "m1", earn(50, null), "c", T0 + 2);
      expect(await ledger.append("o1", "m1", spend(60), "s1", T0 + 3)).toMatchObject({ ok: true, balance: 90 });
      // The 10-day lot is gone and 10 were taken from the 30-day lot: at day 20 nothing expired
      // beyond the empty lot, at day 31 the 40 left of the 30-day lot are gone.
      expect((await ledger.balance("o1", "m1", T0 + 20 * DAY_MS)).balance).toBe(90);
      expect(await ledger.balance("o1", "m1", T0 + 31 * DAY_MS)).toMatchObject({ balance: 50, nextExpiry: null });
      expect(await ledger.append("o1", "m1", spend(91), "s2", T0 + 4)).toEqual({ ok: false, reason: "insufficient-points", balance: 90 });
      await reconciled("m1", T0 + 5);
    });

    it("writes expiry entries when lots expire, once, and reconciles", async () => {
      await ledger.append("o1", "m1", earn(70, T0 + DAY_MS), "a", T0);
      await ledger.append("o1", "m1", earn(5, null), "keep", T0);
      await ledger.append("o1", "m2", earn(20, T0 + DAY_MS), "b", T0);
      await ledger.append("o1", "m2", earn(30, T0 + DAY_MS - 10), "c", T0);
      expect(await ledger.expireDue(T0 + DAY_MS - 11, 100)).toEqual([]);
      const swept = await ledger.expireDue(T0 + DAY_MS, 100);
      // Each written-off lot is reported as its own entry, with its member and what they hold after.
      expect(swept.map((w) => [w.entry.memberId, w.entry.kind, w.entry.points, w.balance]).sort()).toEqual([
        ["m1", "expire", -70, 5],
        ["m2", "expire", -20, 0],
        ["m2", "expire", -30, 0],
      ]);
      expect(swept.every((w) => w.entry.orgId === "o1" && w.entry.seq > 0)).toBe(true);
      expect(await ledger.expireDue(T0 + DAY_MS, 100)).toEqual([]);
      const [expiry] = await ledger.history("o1", "m1", { limit: 1 });
      expect(expiry).toMatchObject({ kind: "expire", points: -70, source: "expiry", at: T0 + DAY_MS });
      expect(swept.find((w) => w.entry.memberId === "m1")?.entry).toEqual(expiry);
      expect((await reconciled("m1", T0 + DAY_MS)).balance).toBe(5);
      expect((await reconciled("m2", T0 + DAY_MS)).balance).toBe(0);
    });

    it("answers every entry a write stored, lots it found expired included, each with the balance after it", async () => {
      await ledger.append("o1", "m1", earn(40, T0 + DAY_MS), "old", T0);
      await ledger.append("o1", "m1", earn(25, null), "kept", T0);
      const spent = await ledger.append("o1", "m1", spend(10), "after-expiry", T0 + DAY_MS + 1);
      if (!spent.ok) throw new Error("spend refused");
      expect(spent.written.map((w) => [w.entry.kind, w.entry.points, w.balance])).toEqual([
        ["expire", -40, 25],
        ["spend", -10, 15],
      ]);
      expect(spent.written[1]?.entry).toEqual(spent.entry);
      const replayed = await ledger.append("o1", "m1", spend(10), "after-expiry", T0 + DAY_MS + 2);
      expect(replayed).toMatchObject({ ok: true, replayed: true, written: [] });
    });

    it("reverses exactly what a purchase earned even after some was spent: the rest is owed, then settled", async () => {
      await ledger.append("o1", "m1", earn(100), "till:s1:o-1", T0);
      await ledger.append("o1", "m1", spend(70), "spend-1", T0 + 1);
      const reversed = await ledger.append("o1", "m1", reverse("till:s1:o-1"), "refund:o-1", T0 + 2);
      expect(reversed).toMatchObject({ ok: true, balance: 0, owed: 70 });
      if (!reversed.ok) throw new Error("unreachable");
      expect(reversed.entry).toMatchObject({ kind: "reverse", points: -100 });
      await reconciled("m1", T0 + 2);
      expect(await ledger.append("o1", "m1", reverse("till:s1:o-1"), "refund:o-1-again", T0 + 3)).toMatchObject({
        ok: false,
        reason: "already-reversed",
      });
      expect(await ledger.append("o1", "m1", reverse("till:s1:nothing"), "refund:x", T0 + 3)).toMatchObject({
        ok: false,
        reason: "nothing-to-reverse",
      });
      // The next earning pays the debt first.
      expect(await ledger.append("o1", "m1", earn(100), "till:s1:o-2", T0 + 4)).toMatchObject({ ok: true, balance: 30, owed: 0 });
      await reconciled("m1", T0 + 4);
    });

    it("reverses an earning in parts, never more than it gave, also when parts race", async () => {
      const part = (points: number): LedgerCommand => ({ kind: "reverse", reversesKey: "till:s1:o-1", points, source: "till-purchase", reference: "refund", reason: null });
      await ledger.append("o1", "m1", earn(100), "till:s1:o-1", T0);
      expect(await ledger.append("o1", "m1", part(30), "refund:o-1:r1", T0 + 1)).toMatchObject({ ok: true, balance: 70 });
      // Two parts of 50 at once: 70 are left of the earning, so one of them is refused.
      const racing = await Promise.all([
        ledger.append("o1", "m1", part(50), "refund:o-1:r2", T0 + 2),
        ledger.append("o1", "m1", part(50), "refund:o-1:r3", T0 + 2),
      ]);
      expect(racing.filter((r) => r.ok)).toHaveLength(1);
      expect(racing.filter((r) => !r.ok)).toMatchObject([{ ok: false, reason: "invalid-points" }]);
      // What is left (20) goes back whole without a count; then nothing is left to reverse.
      expect(await ledger.append("o1", "m1", reverse("till:s1:o-1"), "refund:o-1:rest", T0 + 3)).toMatchObject({ ok: true, balance: 0 });
      expect(await ledger.append("o1", "m1", part(1), "refund:o-1:r4", T0 + 4)).toMatchObject({ ok: false, reason: "already-reversed" });
      expect((await ledger.history("o1", "m1", { limit: 10 })).filter((e) => e.kind === "reverse").map((e) => e.points).sort()).toEqual([
        -20, -30, -50,
      ]);
      await reconciled("m1", T0 + 4);
    });

    it("takes a reversal from the purchase's own lot first", async () => {
      await ledger.append("o1", "m1", earn(40, T0 + 5 * DAY_MS), "old", T0);
      await ledger.append("o1", "m1", earn(60, T0 + 50 * DAY_MS), "purchase", T0 + 1);
      await ledger.append("o1", "m1", reverse("purchase"), "refund", T0 + 2);
      // Had the reversal taken the soonest lot, 40 would be owed... it took its own 60 instead.
      expect(await ledger.balance("o1", "m1", T0 + 3)).toMatchObject({ balance: 40, owed: 0, nextExpiry: { points: 40, at: T0 + 5 * DAY_MS } });
    });

    it("moves points between members with their expiry, once per key", async () => {
      await ledger.append("o1", "m1", earn(80, T0 + 9 * DAY_MS), "a", T0);
      await ledger.append("o1", "m2", earn(7, null), "m2-own", T0);
      const moved = await ledger.transfer("o1", "m1", "m2", 30, "gift-1", null, T0 + 1);
      expect(moved).toMatchObject({ ok: true, balance: 50 });
      if (!moved.ok) throw new Error("transfer refused");
      // Both sides are written, each under its own member with that member's balance after it.
      expect(moved.written.map((w) => [w.entry.memberId, w.entry.kind, w.entry.points, w.balance])).toEqual([
        ["m1", "transfer-out", -30, 50],
        ["m2", "transfer-in", 30, 37],
      ]);
      expect(await ledger.transfer("o1", "m1", "m2", 30, "gift-1", null, T0 + 2)).toMatchObject({ ok: true, replayed: true, written: [] });
      expect(await ledger.transfer("o1", "m1", "m2", 51, "gift-2", null, T0 + 3)).toMatchObject({ ok: false, reason: "insufficient-points" });
      expect(await ledger.balance("o1", "m2", T0 + 3)).toMatchObject({ balance: 37, nextExpiry: { points: 30, at: T0 + 9 * DAY_MS } });
      await reconciled("m1", T0 + 3);
      await reconciled("m2", T0 + 3);
    });

    it("is exact under 100 concurrent spends against one balance", async () => {
      await ledger.append("o1", "m1", earn(1000), "seed", T0);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => ledger.append("o1", "m1", spend(30), `spend-${i}`, T0 + 1)),
      );
      const spent = results.filter((r) => r.ok).length;
      // 1000 / 30 = 33 spends fit, whatever the interleaving; the rest are refused.
      expect(spent).toBe(33);
      expect(results.filter((r) => !r.ok && r.reason === "insufficient-points")).toHaveLength(67);
      const b = await reconciled("m1", T0 + 2);
      expect(b.balance).toBe(10);
    });

    it("earns once when the same key arrives concurrently", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => ledger.append("o1", "m1", earn(5), "same", T0)));
      expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
      expect((await reconciled("m1", T0)).balance).toBe(5);
    });

    it("pages history newest first and exports in writing order", async () => {
      for (let i = 1; i <= 5; i += 1) await ledger.append("o1", "m1", earn(i), `k${i}`, T0 + i);
      await ledger.append("o1", "m2", earn(9), "other", T0);
      const page1 = await ledger.history("o1", "m1", { limit: 2 });
      expect(page1.map((e) => e.points)).toEqual([5, 4]);
      const page2 = await ledger.history("o1", "m1", { limit: 2, beforeSeq: page1[1]?.seq ?? 0 });
      expect(page2.map((e) => e.points)).toEqual([3, 2]);
      const all = await ledger.entriesAfter("o1", 0, 100);
      expect(all.map((e) => e.idempotencyKey)).toEqual(["k1", "k2", "k3", "k4", "k5", "other"]);
      expect(await ledger.entriesAfter("o1", all[4]?.seq ?? 0, 100)).toHaveLength(1);
      expect(await ledger.entryByKey("o1", "k3")).toMatchObject({ memberId: "m1", points: 3 });
      expect(await ledger.entryByKey("o1", "nope")).toBeNull();
    });
  });
}
