/**
 * The demo's retailer (app, online shop, till) against a real cloud over HTTP, on a manual clock:
 * the same seed gives the same story, baskets and points whether the till's timer fires on time or
 * late and in lumps (a busy machine), and another seed gives another.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../../cloud/src/config/loadConfig.js";
import { createCloud } from "../../../cloud/src/createCloud.js";
import { encodeMessage, gatewayTopic, type PresenceEvent } from "../../../protocol/index.js";
import { DemoRetail, type DemoRetailEvent } from "../../../scripts/demo/DemoRetail.js";
import { DEMO_ORG, DEMO_STORE, DEMO_USERS, demoAdvertisers, subjectIdOf } from "../../../scripts/demo/demoStore.js";
import { seedDemo } from "../../../scripts/demo/demoSystem.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";

const RUN_MS = 4 * 60_000;

/** What happened, without the codes and ids the cloud draws from its CSPRNG. */
function project(e: DemoRetailEvent): string {
  const { kind, ...rest } = e;
  const kept = Object.entries(rest)
    .filter(([k]) => k !== "code" && k !== "pickupId")
    .map(([k, v]) => `${k}=${String(v)}`);
  return [kind, ...kept].join(" ");
}

/**
 * Runs the retailer for four simulated minutes from 10:00 in Hong Kong; `lateBy` gives how far the
 * clock jumps before each firing of the till's timer (undefined: every second, on time).
 */
async function run(seed: number, lateBy?: () => number): Promise<{ events: string[]; errors: unknown[]; balances: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), "arrival-demo-retail-"));
  const clock = new ManualClock("2026-12-07T02:00:00Z");
  const scheduler = new ManualScheduler(clock);
  const parsed = parseCloudConfig({ dataDir: dir, http: { port: 0 }, mqtt: { mode: "embedded", port: 0 }, log: { level: "silent" } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const cloud = await createCloud(parsed.config, { log: createLogger({ level: "silent", format: "json", name: "demo-retail" }), clock });
  const events: DemoRetailEvent[] = [];
  const errors: unknown[] = [];
  try {
    await seedDemo(cloud, clock.now());
    await cloud.start();
    const issue = async (spec: Parameters<typeof cloud.credentials.issueApiKey>[0]) => (await cloud.credentials.issueApiKey(spec, "test")).key;
    const admin = await issue({ role: "admin", orgId: DEMO_ORG.id, label: "online shop" });
    const retail = new DemoRetail({
      apiUrl: `http://127.0.0.1:${cloud.httpPort()}`,
      keys: {
        marketer: await issue({ role: "marketer", orgId: DEMO_ORG.id, label: "marketer" }),
        admin,
        pos: await issue({ role: "pos", orgId: DEMO_ORG.id, storeId: DEMO_STORE.id, label: "till" }),
      },
      storeBus: cloud.broker,
      clock,
      scheduler,
      seed,
      onEvent: (e) => events.push(e),
      onError: (err) => errors.push(err),
    });
    await retail.setUp();
    const phones = demoAdvertisers({ seed, startAt: clock.now(), firstArrivalMs: 1000 });
    const regulars = [];
    for (const [i, user] of DEMO_USERS.entries()) {
      const phone = phones[i];
      if (!phone) throw new Error("no phone");
      regulars.push({
        userId: user.id,
        segments: user.segments,
        appKey: await issue({ role: "app", orgId: DEMO_ORG.id, userId: user.id, label: user.id }),
        path: phone.path,
      });
    }
    await retail.start(regulars);
    const end = clock.now() + RUN_MS;
    while (clock.now() < end) {
      if (lateBy) {
        clock.advance(Math.min(lateBy(), end - clock.now()));
        await scheduler.runDue();
      } else {
        await scheduler.advance(1_000);
      }
      await retail.settled();
    }
    await retail.stop();
    const balances = [];
    for (const user of DEMO_USERS) {
      const read = await cloud.http.inject({ method: "GET", url: `/v1/users/${user.id}/points`, headers: { authorization: `Bearer ${admin}` } });
      balances.push(read.json<{ balance: number }>().balance);
    }
    return { events: events.map(project), errors, balances };
  } finally {
    await cloud.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the demo's retailer", () => {
  it("tells the same story for the same seed, on time or late, and another for another seed", { timeout: 120_000 }, async () => {
    const onTime = await run(11);
    expect(onTime.errors).toEqual([]);
    // The story happened: claims from tagged links, the gift, the pick-up, coupons at the till, points.
    const kinds = new Set(onTime.events.map((e) => e.split(" ")[0]));
    for (const kind of ["claimed", "gift-offered", "gift-accepted", "gift-declined", "pickup-ordered", "pickup-collected", "coupon-redeemed", "purchase"]) expect(kinds).toContain(kind);
    expect(onTime.balances.some((b) => b > 0)).toBe(true);

    // A busy machine: the timer fires late, by up to 17 s at a time.
    const jumps = [1_000, 9_000, 3_000, 17_000, 2_000, 11_000];
    let i = 0;
    const late = await run(11, () => jumps[i++ % jumps.length] ?? 1_000);
    expect(late.errors).toEqual([]);
    expect(late.events).toEqual(onTime.events);
    expect(late.balances).toEqual(onTime.balances);

    const other = await run(12);
    expect(other.errors).toEqual([]);
    expect(other.events).not.toEqual(onTime.events);
  });

  it("has the members' phones acknowledge their offers: every one delivered, a share viewed, in the funnel", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-demo-phones-"));
    const clock = new ManualClock("2026-12-07T02:00:00Z");
    const scheduler = new ManualScheduler(clock);
    const parsed = parseCloudConfig({ dataDir: dir, http: { port: 0 }, mqtt: { mode: "embedded", port: 0 }, log: { level: "silent" } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    let retail: DemoRetail | null = null;
    // As demoSystem wires it: the cloud tells the demo of each offer issued, the member's phone acknowledges it.
    const cloud = await createCloud(parsed.config, {
      log: createLogger({ level: "silent", format: "json", name: "demo-phones" }),
      clock,
      onOfferIssued: (offer) => retail?.offerIssued(offer),
    });
    const errors: unknown[] = [];
    try {
      await seedDemo(cloud, clock.now());
      await cloud.start();
      const issue = async (spec: Parameters<typeof cloud.credentials.issueApiKey>[0]) => (await cloud.credentials.issueApiKey(spec, "test")).key;
      const marketer = await issue({ role: "marketer", orgId: DEMO_ORG.id, label: "marketer" });
      retail = new DemoRetail({
        apiUrl: `http://127.0.0.1:${cloud.httpPort()}`,
        keys: { marketer, admin: await issue({ role: "admin", orgId: DEMO_ORG.id, label: "shop" }), pos: await issue({ role: "pos", orgId: DEMO_ORG.id, storeId: DEMO_STORE.id, label: "till" }) },
        storeBus: cloud.broker,
        clock,
        scheduler,
        seed: 7,
        onError: (err) => errors.push(err),
      });
      await retail.setUp();
      const phones = demoAdvertisers({ seed: 7, startAt: clock.now(), firstArrivalMs: 1000 });
      const regulars = [];
      for (const [i, user] of DEMO_USERS.entries()) {
        const phone = phones[i];
        if (!phone) throw new Error("no phone");
        regulars.push({ userId: user.id, segments: user.segments, appKey: await issue({ role: "app", orgId: DEMO_ORG.id, userId: user.id, label: user.id }), path: phone.path });
      }
      await retail.start(regulars);
      // Every regular walks in at the entrance, as the entrance gateway reports it.
      const at = new Date(clock.now()).toISOString();
      const events: PresenceEvent[] = DEMO_USERS.map((user, i) => ({
        id: `event-${String(i + 1).padStart(8, "0")}`,
        seq: i + 1,
        type: "enter",
        storeId: DEMO_STORE.id,
        zoneId: "entrance",
        gatewayId: "gw-entrance",
        subject: { kind: "ibeacon", id: subjectIdOf(user) },
        at,
        visitId: `visit-${String(i + 1).padStart(8, "0")}`,
        rssi: -60,
        distanceM: 1.5,
      }));
      await cloud.ingest.handleBatch(gatewayTopic(DEMO_STORE.id, "gw-entrance", "events"), encodeMessage({ v: 1, outbox: "demo-phones", fromSeq: 1, events }));
      await cloud.pipeline.idle();
      expect(cloud.ingest.counters.eventsStored).toBe(DEMO_USERS.length);
      for (let s = 0; s < 15; s++) {
        await scheduler.advance(1_000);
        await retail.settled();
      }
      await retail.stop();
      expect(errors).toEqual([]);
      const from = new Date(clock.now() - 3_600_000).toISOString();
      const to = new Date(clock.now() + 3_600_000).toISOString();
      const funnel = await cloud.http.inject({
        method: "GET",
        url: `/v1/analytics/funnel?groupBy=rule&from=${from}&to=${to}`,
        headers: { authorization: `Bearer ${marketer}` },
      });
      expect(funnel.statusCode, funnel.body).toBe(200);
      const totals = funnel.json<{ totals: { issued: number; delivered: number; viewed: number } }>().totals;
      // Each regular has the app: every offer issued reached a phone, and some, not all, were opened.
      expect(totals.issued, funnel.body).toBeGreaterThanOrEqual(3);
      expect(totals.delivered).toBe(totals.issued);
      expect(totals.viewed).toBeGreaterThan(0);
      expect(totals.viewed).toBeLessThan(totals.delivered);
    } finally {
      await cloud.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
