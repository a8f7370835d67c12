/**
 * Does the difference between two gateways' readings of one advert tell the window from the floor?
 * gw-floor's strict RSSI minus gw-till's (each after its surveyed offset) is gw-till's path loss
 * minus gw-floor's: the phone's transmit power cancels, so a phone hotter than it advertises reads
 * the same as any other at that spot. This logs that difference every second for every subject both
 * gateways hear, beside where the simulator says the subject stood, and at every store enter (real
 * or false), then how well a bound on it would separate them.
 *
 *   npx tsx scripts/bench/presenceGatewayDifference.ts [--first-seed 11] [--seeds 5] [--minutes 30]
 *       [--shadowing-db 6] [--storefront-db 6] [--gateway-offset-db=0]
 *
 * For understanding, on the tuning seeds (11-15) only.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PresenceEngine } from "../../gateway/src/domain/presence/PresenceEngine.js";
import { engineOptions } from "../../gateway/src/config/engineOptions.js";
import { quantile } from "../../gateway/src/domain/survey/siteSurvey.js";
import { distance } from "../sim/floorPlan.js";
import { replayShop, shopArgs, surveyedShop, truthOf } from "./surveyedShop.js";

/** What the diagnostics read of the engine's private state (PresenceEngine.ts). */
interface EngineInternals {
  readonly subjects: Map<string, { readonly links: Map<string, unknown> }>;
  strictRssi(link: unknown, t: number): number | null;
}

type Place = "zone" | "shop" | "door" | "window" | "pavement";
type EnterKind = "shopper" | "passer-window" | "passer-walking";

const q = (xs: readonly number[], p: number): string => (xs.length === 0 ? "-" : quantile(xs, p).toFixed(1));
const line = (xs: readonly number[]): string =>
  `n ${String(xs.length).padStart(6)}  q05 ${q(xs, 0.05)}  q25 ${q(xs, 0.25)}  q50 ${q(xs, 0.5)}  q75 ${q(xs, 0.75)}  q95 ${q(xs, 0.95)}`;

async function main(): Promise<void> {
  const o = shopArgs([]);
  const dir = await mkdtemp(join(tmpdir(), "arrival-difference-"));
  const perSecond = new Map<Place, number[]>();
  const atEnter = new Map<EnterKind, number[]>();
  /** Per seed: the survey's per-place median difference (paired by second). */
  const surveyLines: string[] = [];
  const push = <K>(m: Map<K, number[]>, k: K, v: number): void => {
    const xs = m.get(k);
    if (xs === undefined) m.set(k, [v]);
    else xs.push(v);
  };
  try {
    for (let seed = o.firstSeed; seed < o.firstSeed + o.seeds; seed++) {
      const shop = surveyedShop(o, seed);
      const { sim, recording } = shop;
      const offsets = Object.fromEntries(shop.calibration.gateways.map((g) => [g.gatewayId, g.rssiOffsetDb]));
      // The survey's view: per step and second, each gateway's mean reading after offset, differenced.
      const bySecond = new Map<string, { place: string; rssi: Record<string, number[]> }>();
      for (const advert of recording.adverts) {
        const step = recording.steps.find((s) => advert.t >= s.from && advert.t <= s.to);
        if (step === undefined || advert.gatewayId === undefined) continue;
        const place = step.place === "edge" ? `edge:${step.zoneId ?? ""}` : step.place;
        const key = `${place}|${Math.floor(advert.t / 1000)}`;
        const entry = bySecond.get(key) ?? { place, rssi: {} };
        (entry.rssi[advert.gatewayId] ??= []).push(advert.rssi + (offsets[advert.gatewayId] ?? 0));
        bySecond.set(key, entry);
      }
      const surveyDiff = new Map<string, number[]>();
      const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      for (const { place, rssi } of bySecond.values()) {
        const f = rssi["gw-floor"];
        const t = rssi["gw-till"];
        if (f === undefined || t === undefined) continue;
        push(surveyDiff, place, mean(f) - mean(t));
      }
      surveyLines.push(
        `seed ${seed}: ${[...surveyDiff].map(([p, xs]) => `${p} q50 ${q(xs, 0.5)} (${xs.length})`).join(", ")}`,
      );

      const config = shop.config;
      const floor = sim.plan.gateways[0];
      const storeZone = sim.plan.zones.find((z) => z.id === "store");
      if (floor === undefined || storeZone === undefined) throw new Error("the plan needs gw-floor and a store zone");
      const { subjects: roles, visits } = truthOf(sim);
      const byId = new Map(sim.advertisers.map((a) => [a.subjectId, a]));
      const engine = new PresenceEngine(engineOptions(config));
      const e = engine as unknown as EngineInternals;
      const differenceOf = (id: string, t: number): number | null => {
        const links = e.subjects.get(id)?.links;
        const f = links?.get("gw-floor");
        const g = links?.get("gw-till");
        if (f === undefined || g === undefined) return null;
        const rf = e.strictRssi(f, t);
        const rt = e.strictRssi(g, t);
        return rf === null || rt === null ? null : rf - rt;
      };
      const placeOf = (id: string, t: number): Place | null => {
        const pose = byId.get(id)?.trajectory.at(t);
        const info = roles.get(id);
        if (pose === null || pose === undefined || info === undefined) return null;
        const p = { x: pose.x, y: pose.y };
        if (Math.abs(p.y) <= 1 && p.x >= sim.plan.door.minX - 1 && p.x <= sim.plan.door.maxX + 1) return "door";
        if (p.y > 0) return distance(p, floor.position) <= storeZone.radiusM ? "zone" : "shop";
        if (info.role === "passer-by" && info.pausedMs > 0 && p.y >= sim.plan.windowY - 0.5) return "window";
        return "pavement";
      };
      let lastSecond = -1;
      await replayShop(shop, engine, join(dir, String(seed)), {
        onEvents: (events) => {
          for (const ev of events) {
            if (ev.type !== "enter" || ev.zoneId !== "store") continue;
            const id = ev.subject.id;
            const info = roles.get(id);
            if (info === undefined || info.role === "fixed") continue;
            const at = Date.parse(ev.at);
            const d = differenceOf(id, at);
            if (d === null) continue;
            if (info.role === "passer-by") push(atEnter, info.pausedMs > 0 ? "passer-window" : "passer-walking", d);
            else {
              const vs = visits.get(`${id}|store`) ?? [];
              if (vs.some((v) => v.leaveAt - v.enterAt >= 20_000 && at >= v.enterAt - 30_000 && at <= v.leaveAt + 30_000))
                push(atEnter, "shopper", d);
            }
          }
        },
        onTick: (t) => {
          const second = Math.floor(t / 1000);
          if (second === lastSecond) return;
          lastSecond = second;
          for (const id of e.subjects.keys()) {
            const info = roles.get(id);
            if (info === undefined || info.role === "fixed" || info.role === "staff") continue;
            const d = differenceOf(id, t);
            const place = placeOf(id, t);
            if (d !== null && place !== null) push(perSecond, place, d);
          }
        },
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const out = (s: string): boolean => process.stdout.write(`${s}\n`);
  out(`gw-floor strict RSSI minus gw-till's (dB), seeds ${o.firstSeed}-${o.firstSeed + o.seeds - 1}, shadowing ${o.shadowingDb} dB`);
  out("survey, paired by second:");
  for (const s of surveyLines) out(`  ${s}`);
  out("every second both gateways hear a shopper or passer-by, by where the simulator puts them:");
  for (const p of ["zone", "shop", "door", "window", "pavement"] as const) out(`  ${p.padEnd(8)} ${line(perSecond.get(p) ?? [])}`);
  out("at the store enter:");
  for (const k of ["shopper", "passer-window", "passer-walking"] as const)
    out(`  ${k.padEnd(15)} ${line(atEnter.get(k) ?? [])}  values ${k === "shopper" ? "" : (atEnter.get(k) ?? []).map((v) => v.toFixed(1)).join(" ")}`);
  // A bound "refuse when the difference is at most B": the shoppers' enters it would refuse against the passers-by.
  const shoppers = atEnter.get("shopper") ?? [];
  const passers = [...(atEnter.get("passer-window") ?? []), ...(atEnter.get("passer-walking") ?? [])];
  out("refuse an enter whose difference is at most B: shoppers' enters refused / passers-by refused:");
  for (const b of [-6, -3, 0, 2, 4, 6, 8, 10])
    out(`  B ${String(b).padStart(3)} dB: ${shoppers.filter((v) => v <= b).length} of ${shoppers.length} / ${passers.filter((v) => v <= b).length} of ${passers.length}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
