import { type Heard, ThresholdDetector, type ThresholdDetectorOptions } from "./detector.js";

/**
 * A one-dimensional Kalman filter for a signal assumed constant (state transition A = 1, no control,
 * measurement C = 1), with the conventions of kalmanjs (github.com/wouterbulten/kalmanjs), the filter
 * room-assistant uses per BLE tag: `R` is the process noise, `Q` the measurement noise.
 *
 * - first measurement z: x = z, P = Q;
 * - then, per measurement: predict P⁻ = P + R; gain K = P⁻ / (P⁻ + Q); x = x + K (z - x);
 *   P = P⁻ - K P⁻.
 *
 * It filters per measurement, not per unit of time: at 10 adverts/s it settles ten times faster in
 * seconds than at 1/s. Written from the equations (W. Bulten, "Kalman filters explained: removing
 * noise from RSSI signals", 2015), not copied.
 */
export class KalmanRssiFilter {
  readonly processNoise: number;
  readonly measurementNoise: number;
  private x = Number.NaN;
  private cov = Number.NaN;

  constructor(options: { readonly R: number; readonly Q: number }) {
    this.processNoise = options.R;
    this.measurementNoise = options.Q;
  }

  /** Feeds one measurement; returns the new estimate. */
  filter(z: number): number {
    if (Number.isNaN(this.x)) {
      this.x = z;
      this.cov = this.measurementNoise;
      return this.x;
    }
    const predicted = this.cov + this.processNoise;
    const gain = predicted / (predicted + this.measurementNoise);
    this.x += gain * (z - this.x);
    this.cov = predicted - gain * predicted;
    return this.x;
  }

  /** Current estimate (NaN before the first measurement). */
  get estimate(): number {
    return this.x;
  }

  /** Current error covariance (NaN before the first measurement). */
  get covariance(): number {
    return this.cov;
  }
}

/**
 * The distance curve room-assistant uses (Tag.distance, after the Android Beacon Library's
 * CurveFittedDistanceCalculator defaults, fitted to a Nexus 4): with ratio = rssi / measuredPower,
 * ratio^10 below 1, else 0.89976 · ratio^7.7095 + 0.111; rounded to 0.1 m as room-assistant does.
 * Null for rssi 0 (room-assistant's "unknown").
 */
export function altBeaconDistanceM(rssiDbm: number, measuredPowerDbm: number): number | null {
  if (rssiDbm === 0) return null;
  const ratio = rssiDbm / measuredPowerDbm;
  const d = ratio < 1 ? ratio ** 10 : 0.89976 * ratio ** 7.7095 + 0.111;
  return Math.round(d * 10) / 10;
}

/** Noise settings of the Kalman baseline, as the issue gives them: R = 0.008, Q = 4. */
export const KALMAN_BASELINE = Object.freeze({ R: 0.008, Q: 4 });

/**
 * What room-assistant actually uses for BLE: `BluetoothLowEnergyService extends
 * KalmanFilterable(Object, 0.8, 15)` ("parameters determined experimentally"); its `KalmanFilterable`
 * mixin defaults to R = 1, Q = 1 (src/util/filters.ts), kalmanjs to R = 1, Q = 1 too.
 */
export const ROOM_ASSISTANT_BLE_KALMAN = Object.freeze({ R: 0.8, Q: 15 });

/**
 * Peer baseline (b): room-assistant style. Each gateway smooths each beacon's RSSI with its own
 * {@link KalmanRssiFilter} (kept for the whole run, as room-assistant keeps one per tag), turns the
 * filtered RSSI into a distance with {@link altBeaconDistanceM} and the advertised measured power,
 * and the subject is in a zone while that distance is within the radius (or until it goes unheard
 * for the timeout).
 */
export class KalmanThresholdDetector extends ThresholdDetector {
  readonly name: string;
  private readonly noise: { readonly R: number; readonly Q: number };
  private readonly filters = new Map<string, KalmanRssiFilter>();

  constructor(options: ThresholdDetectorOptions & { readonly R?: number; readonly Q?: number }) {
    super(options);
    this.noise = { R: options.R ?? KALMAN_BASELINE.R, Q: options.Q ?? KALMAN_BASELINE.Q };
    this.name = `Kalman (R=${this.noise.R}, Q=${this.noise.Q}) + AltBeacon curve`;
  }

  protected distanceM(heard: Heard): number | null {
    const key = `${heard.subjectId}\u0000${heard.gatewayId}`;
    let filter = this.filters.get(key);
    if (filter === undefined) {
      filter = new KalmanRssiFilter(this.noise);
      this.filters.set(key, filter);
    }
    return altBeaconDistanceM(filter.filter(heard.rssi), heard.measuredPowerDbm);
  }
}
