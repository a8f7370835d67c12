/**
 * A QR Code encoder for the shopper page's redemption code (ISO/IEC 18004:2015): byte mode, error
 * correction level M, versions 1 to 6 — up to 106 bytes, and a redemption payload
 * (`arrival:redeem:v1:XXXX-XXXX-XXXX-XXXX-XXXX`, 42 bytes) fits version 3. Pure: text in, a
 * matrix of modules out; drawing is the page's business. Versions 7 and up would also need the
 * version information blocks (§7.10), which this encoder does not write.
 */

/** Dark (true) or light modules, row by row; `size` = 17 + 4 × version (§6.3.1). */
export interface QrMatrix {
  readonly version: number;
  readonly mask: number;
  readonly size: number;
  readonly modules: readonly (readonly boolean[])[];
}

/** Level M per version (Table 9): EC codewords per block, and data codewords of each block. */
const LEVEL_M: readonly { ecPerBlock: number; blocks: readonly number[] }[] = [
  { ecPerBlock: 10, blocks: [16] }, // 1-M: 26 codewords
  { ecPerBlock: 16, blocks: [28] }, // 2-M: 44
  { ecPerBlock: 26, blocks: [44] }, // 3-M: 70
  { ecPerBlock: 18, blocks: [32, 32] }, // 4-M: 100
  { ecPerBlock: 24, blocks: [43, 43] }, // 5-M: 134
  { ecPerBlock: 16, blocks: [27, 27, 27, 27] }, // 6-M: 172
];

/** Row/column of the alignment pattern's centre for versions 2–6 (Annex E): one pattern each. */
const ALIGNMENT_CENTRE = [0, 18, 22, 26, 30, 34] as const;

export const MAX_VERSION = LEVEL_M.length;

// ---- GF(2^8) with the prime polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), §7.5.2 ----

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255] ?? 0;
}

export function gfMultiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : (EXP[(LOG[a] ?? 0) + (LOG[b] ?? 0)] ?? 0);
}

/** α^i in GF(256). */
export const gfPow = (i: number): number => EXP[i % 255] ?? 0;

/**
 * Coefficients of the generator polynomial (x − α^0)(x − α^1)…(x − α^(n−1)), highest degree
 * first without the leading 1 (Annex A).
 */
function generator(n: number): number[] {
  let g = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(g.length + 1).fill(0);
    for (let j = 0; j < g.length; j++) {
      next[j] = (next[j] ?? 0) ^ (g[j] ?? 0);
      next[j + 1] = (next[j + 1] ?? 0) ^ gfMultiply(g[j] ?? 0, gfPow(i));
    }
    g = next;
  }
  return g.slice(1);
}

/** The Reed–Solomon error correction codewords of one block: the remainder of data·x^n ÷ g(x). */
export function reedSolomon(data: readonly number[], n: number): number[] {
  const g = generator(n);
  const rest = new Array<number>(n).fill(0);
  for (const byte of data) {
    const factor = byte ^ (rest.shift() ?? 0);
    rest.push(0);
    for (let i = 0; i < n; i++) rest[i] = (rest[i] ?? 0) ^ gfMultiply(g[i] ?? 0, factor);
  }
  return rest;
}

// ---- Data: byte mode segment, terminator, padding (§7.4) ----

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

/** The smallest version of level M whose data capacity holds `byteCount` bytes in byte mode. */
export function versionFor(byteCount: number): number {
  for (let v = 1; v <= MAX_VERSION; v++) {
    const capacityBits = dataCapacity(v) * 8;
    // Mode indicator (4 bits) + character count (8 bits for versions 1–9, Table 3) + the bytes.
    if (4 + 8 + byteCount * 8 <= capacityBits) return v;
  }
  throw new RangeError(`${byteCount} bytes do not fit a version ${MAX_VERSION}-M QR code`);
}

const dataCapacity = (version: number) => (LEVEL_M[version - 1]?.blocks ?? []).reduce((a, b) => a + b, 0);

/** The data codewords of `bytes` at `version`: 0100, count, bytes, terminator, pad 0xEC 0x11. */
export function dataCodewords(bytes: readonly number[], version: number): number[] {
  const capacity = dataCapacity(version);
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, 8);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity * 8 - bits.length)); // terminator, shortened when full (§7.4.9)
  while (bits.length % 8 !== 0) bits.push(0);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0; out.length < capacity; pad++) out.push(pad % 2 === 0 ? 0xec : 0x11);
  return out;
}

/** Data and error correction codewords of every block, interleaved (§7.6). */
export function finalCodewords(data: readonly number[], version: number): number[] {
  const level = LEVEL_M[version - 1];
  if (!level) throw new RangeError(`version ${version} is not supported`);
  const blocks: number[][] = [];
  let at = 0;
  for (const length of level.blocks) {
    blocks.push(data.slice(at, at + length));
    at += length;
  }
  const ec = blocks.map((b) => reedSolomon(b, level.ecPerBlock));
  const out: number[] = [];
  const longest = Math.max(...level.blocks);
  for (let i = 0; i < longest; i++) for (const b of blocks) if (i < b.length) out.push(b[i] ?? 0);
  for (let i = 0; i < level.ecPerBlock; i++) for (const e of ec) out.push(e[i] ?? 0);
  return out;
}

// ---- Format information: level M (00) and the mask, BCH(15,5), XOR 101010000010010 (§7.9) ----

export function formatBits(mask: number): number {
  const data = (0b00 << 3) | mask;
  let rem = data << 10;
  for (let i = 14; i >= 10; i--) if ((rem >>> i) & 1) rem ^= 0x537 << (i - 10);
  return ((data << 10) | rem) ^ 0x5412;
}

// ---- The matrix ----

const MASKS: readonly ((row: number, col: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

/** The mask condition of §7.8.2 Table 10: module (row, col) is inverted when it holds. */
export function maskApplies(mask: number, row: number, col: number): boolean {
  return MASKS[mask]?.(row, col) ?? false;
}

class Grid {
  readonly dark: boolean[][];
  /** Function patterns and format areas: not data, never masked. */
  readonly reserved: boolean[][];
  constructor(readonly size: number) {
    this.dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
    this.reserved = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  }
  set(row: number, col: number, dark: boolean): void {
    const r = this.dark[row];
    const f = this.reserved[row];
    if (!r || !f || col < 0 || col >= this.size) return;
    r[col] = dark;
    f[col] = true;
  }
  isReserved(row: number, col: number): boolean {
    return this.reserved[row]?.[col] ?? false;
  }
}

function drawFunctionPatterns(grid: Grid, version: number): void {
  const n = grid.size;
  // Finder patterns with their separators (§6.3.3): 7×7 rings centred 3 in from three corners.
  for (const [cr, cc] of [
    [3, 3],
    [3, n - 4],
    [n - 4, 3],
  ] as const) {
    for (let dr = -4; dr <= 4; dr++) {
      for (let dc = -4; dc <= 4; dc++) {
        const d = Math.max(Math.abs(dr), Math.abs(dc));
        grid.set(cr + dr, cc + dc, d !== 2 && d !== 4);
      }
    }
  }
  // Timing patterns (§6.3.5): row 6 and column 6, dark on even positions.
  for (let i = 8; i < n - 8; i++) {
    grid.set(6, i, i % 2 === 0);
    grid.set(i, 6, i % 2 === 0);
  }
  // The alignment pattern (§6.3.6): a 5×5 ring around a dark centre.
  if (version >= 2) {
    const c = ALIGNMENT_CENTRE[version - 1] ?? 0;
    for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) grid.set(c + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
  }
  // Format areas reserved now, written once the mask is chosen; the dark module (§7.9.1).
  drawFormat(grid, 0);
  grid.set(n - 8, 8, true);
}

/** Writes the 15 format bits twice (Figure 25): bit 14 is the most significant. */
function drawFormat(grid: Grid, mask: number): void {
  const bits = formatBits(mask);
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  const n = grid.size;
  // Around the top-left finder: bits 0–7 down column 8 (skipping the timing row), 8–14 along row 8.
  for (let i = 0; i <= 5; i++) grid.set(i, 8, bit(i));
  grid.set(7, 8, bit(6));
  grid.set(8, 8, bit(7));
  grid.set(8, 7, bit(8));
  for (let i = 9; i < 15; i++) grid.set(8, 14 - i, bit(i));
  // The copy: bits 0–7 along row 8 from the right edge, 8–14 up column 8 from the bottom.
  for (let i = 0; i < 8; i++) grid.set(8, n - 1 - i, bit(i));
  for (let i = 8; i < 15; i++) grid.set(n - 15 + i, 8, bit(i));
}

/** Places the codewords' bits in two-module columns, zigzagging up and down from the bottom right (§7.7.3). */
function placeData(grid: Grid, codewords: readonly number[]): void {
  const n = grid.size;
  let i = 0;
  const total = codewords.length * 8;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5; // the vertical timing pattern is skipped whole
    const upward = ((n - 1 - right) >> 1) % 2 === 0;
    for (let k = 0; k < n; k++) {
      const row = upward ? n - 1 - k : k;
      for (const col of [right, right - 1]) {
        if (grid.isReserved(row, col)) continue;
        // The remainder bits past the last codeword (Table 1: 7 for versions 2–6) stay light.
        const dark = i < total && (((codewords[i >> 3] ?? 0) >>> (7 - (i & 7))) & 1) === 1;
        const r = grid.dark[row];
        if (r) r[col] = dark;
        i++;
      }
    }
  }
}

function applyMask(grid: Grid, mask: number): void {
  for (let row = 0; row < grid.size; row++) {
    const r = grid.dark[row];
    if (!r) continue;
    for (let col = 0; col < grid.size; col++) if (!grid.isReserved(row, col) && maskApplies(mask, row, col)) r[col] = !r[col];
  }
}

/** The penalty score of §7.8.3 (N1 = 3, N2 = 3, N3 = 40, N4 = 10): lower reads better. */
export function penalty(modules: readonly (readonly boolean[])[]): number {
  const n = modules.length;
  const at = (r: number, c: number) => modules[r]?.[c] ?? false;
  let score = 0;
  const lines = (get: (a: number, b: number) => boolean) => {
    for (let a = 0; a < n; a++) {
      let run = 1;
      for (let b = 1; b <= n; b++) {
        if (b < n && get(a, b) === get(a, b - 1)) run++;
        else {
          if (run >= 5) score += 3 + (run - 5);
          run = 1;
        }
      }
      // 1:1:3:1:1 finder-like runs with four light modules on either side (light beyond the edge).
      for (let b = -4; b < n; b++) {
        const v = (k: number) => (b + k >= 0 && b + k < n ? get(a, b + k) : false);
        const core = v(4) && !v(5) && v(6) && v(7) && v(8) && !v(9) && v(10);
        if (!core) continue;
        if (![0, 1, 2, 3].some((k) => v(k)) || ![11, 12, 13, 14].some((k) => v(k))) score += 40;
      }
    }
  };
  lines((r, c) => at(r, c));
  lines((c, r) => at(r, c));
  for (let r = 0; r < n - 1; r++) {
    for (let c = 0; c < n - 1; c++) {
      const d = at(r, c);
      if (at(r, c + 1) === d && at(r + 1, c) === d && at(r + 1, c + 1) === d) score += 3;
    }
  }
  const darkCount = modules.reduce((sum, row) => sum + row.filter(Boolean).length, 0);
  const percent = (darkCount * 100) / (n * n);
  score += 10 * Math.floor(Math.abs(percent - 50) / 5);
  return score;
}

/**
 * Encodes `text` (as UTF-8 bytes) in the smallest level-M version that holds it, with the mask of
 * lowest penalty, or the given one (tests pin it to compare with a reference).
 */
export function encodeQr(text: string, options: { mask?: number } = {}): QrMatrix {
  const bytes = utf8(text);
  const version = versionFor(bytes.length);
  const codewords = finalCodewords(dataCodewords(bytes, version), version);
  const size = 17 + 4 * version;
  const build = (mask: number) => {
    const grid = new Grid(size);
    drawFunctionPatterns(grid, version);
    placeData(grid, codewords);
    applyMask(grid, mask);
    drawFormat(grid, mask);
    return grid.dark;
  };
  let best = { mask: 0, modules: build(0), score: Number.POSITIVE_INFINITY };
  for (const mask of options.mask === undefined ? [0, 1, 2, 3, 4, 5, 6, 7] : [options.mask]) {
    const modules = build(mask);
    const score = options.mask === undefined ? penalty(modules) : 0;
    if (score < best.score) best = { mask, modules, score };
  }
  return { version, mask: best.mask, size, modules: best.modules };
}

/**
 * One SVG path of the dark modules, in module units, for a view box that adds the quiet zone of
 * four modules on every side (§6.3.8): `viewBox="0 0 {size+8} {size+8}"`.
 */
export function qrPath(qr: QrMatrix, quietZone = 4): string {
  const parts: string[] = [];
  qr.modules.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (dark) parts.push(`M${c + quietZone} ${r + quietZone}h1v1h-1z`);
    }),
  );
  return parts.join("");
}
