/**
 * Byte readers for the decoders. They read by index from the caller's array and never copy or slice:
 * the decoder runs once per advert on a Raspberry Pi, and a gateway in a busy store hears thousands
 * of adverts a second, most of which are not beacons.
 *
 * Callers check bounds first; the `as number` casts below rely on that (noUncheckedIndexedAccess
 * cannot see a range check made once for a whole frame).
 */

/** "00".."ff", so a byte becomes hex with one table load instead of toString + padStart. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, "0"),
);

export function u8(bytes: Uint8Array, offset: number): number {
  return bytes[offset] as number;
}

/** Two's-complement signed byte (dBm fields). */
export function i8(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] as number) << 24) >> 24;
}

export function u16be(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number);
}

/** Bluetooth company identifiers are little-endian on air (Core Spec Supplement Part A §1.4). */
export function u16le(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8);
}

export function i16be(bytes: Uint8Array, offset: number): number {
  return (u16be(bytes, offset) << 16) >> 16;
}

export function u32be(bytes: Uint8Array, offset: number): number {
  // Multiply instead of `<< 24`, which would go negative for values >= 2^31.
  return (bytes[offset] as number) * 0x1000000 + ((u16be(bytes, offset + 1) << 8) | u8(bytes, offset + 3));
}

/** Lowercase hex of bytes[start, end). */
export function hexOf(bytes: Uint8Array, start: number, end: number): string {
  let hex = "";
  for (let i = start; i < end; i++) hex += HEX_BYTE[bytes[i] as number];
  return hex;
}

/** 16 bytes from `start` as a dashed lowercase UUID, 8-4-4-4-12 (RFC 9562 §4, network byte order). */
export function uuidOf(bytes: Uint8Array, start: number): string {
  return `${hexOf(bytes, start, start + 4)}-${hexOf(bytes, start + 4, start + 6)}-${hexOf(bytes, start + 6, start + 8)}-${hexOf(bytes, start + 8, start + 10)}-${hexOf(bytes, start + 10, start + 16)}`;
}
