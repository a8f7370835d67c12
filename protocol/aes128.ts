/**
 * AES-128 block encryption (FIPS-197), encryption direction only, in plain TypeScript.
 *
 * Eddystone-EID needs exactly two single-block AES-128 encryptions per identifier. Doing them in
 * plain code rather than through Web Crypto keeps EID computation synchronous (the cloud's
 * resolution table is rebuilt in a loop, a phone computes the id to advertise from a timer) and
 * available on every JavaScript runtime, React Native included, which has no `crypto.subtle`.
 * The S-box is derived from its definition (FIPS-197 §5.1.1: multiplicative inverse in GF(2^8)
 * followed by the affine transform) rather than typed in, so no table entry can be mistyped.
 * This is not a constant-time implementation; it encrypts timer values, never secrets chosen by
 * an attacker, and a phone or the cloud is not a shared-cache environment for this key.
 */

const SBOX = buildSbox();

function xtime(b: number): number {
  return ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;
}

function gfMul(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) product ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return product;
}

function buildSbox(): Uint8Array {
  const box = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    // Multiplicative inverse: x^254 in GF(2^8); 0 maps to 0 (FIPS-197 §5.1.1).
    let inverse = 0;
    if (x !== 0) {
      inverse = 1;
      for (let i = 0; i < 254; i++) inverse = gfMul(inverse, x);
    }
    // Affine transform b'_i = b_i ^ b_{i+4} ^ b_{i+5} ^ b_{i+6} ^ b_{i+7} ^ c_i, c = 0x63.
    let s = inverse;
    for (let shift = 1; shift <= 4; shift++) s ^= ((inverse << shift) | (inverse >> (8 - shift))) & 0xff;
    box[x] = s ^ 0x63;
  }
  return box;
}

/** The 176-byte key schedule of a 16-byte key (FIPS-197 §5.2, Nk = 4, Nr = 10). */
function expandKey(key: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError(`AES-128 needs a 16-byte key, got ${key.length}`);
  const w = new Uint8Array(176);
  w.set(key);
  let rcon = 1;
  for (let i = 16; i < 176; i += 4) {
    let t0 = w[i - 4] ?? 0;
    let t1 = w[i - 3] ?? 0;
    let t2 = w[i - 2] ?? 0;
    let t3 = w[i - 1] ?? 0;
    if (i % 16 === 0) {
      // RotWord, SubWord, then Rcon on the first byte.
      const first = t0;
      t0 = (SBOX[t1] ?? 0) ^ rcon;
      t1 = SBOX[t2] ?? 0;
      t2 = SBOX[t3] ?? 0;
      t3 = SBOX[first] ?? 0;
      rcon = xtime(rcon);
    }
    w[i] = (w[i - 16] ?? 0) ^ t0;
    w[i + 1] = (w[i - 15] ?? 0) ^ t1;
    w[i + 2] = (w[i - 14] ?? 0) ^ t2;
    w[i + 3] = (w[i - 13] ?? 0) ^ t3;
  }
  return w;
}

/** An AES-128 key, expanded once, that encrypts single 16-byte blocks (ECB on one block). */
export class Aes128 {
  private readonly schedule: Uint8Array;

  constructor(key: Uint8Array) {
    this.schedule = expandKey(key);
  }

  /** Encrypts one 16-byte block (FIPS-197 §5.1, Cipher()). */
  encryptBlock(block: Uint8Array): Uint8Array {
    if (block.length !== 16) throw new RangeError(`AES encrypts 16-byte blocks, got ${block.length}`);
    const s = Uint8Array.from(block);
    const w = this.schedule;
    for (let i = 0; i < 16; i++) s[i] = (s[i] ?? 0) ^ (w[i] ?? 0);
    for (let round = 1; round <= 10; round++) {
      // SubBytes and ShiftRows together: the state is column-major, byte (row r, column c) at 4c + r.
      const t = new Uint8Array(16);
      for (let c = 0; c < 4; c++) {
        for (let r = 0; r < 4; r++) t[4 * c + r] = SBOX[s[4 * ((c + r) % 4) + r] ?? 0] ?? 0;
      }
      if (round < 10) {
        // MixColumns (FIPS-197 §5.1.3).
        for (let c = 0; c < 4; c++) {
          const a0 = t[4 * c] ?? 0;
          const a1 = t[4 * c + 1] ?? 0;
          const a2 = t[4 * c + 2] ?? 0;
          const a3 = t[4 * c + 3] ?? 0;
          t[4 * c] = xtime(a0) ^ xtime(a1) ^ a1 ^ a2 ^ a3;
          t[4 * c + 1] = a0 ^ xtime(a1) ^ xtime(a2) ^ a2 ^ a3;
          t[4 * c + 2] = a0 ^ a1 ^ xtime(a2) ^ xtime(a3) ^ a3;
          t[4 * c + 3] = xtime(a0) ^ a0 ^ a1 ^ a2 ^ xtime(a3);
        }
      }
      for (let i = 0; i < 16; i++) s[i] = (t[i] ?? 0) ^ (w[16 * round + i] ?? 0);
    }
    return s;
  }
}

/** One-shot AES-128 encryption of one block. */
export function aes128EncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return new Aes128(key).encryptBlock(block);
}
