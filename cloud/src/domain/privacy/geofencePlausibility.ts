import { getDistance } from "geolib";

/** A phone's GPS fix as reported with an OS geofence entry; `at` in epoch ms. */
export interface LocationFix {
  readonly lat: number;
  readonly lon: number;
  readonly accuracyM: number;
  readonly at: number;
}

export interface PlausibilityLimits {
  /** A fix whose accuracy radius is wider than this cannot place a phone in one store. */
  readonly maxAccuracyM: number;
  /** Faster than this between two consecutive fixes is not a shopper (about 300 km/h). */
  readonly maxSpeedMps: number;
  /** Farther than this from the store (beyond the fix's own accuracy) is not an entry. */
  readonly maxDistanceFromStoreM: number;
}

/** Defaults: urban GPS is good to tens of metres; 83 m/s ≈ 300 km/h, faster than any car in town. */
export const DEFAULT_PLAUSIBILITY_LIMITS: PlausibilityLimits = {
  maxAccuracyM: 150,
  maxSpeedMps: 83,
  maxDistanceFromStoreM: 300,
};

export type PlausibilityFlag = "accuracy-too-coarse" | "impossible-speed" | "far-from-store" | "store-location-unknown";

export interface PlausibilityVerdict {
  readonly plausible: boolean;
  readonly flags: PlausibilityFlag[];
  /** Metres from the store's position, or null when the store has none. */
  readonly distanceFromStoreM: number | null;
  /** Speed from the previous fix, m/s, or null without one. */
  readonly speedFromPreviousMps: number | null;
}

/**
 * Checks a geofence report before it may trigger an offer. A phone's location can be spoofed or
 * simply bad; these checks catch what a fix alone reveals: an accuracy radius too wide to say
 * which store, a jump from the previous fix that no shopper could make, and a fix far from the
 * store it claims to have entered. A store without coordinates cannot be checked for distance and
 * is flagged as such, without making the report implausible.
 */
export function checkGeofenceFix(input: {
  readonly fix: LocationFix;
  readonly previous: LocationFix | null;
  readonly store: { readonly lat: number | null; readonly lon: number | null };
  readonly limits?: PlausibilityLimits;
}): PlausibilityVerdict {
  const limits = input.limits ?? DEFAULT_PLAUSIBILITY_LIMITS;
  const { fix, previous, store } = input;
  const flags: PlausibilityFlag[] = [];
  if (fix.accuracyM > limits.maxAccuracyM) flags.push("accuracy-too-coarse");

  let speed: number | null = null;
  if (previous) {
    const metres = getDistance(previous, fix, 0.1);
    // Both fixes are uncertain by their accuracy radius: only movement beyond that counts.
    const moved = Math.max(0, metres - fix.accuracyM - previous.accuracyM);
    const seconds = Math.abs(fix.at - previous.at) / 1000;
    speed = seconds > 0 ? moved / seconds : moved > 0 ? Number.POSITIVE_INFINITY : 0;
    if (speed > limits.maxSpeedMps) flags.push("impossible-speed");
  }

  let distance: number | null = null;
  if (store.lat === null || store.lon === null) {
    flags.push("store-location-unknown");
  } else {
    distance = getDistance({ lat: store.lat, lon: store.lon }, fix, 0.1);
    if (distance - fix.accuracyM > limits.maxDistanceFromStoreM) flags.push("far-from-store");
  }
  return {
    plausible: !flags.some((f) => f !== "store-location-unknown"),
    flags,
    distanceFromStoreM: distance,
    // Two fixes at the same instant but apart give an infinite speed; JSON has no Infinity.
    speedFromPreviousMps: speed === null || !Number.isFinite(speed) ? null : Math.round(speed * 10) / 10,
  };
}
