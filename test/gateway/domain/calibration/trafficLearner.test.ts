import { describe, expect, it } from "vitest";
import { Checker, LearnedTrafficSchema, type Zone } from "../../../../protocol/index.js";
import {
  boundZones,
  closestApproachDb,
  EMPTY_TRAFFIC_LEARNER,
  histogramQuantile,
  learnTraffic,
  type TrafficLearnerState,
  trafficBound,
  TrafficTracks,
} from "../../../../gateway/src/domain/calibration/trafficLearner.js";
import { quantile } from "../../../../gateway/src/domain/survey/siteSurvey.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const P1M = -59;
const LEARNED_TRAFFIC = new Checker(LearnedTrafficSchema);

/** A subject heard once a second from `from` at these losses (dB), raw RSSI = P1M - loss. */
function walk(tracks: TrafficTracks, subjectId: string, from: number, lossesDb: readonly number[]): void {
  lossesDb.forEach((loss, i) => tracks.heard(subjectId, from + i * 1000, P1M - loss, P1M));
}

/** A passer-by's pass: from far (40 dB) down to `closestDb` and back, one second each, 21 s. */
const pass = (closestDb: number): number[] => Array.from({ length: 21 }, (_, i) => closestDb + Math.abs(i - 10));

describe("closestApproachDb", () => {
  it.each([
    { name: "a steady level", losses: [30, 30, 30, 30, 30], k: 5, windowMs: 10_000, expected: 30 },
    // The k-th strongest of the best window: one deep second does not make an approach.
    { name: "one deep second", losses: [30, 30, 10, 30, 30, 30], k: 5, windowMs: 10_000, expected: 30 },
    { name: "a V", losses: pass(25), k: 5, windowMs: 10_000, expected: 27 },
    { name: "k of 3 in 5 s", losses: pass(25), k: 3, windowMs: 5000, expected: 26 },
    { name: "too few seconds", losses: [30, 30, 30, 30], k: 5, windowMs: 10_000, expected: null },
  ])("$name", ({ losses, k, windowMs, expected }) => {
    expect(closestApproachDb(losses.map((lossDb, i) => ({ t: T0 + i * 1000, lossDb })), k, windowMs)).toBe(expected);
  });

  it("counts only the seconds within a window: gaps leave it short", () => {
    const seconds = [0, 3, 6, 9, 12].map((s) => ({ t: T0 + s * 1000, lossDb: 30 }));
    expect(closestApproachDb(seconds, 5, 10_000)).toBeNull();
    expect(closestApproachDb(seconds, 4, 10_000)).toBe(30);
  });
});

describe("TrafficTracks", () => {
  it("gives a short track's closest approach once the subject is unheard for the gap", () => {
    const tracks = new TrafficTracks({ gapMs: 20_000 });
    walk(tracks, "p1", T0, pass(28));
    expect(tracks.close(T0 + 20_000 + 20_000)).toEqual([]);
    expect(tracks.close(T0 + 20_000 + 20_001)).toEqual([{ subjectId: "p1", at: T0 + 20_000, lossDb: 30 }]);
    expect(tracks.size).toBe(0);
  });

  it("ends a track when the subject is heard again after the gap", () => {
    const tracks = new TrafficTracks({ gapMs: 20_000 });
    walk(tracks, "p1", T0, pass(28));
    expect(tracks.heard("p1", T0 + 60_000, P1M - 40, P1M)).toEqual({ subjectId: "p1", at: T0 + 20_000, lossDb: 30 });
    expect(tracks.size).toBe(1);
  });

  it("ranks each second's median, whatever the advertising rate", () => {
    const fast = new TrafficTracks();
    // Ten adverts a second, fading over 12 dB around 30 dB: the strongest of each second is 24.
    for (let s = 0; s < 10; s++) for (let a = 0; a < 10; a++) fast.heard("p1", T0 + s * 1000 + a * 100, P1M - (24 + ((a * 7) % 10) * 1.3), P1M);
    const [approach] = fast.close(T0 + 60_000);
    expect(approach?.lossDb).toBeCloseTo(24 + 5 * 1.3, 5);
  });

  it("counts nothing of a subject heard longer than the longest track, or too few seconds", () => {
    const tracks = new TrafficTracks({ maxTrackMs: 90_000, minSeconds: 5 });
    walk(tracks, "shopper", T0, Array(120).fill(12));
    walk(tracks, "glimpse", T0, [30, 30, 30, 30]);
    expect(tracks.close(T0 + 200_000)).toEqual([]);
  });

  it("leaves out subjects known inside, their open track too", () => {
    const tracks = new TrafficTracks();
    walk(tracks, "popped-in", T0, pass(15));
    tracks.exclude("popped-in");
    // Labelled inside before it was heard again.
    tracks.exclude("labelled");
    walk(tracks, "labelled", T0, pass(15));
    walk(tracks, "p1", T0, pass(30));
    expect(tracks.close(T0 + 60_000).map((a) => a.subjectId)).toEqual(["p1"]);
    // Later tracks of an excluded subject stay out.
    walk(tracks, "popped-in", T0 + 120_000, pass(30));
    expect(tracks.close(T0 + 200_000)).toEqual([]);
  });

  it("keeps at most maxSubjects tracks in progress, dropping the least recently heard", () => {
    const tracks = new TrafficTracks({ maxSubjects: 2 });
    walk(tracks, "a", T0, [30]);
    walk(tracks, "b", T0 + 1000, [30]);
    walk(tracks, "a", T0 + 2000, [30]);
    walk(tracks, "c", T0 + 3000, [30]);
    expect(tracks.size).toBe(2);
    walk(tracks, "a", T0 + 4000, [30, 30, 30, 30, 30]);
    walk(tracks, "c", T0 + 4000, [30, 30, 30, 30, 30]);
    expect(tracks.close(T0 + 60_000).map((x) => x.subjectId).sort()).toEqual(["a", "c"]);
  });

  // Staff badges and shoppers the engine entered are excluded all day; each time one is heard
  // again after the gap it opens a (dropped) track, which the bound on the map must count too.
  it("keeps at most maxSubjects tracks in progress, excluded subjects' too", () => {
    const tracks = new TrafficTracks({ maxSubjects: 2 });
    for (const id of ["x1", "x2", "x3", "x4"]) tracks.exclude(id);
    for (const [i, id] of ["x1", "x2", "x3", "x4"].entries()) walk(tracks, id, T0 + i * 1000, [30]);
    expect(tracks.size).toBe(2);
  });
});

describe("learnTraffic and trafficBound", () => {
  /** 200 passers-by at closest approaches of 25.0-44.9 dB, and `popIns` tracks heard deep inside (10 dB). */
  const day = (at: number, popIns = 0): TrafficLearnerState => {
    let s = EMPTY_TRAFFIC_LEARNER;
    for (let i = 0; i < 200; i++) s = learnTraffic(s, { at: at + i * 1000, lossDb: 25 + i * 0.1 });
    for (let i = 0; i < popIns; i++) s = learnTraffic(s, { at: at + i * 1000, lossDb: 10 });
    return s;
  };

  it("bounds the edge loss at the quantile of the tracks' approaches less the margin", () => {
    const b = trafficBound(day(T0), T0 + 3_600_000, { tailZ: 0, quantile: 0.1, marginDb: 2, binDb: 0.5 });
    // The 20th of 200 approaches is 26.9 dB, in the bin 26.5-27 (its middle 26.75).
    expect(b).toEqual({ tracks: 200, quantileDb: 26.75, boundDb: 25 });
  });

  it("stands a minority of pop-in shoppers heard deep inside", () => {
    const clean = trafficBound(day(T0), T0 + 3_600_000, { tailZ: 0, quantile: 0.1 });
    const mixed = trafficBound(day(T0, 12), T0 + 3_600_000, { tailZ: 0, quantile: 0.1 });
    expect(mixed?.quantileDb).toBeGreaterThan(25);
    expect((clean?.quantileDb ?? 0) - (mixed?.quantileDb ?? 0)).toBeLessThanOrEqual(1.5);
  });

  it("can extrapolate the strong tail from the middle instead (tailZ), unmoved by pop-ins", () => {
    // Median 34.75 and lower quartile 29.75 (bin middles): 2.33 robust deviations below the median.
    const b = trafficBound(day(T0), T0 + 3_600_000, { tailZ: 2.33, marginDb: 0 });
    expect(b?.quantileDb).toBeCloseTo(34.75 - (2.33 * 5) / 0.6745, 5);
    const mixed = trafficBound(day(T0, 12), T0 + 3_600_000, { tailZ: 2.33, marginDb: 0 });
    expect(Math.abs((mixed?.quantileDb ?? 0) - (b?.quantileDb ?? 0))).toBeLessThan(1.5);
  });

  // The status carries quantileDb, whose schema holds 0-200 dB: a cloud refuses a whole status
  // with a value outside, so a tail extrapolated below 0 (few tracks far apart) must not reach it.
  it("keeps the quantile within 0-200 dB, however far the tail is extrapolated", () => {
    let s = EMPTY_TRAFFIC_LEARNER;
    for (const lossDb of [10, 40, 60]) s = learnTraffic(s, { at: T0, lossDb });
    const low = trafficBound(s, T0, { tailZ: 2.33, minTracks: 1, marginDb: 3 });
    expect(low).toEqual({ tracks: 3, quantileDb: 0, boundDb: -3 });
    expect(LEARNED_TRAFFIC.check({ tracks: 3, counted: 3, quantileDb: low?.quantileDb, boundDb: low?.boundDb, days: [] }).ok).toBe(true);
    const high = trafficBound(learnTraffic(EMPTY_TRAFFIC_LEARNER, { at: T0, lossDb: 200 }), T0, { tailZ: 0 });
    expect(high?.quantileDb).toBe(200);
  });

  it("acts only from minTracks, and reads only the last memoryDays", () => {
    expect(trafficBound(day(T0), T0, { minTracks: 201 })).toMatchObject({ tracks: 200, boundDb: null });
    expect(trafficBound(EMPTY_TRAFFIC_LEARNER, T0)).toBeNull();
    // A louder street a week later (a shop front taken out): the old days drop out of the bound.
    let s = day(T0);
    for (let i = 0; i < 200; i++) s = learnTraffic(s, { at: T0 + 8 * DAY + i * 1000, lossDb: 15 + i * 0.1 });
    expect(trafficBound(s, T0 + 8 * DAY + 3_600_000, { memoryDays: 7 })?.tracks).toBe(200);
    expect(trafficBound(s, T0 + 8 * DAY + 3_600_000, { memoryDays: 7, tailZ: 0 })?.quantileDb).toBe(16.75);
    expect(trafficBound(s, T0 + 8 * DAY + 3_600_000, { memoryDays: 14 })?.tracks).toBe(400);
  });

  // The days are UTC days; midnight UTC is a shop's afternoon in the Americas. A bound that read
  // only calendar days lost yesterday's tracks at once there, and with memoryDays 1 fell below
  // minTracks (the zones widened back) every day until the street filled it again.
  it("keeps the last memoryDays × 24 h through midnight UTC", () => {
    const evening = Date.UTC(2026, 10, 2, 22, 0, 0);
    let s = EMPTY_TRAFFIC_LEARNER;
    for (let i = 0; i < 150; i++) s = learnTraffic(s, { at: evening + i * 10_000, lossDb: 30 });
    const justAfter = Date.UTC(2026, 10, 3, 0, 30, 0);
    expect(trafficBound(s, justAfter, { memoryDays: 1, minTracks: 100 })).toMatchObject({ tracks: 150, boundDb: 27.5 });
    // A day and more later, the day is no longer touched.
    expect(trafficBound(s, Date.UTC(2026, 10, 4, 0, 30, 0), { memoryDays: 1 })).toBeNull();
  });

  it("keeps a bounded histogram: bins per day, at most maxDays days", () => {
    let s = EMPTY_TRAFFIC_LEARNER;
    for (let d = 0; d < 40; d++) for (let i = 0; i < 50; i++) s = learnTraffic(s, { at: T0 + d * DAY + i, lossDb: 30 }, { maxDays: 28 });
    expect(s.days).toHaveLength(28);
    expect(s.days.every((d) => d.bins.length === 1 && d.bins[0]?.[1] === 50)).toBe(true);
    // Nonsense approaches are not counted.
    expect(learnTraffic(s, { at: T0, lossDb: Number.NaN })).toBe(s);
    expect(learnTraffic(s, { at: T0, lossDb: -3 })).toBe(s);
  });
});

describe("histogramQuantile", () => {
  // The bound reads its quantiles off the day histograms, as the nearest rank of the values the
  // histogram counts: the same as spreading them into one value per track, without the array.
  it("agrees with the nearest-rank quantile of the values it counts", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let trial = 0; trial < 200; trial++) {
      const bins = Array.from({ length: 1 + rand(12) }, (_, i): [number, number] => [i * 0.5 + rand(2) * 0.25, rand(6)]).filter(([, n]) => n > 0);
      const values = bins.flatMap(([v, n]) => Array<number>(n).fill(v));
      if (values.length === 0) continue;
      for (const q of [0, 0.01, 0.1, 0.25, 0.5, 0.9, 1]) expect(histogramQuantile(bins, values.length, q)).toBe(quantile(values, q));
    }
  });

  it("reads a histogram of very many tracks without spreading it", () => {
    const s: TrafficLearnerState = { v: 1, days: [{ dayStart: Date.UTC(2026, 10, 2), bins: [[20, 100_000_000], [30, 900_000_000]] }] };
    expect(trafficBound(s, T0, { tailZ: 0, quantile: 0.1, marginDb: 3 })).toEqual({ tracks: 1_000_000_000, quantileDb: 20.25, boundDb: 17.5 });
  });
});

describe("boundZones", () => {
  const zones: Zone[] = [
    { id: "store", shape: "gateway-radius", gatewayId: "g1", radiusM: 5 },
    { id: "till", shape: "gateway-radius", gatewayId: "g1", radiusM: 2, edgeLossDb: 9 },
    { id: "surveyed", shape: "gateway-radius", gatewayId: "g1", radiusM: 5, edgeLossDb: 24 },
    { id: "other", shape: "gateway-radius", gatewayId: "g2", radiusM: 5 },
    { id: "lot", shape: "circle", center: { lat: 48.85, lon: 2.35 }, radiusM: 30 },
  ];

  it("narrows a gateway's zones heard beyond its bound, and only those", () => {
    const out = boundZones(zones, 2.2, (g) => (g === "g1" ? 14 : null));
    expect(out[0]).toEqual({ ...zones[0], edgeLossDb: 14 });
    expect(out[1]).toBe(zones[1]);
    expect(out[2]).toEqual({ ...zones[2], edgeLossDb: 14 });
    expect(out[3]).toBe(zones[3]);
    expect(out[4]).toBe(zones[4]);
  });

  it("never widens a zone", () => {
    expect(boundZones(zones, 2.2, () => 40)).toEqual(zones);
    expect(boundZones(zones, 2.2, () => null)).toEqual(zones);
  });
});
