import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";

/**
 * The SQLite database itself: migrations and transactions. What the repositories on it do is the
 * port's behaviour, in the contract suites (test/cloud/contracts, run by repositories.sqlite.test.ts).
 */
describe("cloud storage (real SQLite file)", () => {
  let dir: string;
  let db: SqliteDatabase;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-cloud-db-"));
    db = await SqliteDatabase.open(join(dir, "cloud.db"));
    await migrate(db, 0);
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("migrates once: running the migrations again changes nothing", async () => {
    expect(await migrate(db, 1)).toBe(MIGRATIONS.at(-1)?.version);
    const rows = await db.all<{ version: number }>("SELECT version FROM schema_migrations");
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("reads a period of redemptions through the time index, not a scan of them all", async () => {
    const plan = await db.all<{ detail: string }>(
      "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM redemptions r WHERE r.redeemed_at >= ? AND r.redeemed_at < ?",
      [0, 1],
    );
    expect(plan.map((p) => p.detail).join("\n")).toContain("USING COVERING INDEX redemptions_redeemed");
  });

  it("rolls a failed transaction back completely", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO audit_log (at, actor, action, target) VALUES (1, 'a', 'b', 'c')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log"))?.n).toBe(0);
  });
});
