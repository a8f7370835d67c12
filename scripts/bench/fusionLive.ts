/**
 * The simulated store run live: two or three real gateways (createGateway) that share their
 * sightings over real UDP on localhost and upload through the cloud's real MQTT broker, compared
 * with the replay of the merged capture. Used by test/integration/liveFusion.test.ts and by
 * scripts/bench/fusion.ts.
 *
 * Time is the simulation's: a manual clock steps by `stepMs`; at each step every gateway is given
 * the adverts its radio heard up to then, sends its batch and runs its engine to the watermark, and
 * the step ends when the LAN is quiet: every datagram sent was dropped or delivered, requests for
 * lost ones and their retransmissions included (on a real LAN they take a few ms, well within a
 * step), and no gateway waits for the cloud's answer to a clock request. So the run takes as long as
 * the machine needs, not the simulated minutes, and no assertion depends on timing.
 *
 * The cloud runs on the simulation's clock ({@link SimClock}): true time. Each gateway's clock is
 * that plus its skew, and each sets it by the cloud's over MQTT (CloudClock). A clock exchange
 * starts on a real timer, so within some step, and the step does not end before its reply: the
 * cloud's t1 and t2 and the gateway's t0 and t3 are all read within that one step, and the offset
 * is exact (a round trip of 0). Were a step to pass mid-exchange, the round trip would show it (a
 * step long) and bound the offset's error to half of it, and the filter would prefer another sample.
 */
import { createSocket } from "node:dgram";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Cloud } from "../../cloud/src/createCloud.js";
import { readLanKey } from "../../gateway/src/adapters/lan/readLanKey.js";
import { decodeSightings } from "../../gateway/src/adapters/lan/sightingDatagram.js";
import { formatCaptureLine } from "../../gateway/src/adapters/replay/captureLine.js";
import { seededRandom } from "../../gateway/src/adapters/sim/random.js";
import { replayCapture } from "../../gateway/src/cli/replay.js";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import type { Advert, Clock, Logger, ScanSource } from "../../gateway/src/services/ports.js";
import { until } from "../../test/support/until.js";
import { geoOf, type FloorPlan, STORE_PLAN } from "../sim/floorPlan.js";
import { simulateStore } from "../sim/simulateStore.js";

/** The third gateway of the three-gateway store: above the entrance side of the sales floor. */
export const THIRD_GATEWAY = Object.freeze({ id: "gw-entry", position: { x: 3, y: 5 } });

export function planWith(gateways: 2 | 3): FloorPlan {
  return gateways === 2 ? STORE_PLAN : { ...STORE_PLAN, gateways: [...STORE_PLAN.gateways, THIRD_GATEWAY] };
}

/** The simulation's time, which a live store's cloud runs on (the run moves it step by step). */
export class SimClock implements Clock {
  constructor(public t: number) {}

  now(): number {
    return this.t;
  }
}

/**
 * When a live store of `minutes` starts, epoch ms: dated well in the past (the cloud takes events up
 * to days old) and on a whole second. The cloud's {@link SimClock} starts here.
 */
export function liveStoreStart(minutes: number, realNow = Date.now()): number {
  return Math.floor((realNow - (minutes + 30) * 60_000) / 1000) * 1000;
}

export interface LiveStoreOptions {
  readonly dir: string;
  /** Created on `clock` (openCloud), which the run moves; its time is the simulation's start. */
  readonly cloud: Cloud;
  readonly clock: SimClock;
  readonly mqttPort: number;
  readonly storeId: string;
  readonly gateways: 2 | 3;
  readonly seed: number;
  readonly minutes: number;
  readonly shoppersPerHour?: number;
  readonly passersPerHour?: number;
  /** One gateway stops (as if its power was cut) this long into the run, ms. */
  readonly stop?: { readonly gatewayId: string; readonly afterMs: number };
  /** Simulated time per step, ms; also the LAN batch interval. Default 250. */
  readonly stepMs?: number;
  readonly latenessMs?: number;
  /**
   * Fraction of store-LAN datagrams lost (0..1), each independently: every datagram to a gateway
   * passes a relay on 127.0.0.1 that drops it with this probability (seeded, so a run repeats).
   */
  readonly lossRate?: number;
  /**
   * Per gateway, how far its clock is off, ms (positive: ahead). The gateway's clock, the times its
   * radio stamps on adverts and so its sightings and events carry the error; the replay and the
   * comparison keep true time.
   */
  readonly skewMs?: Readonly<Record<string, number>>;
  readonly log: Logger;
}

/** An enter or exit, as the cloud stored it or as the replay decided it. */
export interface Detection {
  readonly type: "enter" | "exit";
  readonly zoneId: string;
  readonly subjectId: string;
  readonly visitId: string;
  readonly eventId: string;
  readonly at: number;
}

export interface LiveStoreResult {
  /** Adverts heard, summed over the gateways (what each radio reported). */
  readonly adverts: number;
  readonly live: readonly Detection[];
  readonly replay: readonly Detection[];
  /** Events of the replay (enter, dwell, exit) and of the cloud, for this store. */
  readonly replayEvents: number;
  readonly storedEvents: number;
  /** Event batches the gateways published (each one MQTT message), and events they carried. */
  readonly uplinkMessages: number;
  readonly eventsUploaded: number;
  /** Per subject: distinct store visits the cloud made of its events. */
  readonly storeVisitsBySubject: ReadonlyMap<string, number>;
  /** LAN datagram refusals and sightings dropped by the merge, summed over the gateways. */
  readonly refused: number;
  readonly lateDropped: number;
  /** Datagrams the lossy relay dropped, and all it was given (0 and 0 without `lossRate`). */
  readonly datagramsLost: number;
  readonly datagramsRelayed: number;
  /** Summed over the gateways: retransmission requests sent, datagrams sent again, peers' datagrams found missing, recovered, given up on. */
  readonly nacksSent: number;
  readonly retransmitted: number;
  readonly missed: number;
  readonly recovered: number;
  readonly abandoned: number;
  /**
   * Per gateway running at the end, its clock against the cloud's: the correction in force, the
   * believed sample's offset and round trip, samples taken; and what it adds on top to read the
   * store LAN's agreed time (PeerClocks), ms.
   */
  readonly clocks: readonly {
    readonly id: string;
    readonly correctionMs: number | null;
    readonly offsetMs: number | null;
    readonly roundTripMs: number | null;
    readonly samples: number;
    readonly lanOffsetMs: number;
  }[];
  /** When the simulation starts, epoch ms. */
  readonly startAt: number;
  /** Time of the last advert, epoch ms: the replay ends there. */
  readonly lastAdvertAt: number;
}

const silentSource: ScanSource = { start: async () => undefined, stop: async () => undefined };

/** Registers the store, its zones and gateways in `cloud` and issues their MQTT logins. */
async function seed(o: LiveStoreOptions, plan: FloorPlan) {
  const repo = o.cloud.repositories;
  const now = o.clock.now();
  await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, now);
  await repo.directory.upsertStore(
    { id: o.storeId, orgId: "o1", name: "Store", timezone: "Europe/London", lat: null, lon: null, tags: [] },
    now,
  );
  for (const z of plan.zones) await repo.directory.upsertZone({ id: z.id, storeId: o.storeId, name: z.name, tags: [], geometry: {} });
  const logins = new Map<string, { username: string; password: string }>();
  for (const g of plan.gateways) {
    await repo.directory.upsertGateway({ id: g.id, storeId: o.storeId, name: g.id }, now);
    logins.set(g.id, await o.cloud.credentials.issueMqtt({ role: "gateway", storeId: o.storeId, gatewayId: g.id }, "bench"));
  }
  return logins;
}

export async function runLiveStore(o: LiveStoreOptions): Promise<LiveStoreResult> {
  const stepMs = o.stepMs ?? 250;
  const latenessMs = o.latenessMs ?? 1500;
  const plan = planWith(o.gateways);
  const startAt = o.clock.now();
  const sim = simulateStore({
    seed: o.seed,
    minutes: o.minutes,
    rate: "1hz",
    startAt,
    plan,
    surveyed: true,
    ...(o.shoppersPerHour === undefined ? {} : { shoppersPerHour: o.shoppersPerHour }),
    ...(o.passersPerHour === undefined ? {} : { passersPerHour: o.passersPerHour }),
  });
  const logins = await seed(o, plan);
  await mkdir(o.dir, { recursive: true });
  const keyFile = join(o.dir, "lan.key");
  await writeFile(keyFile, "5f0c3e1d9a7b2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\n", { mode: 0o600 });
  const ports = new Map<string, number>();
  for (const g of plan.gateways) ports.set(g.id, await freeUdpPort());
  const skewOf = (id: string): number => o.skewMs?.[id] ?? 0;
  // Each gateway's LAN port is fronted by a relay that drops some datagrams (with `lossRate`) and
  // counts what it passed, so a step knows what to wait for: heartbeats, retransmission requests
  // and retransmissions carry no new sightings, and a datagram may be refused (a clock off).
  const relays = new Map<string, LossyRelay>();
  {
    const key = await readLanKey(keyFile);
    for (const g of plan.gateways)
      relays.set(
        g.id,
        await openLossyRelay({
          targetPort: ports.get(g.id) ?? 0,
          lossRate: o.lossRate ?? 0,
          random: seededRandom(o.seed * 7919 + relays.size + 1),
          key,
          storeId: o.storeId,
        }),
      );
  }
  const lanAddressOf = (id: string): string => `127.0.0.1:${relays.get(id)?.port ?? ports.get(id) ?? 0}`;

  // The simulation's time, which is the cloud's.
  const simClock = o.clock;
  simClock.t = startAt - stepMs;
  const gateways = new Map<string, Gateway>();
  const base = sim.config as { zones: unknown; presence: unknown };
  for (const g of plan.gateways) {
    const login = logins.get(g.id);
    if (!login) throw new Error(`no login for ${g.id}`);
    const parsed = parseGatewayConfig({
      storeId: o.storeId,
      gatewayId: g.id,
      dataDir: join(o.dir, g.id),
      mqtt: {
        url: `mqtt://127.0.0.1:${o.mqttPort}`,
        username: login.username,
        password: login.password,
        keepaliveS: 5,
        reconnectInitialMs: 100,
        reconnectMaxMs: 1000,
      },
      scanner: { source: "sim" },
      site: geoOf(g.position),
      peers: plan.gateways
        .filter((p) => p.id !== g.id)
        .map((p) => ({ id: p.id, ...geoOf(p.position), lan: lanAddressOf(p.id) })),
      lan: { port: ports.get(g.id) ?? 0, keyFile, latenessMs, batchMs: stepMs },
      zones: base.zones,
      presence: base.presence,
      uplink: { batchSize: 100, maxInflightBatches: 4, ackTimeoutMs: 2000 },
      telemetryIntervalS: 3600,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const skew = skewOf(g.id);
    const clock = { now: () => simClock.t + skew };
    const gateway = await createGateway(parsed.config, { source: silentSource, log: o.log, clock });
    await gateway.start();
    gateways.set(g.id, gateway);
  }
  // Each gateway's clock set by the cloud's before the first step, as a gateway's first connect does
  // before its radio hears anyone much (none decides before its reference is known, SETTLE_MS).
  await until(() => [...gateways.values()].every((g) => g.time === null || g.time.known), 20_000, "every gateway's clock set by the cloud's");

  for (const relay of relays.values()) relay.open();

  const merged: Advert[] = [];
  let adverts = 0;
  const stopAt = o.stop === undefined ? Number.POSITIVE_INFINITY : startAt + o.stop.afterMs;
  const stopped = new Set<string>();
  const stoppedGateways = new Map<string, Gateway>();
  /**
   * The LAN is quiet: every datagram handed to a socket (batches, heartbeats, retransmission
   * requests and the retransmissions they bring) reached its relay, and everything a relay passed
   * reached its gateway, which answers a request in the same turn it receives it.
   */
  const lanQuiet = (): boolean => {
    let queued = 0;
    for (const g of [...gateways.values(), ...stoppedGateways.values()]) queued += g.fusion?.channel.counters.datagramsQueued ?? 0;
    let arrived = 0;
    for (const relay of relays.values()) arrived += relay.passed + relay.dropped;
    if (queued !== arrived) return false;
    for (const [id, g] of gateways) if ((g.fusion?.channel.counters.datagramsReceived ?? 0) < (relays.get(id)?.passed ?? 0)) return false;
    return true;
  };
  /** No gateway waits for the cloud's reply to a clock request: an exchange ends within its step. */
  const timeQuiet = (): boolean => [...gateways.values()].every((g) => g.time === null || !g.time.pending);
  const step = async (): Promise<void> => {
    // Each on the time it decides by: its own clock, as the cloud's reply corrected it.
    for (const g of gateways.values()) g.pipeline.tick(g.clock.now());
    await until(() => lanQuiet() && timeQuiet(), 10_000, "the store LAN quiet and every clock exchange answered", 1);
  };

  const source = sim.adverts();
  let pending = source.next();
  let lastAdvertAt = startAt;
  while (!pending.done) {
    simClock.t += stepMs;
    if (simClock.t >= stopAt && o.stop !== undefined && !stopped.has(o.stop.gatewayId)) {
      const g = gateways.get(o.stop.gatewayId);
      gateways.delete(o.stop.gatewayId);
      stopped.add(o.stop.gatewayId);
      await g?.stop();
      if (g) stoppedGateways.set(o.stop.gatewayId, g);
    }
    while (!pending.done && pending.value.t <= simClock.t) {
      const advert = pending.value;
      pending = source.next();
      const g = gateways.get(advert.gatewayId ?? "");
      if (g === undefined) continue;
      // The radio's reading is stamped by the gateway's own clock.
      const skew = skewOf(advert.gatewayId ?? "");
      g.pipeline.onAdvert(skew === 0 ? advert : { ...advert, t: advert.t + skew });
      merged.push(advert);
      adverts++;
      lastAdvertAt = advert.t;
    }
    await step();
  }
  // Run every engine past the last advert by the allowance, so all of it is decided.
  while (simClock.t < lastAdvertAt + latenessMs + stepMs) {
    simClock.t += stepMs;
    await step();
  }
  for (const [id, g] of gateways) {
    await until(async () => g.relay.counters.eventsAcked >= g.relay.counters.eventsQueued, 30_000, `${id}'s events acked ${JSON.stringify(g.relay.counters)}`);
  }
  let uplinkMessages = 0;
  let eventsUploaded = 0;
  let refused = 0;
  let lateDropped = 0;
  const gaps = { nacksSent: 0, retransmitted: 0, missed: 0, recovered: 0, abandoned: 0 };
  const all = [...gateways.values()];
  for (const g of [...all, ...stoppedGateways.values()]) {
    const l = g.fusion?.channel.counters;
    if (l) for (const k of Object.keys(gaps) as (keyof typeof gaps)[]) gaps[k] += l[k];
  }
  for (const g of all) {
    uplinkMessages += g.relay.counters.batchesSent;
    eventsUploaded += g.relay.counters.eventsSent;
    const c = g.fusion?.presence.counters;
    if (c) {
      refused += c.lan.unauthenticated + c.lan.malformed + c.lan.oversized + c.lan.stale + c.lan.replayed + c.lan.unknownSender;
      lateDropped += c.merge.late + c.merge.ahead + c.merge.full;
    }
  }
  const clocks = [...gateways].map(([id, g]) => {
    const r = g.time?.report();
    return {
      id,
      correctionMs: r?.correctionMs ?? null,
      offsetMs: r?.offsetMs ?? null,
      roundTripMs: r?.roundTripMs ?? null,
      samples: r?.samples ?? 0,
      lanOffsetMs: g.fusion?.presence.clockOffsetMs ?? 0,
    };
  });
  for (const g of all) await g.stop();
  let datagramsLost = 0;
  let datagramsRelayed = 0;
  for (const relay of relays.values()) {
    datagramsLost += relay.dropped;
    datagramsRelayed += relay.passed + relay.dropped;
    await relay.close();
  }

  // The replay of the merged capture, through the gateway's own replay, with the first gateway's config.
  const replay: Detection[] = [];
  let replayEvents = 0;
  const replayConfig = parseGatewayConfig(sim.config);
  if (!replayConfig.ok) throw new Error(JSON.stringify(replayConfig.problems));
  await replayCapture(replayConfig.config, linesOf(merged), (events) => {
    for (const e of events) {
      replayEvents++;
      if (e.type === "dwell") continue;
      replay.push({ type: e.type, zoneId: e.zoneId, subjectId: e.subject.id, visitId: e.visitId, eventId: e.id, at: Date.parse(e.at) });
    }
  });

  const db = o.cloud.repositories.db;
  const rows = await db.all<{ id: string; type: string; zone_id: string; subject_id: string; visit_id: string; at: string }>(
    "SELECT id, type, zone_id, subject_id, visit_id, at FROM presence_events WHERE store_id = ? ORDER BY at, id",
    [o.storeId],
  );
  const live: Detection[] = rows
    .filter((r) => r.type === "enter" || r.type === "exit")
    .map((r) => ({
      type: r.type as "enter" | "exit",
      zoneId: r.zone_id,
      subjectId: r.subject_id,
      visitId: r.visit_id,
      eventId: r.id,
      at: typeof r.at === "number" ? r.at : Date.parse(r.at),
    }))
    .filter((d) => d.at <= lastAdvertAt);
  const visits = await db.all<{ subject_id: string; n: number }>(
    "SELECT subject_id, COUNT(DISTINCT store_visit_id) AS n FROM presence_events WHERE store_id = ? GROUP BY subject_id",
    [o.storeId],
  );
  return {
    adverts,
    live,
    replay,
    replayEvents,
    storedEvents: rows.length,
    uplinkMessages,
    eventsUploaded,
    storeVisitsBySubject: new Map(visits.map((v) => [v.subject_id, v.n])),
    refused,
    lateDropped,
    datagramsLost,
    datagramsRelayed,
    ...gaps,
    clocks,
    startAt,
    lastAdvertAt,
  };
}

/** A UDP port free a moment ago on 127.0.0.1 (peers must know each other's port before they start). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** A UDP relay in front of one gateway's LAN port that loses datagrams, as a lossy store LAN would. */
interface LossyRelay {
  readonly port: number;
  /** Sightings in the datagrams that reached the relay, dropped or not. */
  readonly sightings: number;
  readonly passed: number;
  readonly dropped: number;
  /** Starts passing datagrams on, first those held until then (the gateway behind is listening). */
  open(): void;
  close(): Promise<void>;
}

async function openLossyRelay(o: {
  readonly targetPort: number;
  readonly lossRate: number;
  readonly random: () => number;
  readonly key: Uint8Array;
  readonly storeId: string;
}): Promise<LossyRelay> {
  const socket = createSocket("udp4");
  const state = { sightings: 0, passed: 0, dropped: 0 };
  let held: Buffer[] | null = [];
  const pass = (msg: Buffer): void => {
    if (held === null) socket.send(msg, o.targetPort, "127.0.0.1");
    else held.push(msg);
  };
  socket.on("message", (msg) => {
    const decoded = decodeSightings({ key: o.key, storeId: o.storeId }, msg);
    if (decoded.ok) state.sightings += decoded.batch.sightings.length;
    if (o.random() < o.lossRate) {
      state.dropped++;
      return;
    }
    state.passed++;
    pass(msg);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  return {
    port,
    get sightings() {
      return state.sightings;
    },
    get passed() {
      return state.passed;
    },
    get dropped() {
      return state.dropped;
    },
    open: () => {
      const waiting = held ?? [];
      held = null;
      for (const msg of waiting) pass(msg);
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

async function* linesOf(adverts: readonly Advert[]): AsyncGenerator<string> {
  for (let i = 0; i < adverts.length; i += 5000)
    yield adverts
      .slice(i, i + 5000)
      .map((a) => `${formatCaptureLine(a)}\n`)
      .join("");
}

/** How live detections compare with the replay's: matched by event id, time differences. */
export interface Comparison {
  readonly matched: number;
  /** In the replay, not stored live. */
  readonly missing: readonly Detection[];
  /** Stored live, not in the replay. */
  readonly extra: readonly Detection[];
  /** Largest |live - replay| time of a matched enter or exit, ms. */
  readonly maxShiftMs: number;
}

export function compareDetections(live: readonly Detection[], replay: readonly Detection[]): Comparison {
  const byId = new Map(live.map((d) => [d.eventId, d]));
  const seen = new Set<string>();
  const missing: Detection[] = [];
  let maxShiftMs = 0;
  for (const r of replay) {
    const l = byId.get(r.eventId);
    if (l === undefined) {
      missing.push(r);
      continue;
    }
    seen.add(r.eventId);
    maxShiftMs = Math.max(maxShiftMs, Math.abs(l.at - r.at));
  }
  return { matched: seen.size, missing, extra: live.filter((d) => !seen.has(d.eventId)), maxShiftMs };
}

/** How live detections compare with the replay's when ids cannot match (clocks off shift the ids). */
export interface TimeComparison {
  /** Replay enters and exits with a live one of the same type, zone and subject within `windowMs`. */
  readonly matched: number;
  /** Of those, within 2 s of the replay's time. */
  readonly within2s: number;
  readonly missing: number;
  /** Live ones matched to nothing: a second decision of the same arrival, or a wrong one. */
  readonly extra: number;
  /** Largest |live - replay| of a matched one, ms. */
  readonly maxShiftMs: number;
  /** Median |live - replay| of the matched ones, ms. */
  readonly medianShiftMs: number;
}

/**
 * Matches each replay enter or exit, in time order, to the nearest unmatched live one of the same
 * type, zone and subject within `windowMs`: how far live drifts from the replay whatever the ids.
 */
export function compareByTime(live: readonly Detection[], replay: readonly Detection[], windowMs = 30_000): TimeComparison {
  const keyOf = (d: Detection): string => `${d.type}|${d.zoneId}|${d.subjectId}`;
  const pool = new Map<string, Detection[]>();
  for (const d of live) pool.set(keyOf(d), [...(pool.get(keyOf(d)) ?? []), d]);
  const shifts: number[] = [];
  let missing = 0;
  for (const r of [...replay].sort((a, b) => a.at - b.at)) {
    const candidates = pool.get(keyOf(r)) ?? [];
    let best = -1;
    for (let i = 0; i < candidates.length; i++) {
      const shift = Math.abs((candidates[i]?.at ?? 0) - r.at);
      if (shift <= windowMs && (best < 0 || shift < Math.abs((candidates[best]?.at ?? 0) - r.at))) best = i;
    }
    if (best < 0) {
      missing++;
      continue;
    }
    shifts.push(Math.abs((candidates[best]?.at ?? 0) - r.at));
    candidates.splice(best, 1);
  }
  let extra = 0;
  for (const rest of pool.values()) extra += rest.length;
  shifts.sort((a, b) => a - b);
  return {
    matched: shifts.length,
    within2s: shifts.filter((s) => s <= 2000).length,
    missing,
    extra,
    maxShiftMs: shifts.at(-1) ?? 0,
    medianShiftMs: shifts[Math.floor(shifts.length / 2)] ?? 0,
  };
}
