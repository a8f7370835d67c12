/**
 * The five-minute site survey: what a gateway heard of a reference beacon carried to known places
 * (around each zone's edge, at the door, optionally on the pavement outside) turned into the
 * gateway's RSSI offset, each zone's enter threshold, and what the store's other gateways heard of
 * the zone's edge. Pure: samples and options in, a calibration or a refusal out; no clock, no I/O.
 *
 * The reasoning (docs/benchmarks.md, "Site survey"):
 *
 * 1. **Offset.** The engine turns RSSI into distance with the log-distance model
 *    (`d = 10^((P1m - rssi) / 10n)`). Around a zone's edge the beacon is, by definition, at the zone's
 *    radius, so the model expects `P1m - 10 n log10(radius)` there. The offset is the median, over
 *    every edge sample of the gateway's zones, of expected minus heard. It corrects the receiver
 *    (radios differ by several dB) together with the shop's average excess loss at that distance
 *    (height of the gateway, shelving): both are what the engine needs corrected. The median of a
 *    walk around the whole edge averages the spatial shadowing of a few decorrelation lengths and
 *    ignores the deep fades of single adverts.
 * 2. **Enter threshold.** The zone's edge sits `insideMarginDb` beyond the `edgeQuantile` of the
 *    edge's loss (after the offset), and `outsideMarginDb` short of the `boundQuantile` of what was
 *    heard at the nearest places a passer-by is heard from: the door (the glass front shields the
 *    rest) and the pavement when surveyed. The smaller wins. A door heard more strongly than the
 *    zone's own edge (smaller median loss) is inside the zone and bounds nothing. Chosen on the
 *    tuning seeds: the edge's median with no inside margin (with the offset, that is the drawn
 *    radius: wider margins took in passers-by faster than they gained shoppers), 3 dB short of the
 *    strong quarter of the door and the pavement (a passer-by is judged on their strongest seconds),
 *    which may pull the threshold up to `maxShrinkDb` inside the edge's median: the zone is then
 *    heard a little smaller than drawn, which costs fewer shoppers than the pavement would add.
 * 3. **Refusals.** Fewer than the minimum samples at a place, or a bound that would pull the
 *    threshold more than `maxShrinkDb` inside the edge's median (the edge cannot be told from
 *    outside at this gateway: any threshold would miss much of the zone or take in passers-by), give
 *    a refusal with a sentence naming the zone, the place and what to do.
 *
 * 4. **The pooled test.** Every other gateway that heard a zone's edge (the config's `peers`) gets
 *    the median loss it heard there, after its own offset, plus `peerMarginDb` as its reference in
 *    the zone's pooled test, instead of the geometry (the distance between the gateways plus the
 *    radius). A peer's offset is fitted on its own zones, at their distances; the pooled mean would
 *    carry its error to the pavement. Chosen on the tuning seeds: +6 dB, the only margin that met
 *    every target at 3 and 6 dB of shadowing (docs/benchmarks.md, "A pooled survey").
 * 5. **The depth rule, per shop.** How widely a zone's edge loss spreads about its median, at its own
 *    gateway (where every sample lies at the same distance), is the shop's shadowing plus what every
 *    shop has (fading, the surveyor's body). The depth rule of the pooled test
 *    (`presence.enterPooledDepth`) keeps passers-by out of a lightly shadowed shop and delays too
 *    many shoppers in a heavily shadowed one, so the survey recommends it only where the spread of
 *    every walked edge about its own median, pooled, is at most `lightSpreadDb` (10th to 90th
 *    percentile), and only when some zone pools other gateways. Chosen on the tuning seeds: 11-13
 *    dB at 3 dB of shadowing, 15-18 dB at 6 dB; 14 dB between them. Other shops at 6 dB often read
 *    13-14 dB and get the rule (docs/benchmarks.md, "A gateway at the shop front, and the depth rule
 *    chosen per shop by the survey").
 *
 * The threshold goes into the zone as `edgeLossDb` (path loss at the edge, dB): the engine judges
 * the zone against the distance that loss means under its model, instead of `radiusM`; the peers'
 * references as its `peerEdges`.
 */

/** Where the surveyor was: walking a zone's edge, standing at the door, or on the pavement outside. */
export type SurveyPlace = "edge" | "door" | "outside";

/** One advert of the reference beacon, heard by one gateway during one step of the survey. */
export interface SurveySample {
  readonly place: SurveyPlace;
  /** The zone whose edge was walked; only for `edge`. */
  readonly zoneId?: string;
  readonly gatewayId: string;
  /** RSSI as the radio reported it, before any configured offset, dBm. */
  readonly rssiDbm: number;
  /** The reference beacon's power at 1 m, dBm. */
  readonly measuredPowerDbm: number;
}

/** A `gateway-radius` zone as drawn: a circle of `radiusM` around its gateway. */
export interface SurveyZone {
  readonly id: string;
  readonly gatewayId: string;
  readonly radiusM: number;
}

export interface SurveyOptions {
  /** The engine's path-loss exponent n. */
  readonly pathLossExponent: number;
  /** Fewest edge samples per zone. Default {@link SURVEY_DEFAULTS}. */
  readonly minEdgeSamples?: number;
  /** Fewest samples at the door, and on the pavement when surveyed. */
  readonly minBoundSamples?: number;
  /** Quantile of edge loss the enter threshold is placed beyond (the edge's weak side), 0..1. */
  readonly edgeQuantile?: number;
  /** dB added beyond that quantile. */
  readonly insideMarginDb?: number;
  /** Quantile of door/pavement loss that bounds the threshold (their strong side), 0..1. */
  readonly boundQuantile?: number;
  /** dB the threshold stays short of that bound. */
  readonly outsideMarginDb?: number;
  /** Largest offset a survey may set, dB (the config schema's limit). */
  readonly maxOffsetDb?: number;
  /**
   * How far inside the edge's median a bound may pull the threshold before the survey is refused,
   * dB: the zone is then heard smaller than drawn, losing some shoppers at its edge to keep the
   * pavement out.
   */
  readonly maxShrinkDb?: number;
  /**
   * Quantile of the loss another gateway measured along a zone's edge that becomes its reference in
   * the pooled test, 0..1 (`peerEdges`).
   */
  readonly peerEdgeQuantile?: number;
  /** dB added to that quantile. */
  readonly peerMarginDb?: number;
  /**
   * Offsets of the gateways this survey does not calibrate (no zone of theirs was walked), dB, as the
   * config holds them: their edge losses are measured on what the engine will hear from them.
   */
  readonly offsetsDb?: Readonly<Record<string, number>>;
  /**
   * The gateways that pool their evidence into this gateway's zones (the config's `peers`): only
   * these get a `peerEdges` reference. Default: every other gateway the survey heard.
   */
  readonly peerIds?: readonly string[];
  /**
   * The edges' spread (10th to 90th percentile of every walked edge's loss about its own median,
   * pooled), dB, at or under which the shop counts as lightly shadowed and the survey recommends
   * `pooledDepth`.
   */
  readonly lightSpreadDb?: number;
  /** The depth rule recommended for a lightly shadowed shop whose zones pool; null: never. */
  readonly pooledDepth?: PooledDepthAdvice | null;
}

/** The pooled test's depth rule (config `presence.enterPooledDepth`). */
export interface PooledDepthAdvice {
  /** How far inside the edge the pooled evidence must lie on average to enter at once, dB. */
  readonly depthDb: number;
  /** How long shallower evidence must hold before it enters, ms. */
  readonly holdMs: number;
}

/**
 * Chosen on the simulator's tuning seeds 11-15 only (scripts/bench/presence.ts `--only
 * engine-surveyed`, docs/benchmarks.md "Site survey"), never on the seeds reported.
 */
export const SURVEY_DEFAULTS = Object.freeze({
  minEdgeSamples: 30,
  minBoundSamples: 15,
  edgeQuantile: 0.5,
  insideMarginDb: 0,
  boundQuantile: 0.25,
  outsideMarginDb: 3,
  maxOffsetDb: 30,
  maxShrinkDb: 3,
  peerEdgeQuantile: 0.5,
  peerMarginDb: 6,
  lightSpreadDb: 14,
  // docs/benchmarks.md, "Passers-by at the window: evidence depth": chosen on seeds 11-15.
  pooledDepth: Object.freeze({ depthDb: 1.5, holdMs: 15_000 }),
});

export interface GatewayCalibration {
  readonly gatewayId: string;
  /** Add to every RSSI this radio reports (config `site.rssiOffsetDb`), dB, to 0.5 dB. */
  readonly rssiOffsetDb: number;
  /** Edge samples it was derived from. */
  readonly samples: number;
}

export interface ZoneCalibration {
  readonly zoneId: string;
  readonly gatewayId: string;
  /** Path loss at which a subject counts as at the zone's edge (config zone `edgeLossDb`), dB, to 0.5 dB. */
  readonly edgeLossDb: number;
  /** The distance that loss means to the engine, metres: the zone's radius as the radio sees it. */
  readonly reachM: number;
  /** The loss of the drawn radius under the model, dB. */
  readonly drawnLossDb: number;
  /** Edge loss after the offset: median and the quantile used, dB. */
  readonly edgeMedianLossDb: number;
  readonly edgeQuantileLossDb: number;
  /** What bounded the threshold from outside, with its quantile of loss, or null (nothing did). */
  readonly bound: { readonly place: "door" | "outside"; readonly lossDb: number } | null;
  readonly edgeSamples: number;
  /** 10th to 90th percentile of the edge's loss at this zone's gateway, dB. */
  readonly edgeSpreadDb: number;
  /**
   * The store's other gateways that heard this zone's edge, each with the loss it pools against
   * (config zone `peerEdges`), dB, to 0.5 dB; empty when the survey heard no other gateway.
   */
  readonly peers: readonly PeerEdge[];
}

/** What another gateway heard of a zone's edge: its reference in the pooled test. */
export interface PeerEdge {
  readonly gatewayId: string;
  /** Quantile of its loss along the edge (after its offset) plus the margin, dB, to 0.5 dB. */
  readonly edgeLossDb: number;
  readonly samples: number;
}

export interface SurveyCalibration {
  readonly gateways: readonly GatewayCalibration[];
  readonly zones: readonly ZoneCalibration[];
  /**
   * How widely the walked edges spread, dB: the 10th to 90th percentile of every edge sample's loss
   * about its own zone's median, at the zone's gateway, pooled over the zones calibrated.
   */
  readonly edgeSpreadDb: number;
  /**
   * The depth rule to run with (config `presence.enterPooledDepth`), or null: the shop is heavily
   * shadowed (`edgeSpreadDb` above `lightSpreadDb`), or no zone pools another gateway.
   */
  readonly pooledDepth: PooledDepthAdvice | null;
}

export type SurveyRefusalCode = "NO_ZONES" | "TOO_FEW_SAMPLES" | "NOT_SEPARABLE" | "OFFSET_OUT_OF_RANGE";

export type SurveyOutcome =
  | { readonly ok: true; readonly calibration: SurveyCalibration }
  | { readonly ok: false; readonly code: SurveyRefusalCode; readonly message: string };

/** The q-quantile of `values` (nearest rank, q in 0..1); `values` must not be empty. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

const half = (x: number): number => Math.round(x * 2) / 2;
const fmt = (x: number): string => x.toFixed(1);

/**
 * Derives each surveyed gateway's offset and each zone's enter threshold from the samples, or
 * refuses with a sentence saying why and what to do. Only zones whose edge was walked are calibrated;
 * a zone of a gateway with no samples at all is left as it is.
 */
export function calibrateSurvey(
  samples: readonly SurveySample[],
  zones: readonly SurveyZone[],
  options: SurveyOptions,
): SurveyOutcome {
  const o = { ...SURVEY_DEFAULTS, ...options };
  const n10 = 10 * o.pathLossExponent;
  const usable = samples.filter((s) => Number.isFinite(s.rssiDbm) && Number.isFinite(s.measuredPowerDbm));
  const gatewayIds = [...new Set(usable.map((s) => s.gatewayId))].sort();
  const surveyed = zones.filter((z) => gatewayIds.includes(z.gatewayId));
  if (surveyed.length === 0)
    return {
      ok: false,
      code: "NO_ZONES",
      message:
        "No zone of a gateway that heard the reference beacon: check that the config's zones name this gateway and that the beacon was on.",
    };

  const gateways: GatewayCalibration[] = [];
  const zoneResults: ZoneCalibration[] = [];
  /** Every edge sample's loss minus its zone's median, at the zone's gateway. */
  const edgeDeviations: number[] = [];
  for (const gatewayId of gatewayIds) {
    const mine = surveyed.filter((z) => z.gatewayId === gatewayId);
    if (mine.length === 0) continue;
    const heard = usable.filter((s) => s.gatewayId === gatewayId);
    // 1. Offset: expected at the edge minus heard, over every edge walked at this gateway.
    const residuals: number[] = [];
    for (const zone of mine) {
      const edge = heard.filter((s) => s.place === "edge" && s.zoneId === zone.id);
      if (edge.length < o.minEdgeSamples)
        return {
          ok: false,
          code: "TOO_FEW_SAMPLES",
          message: `Zone ${zone.id}: gateway ${gatewayId} heard the beacon ${edge.length} times along the edge, ${o.minEdgeSamples} are needed: walk the edge again, more slowly, holding the beacon in front of you.`,
        };
      const expectedLoss = n10 * Math.log10(zone.radiusM);
      for (const s of edge) residuals.push(s.measuredPowerDbm - expectedLoss - s.rssiDbm);
    }
    const offset = half(quantile(residuals, 0.5));
    if (Math.abs(offset) > o.maxOffsetDb)
      return {
        ok: false,
        code: "OFFSET_OUT_OF_RANGE",
        message: `Gateway ${gatewayId} would need an offset of ${fmt(offset)} dB, beyond ±${o.maxOffsetDb} dB: check that the zones' radii are right and that the beacon advertises its true power at 1 m.`,
      };
    gateways.push({ gatewayId, rssiOffsetDb: offset, samples: residuals.length });

    const lossOf = (s: SurveySample): number => s.measuredPowerDbm - (s.rssiDbm + offset);
    const bounds: { place: "door" | "outside"; losses: number[] }[] = [];
    for (const place of ["door", "outside"] as const) {
      const losses = heard.filter((s) => s.place === place).map(lossOf);
      // The pavement is optional; the door is not.
      if (place === "outside" && losses.length === 0) continue;
      if (losses.length < o.minBoundSamples)
        return {
          ok: false,
          code: "TOO_FEW_SAMPLES",
          message: `Gateway ${gatewayId} heard the beacon ${losses.length} times ${place === "door" ? "at the door" : "outside"}, ${o.minBoundSamples} are needed: stand ${place === "door" ? "just inside the door" : "on the pavement in front of the shop"} again for the whole countdown.`,
        };
      bounds.push({ place, losses });
    }

    // 2. Each zone's threshold: beyond the edge's weak side, short of the outside's strong side.
    for (const zone of mine) {
      const edge = heard.filter((s) => s.place === "edge" && s.zoneId === zone.id).map(lossOf);
      const edgeMedian = quantile(edge, 0.5);
      const edgeWeak = quantile(edge, o.edgeQuantile);
      for (const loss of edge) edgeDeviations.push(loss - edgeMedian);
      let threshold = edgeWeak + o.insideMarginDb;
      let bound: ZoneCalibration["bound"] = null;
      for (const b of bounds) {
        // A door heard more strongly than the edge is inside this zone: it bounds nothing.
        if (quantile(b.losses, 0.5) <= edgeMedian) continue;
        const strong = quantile(b.losses, o.boundQuantile);
        if (strong - o.outsideMarginDb < threshold) {
          threshold = strong - o.outsideMarginDb;
          bound = { place: b.place, lossDb: half(strong) };
        }
      }
      if (threshold < edgeMedian - o.maxShrinkDb) {
        const where = bound?.place === "outside" ? "on the pavement" : "at the door";
        return {
          ok: false,
          code: "NOT_SEPARABLE",
          message: `Zone ${zone.id}: the edge cannot be told from outside at gateway ${gatewayId}: ${Math.round(o.boundQuantile * 100)}% of what it heard ${where} was as strong as ${fmt(bound?.lossDb ?? threshold)} dB of loss, against ${fmt(edgeMedian)} dB for half of the edge: a threshold ${fmt(o.outsideMarginDb)} dB short of the one would cut more than ${fmt(o.maxShrinkDb)} dB into the other, missing much of the zone, or take in passers-by. Move the gateway farther from the entrance, or draw the zone smaller, and survey again.`,
        };
      }
      const edgeLossDb = half(threshold);
      zoneResults.push({
        zoneId: zone.id,
        gatewayId,
        edgeLossDb,
        reachM: Math.round(10 ** (edgeLossDb / n10) * 10) / 10,
        drawnLossDb: Math.round(n10 * Math.log10(zone.radiusM) * 10) / 10,
        edgeMedianLossDb: Math.round(edgeMedian * 10) / 10,
        edgeQuantileLossDb: Math.round(edgeWeak * 10) / 10,
        bound,
        edgeSamples: edge.length,
        edgeSpreadDb: spreadOf(edge),
        peers: [],
      });
    }
  }

  // 3. The pooled test: every other gateway that heard a zone's edge pools against what it heard
  // there. Its offset was fitted on its own zones (or set in the config), at its own distances and
  // through its own surroundings; along this zone's edge it may hear the beacon several dB off
  // what the geometry says, and the pooled mean would carry that error everywhere, the pavement
  // included (docs/benchmarks.md, "A pooled survey").
  const offsetOf = (gatewayId: string): number =>
    gateways.find((g) => g.gatewayId === gatewayId)?.rssiOffsetDb ?? o.offsetsDb?.[gatewayId] ?? 0;
  const withPeers = zoneResults.map((zone): ZoneCalibration => {
    const peers: PeerEdge[] = [];
    for (const gatewayId of gatewayIds) {
      if (gatewayId === zone.gatewayId || (o.peerIds !== undefined && !o.peerIds.includes(gatewayId))) continue;
      const offset = offsetOf(gatewayId);
      const losses = usable
        .filter((s) => s.gatewayId === gatewayId && s.place === "edge" && s.zoneId === zone.zoneId)
        .map((s) => s.measuredPowerDbm - (s.rssiDbm + offset));
      if (losses.length < o.minEdgeSamples) continue;
      const edgeLossDb = half(quantile(losses, o.peerEdgeQuantile) + o.peerMarginDb);
      if (!(edgeLossDb > 0)) continue;
      peers.push({ gatewayId, edgeLossDb, samples: losses.length });
    }
    return { ...zone, peers };
  });

  // 4. The depth rule, where the edges spread little and something pools.
  const edgeSpreadDb = spreadOf(edgeDeviations);
  const pools = withPeers.some((z) => z.peers.length > 0);
  const pooledDepth = pools && edgeSpreadDb <= o.lightSpreadDb ? o.pooledDepth : null;
  return { ok: true, calibration: { gateways, zones: withPeers, edgeSpreadDb, pooledDepth } };
}

/** 10th to 90th percentile of `losses`, dB, to 0.1 dB: how widely they spread (0 when empty). */
function spreadOf(losses: readonly number[]): number {
  if (losses.length === 0) return 0;
  return Math.round((quantile(losses, 0.9) - quantile(losses, 0.1)) * 10) / 10;
}
