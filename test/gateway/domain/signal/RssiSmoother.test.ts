import { describe, expect, it } from "vitest";
import {
  DEFAULT_SMOOTHER_OPTIONS,
  RssiSmoother,
} from "../../../../gateway/src/domain/signal/RssiSmoother.js";

/** Feeds `values` one per `stepMs` starting at t=0 and returns the estimate after the last. */
function run(values: readonly number[], stepMs = 1000, smoother = new RssiSmoother()): number | null {
  let t = 0;
  for (const v of values) {
    smoother.add(t, v);
    t += stepMs;
  }
  return smoother.estimate(t - stepMs);
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("RssiSmoother", () => {
  it.each([
    { name: "steady", values: [-65, -65, -65, -65, -65, -65], expected: -65 },
    { name: "one 10 dB drop", values: [-65, -65, -65, -65, -65, -75], expected: -65 },
    { name: "two 10 dB drops in the window", values: [-65, -65, -65, -75, -65, -75], expected: -65 },
    {
      name: "a 12 dB body block on every other sample",
      values: [-65, -77, -65, -77, -65, -77],
      expected: -65,
    },
    { name: "a real fall (walked away) is followed", values: [-65, -65, -75, -75, -75, -75], expected: -75 },
    { name: "first sample stands alone", values: [-50], expected: -50 },
    {
      name: "with two samples the weaker wins (one strong advert is not trusted)",
      values: [-50, -80],
      expected: -80,
    },
    { name: "with three, the median", values: [-50, -80, -70], expected: -70 },
  ])("$name -> $expected dBm", ({ values, expected }) => {
    expect(run(values)).toBe(expected);
  });

  it("at 10 Hz, 30% one-sided 10 dB drops move the estimate by < 1 dB while the mean moves 3 dB", () => {
    const values: number[] = [];
    for (let i = 0; i < 100; i++) values.push(i % 10 < 3 ? -75 : -65); // 30% dropped, in bursts of 3
    const smoothed = run(values, 100);
    expect(smoothed).not.toBeNull();
    expect(Math.abs((smoothed ?? 0) - -65)).toBeLessThan(1);
    expect(Math.abs(mean(values.slice(-40)) - -65)).toBeGreaterThanOrEqual(3);
  });

  it("a single strong outlier among many does not lift the estimate", () => {
    const values = [-70, -70, -70, -70, -70, -70, -70, -70, -70, -50];
    expect(run(values, 400)).toBe(-70);
  });

  it("takes a per-call rank (the engine's stricter enter estimate)", () => {
    const s = new RssiSmoother();
    [-60, -60, -70, -70, -80].forEach((v, i) => {
      s.add(i * 500, v);
    });
    expect(s.estimate(2000)).toBe(-60); // rank floor(0.75 * 4) = 3 of [-80, -70, -70, -60, -60]
    expect(s.estimate(2000, 0.5)).toBe(-70);
    expect(s.estimate(2000, 0)).toBe(-80);
  });

  it("per-bucket estimate: ranks one median per second, so the rank means the same at 1 and 10 adverts/s", () => {
    // The phone turns each second: a second facing the gateway (-60), a second with the body in
    // between (-72). At 10/s that is 10 adverts a second; at 1/s, one.
    const fast = new RssiSmoother();
    for (let t = 0; t < 4000; t += 100) fast.add(t, Math.floor(t / 1000) % 2 === 0 ? -60 : -72);
    const slow = new RssiSmoother();
    for (let t = 0; t < 4000; t += 1000) slow.add(t, Math.floor(t / 1000) % 2 === 0 ? -60 : -72);
    // Per advert, the 0.6 rank over 40 samples is strong (the 24th), over 4 it is weak (the 2nd).
    expect(fast.estimate(3900, 0.6)).toBe(-60);
    expect(slow.estimate(3000, 0.6)).toBe(-72);
    // Per second, both rank the same four values.
    expect(fast.estimatePerBucket(3900, 0.6, 1000)).toBe(-72);
    expect(slow.estimatePerBucket(3000, 0.6, 1000)).toBe(-72);
    // The rank applies across buckets: the top of four per-second medians.
    const mixed = new RssiSmoother();
    [-80, -70, -65, -75].forEach((v, i) => {
      mixed.add(i * 1000, v);
      mixed.add(i * 1000 + 500, v - 20);
      mixed.add(i * 1000 + 700, v + 1);
    });
    expect(mixed.estimatePerBucket(3700, 1, 1000)).toBe(-65);
    expect(mixed.estimatePerBucket(3700, 0, 1000)).toBe(-80);
    expect(new RssiSmoother().estimatePerBucket(0, 0.6, 1000)).toBeNull();
  });

  it("forgets samples older than the window and reports null when nothing is fresh", () => {
    const s = new RssiSmoother({ ...DEFAULT_SMOOTHER_OPTIONS, windowMs: 4000 });
    s.add(0, -80);
    s.add(1000, -60);
    expect(s.estimate(1000)).toBe(-80); // two samples: the weaker
    expect(s.estimate(4500)).toBe(-60); // the one at t=0 fell out
    expect(s.size).toBe(1);
    expect(s.estimate(5000)).toBeNull();
    expect(s.size).toBe(0);
    expect(s.newestT).toBeNull();
  });

  it("keeps at most maxSamples, the newest", () => {
    const s = new RssiSmoother({ windowMs: 60_000, quantile: 0, maxSamples: 3 });
    for (const [t, v] of [
      [0, -90],
      [1, -50],
      [2, -60],
      [3, -70],
    ] as const) {
      s.add(t, v);
    }
    expect(s.size).toBe(3);
    expect(s.estimate(3)).toBe(-70); // quantile 0 = minimum; -90 was evicted
  });

  it("inserts out-of-order samples by time", () => {
    const s = new RssiSmoother({ windowMs: 1000, quantile: 1, maxSamples: 10 });
    s.add(2000, -70);
    s.add(500, -40); // late, and too old by the time it is asked about
    s.add(1500, -60);
    expect(s.newestT).toBe(2000);
    expect(s.estimate(2000)).toBe(-60); // quantile 1 = maximum of (1000, 2000]
  });
});
