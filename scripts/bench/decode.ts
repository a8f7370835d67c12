/**
 * Beacon decoding throughput: Arrival's decoder beside node-beacon-scanner's parser, same adverts,
 * same process, one core. Run: `npx tsx scripts/bench/decode.ts` (add `--rounds N`, default 7).
 *
 * Adverts: the 44 real adverts of test/fixtures/ble-adverts.json (iBeacon, AltBeacon, Eddystone,
 * Apple Continuity, sensors, padding, broken framing), as a scanner in a shop hears them: beacons and
 * non-beacons mixed. A second workload keeps only the formats both libraries know (iBeacon and
 * Eddystone), so neither side wins by rejecting adverts early.
 *
 * Candidates:
 * - arrival raw: decodeAdvertisement over the raw AD bytes (includes walking the AD structures);
 * - arrival noble: decodeNobleAdvertisement over noble-shaped advertisements (noble already walked);
 * - node-beacon-scanner: lib/parser.js `parse(peripheral)` over fake noble peripherals with the same
 *   advertisements. Its result also carries id, address, rssi and localName, as it always does.
 * Every input object is built once, before timing. Each round runs every candidate over the workload
 * for about ROUND_MS; the order rotates per round; we report the median of the rounds.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, platform, release } from "node:os";
import {
  decodeAdvertisement,
  decodeNobleAdvertisement,
  type NobleAdvertisementLike,
} from "../../gateway/src/domain/advert/index.js";

const ROUND_MS = 400;

interface Vector {
  readonly id: string;
  readonly hex_kind: string;
  readonly hex: string;
  readonly expected: Readonly<Record<string, unknown>>;
}

/** What node-beacon-scanner reads from a noble peripheral (lib/parser.js and its format parsers). */
interface FakePeripheral {
  readonly id: string;
  readonly address: string;
  readonly rssi: number;
  readonly advertisement: {
    readonly localName: string | undefined;
    readonly txPowerLevel: number | undefined;
    readonly manufacturerData: Buffer | undefined;
    readonly serviceData: { readonly uuid: string; readonly data: Buffer }[];
    readonly serviceUuids: string[];
  };
}

interface Workload {
  readonly name: string;
  readonly raw: readonly Uint8Array[];
  readonly noble: readonly NobleAdvertisementLike[];
  readonly peripherals: readonly FakePeripheral[];
}

interface Candidate {
  readonly name: string;
  /** Decodes the whole workload once; returns how many adverts gave a beacon (kept, so work is not dead). */
  readonly pass: (workload: Workload) => number;
}

const require = createRequire(import.meta.url);
const peer = require("node-beacon-scanner/lib/parser.js") as { parse(peripheral: FakePeripheral): unknown };

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function adStructure(type: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([data.length + 1, type]), data]);
}

/** A vector as the advertising data a radio delivers (bare payloads wrapped in their AD structure). */
function advertisingData(vector: Vector): Buffer {
  const payload = Buffer.from(vector.hex, "hex");
  switch (vector.hex_kind) {
    case "full_advert_ad_structures":
      return payload;
    case "manufacturer_data_with_company_id":
      return adStructure(0xff, payload);
    case "manufacturer_data_without_company_id":
      return adStructure(0xff, Buffer.concat([Buffer.from([0x4c, 0x00]), payload]));
    case "service_data_feaa":
      return adStructure(0x16, Buffer.concat([Buffer.from([0xaa, 0xfe]), payload]));
    default:
      throw new Error(`unknown hex_kind ${vector.hex_kind}`);
  }
}

/** Advertising data as @abandonware/noble's gap.js parseServices leaves it (the fields the parsers read). */
function nobleAdvertisement(data: Buffer): FakePeripheral["advertisement"] {
  let localName: string | undefined;
  let txPowerLevel: number | undefined;
  let manufacturerData: Buffer | undefined;
  const serviceData: { uuid: string; data: Buffer }[] = [];
  const serviceUuids: string[] = [];
  let i = 0;
  while (i + 1 < data.length) {
    const length = data.readUInt8(i);
    if (length < 1 || i + length + 1 > data.length) break;
    const type = data.readUInt8(i + 1);
    const bytes = data.subarray(i + 2, i + 1 + length);
    if (type === 0x09 || type === 0x08) localName = bytes.toString("utf8");
    if (type === 0x0a && bytes.length > 0) txPowerLevel = bytes.readInt8(0);
    if (type === 0x16 && bytes.length >= 2) {
      serviceData.push({
        uuid: bytes.readUInt16LE(0).toString(16).padStart(4, "0"),
        data: bytes.subarray(2),
      });
    }
    if (type === 0xff) manufacturerData = bytes;
    i += length + 1;
  }
  return { localName, txPowerLevel, manufacturerData, serviceData, serviceUuids };
}

function workload(name: string, vectors: readonly Vector[]): Workload {
  const raw = vectors.map(advertisingData);
  const peripherals = raw.map((data, index) => ({
    id: `c0ffee${index.toString(16).padStart(6, "0")}`,
    address: "c0:ff:ee:00:00:00",
    rssi: -60,
    advertisement: nobleAdvertisement(data),
  }));
  return { name, raw, noble: peripherals.map((p) => p.advertisement), peripherals };
}

const candidates: readonly Candidate[] = [
  {
    name: "arrival decodeAdvertisement (raw AD bytes)",
    pass: ({ raw }) => {
      let found = 0;
      for (const data of raw) if (decodeAdvertisement(data) !== null) found++;
      return found;
    },
  },
  {
    name: "arrival decodeNobleAdvertisement (noble-shaped)",
    pass: ({ noble }) => {
      let found = 0;
      for (const adv of noble) if (decodeNobleAdvertisement(adv) !== null) found++;
      return found;
    },
  },
  {
    name: "node-beacon-scanner 0.2.2 parser.parse",
    pass: ({ peripherals }) => {
      let found = 0;
      for (const peripheral of peripherals) if (peer.parse(peripheral) !== null) found++;
      return found;
    },
  },
];

/** Runs `pass` repeatedly for about ROUND_MS; returns adverts per second. */
function round(candidate: Candidate, work: Workload): number {
  let passes = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ROUND_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 64; i++) sink += candidate.pass(work);
    passes += 64;
    now = process.hrtime.bigint();
  }
  if (sink < 0) throw new Error("unreachable");
  const seconds = Number(now - start) / 1e9;
  return (passes * work.raw.length) / seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function main(): void {
  const rounds = option("--rounds", 7);
  const vectors = JSON.parse(
    readFileSync(new URL("../../test/fixtures/ble-adverts.json", import.meta.url), "utf8"),
  ) as Vector[];

  // The peer parses with Buffer reads that throw on some malformed input; such adverts would abort a
  // scan loop, so find them once and leave them out of BOTH sides' workloads (reported below).
  const peerThrows: string[] = [];
  const usable = vectors.filter((vector) => {
    try {
      peer.parse(workload("probe", [vector]).peripherals[0] as FakePeripheral);
      return true;
    } catch {
      peerThrows.push(vector.id);
      return false;
    }
  });
  const shared = usable.filter((vector) =>
    /^(ibeacon|eddystone-(uid|url|tlm|eid))$/.test(String(vector.expected.type)),
  );
  const workloads = [workload("all vectors", usable), workload("iBeacon + Eddystone only", shared)];

  const results: {
    workload: string;
    candidate: string;
    medianPerS: number;
    roundsPerS: number[];
    beacons: number;
  }[] = [];
  for (const work of workloads) {
    for (const candidate of candidates) candidate.pass(work); // warm-up: let the JIT see every path
    const perCandidate = candidates.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < candidates.length; k++) {
        const index = (k + r) % candidates.length; // rotate the order so no one always runs first
        const candidate = candidates[index] as Candidate;
        perCandidate[index]?.push(round(candidate, work));
      }
    }
    candidates.forEach((candidate, index) => {
      const roundsPerS = perCandidate[index] ?? [];
      results.push({
        workload: work.name,
        candidate: candidate.name,
        medianPerS: Math.round(median(roundsPerS)),
        roundsPerS: roundsPerS.map(Math.round),
        beacons: candidate.pass(work),
      });
    });
  }

  const cpu = cpus();
  const machine = {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    node: process.version,
    platform: `${platform()} ${release()}`,
  };
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`Beacon decoding throughput, one core, median of ${rounds} rounds of ~${ROUND_MS} ms`);
  out(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}`);
  if (peerThrows.length > 0) out(`left out (node-beacon-scanner throws on them): ${peerThrows.join(", ")}`);
  for (const work of workloads) {
    out("");
    out(`${work.name}: ${work.raw.length} adverts`);
    out(
      `  ${"candidate".padEnd(48)} ${"adverts/s".padStart(12)} ${"beacons".padStart(8)} ${"vs peer".padStart(8)}`,
    );
    const rows = results.filter((row) => row.workload === work.name);
    const peerRate =
      rows.find((row) => row.candidate.startsWith("node-beacon-scanner"))?.medianPerS ?? Number.NaN;
    for (const row of rows) {
      out(
        `  ${row.candidate.padEnd(48)} ${row.medianPerS.toLocaleString("en-US").padStart(12)} ${String(row.beacons).padStart(8)} ${`${(row.medianPerS / peerRate).toFixed(2)}x`.padStart(8)}`,
      );
    }
  }
  out("");
  out(JSON.stringify({ machine, rounds, roundMs: ROUND_MS, peerThrows, results }));
}

main();
