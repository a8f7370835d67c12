import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryRepository, NewPushOutboxItem } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, org, store, user } from "./repositoryContract.js";

const item = (id: string, overrides: Partial<NewPushOutboxItem> = {}): NewPushOutboxItem => ({
  id,
  offerId: `offer-${id}`,
  userId: "u1",
  installationId: "i1",
  orgId: "o1",
  storeId: "s1",
  title: "10% off",
  expiresAt: 100_000,
  nextAttemptAt: 1000,
  ...overrides,
});

/** What every backend's DeliveryRepository does: a durable outbox, first receipts, cap claims, policies. */
export function describeDeliveryRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`DeliveryRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let delivery: DeliveryRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      delivery = backend.repos.delivery;
      await backend.repos.directory.upsertOrganisation(org("o1"), 0);
      await backend.repos.users.upsertUser(user("u1", "o1"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("queues an offer once per installation and hands out what is due, earliest first", async () => {
      expect(await delivery.enqueuePush([item("a", { nextAttemptAt: 2000 }), item("b")], 0)).toBe(2);
      // The same offer and installation again (a redelivery): ignored.
      expect(await delivery.enqueuePush([item("c", { offerId: "offer-a" })], 0)).toBe(0);
      expect(await delivery.nextPushDueAt()).toBe(1000);
      expect((await delivery.duePush(999, 10)).map((i) => i.id)).toEqual([]);
      expect((await delivery.duePush(1000, 10)).map((i) => i.id)).toEqual(["b"]);
      expect((await delivery.duePush(5000, 1)).map((i) => i.id)).toEqual(["b"]);
      const due = await delivery.duePush(5000, 10);
      expect(due.map((i) => i.id)).toEqual(["b", "a"]);
      expect(due[0]).toEqual({ ...item("b"), status: "pending", attempts: 0, lastError: null, createdAt: 0, updatedAt: 0 });
    });

    it("reschedules, settles and dead-letters; a dead letter can be replayed", async () => {
      await delivery.enqueuePush([item("a"), item("b"), item("c")], 0);
      await delivery.reschedulePush("a", { attempts: 1, nextAttemptAt: 9000, error: "HTTP 503" }, 1000);
      expect(await delivery.pushItem("a")).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: 9000, lastError: "HTTP 503" });
      await delivery.settlePush("b", "sent", null, 1100);
      await delivery.settlePush("c", "dead", "HTTP 503 five times", 1200);
      // A final state is final: neither a late reschedule nor another settle changes it.
      await delivery.reschedulePush("b", { attempts: 3, nextAttemptAt: 0, error: "x" }, 1300);
      await delivery.settlePush("b", "dead", "late", 1300);
      expect(await delivery.pushItem("b")).toMatchObject({ status: "sent", attempts: 1, updatedAt: 1100 });
      expect((await delivery.duePush(10_000, 10)).map((i) => i.id)).toEqual(["a"]);
      const dead = await delivery.deadPush("o1", 10);
      expect(dead.map((i) => [i.id, i.lastError])).toEqual([["c", "HTTP 503 five times"]]);
      expect(await delivery.deadPush("o2", 10)).toEqual([]);
      expect(await delivery.replayPush("b", 2000)).toBe(false);
      expect(await delivery.replayPush("c", 2000)).toBe(true);
      expect(await delivery.pushItem("c")).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: 2000 });
      expect(await delivery.pushItem("zz")).toBeNull();
    });

    it("keeps the first receipt per offer and channel and counts them per period", async () => {
      await backend.repos.directory.upsertOrganisation(org("o2"), 0);
      await backend.repos.directory.upsertStore(store("s1", "o1"), 0);
      await backend.repos.directory.upsertStore(store("s2", "o1"), 0);
      await backend.repos.directory.upsertStore(store("s3", "o2"), 0);
      await delivery.recordReceipts([{ offerId: "x", storeId: "s1", channel: "mqtt" }], 100);
      await delivery.recordReceipts(
        [
          { offerId: "x", storeId: "s1", channel: "mqtt" },
          { offerId: "x", storeId: "s1", channel: "push" },
          { offerId: "y", storeId: "s2", channel: "pull" },
          { offerId: "z", storeId: "s3", channel: "pull" },
        ],
        200,
      );
      const all = { orgId: "o1", storeId: null, from: 0, to: 1000 };
      expect(await delivery.receiptCounts(all)).toEqual({ push: 1, mqtt: 1, pull: 1 });
      expect(await delivery.receiptCounts({ ...all, from: 150 })).toEqual({ push: 1, mqtt: 0, pull: 1 });
      expect(await delivery.receiptCounts({ ...all, to: 200 })).toEqual({ push: 0, mqtt: 1, pull: 0 });
      expect(await delivery.receiptCounts({ ...all, storeId: "s2" })).toEqual({ push: 0, mqtt: 0, pull: 1 });
      expect(await delivery.receiptCounts({ ...all, orgId: "o2" })).toEqual({ push: 0, mqtt: 0, pull: 1 });
    });

    it("lets one offer per member through the frequency cap, by any channel", async () => {
      const capMs = 60_000;
      expect(await delivery.claimNotification("u1", "A", 1000, capMs)).toBe(true);
      // The same offer by another channel: still A's notification.
      expect(await delivery.claimNotification("u1", "A", 2000, capMs)).toBe(true);
      expect(await delivery.claimNotification("u1", "B", 60_999, capMs)).toBe(false);
      expect(await delivery.claimNotification("u2", "B", 3000, capMs)).toBe(true);
      expect(await delivery.claimNotification("u1", "B", 61_000, capMs)).toBe(true);
      expect(await delivery.claimNotification("u1", "A", 61_500, capMs)).toBe(false);
    });

    it("keeps the cap exact for claims made at once: one offer per member wins, every claim of it holds", async () => {
      const capMs = 60_000;
      // u2's last notification is older than the window, u3's is inside it.
      await delivery.claimNotification("u2", "old", 0, capMs);
      await delivery.claimNotification("u3", "recent", 50_000, capMs);
      const claims = [
        ["u1", "A"], ["u1", "B"], ["u1", "A"], ["u1", "C"], ["u2", "D"], ["u2", "E"], ["u2", "D"], ["u3", "F"], ["u3", "recent"], ["u4", "G"],
      ] as const;
      const won = await Promise.all(claims.map(([userId, offerId]) => delivery.claimNotification(userId, offerId, 61_000, capMs)));
      const winners = new Map<string, Set<string>>();
      claims.forEach(([userId, offerId], i) => {
        if (won[i]) winners.set(userId, (winners.get(userId) ?? new Set()).add(offerId));
      });
      // Exactly one offer per member, and every claim of that offer holds (whatever order they ran in).
      for (const [userId, offers] of winners) {
        expect(offers.size, userId).toBe(1);
        const [offer] = offers;
        claims.forEach(([u, o], i) => {
          if (u === userId && o === offer) expect(won[i], `${u} ${o}`).toBe(true);
        });
      }
      expect([...winners.keys()].sort()).toEqual(["u1", "u2", "u3", "u4"]);
      expect(winners.get("u3")).toEqual(new Set(["recent"]));
      expect(winners.get("u4")).toEqual(new Set(["G"]));
      // What won is what is stored: a later claim of another offer inside the window loses.
      for (const [userId, offers] of winners) {
        const [offer = ""] = offers;
        expect(await delivery.claimNotification(userId, offer, 62_000, capMs)).toBe(true);
        expect(await delivery.claimNotification(userId, "other", 62_000, capMs)).toBe(false);
      }
    });

    it("settles items at once, each as if alone: first settle final, receipts once", async () => {
      await backend.repos.directory.upsertStore(store("s1", "o1"), 0);
      const ids = Array.from({ length: 40 }, (_, i) => `n${i}`);
      await delivery.enqueuePush(
        ids.map((id) => item(id)),
        0,
      );
      await Promise.all([
        ...ids.map((id, i) =>
          i % 4 === 3
            ? delivery.settlePush(id, "dead", `HTTP 400 ${id}`, 700 + i)
            : delivery.settlePush(id, "sent", null, 700 + i, { offerId: `offer-${id}`, storeId: "s1", channel: "push" }),
        ),
        // A repeat of a settled item's receipt (another installation) counts once.
        delivery.settlePush("missing", "sent", null, 800, { offerId: "offer-n0", storeId: "s1", channel: "push" }),
      ]);
      for (const [i, id] of ids.entries()) {
        const stored = await delivery.pushItem(id);
        if (i % 4 === 3) expect(stored, id).toMatchObject({ status: "dead", attempts: 1, lastError: `HTTP 400 ${id}`, updatedAt: 700 + i });
        else expect(stored, id).toMatchObject({ status: "sent", attempts: 1, lastError: null, updatedAt: 700 + i });
      }
      expect(await delivery.receiptCounts({ orgId: "o1", storeId: null, from: 0, to: 1000 })).toEqual({ push: 30, mqtt: 0, pull: 0 });
      // Two settles of one item at once: one of them, and only once.
      await delivery.enqueuePush([item("twice")], 0);
      await Promise.all([delivery.settlePush("twice", "sent", null, 900), delivery.settlePush("twice", "dead", "late", 901)]);
      const twice = await delivery.pushItem("twice");
      expect(twice?.attempts).toBe(1);
      expect(twice?.status === "sent" ? twice.updatedAt : twice?.lastError).toBe(twice?.status === "sent" ? 900 : "late");
    });

    it("settles a sent item and records its receipt together", async () => {
      await backend.repos.directory.upsertStore(store("s1", "o1"), 0);
      await delivery.enqueuePush([item("a")], 0);
      await delivery.settlePush("a", "sent", null, 500, { offerId: "offer-a", storeId: "s1", channel: "push" });
      expect(await delivery.pushItem("a")).toMatchObject({ status: "sent", updatedAt: 500 });
      expect(await delivery.receiptCounts({ orgId: "o1", storeId: null, from: 500, to: 501 })).toEqual({ push: 1, mqtt: 0, pull: 0 });
    });

    it("stores an organisation's policy and a store's override apart", async () => {
      expect(await delivery.pushPolicy("o1", null)).toBeNull();
      await delivery.setPushPolicy("o1", null, { quietHours: { start: "21:00", end: "08:00" }, frequencyCapMinutes: 30 }, 1);
      await delivery.setPushPolicy("o1", "s1", { quietHours: null, frequencyCapMinutes: null }, 1);
      await delivery.setPushPolicy("o1", null, { quietHours: { start: "22:00", end: "07:30" }, frequencyCapMinutes: 45 }, 2);
      expect(await delivery.pushPolicy("o1", null)).toEqual({ quietHours: { start: "22:00", end: "07:30" }, frequencyCapMinutes: 45 });
      expect(await delivery.pushPolicy("o1", "s1")).toEqual({ quietHours: null, frequencyCapMinutes: null });
      expect(await delivery.pushPolicy("o1", "s2")).toBeNull();
    });

    it("forgets an erased member's queued notifications and cap claim", async () => {
      await delivery.enqueuePush([item("a")], 0);
      await delivery.claimNotification("u1", "A", 1000, 60_000);
      await backend.repos.privacy.eraseUser("u1", "erased-1");
      expect(await delivery.pushItem("a")).toBeNull();
      expect(await delivery.claimNotification("u1", "B", 1001, 60_000)).toBe(true);
    });
  });
}
