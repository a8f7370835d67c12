import { describe, expect, it } from "vitest";
import { PresenceEngine } from "../../../../gateway/src/domain/presence/PresenceEngine.js";
import { PresenceError } from "../../../../gateway/src/domain/presence/PresenceError.js";
import { type CountedSecond, deepEnough, type PooledDepthRule } from "../../../../gateway/src/domain/presence/pooledDepth.js";
import type { PresenceTuning, Zone } from "../../../../protocol/index.js";
import { ORIGIN, offset } from "../zones/geo.js";
import { beacon, rssiAt, run, type Stream, TEST_TUNING } from "./scenario.js";

const RULE: PooledDepthRule = { depthDb: 2, holdMs: 10_000 };
const seconds = (...excesses: (number | null)[]): CountedSecond[] =>
  excesses.map((excessDb, i) => ({ t: i * 1000, excessDb }));

describe("deepEnough: the counted seconds' mean depth, or how long the evidence has held", () => {
  it.each<[string, CountedSecond[], number, number, PooledDepthRule | null, boolean]>([
    // name, counted seconds, held since (ms), now (ms), rule, may enter
    ["deep seconds enter at once", seconds(-3, -2, -2.5, -1, -4), 0, 4000, RULE, true],
    ["a mean exactly at the depth enters", seconds(-2, -2, -2), 0, 2000, RULE, true],
    ["seconds just inside the edge wait", seconds(-0.5, 0, -1, -0.5, 0), 0, 4000, RULE, false],
    ["one very deep second lifts the mean", seconds(0, 0, 0, 0, -10), 0, 4000, RULE, true],
    ["shallow evidence held for the hold enters", seconds(-0.5, 0, -1), 0, 10_000, RULE, true],
    ["one millisecond short of the hold waits", seconds(-0.5, 0, -1), 1, 10_000, RULE, false],
    ["no rule: the k-of-n rule alone", seconds(0, 0, 0), 0, 2000, null, true],
    ["a second from a zone that pools nothing is not judged", seconds(0, null, 0), 0, 2000, RULE, true],
    ["nothing counted: nothing to judge", [], 0, 0, RULE, true],
  ])("%s", (_name, counted, heldSince, now, rule, expected) => {
    expect(deepEnough(counted, heldSince, now, rule)).toBe(expected);
  });
});

describe("the engine with tuning.enterPooledDepth", () => {
  // Exponent 2, enter 3 of 5 s. door: 3 m around gw-1; gw-2 hangs 4 m east, so its reference is
  // the geometry's 7 m and the pooled excess is the mean of 20 log10(d1 / 3) and 20 log10(d2 / 7).
  const GW1 = "gw-1";
  const GW2 = "gw-2";
  const subject = beacon(41);
  const door: Zone = { id: "door", shape: "gateway-radius", gatewayId: GW1, radiusM: 3 };
  const surveyed = [
    { id: GW1, ...ORIGIN },
    { id: GW2, ...offset(ORIGIN, 4, 0) },
  ];
  const lone = [{ id: GW1 }, { id: GW2 }];
  const depth: PresenceTuning = { ...TEST_TUNING, enterPooledDepth: RULE };
  const heard = (gatewayId: string, distanceM: number, untilMs = Number.POSITIVE_INFINITY): Stream => ({
    gatewayId,
    subject,
    rssiAt: (t) => (t > untilMs ? null : rssiAt(distanceM)),
  });
  const enters = (tuning: PresenceTuning, streams: readonly Stream[], gateways: typeof surveyed | typeof lone) =>
    run(new PresenceEngine({ zones: [door], tuning, gateways }), streams, { from: 0, to: 60_000, stepMs: 1000 })
      .filter((c) => c.type === "enter")
      .map((c) => c.at);

  // 2.9 m from gw-1 (-0.3 dB) and 7 m from gw-2 (0 dB): just inside the edge.
  const atTheEdge = (untilMs?: number): Stream[] => [heard(GW1, 2.9, untilMs), heard(GW2, 7, untilMs)];
  // 1.5 m from gw-1 (-6.0 dB) and 5 m from gw-2 (-2.9 dB): well inside.
  const wellInside = [heard(GW1, 1.5), heard(GW2, 5)];

  it("lets someone just inside the edge enter only once the evidence has held for the hold", () => {
    expect(enters(TEST_TUNING, atTheEdge(), surveyed)).toEqual([2000]);
    // Evidence from 0 s (gw-1's first sighting, alone): the hold is reached at 10 s.
    expect(enters(depth, atTheEdge(), surveyed)).toEqual([10_000]);
  });

  it("does not enter someone who stands there for less than the hold, as at a window", () => {
    expect(enters(TEST_TUNING, atTheEdge(8000), surveyed)).toEqual([2000]);
    expect(enters(depth, atTheEdge(8000), surveyed)).toEqual([]);
  });

  it("enters someone well inside as fast as without the rule", () => {
    expect(enters(depth, wellInside, surveyed)).toEqual([2000]);
    expect(enters(TEST_TUNING, wellInside, surveyed)).toEqual([2000]);
  });

  it("restarts the hold after a silence of the enter window", () => {
    // 4 s heard, 6 s unheard (more than the 5 s window), then heard again from 10 s: hold to 20 s.
    const gap: Stream[] = atTheEdge().map((s) => ({
      ...s,
      rssiAt: (t) => (t > 3000 && t < 10_000 ? null : s.rssiAt(t)),
    }));
    expect(enters(depth, gap, surveyed)).toEqual([20_000]);
  });

  it("leaves a zone that pools nothing to the k-of-n rule", () => {
    expect(enters(depth, atTheEdge(), lone)).toEqual(enters(TEST_TUNING, atTheEdge(), lone));
    expect(enters(depth, atTheEdge(), lone)).toEqual([2000]);
  });

  it("names every bad field", () => {
    const bad = { ...TEST_TUNING, enterPooledDepth: { depthDb: 0, holdMs: Number.NaN } };
    try {
      new PresenceEngine({ zones: [door], tuning: bad, gateways: surveyed });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PresenceError);
      expect((err as PresenceError).problems).toEqual([
        "tuning.enterPooledDepth.depthDb must be > 0",
        "tuning.enterPooledDepth.holdMs must be > 0",
      ]);
    }
  });
});
