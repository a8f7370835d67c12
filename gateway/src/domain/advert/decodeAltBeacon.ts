import { altbeaconSubjectId } from "../../../../protocol/subjectIds.js";
import { hexOf, i8, u8, u16be, u16le } from "./bytes.js";
import type { AltBeacon } from "./decodedBeacon.js";

/** Beacon code, sent big-endian as BE AC. */
export const ALTBEACON_CODE = 0xbeac;
/** Company id (2) + beacon code (2) + beacon id (20) + reference RSSI (1); the reserved byte is optional. */
export const ALTBEACON_MIN_MFG_DATA_BYTES = 25;

/**
 * Decodes an AltBeacon from manufacturer-specific data held in bytes[start, end) (company id
 * included, as in noble's `manufacturerData`).
 *
 * AltBeacon Protocol Specification v1.0 (github.com/AltBeacon/spec), offsets in the AD structure
 * (ours = spec − 2: the spec counts the AD length byte 0x1B and type byte 0xFF):
 *
 * | spec  | ours  | field                                                          |
 * |-------|-------|----------------------------------------------------------------|
 * | 2-3   | 0-1   | MFG ID, the maker's company identifier, little-endian           |
 * | 4-5   | 2-3   | beacon code 0xBEAC, big-endian                                  |
 * | 6-25  | 4-23  | beacon id, 20 bytes, big-endian                                 |
 * | 26    | 24    | reference RSSI, signed dBm at 1 m                               |
 * | 27    | 25    | MFG RSVD, reserved for the manufacturer                         |
 *
 * Any company id is accepted: the beacon code, not the company, marks the format. The spec splits
 * the beacon id only as "first 16+ bytes unique to the organisational unit"; we follow the
 * id1 (16 bytes) / id2 / id3 (2 bytes each) split that android-beacon-library made the de facto
 * convention. A 25-byte payload without MFG RSVD (sent by some beacons, accepted by
 * android-beacon-library) decodes with `mfgReserved: null`.
 */
export function decodeAltBeacon(bytes: Uint8Array, start: number, end: number): AltBeacon | null {
  const length = end - start;
  if (length < ALTBEACON_MIN_MFG_DATA_BYTES) return null;
  if (u16be(bytes, start + 2) !== ALTBEACON_CODE) return null;
  const id1 = hexOf(bytes, start + 4, start + 20);
  const id2 = u16be(bytes, start + 20);
  const id3 = u16be(bytes, start + 22);
  return {
    format: "altbeacon",
    id: altbeaconSubjectId(id1, id2, id3),
    companyId: u16le(bytes, start),
    id1,
    id2,
    id3,
    referenceRssi: i8(bytes, start + 24),
    mfgReserved: length > ALTBEACON_MIN_MFG_DATA_BYTES ? u8(bytes, start + 25) : null,
  };
}
