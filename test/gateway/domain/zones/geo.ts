import { computeDestinationPoint } from "geolib";
import type { GeoPoint } from "../../../../gateway/src/domain/zones/geofence.js";

/** A shop floor in Berlin; tests place things in metres east/north of it. */
export const ORIGIN: GeoPoint = { lat: 52.520008, lon: 13.404954 };

/** The point `eastM` metres east and `northM` metres north of `from` (small distances). */
export function offset(from: GeoPoint, eastM: number, northM: number): GeoPoint {
  const north = computeDestinationPoint(from, Math.abs(northM), northM >= 0 ? 0 : 180);
  const both = computeDestinationPoint(north, Math.abs(eastM), eastM >= 0 ? 90 : 270);
  return { lat: both.latitude, lon: both.longitude };
}

/** An axis-aligned rectangle of `widthM` x `heightM` metres with its south-west corner at `sw`. */
export function rectangle(sw: GeoPoint, widthM: number, heightM: number): GeoPoint[] {
  return [sw, offset(sw, widthM, 0), offset(sw, widthM, heightM), offset(sw, 0, heightM)];
}
