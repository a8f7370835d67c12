/**
 * A short, bounded memory of what the gateway's own radio heard of each subject: per second, the
 * strongest raw RSSI (before any offset) and the power at 1 m the beacon advertised. A label from
 * the cloud ("this member was at the till at T") is matched against it to make a calibration
 * sample. Pure: time is passed in; no I/O.
 *
 * Bounded twice: seconds older than `windowMs` behind the newest reading are dropped, and at most
 * `maxSubjects` subjects are kept (the one heard least recently goes first), so a crowded store or a
 * flood of random addresses costs at most `maxSubjects × windowMs / 1000` readings.
 */

export interface HeardSecond {
  /** Start of the second, epoch ms. */
  readonly t: number;
  /** Strongest RSSI heard in that second as the radio reported it, dBm. */
  readonly rssiDbm: number;
  /** Power at 1 m the beacon advertised, dBm; null when it advertises none. */
  readonly measuredPowerDbm: number | null;
}

export interface HeardMemoryOptions {
  /** How far back readings are kept, ms. Default 120 000 (2 minutes). */
  readonly windowMs?: number;
  /** Most subjects kept. Default 2000. */
  readonly maxSubjects?: number;
}

export const HEARD_MEMORY_DEFAULTS = Object.freeze({ windowMs: 120_000, maxSubjects: 2000 });

export class HeardMemory {
  private readonly windowMs: number;
  private readonly maxSubjects: number;
  /** Insertion order is recency order: a subject heard again is moved to the end. */
  private readonly subjects = new Map<string, HeardSecond[]>();

  constructor(options: HeardMemoryOptions = {}) {
    this.windowMs = options.windowMs ?? HEARD_MEMORY_DEFAULTS.windowMs;
    this.maxSubjects = options.maxSubjects ?? HEARD_MEMORY_DEFAULTS.maxSubjects;
  }

  get size(): number {
    return this.subjects.size;
  }

  /** Records one reading at `t` (epoch ms). Non-finite readings are ignored. */
  record(subjectId: string, t: number, rssiDbm: number, measuredPowerDbm: number | null): void {
    if (!Number.isFinite(t) || !Number.isFinite(rssiDbm)) return;
    const second = Math.floor(t / 1000) * 1000;
    let seconds = this.subjects.get(subjectId);
    if (seconds === undefined) {
      seconds = [];
    } else {
      this.subjects.delete(subjectId);
    }
    this.subjects.set(subjectId, seconds);
    const last = seconds[seconds.length - 1];
    if (last !== undefined && last.t === second) {
      if (rssiDbm > last.rssiDbm) seconds[seconds.length - 1] = { t: second, rssiDbm, measuredPowerDbm };
    } else if (last === undefined || second > last.t) {
      seconds.push({ t: second, rssiDbm, measuredPowerDbm });
    }
    // Readings out of order (a late advert) older than the last second are dropped: the memory is
    // for matching labels seconds old, not for replaying history.
    const oldest = second - this.windowMs;
    let drop = 0;
    while (drop < seconds.length && (seconds[drop]?.t ?? 0) < oldest) drop++;
    if (drop > 0) seconds.splice(0, drop);
    while (this.subjects.size > this.maxSubjects) {
      const first = this.subjects.keys().next();
      if (first.done === true) break;
      this.subjects.delete(first.value);
    }
  }

  /** The seconds of `subjectId` within `[from, to]` (epoch ms), oldest first. */
  heard(subjectId: string, from: number, to: number): HeardSecond[] {
    return (this.subjects.get(subjectId) ?? []).filter((s) => s.t >= from && s.t <= to);
  }
}
