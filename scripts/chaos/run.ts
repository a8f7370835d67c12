/**
 * The fault suite. Each fault runs against real processes and a real broker, and after each one the
 * books must balance (events published = events stored, every eligible arrival decided exactly once,
 * no offer issued twice, no redemption accepted twice). Run from the repository root:
 *
 *   npx tsx scripts/chaos/run.ts [--scale N] [--only NAME,...]
 *
 * The faults are the integration tests below, so CI runs the same code in its short form (`npm
 * test`); `--scale N` multiplies the volumes of those that read ARRIVAL_CHAOS_SCALE, for the long
 * form. What each covers:
 *
 * - link:       link cuts through a TCP proxy, repeatedly during a 10 000-event run (uplink.test.ts)
 * - broker:     broker stopped for 30 s and restarted on the same port and data; gateway SIGKILL;
 *               cloud SIGKILL between receiving a batch and committing it; outbox eviction; a
 *               replaced SD card (uplinkOutage.test.ts, uplinkFaults.test.ts)
 * - flood:      duplicate floods (every batch five times, out of order) with a shopper's app that
 *               never reads its socket, then concurrent redemptions of the same codes
 *               (systemFaults.test.ts)
 * - fuzz:       MQTT payloads into ingest: every refusal counted and logged once (ingestFuzz.test.ts)
 * - hostile:    property-based hostile batches and HTTP requests through the real cloud: no 5xx,
 *               the documented error shape, readers up, valid traffic still decided
 *               (hostileTraffic.test.ts; its long form is scripts/chaos/hostile.ts)
 * - workers:    three cloud workers as real processes on PostgreSQL behind mosquitto, a random one
 *               killed with SIGKILL and restarted every few seconds while gateways stream arrivals,
 *               PostgreSQL and mosquitto restarted once each; books read from the database
 *               (workersChaos.test.ts; its long form, 3 workers, 4 stores × 2 gateways for 2 minutes
 *               with a kill every 10 s, is scripts/chaos/workers.ts; docs/scale.md has a run's figures)
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";

const ROOT = join(import.meta.dirname, "..", "..");

const SUITES: Readonly<Record<string, readonly string[]>> = {
  link: ["test/integration/uplink.test.ts"],
  broker: ["test/integration/uplinkOutage.test.ts", "test/integration/uplinkFaults.test.ts"],
  flood: ["test/integration/systemFaults.test.ts"],
  fuzz: ["test/cloud/services/ingestFuzz.test.ts"],
  hostile: ["test/integration/hostileTraffic.test.ts"],
  workers: ["test/integration/workersChaos.test.ts"],
};

const { values } = parseArgs({
  options: { scale: { type: "string", default: "1" }, only: { type: "string" } },
});
const names = values.only ? values.only.split(",") : Object.keys(SUITES);
const files = names.flatMap((name) => {
  const suite = SUITES[name];
  if (!suite) throw new Error(`unknown fault ${name}; known: ${Object.keys(SUITES).join(", ")}`);
  return suite;
});

const child = spawn(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", ...files], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, ARRIVAL_CHAOS_SCALE: values.scale ?? "1" },
});
child.once("exit", (code) => process.exit(code ?? 1));
