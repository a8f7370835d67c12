import { describe, expect, it } from "vitest";
import { OfferError } from "../../../../cloud/src/domain/offers/offerError.js";
import {
  formatRedemptionCode,
  parseRedemptionCode,
  parseScannedRedemptionCode,
  REDEMPTION_CODE_BYTES,
} from "../../../../cloud/src/domain/offers/redemptionCode.js";

const bytes = (...b: number[]) => Uint8Array.from(b);
const ZERO = new Uint8Array(12);
const ONES = new Uint8Array(12).fill(0xff);
/** A fixed "random" input: 00 11 22 ... bb. */
const SAMPLE = bytes(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb);
const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{1,4})+$/;

describe("formatRedemptionCode", () => {
  it.each([
    ["all zero", ZERO, "0000-0000-0000-0000-0000"],
    // 96 one-bits: 19 symbols of 31 (Z), then 1 bit + 4 zero padding bits = 10000b = 16 (G).
    ["all ones", ONES, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZG"],
    // Cross-checked with RFC 4648 base32 (Python's b32encode) mapped symbol by symbol to Crockford's alphabet.
    ["sample", SAMPLE, "008J-4CT4-ANK7-F24S-NAXG"],
  ])("%s", (_name, input, expected) => {
    expect(formatRedemptionCode(input)).toBe(expected);
  });

  it("carries at least 96 bits in at least 16 symbols", () => {
    expect(REDEMPTION_CODE_BYTES * 8).toBeGreaterThanOrEqual(96);
    const code = formatRedemptionCode(SAMPLE);
    const symbols = code.replaceAll("-", "");
    expect(symbols.length).toBeGreaterThanOrEqual(16);
    expect(symbols.length * Math.log2(32)).toBeGreaterThanOrEqual(96);
    expect(code).toMatch(CROCKFORD);
    expect(code.length).toBeLessThanOrEqual(64); // OfferMessageSchema.code maxLength
  });

  it("gives different codes for different bytes, down to a single bit", () => {
    const seen = new Set<string>();
    for (let bit = 0; bit < 96; bit++) {
      const b = new Uint8Array(12);
      b[bit >> 3] = 0x80 >> (bit & 7);
      seen.add(formatRedemptionCode(b));
    }
    seen.add(formatRedemptionCode(ZERO));
    expect(seen.size).toBe(97);
    expect(formatRedemptionCode(SAMPLE)).not.toBe(formatRedemptionCode(bytes(...SAMPLE.slice(0, 11), 0xbc)));
  });

  it("uses every byte of a longer input", () => {
    const b16 = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const code = formatRedemptionCode(b16);
    expect(code.replaceAll("-", "")).toHaveLength(26);
    expect(parseRedemptionCode(code)).toBe(code);
  });

  it.each([0, 8, 11, 31])("refuses %i bytes", (n) => {
    expect(() => formatRedemptionCode(new Uint8Array(n))).toThrow(OfferError);
  });
});

describe("parseRedemptionCode", () => {
  const canonical = formatRedemptionCode(SAMPLE); // 008J-4CT4-ANK7-F24S-NAXG

  it.each([
    ["canonical", canonical],
    ["lower case", canonical.toLowerCase()],
    ["no dashes", canonical.replaceAll("-", "")],
    ["spaces instead of dashes", canonical.replaceAll("-", " ")],
    ["padded and mixed", `  ${canonical.slice(0, 9).toLowerCase()}  ${canonical.slice(9)} `],
    ["O for 0", canonical.replaceAll("0", "O")],
    ["o for 0", canonical.replaceAll("0", "o")],
    ["underscores and dots", canonical.replaceAll("-", "_").replace("_", ".")],
  ])("normalises %s", (_name, typed) => {
    expect(parseRedemptionCode(typed)).toBe(canonical);
  });

  it.each([["I and L for 1", "ZZZI-ZZZL-ZZZi-ZZZl-ZZZG", "ZZZ1-ZZZ1-ZZZ1-ZZZ1-ZZZG"]])(
    "normalises %s",
    (_name, typed, expected) => {
      expect(parseRedemptionCode(typed)).toBe(expected);
    },
  );

  it.each([
    ["empty", ""],
    ["too short", canonical.slice(0, -1)],
    // 21 symbols would be a 13-byte code; 22 symbols is no code's length.
    ["a length no code has", `${canonical}00`],
    ["U is not a symbol", canonical.replace("A", "U")],
    ["punctuation", canonical.replace("A", "!")],
    ["non-zero padding bits", canonical.replace(/G$/, "H")],
  ])("rejects %s", (_name, typed) => {
    expect(parseRedemptionCode(typed)).toBeNull();
  });

  it("round-trips random inputs", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const b = Uint8Array.from(
        { length: 12 },
        (_, i) => ((seed * 2654435761 + i * 40503) >>> (i % 24)) & 0xff,
      );
      const code = formatRedemptionCode(b);
      expect(parseRedemptionCode(code)).toBe(code);
      expect(parseRedemptionCode(code.toLowerCase().replaceAll("-", " "))).toBe(code);
    }
  });
});

describe("parseScannedRedemptionCode", () => {
  const code = formatRedemptionCode(SAMPLE);
  it.each([
    ["the bare code", code, code],
    ["the code as typed, lower case without dashes", code.toLowerCase().replace(/-/g, ""), code],
    ["the app's QR payload", `arrival:redeem:v1:${code}`, code],
    ["the QR payload with a scanner's trailing newline", `arrival:redeem:v1:${code}\n`, code],
    ["another payload version", `arrival:redeem:v2:${code}`, null],
    ["another scheme", `other:redeem:v1:${code}`, null],
    ["the prefix alone", "arrival:redeem:v1:", null],
  ])("%s", (_name, input, expected) => {
    expect(parseScannedRedemptionCode(input)).toBe(expected);
  });
});
