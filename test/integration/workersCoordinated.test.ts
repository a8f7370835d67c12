import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { PostgresCoordination } from "../../cloud/src/adapters/postgres/coordination/PostgresCoordination.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type Cloud, createCloud } from "../../cloud/src/createCloud.js";
import { checkRuleSpec } from "../../cloud/src/domain/rules/index.js";
import { systemScheduler } from "../../cloud/src/services/ports.js";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { parsePrometheusText } from "../support/prometheusText.js";
import { POSTGRES_AVAILABLE, POSTGRES_SKIP_REASON, type PostgresInstance, startPostgres } from "../support/postgres.js";
import { until } from "../support/until.js";
import { presenceEvent, SUBJECT_U1 } from "../cloud/cloudFixture.js";

/**
 * Two whole cloud workers coordinated through a private PostgreSQL (their storage is one SQLite file,
 * which SQLite serialises; the PostgreSQL repositories are not what this tests): one leader for the
 * periodic jobs, handed over when it stops, and a rule made live on one worker reaching the other's
 * rule index through a change notice.
 */
describe.skipIf(!POSTGRES_AVAILABLE)(
  `cloud workers coordinated through PostgreSQL${POSTGRES_AVAILABLE ? "" : ` (skipped: ${POSTGRES_SKIP_REASON})`}`,
  () => {
    let server: PostgresInstance;
    let dir: string;
    let workers: Cloud[] = [];
    let adminKey: string;
    const log = createLogger({ level: "silent", format: "json", name: "test" });

    const worker = async (id: string, url: string): Promise<Cloud> => {
      const parsed = parseCloudConfig({
        dataDir: dir,
        http: { port: 0 },
        mqtt: { mode: "embedded", port: 0 },
        worker: { id },
        log: { level: "silent" },
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      return createCloud(parsed.config, {
        log,
        clock: { now: () => Date.now() },
        coordination: (workerId) =>
          new PostgresCoordination({
            connection: { connectionString: url },
            workerId,
            scheduler: systemScheduler,
            log,
            retryMs: 200,
          }),
      });
    };
    const leads = async (cloud: Cloud): Promise<boolean> => {
      const res = await cloud.http.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${adminKey}` } });
      return parsePrometheusText(res.body).value("arrival_worker_leader", { worker: cloud.workerId }) === 1;
    };

    beforeAll(async () => {
      server = await startPostgres();
      const url = await server.createDatabase("workers");
      dir = await mkdtemp(join(tmpdir(), "arrival-coordinated-"));
      const first = await worker("w1", url);
      const now = Date.now();
      const { directory, users } = first.repositories;
      await directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 50 }, now);
      await directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, now);
      await directory.upsertZone({ id: "z1", storeId: "s1", name: "Zone", tags: [], geometry: {} });
      await directory.upsertGateway({ id: "g1", storeId: "s1", name: "Gateway" }, now);
      await users.upsertUser(
        { id: "u1", orgId: "o1", displayName: "u1", segments: [], loyaltyTier: "gold", marketingConsent: true, analyticsConsent: true },
        now,
      );
      await users.registerDevice(SUBJECT_U1, "u1", null, now);
      adminKey = (await first.credentials.issueApiKey({ role: "admin", orgId: "o1", label: "test admin" }, "test")).key;
      workers = [first, await worker("w2", url)];
      for (const w of workers) await w.start();
    }, 60_000);
    afterAll(async () => {
      for (const w of workers) await w.stop();
      await server?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("reloads another worker's rule index when one worker makes a rule live", async () => {
      const [w1, w2] = workers as [Cloud, Cloud];
      const spec = checkRuleSpec({
        trigger: { type: "enter" },
        scope: { storeIds: ["s1"] },
        offer: { title: "10% off", text: "Today only", discount: { kind: "percent", percent: 10 }, validityS: 600 },
        limits: { maxPerUserPerDay: 1 },
      });
      if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
      let seq = 0;
      const enterAtW2 = async (): Promise<number> => {
        seq++;
        await w2.ingest.handleBatch(
          gatewayTopic("s1", "g1", "events"),
          encodeMessage({ v: 1, outbox: "outbox-coord", fromSeq: 1, events: [presenceEvent(seq)] }),
        );
        await w2.pipeline.idle();
        return w2.pipeline.counters.offersIssued;
      };
      // No rule yet: w2 issues nothing.
      expect(await enterAtW2()).toBe(0);
      const who = { orgId: "o1", actor: "test" };
      expect((await w1.rules.create(who, { id: "r-new", spec: spec.value })).ok).toBe(true);
      expect((await w1.rules.transition(who, "r-new", "live")).ok).toBe(true);
      // w2 learns of it only through the notice (its index is read at start and on notices).
      await until(async () => (await enterAtW2()) > 0, 10_000, "an offer from w2 under the rule made live at w1");
      expect(w1.pipeline.counters.offersIssued).toBe(0);
    });

    it("shows in one worker's live view what the other stored and issued, and a consent withdrawal at either", async () => {
      const [w1, w2] = workers as [Cloud, Cloud];
      const live = async (cloud: Cloud) => {
        const res = await cloud.http.inject({ method: "GET", url: "/v1/live", headers: { authorization: `Bearer ${adminKey}` } });
        expect(res.statusCode).toBe(200);
        return res.json<{
          stores: { storeId: string; zones: { zoneId: string; present: { userId: string | null }[]; unlinked: number }[]; offers: { ruleId: string; userId: string | null }[] }[];
        }>();
      };
      // The previous test's enters and offers were handled by w2 alone (w1 issued nothing).
      expect(w2.pipeline.counters.offersIssued).toBeGreaterThan(0);
      expect(w1.pipeline.counters.offersIssued).toBe(0);
      await until(
        async () => {
          const store = (await live(w1)).stores.find((s) => s.storeId === "s1");
          return (store?.offers.length ?? 0) > 0 && store?.zones.some((z) => z.present.some((p) => p.userId === "u1")) === true;
        },
        10_000,
        "w2's presence and offers in w1's live view",
      );
      const seen = (await live(w1)).stores.find((s) => s.storeId === "s1");
      expect(seen?.offers.every((o) => o.ruleId === "r-new" && o.userId === "u1")).toBe(true);
      // Withdrawn at w1: w2's view, which holds the shopper from its own events, stops naming them.
      const res = await w1.http.inject({
        method: "PUT",
        url: "/v1/users/u1/consent",
        headers: { authorization: `Bearer ${adminKey}` },
        payload: { marketing: true, analytics: false },
      });
      expect(res.statusCode).toBe(200);
      await until(
        async () => {
          const store = (await live(w2)).stores.find((s) => s.storeId === "s1");
          return store?.zones.every((z) => z.present.length === 0) === true && store.offers.every((o) => o.userId === null);
        },
        10_000,
        "u1 unnamed in w2's live view",
      );
      const unnamed = (await live(w2)).stores.find((s) => s.storeId === "s1");
      expect(unnamed?.zones.reduce((sum, z) => sum + z.unlinked, 0)).toBeGreaterThan(0);
    });

    it("has exactly one leader, and the other worker leads once it stops", async () => {
      await until(async () => (await Promise.all(workers.map(leads))).filter(Boolean).length === 1, 10_000, "one leader");
      const flags = await Promise.all(workers.map(leads));
      expect(flags.filter(Boolean)).toHaveLength(1);
      const leader = workers[flags.indexOf(true)] as Cloud;
      const follower = workers[flags.indexOf(false)] as Cloud;
      await leader.stop();
      workers = workers.filter((w) => w !== leader);
      await until(() => leads(follower), 10_000, "the follower taking over");
    });
  },
);
