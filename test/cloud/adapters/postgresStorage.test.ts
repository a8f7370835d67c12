import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlDirectoryRepository } from "../../../cloud/src/adapters/sql/SqlDirectoryRepository.js";
import { migratePostgres, POSTGRES_MIGRATIONS } from "../../../cloud/src/adapters/postgres/migrations.js";
import { numberPlaceholders, PostgresDatabase } from "../../../cloud/src/adapters/postgres/PostgresDatabase.js";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { POSTGRES_AVAILABLE, type PostgresInstance, startPostgres } from "../../support/postgres.js";

describe("PostgreSQL placeholders", () => {
  it.each([
    ["SELECT ? + ?", "SELECT $1 + $2"],
    ["SELECT '?' || ?", "SELECT '?' || $1"],
    ['SELECT "a?b" FROM t WHERE x = ?', 'SELECT "a?b" FROM t WHERE x = $1'],
    ["WHERE a = ?1 AND b = ?2 AND c = ?1", "WHERE a = $1 AND b = $2 AND c = $1"],
    ["SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"],
  ])("%s", (sql, expected) => {
    expect(numberPlaceholders(sql)).toBe(expected);
  });
});

/**
 * What the PostgreSQL backend keeps in the database itself: the schema version (once, however many
 * processes start together), the counter rows (by trigger, equal to the counts they stand for) and
 * read-modify-write transactions that lose no update when they race.
 */
describe.skipIf(!POSTGRES_AVAILABLE)("PostgreSQL storage", () => {
  let server: PostgresInstance;
  let db: PostgresDatabase;

  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase("storage");
    // Three processes starting at once: one applies the migrations, the others wait and skip.
    const pools = await Promise.all([1, 2, 3].map(() => PostgresDatabase.open({ url, maxConnections: 2 })));
    await Promise.all(pools.map((p) => migratePostgres(p, 0)));
    await Promise.all(pools.slice(1).map((p) => p.close()));
    db = pools[0] as PostgresDatabase;
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  it("holds every table and column of the SQLite schema", async () => {
    // A SQLite migration without its PostgreSQL counterpart fails here, naming what is missing.
    const sqlite = await SqliteDatabase.open(":memory:");
    const expected: Record<string, string[]> = {};
    try {
      await migrate(sqlite, 0);
      const tables = await sqlite.all<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      );
      for (const { name } of tables) {
        const columns = await sqlite.all<{ name: string }>("SELECT name FROM pragma_table_info(?)", [name]);
        expected[name] = columns.map((c) => c.name).sort();
      }
    } finally {
      await sqlite.close();
    }
    const rows = await db.all<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name IN (
         SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')`,
    );
    const actual: Record<string, string[]> = {};
    for (const r of rows) (actual[r.table_name] ??= []).push(r.column_name);
    for (const columns of Object.values(actual)) columns.sort();
    // PostgreSQL has no rowid: gateway telemetry keeps its insertion order in a column of its own.
    actual.gateway_telemetry = (actual.gateway_telemetry ?? []).filter((c) => c !== "seq");
    // Several processes send from one push outbox (and one webhook outbox): a due row is leased to one of them.
    for (const outbox of ["push_outbox", "webhook_deliveries"])
      actual[outbox] = (actual[outbox] ?? []).filter((c) => c !== "lease_owner" && c !== "lease_until");
    // Every SQLite table, column for column; PostgreSQL may hold tables of its own (coordination of
    // several processes), which SQLite never needs.
    const shared = Object.fromEntries(Object.keys(expected).map((name) => [name, actual[name] ?? []]));
    expect(shared).toEqual(expected);
  });

  it("lets the ssl option decide over the URL's sslmode, and the password option over the URL's", async () => {
    // This test server speaks no TLS: sslmode=require in the URL alone is refused.
    const url = new URL(server.url());
    url.password = "wrong";
    url.searchParams.set("sslmode", "require");
    await expect(PostgresDatabase.open({ url: url.toString() })).rejects.toThrow();
    const plain = await PostgresDatabase.open({ url: url.toString(), password: server.password, ssl: false });
    try {
      expect(await plain.get("SELECT 1 AS ok")).toEqual({ ok: 1 });
    } finally {
      await plain.close();
    }
  });

  it("records each migration once, and running them again changes nothing", async () => {
    const applied = await db.all<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
    // Every version in rising order, each applied once (a version may be reserved by a change
    // merged on another branch, so the list may have gaps).
    expect(POSTGRES_MIGRATIONS.every((m, i, all) => i === 0 || m.version > (all[i - 1]?.version ?? 0))).toBe(true);
    expect(applied).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));
    await migratePostgres(db, 1);
    expect(await db.all("SELECT version FROM schema_migrations ORDER BY version")).toEqual(applied);
  });

  it("keeps the counter rows equal to the counts through inserts, deletes and offers moved to another user", async () => {
    let next = 0;
    const insertOffer = (ruleId: string, userId: string, dayKey: string, issuedAt: number) => {
      const id = `o${++next}`;
      return db.run(
        `INSERT INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title, text,
           discount, code, state, state_at, day_key, issued_at, expires_at)
         VALUES (?, ?, 1, ?, 's1', 'z1', ?, ?, 'T', 'T', '{}', ?, 'issued', ?, ?, ?, ?)`,
        [id, ruleId, userId, `v-${id}`, `e-${id}`, `C${id}`, issuedAt, dayKey, issuedAt, issuedAt + 1000],
      );
    };
    const both = async () => ({
      rows: {
        rule: await db.all("SELECT rule_id, issued FROM offer_counts_by_rule WHERE issued > 0 ORDER BY 1"),
        userDay: await db.all("SELECT user_id, day_key, issued FROM offer_counts_by_user_day WHERE issued > 0 ORDER BY 1, 2"),
        userRule: await db.all(
          "SELECT user_id, rule_id, issued, last_issued_at FROM offer_counts_by_user_rule WHERE issued > 0 ORDER BY 1, 2",
        ),
      },
      counted: {
        rule: await db.all("SELECT rule_id, COUNT(*) AS issued FROM offers GROUP BY 1 ORDER BY 1"),
        userDay: await db.all("SELECT user_id, day_key, COUNT(*) AS issued FROM offers GROUP BY 1, 2 ORDER BY 1, 2"),
        userRule: await db.all(
          "SELECT user_id, rule_id, COUNT(*) AS issued, MAX(issued_at) AS last_issued_at FROM offers GROUP BY 1, 2 ORDER BY 1, 2",
        ),
      },
    });
    await insertOffer("r1", "u1", "2026-03-01", 100);
    await insertOffer("r1", "u1", "2026-03-02", 300);
    await insertOffer("r2", "u1", "2026-03-02", 200);
    await insertOffer("r1", "u2", "2026-03-02", 250);
    let counts = await both();
    expect(counts.rows).toEqual(counts.counted);
    await db.run("DELETE FROM offers WHERE id = 'o2'");
    await db.run("UPDATE offers SET user_id = 'erased-1' WHERE id = 'o3'");
    counts = await both();
    expect(counts.rows).toEqual(counts.counted);
    expect(await db.get("SELECT issued, last_issued_at FROM offer_counts_by_user_rule WHERE user_id = 'u1' AND rule_id = 'r1'")).toEqual({
      issued: 1,
      last_issued_at: 100,
    });
  });

  it("counts offers of proximity rules only: a coupon of another channel moves no counter", async () => {
    const counters = async () => ({
      rule: await db.all("SELECT rule_id, issued FROM offer_counts_by_rule WHERE rule_id IN ('r9', 'batch-9') ORDER BY 1"),
      user: await db.all("SELECT user_id, issued FROM offer_counts_by_user WHERE user_id = 'u9'"),
      userRule: await db.all("SELECT rule_id, issued FROM offer_counts_by_user_rule WHERE user_id = 'u9' ORDER BY 1"),
    });
    const insert = (id: string, ruleId: string, channel: string) =>
      db.run(
        `INSERT INTO offers (id, rule_id, rule_version, user_id, store_id, zone_id, visit_id, event_id, title, text,
           discount, code, state, state_at, day_key, issued_at, expires_at, channel)
         VALUES (?, ?, 1, 'u9', 's1', 'z1', ?, ?, 'T', 'T', '{}', ?, 'issued', 10, '2026-03-09', 10, 1000, ?)`,
        [id, ruleId, `v-${id}`, `e-${id}`, `C-${id}`, channel],
      );
    await insert("c9-rule", "r9", "rule");
    await insert("c9-coupon", "batch-9", "online");
    const counted = {
      rule: [{ rule_id: "r9", issued: 1 }],
      user: [{ user_id: "u9", issued: 1 }],
      userRule: [{ rule_id: "r9", issued: 1 }],
    };
    expect(await counters()).toEqual(counted);
    // A coupon moving to a friend (a gift) or deleted (erasure) leaves the counters as they were.
    await db.run("UPDATE offers SET user_id = 'u10' WHERE id = 'c9-coupon'");
    await db.run("DELETE FROM offers WHERE id = 'c9-coupon'");
    expect(await counters()).toEqual(counted);
    await db.run("DELETE FROM offers WHERE id = 'c9-rule'");
    expect(await counters()).toEqual({ rule: [{ rule_id: "r9", issued: 0 }], user: [{ user_id: "u9", issued: 0 }], userRule: [{ rule_id: "r9", issued: 0 }] });
    expect(await db.get("SELECT COUNT(*) AS n FROM offer_counts_by_user WHERE user_id = 'u10'")).toEqual({ n: 0 });
  });

  it("moves the directory change count on every write to organisations, stores, zones and users", async () => {
    const directory = new SqlDirectoryRepository(db);
    const before = await directory.directoryChanges();
    await db.run("INSERT INTO organisations (id, name, created_at) VALUES ('o1', 'O', 0)");
    await db.run("INSERT INTO stores (id, org_id, name, timezone, created_at) VALUES ('s1', 'o1', 'S', 'UTC', 0)");
    await db.run("INSERT INTO zones (id, store_id, name, geometry) VALUES ('z1', 's1', 'Z', '{}')");
    await db.run("INSERT INTO app_users (id, org_id, created_at, updated_at) VALUES ('u1', 'o1', 0, 0)");
    const afterInserts = await directory.directoryChanges();
    expect(afterInserts).toBeGreaterThanOrEqual(before + 4);
    await db.run("UPDATE app_users SET marketing_consent = 1 WHERE id = 'u1'");
    expect(await directory.directoryChanges()).toBeGreaterThan(afterInserts);
    const afterUpdate = await directory.directoryChanges();
    await db.run("UPDATE offers SET title = 'T2'");
    expect(await directory.directoryChanges()).toBe(afterUpdate);
  });

  it("migrates a database of version 1 with its data: whole refunds count as refunded, earnings may have several reversals, visits were last seen at their start", async () => {
    const old = await PostgresDatabase.open({ url: await server.createDatabase("v1"), maxConnections: 1 });
    try {
      // A database as the release before partial refunds left it.
      const [first] = POSTGRES_MIGRATIONS;
      if (!first) throw new Error("no migrations");
      await old.exec("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      await old.exec(first.sql);
      await old.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, 0)", [first.name]);
      const entry = `INSERT INTO ledger_entries (id, org_id, member_id, kind, source, points, idempotency_key, reverses, at)
        VALUES (?, 'o1', 'u1', ?, 'till-purchase', ?, ?, ?, 1)`;
      await old.run(entry, ["e-earn", "earn", 100, "purchase:s1:a", null]);
      await old.run(entry, ["e-rev", "reverse", -40, "refund:s1:a:1", "e-earn"]);
      await expect(old.run(entry, ["e-rev-2", "reverse", -60, "refund:s1:a:2", "e-earn"])).rejects.toThrow(/unique/i);
      const purchase = `INSERT INTO member_purchases (org_id, order_key, user_id, store_id, channel, total_minor, currency, points, at, refunded_at)
        VALUES ('o1', ?, 'u1', 's1', 'till', ?, 'HKD', ?, 1, ?)`;
      await old.run(purchase, ["s1:a", 10_000, 100, 50]);
      await old.run(purchase, ["s1:b", 1_000, 10, null]);
      await old.run(
        `INSERT INTO user_visit_counts (user_id, store_id, visits, last_visit_id, last_visit_at, previous_visit_at)
         VALUES ('u1', 's1', 2, 'visit-2', 7000, 1000)`,
      );

      const latest = await migratePostgres(old, 2);
      // Store visits (migration 5): the open visit was last seen when it started.
      expect(await old.get("SELECT last_seen_at FROM user_visit_counts WHERE user_id = 'u1'")).toEqual({ last_seen_at: 7000 });
      expect(latest).toBe(POSTGRES_MIGRATIONS.at(-1)?.version);
      await old.run(entry, ["e-rev-2", "reverse", -60, "refund:s1:a:2", "e-earn"]);
      expect(await old.get("SELECT SUM(points) AS n FROM ledger_entries WHERE reverses = 'e-earn'")).toEqual({ n: -100 });
      expect(await old.all("SELECT order_key, refunded_minor FROM member_purchases ORDER BY order_key")).toEqual([
        { order_key: "s1:a", refunded_minor: 10_000 },
        { order_key: "s1:b", refunded_minor: 0 },
      ]);
      expect(await old.all("SELECT version FROM schema_migrations ORDER BY version")).toEqual(
        POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })),
      );
    } finally {
      await old.close();
    }
  });

  it("loses no update when read-modify-write transactions race", async () => {
    await db.exec("CREATE TABLE race (id INT PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO race VALUES (1, 0);");
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const row = await tx.get<{ n: number }>("SELECT n FROM race WHERE id = 1");
          await tx.run("UPDATE race SET n = ? WHERE id = 1", [(row?.n ?? 0) + 1]);
        }),
      ),
    );
    expect(await db.get("SELECT n FROM race WHERE id = 1")).toEqual({ n: 20 });
    await db.exec("DROP TABLE race");
  });
});
