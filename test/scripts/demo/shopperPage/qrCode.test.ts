import { describe, expect, it } from "vitest";
import {
  dataCodewords,
  encodeQr,
  finalCodewords,
  formatBits,
  penalty,
  qrPath,
  reedSolomon,
  versionFor,
} from "../../../../scripts/demo/shopperPage/qrCode.js";

const rows = (m: { modules: readonly (readonly boolean[])[] }) => m.modules.map((r) => r.map((d) => (d ? "#" : ".")).join(""));

/**
 * The shopper page's QR encoder against vectors it did not produce: the Reed–Solomon codewords of
 * ISO/IEC 18004's worked example, the format information table, and whole symbols made by an
 * independent encoder (byte mode, level M, the mask pinned), module for module.
 */
describe("qrCode", () => {
  it("computes the error correction codewords of the standard's worked example (01234567, 1-M)", () => {
    const data = [0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11];
    expect(reedSolomon(data, 10)).toEqual([0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
    // HELLO WORLD, 1-M (alphanumeric data codewords), a second published vector.
    expect(reedSolomon([32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17], 10)).toEqual([
      196, 35, 39, 119, 235, 215, 231, 226, 93, 23,
    ]);
  });

  it("writes the format information of level M for each mask (BCH(15,5), masked with 101010000010010)", () => {
    const table = [
      "101010000010010",
      "101000100100101",
      "101111001111100",
      "101101101001011",
      "100010111111001",
      "100000011001110",
      "100111110010111",
      "100101010100000",
    ];
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((m) => formatBits(m).toString(2).padStart(15, "0"))).toEqual(table);
  });

  it("packs bytes with mode, count, terminator and the 0xEC 0x11 pad", () => {
    // 0100 | 00000010 | 01001000 ('H') | 01101001 ('i') | 0000 → 40 24 86 90, then the pad.
    expect(dataCodewords([0x48, 0x69], 1)).toEqual([0x40, 0x24, 0x86, 0x90, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11]);
    expect(finalCodewords(dataCodewords([0x48, 0x69], 1), 1)).toHaveLength(26);
    // Version 4-M: two blocks of 32, interleaved one codeword of each in turn.
    const data = Array.from({ length: 64 }, (_, i) => i);
    const final = finalCodewords(data, 4);
    expect(final.slice(0, 4)).toEqual([0, 32, 1, 33]);
    expect(final.slice(64, 66)).toEqual([reedSolomon(data.slice(0, 32), 18)[0], reedSolomon(data.slice(32), 18)[0]]);
  });

  it("chooses the smallest version that holds the payload; a redemption payload is version 3", () => {
    expect([1, 14, 15, 26, 42, 43, 62, 84, 106].map(versionFor)).toEqual([1, 1, 2, 2, 3, 4, 4, 5, 6]);
    expect(() => versionFor(107)).toThrow(RangeError);
    expect(encodeQr("arrival:redeem:v1:ABCD-EFGH-JKMN-PQRS-TVWX").version).toBe(3);
  });

  it("draws a redemption payload module for module as an independent encoder does (3-M, mask 1)", () => {
    const qr = encodeQr("arrival:redeem:v1:ABCD-EFGH-JKMN-PQRS-TVWX", { mask: 1 });
    expect(qr.size).toBe(29);
    expect(rows(qr)).toEqual([
      "#######.#.####.#..#.#.#######",
      "#.....#..##..#....#...#.....#",
      "#.###.#.#.#.##..##.#..#.###.#",
      "#.###.#...#.##..#.#...#.###.#",
      "#.###.#...##..##.###..#.###.#",
      "#.....#.##..#.#.#.#.#.#.....#",
      "#######.#.#.#.#.#.#.#.#######",
      ".........#.#..#...##.........",
      "#.#...##..#..#.#.#.##..#..#.#",
      "###.#..######.#.#...#.##..#.#",
      "...#.##.######.##..##.#.#.#.#",
      "...##...##.........#.#.#.#..#",
      "#.....#.#.#.##.#.#.##.##...##",
      "#####..##.###.#.#...#.##.#.##",
      "#..#..#.#...#..#...#...###..#",
      "##..##.####.#...#.#..#.#.#..#",
      "..##.###.#.###..##.#####.#.##",
      ".##....##.....##.#..####...##",
      "##.#..####.....#######..#.#.#",
      "...###...#..#.###..#..##.#.#.",
      "##..#.#.#..#.#..#.#.######.##",
      "........#.##.##.##.##...###.#",
      "#######.####.###.#..#.#.###.#",
      "#.....#..###....#.#.#...#...#",
      "#.###.#...#####.##.######..#.",
      "#.###.#..####...##.#.#..#.#.#",
      "#.###.#.##....##..###...##.##",
      "#.....#..#...#.#...###..##...",
      "#######.#.#.#...##.###.##...#",
    ]);
  });

  it("draws a version 1 symbol the same way (Hi, 1-M, mask 6)", () => {
    expect(rows(encodeQr("Hi", { mask: 6 }))).toEqual([
      "#######.#.##..#######",
      "#.....#.#####.#.....#",
      "#.###.#.###.#.#.###.#",
      "#.###.#...#...#.###.#",
      "#.###.#.###.#.#.###.#",
      "#.....#..####.#.....#",
      "#######.#.#.#.#######",
      ".........####........",
      "#..#######..##..#.###",
      "#.##.#...##.#.#.#....",
      ".#....###.#..##.#.###",
      "##.###..#..#.....##..",
      "#.#..####.....#..###.",
      "........#.###..#.#.##",
      "#######.#...#####....",
      "#.....#.#..###.###...",
      "#.###.#.##.##.##.##.#",
      "#.###.#.#..##...###..",
      "#.###.#..##...#...###",
      "#.....#...#..##.#.###",
      "#######.##.#.....##..",
    ]);
  });

  it("keeps the mask of lowest penalty, and paths each dark module inside the quiet zone", () => {
    const text = "arrival:redeem:v1:0000-1111-2222-3333-4444";
    const chosen = encodeQr(text);
    const scores = [0, 1, 2, 3, 4, 5, 6, 7].map((mask) => penalty(encodeQr(text, { mask }).modules));
    expect(scores[chosen.mask]).toBe(Math.min(...scores));
    const path = qrPath(chosen);
    const dark = chosen.modules.flat().filter(Boolean).length;
    expect(path.match(/M/g)).toHaveLength(dark);
    // The top-left finder's corner module sits 4 modules in: the quiet zone (ISO/IEC 18004 §6.3.8).
    expect(path.startsWith("M4 4h1v1h-1z")).toBe(true);
  });
});
