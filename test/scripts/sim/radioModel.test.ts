import { describe, expect, it } from "vitest";
import { STORE_PLAN } from "../../../scripts/sim/floorPlan.js";
import { DEFAULT_RADIO, RadioModel, ricianFadeDb } from "../../../scripts/sim/RadioModel.js";
import { streamOf } from "../../../scripts/sim/rng.js";
import { ShadowField } from "../../../scripts/sim/ShadowField.js";
import { TrajectoryBuilder } from "../../../scripts/sim/Trajectory.js";

const gateway = STORE_PLAN.gateways[0] ?? { id: "gw", position: { x: 0, y: 0 } };
const still = { txOffsetDb: 0, bodyLossDb: 0, bearingRad: 0 };

describe("RadioModel", () => {
  it("follows the log-distance model without shadowing, on the slant distance", () => {
    const radio = new RadioModel(STORE_PLAN, { ...DEFAULT_RADIO, shadowingDb: 0 }, 1);
    const g = gateway.position;
    // 4 m away horizontally, 1.5 m below: slant sqrt(16 + 2.25).
    const rssi = radio.meanRssiDbm(still, { x: g.x + 4, y: g.y, headingRad: 0 }, gateway);
    expect(rssi).toBeCloseTo(-59 - 22 * Math.log10(Math.hypot(4, 1.5)), 6);
  });

  it("takes body loss when the body is between phone and gateway, none when facing it", () => {
    const radio = new RadioModel(STORE_PLAN, { ...DEFAULT_RADIO, shadowingDb: 0 }, 1);
    const g = gateway.position;
    const tx = { txOffsetDb: 0, bodyLossDb: 8, bearingRad: 0 };
    const at = { x: g.x + 3, y: g.y };
    const facing = radio.meanRssiDbm(tx, { ...at, headingRad: Math.PI }, gateway);
    const away = radio.meanRssiDbm(tx, { ...at, headingRad: 0 }, gateway);
    const side = radio.meanRssiDbm(tx, { ...at, headingRad: Math.PI / 2 }, gateway);
    expect(facing - away).toBeCloseTo(8, 6);
    expect(facing - side).toBeCloseTo(4, 6);
  });

  it("adds the storefront loss only when the line misses the door", () => {
    const radio = new RadioModel(STORE_PLAN, { ...DEFAULT_RADIO, shadowingDb: 0, storefrontDb: 7 }, 1);
    const open = new RadioModel(STORE_PLAN, { ...DEFAULT_RADIO, shadowingDb: 0 }, 1);
    const throughGlass = { x: 0, y: -2, headingRad: Math.PI / 2 };
    const throughDoor = { x: 6, y: -2, headingRad: Math.PI / 2 };
    expect(
      open.meanRssiDbm(still, throughGlass, gateway) - radio.meanRssiDbm(still, throughGlass, gateway),
    ).toBeCloseTo(7, 6);
    expect(
      open.meanRssiDbm(still, throughDoor, gateway) - radio.meanRssiDbm(still, throughDoor, gateway),
    ).toBeCloseTo(0, 6);
  });

  it("loses about packetLoss of strong adverts and reports whole dBm", () => {
    const radio = new RadioModel(STORE_PLAN, DEFAULT_RADIO, 1);
    const random = streamOf(1, "test");
    const link = { valueDb: 0, lastT: null };
    let heard = 0;
    for (let i = 0; i < 4000; i++) {
      const rssi = radio.receive(
        random,
        still,
        { x: gateway.position.x + 1, y: gateway.position.y, headingRad: 0 },
        gateway,
        link,
        i * 100,
      );
      if (rssi !== null) {
        heard++;
        expect(Number.isInteger(rssi)).toBe(true);
      }
    }
    expect(heard / 4000).toBeGreaterThan(0.86);
    expect(heard / 4000).toBeLessThan(0.94);
  });

  it("fades like a Rician channel of unit mean power", () => {
    const random = streamOf(2, "fade");
    let power = 0;
    let below10 = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const db = ricianFadeDb(random, 3);
      power += 10 ** (db / 10);
      if (db < -10) below10++;
    }
    expect(power / n).toBeCloseTo(1, 1);
    // Deep fades happen, rarely (K = 3: about 1-2% of adverts 10 dB down).
    expect(below10 / n).toBeGreaterThan(0.003);
    expect(below10 / n).toBeLessThan(0.05);
  });
});

describe("ShadowField", () => {
  it("has the asked standard deviation and an exponential correlation over distance", () => {
    const n = 300;
    let var0 = 0;
    const lags = [1, 3, 10];
    const cov = lags.map(() => 0);
    for (let s = 0; s < n; s++) {
      const f = new ShadowField(streamOf(s, "field"), {
        sigmaDb: 6,
        decorrelationM: 3,
        bounds: { minX: 0, maxX: 12, minY: 0, maxY: 1 },
      });
      const a = f.at(0, 0);
      var0 += a * a;
      lags.forEach((d, i) => {
        cov[i] = (cov[i] ?? 0) + a * f.at(d, 0);
      });
    }
    expect(Math.sqrt(var0 / n)).toBeGreaterThan(5);
    expect(Math.sqrt(var0 / n)).toBeLessThan(7);
    const rho = cov.map((c) => c / var0);
    expect(rho[0]).toBeGreaterThan(0.5); // exp(-1/3) = 0.72
    expect(rho[1]).toBeGreaterThan(0.15); // exp(-1) = 0.37
    expect(rho[1]).toBeLessThan(0.6);
    expect(Math.abs(rho[2] ?? 1)).toBeLessThan(0.2); // exp(-10/3) = 0.04
  });

  it("is flat zero without shadowing", () => {
    const f = new ShadowField(streamOf(1), {
      sigmaDb: 0,
      decorrelationM: 3,
      bounds: { minX: 0, maxX: 1, minY: 0, maxY: 1 },
    });
    expect(f.at(0.3, 0.7)).toBe(0);
  });
});

describe("Trajectory", () => {
  it("interpolates poses and solves the time inside a circle exactly", () => {
    const t = new TrajectoryBuilder(0, { x: -10, y: 0 }).walk({ x: 10, y: 0 }, 1).stand(5000, 1).build();
    expect(t.at(5000)).toEqual({ x: -5, y: 0, headingRad: 0 });
    expect(t.at(22_000)).toEqual({ x: 10, y: 0, headingRad: 1 });
    expect(t.at(-1)).toBeNull();
    expect(t.at(25_001)).toBeNull();
    // Circle of 3 m around the origin: walking from x = -3 (7 s) to x = 3 (13 s).
    const inside = t.insideIntervals({ x: 0, y: 0 }, 3);
    expect(inside).toHaveLength(1);
    expect(inside[0]?.enterAt).toBeCloseTo(7000, 6);
    expect(inside[0]?.leaveAt).toBeCloseTo(13_000, 6);
    // Standing inside a circle extends the interval to the end of the stand.
    const atEnd = t.insideIntervals({ x: 10, y: 0 }, 1);
    expect(atEnd).toEqual([{ enterAt: 19_000, leaveAt: 25_000 }]);
    expect(t.insideIntervals({ x: 0, y: 5 }, 3)).toEqual([]);
  });
});
