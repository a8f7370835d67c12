import { describe, expect, it } from "vitest";
import { surveySamples } from "../../../../gateway/src/adapters/replay/surveyCapture.js";
import {
  calibrateSurvey,
  SURVEY_DEFAULTS,
  type SurveySample,
  type SurveyZone,
} from "../../../../gateway/src/domain/survey/siteSurvey.js";
import { simulateStore } from "../../../../scripts/sim/simulateStore.js";
import { simulateSurvey } from "../../../../scripts/sim/survey.js";

const N = 2.2;
const STORE: SurveyZone = { id: "store", gatewayId: "gw-a", radiusM: 5 };
/** The model's loss at the store's edge: 10 n log10(5) = 15.4 dB. */
const EDGE_LOSS = 10 * N * Math.log10(5);

/** `count` samples at `place`, RSSI spread evenly over ±`spreadDb` around `meanDbm`. */
function samples(place: SurveySample["place"], count: number, meanDbm: number, spreadDb = 4, zoneId?: string): SurveySample[] {
  return Array.from({ length: count }, (_, i) => ({
    place,
    ...(zoneId === undefined ? {} : { zoneId }),
    gatewayId: "gw-a",
    rssiDbm: Math.round(meanDbm + spreadDb * (2 * (i / Math.max(1, count - 1)) - 1)),
    measuredPowerDbm: -59,
  }));
}

/** The simulated shop's survey, as the bench runs it: every gateway reads `gatewayOffsetDb` off. */
function simulatedSurvey(seed: number, shadowingDb: number, gatewayOffsetDb: number) {
  const sim = simulateStore({ seed, minutes: 1, rate: "1hz", radio: { shadowingDb, storefrontDb: 6, gatewayOffsetDb } });
  const recording = simulateSurvey(sim.plan, sim.radio, { seed, startAt: sim.startAt });
  const zones = sim.plan.zones.map((z) => ({ id: z.id, gatewayId: z.gatewayId, radiusM: z.radiusM }));
  return calibrateSurvey(surveySamples(recording, "gw-floor"), zones, { pathLossExponent: N });
}

const offsetOf = (outcome: ReturnType<typeof calibrateSurvey>, gatewayId: string): number => {
  if (!outcome.ok) throw new Error(`refused: ${outcome.message}`);
  const g = outcome.calibration.gateways.find((x) => x.gatewayId === gatewayId);
  if (g === undefined) throw new Error(`no offset for ${gatewayId}`);
  return g.rssiOffsetDb;
};

describe("calibrateSurvey on the simulated shop", () => {
  it("finds a gateway that reads 6 dB low: within 4 dB of +6 with no shadowing", () => {
    for (const seed of [1, 2]) {
      const offset = offsetOf(simulatedSurvey(seed, 0, -6), "gw-floor");
      // The rest is what the engine needs corrected too: the surveyor's body, the gateway's height.
      expect(Math.abs(offset - 6)).toBeLessThanOrEqual(4);
      expect(Math.abs(offsetOf(simulatedSurvey(seed, 0, 0), "gw-floor"))).toBeLessThanOrEqual(4);
    }
  });

  it("moves the offset by the gateway's error, within 1 dB, in a shadowed shop", () => {
    for (const seed of [3]) {
      const exact = offsetOf(simulatedSurvey(seed, 6, 0), "gw-floor");
      const low = offsetOf(simulatedSurvey(seed, 6, -6), "gw-floor");
      const high = offsetOf(simulatedSurvey(seed, 6, 6), "gw-floor");
      expect(Math.abs(low - exact - 6)).toBeLessThanOrEqual(1);
      expect(Math.abs(high - exact + 6)).toBeLessThanOrEqual(1);
    }
  });
});

describe("calibrateSurvey: what the store's other gateways heard of a zone's edge", () => {
  /** The same samples as heard by another gateway, `deltaDb` weaker. */
  const heardBy = (gatewayId: string, list: readonly SurveySample[], deltaDb: number): SurveySample[] =>
    list.map((s) => ({ ...s, gatewayId, rssiDbm: s.rssiDbm - deltaDb }));
  const edge = samples("edge", 60, -59 - EDGE_LOSS, 4, "store");
  const door = samples("door", 30, -59 - EDGE_LOSS - 10);

  it("sets each peer's reference at the median loss it heard along the edge plus the margin", () => {
    // gw-b has no zone of its own: it heard the edge 7 dB weaker than gw-a, and reads 2 dB high.
    const outcome = calibrateSurvey(
      [...edge, ...door, ...heardBy("gw-b", edge, 7), ...heardBy("gw-b", door, 3)],
      [STORE],
      { pathLossExponent: N, offsetsDb: { "gw-b": -2 } },
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const [zone] = outcome.calibration.zones;
    const [peer] = zone?.peers ?? [];
    expect(zone?.peers).toHaveLength(1);
    expect(peer).toMatchObject({ gatewayId: "gw-b", samples: 60 });
    // Median of gw-b's loss: the edge's (15.4 dB, rounded RSSI) + 7 + its -2 dB offset's 2, + 6 dB margin.
    expect(Math.abs((peer?.edgeLossDb ?? 0) - (EDGE_LOSS + 7 + 2 + 6))).toBeLessThanOrEqual(1);
    // The peer calibrates nothing of its own and changes nothing of the zone's own gateway.
    expect(outcome.calibration.gateways.map((g) => g.gatewayId)).toEqual(["gw-a"]);
    const alone = calibrateSurvey([...edge, ...door], [STORE], { pathLossExponent: N });
    expect(alone.ok && alone.calibration.zones[0]?.edgeLossDb).toBe(zone?.edgeLossDb);
    expect(alone.ok && alone.calibration.zones[0]?.peers).toEqual([]);
  });

  it("measures a peer with zones of its own after the offset the survey gives it", () => {
    // gw-b's till edge, 2 m: heard 10 dB strong, so its offset is -10; the store's edge 4 dB weak.
    const tillLoss = 10 * N * Math.log10(2);
    const till: SurveyZone = { id: "till", gatewayId: "gw-b", radiusM: 2 };
    const tillEdge = heardBy("gw-b", samples("edge", 40, -59 - tillLoss + 10, 2, "till"), 0);
    const outcome = calibrateSurvey(
      [...edge, ...door, ...heardBy("gw-b", edge, -4), ...heardBy("gw-b", door, 0), ...tillEdge],
      [STORE, till],
      { pathLossExponent: N, peerMarginDb: 0 },
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const offsetB = outcome.calibration.gateways.find((g) => g.gatewayId === "gw-b")?.rssiOffsetDb ?? 0;
    // RSSI comes in whole dBm: -10 within that rounding.
    expect(Math.abs(offsetB + 10)).toBeLessThanOrEqual(0.5);
    const peer = outcome.calibration.zones.find((z) => z.zoneId === "store")?.peers[0];
    // Heard 4 dB stronger than gw-a along the edge, then read 10 dB lower by its offset: +6 dB.
    expect(Math.abs((peer?.edgeLossDb ?? 0) - (EDGE_LOSS - 4 - offsetB))).toBeLessThanOrEqual(1);
  });

  it("leaves out a peer that heard the edge too few times", () => {
    const outcome = calibrateSurvey([...edge, ...door, ...heardBy("gw-b", edge.slice(0, 20), 7)], [STORE], {
      pathLossExponent: N,
    });
    expect(outcome.ok && outcome.calibration.zones[0]?.peers).toEqual([]);
  });
});

describe("calibrateSurvey: the depth rule chosen per shop by how widely the edges spread", () => {
  const heardBy = (gatewayId: string, list: readonly SurveySample[], deltaDb: number): SurveySample[] =>
    list.map((s) => ({ ...s, gatewayId, rssiDbm: s.rssiDbm - deltaDb }));
  const door = samples("door", 30, -59 - EDGE_LOSS - 12);
  /** The store's edge heard ±`spreadDb` about the model, by gw-a and (7 dB weaker) by gw-b. */
  const shop = (spreadDb: number, peer = true): SurveySample[] => {
    const edge = samples("edge", 60, -59 - EDGE_LOSS, spreadDb, "store");
    return [...edge, ...door, ...(peer ? heardBy("gw-b", edge, 7) : [])];
  };
  const advice = { depthDb: 1.5, holdMs: 15_000 };

  it("turns the rule on where the edge spreads little and the zone pools", () => {
    // ±4 dB evenly, whole dBm: the 10th and 90th percentiles are 7 dB apart.
    const outcome = calibrateSurvey(shop(4), [STORE], { pathLossExponent: N });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.calibration.edgeSpreadDb).toBe(7);
    expect(outcome.calibration.zones[0]?.edgeSpreadDb).toBe(7);
    expect(outcome.calibration.pooledDepth).toEqual(advice);
    expect(SURVEY_DEFAULTS.pooledDepth).toEqual(advice);
  });

  it("leaves it off where the edge spreads widely", () => {
    // ±10 dB: 16 dB between the 10th and 90th percentiles, beyond the 14 dB of a lightly shadowed shop.
    const outcome = calibrateSurvey(shop(10), [STORE], { pathLossExponent: N });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.calibration.edgeSpreadDb).toBe(16);
    expect(outcome.calibration.zones[0]?.peers).toHaveLength(1);
    expect(outcome.calibration.pooledDepth).toBeNull();
    // The bound is the option's: at 16 dB it counts as light.
    const lenient = calibrateSurvey(shop(10), [STORE], { pathLossExponent: N, lightSpreadDb: 16 });
    expect(lenient.ok && lenient.calibration.pooledDepth).toEqual(advice);
  });

  it("leaves it off where nothing pools, or when asked never to set it", () => {
    const alone = calibrateSurvey(shop(4, false), [STORE], { pathLossExponent: N });
    if (!alone.ok) throw new Error(alone.message);
    expect(alone.calibration.edgeSpreadDb).toBe(7);
    expect(alone.calibration.pooledDepth).toBeNull();
    const never = calibrateSurvey(shop(4), [STORE], { pathLossExponent: N, pooledDepth: null });
    expect(never.ok && never.calibration.pooledDepth).toBeNull();
  });

  it("measures each edge about its own median, so zones of different sizes do not widen it", () => {
    // A 2 m zone of the same gateway, 8.8 dB stronger than the store's 5 m edge: pooled as heard,
    // the two edges would spread over 15 dB; each about its own median, as one of them alone.
    const near: SurveyZone = { id: "near", gatewayId: "gw-a", radiusM: 2 };
    const nearEdge = samples("edge", 60, -59 - 10 * N * Math.log10(2), 4, "near");
    const outcome = calibrateSurvey([...shop(4), ...nearEdge], [STORE, near], { pathLossExponent: N });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.calibration.edgeSpreadDb).toBeGreaterThanOrEqual(6);
    expect(outcome.calibration.edgeSpreadDb).toBeLessThanOrEqual(7);
    expect(outcome.calibration.pooledDepth).toEqual(advice);
  });

  it("hears a simulated shop at 3 dB of shadowing spread less than at 6 dB, whatever the gateways read", () => {
    for (const seed of [3, 4, 6]) {
      const spread = (shadowingDb: number, offsetDb: number): number => {
        const outcome = simulatedSurvey(seed, shadowingDb, offsetDb);
        if (!outcome.ok) throw new Error(outcome.message);
        return outcome.calibration.edgeSpreadDb;
      };
      const light = spread(3, 0);
      expect(light).toBeLessThanOrEqual(SURVEY_DEFAULTS.lightSpreadDb);
      expect(spread(6, 0)).toBeGreaterThan(light);
      // Measured about each edge's median: the gateways' error cancels.
      expect(spread(3, -6)).toBe(light);
      // Not every shop at 6 dB spreads beyond 14 dB: seeds 1-3 and 5 read 14 and get the rule
      // (docs/benchmarks.md, "... the depth rule chosen per shop by the survey"); seeds 4 and 6 do not.
      const heavy = simulatedSurvey(seed, 6, 0);
      expect(heavy.ok && heavy.calibration.pooledDepth).toEqual(seed === 3 ? advice : null);
    }
  });
});

describe("calibrateSurvey", () => {
  it("centres the edge on the drawn radius and keeps a distant door out", () => {
    // Heard 6 dB weaker than the model says at 5 m; the door 8 dB farther than the edge.
    const edge = samples("edge", 60, -59 - EDGE_LOSS - 6, 4, "store");
    const door = samples("door", 30, -59 - EDGE_LOSS - 14);
    const outcome = calibrateSurvey([...edge, ...door], [STORE], { pathLossExponent: N });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const [gateway] = outcome.calibration.gateways;
    expect(gateway?.samples).toBe(60);
    // RSSI comes in whole dBm: 6 dB within that rounding.
    expect(Math.abs((gateway?.rssiOffsetDb ?? 0) - 6)).toBeLessThanOrEqual(0.5);
    const [zone] = outcome.calibration.zones;
    expect(zone?.zoneId).toBe("store");
    expect(Math.abs((zone?.edgeLossDb ?? 0) - EDGE_LOSS)).toBeLessThanOrEqual(1);
    expect(zone?.bound).toBeNull();
  });

  it("keeps the threshold short of the door when a margin would reach it", () => {
    const edge = samples("edge", 60, -59 - EDGE_LOSS, 4, "store");
    const door = samples("door", 30, -59 - EDGE_LOSS - 6, 2);
    const outcome = calibrateSurvey([...edge, ...door], [STORE], { pathLossExponent: N, insideMarginDb: 5 });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const zone = outcome.calibration.zones[0];
    expect(zone?.bound?.place).toBe("door");
    // Door median 6 dB beyond the edge, less the 3 dB outside margin.
    expect(zone?.edgeLossDb).toBeGreaterThan(EDGE_LOSS + 2);
    expect(zone?.edgeLossDb).toBeLessThan(EDGE_LOSS + 4);
  });

  it("hears the zone smaller than drawn, by up to 3 dB, to keep a near door out", () => {
    const edge = samples("edge", 60, -59 - EDGE_LOSS, 4, "store");
    // The door's strong quarter only 1 dB beyond the edge's median: the threshold moves 2 dB in.
    const door = samples("door", 30, -59 - EDGE_LOSS - 2, 2);
    const outcome = calibrateSurvey([...edge, ...door], [STORE], { pathLossExponent: N });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const zone = outcome.calibration.zones[0];
    expect(zone?.bound?.place).toBe("door");
    expect(zone?.edgeLossDb).toBeLessThan(EDGE_LOSS - 1);
    expect(zone?.edgeLossDb).toBeGreaterThanOrEqual(EDGE_LOSS - 3);
    expect(zone?.reachM).toBeLessThan(5);
  });

  it("takes a door heard more strongly than the edge as inside the zone", () => {
    const edge = samples("edge", 60, -59 - EDGE_LOSS, 4, "store");
    const door = samples("door", 30, -59 - EDGE_LOSS + 5);
    const outcome = calibrateSurvey([...edge, ...door], [STORE], { pathLossExponent: N });
    expect(outcome.ok && outcome.calibration.zones[0]?.bound).toBeNull();
  });

  it("refuses an edge walked too briefly, naming the zone and the count", () => {
    const outcome = calibrateSurvey(
      [...samples("edge", 12, -80, 4, "store"), ...samples("door", 30, -90)],
      [STORE],
      { pathLossExponent: N },
    );
    expect(outcome).toMatchObject({ ok: false, code: "TOO_FEW_SAMPLES" });
    expect(!outcome.ok && outcome.message).toMatch(/Zone store: gateway gw-a heard the beacon 12 times along the edge, 30 are needed/);
  });

  it("refuses a survey without the door", () => {
    const outcome = calibrateSurvey(samples("edge", 60, -80, 4, "store"), [STORE], { pathLossExponent: N });
    expect(outcome).toMatchObject({ ok: false, code: "TOO_FEW_SAMPLES" });
    expect(!outcome.ok && outcome.message).toMatch(/0 times at the door/);
  });

  it("refuses when the pavement cannot be told from the edge", () => {
    const edge = samples("edge", 60, -59 - EDGE_LOSS, 4, "store");
    const door = samples("door", 30, -59 - EDGE_LOSS - 10);
    // Outside heard only 1 dB weaker than the edge: within the 3 dB margin.
    const outside = samples("outside", 30, -59 - EDGE_LOSS - 1);
    const outcome = calibrateSurvey([...edge, ...door, ...outside], [STORE], { pathLossExponent: N });
    expect(outcome).toMatchObject({ ok: false, code: "NOT_SEPARABLE" });
    expect(!outcome.ok && outcome.message).toMatch(/Zone store: the edge cannot be told from outside .* on the pavement/);
  });

  it("refuses samples from no gateway of the zones", () => {
    const outcome = calibrateSurvey(samples("door", 30, -80), [{ ...STORE, gatewayId: "gw-b" }], { pathLossExponent: N });
    expect(outcome).toMatchObject({ ok: false, code: "NO_ZONES" });
  });

  it("refuses an offset beyond the config's ±30 dB", () => {
    const edge = samples("edge", 60, -59 - EDGE_LOSS - 40, 2, "store");
    const door = samples("door", 30, -59 - EDGE_LOSS - 50, 2);
    const outcome = calibrateSurvey([...edge, ...door], [STORE], { pathLossExponent: N });
    expect(outcome).toMatchObject({ ok: false, code: "OFFSET_OUT_OF_RANGE" });
  });
});
