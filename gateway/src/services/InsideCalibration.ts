import { decodeGatewayMessage, formatProblems, type LearnedZone } from "../../../protocol/index.js";
import { HeardMemory, type HeardMemoryOptions } from "../domain/calibration/HeardMemory.js";
import {
  emptyInsideLearner,
  INSIDE_LEARNER_DEFAULTS,
  type InsideLearnerOptions,
  type InsideLearnerState,
  type InsideRefusal,
  type InsideSample,
  insideSample,
  insideTarget,
  learnInside,
  runningEdgeLoss,
  stepInside,
} from "../domain/calibration/insideLearner.js";
import { type PresenceEngineOptions, RECOMMENDED_PRESENCE_TUNING } from "../domain/presence/PresenceEngine.js";
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
  /** Called when the edge loss to run the zone with changed (the engine is reconfigured with {@link InsideCalibration.edgeLossDb}). */
  readonly onEdgeLoss?: () => void;
  readonly learner?: InsideLearnerOptions;
  readonly memory?: HeardMemoryOptions;
}

export type InsideLabelOutcome =
  | { readonly outcome: "sample"; readonly subjectId: string; readonly edgeLossDb: number | null }
  | { readonly outcome: "refused"; readonly reason: InsideRefusal | "malformed" | "no-zone" }
  | { readonly outcome: "ignored" };

/**
 * Learns the enter threshold of the zone that is the store's floor from the cloud's `inside`
 * labels (a consenting member's phone heard the store beacon): keeps a short memory of what its own
 * radio heard of each subject, turns a label into the raw path losses heard around it, feeds the
 * pure learner (domain/calibration/insideLearner.ts), persists its state and hands a changed edge
 * loss to the engine.
 */
export class InsideCalibration {
  private readonly memory: HeardMemory;
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
    for (const subjectId of subjects) {
      const seconds = this.memory.heard(subjectId.toLowerCase(), at + Math.min(o.fromMs, o.approachFromMs), at + Math.max(o.toMs, o.approachToMs));
      const s = insideSample(seconds, at, this.o.defaultMeasuredPowerDbm, o);
      if (s.ok && (best === null || s.sample.lossesDb.length > best.sample.lossesDb.length)) best = { subjectId, sample: s.sample };
    }
    if (best === null) {
      this.refused++;
      return { outcome: "refused", reason: "too-few-readings" };
    }
    const before = this.edgeLossDb;
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
    const before = this.edgeLossDb;
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

  private context(base: number) {
    return { baseEdgeLossDb: base, offsetDb: this.o.offsetDb(), surveyedAt: this.o.surveyedAt, now: this.o.clock.now() };
  }

  private announce(before: number | null): void {
    const after = this.edgeLossDb;
    if (after === before) return;
    this.o.log.info({ zoneId: this.o.zoneId, from: before, to: after }, "learned zone threshold moved");
    this.o.onEdgeLoss?.();
  }

  private async persist(): Promise<void> {
    const state = this.state;
    this.saving = this.saving
      .then(() => this.o.store.save(state))
      .catch((err: unknown) => this.o.log.warn({ err }, "learned zone threshold not saved"));
    await this.saving;
  }
}
