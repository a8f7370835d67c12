/**
 * Why the pooled engine takes in a passer-by: each false enter of the surveyed and pooled config
 * (`engine-surveyed-fused` of scripts/bench/presence.ts), with the evidence the engine held at that
 * moment, per gateway, and where the subject stood.
 *
 *   npx tsx scripts/bench/presenceFlagged.ts [--first-seed 11] [--seeds 5] [--minutes 30]
 *       [--shadowing-db 6] [--storefront-db 6] [--gateway-offset-db=0] [--oracle-tx] [--inside-learned]
 *
 * `--inside-learned`: the pooled store learned from 20 inside labels instead of surveyed
 * (`engine-inside-learned-fused`, the learner's defaults; insideLearnedShop.ts): offsets 0, the store
 * zone's edge loss and gw-till's reference as learned.
 *
 * `--oracle-tx`: the engine knows each phone's true power at 1 m (as `presence.ts --oracle-tx 0`).
 *
 * Run it on the tuning seeds (11-15) only: it is for understanding, and what it shows is then tuned.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineOptions } from "../../gateway/src/config/engineOptions.js";
import { PresenceEngine } from "../../gateway/src/domain/presence/PresenceEngine.js";
import { quantile } from "../../gateway/src/domain/survey/siteSurvey.js";
import { distance } from "../sim/floorPlan.js";
import { insideLearnedConfig, learnInsideShop } from "./insideLearnedShop.js";
import { pooledDefaults, replayShop, shopArgs, surveyedShop, truePowerOf, truthOf } from "./surveyedShop.js";

/** What the diagnostics read of the engine's private state (PresenceEngine.ts). */
interface EngineInternals {
  readonly subjects: Map<string, { readonly links: Map<string, unknown> }>;
  strictRssi(link: unknown, t: number): number | null;
  distanceM(subject: unknown, rssiDbm: number): number;
}

interface Snapshot {
  readonly seed: number;
  readonly subject: string;
  readonly role: string;
  readonly window: boolean;
  readonly t: number;
  readonly x: number;
  readonly y: number;
  readonly txOffsetDb: number;
  /** Per gateway: strict RSSI after offset, its excess over the reference, dB. */
  readonly perGateway: Record<string, { rssi: number; excessDb: number }>;
  readonly meanExcessDb: number;
}

async function main(): Promise<void> {
  const o = shopArgs(["geometric", "oracle-tx", "inside-learned"]);
  const dir = await mkdtemp(join(tmpdir(), "arrival-flagged-"));
  const all: Snapshot[] = [];
  try {
    for (let seed = o.firstSeed; seed < o.firstSeed + o.seeds; seed++) {
      const surveyed = surveyedShop(o, seed, o.geometric);
      const learned = o["inside-learned"] ? learnInsideShop(surveyed.sim, seed, 2.2, { visits: 20, txSpreadDb: 3 }) : null;
      const shop = learned === null ? surveyed : { ...surveyed, config: insideLearnedConfig(pooledDefaults(surveyed.sim), surveyed.sim, learned, true, true) };
      const { sim, samples, calibration, config } = shop;
      const offsets = learned === null ? Object.fromEntries(calibration.gateways.map((g) => [g.gatewayId, g.rssiOffsetDb])) : {};
      const store = learned === null ? calibration.zones.find((z) => z.zoneId === "store") : { edgeLossDb: learned.edgeLossDb, bound: null };
      const n10 = 22;
      const reach = store === undefined ? 5 : 10 ** (store.edgeLossDb / n10);
      const [floor, till] = sim.plan.gateways;
      if (floor === undefined || till === undefined) throw new Error("the plan needs two gateways");
      const apart = distance(floor.position, till.position);
      const peerEdge = (learned?.peerEdges ?? calibration.zones.find((z) => z.zoneId === "store")?.peers)?.find((p) => p.gatewayId === "gw-till");
      if (learned !== null) process.stdout.write(`seed ${seed}: learned from 20 inside labels: ${learned.note}\n`);
      const reference: Record<string, number> = {
        "gw-floor": reach,
        "gw-till": peerEdge === undefined ? apart + reach : 10 ** (peerEdge.edgeLossDb / n10),
      };
      // Survey places in the pooled engine's terms: per place, per gateway, median excess.
      const placeLine: string[] = [];
      for (const place of ["edge", "door", "outside"] as const) {
        const per: string[] = [];
        for (const g of ["gw-floor", "gw-till"]) {
          const ex = samples
            .filter((s) => s.place === place && s.gatewayId === g && (place !== "edge" || s.zoneId === "store"))
            .map((s) => n10 * Math.log10(10 ** ((s.measuredPowerDbm - (s.rssiDbm + (offsets[g] ?? 0))) / n10) / (reference[g] ?? 1)));
          per.push(`${g} q25 ${ex.length ? quantile(ex, 0.25).toFixed(1) : "-"} q50 ${ex.length ? quantile(ex, 0.5).toFixed(1) : "-"} (${ex.length})`);
        }
        placeLine.push(`${place}: ${per.join(", ")}`);
      }
      process.stdout.write(
        `seed ${seed}: offsets floor ${offsets["gw-floor"]} till ${offsets["gw-till"]}; store edge ${store?.edgeLossDb} dB reach ${reach.toFixed(1)} m bound ${store?.bound?.place ?? "-"}; gw-till reference ${reference["gw-till"]?.toFixed(1)} m (geometry ${(apart + reach).toFixed(1)} m)\n  ${placeLine.join("\n  ")}\n`,
      );

      const { subjects: roles, visits } = truthOf(sim);
      const byId = new Map(sim.advertisers.map((a) => [a.subjectId, a]));
      const options = engineOptions(config);
      const engine = new PresenceEngine(o["oracle-tx"] ? { ...options, calibration: truePowerOf(sim, seed, 0) } : options);
      // Diagnostics read the engine's private state, as it stood when it decided the enter.
      const e = engine as unknown as EngineInternals;
      await replayShop(shop, engine, join(dir, String(seed)), {
        onEvents: (events) => {
          for (const ev of events) {
            if (ev.type !== "enter") continue;
            const id = ev.subject.id;
            const info = roles.get(id);
            if (info === undefined) continue;
            const at = Date.parse(ev.at);
            if (info.role !== "passer-by") {
              const vs = visits.get(`${id}|${ev.zoneId}`) ?? [];
              if (vs.some((v) => at >= v.enterAt - 30_000 && at <= v.leaveAt + 30_000)) continue;
            }
            const subj = e.subjects.get(id);
            const per: Snapshot["perGateway"] = {};
            let sum = 0;
            let k = 0;
            if (subj === undefined) continue;
            for (const [g, link] of subj.links) {
              const rssi = e.strictRssi(link, at);
              if (rssi === null) continue;
              const d = e.distanceM(subj, rssi);
              const excessDb = n10 * Math.log10(Math.max(d, 0.1) / (reference[g] ?? 1));
              per[g] = { rssi: Math.round(rssi * 10) / 10, excessDb: Math.round(excessDb * 10) / 10 };
              sum += excessDb;
              k++;
            }
            const pose = byId.get(id)?.trajectory.at(at);
            all.push({
              seed,
              subject: `${ev.zoneId}:${id.slice(-8)}`,
              role: info.role,
              window: info.pausedMs > 0,
              t: Math.round((at - sim.startAt) / 1000),
              x: Math.round((pose?.x ?? Number.NaN) * 10) / 10,
              y: Math.round((pose?.y ?? Number.NaN) * 10) / 10,
              txOffsetDb: info.txOffsetDb,
              perGateway: per,
              meanExcessDb: Math.round((sum / Math.max(k, 1)) * 10) / 10,
            });
          }
        },
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const fmt = (s: Snapshot): string =>
    `${s.seed} ${s.role.padEnd(9)} ${s.window ? "W" : "-"} ${s.subject.padEnd(15)} t=${String(s.t).padStart(4)} at (${s.x}, ${s.y}) tx ${s.txOffsetDb.toFixed(1)} | ${Object.entries(s.perGateway)
      .map(([g, v]) => `${g} ${v.rssi} (${v.excessDb >= 0 ? "+" : ""}${v.excessDb})`)
      .join(", ")} | store's pooled mean ${s.meanExcessDb}`;
  for (const s of all) process.stdout.write(`${fmt(s)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
