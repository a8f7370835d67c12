import { decodeGatewayMessage, formatProblems, type LearnedZone, type Zone } from "../../../protocol/index.js";
import { HeardMemory, type HeardMemoryOptions } from "../domain/calibration/HeardMemory.js";
import {
  emptyInsideLearner,
  type InsideContext,
  INSIDE_LEARNER_DEFAULTS,
  type InsideLearnerOptions,
  type InsideLearnerState,
  type InsideRefusal,
  type InsideSample,
  insideSample,
  insideTarget,
  learnInside,
  runningEdgeLoss,
  runningPeerEdges,
  stepInside,
} from "../domain/calibration/insideLearner.js";
import { type PresenceEngineOptions, RECOMMENDED_PRESENCE_TUNING } from "../domain/presence/PresenceEngine.js";
import { geoDistanceM, isValidGeoPoint } from "../domain/zones/geofence.js";
import type { Clock, Logger, Scheduler, TimerHandle } from "./ports.js";

/** Labels waiting for their window's seconds to be heard, at most; past that one is taken at once. */
const MAX_WAITING_LABELS = 100;

/**
 * The edge loss `zoneId` runs with under `options` when nothing is learned: its `edgeLossDb` (the
 * survey's), else the loss at its drawn radius under the engine's path-loss exponent; null when it
 * is not a gateway-radius zone of `gatewayId`.
 */
export function baseEdgeLossDb(options: PresenceEngineOptions, gatewayId: string, zoneId: string): number | null {
  const zone = options.zones.find((z) => z.id === zoneId);
  if (zone === undefined || zone.shape !== "gateway-radius" || zone.gatewayId !== gatewayId) return null;
  const n = options.tuning.pathLossExponent ?? RECOMMENDED_PRESENCE_TUNING.pathLossExponent ?? 2.2;
  return zone.edgeLossDb ?? 10 * n * Math.log10(zone.radiusM);
}

/**
 * The reference each other gateway of the store runs with in `zoneId`'s pooled test under
 * `options`, dB, by gateway id: the zone's `peerEdges` entry (the survey's), else the loss at the
 * distance between the gateways plus the zone's radius, the distance its edge loss means when it has
 * one (the geometry, as PresenceEngine sets it). Empty when this gateway or the zone has no position
 * to pool from, null when it is not a gateway-radius zone of `gatewayId`.
 */
export function basePeerEdgesDb(options: PresenceEngineOptions, gatewayId: string, zoneId: string): Record<string, number> | null {
  const zone = options.zones.find((z) => z.id === zoneId);
  if (zone === undefined || zone.shape !== "gateway-radius" || zone.gatewayId !== gatewayId) return null;
  const own = options.gateways.find((g) => g.id === gatewayId);
  if (own === undefined || !isValidGeoPoint(own)) return {};
  const n = options.tuning.pathLossExponent ?? RECOMMENDED_PRESENCE_TUNING.pathLossExponent ?? 2.2;
  // The engine judges a zone with an edge loss at the distance that loss means, not its drawn radius.
  const radiusM = zone.edgeLossDb === undefined ? zone.radiusM : 10 ** (zone.edgeLossDb / (10 * n));
  const base: Record<string, number> = {};
  for (const g of options.gateways) {
    if (g.id === gatewayId || !isValidGeoPoint(g)) continue;
    base[g.id] = zone.peerEdges?.find((p) => p.gatewayId === g.id)?.edgeLossDb ?? 10 * n * Math.log10(geoDistanceM(own, g) + radiusM);
  }
  return base;
}

/** The RSSI offsets the engine runs the store's gateways with under `options`, dB, by gateway id. */
export function gatewayOffsetsDb(options: PresenceEngineOptions): Record<string, number> {
  return Object.fromEntries(options.gateways.map((g) => [g.id, g.rssiOffsetDb ?? 0]));
}

/** What the inside learner has the zone run with: its edge loss (null: the config's) and the peers' references it learned. */
export interface LearnedZoneValues {
  readonly edgeLossDb: number | null;
  readonly peerEdges: readonly { readonly gatewayId: string; readonly edgeLossDb: number }[];
}

/**
 * `zone` as the engine should run it with what was learned: the learned edge loss, the learned
 * peers' references replacing the config's for their gateways, and, with a learned edge loss, the
 * exit margin scaled with the reach that loss means. Why the margin: the learned edge loss is raw
 * (it absorbs the gateway's own error, 6 dB and more), so the distance it means under the model is
 * no real distance: at 32 dB it is 28 m where the zone is 5. A margin in metres kept as configured
 * would then be a band of 1.5 dB instead of the 6.6 dB the drawn zone has, and visits flap out and
 * back in on every fade (docs/benchmarks.md, "Self-calibration for a pooled store"); scaled by
 * reach / base reach it keeps the band in dB the config's edge loss gives, within `maxDistanceM`
 * (distances are clamped there, so a band beyond it could never be left).
 */
export function learnedZone(
  zone: Zone,
  learned: LearnedZoneValues,
  o: { readonly baseEdgeLossDb: number; readonly exitMarginM: number; readonly pathLossExponent: number; readonly maxDistanceM: number },
): Zone {
  if (zone.shape !== "gateway-radius" || (learned.edgeLossDb === null && learned.peerEdges.length === 0)) return zone;
  const peerEdges =
    learned.peerEdges.length === 0
      ? {}
      : { peerEdges: [...(zone.peerEdges ?? []).filter((p) => !learned.peerEdges.some((l) => l.gatewayId === p.gatewayId)), ...learned.peerEdges] };
  if (learned.edgeLossDb === null) return { ...zone, ...peerEdges };
  const reachOf = (lossDb: number): number => 10 ** (lossDb / (10 * o.pathLossExponent));
  const reachM = reachOf(learned.edgeLossDb);
  const marginM = ((zone.exitMarginM ?? o.exitMarginM) * reachM) / reachOf(o.baseEdgeLossDb);
  const exitMarginM = Math.round(Math.max(0, Math.min(marginM, o.maxDistanceM - reachM)) * 100) / 100;
  return { ...zone, edgeLossDb: learned.edgeLossDb, exitMarginM, ...peerEdges };
}

/** Where the inside learner's state lives between restarts (the data directory's file). */
export interface InsideLearnerStore {
  load(): Promise<InsideLearnerState | null>;
  save(state: InsideLearnerState): Promise<void>;
}

export interface InsideCalibrationOptions {
  /** The zone that is the store's floor (config `insideLearning.zoneId`). */
  readonly zoneId: string;
  /** The zone's edge loss as the config (and the cloud's zones) hold it now, dB; null: no such zone here. */
  readonly baseEdgeLossDb: () => number | null;
  /** The RSSI offset the engine runs with now, dB. */
  readonly offsetDb: () => number;
  /**
   * The store's other gateways pooled into the zone, with the reference each runs with now in its
   * pooled test, dB ({@link basePeerEdgesDb}); absent or null: nothing pooled, no peer learned.
   */
  readonly basePeerEdgesDb?: () => Readonly<Record<string, number>> | null;
  /** The RSSI offsets the engine runs the peers with now, dB, by gateway id. */
  readonly peerOffsetsDb?: () => Readonly<Record<string, number>>;
  /** When the last site survey ended, epoch ms; null when never surveyed. */
  readonly surveyedAt: number | null;
  readonly defaultMeasuredPowerDbm: number;
  readonly store: InsideLearnerStore;
  readonly clock: Clock;
  /**
   * Timers: a label that arrives before the end of the seconds it counts (the learner's `toMs`
   * after its time) waits for them. Without one, a label is taken when it arrives.
   */
  readonly scheduler?: Scheduler;
  readonly log: Logger;
  /**
   * Called when the edge loss or a peer's reference to run the zone with changed (the engine is
   * reconfigured with {@link InsideCalibration.edgeLossDb} and {@link InsideCalibration.peerEdges}).
   */
  readonly onEdgeLoss?: () => void;
  readonly learner?: InsideLearnerOptions;
  readonly memory?: HeardMemoryOptions;
}

export type InsideLabelOutcome =
  | { readonly outcome: "sample"; readonly subjectId: string; readonly edgeLossDb: number | null }
  | { readonly outcome: "refused"; readonly reason: InsideRefusal | "malformed" | "no-zone" }
  | { readonly outcome: "ignored" };

/** Most peers whose sightings are remembered (the config's `peers` hold at most 50). */
const MAX_PEERS = 50;

/**
 * Learns the enter threshold of the zone that is the store's floor from the cloud's `inside`
 * labels (a consenting member's phone heard the store beacon): keeps a short memory of what its own
 * radio heard of each subject, turns a label into the raw path losses heard around it, feeds the
 * pure learner (domain/calibration/insideLearner.ts), persists its state and hands a changed edge
 * loss to the engine. In a store whose gateways pool their evidence it also remembers what the
 * peers heard (their sightings over the store LAN, {@link peerHeard}) and learns each peer's
 * reference in the zone's pooled test from the same labels.
 */
export class InsideCalibration {
  private readonly memory: HeardMemory;
  private readonly peerMemories = new Map<string, HeardMemory>();
  private state: InsideLearnerState;
  private refused = 0;
  private saving: Promise<void> = Promise.resolve();
  private readonly waiting = new Map<TimerHandle, () => void>();

  constructor(private readonly o: InsideCalibrationOptions) {
    this.memory = new HeardMemory(o.memory);
    this.state = emptyInsideLearner(o.zoneId);
  }

  async start(): Promise<void> {
    const stored = await this.o.store.load().catch((err: unknown) => {
      this.o.log.warn({ err }, "learned zone threshold not read; learning from scratch");
      return null;
    });
    // A state learned for another zone (the config now names a different one) starts again.
    if (stored !== null && stored.zoneId === this.o.zoneId) this.state = stored;
  }

  /** Takes the labels still waiting with what was heard so far, then waits for the last save. */
  async stop(): Promise<void> {
    for (const [handle, now] of [...this.waiting]) {
      this.o.scheduler?.clearTimeout(handle);
      now();
    }
    await this.saving;
  }

  /**
   * The peers' references the zone's pooled test should run with now (learned ones only, each
   * replacing the config's for its gateway); empty while the config's run.
   */
  get peerEdges(): readonly { readonly gatewayId: string; readonly edgeLossDb: number }[] {
    if (this.o.baseEdgeLossDb() === null) return [];
    const base = this.o.basePeerEdgesDb?.() ?? null;
    if (base === null) return [];
    return runningPeerEdges(this.state, this.o.surveyedAt).filter((p) => base[p.gatewayId] !== undefined);
  }

  /** The edge loss the zone should run with now, dB; null when the config's runs (or no such zone). */
  get edgeLossDb(): number | null {
    const base = this.o.baseEdgeLossDb();
    if (base === null) return null;
    const running = runningEdgeLoss(this.state, base, this.o.surveyedAt);
    return running === base ? null : running;
  }

  heard(subjectId: string, t: number, rssiDbm: number, measuredPowerDbm: number | null): void {
    this.memory.record(subjectId, t, rssiDbm, measuredPowerDbm);
  }

  /** What a peer gateway heard (raw RSSI, this gateway's clock), as its sightings reach this one over the store LAN. */
  peerHeard(gatewayId: string, subjectId: string, t: number, rssiDbm: number, measuredPowerDbm: number | null): void {
    let memory = this.peerMemories.get(gatewayId);
    if (memory === undefined) {
      if (this.peerMemories.size >= MAX_PEERS) return;
      memory = new HeardMemory(this.o.memory);
      this.peerMemories.set(gatewayId, memory);
    }
    memory.record(subjectId, t, rssiDbm, measuredPowerDbm);
  }

  /** Handles one payload of the labels topic (only `inside` ones concern it); never throws. */
  async label(payload: Buffer | string): Promise<InsideLabelOutcome> {
    const decoded = decodeGatewayMessage("labels", payload);
    if (!decoded.ok) {
      this.o.log.debug({ problems: formatProblems(decoded.problems) }, "label ignored");
      return { outcome: "refused", reason: "malformed" };
    }
    if (decoded.value.place !== "inside") return { outcome: "ignored" };
    const base = this.o.baseEdgeLossDb();
    if (base === null) {
      this.refused++;
      this.o.log.warn({ zoneId: this.o.zoneId }, "inside label: the zone to learn is not a gateway-radius zone of this gateway");
      return { outcome: "refused", reason: "no-zone" };
    }
    const at = Date.parse(decoded.value.at);
    const o = { ...INSIDE_LEARNER_DEFAULTS, ...this.o.learner };
    // The phone's report reaches the gateway within a second or two: the seconds after it, which
    // the sample counts, are heard only later.
    const waitMs = at + Math.max(o.toMs, o.approachToMs) + 1000 - this.o.clock.now();
    const scheduler = this.o.scheduler;
    if (scheduler !== undefined && waitMs > 0 && this.waiting.size < MAX_WAITING_LABELS) {
      await new Promise<void>((resolve) => {
        const handle = scheduler.setTimeout(() => {
          this.waiting.delete(handle);
          resolve();
        }, waitMs);
        this.waiting.set(handle, () => {
          this.waiting.delete(handle);
          resolve();
        });
      });
    }
    return this.sample(decoded.value.subjects, at);
  }

  private async sample(subjects: readonly string[], at: number): Promise<InsideLabelOutcome> {
    const base = this.o.baseEdgeLossDb();
    if (base === null) return { outcome: "refused", reason: "no-zone" };
    const o = { ...INSIDE_LEARNER_DEFAULTS, ...this.o.learner };
    // The subject heard most around the label: a phone and a linked tag are the same member.
    let best: { subjectId: string; sample: InsideSample } | null = null;
    const from = at + Math.min(o.fromMs, o.approachFromMs);
    const to = at + Math.max(o.toMs, o.approachToMs);
    for (const subjectId of subjects) {
      const id = subjectId.toLowerCase();
      const seconds = this.memory.heard(id, from, to);
      const peers = Object.fromEntries([...this.peerMemories].map(([gatewayId, m]) => [gatewayId, m.heard(id, from, to)]));
      const s = insideSample(seconds, at, this.o.defaultMeasuredPowerDbm, o, peers);
      if (s.ok && (best === null || s.sample.lossesDb.length > best.sample.lossesDb.length)) best = { subjectId, sample: s.sample };
    }
    if (best === null) {
      this.refused++;
      return { outcome: "refused", reason: "too-few-readings" };
    }
    const before = this.running();
    const result = learnInside(this.state, best.sample, this.context(base), o);
    this.state = result.state;
    await this.persist();
    if (!result.accepted) {
      this.refused++;
      this.o.log.info({ reason: result.reason }, "inside sample refused");
      return { outcome: "refused", reason: result.reason };
    }
    this.announce(before);
    return { outcome: "sample", subjectId: best.subjectId, edgeLossDb: this.edgeLossDb };
  }

  /** Keeps the threshold moving towards what the labels say, a step a day, between labels. */
  async tick(): Promise<void> {
    const base = this.o.baseEdgeLossDb();
    if (base === null) return;
    const before = this.running();
    const next = stepInside(this.state, this.context(base), { ...INSIDE_LEARNER_DEFAULTS, ...this.o.learner });
    if (next === this.state) return;
    this.state = next;
    await this.persist();
    this.announce(before);
  }

  /** What was learned, for the status's calibration (`learnedZones`). */
  report(): LearnedZone {
    const surveyNewer = this.o.surveyedAt !== null && (this.state.since === null || this.state.since < this.o.surveyedAt);
    const iso = (t: number): string => new Date(t).toISOString();
    const target = insideTarget(this.state, this.o.offsetDb(), { ...INSIDE_LEARNER_DEFAULTS, ...this.o.learner });
    return {
      zoneId: this.o.zoneId,
      labels: surveyNewer ? 0 : this.state.samples.length,
      refused: this.refused,
      edgeLossDb: surveyNewer ? null : this.state.edgeLossDb,
      targetDb: surveyNewer ? null : target,
      learnedAt: surveyNewer || this.state.steppedAt === null ? null : iso(this.state.steppedAt),
      weeks: this.state.weeks.slice(-26).map((w) => ({ weekStart: iso(w.weekStart), labels: w.labels, thresholdDb: w.thresholdDb })),
    };
  }

  private context(base: number): InsideContext {
    const peers = this.o.basePeerEdgesDb?.() ?? null;
    return {
      baseEdgeLossDb: base,
      offsetDb: this.o.offsetDb(),
      surveyedAt: this.o.surveyedAt,
      now: this.o.clock.now(),
      ...(peers === null ? {} : { basePeerEdgesDb: peers, peerOffsetsDb: this.o.peerOffsetsDb?.() ?? {} }),
    };
  }

  /** What the engine should run the zone with now: the edge loss and the peers' references. */
  private running(): { readonly edgeLossDb: number | null; readonly peerEdges: readonly { readonly gatewayId: string; readonly edgeLossDb: number }[] } {
    return { edgeLossDb: this.edgeLossDb, peerEdges: this.peerEdges };
  }

  private announce(before: ReturnType<InsideCalibration["running"]>): void {
    const after = this.running();
    if (after.edgeLossDb !== before.edgeLossDb)
      this.o.log.info({ zoneId: this.o.zoneId, from: before.edgeLossDb, to: after.edgeLossDb }, "learned zone threshold moved");
    const key = (p: typeof after.peerEdges): string => p.map((e) => `${e.gatewayId}:${e.edgeLossDb}`).join(",");
    const peersMoved = key(after.peerEdges) !== key(before.peerEdges);
    if (peersMoved) this.o.log.info({ zoneId: this.o.zoneId, from: before.peerEdges, to: after.peerEdges }, "learned peer references moved");
    if (after.edgeLossDb !== before.edgeLossDb || peersMoved) this.o.onEdgeLoss?.();
  }

  private async persist(): Promise<void> {
    const state = this.state;
    this.saving = this.saving
      .then(() => this.o.store.save(state))
      .catch((err: unknown) => this.o.log.warn({ err }, "learned zone threshold not saved"));
    await this.saving;
  }
}
