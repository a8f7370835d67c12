import type { DecodedBeacon } from "./decodedBeacon.js";
import { decodeEddystone, EDDYSTONE_SERVICE_UUID } from "./decodeEddystone.js";
import { decodeManufacturerData } from "./decodeManufacturerData.js";

/** AD types (Bluetooth Assigned Numbers §2.3, "Common Data Types"). */
const AD_TYPE_SERVICE_DATA_16 = 0x16;
const AD_TYPE_MANUFACTURER_DATA = 0xff;

/**
 * Decodes the advertising data of one HCI LE advertising report (the AD structures
 * `[len][type][data]...` that btmon prints) into the first beacon it carries, or null for "no beacon".
 * Pure and total: any byte array is accepted and nothing is thrown.
 *
 * Walk (Core Spec v5.4 Vol 3 Part C §11 "Advertising and scan response data format"): each AD
 * structure is a length octet, then `length` octets of which the first is the AD type.
 * - A zero length octet ends the significant part; what follows is padding and is not read.
 * - A length that runs past the data is a broken structure: it and everything after it are ignored,
 *   structures before it still count (a beacon found before it is returned).
 * - A well-framed structure that is not a valid beacon (another company's data, a short iBeacon, an
 *   unknown Eddystone frame) is skipped and the walk goes on.
 *
 * Choice: when several beacon structures are present the FIRST one in AD order is returned, so the
 * same bytes always give the same beacon. Eddystone is recognised from its service data alone; the
 * spec also asks for 0xFEAA in a UUID list, but real captures omit it and the service data is
 * unambiguous.
 */
export function decodeAdvertisement(data: Uint8Array): DecodedBeacon | null {
  const size = data.length;
  let offset = 0;
  while (offset < size) {
    const length = data[offset] as number;
    if (length === 0) return null;
    const end = offset + 1 + length;
    if (end > size) return null;
    const type = data[offset + 1];
    if (type === AD_TYPE_MANUFACTURER_DATA) {
      const beacon = decodeManufacturerData(data, offset + 2, end);
      if (beacon !== null) return beacon;
    } else if (
      type === AD_TYPE_SERVICE_DATA_16 &&
      length >= 3 &&
      // The 16-bit service UUID opens the service data, little-endian (Core Spec Supplement Part A §1.11).
      data[offset + 2] === (EDDYSTONE_SERVICE_UUID & 0xff) &&
      data[offset + 3] === EDDYSTONE_SERVICE_UUID >> 8
    ) {
      const beacon = decodeEddystone(data, offset + 4, end);
      if (beacon !== null) return beacon;
    }
    offset = end;
  }
  return null;
}
