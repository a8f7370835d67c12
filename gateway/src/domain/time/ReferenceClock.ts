/**
 * This gateway's clock measured against a reference (the cloud's), NTP-style (RFC 5905, on-wire
 * protocol and clock filter), from request/reply exchanges over any link. Pure: the four times of
 * each exchange are passed in, nothing is read or sent here.
 *
 * - **A sample**: the request leaves at t0 (own clock), reaches the reference at t1 and its reply
 *   leaves at t2 (reference clock), arriving at t3 (own clock). The reference's clock minus ours is
 *   offset = ((t1 − t0) + (t2 − t3)) / 2, and the round trip (t3 − t0) − (t2 − t1). Whatever the
 *   delays each way, the true offset lies within offset ± round trip / 2: the error is the round
 *   trip's asymmetry, never more than half of it.
 * - **The filter**: of the last `windowSize` samples the one with the least round trip is believed
 *   (the one that waited least in queues, so its asymmetry was least), as NTP's clock filter does.
 * - **Absurd samples are refused**: times that are not numbers, a reply sent before it was received
 *   (t2 < t1), a negative round trip (the own clock went back during the exchange), a round trip
 *   over `maxRoundTripMs` (its offset is known only within more than the lateness allowance), or an
 *   offset beyond `maxOffsetMs` (one of the two clocks is broken past what a correction should hide).
 * - **A clock that steps**: two samples whose offset ranges (offset ± round trip / 2, widened by
 *   `toleranceMs` for the crystals' drift) do not overlap cannot both be right; the older ones were
 *   taken before the own clock (or the reference's) was stepped, and are forgotten, so a step is
 *   followed at the next sample instead of after a window of polls.
 * - **Only when it matters**: the correction is the believed offset when it exceeds both
 *   `minCorrectionMs` and half the believed round trip (a correction the exchange cannot tell from
 *   zero is not made: a gateway kept by NTP keeps its own clock exactly), and once made it moves
 *   only by `stepMs` or more, so the stamps do not wander a millisecond at a time.
 *
 * With no sample yet the correction is 0; samples are never forgotten for their age, so the last
 * good offset holds through a link outage (drifting from the truth as the crystal does, some 50 ppm).
 */

export interface ReferenceClockOptions {
  /** Samples the filter chooses from, the latest. Default 8 (NTP's). */
  readonly windowSize?: number;
  /** A sample with a longer round trip is refused, ms. Default 2 000. */
  readonly maxRoundTripMs?: number;
  /**
   * A sample with a larger offset is refused, ms. Default 100 years: a Raspberry Pi has no battery
   * clock, and one booted without network time starts at 1970 or at the last time it saved.
   */
  readonly maxOffsetMs?: number;
  /** Smaller corrections are not made, ms. Default 100. */
  readonly minCorrectionMs?: number;
  /** A correction in force moves only by this much or more, ms. Default 20. */
  readonly stepMs?: number;
  /** Two samples' offset ranges may miss each other by this much before the older is forgotten, ms. Default 50. */
  readonly toleranceMs?: number;
}

export const REFERENCE_CLOCK_DEFAULTS = Object.freeze({
  windowSize: 8,
  maxRoundTripMs: 2000,
  maxOffsetMs: 36_525 * 86_400_000,
  minCorrectionMs: 100,
  stepMs: 20,
  toleranceMs: 50,
});

/** The four times of one exchange, epoch ms: t0 and t3 of the own clock, t1 and t2 of the reference's. */
export interface ClockExchange {
  readonly t0: number;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
}

export type ClockSampleRefusal = "invalid" | "reply-before-request" | "negative-round-trip" | "round-trip-too-long" | "offset-too-large";

/** A sample taken: the reference's clock minus ours, the round trip, and when it came (own clock). */
export interface ClockSample {
  readonly offsetMs: number;
  readonly roundTripMs: number;
  readonly at: number;
}

export type ClockSampleOutcome = { readonly accepted: true; readonly sample: ClockSample } | { readonly accepted: false; readonly reason: ClockSampleRefusal };

/** The offset and round trip of one exchange, or why it is refused. */
export function measureExchange(
  e: ClockExchange,
  o: { readonly maxRoundTripMs: number; readonly maxOffsetMs: number } = REFERENCE_CLOCK_DEFAULTS,
): ClockSampleOutcome {
  if (![e.t0, e.t1, e.t2, e.t3].every(Number.isFinite)) return { accepted: false, reason: "invalid" };
  if (e.t2 < e.t1) return { accepted: false, reason: "reply-before-request" };
  const roundTripMs = e.t3 - e.t0 - (e.t2 - e.t1);
  if (roundTripMs < 0) return { accepted: false, reason: "negative-round-trip" };
  if (roundTripMs > o.maxRoundTripMs) return { accepted: false, reason: "round-trip-too-long" };
  const offsetMs = (e.t1 - e.t0 + (e.t2 - e.t3)) / 2;
  if (Math.abs(offsetMs) > o.maxOffsetMs) return { accepted: false, reason: "offset-too-large" };
  return { accepted: true, sample: { offsetMs, roundTripMs, at: e.t3 } };
}

export class ReferenceClock {
  private readonly o: Required<ReferenceClockOptions>;
  /** The latest accepted samples, oldest first. */
  private samples: ClockSample[] = [];
  private correction = 0;
  readonly counters = { accepted: 0, refused: 0, forgotten: 0 };

  constructor(options: ReferenceClockOptions = {}) {
    this.o = { ...REFERENCE_CLOCK_DEFAULTS, ...options };
  }

  /** Takes one exchange; refused ones change nothing. */
  observe(exchange: ClockExchange): ClockSampleOutcome {
    const outcome = measureExchange(exchange, this.o);
    if (!outcome.accepted) {
      this.counters.refused++;
      return outcome;
    }
    const s = outcome.sample;
    // Ranges that cannot both hold the true offset: the clock stepped since the older was taken.
    const kept = this.samples.filter((k) => Math.abs(k.offsetMs - s.offsetMs) <= (k.roundTripMs + s.roundTripMs) / 2 + this.o.toleranceMs);
    this.counters.forgotten += this.samples.length - kept.length;
    kept.push(s);
    this.samples = kept.slice(-this.o.windowSize);
    this.counters.accepted++;
    this.settle();
    return outcome;
  }

  /** The sample believed: the least round trip of the window (the latest of equals); null before any. */
  get best(): ClockSample | null {
    let best: ClockSample | null = null;
    for (const s of this.samples) if (best === null || s.roundTripMs <= best.roundTripMs) best = s;
    return best;
  }

  /** True once a sample was accepted: the reference's time is known (from then on, for good). */
  get known(): boolean {
    return this.samples.length > 0;
  }

  /** What to add to this gateway's clock to read the reference's, ms (whole); 0 when not worth making or not known. */
  get correctionMs(): number {
    return this.correction;
  }

  private settle(): void {
    const best = this.best;
    if (best === null) return;
    const floor = Math.max(this.o.minCorrectionMs, best.roundTripMs / 2);
    const wanted = Math.abs(best.offsetMs) <= floor ? 0 : Math.round(best.offsetMs);
    if (wanted === 0 || this.correction === 0 || Math.abs(wanted - this.correction) >= this.o.stepMs) this.correction = wanted;
  }
}
