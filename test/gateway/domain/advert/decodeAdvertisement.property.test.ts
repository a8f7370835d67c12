/**
 * Property test: the decoder is total. 100 000 adverts (random bytes, random AD structures shaped like
 * beacons, and valid adverts mutated by flipping bytes, truncating, inserting, deleting and rewriting
 * length bytes) go through both entry points; none may throw, and every result must be a well-formed
 * DecodedBeacon whose subject id matches protocol's pattern (or is null for URL/TLM/eTLM).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BEACON_FORMATS,
  type DecodedBeacon,
  decodeAdvertisement,
  decodeNobleAdvertisement,
  subjectOf,
} from "../../../../gateway/src/domain/advert/index.js";
import { SUBJECT_ID_PATTERNS } from "../../../../protocol/index.js";
import {
  advert,
  EDDYSTONE_UUID_LIST,
  eddystone,
  FLAGS,
  loadVectors,
  manufacturer,
  toNobleAdvertisement,
  vectorAdvertisingData,
} from "./advertBytes.js";

const RUNS = 100_000;

/** Valid adverts to mutate: the shared vectors plus one of each format written from the specs. */
const SEEDS: readonly Uint8Array[] = [
  ...loadVectors().map(vectorAdvertisingData),
  advert(FLAGS, manufacturer("4c000215f7826da64fa24e988024bc5b71e0893e0102fffec5")),
  advert(FLAGS, manufacturer("1801beacf7826da64fa24e988024bc5b71e0893e00050006be2a")),
  advert(FLAGS, EDDYSTONE_UUID_LIST, eddystone("00e7000102030405060708090a0b0c0d0e0f0000")),
  advert(FLAGS, EDDYSTONE_UUID_LIST, eddystone("10eb0367656f00")),
  advert(FLAGS, EDDYSTONE_UUID_LIST, eddystone("20000bb8ff800000000100000010")),
  advert(FLAGS, EDDYSTONE_UUID_LIST, eddystone("2001000102030405060708090a0bbeefcafe")),
  advert(FLAGS, EDDYSTONE_UUID_LIST, eddystone("30f40123456789abcdef")),
];

type Mutation =
  | { readonly kind: "flip"; readonly at: number; readonly mask: number }
  | { readonly kind: "set"; readonly at: number; readonly value: number }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "insert"; readonly at: number; readonly value: number }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "length"; readonly which: number; readonly value: number };

const byte = fc.integer({ min: 0, max: 255 });
const at = fc.nat({ max: 1000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("set" as const), at, value: byte }),
  fc.record({ kind: fc.constant("truncate" as const), at }),
  fc.record({ kind: fc.constant("insert" as const), at, value: byte }),
  fc.record({ kind: fc.constant("delete" as const), at }),
  fc.record({ kind: fc.constant("length" as const), which: fc.nat({ max: 10 }), value: byte }),
);

/** Offsets of the AD length bytes, walking as far as the framing holds. */
function lengthOffsets(data: readonly number[]): number[] {
  const offsets: number[] = [];
  let offset = 0;
  while (offset < data.length) {
    offsets.push(offset);
    const length = data[offset] ?? 0;
    if (length === 0) break;
    offset += 1 + length;
  }
  return offsets;
}

function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  const data = Array.from(seed);
  for (const m of mutations) {
    const index = data.length === 0 ? 0 : m.kind === "length" ? 0 : m.at % data.length;
    switch (m.kind) {
      case "flip":
        if (data.length > 0) data[index] = (data[index] ?? 0) ^ m.mask;
        break;
      case "set":
        if (data.length > 0) data[index] = m.value;
        break;
      case "truncate":
        data.length = data.length === 0 ? 0 : m.at % data.length;
        break;
      case "insert":
        data.splice(m.at % (data.length + 1), 0, m.value);
        break;
      case "delete":
        data.splice(index, 1);
        break;
      case "length": {
        const offsets = lengthOffsets(data);
        const offset = offsets[m.which % Math.max(offsets.length, 1)];
        if (offset !== undefined && offset < data.length) data[offset] = m.value;
        break;
      }
    }
  }
  return Uint8Array.from(data);
}

const mutated = fc
  .tuple(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, mutations]) => mutate(SEEDS[seed] ?? new Uint8Array(0), mutations));

/** Random AD structures whose data starts like a beacon, so random payloads reach every decoder. */
const beaconShapedStructure = fc
  .tuple(
    fc.constantFrom(
      "ff4c000215",
      "ff1801beac",
      "16aafe00",
      "16aafe10",
      "16aafe2000",
      "16aafe2001",
      "16aafe30",
      "09",
    ),
    fc.uint8Array({ maxLength: 28 }),
  )
  .map(([head, tail]) => {
    const body = Uint8Array.from([...Buffer.from(head, "hex"), ...tail]);
    return Uint8Array.from([body.length, ...body]);
  });
const beaconShaped = fc
  .array(beaconShapedStructure, { minLength: 1, maxLength: 3 })
  .map((structures) => Uint8Array.from(structures.flatMap((structure) => Array.from(structure))));

const randomBytes = fc.uint8Array({ maxLength: 80 });

const anyAdvert = fc.oneof(
  { arbitrary: mutated, weight: 5 },
  { arbitrary: beaconShaped, weight: 3 },
  { arbitrary: randomBytes, weight: 2 },
);

const FORMATS: ReadonlySet<string> = new Set(BEACON_FORMATS);

/** Throws (plainly, for speed over 100 000 runs) when a result is not a well-formed DecodedBeacon. */
function checkWellFormed(beacon: DecodedBeacon | null): void {
  if (beacon === null) return;
  if (!FORMATS.has(beacon.format)) throw new Error(`unknown format ${beacon.format}`);
  const subject = subjectOf(beacon);
  if (subject === null) {
    if (beacon.id !== null) throw new Error(`${beacon.format} must have id null`);
  } else if (subject.id !== beacon.id || !SUBJECT_ID_PATTERNS[subject.kind].test(subject.id)) {
    throw new Error(`bad subject id ${beacon.id}`);
  }
  for (const value of Object.values(beacon)) {
    if (value === undefined || (typeof value === "number" && !Number.isFinite(value))) {
      throw new Error(`bad field in ${JSON.stringify(beacon)}`);
    }
  }
}

describe("decoder totality (fast-check)", () => {
  it(`never throws and returns well-formed beacons over ${RUNS} random and mutated adverts`, () => {
    let runs = 0;
    let decoded = 0;
    const formats = new Set<string>();
    fc.assert(
      fc.property(anyAdvert, (data) => {
        runs++;
        const beacon = decodeAdvertisement(data);
        checkWellFormed(beacon);
        checkWellFormed(decodeNobleAdvertisement(toNobleAdvertisement(data)));
        if (beacon !== null) {
          decoded++;
          formats.add(beacon.format);
        }
      }),
      { numRuns: RUNS },
    );
    // The inputs must reach the decoders, not just the "no beacon" exits (about 8 % decode to a
    // beacon; most mutations break the framing or a header byte, as they should).
    expect(runs).toBe(RUNS);
    expect(decoded).toBeGreaterThan(RUNS / 20);
    expect([...formats].sort()).toEqual([...BEACON_FORMATS].sort());
  });
});
