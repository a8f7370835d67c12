import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UserRepository } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, BEACON, type MakeBackend, org, user } from "./repositoryContract.js";

const identity = { kind: "ibeacon", uuid: "f7826da6-4fa2-4e98-8024-bc5b71e0893e", major: 1, minor: 2 };

/** What every backend's UserRepository does: app users and the devices registered to them. */
export function describeUserRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`UserRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let users: UserRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      users = backend.repos.users;
      await backend.repos.directory.upsertOrganisation(org("o1"), 0);
      await backend.repos.directory.upsertOrganisation(org("o2"), 0);
      await users.upsertUser(user("u1", "o1"), 0);
      await users.upsertUser(user("u2", "o1"), 0);
      await users.upsertUser(user("x1", "o2"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("upserts a user's profile and consents, keeps the organisation, and answers null for nobody", async () => {
      const changed = user("u1", "o2", {
        displayName: "Ada",
        segments: ["vip", "coffee"],
        loyaltyTier: "gold",
        marketingConsent: false,
        analyticsConsent: false,
      });
      await users.upsertUser(changed, 1);
      expect(await users.getUser("u1")).toEqual({ ...changed, orgId: "o1" });
      expect(await users.getUser("nobody")).toBeNull();
    });

    it("reads many users at once: those that exist, whatever the order or the organisation", async () => {
      const ids = ["x1", "nobody", "u1", ...Array.from({ length: 1200 }, (_, k) => `missing-${k}`), "u2"];
      const found = await users.usersByIds(ids);
      expect(found.map((u) => u.id).sort()).toEqual(["u1", "u2", "x1"]);
      expect(found.find((u) => u.id === "x1")).toEqual(await users.getUser("x1"));
      expect(await users.usersByIds([])).toEqual([]);
    });

    it("counts the members a rule's audience reaches: consenting, in a segment and a tier given", async () => {
      // u1 and u2 (the defaults) consent to marketing; x1 is another organisation's.
      await users.upsertUser(user("u3", "o1", { segments: ["vip", "coffee"], loyaltyTier: "gold" }), 1);
      await users.upsertUser(user("u4", "o1", { segments: ["v_p", "50%"], loyaltyTier: "silver" }), 1);
      await users.upsertUser(user("u5", "o1", { segments: ["vip"], loyaltyTier: "gold", marketingConsent: false }), 1);
      await users.upsertUser(user("u6", "o1", { segments: ['say "vip"'], loyaltyTier: null }), 1);
      const everyone = await users.countReachable("o1", {});
      expect(everyone).toBe(5);
      expect(await users.countReachable("o1", { segments: ["vip"] })).toBe(1);
      // LIKE's wildcards in a segment are literal: "v_p" is not "vip", "50%" not "50".
      expect(await users.countReachable("o1", { segments: ["v_p"] })).toBe(1);
      expect(await users.countReachable("o1", { segments: ["50"] })).toBe(0);
      expect(await users.countReachable("o1", { segments: ['say "vip"'] })).toBe(1);
      expect(await users.countReachable("o1", { segments: ["vip", "50%"] })).toBe(2);
      expect(await users.countReachable("o1", { tiers: ["gold", "silver"] })).toBe(2);
      expect(await users.countReachable("o1", { segments: ["vip"], tiers: ["silver"] })).toBe(0);
      expect(await users.countReachable("o1", { segments: [] })).toBe(0);
      expect(await users.countReachable("o2", { segments: ["vip"] })).toBe(0);
    });

    it("adds a device: added, then exists (label updated), taken for another user of the organisation", async () => {
      expect(await users.addDevice({ subjectId: BEACON, userId: "u1", label: "keys", identity }, 10)).toBe("added");
      expect(await users.addDevice({ subjectId: BEACON, userId: "u1", label: "bag", identity }, 11)).toBe("exists");
      expect(await users.addDevice({ subjectId: BEACON, userId: "u2", label: "mine", identity }, 12)).toBe("taken");
      expect(await users.listDevices("u1")).toEqual([
        { subjectId: BEACON, userId: "u1", label: "bag", identity, createdAt: 10 },
      ]);
      expect(await users.listDevices("u2")).toEqual([]);
    });

    it("keeps one registry per organisation: another retailer's user may register the same beacon", async () => {
      expect(await users.addDevice({ subjectId: BEACON, userId: "u1", label: null, identity }, 10)).toBe("added");
      expect(await users.addDevice({ subjectId: BEACON, userId: "x1", label: null, identity }, 11)).toBe("added");
      expect((await users.listDevices("x1")).map((d) => d.subjectId)).toEqual([BEACON]);
      expect((await users.listDevices("u1")).map((d) => d.subjectId)).toEqual([BEACON]);
    });

    it("refuses a device for a user who does not exist", async () => {
      await expect(users.addDevice({ subjectId: BEACON, userId: "ghost", label: null, identity }, 0)).rejects.toThrow();
      await expect(users.registerDevice(BEACON, "ghost", null, 0)).rejects.toThrow();
    });

    it("lists a user's devices oldest first, and removes only the user's own", async () => {
      await users.addDevice({ subjectId: "ibeacon:b", userId: "u1", label: null, identity: null }, 20);
      await users.addDevice({ subjectId: "ibeacon:a", userId: "u1", label: null, identity: null }, 30);
      await users.addDevice({ subjectId: "ibeacon:c", userId: "u1", label: null, identity: null }, 20);
      expect((await users.listDevices("u1")).map((d) => d.subjectId)).toEqual(["ibeacon:b", "ibeacon:c", "ibeacon:a"]);
      expect(await users.removeDevice("u2", "ibeacon:a")).toBe(false);
      expect(await users.removeDevice("u1", "ibeacon:a")).toBe(true);
      expect(await users.removeDevice("u1", "ibeacon:a")).toBe(false);
      expect((await users.listDevices("u1")).map((d) => d.subjectId)).toEqual(["ibeacon:b", "ibeacon:c"]);
    });

    it("registers a device for seeding, moving it from another user of the organisation", async () => {
      await users.registerDevice(BEACON, "u1", "first", 0);
      await users.registerDevice(BEACON, "u2", "second", 1);
      expect(await users.listDevices("u1")).toEqual([]);
      expect((await users.listDevices("u2")).map((d) => [d.subjectId, d.label])).toEqual([[BEACON, "second"]]);
    });
  });
}
