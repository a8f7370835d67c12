import { describe, expect, it } from "vitest";
import { altBeaconDistanceM, KalmanRssiFilter } from "../../../scripts/bench/baselines/kalman.js";

// The peer baseline of scripts/bench/presence.ts; kept with the simulator's tests (test/scripts/sim)
// because that is the only test folder for scripts so far.
describe("KalmanRssiFilter (kalmanjs conventions: R process noise, Q measurement noise)", () => {
  it("matches hand-computed steps for R = 0.008, Q = 4", () => {
    const f = new KalmanRssiFilter({ R: 0.008, Q: 4 });
    // First measurement: x = z, P = Q.
    expect(f.filter(-70)).toBe(-70);
    expect(f.covariance).toBe(4);
    // P- = 4.008, K = 4.008 / 8.008 = 0.5004995, x = -70 + K * 10, P = P- - K P- = 2.0019980.
    expect(f.filter(-60)).toBeCloseTo(-64.995005, 5);
    expect(f.covariance).toBeCloseTo(2.001998, 5);
    // P- = 2.009998, K = 2.009998 / 6.009998 = 0.3344424, x = -64.995005 + K * (-80 + 64.995005),
    // P = 2.009998 - K * 2.009998 = 1.337769.
    expect(f.filter(-80)).toBeCloseTo(-70.013311, 5);
    expect(f.covariance).toBeCloseTo(1.337769, 5);
  });

  it("settles to a small gain: about 4.4% of each new measurement with R = 0.008, Q = 4", () => {
    const f = new KalmanRssiFilter({ R: 0.008, Q: 4 });
    for (let i = 0; i < 2000; i++) f.filter(-70);
    const before = f.estimate;
    const after = f.filter(-60);
    expect((after - before) / 10).toBeCloseTo(0.0437, 3);
  });
});

describe("altBeaconDistanceM (room-assistant's curve)", () => {
  it.each([
    [-59, -59, 1], // ratio 1: 0.89976 + 0.111 = 1.01 -> 1.0
    [-50, -59, 0.2], // ratio 0.847 < 1: 0.847^10 = 0.19
    [-70, -59, 3.5], // ratio 1.186: 0.89976 * 1.186^7.7095 + 0.111 = 3.47
    [-80, -59, 9.5], // ratio 1.356: 9.52
  ])("rssi %d, power %d -> %d m", (rssi, power, metres) => {
    expect(altBeaconDistanceM(rssi, power)).toBe(metres);
  });

  it("is unknown for rssi 0", () => {
    expect(altBeaconDistanceM(0, -59)).toBeNull();
  });
});
