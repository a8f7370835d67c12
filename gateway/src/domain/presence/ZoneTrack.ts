import type { Subject } from "../../../../protocol/index.js";
import type { Containment } from "../zones/geofence.js";
import { eventIdOf, visitIdOf } from "./deterministicId.js";
import { type CountedSecond, deepEnough, type PooledDepthRule } from "./pooledDepth.js";
import { SEQUENTIAL_START, type SequentialEnterRule, type SequentialState, sequentialStep } from "./sequentialEnter.js";
import type { PresenceChange } from "./types.js";

/** One evaluated sample of a subject against one zone. */
export interface TrackSample {
  /** Epoch ms. */
  readonly t: number;
  /**
   * Where the robust (upper-quantile) estimate puts the subject: decides staying and leaving. Read
   * only while a visit is open, so a caller may skip computing it otherwise.
   */
  readonly containment: Containment;
  /**
   * Whether the stricter estimate (a lower RSSI quantile, or the fix itself) puts the subject inside: only
   * such samples count towards entering. Entering on the lower quantile and staying on the upper one
   * is a second hysteresis, on the signal itself: the upper quantile is what keeps a standing
   * shopper's visit through body blocking, but it also lingers a few seconds after someone walks
   * away, and that linger must not turn a walk-through into a visit. Read only while no visit is
   * open (including one that times out at this sample).
   */
  readonly enterEvidence: boolean;
  /**
   * How far beyond the enter threshold the same strict estimate places the subject, dB (≤ 0:
   * inside), for the sequential enter test ({@link TrackRules.sequential}). Absent or null where the
   * zone is not judged from RSSI (GPS fixes, positions) or the test is off.
   */
  readonly enterExcessDb?: number | null;
  /**
   * The pooled mean excess of the same strict estimates over the zone's edge, dB (≤ 0: inside), for
   * the depth rule ({@link TrackRules.pooledDepth}). Absent or null where the zone pools nothing
   * (one gateway alone, GPS fixes, positions).
   */
  readonly enterPooledExcessDb?: number | null;
  /** Gateway that owns the subject in this zone as of this sample. */
  readonly gatewayId: string;
  readonly rssiDbm: number | null;
  readonly distanceM: number | null;
}

/** The thresholds the state machine uses (from the protocol's PresenceTuning). */
export interface TrackRules {
  readonly enterMinSamples: number;
  readonly enterWindowMs: number;
  readonly exitAfterMs: number;
  /** Ascending, without duplicates. */
  readonly dwellMarksMs: readonly number[];
  /**
   * Also enter when the sequential test over `enterExcessDb` decides ({@link sequentialStep}); null:
   * the k-of-n rule alone. The sum restarts after `enterWindowMs` without a sample.
   */
  readonly sequential: SequentialEnterRule | null;
  /**
   * In a pooled zone, the k-of-n rule enters only on seconds that lie deep enough inside, or on
   * evidence held long enough ({@link deepEnough}); null: the k-of-n rule alone.
   */
  readonly pooledDepth: PooledDepthRule | null;
}

interface Visit {
  readonly visitId: string;
  readonly enteredAt: number;
  /** Last sample that placed the subject inside or in the hysteresis band. */
  lastSupportAt: number;
  /** Index of the next dwell mark to emit. */
  nextMark: number;
  gatewayId: string;
  rssiDbm: number | null;
  distanceM: number | null;
}

/**
 * The state machine of one subject in one zone: `idle` (collecting evidence) or `present` (a visit).
 *
 * - Enter: `enterMinSamples` samples with enter evidence within `enterWindowMs`. The engine feeds
 *   at most one sample per subject and source per sample interval (1 s), so this is sustained
 *   presence, not a burst of adverts. With `rules.sequential`, also when the sequential test over
 *   the samples' `enterExcessDb` decides ({@link sequentialStep}). With `rules.pooledDepth`, in a
 *   pooled zone the k-of-n rule waits until its seconds lie deep enough inside or the evidence has
 *   held long enough ({@link deepEnough}).
 * - Stay: any sample `inside` or in the hysteresis `band` supports the visit.
 * - Exit: no supporting sample for `exitAfterMs`, whether the subject was heard `outside` (beyond
 *   radius + exit margin) or not heard at all. Separate enter and exit thresholds plus the time
 *   hysteresis keep a standing shopper with dipping RSSI from flapping.
 * - Dwell: once per mark, on the first supporting sample at least that long after the enter.
 *
 * Owner changes (handover between gateways) only change the gatewayId on later events: the visit,
 * and its id, continue.
 */
export class ZoneTrack {
  readonly zoneId: string;
  readonly subject: Subject;
  /** Gateway currently owning the subject in this zone; the engine's handover hysteresis reads it. */
  owner: string | null = null;
  /** The latest samples with enter evidence while idle, by time ascending, at most enterMinSamples. */
  private evidence: CountedSecond[] = [];
  /** Time of the first sample of the current run of evidence (no gap of enterWindowMs), or null. */
  private heldSince: number | null = null;
  /** The sequential enter test's sum while idle. */
  private sequential: SequentialState = SEQUENTIAL_START;
  private visit: Visit | null = null;

  constructor(zoneId: string, subject: Subject) {
    this.zoneId = zoneId;
    this.subject = subject;
  }

  get present(): boolean {
    return this.visit !== null;
  }

  get visitId(): string | null {
    return this.visit?.visitId ?? null;
  }

  /** Feeds one sample; appends what it decides to `out`. */
  observe(sample: TrackSample, rules: TrackRules, out: PresenceChange[]): void {
    this.owner = sample.gatewayId;
    // A subject back after a long silence first ends the old visit, then may start a new one.
    this.expire(sample.t, rules, out);
    const visit = this.visit;
    if (visit !== null) {
      if (sample.containment === "outside") return;
      if (sample.t > visit.lastSupportAt) visit.lastSupportAt = sample.t;
      visit.gatewayId = sample.gatewayId;
      visit.rssiDbm = sample.rssiDbm;
      visit.distanceM = sample.distanceM;
      const elapsed = sample.t - visit.enteredAt;
      for (;;) {
        const mark = rules.dwellMarksMs[visit.nextMark];
        if (mark === undefined || elapsed < mark) break;
        visit.nextMark++;
        out.push(this.change("dwell", sample.t, visit, mark, elapsed));
      }
      return;
    }
    let decided = false;
    if (rules.sequential !== null && sample.enterExcessDb !== undefined && sample.enterExcessDb !== null) {
      const step = sequentialStep(this.sequential, sample.t, sample.enterExcessDb, rules.sequential, rules.enterWindowMs);
      this.sequential = step.state;
      decided = step.decided;
    }
    if (sample.enterEvidence) {
      this.addEvidence(sample, rules);
      if (
        this.evidence.length >= rules.enterMinSamples &&
        deepEnough(this.evidence, this.heldSince ?? sample.t, sample.t, rules.pooledDepth)
      )
        decided = true;
    }
    if (decided) this.enter(sample, out);
  }

  /** True when an open visit has had no support for `exitAfterMs` as of `now` (it ends on `expire`). */
  dueToExpire(now: number, rules: TrackRules): boolean {
    return this.visit !== null && now - this.visit.lastSupportAt >= rules.exitAfterMs;
  }

  /** Ends the visit when it has had no support for `exitAfterMs` as of `now`. */
  expire(now: number, rules: TrackRules, out: PresenceChange[]): void {
    const visit = this.visit;
    if (visit === null || now - visit.lastSupportAt < rules.exitAfterMs) return;
    this.close(now, out);
  }

  /** Ends the visit now, whatever the evidence (its zone was removed). */
  close(at: number, out: PresenceChange[]): void {
    const visit = this.visit;
    if (visit === null) return;
    this.visit = null;
    this.evidence = [];
    this.heldSince = null;
    this.sequential = SEQUENTIAL_START;
    out.push(this.change("exit", at, visit, undefined, Math.max(0, visit.lastSupportAt - visit.enteredAt)));
  }

  /**
   * Applies new rules. Evidence is trimmed to the new sample count. Dwell marks the visit has already
   * passed are treated as emitted, so a new config never produces late dwell events.
   */
  retune(rules: TrackRules): void {
    if (this.evidence.length > rules.enterMinSamples) {
      this.evidence = this.evidence.slice(this.evidence.length - rules.enterMinSamples);
    }
    if (rules.sequential === null) this.sequential = SEQUENTIAL_START;
    const visit = this.visit;
    if (visit === null) return;
    const elapsed = visit.lastSupportAt - visit.enteredAt;
    let next = 0;
    while (next < rules.dwellMarksMs.length && (rules.dwellMarksMs[next] ?? 0) <= elapsed) next++;
    visit.nextMark = next;
  }

  /**
   * True when the track holds nothing worth keeping: no visit, no evidence within the window, and no
   * sequential sum that a sample within the window could still add to.
   */
  isDisposable(now: number, rules: TrackRules): boolean {
    if (this.visit !== null) return false;
    const seq = this.sequential;
    if (seq.scoreDb > 0 && seq.lastAt !== null && now - seq.lastAt < rules.enterWindowMs) return false;
    const newest = this.evidence.at(-1);
    return newest === undefined || now - newest.t >= rules.enterWindowMs;
  }

  private addEvidence(sample: TrackSample, rules: TrackRules): void {
    const t = sample.t;
    const ev = this.evidence;
    const previous = ev.at(-1)?.t;
    // A run of evidence starts at a sample with none before it within the enter window.
    if (this.heldSince === null || previous === undefined || t - previous >= rules.enterWindowMs) this.heldSince = t;
    let i = ev.length;
    while (i > 0 && (ev[i - 1]?.t ?? 0) > t) i--;
    ev.splice(i, 0, { t, excessDb: sample.enterPooledExcessDb ?? null });
    const newest = ev.at(-1)?.t ?? t;
    let drop = Math.max(0, ev.length - rules.enterMinSamples);
    while (drop < ev.length && newest - (ev[drop]?.t ?? newest) >= rules.enterWindowMs) drop++;
    if (drop > 0) ev.splice(0, drop);
  }

  private enter(sample: TrackSample, out: PresenceChange[]): void {
    const visitId = visitIdOf({
      gatewayId: sample.gatewayId,
      zoneId: this.zoneId,
      subjectId: this.subject.id,
      enteredAt: sample.t,
    });
    const visit: Visit = {
      visitId,
      enteredAt: sample.t,
      lastSupportAt: sample.t,
      nextMark: 0,
      gatewayId: sample.gatewayId,
      rssiDbm: sample.rssiDbm,
      distanceM: sample.distanceM,
    };
    this.visit = visit;
    this.evidence = [];
    this.heldSince = null;
    this.sequential = SEQUENTIAL_START;
    out.push(this.change("enter", sample.t, visit, undefined, undefined));
  }

  private change(
    type: "enter" | "dwell" | "exit",
    at: number,
    visit: Visit,
    markMs: number | undefined,
    dwellMs: number | undefined,
  ): PresenceChange {
    const base = {
      type,
      zoneId: this.zoneId,
      subject: this.subject,
      at,
      visitId: visit.visitId,
      eventId: eventIdOf(visit.visitId, type, markMs),
      rssiDbm: visit.rssiDbm,
      distanceM: visit.distanceM,
      gatewayId: visit.gatewayId,
    };
    return dwellMs === undefined ? base : { ...base, dwellMs };
  }
}
