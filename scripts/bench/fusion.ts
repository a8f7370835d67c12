/**
 * The simulated store run live by two and by three gateways that pool their sightings over the store
 * LAN, compared with the replay of the merged capture. Run from the repository root:
 *
 *   npx tsx scripts/bench/fusion.ts [--minutes M] [--seeds 1,2,3] [--shoppers-per-hour N] [--passers-per-hour N]
 *
 * Each run is the real composition (`createGateway` per gateway: scan pipeline, fused presence, UDP
 * on 127.0.0.1, outbox, relay, MQTT.js) and the real cloud in this process (embedded aedes, ingest,
 * SQLite), stepped on simulated time (scripts/bench/fusionLive.ts): 250 ms batches, a 1.5 s
 * lateness allowance. Per run it reports the enters and exits stored by the cloud against the
 * replay's (matched by event id; missing, extra, the largest time shift), events and event batches
 * uploaded (one batch is one MQTT message) per 1 000 adverts, and shoppers counted in more than one
 * store visit. Then the three-gateway store again with one gateway stopped halfway. Prints a table,
 * then one JSON line per run.
 *
 * With `--loss 0.01,0.05,0.2` each rate of store-LAN datagram loss is run too, and with
 * `--skew 200,1000,3000` each clock error: gw-floor's clock ahead by it, gw-till's behind, gw-entry's
 * ahead (`--only impaired` skips the three cases above). A clock off shifts the event ids (they hash
 * the time), so these runs are compared with the replay by type, zone, subject and nearest time too.
 *
 * The cloud runs on the simulation's clock (true time) and each gateway sets its clock by the
 * cloud's over MQTT (`time.source: cloud`, the default): the last columns give each gateway's
 * correction from the cloud's clock and the store LAN's on top (PeerClocks), and the clock samples
 * taken with the largest round trip believed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { freePort } from "../../test/support/freePort.js";
import { openCloud, stopCloud } from "../../test/support/uplinkCloud.js";
import { compareByTime, compareDetections, liveStoreStart, runLiveStore, SimClock } from "./fusionLive.js";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    seeds: { type: "string", default: "1,2,3" },
    "shoppers-per-hour": { type: "string", default: "90" },
    "passers-per-hour": { type: "string", default: "300" },
    loss: { type: "string", default: "" },
    skew: { type: "string", default: "" },
    only: { type: "string", default: "all" },
  },
});
const minutes = Number(values.minutes);
const seeds = (values.seeds ?? "1").split(",").map(Number);
const list = (v: string | undefined): number[] => (v ?? "").split(",").filter((x) => x.trim() !== "").map(Number);
const silent = createLogger({ level: "silent", format: "json", name: "bench" });

interface Row {
  readonly case: string;
  readonly seed: number;
  readonly adverts: number;
  readonly replayEnterExit: number;
  readonly matched: number;
  readonly missing: number;
  readonly extra: number;
  readonly maxShiftMs: number;
  /** Matched by type, zone, subject and nearest time (within 30 s), whatever the id. */
  readonly byTime: { readonly matched: number; readonly within2s: number; readonly missing: number; readonly extra: number; readonly maxShiftMs: number; readonly medianShiftMs: number };
  /** Subjects the cloud counted in more than one store visit. */
  readonly multiVisitSubjects: number;
  readonly eventsPer1000: number;
  readonly messagesPer1000: number;
  readonly storedOnce: boolean;
  readonly lateDropped: number;
  readonly refused: number;
  readonly datagramsLost: number;
  readonly nacksSent: number;
  readonly retransmitted: number;
  readonly recovered: number;
  readonly abandoned: number;
  /** Per gateway at the end: the correction from the cloud's clock, and the store LAN's on top, ms. */
  readonly cloudCorrectionMs: readonly (number | null)[];
  readonly lanCorrectionMs: readonly number[];
  /** Largest round trip of the clock samples the gateways believed, and samples taken (summed), ms. */
  readonly maxRoundTripMs: number | null;
  readonly clockSamples: number;
  readonly seconds: number;
}

interface Case {
  readonly name: string;
  readonly gateways: 2 | 3;
  readonly stop?: { readonly gatewayId: string; readonly afterMs: number };
  readonly lossRate?: number;
  readonly skewMs?: Readonly<Record<string, number>>;
}

const cases: Case[] = [];
if (values.only !== "impaired")
  cases.push(
    { name: "2 gateways", gateways: 2 },
    { name: "3 gateways", gateways: 3 },
    { name: "3, gw-entry stopped halfway", gateways: 3, stop: { gatewayId: "gw-entry", afterMs: (minutes * 60_000) / 2 } },
  );
for (const loss of list(values.loss))
  for (const gateways of [2, 3] as const) cases.push({ name: `${gateways} gateways, ${loss * 100}% loss`, gateways, lossRate: loss });
for (const skew of list(values.skew))
  for (const gateways of [2, 3] as const)
    cases.push({
      name: `${gateways} gateways, clocks ±${skew} ms`,
      gateways,
      skewMs: { "gw-floor": skew, "gw-till": -skew, "gw-entry": skew },
    });

const rows: Row[] = [];
const dir = await mkdtemp(join(tmpdir(), "arrival-bench-fusion-"));
try {
  for (const c of cases) {
    for (const seed of seeds) {
      const storeId = `bench-${rows.length}`;
      const mqttPort = await freePort();
      // The cloud on the simulation's clock: true time, which the gateways' clocks are set by.
      const clock = new SimClock(liveStoreStart(minutes));
      const cloud = await openCloud(join(dir, storeId, "cloud"), { mqttPort, httpPort: await freePort() }, silent, clock);
      await cloud.start();
      const started = performance.now();
      try {
        const r = await runLiveStore({
          dir: join(dir, storeId),
          cloud,
          clock,
          mqttPort,
          storeId,
          gateways: c.gateways,
          seed,
          minutes,
          shoppersPerHour: Number(values["shoppers-per-hour"]),
          passersPerHour: Number(values["passers-per-hour"]),
          log: silent,
          ...(c.stop ? { stop: c.stop } : {}),
          ...(c.lossRate === undefined ? {} : { lossRate: c.lossRate }),
          ...(c.skewMs === undefined ? {} : { skewMs: c.skewMs }),
        });
        const cmp = compareDetections(r.live, r.replay);
        const row: Row = {
          case: c.name,
          seed,
          adverts: r.adverts,
          replayEnterExit: r.replay.length,
          matched: cmp.matched,
          missing: cmp.missing.length,
          extra: cmp.extra.length,
          maxShiftMs: cmp.maxShiftMs,
          byTime: compareByTime(r.live, r.replay),
          multiVisitSubjects: [...r.storeVisitsBySubject.values()].filter((n) => n > 1).length,
          eventsPer1000: Math.round((r.eventsUploaded / r.adverts) * 10_000) / 10,
          messagesPer1000: Math.round((r.uplinkMessages / r.adverts) * 10_000) / 10,
          storedOnce: r.storedEvents === r.replayEvents,
          lateDropped: r.lateDropped,
          refused: r.refused,
          datagramsLost: r.datagramsLost,
          nacksSent: r.nacksSent,
          retransmitted: r.retransmitted,
          recovered: r.recovered,
          abandoned: r.abandoned,
          cloudCorrectionMs: r.clocks.map((c) => c.correctionMs),
          lanCorrectionMs: r.clocks.map((c) => c.lanOffsetMs),
          maxRoundTripMs: r.clocks.reduce<number | null>((m, c) => (c.roundTripMs === null ? m : Math.max(m ?? 0, c.roundTripMs)), null),
          clockSamples: r.clocks.reduce((n, c) => n + c.samples, 0),
          seconds: Math.round((performance.now() - started) / 100) / 10,
        };
        rows.push(row);
        process.stderr.write(`${JSON.stringify(row)}\n`);
      } finally {
        await stopCloud(cloud);
      }
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const header =
  "| case | seed | adverts | replay enter+exit | matched (id) | missing (id) | extra (id) | max shift ms (id) | matched by time | within 2 s | missing | extra | median / max shift ms | subjects in >1 store visit | events/1000 adverts | uplink msgs/1000 adverts | each event stored once | late dropped | datagrams refused | datagrams lost | requests / retransmitted | recovered / given up | cloud correction ms | LAN correction ms | clock samples / max round trip ms | run s |";
process.stdout.write(`${header}\n|${"---|".repeat(26)}\n`);
const list3 = (xs: readonly (number | null)[]): string => xs.map((x) => (x === null ? "-" : String(x))).join(", ");
for (const r of rows)
  process.stdout.write(
    `| ${r.case} | ${r.seed} | ${r.adverts} | ${r.replayEnterExit} | ${r.matched} | ${r.missing} | ${r.extra} | ${r.maxShiftMs} | ${r.byTime.matched} | ${r.byTime.within2s} | ${r.byTime.missing} | ${r.byTime.extra} | ${r.byTime.medianShiftMs} / ${r.byTime.maxShiftMs} | ${r.multiVisitSubjects} | ${r.eventsPer1000} | ${r.messagesPer1000} | ${r.storedOnce ? "yes" : "no"} | ${r.lateDropped} | ${r.refused} | ${r.datagramsLost} | ${r.nacksSent} / ${r.retransmitted} | ${r.recovered} / ${r.abandoned} | ${list3(r.cloudCorrectionMs)} | ${list3(r.lanCorrectionMs)} | ${r.clockSamples} / ${r.maxRoundTripMs ?? "-"} | ${r.seconds} |\n`,
  );
for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
