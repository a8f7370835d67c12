/**
 * Plausibility limits and calibration of raw RSSI readings. Pure: numbers in, numbers out.
 *
 * The HCI LE Advertising Report carries RSSI as a signed byte in -127..+20 dBm, with 127 meaning
 * "RSSI not available" (Bluetooth Core 5.4, Vol 4, Part E, 7.7.65.2). Anything outside that range is
 * not a reading at all and is rejected; readings inside it but outside what a BLE receiver can
 * plausibly report at a store's distances (-110..0 dBm) are clamped.
 */

/** Weakest RSSI we keep; weaker readings are clamped up to this. dBm. */
export const MIN_RSSI_DBM = -110;
/** Strongest RSSI we keep; stronger readings (antenna touching the radio) are clamped down to this. dBm. */
export const MAX_RSSI_DBM = 0;
/** The HCI range; values outside are "not available" (127) or garbage and are dropped. */
const HCI_MIN_RSSI_DBM = -127;
const HCI_MAX_RSSI_DBM = 20;

/** Calibrated power at 1 m assumed when neither calibration nor the beacon gives one. dBm. */
export const DEFAULT_MEASURED_POWER_DBM = -59;
/**
 * Range of believable "measured power at 1 m" values. iBeacon encodes it as a signed byte; tags in
 * the field advertise -40..-100 dBm. A beacon advertising 0 or -127 is misconfigured, not calibrated.
 */
export const MIN_MEASURED_POWER_DBM = -100;
export const MAX_MEASURED_POWER_DBM = -20;

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/**
 * Turns a raw reading into a calibrated RSSI: adds the gateway's offset (receivers differ by several
 * dB), then clamps to -110..0 dBm. Returns null when the raw value is not a reading (non-finite,
 * 127 "not available", or outside the HCI range).
 */
export function calibrateRssi(rawRssiDbm: number, gatewayOffsetDb = 0): number | null {
  if (!Number.isFinite(rawRssiDbm)) return null;
  // 127 ("not available") is above the HCI maximum, so this test drops it too.
  if (rawRssiDbm < HCI_MIN_RSSI_DBM || rawRssiDbm > HCI_MAX_RSSI_DBM) return null;
  const offset = Number.isFinite(gatewayOffsetDb) ? gatewayOffsetDb : 0;
  return clamp(rawRssiDbm + offset, MIN_RSSI_DBM, MAX_RSSI_DBM);
}

/** True when `dbm` is a believable calibrated power at 1 m. */
export function isPlausibleMeasuredPower(dbm: number | null | undefined): dbm is number {
  return (
    typeof dbm === "number" &&
    Number.isFinite(dbm) &&
    dbm >= MIN_MEASURED_POWER_DBM &&
    dbm <= MAX_MEASURED_POWER_DBM
  );
}

/**
 * The power at 1 m to use for a beacon, most specific first: the operator's per-beacon calibration,
 * then what the beacon advertises (iBeacon measuredPower, AltBeacon reference RSSI, Eddystone TX
 * power at 0 m minus 41 dB, converted by the decoder), then the configured default, then -59 dBm.
 * Implausible values at any level are skipped.
 */
export function resolveMeasuredPowerDbm(
  calibratedDbm: number | undefined,
  advertisedDbm: number | null | undefined,
  defaultDbm: number | undefined,
): number {
  if (isPlausibleMeasuredPower(calibratedDbm)) return calibratedDbm;
  if (isPlausibleMeasuredPower(advertisedDbm)) return advertisedDbm;
  if (isPlausibleMeasuredPower(defaultDbm)) return defaultDbm;
  return DEFAULT_MEASURED_POWER_DBM;
}
