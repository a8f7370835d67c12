import { describe, expect, it } from "vitest";
import {
  classifyClearance,
  type GeoPoint,
  zoneClearanceM,
} from "../../../../gateway/src/domain/zones/geofence.js";
import { ZoneFence } from "../../../../gateway/src/domain/zones/ZoneFence.js";
import type { Zone } from "../../../../protocol/index.js";
import { ORIGIN, offset, rectangle } from "./geo.js";

const gw = offset(ORIGIN, 2, 2);
const siteOf = (id: string): GeoPoint | undefined => (id === "gw-1" ? gw : undefined);
// An L-shaped polygon: its bounding box holds points that are far from the polygon itself.
const lShape: Zone = {
  id: "l",
  shape: "polygon",
  points: [
    ORIGIN,
    offset(ORIGIN, 12, 0),
    offset(ORIGIN, 12, 4),
    offset(ORIGIN, 4, 4),
    offset(ORIGIN, 4, 12),
    offset(ORIGIN, 0, 12),
  ],
};
const zones: Zone[] = [
  lShape,
  { id: "r", shape: "polygon", points: rectangle(ORIGIN, 20, 10) },
  { id: "c", shape: "circle", center: offset(ORIGIN, 6, 6), radiusM: 4 },
  { id: "g", shape: "gateway-radius", gatewayId: "gw-1", radiusM: 3 },
];

describe("ZoneFence", () => {
  it("classifies exactly like the clearance it short-cuts, on a grid around each zone", () => {
    let outsideByBox = 0;
    for (const zone of zones) {
      const fence = new ZoneFence(zone);
      for (let x = -8; x <= 28; x += 1.5) {
        for (let y = -8; y <= 20; y += 1.5) {
          for (const accuracyM of [0, 3, 12]) {
            const p = { ...offset(ORIGIN, x, y), accuracyM };
            const exact = classifyClearance(zoneClearanceM(zone, p, siteOf) ?? Number.NaN, accuracyM, 1.5);
            const fast = fence.classify(p, 1.5, siteOf);
            expect(fast, `${zone.id} at (${x}, ${y}) ±${accuracyM} m`).toBe(exact);
            if (fast === "outside") outsideByBox++;
          }
        }
      }
    }
    expect(outsideByBox).toBeGreaterThan(100);
  });

  it("returns null for a gateway-radius zone around an unsurveyed gateway", () => {
    const fence = new ZoneFence({ id: "g", shape: "gateway-radius", gatewayId: "gw-9", radiusM: 3 });
    expect(fence.classify({ ...ORIGIN, accuracyM: 1 }, 1, siteOf)).toBeNull();
  });
});
