import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { checkGeofenceFix, DEFAULT_PLAUSIBILITY_LIMITS } from "../../../cloud/src/domain/privacy/geofencePlausibility.js";
import { type CloudFixture, createCloudFixture, presenceEvent, SUBJECT_U2 } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { liveRule } from "../ruleKit.js";

const STORE = { lat: 22.2819, lon: 114.1582 };
/** About `metres` north of the store (1° of latitude ≈ 111 km). */
const north = (metres: number) => ({ lat: STORE.lat + metres / 111_000, lon: STORE.lon });

describe("geofence plausibility (pure)", () => {
  const fix = { ...north(20), accuracyM: 15, at: 1_000_000 };
  it.each([
    ["a good fix near the store", fix, null, [], true],
    ["a fix with a 2 km accuracy radius", { ...fix, accuracyM: 2000 }, null, ["accuracy-too-coarse"], false],
    ["a fix 2 km from the store", { ...fix, ...north(2000) }, null, ["far-from-store"], false],
    [
      "a fix 50 km from the previous one a minute earlier",
      fix,
      { ...north(50_000), accuracyM: 10, at: fix.at - 60_000 },
      ["impossible-speed"],
      false,
    ],
    ["a walk from 300 m away in five minutes", fix, { ...north(320), accuracyM: 10, at: fix.at - 300_000 }, [], true],
  ] as const)("%s", (_name, f, previous, flags, plausible) => {
    const verdict = checkGeofenceFix({ fix: f, previous, store: STORE });
    expect(verdict.flags).toEqual(flags);
    expect(verdict.plausible).toBe(plausible);
  });

  it("flags a store without coordinates but does not call the fix implausible for it", () => {
    const verdict = checkGeofenceFix({ fix, previous: null, store: { lat: null, lon: null } });
    expect(verdict).toMatchObject({ plausible: true, flags: ["store-location-unknown"], distanceFromStoreM: null });
    expect(DEFAULT_PLAUSIBILITY_LIMITS.maxAccuracyM).toBeGreaterThan(fix.accuracyM);
  });
});

describe("privacy in the cloud", () => {
  const clock = new ManualClock("2026-11-20T10:00:00Z");
  let f: CloudFixture;
  let seq = 100;

  const report = (key: string, userId: string, body: object) =>
    f.cloud.http.inject({
      method: "POST",
      url: `/v1/users/${userId}/geofence-entries`,
      headers: { authorization: `Bearer ${key}` },
      payload: { storeId: "s1", accuracyM: 15, at: clock.iso(), ...body },
    });

  beforeAll(async () => {
    f = await createCloudFixture({ clock });
    const repo = f.cloud.repositories;
    await repo.directory.upsertStore(
      { id: "s1", orgId: "o1", name: "s1", timezone: "Asia/Hong_Kong", ...STORE, tags: [] },
      clock.now(),
    );
    // The phone's own arrival fires geofence-arrival rules; the fixture's r1 fires on gateway enters.
    await liveRule(f, "geo-arrival", { trigger: { type: "geofence-arrival" }, scope: { storeIds: ["s1"] } });
    // u3 wants offers but not analytics.
    await repo.users.upsertUser(
      {
        id: "u3",
        orgId: "o1",
        displayName: "u3",
        segments: [],
        loyaltyTier: null,
        marketingConsent: true,
        analyticsConsent: false,
      },
      clock.now(),
    );
    await repo.users.registerDevice("ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:3", "u3", null, clock.now());
  });
  afterAll(async () => {
    await f?.close();
  });

  it("runs a plausible geofence entry through the offer rules, with its signals on the decision", async () => {
    const res = await report(f.keys.appU1, "u1", north(25));
    expect(res.statusCode).toBe(201);
    const body = res.json<{ eventId: string; plausible: boolean; flags: string[]; signals: object }>();
    expect(body).toMatchObject({ plausible: true, flags: [] });
    await f.cloud.offers.idle();
    const decisions = await f.cloud.repositories.offers.decisionsPage({ by: "event", id: body.eventId, limit: 10, after: null });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      outcome: "issued",
      userId: "u1",
      // s1 has gateway g1, which has not seen u1: recorded, not held against the report.
      signals: { source: "phone-geofence", plausible: true, seenByStoreGateways: false, flags: [] },
    });
  });

  it("flags an implausible report and issues nothing on it", async () => {
    clock.advance(60_000);
    const res = await report(f.keys.appU1, "u1", { ...north(10_000), accuracyM: 20 });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ eventId: string; plausible: boolean; flags: string[] }>();
    expect(body.plausible).toBe(false);
    expect(body.flags).toEqual(["impossible-speed", "far-from-store"]);
    await f.cloud.offers.idle();
    const record = await f.cloud.repositories.offers.getEvent(body.eventId);
    expect(record?.decidedAt).not.toBeNull();
    expect(await f.cloud.repositories.offers.decisionsPage({ by: "event", id: body.eventId, limit: 10, after: null })).toEqual([]);
  });

  it("notes when the store's own gateways saw the user around the time of the fix", async () => {
    clock.advance(60_000);
    await f.ingest([presenceEvent(++seq, { at: clock.iso(), visitId: "visit-gw-u1-0001" })], seq);
    const res = await report(f.keys.appU1, "u1", north(10));
    const body = res.json<{ eventId: string; signals: { seenByStoreGateways: boolean } }>();
    expect(body.signals.seenByStoreGateways).toBe(true);
    await f.cloud.offers.idle();
    const [decision] = await f.cloud.repositories.offers.decisionsPage({ by: "event", id: body.eventId, limit: 1, after: null });
    expect(decision?.signals).toMatchObject({ seenByStoreGateways: true, plausible: true });
    // A marketer reads the same signals through the decision log.
    const logged = await f.cloud.http.inject({
      method: "GET",
      url: `/v1/events/${body.eventId}/decisions`,
      headers: { authorization: `Bearer ${f.keys.marketer}` },
    });
    expect(logged.json<{ decisions: { signals?: object }[] }>().decisions[0]?.signals).toMatchObject({
      source: "phone-geofence",
      seenByStoreGateways: true,
    });
  });

  it("never gives an offer to a user without marketing consent, by beacon or by geofence", async () => {
    clock.advance(60_000);
    await f.ingest([presenceEvent(++seq, { at: clock.iso(), subject: { kind: "ibeacon", id: SUBJECT_U2 }, visitId: "visit-u2-0001" })], seq);
    const res = await report(f.keys.appU2, "u2", north(10));
    expect(res.json<{ plausible: boolean }>().plausible).toBe(true);
    await f.cloud.offers.idle();
    const offers = await f.cloud.repositories.offers.pendingOffers("u2", clock.now());
    expect(offers).toEqual([]);
    const decisions = await f.cloud.repositories.offers.decisionsForUser("u2", 10);
    expect(decisions.length).toBe(2);
    expect(decisions.every((d) => d.outcome === "not-issued" && d.reason === "no-marketing-consent")).toBe(true);
  });

  it("stores presence of a user without analytics consent unlinked, yet still serves their offer", async () => {
    clock.advance(60_000);
    const event = presenceEvent(++seq, {
      at: clock.iso(),
      subject: { kind: "ibeacon", id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:3" },
      visitId: "visit-u3-0001",
    });
    await f.ingest([event], seq);
    await f.cloud.offers.idle();
    expect(await f.cloud.repositories.offers.pendingOffers("u3", clock.now())).toHaveLength(1);
    const db = await SqliteDatabase.open(join(f.dataDir, "cloud.db"));
    try {
      expect(await db.get("SELECT user_id, subject_id FROM presence_events WHERE id = ?", [event.id])).toEqual({
        user_id: null,
        subject_id: "unlinked",
      });
      expect(await db.get("SELECT user_id, subject_id FROM visits WHERE id = ?", ["visit-u3-0001"])).toEqual({
        user_id: null,
        subject_id: "unlinked",
      });
    } finally {
      await db.close();
    }
  });

  it("deletes raw presence past the retention period and keeps visits as daily counts", async () => {
    const readCounts = async () => {
      const res = await f.cloud.http.inject({
        method: "GET",
        url: "/v1/stores/s1/visit-counts",
        headers: { authorization: `Bearer ${f.keys.marketer}` },
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ visits: { day: string; zoneId: string; visits: number }[] }>().visits;
    };
    const countsBefore = await readCounts();
    expect(countsBefore.length).toBeGreaterThan(0);
    const eventsBefore = await f.cloud.repositories.events.countEvents();
    expect(eventsBefore).toBeGreaterThan(0);
    // 29 days on: nothing is old enough yet.
    clock.advance(29 * 86_400_000);
    expect(await f.cloud.retention.sweep()).toEqual({ eventsDeleted: 0, visitsAggregated: 0, fixesDeleted: 0, decisionsDeleted: 0 });
    clock.advance(2 * 86_400_000);
    const result = await f.cloud.retention.sweep();
    expect(result.eventsDeleted).toBe(eventsBefore);
    // Only plausible fixes are kept: u1's two and u2's one.
    expect(result.fixesDeleted).toBe(3);
    expect(await f.cloud.repositories.events.countEvents()).toBe(0);
    const counts = await f.cloud.repositories.privacy.dailyVisitCounts("s1");
    expect(counts.reduce((n, c) => n + c.visits, 0)).toBe(result.visitsAggregated);
    expect(counts.map((c) => c.day)).toEqual(counts.map(() => "2026-11-20"));
    expect(new Set(counts.map((c) => c.zoneId))).toEqual(new Set(["geofence", "z1"]));
    // The same counts as before the raw data went: the aggregate lost nothing.
    expect(await readCounts()).toEqual(countsBefore);
  });
});
