import { Aes128 } from "./aes128.js";

/**
 * Eddystone-EID ephemeral identifiers, as published in Google's Eddystone specification
 * (github.com/google/eddystone, eddystone-eid/eid-computation.md, "Computing an EID value").
 *
 * A phone advertises an 8-byte id that changes every 2^K seconds; only a holder of the 16-byte
 * identity key (the phone and the cloud) can tell that two ids belong to the same install, so a
 * passive listener cannot link sightings across rotation periods.
 *
 * The beacon time counter is a 32-bit seconds counter. This product uses Unix time in seconds
 * (modulo 2^32) as the counter: phones keep an NTP-synchronised clock, so no per-install clock
 * offset has to be registered, and every install rotates at the same instants, so the moment of a
 * rotation does not itself link an old id to a new one.
 */

/** The spec allows rotation period exponents 0..15 (periods of 1 s to about 9 hours). */
export const EID_MIN_ROTATION_EXPONENT = 0;
export const EID_MAX_ROTATION_EXPONENT = 15;

function checkInputs(identityKey: Uint8Array, rotationExponent: number, timeS: number): void {
  if (identityKey.length !== 16) throw new RangeError("an Eddystone-EID identity key has 16 bytes");
  if (
    !Number.isInteger(rotationExponent) ||
    rotationExponent < EID_MIN_ROTATION_EXPONENT ||
    rotationExponent > EID_MAX_ROTATION_EXPONENT
  ) {
    throw new RangeError(`rotation exponent must be an integer in 0..15, got ${rotationExponent}`);
  }
  if (!Number.isInteger(timeS) || timeS < 0) throw new RangeError(`beacon time must be a non-negative integer`);
}

/**
 * The temporary key: AES-128 of the identity key over 11 zero bytes, the salt 0xFF, two zero
 * bytes and the top 16 bits of the time counter, big-endian. It changes every 65 536 s.
 */
export function eidTemporaryKey(identityKey: Uint8Array, timeS: number): Uint8Array {
  checkInputs(identityKey, 0, timeS);
  const counter = timeS % 2 ** 32;
  const block = new Uint8Array(16);
  block[11] = 0xff;
  block[14] = Math.floor(counter / 2 ** 24) & 0xff;
  block[15] = Math.floor(counter / 2 ** 16) & 0xff;
  return new Aes128(identityKey).encryptBlock(block);
}

/**
 * The 8-byte ephemeral identifier at beacon time `timeS`: AES-128 of the temporary key over 11
 * zero bytes, the rotation exponent K and the 32-bit big-endian time counter with its K lowest
 * bits cleared; the first 8 bytes of the cipher output.
 */
export function computeEid(identityKey: Uint8Array, rotationExponent: number, timeS: number): Uint8Array {
  checkInputs(identityKey, rotationExponent, timeS);
  const temporaryKey = eidTemporaryKey(identityKey, timeS);
  const quantised = eidPeriodStartS(rotationExponent, timeS) % 2 ** 32;
  const block = new Uint8Array(16);
  block[11] = rotationExponent;
  block[12] = Math.floor(quantised / 2 ** 24) & 0xff;
  block[13] = Math.floor(quantised / 2 ** 16) & 0xff;
  block[14] = Math.floor(quantised / 2 ** 8) & 0xff;
  block[15] = quantised & 0xff;
  return new Aes128(temporaryKey).encryptBlock(block).slice(0, 8);
}

/** Start of the rotation period containing `timeS` (the counter with its K lowest bits cleared). */
export function eidPeriodStartS(rotationExponent: number, timeS: number): number {
  const period = 2 ** rotationExponent;
  return Math.floor(timeS / period) * period;
}

/** Lowercase hex of bytes; the subject id form the wire contract uses. */
export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** Bytes of an even-length hex string, or null when it is not hex. */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The subject id a gateway reports for an Eddystone-EID sighting: `eddystone-eid:<16 hex>`. */
export function eidSubjectId(eid: Uint8Array): string {
  return `eddystone-eid:${toHex(eid)}`;
}
