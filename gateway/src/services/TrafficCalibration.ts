import { decodeGatewayMessage, type LearnedTraffic } from "../../../protocol/index.js";
import {
  EMPTY_TRAFFIC_LEARNER,
  learnTraffic,
  TRAFFIC_LEARNER_DEFAULTS,
  type TrafficLearnerOptions,
  type TrafficLearnerState,
  trafficBound,
  TrafficTracks,
} from "../domain/calibration/trafficLearner.js";
import type { Clock, Logger } from "./ports.js";

/** Where the traffic learner's state lives between restarts (the data directory's file). */
export interface TrafficLearnerStore {
  load(): Promise<TrafficLearnerState | null>;
  save(state: TrafficLearnerState): Promise<void>;
}

export interface TrafficCalibrationOptions {
  /** The RSSI offset the engine runs with now (the config's, surveyed or learned at the till), dB. */
  readonly offsetDb: () => number;
  /** Power at 1 m of a beacon that advertises none, dBm. */
  readonly defaultMeasuredPowerDbm: number;
  readonly store: TrafficLearnerStore;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called when the bound changed (the engine is reconfigured with {@link TrafficCalibration.boundDb}). */
  readonly onBound?: () => void;
  readonly learner?: TrafficLearnerOptions;
  /** Least time between two saves of the state, ms (a track ends every few seconds on a busy street). Default 10 min. */
  readonly saveEveryMs?: number;
}

/**
 * Learns how loud the pavement is at this gateway from the passers-by its own radio hears all day
 * (domain/calibration/trafficLearner.ts), and bounds its zones' edge loss by it: a subject heard
 * briefly is, mostly, someone outside; the strong tail of their closest approaches is the loudest
 * the zone may be heard to reach. Subjects named in a label are left out, and those the engine
 * entered when the caller says so ({@link TrafficCalibration.inside}). Persists the day histograms
 * and hands a changed bound to the engine.
 */
export class TrafficCalibration {
  private readonly tracks: TrafficTracks;
  private readonly learner: TrafficLearnerOptions;
  private state: TrafficLearnerState = EMPTY_TRAFFIC_LEARNER;
  /** The raw bound the engine runs with, dB; null: none yet. */
  private running: number | null = null;
  private counted = 0;
  private dirty = false;
  private savedAt: number | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly o: TrafficCalibrationOptions) {
    this.learner = { ...TRAFFIC_LEARNER_DEFAULTS, ...o.learner };
    this.tracks = new TrafficTracks(this.learner);
  }

  async start(): Promise<void> {
    const stored = await this.o.store.load().catch((err: unknown) => {
      this.o.log.warn({ err }, "learned traffic not read; learning from scratch");
      return null;
    });
    if (stored !== null) this.state = stored;
    this.running = trafficBound(this.state, this.o.clock.now(), this.learner)?.boundDb ?? null;
  }

  /** Saves what was learned. */
  async stop(): Promise<void> {
    if (this.dirty) await this.persist();
    await this.saving;
  }

  /**
   * The highest edge loss this gateway's zones may run with, in the engine's terms (the raw bound
   * less the offset it runs with now), dB; null while too few tracks.
   */
  get boundDb(): number | null {
    return this.running === null ? null : this.running - this.o.offsetDb();
  }

  /** One reading of this gateway's own radio (raw RSSI, before the offset). */
  heard(subjectId: string, t: number, rssiDbm: number, measuredPowerDbm: number | null): void {
    const ended = this.tracks.heard(subjectId, t, rssiDbm, measuredPowerDbm ?? this.o.defaultMeasuredPowerDbm);
    if (ended !== null) this.count([ended]);
  }

  /** Leaves a subject known to be inside out of the pavement's evidence (an enter of the engine). */
  inside(subjectId: string): void {
    this.tracks.exclude(subjectId);
  }

  /** Handles one payload of the labels topic: every subject of any label was in the store; never throws. */
  label(payload: Buffer | string): void {
    const decoded = decodeGatewayMessage("labels", payload);
    if (!decoded.ok) return;
    for (const subjectId of decoded.value.subjects) this.tracks.exclude(subjectId.toLowerCase());
  }

  /** Ends the tracks unheard long enough, moves the bound when the histogram says so, saves now and then. */
  async tick(): Promise<void> {
    const now = this.o.clock.now();
    this.count(this.tracks.close(now));
    const next = trafficBound(this.state, now, this.learner)?.boundDb ?? null;
    if (next !== this.running) {
      this.o.log.info({ from: this.running, to: next, offsetDb: this.o.offsetDb() }, "pavement bound moved");
      this.running = next;
      this.o.onBound?.();
    }
    if (this.dirty && (this.savedAt === null || now - this.savedAt >= (this.o.saveEveryMs ?? 600_000))) await this.persist();
  }

  /** What was learned, for the status's calibration (`learnedTraffic`). */
  report(): LearnedTraffic {
    const now = this.o.clock.now();
    const b = trafficBound(this.state, now, this.learner);
    const iso = (t: number): string => new Date(t).toISOString();
    return {
      tracks: b?.tracks ?? 0,
      counted: this.counted,
      quantileDb: b === null ? null : Math.round(b.quantileDb * 10) / 10,
      boundDb: this.running,
      days: this.state.days.slice(-28).map((d) => ({ dayStart: iso(d.dayStart), tracks: d.bins.reduce((n, [, k]) => n + k, 0) })),
    };
  }

  private count(approaches: readonly { readonly at: number; readonly lossDb: number }[]): void {
    for (const a of approaches) {
      this.state = learnTraffic(this.state, a, this.learner);
      this.counted++;
      this.dirty = true;
    }
  }

  private async persist(): Promise<void> {
    const state = this.state;
    this.dirty = false;
    this.savedAt = this.o.clock.now();
    this.saving = this.saving
      .then(() => this.o.store.save(state))
      .catch((err: unknown) => this.o.log.warn({ err }, "learned traffic not saved"));
    await this.saving;
  }
}
