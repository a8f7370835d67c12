import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CaptureWriter } from "../../gateway/src/adapters/replay/CaptureWriter.js";
import type { Advert } from "../../gateway/src/services/ports.js";
import { distance, type FloorPlan, gatewayOf, geoOf, STORE_PLAN } from "./floorPlan.js";
import { type Advertiser, buildPopulation, type RateMode, type Role } from "./population.js";
import { DEFAULT_RADIO, type LinkState, RadioModel, type RadioOptions } from "./RadioModel.js";
import { type Random, streamOf } from "./rng.js";

export interface SimulationOptions {
  readonly seed: number;
  readonly minutes: number;
  readonly rate: RateMode;
  /** Capture start, epoch ms. Default 2026-03-02T09:00:00Z, a Monday morning. */
  readonly startAt?: number;
  readonly radio?: Partial<RadioOptions>;
  readonly shoppersPerHour?: number;
  readonly passersPerHour?: number;
  readonly windowShopperShare?: number;
  readonly staff?: number;
  readonly txSpreadDb?: number;
  /** `presence` of the gateway config written next to the capture. Default: none (the gateway's defaults). */
  readonly presence?: Readonly<Record<string, unknown>>;
  /** Radius of each zone in the gateway config written, when it should differ from the true zone. */
  readonly configuredRadiusM?: Readonly<Record<string, number>>;
  /** A zone's own exit margin in the gateway config written, metres, per zone id (others: `presence`'s). */
  readonly zoneExitMarginM?: Readonly<Record<string, number>>;
  /**
   * Write the gateways' surveyed positions into the config (`site.lat/lon` and `peers`), so a replay
   * of the capture pools every gateway's evidence. Default false: the config of a lone gateway.
   */
  readonly surveyed?: boolean;
  readonly plan?: FloorPlan;
  /**
   * Seed of the people and of each advert's fading, when it should differ from `seed`: another hour
   * of the same shop (the same shadowing field and gateways), with other people in it. Default `seed`.
   */
  readonly populationSeed?: number;
}

export const DEFAULT_START_AT = Date.UTC(2026, 2, 2, 9, 0, 0);

/** One subject of the run (ground truth). */
export interface SubjectTruth {
  readonly kind: "subject";
  readonly subject: string;
  readonly role: Role;
  /** Advertising interval, ms (each event adds 0-10 ms). */
  readonly intervalMs: number;
  /** True power at 1 m minus the advertised calibration, dB. */
  readonly txOffsetDb: number;
  /** First and last moment it was on the plan within the capture, epoch ms. */
  readonly firstAt: number;
  readonly lastAt: number;
  /** Passers-by: how long they stood at the window, ms (0 for those who walked on). */
  readonly pausedMs: number;
  /** Closest it came to each gateway (horizontal), metres. */
  readonly closestM: Readonly<Record<string, number>>;
}

/** One stay of a subject inside a zone as the retailer drew it (ground truth). */
export interface VisitTruth {
  readonly kind: "visit";
  readonly subject: string;
  readonly role: Role;
  readonly zone: string;
  readonly enterAt: number;
  readonly leaveAt: number;
  readonly durationMs: number;
  /** Cut by the start or end of the capture (staff, fixed beacons): its enter or leave time is not real. */
  readonly open: boolean;
}

export type TruthRecord = SubjectTruth | VisitTruth;

export interface Simulation {
  readonly plan: FloorPlan;
  readonly startAt: number;
  readonly endAt: number;
  readonly radio: RadioModel;
  readonly advertisers: readonly Advertiser[];
  /** Subjects (in subject order), then visits (by enter time). */
  readonly truth: readonly TruthRecord[];
  /** A gateway config document (firmware-config format) for replaying the capture. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Every advert heard by any gateway, in time order (ties: subject order, then gateway order). */
  adverts(): Generator<Advert>;
}

/**
 * A seeded simulation of the shop of {@link STORE_PLAN} (see floorPlan.ts, population.ts and
 * RadioModel.ts for the model). Everything is derived from `seed`: the same options give the same
 * adverts, truth and config, byte for byte.
 */
export function simulateStore(options: SimulationOptions): Simulation {
  const plan = options.plan ?? STORE_PLAN;
  const startAt = options.startAt ?? DEFAULT_START_AT;
  const durationMs = Math.round(options.minutes * 60_000);
  const endAt = startAt + durationMs;
  const radio = new RadioModel(plan, { ...DEFAULT_RADIO, ...options.radio }, options.seed);
  const people = options.populationSeed ?? options.seed;
  const advertisers = buildPopulation(plan, {
    seed: people,
    startAt,
    durationMs,
    rate: options.rate,
    shoppersPerHour: options.shoppersPerHour ?? 90,
    passersPerHour: options.passersPerHour ?? 300,
    windowShopperShare: options.windowShopperShare ?? 0.1,
    staff: options.staff ?? 2,
    txSpreadDb: options.txSpreadDb ?? 3,
  });
  return {
    plan,
    startAt,
    endAt,
    radio,
    advertisers,
    truth: groundTruth(plan, advertisers, startAt, endAt),
    config: gatewayConfig(plan, options),
    adverts: () => advertsOf(plan, radio, advertisers, people, startAt, endAt),
  };
}

function groundTruth(
  plan: FloorPlan,
  advertisers: readonly Advertiser[],
  startAt: number,
  endAt: number,
): TruthRecord[] {
  const subjects: SubjectTruth[] = [];
  const visits: VisitTruth[] = [];
  for (const a of advertisers) {
    const trajectory = a.trajectory;
    const firstAt = Math.max(startAt, trajectory.startAt);
    const lastAt = Math.min(endAt, trajectory.endAt);
    const closestM: Record<string, number> = {};
    for (const g of plan.gateways) {
      let best = Number.POSITIVE_INFINITY;
      for (const leg of trajectory.legs) best = Math.min(best, segmentDistance(leg.from, leg.to, g.position));
      closestM[g.id] = Math.round(best * 100) / 100;
    }
    subjects.push({
      kind: "subject",
      subject: a.subjectId,
      role: a.role,
      intervalMs: a.intervalMs,
      txOffsetDb: Math.round(a.tx.txOffsetDb * 100) / 100,
      firstAt,
      lastAt,
      pausedMs: a.pausedMs,
      closestM,
    });
    for (const zone of plan.zones) {
      const center = gatewayOf(plan, zone.gatewayId).position;
      for (const span of trajectory.insideIntervals(center, zone.radiusM)) {
        const enterAt = Math.max(startAt, Math.round(span.enterAt));
        const leaveAt = Math.min(endAt, Math.round(span.leaveAt));
        if (leaveAt <= enterAt) continue;
        visits.push({
          kind: "visit",
          subject: a.subjectId,
          role: a.role,
          zone: zone.id,
          enterAt,
          leaveAt,
          durationMs: leaveAt - enterAt,
          open: span.enterAt <= startAt || span.leaveAt >= endAt,
        });
      }
    }
  }
  visits.sort(
    (a, b) =>
      a.enterAt - b.enterAt ||
      (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.zone < b.zone ? -1 : 1),
  );
  return [...subjects, ...visits];
}

function segmentDistance(
  a: { x: number; y: number },
  b: { x: number; y: number },
  p: { x: number; y: number },
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const f = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return distance({ x: a.x + dx * f, y: a.y + dy * f }, p);
}

function gatewayConfig(plan: FloorPlan, options: SimulationOptions): Record<string, unknown> {
  const first = plan.gateways[0];
  if (first === undefined) throw new RangeError("the plan has no gateway");
  return {
    storeId: "sim-store",
    gatewayId: first.id,
    // Required by the gateway config schema; a replay never connects.
    mqtt: { url: "mqtt://localhost:1883", username: first.id, password: "replay-only" },
    scanner: { source: "replay" },
    ...(options.surveyed === true ? surveyedSites(plan) : {}),
    zones: plan.zones.map((z) => ({
      id: z.id,
      name: z.name,
      shape: "gateway-radius",
      gatewayId: z.gatewayId,
      radiusM: options.configuredRadiusM?.[z.id] ?? z.radiusM,
      ...ownExitMargin(options.zoneExitMarginM, z.id),
    })),
    presence: { ...(options.presence ?? {}) },
  };
}

/** `{ exitMarginM }` for a zone given its own margin in `margins`, else nothing (the tuning's applies). */
export function ownExitMargin(
  margins: Readonly<Record<string, number>> | undefined,
  zoneId: string,
): { exitMarginM?: number } {
  const m = margins?.[zoneId];
  return m === undefined ? {} : { exitMarginM: m };
}

/**
 * The gateway config's `site` position and `peers` for the plan's first gateway: every gateway's
 * surveyed lat/lon, as an installer would record them.
 */
export function surveyedSites(plan: FloorPlan): {
  site: { lat: number; lon: number };
  peers: { id: string; lat: number; lon: number }[];
} {
  const [first, ...others] = plan.gateways;
  if (first === undefined) throw new RangeError("the plan has no gateway");
  return {
    site: geoOf(first.position),
    peers: others.map((g) => ({ id: g.id, ...geoOf(g.position) })),
  };
}

interface Live {
  readonly a: Advertiser;
  readonly random: Random;
  readonly links: LinkState[];
  /** Per gateway of the plan: the stream its fading draws from ({@link SimGateway.ownStream}). */
  readonly randoms: readonly Random[];
  readonly until: number;
  /** Address rotation phase, ms. */
  readonly addrPhase: number;
  addrEpoch: number;
  addr: string;
  nextT: number;
}

function* advertsOf(
  plan: FloorPlan,
  radio: RadioModel,
  advertisers: readonly Advertiser[],
  seed: number,
  startAt: number,
  endAt: number,
): Generator<Advert> {
  const heap: Live[] = [];
  for (const a of advertisers) {
    const random = streamOf(seed, "radio", a.index);
    const from = Math.max(startAt, a.trajectory.startAt);
    const until = Math.min(endAt - 1, a.trajectory.endAt);
    if (until < from) continue;
    const live: Live = {
      a,
      random,
      links: plan.gateways.map(() => ({ valueDb: 0, lastT: null })),
      randoms: plan.gateways.map((g) => (g.ownStream === true ? streamOf(seed, "radio", a.index, g.id) : random)),
      until,
      addrPhase: Math.floor(random() * ADDRESS_ROTATION_MS),
      addrEpoch: -1,
      addr: "",
      nextT: from + Math.floor(random() * a.intervalMs),
    };
    push(heap, live);
  }
  const gateways = plan.gateways;
  for (;;) {
    const live = heap[0];
    if (live === undefined) return;
    const t = live.nextT;
    if (t > live.until) {
      popTop(heap);
      continue;
    }
    const pose = live.a.trajectory.at(t);
    if (pose !== null) {
      const addr = addressAt(live, seed, t);
      for (let g = 0; g < gateways.length; g++) {
        const gateway = gateways[g];
        const link = live.links[g];
        const random = live.randoms[g];
        if (gateway === undefined || link === undefined || random === undefined) continue;
        const rssi = radio.receive(random, live.a.tx, pose, gateway, link, t);
        if (rssi !== null) yield { t, addr, rssi, data: live.a.data, gatewayId: gateway.id };
      }
    }
    // advDelay: 0-10 ms of random delay on every advertising event (Core 5.4 Vol 6 Part B 4.4.2.2.1).
    live.nextT = t + live.a.intervalMs + Math.floor(live.random() * 11);
    siftDown(heap, 0);
  }
}

/** Phones change their resolvable private address every 15 minutes (the usual RPA timeout). */
const ADDRESS_ROTATION_MS = 15 * 60_000;

function addressAt(live: Live, seed: number, t: number): string {
  const epoch = live.a.rotatesAddress ? Math.floor((t + live.addrPhase) / ADDRESS_ROTATION_MS) : 0;
  if (epoch !== live.addrEpoch) {
    const random = streamOf(seed, "addr", live.a.index, epoch);
    const bytes = Array.from({ length: 6 }, () => Math.floor(random() * 256));
    // Top bits 01: a resolvable private address (Core 5.4 Vol 6 Part B 1.3.2.2); 11 for a static one.
    bytes[0] = ((bytes[0] ?? 0) & 0x3f) | (live.a.rotatesAddress ? 0x40 : 0xc0);
    live.addr = bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
    live.addrEpoch = epoch;
  }
  return live.addr;
}

function earlier(a: Live, b: Live): boolean {
  return a.nextT < b.nextT || (a.nextT === b.nextT && a.a.index < b.a.index);
}

function push(heap: Live[], item: Live): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent];
    if (p === undefined || !earlier(item, p)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = item;
}

function popTop(heap: Live[]): void {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  heap[0] = last;
  siftDown(heap, 0);
}

function siftDown(heap: Live[], start: number): void {
  const item = heap[start];
  if (item === undefined) return;
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let best = item;
    let at = i;
    const left = heap[l];
    if (left !== undefined && earlier(left, best)) {
      best = left;
      at = l;
    }
    const right = heap[r];
    if (right !== undefined && earlier(right, best)) {
      best = right;
      at = r;
    }
    if (at === i) break;
    heap[i] = best;
    i = at;
  }
  heap[i] = item;
}

export interface WriteResult {
  readonly capturePath: string;
  readonly truthPath: string;
  readonly configPath: string;
  readonly adverts: number;
}

/**
 * Writes a simulation to `dir`: `capture.jsonl` (replay format, every gateway's adverts with `gw`),
 * `truth.jsonl` (subjects, then visits) and `config.json` (a gateway config for `replay`).
 * `onProgress` is called every 50 000 adverts with the share of the run simulated (0..1).
 */
export async function writeSimulation(
  sim: Simulation,
  dir: string,
  onProgress?: (done: number, adverts: number) => void,
): Promise<WriteResult> {
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, "config.json");
  const truthPath = join(dir, "truth.jsonl");
  const capturePath = join(dir, "capture.jsonl");
  await writeFile(configPath, `${JSON.stringify(sim.config, null, 2)}\n`);
  await writeFile(truthPath, sim.truth.map((r) => `${JSON.stringify(r)}\n`).join(""));
  const writer = new CaptureWriter(createWriteStream(capturePath));
  const span = Math.max(1, sim.endAt - sim.startAt);
  for (const advert of sim.adverts()) {
    const wait = writer.write(advert);
    if (wait !== undefined) await wait;
    if (onProgress !== undefined && writer.lines % 50_000 === 0)
      onProgress((advert.t - sim.startAt) / span, writer.lines);
  }
  await writer.end();
  onProgress?.(1, writer.lines);
  return { capturePath, truthPath, configPath, adverts: writer.lines };
}
