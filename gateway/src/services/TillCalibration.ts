import { decodeGatewayMessage, formatProblems, type LabelPlace, type LearnedCalibration } from "../../../protocol/index.js";
import { HeardMemory, type HeardMemoryOptions } from "../domain/calibration/HeardMemory.js";
import {
  EMPTY_LEARNER,
  learn,
  runningOffset,
  step,
  type SampleRefusal,
  TILL_LEARNER_DEFAULTS,
  type TillLearnerOptions,
  type TillLearnerState,
  tillSample,
} from "../domain/calibration/tillLearner.js";
import type { Clock, Logger } from "./ports.js";

/** Where the learner's state lives between restarts (the data directory's file). */
export interface LearnerStore {
  /** The stored state, or null when there is none (or it is unusable). */
  load(): Promise<TillLearnerState | null>;
  save(state: TillLearnerState): Promise<void>;
}

export interface TillCalibrationOptions {
  readonly gatewayId: string;
  /** Distance of the till spot from this gateway, metres (config `learning.tillDistanceM`). */
  readonly tillDistanceM: number;
  /** The engine's path-loss exponent n. */
  readonly pathLossExponent: number;
  /** Power at 1 m of a beacon that advertises none, dBm. */
  readonly defaultMeasuredPowerDbm: number;
  /** The offset the config holds (the survey's or set by hand), dB. */
  readonly baseOffsetDb: number;
  /** When the last site survey ended, epoch ms; null when never surveyed. */
  readonly surveyedAt: number | null;
  readonly store: LearnerStore;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called when the offset to run with changed (the engine is reconfigured with it). */
  readonly onOffset?: (offsetDb: number) => void;
  readonly learner?: TillLearnerOptions;
  readonly memory?: HeardMemoryOptions;
}

/** What one label came to. */
export type LabelOutcome =
  | { readonly outcome: "sample"; readonly subjectId: string; readonly residualDb: number; readonly offsetDb: number }
  | { readonly outcome: "refused"; readonly reason: SampleRefusal | "malformed" }
  | { readonly outcome: "ignored"; readonly place: Exclude<LabelPlace, "till"> };

/**
 * Learns this gateway's RSSI offset from the cloud's till labels: keeps a short memory of what its
 * own radio heard of each subject, turns a label into a sample at the till, feeds the pure learner
 * (domain/calibration/tillLearner.ts), persists its state and hands a changed offset to the engine.
 */
export class TillCalibration {
  private readonly memory: HeardMemory;
  private state: TillLearnerState = EMPTY_LEARNER;
  private refused = 0;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly o: TillCalibrationOptions) {
    this.memory = new HeardMemory(o.memory);
  }

  /** Loads the stored state; call before the first offset is read. */
  async start(): Promise<void> {
    const stored = await this.o.store.load().catch((err: unknown) => {
      this.o.log.warn({ err }, "learned calibration not read; learning from scratch");
      return null;
    });
    if (stored !== null) this.state = stored;
  }

  /** Waits for the last save. */
  async stop(): Promise<void> {
    await this.saving;
  }

  /** The offset the engine should run with now, dB. */
  get offsetDb(): number {
    return runningOffset(this.state, this.o.baseOffsetDb, this.o.surveyedAt);
  }

  /** One reading of this gateway's own radio (raw RSSI, before the offset). */
  heard(subjectId: string, t: number, rssiDbm: number, measuredPowerDbm: number | null): void {
    this.memory.record(subjectId, t, rssiDbm, measuredPowerDbm);
  }

  /** Handles one payload of the labels topic; never throws. */
  async label(payload: Buffer | string): Promise<LabelOutcome> {
    const decoded = decodeGatewayMessage("labels", payload);
    if (!decoded.ok) {
      this.refused++;
      this.o.log.warn({ problems: formatProblems(decoded.problems) }, "label ignored");
      return { outcome: "refused", reason: "malformed" };
    }
    // An `inside` label says the member was somewhere in the store, not at the till: no offset
    // sample. It is for the zones' thresholds (InsideCalibration), not counted as refused here.
    if (decoded.value.place !== "till") return { outcome: "ignored", place: decoded.value.place };
    const at = Date.parse(decoded.value.at);
    const o = { ...TILL_LEARNER_DEFAULTS, ...this.o.learner };
    // The subject this radio heard most of around the label: a member's phone and a linked tag
    // are the same person at the same place; the one with the most seconds measures best.
    let best: { subjectId: string; residualDb: number; seconds: number } | null = null;
    let reason: SampleRefusal = "too-few-readings";
    for (const subjectId of decoded.value.subjects) {
      const seconds = this.memory.heard(subjectId.toLowerCase(), at - o.beforeMs, at + o.afterMs);
      const sample = tillSample(seconds, this.o.tillDistanceM, this.o.pathLossExponent, this.o.defaultMeasuredPowerDbm, o);
      if (!sample.ok) {
        reason = sample.reason;
        continue;
      }
      if (best === null || sample.seconds > best.seconds) best = { subjectId, residualDb: sample.residualDb, seconds: sample.seconds };
    }
    if (best === null) {
      this.refused++;
      this.o.log.debug({ reason, at: decoded.value.at }, "till label gave no sample");
      return { outcome: "refused", reason };
    }
    const before = this.offsetDb;
    const result = learn(
      this.state,
      { at, residualDb: best.residualDb },
      { baseOffsetDb: this.o.baseOffsetDb, surveyedAt: this.o.surveyedAt, now: this.o.clock.now() },
      o,
    );
    this.state = result.state;
    await this.persist();
    if (!result.accepted) {
      this.refused++;
      this.o.log.info({ reason: result.reason, residualDb: best.residualDb }, "till sample refused");
      return { outcome: "refused", reason: result.reason };
    }
    const offsetDb = this.offsetDb;
    this.o.log.info({ residualDb: best.residualDb, samples: this.state.samples.length, offsetDb }, "till sample learned");
    if (offsetDb !== before) {
      this.o.log.info({ from: before, to: offsetDb }, "learned RSSI offset moved");
      this.o.onOffset?.(offsetDb);
    }
    return { outcome: "sample", subjectId: best.subjectId, residualDb: best.residualDb, offsetDb };
  }

  /**
   * Lets the offset keep moving towards what the samples say, a step a day, between labels (a store
   * with few redemptions a week). Cheap when nothing moves; call it often.
   */
  async tick(): Promise<void> {
    const before = this.offsetDb;
    const next = step(
      this.state,
      { baseOffsetDb: this.o.baseOffsetDb, surveyedAt: this.o.surveyedAt, now: this.o.clock.now() },
      { ...TILL_LEARNER_DEFAULTS, ...this.o.learner },
    );
    if (next === this.state) return;
    this.state = next;
    await this.persist();
    const offsetDb = this.offsetDb;
    if (offsetDb !== before) {
      this.o.log.info({ from: before, to: offsetDb }, "learned RSSI offset moved");
      this.o.onOffset?.(offsetDb);
    }
  }

  /** What was learned, for the status's calibration. */
  report(): LearnedCalibration {
    const surveyNewer = this.o.surveyedAt !== null && (this.state.since === null || this.state.since < this.o.surveyedAt);
    const iso = (t: number): string => new Date(t).toISOString();
    return {
      samples: surveyNewer ? 0 : this.state.samples.length,
      refused: this.refused,
      rssiOffsetDb: surveyNewer ? null : this.state.offsetDb,
      learnedAt: surveyNewer || this.state.steppedAt === null ? null : iso(this.state.steppedAt),
      weeks: this.state.weeks.slice(-26).map((w) => ({ weekStart: iso(w.weekStart), samples: w.samples, medianDb: w.medianDb })),
    };
  }

  private async persist(): Promise<void> {
    const state = this.state;
    this.saving = this.saving
      .then(() => this.o.store.save(state))
      .catch((err: unknown) => this.o.log.warn({ err }, "learned calibration not saved"));
    await this.saving;
  }
}
