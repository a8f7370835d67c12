/**
 * What `arrival-cloud` does with its arguments: serve, or run a credentials/api-keys command.
 * Everything the process provides (arguments, environment, output streams, the OS user, the stop
 * signal) comes in as {@link CloudCliIo}, so main.ts is the only file that touches `process` and
 * tests run a command in-process.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatProblems } from "../../../protocol/index.js";
import { createLogger } from "../adapters/log/createLogger.js";
import { FileReleaseStore } from "../adapters/releases/FileReleaseStore.js";
import { ENVIRONMENT, parseCloudConfig, setPath } from "../config/loadConfig.js";
import type { CloudConfig } from "../config/schema.js";
import { createCloud } from "../createCloud.js";
import { createCredentialAdmin } from "../createCredentialAdmin.js";
import { type Clock, type Logger, systemClock } from "../services/ports.js";
import { CREDENTIALS_USAGE, runCredentialCommand } from "./credentialCommands.js";
import { INIT_USAGE, runInitCommand } from "./initCommand.js";

/** The process as the command line sees it. */
export interface CloudCliIo {
  /** Environment variables (`ARRIVAL_*` are read). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Who runs the command (the OS user name), for the audit log as `cli:<user>`. */
  readonly user: string;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM); `serve` runs until then. */
  readonly stopRequested: () => Promise<void>;
  /** Logger of the credential commands; default pino at warn on standard error. */
  readonly credentialLog?: Logger;
  readonly clock?: Clock;
}

const USAGE = `Usage: arrival-cloud [serve] [options]
       arrival-cloud init --org ID [--name NAME]      (first start: operator and first organisation)
       arrival-cloud releases add TARBALL --public-key FILE | releases list   (releases served to gateways)
       arrival-cloud credentials|api-keys COMMAND …   (arrival-cloud credentials help)

Runs the cloud: embedded MQTT broker, ingest, rules engine and HTTP API.

Options (each also settable in the config file, or by the environment variable shown):
  --config FILE         JSON config file
  --data-dir DIR        SQLite data directory            ARRIVAL_DATA_DIR   (./data)
  --http-host HOST      HTTP listen address              ARRIVAL_HTTP_HOST  (127.0.0.1)
  --http-port N         HTTP port                        ARRIVAL_HTTP_PORT  (8080)
  --mqtt-host HOST      MQTT listen address              ARRIVAL_MQTT_HOST  (127.0.0.1)
  --mqtt-port N         MQTT port                        ARRIVAL_MQTT_PORT  (1883)
  --log-level LEVEL     trace … fatal, silent             ARRIVAL_LOG_LEVEL  (info)

External broker (mqtt.mode "external" in the config file, or): ARRIVAL_MQTT_URL,
ARRIVAL_MQTT_USERNAME, ARRIVAL_MQTT_PASSWORD_FILE, and for mosquitto's dynamic security
ARRIVAL_MQTT_DYNSEC_USERNAME, ARRIVAL_MQTT_DYNSEC_PASSWORD_FILE (or ARRIVAL_MQTT_PROVISIONING=none).
MQTT over WebSocket on the embedded broker: ARRIVAL_MQTT_WS_PORT.
PostgreSQL instead of SQLite (storage.kind "postgres" in the config file, or): ARRIVAL_PG_URL,
ARRIVAL_PG_PASSWORD_FILE or ARRIVAL_PG_PASSWORD (see docs/scale.md).
`;

const FLAGS: Readonly<Record<string, readonly string[]>> = {
  "data-dir": ["dataDir"],
  "http-host": ["http", "host"],
  "http-port": ["http", "port"],
  "mqtt-host": ["mqtt", "host"],
  "mqtt-port": ["mqtt", "port"],
  "log-level": ["log", "level"],
};

const CONFIG_OPTIONS = {
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" as const }])),
} as const;

/** The config from file, environment and flags, in that order of precedence; or an exit code. */
async function configFrom(values: Record<string, unknown>, io: CloudCliIo): Promise<Readonly<CloudConfig> | number> {
  // Without a config file the mqtt section is left out: the embedded broker is the default, and
  // ARRIVAL_MQTT_URL alone selects an external one.
  let document: Record<string, unknown> = {};
  if (typeof values.config === "string") {
    try {
      document = JSON.parse(await readFile(values.config, "utf8")) as Record<string, unknown>;
    } catch (err) {
      io.stderr(`cannot read config ${values.config}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  for (const [name, path] of Object.entries(ENVIRONMENT)) {
    const value = io.env[name];
    if (value !== undefined && value !== "") setPath(document, path, value);
  }
  for (const [flag, path] of Object.entries(FLAGS)) {
    const value = values[flag];
    if (typeof value === "string") setPath(document, path, value);
  }
  const parsed = parseCloudConfig(document);
  if (!parsed.ok) {
    io.stderr(`Invalid configuration:\n${formatProblems(parsed.problems)}\n`);
    return 2;
  }
  return parsed.config;
}

/** `credentials …` and `api-keys …`: issue and revoke on the data directory (and external broker). */
async function credentialCommand(group: "credentials" | "api-keys", args: string[], io: CloudCliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CONFIG_OPTIONS,
      store: { type: "string" },
      gateway: { type: "string" },
      device: { type: "string" },
      user: { type: "string" },
      role: { type: "string" },
      org: { type: "string" },
      label: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help || sub === "help") {
    io.stdout(CREDENTIALS_USAGE);
    return 0;
  }
  const config = await configFrom(values, io);
  if (typeof config === "number") return config;
  // Warnings and errors only, on standard error: standard output carries the secret alone.
  const log = io.credentialLog ?? createLogger({ level: "warn", format: "json", name: "arrival-cloud", destination: 2 });
  const admin = await createCredentialAdmin(config, { log, clock: io.clock ?? systemClock });
  try {
    return await runCredentialCommand(
      group,
      sub,
      rest,
      {
        ...(values.store === undefined ? {} : { store: values.store }),
        ...(values.gateway === undefined ? {} : { gateway: values.gateway }),
        ...(values.device === undefined ? {} : { device: values.device }),
        ...(values.user === undefined ? {} : { user: values.user }),
        ...(values.role === undefined ? {} : { role: values.role }),
        ...(values.org === undefined ? {} : { org: values.org }),
        ...(values.label === undefined ? {} : { label: values.label }),
        json: values.json === true,
      },
      {
        admin,
        actor: `cli:${io.user}`,
        io: { out: io.stdout, err: io.stderr },
      },
    );
  } finally {
    await admin.close();
  }
}

/** `init`: the operator key and the first organisation on a fresh data directory; idempotent. */
async function initCommand(args: string[], io: CloudCliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...CONFIG_OPTIONS, org: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } },
  });
  if (values.help) {
    io.stdout(INIT_USAGE);
    return 0;
  }
  const config = await configFrom(values, io);
  if (typeof config === "number") return config;
  const log = io.credentialLog ?? createLogger({ level: "warn", format: "json", name: "arrival-cloud", destination: 2 });
  const clock = io.clock ?? systemClock;
  const admin = await createCredentialAdmin(config, { log, clock });
  try {
    return await runInitCommand(
      {
        ...(values.org === undefined ? {} : { org: values.org }),
        ...(values.name === undefined ? {} : { name: values.name }),
        json: values.json === true,
      },
      { admin, actor: `cli:${io.user}`, io: { out: io.stdout, err: io.stderr }, clock, log },
    );
  } finally {
    await admin.close();
  }
}

const RELEASES_USAGE = `Usage: arrival-cloud releases add TARBALL --public-key FILE [--data-dir DIR]
       arrival-cloud releases list [--data-dir DIR]

Adds a release made by npm run release (the tarball with its .sha256 and .sig beside it) to the
releases the cloud serves its gateways at /v1/releases/FILE, after checking its signature with the
operator's public key. Prints { release, file, sha256, path } as JSON: release, sha256 and the URL of
path are what a rollout needs (PUT /v1/stores/STORE/rollout).
`;

/** `releases add|list`: the releases under <dataDir>/releases. */
async function releasesCommand(args: string[], io: CloudCliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONFIG_OPTIONS, "public-key": { type: "string" } },
  });
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined || sub === "help") {
    io.stdout(RELEASES_USAGE);
    return sub === undefined && !values.help ? 2 : 0;
  }
  const config = await configFrom(values, io);
  if (typeof config === "number") return config;
  const store = new FileReleaseStore(join(config.dataDir, "releases"));
  if (sub === "list" && rest.length === 0) {
    for (const release of await store.list()) io.stdout(`${JSON.stringify({ ...release, path: `/v1/releases/${release.file}` })}\n`);
    return 0;
  }
  if (sub !== "add" || rest.length !== 1 || values["public-key"] === undefined) {
    io.stderr(`releases ${sub} needs ${sub === "add" ? "one TARBALL and --public-key FILE" : "nothing more"}\n\n${RELEASES_USAGE}`);
    return 2;
  }
  const added = await store.add(rest[0] ?? "", await readFile(values["public-key"], "utf8"));
  io.stdout(`${JSON.stringify({ ...added, path: `/v1/releases/${added.file}` })}\n`);
  io.stderr(`Added ${added.release}; gateways download it from /v1/releases/${added.file} with their MQTT login.\n`);
  return 0;
}

async function serve(args: string[], io: CloudCliIo): Promise<number> {
  const { values } = parseArgs({ args, options: CONFIG_OPTIONS });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const config = await configFrom(values, io);
  if (typeof config === "number") return config;
  // Listening for the signals before anything is started or logged: a supervisor that stops the
  // cloud the moment it says "listening", or during start-up, gets a clean stop, not Node's default.
  const stopRequested = io.stopRequested();
  const log = createLogger({ level: config.log.level, format: config.log.format, name: "arrival-cloud" });
  const cloud = await createCloud(config, { log, clock: io.clock ?? systemClock });
  try {
    await cloud.start();
  } catch (err) {
    log.fatal({ err }, "cloud could not start");
    return 1;
  }
  await stopRequested;
  log.info({}, "stopping");
  await cloud.stop();
  return 0;
}

async function dispatch(argv: readonly string[], io: CloudCliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command.startsWith("-")) return serve([...argv], io);
  if (command === "serve") return serve(rest, io);
  if (command === "credentials" || command === "api-keys") return credentialCommand(command, rest, io);
  if (command === "init") return initCommand(rest, io);
  if (command === "releases") return releasesCommand(rest, io);
  if (command === "help") {
    io.stdout(USAGE);
    return 0;
  }
  io.stderr(`unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
  return 2;
}

/**
 * Runs `arrival-cloud` with `argv` (the arguments after the program name); resolves to the exit
 * code: 0 done, 1 failed, 2 usage or configuration. Never rejects: an unexpected error is printed
 * on standard error and exits 1.
 */
export async function runCloudCli(argv: readonly string[], io: CloudCliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
