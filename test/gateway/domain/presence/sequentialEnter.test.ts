import { describe, expect, it } from "vitest";
import { PresenceEngine } from "../../../../gateway/src/domain/presence/PresenceEngine.js";
import { PresenceError } from "../../../../gateway/src/domain/presence/PresenceError.js";
import {
  countsForInside,
  SEQUENTIAL_START,
  type SequentialEnterRule,
  type SequentialState,
  secondEvidenceDb,
  sequentialStep,
} from "../../../../gateway/src/domain/presence/sequentialEnter.js";
import type { PresenceTuning, Zone } from "../../../../protocol/index.js";
import { ORIGIN, offset } from "../zones/geo.js";
import { beacon, rssiAt, run, type Stream, TEST_TUNING } from "./scenario.js";

const RULE: SequentialEnterRule = { offsetDb: 2, capDb: 4, thresholdDb: 12 };
const STALE_MS = 5000;

describe("secondEvidenceDb: offset minus excess, clamped to ±cap", () => {
  it.each([
    // excess dB, what the second adds
    [0, 2], // on the threshold: counts for inside by the offset
    [-1, 3],
    [-2, 4],
    [-10, 4], // far inside: capped
    [1, 1],
    [2, 0], // at the offset: neither way
    [3, -1],
    [6, -4],
    [25, -4], // far outside: capped
  ])("excess %s dB adds %s", (excessDb, expected) => {
    expect(secondEvidenceDb(excessDb, RULE)).toBe(expected);
    expect(countsForInside(excessDb, RULE)).toBe(expected > 0);
  });
});

/** Feeds one excess per second from `startMs`; returns the times decided and the last state. */
function feed(excesses: readonly (number | null)[], rule = RULE, startMs = 0): { decidedAt: number[]; state: SequentialState } {
  let state = SEQUENTIAL_START;
  const decidedAt: number[] = [];
  excesses.forEach((excessDb, i) => {
    if (excessDb === null) return; // not heard that second
    const t = startMs + i * 1000;
    const step = sequentialStep(state, t, excessDb, rule, STALE_MS);
    state = step.state;
    if (step.decided) decidedAt.push(t);
  });
  return { decidedAt, state };
}

const repeat = (excessDb: number | null, seconds: number): (number | null)[] =>
  Array.from({ length: seconds }, () => excessDb);

describe("sequentialStep: when the accumulated evidence decides", () => {
  it.each<[string, (number | null)[], number | null]>([
    // name, one excess per second from t = 0, first second decided (ms) or null
    ["strong evidence decides in three seconds", repeat(-5, 10), 2000],
    ["weak but steady evidence decides eventually", repeat(1, 20), 11_000],
    ["just beyond the offset never decides", repeat(3, 300), null],
    ["a passer-by heard for a few weak seconds does not", [...repeat(1, 6), ...repeat(6, 20)], null],
    ["old evidence against does not block a new decision", [...repeat(10, 60), ...repeat(1, 20)], 71_000],
    ["one loud second among weak ones is capped", [...repeat(3, 5), -30, ...repeat(3, 5)], null],
    [
      "a silence of the stale time restarts the sum",
      [...repeat(1, 8), ...repeat(null, 5), ...repeat(1, 12)],
      24_000,
    ],
    // Four seconds unheard: the next sample comes 5 s after the last, the stale time.
    ["a silence of exactly the stale time restarts it", [...repeat(1, 8), ...repeat(null, 4), ...repeat(1, 12)], 23_000],
    ["a shorter silence keeps it", [...repeat(1, 8), ...repeat(null, 3), ...repeat(1, 12)], 14_000],
  ])("%s", (_name, excesses, expected) => {
    const { decidedAt } = feed(excesses);
    expect(decidedAt[0] ?? null).toBe(expected);
  });

  it("never goes below the floor of 0", () => {
    expect(feed(repeat(20, 30)).state.scoreDb).toBe(0);
    expect(feed([...repeat(20, 30), 1]).state.scoreDb).toBe(1);
  });
});

describe("the engine with tuning.enterSequential", () => {
  const GW1 = "gw-1";
  const GW2 = "gw-2";
  const shopper = beacon(31);
  const door: Zone = { id: "door", shape: "gateway-radius", gatewayId: GW1, radiusM: 3 };
  // Exponent 2: 3.3 m is 20 log10(3.3 / 3) = 0.83 dB beyond the 3 m zone's edge, 6 m is 6.0 dB.
  const sequential = { offsetDb: 2, capDb: 4, thresholdDb: 20 };
  const withSequential: PresenceTuning = { ...TEST_TUNING, enterSequential: sequential };
  const standing = (distanceM: number, untilMs = Number.POSITIVE_INFINITY): Stream => ({
    gatewayId: GW1,
    subject: shopper,
    rssiAt: (t) => (t > untilMs ? null : rssiAt(distanceM)),
  });
  const enters = (tuning: PresenceTuning, streams: readonly Stream[], gateways = [{ id: GW1 }], zones = [door]) =>
    run(new PresenceEngine({ zones, tuning, gateways }), streams, { from: 0, to: 120_000, stepMs: 1000 })
      .filter((c) => c.type === "enter")
      .map((c) => c.at);

  it("a shopper standing just beyond the threshold enters with it and never without", () => {
    // 1.17 dB a second from t = 0: the 18th second reaches 20.
    expect(enters(withSequential, [standing(3.3)])).toEqual([17_000]);
    expect(enters(TEST_TUNING, [standing(3.3)])).toEqual([]);
  });

  it("someone heard as briefly at the same level does not enter", () => {
    expect(enters(withSequential, [standing(3.3, 10_000)])).toEqual([]);
  });

  it("someone farther than the offset never enters, however long", () => {
    expect(enters(withSequential, [standing(6)])).toEqual([]);
  });

  it("clear evidence still enters by the k-of-n rule, as fast as without", () => {
    expect(enters(withSequential, [standing(1)])).toEqual(enters(TEST_TUNING, [standing(1)]));
    expect(enters(withSequential, [standing(1)])).toEqual([2000]);
  });

  it("judges the pooled excess when the gateways are surveyed", () => {
    // gw-2 4 m east: reference 7 m. The subject 3.3 m west of gw-1 is 7.3 m from gw-2:
    // excesses 0.83 and 0.36 dB, mean 0.6 dB: 1.4 dB a second, the 15th second reaches 20.
    const gateways = [
      { id: GW1, ...ORIGIN },
      { id: GW2, ...offset(ORIGIN, 4, 0) },
    ];
    const both: Stream[] = [standing(3.3), { gatewayId: GW2, subject: shopper, rssiAt: () => rssiAt(7.3) }];
    expect(enters(withSequential, both, gateways)).toEqual([14_000]);
    expect(enters(TEST_TUNING, both, gateways)).toEqual([]);
  });

  it("names every bad field", () => {
    const bad = { ...TEST_TUNING, enterSequential: { offsetDb: -1, capDb: 0, thresholdDb: Number.NaN } };
    try {
      new PresenceEngine({ zones: [door], tuning: bad, gateways: [{ id: GW1 }] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PresenceError);
      expect((err as PresenceError).problems).toEqual([
        "tuning.enterSequential.offsetDb must be >= 0",
        "tuning.enterSequential.capDb must be > 0",
        "tuning.enterSequential.thresholdDb must be > 0",
      ]);
    }
  });
});
