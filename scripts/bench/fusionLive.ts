/**
 * The simulated store run live: two or three real gateways (createGateway) that share their
 * sightings over real UDP on localhost and upload through the cloud's real MQTT broker, compared
 * with the replay of the merged capture. Used by test/integration/liveFusion.test.ts and by
 * scripts/bench/fusion.ts.
 *
 * Time is the simulation's: a manual clock steps by `stepMs`; at each step every gateway is given
 * the adverts its radio heard up to then, sends its batch and runs its engine to the watermark, and
 * the step ends when every peer has received every batch (a LAN without loss). So the run takes as
 * long as the machine needs, not the simulated minutes, and no assertion depends on timing.
 */
import { createSocket } from "node:dgram";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Cloud } from "../../cloud/src/createCloud.js";
import { formatCaptureLine } from "../../gateway/src/adapters/replay/captureLine.js";
import { replayCapture } from "../../gateway/src/cli/replay.js";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import type { Advert, Logger, ScanSource } from "../../gateway/src/services/ports.js";
import { until } from "../../test/support/until.js";
import { geoOf, type FloorPlan, STORE_PLAN } from "../sim/floorPlan.js";
import { simulateStore } from "../sim/simulateStore.js";

/** The third gateway of the three-gateway store: above the entrance side of the sales floor. */
export const THIRD_GATEWAY = Object.freeze({ id: "gw-entry", position: { x: 3, y: 5 } });

export function planWith(gateways: 2 | 3): FloorPlan {
  return gateways === 2 ? STORE_PLAN : { ...STORE_PLAN, gateways: [...STORE_PLAN.gateways, THIRD_GATEWAY] };
}

export interface LiveStoreOptions {
  readonly dir: string;
  readonly cloud: Cloud;
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
  /** When the simulation starts, epoch ms. */
  readonly startAt: number;
  /** Time of the last advert, epoch ms: the replay ends there. */
  readonly lastAdvertAt: number;
}

const silentSource: ScanSource = { start: async () => undefined, stop: async () => undefined };

/** Registers the store, its zones and gateways in `cloud` and issues their MQTT logins. */
async function seed(o: LiveStoreOptions, plan: FloorPlan) {
  const repo = o.cloud.repositories;
  const now = Date.now();
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
  // Dated well in the past (the cloud takes events up to days old), so none is ahead of its clock.
  const startAt = Math.floor((Date.now() - (o.minutes + 30) * 60_000) / 1000) * 1000;
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

  let now = startAt - stepMs;
  const clock = { now: () => now };
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
        .map((p) => ({ id: p.id, ...geoOf(p.position), lan: `127.0.0.1:${ports.get(p.id) ?? 0}` })),
      lan: { port: ports.get(g.id) ?? 0, keyFile, latenessMs, batchMs: stepMs },
      zones: base.zones,
      presence: base.presence,
      uplink: { batchSize: 100, maxInflightBatches: 4, ackTimeoutMs: 2000 },
      telemetryIntervalS: 3600,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const gateway = await createGateway(parsed.config, { source: silentSource, log: o.log, clock });
    await gateway.start();
    gateways.set(g.id, gateway);
  }

  const merged: Advert[] = [];
  let adverts = 0;
  const stopAt = o.stop === undefined ? Number.POSITIVE_INFINITY : startAt + o.stop.afterMs;
  const stopped = new Set<string>();
  const stoppedGateways = new Map<string, Gateway>();
  /** Sightings each live gateway should have received from its peers so far. */
  const expectedReceived = (id: string): number => {
    let n = 0;
    for (const [peerId, peer] of [...gateways, ...stoppedGateways])
      if (peerId !== id) n += peer.fusion?.presence.counters.shared ?? 0;
    return n;
  };
  const step = async (): Promise<void> => {
    for (const g of gateways.values()) g.pipeline.tick(now);
    for (const [id, g] of gateways) {
      const want = expectedReceived(id);
      await until(
        async () => (g.fusion?.channel.counters.sightingsReceived ?? 0) >= want,
        10_000,
        `${id} received its peers' batches (${want}): ${JSON.stringify(g.fusion?.presence.counters)}`,
        1,
      );
    }
  };

  const source = sim.adverts();
  let pending = source.next();
  let lastAdvertAt = startAt;
  while (!pending.done) {
    now += stepMs;
    if (now >= stopAt && o.stop !== undefined && !stopped.has(o.stop.gatewayId)) {
      const g = gateways.get(o.stop.gatewayId);
      gateways.delete(o.stop.gatewayId);
      stopped.add(o.stop.gatewayId);
      await g?.stop();
      if (g) stoppedGateways.set(o.stop.gatewayId, g);
    }
    while (!pending.done && pending.value.t <= now) {
      const advert = pending.value;
      pending = source.next();
      const g = gateways.get(advert.gatewayId ?? "");
      if (g === undefined) continue;
      g.pipeline.onAdvert(advert);
      merged.push(advert);
      adverts++;
      lastAdvertAt = advert.t;
    }
    await step();
  }
  // Run every engine past the last advert by the allowance, so all of it is decided.
  while (now < lastAdvertAt + latenessMs + stepMs) {
    now += stepMs;
    await step();
  }
  for (const [id, g] of gateways) {
    await until(async () => g.relay.counters.eventsAcked >= g.relay.counters.eventsQueued, 30_000, `${id}'s events acked ${JSON.stringify(g.relay.counters)}`);
  }
  let uplinkMessages = 0;
  let eventsUploaded = 0;
  let refused = 0;
  let lateDropped = 0;
  const all = [...gateways.values()];
  for (const g of all) {
    uplinkMessages += g.relay.counters.batchesSent;
    eventsUploaded += g.relay.counters.eventsSent;
    const c = g.fusion?.presence.counters;
    if (c) {
      refused += c.lan.unauthenticated + c.lan.malformed + c.lan.oversized + c.lan.stale + c.lan.replayed + c.lan.unknownSender;
      lateDropped += c.merge.late + c.merge.ahead + c.merge.full;
    }
  }
  for (const g of all) await g.stop();

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
    startAt,
    lastAdvertAt,
  };
}

/** A UDP port free a moment ago on 127.0.0.1 (peers must know each other's port before they start). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
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
