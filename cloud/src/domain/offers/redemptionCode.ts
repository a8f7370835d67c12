import { OfferError } from "./offerError.js";

/**
 * Redemption codes a cashier can read and type: Crockford base32 (https://www.crockford.com/base32.html),
 * upper case, in dash-separated groups of four, e.g. `7K3M-Q9TZ-2B8W-XD4N-H6FA`.
 *
 * Entropy: the code is the base32 rendering of injected random bytes, at least 12 (96 bits), so
 * guessing a valid code is hopeless even at millions of tries, and a typo lands on an unknown
 * code rather than on someone else's. No check symbol: Crockford's mod-37 check uses `*~$=U`,
 * which cashiers cannot type on every keypad, and the lookup already rejects unknown codes.
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));
// Crockford's decoding aliases: letters people confuse with digits.
for (const [alias, digit] of [
  ["O", 0],
  ["I", 1],
  ["L", 1],
] as const) {
  VALUE.set(alias, digit);
}

/** Recommended and minimum number of random bytes: 96 bits. */
export const REDEMPTION_CODE_BYTES = 12;
/** Upper bound keeps the formatted code within the wire limit of 64 characters. */
export const MAX_REDEMPTION_CODE_BYTES = 30;
const GROUP = 4;

/** Base32 symbols needed for `n` bytes. */
function symbolsFor(n: number): number {
  return Math.ceil((n * 8) / 5);
}

/** Byte count whose code has `symbols` symbols, or null (the map is one-to-one for 12..30 bytes). */
function bytesFor(symbols: number): number | null {
  const n = Math.floor((symbols * 5) / 8);
  return n >= REDEMPTION_CODE_BYTES && n <= MAX_REDEMPTION_CODE_BYTES && symbolsFor(n) === symbols ? n : null;
}

function group(symbols: string): string {
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP) groups.push(symbols.slice(i, i + GROUP));
  return groups.join("-");
}

/**
 * Formats random `bytes` (12 to 30, from a CSPRNG the caller owns) as a grouped Crockford base32
 * code. Every byte is used, so different inputs of the same length give different codes. 12 bytes
 * give 20 symbols (`XXXX-XXXX-XXXX-XXXX-XXXX`, 24 characters).
 */
export function formatRedemptionCode(bytes: Uint8Array): string {
  if (bytes.length < REDEMPTION_CODE_BYTES || bytes.length > MAX_REDEMPTION_CODE_BYTES) {
    throw new OfferError(
      "INSUFFICIENT_ENTROPY",
      `a redemption code needs ${REDEMPTION_CODE_BYTES} to ${MAX_REDEMPTION_CODE_BYTES} random bytes, got ${bytes.length}`,
    );
  }
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff; // at most 12 live bits, so no overflow
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]; // pad the last symbol with zero bits
  return group(out);
}

/**
 * Normalises what a cashier typed into the canonical code, or null when it cannot be one:
 * case-insensitive, dashes, spaces and other separators ignored, `O` read as 0 and `I`/`L` as 1.
 * Rejects other characters (including `U`), lengths no code has, and non-zero padding bits (which
 * catches some typos in the last symbol). The result is what `formatRedemptionCode` produced.
 */
export function parseRedemptionCode(input: string): string | null {
  const cleaned = input.toUpperCase().replace(/[\s\-_.]/g, "");
  if (bytesFor(cleaned.length) === null) return null;
  let canonical = "";
  for (const c of cleaned) {
    const v = VALUE.get(c);
    if (v === undefined) return null;
    canonical += ALPHABET[v];
  }
  const padBits = (cleaned.length * 5) % 8;
  const last = VALUE.get(cleaned.at(-1) ?? "") ?? 0;
  if (padBits > 0 && (last & ((1 << padBits) - 1)) !== 0) return null;
  return group(canonical);
}

/**
 * What the app's QR code carries: this prefix, then the code (`redemptionPayload` in
 * sdk/src/domain/OfferInbox.ts, docs/app-sdk.md). Versioned, so a later payload format is refused
 * rather than misread.
 */
export const REDEMPTION_QR_PREFIX = "arrival:redeem:v1:";

/**
 * The canonical code of what a till sends: a scanned QR payload (exactly `REDEMPTION_QR_PREFIX`
 * then the code) or the bare code as typed; null when it is neither (another prefix or version).
 */
export function parseScannedRedemptionCode(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.startsWith(REDEMPTION_QR_PREFIX)) return parseRedemptionCode(trimmed.slice(REDEMPTION_QR_PREFIX.length));
  return parseRedemptionCode(trimmed);
}
