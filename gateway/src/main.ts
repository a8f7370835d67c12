#!/usr/bin/env node
/**
 * `arrival-gateway`: the composition root of the gateway, and the only file that touches process
 * arguments, signals and exit codes.
 *
 *   arrival-gateway run --config FILE       run the gateway (scan → presence → outbox → MQTT)
 *   arrival-gateway check-config FILE...    validate config files, report every problem
 *   arrival-gateway doctor [--config FILE]  check adapter, capabilities, clock, broker, outbox, disk
 *   arrival-gateway decode [HEX...]         decode advertising data (hex) into beacons, JSON lines
 *   arrival-gateway scan [--adapter hciN]   live scan: the beacons this adapter hears, for installers
 *   arrival-gateway replay --config FILE --input CAPTURE.jsonl   the events a capture gives
 *   arrival-gateway health [--config FILE]  is the running gateway this release, connected, scanning
 *   arrival-gateway calibrate [--config FILE]  the five-minute site survey: offset and zone thresholds
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatProblems } from "../../protocol/index.js";
import { createLogger, type LogFormat, type LogLevel } from "./adapters/log/createLogger.js";
import { SimHub } from "./adapters/sim/SimulatedScanSource.js";
import { standaloneWorld } from "./adapters/sim/SimWorld.js";
import { NobleScanSource } from "./adapters/noble/NobleScanSource.js";
import { HciAdvertiser, probeAdvertisingSocket } from "./adapters/noble/HciAdvertiser.js";
import { RecordingAdvertiser } from "./adapters/sim/RecordingAdvertiser.js";
import { ReplayScanSource } from "./adapters/replay/ReplayScanSource.js";
import { probeBroker } from "./adapters/mqtt/probeBroker.js";
import { probeAdapterState } from "./adapters/noble/NobleScanSource.js";
import { inspectOutbox } from "./adapters/sqlite/inspectOutbox.js";
import {
  bluetoothAdapters,
  diskSpace,
  fileCapabilities,
  ntpSynchronized,
  processCapabilities,
} from "./adapters/system/systemProbes.js";
import { CALIBRATE_USAGE, runCalibrate } from "./cli/calibrate.js";
import { CHECK_CONFIG_USAGE, runCheckConfig } from "./cli/checkConfig.js";
import { DECODE_USAGE, runDecode } from "./cli/decode.js";
import { inspectLanKeyFile, probeUdpBind, resolvePeerHost } from "./adapters/lan/lanProbes.js";
import { DEFAULT_CONFIG_PATH, DOCTOR_USAGE, runDoctor } from "./cli/doctor.js";
import { REPLAY_USAGE, runReplay } from "./cli/replay.js";
import { runScan, SCAN_USAGE } from "./cli/scan.js";
import { type GatewayConfig, loadGatewayConfig } from "./config/loadConfig.js";
import { readSurveyRecord, type SurveyRecord, surveyRecordPath } from "./config/surveyRecord.js";
import { createGateway, openStoreLanChannel, ScanStartError } from "./createGateway.js";
import { installedPackage } from "./adapters/system/packageVersion.js";
import { HealthFile } from "./adapters/system/HealthFile.js";
import { OutboxLockedError, processExists } from "./adapters/system/OutboxLock.js";
import { HEALTH_USAGE, judgeHealth } from "./cli/health.js";
import { SystemdNotifier } from "./adapters/system/SystemdNotifier.js";
import {
  type Advertiser,
  type Logger,
  type ScanSource,
  systemClock,
  systemScheduler,
} from "./services/ports.js";

const USAGE = `Usage: arrival-gateway <command> [options]

Commands:
  run --config FILE        Run the gateway with this config file (JSON; see firmware-config/)
  check-config FILE...     Validate config files and list every problem with its path
  doctor [--config FILE]   Check adapter, capabilities, clock, broker, outbox, disk; say what to fix
                           (see: doctor --help)
  health [--config FILE]   Is the running gateway this release, connected and scanning? (exit 0/1)
  decode [HEX...]          Decode advertising data into beacons (see: decode --help)
  scan [--adapter hciN]    Show the beacons the Bluetooth adapter hears (see: scan --help)
  replay --config FILE --input CAPTURE.jsonl
                           Run the gateway's pipeline over a capture, print the events (see: replay --help)
  calibrate [--config FILE]
                           Site survey: walk the zones' edges and the door with a beacon; writes the
                           gateway's offset and the zones' thresholds (see: calibrate --help)

Options for run:
  --log-level LEVEL        trace, debug, info, warn, error (default info; env ARRIVAL_LOG_LEVEL)
  --log-format FORMAT      auto, json, pretty (default auto: pretty on a terminal)
`;

function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith("\n") ? text : `${text}\n`);
}

function sourceFor(config: GatewayConfig, log: Logger): ScanSource {
  switch (config.scanner.source) {
    case "sim": {
      const { world, radio } = standaloneWorld(config.gatewayId, 1, systemClock.now());
      return new SimHub({ world, radios: [radio], clock: systemClock }).source(config.gatewayId);
    }
    case "noble":
      return new NobleScanSource({
        adapter: config.scanner.adapter,
        active: config.scanner.active,
        watchdogMs: config.scanner.watchdogS * 1000,
        clock: systemClock,
        log: log.child({ component: "noble" }),
      });
    case "replay":
      if (config.scanner.replayFile === undefined) {
        throw new Error('scanner.replayFile is required to run with scanner.source "replay"');
      }
      return new ReplayScanSource({
        path: config.scanner.replayFile,
        speed: config.scanner.replaySpeed,
        clock: systemClock,
        onBadLine: (line, error) => log.warn({ line, error }, "bad capture line skipped"),
        onEnd: (stats) => log.info(stats, "replayed capture ended"),
        onError: (err) => log.error({ err }, "capture could not be read"),
      });
  }
}

/**
 * The radio the store beacon goes out through: the adapter noble scans with, or, for sources
 * without a radio, a recorder of what would be advertised.
 */
function advertiserFor(config: GatewayConfig, log: Logger): Advertiser {
  return config.scanner.source === "noble"
    ? new HciAdvertiser({ adapter: config.scanner.adapter, log: log.child({ component: "advertiser" }) })
    : new RecordingAdvertiser({ clock: systemClock });
}

/**
 * Exit codes of `run`, for systemd (Restart=on-failure restarts on every one but 2) and operators:
 *   0   stopped by SIGINT/SIGTERM
 *   1   an unexpected error (logged with its stack)
 *   2   bad options or an invalid config file: restarting cannot fix it (RestartPreventExitStatus=2)
 *   69  the radio: scanning could not start, or stayed interrupted longer than scanner.giveUpS
 *       (EX_UNAVAILABLE, sysexits.h); a fresh process reopens the adapter
 *   75  another live process holds this gateway's outbox (EX_TEMPFAIL): clears when it stops
 */
const EXIT_SCAN_FAILED = 69;
const EXIT_OUTBOX_LOCKED = 75;

/** Why `run` stops: a signal, or the gateway giving up on its radio. */
type StopReason = { readonly kind: "signal"; readonly signal: string } | { readonly kind: "scan-gave-up"; readonly reason: string };

async function run(args: string[]): Promise<number> {
  // Signal handlers first, before anything that can fail or take time: a SIGTERM during start-up
  // then stops the gateway cleanly instead of killing it with its outbox lock held.
  let requestStop: (reason: StopReason) => void = () => undefined;
  const stopRequested = new Promise<StopReason>((resolve) => {
    requestStop = resolve;
  });
  const onSignal = (signal: string) => requestStop({ kind: "signal", signal });
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", short: "c" },
      "log-level": { type: "string" },
      "log-format": { type: "string" },
    },
  });
  if (!values.config) {
    write(process.stderr, `run needs --config FILE\n\n${USAGE}`);
    return 2;
  }
  const loaded = await loadGatewayConfig(values.config);
  if (!loaded.ok) {
    write(
      process.stderr,
      `${values.config} is not a valid gateway config:\n${formatProblems(loaded.problems)}`,
    );
    return 2;
  }
  const level = (values["log-level"] ?? process.env.ARRIVAL_LOG_LEVEL ?? "info") as LogLevel;
  const format = (values["log-format"] ?? process.env.ARRIVAL_LOG_FORMAT ?? "auto") as LogFormat;
  const log = createLogger({ level, format, name: "arrival-gateway" });
  // From here on every failure is a log line in the configured format (journald keeps JSON lines).
  try {
    return await runGateway(loaded.config, await readSurveyRecord(surveyRecordPath(values.config)), log, stopRequested, requestStop);
  } catch (err) {
    log.fatal({ err }, "gateway failed");
    return 1;
  } finally {
    log.flush();
  }
}

async function runGateway(
  config: GatewayConfig,
  surveyRecord: SurveyRecord | null,
  log: ReturnType<typeof createLogger>,
  stopRequested: Promise<StopReason>,
  requestStop: (reason: StopReason) => void,
): Promise<number> {
  const notifier = new SystemdNotifier({ env: process.env, pid: process.pid, scheduler: systemScheduler, log });
  let version = "unknown";
  let packageDir = "";
  try {
    ({ version, dir: packageDir } = installedPackage());
  } catch (err) {
    log.warn({ err }, "package version unknown");
  }
  let gateway: Awaited<ReturnType<typeof createGateway>>;
  try {
    gateway = await createGateway(config, {
      source: sourceFor(config, log),
      advertiser: advertiserFor(config, log),
      log,
      clock: systemClock,
      version,
      packageDir,
      onScanGiveUp: (reason) => requestStop({ kind: "scan-gave-up", reason }),
      surveyRecord,
    });
  } catch (err) {
    if (!(err instanceof OutboxLockedError)) throw err;
    log.error({ err, lock: err.lockPath, holderPid: err.holderPid }, "another gateway process holds the outbox");
    return EXIT_OUTBOX_LOCKED;
  }
  try {
    await gateway.start();
  } catch (err) {
    await gateway.stop();
    if (!(err instanceof ScanStartError)) throw err;
    log.error({ err, code: (err.cause as { code?: unknown } | undefined)?.code, exitCode: EXIT_SCAN_FAILED }, "scanning could not start");
    return EXIT_SCAN_FAILED;
  }
  log.info({ version }, "gateway running");
  // Liveness for systemd: pings from this event loop every half WatchdogSec; a hung loop misses them.
  notifier.startWatchdog();
  void notifier.notify(["READY=1", `STATUS=scanning, version ${version}`]);
  const reason = await stopRequested;
  notifier.stopWatchdog();
  await notifier.notify(["STOPPING=1"]);
  if (reason.kind === "scan-gave-up") {
    await gateway.stop();
    log.error({ reason: reason.reason, exitCode: EXIT_SCAN_FAILED }, "stopped: the radio did not recover");
    return EXIT_SCAN_FAILED;
  }
  log.info({ signal: reason.signal }, "stopping");
  await gateway.stop();
  return 0;
}

async function scan(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      adapter: { type: "string", default: "hci0" },
      active: { type: "boolean", default: false },
      duration: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    write(process.stdout, SCAN_USAGE);
    return 0;
  }
  const durationS = values.duration === undefined ? undefined : Number(values.duration);
  if (durationS !== undefined && !(durationS > 0)) {
    write(process.stderr, `--duration must be a positive number of seconds\n\n${SCAN_USAGE}`);
    return 2;
  }
  // The table or JSON lines are the output; logs go to standard error so they never interleave.
  const log = createLogger({ level: "warn", format: "auto", name: "arrival-gateway", toStderr: true });
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort());
  process.once("SIGTERM", () => abort.abort());
  return runScan(
    { adapter: values.adapter, active: values.active, format: values.json ? "json" : "table", ...(durationS ? { durationS } : {}) },
    { log, clock: systemClock, output: process.stdout, errorOutput: process.stderr, signal: abort.signal },
  );
}

async function replay(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", short: "c" },
      input: { type: "string", short: "i" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    write(process.stdout, REPLAY_USAGE);
    return 0;
  }
  if (!values.config || !values.input) {
    write(process.stderr, `replay needs --config FILE and --input CAPTURE.jsonl\n\n${REPLAY_USAGE}`);
    return 2;
  }
  return runReplay({ configPath: values.config, inputPath: values.input }, { output: process.stdout, errors: process.stderr });
}

async function calibrate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", short: "c", default: DEFAULT_CONFIG_PATH },
      from: { type: "string" },
      beacon: { type: "string" },
      record: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      yes: { type: "boolean", short: "y", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    write(process.stdout, CALIBRATE_USAGE);
    return 0;
  }
  // Scanning logs go to standard error, so they never interleave with the walk-through.
  const log = createLogger({ level: "warn", format: "auto", name: "arrival-gateway", toStderr: true });
  const code = await runCalibrate(
    {
      configPath: values.config,
      dryRun: values["dry-run"],
      yes: values.yes,
      ...(values.from === undefined ? {} : { fromPath: values.from }),
      ...(values.beacon === undefined ? {} : { beacon: values.beacon }),
      ...(values.record === undefined ? {} : { recordPath: values.record }),
    },
    {
      createSource: (config) => sourceFor(config, log),
      // The service is stopped during a survey, so the walk takes its LAN port and hears the peers'
      // sightings (the reference beacon through their radios); null without LAN peers.
      createPeerChannel: (config) => openStoreLanChannel(config, systemClock, log),
      clock: systemClock,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      input: process.stdin,
      output: process.stdout,
      tty: process.stdout.isTTY === true,
    },
  );
  // noble's HCI socket, once opened, may keep the process alive: the survey is done, so end here.
  process.exit(code);
}

async function checkConfig(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    write(process.stdout, CHECK_CONFIG_USAGE);
    return 0;
  }
  if (args.length === 0) {
    write(process.stderr, `check-config needs a FILE\n\n${CHECK_CONFIG_USAGE}`);
    return 2;
  }
  return runCheckConfig(args, process.stdout);
}

async function doctor(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", short: "c", default: DEFAULT_CONFIG_PATH },
      json: { type: "boolean", default: false },
      timeout: { type: "string", default: "5" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    write(process.stdout, DOCTOR_USAGE);
    return 0;
  }
  const timeoutS = Number(values.timeout);
  if (!(timeoutS > 0 && timeoutS <= 120)) {
    write(process.stderr, `--timeout must be 1..120 seconds\n\n${DOCTOR_USAGE}`);
    return 2;
  }
  const code = await runDoctor(
    { configPath: values.config, timeoutMs: timeoutS * 1000, json: values.json },
    {
      loadConfig: loadGatewayConfig,
      bluetoothAdapters: () => bluetoothAdapters(),
      adapterState: (adapter) => probeAdapterState(adapter),
      advertisingSocket: (adapter) => probeAdvertisingSocket(adapter),
      processCapabilities: () => processCapabilities(),
      fileCapabilities,
      ntpSynchronized,
      probeBroker,
      inspectOutbox,
      diskSpace,
      lanKeyFile: inspectLanKeyFile,
      udpBind: probeUdpBind,
      resolveHost: resolvePeerHost,
      readHealth: (dataDir) => new HealthFile(join(dataDir, "health.json")).read(),
      uid: typeof process.getuid === "function" ? process.getuid() : null,
      now: () => systemClock.now(),
      nodePath: process.execPath,
    },
    process.stdout,
  );
  // The HCI transport's native socket, once loaded, may keep the process alive: the report is
  // written, so end here.
  process.exit(code);
}

async function health(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string", short: "c", default: DEFAULT_CONFIG_PATH },
      "max-age": { type: "string", default: "30" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    write(process.stdout, HEALTH_USAGE);
    return 0;
  }
  const maxAgeS = Number(values["max-age"]);
  if (!(maxAgeS > 0)) {
    write(process.stderr, `--max-age must be a positive number of seconds\n\n${HEALTH_USAGE}`);
    return 2;
  }
  const loaded = await loadGatewayConfig(values.config);
  if (!loaded.ok) {
    write(process.stderr, `${values.config} is not a valid gateway config:\n${formatProblems(loaded.problems)}`);
    return 2;
  }
  const snapshot = await new HealthFile(join(loaded.config.dataDir, "health.json")).read();
  const verdict = judgeHealth(snapshot, {
    now: systemClock.now(),
    maxAgeMs: maxAgeS * 1000,
    packageDir: installedPackage().dir,
    processExists,
  });
  write(process.stdout, values.json ? JSON.stringify(verdict) : verdict.reason);
  return verdict.healthy ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "run": {
      // The process ends here whatever still holds the event loop (noble's HCI socket, an MQTT
      // reconnect timer): a gateway that stopped must not linger as a live process for systemd.
      return process.exit(await run(rest));
    }
    case "check-config":
      return checkConfig(rest);
    case "doctor":
      return doctor(rest);
    case "decode":
      if (rest.includes("--help") || rest.includes("-h")) {
        write(process.stdout, DECODE_USAGE);
        return 0;
      }
      return runDecode(rest, process.stdin, process.stdout);
    case "scan":
      return scan(rest);
    case "replay":
      return replay(rest);
    case "health":
      return health(rest);
    case "calibrate":
      return calibrate(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      write(process.stdout, USAGE);
      return command === undefined ? 2 : 0;
    default:
      write(process.stderr, `unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
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
