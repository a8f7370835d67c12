import { describe, expect, it } from "vitest";
import { type ClockExchange, measureExchange, ReferenceClock } from "../../../../gateway/src/domain/time/ReferenceClock.js";

/**
 * One exchange with a reference whose clock is `offsetMs` ahead of ours, sent at `t0` (ours), taking
 * `upMs` to reach it, `holdMs` there and `downMs` back.
 */
function exchange(t0: number, offsetMs: number, upMs: number, downMs: number, holdMs = 0): ClockExchange {
  const t1 = t0 + upMs + offsetMs;
  const t2 = t1 + holdMs;
  return { t0, t1, t2, t3: t2 - offsetMs + downMs };
}

describe("measureExchange", () => {
  it.each([
    // offset, up, down, hold: the offset is exact when the paths are symmetric, off by half the asymmetry otherwise.
    [3000, 20, 20, 0, 3000, 40],
    [-3000, 20, 20, 5, -3000, 40],
    [0, 10, 90, 3, -40, 100],
    [1500, 90, 10, 0, 1540, 100],
    [0, 0, 0, 0, 0, 0],
  ])("offset %d, %d ms up, %d ms down, held %d ms: offset %d, round trip %d", (offset, up, down, hold, wantOffset, wantRoundTrip) => {
    const out = measureExchange(exchange(1_000_000, offset, up, down, hold));
    expect(out).toEqual({ accepted: true, sample: { offsetMs: wantOffset, roundTripMs: wantRoundTrip, at: expect.any(Number) } });
    // The true offset lies within the round trip's half, whatever the asymmetry.
    if (out.accepted) expect(Math.abs(out.sample.offsetMs - offset)).toBeLessThanOrEqual(out.sample.roundTripMs / 2);
  });

  it.each([
    ["a time that is not a number", { t0: 1000, t1: Number.NaN, t2: 2000, t3: 1100 }, "invalid"],
    ["a reply sent before the request arrived", { t0: 1000, t1: 5000, t2: 4990, t3: 1100 }, "reply-before-request"],
    ["the own clock going back during the exchange", { t0: 1000, t1: 5000, t2: 5001, t3: 900 }, "negative-round-trip"],
    ["a round trip of 3 s", { t0: 1000, t1: 5000, t2: 5001, t3: 4001 }, "round-trip-too-long"],
    ["an offset of two centuries", { t0: 1000, t1: 1000 + 200 * 365 * 86_400_000, t2: 1001 + 200 * 365 * 86_400_000, t3: 1050 }, "offset-too-large"],
  ] as const)("refuses %s", (_what, e, reason) => {
    expect(measureExchange(e)).toEqual({ accepted: false, reason });
  });

  it("corrects a gateway that booted at 1970 without network time", () => {
    // No battery clock: the Pi's clock starts at the epoch; the cloud's reads 2026-12-08.
    const cloud = Date.parse("2026-12-08T02:40:00Z");
    const outcome = measureExchange({ t0: 5000, t1: cloud + 10, t2: cloud + 11, t3: 5020 });
    expect(outcome).toEqual({ accepted: true, sample: { offsetMs: cloud - 5000 + 0.5, roundTripMs: 19, at: 5020 } });
  });
});

describe("ReferenceClock", () => {
  it("corrects a clock 3 s behind by the sample with the least round trip", () => {
    const c = new ReferenceClock();
    expect(c.known).toBe(false);
    expect(c.correctionMs).toBe(0);
    // A queue on the way up delays the first two; the third waited least.
    c.observe(exchange(100_000, 3000, 400, 20));
    expect(c.correctionMs).toBe(3190);
    c.observe(exchange(164_000, 3000, 150, 30));
    c.observe(exchange(228_000, 3000, 12, 8));
    expect(c.known).toBe(true);
    expect(c.best).toEqual({ offsetMs: 3002, roundTripMs: 20, at: 228_020 });
    expect(c.correctionMs).toBe(3002);
    // A later sample with a longer round trip does not displace it.
    c.observe(exchange(292_000, 3000, 600, 10));
    expect(c.correctionMs).toBe(3002);
  });

  it("makes no correction a round trip cannot tell from zero: a clock kept by NTP keeps its own time", () => {
    const c = new ReferenceClock({ minCorrectionMs: 100 });
    c.observe(exchange(100_000, 30, 40, 40));
    expect(c.best?.offsetMs).toBe(30);
    expect(c.correctionMs).toBe(0);
    // 150 ms off, but measured over a 400 ms round trip: within its half, so not made either.
    const slow = new ReferenceClock({ minCorrectionMs: 100 });
    slow.observe(exchange(100_000, 150, 200, 200));
    expect(slow.correctionMs).toBe(0);
    // The same 150 ms over a 20 ms round trip is made.
    slow.observe(exchange(164_000, 150, 10, 10));
    expect(slow.correctionMs).toBe(150);
  });

  it("moves a correction in force only by stepMs or more", () => {
    const c = new ReferenceClock({ stepMs: 20 });
    c.observe(exchange(100_000, -2000, 20, 20));
    expect(c.correctionMs).toBe(-2000);
    // The crystal drifted 10 ms: a better sample, but not worth a step of the stamps.
    c.observe(exchange(164_000, -1990, 5, 5));
    expect(c.best?.offsetMs).toBe(-1990);
    expect(c.correctionMs).toBe(-2000);
    c.observe(exchange(228_000, -1970, 2, 2));
    expect(c.correctionMs).toBe(-1970);
  });

  it("keeps the last good correction through an outage, however long", () => {
    const c = new ReferenceClock();
    c.observe(exchange(100_000, 3000, 20, 20));
    // Nothing observed for a day: nothing forgotten (samples age by count, not time).
    expect(c.correctionMs).toBe(3000);
    expect(c.best?.at).toBe(100_040);
  });

  it("keeps the least round trip of the last windowSize samples only", () => {
    const c = new ReferenceClock({ windowSize: 3 });
    c.observe(exchange(100_000, 1000, 1, 1));
    for (let i = 1; i <= 3; i++) c.observe(exchange(100_000 + i * 64_000, 1050, 40, 40));
    // The 2 ms sample fell out of the window; the best of the three left is a 80 ms one.
    expect(c.best?.roundTripMs).toBe(80);
    expect(c.correctionMs).toBe(1050);
  });

  it("follows a step of the own clock at the next sample, forgetting the samples from before it", () => {
    const c = new ReferenceClock();
    // 3 s behind, measured well several times.
    for (let i = 0; i < 4; i++) c.observe(exchange(100_000 + i * 64_000, 3000, 5, 5));
    expect(c.correctionMs).toBe(3000);
    // NTP (or an operator) steps the clock right: the next sample, though over a longer round trip,
    // cannot agree with the old ones, which are forgotten.
    c.observe(exchange(400_000, 0, 60, 60));
    expect(c.counters.forgotten).toBe(4);
    expect(c.best?.offsetMs).toBe(0);
    expect(c.correctionMs).toBe(0);
  });

  it("counts refused samples and is not moved by them", () => {
    const c = new ReferenceClock();
    c.observe(exchange(100_000, 500, 10, 10));
    expect(c.observe({ t0: 200_000, t1: 900_000, t2: 900_001, t3: 199_000 })).toEqual({ accepted: false, reason: "negative-round-trip" });
    expect(c.counters).toEqual({ accepted: 1, refused: 1, forgotten: 0 });
    expect(c.correctionMs).toBe(500);
  });
});
