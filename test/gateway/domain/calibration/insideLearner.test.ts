import { describe, expect, it } from "vitest";
import {
  approachBoundDb,
  emptyInsideLearner,
  type InsideContext,
  type InsideLearnerState,
  insideSample,
  insideTarget,
  learnInside,
  peerTargets,
  rawThresholdDb,
  runningEdgeLoss,
  runningPeerEdges,
  stepInside,
} from "../../../../gateway/src/domain/calibration/insideLearner.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 10);
/** A zone drawn at 5 m with n = 2.2: 10 n log10(5) = 15.4 dB. */
const DRAWN = 15.4;

/** The tests reason in the 90th percentile. */
const P90 = { percentile: 0.9 };

const ctx = (now: number, over: Partial<InsideContext> = {}): InsideContext => ({ baseEdgeLossDb: DRAWN, offsetDb: 0, surveyedAt: null, now, ...over });

/** A label's seconds: losses spread evenly over [low, high] dB, as a shopper somewhere on the floor. */
const sample = (at: number, low: number, high: number, n = 10) => ({
  at,
  lossesDb: Array.from({ length: n }, (_, i) => low + ((high - low) * i) / (n - 1)),
});

/** `count` labels, one a day from `from`, each spread over [low, high]. */
function feed(state: InsideLearnerState, count: number, low: number, high: number, from = T0, over: Partial<InsideContext> = {}) {
  let s = state;
  const outcomes: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = from + i * DAY;
    const r = learnInside(s, sample(at, low, high), ctx(at, over), P90);
    s = r.state;
    outcomes.push(r.accepted ? "ok" : r.reason);
  }
  return { state: s, outcomes };
}

describe("inside learner", () => {
  it("turns the seconds heard around a label into raw losses, or refuses too few", () => {
    const heard = [
      { t: T0, rssiDbm: -80, measuredPowerDbm: -59 },
      { t: T0 + 1000, rssiDbm: -75, measuredPowerDbm: null },
      { t: T0 + 2000, rssiDbm: -90, measuredPowerDbm: -62 },
    ];
    expect(insideSample(heard, T0, -59)).toEqual({ ok: true, sample: { at: T0, lossesDb: [21, 16, 28] } });
    expect(insideSample(heard.slice(0, 2), T0, -59)).toEqual({ ok: false, reason: "too-few-readings" });
  });

  it("learns nothing before minLabels, then sets the edge loss so the percentile of inside seconds reads inside", () => {
    // The gateway reads 6 dB low: confirmed-inside members show losses of 16-30 dB where a true
    // radio would give 10-24; the zone drawn at 5 m (15.4 dB) reads most of them outside.
    const nine = feed(emptyInsideLearner("store"), 9, 16, 30);
    expect(nine.state.edgeLossDb).toBeNull();
    expect(runningEdgeLoss(nine.state, DRAWN, null)).toBe(DRAWN);
    const ten = feed(nine.state, 1, 16, 30, T0 + 9 * DAY);
    // The 90th percentile of 16..30 is 28.4 dB: the target, reached in steps of 2 dB a day counted
    // from the tenth label (the nine days spent gathering them are not days of moving).
    expect(insideTarget(ten.state, 0, P90)).toBe(28.5);
    expect(ten.state.edgeLossDb).toBeNull();
    const later = stepInside(ten.state, ctx(T0 + 9 * DAY + 3 * DAY), P90);
    expect(later.edgeLossDb).toBeCloseTo(DRAWN + 6, 5);
    expect(runningEdgeLoss(later, DRAWN, null)).toBeCloseTo(DRAWN + 6, 5);
    const done = stepInside(later, ctx(T0 + 30 * DAY), P90);
    expect(done.edgeLossDb).toBe(28.5);
    // What was learned makes 90% of the confirmed-inside seconds read inside.
    const seconds = done.samples.flatMap((s) => s.lossesDb);
    expect(seconds.filter((l) => l <= (done.edgeLossDb ?? 0)).length / seconds.length).toBeGreaterThanOrEqual(0.9);
  });

  it("learns in raw loss: the edge loss is the raw threshold less the offset the engine runs with", () => {
    const { state } = feed(emptyInsideLearner("store"), 12, 16, 30, T0, { offsetDb: 6 });
    expect(insideTarget(state, 6, P90)).toBe(22.5);
    // The same labels, once the till has taught a 6 dB offset: the threshold follows.
    expect(insideTarget(state, 0, P90)).toBe(28.5);
    expect(rawThresholdDb(state.samples, 0.9)).toBeCloseTo(16 + (14 * 8) / 9, 5);
  });

  it("refuses a label far beyond the others (heard from outside) and keeps the edge within its bounds", () => {
    const { state } = feed(emptyInsideLearner("store"), 5, 16, 30);
    const far = learnInside(state, sample(T0 + 6 * DAY, 60, 70), ctx(T0 + 6 * DAY), P90);
    expect(far).toMatchObject({ accepted: false, reason: "outlier" });
    expect(learnInside(state, { at: T0 + 6 * DAY, lossesDb: [Number.NaN] }, ctx(T0 + 6 * DAY))).toMatchObject({ accepted: false, reason: "out-of-range" });
    // Labels all but at the gateway: the edge loss does not fall below the floor of 10 dB.
    const close = feed(emptyInsideLearner("store"), 10, 0, 2);
    expect(insideTarget(close.state, 0, P90)).toBe(10);
  });

  it("lets a newer site survey run at once and counts only labels after it", () => {
    const { state } = feed(emptyInsideLearner("store"), 12, 16, 30);
    const learned = stepInside(state, ctx(T0 + 40 * DAY), P90);
    expect(learned.edgeLossDb).toBe(28.5);
    const surveyedAt = T0 + 41 * DAY;
    // The survey's threshold, 20 dB, runs at once.
    expect(runningEdgeLoss(learned, 20, surveyedAt)).toBe(20);
    // A label from before the survey is refused; the next one after it starts again from zero.
    const old = learnInside(learned, sample(T0 + 40 * DAY, 16, 30), ctx(T0 + 42 * DAY, { surveyedAt, baseEdgeLossDb: 20 }), P90);
    expect(old).toMatchObject({ accepted: false, reason: "before-survey" });
    const fresh = feed(old.state, 9, 16, 30, surveyedAt + DAY, { surveyedAt, baseEdgeLossDb: 20 });
    expect(fresh.state.samples).toHaveLength(9);
    expect(fresh.state.edgeLossDb).toBeNull();
    expect(runningEdgeLoss(fresh.state, 20, surveyedAt)).toBe(20);
    const tenth = feed(fresh.state, 1, 16, 30, surveyedAt + 10 * DAY, { surveyedAt, baseEdgeLossDb: 20 });
    // From the survey's 20 dB, by 2 dB a day from then: never overridden at once.
    expect(runningEdgeLoss(tenth.state, 20, surveyedAt)).toBe(20);
    const nextDay = stepInside(tenth.state, ctx(surveyedAt + 11 * DAY, { surveyedAt, baseEdgeLossDb: 20 }), P90);
    expect(runningEdgeLoss(nextDay, 20, surveyedAt)).toBe(22);
  });

  it("keeps a week's count and threshold, so drift shows", () => {
    let s = emptyInsideLearner("store");
    for (let i = 0; i < 14; i++) {
      const at = T0 + i * DAY;
      // The second week's members are heard 4 dB weaker: the radio drifting, or the shop refitted.
      const shift = i >= 7 ? 4 : 0;
      s = learnInside(s, sample(at, 16 + shift, 30 + shift), ctx(at), P90).state;
    }
    expect(s.weeks.map((w) => w.labels).reduce((a, b) => a + b, 0)).toBe(14);
    const [first, last] = [s.weeks[0], s.weeks.at(-1)];
    expect((last?.thresholdDb ?? 0) - (first?.thresholdDb ?? 0)).toBeGreaterThanOrEqual(3);
  });

  /** A member heard once a second from `from` to `to` (ms from T0) at `lossAt(t)` dB. */
  const heardAt = (from: number, to: number, lossAt: (t: number) => number) =>
    Array.from({ length: (to - from) / 1000 + 1 }, (_, i) => {
      const t = from + i * 1000;
      return { t: T0 + t, rssiDbm: -59 - lossAt(t), measuredPowerDbm: -59 };
    });

  it("counts only the label's window, and keeps the seconds before it when they show the member walking in", () => {
    // Walked in: 36 dB on the pavement until the label, then 20 dB on the floor.
    const walkedIn = heardAt(-10_000, 30_000, (t) => (t < 0 ? 36 : 20));
    const window = { fromMs: 2000, toMs: 10_000 };
    const a = insideSample(walkedIn, T0, -59, window);
    expect(a).toEqual({ ok: true, sample: { at: T0, lossesDb: Array(9).fill(20), approachLossesDb: Array(9).fill(36) } });
    // Reported standing on the floor: no rise before the label, so no approach.
    const standing = heardAt(-10_000, 30_000, () => 20);
    expect(insideSample(standing, T0, -59, window)).toEqual({ ok: true, sample: { at: T0, lossesDb: Array(9).fill(20) } });
    // A rise smaller than approachRiseDb is not an approach either.
    const slight = heardAt(-10_000, 30_000, (t) => (t < 0 ? 24 : 20));
    expect(insideSample(slight, T0, -59, window)).toMatchObject({ ok: true, sample: { lossesDb: Array(9).fill(20) } });
    expect(insideSample(slight, T0, -59, window)).not.toHaveProperty("sample.approachLossesDb");
    // Nothing heard in the window: no sample, whatever was heard before.
    expect(insideSample(heardAt(-10_000, 0, () => 36), T0, -59, window)).toEqual({ ok: false, reason: "too-few-readings" });
  });

  it("bounds the edge loss by the approach seconds when asked, from enough labels that walked in", () => {
    const options = { ...P90, approachBound: true, minLabels: 3, minApproachLabels: 2, approachQuantile: 0.25, approachMarginDb: 3 };
    const floor = (at: number) => sample(at, 16, 30);
    const walked = (at: number) => ({ ...sample(at, 16, 30), approachLossesDb: [28, 30, 32, 34, 36] });
    let s = emptyInsideLearner("store");
    for (const [i, make] of [floor, walked, floor].entries()) s = learnInside(s, make(T0 + i * DAY), ctx(T0 + i * DAY), options).state;
    // One approach is not enough: the percentile alone (28.4 dB).
    expect(approachBoundDb(s.samples, options)).toBeNull();
    expect(insideTarget(s, 0, options)).toBe(28.5);
    s = learnInside(s, walked(T0 + 3 * DAY), ctx(T0 + 3 * DAY), options).state;
    // The strong quarter of the approaches, 30 dB, less 3: the pavement and the door read outside.
    expect(approachBoundDb(s.samples, options)).toBe(27);
    expect(insideTarget(s, 0, options)).toBe(27);
    // Off (the default): the same labels give the percentile.
    expect(insideTarget(s, 0, { ...options, approachBound: false })).toBe(28.5);
    // A bound above the percentile changes nothing; a margin adds to the percentile.
    expect(insideTarget(s, 0, { ...options, approachMarginDb: -5 })).toBe(28.5);
    expect(insideTarget(s, 0, { ...P90, minLabels: 3, marginDb: 2 })).toBe(30.5);
  });

  describe("a pooled store: the peers' references", () => {
    /** The geometry's reference for gw-till, 4.6 m from the zone's gateway: 10 n log10(4.6 + 5). */
    const GEOMETRY = 21.6;
    const pooled = (now: number, over: Partial<InsideContext> = {}) => ctx(now, { basePeerEdgesDb: { "gw-till": GEOMETRY }, ...over });
    /**
     * A label's seconds as both gateways heard them: own losses over [16, 30] dB and the peer's, in
     * the opposite order (the nearer the member is to one gateway, the farther from the other),
     * over [20, 34] give or take 2 dB (own + peer: 48 to 52 dB); the peer misses every fifth second.
     */
    const both = (at: number) => {
      const own = sample(at, 16, 30);
      const peer = own.lossesDb.map((_, i) => (i % 5 === 4 ? null : 34 - (14 * i) / 9 + ((i % 3) - 1) * 2));
      return { ...own, peers: [{ gatewayId: "gw-till", lossesDb: peer }] };
    };
    /** The tests reason in the 90th percentile for the peers too. */
    const PP90 = { ...P90, peerPercentile: 0.9 };
    const feedBoth = (count: number, over: Partial<InsideContext> = {}) => {
      let s = emptyInsideLearner("store");
      for (let i = 0; i < count; i++) s = learnInside(s, both(T0 + i * DAY), pooled(T0 + i * DAY, over), PP90).state;
      return s;
    };

    it("keeps what each peer heard of the label's seconds, second by second", () => {
      const own = heardAt(-5000, 5000, () => 20);
      // The peer heard 7 of the 11 seconds, one of them twice in the same second (the strongest kept by the memory).
      const peer = heardAt(-5000, 5000, (t) => 30 + t / 1000).filter((_, i) => i % 3 !== 1);
      const s = insideSample(own, T0, -59, {}, { "gw-till": peer, "gw-door": [] });
      expect(s).toEqual({
        ok: true,
        sample: { at: T0, lossesDb: Array(11).fill(20), peers: [{ gatewayId: "gw-till", lossesDb: [25, null, 27, 28, null, 30, 31, null, 33, 34, null] }] },
      });
      // A peer's loss out of range is refused with the sample.
      const bad = { at: T0, lossesDb: [20, 20], peers: [{ gatewayId: "gw-till", lossesDb: [Number.NaN, 20] }] };
      expect(learnInside(emptyInsideLearner("store"), bad, pooled(T0))).toMatchObject({ accepted: false, reason: "out-of-range" });
      // So is one whose seconds do not line up with the own ones.
      const short = { at: T0, lossesDb: [20, 20], peers: [{ gatewayId: "gw-till", lossesDb: [20] }] };
      expect(learnInside(emptyInsideLearner("store"), short, pooled(T0))).toMatchObject({ accepted: false, reason: "out-of-range" });
    });

    it("sets a peer's reference so the percentile of the paired seconds reads inside pooled", () => {
      const s = feedBoth(12);
      const own = insideTarget(s, 0, PP90) ?? 0;
      expect(own).toBe(28.5);
      const [till, ...rest] = peerTargets(s, 0, {}, PP90);
      expect(rest).toEqual([]);
      expect(till?.gatewayId).toBe("gw-till");
      expect(till?.labels).toBe(12);
      // Own + peer loss is 48-52 dB on the paired seconds, 52 at the 90th percentile: the reference
      // is that less the own edge.
      expect(till?.edgeLossDb).toBe(23.5);
      // The pooled test, as PresenceEngine.meanExcessDb runs it, reads 90% of the paired seconds
      // inside, and not all of them.
      const paired = s.samples.flatMap((x) =>
        x.lossesDb.flatMap((l, i) => {
          const peer = x.peers?.[0]?.lossesDb[i];
          return peer === null || peer === undefined ? [] : [l + peer];
        }),
      );
      const readInside = (reference: number) => paired.filter((sum) => sum - own - reference <= 0).length / paired.length;
      expect(readInside(till?.edgeLossDb ?? 0)).toBeGreaterThanOrEqual(0.9);
      // A lower percentile, a smaller share: 50 dB at the 60th.
      const p60 = peerTargets(s, 0, {}, { ...PP90, peerPercentile: 0.6 })[0]?.edgeLossDb ?? 0;
      expect(p60).toBe(21.5);
      expect(readInside(p60)).toBeGreaterThanOrEqual(0.6);
      expect(readInside(p60)).toBeLessThan(0.9);
      // In the peer's own terms: a peer run 4 dB up (its offset) is heard 4 dB less lossy, so its reference is 4 dB lower.
      expect(peerTargets(s, 0, { "gw-till": 4 }, PP90)[0]?.edgeLossDb).toBe(19.5);
      // An own offset moves the own edge but not the sum: the peer's reference is unchanged.
      expect(peerTargets(s, 6, {}, PP90)[0]?.edgeLossDb).toBe(23.5);
      // A margin widens it.
      expect(peerTargets(s, 0, {}, { ...PP90, peerMarginDb: 3 })[0]?.edgeLossDb).toBe(26.5);
    });

    it("moves a peer's reference from the config's a step a day, once enough labels carry it, and lets a survey override it", () => {
      const nine = feedBoth(9);
      expect(peerTargets(nine, 0, {}, PP90)).toEqual([]);
      expect(runningPeerEdges(nine, null)).toEqual([]);
      // Geometry 21.6 dB, target 23.5: nothing moves on the day of the tenth label, the step comes a day later.
      const ten = feedBoth(10);
      expect(peerTargets(ten, 0, {}, PP90)[0]?.edgeLossDb).toBe(23.5);
      expect(runningPeerEdges(ten, null)).toEqual([]);
      expect(runningPeerEdges(stepInside(ten, pooled(T0 + 10 * DAY), PP90), null)).toEqual([{ gatewayId: "gw-till", edgeLossDb: 23.5 }]);
      // From a surveyed reference of 14 dB: 2 dB a day, counted from the tenth label.
      const surveyed = feedBoth(10, { basePeerEdgesDb: { "gw-till": 14 } });
      expect(runningPeerEdges(surveyed, null)).toEqual([]);
      const later = stepInside(surveyed, pooled(T0 + 9 * DAY + 2 * DAY, { basePeerEdgesDb: { "gw-till": 14 } }), PP90);
      expect(runningPeerEdges(later, null)).toEqual([{ gatewayId: "gw-till", edgeLossDb: 18 }]);
      const done = stepInside(later, pooled(T0 + 30 * DAY, { basePeerEdgesDb: { "gw-till": 14 } }), PP90);
      expect(runningPeerEdges(done, null)).toEqual([{ gatewayId: "gw-till", edgeLossDb: 23.5 }]);
      // A gateway that pools nothing into the zone is not learned for, and one dropped is forgotten.
      expect(runningPeerEdges(stepInside(done, pooled(T0 + 31 * DAY, { basePeerEdgesDb: {} }), PP90), null)).toEqual([]);
      // Without the pooled context (a gateway alone), peers are left as they are.
      expect(stepInside(done, ctx(T0 + 31 * DAY), PP90).peerEdges).toEqual(done.peerEdges);
      // A newer survey runs its own references at once, and clears what was learned.
      const surveyedAt = T0 + 31 * DAY;
      expect(runningPeerEdges(done, surveyedAt)).toEqual([]);
      const after = learnInside(done, both(surveyedAt + DAY), pooled(surveyedAt + DAY, { surveyedAt }), PP90);
      expect(after.state.peerEdges).toBeUndefined();
      expect(after.state.samples).toHaveLength(1);
    });
  });
});
