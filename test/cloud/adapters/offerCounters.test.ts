import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { SqlDirectoryRepository } from "../../../cloud/src/adapters/sql/SqlDirectoryRepository.js";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";

/**
 * The counter rows of migration 11 against what they stand for: the same counts taken over the
 * offers table, as the rules engine used to take them on every decision.
 */
describe("offer counter rows", () => {
  let dir: string;
  let db: SqliteDatabase;
  let next = 0;

  beforeEach(async () => {
    next = 0;
    dir = await mkdtemp(join(tmpdir(), "arrival-offer-counters-"));
    db = await SqliteDatabase.open(join(dir, "cloud.db"));
    // A database as the release before the counters left it.
    await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    for (const m of MIGRATIONS.filter((x) => x.version < 11)) {
      await db.exec(m.sql);
      await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
    }
  });

  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const insertOffer = (ruleId: string, userId: string, dayKey: string, issuedAt: number) => {
    const id = `o${++next}`;
    return db.run(
      `INSERT INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title, text,
         discount, code, state, state_at, day_key, issued_at, expires_at)
       VALUES (?, ?, 1, ?, 's1', 'z1', ?, ?, 'T', 'T', '{}', ?, 'issued', ?, ?, ?, ?)`,
      [id, ruleId, userId, `v-${id}`, `e-${id}`, `C${id}`, issuedAt, dayKey, issuedAt, issuedAt + 1000],
    );
  };

  /** Every counter row, and the same figures counted over the offers table. */
  async function both(): Promise<{ rows: unknown; counted: unknown }> {
    const q = (sql: string) => db.all(sql);
    const rows = {
      rule: await q("SELECT rule_id, issued FROM offer_counts_by_rule WHERE issued > 0 ORDER BY 1"),
      user: await q("SELECT user_id, issued FROM offer_counts_by_user WHERE issued > 0 ORDER BY 1"),
      userDay: await q("SELECT user_id, day_key, issued FROM offer_counts_by_user_day WHERE issued > 0 ORDER BY 1, 2"),
      userRule: await q(
        "SELECT user_id, rule_id, issued, last_issued_at FROM offer_counts_by_user_rule WHERE issued > 0 ORDER BY 1, 2",
      ),
      userRuleDay: await q(
        "SELECT user_id, rule_id, day_key, issued FROM offer_counts_by_user_rule_day WHERE issued > 0 ORDER BY 1, 2, 3",
      ),
    };
    const counted = {
      rule: await q("SELECT rule_id, COUNT(*) AS issued FROM offers GROUP BY 1 ORDER BY 1"),
      user: await q("SELECT user_id, COUNT(*) AS issued FROM offers GROUP BY 1 ORDER BY 1"),
      userDay: await q("SELECT user_id, day_key, COUNT(*) AS issued FROM offers GROUP BY 1, 2 ORDER BY 1, 2"),
      userRule: await q(
        "SELECT user_id, rule_id, COUNT(*) AS issued, MAX(issued_at) AS last_issued_at FROM offers GROUP BY 1, 2 ORDER BY 1, 2",
      ),
      userRuleDay: await q(
        "SELECT user_id, rule_id, day_key, COUNT(*) AS issued FROM offers GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
      ),
    };
    return { rows, counted };
  }

  it("backfills the counts of the offers already held", async () => {
    await insertOffer("r1", "u1", "2026-03-01", 100);
    await insertOffer("r1", "u1", "2026-03-02", 300);
    await insertOffer("r2", "u1", "2026-03-02", 200);
    await insertOffer("r1", "u2", "2026-03-02", 250);
    await migrate(db, 0);
    const { rows, counted } = await both();
    expect(rows).toEqual(counted);
    expect(await db.get("SELECT issued, last_issued_at FROM offer_counts_by_user_rule WHERE user_id = 'u1' AND rule_id = 'r1'")).toEqual({
      issued: 2,
      last_issued_at: 300,
    });
  });

  it("keeps them equal to the counts through inserts, deletes and offers moved to another user", async () => {
    await migrate(db, 0);
    await insertOffer("r1", "u1", "2026-03-01", 100);
    await insertOffer("r1", "u1", "2026-03-02", 300);
    await insertOffer("r2", "u1", "2026-03-02", 200);
    await insertOffer("r1", "u2", "2026-03-02", 250);
    expect((await both()).rows).toEqual((await both()).counted);
    // Erasure deletes unredeemed offers and gives redeemed ones a pseudonym.
    await db.run("DELETE FROM offers WHERE id = 'o2'");
    await db.run("UPDATE offers SET user_id = 'erased-1' WHERE id = 'o3'");
    const { rows, counted } = await both();
    expect(rows).toEqual(counted);
    // The last issue time falls back to what is left.
    expect(await db.get("SELECT issued, last_issued_at FROM offer_counts_by_user_rule WHERE user_id = 'u1' AND rule_id = 'r1'")).toEqual({
      issued: 1,
      last_issued_at: 100,
    });
    expect(await db.get("SELECT issued FROM offer_counts_by_rule WHERE rule_id = 'r1'")).toEqual({ issued: 2 });
  });

  it("counts every write to organisations, stores, zones and users", async () => {
    await migrate(db, 0);
    const changes = new SqlDirectoryRepository(db);
    const before = await changes.directoryChanges();
    await db.run("INSERT INTO organisations (id, name, created_at) VALUES ('o1', 'O', 0)");
    await db.run("INSERT INTO stores (id, org_id, name, timezone, created_at) VALUES ('s1', 'o1', 'S', 'UTC', 0)");
    await db.run("INSERT INTO zones (id, store_id, name, geometry) VALUES ('z1', 's1', 'Z', '{}')");
    await db.run("INSERT INTO app_users (id, org_id, created_at, updated_at) VALUES ('u1', 'o1', 0, 0)");
    expect(await changes.directoryChanges()).toBe(before + 4);
    await db.run("UPDATE app_users SET marketing_consent = 1 WHERE id = 'u1'");
    await db.run("DELETE FROM app_users WHERE id = 'u1'");
    expect(await changes.directoryChanges()).toBe(before + 6);
    // Other tables do not move it.
    await insertOffer("r1", "u1", "2026-03-01", 100);
    expect(await changes.directoryChanges()).toBe(before + 6);
  });
});
