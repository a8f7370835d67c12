/**
 * Tuning of {@link RssiSmoother}. The defaults suit beacons advertising at 1-10 Hz.
 */
export interface RssiSmootherOptions {
  /** Samples older than this, relative to the time asked about, are ignored and pruned. ms, default 4000. */
  readonly windowMs: number;
  /**
   * Rank of the estimate among the samples in the window, 0..1 (lower nearest rank,
   * `sorted[floor(q * (n - 1))]`). 0.5 is the median; the default 0.75 sits above it because fading
   * and a body between beacon and gateway take signal away far more often than they add any.
   */
  readonly quantile: number;
  /** At most this many samples are kept (the newest); bounds memory at high advert rates. Default 64. */
  readonly maxSamples: number;
}

export const DEFAULT_SMOOTHER_OPTIONS: RssiSmootherOptions = Object.freeze({
  windowMs: 4000,
  quantile: 0.75,
  maxSamples: 64,
});

/**
 * Robust RSSI smoothing for one beacon heard by one gateway: a quantile over a sliding time window,
 * `sorted[floor(q * (n - 1))]` of the samples younger than `windowMs`.
 *
 * Why not a mean or a Kalman filter: indoor BLE noise is not symmetric. Multipath fading and a
 * shopper's body between the beacon and the gateway cause drops of 10 dB or more in a large share of
 * samples, while readings above the true level are rare and small. A mean (or a Kalman filter, which
 * is a weighted mean) follows those drops and a standing shopper seems to walk away. A rank statistic
 * does not: with q = 0.75 the estimate ignores drops in up to about three quarters of the window, and
 * strong outliers in up to a quarter of it.
 *
 * With few samples the lower nearest rank makes the estimate conservative: two samples give the
 * weaker, three the median. So a single strong advert never stands alone for long, which is what
 * keeps one lucky reading from counting as presence.
 *
 * The price is lag: when the signal really falls (someone walks away) the estimate follows after
 * about `q * windowMs`, when it rises after about `(1 - q) * windowMs`. The presence engine therefore
 * asks for a lower rank when deciding to enter and this upper one to stay.
 */
export class RssiSmoother {
  private options: RssiSmootherOptions;
  /** Sample times, ascending; `values[i]` belongs to `times[i]`. */
  private readonly times: number[] = [];
  private readonly values: number[] = [];

  constructor(options: RssiSmootherOptions = DEFAULT_SMOOTHER_OPTIONS) {
    this.options = options;
  }

  /** Applies new options; kept samples stay and are pruned under the new window on the next call. */
  configure(options: RssiSmootherOptions): void {
    this.options = options;
    this.trimCount();
  }

  /** Number of samples held. */
  get size(): number {
    return this.times.length;
  }

  /** Time of the newest sample held, or null when empty. */
  get newestT(): number | null {
    return this.times.at(-1) ?? null;
  }

  /**
   * Adds one calibrated reading. Samples may arrive slightly out of order (merged streams from
   * several gateways); they are inserted in time order.
   */
  add(t: number, rssiDbm: number): void {
    let i = this.times.length;
    while (i > 0 && (this.times[i - 1] ?? 0) > t) i--;
    this.times.splice(i, 0, t);
    this.values.splice(i, 0, rssiDbm);
    this.trimCount();
  }

  /** Drops samples that fell out of the window as of `now`. */
  prune(now: number): void {
    const oldestKept = now - this.options.windowMs;
    let n = 0;
    while (n < this.times.length && (this.times[n] ?? 0) <= oldestKept) n++;
    if (n > 0) {
      this.times.splice(0, n);
      this.values.splice(0, n);
    }
  }

  /**
   * The smoothed RSSI as of `now`, dBm, or null when no sample is younger than the window. Prunes.
   * Samples newer than `now` (a merged stream slightly ahead) count as current. `quantile` overrides
   * the configured rank for this call (the presence engine asks for a stricter one to enter).
   */
  estimate(now: number, quantile: number = this.options.quantile): number | null {
    this.prune(now);
    const n = this.values.length;
    if (n === 0) return null;
    const sorted = this.values.slice().sort((a, b) => a - b);
    const q = Math.min(1, Math.max(0, quantile));
    const rank = Math.floor(q * (n - 1));
    return sorted[rank] ?? null;
  }

  /**
   * Like {@link estimate}, but ranking one value per `bucketMs` of time (buckets aligned on
   * multiples of `bucketMs`): each bucket's median (lower middle) first, then the `quantile` rank
   * over those. Why: a rank over every advert means different things at different advertising
   * rates. Over a 4 s window at 1 advert/s the 0.6 rank is the 2nd of 3-4 readings, well below the
   * median; at 10 adverts/s it is the 22nd of about 36, above it; so one threshold is strict for a
   * phone in low-power mode and lenient for an iPhone. Ranking per-second values keeps the count,
   * and so the meaning of the rank, the same at any rate.
   */
  estimatePerBucket(now: number, quantile: number, bucketMs: number): number | null {
    this.prune(now);
    const n = this.values.length;
    if (n === 0) return null;
    if (!(bucketMs > 0)) return this.estimate(now, quantile);
    const perBucket: number[] = [];
    let start = 0;
    while (start < n) {
      const bucket = Math.floor((this.times[start] ?? 0) / bucketMs);
      let end = start + 1;
      while (end < n && Math.floor((this.times[end] ?? 0) / bucketMs) === bucket) end++;
      const group = this.values.slice(start, end).sort((a, b) => a - b);
      const mid = group[Math.floor((group.length - 1) / 2)];
      if (mid !== undefined) perBucket.push(mid);
      start = end;
    }
    perBucket.sort((a, b) => a - b);
    const q = Math.min(1, Math.max(0, quantile));
    return perBucket[Math.floor(q * (perBucket.length - 1))] ?? null;
  }

  private trimCount(): void {
    const excess = this.times.length - this.options.maxSamples;
    if (excess > 0) {
      this.times.splice(0, excess);
      this.values.splice(0, excess);
    }
  }
}
