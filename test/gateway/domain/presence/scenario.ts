import type {
  PresenceChange,
  PresenceEngine,
  Sighting,
} from "../../../../gateway/src/domain/presence/PresenceEngine.js";
import { rssiAtDistance } from "../../../../gateway/src/domain/signal/distanceFromRssi.js";
import type { PresenceTuning, Subject } from "../../../../protocol/index.js";

/** Tuning for the state-machine tests: small numbers that are easy to reason about. */
export const TEST_TUNING: PresenceTuning = {
  pathLossExponent: 2,
  enterMinSamples: 3,
  enterWindowMs: 5000,
  exitMarginM: 1,
  exitAfterMs: 10_000,
  dwellMarksMs: [20_000, 60_000],
};

export const P1M = -59;

export function beacon(minor: number): Subject {
  return { kind: "ibeacon", id: `ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:${minor}` };
}

/** Deterministic PRNG (mulberry32) so noisy scenarios are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RSSI the model predicts at `distanceM` (P1m -59 dBm, exponent `n`). */
export function rssiAt(distanceM: number, n = TEST_TUNING.pathLossExponent): number {
  return rssiAtDistance(distanceM, P1M, n);
}

/** One stream of sightings: `rssiAt(t)` gives the raw RSSI at t, or null when not heard. */
export interface Stream {
  readonly gatewayId: string;
  readonly subject: Subject;
  readonly rssiAt: (t: number) => number | null;
  readonly measuredPowerDbm?: number | null;
}

export interface RunOptions {
  readonly from: number;
  readonly to: number;
  /** Advert period of every stream, ms. */
  readonly stepMs: number;
  /** Tick period, ms (ticks at multiples of it). Default 1000. */
  readonly tickMs?: number;
}

/**
 * Drives the engine like the pipeline does: at each step every stream's sighting (if heard), then a
 * tick whenever a tick time is reached. Returns every change in order.
 */
export function run(engine: PresenceEngine, streams: readonly Stream[], o: RunOptions): PresenceChange[] {
  const out: PresenceChange[] = [];
  const tickMs = o.tickMs ?? 1000;
  for (let t = o.from; t <= o.to; t += o.stepMs) {
    for (const s of streams) {
      const rssi = s.rssiAt(t);
      if (rssi === null) continue;
      const sighting: Sighting = {
        t,
        gatewayId: s.gatewayId,
        subject: s.subject,
        rssiDbm: rssi,
        measuredPowerDbm: s.measuredPowerDbm ?? null,
      };
      out.push(...engine.observe(sighting));
    }
    if (t % tickMs === 0) out.push(...engine.tick(t));
  }
  return out;
}

/** The changes reduced to what most assertions look at. */
export function brief(changes: readonly PresenceChange[]): Array<Record<string, unknown>> {
  return changes.map((c) => ({
    type: c.type,
    zoneId: c.zoneId,
    at: c.at,
    gatewayId: c.gatewayId,
    ...(c.dwellMs === undefined ? {} : { dwellMs: c.dwellMs }),
  }));
}
