/**
 * The simulated shop's store zone learned from inside labels, as a gateway with `insideLearning`
 * learns it (gateway/src/services/InsideCalibration.ts), for the presence bench
 * (`engine-inside-learned`, `engine-inside-learned-fused`) and its diagnostics (presenceFlagged.ts).
 */
import type { GatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { HeardMemory } from "../../gateway/src/domain/calibration/HeardMemory.js";
import {
  approachBoundDb,
  emptyInsideLearner,
  INSIDE_LEARNER_DEFAULTS,
  type InsideLearnerOptions,
  insideSample,
  insideTarget,
  learnInside,
  peerTargets,
  rawThresholdDb,
  runningEdgeLoss,
  runningPeerEdges,
  stepInside,
} from "../../gateway/src/domain/calibration/insideLearner.js";
import { DEFAULT_MAX_DISTANCE_M } from "../../gateway/src/domain/signal/distanceFromRssi.js";
import { learnedZone } from "../../gateway/src/services/InsideCalibration.js";
import { distance, gatewayOf } from "../sim/floorPlan.js";
import { simulateInsideVisits } from "../sim/insideVisits.js";
import type { Simulation } from "../sim/simulateStore.js";

const DAY_MS = 86_400_000;
/** The zone learned: the store's floor. */
const ZONE = "store";

export interface InsideShopOptions {
  /** Inside labels, one a day before the capture. */
  readonly visits: number;
  readonly txSpreadDb: number;
  /** scripts/sim/insideVisits.ts's `doorShare` and `followMs` (its defaults when absent). */
  readonly doorShare?: number;
  readonly followMs?: number;
  /** Over INSIDE_LEARNER_DEFAULTS. */
  readonly learner?: InsideLearnerOptions;
  /** A fixed raw edge loss instead of the learned one (an oracle sweep), dB. */
  readonly edgeDb?: number;
}

export interface InsideLearnedShop {
  /** The store zone's edge loss to run with, dB (offsets stay 0: the gateways' error is in it). */
  readonly edgeLossDb: number;
  /** gw-till's reference in the zone's pooled test, learned; empty while the geometry's runs. */
  readonly peerEdges: readonly { readonly gatewayId: string; readonly edgeLossDb: number }[];
  /** What was learned, for the bench's log. */
  readonly note: string;
}

/**
 * Learns the store zone from `o.visits` inside labels, one a day before the capture
 * (scripts/sim/insideVisits.ts): the zone's gateway keeps what it and every other gateway heard of
 * the member (the others' sightings as they reach it over the store LAN), takes each label's
 * sample, learns with the learner's rules (nothing before `minLabels`, a step a day), then steps at
 * the capture's start. Never surveyed; the peers start from the geometry's reference (the distance
 * between the gateways plus the radius), as PresenceEngine sets it.
 */
export function learnInsideShop(sim: Simulation, seed: number, pathLossExponent: number, o: InsideShopOptions): InsideLearnedShop {
  const visits = simulateInsideVisits(sim.plan, sim.radio, {
    seed,
    startAt: sim.startAt - o.visits * DAY_MS,
    visits: o.visits,
    txSpreadDb: o.txSpreadDb,
    ...(o.doorShare === undefined ? {} : { doorShare: o.doorShare }),
    ...(o.followMs === undefined ? {} : { followMs: o.followMs }),
  });
  const options = { ...INSIDE_LEARNER_DEFAULTS, ...o.learner };
  const zone = sim.plan.zones.find((z) => z.id === ZONE);
  if (zone === undefined) throw new Error(`the plan has no zone ${ZONE}`);
  const n10 = 10 * pathLossExponent;
  const drawn = n10 * Math.log10(zone.radiusM);
  const own = gatewayOf(sim.plan, zone.gatewayId).position;
  const basePeerEdgesDb = Object.fromEntries(
    sim.plan.gateways.filter((g) => g.id !== zone.gatewayId).map((g) => [g.id, n10 * Math.log10(distance(own, g.position) + zone.radiusM)]),
  );
  const memories = new Map(sim.plan.gateways.map((g) => [g.id, new HeardMemory()]));
  const context = (now: number) => ({ baseEdgeLossDb: drawn, offsetDb: 0, surveyedAt: null, now, basePeerEdgesDb });
  let state = emptyInsideLearner(zone.id);
  let refused = 0;
  for (const v of visits) {
    for (const h of v.heard) memories.get(h.gatewayId)?.record("app:member", h.t, h.rssiDbm, -59);
    const from = v.at + Math.min(options.fromMs, options.approachFromMs);
    const to = v.at + Math.max(options.toMs, options.approachToMs);
    const peers = Object.fromEntries([...memories].filter(([id]) => id !== zone.gatewayId).map(([id, m]) => [id, m.heard("app:member", from, to)]));
    const sample = insideSample(memories.get(zone.gatewayId)?.heard("app:member", from, to) ?? [], v.at, -59, options, peers);
    if (!sample.ok) {
      refused++;
      continue;
    }
    const r = learnInside(state, sample.sample, context(v.at), options);
    state = r.state;
    if (!r.accepted) refused++;
  }
  state = stepInside(state, context(sim.startAt), options);
  const edgeLossDb = o.edgeDb ?? runningEdgeLoss(state, drawn, null);
  const peerEdges = runningPeerEdges(state, null);
  const where = ["door", "floor", "till"].map((w) => `${visits.filter((v) => v.where === w).length} ${w}`).join(", ");
  const peerNote = peerTargets(state, 0, {}, options, basePeerEdgesDb)
    .map((t) => `${t.gatewayId} ${peerEdges.find((p) => p.gatewayId === t.gatewayId)?.edgeLossDb ?? "none"} dB (geometry ${basePeerEdgesDb[t.gatewayId]?.toFixed(1)}, target ${t.edgeLossDb}, ${t.labels} labels)`)
    .join(", ");
  const note = `${zone.id}: edge ${edgeLossDb.toFixed(1)} dB (drawn ${drawn.toFixed(1)}, target ${insideTarget(state, 0, options) ?? "none"}, percentile ${rawThresholdDb(state.samples, options.percentile)?.toFixed(1) ?? "none"}, approach bound ${approachBoundDb(state.samples, options)?.toFixed(1) ?? "none"} from ${state.samples.filter((s) => s.approachLossesDb !== undefined).length} walking in) from ${state.samples.length} labels (${where})${refused > 0 ? `, ${refused} refused` : ""}; pooled peers: ${peerNote === "" ? "none" : peerNote}`;
  return { edgeLossDb, peerEdges, note };
}

/**
 * `config` (the defaults at the zones' drawn size; with every gateway's position when pooled) with
 * the store zone as the gateway runs it after learning (InsideCalibration's `learnedZone`): the
 * edge loss, the peers' references when `pooled`, the exit margin scaled with the reach unless
 * `exitBand` is false (the margin kept in metres, as before the scaling).
 */
export function insideLearnedConfig(config: GatewayConfig, sim: Simulation, learned: InsideLearnedShop, pooled: boolean, exitBand: boolean): GatewayConfig {
  const n = config.presenceTuning.pathLossExponent;
  return {
    ...config,
    zones: config.zones.map((z) => {
      const drawnZone = sim.plan.zones.find((p) => p.id === z.id);
      if (z.id !== ZONE || drawnZone === undefined || z.shape !== "gateway-radius") return z;
      const peerEdges = pooled ? learned.peerEdges : [];
      if (!exitBand) return { ...z, edgeLossDb: learned.edgeLossDb, ...(peerEdges.length === 0 ? {} : { peerEdges: [...peerEdges] }) };
      return learnedZone(z, { edgeLossDb: learned.edgeLossDb, peerEdges }, {
        baseEdgeLossDb: 10 * n * Math.log10(drawnZone.radiusM),
        exitMarginM: config.presenceTuning.exitMarginM,
        pathLossExponent: n,
        maxDistanceM: DEFAULT_MAX_DISTANCE_M,
      });
    }),
  };
}
