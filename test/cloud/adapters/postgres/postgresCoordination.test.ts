import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PostgresCoordination } from "../../../../cloud/src/adapters/postgres/coordination/PostgresCoordination.js";
import type { ChangeNotice } from "../../../../cloud/src/services/Coordination.js";
import { ManualScheduler } from "../../../support/ManualScheduler.js";
import { POSTGRES_AVAILABLE, POSTGRES_SKIP_REASON, type PostgresInstance, startPostgres } from "../../../support/postgres.js";
import { RecordingLogger } from "../../../support/RecordingLogger.js";
import { until } from "../../../support/until.js";
import { ManualClock } from "../../manualClock.js";

/**
 * Leadership and change notices of cloud workers through a private PostgreSQL: two coordinators,
 * exactly one leader; the leader's session terminated, the other takes over at its next attempt; a
 * notice sent by one reaches the other, and a reconnect tells its listeners to resync.
 */
describe.skipIf(!POSTGRES_AVAILABLE)(
  `PostgresCoordination${POSTGRES_AVAILABLE ? "" : ` (skipped: ${POSTGRES_SKIP_REASON})`}`,
  () => {
    let server: PostgresInstance;
    let url: string;
    let coordinators: PostgresCoordination[];
    const scheduler = new ManualScheduler(new ManualClock(0));

    const coordinator = (workerId: string, lockKey: number): PostgresCoordination => {
      const created = new PostgresCoordination({
        connection: { connectionString: url },
        workerId,
        scheduler,
        log: new RecordingLogger(),
        lockKey,
        retryMs: 1000,
      });
      coordinators.push(created);
      return created;
    };

    /** Terminates the session holding the lock `lockKey`, as an operator or a failover would. */
    const terminate = async (lockKey: number): Promise<number> => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        // The backend that holds the advisory lock (objid is the key's low 32 bits). With a timeout
        // (PostgreSQL 14+) the call returns once the backend has exited, so its lock is released.
        const result = await admin.query<{ n: string }>(
          `SELECT count(pg_terminate_backend(pid, 10000))::text AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`,
          [lockKey],
        );
        return Number(result.rows[0]?.n ?? 0);
      } finally {
        await admin.end();
      }
    };

    beforeAll(async () => {
      server = await startPostgres();
      url = await server.createDatabase("coord");
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });
    beforeEach(() => {
      coordinators = [];
    });
    afterEach(async () => {
      for (const c of coordinators) await c.stop();
    });

    it("makes exactly one of two workers leader, and the other takes over when the leader's session dies", async () => {
      const a = coordinator("w-a", 1001);
      const b = coordinator("w-b", 1001);
      const changes: boolean[] = [];
      b.onLeadership((leader) => changes.push(leader));
      await a.start();
      await b.start();
      expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
      // b keeps trying on its schedule; a keeps the lock.
      await b.tick();
      await a.tick();
      expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);

      expect(await terminate(1001)).toBe(1);
      // a notices its session is gone (an error on the idle session, or its next check) and
      // reconnects as a follower ...
      await a.tick();
      expect(a.isLeader()).toBe(false);
      // ... and b takes the lock PostgreSQL released at its next attempt.
      await b.tick();
      expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
      expect(changes).toEqual([true]);
      // a reconnects as a follower.
      await a.tick();
      expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
    });

    it("hands leadership over when the leader stops", async () => {
      const a = coordinator("w-a", 1002);
      const b = coordinator("w-b", 1002);
      await a.start();
      await b.start();
      await a.stop();
      await b.tick();
      expect(b.isLeader()).toBe(true);
    });

    it("delivers a change notice to the other worker, not back to its sender", async () => {
      const a = coordinator("w-a", 1003);
      const b = coordinator("w-b", 1003);
      await a.start();
      await b.start();
      const atA: ChangeNotice[] = [];
      const atB: ChangeNotice[] = [];
      a.onChange((c) => atA.push(c));
      b.onChange((c) => atB.push(c));
      await a.notify({ topic: "rules", key: "org-1" });
      await a.notify({ topic: "zones", key: "store-9" });
      await until(() => atB.length === 2, 10_000, "the notices at b");
      expect(atB).toEqual([
        { topic: "rules", key: "org-1" },
        { topic: "zones", key: "store-9" },
      ]);
      // b's own notice is the barrier: once a has it, a would have had its own by then too.
      await b.notify({ topic: "rules", key: "org-2" });
      await until(() => atA.length === 1, 10_000, "b's notice at a");
      expect(atA).toEqual([{ topic: "rules", key: "org-2" }]);
    });

    it("broadcasts a payload to the other worker in order, not back to its sender, within NOTIFY's limit", async () => {
      const a = coordinator("w-a", 1008);
      const b = coordinator("w-b", 1008);
      expect(await a.broadcast("before start")).toBe(false);
      await a.start();
      await b.start();
      const atA: string[] = [];
      const atB: string[] = [];
      a.onBroadcast((p) => atA.push(p));
      b.onBroadcast((p) => atB.push(p));
      // Change notices travel on their own channel and are not broadcasts.
      const notices: ChangeNotice[] = [];
      b.onChange((c) => notices.push(c));
      const largest = "x".repeat(a.maxBroadcastBytes);
      expect(await a.broadcast('[{"k":"e","line":"one\ntwo"}]')).toBe(true);
      expect(await a.broadcast(largest)).toBe(true);
      expect(await a.broadcast(`${largest}x`)).toBe(false);
      expect(await a.broadcast("é".repeat(Math.ceil(a.maxBroadcastBytes / 2) + 1))).toBe(false);
      await until(() => atB.length === 2, 10_000, "the broadcasts at b");
      expect(atB).toEqual(['[{"k":"e","line":"one\ntwo"}]', largest]);
      await b.broadcast("from b");
      await until(() => atA.length === 1, 10_000, "b's broadcast at a");
      expect(atA).toEqual(["from b"]);
      expect(notices).toEqual([]);
    });

    it("tells its listeners to resync after its session was lost and reconnected", async () => {
      const a = coordinator("w-a", 1004);
      await a.start();
      const seen: ChangeNotice[] = [];
      a.onChange((c) => seen.push(c));
      await terminate(1004);
      // Notices the loss, reconnects, and a period later takes leadership again (nobody else wants
      // it); three steps whether the loss is seen on the idle session or on the next check.
      for (let i = 0; i < 3; i++) await a.tick();
      expect(seen).toEqual([{ topic: "resync", key: "" }]);
      expect(a.isLeader()).toBe(true);
    });

    it("loses leadership while PostgreSQL is down and takes it back, resyncing, once it is up", async () => {
      const a = coordinator("w-a", 1005);
      await a.start();
      const seen: ChangeNotice[] = [];
      a.onChange((c) => seen.push(c));
      expect(a.isLeader()).toBe(true);
      await server.halt("fast");
      await a.tick();
      expect(a.isLeader()).toBe(false);
      // Attempts while the server is down fail and are retried on the schedule.
      await a.tick();
      expect(a.isLeader()).toBe(false);
      await server.restart();
      for (let i = 0; i < 2; i++) await a.tick();
      expect(a.isLeader()).toBe(true);
      expect(seen).toEqual([{ topic: "resync", key: "" }]);
    });
  },
);
