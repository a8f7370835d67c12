import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectoryRepository } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, org, store } from "./repositoryContract.js";

/** What every backend's DirectoryRepository does: organisations, stores, zones and gateways. */
export function describeDirectoryRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`DirectoryRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let directory: DirectoryRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      directory = backend.repos.directory;
      await directory.upsertOrganisation(org("o2"), 0);
      await directory.upsertOrganisation(org("o1"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("moves its change counter on every directory write, by whichever port, and not on reads", async () => {
      let last = await directory.directoryChanges();
      const moved = async (): Promise<boolean> => {
        const now = await directory.directoryChanges();
        const changed = now !== last;
        last = now;
        return changed;
      };
      await directory.upsertOrganisation({ id: "o1", name: "Renamed", maxOffersPerUserPerDay: 7 }, 1);
      expect(await moved()).toBe(true);
      await directory.upsertStore(store("s1", "o1"), 1);
      expect(await moved()).toBe(true);
      await directory.upsertZone({ id: "z1", storeId: "s1", name: "Zone", tags: [], geometry: {} });
      expect(await moved()).toBe(true);
      await backend.repos.users.upsertUser(
        { id: "u1", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
        1,
      );
      expect(await moved()).toBe(true);
      await directory.getStore("s1");
      await directory.listOrganisations();
      expect(await moved()).toBe(false);
    });

    it("upserts organisations, lists them by id and answers null for an unknown one", async () => {
      await directory.upsertOrganisation({ id: "o1", name: "Renamed", maxOffersPerUserPerDay: 7 }, 1);
      expect(await directory.getOrganisation("o1")).toEqual({ id: "o1", name: "Renamed", maxOffersPerUserPerDay: 7 });
      expect((await directory.listOrganisations()).map((o) => o.id)).toEqual(["o1", "o2"]);
      expect(await directory.getOrganisation("nobody")).toBeNull();
    });

    it("creates an organisation once and keeps its creation time and suspension", async () => {
      expect(await directory.createOrganisation({ id: "o3", name: "Third", maxOffersPerUserPerDay: 3 }, 100)).toBe(true);
      expect(await directory.createOrganisation({ id: "o3", name: "Taken", maxOffersPerUserPerDay: 9 }, 200)).toBe(false);
      expect(await directory.getOrganisationStatus("o3")).toEqual({ id: "o3", name: "Third", createdAt: 100, suspendedAt: null });
      expect(await directory.setOrganisationSuspended("o3", 300)).toBe(true);
      // A second suspension keeps the first time.
      expect(await directory.setOrganisationSuspended("o3", 400)).toBe(false);
      expect((await directory.getOrganisationStatus("o3"))?.suspendedAt).toBe(300);
      expect((await directory.listOrganisationStatuses()).map((o) => [o.id, o.suspendedAt])).toEqual([
        ["o1", null],
        ["o2", null],
        ["o3", 300],
      ]);
      expect(await directory.setOrganisationSuspended("o3", null)).toBe(true);
      expect(await directory.setOrganisationSuspended("o3", null)).toBe(false);
      expect((await directory.getOrganisationStatus("o3"))?.suspendedAt).toBeNull();
      expect(await directory.setOrganisationSuspended("nobody", 1)).toBe(false);
      expect(await directory.getOrganisationStatus("nobody")).toBeNull();
    });

    it("upserts a store: a second upsert updates it and keeps its organisation and address", async () => {
      expect(await directory.createStore({ ...store("s1", "o1"), address: "1 Main St" }, 0)).toBe(true);
      await directory.upsertStore(
        store("s1", "o2", { name: "New name", timezone: "Asia/Hong_Kong", lat: 22.3, lon: 114.2, tags: ["flagship"] }),
        1,
      );
      expect(await directory.getStore("s1")).toEqual({
        id: "s1",
        orgId: "o1",
        name: "New name",
        timezone: "Asia/Hong_Kong",
        lat: 22.3,
        lon: 114.2,
        tags: ["flagship"],
      });
      expect((await directory.getStoreDetails("s1"))?.address).toBe("1 Main St");
      expect(await directory.getStore("nowhere")).toBeNull();
      expect(await directory.getStoreDetails("nowhere")).toBeNull();
    });

    it("creates a store once: an id taken by any organisation is refused and left as it was", async () => {
      expect(await directory.createStore({ ...store("s1", "o1"), address: null }, 0)).toBe(true);
      expect(await directory.createStore({ ...store("s1", "o2", { name: "Other" }), address: "x" }, 0)).toBe(false);
      expect(await directory.getStoreDetails("s1")).toEqual({ ...store("s1", "o1"), address: null });
    });

    it("lists an organisation's stores by id, or only the one a store-bound key names", async () => {
      for (const id of ["s3", "s1", "s2"]) await directory.createStore({ ...store(id, "o1"), address: null }, 0);
      await directory.createStore({ ...store("x1", "o2"), address: null }, 0);
      expect((await directory.listStores("o1", null)).map((s) => s.id)).toEqual(["s1", "s2", "s3"]);
      expect((await directory.listStores("o1", "s2")).map((s) => s.id)).toEqual(["s2"]);
      // A store of another organisation is not listed even when named.
      expect(await directory.listStores("o1", "x1")).toEqual([]);
    });

    it("updates a store only within its organisation", async () => {
      await directory.createStore({ ...store("s1", "o1"), address: null }, 0);
      await directory.updateStore({ ...store("s1", "o1", { name: "Moved", tags: ["a"] }), address: "2 High St" }, 1);
      expect(await directory.getStoreDetails("s1")).toEqual({ ...store("s1", "o1", { name: "Moved", tags: ["a"] }), address: "2 High St" });
      await directory.updateStore({ ...store("s1", "o2", { name: "Hijacked" }), address: null }, 2);
      expect((await directory.getStoreDetails("s1"))?.name).toBe("Moved");
    });

    describe("zones", () => {
      beforeEach(async () => {
        await directory.upsertStore(store("s1", "o1"), 0);
        await directory.upsertStore(store("s2", "o1"), 0);
      });

      it("upserts zones per store, keeps their geometry whole and lists them by id", async () => {
        const geometry = { id: "z2", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 };
        await directory.upsertZone({ id: "z2", storeId: "s1", name: "Till", tags: ["till"], geometry });
        await directory.upsertZone({ id: "z1", storeId: "s1", name: "Door", tags: [], geometry: { id: "z1" } });
        await directory.upsertZone({ id: "z1", storeId: "s2", name: "Other door", tags: [], geometry: { id: "z1" } });
        await directory.upsertZone({ id: "z1", storeId: "s1", name: "Entrance", tags: ["door"], geometry: { id: "z1", v: 2 } });
        expect(await directory.getZone("s1", "z2")).toEqual({ id: "z2", storeId: "s1", name: "Till", tags: ["till"], geometry });
        expect(await directory.getZone("s1", "z1")).toEqual({
          id: "z1",
          storeId: "s1",
          name: "Entrance",
          tags: ["door"],
          geometry: { id: "z1", v: 2 },
        });
        expect((await directory.getZone("s2", "z1"))?.name).toBe("Other door");
        expect((await directory.listZones("s1")).map((z) => z.id)).toEqual(["z1", "z2"]);
        expect(await directory.getZone("s1", "nope")).toBeNull();
        expect(await directory.getZone("s3", "z1")).toBeNull();
        expect(await directory.listZones("s3")).toEqual([]);
      });

      it("creates a zone once per store, and deletes only what exists", async () => {
        const zone = { id: "z1", storeId: "s1", name: "Door", tags: [], geometry: { id: "z1" } };
        expect(await directory.createZone(zone)).toBe(true);
        expect(await directory.createZone({ ...zone, name: "Again" })).toBe(false);
        expect((await directory.getZone("s1", "z1"))?.name).toBe("Door");
        expect(await directory.createZone({ ...zone, storeId: "s2" })).toBe(true);
        expect(await directory.deleteZone("s1", "z1")).toBe(true);
        expect(await directory.deleteZone("s1", "z1")).toBe(false);
        expect(await directory.getZone("s1", "z1")).toBeNull();
        expect(await directory.getZone("s2", "z1")).not.toBeNull();
      });

      it("replaces a store's zones: a zone without tags keeps those of the zone it replaces", async () => {
        await directory.upsertZone({ id: "z1", storeId: "s1", name: "Door", tags: ["door"], geometry: { id: "z1" } });
        await directory.upsertZone({ id: "z2", storeId: "s1", name: "Till", tags: ["till"], geometry: { id: "z2" } });
        await directory.upsertZone({ id: "z9", storeId: "s2", name: "Elsewhere", tags: [], geometry: { id: "z9" } });
        await directory.replaceZones("s1", [
          { id: "z1", name: "Door 2", geometry: { id: "z1", v: 2 } },
          { id: "z3", name: "New", geometry: { id: "z3" } },
          { id: "z4", name: "Tagged", tags: ["t"], geometry: { id: "z4" } },
        ]);
        expect(await directory.listZones("s1")).toEqual([
          { id: "z1", storeId: "s1", name: "Door 2", tags: ["door"], geometry: { id: "z1", v: 2 } },
          { id: "z3", storeId: "s1", name: "New", tags: [], geometry: { id: "z3" } },
          { id: "z4", storeId: "s1", name: "Tagged", tags: ["t"], geometry: { id: "z4" } },
        ]);
        expect((await directory.listZones("s2")).map((z) => z.id)).toEqual(["z9"]);
      });
    });

    describe("gateways", () => {
      beforeEach(async () => {
        await directory.upsertStore(store("s1", "o1"), 0);
        await directory.upsertStore(store("s2", "o2"), 0);
      });

      it("registers a gateway, renames it in its own store, and never moves one of another store", async () => {
        expect(await directory.upsertGateway({ id: "g1", storeId: "s1", name: "Door" }, 0)).toBe("created");
        expect(await directory.upsertGateway({ id: "g1", storeId: "s1", name: "Front door" }, 1)).toBe("renamed");
        expect(await directory.upsertGateway({ id: "g1", storeId: "s2", name: "Stolen" }, 2)).toBe("taken");
        expect(await directory.getGateway("g1")).toEqual({ id: "g1", storeId: "s1", name: "Front door" });
        expect(await directory.getGateway("ghost")).toBeNull();
      });

      it("gives one answer to concurrent registrations of the same id", async () => {
        const answers = await Promise.all([
          directory.upsertGateway({ id: "g1", storeId: "s1", name: "A" }, 0),
          directory.upsertGateway({ id: "g1", storeId: "s2", name: "B" }, 0),
        ]);
        expect([...answers].sort()).toEqual(["created", "taken"]);
        const owner = answers[0] === "created" ? "s1" : "s2";
        expect((await directory.getGateway("g1"))?.storeId).toBe(owner);
      });
    });
  });
}
