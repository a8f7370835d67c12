/**
 * The advertisement object noble builds from an advert (lib/hci-socket/gap.js parseServices), as far
 * as it can be turned back into AD structures. Every field is optional and checked at run time: this
 * is another library's object.
 */
export interface NobleParsedAdvertisement {
  readonly localName?: unknown;
  readonly txPowerLevel?: unknown;
  readonly manufacturerData?: unknown;
  readonly serviceData?: unknown;
  readonly serviceUuids?: unknown;
}

/** AD types (Bluetooth Assigned Numbers §2.3 "Common Data Types"). */
const AD_COMPLETE_16_BIT_UUIDS = 0x03;
const AD_COMPLETE_128_BIT_UUIDS = 0x07;
const AD_COMPLETE_LOCAL_NAME = 0x09;
const AD_TX_POWER_LEVEL = 0x0a;
const AD_SERVICE_DATA_16 = 0x16;
const AD_SERVICE_DATA_32 = 0x20;
const AD_SERVICE_DATA_128 = 0x21;
const AD_MANUFACTURER_DATA = 0xff;

/**
 * Rebuilds AD structures `[len][type][data]...` (Core Spec v5.4 Vol 3 Part C §11) from noble's parsed
 * advertisement, so that `decodeAdvertisement` reads them like the radio's bytes. This is the
 * FALLBACK of NobleScanSource, used only when noble's raw HCI reports are out of reach; it is lossy:
 *
 * - AD order is lost; manufacturer data is written first, then service data in noble's order, so the
 *   decoder prefers manufacturer data exactly as `decodeNobleAdvertisement` does.
 * - noble keeps only the LAST manufacturer data of an advert, and keeps it across later adverts of
 *   the same address (gap.js resets service data per advert, not manufacturer data), so a beacon
 *   that interleaves iBeacon and Eddystone frames can be reported as its last iBeacon frame.
 * - Flags, solicitation UUIDs and unknown AD types are dropped; none of them identifies a beacon.
 */
export function adStructuresFromNoble(adv: NobleParsedAdvertisement): Uint8Array {
  const parts: Uint8Array[] = [];
  const push = (type: number, data: Uint8Array): void => {
    // One length octet counts the type octet and the data, so the data is at most 254 octets.
    if (data.length > 254) return;
    parts.push(Uint8Array.of(data.length + 1, type), data);
  };
  if (adv.manufacturerData instanceof Uint8Array) push(AD_MANUFACTURER_DATA, adv.manufacturerData);
  if (Array.isArray(adv.serviceData)) {
    for (const entry of adv.serviceData as unknown[]) {
      const { uuid, data } = (entry ?? {}) as { uuid?: unknown; data?: unknown };
      if (typeof uuid !== "string" || !(data instanceof Uint8Array)) continue;
      const uuidBytes = uuidLittleEndian(uuid);
      const type =
        uuidBytes?.length === 2
          ? AD_SERVICE_DATA_16
          : uuidBytes?.length === 4
            ? AD_SERVICE_DATA_32
            : uuidBytes?.length === 16
              ? AD_SERVICE_DATA_128
              : undefined;
      if (uuidBytes === null || type === undefined) continue;
      push(type, concat([uuidBytes, data]));
    }
  }
  if (Array.isArray(adv.serviceUuids)) {
    const short: Uint8Array[] = [];
    const long: Uint8Array[] = [];
    for (const uuid of adv.serviceUuids as unknown[]) {
      const uuidBytes = typeof uuid === "string" ? uuidLittleEndian(uuid) : null;
      if (uuidBytes?.length === 2) short.push(uuidBytes);
      else if (uuidBytes?.length === 16) long.push(uuidBytes);
    }
    if (short.length > 0) push(AD_COMPLETE_16_BIT_UUIDS, concat(short));
    if (long.length > 0) push(AD_COMPLETE_128_BIT_UUIDS, concat(long));
  }
  if (typeof adv.localName === "string" && adv.localName.length > 0) {
    push(AD_COMPLETE_LOCAL_NAME, new TextEncoder().encode(adv.localName));
  }
  const tx = adv.txPowerLevel;
  if (typeof tx === "number" && Number.isInteger(tx) && tx >= -128 && tx <= 127) {
    push(AD_TX_POWER_LEVEL, Uint8Array.of(tx & 0xff));
  }
  return concat(parts);
}

/**
 * noble writes UUIDs as big-endian hex without dashes ("feaa"; noble pads nothing, so a 16-bit UUID
 * below 0x1000 comes out as 3 hex digits). On air they are little-endian (Core Spec Supplement
 * Part A §1.1).
 */
function uuidLittleEndian(uuid: string): Uint8Array | null {
  const digits = uuid.replace(/-/g, "").toLowerCase();
  if (!/^[0-9a-f]+$/.test(digits)) return null;
  const size = digits.length <= 4 ? 2 : digits.length <= 8 ? 4 : digits.length === 32 ? 16 : 0;
  if (size === 0) return null;
  return Uint8Array.from(Buffer.from(digits.padStart(size * 2, "0"), "hex")).reverse();
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
