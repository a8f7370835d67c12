import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { BATCH_SPEC, couponFor } from "../contracts/couponRepository.contract.js";
import { seedStore, store, user } from "../contracts/repositoryContract.js";

const T0 = Date.parse("2026-11-22T09:00:00.000Z");

describe("gifts name their batch migration (26)", () => {
  it("gives each earlier gift its coupon's batch, so the batch lists it; a gift whose coupon is gone is listed nowhere", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-gift-batch-"));
    const db = await SqliteDatabase.open(join(dir, "cloud.db"));
    try {
      // A database as the release before this one left it, with a batch, a coupon and its gifts.
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of MIGRATIONS.filter((x) => x.version < 26)) {
        await db.exec(m.sql);
        await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
      }
      const repos = createSqliteRepositories(db);
      await seedStore(repos);
      await repos.directory.upsertStore(store("s2", "o1"), 0);
      await repos.users.upsertUser(user("u1", "o1"), 0);
      const batch = { batchId: "b1", orgId: "o1", spec: BATCH_SPEC, createdAt: T0 };
      await repos.coupons.createBatch(batch);
      const coupon = couponFor(batch, "u1", 1);
      const claimed = await repos.coupons.claim({ batchId: "b1", coupon, dayKey: "2026-11-22", presenceSince: null, delivered: true, reminderLeadMs: null });
      expect(claimed.ok).toBe(true);
      const gift = "INSERT INTO coupon_gifts (id, token_hash, coupon_id, user_id, to_user_id, state, created_at, expires_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
      await db.run(gift, ["g1", "h1", coupon.offerId, "u1", null, "declined", T0 + 1, T0 + 100, T0 + 2]);
      await db.run(gift, ["g2", "h2", "coupon-erased", "u1", null, "accepted", T0 + 3, T0 + 100, T0 + 4]);

      expect(await migrate(db, 0)).toBeGreaterThanOrEqual(26);
      expect(await db.all("SELECT id, batch_id FROM coupon_gifts ORDER BY id")).toEqual([
        { id: "g1", batch_id: "b1" },
        { id: "g2", batch_id: null },
      ]);
      expect(await repos.coupons.listGifts({ batchId: "b1", now: T0 + 10, limit: 10, after: null })).toEqual([
        { giftId: "g1", couponId: coupon.offerId, fromUserId: "u1", toUserId: null, state: "declined", createdAt: T0 + 1, expiresAt: T0 + 100, resolvedAt: T0 + 2 },
      ]);
      expect(await repos.coupons.giftCounts("b1", T0 + 10)).toEqual({ made: 1, pending: 0, accepted: 0, declined: 1, timedOut: 0 });
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
