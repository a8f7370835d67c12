import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Pickup } from "../../../cloud/src/domain/coupons/index.js";
import type { Repositories } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, seedStore, store, user } from "./repositoryContract.js";

const T0 = Date.parse("2026-11-22T09:00:00.000Z");
const HOUR_MS = 3_600_000;

const pickup = (n: number, overrides: Partial<Pickup> = {}): Pickup => ({
  pickupId: `pickup-${n}`,
  orgId: "o1",
  storeId: "s1",
  userId: "u1",
  orderId: `order-${n}`,
  code: `CODE-${n}`,
  state: "awaiting",
  createdAt: T0,
  expiresAt: T0 + HOUR_MS,
  arrivedAt: null,
  collectedAt: null,
  ...overrides,
});

/** What every backend's PickupRepository does: one order per store and order id, arrival marked once, collection once. */
export function describePickupRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`PickupRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let repos: Repositories;

    beforeEach(async () => {
      backend = await makeBackend();
      repos = backend.repos;
      await seedStore(repos);
      await repos.directory.upsertStore(store("s2", "o1"), 0);
      await repos.users.upsertUser(user("u1", "o1"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("stores an order once per store and order id", async () => {
      expect(await repos.pickups.createPickup(pickup(1))).toBe(true);
      expect(await repos.pickups.createPickup(pickup(2, { orderId: "order-1" }))).toBe(false);
      expect(await repos.pickups.createPickup(pickup(3, { orderId: "order-1", storeId: "s2" }))).toBe(true);
      expect(await repos.pickups.getPickup("pickup-1")).toEqual(pickup(1));
      expect(await repos.pickups.getPickup("nope")).toBeNull();
    });

    it("lists an organisation's orders newest first, by store and state, within the limit", async () => {
      await repos.pickups.createPickup(pickup(1));
      await repos.pickups.createPickup(pickup(2, { createdAt: T0 + 2 }));
      await repos.pickups.createPickup(pickup(3, { createdAt: T0 + 1, storeId: "s2" }));
      await repos.pickups.createPickup(pickup(4, { createdAt: T0 + 3, orgId: "o2" }));
      await repos.pickups.markArrived("u1", "s1", T0 + 10);
      const ids = (list: Pickup[]) => list.map((p) => p.pickupId);
      expect(ids(await repos.pickups.listPickups({ orgId: "o1", limit: 10 }))).toEqual(["pickup-2", "pickup-3", "pickup-1"]);
      expect(ids(await repos.pickups.listPickups({ orgId: "o1", storeId: "s1", limit: 10 }))).toEqual(["pickup-2", "pickup-1"]);
      expect(ids(await repos.pickups.listPickups({ orgId: "o1", limit: 2 }))).toEqual(["pickup-2", "pickup-3"]);
      expect(ids(await repos.pickups.listPickups({ orgId: "o1", states: ["awaiting"], limit: 10 }))).toEqual(["pickup-3"]);
      expect(ids(await repos.pickups.listPickups({ orgId: "o1", storeId: "s1", states: ["arrived", "collected"], limit: 10 }))).toEqual([
        "pickup-2",
        "pickup-1",
      ]);
      expect(await repos.pickups.listPickups({ orgId: "o1", states: [], limit: 10 })).toEqual([]);
      expect(await repos.pickups.listPickups({ orgId: "o1", storeId: "s1", limit: 1 })).toEqual([
        { ...pickup(2, { createdAt: T0 + 2 }), state: "arrived", arrivedAt: T0 + 10 },
      ]);
    });

    it("marks an awaiting order arrived once, at its store, before it expires", async () => {
      await repos.pickups.createPickup(pickup(1));
      await repos.pickups.createPickup(pickup(2, { expiresAt: T0 + 1 }));
      expect(await repos.pickups.markArrived("u1", "s2", T0 + 10)).toEqual([]);
      const [first, again] = await Promise.all([repos.pickups.markArrived("u1", "s1", T0 + 10), repos.pickups.markArrived("u1", "s1", T0 + 11)]);
      expect([...(first ?? []), ...(again ?? [])]).toEqual([{ ...pickup(1), state: "arrived", arrivedAt: T0 + 10 }]);
      expect(await repos.pickups.getPickup("pickup-1")).toMatchObject({ state: "arrived", arrivedAt: T0 + 10 });
      expect(await repos.pickups.getPickup("pickup-2")).toMatchObject({ state: "awaiting" });
    });

    it("hands an order over once by its code, at its store, before it expires", async () => {
      await repos.pickups.createPickup(pickup(1));
      await repos.pickups.createPickup(pickup(2));
      expect(await repos.pickups.collect("CODE-X", "s1", T0)).toMatchObject({ ok: false, reason: "unknown-code" });
      expect(await repos.pickups.collect("CODE-1", "s2", T0)).toMatchObject({ ok: false, reason: "wrong-store" });
      const results = await Promise.all([1, 2, 3].map(() => repos.pickups.collect("CODE-1", "s1", T0 + 5)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === "already-collected")).toHaveLength(2);
      expect(await repos.pickups.getPickup("pickup-1")).toMatchObject({ state: "collected", collectedAt: T0 + 5 });
      expect(await repos.pickups.collect("CODE-2", "s1", T0 + HOUR_MS)).toMatchObject({ ok: false, reason: "expired" });
    });
  });
}
