/**
 * The store simulator: a seeded shop with shoppers, passers-by, staff and fixed beacons, heard by
 * two gateways through a radio model with path loss, spatially correlated shadowing, slow temporal
 * variation, Rician fading, body loss, phone power spread, packet loss and advertising jitter.
 *
 *   npx tsx scripts/sim/simulate.ts --seed 1 --minutes 60 --out /tmp/sim [--rate ios|android|1hz]
 *       [--shadowing-db 6] [--storefront-db 0] [--path-loss-exponent 2.2]
 *       [--shoppers-per-hour 90] [--passers-per-hour 300] [--surveyed]
 *
 * Writes DIR/capture.jsonl (replay format, with `gw`), DIR/truth.jsonl (ground truth: subjects, then
 * every visit to a zone) and DIR/config.json (gateway config with the zones, for `replay`; with
 * `--surveyed`, the gateways' positions too, so the replay pools both gateways). The same
 * arguments always give the same bytes. Progress goes to stderr. See docs/replay.md.
 */
import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { RateMode } from "./population.js";
import { simFusedTuning, simTuning } from "./presets.js";
import { simulateStore, writeSimulation } from "./simulateStore.js";

const USAGE = `Usage: npx tsx scripts/sim/simulate.ts --out DIR [--seed N] [--minutes M] [--rate ios|android|1hz]
       [--shadowing-db DB] [--storefront-db DB] [--path-loss-exponent N]
       [--shoppers-per-hour N] [--passers-per-hour N] [--surveyed]`;

const RATES: readonly RateMode[] = ["ios", "android", "1hz"];

function number(value: string | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      minutes: { type: "string" },
      out: { type: "string" },
      rate: { type: "string" },
      "shadowing-db": { type: "string" },
      "storefront-db": { type: "string" },
      "path-loss-exponent": { type: "string" },
      "shoppers-per-hour": { type: "string" },
      "passers-per-hour": { type: "string" },
      surveyed: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (values.out === undefined) {
    process.stderr.write(`--out DIR is required\n${USAGE}\n`);
    return 2;
  }
  const rate = (values.rate ?? "1hz") as RateMode;
  if (!RATES.includes(rate)) {
    process.stderr.write(`--rate must be one of ${RATES.join(", ")}\n`);
    return 2;
  }
  const seed = Math.trunc(number(values.seed, 1, "--seed", 0));
  const minutes = number(values.minutes, 60, "--minutes", 1);
  const storefrontDb = number(values["storefront-db"], 0, "--storefront-db", 0);
  const sim = simulateStore({
    seed,
    minutes,
    rate,
    radio: {
      shadowingDb: number(values["shadowing-db"], 6, "--shadowing-db", 0),
      storefrontDb,
      pathLossExponent: number(values["path-loss-exponent"], 2.2, "--path-loss-exponent", 1),
    },
    shoppersPerHour: number(values["shoppers-per-hour"], 90, "--shoppers-per-hour", 0),
    passersPerHour: number(values["passers-per-hour"], 300, "--passers-per-hour", 0),
    ...(values.surveyed === true ? { ...simFusedTuning(storefrontDb), surveyed: true } : simTuning(storefrontDb)),
  });

  const started = performance.now();
  let lastReport = started;
  const tty = process.stderr.isTTY === true;
  const result = await writeSimulation(sim, values.out, (done, adverts) => {
    const now = performance.now();
    if (now - lastReport < 2000 && done < 1) return;
    lastReport = now;
    const line = `sim: ${(done * minutes).toFixed(1)} of ${minutes} min simulated (${Math.round(done * 100)}%), ${adverts.toLocaleString("en")} adverts`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  });
  if (tty) process.stderr.write("\n");
  const visits = sim.truth.filter((r) => r.kind === "visit" && r.role === "shopper").length;
  const passers = sim.truth.filter((r) => r.kind === "subject" && r.role === "passer-by").length;
  const size = (await stat(result.capturePath)).size;
  process.stderr.write(
    `sim: wrote ${result.capturePath} (${result.adverts.toLocaleString("en")} adverts, ${(size / 1e6).toFixed(1)} MB), ` +
      `${result.truthPath} (${visits} shopper visits, ${passers} passers-by), ${result.configPath} ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
