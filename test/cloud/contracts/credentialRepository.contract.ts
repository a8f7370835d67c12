import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CredentialRepository } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, seedStore, user } from "./repositoryContract.js";

const key = (id: string, overrides: { userId?: string | null; storeId?: string | null } = {}) => ({
  id,
  secretHash: `hash-of-${id}`,
  role: "app" as const,
  orgId: "o1",
  storeId: overrides.storeId ?? null,
  userId: overrides.userId ?? null,
  label: `key ${id}`,
});

/** What every backend's CredentialRepository does: API keys and MQTT credentials, by hash. */
export function describeCredentialRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`CredentialRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let credentials: CredentialRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      credentials = backend.repos.credentials;
      await seedStore(backend.repos);
      await backend.repos.users.upsertUser(user("u1", "o1"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("keeps each MQTT identity as given and answers null for an unknown username", async () => {
      await credentials.putMqttCredential(
        { username: "gw-g1", secretHash: "h1", identity: { role: "gateway", storeId: "s1", gatewayId: "g1" } },
        0,
      );
      await credentials.putMqttCredential({ username: "app-u1", secretHash: "h2", identity: { role: "app", userId: "u1" } }, 0);
      await credentials.putMqttCredential({ username: "svc", secretHash: "h3", identity: { role: "service", name: "svc" } }, 0);
      await credentials.putMqttCredential(
        { username: "store-c1", secretHash: "h4", identity: { role: "store", storeId: "s1", deviceId: "counter-1" } },
        0,
      );
      expect(await credentials.getMqttCredential("gw-g1")).toEqual({
        username: "gw-g1",
        secretHash: "h1",
        identity: { role: "gateway", storeId: "s1", gatewayId: "g1" },
        revokedAt: null,
      });
      expect((await credentials.getMqttCredential("app-u1"))?.identity).toEqual({ role: "app", userId: "u1" });
      expect((await credentials.getMqttCredential("svc"))?.identity).toEqual({ role: "service", name: "svc" });
      expect(await credentials.getMqttCredential("store-c1")).toEqual({
        username: "store-c1",
        secretHash: "h4",
        identity: { role: "store", storeId: "s1", deviceId: "counter-1" },
        revokedAt: null,
      });
      expect(await credentials.getMqttCredential("nobody")).toBeNull();
    });

    it("revokes an MQTT credential once; putting it again (rotation) makes it valid again", async () => {
      const record = { username: "app-u1", secretHash: "h1", identity: { role: "app" as const, userId: "u1" } };
      await credentials.putMqttCredential(record, 0);
      expect(await credentials.revokeMqttCredential("app-u1", 50)).toBe(true);
      expect(await credentials.revokeMqttCredential("app-u1", 60)).toBe(false);
      expect(await credentials.revokeMqttCredential("nobody", 60)).toBe(false);
      expect((await credentials.getMqttCredential("app-u1"))?.revokedAt).toBe(50);
      await credentials.putMqttCredential({ ...record, secretHash: "h2" }, 70);
      expect(await credentials.getMqttCredential("app-u1")).toEqual({ ...record, secretHash: "h2", revokedAt: null });
    });

    it("lists revocations at or after a time, oldest first", async () => {
      for (const username of ["a", "b", "c"])
        await credentials.putMqttCredential({ username, secretHash: "h", identity: { role: "app", userId: "u1" } }, 0);
      await credentials.revokeMqttCredential("b", 300);
      await credentials.revokeMqttCredential("a", 100);
      await credentials.revokeMqttCredential("c", 200);
      expect(await credentials.revokedMqttCredentialsSince(200)).toEqual([
        { username: "c", revokedAt: 200 },
        { username: "b", revokedAt: 300 },
      ]);
      expect(await credentials.revokedMqttCredentialsSince(301)).toEqual([]);
    });

    it("pages through the unrevoked MQTT logins by username, with each identity, to an empty page", async () => {
      await credentials.putMqttCredential({ username: "gw.s1.g1", secretHash: "h", identity: { role: "gateway", storeId: "s1", gatewayId: "g1" } }, 0);
      await credentials.putMqttCredential({ username: "app.u1", secretHash: "h", identity: { role: "app", userId: "u1" } }, 0);
      await credentials.putMqttCredential({ username: "app.u0", secretHash: "h", identity: { role: "app", userId: "u0" } }, 0);
      await credentials.putMqttCredential({ username: "svc.cloud", secretHash: "h", identity: { role: "service", name: "cloud" } }, 0);
      await credentials.putMqttCredential(
        { username: "store.s1.c1", secretHash: "h", identity: { role: "store", storeId: "s1", deviceId: "c1" } },
        0,
      );
      await credentials.revokeMqttCredential("app.u0", 10);
      const first = await credentials.liveMqttAccounts(null, 2);
      expect(first).toEqual([
        { username: "app.u1", identity: { role: "app", userId: "u1" } },
        { username: "gw.s1.g1", identity: { role: "gateway", storeId: "s1", gatewayId: "g1" } },
      ]);
      const second = await credentials.liveMqttAccounts("gw.s1.g1", 2);
      expect(second).toEqual([
        { username: "store.s1.c1", identity: { role: "store", storeId: "s1", deviceId: "c1" } },
        // A service login is named by its username, as getMqttCredential reads it.
        { username: "svc.cloud", identity: { role: "service", name: "svc.cloud" } },
      ]);
      expect(await credentials.liveMqttAccounts("svc.cloud", 2)).toEqual([]);
      // A revoked login issued again is live again.
      await credentials.putMqttCredential({ username: "app.u0", secretHash: "h2", identity: { role: "app", userId: "u0" } }, 20);
      expect((await credentials.liveMqttAccounts(null, 10)).map((a) => a.username)).toEqual([
        "app.u0",
        "app.u1",
        "gw.s1.g1",
        "store.s1.c1",
        "svc.cloud",
      ]);
    });

    it("answers an empty page of MQTT logins only at the end, past a page's worth of rows naming no identity", async () => {
      // Rows a page leaves out (an app login whose user id is empty names no identity) must not
      // make a page empty before the live logins after them.
      for (const n of ["a1", "a2", "a3"]) {
        await credentials.putMqttCredential({ username: `app.${n}`, secretHash: "h", identity: { role: "app", userId: "" } }, 0);
      }
      await credentials.putMqttCredential({ username: "gw.s1.g1", secretHash: "h", identity: { role: "gateway", storeId: "s1", gatewayId: "g1" } }, 0);
      expect(await credentials.liveMqttAccounts(null, 2)).toEqual([
        { username: "gw.s1.g1", identity: { role: "gateway", storeId: "s1", gatewayId: "g1" } },
      ]);
      expect(await credentials.liveMqttAccounts("gw.s1.g1", 2)).toEqual([]);
    });

    it("finds an organisation's unrevoked MQTT logins through its stores and users, and each login's organisation", async () => {
      await backend.repos.directory.upsertOrganisation({ id: "o2", name: "o2", maxOffersPerUserPerDay: 3 }, 0);
      await backend.repos.users.upsertUser(user("u2", "o2"), 0);
      await credentials.putMqttCredential({ username: "gw", secretHash: "h", identity: { role: "gateway", storeId: "s1", gatewayId: "g1" } }, 0);
      await credentials.putMqttCredential({ username: "app1", secretHash: "h", identity: { role: "app", userId: "u1" } }, 0);
      await credentials.putMqttCredential({ username: "app1-old", secretHash: "h", identity: { role: "app", userId: "u1" } }, 0);
      await credentials.putMqttCredential({ username: "app2", secretHash: "h", identity: { role: "app", userId: "u2" } }, 0);
      await credentials.putMqttCredential({ username: "svc", secretHash: "h", identity: { role: "service", name: "svc" } }, 0);
      await credentials.putMqttCredential(
        { username: "store", secretHash: "h", identity: { role: "store", storeId: "s1", deviceId: "counter-1" } },
        0,
      );
      await credentials.revokeMqttCredential("app1-old", 10);
      expect(await credentials.mqttUsernamesOfOrganisation("o1")).toEqual(["app1", "gw", "store"]);
      expect(await credentials.mqttUsernamesOfOrganisation("o2")).toEqual(["app2"]);
      expect(await credentials.mqttUsernamesOfOrganisation("nobody")).toEqual([]);
      expect(await credentials.organisationOfMqtt("gw")).toBe("o1");
      expect(await credentials.organisationOfMqtt("app2")).toBe("o2");
      expect(await credentials.organisationOfMqtt("store")).toBe("o1");
      expect(await credentials.organisationOfMqtt("svc")).toBeNull();
      expect(await credentials.organisationOfMqtt("nobody")).toBeNull();
    });

    it("lists a store's devices with their logins, revoked ones included, and nothing of other stores or roles", async () => {
      const device = (storeId: string, deviceId: string) => ({
        username: `store.${storeId}.${deviceId}`,
        secretHash: "h",
        identity: { role: "store" as const, storeId, deviceId },
      });
      await credentials.putMqttCredential(device("s1", "pos-2"), 200);
      await credentials.putMqttCredential(device("s1", "counter-1"), 100);
      await credentials.putMqttCredential(device("s2", "counter-1"), 100);
      await credentials.putMqttCredential({ username: "gw", secretHash: "h", identity: { role: "gateway", storeId: "s1", gatewayId: "g1" } }, 0);
      await credentials.revokeMqttCredential("store.s1.pos-2", 300);
      expect(await credentials.storeDeviceCredentials("s1")).toEqual([
        { deviceId: "counter-1", username: "store.s1.counter-1", createdAt: 100, revokedAt: null },
        { deviceId: "pos-2", username: "store.s1.pos-2", createdAt: 200, revokedAt: 300 },
      ]);
      // Issuing again (rotation) keeps the first issue's date and makes it active again.
      await credentials.putMqttCredential({ ...device("s1", "pos-2"), secretHash: "h2" }, 400);
      expect((await credentials.storeDeviceCredentials("s1"))[1]).toEqual({
        deviceId: "pos-2",
        username: "store.s1.pos-2",
        createdAt: 200,
        revokedAt: null,
      });
      expect(await credentials.storeDeviceCredentials("nowhere")).toEqual([]);
    });

    it("stores an API key once and revokes it once", async () => {
      await credentials.putApiKey(key("k1", { storeId: "s1" }), 0);
      expect(await credentials.getApiKey("k1")).toEqual({ ...key("k1", { storeId: "s1" }), revokedAt: null });
      await expect(credentials.putApiKey(key("k1"), 1)).rejects.toThrow();
      expect(await credentials.revokeApiKey("k1", 40)).toBe(true);
      expect(await credentials.revokeApiKey("k1", 50)).toBe(false);
      expect(await credentials.revokeApiKey("nobody", 50)).toBe(false);
      expect((await credentials.getApiKey("k1"))?.revokedAt).toBe(40);
      expect(await credentials.getApiKey("nobody")).toBeNull();
    });

    it("stores an operator key once, counts it, and revokes it once", async () => {
      expect(await credentials.countOperatorKeys()).toBe(0);
      await credentials.putOperatorKey({ id: "op1", secretHash: "hash-of-op1", label: "first operator" }, 0);
      expect(await credentials.getOperatorKey("op1")).toEqual({
        id: "op1",
        secretHash: "hash-of-op1",
        label: "first operator",
        revokedAt: null,
      });
      await expect(credentials.putOperatorKey({ id: "op1", secretHash: "other", label: "again" }, 1)).rejects.toThrow();
      expect(await credentials.revokeOperatorKey("op1", 40)).toBe(true);
      expect(await credentials.revokeOperatorKey("op1", 50)).toBe(false);
      expect(await credentials.revokeOperatorKey("nobody", 50)).toBe(false);
      expect((await credentials.getOperatorKey("op1"))?.revokedAt).toBe(40);
      // Revoked keys still count: a cloud that had an operator was initialised.
      expect(await credentials.countOperatorKeys()).toBe(1);
      expect(await credentials.getOperatorKey("nobody")).toBeNull();
      // Operator keys and API keys are apart: an operator key id is no API key.
      expect(await credentials.getApiKey("op1")).toBeNull();
    });

    it("finds a user's API keys and MQTT usernames, revoked ones included, in order", async () => {
      await credentials.putApiKey(key("k2", { userId: "u1" }), 0);
      await credentials.putApiKey(key("k1", { userId: "u1" }), 0);
      await credentials.putApiKey(key("k3"), 0);
      await credentials.revokeApiKey("k2", 1);
      await credentials.putMqttCredential({ username: "m2", secretHash: "h", identity: { role: "app", userId: "u1" } }, 0);
      await credentials.putMqttCredential({ username: "m1", secretHash: "h", identity: { role: "app", userId: "u1" } }, 0);
      await credentials.revokeMqttCredential("m1", 1);
      expect(await credentials.apiKeysOfUser("u1")).toEqual(["k1", "k2"]);
      expect(await credentials.mqttUsernamesOfUser("u1")).toEqual(["m1", "m2"]);
      expect(await credentials.apiKeysOfUser("nobody")).toEqual([]);
    });
  });
}
