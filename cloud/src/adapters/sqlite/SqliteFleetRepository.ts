import type { CalibrationReport, GatewayRemoteConfig, Telemetry, UpdateReport } from "../../../../protocol/index.js";
import type { ReportedConfig } from "../../domain/fleet/index.js";
import type {
  AdvertisingReport,
  CurrentDesiredConfig,
  DesiredConfigRecord,
  FleetGatewayRecord,
  FleetRepository,
  GatewayRef,
  RolloutRecord,
  StatusUpdate,
  TelemetryRange,
  TelemetryUpdate,
} from "../../services/repositories.js";
import type { SqliteDatabase, SqlValue } from "./SqliteDatabase.js";

interface FleetRow {
  id: string;
  store_id: string;
  name: string;
  status: string | null;
  offline_since: number | null;
  last_seen_at: number | null;
  version: string | null;
  telemetry: string | null;
  reported_config: string | null;
  desired_revision: number | null;
  scan_state: string | null;
  last_advert_at: number | null;
  update_report: string | null;
  advertising: string | null;
  calibration: string | null;
  telemetry_at: number | string | null;
}

const COLUMNS =
  "g.id, g.store_id, g.name, g.status, g.offline_since, g.last_seen_at, g.version, g.telemetry, g.reported_config, g.desired_revision, g.scan_state, g.last_advert_at, g.update_report, g.advertising, g.calibration, g.telemetry_at";

function toRecord(r: FleetRow): FleetGatewayRecord {
  return {
    id: r.id,
    storeId: r.store_id,
    name: r.name,
    reportedState: r.status === "online" || r.status === "offline" ? r.status : null,
    offlineSince: r.offline_since,
    lastSeenAt: r.last_seen_at,
    version: r.version,
    telemetry: r.telemetry === null ? null : (JSON.parse(r.telemetry) as Telemetry),
    reportedConfig: r.reported_config === null ? null : (JSON.parse(r.reported_config) as ReportedConfig),
    desiredRevision: r.desired_revision,
    scan:
      r.scan_state === "scanning" || r.scan_state === "interrupted"
        ? { state: r.scan_state, lastAdvertAt: r.last_advert_at }
        : null,
    update: r.update_report === null ? null : (JSON.parse(r.update_report) as UpdateReport),
    advertising: r.advertising === null ? null : (JSON.parse(r.advertising) as AdvertisingReport),
    calibration: r.calibration === null ? null : (JSON.parse(r.calibration) as CalibrationReport),
    telemetryAt: r.telemetry_at === null ? null : Number(r.telemetry_at),
  };
}

interface RolloutRow {
  store_id: string;
  release: string;
  url: string;
  sha256: string;
  canary_share: number;
  health_gate_ms: number;
  paused: number;
  created_at: number;
  updated_at: number;
}

const toRollout = (r: RolloutRow): RolloutRecord => ({
  storeId: r.store_id,
  release: r.release,
  url: r.url,
  sha256: r.sha256,
  canaryShare: r.canary_share,
  healthGateMs: r.health_gate_ms,
  paused: r.paused === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Fleet state in the `gateways` table (migration 5) and the `gateway_telemetry` history. */
export class SqliteFleetRepository implements FleetRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async listFleet(filter: { readonly orgId?: string; readonly storeId?: string }): Promise<FleetGatewayRecord[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.orgId !== undefined) {
      where.push("s.org_id = ?");
      params.push(filter.orgId);
    }
    if (filter.storeId !== undefined) {
      where.push("g.store_id = ?");
      params.push(filter.storeId);
    }
    const rows = await this.db.all<FleetRow>(
      `SELECT ${COLUMNS} FROM gateways g JOIN stores s ON s.id = g.store_id
       ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY g.store_id, g.id`,
      params,
    );
    return rows.map(toRecord);
  }

  async getFleetGateway(gatewayId: string): Promise<FleetGatewayRecord | null> {
    const row = await this.db.get<FleetRow>(`SELECT ${COLUMNS} FROM gateways g WHERE g.id = ?`, [gatewayId]);
    return row ? toRecord(row) : null;
  }

  async putRollout(r: Omit<RolloutRecord, "paused" | "createdAt" | "updatedAt">, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO rollouts (store_id, release, url, sha256, canary_share, health_gate_ms, paused, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
       ON CONFLICT(store_id) DO UPDATE SET release = excluded.release, url = excluded.url, sha256 = excluded.sha256,
         canary_share = excluded.canary_share, health_gate_ms = excluded.health_gate_ms, paused = 0,
         created_at = excluded.created_at, updated_at = excluded.updated_at`,
      [r.storeId, r.release, r.url, r.sha256, r.canaryShare, r.healthGateMs, now, now],
    );
  }

  async getRollout(storeId: string): Promise<RolloutRecord | null> {
    const row = await this.db.get<RolloutRow>("SELECT * FROM rollouts WHERE store_id = ?", [storeId]);
    return row ? toRollout(row) : null;
  }

  async listRollouts(): Promise<RolloutRecord[]> {
    return (await this.db.all<RolloutRow>("SELECT * FROM rollouts ORDER BY store_id")).map(toRollout);
  }

  async setRolloutPaused(storeId: string, paused: boolean, now: number): Promise<boolean> {
    const result = await this.db.run("UPDATE rollouts SET paused = ?, updated_at = ? WHERE store_id = ?", [paused ? 1 : 0, now, storeId]);
    return result.changes > 0;
  }

  async recordStatus(u: StatusUpdate): Promise<boolean> {
    // An online status is the gateway's whole word on its config: without one it runs none (a
    // replaced SD card), so the earlier report goes. An offline status says nothing about it.
    const result =
      u.state === "online"
        ? await this.db.run(
            `UPDATE gateways SET status = 'online', status_at = ?, offline_since = NULL,
               last_seen_at = MAX(COALESCE(last_seen_at, 0), ?),
               version = COALESCE(?, version), reported_config = ?, scan_state = ?, last_advert_at = ?,
               update_report = ?, advertising = ?, calibration = ?
             WHERE id = ? AND store_id = ?`,
            [
              u.receivedAt,
              u.receivedAt,
              u.version ?? null,
              u.config ? JSON.stringify(u.config) : null,
              u.scan?.state ?? null,
              u.scan?.lastAdvertAt ?? null,
              u.update ? JSON.stringify(u.update) : null,
              u.advertising ? JSON.stringify(u.advertising) : null,
              u.calibration ? JSON.stringify(u.calibration) : null,
              u.gatewayId,
              u.storeId,
            ],
          )
        : // The last will is the broker's message, not the gateway's: it does not move last seen.
          // A second offline status (will after a clean stop) keeps the first one's time.
          await this.db.run(
            `UPDATE gateways SET
               offline_since = CASE WHEN status = 'offline' AND offline_since IS NOT NULL THEN offline_since ELSE ? END,
               status = 'offline', status_at = ?,
               version = COALESCE(?, version), reported_config = COALESCE(?, reported_config)
             WHERE id = ? AND store_id = ?`,
            [
              u.receivedAt,
              u.receivedAt,
              u.version ?? null,
              u.config ? JSON.stringify(u.config) : null,
              u.gatewayId,
              u.storeId,
            ],
          );
    return result.changes > 0;
  }

  recordTelemetry(u: TelemetryUpdate): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Telemetry comes only over a live connection: a gateway shown offline is back (its online
      // status may have been published before this cloud subscribed).
      const updated = await tx.run(
        `UPDATE gateways SET telemetry = ?, telemetry_at = ?, version = ?,
           last_seen_at = MAX(COALESCE(last_seen_at, 0), ?),
           status = 'online', offline_since = NULL
         WHERE id = ? AND store_id = ?`,
        [JSON.stringify(u.telemetry), u.receivedAt, u.telemetry.version, u.receivedAt, u.gatewayId, u.storeId],
      );
      if (updated.changes === 0) return false;
      await tx.run(
        `INSERT INTO gateway_telemetry (gateway_id, received_at, sample)
         SELECT ?, ?, ? WHERE NOT EXISTS (
           SELECT 1 FROM gateway_telemetry WHERE gateway_id = ? AND received_at > ? AND received_at <= ?)`,
        [u.gatewayId, u.receivedAt, JSON.stringify(u.telemetry), u.gatewayId, u.receivedAt - u.minSpacingMs, u.receivedAt],
      );
      return true;
    });
  }

  async recordHeard(entries: readonly (GatewayRef & { readonly at: number })[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const e of entries) {
        await tx.run(
          "UPDATE gateways SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE id = ? AND store_id = ?",
          [e.at, e.gatewayId, e.storeId],
        );
      }
    });
  }

  putDesiredConfig(
    gatewayId: string,
    build: (current: CurrentDesiredConfig) => GatewayRemoteConfig,
    now: number,
  ): Promise<GatewayRemoteConfig> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{
        desired_revision: number | null;
        desired_config: string | null;
        reported_config: string | null;
      }>(
        "SELECT desired_revision, desired_config, reported_config FROM gateways WHERE id = ?",
        [gatewayId],
      );
      if (!row) throw new Error(`gateway ${gatewayId} is not registered`);
      const reported = row.reported_config === null ? null : (JSON.parse(row.reported_config) as ReportedConfig);
      const config = build({
        desiredRevision: row.desired_revision,
        reportedRevision: reported?.revision ?? null,
        desired: row.desired_config === null ? null : (JSON.parse(row.desired_config) as GatewayRemoteConfig),
      });
      await tx.run("UPDATE gateways SET desired_config = ?, desired_revision = ?, desired_at = ? WHERE id = ?", [
        JSON.stringify(config),
        config.revision,
        now,
        gatewayId,
      ]);
      return config;
    });
  }

  async desiredConfigs(): Promise<DesiredConfigRecord[]> {
    const rows = await this.db.all<{ id: string; store_id: string; desired_config: string }>(
      "SELECT id, store_id, desired_config FROM gateways WHERE desired_config IS NOT NULL ORDER BY store_id, id",
    );
    return rows.map((r) => ({
      storeId: r.store_id,
      gatewayId: r.id,
      config: JSON.parse(r.desired_config) as GatewayRemoteConfig,
    }));
  }

  async telemetryHistory(gatewayId: string, range: TelemetryRange): Promise<Telemetry[]> {
    const rows = await this.db.all<{ sample: string }>(
      `SELECT sample FROM (
         SELECT sample, received_at, rowid FROM gateway_telemetry
         WHERE gateway_id = ? AND received_at >= ? AND received_at <= ?
         ORDER BY received_at DESC, rowid DESC LIMIT ?)
       ORDER BY received_at, rowid`,
      [gatewayId, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER, range.limit],
    );
    return rows.map((r) => JSON.parse(r.sample) as Telemetry);
  }

  async pruneTelemetry(before: number): Promise<number> {
    const result = await this.db.run("DELETE FROM gateway_telemetry WHERE received_at < ?", [before]);
    return result.changes;
  }
}
