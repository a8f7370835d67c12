import { computeEid, eidPeriodStartS } from "./eddystoneEid.js";

/**
 * The store beacon: what a store's gateways advertise so that phones can detect the store
 * themselves (iOS wakes an app that monitors a beacon region, even when it was not running).
 *
 * One derivation serves both formats. Each store has a 16-byte identity key; its ephemeral
 * identifier for a slot of 2^K seconds is the Eddystone-EID of that key (Google's Eddystone-EID
 * computation, `computeEid`), so a passive listener cannot link one slot's value to the next and a
 * value heard in one slot proves nothing in another. As an iBeacon the gateway advertises the
 * organisation's fixed proximity UUID (the region an app monitors) with major and minor taken from
 * the EID's first four bytes; as an Eddystone-EID frame it advertises the eight bytes whole. The
 * cloud, which holds the keys, resolves a reported value to a store only within its slot.
 */

/** Slots of 2^K seconds: at least 2^6 = 64 s (a phone needs time to report), at most 2^15 (about 9 h). */
export const STORE_BEACON_MIN_EXPONENT = 6;
export const STORE_BEACON_MAX_EXPONENT = 15;

export interface StoreBeaconValue {
  /** The slot: the start of the rotation period, Unix seconds. */
  readonly slotStartS: number;
  readonly eid: Uint8Array;
  /** iBeacon major and minor: the EID's bytes 0-1 and 2-3, big-endian. */
  readonly major: number;
  readonly minor: number;
}

/** What the store's beacon advertises at `timeS` (Unix seconds). */
export function storeBeaconValue(identityKey: Uint8Array, rotationExponent: number, timeS: number): StoreBeaconValue {
  const eid = computeEid(identityKey, rotationExponent, timeS);
  return {
    slotStartS: eidPeriodStartS(rotationExponent, timeS),
    eid,
    major: ((eid[0] ?? 0) << 8) | (eid[1] ?? 0),
    minor: ((eid[2] ?? 0) << 8) | (eid[3] ?? 0),
  };
}

/** Bytes of a UUID written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (any case), or null. */
export function uuidBytes(uuid: string): Uint8Array | null {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex) || !/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/.test(uuid)) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const FLAGS_LE_GENERAL_NO_BREDR = [0x02, 0x01, 0x06];

function signedByte(value: number, name: string): number {
  if (!Number.isInteger(value) || value < -128 || value > 127) throw new RangeError(`${name} must be an integer in -128..127`);
  return value & 0xff;
}

/**
 * Advertising data (at most 31 bytes) of an iBeacon: the flags, then Apple's manufacturer data
 * (company 0x004C, type 0x02, length 0x15): proximity UUID, major, minor (big-endian) and the
 * measured power at 1 m in dBm.
 */
export function iBeaconAdvertisingData(uuid: string, major: number, minor: number, measuredPowerDbm: number): Uint8Array {
  const id = uuidBytes(uuid);
  if (!id) throw new RangeError(`not a UUID: ${uuid}`);
  for (const [name, v] of [
    ["major", major],
    ["minor", minor],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${name} must be an integer in 0..65535`);
  }
  return Uint8Array.from([
    ...FLAGS_LE_GENERAL_NO_BREDR,
    0x1a,
    0xff,
    0x4c,
    0x00,
    0x02,
    0x15,
    ...id,
    major >> 8,
    major & 0xff,
    minor >> 8,
    minor & 0xff,
    signedByte(measuredPowerDbm, "measured power"),
  ]);
}

/**
 * Advertising data of an Eddystone-EID frame: the flags, the complete list of 16-bit service
 * UUIDs (0xFEAA), and the service data: frame type 0x30, the calibrated TX power at 0 m in dBm and
 * the 8-byte EID.
 */
export function eddystoneEidAdvertisingData(eid: Uint8Array, txPowerAt0mDbm: number): Uint8Array {
  if (eid.length !== 8) throw new RangeError("an Eddystone-EID has 8 bytes");
  return Uint8Array.from([...FLAGS_LE_GENERAL_NO_BREDR, 0x03, 0x03, 0xaa, 0xfe, 0x0d, 0x16, 0xaa, 0xfe, 0x30, signedByte(txPowerAt0mDbm, "TX power"), ...eid]);
}
