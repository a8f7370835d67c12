import type { CalibrationReport, GatewayRemoteConfig, GatewayStatus, Telemetry, UpdateReport } from "../../../../protocol/index.js";

/** The store beacon a gateway reported advertising (its status's `advertising`). */
export type AdvertisingReport = NonNullable<GatewayStatus["advertising"]>;
import type { ReportedConfig } from "../../domain/fleet/index.js";

/**
 * Storage port of fleet operation: what the cloud last heard from each gateway and the config it
 * wants each one to run. Times are epoch ms of the cloud's clock (receipt), never the gateway's.
 */

export interface FleetGatewayRecord {
  readonly id: string;
  readonly storeId: string;
  readonly name: string;
  /** State of the last status message, or online when telemetry came after an offline one. */
  readonly reportedState: "online" | "offline" | null;
  readonly offlineSince: number | null;
  readonly lastSeenAt: number | null;
  readonly version: string | null;
  readonly telemetry: Telemetry | null;
  readonly reportedConfig: ReportedConfig | null;
  readonly desiredRevision: number | null;
  /** The radio as the last online status reported it; null when it did not say (older gateways). */
  readonly scan: ScanRecord | null;
  /** The last software update as the last online status reported it; null when it did not say. */
  readonly update: UpdateReport | null;
  /** The store beacon it advertises, as the last online status reported it; null when it did not say. */
  readonly advertising: AdvertisingReport | null;
  /** Its presence calibration, as the last online status reported it; null when it did not say. */
  readonly calibration: CalibrationReport | null;
  /** When the latest telemetry sample was received (cloud clock, epoch ms); null before the first. */
  readonly telemetryAt: number | null;
}

/** A gateway's radio: whether it scans, and when it last heard an advert (cloud clock, epoch ms). */
export interface ScanRecord {
  readonly state: "scanning" | "interrupted";
  readonly lastAdvertAt: number | null;
}

export interface GatewayRef {
  readonly storeId: string;
  readonly gatewayId: string;
}

export interface StatusUpdate extends GatewayRef {
  readonly state: "online" | "offline";
  readonly receivedAt: number;
  /** Software version, when the status carries one. */
  readonly version?: string;
  /**
   * Outcome of the last remote config, when the status carries one. An online status without one
   * means the gateway runs no remote config (the report is cleared); an offline one keeps it.
   */
  readonly config?: ReportedConfig;
  /** The radio, when an online status carries it; an online status without it clears it. */
  readonly scan?: ScanRecord;
  /** The last software update, when an online status carries it; an online status without it clears it. */
  readonly update?: UpdateReport;
  /** The store beacon, when an online status carries it; an online status without it clears it. */
  readonly advertising?: AdvertisingReport;
  /** The presence calibration, when an online status carries it; an online status without it clears it. */
  readonly calibration?: CalibrationReport;
}

export interface TelemetryUpdate extends GatewayRef {
  readonly telemetry: Telemetry;
  readonly receivedAt: number;
  /** No history sample is added when one was added less than this long ago (the latest is always kept). */
  readonly minSpacingMs: number;
}

export interface TelemetryRange {
  /** Inclusive bounds on receipt time, epoch ms. */
  readonly from?: number;
  readonly to?: number;
  /** The most recent `limit` samples of the range are returned, oldest first. */
  readonly limit: number;
}

export interface DesiredConfigRecord extends GatewayRef {
  readonly config: GatewayRemoteConfig;
}

/** What a new desired config is built from, read in the same transaction that stores it. */
export interface CurrentDesiredConfig {
  readonly desiredRevision: number | null;
  readonly reportedRevision: number | null;
  /** The desired config stored now (its presence tuning is kept when only the zones change). */
  readonly desired: GatewayRemoteConfig | null;
}

/** A store's software rollout (see `planRollout`): the release, where it is, and its stages. */
export interface RolloutRecord {
  readonly storeId: string;
  /** `VERSION-HASH`, as install-release.sh names it. */
  readonly release: string;
  readonly url: string;
  readonly sha256: string;
  /** Share of the store's gateways that go first, 0 < share ≤ 1. */
  readonly canaryShare: number;
  /** How long the canaries must run it healthy before the rest go, ms. */
  readonly healthGateMs: number;
  readonly paused: boolean;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface FleetRepository {
  /** Gateways of an organisation (optionally one store), or of every organisation; ordered by store and id. */
  listFleet(filter: { readonly orgId?: string; readonly storeId?: string }): Promise<FleetGatewayRecord[]>;
  getFleetGateway(gatewayId: string): Promise<FleetGatewayRecord | null>;
  /** False when no gateway of that id is registered in that store (nothing is stored then). */
  recordStatus(update: StatusUpdate): Promise<boolean>;
  /** Latest sample, last seen, version, and a history sample; false when the gateway is not registered. */
  recordTelemetry(update: TelemetryUpdate): Promise<boolean>;
  /** Moves last-seen times forward (never back); unknown gateways are skipped. */
  recordHeard(entries: readonly (GatewayRef & { readonly at: number })[]): Promise<void>;
  /**
   * Stores the next desired config of a gateway, built from its current desired and reported
   * revisions inside one transaction, so two pushes can never get the same revision.
   */
  putDesiredConfig(
    gatewayId: string,
    build: (current: CurrentDesiredConfig) => GatewayRemoteConfig,
    now: number,
  ): Promise<GatewayRemoteConfig>;
  /** Starts (or replaces) the store's rollout; a new one starts unpaused. */
  putRollout(rollout: Omit<RolloutRecord, "paused" | "createdAt" | "updatedAt">, now: number): Promise<void>;
  getRollout(storeId: string): Promise<RolloutRecord | null>;
  /** Every rollout, by store. */
  listRollouts(): Promise<RolloutRecord[]>;
  /** False when the store has no rollout. */
  setRolloutPaused(storeId: string, paused: boolean, now: number): Promise<boolean>;
  /** Every gateway's desired config (to publish again after a restart). */
  desiredConfigs(): Promise<DesiredConfigRecord[]>;
  telemetryHistory(gatewayId: string, range: TelemetryRange): Promise<Telemetry[]>;
  /** Deletes history samples received before `before`; returns how many. */
  pruneTelemetry(before: number): Promise<number>;
}
