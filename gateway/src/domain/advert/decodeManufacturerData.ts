import { decodeAltBeacon } from "./decodeAltBeacon.js";
import type { AltBeacon, IBeacon } from "./decodedBeacon.js";
import { decodeIBeacon } from "./decodeIBeacon.js";

/**
 * Decodes manufacturer-specific data (AD type 0xFF; Core Spec Supplement Part A §1.4: a 2-byte
 * little-endian company identifier, then data the company defines) held in bytes[start, end).
 * iBeacon is tried first; the two cannot both match, since iBeacon needs bytes 2-3 = 02 15 and
 * AltBeacon needs BE AC there.
 */
export function decodeManufacturerData(
  bytes: Uint8Array,
  start: number,
  end: number,
): IBeacon | AltBeacon | null {
  return decodeIBeacon(bytes, start, end) ?? decodeAltBeacon(bytes, start, end);
}
