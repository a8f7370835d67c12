import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PrivacyRepository } from "../../../cloud/src/services/repositories.js";
import {
  type BackendUnderTest,
  BEACON,
  type MakeBackend,
  org,
  presenceEvent as event,
  seedStore,
  store,
  user,
} from "./repositoryContract.js";

const batch = { storeId: "s1", gatewayId: "g1", outbox: "outbox-a1", refusedSeqs: [] as number[], receivedAt: 5 };
const EID = "eddystone-eid:0011223344556677";
const atS = Date.parse(event(1).at) / 1000;
const HOUR_MS = 3_600_000;

/**
 * What every backend's PrivacyRepository does: EID keys and their resolution, phone fixes and
 * entries, retention with daily counts, and erasure of a user from everything.
 */
export function describePrivacyRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`PrivacyRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let privacy: PrivacyRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      privacy = backend.repos.privacy;
      await seedStore(backend.repos);
      await backend.repos.users.upsertUser(user("u1", "o1"), 0);
      await backend.repos.users.upsertUser(user("u2", "o1"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    describe("Eddystone-EID", () => {
      const key = { userId: "u1", installId: "i1", identityKey: new Uint8Array(16).fill(7), rotationExponent: 10 };
      const row = { subjectId: EID, periodStartS: atS - 100, validUntilS: atS + 1000, userId: "u1", installId: "i1" };

      it("keeps one identity key per install, replaced in place", async () => {
        await privacy.putEidKey(key, 0);
        await privacy.putEidKey({ ...key, installId: "i2" }, 0);
        await privacy.putEidKey({ ...key, identityKey: new Uint8Array(16).fill(9), rotationExponent: 12 }, 1);
        const keys = await privacy.listEidKeys();
        expect(keys.map((k) => [k.installId, [...k.identityKey].at(0), k.rotationExponent]).sort()).toEqual([
          ["i1", 9, 12],
          ["i2", 7, 10],
        ]);
      });

      it("resolves an EID sighting through the table, until the key is replaced or the row expires", async () => {
        await privacy.putEidKey(key, 0);
        await privacy.refreshEidResolutions([row], atS);
        const eid = (seq: number) => event(seq, { subject: { kind: "eddystone-eid", id: EID } });
        const first = await backend.repos.events.storeBatch({ ...batch, fromSeq: 1, events: [eid(1)] });
        expect(first.inserted[0]?.userId).toBe("u1");
        // A replaced key's ids stop resolving at once.
        await privacy.putEidKey({ ...key, identityKey: new Uint8Array(16).fill(1) }, 1);
        const second = await backend.repos.events.storeBatch({ ...batch, fromSeq: 2, events: [eid(2)] });
        expect(second.inserted[0]?.userId).toBeNull();
        // A refresh past a row's validity deletes it.
        await privacy.refreshEidResolutions([row], atS);
        await privacy.refreshEidResolutions([], atS + 1000);
        const third = await backend.repos.events.storeBatch({ ...batch, fromSeq: 3, events: [eid(3)] });
        expect(third.inserted[0]?.userId).toBeNull();
      });
    });

    describe("phone locations", () => {
      const entry = (seq: number, atMs: number, decidedAt: number | null) => ({
        event: event(seq, { subject: { kind: "app", id: "app:u1" }, gatewayId: "app", at: new Date(atMs).toISOString() }),
        userId: "u1",
        fix: { lat: 22.3, lon: 114.2, accuracyM: 20 + seq, at: atMs },
        signals: { plausible: decidedAt === null },
        receivedAt: atMs,
        decidedAt,
      });

      it("stores an entry once with its fix; the latest fix before a time is the user's last", async () => {
        const stored = await privacy.storeAppEntry(entry(1, 1_000, null));
        expect(stored).toMatchObject({ id: event(1).id, userId: "u1" });
        expect(await privacy.storeAppEntry(entry(1, 1_000, null))).toBeNull();
        await privacy.storeAppEntry(entry(2, 3_000, null));
        expect(await privacy.lastFix("u1", 2_000)).toEqual({ lat: 22.3, lon: 114.2, accuracyM: 21, at: 1_000 });
        expect((await privacy.lastFix("u1", 3_000))?.at).toBe(3_000);
        expect(await privacy.lastFix("u1", 999)).toBeNull();
        expect(await privacy.lastFix("u2", 5_000)).toBeNull();
        expect((await backend.repos.events.undecidedEvents(10)).map((e) => e.id)).toEqual([event(1).id, event(2).id]);
      });

      it("keeps an implausible entry decided, and not as the user's last fix", async () => {
        expect(await privacy.storeAppEntry(entry(1, 1_000, 1_000))).not.toBeNull();
        expect(await privacy.lastFix("u1", 5_000)).toBeNull();
        expect(await backend.repos.events.undecidedEvents(10)).toEqual([]);
      });

      it("never counts an implausible entry as a visit: the next plausible one opens the first", async () => {
        // Had the flagged entry opened a visit, the plausible one two seconds later would join it.
        const flagged = entry(1, 1_000, 1_000);
        const implausible = await privacy.storeAppEntry({ ...flagged, event: { ...flagged.event, visitId: "geo-flagged" } });
        expect(implausible?.storeVisitId).toBeUndefined();
        const good = entry(2, 3_000, null);
        const plausible = await privacy.storeAppEntry({ ...good, event: { ...good.event, visitId: "geo-plausible" } });
        expect(plausible?.storeVisitId).toBe("geo-plausible");
        expect((await backend.repos.events.undecidedEvents(10)).map((e) => e.storeVisitId)).toEqual(["geo-plausible"]);
      });

      it("counts a store's gateways and the user's gateway sightings (not the phone's own reports)", async () => {
        await backend.repos.directory.upsertGateway({ id: "g2", storeId: "s1", name: "G2" }, 0);
        expect(await privacy.countGateways("s1")).toBe(2);
        expect(await privacy.countGateways("s9")).toBe(0);
        await backend.repos.users.registerDevice(BEACON, "u1", null, 0);
        const t = Date.parse(event(1).at);
        await backend.repos.events.storeBatch({
          ...batch,
          fromSeq: 1,
          events: [event(1), event(2, { at: new Date(t + 60_000).toISOString() })],
        });
        await privacy.storeAppEntry(entry(3, t, null));
        expect(await privacy.countGatewaySightings("u1", "s1", t, t + 60_000)).toBe(2);
        expect(await privacy.countGatewaySightings("u1", "s1", t + 1, t + 60_000)).toBe(1);
        expect(await privacy.countGatewaySightings("u2", "s1", t, t + 60_000)).toBe(0);
      });
    });

    describe("retention", () => {
      it("folds old visits into daily counts and deletes old raw presence; the day's count does not change", async () => {
        await backend.repos.users.registerDevice(BEACON, "u1", null, 0);
        const day = Date.parse("2026-11-22T00:00:00.000Z");
        const visit = (seq: number, hour: number, visitId: string) =>
          event(seq, { at: new Date(day + hour * HOUR_MS).toISOString(), visitId });
        await backend.repos.events.storeBatch({
          ...batch,
          fromSeq: 1,
          events: [visit(1, 1, "v1"), visit(2, 2, "v1"), visit(3, 3, "v2"), visit(4, 30, "v3")],
        });
        const before = await privacy.dailyVisitCounts("s1");
        expect(before).toEqual([
          { day: "2026-11-22", storeId: "s1", zoneId: "z1", visits: 2 },
          { day: "2026-11-23", storeId: "s1", zoneId: "z1", visits: 1 },
        ]);
        const result = await privacy.applyRetention(day + 24 * HOUR_MS);
        expect(result).toMatchObject({ eventsDeleted: 3, visitsAggregated: 2, fixesDeleted: 0 });
        expect(await privacy.dailyVisitCounts("s1")).toEqual(before);
        expect(await backend.repos.events.countEvents()).toBe(1);
        // Applied again, nothing is counted twice.
        expect(await privacy.applyRetention(day + 24 * HOUR_MS)).toMatchObject({ eventsDeleted: 0, visitsAggregated: 0 });
        expect(await privacy.dailyVisitCounts("s1")).toEqual(before);
      });

      it("names a store's local day for its visits", async () => {
        await backend.repos.directory.upsertStore(store("s1", "o1", { timezone: "Asia/Hong_Kong" }), 0);
        // 20:00 UTC is 04:00 the next day in Hong Kong.
        await backend.repos.events.storeBatch({ ...batch, fromSeq: 1, events: [event(1, { at: "2026-11-22T20:00:00.000Z" })] });
        expect(await privacy.dailyVisitCounts("s1")).toEqual([{ day: "2026-11-23", storeId: "s1", zoneId: "z1", visits: 1 }]);
      });

      it("counts a store whose timezone the runtime does not know on UTC days", async () => {
        await backend.repos.directory.upsertStore(store("s1", "o1", { timezone: "Nowhere/Atlantis" }), 0);
        await backend.repos.events.storeBatch({ ...batch, fromSeq: 1, events: [event(1, { at: "2026-11-22T20:00:00.000Z" })] });
        expect(await privacy.dailyVisitCounts("s1")).toEqual([{ day: "2026-11-22", storeId: "s1", zoneId: "z1", visits: 1 }]);
      });
    });

    describe("erasure", () => {
      it("removes the user and everything that refers to them, and pseudonymises their audit entries", async () => {
        const { users, credentials, events, audit, directory } = backend.repos;
        await users.addDevice({ subjectId: BEACON, userId: "u1", label: null, identity: null }, 0);
        await credentials.putApiKey(
          { id: "k1", secretHash: "h", role: "app", orgId: "o1", storeId: null, userId: "u1", label: "app" },
          0,
        );
        await credentials.putMqttCredential({ username: "app-u1", secretHash: "h", identity: { role: "app", userId: "u1" } }, 0);
        await events.storeBatch({ ...batch, fromSeq: 1, events: [event(1), event(2, { subject: { kind: "app", id: "app:u1" } })] });
        await audit.audit({ at: 1, actor: "k-admin", action: "user.update", target: "user:u1", detail: { userId: "u1", subjectId: BEACON } });
        await audit.audit({ at: 2, actor: "k-admin", action: "store.update", target: "store:s1", detail: { userId: "u1" } });
        // The same beacon is another retailer's customer's there: theirs stays.
        await directory.upsertOrganisation(org("o2"), 0);
        await directory.upsertStore(store("x1", "o2"), 0);
        await directory.upsertGateway({ id: "gx", storeId: "x1", name: "X" }, 0);
        await users.upsertUser(user("x9", "o2"), 0);
        await users.addDevice({ subjectId: BEACON, userId: "x9", label: null, identity: null }, 0);
        await events.storeBatch({ storeId: "x1", gatewayId: "gx", outbox: "o", fromSeq: 1, refusedSeqs: [], receivedAt: 5, events: [event(1, { id: "x-1", storeId: "x1", gatewayId: "gx" })] });

        const report = await privacy.eraseUser("u1", "erased-1");
        expect(report.anonymisedOffers).toBe(0);
        expect(report.pseudonymisedAudit).toBe(2);
        expect(await users.getUser("u1")).toBeNull();
        expect(await users.listDevices("u1")).toEqual([]);
        expect(await credentials.getApiKey("k1")).toBeNull();
        expect(await credentials.getMqttCredential("app-u1")).toBeNull();
        expect(await events.eventsPage({ storeId: "s1", from: null, to: null, zoneId: null, subjectId: null, userId: null, limit: 10, after: null, type: null })).toEqual([]);
        expect(await events.countEvents()).toBe(1);
        expect((await users.listDevices("x9")).map((d) => d.subjectId)).toEqual([BEACON]);
        expect(await audit.auditEntries("user:u1", 10)).toEqual([]);
        expect(await audit.auditEntries("erased-1", 10)).toEqual([
          { at: 1, actor: "k-admin", action: "user.update", target: "erased-1", detail: { userId: "erased-1" } },
        ]);
        expect(await audit.auditEntries("store:s1", 10)).toEqual([
          { at: 2, actor: "k-admin", action: "store.update", target: "store:s1", detail: { userId: "erased-1" } },
        ]);
        expect(await users.getUser("u2")).not.toBeNull();
      });
    });
  });
}
