import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";

describe("partial refunds migration (17)", () => {
  it("keeps every ledger entry and its seq, lets an earning have several reversals, and counts whole refunds as refunded", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-partial-refunds-"));
    const db = await SqliteDatabase.open(join(dir, "cloud.db"));
    try {
      // A database as the release before partial refunds left it.
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of MIGRATIONS.filter((x) => x.version < 17)) {
        await db.exec(m.sql);
        await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
      }
      const entry = "INSERT INTO ledger_entries (seq, id, org_id, member_id, kind, source, points, idempotency_key, reverses, at) VALUES (?, ?, 'o1', 'u1', ?, 'till-purchase', ?, ?, ?, 1)";
      await db.run(entry, [5, "e-earn", "earn", 100, "purchase:s1:a", null]);
      await db.run(entry, [9, "e-rev", "reverse", -100, "refund:s1:a", "e-earn"]);
      await db.run(entry, [12, "e-earn-2", "earn", 10, "purchase:s1:b", null]);
      const purchase = "INSERT INTO member_purchases (org_id, order_key, user_id, store_id, channel, total_minor, currency, points, at, refunded_at) VALUES ('o1', ?, 'u1', 's1', 'till', ?, 'HKD', ?, 1, ?)";
      await db.run(purchase, ["s1:a", 10_000, 100, 50]);
      await db.run(purchase, ["s1:b", 1_000, 10, null]);
      // Before: one reversal per earning, enforced.
      await expect(db.run(entry, [13, "e-rev-x", "reverse", -1, "refund:x", "e-earn"])).rejects.toThrow(/UNIQUE/);

      expect(await migrate(db, 0)).toBeGreaterThanOrEqual(17);
      expect(await db.all("SELECT seq, id, reverses FROM ledger_entries ORDER BY seq")).toEqual([
        { seq: 5, id: "e-earn", reverses: null },
        { seq: 9, id: "e-rev", reverses: "e-earn" },
        { seq: 12, id: "e-earn-2", reverses: null },
      ]);
      // Two partial reversals of one earning; new entries continue after the highest seq.
      await db.run("INSERT INTO ledger_entries (id, org_id, member_id, kind, source, points, idempotency_key, reverses, at) VALUES ('p1', 'o1', 'u1', 'reverse', 'till-purchase', -3, 'refund:s1:b:1', 'e-earn-2', 2)");
      await db.run("INSERT INTO ledger_entries (id, org_id, member_id, kind, source, points, idempotency_key, reverses, at) VALUES ('p2', 'o1', 'u1', 'reverse', 'till-purchase', -3, 'refund:s1:b:2', 'e-earn-2', 2)");
      expect(await db.all("SELECT seq, id FROM ledger_entries WHERE reverses = 'e-earn-2' ORDER BY seq")).toEqual([
        { seq: 13, id: "p1" },
        { seq: 14, id: "p2" },
      ]);
      // Idempotency keys stay unique per organisation.
      await expect(
        db.run("INSERT INTO ledger_entries (id, org_id, member_id, kind, source, points, idempotency_key, at) VALUES ('dup', 'o1', 'u1', 'earn', 'till-purchase', 1, 'purchase:s1:a', 3)"),
      ).rejects.toThrow(/UNIQUE/);
      expect(await db.all("SELECT order_key, refunded_minor FROM member_purchases ORDER BY order_key")).toEqual([
        { order_key: "s1:a", refunded_minor: 10_000 },
        { order_key: "s1:b", refunded_minor: 0 },
      ]);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
