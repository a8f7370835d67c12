/**
 * Migration 9 rewrites what was stored before it: an offer and decisions of an event stored unlinked
 * (no analytics consent) lose the event and visit ids that joined them back to the presence row,
 * and the visit keeps which rule issued in it for the per-visit cap. A linked event's are untouched.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";

/** When the rows were recorded: a plausible instant, so migration 10 (quarantine) leaves them alone. */
const AT = Date.parse("2026-06-01T10:00:00Z");

describe("migration 9: unlinked events' offers and decisions", () => {
  it("replaces the event and visit ids of an unlinked event's offer and decisions, and keeps a linked one's", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-unlinked-"));
    const db = await SqliteDatabase.open(join(dir, "cloud.db"));
    try {
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of MIGRATIONS.filter((x) => x.version < 9)) {
        await db.exec(m.sql);
        await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
      }
      const events = ["e-unlinked", "e-linked"];
      for (const [i, id] of events.entries()) {
        const unlinked = id === "e-unlinked";
        const visit = `v-${id}`;
        await db.run(
          `INSERT INTO presence_events (id, gateway_id, store_id, zone_id, seq, type, subject_kind, subject_id, user_id,
             visit_id, at, received_at, decided_at) VALUES (?, 'g1', 's1', 'z1', ?, 'enter', 'ibeacon', ?, ?, ?, ${AT}, 1100, 1200)`,
          [id, i + 1, unlinked ? "unlinked" : "ibeacon:x", unlinked ? null : "ann", visit],
        );
        await db.run(
          `INSERT INTO visits (id, store_id, zone_id, subject_id, user_id, entered_at, last_event_at)
           VALUES (?, 's1', 'z1', ?, ?, ${AT}, ${AT})`,
          [visit, unlinked ? "unlinked" : "ibeacon:x", unlinked ? null : "ann"],
        );
        await db.run(
          `INSERT INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title, text,
             discount, code, state, state_at, day_key, issued_at, expires_at)
           VALUES (?, 'r1', 1, ?, 's1', 'z1', ?, ?, 't', 't', '{}', ?, 'issued', 1200, '1970-01-01', 1200, 9000)`,
          [`o-${id}`, unlinked ? "bea" : "ann", visit, id, `code-${id}`],
        );
        await db.run(
          `INSERT INTO decisions (event_id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, outcome, reason,
             detail, offer_id, decided_at) VALUES (?, 'r2', 1, ?, 's1', 'z1', ?, 'not-issued', 'visit-ended', ?, NULL, 1200)`,
          [id, unlinked ? "bea" : "ann", visit, `visit ${visit} already ended`],
        );
      }
      expect(await migrate(db, 0)).toBeGreaterThanOrEqual(9);

      expect(await db.all("SELECT id, event_id, visit_id FROM offers ORDER BY id")).toEqual([
        { id: "o-e-linked", event_id: "e-linked", visit_id: "v-e-linked" },
        { id: "o-e-unlinked", event_id: "unlinked-o-e-unlinked", visit_id: "unlinked-o-e-unlinked" },
      ]);
      const decisions = await db.all<{ user_id: string; event_id: string; visit_id: string; detail: string }>(
        "SELECT user_id, event_id, visit_id, detail FROM decisions ORDER BY user_id",
      );
      expect(decisions[0]).toEqual({ user_id: "ann", event_id: "e-linked", visit_id: "v-e-linked", detail: "visit v-e-linked already ended" });
      expect(decisions[1]).toEqual({
        user_id: "bea",
        event_id: expect.stringMatching(/^unlinked-/) as unknown,
        visit_id: expect.stringMatching(/^unlinked-/) as unknown,
        detail: "visit unlinked already ended",
      });
      expect(await db.all("SELECT visit_id, rule_id FROM unlinked_visit_offers")).toEqual([{ visit_id: "v-e-unlinked", rule_id: "r1" }]);
      // The unlinked event no longer carries the decision time its offer and decisions carry.
      expect(await db.all("SELECT id, decided_at FROM presence_events ORDER BY id")).toEqual([
        { id: "e-linked", decided_at: 1200 },
        { id: "e-unlinked", decided_at: 1100 },
      ]);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
