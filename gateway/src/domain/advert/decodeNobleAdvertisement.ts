import type { DecodedBeacon } from "./decodedBeacon.js";
import { decodeEddystone } from "./decodeEddystone.js";
import { decodeManufacturerData } from "./decodeManufacturerData.js";

/**
 * The parts of a noble `peripheral.advertisement` the decoder reads. Declared here, not imported,
 * so the domain does not depend on noble (the adapter passes its object straight through).
 */
export interface NobleAdvertisementLike {
  /** Data of the AD structure of type 0xFF, company id included. */
  readonly manufacturerData?: Uint8Array | undefined;
  /** Service data structures in AD order, uuid as lowercase hex without dashes ("feaa"). */
  readonly serviceData?: ReadonlyArray<{ readonly uuid: string; readonly data: Uint8Array }> | undefined;
}

/**
 * Decodes noble's parsed advertisement with the same rules as decodeAdvertisement.
 *
 * Noble has already walked the AD structures and kept only the LAST manufacturer data of the advert,
 * so AD order is lost: manufacturer data is tried first, then service data in order. For an advert
 * with one beacon (every real beacon we know) both entry points agree; prefer decodeAdvertisement
 * when the raw bytes are at hand.
 */
export function decodeNobleAdvertisement(adv: NobleAdvertisementLike): DecodedBeacon | null {
  const manufacturerData = adv.manufacturerData;
  if (manufacturerData !== undefined) {
    const beacon = decodeManufacturerData(manufacturerData, 0, manufacturerData.length);
    if (beacon !== null) return beacon;
  }
  const serviceData = adv.serviceData;
  if (serviceData !== undefined) {
    for (const entry of serviceData) {
      if (isEddystoneUuid(entry.uuid)) {
        const beacon = decodeEddystone(entry.data, 0, entry.data.length);
        if (beacon !== null) return beacon;
      }
    }
  }
  return null;
}

/** Noble spells 16-bit UUIDs "feaa"; accept other libraries' upper case and full 128-bit forms too. */
function isEddystoneUuid(uuid: string): boolean {
  if (uuid === "feaa") return true;
  const lower = uuid.toLowerCase();
  return (
    lower === "feaa" ||
    lower === "0000feaa00001000800000805f9b34fb" ||
    lower === "0000feaa-0000-1000-8000-00805f9b34fb"
  );
}
