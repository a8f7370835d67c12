import { describe, expect, it } from "vitest";
import { fusePosition } from "../../../../gateway/src/domain/zones/fusePosition.js";
import { geoDistanceM } from "../../../../gateway/src/domain/zones/geofence.js";
import { ORIGIN, offset } from "./geo.js";

const east10 = offset(ORIGIN, 10, 0);

describe("fusePosition", () => {
  it("returns null without anchors", () => {
    expect(fusePosition([])).toBeNull();
  });

  it("with one gateway, is the gateway's position with the range as accuracy", () => {
    const p = fusePosition([{ ...ORIGIN, distanceM: 4 }]);
    expect(p).toEqual({ lat: ORIGIN.lat, lon: ORIGIN.lon, accuracyM: 4 });
  });

  it("with two gateways at equal range, is the midpoint", () => {
    const p = fusePosition([
      { ...ORIGIN, distanceM: 5 },
      { ...east10, distanceM: 5 },
    ]);
    expect(p).not.toBeNull();
    if (p === null) return;
    expect(geoDistanceM(p, ORIGIN)).toBeCloseTo(5, 1);
    expect(geoDistanceM(p, east10)).toBeCloseTo(5, 1);
    expect(p.accuracyM).toBeCloseTo(5, 9);
  });

  it("is pulled towards the nearer gateway (inverse-square weights)", () => {
    const p = fusePosition([
      { ...ORIGIN, distanceM: 1 },
      { ...east10, distanceM: 9 },
    ]);
    if (p === null) throw new Error("expected a position");
    // weights 1 and 1/81: 10 m * (1/81) / (1 + 1/81) = 0.122 m from ORIGIN
    expect(geoDistanceM(p, ORIGIN)).toBeCloseTo(0.12, 1);
    expect(p.accuracyM).toBeCloseTo((1 + 9 / 81) / (1 + 1 / 81), 9);
  });

  it("skips anchors with non-finite values", () => {
    const p = fusePosition([
      { ...ORIGIN, distanceM: Number.NaN },
      { ...east10, distanceM: 2 },
    ]);
    expect(p).toEqual({ lat: east10.lat, lon: east10.lon, accuracyM: 2 });
  });
});
