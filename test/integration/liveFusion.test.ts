import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import type { Cloud } from "../../cloud/src/createCloud.js";
import { compareDetections, type LiveStoreResult, liveStoreStart, runLiveStore, SimClock } from "../../scripts/bench/fusionLive.js";
import { freePort } from "../support/freePort.js";
import { openCloud, stopCloud } from "../support/uplinkCloud.js";

const silent = createLogger({ level: "silent", format: "json", name: "test" });

/**
 * The simulated shop run live by two and by three real gateways that share their sightings over
 * real UDP and upload through the cloud's real MQTT broker, against the replay of the merged
 * capture: the same enters and exits (same ids, so one visit per shopper, never one per gateway),
 * within 2 s; and a gateway stopped mid-run takes nothing but its own sightings with it.
 */
describe("live fusion of a store's gateways", () => {
  let dir: string;
  const clouds: Cloud[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-live-fusion-"));
  });

  afterAll(async () => {
    for (const cloud of clouds) await stopCloud(cloud);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Each run its own cloud: gateway ids are global, and each run registers the same ones. */
  const run = async (
    storeId: string,
    gateways: 2 | 3,
    stop?: { gatewayId: string; afterMs: number },
    lossRate?: number,
    skewMs?: Readonly<Record<string, number>>,
  ) => {
    const mqttPort = await freePort();
    const clock = new SimClock(liveStoreStart(6));
    const cloud = await openCloud(join(dir, storeId, "cloud"), { mqttPort, httpPort: await freePort() }, silent, clock);
    clouds.push(cloud);
    await cloud.start();
    return runLiveStore({
      dir: join(dir, storeId),
      cloud,
      clock,
      mqttPort,
      storeId,
      gateways,
      seed: gateways * 101 + (stop ? 7 : 0),
      minutes: 6,
      shoppersPerHour: 150,
      passersPerHour: 200,
      log: silent,
      ...(stop ? { stop } : {}),
      ...(lossRate === undefined ? {} : { lossRate }),
      ...(skewMs === undefined ? {} : { skewMs }),
    });
  };

  function expectSameAsReplay(r: LiveStoreResult): void {
    const c = compareDetections(r.live, r.replay);
    // Enough to mean something: several shoppers entering both zones.
    expect(r.replay.filter((d) => d.type === "enter").length).toBeGreaterThanOrEqual(5);
    expect(c.missing).toEqual([]);
    expect(c.extra).toEqual([]);
    expect(c.maxShiftMs).toBeLessThanOrEqual(2000);
    // Each gateway uploaded every event; the cloud stored each once.
    expect(r.storedEvents).toBe(r.replayEvents);
    expect(r.eventsUploaded).toBeGreaterThan(r.storedEvents);
    expect(r.refused).toBe(0);
    expect(r.lateDropped).toBe(0);
    // One store visit per shopper per stay (the sim's shoppers visit once), never one per gateway.
    const enteredStore = new Set(r.replay.filter((d) => d.type === "enter").map((d) => d.subjectId));
    for (const subject of enteredStore) {
      const visits = r.replay.filter((d) => d.type === "enter" && d.subjectId === subject && d.zoneId === "store").length;
      expect(r.storeVisitsBySubject.get(subject), subject).toBeLessThanOrEqual(Math.max(1, visits));
    }
    // The uplink carries verdicts only.
    expect((r.uplinkMessages / r.adverts) * 1000).toBeLessThanOrEqual(10);
  }

  it("two gateways decide live what the replay of their merged capture decides", { timeout: 120_000 }, async () => {
    expectSameAsReplay(await run("fuse-2", 2));
  });

  it("three gateways decide live what the replay of their merged capture decides", { timeout: 120_000 }, async () => {
    expectSameAsReplay(await run("fuse-3", 3));
  });

  it("a gateway stopped mid-visit leaves no visit lost or doubled", { timeout: 120_000 }, async () => {
    const r = await run("fuse-3-stop", 3, { gatewayId: "gw-entry", afterMs: 150_000 });
    expectSameAsReplay(r);
    // Visits open when it stopped carried on: exits of visits entered before the stop, after it.
    const stopAt = r.startAt + 150_000;
    const enteredBefore = new Set(r.live.filter((d) => d.type === "enter" && d.at < stopAt).map((d) => d.visitId));
    expect(r.live.some((d) => d.type === "exit" && d.at > stopAt && enteredBefore.has(d.visitId))).toBe(true);
  });

  it("three gateways losing 5 % of their datagrams ask for them again and still decide as the replay", { timeout: 120_000 }, async () => {
    const r = await run("fuse-3-loss", 3, undefined, 0.05);
    expect(r.datagramsLost).toBeGreaterThan(50);
    expect(r.recovered).toBeGreaterThan(0);
    const c = compareDetections(r.live, r.replay);
    expect(r.replay.filter((d) => d.type === "enter").length).toBeGreaterThanOrEqual(5);
    // Same ids as the replay: no gateway decided an arrival apart from the others.
    expect(c.missing).toEqual([]);
    expect(c.extra).toEqual([]);
    expect(r.storedEvents).toBe(r.replayEvents);
    expect(r.refused).toBe(0);
  });

  it("three gateways with clocks off by ±3 s set them by the cloud's and decide the replay's very events", { timeout: 120_000 }, async () => {
    // Two clocks ahead, one behind: before, the gateways agreed on the median clock, 3 s late.
    const r = await run("fuse-3-skew", 3, undefined, undefined, { "gw-floor": 3000, "gw-till": -3000, "gw-entry": 3000 });
    expectSameAsReplay(r);
    for (const c of r.clocks) {
      expect(c.correctionMs, c.id).toBe(c.id === "gw-till" ? 3000 : -3000);
      // Corrected by the cloud, the LAN's agreed time needs no correction on top.
      expect(c.lanOffsetMs, c.id).toBe(0);
    }
  });
});
