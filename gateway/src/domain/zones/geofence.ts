import { getDistance, getDistanceFromLine, isPointInPolygon } from "geolib";
import type { Zone } from "../../../../protocol/index.js";

/** A point on the earth, decimal degrees (WGS 84). */
export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

/** A position estimate: a point and the radius within which the subject probably is, metres. */
export interface GeoEstimate extends GeoPoint {
  readonly accuracyM: number;
}

/**
 * Where one sample puts a subject relative to a zone, with hysteresis:
 * - `inside`: evidence for being in the zone (counts towards entering, keeps a visit);
 * - `band`: in the exit margin around the boundary: keeps a visit alive but never enters;
 * - `outside`: beyond the boundary plus the exit margin: evidence of having left.
 */
export type Containment = "inside" | "band" | "outside";

/**
 * geolib rounds distances to `accuracy` metres (default 1 m); shop-floor geometry needs centimetres.
 */
const GEO_ACCURACY_M = 0.01;

/** Distance between two points, metres (geolib's spherical law of cosines, centimetre rounding). */
export function geoDistanceM(a: GeoPoint, b: GeoPoint): number {
  return getDistance(a, b, GEO_ACCURACY_M);
}

/** True when both coordinates are finite and in range. */
export function isValidGeoPoint(p: { readonly lat?: number; readonly lon?: number }): p is GeoPoint {
  return (
    typeof p.lat === "number" &&
    typeof p.lon === "number" &&
    Number.isFinite(p.lat) &&
    Number.isFinite(p.lon) &&
    Math.abs(p.lat) <= 90 &&
    Math.abs(p.lon) <= 180
  );
}

/**
 * Signed distance from `point` to the zone's boundary, metres: positive inside, negative outside.
 *
 * - `circle`: radius minus the distance to the centre;
 * - `polygon`: geolib's isPointInPolygon decides the sign, the distance to the nearest edge
 *   (geolib's getDistanceFromLine, which measures to the segment) the magnitude;
 * - `gateway-radius`: a circle around the gateway's surveyed position, when `siteOf` knows it;
 *   otherwise null (that zone can only be judged from RSSI, see {@link rangeClearanceM}).
 */
export function zoneClearanceM(
  zone: Zone,
  point: GeoPoint,
  siteOf: (gatewayId: string) => GeoPoint | undefined,
): number | null {
  switch (zone.shape) {
    case "circle":
      return zone.radiusM - geoDistanceM(point, zone.center);
    case "gateway-radius": {
      const site = siteOf(zone.gatewayId);
      return site === undefined ? null : zone.radiusM - geoDistanceM(point, site);
    }
    case "polygon": {
      const inside = isPointInPolygon(point, zone.points);
      let nearest = Number.POSITIVE_INFINITY;
      const n = zone.points.length;
      for (let i = 0; i < n; i++) {
        const a = zone.points[i];
        const b = zone.points[(i + 1) % n];
        if (a === undefined || b === undefined) continue;
        const d = getDistanceFromLine(point, a, b, GEO_ACCURACY_M);
        if (Number.isFinite(d) && d < nearest) nearest = d;
      }
      if (!Number.isFinite(nearest)) return null;
      return inside ? nearest : -nearest;
    }
  }
}

/**
 * The exit margin of a zone, metres: its own `exitMarginM` when it has one, else the presence
 * tuning's. A band that suits a 9 m shop floor (where ranging errors grow with distance) holds a
 * 2 m till's visit several metres away, so each zone may size its own.
 */
export function zoneExitMarginM(zone: Zone, tuningExitMarginM: number): number {
  return zone.exitMarginM ?? tuningExitMarginM;
}

/** Signed distance for a `gateway-radius` zone judged from an RSSI distance estimate, metres. */
export function rangeClearanceM(radiusM: number, distanceM: number): number {
  return radiusM - distanceM;
}

/**
 * Classifies a position with an uncertainty radius against a zone boundary.
 *
 * Inside when the clearance is at least half the accuracy radius: with the boundary taken as a
 * straight line at that scale, about 80% of a fix's accuracy disc (or two thirds of the ring a
 * single gateway's range describes) then lies in the zone. That is our reading of "the fix circle is
 * mostly within". Outside when the clearance is below `-(exitMarginM + accuracyM / 2)`, the mirror
 * image beyond the exit margin. In between is the hysteresis band.
 *
 * An RSSI range reading has accuracy 0, which reduces this to `d <= radius` inside and
 * `d > radius + margin` outside.
 */
export function classifyClearance(clearanceM: number, accuracyM: number, exitMarginM: number): Containment {
  const half = Math.max(0, accuracyM) / 2;
  if (clearanceM >= half) return "inside";
  if (clearanceM < -(Math.max(0, exitMarginM) + half)) return "outside";
  return "band";
}
