import {
  allGatewaysFilter,
  type CalibrationReport,
  Checker,
  decodeGatewayMessage,
  encodeMessage,
  formatProblems,
  type GatewayRemoteConfig,
  gatewayTopic,
  parseTopic,
  type Problem,
  type Telemetry,
  type UpdateReport,
  type Zone,
  ZoneSchema,
  type StoreBeaconConfig,
} from "../../../protocol/index.js";
import {
  type ConfigView,
  checkDesiredConfig,
  configView,
  type GatewayState,
  gatewayHealth,
  type LanView,
  lanView,
  nextRevision,
  remoteConfig,
} from "../domain/fleet/index.js";
import type { AdvertisingReport, FleetGatewayRecord, FleetRepository, GatewayRef, ScanRecord, TelemetryRange } from "./repositories.js";
import { type Clock, type Logger, type MessageBus, type Scheduler, systemScheduler, type TimerHandle } from "./ports.js";
import type { AuditRepository, GatewayRecord, DirectoryRepository, ZoneRecord } from "./repositories.js";
import { done, forbidden, invalid, type Outcome, refuse } from "./Outcome.js";
import { SerialQueue } from "./SerialQueue.js";

/** One gateway as operators see it; times are epoch ms. */
export interface GatewayView {
  readonly id: string;
  readonly storeId: string;
  readonly name: string;
  readonly state: GatewayState;
  readonly lastSeenAt: number | null;
  readonly version: string | null;
  readonly offlineSinceAt: number | null;
  readonly offlineTooLong: boolean;
  readonly telemetry: Telemetry | null;
  /** The radio as its last online status reported it; null when it did not say. */
  readonly scan: ScanRecord | null;
  /** The last software update as the gateway reported it (outcome, from, to, reason, at). */
  readonly update: UpdateReport | null;
  /** The store beacon it advertises, as its last online status reported it; null when it did not say. */
  readonly advertising: AdvertisingReport | null;
  /** Its presence calibration (offset, zone thresholds, when surveyed) as its last online status said; null when it did not say. */
  readonly calibration: CalibrationReport | null;
  /** Its store LAN peers as its latest telemetry reported them; null without LAN peers. */
  readonly lan: LanView | null;
  readonly config: ConfigView;
  /**
   * MQTT session takeovers of this gateway's client id since the cloud started (embedded broker):
   * more than a few means two processes run with one identity.
   */
  readonly takeovers: number;
  readonly lastTakeoverAt: number | null;
}

export type ConfigPushOutcome = "published" | "refused" | "failed";
export type FleetRejection = "invalid" | "unregistered" | "topic";

export interface FleetCounters {
  statusMessages: number;
  telemetryMessages: number;
  /** Status and telemetry messages refused, by channel and reason. */
  readonly rejected: Record<"status" | "telemetry", Record<FleetRejection, number>>;
  readonly configPushes: Record<ConfigPushOutcome, number>;
  /** Config outcomes gateways reported (each status carrying a new outcome counts once). */
  readonly configReports: Record<"applied" | "rejected", number>;
  /** MQTT session takeovers of gateway client ids (embedded broker). */
  takeovers: number;
}

/** A store's zones in the directory: the one place they are kept, which every pushed config is built from. */
export interface FleetZoneStore {
  listZones(storeId: string): Promise<ZoneRecord[]>;
  replaceZones: DirectoryRepository["replaceZones"];
}

type Presence = GatewayRemoteConfig["presence"];
type Software = GatewayRemoteConfig["software"];
/** One gateway to push to, and its presence tuning and software given the desired config it has now. */
interface PushTarget {
  readonly gateway: Pick<GatewayRecord, "id" | "storeId">;
  readonly presence: (desired: GatewayRemoteConfig | null) => Presence;
  readonly software: (desired: GatewayRemoteConfig | null) => Software;
  readonly beacons?: (desired: GatewayRemoteConfig | null) => Beacons;
}
const keepPresence = (desired: GatewayRemoteConfig | null): Presence => desired?.presence;
type Beacons = GatewayRemoteConfig["beacons"];
const keepBeacons = (desired: GatewayRemoteConfig | null): Beacons => desired?.beacons;

/** How a push treats what its body leaves out. */
export interface PushOptions {
  /**
   * Keep each target's presence tuning when the body gives none (a software rollout changes the
   * release, not how presence is judged). Default false: a pushed config is the gateway's whole
   * remote config, so a body without `presence` sends the gateway back to its local tuning.
   */
  readonly keepPresence?: boolean;
  /**
   * Whether the caller may name the gateways' software (default true). Only admins may: a release
   * runs as the gateway on every store it reaches, so store-ops keys push configs without it.
   */
  readonly softwareAllowed?: boolean;
}
/**
 * The software a gateway should run stays in its desired config until a push names another: a
 * zones or tuning push must not drop it (a gateway without one just keeps what it runs).
 */
const keepSoftware = (desired: GatewayRemoteConfig | null): Software => desired?.software;
const zoneChecker = new Checker(ZoneSchema);

export interface FleetServiceOptions {
  readonly bus: MessageBus;
  readonly fleet: FleetRepository;
  readonly zones: FleetZoneStore;
  readonly audit: AuditRepository;
  readonly clock: Clock;
  readonly log: Logger;
  /** Silence longer than this means offline, ms. */
  readonly staleAfterMs: number;
  /** Offline longer than this is flagged, ms. */
  readonly offlineAlertMs: number;
  readonly telemetryRetentionMs: number;
  readonly telemetryMinSpacingMs: number;
  /** How often last-seen times are written and old telemetry pruned, ms. Default 10 000. */
  readonly sweepIntervalMs?: number;
  /** Timers; default the process's own. */
  readonly scheduler?: Scheduler;
  /** Called after a gateway's status or telemetry was stored (a rollout may move on); must not throw. */
  readonly onReport?: (storeId: string) => void;
  /** Called when a gateway that was not offline reports offline (its last will); must not throw. */
  readonly onOffline?: (storeId: string, gatewayId: string, at: number) => void;
  /**
   * The store beacon a store's gateways advertise, put in every config pushed to them; undefined
   * (or absent): they advertise none.
   */
  readonly storeBeacon?: (storeId: string) => Promise<StoreBeaconConfig | undefined>;
  /**
   * Whether this worker pushes a first config to a gateway that comes online without one (every
   * worker sees every status; the leader alone pushes). Default: always.
   */
  readonly leader?: () => boolean;
}

/**
 * Fleet operation from the cloud: consumes every gateway's retained status (online, offline, last
 * will, config outcome) and telemetry, keeps when each was last heard from (also from events, via
 * `noteHeard`), and pushes configs on the retained config topic with a revision it assigns.
 *
 * The embedded broker keeps retained messages in memory only, so `start` publishes every desired
 * config again from storage: a gateway connecting after a cloud restart still finds its config.
 */
export class FleetService {
  readonly counters: FleetCounters = {
    statusMessages: 0,
    telemetryMessages: 0,
    rejected: {
      status: { invalid: 0, unregistered: 0, topic: 0 },
      telemetry: { invalid: 0, unregistered: 0, topic: 0 },
    },
    configPushes: { published: 0, refused: 0, failed: 0 },
    configReports: { applied: 0, rejected: 0 },
    takeovers: 0,
  };
  /** Session takeovers per gateway since start, in memory: a symptom to see now, not history. */
  private readonly takeovers = new Map<string, { storeId: string; count: number; lastAt: number }>();
  private readonly o: FleetServiceOptions;
  /** Status and telemetry are handled one at a time in arrival order, so an offline status is never overtaken. */
  private readonly queue: SerialQueue;
  /** Last heard per gateway, written in the next sweep: ingest pays for a map write only. */
  private heard = new Map<string, GatewayRef & { at: number }>();
  /** Problems already logged, per gateway, channel and reason: a chatty bad gateway logs once. */
  private readonly logged = new Set<string>();
  /** Pushes run one at a time, so revisions reach the broker in the order they were assigned. */
  private pushes: Promise<unknown> = Promise.resolve();
  /** Gateways whose desired config is stored but whose publish failed; retried by every sweep. */
  private readonly unpublished = new Set<string>();
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  private started = false;
  /** Sweeps in progress, timer-started or called, so `stop` can wait for them. */
  private readonly sweeping = new Set<Promise<void>>();

  constructor(options: FleetServiceOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.queue = new SerialQueue((err) => this.o.log.error({ err }, "gateway message not handled"));
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { bus } = this.o;
    // Once stopped, messages are ignored: the last wills an embedded broker publishes as it shuts
    // down say the cloud went away, not the gateways.
    await bus.subscribe(allGatewaysFilter("status"), async (message) => {
      if (this.started) this.queue.push(() => this.handleStatus(message.topic, message.payload));
    });
    await bus.subscribe(allGatewaysFilter("telemetry"), async (message) => {
      if (this.started) this.queue.push(() => this.handleTelemetry(message.topic, message.payload));
    });
    await this.republish();
    this.timer = this.scheduler.setInterval(() => {
      this.sweep().catch((err: unknown) => this.o.log.error({ err }, "fleet sweep failed"));
    }, this.o.sweepIntervalMs ?? 10_000);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
    await this.queue.drain();
    await this.pushes.catch(() => undefined);
    await Promise.allSettled([...this.sweeping]);
    await this.flushHeard();
  }

  /** The broker saw a new connection take over this gateway's MQTT session. */
  noteTakeover(storeId: string, gatewayId: string): void {
    this.counters.takeovers++;
    const previous = this.takeovers.get(gatewayId);
    const count = previous && previous.storeId === storeId ? previous.count + 1 : 1;
    if (!previous && this.takeovers.size >= 10_000) this.takeovers.clear();
    this.takeovers.set(gatewayId, { storeId, count, lastAt: this.o.clock.now() });
  }

  /** Called by ingest for every events message of a gateway (cheap: one map write). */
  noteHeard(storeId: string, gatewayId: string): void {
    this.heard.set(gatewayId, { storeId, gatewayId, at: this.o.clock.now() });
  }

  /** Writes last-seen times, publishes configs whose publish failed, prunes old telemetry history. */
  sweep(): Promise<void> {
    const run = this.runSweep();
    this.sweeping.add(run);
    const forget = () => this.sweeping.delete(run);
    run.then(forget, forget);
    return run;
  }

  private async runSweep(): Promise<void> {
    await this.flushHeard();
    if (this.unpublished.size > 0) await this.serialised(() => this.publishDesired(this.unpublished));
    await this.o.fleet.pruneTelemetry(this.o.clock.now() - this.o.telemetryRetentionMs);
  }

  private async flushHeard(): Promise<void> {
    if (this.heard.size === 0) return;
    const entries = [...this.heard.values()];
    this.heard = new Map();
    await this.o.fleet.recordHeard(entries);
  }

  /** Handles one status message; public so tests can drive it without a broker. */
  async handleStatus(topic: string, payload: Buffer): Promise<void> {
    const ref = this.refOf(topic, "status");
    if (!ref) return;
    const decoded = decodeGatewayMessage("status", payload);
    if (!decoded.ok) {
      this.reject("status", "invalid", ref, decoded.problems);
      return;
    }
    const status = decoded.value;
    const before =
      status.config || status.scan || status.update || status.advertising || status.calibration || status.state === "offline" ? await this.o.fleet.getFleetGateway(ref.gatewayId) : null;
    const receivedAt = this.o.clock.now();
    const stored = await this.o.fleet.recordStatus({
      ...ref,
      state: status.state,
      receivedAt,
      ...(status.version === undefined ? {} : { version: status.version }),
      ...(status.config === undefined ? {} : { config: status.config }),
      // The age is the gateway's own count; anchored to receipt time so no gateway clock is trusted.
      ...(status.scan === undefined
        ? {}
        : {
            scan: {
              state: status.scan.state,
              lastAdvertAt: status.scan.lastAdvertAgeS === null ? null : receivedAt - status.scan.lastAdvertAgeS * 1000,
            },
          }),
      ...(status.update === undefined ? {} : { update: status.update }),
      ...(status.advertising === undefined ? {} : { advertising: status.advertising }),
      ...(status.calibration === undefined ? {} : { calibration: status.calibration }),
    });
    if (!stored) {
      this.reject("status", "unregistered", ref, []);
      return;
    }
    this.counters.statusMessages++;
    this.o.onReport?.(ref.storeId);
    // The retained offline status comes again after a restart: only a change is news.
    if (status.state === "offline" && before?.reportedState !== "offline") this.o.onOffline?.(ref.storeId, ref.gatewayId, receivedAt);
    const config = status.config;
    const previous = before?.reportedConfig;
    if (config && (previous?.revision !== config.revision || previous.state !== config.state)) {
      this.counters.configReports[config.state]++;
      const fields = { ...ref, revision: config.revision };
      if (config.state === "applied") this.o.log.info(fields, "gateway applied config");
      else this.o.log.warn({ ...fields, problems: formatProblems(config.problems ?? []) }, "gateway rejected config");
    }
    if (status.calibration && before && before.calibration?.surveyedAt !== status.calibration.surveyedAt && status.calibration.surveyedAt !== null)
      this.o.log.info(
        { ...ref, surveyedAt: status.calibration.surveyedAt, rssiOffsetDb: status.calibration.rssiOffsetDb },
        "gateway surveyed",
      );
    if (status.advertising && before?.advertising?.state !== status.advertising.state && status.advertising.state === "failed")
      this.o.log.warn({ ...ref, error: status.advertising.error }, "gateway cannot advertise the store beacon");
    if (status.scan && before?.scan?.state !== status.scan.state && (status.scan.state === "interrupted" || before?.scan))
      this.o.log[status.scan.state === "interrupted" ? "warn" : "info"](
        { ...ref, scan: status.scan.state, lastAdvertAgeS: status.scan.lastAdvertAgeS },
        status.scan.state === "interrupted" ? "gateway radio interrupted" : "gateway radio scanning again",
      );
    const update = status.update;
    if (update && (before?.update?.at !== update.at || before.update.outcome !== update.outcome))
      this.o.log[update.outcome === "updated" || update.outcome === "unchanged" ? "info" : "warn"](
        { ...ref, outcome: update.outcome, from: update.from, to: update.to, reason: update.reason },
        "gateway software update reported",
      );
    this.o.log.debug({ ...ref, state: status.state }, "gateway status");
    if (status.state === "online" && this.o.storeBeacon !== undefined && (this.o.leader?.() ?? true)) {
      const record = before ?? (await this.o.fleet.getFleetGateway(ref.gatewayId));
      if (record?.desiredRevision === null) await this.pushFirstConfig(ref);
    }
  }

  /**
   * A gateway online without any desired config (freshly registered, first connect) would not
   * advertise its store's beacon until something else pushed it a config: it gets one now, with
   * the store's zones and beacon. Only when the store has a beacon to advertise: otherwise the
   * gateway keeps running on its local config, as before. Run by the leader, once (a later online
   * status finds the stored config).
   */
  private async pushFirstConfig(ref: GatewayRef): Promise<void> {
    if ((await this.o.storeBeacon?.(ref.storeId)) === undefined) return;
    await this.serialised(async () => {
      // Another push may have stored one since the status was read.
      if ((await this.o.fleet.getFleetGateway(ref.gatewayId))?.desiredRevision !== null) return;
      const zones = await this.storeZones(ref.storeId);
      await this.storeAndPublish(
        [{ gateway: { id: ref.gatewayId, storeId: ref.storeId }, presence: keepPresence, software: keepSoftware }],
        zones,
        "cloud",
      );
      this.o.log.info(ref, "first config pushed to a gateway that had none");
    });
  }

  /** Handles one telemetry message; public so tests can drive it without a broker. */
  async handleTelemetry(topic: string, payload: Buffer): Promise<void> {
    const ref = this.refOf(topic, "telemetry");
    if (!ref) return;
    const decoded = decodeGatewayMessage("telemetry", payload);
    if (!decoded.ok) {
      this.reject("telemetry", "invalid", ref, decoded.problems);
      return;
    }
    const stored = await this.o.fleet.recordTelemetry({
      ...ref,
      telemetry: decoded.value,
      receivedAt: this.o.clock.now(),
      minSpacingMs: this.o.telemetryMinSpacingMs,
    });
    if (!stored) {
      this.reject("telemetry", "unregistered", ref, []);
      return;
    }
    this.counters.telemetryMessages++;
    this.o.onReport?.(ref.storeId);
  }

  private refOf(topic: string, channel: "status" | "telemetry"): GatewayRef | null {
    const parsed = parseTopic(topic);
    if (parsed?.scope !== "gateway" || parsed.channel !== channel) {
      this.counters.rejected[channel].topic++;
      return null;
    }
    return { storeId: parsed.storeId, gatewayId: parsed.gatewayId };
  }

  private reject(
    channel: "status" | "telemetry",
    reason: FleetRejection,
    ref: GatewayRef,
    problems: readonly Problem[],
  ): void {
    this.counters.rejected[channel][reason]++;
    const key = `${ref.storeId}/${ref.gatewayId}/${channel}/${reason}`;
    // Bounded: a flood of distinct forged ids cannot grow this set past the point of usefulness.
    if (this.logged.has(key) || this.logged.size >= 10_000) return;
    this.logged.add(key);
    this.o.log.warn(
      { ...ref, channel, reason, problems: formatProblems(problems) },
      reason === "unregistered" ? "message from an unregistered gateway ignored" : "gateway message rejected",
    );
  }

  private view(record: FleetGatewayRecord, now: number): GatewayView {
    const heard = this.heard.get(record.id);
    const lastSeenAt =
      heard && heard.storeId === record.storeId ? Math.max(heard.at, record.lastSeenAt ?? 0) : record.lastSeenAt;
    const health = gatewayHealth(
      { reportedState: record.reportedState, offlineSince: record.offlineSince, lastSeenAt, scanState: record.scan?.state ?? null },
      now,
      { staleAfterMs: this.o.staleAfterMs, offlineAlertMs: this.o.offlineAlertMs },
    );
    return {
      id: record.id,
      storeId: record.storeId,
      name: record.name,
      state: health.state,
      lastSeenAt,
      version: record.version,
      offlineSinceAt: health.offlineSince,
      offlineTooLong: health.offlineTooLong,
      telemetry: record.telemetry,
      scan: record.scan,
      update: record.update,
      advertising: record.advertising,
      calibration: record.calibration,
      lan: lanView(record.telemetry, record.telemetryAt, now),
      config: configView(record.desiredRevision, record.reportedConfig),
      ...takeoversOf(this.takeovers.get(record.id), record.storeId),
    };
  }

  /** Gateways of an organisation (optionally one store); without `orgId`, of every organisation. */
  async list(filter: { readonly orgId?: string; readonly storeId?: string }): Promise<GatewayView[]> {
    const now = this.o.clock.now();
    return (await this.o.fleet.listFleet(filter)).map((r) => this.view(r, now));
  }

  async get(gatewayId: string): Promise<GatewayView | null> {
    const record = await this.o.fleet.getFleetGateway(gatewayId);
    return record ? this.view(record, this.o.clock.now()) : null;
  }

  telemetry(gatewayId: string, range: TelemetryRange): Promise<Telemetry[]> {
    return this.o.fleet.telemetryHistory(gatewayId, range);
  }

  /** Counts a push refused before it reached this service (the HTTP body schema). */
  countRefusedPush(): void {
    this.counters.configPushes.refused++;
  }

  /**
   * Checks `body` against the gateway's store and pushes it to the gateway (see `push`). Zones
   * given become the store's zones, so the store's other gateways get them too (keeping their
   * presence tuning); the answer is the revision of this gateway.
   */
  async pushConfig(
    gateway: GatewayRecord,
    body: unknown,
    actor: string,
    options: PushOptions = {},
  ): Promise<Outcome<{ revision: number }>> {
    const pushed = await this.push([gateway], gateway.storeId, body, actor, options);
    if (!pushed.ok) return pushed;
    const result = pushed.value.find((r) => r.gatewayId === gateway.id);
    if (!result) throw new Error("no gateway to push to");
    return done({ revision: result.revision });
  }

  /** The same config to every gateway of a store (each its own revision). */
  async pushStore(
    storeId: string,
    body: unknown,
    actor: string,
    options: PushOptions = {},
  ): Promise<Outcome<{ gatewayId: string; revision: number }[]>> {
    const gateways = await this.o.fleet.listFleet({ storeId });
    return this.push(gateways, storeId, body, actor, options);
  }

  /**
   * Pushes the store's zones, as the directory holds them now, to every gateway of the store, each
   * keeping its presence tuning; called after the directory API changed a zone. A publish the
   * broker refuses is not an error here: the config is stored and the sweep publishes it.
   */
  publishStoreZones(storeId: string, actor: string): Promise<{ gatewayId: string; revision: number }[]> {
    return this.serialised(async () => {
      const gateways = await this.o.fleet.listFleet({ storeId });
      if (gateways.length === 0) return [];
      const zones = await this.storeZones(storeId);
      const checked = checkDesiredConfig(
        { zones },
        gateways.map((g) => g.id),
      );
      if (!checked.ok) {
        this.o.log.warn({ storeId, problems: formatProblems(checked.problems) }, "store zones not pushed: not a valid config");
        return [];
      }
      const { stored } = await this.storeAndPublish(
        gateways.map((gateway) => ({ gateway, presence: keepPresence, software: keepSoftware })),
        zones,
        actor,
      );
      return stored;
    });
  }

  /**
   * Brings every stored desired config's store beacon in line with what the store should advertise
   * now (the cloud started with a beacon secret, a new key epoch or format, or none any more): each
   * config that differs is pushed again with its next revision, everything else kept. A registered
   * gateway that was never pushed a config gets its first one here, where its store has a beacon
   * (retained, so an offline gateway finds it when it connects); one registered while the cloud runs
   * gets it when it first comes online (`pushFirstConfig`). Run by the leader at start.
   */
  syncStoreBeacons(actor: string): Promise<number> {
    return this.serialised(async () => {
      let pushed = 0;
      const wanted = new Map<string, StoreBeaconConfig | undefined>();
      const wantedFor = async (storeId: string) => {
        if (!wanted.has(storeId)) wanted.set(storeId, await this.o.storeBeacon?.(storeId));
        return wanted.get(storeId);
      };
      const byStore = new Map<string, string[]>();
      const add = (storeId: string, gatewayId: string) => byStore.set(storeId, [...(byStore.get(storeId) ?? []), gatewayId]);
      for (const record of await this.o.fleet.desiredConfigs())
        if (JSON.stringify(record.config.storeBeacon) !== JSON.stringify(await wantedFor(record.storeId))) add(record.storeId, record.gatewayId);
      for (const gateway of await this.o.fleet.listFleet({}))
        if (gateway.desiredRevision === null && (await wantedFor(gateway.storeId)) !== undefined) add(gateway.storeId, gateway.id);
      for (const [storeId, gatewayIds] of byStore) {
        const zones = await this.storeZones(storeId);
        const { stored } = await this.storeAndPublish(
          gatewayIds.map((id) => ({ gateway: { id, storeId }, presence: keepPresence, software: keepSoftware })),
          zones,
          actor,
        );
        pushed += stored.length;
      }
      if (pushed > 0) this.o.log.info({ gateways: pushed }, "store beacon pushed to the gateways");
      return pushed;
    });
  }

  /**
   * Every pushed config carries the store's zones from the directory, all of them: a
   * gateway-radius zone names the gateway it is centred on (the others ignore it) and a circle or
   * polygon applies to positions fused from several gateways, so no zone is one gateway's alone.
   * Zones in `body` first replace the store's zones (in one transaction, tags kept unless
   * `zoneTags` gives them); without zones the store's current ones are sent. Each config is stored
   * as the gateway's desired config with its next revision before it is published retained at
   * QoS 1: a publish that fails is retried by every sweep, and the caller is told to retry
   * (`BROKER_UNAVAILABLE`; the config is stored all the same).
   */
  private async push(
    targets: readonly GatewayRecord[],
    storeId: string,
    body: unknown,
    actor: string,
    options: PushOptions = {},
  ): Promise<Outcome<{ gatewayId: string; revision: number }[]>> {
    const storeGateways = await this.o.fleet.listFleet({ storeId });
    const gatewayIds = storeGateways.map((g) => g.id);
    const checked = checkDesiredConfig(body, gatewayIds);
    if (!checked.ok) {
      this.counters.configPushes.refused++;
      return invalid(checked.problems, `the config is not valid:\n${formatProblems(checked.problems)}`);
    }
    const desired = checked.value;
    if (desired.software !== undefined && options.softwareAllowed === false) {
      this.counters.configPushes.refused++;
      return forbidden("only an admin key may choose the gateways' software (or start a rollout)");
    }
    const run = async (): Promise<Outcome<{ gatewayId: string; revision: number }[]>> => {
      if (desired.zones !== undefined) {
        const tags = desired.zoneTags ?? {};
        await this.o.zones.replaceZones(
          storeId,
          desired.zones.map((zone) => ({
            id: zone.id,
            name: zone.name ?? zone.id,
            geometry: zone,
            ...(tags[zone.id] === undefined ? {} : { tags: tags[zone.id] }),
          })),
        );
        await this.o.audit.audit({
          at: this.o.clock.now(),
          actor,
          action: "zone.replace-all",
          target: `store:${storeId}`,
          detail: { zones: desired.zones.length },
        });
      }
      // Given zones go out in the order given (the set is what was just stored).
      const zones = desired.zones ?? (await this.storeZones(storeId));
      if (desired.zones === undefined) {
        const composed = checkDesiredConfig(
          {
            zones,
            ...(desired.presence === undefined ? {} : { presence: desired.presence }),
            ...(desired.beacons === undefined ? {} : { beacons: desired.beacons }),
          },
          gatewayIds,
        );
        if (!composed.ok) {
          this.counters.configPushes.refused++;
          return invalid(
            composed.problems,
            `the store's zones do not make a valid config:\n${formatProblems(composed.problems)}`,
          );
        }
      }
      const targetIds = new Set(targets.map((t) => t.id));
      const others = desired.zones === undefined ? [] : storeGateways.filter((g) => !targetIds.has(g.id));
      const { stored, failed } = await this.storeAndPublish(
        [
          ...targets.map((gateway) => ({
            gateway,
            presence:
              options.keepPresence === true && desired.presence === undefined ? keepPresence : () => desired.presence,
            // Beacon lists are a standing fact of the store (its staff, its fixtures), like the
            // software: kept unless a push gives them; `beacons: {}` clears them.
            beacons: (current: GatewayRemoteConfig | null) => desired.beacons ?? keepBeacons(current),
            software: (current: GatewayRemoteConfig | null) => desired.software ?? keepSoftware(current),
          })),
          ...others.map((gateway) => ({ gateway, presence: keepPresence, software: keepSoftware })),
        ],
        zones,
        actor,
      );
      if (failed.length > 0)
        return refuse(
          "BROKER_UNAVAILABLE",
          `${failed.map((f) => `revision ${f.revision} of gateway ${f.gatewayId}`).join(", ")} is stored but the broker ` +
            "did not take it; it is published again every few seconds until it does",
        );
      return done(stored.filter((r) => targetIds.has(r.gatewayId)));
    };
    return this.serialised(run);
  }

  /** The store's zones that are valid zones (rows written before zones were validated are skipped). */
  private async storeZones(storeId: string): Promise<Zone[]> {
    const zones: Zone[] = [];
    for (const record of await this.o.zones.listZones(storeId)) {
      const checked = zoneChecker.check(record.geometry);
      if (checked.ok) zones.push(checked.value);
      else this.o.log.warn({ storeId, zoneId: record.id }, "stored zone is not a valid zone; not pushed");
    }
    return zones;
  }

  /**
   * Stores each target's next desired config, then publishes them; a publish that fails is kept
   * for the sweep. Storing all first means a broker failure never leaves a gateway without the
   * store's current zones in its desired config.
   */
  private async storeAndPublish(
    targets: readonly PushTarget[],
    zones: readonly Zone[],
    actor: string,
  ): Promise<{ stored: { gatewayId: string; revision: number }[]; failed: { gatewayId: string; revision: number }[] }> {
    const configs: { gateway: PushTarget["gateway"]; config: GatewayRemoteConfig }[] = [];
    for (const { gateway, presence, software, beacons = keepBeacons } of targets) {
      const storeBeacon = await this.o.storeBeacon?.(gateway.storeId);
      const config = await this.o.fleet.putDesiredConfig(
        gateway.id,
        (current) => {
          const tuning = presence(current.desired);
          const target = software(current.desired);
          const lists = beacons(current.desired);
          return remoteConfig(
            {
              zones: [...zones],
              ...(tuning === undefined ? {} : { presence: tuning }),
              ...(target === undefined ? {} : { software: target }),
              ...(lists === undefined ? {} : { beacons: lists }),
              ...(storeBeacon === undefined ? {} : { storeBeacon }),
            },
            nextRevision(current.desiredRevision, current.reportedRevision),
          );
        },
        this.o.clock.now(),
      );
      await this.o.audit.audit({
        at: this.o.clock.now(),
        actor,
        action: "gateway.config.push",
        target: `gateway:${gateway.id}`,
        detail: { revision: config.revision, zones: config.zones.length, ...(config.software ? { release: config.software.release } : {}) },
      });
      configs.push({ gateway, config });
    }
    const failed: { gatewayId: string; revision: number }[] = [];
    for (const { gateway, config } of configs) {
      const ref = { storeId: gateway.storeId, gatewayId: gateway.id, revision: config.revision };
      try {
        await this.o.bus.publish(gatewayTopic(gateway.storeId, gateway.id, "config"), encodeMessage(config), {
          qos: 1,
          retain: true,
        });
      } catch (err) {
        this.counters.configPushes.failed++;
        this.unpublished.add(gateway.id);
        this.o.log.warn({ err, ...ref }, "config not published");
        failed.push({ gatewayId: gateway.id, revision: config.revision });
        continue;
      }
      this.unpublished.delete(gateway.id);
      this.counters.configPushes.published++;
      this.o.log.info(ref, "config pushed");
    }
    return { stored: configs.map((c) => ({ gatewayId: c.gateway.id, revision: c.config.revision })), failed };
  }

  /** Runs `work` after every push before it, so revisions reach the broker in order. */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.pushes.then(work, work);
    this.pushes = next.catch(() => undefined);
    return next;
  }

  /** Publishes every stored desired config again (retained), e.g. after an embedded broker restart. */
  republish(): Promise<number> {
    return this.serialised(() => this.publishDesired(null));
  }

  /** Publishes the desired configs of `only` (or of every gateway); returns how many went out. */
  private async publishDesired(only: ReadonlySet<string> | null): Promise<number> {
    const configs = (await this.o.fleet.desiredConfigs()).filter((c) => only === null || only.has(c.gatewayId));
    let published = 0;
    for (const { storeId, gatewayId, config } of configs) {
      try {
        await this.o.bus.publish(gatewayTopic(storeId, gatewayId, "config"), encodeMessage(config), {
          qos: 1,
          retain: true,
        });
        published++;
        this.unpublished.delete(gatewayId);
      } catch (err) {
        this.unpublished.add(gatewayId);
        this.o.log.warn({ err, storeId, gatewayId, revision: config.revision }, "desired config not re-published");
      }
    }
    if (configs.length > 0) this.o.log.info({ published, of: configs.length }, "desired configs re-published");
    return published;
  }

  /** Gateways by state and how many are offline too long, for metrics. */
  async summary(): Promise<{ byState: Record<GatewayState, number>; offlineTooLong: number; configs: Record<ConfigView["state"], number> }> {
    const byState: Record<GatewayState, number> = { online: 0, degraded: 0, offline: 0, unknown: 0 };
    const configs: Record<ConfigView["state"], number> = { none: 0, pending: 0, applied: 0, rejected: 0 };
    let offlineTooLong = 0;
    for (const view of await this.list({})) {
      byState[view.state]++;
      configs[view.config.state]++;
      if (view.offlineTooLong) offlineTooLong++;
    }
    return { byState, offlineTooLong, configs };
  }
}

function takeoversOf(
  entry: { storeId: string; count: number; lastAt: number } | undefined,
  storeId: string,
): { takeovers: number; lastTakeoverAt: number | null } {
  return entry && entry.storeId === storeId
    ? { takeovers: entry.count, lastTakeoverAt: entry.lastAt }
    : { takeovers: 0, lastTakeoverAt: null };
}
