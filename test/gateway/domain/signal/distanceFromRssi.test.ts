import { describe, expect, it } from "vitest";
import { distanceFromRssi, rssiAtDistance } from "../../../../gateway/src/domain/signal/distanceFromRssi.js";

describe("distanceFromRssi (log-distance model)", () => {
  it.each([
    { rssi: -59, p1m: -59, n: 2, expected: 1 },
    { rssi: -79, p1m: -59, n: 2, expected: 10 }, // 20 dB at n=2 is a decade
    { rssi: -69, p1m: -59, n: 2, expected: 10 ** 0.5 },
    { rssi: -89, p1m: -59, n: 3, expected: 10 },
    { rssi: -81, p1m: -59, n: 2.2, expected: 10 },
    { rssi: -49, p1m: -59, n: 2, expected: 10 ** -0.5 }, // closer than 1 m
    { rssi: -70, p1m: -52, n: 2, expected: 10 ** 0.9 }, // per-beacon measured power
  ])("rssi $rssi dBm, P1m $p1m dBm, n $n -> $expected m", ({ rssi, p1m, n, expected }) => {
    expect(distanceFromRssi(rssi, p1m, n)).toBeCloseTo(expected, 9);
  });

  it("clamps to the maximum distance", () => {
    expect(distanceFromRssi(-110, -59, 2)).toBe(50); // would be 355 m
    expect(distanceFromRssi(-110, -59, 2, 20)).toBe(20);
    expect(distanceFromRssi(Number.NaN, -59, 2)).toBe(50);
  });

  it("is the inverse of rssiAtDistance", () => {
    for (const d of [0.5, 1, 2, 3.7, 12]) {
      expect(distanceFromRssi(rssiAtDistance(d, -59, 2.4), -59, 2.4)).toBeCloseTo(d, 9);
    }
  });
});
