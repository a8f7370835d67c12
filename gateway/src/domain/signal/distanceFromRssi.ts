/** Distances beyond this are clamped: BLE in a store says nothing useful past a few tens of metres. */
export const DEFAULT_MAX_DISTANCE_M = 50;

/**
 * Log-distance path-loss model: `d = 10 ^ ((P1m - rssi) / (10 n))`, with `P1m` the calibrated power
 * at 1 m and `n` the path-loss exponent (2 in free space, 2-3 in a shop, up to 4-5 through shelving
 * and people). The result is clamped to `[0, maxDistanceM]`; a non-finite input gives `maxDistanceM`,
 * the least committal answer.
 *
 * @param rssiDbm calibrated, smoothed RSSI, dBm
 * @param measuredPowerDbm power at 1 m, dBm
 * @param pathLossExponent n, > 0
 * @param maxDistanceM clamp, metres (default 50)
 * @returns distance, metres
 */
export function distanceFromRssi(
  rssiDbm: number,
  measuredPowerDbm: number,
  pathLossExponent: number,
  maxDistanceM: number = DEFAULT_MAX_DISTANCE_M,
): number {
  const d = 10 ** ((measuredPowerDbm - rssiDbm) / (10 * pathLossExponent));
  if (!Number.isFinite(d)) return maxDistanceM;
  return Math.max(0, Math.min(maxDistanceM, d));
}

/** Inverse of the model: the RSSI expected at `distanceM`. Handy for simulators and tests. */
export function rssiAtDistance(
  distanceM: number,
  measuredPowerDbm: number,
  pathLossExponent: number,
): number {
  return measuredPowerDbm - 10 * pathLossExponent * Math.log10(distanceM);
}
