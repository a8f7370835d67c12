#!/usr/bin/env node
/**
 * `arrival-cloud`: the composition root of the cloud, and the only file that touches process
 * arguments, environment, signals and exit codes.
 *
 *   arrival-cloud [serve] [--config FILE] [--data-dir DIR] [--http-port N] [--mqtt-port N]
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { formatProblems } from "../../protocol/index.js";
import { createLogger } from "./adapters/log/createLogger.js";
import { ENVIRONMENT, parseCloudConfig, setPath } from "./config/loadConfig.js";
import { createCloud } from "./createCloud.js";
import { systemClock } from "./services/ports.js";

const USAGE = `Usage: arrival-cloud [serve] [options]

Runs the cloud: embedded MQTT broker, ingest, rules engine and HTTP API.

Options (each also settable in the config file, or by the environment variable shown):
  --config FILE         JSON config file
  --data-dir DIR        SQLite data directory            ARRIVAL_DATA_DIR   (./data)
  --http-host HOST      HTTP listen address              ARRIVAL_HTTP_HOST  (127.0.0.1)
  --http-port N         HTTP port                        ARRIVAL_HTTP_PORT  (8080)
  --mqtt-host HOST      MQTT listen address              ARRIVAL_MQTT_HOST  (127.0.0.1)
  --mqtt-port N         MQTT port                        ARRIVAL_MQTT_PORT  (1883)
  --log-level LEVEL     trace … fatal, silent             ARRIVAL_LOG_LEVEL  (info)
`;

const FLAGS: Readonly<Record<string, readonly string[]>> = {
  "data-dir": ["dataDir"],
  "http-host": ["http", "host"],
  "http-port": ["http", "port"],
  "mqtt-host": ["mqtt", "host"],
  "mqtt-port": ["mqtt", "port"],
  "log-level": ["log", "level"],
};

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" as const }])),
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let document: Record<string, unknown> = { mqtt: { mode: "embedded" } };
  if (typeof values.config === "string") {
    try {
      document = JSON.parse(await readFile(values.config, "utf8")) as Record<string, unknown>;
    } catch (err) {
      console.error(`cannot read config ${values.config}: ${(err as Error).message}`);
      return 2;
    }
  }
  for (const [name, path] of Object.entries(ENVIRONMENT)) {
    const value = process.env[name];
    if (value !== undefined && value !== "") setPath(document, path, value);
  }
  for (const [flag, path] of Object.entries(FLAGS)) {
    const value = (values as Record<string, unknown>)[flag];
    if (typeof value === "string") setPath(document, path, value);
  }
  const parsed = parseCloudConfig(document);
  if (!parsed.ok) {
    console.error(`Invalid configuration:\n${formatProblems(parsed.problems)}`);
    return 2;
  }
  const config = parsed.config;
  const log = createLogger({ level: config.log.level, format: config.log.format, name: "arrival-cloud" });
  const cloud = await createCloud(config, { log, clock: systemClock });
  await cloud.start();
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  log.info({}, "stopping");
  await cloud.stop();
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command.startsWith("-")) return serve(argv);
  if (command === "serve") return serve(rest);
  if (command === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  console.error(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
