/**
 * A gateway process for the SIGKILL test: `node --import tsx test/support/gatewayChild.ts --config
 * FILE --tag T --total N [--chunk K] [--interval-ms M]`.
 *
 * It composes the gateway exactly as `arrival-gateway run --config FILE` does (`loadGatewayConfig`,
 * `createGateway`: SQLite outbox, relay, MQTT uplink, telemetry, remote config) and differs in one
 * thing: instead of a radio it feeds the pipeline's sink (`relay.enqueue`) with `K` events every
 * `M` ms, `N` in all, with ids unique to the run `T`. Why not `scanner.source: "sim"` through
 * main.ts: the simulated shoppers walk in real time and yield a few events a minute, far too few to
 * kill a process in the middle of a batch; a replay source is not in this build yet. The uplink
 * guarantee under test starts at `relay.enqueue`, so nothing the test relies on is bypassed.
 *
 * Standard output carries one JSON line per report: `{"ready":true}` once the gateway runs, then
 * every 100 ms and at the end `{"produced","lastSeq","depth","done"}`. Logs go to standard error.
 * SIGTERM stops the gateway cleanly (exit 0); SIGKILL is what the test is about.
 */
import { parseArgs } from "node:util";
import { createLogger } from "../../gateway/src/adapters/log/createLogger.js";
import { loadGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway } from "../../gateway/src/createGateway.js";
import { systemClock } from "../../gateway/src/services/ports.js";
import { uplinkEvents } from "./uplinkEvents.js";
import { silentSource } from "./uplinkGateway.js";

const { values } = parseArgs({
  options: {
    config: { type: "string" },
    tag: { type: "string" },
    total: { type: "string" },
    chunk: { type: "string", default: "10" },
    "interval-ms": { type: "string", default: "10" },
  },
});
const tag = values.tag ?? "run";
const total = Number(values.total ?? "1000");
const chunk = Number(values.chunk);
const intervalMs = Number(values["interval-ms"]);

const report = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function main(): Promise<void> {
  if (!values.config) throw new Error("--config FILE is required");
  const loaded = await loadGatewayConfig(values.config);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const log = createLogger({
    level: (process.env.ARRIVAL_LOG_LEVEL ?? "warn") as "warn",
    format: "json",
    name: "gateway-child",
    toStderr: true,
  });
  const gateway = await createGateway(loaded.config, { source: silentSource, log, clock: systemClock });
  await gateway.start();
  report({ ready: true });

  let produced = 0;
  let lastSeq = 0;
  let done = false;
  const status = async (): Promise<void> => {
    const stats = await gateway.outbox.stats();
    report({ produced, lastSeq, depth: stats.depth, done });
  };
  const timer = setInterval(() => {
    status().catch(() => undefined);
  }, 100);
  let stopping = false;
  process.once("SIGTERM", () => {
    stopping = true;
    clearInterval(timer);
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });

  while (produced < total && !stopping) {
    const events = uplinkEvents(tag, produced, Math.min(chunk, total - produced));
    const stored = await gateway.relay.enqueue(events);
    produced += events.length;
    lastSeq = stored.at(-1)?.seq ?? lastSeq;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  done = true;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
