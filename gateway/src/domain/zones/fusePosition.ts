import type { GeoEstimate, GeoPoint } from "./geofence.js";

/** A gateway with a surveyed position and the distance at which it currently hears the subject. */
export interface RangeAnchor extends GeoPoint {
  readonly distanceM: number;
}

/** Distances below this are treated as this when weighting, so one reading cannot take all weight. */
const MIN_WEIGHT_DISTANCE_M = 0.5;

/**
 * Position of a subject from the gateways that hear it: the centroid of their positions weighted by
 * inverse squared distance (the nearest gateway dominates, as its range estimate is also the most
 * precise, since RSSI error in metres grows with distance).
 *
 * The accuracy is the weighted mean of the distances. With one gateway this is exactly the ring on
 * which the subject lies; with several it is a deliberately pessimistic bound. A weighted centroid is
 * used rather than least-squares trilateration because RSSI ranges are too noisy for trilateration
 * to converge reliably with the 2-3 gateways of a shop, and the centroid never lands outside the
 * gateways' hull.
 *
 * Averaging lat/lon directly is exact enough at shop scale (tens of metres, away from the
 * antimeridian). Returns null when there is no usable anchor.
 */
export function fusePosition(anchors: readonly RangeAnchor[]): GeoEstimate | null {
  let sumW = 0;
  let lat = 0;
  let lon = 0;
  let dist = 0;
  for (const a of anchors) {
    if (!Number.isFinite(a.distanceM) || !Number.isFinite(a.lat) || !Number.isFinite(a.lon)) continue;
    const d = Math.max(a.distanceM, MIN_WEIGHT_DISTANCE_M);
    const w = 1 / (d * d);
    sumW += w;
    lat += w * a.lat;
    lon += w * a.lon;
    dist += w * Math.max(0, a.distanceM);
  }
  if (sumW === 0) return null;
  return { lat: lat / sumW, lon: lon / sumW, accuracyM: dist / sumW };
}
