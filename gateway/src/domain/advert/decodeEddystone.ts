import { eddystoneUidSubjectId } from "../../../../protocol/subjectIds.js";
import { hexOf, i8, i16be, u16be, u32be } from "./bytes.js";
import type {
  EddystoneEid,
  EddystoneEtlm,
  EddystoneTlm,
  EddystoneUid,
  EddystoneUrl,
} from "./decodedBeacon.js";

/**
 * Eddystone (github.com/google/eddystone). Every frame is the Service Data of the 16-bit service UUID
 * 0xFEAA (AD type 0x16, protocol-specification.md "Common Elements"); the frame type is the whole first
 * byte. The spec reserves the low nibble ("must be 0000"), so 0x01 is an unknown frame, not a UID.
 * All multi-byte values are big-endian.
 */
export const EDDYSTONE_SERVICE_UUID = 0xfeaa;
export const EDDYSTONE_FRAME_UID = 0x00;
export const EDDYSTONE_FRAME_URL = 0x10;
export const EDDYSTONE_FRAME_TLM = 0x20;
export const EDDYSTONE_FRAME_EID = 0x30;
/** TLM version byte: 0x00 plain (tlm-plain.md), 0x01 encrypted (tlm-encrypted.md). */
export const EDDYSTONE_TLM_PLAIN = 0x00;
export const EDDYSTONE_TLM_ENCRYPTED = 0x01;

/**
 * eddystone-uid/README.md: 20 bytes, but "existing UID implementations that truncate the frame to omit
 * the RFU bytes will use 0x15" (service data length 0x15 = an 18-byte frame).
 */
const UID_MIN_BYTES = 18;
/** eddystone-url/README.md: frame type, TX power, scheme, then 0-17 encoded bytes. */
const URL_HEADER_BYTES = 3;
const URL_MAX_ENCODED_BYTES = 17;
/** tlm-plain.md: 14 bytes ("Service Data Length byte must be 0x11"). */
const TLM_BYTES = 14;
/** tlm-encrypted.md: 18 bytes. */
const ETLM_BYTES = 18;
/** eddystone-eid/README.md: 10 bytes. */
const EID_BYTES = 10;
/** tlm-plain.md: "If not supported the value should be set to 0x8000, -128 °C." */
const TLM_TEMPERATURE_UNSUPPORTED = 0x8000;

/** eddystone-url/README.md "URL Scheme Prefix" 0x00-0x03. */
const URL_SCHEMES: readonly string[] = ["http://www.", "https://www.", "http://", "https://"];

/** eddystone-url/README.md "HTTP URL encoding" expansion codes 0x00-0x0d. */
const URL_EXPANSIONS: readonly string[] = [
  ".com/",
  ".org/",
  ".edu/",
  ".net/",
  ".info/",
  ".biz/",
  ".gov/",
  ".com",
  ".org",
  ".edu",
  ".net",
  ".info",
  ".biz",
  ".gov",
];

/**
 * What each encoded URL byte stands for: 0x00-0x0d the expansions above, 0x21-0x7e the printable
 * US-ASCII characters, and null for 0x0e-0x20 and 0x7f-0xff, "Reserved for Future Use". Precomputed
 * so the hot path does no String.fromCharCode.
 */
const URL_BYTES: readonly (string | null)[] = Array.from({ length: 256 }, (_, byte): string | null => {
  if (byte < URL_EXPANSIONS.length) return URL_EXPANSIONS[byte] ?? null;
  if (byte >= 0x21 && byte <= 0x7e) return String.fromCharCode(byte);
  return null;
});

export type EddystoneFrame = EddystoneUid | EddystoneUrl | EddystoneTlm | EddystoneEtlm | EddystoneEid;

/**
 * Decodes the Eddystone frame held in bytes[start, end): the service data after the 0xFEAA UUID
 * (noble's `serviceData[].data`). Null for unknown frame types, unknown TLM versions, frames shorter
 * than their layout and URLs that break the URL encoding rules.
 *
 * Fixed-length frames (UID, TLM, eTLM, EID) ignore bytes past their layout, so a beacon that pads its
 * service data still decodes; for URL every byte after the scheme is part of the URL, so the 17-byte
 * limit is enforced there.
 */
export function decodeEddystone(bytes: Uint8Array, start: number, end: number): EddystoneFrame | null {
  if (end <= start) return null;
  switch (bytes[start]) {
    case EDDYSTONE_FRAME_UID:
      return decodeUid(bytes, start, end);
    case EDDYSTONE_FRAME_URL:
      return decodeUrl(bytes, start, end);
    case EDDYSTONE_FRAME_TLM:
      return decodeTlm(bytes, start, end);
    case EDDYSTONE_FRAME_EID:
      return decodeEid(bytes, start, end);
    default:
      return null;
  }
}

/**
 * eddystone-uid/README.md: 0 frame type 0x00 | 1 TX power at 0 m (int8 dBm) | 2-11 namespace (10 B) |
 * 12-17 instance (6 B) | 18-19 RFU. RFU bytes "must be 0x00"; we do not reject other values, since a
 * receiver that insists on reserved bits breaks as soon as they are given a meaning.
 */
function decodeUid(bytes: Uint8Array, start: number, end: number): EddystoneUid | null {
  if (end - start < UID_MIN_BYTES) return null;
  const namespace = hexOf(bytes, start + 2, start + 12);
  const instance = hexOf(bytes, start + 12, start + 18);
  return {
    format: "eddystone-uid",
    id: eddystoneUidSubjectId(namespace, instance),
    namespace,
    instance,
    txPower: i8(bytes, start + 1),
  };
}

/**
 * eddystone-url/README.md: 0 frame type 0x10 | 1 TX power at 0 m (int8 dBm) | 2 URL scheme prefix
 * (0x00-0x03) | 3+ encoded URL, 0-17 bytes. An unknown scheme or a reserved byte makes the frame
 * invalid: guessing would hand a shopper's phone a URL nobody configured.
 */
function decodeUrl(bytes: Uint8Array, start: number, end: number): EddystoneUrl | null {
  const encodedBytes = end - start - URL_HEADER_BYTES;
  if (encodedBytes < 0 || encodedBytes > URL_MAX_ENCODED_BYTES) return null;
  let url = URL_SCHEMES[bytes[start + 2] as number];
  if (url === undefined) return null;
  for (let i = start + URL_HEADER_BYTES; i < end; i++) {
    const text = URL_BYTES[bytes[i] as number];
    if (text === null || text === undefined) return null;
    url += text;
  }
  return { format: "eddystone-url", id: null, url, txPower: i8(bytes, start + 1) };
}

/**
 * tlm-plain.md (version 0x00): 0 frame type 0x20 | 1 version | 2-3 VBATT, 1 mV/bit | 4-5 TEMP, signed
 * 8.8 fixed point °C | 6-9 ADV_CNT | 10-13 SEC_CNT, 0.1 s resolution.
 * tlm-encrypted.md (version 0x01): 0 frame type 0x20 | 1 version | 2-13 ETLM | 14-15 salt | 16-17 MIC.
 * Other versions are unknown frames.
 */
function decodeTlm(bytes: Uint8Array, start: number, end: number): EddystoneTlm | EddystoneEtlm | null {
  if (end - start < 2) return null;
  const version = bytes[start + 1];
  if (version === EDDYSTONE_TLM_PLAIN) {
    if (end - start < TLM_BYTES) return null;
    // "If not supported (for example in a USB-powered beacon) the value should be zeroed."
    const batteryMv = u16be(bytes, start + 2);
    const temperature = u16be(bytes, start + 4);
    return {
      format: "eddystone-tlm",
      id: null,
      batteryMv: batteryMv === 0 ? null : batteryMv,
      temperatureC: temperature === TLM_TEMPERATURE_UNSUPPORTED ? null : i16be(bytes, start + 4) / 256,
      advCount: u32be(bytes, start + 6),
      uptimeS: u32be(bytes, start + 10) / 10,
    };
  }
  if (version === EDDYSTONE_TLM_ENCRYPTED) {
    if (end - start < ETLM_BYTES) return null;
    return {
      format: "eddystone-etlm",
      id: null,
      etlm: hexOf(bytes, start + 2, start + 14),
      salt: hexOf(bytes, start + 14, start + 16),
      mic: hexOf(bytes, start + 16, start + 18),
    };
  }
  return null;
}

/** eddystone-eid/README.md: 0 frame type 0x30 | 1 TX power at 0 m (int8 dBm) | 2-9 EID, 8 bytes. */
function decodeEid(bytes: Uint8Array, start: number, end: number): EddystoneEid | null {
  if (end - start < EID_BYTES) return null;
  const eid = hexOf(bytes, start + 2, start + 10);
  return { format: "eddystone-eid", id: `eddystone-eid:${eid}`, eid, txPower: i8(bytes, start + 1) };
}
