import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewPushRegistration, Repositories } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, org, user } from "./repositoryContract.js";

const webPush = (userId: string, installationId: string, token: string): NewPushRegistration => ({
  userId,
  installationId,
  orgId: "o1",
  provider: "webpush",
  token,
  keys: { p256dh: "BPub", auth: "secret" },
  environment: null,
});

/** What every backend's PushRegistrationRepository does: one registration per installation, one holder per token. */
export function describePushRegistrationRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`PushRegistrationRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let repos: Repositories;

    beforeEach(async () => {
      backend = await makeBackend();
      repos = backend.repos;
      await repos.directory.upsertOrganisation(org("o1"), 0);
      await repos.users.upsertUser(user("u1", "o1"), 0);
      await repos.users.upsertUser(user("u2", "o1"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("creates, replaces (keeping the creation time) and lists registrations by installation", async () => {
      const first = await repos.pushRegistrations.upsertPushRegistration(webPush("u1", "i2", "https://p/a"), 10);
      expect(first.created).toBe(true);
      await repos.pushRegistrations.upsertPushRegistration(
        { userId: "u1", installationId: "i1", orgId: "o1", provider: "apns", token: "ab12", keys: null, environment: "development" },
        20,
      );
      const replaced = await repos.pushRegistrations.upsertPushRegistration(webPush("u1", "i2", "https://p/b"), 30);
      expect(replaced).toEqual({
        created: false,
        registration: { ...webPush("u1", "i2", "https://p/b"), createdAt: 10, updatedAt: 30 },
      });
      const listed = await repos.pushRegistrations.pushRegistrations("u1");
      expect(listed.map((r) => [r.installationId, r.provider, r.token, r.createdAt, r.updatedAt])).toEqual([
        ["i1", "apns", "ab12", 20, 20],
        ["i2", "webpush", "https://p/b", 10, 30],
      ]);
      expect(listed[0]?.environment).toBe("development");
      expect(listed[0]?.keys).toBeNull();
      expect(await repos.pushRegistrations.pushRegistration("u1", "i2")).toEqual(replaced.registration);
      expect(await repos.pushRegistrations.pushRegistrations("u2")).toEqual([]);
    });

    it("reads the registrations of many members at once", async () => {
      await repos.pushRegistrations.upsertPushRegistration(webPush("u2", "i1", "https://p/c"), 10);
      await repos.pushRegistrations.upsertPushRegistration(webPush("u1", "i2", "https://p/b"), 10);
      await repos.pushRegistrations.upsertPushRegistration(webPush("u1", "i1", "https://p/a"), 10);
      const read = await repos.pushRegistrations.pushRegistrationsOf(["u2", "u1", "u2", "nobody"]);
      expect(read.map((r) => [r.userId, r.installationId, r.token])).toEqual([
        ["u1", "i1", "https://p/a"],
        ["u1", "i2", "https://p/b"],
        ["u2", "i1", "https://p/c"],
      ]);
      expect(read[0]).toEqual(await repos.pushRegistrations.pushRegistration("u1", "i1"));
      expect(await repos.pushRegistrations.pushRegistrationsOf([])).toEqual([]);
      // More members than one statement reads.
      const many = Array.from({ length: 1200 }, (_, i) => `m${i}`);
      expect(await repos.pushRegistrations.pushRegistrationsOf([...many, "u2"])).toHaveLength(1);
    });

    it("moves a token to its newest holder", async () => {
      await repos.pushRegistrations.upsertPushRegistration(webPush("u1", "i1", "https://p/same"), 10);
      await repos.pushRegistrations.upsertPushRegistration(webPush("u2", "i9", "https://p/same"), 20);
      expect(await repos.pushRegistrations.pushRegistrations("u1")).toEqual([]);
      expect((await repos.pushRegistrations.pushRegistrations("u2")).map((r) => r.installationId)).toEqual(["i9"]);
    });

    it("removes by installation and by token, saying whether anything went", async () => {
      await repos.pushRegistrations.upsertPushRegistration(webPush("u1", "i1", "https://p/1"), 10);
      await repos.pushRegistrations.upsertPushRegistration(webPush("u1", "i2", "https://p/2"), 10);
      expect(await repos.pushRegistrations.removePushRegistration("u1", "i1")).toBe(true);
      expect(await repos.pushRegistrations.removePushRegistration("u1", "i1")).toBe(false);
      expect(await repos.pushRegistrations.removePushToken("apns", "https://p/2")).toBe(0);
      expect(await repos.pushRegistrations.removePushToken("webpush", "https://p/2")).toBe(1);
      expect(await repos.pushRegistrations.pushRegistrations("u1")).toEqual([]);
    });

    it("forgets an erased member's registrations", async () => {
      await repos.pushRegistrations.upsertPushRegistration(webPush("u1", "i1", "https://p/1"), 10);
      await repos.privacy.eraseUser("u1", "erased-1");
      expect(await repos.pushRegistrations.pushRegistrations("u1")).toEqual([]);
    });
  });
}
