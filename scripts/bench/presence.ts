/**
 * Presence detection quality: the gateway's own pipeline (replayed on simulated captures) beside two
 * peer baselines, scored against the simulator's ground truth.
 *
 *   npx tsx scripts/bench/presence.ts [--seeds 5] [--first-seed 1] [--minutes 60]
 *       [--rates 1hz,android,ios] [--shadowing-db 6] [--storefront-db 0] [--tx-spread-db 3] [--extra-gateway X,Y] [--zone-exit-margin ZONE=M,...] [--only ID,ID]
 *       [--sweep enter|exit|hold] [--gateway-offset-db=DB] [--survey-margins-db=IN,OUT[,Q]] [--json FILE]
 *       [--sequential OFFSET_DB,CAP_DB,THRESHOLD_DB] [--survey-peers off|QUANTILE,MARGIN_DB]
 *       [--pooled-depth off|DEPTH_DB,HOLD_MS] [--oracle-tx ERROR_DB]
 *       [--traffic-warmup MINUTES] [--traffic Q,MARGIN_DB[,K,WINDOW_MS[,MAX_TRACK_MS]] | zZ,MARGIN_DB...]
 *       [--traffic-exclude entered|none]
 *
 * `--traffic-warmup`: each gateway first learns the pavement's bound (trafficLearning,
 * gateway/src/domain/calibration/trafficLearner.ts) from a separate simulated hour(s) of the same
 * seed's shop with other people, and the inside-learned and surveyed configs run with their zones
 * kept short of it; `--traffic` sets the learner's quantile and margin (or, `z...`, the tail
 * extrapolated from the middle); `--traffic-exclude none` keeps the subjects the candidate's engine
 * entered on the warm-up in the evidence.
 *
 * `--oracle-tx`: every engine config knows each simulated phone's power at 1 m (its
 * `beacons.calibration`, from the simulator's truth), give or take a normal error of ERROR_DB
 * (standard deviation; 0: exact): what a per-device transmit estimate that good would give, as an
 * upper bound before building one.
 *
 * `--pooled-depth`: the pooled zones' depth rule (`presence.enterPooledDepth`,
 * gateway/src/domain/presence/pooledDepth.ts) in every engine config: off, or these parameters.
 * Without it each config runs as it has it: the surveyed ones as the survey wrote it.
 *
 * `--extra-gateway X,Y`: a third gateway `gw-extra` at that point of the plan (no zone of its own),
 * heard by the shop and the survey walk through a random stream of its own; the survey measures its
 * `peerEdges` and the pooled configs list it as a peer.
 *
 * `--sequential`: every engine config also enters on the sequential test (`presence.enterSequential`,
 * gateway/src/domain/presence/sequentialEnter.ts) with these parameters.
 *
 * `--gateway-offset-db=-6`: every simulated gateway reports RSSI 6 dB low (its calibration error).
 * `--survey-margins-db`: the site survey's inside and outside margins (and bound quantile), for
 * tuning them on seeds 11-15; default SURVEY_DEFAULTS (gateway/src/domain/survey/siteSurvey.ts).
 *
 * Tuning runs use seeds 11-15 (`--first-seed 11`), reported runs seeds 1-5: the tuned configs are
 * not fitted to the captures they are judged on.
 *
 * For every rate and seed, scripts/sim writes a capture of the simulated shop (two gateways, zones
 * "store" and "till"), then each candidate runs over the same file:
 * - arrival engine with the gateway config's defaults (`presence: {}`, the true zone radii);
 * - arrival engine with the tuned config (scripts/sim/presets.ts), the one config.json carries;
 * - arrival engine with both gateways surveyed (`site` lat/lon, `peers`), so the store zone pools
 *   their evidence, with its own tuning (`simFusedTuning`);
 * - arrival engine with the defaults after a site survey (`engine-surveyed`): a simulated surveyor
 *   walks the same seed's shop before opening (scripts/sim/survey.ts) and `calibrateSurvey` writes
 *   each gateway's offset, each zone's edge loss, the peers' `peerEdges` and, where the edges spread
 *   little, the pooled depth rule, as `arrival-gateway calibrate` does;
 * - the same surveyed config with every gateway's position (`engine-surveyed-fused`): every gateway
 *   surveyed and pooled, as a store whose gateways share their sightings over the LAN decides;
 * - the defaults with the store zone learned from inside labels (`engine-inside-learned`: its edge
 *   loss, one gateway), and the same store pooled (`engine-inside-learned-fused`: every gateway's
 *   position, the edge loss and the peers' references in the pooled test learned from the same
 *   labels, the peers' seconds being what their sightings over the LAN bring), never surveyed;
 * - (a) raw distance threshold: one advert's distance in or out of the radius;
 * - (b) room-assistant style: Kalman filter on RSSI (R = 0.008, Q = 4, the issue's values), AltBeacon
 *   distance curve; (b') the same with R = 0.8, Q = 15, what room-assistant's BLE integration passes.
 * The engine runs through `replayCapture` (gateway/src/cli/replay.ts), the code behind
 * `arrival-gateway replay`; the baselines are fed the same adverts on the same tick schedule.
 *
 * Scoring (docs/benchmarks.md, "Presence detection quality"): a detected visit belongs to the true
 * visit of the same subject and zone whose [enter - 30 s, leave + 30 s] holds its enter.
 * - recall: true shopper visits of 20 s or more with a detected enter between enter - 30 s and leave;
 * - enter latency: first such enter - true enter; exit latency: exit of the visit's last detection -
 *   true leave (censored if still open at the end of the capture);
 * - flaps: detections of a visit beyond the first (each an extra exit/enter pair);
 * - passers-by flagged: passers-by with any enter, in any zone (none ever sets foot in one);
 * - spurious enters: enters of shoppers, staff and fixed beacons that belong to no true visit.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ReplayTimeline } from "../../gateway/src/adapters/replay/ReplayTimeline.js";
import { readCaptureBatches } from "../../gateway/src/adapters/replay/readCapture.js";
import { replayCapture } from "../../gateway/src/cli/replay.js";
import { type GatewayConfig, parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { surveySamples } from "../../gateway/src/adapters/replay/surveyCapture.js";
import { applySurvey } from "../../gateway/src/config/applySurvey.js";
import { calibrateSurvey, quantile } from "../../gateway/src/domain/survey/siteSurvey.js";
import { type FloorPlan, geoOf, type Point, STORE_PLAN } from "../sim/floorPlan.js";
import { simulateSurvey } from "../sim/survey.js";
import { simulateTillVisits } from "../sim/tillVisits.js";
import { HeardMemory } from "../../gateway/src/domain/calibration/HeardMemory.js";
import { insideLearnedConfig, learnInsideShop } from "./insideLearnedShop.js";
import {
  boundZones,
  EMPTY_TRAFFIC_LEARNER,
  learnTraffic,
  TRAFFIC_LEARNER_DEFAULTS,
  type TrafficLearnerOptions,
  trafficBound,
  TrafficTracks,
} from "../../gateway/src/domain/calibration/trafficLearner.js";
import { decodeAdvertisement } from "../../gateway/src/domain/advert/decodeAdvertisement.js";
import { subjectOf } from "../../gateway/src/domain/advert/subjectOf.js";
import { measuredPowerAt1m } from "../../gateway/src/services/ScanPipeline.js";
import {
  EMPTY_LEARNER,
  learn,
  runningOffset,
  step as stepLearner,
  TILL_LEARNER_DEFAULTS,
  tillSample,
} from "../../gateway/src/domain/calibration/tillLearner.js";
import type { RateMode } from "../sim/population.js";
import { simFusedTuning, simTuning } from "../sim/presets.js";
import {
  type Simulation,
  ownExitMargin,
  simulateStore,
  surveyedSites,
  type TruthRecord,
  type VisitTruth,
  writeSimulation,
} from "../sim/simulateStore.js";
import type { Detection, PresenceDetector } from "./baselines/detector.js";
import { KALMAN_BASELINE, KalmanThresholdDetector, ROOM_ASSISTANT_BLE_KALMAN } from "./baselines/kalman.js";
import { RawThresholdDetector } from "./baselines/rawThreshold.js";
import { truePowerOf } from "./surveyedShop.js";

/** A detected enter this long before a true enter still belongs to that visit (walking up to the zone). */
const BEFORE_MS = 30_000;
/** A detected enter this long after a true leave still belongs to that visit (a flap on the way out). */
const AFTER_MS = 30_000;
/** Visits at least this long must be detected. */
const LONG_VISIT_MS = 20_000;
/** The zone whose enter is a shopper's arrival. */
const ARRIVAL_ZONE = "store";

interface Options {
  readonly seeds: number;
  /** Seeds run are firstSeed .. firstSeed + seeds - 1 (tune on one range, report another). */
  readonly firstSeed: number;
  /** Run only these candidates (all when empty). */
  readonly only: readonly CandidateId[];
  readonly minutes: number;
  readonly rates: readonly RateMode[];
  readonly shadowingDb: number;
  /** Standard deviation of the phones' true power around what they advertise, dB. */
  readonly txSpreadDb: number;
  /** A third gateway hung at this plan point (metres), pooled by the surveyed engine; null: the two of the plan. */
  readonly extraGateway: Point | null;
  /** Zones given their own exit margin (metres) in every engine config but the defaults'. */
  readonly zoneExitMarginM: Readonly<Record<string, number>>;
  readonly storefrontDb: number;
  /** What every simulated gateway adds to the RSSI it reports, dB (its calibration error). */
  readonly gatewayOffsetDb: number;
  /** Labelled till visits (one a day before the capture) the `engine-till-learned` gateways learn from. */
  readonly tillVisits: number;
  /** Inside labels (phones that heard the store beacon, one a day before the capture) for `engine-inside-learned`. */
  readonly insideVisits: number;
  /** The inside learner's percentile (INSIDE_LEARNER_DEFAULTS when absent): for tuning it. */
  readonly insidePercentile: number | null;
  /** `--inside-window-ms FROM,TO`: the seconds of a label the inside learner counts, ms from its time (defaults when absent). */
  /** `--inside-edge-db`: run the store zone at this edge loss instead of the learned one (an oracle sweep), dB. */
  readonly insideEdgeDb: number | null;
  /** `--inside-door-share`: share of inside labels the simulated phones make at the door (scripts/sim/insideVisits.ts's default when absent). */
  readonly insideDoorShare: number | null;
  /** `--inside-follow-ms`: how long after an inside label the simulated member's phone is still heard, ms (10 000 when absent). */
  readonly insideFollowMs: number | null;
  /** `--inside-margin-db`: the inside learner's margin above its percentile (INSIDE_LEARNER_DEFAULTS when absent), dB. */
  readonly insideMarginDb: number | null;
  /** `--inside-approach RISE,QUANTILE,MARGIN` or `off`: the inside learner's bound from labels' approach seconds (INSIDE_LEARNER_DEFAULTS when absent). */
  readonly insideApproach:
    | {
        readonly approachRiseDb: number;
        readonly approachQuantile: number;
        readonly approachMarginDb: number;
        readonly approachFromMs?: number;
        readonly approachToMs?: number;
      }
    | "off"
    | null;
  readonly insideWindowMs: { readonly fromMs: number; readonly toMs: number } | null;
  /** `--inside-exit-band off`: a learned zone keeps its exit margin in metres (as before), instead of scaled with its reach. */
  readonly insideExitBand: boolean;
  /** `--inside-peer PERCENTILE,MARGIN_DB`: how the pooled store learns its peers' references (INSIDE_LEARNER_DEFAULTS when absent). */
  readonly insidePeer: { readonly peerPercentile: number; readonly peerMarginDb: number } | null;
  /** The survey's inside and outside margins, dB (SURVEY_DEFAULTS when absent): for tuning them. */
  readonly surveyMarginsDb: {
    readonly inside: number;
    readonly outside: number;
    readonly boundQuantile?: number;
    readonly maxShrinkDb?: number;
  } | null;
  /**
   * `--survey-peers`: how the survey sets each other gateway's reference in a zone's pooled test
   * (`peerEdges`): quantile and margin of what it heard along the edge; "off" leaves the geometry
   * (the distance between the gateways plus the radius), as before the survey measured it.
   */
  readonly surveyPeers: { readonly quantile: number; readonly marginDb: number } | "off" | null;
  readonly json: string | undefined;
  /**
   * The sequential enter test (`presence.enterSequential`) turned on in every engine config (the
   * defaults', the tuned, the pooled and the surveyed ones); null: as each config has it.
   */
  readonly sequential: { readonly offsetDb: number; readonly capDb: number; readonly thresholdDb: number } | null;
  /** `--pooled-depth`: the depth rule in every engine config, "off", or null: as each config has it. */
  readonly pooledDepth: { readonly depthDb: number; readonly holdMs: number } | "off" | null;
  /** `--oracle-tx`: every engine config is told each subject's power at 1 m, within this error (SD, dB); null: not. */
  readonly oracleTx: number | null;
  /**
   * `--traffic-warmup MINUTES`: before the replay, each gateway learns the traffic bound from a
   * separate simulated capture of the same seed's shop (other people, this long), and the
   * inside-learned and surveyed configs run with their zones bounded by it; 0: off.
   */
  readonly trafficWarmupMin: number;
  /** `--traffic Q,MARGIN[,K,WINDOW_MS[,MAX_TRACK_MS]]`: the traffic learner's options (defaults when absent). */
  readonly traffic: TrafficLearnerOptions | null;
  /** `--traffic-exclude entered|none`: leave out of the warm-up's tracks the subjects the candidate's engine entered (default, as the gateway's `leaveOutEntered`), or nobody. */
  readonly trafficExclude: "entered" | "none";
  /** Also run the engine over a grid of configurations (the trade-off tables). */
  readonly sweep: "enter" | "exit" | "hold" | null;
}

/** One engine configuration of a `--sweep`. */
interface SweepPoint {
  readonly radiusM: number;
  readonly enterMinSamples: number;
  readonly enterWindowMs: number;
  readonly exitMarginM: number;
  readonly exitAfterMs: number;
}

/**
 * `--sweep enter`: the store zone's radius x enterMinSamples, the rest as tuned.
 * `--sweep exit`: exitMarginM x exitAfterMs, enter rule and radius as tuned.
 * `--sweep hold`: the store zone's radius x longer enter rules (more seconds of evidence), exit as tuned.
 */
function sweepGrid(kind: "enter" | "exit" | "hold", tuned: SweepPoint): SweepPoint[] {
  const grid: SweepPoint[] = [];
  if (kind === "hold") {
    const rules: readonly (readonly [number, number])[] = [
      [5, 10_000],
      [8, 12_000],
      [10, 15_000],
      [15, 20_000],
    ];
    for (const radiusM of [8, 9, 10, 11, 12])
      for (const [enterMinSamples, enterWindowMs] of rules) grid.push({ ...tuned, radiusM, enterMinSamples, enterWindowMs });
  } else if (kind === "enter") {
    for (const radiusM of [3, 4, 4.5, 5, 5.5, 6, 7, 8, 9, 10])
      for (const enterMinSamples of [3, 5, 7]) grid.push({ ...tuned, radiusM, enterMinSamples });
  } else {
    for (const exitMarginM of [1.5, 3, 5])
      for (const exitAfterMs of [20_000, 30_000, 45_000, 60_000])
        grid.push({ ...tuned, exitMarginM, exitAfterMs });
  }
  return grid;
}

const sweepKey = (p: SweepPoint): string =>
  `r=${p.radiusM} m, ${p.enterMinSamples} in ${p.enterWindowMs / 1000} s, margin ${p.exitMarginM} m, after ${p.exitAfterMs / 1000} s`;

type CandidateId =
  | "engine-defaults"
  | "engine-tuned"
  | "engine-fused"
  | "engine-surveyed"
  | "engine-surveyed-fused"
  | "engine-till-learned"
  | "engine-inside-learned"
  | "engine-inside-learned-fused"
  | "raw-threshold"
  | "kalman"
  | "kalman-room-assistant";

interface Candidate {
  readonly id: CandidateId;
  readonly label: string;
}

const CANDIDATES: readonly Candidate[] = [
  { id: "engine-defaults", label: "arrival engine, config defaults" },
  { id: "engine-tuned", label: "arrival engine, tuned config" },
  { id: "engine-fused", label: "arrival engine, every gateway (fused), tuned" },
  { id: "engine-surveyed", label: "arrival engine, config defaults after a site survey" },
  {
    id: "engine-surveyed-fused",
    label: "arrival engine, config defaults after a site survey, every gateway (pooled)",
  },
  { id: "engine-till-learned", label: "arrival engine, config defaults, offset learned from labelled till visits" },
  { id: "engine-inside-learned", label: "arrival engine, config defaults, store zone's edge loss learned from inside labels" },
  {
    id: "engine-inside-learned-fused",
    label: "arrival engine, config defaults, every gateway (pooled), store zone's edge loss and peers' references learned from inside labels",
  },
  { id: "raw-threshold", label: "(a) raw distance threshold" },
  { id: "kalman", label: `(b) Kalman R=${KALMAN_BASELINE.R} Q=${KALMAN_BASELINE.Q} (room-assistant style)` },
  {
    id: "kalman-room-assistant",
    label: `(b') Kalman R=${ROOM_ASSISTANT_BLE_KALMAN.R} Q=${ROOM_ASSISTANT_BLE_KALMAN.Q} (room-assistant's BLE setting)`,
  },
];

/** One zone's visits, pooled over the seeds of one rate. */
interface ZoneScore {
  longVisits: number;
  longDetected: number;
  shortVisits: number;
  shortDetected: number;
  enterLatencyMs: number[];
  exitLatencyMs: number[];
  exitCensored: number;
  flaps: number;
}

/** Pooled over the seeds of one rate. */
interface Score {
  readonly zones: Map<string, ZoneScore>;
  passers: number;
  passersFlagged: number;
  windowShoppers: number;
  windowShoppersFlagged: number;
  spuriousEnters: number;
  /** Spurious enters by role and zone (`staff till`, `fixed:till-counter store`, ...). */
  readonly spuriousBy: Map<string, number>;
  hours: number;
}

const emptyScore = (): Score => ({
  zones: new Map(),
  passers: 0,
  passersFlagged: 0,
  windowShoppers: 0,
  windowShoppersFlagged: 0,
  spuriousEnters: 0,
  spuriousBy: new Map(),
  hours: 0,
});

function zoneScore(score: Score, zoneId: string): ZoneScore {
  let z = score.zones.get(zoneId);
  if (z === undefined) {
    z = {
      longVisits: 0,
      longDetected: 0,
      shortVisits: 0,
      shortDetected: 0,
      enterLatencyMs: [],
      exitLatencyMs: [],
      exitCensored: 0,
      flaps: 0,
    };
    score.zones.set(zoneId, z);
  }
  return z;
}

interface DetectedVisit {
  readonly enterAt: number;
  exitAt: number | null;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      seeds: { type: "string" },
      "first-seed": { type: "string" },
      only: { type: "string" },
      minutes: { type: "string" },
      rates: { type: "string" },
      "shadowing-db": { type: "string" },
      "tx-spread-db": { type: "string" },
      "extra-gateway": { type: "string" },
      "zone-exit-margin": { type: "string" },
      "storefront-db": { type: "string" },
      "gateway-offset-db": { type: "string" },
      "survey-margins-db": { type: "string" },
      "survey-peers": { type: "string" },
      "till-visits": { type: "string" },
      "inside-visits": { type: "string" },
      "inside-percentile": { type: "string" },
      "inside-window-ms": { type: "string" },
      "inside-edge-db": { type: "string" },
      "inside-door-share": { type: "string" },
      "inside-follow-ms": { type: "string" },
      "inside-margin-db": { type: "string" },
      "inside-approach": { type: "string" },
      "inside-peer": { type: "string" },
      "inside-exit-band": { type: "string" },
      json: { type: "string" },
      sweep: { type: "string" },
      sequential: { type: "string" },
      "pooled-depth": { type: "string" },
      "oracle-tx": { type: "string" },
      "traffic-warmup": { type: "string" },
      traffic: { type: "string" },
      "traffic-exclude": { type: "string" },
    },
  });
  const num = (v: string | undefined, fallback: number): number => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${v}`);
    return n;
  };
  const signed = (v: string | undefined, fallback: number): number => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(n) || Math.abs(n) > 30) throw new Error(`not a number within ±30: ${v}`);
    return n;
  };
  const rates = (values.rates ?? "1hz,android,ios").split(",") as RateMode[];
  for (const r of rates) if (!["ios", "android", "1hz"].includes(r)) throw new Error(`unknown rate ${r}`);
  const only = (values.only ?? "").split(",").filter((c) => c !== "") as CandidateId[];
  for (const c of only) if (!CANDIDATES.some((k) => k.id === c)) throw new Error(`unknown candidate ${c}`);
  return {
    seeds: Math.max(1, Math.trunc(num(values.seeds, 5))),
    firstSeed: Math.max(1, Math.trunc(num(values["first-seed"], 1))),
    only,
    minutes: Math.max(1, num(values.minutes, 60)),
    rates,
    shadowingDb: num(values["shadowing-db"], 6),
    txSpreadDb: num(values["tx-spread-db"], 3),
    extraGateway: extraGatewayOf(values["extra-gateway"]),
    zoneExitMarginM: zoneMarginsOf(values["zone-exit-margin"]),
    storefrontDb: num(values["storefront-db"], 0),
    gatewayOffsetDb: signed(values["gateway-offset-db"], 0),
    surveyMarginsDb: surveyMarginsOf(values["survey-margins-db"]),
    surveyPeers: surveyPeersOf(values["survey-peers"]),
    tillVisits: Math.max(0, Math.trunc(num(values["till-visits"], 10))),
    insideVisits: Math.max(0, Math.trunc(num(values["inside-visits"], 10))),
    insidePercentile: values["inside-percentile"] === undefined ? null : Math.min(0.99, num(values["inside-percentile"], 0.9)),
    insideApproach: insideApproachOf(values["inside-approach"]),
    insideMarginDb: values["inside-margin-db"] === undefined ? null : signed(values["inside-margin-db"], 0),
    insideFollowMs: values["inside-follow-ms"] === undefined ? null : Math.min(110_000, num(values["inside-follow-ms"], 10_000)),
    insideDoorShare: values["inside-door-share"] === undefined ? null : Math.min(0.85, num(values["inside-door-share"], 0.3)),
    insideEdgeDb: values["inside-edge-db"] === undefined ? null : num(values["inside-edge-db"], 0),
    insideWindowMs: insideWindowOf(values["inside-window-ms"]),
    insidePeer: insidePeerOf(values["inside-peer"]),
    insideExitBand: values["inside-exit-band"] !== "off",
    json: values.json,
    sequential: sequentialOf(values.sequential),
    pooledDepth: pooledDepthOf(values["pooled-depth"]),
    oracleTx: values["oracle-tx"] === undefined ? null : num(values["oracle-tx"], 0),
    trafficWarmupMin: num(values["traffic-warmup"], 0),
    traffic: trafficOf(values.traffic),
    trafficExclude: values["traffic-exclude"] === "none" ? "none" : "entered",
    sweep: values.sweep === "enter" || values.sweep === "exit" || values.sweep === "hold" ? values.sweep : null,
  };
}

function sequentialOf(value: string | undefined): Options["sequential"] {
  if (value === undefined) return null;
  const [offsetDb, capDb, thresholdDb, ...rest] = value.split(",").map(Number);
  if (
    offsetDb === undefined ||
    capDb === undefined ||
    thresholdDb === undefined ||
    rest.length > 0 ||
    !(offsetDb >= 0 && capDb > 0 && thresholdDb > 0)
  )
    throw new Error(`--sequential wants OFFSET_DB,CAP_DB,THRESHOLD_DB (>= 0, > 0, > 0), got ${value}`);
  return { offsetDb, capDb, thresholdDb };
}

function trafficOf(value: string | undefined): Options["traffic"] {
  if (value === undefined) return null;
  const tail = value.startsWith("z");
  const [q, marginDb, k, windowMs, maxTrackMs, ...rest] = (tail ? value.slice(1) : value).split(",").map(Number);
  if (tail && q !== undefined && marginDb !== undefined && q > 0)
    return { tailZ: q, marginDb, ...(k === undefined ? {} : { approachSeconds: k }), ...(windowMs === undefined ? {} : { approachWindowMs: windowMs }), ...(maxTrackMs === undefined ? {} : { maxTrackMs }) };
  if (q === undefined || marginDb === undefined || rest.length > 0 || !(q > 0 && q < 1) || !Number.isFinite(marginDb))
    throw new Error(`--traffic wants QUANTILE,MARGIN_DB[,K,WINDOW_MS[,MAX_TRACK_MS]] (or zZ,MARGIN_DB...: the tail extrapolated from the middle), got ${value}`);
  return {
    tailZ: 0,
    quantile: q,
    marginDb,
    ...(k === undefined ? {} : { approachSeconds: k }),
    ...(windowMs === undefined ? {} : { approachWindowMs: windowMs }),
    ...(maxTrackMs === undefined ? {} : { maxTrackMs }),
  };
}

function pooledDepthOf(value: string | undefined): Options["pooledDepth"] {
  if (value === undefined) return null;
  if (value === "off") return "off";
  const [depthDb, holdMs, ...rest] = value.split(",").map(Number);
  if (depthDb === undefined || holdMs === undefined || rest.length > 0 || !(depthDb > 0 && holdMs >= 1000))
    throw new Error(`--pooled-depth wants off or DEPTH_DB,HOLD_MS (> 0, >= 1000), got ${value}`);
  return { depthDb, holdMs: Math.round(holdMs) };
}

function extraGatewayOf(value: string | undefined): Point | null {
  if (value === undefined) return null;
  const [x, y, ...rest] = value.split(",").map(Number);
  if (x === undefined || y === undefined || rest.length > 0 || !Number.isFinite(x) || !Number.isFinite(y))
    throw new Error(`--extra-gateway wants X,Y in metres of the plan, got ${value}`);
  return { x, y };
}

function surveyMarginsOf(value: string | undefined): Options["surveyMarginsDb"] {
  if (value === undefined) return null;
  const [inside, outside, boundQuantile, maxShrinkDb, ...rest] = value.split(",").map(Number);
  if (inside === undefined || outside === undefined || rest.length > 0 || !(inside >= 0) || !(outside >= 0))
    throw new Error(`--survey-margins-db wants INSIDE,OUTSIDE[,BOUND_QUANTILE[,MAX_SHRINK]] (dB, dB, 0..1, dB), got ${value}`);
  if (boundQuantile !== undefined && !(boundQuantile > 0 && boundQuantile < 1))
    throw new Error(`bound quantile must be within 0..1, got ${value}`);
  if (maxShrinkDb !== undefined && !(maxShrinkDb >= 0)) throw new Error(`max shrink must be >= 0 dB, got ${value}`);
  return {
    inside,
    outside,
    ...(boundQuantile === undefined ? {} : { boundQuantile }),
    ...(maxShrinkDb === undefined ? {} : { maxShrinkDb }),
  };
}

/** The inside learner's and labels' flags of a run, as the command line gave them. */
function insideFlags(o: Options): string {
  const a = o.insideApproach;
  return [
    o.insideWindowMs === null ? "" : ` --inside-window-ms=${o.insideWindowMs.fromMs},${o.insideWindowMs.toMs}`,
    o.insideMarginDb === null ? "" : ` --inside-margin-db=${o.insideMarginDb}`,
    a === null ? "" : a === "off" ? " --inside-approach off" : ` --inside-approach=${[a.approachRiseDb, a.approachQuantile, a.approachMarginDb, ...(a.approachFromMs === undefined ? [] : [a.approachFromMs, a.approachToMs])].join(",")}`,
    o.insideDoorShare === null ? "" : ` --inside-door-share ${o.insideDoorShare}`,
    o.insideFollowMs === null ? "" : ` --inside-follow-ms ${o.insideFollowMs}`,
    o.insideEdgeDb === null ? "" : ` --inside-edge-db ${o.insideEdgeDb}`,
    o.insidePeer === null ? "" : ` --inside-peer ${o.insidePeer.peerPercentile},${o.insidePeer.peerMarginDb}`,
    o.insideExitBand ? "" : " --inside-exit-band off",
  ].join("");
}

function insideApproachOf(value: string | undefined): Options["insideApproach"] {
  if (value === undefined) return null;
  if (value === "off") return "off";
  const [approachRiseDb, approachQuantile, approachMarginDb, approachFromMs, approachToMs, ...rest] = value.split(",").map(Number);
  if (approachRiseDb === undefined || approachQuantile === undefined || approachMarginDb === undefined || rest.length > 0 || ![approachRiseDb, approachQuantile, approachMarginDb].every(Number.isFinite))
    throw new Error(`--inside-approach wants RISE,QUANTILE,MARGIN[,FROM,TO] or off: ${value}`);
  return { approachRiseDb, approachQuantile, approachMarginDb, ...(approachFromMs === undefined || approachToMs === undefined ? {} : { approachFromMs, approachToMs }) };
}

function insidePeerOf(value: string | undefined): Options["insidePeer"] {
  if (value === undefined) return null;
  const [peerPercentile, peerMarginDb, ...rest] = value.split(",").map(Number);
  if (peerPercentile === undefined || peerMarginDb === undefined || rest.length > 0 || !(peerPercentile > 0 && peerPercentile < 1) || !Number.isFinite(peerMarginDb))
    throw new Error(`--inside-peer wants PERCENTILE,MARGIN_DB (0..1, dB): ${value}`);
  return { peerPercentile, peerMarginDb };
}

function insideWindowOf(value: string | undefined): Options["insideWindowMs"] {
  if (value === undefined) return null;
  const [fromMs, toMs, ...rest] = value.split(",").map(Number);
  if (fromMs === undefined || toMs === undefined || rest.length > 0 || !Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs)
    throw new Error(`--inside-window-ms wants FROM,TO (ms from the label, FROM < TO): ${value}`);
  return { fromMs, toMs };
}

function surveyPeersOf(value: string | undefined): Options["surveyPeers"] {
  if (value === undefined) return null;
  if (value === "off") return "off";
  const [quantile, marginDb, ...rest] = value.split(",").map(Number);
  if (quantile === undefined || marginDb === undefined || rest.length > 0 || !(quantile > 0 && quantile < 1) || !Number.isFinite(marginDb))
    throw new Error(`--survey-peers wants off or QUANTILE,MARGIN_DB (0..1, dB), got ${value}`);
  return { quantile, marginDb };
}

function zoneMarginsOf(value: string | undefined): Record<string, number> {
  const margins: Record<string, number> = {};
  for (const item of (value ?? "").split(",").filter((i) => i !== "")) {
    const [zoneId, metres, ...rest] = item.split("=");
    const m = Number(metres);
    if (zoneId === undefined || zoneId === "" || rest.length > 0 || !Number.isFinite(m) || m < 0 || m > 20)
      throw new Error(`--zone-exit-margin wants ZONE=M with 0 <= M <= 20, got ${item}`);
    margins[zoneId] = m;
  }
  return margins;
}

/** The simulated shop, with the extra gateway when one is asked for (zones unchanged). */
function planOf(o: Options): FloorPlan {
  if (o.extraGateway === null) return STORE_PLAN;
  return { ...STORE_PLAN, gateways: [...STORE_PLAN.gateways, { id: "gw-extra", position: o.extraGateway, ownStream: true }] };
}

function tunedPoint(config: GatewayConfig): SweepPoint {
  const zone = config.zones.find((z) => z.id === ARRIVAL_ZONE);
  const t = config.presenceTuning;
  return {
    radiusM: zone !== undefined && "radiusM" in zone ? zone.radiusM : 5,
    enterMinSamples: t.enterMinSamples,
    enterWindowMs: t.enterWindowMs,
    exitMarginM: t.exitMarginM,
    exitAfterMs: t.exitAfterMs,
  };
}

/** `--sequential`, written into every engine config's `presence` by {@link configOf}. */
let sequentialOverride: Options["sequential"] = null;
/** `--pooled-depth`, applied to every engine config by {@link configOf}. */
let pooledDepthOverride: Options["pooledDepth"] = null;

function configOf(document: Readonly<Record<string, unknown>>): GatewayConfig {
  const presence = (document.presence ?? {}) as Record<string, unknown>;
  const parsed = parseGatewayConfig(
    sequentialOverride === null ? document : { ...document, presence: { ...presence, enterSequential: sequentialOverride } },
  );
  if (!parsed.ok) throw new Error(`simulated config invalid: ${JSON.stringify(parsed.problems)}`);
  if (pooledDepthOverride === null) return parsed.config;
  const { enterPooledDepth: _, ...tuning } = parsed.config.presenceTuning;
  return {
    ...parsed.config,
    presenceTuning: pooledDepthOverride === "off" ? tuning : { ...tuning, enterPooledDepth: pooledDepthOverride },
  };
}

/**
 * The defaults' config after a site survey of this seed's shop: the simulated surveyor walks each
 * zone's edge, stands at the door and walks the pavement before opening (same shadowing, same
 * gateway error as the shoppers'), and `calibrateSurvey` + `applySurvey` (what `arrival-gateway
 * calibrate` runs) write each gateway's offset and each zone's edge loss. One survey, two configs:
 * - `alone`: the other gateways are listed as peers only to carry their offsets; the config surveys
 *   no site position, so nothing is pooled and each gateway judges its zone alone;
 * - `pooled`: the same offsets and edge losses with every gateway's position (`site` lat/lon and
 *   `peers`), so the store zone pools the evidence of every gateway that hears the subject: what a
 *   store runs when every gateway is surveyed and they share their sightings over the LAN.
 * A refused survey leaves the defaults (the operator is told and keeps them); it is logged and
 * counted.
 */
function surveyedConfigs(
  sim: Simulation,
  seed: number,
  defaults: GatewayConfig,
  margins: Options["surveyMarginsDb"],
  peers: Options["surveyPeers"],
  log: string[],
): { readonly alone: GatewayConfig; readonly pooled: GatewayConfig } {
  const recording = simulateSurvey(sim.plan, sim.radio, { seed, startAt: sim.startAt - 15 * 60_000 });
  const first = sim.plan.gateways[0]?.id ?? "";
  const outcome = calibrateSurvey(
    surveySamples(recording, first),
    sim.plan.zones.map((z) => ({ id: z.id, gatewayId: z.gatewayId, radiusM: z.radiusM })),
    {
      pathLossExponent: defaults.presenceTuning.pathLossExponent,
      ...(margins === null ? {} : { insideMarginDb: margins.inside, outsideMarginDb: margins.outside }),
      ...(margins?.boundQuantile === undefined ? {} : { boundQuantile: margins.boundQuantile }),
      ...(margins?.maxShrinkDb === undefined ? {} : { maxShrinkDb: margins.maxShrinkDb }),
      ...(peers === null || peers === "off" ? {} : { peerEdgeQuantile: peers.quantile, peerMarginDb: peers.marginDb }),
    },
  );
  const document = {
    ...sim.config,
    presence: {},
    zones: sim.plan.zones.map((z) => ({ id: z.id, shape: "gateway-radius", gatewayId: z.gatewayId, radiusM: z.radiusM })),
    peers: sim.plan.gateways.slice(1).map((g) => ({ id: g.id, ...geoOf(g.position) })),
  };
  const pooledDocument = { ...document, ...surveyedSites(sim.plan) };
  if (!outcome.ok) {
    log.push(`seed ${seed}: survey refused (${outcome.code}): ${outcome.message}`);
    return { alone: defaults, pooled: configOf(pooledDocument) };
  }
  const calibration =
    peers === "off"
      ? { ...outcome.calibration, zones: outcome.calibration.zones.map((z) => ({ ...z, peers: [] })) }
      : outcome.calibration;
  const applied = applySurvey(document, calibration);
  log.push(
    `seed ${seed}: ${applied.changes.map((c) => `${c.path} ${c.after}`).join(", ")}; ${calibration.zones
      .map((z) => `${z.zoneId} reach ${z.reachM} m${z.bound === null ? "" : ` (bounded by ${z.bound.place})`}`)
      .join(", ")}; edges spread ${calibration.edgeSpreadDb} dB`,
  );
  return {
    alone: configOf(applied.document),
    pooled: configOf(applySurvey(pooledDocument, calibration).document),
  };
}

/**
 * The defaults' config with each gateway's offset learned from `visits` labelled till visits, one a
 * day before the capture (scripts/sim/tillVisits.ts), as a gateway with `learning.tillDistanceM`
 * learns them (gateway/src/services/TillCalibration.ts): its memory of the member's seconds, a
 * sample per label at the till spot's slant distance from it, the learner's defaults (nothing
 * before 10 samples, 1 dB a day), then a step at the capture's start. Never surveyed.
 */
function tillLearnedConfig(sim: Simulation, seed: number, defaults: GatewayConfig, o: Options, log: string[]): GatewayConfig {
  const DAY = 86_400_000;
  const startAt = sim.startAt - o.tillVisits * DAY;
  const visits = simulateTillVisits(sim.plan, sim.radio, { seed, startAt, visits: o.tillVisits, txSpreadDb: o.txSpreadDb });
  const n = defaults.presenceTuning.pathLossExponent;
  const offsets = new Map<string, number>();
  const notes: string[] = [];
  for (const g of sim.plan.gateways) {
    const d = Math.max(0.5, Math.hypot(Math.hypot(g.position.x - sim.plan.tillSpot.x, g.position.y - sim.plan.tillSpot.y), sim.plan.heightAbovePhoneM));
    const memory = new HeardMemory();
    let state = EMPTY_LEARNER;
    let refused = 0;
    for (const v of visits) {
      for (const h of v.heard) if (h.gatewayId === g.id) memory.record("app:member", h.t, h.rssiDbm, -59);
      const sample = tillSample(memory.heard("app:member", v.at - TILL_LEARNER_DEFAULTS.beforeMs, v.at + TILL_LEARNER_DEFAULTS.afterMs), d, n, -59);
      if (!sample.ok) {
        refused++;
        continue;
      }
      const r = learn(state, { at: v.at, residualDb: sample.residualDb }, { baseOffsetDb: 0, surveyedAt: null, now: v.at });
      state = r.state;
      if (!r.accepted) refused++;
    }
    state = stepLearner(state, { baseOffsetDb: 0, surveyedAt: null, now: sim.startAt });
    const offset = runningOffset(state, 0, null);
    offsets.set(g.id, offset);
    notes.push(`${g.id} (till ${d.toFixed(1)} m) ${offset} dB from ${state.samples.length} samples${refused > 0 ? `, ${refused} refused` : ""}`);
  }
  log.push(`seed ${seed}: ${o.tillVisits} till visits: ${notes.join("; ")}`);
  const first = sim.plan.gateways[0]?.id ?? "";
  const site = (sim.config.site ?? {}) as Record<string, unknown>;
  return configOf({
    ...sim.config,
    presence: {},
    site: { ...site, rssiOffsetDb: offsets.get(first) ?? 0 },
    zones: sim.plan.zones.map((z) => ({ id: z.id, shape: "gateway-radius", gatewayId: z.gatewayId, radiusM: z.radiusM })),
    peers: sim.plan.gateways.slice(1).map((g) => ({ id: g.id, ...geoOf(g.position), rssiOffsetDb: offsets.get(g.id) ?? 0 })),
  });
}

/**
 * The defaults' config with the store zone learned from `insideVisits` inside labels, one a day
 * before the capture (insideLearnedShop.ts: as a gateway with `insideLearning` learns it, the
 * learner's defaults unless a flag says otherwise, then a step at the capture's start). Offsets
 * stay 0 (the gateways' error is what the thresholds absorb). Never surveyed. Two configs from the
 * same labels:
 * - `alone`: only the zone's own gateway judges, with the edge loss learned;
 * - `pooled`: every gateway's position (`site` lat/lon, `peers`), the edge loss and each other
 *   gateway's reference in the pooled test (`peerEdges`) learned from the same labels.
 */
function insideLearnedConfigs(
  sim: Simulation,
  seed: number,
  defaults: GatewayConfig,
  o: Options,
  log: string[],
): { readonly alone: GatewayConfig; readonly pooled: GatewayConfig } {
  const learned = learnInsideShop(sim, seed, defaults.presenceTuning.pathLossExponent, {
    visits: o.insideVisits,
    txSpreadDb: o.txSpreadDb,
    ...(o.insideDoorShare === null ? {} : { doorShare: o.insideDoorShare }),
    ...(o.insideFollowMs === null ? {} : { followMs: o.insideFollowMs }),
    ...(o.insideEdgeDb === null ? {} : { edgeDb: o.insideEdgeDb }),
    learner: {
      ...(o.insidePercentile === null ? {} : { percentile: o.insidePercentile }),
      ...(o.insideWindowMs === null ? {} : o.insideWindowMs),
      ...(o.insideMarginDb === null ? {} : { marginDb: o.insideMarginDb }),
      ...(o.insideApproach === null ? {} : o.insideApproach === "off" ? { approachBound: false } : { approachBound: true, ...o.insideApproach }),
      ...(o.insidePeer === null ? {} : o.insidePeer),
    },
  });
  log.push(`seed ${seed}: ${o.insideVisits} inside labels: ${learned.note}`);
  const document = (pooled: boolean) => ({
    ...sim.config,
    ...(pooled ? surveyedSites(sim.plan) : {}),
    presence: {},
    zones: sim.plan.zones.map((z) => ({ id: z.id, shape: "gateway-radius", gatewayId: z.gatewayId, radiusM: z.radiusM })),
  });
  return {
    alone: insideLearnedConfig(configOf(document(false)), sim, learned, false, o.insideExitBand),
    pooled: insideLearnedConfig(configOf(document(true)), sim, learned, true, o.insideExitBand),
  };
}

/**
 * Each gateway's traffic bound (raw loss, dB, or null), learned as a gateway with `trafficLearning`
 * learns it (gateway/src/services/TrafficCalibration.ts): every advert its own radio heard of a
 * separate warm-up capture of the same seed's shop (the same plan, shadowing field, gateway error
 * and advertising rate; other people, drawn from another seed, the day before the capture), into
 * tracks per subject, each short track's closest approach into the histogram. Subjects the
 * candidate's engine (its config before the bound) entered on the warm-up are left out, as a gateway
 * with `leaveOutEntered` (the default) leaves them out; the warm-up has no labels. With
 * `--traffic-exclude none` nobody is. The log says how many tracks counted per role.
 */
function warmUpOf(sim: Simulation, seed: number, rate: RateMode, o: Options): Simulation {
  return simulateStore({
    seed,
    populationSeed: seed + 1000,
    startAt: sim.startAt - 86_400_000,
    minutes: o.trafficWarmupMin,
    rate,
    radio: sim.radio.options,
    txSpreadDb: o.txSpreadDb,
    plan: sim.plan,
  });
}

function trafficBounds(warm: Simulation, excluded: ReadonlySet<string>, name: string, seed: number, o: Options, log: string[]): Map<string, number | null> {
  const options: TrafficLearnerOptions = { ...TRAFFIC_LEARNER_DEFAULTS, ...(o.traffic ?? {}) };
  const roles = new Map<string, string>();
  for (const r of warm.truth) if (r.kind === "subject") roles.set(r.subject, r.role);
  const tracks = new Map(warm.plan.gateways.map((g) => [g.id, new TrafficTracks(options)]));
  for (const t of tracks.values()) for (const subjectId of excluded) t.exclude(subjectId);
  const states = new Map(warm.plan.gateways.map((g) => [g.id, EMPTY_TRAFFIC_LEARNER]));
  const byRole = new Map(warm.plan.gateways.map((g) => [g.id, new Map<string, number>()]));
  const count = (gatewayId: string, a: { subjectId: string; at: number; lossDb: number } | null): void => {
    if (a === null) return;
    states.set(gatewayId, learnTraffic(states.get(gatewayId) ?? EMPTY_TRAFFIC_LEARNER, a, options));
    const m = byRole.get(gatewayId);
    const role = roles.get(a.subjectId) ?? "unknown";
    m?.set(role, (m.get(role) ?? 0) + 1);
  };
  for (const advert of warm.adverts()) {
    const beacon = decodeAdvertisement(advert.data);
    const subject = beacon === null ? null : subjectOf(beacon);
    if (beacon === null || subject === null || advert.gatewayId === undefined) continue;
    count(advert.gatewayId, tracks.get(advert.gatewayId)?.heard(subject.id, advert.t, advert.rssi, measuredPowerAt1m(beacon) ?? -59) ?? null);
  }
  const end = warm.endAt + 3_600_000;
  for (const [gatewayId, t] of tracks) for (const a of t.close(end)) count(gatewayId, a);
  const bounds = new Map<string, number | null>();
  const notes: string[] = [];
  for (const g of warm.plan.gateways) {
    const b = trafficBound(states.get(g.id) ?? EMPTY_TRAFFIC_LEARNER, end, options);
    bounds.set(g.id, b?.boundDb ?? null);
    const roleCounts = [...(byRole.get(g.id) ?? [])].map(([r, n]) => `${n} ${r}`).join(", ");
    // The approaches' spread, for reading the bound against it: their 1, 5, 10, 25 and 50 % quantiles.
    const values = (states.get(g.id)?.days ?? []).flatMap((d) => d.bins.flatMap(([lossDb, n]) => Array<number>(n).fill(lossDb + 0.25)));
    const spread = values.length === 0 ? "-" : [0.01, 0.05, 0.1, 0.25, 0.5].map((q) => quantile(values, q).toFixed(1)).join("/");
    notes.push(`${g.id} bound ${b?.boundDb ?? "none"} (level ${b?.quantileDb.toFixed(1) ?? "-"} of ${b?.tracks ?? 0} tracks, q01/05/10/25/50 ${spread}: ${roleCounts})`);
  }
  log.push(`seed ${seed}: traffic for ${name}, ${o.trafficWarmupMin} min warm-up, ${excluded.size} entered left out: ${notes.join("; ")}`);
  return bounds;
}

/** `config` with its zones bounded by each gateway's raw traffic bound, less the offset it runs that gateway with. */
function trafficBoundConfig(config: GatewayConfig, bounds: ReadonlyMap<string, number | null>): GatewayConfig {
  const offsetOf = (gatewayId: string): number =>
    gatewayId === config.gatewayId ? config.site.rssiOffsetDb : (config.peers.find((p) => p.id === gatewayId)?.rssiOffsetDb ?? 0);
  return {
    ...config,
    zones: boundZones(config.zones, config.presenceTuning.pathLossExponent, (gatewayId) => {
      const raw = bounds.get(gatewayId) ?? null;
      return raw === null ? null : raw - offsetOf(gatewayId);
    }),
  };
}

/** The engine's enters and exits on a capture, through the gateway's replay. */
async function runEngine(config: GatewayConfig, capturePath: string): Promise<Detection[]> {
  const out: Detection[] = [];
  await replayCapture(config, createReadStream(capturePath, { highWaterMark: 1 << 20 }), (events) => {
    for (const e of events) {
      if (e.type === "dwell") continue;
      out.push({ type: e.type, subjectId: e.subject.id, zoneId: e.zoneId, at: Date.parse(e.at) });
    }
  });
  return out;
}

/** A baseline on a capture, on the replay's schedule (timestamp order, a tick every second). */
async function runDetector(detector: PresenceDetector, capturePath: string): Promise<Detection[]> {
  const out: Detection[] = [];
  const timeline = new ReplayTimeline();
  const step = (s: Parameters<Parameters<ReplayTimeline["push"]>[1]>[0]): void => {
    const found = s.kind === "tick" ? detector.tick(s.t) : detector.onAdvert(s.advert);
    for (const d of found) out.push(d);
  };
  for await (const batch of readCaptureBatches(createReadStream(capturePath, { highWaterMark: 1 << 20 }))) {
    for (const entry of batch) if ("advert" in entry) timeline.push(entry.advert, step);
  }
  timeline.finish(step);
  return out;
}

/** Scores one candidate's detections on one simulated run into `score`. */
function scoreRun(
  truth: readonly TruthRecord[],
  detections: readonly Detection[],
  hours: number,
  score: Score,
): void {
  score.hours += hours;
  const detected = new Map<string, DetectedVisit[]>();
  for (const d of detections) {
    const key = `${d.subjectId}|${d.zoneId}`;
    let list = detected.get(key);
    if (list === undefined) {
      list = [];
      detected.set(key, list);
    }
    const last = list.at(-1);
    if (d.type === "enter") {
      if (last === undefined || last.exitAt !== null) list.push({ enterAt: d.at, exitAt: null });
    } else if (last !== undefined && last.exitAt === null) {
      last.exitAt = d.at;
    }
  }
  const visitsByKey = new Map<string, VisitTruth[]>();
  const roles = new Map<string, { role: string; pausedMs: number }>();
  for (const r of truth) {
    if (r.kind === "subject") {
      roles.set(r.subject, { role: r.role, pausedMs: r.pausedMs });
      continue;
    }
    const key = `${r.subject}|${r.zone}`;
    const list = visitsByKey.get(key) ?? [];
    list.push(r);
    visitsByKey.set(key, list);
  }

  // Passers-by: any enter in any zone is a false arrival.
  const flagged = new Set<string>();
  for (const d of detections)
    if (d.type === "enter" && roles.get(d.subjectId)?.role === "passer-by") flagged.add(d.subjectId);
  for (const [subject, info] of roles) {
    if (info.role !== "passer-by") continue;
    const stopped = info.pausedMs > 0;
    score.passers++;
    if (stopped) score.windowShoppers++;
    if (flagged.has(subject)) {
      score.passersFlagged++;
      if (stopped) score.windowShoppersFlagged++;
    }
  }

  for (const [key, dets] of detected) {
    const subject = key.slice(0, key.lastIndexOf("|"));
    if (roles.get(subject)?.role === "passer-by") continue;
    const visits = visitsByKey.get(key) ?? [];
    // Assign each detected visit to the true visit whose window holds its enter (nearest first).
    const assigned = new Map<VisitTruth, DetectedVisit[]>();
    for (const d of dets) {
      let best: VisitTruth | null = null;
      let bestGap = Number.POSITIVE_INFINITY;
      for (const v of visits) {
        if (d.enterAt < v.enterAt - BEFORE_MS || d.enterAt > v.leaveAt + AFTER_MS) continue;
        const gap =
          d.enterAt < v.enterAt ? v.enterAt - d.enterAt : d.enterAt > v.leaveAt ? d.enterAt - v.leaveAt : 0;
        if (gap < bestGap) {
          best = v;
          bestGap = gap;
        }
      }
      if (best === null) {
        score.spuriousEnters++;
        const role = roles.get(subject)?.role ?? "unknown";
        const zoneId = key.slice(key.lastIndexOf("|") + 1);
        const what = `${role === "fixed" ? `fixed:${fixtureName(subject)}` : role} ${zoneId}`;
        score.spuriousBy.set(what, (score.spuriousBy.get(what) ?? 0) + 1);
        continue;
      }
      const list = assigned.get(best) ?? [];
      list.push(d);
      assigned.set(best, list);
    }
    for (const v of visits) {
      if (v.role !== "shopper" || v.open) continue;
      const mine = assigned.get(v) ?? [];
      scoreVisit(v, mine, dets, score);
    }
  }
  // True shopper visits with no detection at all.
  for (const [key, visits] of visitsByKey) {
    if (detected.has(key)) continue;
    for (const v of visits) {
      if (v.role !== "shopper" || v.open) continue;
      scoreVisit(v, [], [], score);
    }
  }
}

/** The simulator's fixed beacons are minor 1, 2, 3 of their UUID, in the plan's order. */
function fixtureName(subject: string): string {
  const minor = Number(subject.slice(subject.lastIndexOf(":") + 1));
  return STORE_PLAN.fixedBeacons[minor - 1]?.name ?? subject;
}

function scoreVisit(
  v: VisitTruth,
  mine: readonly DetectedVisit[],
  all: readonly DetectedVisit[],
  total: Score,
): void {
  const score = zoneScore(total, v.zone);
  const long = v.durationMs >= LONG_VISIT_MS;
  const inTime = mine.filter((d) => d.enterAt <= v.leaveAt);
  // A visit already open from an earlier detection (the subject never left in the detector's eyes).
  const carried = all.some(
    (d) => d.enterAt < v.enterAt - BEFORE_MS && (d.exitAt === null || d.exitAt > v.enterAt),
  );
  const hit = inTime.length > 0 || carried;
  if (long) {
    score.longVisits++;
    if (hit) score.longDetected++;
  } else {
    score.shortVisits++;
    if (hit) score.shortDetected++;
  }
  if (!long || !hit) return;
  const first = inTime[0];
  if (first !== undefined) score.enterLatencyMs.push(first.enterAt - v.enterAt);
  const last = mine.at(-1);
  if (last !== undefined) {
    if (last.exitAt === null) score.exitCensored++;
    else score.exitLatencyMs.push(last.exitAt - v.leaveAt);
    score.flaps += mine.length - 1;
  }
}

function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

interface ZoneSummary {
  readonly recallLong: number;
  readonly longVisits: number;
  readonly recallShort: number;
  readonly shortVisits: number;
  readonly enterLatencyS: { readonly p50: number | null; readonly p95: number | null };
  readonly exitLatencyS: {
    readonly p50: number | null;
    readonly p95: number | null;
    readonly censored: number;
  };
  readonly flapsPerVisit: number;
  readonly flapsPer50Visits: number;
}

interface Summary {
  readonly rate: RateMode;
  readonly candidate: string;
  readonly label: string;
  readonly passersFlaggedPct: number;
  readonly passers: number;
  readonly walkersFlaggedPct: number;
  readonly windowShoppersFlaggedPct: number;
  readonly windowShoppers: number;
  readonly spuriousEntersPerHour: number;
  /** Per role and zone, per hour. */
  readonly spuriousPerHourBy: Readonly<Record<string, number>>;
  readonly zones: Readonly<Record<string, ZoneSummary>>;
}

const pct = (a: number, b: number): number => (b === 0 ? 0 : Math.round((1000 * a) / b) / 10);
const sec = (x: number | null): number | null => (x === null ? null : Math.round(x / 100) / 10);

function summarize(rate: RateMode, c: Candidate, s: Score): Summary {
  const zones: Record<string, ZoneSummary> = {};
  for (const [zoneId, z] of [...s.zones].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const detectedLong = Math.max(1, z.longDetected);
    zones[zoneId] = {
      recallLong: pct(z.longDetected, z.longVisits),
      longVisits: z.longVisits,
      recallShort: pct(z.shortDetected, z.shortVisits),
      shortVisits: z.shortVisits,
      enterLatencyS: {
        p50: sec(percentile(z.enterLatencyMs, 50)),
        p95: sec(percentile(z.enterLatencyMs, 95)),
      },
      exitLatencyS: {
        p50: sec(percentile(z.exitLatencyMs, 50)),
        p95: sec(percentile(z.exitLatencyMs, 95)),
        censored: z.exitCensored,
      },
      flapsPerVisit: Math.round((1000 * z.flaps) / detectedLong) / 1000,
      flapsPer50Visits: Math.round((500 * z.flaps) / detectedLong) / 10,
    };
  }
  return {
    rate,
    candidate: c.id,
    label: c.label,
    passersFlaggedPct: pct(s.passersFlagged, s.passers),
    passers: s.passers,
    walkersFlaggedPct: pct(s.passersFlagged - s.windowShoppersFlagged, s.passers - s.windowShoppers),
    windowShoppersFlaggedPct: pct(s.windowShoppersFlagged, s.windowShoppers),
    windowShoppers: s.windowShoppers,
    spuriousEntersPerHour: Math.round((10 * s.spuriousEnters) / Math.max(s.hours, 1e-9)) / 10,
    spuriousPerHourBy: Object.fromEntries(
      [...s.spuriousBy]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, n]) => [k, Math.round((10 * n) / Math.max(s.hours, 1e-9)) / 10]),
    ),
    zones,
  };
}

function markdown(head: readonly string[], lines: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const row = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [row(head), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...lines.map(row)].join("\n");
}

const secs = (x: number | null): string => (x === null ? "-" : `${x.toFixed(1)} s`);

/** Recall of visits longer than 20 s to one zone, as a table cell. */
const recallCell = (z: ZoneSummary | undefined): string =>
  z === undefined ? "-" : `${z.recallLong.toFixed(1)}% of ${z.longVisits}`;

/** Enter and exit latency and flaps of one zone's visits, as table cells. */
const visitCells = (z: ZoneSummary | undefined): string[] =>
  z === undefined
    ? ["-", "-", "-"]
    : [
        `${secs(z.enterLatencyS.p50)} / ${secs(z.enterLatencyS.p95)}`,
        `${secs(z.exitLatencyS.p50)} / ${secs(z.exitLatencyS.p95)}`,
        z.flapsPer50Visits.toFixed(1),
      ];

/** The arrival table: the store zone's visits, passers-by over every zone. */
function arrivalTable(rows: readonly Summary[], zoneId: string): string {
  return markdown(
    [
      "rate",
      "detector",
      "recall ≥20 s",
      "passers-by flagged (walking / at window)",
      "enter latency p50 / p95",
      "exit latency p50 / p95",
      "flaps per 50 visits",
      "spurious enters / h",
      "recall <20 s",
    ],
    rows.map((r) => {
      const z = r.zones[zoneId];
      return [
        r.rate,
        r.label,
        recallCell(z),
        `${r.passersFlaggedPct.toFixed(1)}% of ${r.passers} (${r.walkersFlaggedPct.toFixed(1)}% / ${r.windowShoppersFlaggedPct.toFixed(1)}%)`,
        ...visitCells(z),
        r.spuriousEntersPerHour.toFixed(1),
        z === undefined ? "-" : `${z.recallShort.toFixed(0)}% of ${z.shortVisits}`,
      ];
    }),
  );
}

/** Visits to one zone only. */
function zoneTable(rows: readonly Summary[], zoneId: string): string {
  return markdown(
    [
      "rate",
      "detector",
      "recall ≥20 s",
      "enter latency p50 / p95",
      "exit latency p50 / p95",
      "flaps per 50 visits",
    ],
    rows.map((r) => {
      const z = r.zones[zoneId];
      return [
        r.rate,
        r.label,
        recallCell(z),
        ...visitCells(z),
      ];
    }),
  );
}

/**
 * How long the oracle asks a level to hold, ms: 5 s is the engine's 5 samples at one per second; the
 * longer holds show what waiting longer before an enter could buy.
 */
const ORACLE_HOLDS_MS = [5000, 10_000, 20_000] as const;

/**
 * The separability the radio model leaves, per subject: the best level of mean received power
 * (path loss, shadowing, power spread, body loss; no fading, no temporal variation, no packet loss)
 * held for each of {@link ORACLE_HOLDS_MS} at the store zone's gateway, within a shopper's visit or along a
 * passer-by's whole walk. A detector that knew each advert's mean power exactly and entered when it
 * held above a threshold would flag exactly the subjects whose level reaches the threshold.
 */
interface OracleLevels {
  readonly visits: number[];
  readonly walkers: number[];
  readonly windowShoppers: number[];
}

/**
 * `pooled`: the level is the mean, in dBm, over every gateway of the plan, with the same weight
 * each, instead of the zone's own gateway's. A threshold on it is a threshold on the engine's
 * pooled enter test (the mean excess over each gateway's reference distance differs from it by a
 * constant), so this bounds the fused engine as the single-gateway level bounds the lone one.
 */
function oracleLevels(
  sim: Simulation,
  zoneId: string,
  levels: ReadonlyMap<number, OracleLevels>,
  pooled: boolean,
): void {
  const zone = sim.plan.zones.find((z) => z.id === zoneId);
  const gateway = sim.plan.gateways.find((g) => g.id === zone?.gatewayId);
  if (zone === undefined || gateway === undefined) return;
  const gateways = pooled ? sim.plan.gateways : [gateway];
  const bySubject = new Map(sim.advertisers.map((a) => [a.subjectId, a]));
  /** Per hold: the best level held that long, dBm, over [from, to] sampled each second. */
  const held = (subject: string, from: number, to: number): Map<number, number> => {
    const out = new Map<number, number>();
    const a = bySubject.get(subject);
    const series: number[] = [];
    for (let t = from; a !== undefined && t <= to; t += 1000) {
      const pose = a.trajectory.at(t);
      let sum = 0;
      for (const g of gateways) sum += pose === null ? Number.NEGATIVE_INFINITY : sim.radio.meanRssiDbm(a.tx, pose, g);
      series.push(sum / gateways.length);
    }
    for (const holdMs of ORACLE_HOLDS_MS) {
      const span = holdMs / 1000;
      let best = Number.NEGATIVE_INFINITY;
      for (let i = 0; i + span < series.length; i++) {
        let low = Number.POSITIVE_INFINITY;
        for (let k = i; k <= i + span; k++) low = Math.min(low, series[k] ?? Number.NEGATIVE_INFINITY);
        best = Math.max(best, low);
      }
      out.set(holdMs, best);
    }
    return out;
  };
  const add = (pick: (l: OracleLevels) => number[], values: Map<number, number>): void => {
    for (const [holdMs, value] of values) {
      const l = levels.get(holdMs);
      if (l !== undefined) pick(l).push(value);
    }
  };
  for (const r of sim.truth) {
    if (
      r.kind === "visit" &&
      r.role === "shopper" &&
      r.zone === zoneId &&
      !r.open &&
      r.durationMs >= LONG_VISIT_MS
    ) {
      add((l) => l.visits, held(r.subject, r.enterAt, r.leaveAt));
    } else if (r.kind === "subject" && r.role === "passer-by") {
      add((l) => (r.pausedMs > 0 ? l.windowShoppers : l.walkers), held(r.subject, r.firstAt, r.lastAt));
    }
  }
}

interface OracleBound {
  readonly holdMs: number;
  /** Mean over every gateway rather than the zone's own. */
  readonly pooled: boolean;
  readonly visits: number;
  readonly passers: number;
  /** Best threshold keeping recall ≥ 99%: the passers-by it flags. */
  readonly atRecall99: {
    readonly thresholdDbm: number;
    readonly recallPct: number;
    readonly flaggedPct: number;
  };
  /** Best threshold keeping passers-by flagged ≤ 1%: the recall it keeps. */
  readonly atFlagged1: {
    readonly thresholdDbm: number;
    readonly recallPct: number;
    readonly flaggedPct: number;
  };
}

function oracleBound(holdMs: number, levels: OracleLevels, pooled: boolean): OracleBound {
  const passers = [...levels.walkers, ...levels.windowShoppers];
  const at = (threshold: number): { thresholdDbm: number; recallPct: number; flaggedPct: number } => ({
    thresholdDbm: threshold,
    recallPct: pct(levels.visits.filter((x) => x >= threshold).length, levels.visits.length),
    flaggedPct: pct(passers.filter((x) => x >= threshold).length, passers.length),
  });
  let atRecall99 = at(-120);
  let atFlagged1 = at(0);
  for (let threshold = -110; threshold <= -40; threshold += 0.5) {
    const point = at(threshold);
    if (point.recallPct >= 99) atRecall99 = point;
    if (point.flaggedPct <= 1 && atFlagged1.flaggedPct > 1) atFlagged1 = point;
    else if (point.flaggedPct <= 1 && point.recallPct > atFlagged1.recallPct) atFlagged1 = point;
  }
  return { holdMs, pooled, visits: levels.visits.length, passers: passers.length, atRecall99, atFlagged1 };
}

async function main(): Promise<void> {
  const o = options();
  sequentialOverride = o.sequential;
  pooledDepthOverride = o.pooledDepth;
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), "arrival-presence-bench-"));
  const summaries: Summary[] = [];
  const sweeps: Summary[] = [];
  let tunedLabel = "";
  const surveyLog: string[] = [];
  let fusedLabel = "";
  const newLevels = (): Map<number, OracleLevels> =>
    new Map(ORACLE_HOLDS_MS.map((h) => [h, { visits: [], walkers: [], windowShoppers: [] }]));
  const levels = newLevels();
  const pooledLevels = newLevels();
  try {
    const candidates = CANDIDATES.filter((c) => o.only.length === 0 || o.only.includes(c.id));
    const lastSeed = o.firstSeed + o.seeds - 1;
    for (const rate of o.rates) {
      const scores = new Map<CandidateId, Score>(CANDIDATES.map((c) => [c.id, emptyScore()]));
      const sweepScores = new Map<string, Score>();
      for (let seed = o.firstSeed; seed <= lastSeed; seed++) {
        const sim: Simulation = simulateStore({
          seed,
          minutes: o.minutes,
          rate,
          radio: { shadowingDb: o.shadowingDb, storefrontDb: o.storefrontDb, gatewayOffsetDb: o.gatewayOffsetDb },
          txSpreadDb: o.txSpreadDb,
          plan: planOf(o),
          ...simTuning(o.storefrontDb),
          zoneExitMarginM: o.zoneExitMarginM,
        });
        // The population and the radio's mean levels do not depend on the rate: one oracle per seed.
        if (rate === o.rates[0]) {
          oracleLevels(sim, ARRIVAL_ZONE, levels, false);
          oracleLevels(sim, ARRIVAL_ZONE, pooledLevels, true);
        }
        const written = await writeSimulation(sim, join(dir, `${rate}-${seed}`));
        const tuned = configOf(sim.config);
        tunedLabel = sweepKey(tunedPoint(tuned));
        const fusedTuning = simFusedTuning(o.storefrontDb);
        const fusedDocument = (point: SweepPoint | null): Record<string, unknown> => ({
          ...sim.config,
          ...surveyedSites(sim.plan),
          zones: sim.plan.zones.map((z) => ({
            id: z.id,
            shape: "gateway-radius",
            gatewayId: z.gatewayId,
            radiusM:
              z.id === ARRIVAL_ZONE && point !== null
                ? point.radiusM
                : (fusedTuning.configuredRadiusM[z.id] ?? z.radiusM),
            ...ownExitMargin(o.zoneExitMarginM, z.id),
          })),
          presence:
            point === null
              ? fusedTuning.presence
              : {
                  ...fusedTuning.presence,
                  enterMinSamples: point.enterMinSamples,
                  enterWindowMs: point.enterWindowMs,
                  exitMarginM: point.exitMarginM,
                  exitAfterMs: point.exitAfterMs,
                },
        });
        const fused = configOf(fusedDocument(null));
        fusedLabel = sweepKey(tunedPoint(fused));
        const defaults = configOf({
          ...sim.config,
          presence: {},
          zones: sim.plan.zones.map((z) => ({
            id: z.id,
            shape: "gateway-radius",
            gatewayId: z.gatewayId,
            radiusM: z.radiusM,
          })),
        });
        const surveyed = candidates.some((c) => c.id === "engine-surveyed" || c.id === "engine-surveyed-fused")
          ? surveyedConfigs(sim, seed, defaults, o.surveyMarginsDb, o.surveyPeers, surveyLog)
          : { alone: defaults, pooled: defaults };
        const tillLearned = candidates.some((c) => c.id === "engine-till-learned")
          ? tillLearnedConfig(sim, seed, defaults, o, surveyLog)
          : defaults;
        const insideLearned = candidates.some((c) => c.id === "engine-inside-learned" || c.id === "engine-inside-learned-fused")
          ? insideLearnedConfigs(sim, seed, defaults, o, surveyLog)
          : { alone: defaults, pooled: defaults };
        const warm = o.trafficWarmupMin > 0 ? warmUpOf(sim, seed, rate, o) : null;
        const warmCapture = warm === null ? null : await writeSimulation(warm, join(dir, `${rate}-${seed}-warm`));
        const bounded = async (name: string, config: GatewayConfig): Promise<GatewayConfig> => {
          if (warm === null || warmCapture === null) return config;
          const entered = new Set<string>();
          if (o.trafficExclude === "entered")
            for (const d of await runEngine(config, warmCapture.capturePath)) if (d.type === "enter") entered.add(d.subjectId);
          return trafficBoundConfig(config, trafficBounds(warm, entered, name, seed, o, surveyLog));
        };
        const zones = tuned.zones;
        const truePower =
          o.oracleTx === null
            ? null
            : [...truePowerOf(sim, seed, o.oracleTx)].map(([subject, measuredPowerDbm]) => ({ subject, measuredPowerDbm }));
        const engineRun = (config: GatewayConfig): Promise<Detection[]> =>
          runEngine(truePower === null ? config : { ...config, beacons: { ...config.beacons, calibration: truePower } }, written.capturePath);
        const runs: Record<CandidateId, () => Promise<Detection[]>> = {
          "engine-defaults": () => engineRun(defaults),
          "engine-tuned": () => engineRun(tuned),
          "engine-fused": () => engineRun(fused),
          "engine-surveyed": async () => engineRun(await bounded("engine-surveyed", surveyed.alone)),
          "engine-surveyed-fused": async () => engineRun(await bounded("engine-surveyed-fused", surveyed.pooled)),
          "engine-till-learned": () => engineRun(tillLearned),
          "engine-inside-learned": async () => engineRun(await bounded("engine-inside-learned", insideLearned.alone)),
          "engine-inside-learned-fused": async () => engineRun(await bounded("engine-inside-learned-fused", insideLearned.pooled)),
          "raw-threshold": () =>
            runDetector(
              new RawThresholdDetector({ zones, pathLossExponent: tuned.presenceTuning.pathLossExponent }),
              written.capturePath,
            ),
          kalman: () => runDetector(new KalmanThresholdDetector({ zones }), written.capturePath),
          "kalman-room-assistant": () =>
            runDetector(
              new KalmanThresholdDetector({ zones, ...ROOM_ASSISTANT_BLE_KALMAN }),
              written.capturePath,
            ),
        };
        const hours = o.minutes / 60;
        for (const c of candidates) {
          const detections = await runs[c.id]();
          const score = scores.get(c.id);
          if (score !== undefined) scoreRun(sim.truth, detections, hours, score);
        }
        if (o.sweep !== null) {
          // The sweep varies the fused engine (every gateway), the configuration this bench tunes.
          for (const point of sweepGrid(o.sweep, tunedPoint(fused))) {
            const config = configOf(fusedDocument(point));
            const key = sweepKey(point);
            const score = sweepScores.get(key) ?? emptyScore();
            sweepScores.set(key, score);
            scoreRun(sim.truth, await runEngine(config, written.capturePath), hours, score);
          }
        }
        await rm(join(dir, `${rate}-${seed}`), { recursive: true, force: true });
        await rm(join(dir, `${rate}-${seed}-warm`), { recursive: true, force: true });
        process.stderr.write(
          `bench: rate ${rate} seed ${seed} (${seed - o.firstSeed + 1}/${o.seeds}): ${written.adverts.toLocaleString("en")} adverts (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
        );
      }
      for (const c of candidates) {
        const score = scores.get(c.id);
        if (score === undefined) continue;
        const label =
          c.id === "engine-tuned"
            ? `arrival engine, tuned: ${tunedLabel}`
            : c.id === "engine-fused"
              ? `arrival engine, every gateway: ${fusedLabel}`
              : c.label;
        summaries.push(summarize(rate, { ...c, label }, score));
      }
      for (const [label, score] of sweepScores)
        sweeps.push(summarize(rate, { id: "engine-tuned", label }, score));
      // Each rate's table as soon as it is done: a long run shows its results as it goes.
      process.stderr.write(
        `${arrivalTable(
          summaries.filter((r) => r.rate === rate),
          ARRIVAL_ZONE,
        )}\n`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const oracle = [
    ...[...levels].map(([holdMs, l]) => oracleBound(holdMs, l, false)),
    ...[...pooledLevels].map(([holdMs, l]) => oracleBound(holdMs, l, true)),
  ];
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}`;
  const command = `npx tsx scripts/bench/presence.ts --seeds ${o.seeds} --first-seed ${o.firstSeed}${o.only.length > 0 ? ` --only ${o.only.join(",")}` : ""} --minutes ${o.minutes} --rates ${o.rates.join(",")} --shadowing-db ${o.shadowingDb} --storefront-db ${o.storefrontDb} --tx-spread-db ${o.txSpreadDb}${o.gatewayOffsetDb === 0 ? "" : ` --gateway-offset-db ${o.gatewayOffsetDb}`}${o.only.includes("engine-till-learned") ? ` --till-visits ${o.tillVisits}` : ""}${o.only.some((c) => c === "engine-inside-learned" || c === "engine-inside-learned-fused") ? ` --inside-visits ${o.insideVisits}${o.insidePercentile === null ? "" : ` --inside-percentile ${o.insidePercentile}`}${insideFlags(o)}` : ""}${o.surveyMarginsDb === null ? "" : ` --survey-margins-db ${o.surveyMarginsDb.inside},${o.surveyMarginsDb.outside}${o.surveyMarginsDb.boundQuantile === undefined ? "" : `,${o.surveyMarginsDb.boundQuantile}`}${o.surveyMarginsDb.maxShrinkDb === undefined ? "" : `,${o.surveyMarginsDb.maxShrinkDb}`}`}${o.surveyPeers === null ? "" : ` --survey-peers ${o.surveyPeers === "off" ? "off" : `${o.surveyPeers.quantile},${o.surveyPeers.marginDb}`}`}${o.extraGateway === null ? "" : ` --extra-gateway ${o.extraGateway.x},${o.extraGateway.y}`}${Object.keys(o.zoneExitMarginM).length === 0 ? "" : ` --zone-exit-margin ${Object.entries(o.zoneExitMarginM).map(([z, m]) => `${z}=${m}`).join(",")}`}${o.sweep === null ? "" : ` --sweep ${o.sweep}`}${o.sequential === null ? "" : ` --sequential ${o.sequential.offsetDb},${o.sequential.capDb},${o.sequential.thresholdDb}`}${o.pooledDepth === null ? "" : ` --pooled-depth ${o.pooledDepth === "off" ? "off" : `${o.pooledDepth.depthDb},${o.pooledDepth.holdMs}`}`}${o.oracleTx === null ? "" : ` --oracle-tx ${o.oracleTx}`}${o.trafficWarmupMin > 0 ? ` --traffic-warmup ${o.trafficWarmupMin}${o.trafficExclude === "none" ? " --traffic-exclude none" : ""}` : ""}${o.traffic === null ? "" : ` --traffic ${o.traffic.tailZ === 0 ? "" : "z"}${[o.traffic.tailZ === 0 ? o.traffic.quantile : o.traffic.tailZ, o.traffic.marginDb, o.traffic.approachSeconds, o.traffic.approachWindowMs, o.traffic.maxTrackMs].filter((x) => x !== undefined).join(",")}`}`;
  const report = [
    command,
    `${machine}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
    "",
    `Arrival: zone "${ARRIVAL_ZONE}" (passers-by and spurious enters: every zone)`,
    "",
    arrivalTable(summaries, ARRIVAL_ZONE),
    "",
    "Spurious enters per hour, by role and zone (enters that belong to no true visit):",
    "",
    markdown(
      ["rate", "detector", "per hour"],
      summaries.map((r) => [
        r.rate,
        r.label,
        Object.entries(r.spuriousPerHourBy)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "-",
      ]),
    ),
    "",
    `Zone "till" (2 m around the till's gateway)`,
    "",
    zoneTable(summaries, "till"),
    "",
    `Oracle: a threshold on the exact mean received power (no fading, no temporal variation, no loss) at gw-floor, or averaged over every gateway, held H s:`,
    "",
    markdown(
      [
        "power at",
        "hold H",
        "threshold for recall ≥ 99%",
        "recall",
        "passers-by flagged",
        "threshold for flagged ≤ 1%",
        "recall",
        "passers-by flagged",
      ],
      oracle.map((b) => [
        b.pooled ? "mean of every gateway" : "gw-floor",
        `${b.holdMs / 1000} s`,
        `${b.atRecall99.thresholdDbm} dBm`,
        `${b.atRecall99.recallPct}% of ${b.visits}`,
        `${b.atRecall99.flaggedPct}% of ${b.passers}`,
        `${b.atFlagged1.thresholdDbm} dBm`,
        `${b.atFlagged1.recallPct}%`,
        `${b.atFlagged1.flaggedPct}%`,
      ]),
    ),
    "",
  ];
  if (surveyLog.length > 0) report.push("Site surveys, till and inside learning (engine-surveyed, engine-till-learned, engine-inside-learned[-fused]):", "", ...surveyLog.map((l) => `- ${l}`), "");
  if (sweeps.length > 0) report.push(`Sweep (${o.sweep}):`, "", arrivalTable(sweeps, ARRIVAL_ZONE), "");
  process.stdout.write(`${report.join("\n")}\n`);
  const json = JSON.stringify(
    {
      command,
      machine,
      options: o,
      tuned: simTuning(o.storefrontDb),
      fused: simFusedTuning(o.storefrontDb),
      results: summaries,
      surveys: surveyLog,
      oracle,
      sweep: sweeps,
    },
    null,
    2,
  );
  if (o.json !== undefined) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(o.json, `${json}\n`);
  } else {
    process.stdout.write(`${json}\n`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
