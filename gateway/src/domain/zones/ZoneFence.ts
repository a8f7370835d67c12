import { getBounds } from "geolib";
import type { Zone } from "../../../../protocol/index.js";
import {
  type Containment,
  classifyClearance,
  type GeoEstimate,
  type GeoPoint,
  geoDistanceM,
  zoneClearanceM,
} from "./geofence.js";

interface Bounds {
  readonly minLat: number;
  readonly maxLat: number;
  readonly minLon: number;
  readonly maxLon: number;
}

/**
 * A zone prepared for repeated classification: built once per configuration, asked once per
 * subject and second.
 *
 * A polygon's exact clearance costs three geolib distances per edge; most subjects are nowhere near
 * most zones. The polygon's bounding box gives a cheap lower bound on the distance to it, so a point
 * farther from the box than the exit margin plus half its accuracy is `outside` without looking at
 * an edge. (The box is taken in lat/lon, so a polygon spanning the antimeridian is not supported;
 * nor is one anywhere else a shop would not be.)
 */
export class ZoneFence {
  readonly zone: Zone;
  private readonly bounds: Bounds | null;

  constructor(zone: Zone) {
    this.zone = zone;
    if (zone.shape === "polygon") {
      const b = getBounds(zone.points);
      this.bounds = { minLat: b.minLat, maxLat: b.maxLat, minLon: b.minLng, maxLon: b.maxLng };
    } else {
      this.bounds = null;
    }
  }

  /**
   * Where a position estimate lies relative to this zone ({@link classifyClearance}); null when
   * the zone cannot be judged by position (a gateway-radius zone around an unsurveyed gateway).
   * `exitMarginM` is the margin that applies to this zone: its own or the tuning's
   * ({@link zoneExitMarginM}).
   */
  classify(
    position: GeoEstimate,
    exitMarginM: number,
    siteOf: (gatewayId: string) => GeoPoint | undefined,
  ): Containment | null {
    const b = this.bounds;
    if (b !== null) {
      const nearest: GeoPoint = {
        lat: Math.min(b.maxLat, Math.max(b.minLat, position.lat)),
        lon: Math.min(b.maxLon, Math.max(b.minLon, position.lon)),
      };
      const toBoxM =
        nearest.lat === position.lat && nearest.lon === position.lon ? 0 : geoDistanceM(position, nearest);
      if (toBoxM > Math.max(0, exitMarginM) + Math.max(0, position.accuracyM) / 2) return "outside";
    }
    const clearance = zoneClearanceM(this.zone, position, siteOf);
    return clearance === null ? null : classifyClearance(clearance, position.accuracyM, exitMarginM);
  }
}
