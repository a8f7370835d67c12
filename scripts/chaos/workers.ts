/**
 * The long worker chaos run: cloud workers as real processes on a private PostgreSQL behind a
 * private mosquitto, gateways streaming arrivals of registered shoppers, a random worker killed
 * with SIGKILL and restarted on a fixed beat, PostgreSQL and mosquitto restarted once each; then the
 * books from the database (test/support/workerChaos.ts, the code of the in-suite short form
 * test/integration/workersChaos.test.ts). Loopback only, bounded in time. Prints the timeline, the
 * report and the machine; exits 1 if the books do not balance. From the repository root:
 *
 *   npx tsx scripts/chaos/workers.ts [--workers 3] [--stores 4] [--gateways-per-store 2]
 *     [--shoppers 200] [--seconds 120] [--kill-every-s 10] [--arrival-every-ms 500]
 *     [--no-postgres-restart] [--no-mosquitto-restart] [--drain-timeout-s 90] [--seed 1]
 *
 * Needs PostgreSQL and mosquitto installed as for the tests (test/support/postgres.ts, mosquitto.ts).
 * ARRIVAL_CHAOS_KEEP=1 keeps the run's directory (worker configs and logs); a failed run keeps it anyway.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { runWorkerChaos, WORKER_CHAOS_DEFAULTS } from "../../test/support/workerChaos.js";

const d = WORKER_CHAOS_DEFAULTS;
const { values } = parseArgs({
  options: {
    workers: { type: "string", default: String(d.workers) },
    stores: { type: "string", default: String(d.stores) },
    "gateways-per-store": { type: "string", default: String(d.gatewaysPerStore) },
    shoppers: { type: "string", default: String(d.shoppers) },
    seconds: { type: "string", default: String(d.loadMs / 1000) },
    "kill-every-s": { type: "string", default: String(d.killEveryMs / 1000) },
    "arrival-every-ms": { type: "string", default: String(d.arrivalEveryMs) },
    "no-postgres-restart": { type: "boolean", default: false },
    "no-mosquitto-restart": { type: "boolean", default: false },
    "drain-timeout-s": { type: "string", default: String(d.drainTimeoutMs / 1000) },
    seed: { type: "string", default: String(d.seed) },
  },
});

const positive = (name: string, value: string | undefined, allowZero = false): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) {
    process.stderr.write(`--${name} must be a ${allowZero ? "non-negative" : "positive"} number, not ${value}\n`);
    process.exit(2);
  }
  return n;
};

const machine = (): string => {
  const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2));
  return `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), load average ${one} ${five} ${fifteen}`;
};

process.stdout.write(`machine at start: ${machine()}\n`);
const report = await runWorkerChaos({
  workers: positive("workers", values.workers),
  stores: positive("stores", values.stores),
  gatewaysPerStore: positive("gateways-per-store", values["gateways-per-store"]),
  shoppers: positive("shoppers", values.shoppers),
  loadMs: positive("seconds", values.seconds) * 1000,
  killEveryMs: positive("kill-every-s", values["kill-every-s"], true) * 1000,
  arrivalEveryMs: positive("arrival-every-ms", values["arrival-every-ms"]),
  restartPostgres: !values["no-postgres-restart"],
  restartMosquitto: !values["no-mosquitto-restart"],
  drainTimeoutMs: positive("drain-timeout-s", values["drain-timeout-s"]) * 1000,
  seed: positive("seed", values.seed, true),
  onTimeline: (line) => process.stdout.write(`${line}\n`),
});

const o = report.options;
const lines = [
  "",
  `workers ${o.workers}, ${o.stores} stores × ${o.gatewaysPerStore} gateways, ${o.shoppers} shoppers, ` +
    `load ${(report.loadMs / 1000).toFixed(1)} s, a kill every ${o.killEveryMs / 1000} s`,
  `events     produced ${report.produced}, stored ${report.stored}, lost ${report.lost}, stored twice ${report.storedTwice}, ` +
    `not produced ${report.unexpected}`,
  `decisions  arrivals ${report.arrivals}, without a decision ${report.arrivalsWithoutDecision}, ` +
    `eligible events undecided ${report.undecided}, decided twice ${report.doubleDecisions}`,
  `offers     ${report.offers}, (rule, user, visit) with two ${report.doubleOffers}, ` +
    `(rule, user, store visit) with two ${report.doubleOffersPerStoreVisit}, orphans ${report.orphanOffers}`,
  `           decisions: ${Object.entries(report.outcomes).map(([k, n]) => `${k} ${n}`).join(", ")}`,
  `acks       ${report.gateways.length - report.undrained} of ${report.gateways.length} outboxes acknowledged to their end, ` +
    `drained ${(report.drainMs / 1000).toFixed(1)} s after the load`,
  ...report.gateways.map(
    (g) => `           ${g.gatewayId}: produced ${g.produced}, last seq ${g.lastSeq}, acked ${g.ackedSeq}, left ${g.depth}`,
  ),
  `faults     ${report.kills} kill -9 (slowest recovery ${(report.slowestRecoveryMs / 1000).toFixed(1)} s, ` +
    `${report.failedStarts} failed starts), crashes ${report.crashes.length}, PostgreSQL restarts ${report.postgresRestarts}, mosquitto restarts ${report.mosquittoRestarts}`,
  `machine at end: ${machine()}`,
  report.failures.length === 0 ? "books balance" : `FAILED:\n${report.failures.map((f) => `  - ${f}`).join("\n")}\nlogs: ${report.dir}`,
  "",
];
process.stdout.write(lines.join("\n"));
process.exitCode = report.failures.length === 0 ? 0 : 1;
