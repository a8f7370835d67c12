import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  aes128EncryptBlock,
  computeEid,
  eidSubjectId,
  eidTemporaryKey,
  fromHex,
  isValidSubjectId,
  toHex,
} from "../../protocol/index.js";

const hex = (s: string): Uint8Array => {
  const bytes = fromHex(s.replaceAll(" ", ""));
  if (!bytes) throw new Error(`bad hex ${s}`);
  return bytes;
};

/** Node's OpenSSL AES-128-ECB: an independent implementation to compare against. */
function opensslEcb(key: Uint8Array, block: Uint8Array): string {
  const cipher = createCipheriv("aes-128-ecb", key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]).toString("hex");
}

describe("AES-128 (FIPS-197)", () => {
  it.each([
    // FIPS-197 Appendix B (cipher example) and Appendix C.1 (AES-128 example vector).
    ["2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734", "3925841d02dc09fbdc118597196a0b32"],
    ["000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a"],
  ])("key %s encrypts %s to the published %s", (key, plain, expected) => {
    expect(toHex(aes128EncryptBlock(hex(key), hex(plain)))).toBe(expected);
  });

  it("agrees with OpenSSL's AES-128-ECB on random keys and blocks", () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(16);
      const block = randomBytes(16);
      expect(toHex(aes128EncryptBlock(key, block))).toBe(opensslEcb(key, block));
    }
  });

  it("refuses keys and blocks of the wrong size", () => {
    expect(() => aes128EncryptBlock(new Uint8Array(15), new Uint8Array(16))).toThrow(RangeError);
    expect(() => aes128EncryptBlock(new Uint8Array(16), new Uint8Array(8))).toThrow(RangeError);
  });
});

describe("Eddystone-EID (eddystone-eid/eid-computation.md)", () => {
  // Published vectors of RadiusNetworks' ephemeral_calc (spec/encryptor_spec.rb): identity key
  // 0102030405060708090A111213141516, rotation exponent 10, at beacon time 0 and at 2000 s
  // (which the scaler quantises to 1024).
  const ik = hex("0102030405060708090a111213141516");
  it.each([
    [0, "a9b76a71c5f89290"],
    [2000, "4144413e45fefa58"],
    [1024, "4144413e45fefa58"],
    [2047, "4144413e45fefa58"],
  ])("identity key 0102…16, K=10, t=%d gives %s", (timeS, expected) => {
    expect(toHex(computeEid(ik, 10, timeS))).toBe(expected);
  });

  it("follows the spec's two AES steps byte for byte (checked against OpenSSL)", () => {
    const key = randomBytes(16);
    const timeS = 0x5a7c_3bb2; // top 16 bits 0x5a7c, low bits non-zero
    const tkBlock = hex("0000000000000000000000ff00005a7c");
    const tk = eidTemporaryKey(key, timeS);
    expect(toHex(tk)).toBe(opensslEcb(key, tkBlock));
    // K = 12 clears the 12 lowest bits: 0x5a7c3bb2 → 0x5a7c3000.
    const eidBlock = hex("0000000000000000000000 0c 5a7c3000");
    expect(toHex(computeEid(key, 12, timeS))).toBe(opensslEcb(tk, eidBlock).slice(0, 16));
  });

  it("changes at each rotation boundary and stays put within a period", () => {
    const period = 2 ** 8;
    const start = 1_700_000_000 - (1_700_000_000 % period);
    const a = toHex(computeEid(ik, 8, start));
    expect(toHex(computeEid(ik, 8, start + period - 1))).toBe(a);
    expect(toHex(computeEid(ik, 8, start + period))).not.toBe(a);
  });

  it("gives subject ids in the wire contract's form", () => {
    expect(isValidSubjectId("eddystone-eid", eidSubjectId(computeEid(ik, 10, 0)))).toBe(true);
  });

  it("refuses out-of-range exponents and keys", () => {
    expect(() => computeEid(ik, 16, 0)).toThrow(RangeError);
    expect(() => computeEid(new Uint8Array(8), 10, 0)).toThrow(RangeError);
  });
});
