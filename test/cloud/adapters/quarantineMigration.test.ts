import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { SqlitePrivacyRepository } from "../../../cloud/src/adapters/sqlite/SqlitePrivacyRepository.js";

/**
 * Migration 10 moves presence rows stored before ingest bounded times and dwell to
 * quarantined_rows, whole and with the reason; plausible rows stay where they are.
 */

const NOW = Date.now();

describe("migration 10: quarantine of implausible presence rows", () => {
  it("moves absurd events and visits, with their reason, and keeps the plausible ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-quarantine-"));
    const db = await SqliteDatabase.open(join(dir, "cloud.db"));
    try {
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of MIGRATIONS.filter((x) => x.version < 10)) {
        await db.exec(m.sql);
        await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
      }
      const events: [string, number, number | null][] = [
        ["e-good", NOW - 60_000, 30_000],
        ["e-max-dwell", NOW, Number.MAX_SAFE_INTEGER],
        ["e-real-dwell", NOW, 1e300],
        ["e-1971", Date.parse("1971-01-01T00:00:00Z"), null],
        ["e-9999", Date.parse("9999-12-31T23:59:59Z"), null],
      ];
      for (const [i, [id, at, dwell]] of events.entries()) {
        await db.run(
          `INSERT INTO presence_events (id, gateway_id, store_id, zone_id, seq, type, subject_kind, subject_id, user_id,
             visit_id, at, dwell_ms, received_at) VALUES (?, 'g1', 's1', 'z1', ?, 'dwell', 'ibeacon', 'ibeacon:x', NULL, ?, ?, ?, ?)`,
          [id, i + 1, `v-${id}`, at, dwell, NOW],
        );
      }
      const visits: [string, number, number][] = [
        ["v-good", NOW - 90_000, 30_000],
        ["v-max-dwell", NOW - Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
        ["v-before-time", -1e300, 1e300],
        ["v-9999", Date.parse("9999-12-31T23:59:59Z"), 0],
      ];
      for (const [id, entered, dwell] of visits) {
        await db.run(
          `INSERT INTO visits (id, store_id, zone_id, subject_id, user_id, entered_at, last_event_at, dwell_ms)
           VALUES (?, 's1', 'z1', 'ibeacon:x', NULL, ?, ?, ?)`,
          [id, entered, Math.max(entered, NOW - 1000), dwell],
        );
      }
      expect(await migrate(db, NOW)).toBeGreaterThanOrEqual(10);

      expect(await db.all("SELECT id FROM presence_events ORDER BY id")).toEqual([{ id: "e-good" }]);
      expect(await db.all("SELECT id FROM visits ORDER BY id")).toEqual([{ id: "v-good" }]);
      expect(await db.all("SELECT source, id, reason FROM quarantined_rows ORDER BY source, id")).toEqual([
        { source: "presence_events", id: "e-1971", reason: "time-out-of-range" },
        { source: "presence_events", id: "e-9999", reason: "time-out-of-range" },
        { source: "presence_events", id: "e-max-dwell", reason: "dwell-out-of-range" },
        { source: "presence_events", id: "e-real-dwell", reason: "dwell-out-of-range" },
        { source: "visits", id: "v-9999", reason: "time-out-of-range" },
        { source: "visits", id: "v-before-time", reason: "dwell-out-of-range" },
        { source: "visits", id: "v-max-dwell", reason: "dwell-out-of-range" },
      ]);
      // Kept whole: the row can be inspected or put back.
      const kept = await db.get<{ row: string }>("SELECT row FROM quarantined_rows WHERE id = 'e-max-dwell'");
      expect(JSON.parse(kept?.row ?? "{}")).toMatchObject({ id: "e-max-dwell", dwell_ms: Number.MAX_SAFE_INTEGER, store_id: "s1" });
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps a quarantined row's signals, and erasure and retention reach quarantined rows", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-quarantine-"));
    const db = await SqliteDatabase.open(join(dir, "cloud.db"));
    try {
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of MIGRATIONS.filter((x) => x.version < 10)) {
        await db.exec(m.sql);
        await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
      }
      const insert = (id: string, subject: string) =>
        db.run(
          `INSERT INTO presence_events (id, gateway_id, store_id, zone_id, seq, type, subject_kind, subject_id, user_id,
             visit_id, at, dwell_ms, received_at, signals) VALUES (?, 'g1', 's1', 'z1', 1, 'dwell', 'app', ?, NULL, 'v', ?, ?, ?, '{"rssi":-60}')`,
          [id, subject, NOW, Number.MAX_SAFE_INTEGER, NOW],
        );
      await insert("e-ada", "app:u-ada");
      await insert("e-bob", "app:u-bob");
      await migrate(db, NOW);
      const kept = await db.get<{ row: string }>("SELECT row FROM quarantined_rows WHERE id = 'e-ada'");
      expect(JSON.parse(kept?.row ?? "{}")).toMatchObject({ signals: '{"rssi":-60}' });

      const privacy = new SqlitePrivacyRepository(db);
      const report = await privacy.eraseUser("u-ada", "erased-0001");
      expect(report.deleted.quarantined_rows).toBe(1);
      expect(await db.all("SELECT id FROM quarantined_rows ORDER BY id")).toEqual([{ id: "e-bob" }]);
      // Retention: quarantined longer ago than the cutoff is gone.
      await db.run("UPDATE quarantined_rows SET quarantined_at = 0");
      await privacy.applyRetention(1);
      expect(await db.all("SELECT id FROM quarantined_rows")).toEqual([]);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
