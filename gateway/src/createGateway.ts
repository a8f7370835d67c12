import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  decodeGatewayMessage,
  encodeMessage,
  formatProblems,
  type GatewayRemoteConfig,
  type GatewayStatus,
  gatewayTopic,
  type UpdateReport,
  updateReportChecker,
} from "../../protocol/index.js";
import { calibrationReport, type SurveyRecord } from "./config/surveyRecord.js";
import { readLanKey } from "./adapters/lan/readLanKey.js";
import { UdpSightingChannel } from "./adapters/lan/UdpSightingChannel.js";
import { MqttUplinkConnection } from "./adapters/mqtt/MqttUplinkConnection.js";
import type { SharedSighting } from "./services/ports.js";
import { InsideLearnerFile } from "./adapters/system/InsideLearnerFile.js";
import { LearnerFile } from "./adapters/system/LearnerFile.js";
import { TrafficLearnerFile } from "./adapters/system/TrafficLearnerFile.js";
import { SqliteOutbox } from "./adapters/sqlite/SqliteOutbox.js";
import { OutboxLock } from "./adapters/system/OutboxLock.js";
import { HttpUpdateInbox } from "./adapters/http/HttpUpdateInbox.js";
import { HealthFile } from "./adapters/system/HealthFile.js";
import { installedPackage } from "./adapters/system/packageVersion.js";
import { RecordingAdvertiser } from "./adapters/sim/RecordingAdvertiser.js";
import { engineOptions } from "./config/engineOptions.js";
import type { GatewayConfig } from "./config/loadConfig.js";
import { type PresenceChange, PresenceEngine, type PresenceEngineOptions } from "./domain/presence/PresenceEngine.js";
import { DEFAULT_MAX_DISTANCE_M } from "./domain/signal/distanceFromRssi.js";
import { boundZones } from "./domain/calibration/trafficLearner.js";
import { PresenceError } from "./domain/presence/PresenceError.js";
import {
  type Advertiser,
  type Clock,
  type Logger,
  type ScanSource,
  type Scheduler,
  systemScheduler,
  type TimerHandle,
} from "./services/ports.js";
import { CloudClock } from "./services/CloudClock.js";
import { FusedPresence, SETTLE_MS } from "./services/FusedPresence.js";
import { Relay } from "./services/Relay.js";
import { ScanHealth } from "./services/ScanHealth.js";
import { SoftwareUpdater } from "./services/SoftwareUpdater.js";
import { StoreBeaconAdvertiser } from "./services/StoreBeaconAdvertiser.js";
import { baseEdgeLossDb, basePeerEdgesDb, gatewayOffsetsDb, InsideCalibration, learnedZone } from "./services/InsideCalibration.js";
import { TillCalibration } from "./services/TillCalibration.js";
import { PeerCalibrations } from "./services/PeerCalibrations.js";
import { calibrationRecordOf } from "./domain/presence/peerCalibration.js";
import { TrafficCalibration } from "./services/TrafficCalibration.js";
import { ReferenceGate } from "./services/ReferenceGate.js";
import { ScanPipeline } from "./services/ScanPipeline.js";
import { lanTelemetry, peerAgeS } from "./services/lanTelemetry.js";
import { type ProcessSample, TelemetryReporter } from "./services/TelemetryReporter.js";

/** How often the health file is written, ms; `arrival-gateway health` allows 30 s by default. */
const HEALTH_WRITE_MS = 5000;

/** The scan source could not start: the gateway does not go online without its radio. */
export class ScanStartError extends Error {
  readonly code = "scan-start-failed";

  constructor(cause: unknown) {
    super(`scanning could not start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ScanStartError";
  }
}

export interface GatewayDependencies {
  readonly source: ScanSource;
  /**
   * The radio the store beacon goes out through (remote config `storeBeacon`): the noble adapter's
   * for a gateway that scans with noble. Default: one that records what it would advertise, for
   * sources without a radio (the simulator, replays).
   */
  readonly advertiser?: Advertiser;
  readonly log: Logger;
  readonly clock: Clock;
  /** The software version reported in status and telemetry; default the package's (package.json). */
  readonly version?: string;
  /** The running release's directory, for the health file; default the package's. */
  readonly packageDir?: string;
  /** This process's pid, for the health file; default `process.pid`. */
  readonly pid?: number;
  /**
   * Called once when the radio stayed interrupted past `scanner.giveUpS`; the process should stop
   * the gateway and exit non-zero so its supervisor restarts it. Default: logged only.
   */
  readonly onScanGiveUp?: (reason: string) => void;
  /** Timers of the relay, the presence tick and telemetry; default the process's own. */
  readonly scheduler?: Scheduler;
  /** CPU and memory of this process for telemetry; default Node's `process` figures. */
  readonly sampleProcess?: () => ProcessSample;
  /**
   * What `arrival-gateway calibrate` recorded beside the config file (when and from how many
   * samples it surveyed); default none: the status reports the gateway not surveyed.
   */
  readonly surveyRecord?: SurveyRecord | null;
}

function nodeProcessSample(): ProcessSample {
  const cpu = process.cpuUsage();
  return { userUs: cpu.user, systemUs: cpu.system, rssBytes: process.memoryUsage.rss() };
}

export interface Gateway {
  readonly pipeline: ScanPipeline;
  /**
   * The time this gateway stamps and decides by: the cloud's ({@link CloudClock}) with config
   * `time.source: cloud`, else the system clock it was given.
   */
  readonly clock: Clock;
  /** The clock set by the cloud's; null with `time.source: system`. */
  readonly time: CloudClock | null;
  /** The store LAN's live fusion; null for a gateway without LAN peers (it judges alone). */
  readonly fusion: { readonly presence: FusedPresence; readonly channel: UdpSightingChannel } | null;
  readonly relay: Relay;
  readonly outbox: SqliteOutbox;
  readonly storeBeacon: StoreBeaconAdvertiser;
  /** Calibration from the cloud's till labels; null without the config's `learning` section. */
  readonly learning: TillCalibration | null;
  /** The floor zone's threshold from the cloud's inside labels; null without `insideLearning`. */
  readonly insideLearning: InsideCalibration | null;
  /** The bound on this gateway's zones from the passers-by it hears; null without `trafficLearning`. */
  readonly trafficLearning: TrafficCalibration | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composes one gateway: scan source → pipeline (decoder, presence engine) → durable outbox → relay
 * over MQTT, plus telemetry and remote configuration. Nothing runs until `start`.
 */
export async function createGateway(config: GatewayConfig, deps: GatewayDependencies): Promise<Gateway> {
  const { log, clock } = deps;
  const scheduler = deps.scheduler ?? systemScheduler;
  const installed = deps.version === undefined || deps.packageDir === undefined ? installedPackage() : null;
  const version = deps.version ?? installed?.version ?? "unknown";
  const packageDir = deps.packageDir ?? installed?.dir ?? "";
  await mkdir(config.dataDir, { recursive: true });
  const remotePath = join(config.dataDir, "remote-config.json");
  let remote = await readLastRemoteConfig(remotePath, log);
  // Written by install-release.sh (--report) when it last updated this gateway; repeated in the
  // retained status so the fleet view says which release runs and why an update was rolled back.
  const updateReportPath = join(config.dataDir, "update-report.json");
  // Read again while running: install-release.sh restarts the gateway first and writes the report
  // only once the new release proved healthy (or after switching back), so the report this
  // process started with is the one before. See refreshUpdateReport.
  let updateReport = await readUpdateReport(updateReportPath, log);
  /** What the retained status says about remote config; the relay repeats it on every connect. */
  let configOutcome: GatewayStatus["config"] = remote
    ? { revision: remote.revision, state: "applied" }
    : undefined;

  // One gateway identity, one process: a second process on this data directory would share the
  // outbox and take the first one's MQTT session back and forth; it refuses to start instead.
  const lock = new OutboxLock({ path: join(config.dataDir, "outbox.lock") });
  await lock.acquire();
  let outbox: SqliteOutbox;
  try {
    outbox = await SqliteOutbox.open({
      path: join(config.dataDir, "outbox.db"),
      maxRows: config.uplink.outboxMaxRows,
      maxAgeMs: config.uplink.outboxMaxAgeH * 3_600_000,
      onEvict: (count, reason) => log.warn({ count, reason }, "outbox bound hit: oldest events evicted"),
    });
  } catch (err) {
    await lock.release();
    throw err;
  }
  const statusTopic = gatewayTopic(config.storeId, config.gatewayId, "status");
  const connection = new MqttUplinkConnection({
    url: config.mqtt.url,
    username: config.mqtt.username,
    ...(config.mqtt.password === undefined ? {} : { password: config.mqtt.password }),
    ...(config.mqtt.passwordFile === undefined ? {} : { passwordFile: config.mqtt.passwordFile }),
    ...(config.mqtt.caFile === undefined ? {} : { caFile: config.mqtt.caFile }),
    ...(config.mqtt.certFile === undefined ? {} : { certFile: config.mqtt.certFile }),
    ...(config.mqtt.keyFile === undefined ? {} : { keyFile: config.mqtt.keyFile }),
    keepaliveS: config.mqtt.keepaliveS,
    backoff: { initialMs: config.mqtt.reconnectInitialMs, maxMs: config.mqtt.reconnectMaxMs },
    will: { topic: statusTopic, payload: encodeMessage({ v: 1, state: "offline" }) },
    log: log.child({ component: "uplink" }),
  });
  // The time the gateway stamps and decides by: the cloud's, measured over the uplink (NTP-style),
  // unless the config trusts the system clock. Everything that stamps sightings or events, or
  // compares them with the peers' or the cloud's times, runs on it; local durations (the relay's
  // ack timeout, the radio's silence, the outbox's ages) stay on the system clock.
  const cloudClock =
    config.time.source === "cloud"
      ? new CloudClock({
          storeId: config.storeId,
          gatewayId: config.gatewayId,
          connection,
          clock,
          scheduler,
          log: log.child({ component: "time" }),
          pollMs: config.time.pollS * 1000,
        })
      : null;
  const stampClock: Clock = cloudClock ?? clock;
  // What the store's other gateways run that this one must judge their sightings and zones with:
  // their calibration records over the store LAN (see the fusion's wiring below).
  const peerCalibrations = new PeerCalibrations({ gatewayId: config.gatewayId, log: log.child({ component: "peer-calibration" }) });
  // Calibration from evidence: the offset learned from members seen at the till, when configured.
  const surveyedAt = deps.surveyRecord?.gatewayId === config.gatewayId ? Date.parse(deps.surveyRecord.surveyedAt) : null;
  const learning =
    config.learning === undefined
      ? null
      : new TillCalibration({
          gatewayId: config.gatewayId,
          tillDistanceM: config.learning.tillDistanceM,
          pathLossExponent: engineOptions(config, remote).tuning.pathLossExponent,
          defaultMeasuredPowerDbm: config.site.defaultMeasuredPowerDbm,
          baseOffsetDb: config.site.rssiOffsetDb,
          surveyedAt,
          store: new LearnerFile(join(config.dataDir, "learned-calibration.json")),
          // Labels carry the cloud's time: what the radio heard is kept on the same.
          clock: stampClock,
          log: log.child({ component: "learning" }),
          learner: { minSamples: config.learning.minSamples, maxStepDbPerDay: config.learning.maxStepDbPerDay },
          onOffset: () => {
            pipeline.publish(reconfigureEngine(runningEngineOptions(remote)));
            if (started) void publishOnline();
          },
        });
  await learning?.start();
  /** The config as the engine runs it: with the learned offset once the learner acts. */
  function running(): GatewayConfig {
    if (learning === null || learning.offsetDb === config.site.rssiOffsetDb) return config;
    return { ...config, site: { ...config.site, rssiOffsetDb: learning.offsetDb } };
  }
  // Calibration from inside labels: the store floor zone's edge loss, when configured.
  const insideLearning =
    config.insideLearning === undefined
      ? null
      : new InsideCalibration({
          zoneId: config.insideLearning.zoneId,
          baseEdgeLossDb: () => baseEdgeLossDb(engineOptions(running(), remote), config.gatewayId, config.insideLearning?.zoneId ?? ""),
          offsetDb: () => running().site.rssiOffsetDb,
          // In a pooled store, the peers' references in the zone's pooled test too, from what their
          // sightings over the store LAN (lanFusion) say they heard of each labelled member.
          basePeerEdgesDb: () => basePeerEdgesDb(engineOptions(running(), remote), config.gatewayId, config.insideLearning?.zoneId ?? ""),
          peerOffsetsDb: () => gatewayOffsetsDb(peerCalibrations.apply(engineOptions(running(), remote))),
          surveyedAt,
          defaultMeasuredPowerDbm: config.site.defaultMeasuredPowerDbm,
          store: new InsideLearnerFile(join(config.dataDir, "learned-zone.json")),
          clock: stampClock,
          scheduler,
          log: log.child({ component: "inside-learning" }),
          learner: {
            minLabels: config.insideLearning.minLabels,
            percentile: config.insideLearning.percentile,
            maxStepDbPerDay: config.insideLearning.maxStepDbPerDay,
          },
          onEdgeLoss: () => {
            pipeline.publish(reconfigureEngine(runningEngineOptions(remote)));
            if (started) void publishOnline();
          },
        });
  await insideLearning?.start();
  // Calibration from the passers-by this radio hears: an outer bound on its zones' edge loss.
  const trafficLearning =
    config.trafficLearning === undefined
      ? null
      : new TrafficCalibration({
          offsetDb: () => running().site.rssiOffsetDb,
          defaultMeasuredPowerDbm: config.site.defaultMeasuredPowerDbm,
          store: new TrafficLearnerFile(join(config.dataDir, "learned-traffic.json")),
          clock: stampClock,
          log: log.child({ component: "traffic-learning" }),
          learner: {
            tailZ: config.trafficLearning.tailZ,
            quantile: config.trafficLearning.quantile,
            marginDb: config.trafficLearning.marginDb,
            minTracks: config.trafficLearning.minTracks,
            memoryDays: config.trafficLearning.memoryDays,
          },
          onBound: () => {
            pipeline.publish(reconfigureEngine(runningEngineOptions(remote)));
            if (started) void publishOnline();
          },
        });
  await trafficLearning?.start();
  /**
   * The engine's options as it runs: this gateway's own ({@link ownEngineOptions}) with the store's
   * other gateways' calibration records laid over their offsets and their zones.
   */
  function runningEngineOptions(remoteConfig: GatewayRemoteConfig | null): PresenceEngineOptions {
    return peerCalibrations.apply(ownEngineOptions(remoteConfig));
  }
  /**
   * The engine's options as this gateway's own learners have them: the learned offset, the learned
   * edge loss of the floor zone, then this gateway's zones kept short of the pavement, whatever
   * their edge came from. What it runs of its own zones is what its peers are sent.
   */
  function ownEngineOptions(remoteConfig: GatewayRemoteConfig | null): PresenceEngineOptions {
    const options = engineOptions(running(), remoteConfig);
    const zoneId = config.insideLearning?.zoneId;
    const learned = withInsideLearned(options, zoneId);
    const bound = trafficLearning?.boundDb ?? null;
    if (bound === null) return learned;
    return { ...learned, zones: boundZones(learned.zones, learned.tuning.pathLossExponent, (g) => (g === config.gatewayId ? bound : null)) };
  }
  /** `options` with the inside labels' learned edge loss, peer references and exit band in the floor zone. */
  function withInsideLearned(options: PresenceEngineOptions, zoneId: string | undefined): PresenceEngineOptions {
    if (insideLearning === null || zoneId === undefined) return options;
    const learned = { edgeLossDb: insideLearning.edgeLossDb, peerEdges: insideLearning.peerEdges };
    const base = baseEdgeLossDb(options, config.gatewayId, zoneId);
    if (base === null) return options;
    const o = {
      baseEdgeLossDb: base,
      exitMarginM: options.tuning.exitMarginM,
      pathLossExponent: options.tuning.pathLossExponent,
      maxDistanceM: options.maxDistanceM ?? DEFAULT_MAX_DISTANCE_M,
    };
    return { ...options, zones: options.zones.map((z) => (z.id === zoneId ? learnedZone(z, learned, o) : z)) };
  }
  /** The options the engine runs, as last given to it: what this gateway's peers are sent of its own. */
  let engineRuns = runningEngineOptions(remote);
  const engine = new PresenceEngine(engineRuns);
  /** Reconfigures the engine (a PresenceError leaves it, and `engineRuns`, as they were). */
  function reconfigureEngine(options: PresenceEngineOptions): PresenceChange[] {
    const changes = engine.reconfigure(options);
    engineRuns = options;
    return changes;
  }
  const fusion = await lanFusion(
    config,
    engine,
    stampClock,
    log,
    cloudClock,
    insideLearning === null
      ? undefined
      : (gatewayId, sightings) => {
          for (const s of sightings) insideLearning.peerHeard(gatewayId, s.subject.id, s.t, s.rssiDbm, s.measuredPowerDbm);
        },
  );
  // Every gateway of the store runs each one's learned values: its record goes to the peers (on
  // change, read at each tick, and periodically), and theirs, once checked, reconfigure this engine.
  fusion?.channel.shareCalibration({
    own: () => calibrationRecordOf(engineRuns, config.gatewayId),
    onPeer: (sender, record) => {
      if (!peerCalibrations.offer(sender, record, ownEngineOptions(remote))) return;
      try {
        pipeline.publish(reconfigureEngine(runningEngineOptions(remote)));
      } catch (err) {
        if (!(err instanceof PresenceError)) throw err;
        peerCalibrations.forget(sender);
        log.warn({ peer: sender, problems: err.problems }, "peer calibration record refused by the engine");
      }
    },
  });
  // The software the cloud wants: downloaded into <dataDir>/updates for the root-owned updater.
  const updater = new SoftwareUpdater({
    runningRelease: basename(packageDir),
    lastReport: () => updateReport,
    inbox: new HttpUpdateInbox({
      dir: join(config.dataDir, "updates"),
      // The cloud: the host of the gateway's own broker.
      credentialHosts: [new URL(config.mqtt.url).hostname],
      authorization: async () => {
        const password = config.mqtt.password ?? (config.mqtt.passwordFile === undefined ? undefined : (await readFile(config.mqtt.passwordFile, "utf8")).trim());
        return password === undefined ? undefined : `Basic ${Buffer.from(`${config.mqtt.username}:${password}`).toString("base64")}`;
      },
    }),
    log: log.child({ component: "software" }),
  });

  const relay: Relay = new Relay({
    storeId: config.storeId,
    gatewayId: config.gatewayId,
    version,
    outbox,
    connection,
    clock,
    log: log.child({ component: "relay" }),
    batchSize: config.uplink.batchSize,
    maxInflightBatches: config.uplink.maxInflightBatches,
    ackTimeoutMs: config.uplink.ackTimeoutMs,
    scheduler,
    // A listener boundary: whatever a config message does (not JSON, a full disk on save), it must
    // not become an unhandled rejection, which ends a Node process; the config topic is retained,
    // so the same message would then end the gateway again at every restart.
    configStatus: () => configOutcome,
    scanStatus: () => scanHealth.report(),
    updateStatus: () => updateReport ?? undefined,
    advertisingStatus: () => storeBeacon.report(),
    calibrationStatus: () => calibration(),
    labels: learning !== null || insideLearning !== null || trafficLearning !== null,
    timeReplies: cloudClock !== null,
    onSubscribed: () => cloudClock?.online(),
    // `arrival-gateway health` reads the link from the health file: rewrite it as the link changes,
    // so an update's health gate sees the gateway connected as soon as it is.
    onConnectionChange: () => {
      if (started) writeHealth();
    },
    onMessage: (channel, payload) => {
      if (channel === "time-reply") {
        cloudClock?.reply(payload);
        return;
      }
      if (channel === "labels") {
        // The retained status carries what was learned: the fleet view shows each sample counted.
        trafficLearning?.label(payload);
        void Promise.all([learning?.label(payload), insideLearning?.label(payload)])
          .then((outcomes) => (outcomes.some((o) => o?.outcome === "sample") && started ? publishOnline() : undefined))
          .catch((err: unknown) => log.error({ err }, "label not handled"));
        return;
      }
      applyRemoteConfig(payload).catch((err: unknown) => log.error({ err }, "remote config not handled"));
    },
  });
  const pipeline = new ScanPipeline({
    storeId: config.storeId,
    gatewayId: config.gatewayId,
    source: deps.source,
    engine:
      fusion?.presence ??
      (cloudClock === null
        ? engine
        : new ReferenceGate({ engine, reference: cloudClock, clock, maxWaitMs: SETTLE_MS, log: log.child({ component: "presence" }) })),
    clock: stampClock,
    ...(cloudClock === null ? {} : { stampOffsetMs: () => cloudClock.correctionMs }),
    log: log.child({ component: "presence" }),
    sink: (events) => {
      // With `leaveOutEntered` (the default), a subject the engine took in is no passer-by to the pavement's evidence.
      if (trafficLearning !== null && config.trafficLearning?.leaveOutEntered === true)
        for (const e of events) if (e.type === "enter") trafficLearning.inside(e.subject.id);
      return relay.enqueue(events);
    },
    scheduler,
    ...(learning === null && insideLearning === null && trafficLearning === null
      ? {}
      : {
          onHeard: (subjectId: string, t: number, rssiDbm: number, p1m: number | null) => {
            learning?.heard(subjectId, t, rssiDbm, p1m);
            insideLearning?.heard(subjectId, t, rssiDbm, p1m);
            trafficLearning?.heard(subjectId, t, rssiDbm, p1m);
          },
        }),
    // With fusion, each tick sends the batch of own sightings and runs the engine to the watermark.
    ...(fusion === null || config.lan === undefined ? {} : { tickMs: config.lan.batchMs }),
  });

  // The store beacon phones hear: advertised while the gateway runs, from the applied config.
  const storeBeacon = new StoreBeaconAdvertiser({
    advertiser: deps.advertiser ?? new RecordingAdvertiser({ clock }),
    clock,
    scheduler,
    log: log.child({ component: "store-beacon" }),
    onChange: () => {
      if (started) void publishOnline();
    },
  });

  const scanHealth = new ScanHealth({
    source: deps.source,
    lastAdvertAt: () => pipeline.lastAdvertAt,
    clock,
    scheduler,
    log: log.child({ component: "scan-health" }),
    giveUpAfterMs: config.scanner.giveUpS * 1000,
    onChange: () => {
      void publishOnline();
      writeHealth();
    },
    onGiveUp: (reason) => {
      log.error({ reason }, "scanning did not recover; giving up");
      deps.onScanGiveUp?.(reason);
    },
  });

  // What `arrival-gateway health` reads (install-release.sh's check after an update): written every
  // HEALTH_WRITE_MS and whenever the radio changes, atomically.
  const healthFile = new HealthFile(join(config.dataDir, "health.json"));
  const startedAt = clock.now();
  let healthTimer: TimerHandle | null = null;
  let healthWriteFailed = false;
  function writeHealth(): void {
    healthFile
      .write({
        v: 1,
        pid: deps.pid ?? process.pid,
        version,
        packageDir,
        at: clock.now(),
        startedAt,
        connected: connection.connected,
        scan: scanHealth.report(),
        ...(fusion === null ? {} : { lan: { peers: lanPeerAges() } }),
      })
      .then(
        () => {
          healthWriteFailed = false;
        },
        (err: unknown) => {
          if (!healthWriteFailed) log.warn({ err }, "health file not written");
          healthWriteFailed = true;
        },
      );
  }

  /**
   * Picks up an update report written after this process started (its own update's outcome) and
   * publishes it in the retained status: a rollout's health gate opens on "updated", and halts on
   * "rolled-back". Never rejects.
   */
  let reportText = await readFile(updateReportPath, "utf8").catch(() => null);
  async function refreshUpdateReport(): Promise<void> {
    try {
      // Compared as written, so an unusable file is warned about once, not at every look.
      const text = await readFile(updateReportPath, "utf8").catch(() => null);
      if (text === null || text === reportText) return;
      reportText = text;
      const next = parseUpdateReport(text, updateReportPath, log);
      if (next === null) return;
      updateReport = next;
      log.info({ outcome: next.outcome, from: next.from, to: next.to }, "update report changed");
      await publishOnline();
    } catch (err) {
      log.warn({ err }, "update report not read");
    }
  }

  /** Seconds since each LAN peer's last datagram, for the health file (doctor reads it). */
  function lanPeerAges(): { id: string; lastHeardAgeS: number | null }[] {
    const now = stampClock.now();
    return (fusion?.channel.peers() ?? []).map((p) => ({ id: p.id, lastHeardAgeS: peerAgeS(p.lastHeardAt, now) }));
  }

  /** The offset and zone thresholds this gateway judges with now (the zones follow remote config). */
  function calibration(): NonNullable<GatewayStatus["calibration"]> {
    const report = calibrationReport(config.gatewayId, running().site.rssiOffsetDb, engineOptions(config, remote).zones, deps.surveyRecord ?? null);
    return {
      ...report,
      ...(learning === null ? {} : { learned: learning.report() }),
      ...(insideLearning === null ? {} : { learnedZones: [insideLearning.report()] }),
      ...(trafficLearning === null ? {} : { learnedTraffic: trafficLearning.report() }),
    };
  }

  /** The retained online status as of now: version, the last config outcome and the radio. */
  async function publishOnline(): Promise<void> {
    await relay
      .publishStatus({
        v: 1,
        state: "online",
        at: new Date(clock.now()).toISOString(),
        version,
        ...(configOutcome ? { config: configOutcome } : {}),
        scan: scanHealth.report(),
        ...(updateReport ? { update: updateReport } : {}),
        advertising: storeBeacon.report(),
        calibration: calibration(),
      })
      .catch(() => undefined);
  }

  async function reportConfig(outcome: NonNullable<GatewayStatus["config"]>): Promise<void> {
    configOutcome = outcome;
    await publishOnline();
  }

  async function applyRemoteConfig(payload: Buffer): Promise<void> {
    const decoded = decodeGatewayMessage("config", payload);
    if (!decoded.ok) {
      log.warn({ problems: formatProblems(decoded.problems) }, "remote config rejected");
      await reportConfig({
        revision: claimedRevision(payload),
        state: "rejected",
        problems: decoded.problems
          .slice(0, 100)
          .map((p) => ({ path: p.path.slice(0, 256), message: p.message.slice(0, 512) })),
      });
      return;
    }
    const next = decoded.value;
    if (remote && next.revision <= remote.revision) return; // retained copy of what is applied already
    let changes: PresenceChange[];
    try {
      changes = reconfigureEngine(runningEngineOptions(next));
    } catch (err) {
      // The schema cannot say everything the engine checks (two zones with one id); the engine
      // refuses such options without changing anything, and the operator must see why.
      if (!(err instanceof PresenceError)) throw err;
      log.warn({ problems: err.problems }, "remote config rejected");
      await reportConfig({
        revision: next.revision,
        state: "rejected",
        problems: err.problems.slice(0, 100).map((message) => ({ path: "", message: message.slice(0, 512) })),
      });
      return;
    }
    pipeline.publish(changes);
    remote = next;
    // Owner-only: the config carries the store beacon's identity key, a secret.
    await writeFile(`${remotePath}.tmp`, JSON.stringify(next), { mode: 0o600 });
    await rename(`${remotePath}.tmp`, remotePath);
    log.info({ revision: next.revision, zones: next.zones.length }, "remote config applied");
    await reportConfig({ revision: next.revision, state: "applied" });
    void updater.desired(next.software);
    if (started) void storeBeacon.configure(next.storeBeacon);
  }

  const telemetry = new TelemetryReporter({
    storeId: config.storeId,
    gatewayId: config.gatewayId,
    version,
    connection,
    outbox,
    scan: () => ({ adverts: pipeline.counters.adverts, subjectsTracked: pipeline.trackedSubjects }),
    eventsSent: () => relay.counters.eventsSent,
    ...(fusion === null ? {} : { lan: () => lanTelemetry(fusion, stampClock.now()) }),
    ...(cloudClock === null ? {} : { timeReference: () => cloudClock.report() }),
    sampleProcess: deps.sampleProcess ?? nodeProcessSample,
    clock,
    log: log.child({ component: "telemetry" }),
    intervalMs: config.telemetryIntervalS * 1000,
    scheduler,
  });

  let started = false;
  return {
    pipeline,
    clock: stampClock,
    time: cloudClock,
    fusion,
    relay,
    outbox,
    storeBeacon,
    learning,
    insideLearning,
    trafficLearning,
    async start() {
      if (started) return;
      // The radio first: the online status (published by the relay on connect) must mean scanning.
      // A source that cannot start leaves nothing running and no MQTT connection behind.
      // The LAN before the radio: peers' sightings are taken from the first own one on.
      if (fusion !== null) await fusion.presence.start();
      try {
        await pipeline.start();
      } catch (err) {
        await pipeline.stop().catch(() => undefined);
        await fusion?.presence.stop().catch(() => undefined);
        throw new ScanStartError(err);
      }
      started = true;
      scanHealth.start();
      // Before the relay: its first connect asks the cloud's time.
      cloudClock?.start();
      await relay.start();
      telemetry.start();
      writeHealth();
      healthTimer = scheduler.setInterval(() => {
        writeHealth();
        void refreshUpdateReport();
        void learning?.tick().catch((err: unknown) => log.warn({ err }, "learned calibration not stepped"));
        void insideLearning?.tick().catch((err: unknown) => log.warn({ err }, "learned zone threshold not stepped"));
        void trafficLearning?.tick().catch((err: unknown) => log.warn({ err }, "learned traffic not stepped"));
      }, HEALTH_WRITE_MS);
      // A release asked for before a restart (or a download that failed) is taken up again.
      void updater.desired(remote?.software);
      // After the scan started: the radio is open and powered on.
      void storeBeacon.configure(remote?.storeBeacon);
      log.info(
        {
          storeId: config.storeId,
          gatewayId: config.gatewayId,
          zones: engineOptions(config, remote).zones.length,
        },
        "gateway started",
      );
    },
    async stop() {
      if (!started) {
        await outbox.close();
        await lock.release();
        return;
      }
      started = false;
      if (healthTimer !== null) scheduler.clearInterval(healthTimer);
      healthTimer = null;
      telemetry.stop();
      scanHealth.stop();
      await storeBeacon.stop();
      await pipeline.stop();
      await fusion?.presence.stop();
      await relay.stop();
      cloudClock?.stop();
      await learning?.stop();
      await insideLearning?.stop();
      await trafficLearning?.stop();
      await outbox.close();
      await lock.release();
    },
  };
}

/**
 * This gateway's end of the store LAN when the config has a `lan` section and peers with LAN
 * addresses (each `host:port`); null otherwise. The running service fuses through it, and a survey
 * walk (with the service stopped) hears the peers' sightings through it.
 */
export async function openStoreLanChannel(config: GatewayConfig, clock: Clock, log: Logger): Promise<UdpSightingChannel | null> {
  const lan = config.lan;
  const peers = config.peers.flatMap((p) => {
    if (p.lan === undefined || p.id === config.gatewayId) return [];
    const at = p.lan.lastIndexOf(":");
    return [{ id: p.id, host: p.lan.slice(0, at), port: Number(p.lan.slice(at + 1)) }];
  });
  if (lan === undefined || peers.length === 0) return null;
  return new UdpSightingChannel({
    storeId: config.storeId,
    gatewayId: config.gatewayId,
    key: await readLanKey(lan.keyFile),
    port: lan.port,
    ...(lan.bindHost === undefined ? {} : { bindHost: lan.bindHost }),
    peers,
    clock,
    log: log.child({ component: "lan" }),
    // A datagram is worth something only within the allowance; one batch interval of slack.
    maxAgeMs: lan.latenessMs + lan.batchMs,
  });
}

/**
 * The store LAN's fusion when the store LAN is configured (`openStoreLanChannel`); null otherwise,
 * and the gateway judges alone exactly as before.
 */
async function lanFusion(
  config: GatewayConfig,
  engine: PresenceEngine,
  clock: Clock,
  log: Logger,
  reference: CloudClock | null,
  onPeerSightings?: (gatewayId: string, sightings: readonly SharedSighting[]) => void,
): Promise<{ presence: FusedPresence; channel: UdpSightingChannel } | null> {
  const lan = config.lan;
  const channel = await openStoreLanChannel(config, clock, log);
  if (lan === undefined || channel === null) return null;
  const presence = new FusedPresence({
    gatewayId: config.gatewayId,
    engine,
    channel,
    clock,
    log: log.child({ component: "fusion" }),
    latenessMs: lan.latenessMs,
    ...(reference === null ? {} : { reference }),
    ...(onPeerSightings === undefined ? {} : { onPeerSightings }),
  });
  return { presence, channel };
}

/**
 * The revision a rejected config claims, to report with its problems; 0 when it names none or is
 * not JSON at all (a rejected payload may be anything, so parsing it must not throw).
 */
function claimedRevision(payload: Buffer): number {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString("utf8"));
  } catch {
    return 0;
  }
  const revision =
    typeof value === "object" && value !== null ? (value as { revision?: unknown }).revision : undefined;
  return typeof revision === "number" && Number.isInteger(revision) && revision >= 0 ? revision : 0;
}

async function readUpdateReport(path: string, log: Logger): Promise<UpdateReport | null> {
  const text = await readFile(path, "utf8").catch(() => null);
  return text === null ? null : parseUpdateReport(text, path, log);
}

function parseUpdateReport(text: string, path: string, log: Logger): UpdateReport | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  // A long reason (npm's last line) is cut to what the status carries rather than dropped.
  if (typeof value === "object" && value !== null && typeof (value as { reason?: unknown }).reason === "string")
    value = { ...value, reason: (value as { reason: string }).reason.slice(0, 1024) };
  const checked = updateReportChecker.check(value);
  if (checked.ok) return checked.value;
  log.warn({ path, problems: formatProblems(checked.problems) }, "update report ignored");
  return null;
}

async function readLastRemoteConfig(path: string, log: Logger): Promise<GatewayRemoteConfig | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return null;
  }
  const decoded = decodeGatewayMessage("config", text);
  if (decoded.ok) return decoded.value;
  log.warn({ path }, "stored remote config is invalid; using the local config");
  return null;
}
