import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import type { SqlitePrivacyRepository } from "../../../cloud/src/adapters/sqlite/SqlitePrivacyRepository.js";
import { localDailyVisitCounts } from "../../../cloud/src/domain/privacy/localDailyVisitCounts.js";
import { DAY_SAFE_BUCKET_MS, localDayKey, storeDayKey } from "../../../cloud/src/domain/rules/localTime.js";
import { openTempSqlite, type TempSqlite } from "../../support/tempSqlite.js";

/**
 * Entry times around Hong Kong's midnight (UTC+8, no daylight saving) and the 08:00 local hour
 * where a UTC day would cut its business day. UTC days: 19th ×3, 20th ×1; Hong Kong days: 19th ×1,
 * 20th ×3.
 */
const ENTRIES = [
  "2026-11-19T15:30:00Z", // 23:30 on the 19th in Hong Kong
  "2026-11-19T16:30:00Z", // 00:30 on the 20th in Hong Kong
  "2026-11-19T23:30:00Z", // 07:30 on the 20th in Hong Kong
  "2026-11-20T00:30:00Z", // 08:30 on the 20th in Hong Kong
].map((iso) => Date.parse(iso));
/** Folds the first two entries, keeps the last two as visits. */
const CUTOFF = Date.parse("2026-11-19T20:00:00Z");

describe("visit counts per store-local day (real SQLite file)", () => {
  let sqlite: TempSqlite;
  let db: SqliteDatabase;
  let privacy: SqlitePrivacyRepository;
  let seq = 0;

  const addVisit = (storeId: string, zoneId: string, enteredAt: number) =>
    db.run(
      "INSERT INTO visits (id, store_id, zone_id, subject_id, entered_at, last_event_at) VALUES (?, ?, ?, 'unlinked', ?, ?)",
      [`visit-${++seq}`, storeId, zoneId, enteredAt, enteredAt],
    );
  const kept = (storeId: string) =>
    db.all("SELECT day, zone_id AS zoneId, visits FROM visit_daily_counts WHERE store_id = ? ORDER BY day, zone_id", [storeId]);
  const days = async (storeId: string) =>
    (await privacy.dailyVisitCounts(storeId)).map((c) => ({ day: c.day, zoneId: c.zoneId, visits: c.visits }));
  /** What the counts were before they used local days: SQLite's UTC day of entry. */
  const utcDaysBySqlite = (storeId: string) =>
    db.all(
      `SELECT strftime('%Y-%m-%d', entered_at / 1000, 'unixepoch') AS day, zone_id AS zoneId, COUNT(*) AS visits
       FROM visits WHERE store_id = ? GROUP BY 1, 2 ORDER BY 1, 2`,
      [storeId],
    );

  beforeEach(async () => {
    sqlite = await openTempSqlite("arrival-local-days-");
    db = sqlite.db;
    const repo = sqlite.repos;
    privacy = repo.privacy;
    await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 3 }, 0);
    for (const [id, timezone] of [
      ["hk", "Asia/Hong_Kong"],
      ["utc", "UTC"],
      ["nowhere", "Mars/Olympus_Mons"],
    ] as const) {
      await repo.directory.upsertStore({ id, orgId: "o1", name: id, timezone, lat: null, lon: null, tags: [] }, 0);
      for (const at of ENTRIES) await addVisit(id, "z1", at);
    }
  });
  afterEach(() => sqlite.close());

  it("counts a Hong Kong store's recent visits on its local days, not UTC days", async () => {
    expect(await days("hk")).toEqual([
      { day: "2026-11-19", zoneId: "z1", visits: 1 },
      { day: "2026-11-20", zoneId: "z1", visits: 3 },
    ]);
    // The UTC days would have been different: the times were chosen so.
    expect(await utcDaysBySqlite("hk")).toEqual([
      { day: "2026-11-19", zoneId: "z1", visits: 3 },
      { day: "2026-11-20", zoneId: "z1", visits: 1 },
    ]);
  });

  it("folds expiring visits on the store's local day, and a day's count does not change as its visits go", async () => {
    const before = await days("hk");
    const result = await privacy.applyRetention(CUTOFF);
    expect(result.visitsAggregated).toBe(6); // two per store
    // 15:30Z is the 19th in Hong Kong, 16:30Z the 20th: one visit on each local day.
    expect(await kept("hk")).toEqual([
      { day: "2026-11-19", zoneId: "z1", visits: 1 },
      { day: "2026-11-20", zoneId: "z1", visits: 1 },
    ]);
    // The 20th is now part kept count, part visits still held; the total is the same.
    expect(await days("hk")).toEqual(before);
    await privacy.applyRetention(Date.parse("2026-12-01T00:00:00Z"));
    expect(await kept("hk")).toEqual(before);
    expect(await days("hk")).toEqual(before);
  });

  it("keeps a UTC store's days as they were (SQLite's UTC day of entry), before and after retention", async () => {
    const utc = await utcDaysBySqlite("utc");
    expect(await days("utc")).toEqual(utc);
    await privacy.applyRetention(CUTOFF);
    expect(await kept("utc")).toEqual([{ day: "2026-11-19", zoneId: "z1", visits: 2 }]);
    expect(await days("utc")).toEqual(utc);
  });

  it("counts a store with a timezone the runtime does not know on UTC days", async () => {
    const utc = await utcDaysBySqlite("nowhere");
    expect(await days("nowhere")).toEqual(utc);
    await privacy.applyRetention(Date.parse("2026-12-01T00:00:00Z"));
    expect(await kept("nowhere")).toEqual(utc);
  });

  it("keeps counts folded earlier on the day they were written with, added to the same day's visits", async () => {
    // A row written before counts used local days (UTC day): it cannot be moved, only kept.
    await db.run("INSERT INTO visit_daily_counts (day, store_id, zone_id, visits) VALUES ('2026-11-20', 'hk', 'z1', 5)");
    await db.run("INSERT INTO visit_daily_counts (day, store_id, zone_id, visits) VALUES ('2026-11-18', 'hk', 'z2', 2)");
    expect(await days("hk")).toEqual([
      { day: "2026-11-18", zoneId: "z2", visits: 2 },
      { day: "2026-11-19", zoneId: "z1", visits: 1 },
      { day: "2026-11-20", zoneId: "z1", visits: 8 },
    ]);
  });

  it("counts visits of a store that is not in the directory on UTC days", async () => {
    await addVisit("gone", "z1", ENTRIES[1] ?? 0);
    expect(await days("gone")).toEqual([{ day: "2026-11-19", zoneId: "z1", visits: 1 }]);
  });
});

describe("store-local days of quarter-hour buckets (pure)", () => {
  // Whole-hour, half-hour and 45-minute offsets, both hemispheres' daylight saving, and Lord Howe's
  // 30-minute daylight-saving shift.
  const ZONES = [
    "UTC",
    "Asia/Hong_Kong",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/New_York",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Europe/London",
  ];

  it("names the same day for a bucket as for every instant in it, in every zone", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2000-01-01T00:00:00Z"), max: Date.parse("2040-01-01T00:00:00Z") }),
        fc.constantFrom(...ZONES),
        (ms, zone) => {
          const bucketStart = Math.floor(ms / DAY_SAFE_BUCKET_MS) * DAY_SAFE_BUCKET_MS;
          expect(storeDayKey(bucketStart, zone)).toBe(localDayKey(ms, zone));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("puts the last minute before local midnight and midnight itself on different days", () => {
    // Kathmandu is UTC+5:45: local midnight of the 20th is 18:15Z on the 19th.
    const midnight = Date.parse("2026-11-19T18:15:00Z");
    const counts = localDailyVisitCounts([
      { storeId: "ktm", zoneId: "z1", bucketStart: midnight - DAY_SAFE_BUCKET_MS, visits: 2, timezone: "Asia/Kathmandu" },
      { storeId: "ktm", zoneId: "z1", bucketStart: midnight, visits: 3, timezone: "Asia/Kathmandu" },
      { storeId: "ktm", zoneId: "z0", bucketStart: midnight + DAY_SAFE_BUCKET_MS, visits: 1, timezone: "Asia/Kathmandu" },
    ]);
    expect(counts).toEqual([
      { day: "2026-11-19", storeId: "ktm", zoneId: "z1", visits: 2 },
      { day: "2026-11-20", storeId: "ktm", zoneId: "z0", visits: 1 },
      { day: "2026-11-20", storeId: "ktm", zoneId: "z1", visits: 3 },
    ]);
  });

  it("falls back to the UTC day for an unknown timezone or store", () => {
    const ms = Date.parse("2026-11-19T23:30:00Z");
    expect(storeDayKey(ms, "Asia/Hong_Kong")).toBe("2026-11-20");
    expect(storeDayKey(ms, "Not/AZone")).toBe("2026-11-19");
    expect(storeDayKey(ms, null)).toBe("2026-11-19");
  });
});
