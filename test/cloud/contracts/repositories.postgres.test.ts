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
import { describeDeliveryRepositoryContract } from "./deliveryRepository.contract.js";
import { describeDirectoryRepositoryContract } from "./directoryRepository.contract.js";
import { describeEventRepositoryContract } from "./eventRepository.contract.js";
import { describeFleetRepositoryContract } from "./fleetRepository.contract.js";
import { describeLedgerRepositoryContract } from "./ledgerRepository.contract.js";
import { describeMembershipRepositoryContract } from "./membershipRepository.contract.js";
import { describeOfferRepositoryContract } from "./offerRepository.contract.js";
import { describePickupRepositoryContract } from "./pickupRepository.contract.js";
import { describePrivacyRepositoryContract } from "./privacyRepository.contract.js";
import { describePushRegistrationRepositoryContract } from "./pushRegistrationRepository.contract.js";
import { BEACON, type MakeBackend, org, presenceEvent, seedStore, user } from "./repositoryContract.js";
import { describeRuleRepositoryContract } from "./ruleRepository.contract.js";
import { describeUserRepositoryContract } from "./userRepository.contract.js";
import { describeWebhookRepositoryContract, webhookDelivery, webhookEndpoint } from "./webhookRepository.contract.js";

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
  describePushRegistrationRepositoryContract("PostgreSQL", postgres);
  describeDeliveryRepositoryContract("PostgreSQL", postgres);
  describeWebhookRepositoryContract("PostgreSQL", postgres);

  // What SQLite never faces: several cloud processes writing one database. Each "process" is its
  // own pool and its own repositories, so nothing but the database is shared between them.
  describe("several cloud processes on one database", () => {
    /** Three "processes" on one fresh database: the first makes it, two more pools join it. */
    const threeProcesses = async () => {
      const first = await postgres();
      const url = server?.url(`contract_${copies}`) ?? "";
      const others = await Promise.all([1, 2].map(() => PostgresDatabase.open({ url, maxConnections: 4 })));
      const processes: Repositories[] = [first.repos, ...others.map((db) => createPostgresRepositories(db))];
      const close = async (): Promise<void> => {
        await Promise.all(others.map((db) => db.close()));
        await first.close();
      };
      return { first, others, processes, close };
    };
    const spend = (points: number): LedgerCommand => ({ kind: "spend", points, source: "coupon-redemption", reference: null, reason: null });

    it("leaves a push queued by one process to that process until its lease runs out", async () => {
      const { first, processes, close } = await threeProcesses();
      const [a, b] = [processes[0] ?? first.repos, processes[1] ?? first.repos];
      try {
        await seedStore(first.repos);
        await first.repos.users.upsertUser(user("u1", "o1"), 0);
        const item = { id: "i1", offerId: "offer-1", userId: "u1", installationId: "phone", orgId: "o1", storeId: "s1", title: "T", expiresAt: 10_000_000, nextAttemptAt: 1000 };
        expect(await a.delivery.enqueuePush([item], 1000)).toBe(1);
        // The queuing process sends it without reading it back; no other may take it meanwhile.
        expect(await b.delivery.duePush(1000, 10)).toEqual([]);
        expect((await a.delivery.duePush(1000, 10)).map((i) => i.id)).toEqual(["i1"]);
        // Its holder died: after the lease (60 s) another process sends it.
        expect((await b.delivery.duePush(1000 + 60_000, 10)).map((i) => i.id)).toEqual(["i1"]);
      } finally {
        await close();
      }
    });

    it("keeps a balance, a visit cap and one secret exact across three processes", async () => {
      const { first, processes, close } = await threeProcesses();
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
        await close();
      }
    });

    it("keeps coupon stock, limits and one redemption per coupon exact across three processes", async () => {
      const { first, processes, close } = await threeProcesses();
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
        await close();
      }
    });

    it("joins one shopper's events stored by three processes at once into one store visit", async () => {
      const { first, others, processes, close } = await threeProcesses();
      try {
        await seedStore(first.repos);
        await first.repos.users.upsertUser(user("u1", "o1"), 0);
        await first.repos.users.registerDevice(BEACON, "u1", null, 0);
        const gateways = Array.from({ length: 6 }, (_, i) => `g${i + 1}`);
        for (const id of gateways.slice(1)) await first.repos.directory.upsertGateway({ id, storeId: "s1", name: id }, 0);
        // Six gateways of the store report the shopper's arrival within a minute, each batch stored
        // by one of three processes at the same time.
        const results = await Promise.all(
          gateways.map((gatewayId, i) =>
            (processes[i % 3] ?? first.repos).events.storeBatch({
              storeId: "s1",
              gatewayId,
              outbox: `outbox-${gatewayId}`,
              fromSeq: 1,
              refusedSeqs: [],
              receivedAt: 5,
              events: [
                presenceEvent(1, {
                  id: `${gatewayId}-enter`,
                  gatewayId,
                  visitId: `visit-${gatewayId}`,
                  at: new Date(Date.UTC(2026, 10, 22, 9, 0, i * 10)).toISOString(),
                }),
              ],
            }),
          ),
        );
        const joined = results.flatMap((r) => r.inserted.map((e) => e.storeVisitId));
        expect(joined).toHaveLength(6);
        expect(new Set(joined).size).toBe(1);
        expect(await others[0]?.get("SELECT visits FROM user_visit_counts WHERE user_id = 'u1' AND store_id = 's1'")).toEqual({ visits: 1 });
      } finally {
        await close();
      }
    });

    it("ends with every ack and one store visit when two processes commit groups of the same outboxes at once", async () => {
      const { first, processes, close } = await threeProcesses();
      const [a, b] = [processes[0] ?? first.repos, processes[1] ?? first.repos];
      try {
        await seedStore(first.repos);
        await first.repos.users.upsertUser(user("u1", "o1"), 0);
        await first.repos.users.registerDevice(BEACON, "u1", null, 0);
        const gateways = ["g1", "g2", "g3"];
        for (const id of gateways.slice(1)) await first.repos.directory.upsertGateway({ id, storeId: "s1", name: id }, 0);
        // Each gateway's sequences 1-24 in batches of two, the groups handed to the two processes
        // in turn, last ones first, so both hold neighbouring batches of every outbox at once. One
        // event of each batch is the shopper's (one zone visit a gateway), the other nobody's.
        const batchOf = (gatewayId: string, n: number) => ({
          storeId: "s1",
          gatewayId,
          outbox: `outbox-${gatewayId}`,
          fromSeq: 1,
          refusedSeqs: [],
          receivedAt: 100 + n,
          events: [2 * n + 1, 2 * n + 2].map((seq) =>
            presenceEvent(seq, {
              id: `${gatewayId}-${seq}`,
              gatewayId,
              type: seq === 1 ? "enter" : "dwell",
              visitId: seq % 2 === 0 ? `visit-${gatewayId}-${seq}` : `visit-${gatewayId}`,
              at: new Date(Date.UTC(2026, 10, 22, 9, 0, seq)).toISOString(),
              ...(seq === 1 ? {} : { dwellMs: seq * 1000 }),
              ...(seq % 2 === 0 ? { subject: { kind: "ibeacon" as const, id: `ibeacon:nobody:${seq}` } } : {}),
            }),
          ),
        });
        const groups = Array.from({ length: 12 }, (_, n) => gateways.map((g) => batchOf(g, n))).reverse();
        const results = await Promise.all(
          groups.map((group, i) => (i % 2 === 0 ? a : b).events.storeBatches(group)),
        );
        expect((await first.repos.events.outboxProgress("g1")).concat(
          await first.repos.events.outboxProgress("g2"),
          await first.repos.events.outboxProgress("g3"),
        )).toEqual(gateways.map((g) => ({ outbox: `outbox-${g}`, ackedSeq: 24, pending: [] })));
        // The batch that filled the last gap of an outbox answered the whole of it.
        for (const k of [0, 1, 2]) expect(Math.max(...results.map((r) => r[k]?.ackSeq ?? 0))).toBe(24);
        expect(results.flat().reduce((n, r) => n + r.inserted.length, 0)).toBe(72);
        expect(await first.repos.events.countEvents()).toBe(72);
        expect(await first.repos.events.countOutboxesBehindGap()).toBe(0);
        // The shopper's events, from three gateways and two processes, are one store visit.
        const joined = new Set(results.flat().flatMap((r) => r.inserted.filter((e) => e.userId === "u1").map((e) => e.storeVisitId)));
        expect(joined.size).toBe(1);
        const visits = await first.repos.events.visitsPage({ storeId: "s1", from: null, to: null, zoneId: null, subjectId: BEACON, userId: null, limit: 10, after: null });
        expect(visits.map((v) => [v.id, v.dwellMs]).sort()).toEqual(gateways.map((g) => [`visit-${g}`, 23_000]));
      } finally {
        await close();
      }
    });

    it("keeps the cap and each settle exact when two dispatchers claim and settle at once", async () => {
      const { first, processes, close } = await threeProcesses();
      const [a, b] = [processes[0] ?? first.repos, processes[1] ?? first.repos];
      try {
        await seedStore(first.repos);
        const members = Array.from({ length: 8 }, (_, i) => `m${i}`);
        for (const id of members) await first.repos.users.upsertUser(user(id, "o1"), 0);
        const items = members.flatMap((userId) =>
          [0, 1].map((k) => ({
            id: `${userId}-${k}`,
            offerId: `offer-${userId}-${k}`,
            userId,
            installationId: "phone",
            orgId: "o1",
            storeId: "s1",
            title: "T",
            expiresAt: 10_000_000,
            nextAttemptAt: 1000,
          })),
        );
        expect(await first.repos.delivery.enqueuePush(items, 0)).toBe(16);
        // Both dispatchers claim both offers of every member, in opposite orders, and settle every
        // item (one as sent with its receipt, the other as dead), all at once: each one's writes
        // share group commits that contend for the same rows.
        const claims = await Promise.all(
          items.flatMap((item, i) => [
            a.delivery.claimNotification(item.userId, item.offerId, 5000, 60_000),
            b.delivery.claimNotification(items[items.length - 1 - i]?.userId ?? "", items[items.length - 1 - i]?.offerId ?? "", 5000, 60_000),
          ]),
        );
        await Promise.all(
          items.flatMap((item) => [
            a.delivery.settlePush(item.id, "sent", null, 6000, { offerId: item.offerId, storeId: "s1", channel: "push" }),
            b.delivery.settlePush(item.id, "dead", "HTTP 410", 6001),
          ]),
        );
        const won = new Map<string, Set<string>>();
        items.forEach((item, i) => {
          const mirrored = items[items.length - 1 - i];
          if (claims[2 * i]) won.set(item.userId, (won.get(item.userId) ?? new Set()).add(item.offerId));
          if (claims[2 * i + 1] && mirrored) won.set(mirrored.userId, (won.get(mirrored.userId) ?? new Set()).add(mirrored.offerId));
        });
        // One offer per member, and both dispatchers' claims of it hold.
        expect([...won.keys()].sort()).toEqual(members);
        for (const offers of won.values()) expect(offers.size).toBe(1);
        const winners = new Set([...won.values()].flatMap((o) => [...o]));
        items.forEach((item, i) => {
          const mirrored = items[items.length - 1 - i];
          expect(claims[2 * i]).toBe(winners.has(item.offerId));
          expect(claims[2 * i + 1]).toBe(winners.has(mirrored?.offerId ?? ""));
        });
        // Each item settled once, wholly by one of them; every sent settle's receipt recorded.
        for (const item of items) {
          const stored = await first.repos.delivery.pushItem(item.id);
          const expected =
            stored?.status === "sent" ? { status: "sent", lastError: null, updatedAt: 6000 } : { status: "dead", lastError: "HTTP 410", updatedAt: 6001 };
          expect(stored, item.id).toMatchObject({ ...expected, attempts: 1 });
        }
        expect(await first.repos.delivery.receiptCounts({ orgId: "o1", storeId: null, from: 0, to: 10_000 })).toEqual({ push: 16, mqtt: 0, pull: 0 });
        // Settled items are nobody's to send.
        expect(await processes[2]?.delivery.duePush(1_000_000, 30)).toEqual([]);
      } finally {
        await close();
      }
    });

    it("hands each due push to one process, and lets one offer per member through the cap", async () => {
      const { first, processes, close } = await threeProcesses();
      try {
        await first.repos.directory.upsertOrganisation(org("o1"), 0);
        await first.repos.users.upsertUser(user("u1", "o1"), 0);
        const items = Array.from({ length: 30 }, (_, i) => ({
          id: `p${String(i).padStart(2, "0")}`,
          offerId: `offer-${i}`,
          userId: "u1",
          installationId: "i1",
          orgId: "o1",
          storeId: "s1",
          title: "10% off",
          expiresAt: 1_000_000,
          nextAttemptAt: 1000,
        }));
        expect(await first.repos.delivery.enqueuePush(items, 0)).toBe(30);
        // Three dispatchers polling at once, twice each: every due item goes to exactly one of them.
        // Six reads of 5 cannot take more than the 30 due, so each read is handed 5 (none starves).
        const rounds = await Promise.all(
          processes.flatMap((repos) => [repos.delivery.duePush(2000, 5), repos.delivery.duePush(2000, 5)]),
        );
        const handed = processes.map((_, p) => new Set([...(rounds[2 * p] ?? []), ...(rounds[2 * p + 1] ?? [])].map((i) => i.id)));
        const all = handed.flatMap((ids) => [...ids]);
        expect(new Set(all).size).toBe(all.length);
        // A process is handed its own leased items again, never another's, until the lease runs out.
        const mine = [...(handed[0] ?? [])];
        expect(mine.length).toBeGreaterThanOrEqual(5);
        const others1 = (await processes[1]?.delivery.duePush(2000, 30))?.map((i) => i.id) ?? [];
        for (const id of mine) expect(others1).not.toContain(id);
        expect((await processes[0]?.delivery.duePush(2000, 30))?.map((i) => i.id)).toEqual(expect.arrayContaining(mine));
        // Settled or rescheduled, an item is out of the lease; a lapsed lease frees the rest.
        const [settled, rescheduled] = mine;
        if (settled === undefined || rescheduled === undefined) throw new Error("process 0 was handed fewer than two items");
        await processes[0]?.delivery.settlePush(settled, "sent", null, 2100);
        await processes[0]?.delivery.reschedulePush(rescheduled, { attempts: 1, nextAttemptAt: 2000, error: "HTTP 503" }, 2100);
        expect((await processes[1]?.delivery.duePush(2000, 30))?.map((i) => i.id)).toContain(rescheduled);
        const late = (await processes[2]?.delivery.duePush(1_000_000, 30))?.map((i) => i.id) ?? [];
        expect(late).toHaveLength(29);
        expect(late).not.toContain(settled);
        // What another process leased is due, for the others, when its lease runs out.
        expect(await processes[2]?.delivery.nextPushDueAt()).toBe(1000);
        expect(await processes[1]?.delivery.nextPushDueAt()).toBe(1_060_000);

        const claims = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (processes[i % 3] ?? first.repos).delivery.claimNotification("u1", `offer-${i % 4}`, 5000, 60_000),
          ),
        );
        const winners = new Set(Array.from({ length: 12 }, (_, i) => i).filter((i) => claims[i] === true).map((i) => i % 4));
        expect(winners.size).toBe(1);
      } finally {
        await close();
      }
    });
    it("hands each due webhook delivery to one process until it is settled, rescheduled or its lease lapses", async () => {
      const { first, processes, close } = await threeProcesses();
      try {
        await first.repos.directory.upsertOrganisation(org("o1"), 0);
        await first.repos.webhooks.createEndpoint(webhookEndpoint("e1"));
        const deliveries = Array.from({ length: 30 }, (_, i) => webhookDelivery(`w${String(i).padStart(2, "0")}`));
        expect(await first.repos.webhooks.enqueue(deliveries, 0)).toBe(30);
        const rounds = await Promise.all(
          processes.flatMap((repos) => [repos.webhooks.due(2000, 5, []), repos.webhooks.due(2000, 5, [])]),
        );
        const handed = processes.map((_, p) => new Set([...(rounds[2 * p] ?? []), ...(rounds[2 * p + 1] ?? [])].map((d) => d.id)));
        const all = handed.flatMap((ids) => [...ids]);
        expect(new Set(all).size).toBe(all.length);
        const mine = [...(handed[0] ?? [])];
        expect(mine.length).toBeGreaterThanOrEqual(5);
        const seenBy1 = (await processes[1]?.webhooks.due(2000, 30, []))?.map((d) => d.id) ?? [];
        for (const id of mine) expect(seenBy1).not.toContain(id);
        const [settled, rescheduled] = mine;
        if (settled === undefined || rescheduled === undefined) throw new Error("process 0 was handed fewer than two deliveries");
        await processes[0]?.webhooks.settle(settled, { status: "sent", statusCode: 200 }, 2100);
        await processes[0]?.webhooks.reschedule(rescheduled, { attempts: 1, nextAttemptAt: 2000, error: "HTTP 500", statusCode: 500 }, 2100);
        expect((await processes[1]?.webhooks.due(2000, 30, []))?.map((d) => d.id)).toContain(rescheduled);
        const late = (await processes[2]?.webhooks.due(1_000_000, 30, []))?.map((d) => d.id) ?? [];
        expect(late).toHaveLength(29);
        expect(late).not.toContain(settled);
      } finally {
        await close();
      }
    });
  });
});
