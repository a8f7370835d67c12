/**
 * One simulated shop, surveyed and pooled as `engine-surveyed-fused` of scripts/bench/presence.ts
 * runs it, replayed through the gateway's scan pipeline with hooks for diagnostics that read the
 * engine as it decides (scripts/bench/presenceFlagged.ts, presenceGatewayDifference.ts).
 */
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type ReplayStep, ReplayTimeline } from "../../gateway/src/adapters/replay/ReplayTimeline.js";
import { readCaptureBatches } from "../../gateway/src/adapters/replay/readCapture.js";
import { type SurveyRecording, surveySamples } from "../../gateway/src/adapters/replay/surveyCapture.js";
import { applySurvey } from "../../gateway/src/config/applySurvey.js";
import { type GatewayConfig, parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { decodeAdvertisement } from "../../gateway/src/domain/advert/index.js";
import type { PresenceEngine } from "../../gateway/src/domain/presence/PresenceEngine.js";
import {
  calibrateSurvey,
  type SurveyCalibration,
  type SurveySample,
} from "../../gateway/src/domain/survey/siteSurvey.js";
import { measuredPowerAt1m, ScanPipeline } from "../../gateway/src/services/ScanPipeline.js";
import type { Logger, UnsequencedEvent } from "../../gateway/src/services/ports.js";
import { STORE_PLAN } from "../sim/floorPlan.js";
import { normal, streamOf } from "../sim/rng.js";
import { type Simulation, type SubjectTruth, simulateStore, surveyedSites, writeSimulation } from "../sim/simulateStore.js";
import { simulateSurvey } from "../sim/survey.js";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** The options every diagnostic of the surveyed shop takes. */
export interface ShopOptions {
  readonly firstSeed: number;
  readonly seeds: number;
  readonly minutes: number;
  readonly shadowingDb: number;
  readonly storefrontDb: number;
  readonly gatewayOffsetDb: number;
}

/**
 * `--first-seed 11 --seeds 5 --minutes 30 --shadowing-db 6 --storefront-db 6 --gateway-offset-db=0`
 * (the defaults shown) and the booleans a diagnostic adds, each false unless given.
 */
export function shopArgs<K extends string>(flags: readonly K[]): ShopOptions & Record<K, boolean> {
  const { values } = parseArgs({
    options: {
      "first-seed": { type: "string" },
      seeds: { type: "string" },
      minutes: { type: "string" },
      "shadowing-db": { type: "string" },
      "storefront-db": { type: "string" },
      "gateway-offset-db": { type: "string" },
      ...Object.fromEntries(flags.map((f) => [f, { type: "boolean" as const }])),
    },
  });
  const text = values as Record<string, string | boolean | undefined>;
  const num = (key: string, fallback: number): number => {
    const v = text[key];
    return typeof v === "string" ? Number(v) : fallback;
  };
  return {
    firstSeed: num("first-seed", 11),
    seeds: num("seeds", 5),
    minutes: num("minutes", 30),
    shadowingDb: num("shadowing-db", 6),
    storefrontDb: num("storefront-db", 6),
    gatewayOffsetDb: num("gateway-offset-db", 0),
    ...(Object.fromEntries(flags.map((f) => [f, text[f] === true])) as Record<K, boolean>),
  };
}

export interface SurveyedShop {
  readonly sim: Simulation;
  readonly recording: SurveyRecording;
  /** The reference beacon's samples as the survey read them. */
  readonly samples: readonly SurveySample[];
  /** What the survey learned (with `peerEdges`, unless `geometric`). */
  readonly calibration: SurveyCalibration;
  /** The defaults' config after the survey, every gateway's position known (pooled). */
  readonly config: GatewayConfig;
}

/**
 * One seed's shop at 1 advert/s, walked by the simulated surveyor before opening, and the defaults'
 * config after its survey; `geometric` drops the peers' surveyed edges (the pooled test on geometry).
 */
export function surveyedShop(o: ShopOptions, seed: number, geometric = false): SurveyedShop {
  const sim = simulateStore({
    seed,
    minutes: o.minutes,
    rate: "1hz",
    radio: { shadowingDb: o.shadowingDb, storefrontDb: o.storefrontDb, gatewayOffsetDb: o.gatewayOffsetDb },
    txSpreadDb: 3,
    plan: STORE_PLAN,
  });
  const recording = simulateSurvey(sim.plan, sim.radio, { seed, startAt: sim.startAt - 15 * 60_000 });
  const samples = surveySamples(recording, "gw-floor");
  const outcome = calibrateSurvey(
    samples,
    sim.plan.zones.map((z) => ({ id: z.id, gatewayId: z.gatewayId, radiusM: z.radiusM })),
    { pathLossExponent: 2.2 },
  );
  if (!outcome.ok) throw new Error(outcome.message);
  const document = {
    ...sim.config,
    presence: {},
    zones: sim.plan.zones.map((z) => ({ id: z.id, shape: "gateway-radius", gatewayId: z.gatewayId, radiusM: z.radiusM })),
    ...surveyedSites(sim.plan),
  };
  const calibration = geometric
    ? { ...outcome.calibration, zones: outcome.calibration.zones.map((z) => ({ ...z, peers: [] })) }
    : outcome.calibration;
  const parsed = parseGatewayConfig(applySurvey(document, calibration).document);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return { sim, recording, samples, calibration, config: parsed.config };
}

/** The defaults' config of the shop at the zones' drawn size, every gateway's position known (pooled), not surveyed. */
export function pooledDefaults(sim: Simulation): GatewayConfig {
  const parsed = parseGatewayConfig({
    ...sim.config,
    presence: {},
    zones: sim.plan.zones.map((z) => ({ id: z.id, shape: "gateway-radius", gatewayId: z.gatewayId, radiusM: z.radiusM })),
    ...surveyedSites(sim.plan),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

/**
 * Each simulated subject's power at 1 m, keyed as the engine's `calibration` (lowercase subject
 * id): what it advertises plus how much hotter it transmits (the simulator's `txOffsetDb`), plus a
 * normal error of `errorDb` (standard deviation) drawn per subject from the seed.
 */
export function truePowerOf(sim: Simulation, seed: number, errorDb: number): Map<string, number> {
  const random = streamOf(seed, "oracle-tx");
  const out = new Map<string, number>();
  for (const a of sim.advertisers) {
    const beacon = decodeAdvertisement(a.data);
    const advertised = beacon === null ? null : measuredPowerAt1m(beacon);
    if (advertised === null) continue;
    const error = errorDb * normal(random);
    out.set(a.subjectId.toLowerCase(), Math.round((advertised + a.tx.txOffsetDb + error) * 100) / 100);
  }
  return out;
}

/** What a diagnostic sees of the replay: every event batch, and every tick after the engine's. */
export interface ReplayHooks {
  readonly onEvents: (events: readonly UnsequencedEvent[]) => void;
  readonly onTick?: (t: number) => void;
}

/** Writes the shop's capture under `dir`, replays it through `engine` on the replay's schedule, removes it. */
export async function replayShop(shop: SurveyedShop, engine: PresenceEngine, dir: string, hooks: ReplayHooks): Promise<void> {
  const written = await writeSimulation(shop.sim, dir);
  let now = 0;
  const pipeline = new ScanPipeline({
    storeId: shop.config.storeId,
    gatewayId: shop.config.gatewayId,
    source: { start: async () => {}, stop: async () => {} },
    engine,
    clock: { now: () => now },
    log: silent,
    sink: (events) => {
      hooks.onEvents(events);
      return Promise.resolve();
    },
  });
  const timeline = new ReplayTimeline({ idle: () => engine.trackedSubjects === 0 });
  const step = (s: ReplayStep): void => {
    if (s.kind === "tick") {
      now = s.t;
      pipeline.tick(s.t);
      hooks.onTick?.(s.t);
    } else {
      now = s.advert.t;
      pipeline.onAdvert(s.advert);
    }
  };
  for await (const batch of readCaptureBatches(createReadStream(written.capturePath)))
    for (const entry of batch) if ("advert" in entry) timeline.push(entry.advert, step);
  timeline.finish(step);
  await rm(dir, { recursive: true, force: true });
}

/** The simulator's truth by subject: each subject's record, and its true stays per `subject|zone`. */
export function truthOf(sim: Simulation): {
  readonly subjects: ReadonlyMap<string, SubjectTruth>;
  readonly visits: ReadonlyMap<string, readonly { readonly enterAt: number; readonly leaveAt: number }[]>;
} {
  const subjects = new Map<string, SubjectTruth>();
  const visits = new Map<string, { enterAt: number; leaveAt: number }[]>();
  for (const r of sim.truth) {
    if (r.kind === "subject") subjects.set(r.subject, r);
    else {
      const key = `${r.subject}|${r.zone}`;
      visits.set(key, [...(visits.get(key) ?? []), { enterAt: r.enterAt, leaveAt: r.leaveAt }]);
    }
  }
  return { subjects, visits };
}
