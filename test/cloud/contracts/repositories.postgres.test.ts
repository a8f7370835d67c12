import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerCommand } from "../../../cloud/src/domain/loyalty/ledger.js";
import type { Repositories } from "../../../cloud/src/services/repositories.js";
import { createPostgresRepositories } from "../../../cloud/src/adapters/postgres/createPostgresRepositories.js";
import { migratePostgres } from "../../../cloud/src/adapters/postgres/migrations.js";
import { PostgresDatabase } from "../../../cloud/src/adapters/postgres/PostgresDatabase.js";
import { POSTGRES_AVAILABLE, type PostgresInstance, startPostgres } from "../../support/postgres.js";
import { describeAnalyticsRepositoryContract } from "./analyticsRepository.contract.js";
import { describeAuditRepositoryContract } from "./auditRepository.contract.js";
import { BATCH_SPEC, couponFor, describeCouponRepositoryContract } from "./couponRepository.contract.js";
import { describeCredentialRepositoryContract } from "./credentialRepository.contract.js";
import { describeDirectoryRepositoryContract } from "./directoryRepository.contract.js";
import { describeEventRepositoryContract } from "./eventRepository.contract.js";
import { describeFleetRepositoryContract } from "./fleetRepository.contract.js";
import { describeLedgerRepositoryContract } from "./ledgerRepository.contract.js";
import { describeMembershipRepositoryContract } from "./membershipRepository.contract.js";
import { describeOfferRepositoryContract } from "./offerRepository.contract.js";
import { describePickupRepositoryContract } from "./pickupRepository.contract.js";
import { describePrivacyRepositoryContract } from "./privacyRepository.contract.js";
import { type MakeBackend, org, seedStore, user } from "./repositoryContract.js";
import { describeRuleRepositoryContract } from "./ruleRepository.contract.js";
import { describeUserRepositoryContract } from "./userRepository.contract.js";

/**
 * Every repository contract against PostgreSQL: one private cluster for this file, one migrated
 * template database, and a copy of it (CREATE DATABASE … TEMPLATE, a file copy) per test, so each
 * test starts empty without running the migrations again.
 */
let server: PostgresInstance | null = null;
let template = "";
let copies = 0;

const postgres: MakeBackend = async () => {
  if (server === null) throw new Error("PostgreSQL is not started");
  const name = `contract_${++copies}`;
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const db = await PostgresDatabase.open({ url: server.url(name), maxConnections: 4 });
  return {
    repos: createPostgresRepositories(db),
    async close() {
      await db.close();
    },
  };
};

describe.skipIf(!POSTGRES_AVAILABLE)("PostgreSQL repositories", () => {
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase("template");
    template = new URL(url).pathname.slice(1);
    const db = await PostgresDatabase.open({ url });
    try {
      await migratePostgres(db, 0);
    } finally {
      await db.close();
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  describeDirectoryRepositoryContract("PostgreSQL", postgres);
  describeUserRepositoryContract("PostgreSQL", postgres);
  describeCredentialRepositoryContract("PostgreSQL", postgres);
  describeAuditRepositoryContract("PostgreSQL", postgres);
  describeEventRepositoryContract("PostgreSQL", postgres);
  describeRuleRepositoryContract("PostgreSQL", postgres);
  describeFleetRepositoryContract("PostgreSQL", postgres);
  describePrivacyRepositoryContract("PostgreSQL", postgres);
  describeOfferRepositoryContract("PostgreSQL", postgres);
  describeAnalyticsRepositoryContract("PostgreSQL", postgres);
  describeLedgerRepositoryContract("PostgreSQL", postgres);
  describeMembershipRepositoryContract("PostgreSQL", postgres);
  describeCouponRepositoryContract("PostgreSQL", postgres);
  describePickupRepositoryContract("PostgreSQL", postgres);

  // What SQLite never faces: several cloud processes writing one database. Each "process" is its
  // own pool and its own repositories, so nothing but the database is shared between them.
  describe("several cloud processes on one database", () => {
    const spend = (points: number): LedgerCommand => ({ kind: "spend", points, source: "coupon-redemption", reference: null, reason: null });

    it("keeps a balance, a visit cap and one secret exact across three processes", async () => {
      const first = await postgres();
      const url = server?.url(`contract_${copies}`) ?? "";
      const others = await Promise.all([1, 2].map(() => PostgresDatabase.open({ url, maxConnections: 4 })));
      const processes: Repositories[] = [first.repos, ...others.map((db) => createPostgresRepositories(db))];
      const worker = (i: number): Repositories => processes[i % processes.length] ?? first.repos;
      try {
        await first.repos.directory.upsertOrganisation(org("o1"), 0);
        await first.repos.users.upsertUser(user("u1", "o1"), 0);
        await first.repos.ledger.append("o1", "m1", { kind: "earn", points: 1000, source: "till-purchase", expiresAt: null, reference: null, reason: null }, "seed", 0);
        const spends = await Promise.all(
          Array.from({ length: 60 }, (_, i) => worker(i).ledger.append("o1", "m1", spend(30), `spend-${i}`, 1)),
        );
        expect(spends.filter((r) => r.ok)).toHaveLength(33);
        expect((await first.repos.ledger.balance("o1", "m1", 2)).balance).toBe(10);
        expect(await first.repos.ledger.entrySum("o1", "m1")).toBe(10);

        const visits = await Promise.all(
          Array.from({ length: 12 }, (_, i) => worker(i).membership.countEarningVisit("u1", "s1", "2026-11-24", 3)),
        );
        expect(visits.filter(Boolean)).toHaveLength(3);

        const secrets = await Promise.all(
          processes.map((repos, i) => repos.membership.memberCodeSecret(() => new Uint8Array(32).fill(i + 1), 1)),
        );
        expect(new Set(secrets.map((s) => s[0])).size).toBe(1);
      } finally {
        await Promise.all(others.map((db) => db.close()));
        await first.close();
      }
    });

    it("keeps coupon stock, limits and one redemption per coupon exact across three processes", async () => {
      const first = await postgres();
      const url = server?.url(`contract_${copies}`) ?? "";
      const others = await Promise.all([1, 2].map(() => PostgresDatabase.open({ url, maxConnections: 4 })));
      const processes: Repositories[] = [first.repos, ...others.map((db) => createPostgresRepositories(db))];
      const worker = (i: number): Repositories => processes[i % processes.length] ?? first.repos;
      const T0 = Date.parse("2026-11-22T09:00:00.000Z");
      try {
        await seedStore(first.repos);
        const members = Array.from({ length: 30 }, (_, i) => `m${i}`);
        for (const id of members) await first.repos.users.upsertUser(user(id, "o1"), 0);
        const batch = { batchId: "flash", orgId: "o1", spec: { ...BATCH_SPEC, totalStock: 12, dailyStock: 8, perMemberLimit: 2 }, createdAt: T0 };
        await first.repos.coupons.createBatch(batch);
        // 30 members claim 3 times each, spread over the processes: 2 each at most, 8 on the day.
        const claims = await Promise.all(
          members.flatMap((id, i) =>
            [0, 1, 2].map((n) =>
              worker(i + n).coupons.claim({
                batchId: "flash",
                coupon: couponFor(batch, id, n),
                dayKey: "2026-11-22",
                presenceSince: null,
                delivered: true,
                reminderLeadMs: null,
              }),
            ),
          ),
        );
        expect(claims.filter((r) => r.ok)).toHaveLength(8);
        expect(await first.repos.coupons.batchCounters("flash", "2026-11-22")).toEqual({ claimed: 8, claimedOnDay: 8 });
        const next = await Promise.all(
          members.slice(0, 10).map((id, i) =>
            worker(i).coupons.claim({ batchId: "flash", coupon: couponFor(batch, id, 9), dayKey: "2026-11-23", presenceSince: null, delivered: true, reminderLeadMs: null }),
          ),
        );
        expect(next.filter((r) => r.ok)).toHaveLength(4);
        const wallets = await Promise.all(members.map((id) => first.repos.coupons.wallet(id, 10)));
        expect(Math.max(...wallets.map((w) => w.length))).toBeLessThanOrEqual(2);
        expect(wallets.flat()).toHaveLength(12);

        const [coupon] = wallets.flat();
        if (!coupon) throw new Error("no coupon claimed");
        const redemptions = await Promise.all(
          Array.from({ length: 15 }, (_, i) =>
            worker(i).offers.redeem({ code: coupon.code, storeId: "s1", idempotencyKey: `key-${i}`, apiKeyId: "pos", now: T0 + 60_000, basket: null }),
          ),
        );
        expect(redemptions.filter((r) => r.ok)).toHaveLength(1);
        expect(redemptions.filter((r) => !r.ok && r.reason === "already-redeemed")).toHaveLength(14);
      } finally {
        await Promise.all(others.map((db) => db.close()));
        await first.close();
      }
    });
  });
});
