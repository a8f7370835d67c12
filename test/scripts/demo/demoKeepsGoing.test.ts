/**
 * The demo over a simulated long run, on a manual clock: the demo's own seed, rules, caps and
 * footfall, with the real cloud deciding. Shoppers' visits go straight to ingest as the gateways
 * would report them (an enter at the entrance, then a dwell at the lipstick counter for the beauty
 * segment), so hours pass in a second and nothing is timed.
 *
 * The six regulars spend their caps within their first visits (one welcome ever, one counter offer
 * and one flash a day, three offers a day in all): without newcomers the demo went quiet after a
 * couple of minutes, and again after any restart the same day.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../../cloud/src/config/loadConfig.js";
import type { CloudConfig } from "../../../cloud/src/config/schema.js";
import { type Cloud, createCloud } from "../../../cloud/src/createCloud.js";
import { SimWorld, type SimAdvertiser } from "../../../gateway/src/adapters/sim/SimWorld.js";
import { encodeMessage, gatewayTopic, type PresenceEvent } from "../../../protocol/index.js";
import { DemoFootfall } from "../../../scripts/demo/DemoFootfall.js";
import {
  DEMO_NEWCOMER_EVERY_MS,
  DEMO_RADIOS,
  DEMO_STORE,
  DEMO_USERS,
  demoNewcomer,
  newcomerSubjectId,
  subjectIdOf,
} from "../../../scripts/demo/demoStore.js";
import { seedDemo } from "../../../scripts/demo/demoSystem.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

interface Issued {
  readonly userId: string;
  readonly ruleId: string;
  readonly issuedAt: number;
}

describe("the demo keeps issuing offers over a long run and a same-day restart", () => {
  // 10:00 in Hong Kong, the store's timezone: the rest of the day is open for the counter offer.
  const clock = new ManualClock("2026-12-07T02:00:00Z");
  const scheduler = new ManualScheduler(clock);
  const issued: Issued[] = [];
  const added: SimAdvertiser[] = [];
  const newcomers: { userId: string; arriveAt: number }[] = [];
  let dir: string;
  let config: CloudConfig;
  let cloud: Cloud;
  let footfall: DemoFootfall;
  let seq = 0;

  const startCloud = async (): Promise<void> => {
    cloud = await createCloud(config, {
      log: createLogger({ level: "silent", format: "json", name: "demo-long-run" }),
      clock,
      onOfferIssued: (offer) => issued.push({ userId: offer.userId, ruleId: offer.ruleId, issuedAt: offer.issuedAt }),
    });
    await seedDemo(cloud, clock.now());
    await cloud.start();
    footfall = new DemoFootfall({
      users: cloud.repositories.users,
      world: { add: (a) => added.push(a) },
      clock,
      scheduler,
      seed: 7,
      passersFromAt: clock.now() + HOUR_MS,
      onNewcomer: (userId, arriveAt) => newcomers.push({ userId, arriveAt }),
      onError: (err) => {
        throw err;
      },
    });
    await footfall.start();
  };
  const stopCloud = async (): Promise<void> => {
    await footfall.stop();
    await cloud.stop();
  };

  /** One visit as the gateways report it: enter at the entrance, then 30 s at the counter for beauty shoppers. */
  const visit = async (subjectId: string, beauty: boolean, at: number): Promise<void> => {
    const visitId = `visit-${String(++seq).padStart(8, "0")}`;
    const event = (type: PresenceEvent["type"], zoneId: string, gatewayId: string, t: number, dwellMs?: number): PresenceEvent => ({
      id: `event-${String(++seq).padStart(8, "0")}`,
      seq,
      type,
      storeId: DEMO_STORE.id,
      zoneId,
      gatewayId,
      subject: { kind: "ibeacon", id: subjectId },
      at: new Date(t).toISOString(),
      visitId,
      rssi: -60,
      distanceM: 1.5,
      ...(dwellMs === undefined ? {} : { dwellMs }),
    });
    const batches: [string, PresenceEvent[]][] = [["gw-entrance", [event("enter", "entrance", "gw-entrance", at)]]];
    if (beauty) {
      batches.push([
        "gw-cosmetics",
        [event("enter", "cosmetics", "gw-cosmetics", at + 10_000), event("dwell", "cosmetics", "gw-cosmetics", at + 40_000, 30_000)],
      ]);
    }
    for (const [gatewayId, events] of batches) {
      await cloud.ingest.handleBatch(
        gatewayTopic(DEMO_STORE.id, gatewayId, "events"),
        encodeMessage({ v: 1, outbox: `long-run-${gatewayId}`, fromSeq: events[0]?.seq ?? 1, events }),
      );
    }
  };
  const regularsVisit = async (): Promise<void> => {
    for (const user of DEMO_USERS) await visit(subjectIdOf(user), user.segments.includes("beauty"), clock.now());
  };
  /**
   * Lets `ms` pass in five-minute steps: newcomers sign up on the way, and each walks in as they
   * arrive (visited once their visit is over, well within the age the cloud still acts on).
   */
  const walkingIn: { userId: string; arriveAt: number }[] = [];
  const pass = async (ms: number): Promise<void> => {
    const target = clock.now() + ms;
    while (clock.now() < target) {
      const before = newcomers.length;
      await scheduler.advance(Math.min(5 * MINUTE_MS, target - clock.now()));
      await footfall.settled();
      walkingIn.push(...newcomers.slice(before));
      while (walkingIn[0] && walkingIn[0].arriveAt + 45_000 <= clock.now()) {
        const { userId, arriveAt } = walkingIn.shift() ?? walkingIn[0];
        const n = Number(userId.replace("u-new-", ""));
        await visit(newcomerSubjectId(n), demoNewcomer(n).segments.includes("beauty"), arriveAt);
      }
    }
  };
  const offersSince = (t: number, who: "regulars" | "newcomers"): Issued[] =>
    issued.filter((o) => o.issuedAt >= t && (who === "regulars") === DEMO_USERS.some((u) => u.id === o.userId));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-demo-long-run-"));
    const parsed = parseCloudConfig({ dataDir: dir, http: { port: 0 }, mqtt: { mode: "embedded", port: 0 }, log: { level: "silent" } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    config = parsed.config;
    await startCloud();
  });
  afterAll(async () => {
    await stopCloud();
    await rm(dir, { recursive: true, force: true });
  });

  it("the regulars run dry within minutes; newcomers keep getting offers hours later", async () => {
    const start = clock.now();
    // The first minutes, as `npm start` shows them: the regulars walk in twice.
    await regularsVisit();
    await pass(5 * MINUTE_MS);
    await regularsVisit();
    expect(offersSince(start, "regulars").length).toBeGreaterThan(0);

    // Three hours on, the regulars come back: every cap they have is spent for the day.
    await pass(3 * HOUR_MS);
    const late = clock.now();
    await regularsVisit();
    expect(offersSince(late, "regulars")).toEqual([]);

    // ...but the newcomers of the next half hour still get welcomes and counter offers.
    await pass(30 * MINUTE_MS);
    const fresh = offersSince(late, "newcomers");
    expect(fresh.length).toBeGreaterThanOrEqual(20);
    expect(new Set(fresh.map((o) => o.ruleId))).toEqual(new Set(["welcome", "lipstick-counter"]));
    // One newcomer every 40 s, all along.
    expect(newcomers.length).toBe(Math.floor((clock.now() - start) / DEMO_NEWCOMER_EVERY_MS));
  });

  it("newcomers walk into the simulated store: the entrance radio hears their phone", () => {
    const first = added.find((a) => a.addr.startsWith("02:00:00:03:"));
    const arrival = newcomers[0];
    if (!first || !arrival) throw new Error("no newcomer was added to the world");
    const world = new SimWorld({
      seed: 1,
      advertisers: [first],
      pathLossExponent: 2.2,
      fadingDb: 2,
      bodyLossProbability: 0.2,
      packetLoss: 0.1,
      sensitivityDbm: -100,
    });
    const heard = world.hear(DEMO_RADIOS, arrival.arriveAt, arrival.arriveAt + 5_000);
    expect(heard.filter((a) => a.gatewayId === "gw-entrance" && a.rssi > -75).length).toBeGreaterThan(5);
    // Once their visit is over the world forgets them, so a long run does not grow without bound.
    world.hear(DEMO_RADIOS, arrival.arriveAt + 5 * MINUTE_MS, arrival.arriveAt + 5 * MINUTE_MS + 1_000);
    expect(world.size).toBe(0);
  });

  it("after a restart the same day, numbering carries on and new people still get offers", async () => {
    const lastBefore = footfall.nextNewcomer - 1;
    await stopCloud();
    await startCloud();
    expect(footfall.nextNewcomer).toBe(lastBefore + 1);
    const restartedAt = clock.now();
    await regularsVisit();
    await pass(20 * MINUTE_MS);
    expect(offersSince(restartedAt, "regulars")).toEqual([]);
    // (Newcomers who signed up just before the restart still walk in after it.)
    const signedUpSince = offersSince(restartedAt, "newcomers").filter((o) => Number(o.userId.replace("u-new-", "")) > lastBefore);
    expect(signedUpSince.length).toBeGreaterThanOrEqual(15);
  });
});
