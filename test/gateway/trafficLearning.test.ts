import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { iBeaconAdvert } from "../../gateway/src/adapters/sim/SimWorld.js";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { SETTLE_MS } from "../../gateway/src/services/FusedPresence.js";
import type { Advert } from "../../gateway/src/services/ports.js";
import { ManualClock } from "../cloud/manualClock.js";
import { ManualScheduler } from "../support/ManualScheduler.js";
import { RecordingLogger } from "../support/RecordingLogger.js";
import { uplinkGatewayDocument } from "../support/uplinkGateway.js";

const UUID = "a7ae2eb7-1f00-4168-b99b-a749bac1ca64";
const subject = (minor: number): string => `ibeacon:${UUID}:1:${minor}`;

/**
 * The gateway composition with `trafficLearning`: its own radio's adverts reach the learner through
 * the scan pipeline, the health timer ticks it, and once it has enough passers-by the engine runs
 * the zone kept short of the pavement. No broker: the uplink stays unconnected, the decisions are
 * read from the pipeline's log.
 */
describe("a gateway learning its pavement from the passers-by it hears", () => {
  let dir: string;
  let gateway: Gateway | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-traffic-gw-"));
  });
  afterEach(async () => {
    await gateway?.stop();
    // The health file's last write may still be landing.
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it("narrows a zone heard as far as the pavement, and a subject heard there no longer enters", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
    const scheduler = new ManualScheduler(clock);
    const log = new RecordingLogger();
    let radio: ((advert: Advert) => void) | null = null;
    const parsed = parseGatewayConfig({
      ...uplinkGatewayDocument({ dataDir: dir, url: "mqtt://127.0.0.1:1", username: "g1", password: "unused" }),
      // Drawn far too wide (30 m: 32.5 dB of loss under n 2.2), as a radio reading low would hear it.
      zones: [{ id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 30 }],
      trafficLearning: { minTracks: 20 },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    gateway = await createGateway(parsed.config, {
      source: {
        start: async (onAdvert) => {
          radio = onAdvert;
        },
        stop: async () => undefined,
      },
      log,
      clock,
      scheduler,
    });
    await gateway.start();
    // No cloud answers the clock: a gateway judging alone decides on its own clock after the wait.
    await scheduler.advance(SETTLE_MS);
    /** `minor` heard once a second for `seconds` at this path loss, then 25 s of silence. */
    const heard = async (minor: number, lossDb: number, seconds: number) => {
      for (let s = 0; s < seconds; s++) {
        radio?.({ t: clock.now(), addr: "4a:00:00:00:00:01", rssi: -59 - lossDb, data: iBeaconAdvert(UUID, 1, minor, -59) });
        await scheduler.advance(1000);
      }
      await scheduler.advance(25_000);
    };
    const entered = (minor: number) => log.entries.some((e) => e.msg === "zone enter" && e.obj.subject === subject(minor));

    // Before anything is learned: 32 dB of loss is inside the 32.5 dB zone.
    await heard(1, 32, 15);
    expect(entered(1)).toBe(true);
    expect(gateway.trafficLearning?.boundDb).toBeNull();
    // 25 passers-by, 10 s each, at 34 dB (outside the zone): the pavement's strong tenth, 34.25 dB
    // (its bin's middle), less 3 dB.
    for (let k = 0; k < 25; k++) await heard(100 + k, 34, 10);
    expect(gateway.trafficLearning?.report()).toMatchObject({ tracks: 25, boundDb: 31.5 });
    expect(gateway.trafficLearning?.boundDb).toBe(31.5);
    // The zone is now kept at 31.5 dB: a subject heard at 32 dB stays out.
    await heard(2, 32, 15);
    expect(entered(2)).toBe(false);
    // Heard briefly and never entered, it counts as a passer-by; the one entered before the bound
    // is no passer-by: its track was left out.
    expect(gateway.trafficLearning?.report().counted).toBe(26);
  }, 30_000);
});
