import { ibeaconSubjectId } from "../../../../protocol/subjectIds.js";
import { i8, u16be, uuidOf } from "./bytes.js";
import type { IBeacon } from "./decodedBeacon.js";

/** Apple's Bluetooth SIG company identifier. */
export const APPLE_COMPANY_ID = 0x004c;
/** Apple manufacturer-data type byte and length byte that announce an iBeacon. */
export const IBEACON_TYPE = 0x02;
export const IBEACON_LENGTH = 0x15;
/** Company id (2) + type (1) + length (1) + the 0x15 = 21 bytes the length byte announces. */
export const IBEACON_MFG_DATA_BYTES = 4 + IBEACON_LENGTH;

/**
 * Decodes an iBeacon from manufacturer-specific data held in bytes[start, end): the data of an AD
 * structure of type 0xFF, company id included (noble's `manufacturerData`).
 *
 * Apple "Proximity Beacon Specification" R1, advertising payload offsets (ours = Apple's − 5, since
 * Apple counts from the Flags AD structure and its length/type bytes 0-4):
 *
 * | Apple | ours  | field                                        |
 * |-------|-------|----------------------------------------------|
 * | 5-6   | 0-1   | company id 0x004C, little-endian (4C 00)      |
 * | 7     | 2     | beacon type 0x02                             |
 * | 8     | 3     | length 0x15: 21 bytes follow                  |
 * | 9-24  | 4-19  | proximity UUID                               |
 * | 25-26 | 20-21 | major, big-endian                            |
 * | 27-28 | 22-23 | minor, big-endian                            |
 * | 29    | 24    | measured power, signed dBm at 1 m            |
 *
 * Returns null when the company, type or length byte differ (other Apple "Continuity" messages such
 * as Find My 0x12 or Nearby 0x10 share the company id) or when fewer than 25 bytes are present. Bytes
 * after the 25th are ignored: Apple data is a sequence of type/length messages, and the length byte
 * 0x15 bounds this one.
 */
export function decodeIBeacon(bytes: Uint8Array, start: number, end: number): IBeacon | null {
  if (end - start < IBEACON_MFG_DATA_BYTES) return null;
  if (
    bytes[start] !== (APPLE_COMPANY_ID & 0xff) ||
    bytes[start + 1] !== APPLE_COMPANY_ID >> 8 ||
    bytes[start + 2] !== IBEACON_TYPE ||
    bytes[start + 3] !== IBEACON_LENGTH
  ) {
    return null;
  }
  const uuid = uuidOf(bytes, start + 4);
  const major = u16be(bytes, start + 20);
  const minor = u16be(bytes, start + 22);
  return {
    format: "ibeacon",
    id: ibeaconSubjectId(uuid, major, minor),
    uuid,
    major,
    minor,
    measuredPower: i8(bytes, start + 24),
  };
}
