import type { MqttIdentity } from "../../domain/access/mqttAccess.js";
import type {
  ApiKeyRecord,
  ApiRole,
  CredentialRepository,
  MqttAccount,
  MqttCredentialRecord,
  OperatorKeyRecord,
  StoreDeviceCredential,
} from "../../services/repositories.js";
import type { SharedSqlDatabase } from "./SqlDatabase.js";

/** The columns of `mqtt_credentials` an identity is read from. */
interface CredentialRow {
  readonly username: string;
  readonly role: MqttIdentity["role"];
  readonly store_id: string | null;
  readonly gateway_id: string | null;
  readonly user_id: string | null;
  readonly device_id: string | null;
}

/** A stored credential's identity, or null for a row that names none completely. */
function identityOf(row: CredentialRow): MqttIdentity | null {
  if (row.role === "gateway" && row.store_id && row.gateway_id) {
    return { role: "gateway", storeId: row.store_id, gatewayId: row.gateway_id };
  }
  if (row.role === "store" && row.store_id && row.device_id) {
    return { role: "store", storeId: row.store_id, deviceId: row.device_id };
  }
  if (row.role === "app" && row.user_id) return { role: "app", userId: row.user_id };
  if (row.role === "service") return { role: "service", name: row.username };
  return null;
}

/**
 * API keys and MQTT credentials in SQLite or PostgreSQL (the same statements on both), as hashes;
 * revocation sets `revoked_at`.
 */
export class SqlCredentialRepository implements CredentialRepository {
  constructor(private readonly db: SharedSqlDatabase) {}

  async putMqttCredential(record: Omit<MqttCredentialRecord, "revokedAt">, now: number): Promise<void> {
    const { identity } = record;
    await this.db.run(
      `INSERT INTO mqtt_credentials (username, secret_hash, role, store_id, gateway_id, user_id, device_id, created_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT(username) DO UPDATE SET secret_hash = excluded.secret_hash, role = excluded.role,
         store_id = excluded.store_id, gateway_id = excluded.gateway_id, user_id = excluded.user_id,
         device_id = excluded.device_id, revoked_at = NULL`,
      [
        record.username,
        record.secretHash,
        identity.role,
        identity.role === "gateway" || identity.role === "store" ? identity.storeId : null,
        identity.role === "gateway" ? identity.gatewayId : null,
        identity.role === "app" ? identity.userId : null,
        identity.role === "store" ? identity.deviceId : null,
        now,
      ],
    );
  }

  async getMqttCredential(username: string): Promise<MqttCredentialRecord | null> {
    const row = await this.db.get<CredentialRow & { secret_hash: string; revoked_at: number | null }>(
      "SELECT * FROM mqtt_credentials WHERE username = ?",
      [username],
    );
    const identity = row ? identityOf(row) : null;
    if (!row || !identity) return null;
    return { username: row.username, secretHash: row.secret_hash, identity, revokedAt: row.revoked_at };
  }

  async liveMqttAccounts(after: string | null, limit: number): Promise<MqttAccount[]> {
    // Keyset paging on the primary key: each page is one index range however large the fleet.
    // Every username is non-empty, so "" starts before the first.
    let cursor = after ?? "";
    const accounts: MqttAccount[] = [];
    for (;;) {
      const rows = await this.db.all<CredentialRow>(
        `SELECT username, role, store_id, gateway_id, user_id, device_id FROM mqtt_credentials
         WHERE username > ? AND revoked_at IS NULL ORDER BY username LIMIT ?`,
        [cursor, limit],
      );
      for (const row of rows) {
        const identity = identityOf(row);
        if (identity) accounts.push({ username: row.username, identity });
      }
      // An empty page means the end: a range of rows naming no complete identity is read past,
      // not answered as an empty page that would end the caller's paging before the rest.
      const last = rows[rows.length - 1];
      if (accounts.length > 0 || rows.length < limit || last === undefined) return accounts;
      cursor = last.username;
    }
  }

  async revokeMqttCredential(username: string, now: number): Promise<boolean> {
    const result = await this.db.run(
      "UPDATE mqtt_credentials SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
      [now, username],
    );
    return result.changes > 0;
  }

  async revokedMqttCredentialsSince(since: number): Promise<{ username: string; revokedAt: number }[]> {
    const rows = await this.db.all<{ username: string; revoked_at: number }>(
      "SELECT username, revoked_at FROM mqtt_credentials WHERE revoked_at >= ? ORDER BY revoked_at",
      [since],
    );
    return rows.map((r) => ({ username: r.username, revokedAt: r.revoked_at }));
  }

  async putApiKey(record: Omit<ApiKeyRecord, "revokedAt">, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO api_keys (id, secret_hash, role, org_id, store_id, user_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        record.id,
        record.secretHash,
        record.role,
        record.orgId,
        record.storeId,
        record.userId,
        record.label,
        now,
      ],
    );
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | null> {
    const row = await this.db.get<{
      id: string;
      secret_hash: string;
      role: ApiRole;
      org_id: string;
      store_id: string | null;
      user_id: string | null;
      label: string;
      revoked_at: number | null;
    }>("SELECT * FROM api_keys WHERE id = ?", [id]);
    return row
      ? {
          id: row.id,
          secretHash: row.secret_hash,
          role: row.role,
          orgId: row.org_id,
          storeId: row.store_id,
          userId: row.user_id,
          label: row.label,
          revokedAt: row.revoked_at,
        }
      : null;
  }

  async revokeApiKey(id: string, now: number): Promise<boolean> {
    const result = await this.db.run(
      "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
      [now, id],
    );
    return result.changes > 0;
  }

  async putOperatorKey(record: Omit<OperatorKeyRecord, "revokedAt">, now: number): Promise<void> {
    await this.db.run("INSERT INTO operator_keys (id, secret_hash, label, created_at) VALUES (?, ?, ?, ?)", [
      record.id,
      record.secretHash,
      record.label,
      now,
    ]);
  }

  async getOperatorKey(id: string): Promise<OperatorKeyRecord | null> {
    const row = await this.db.get<{ id: string; secret_hash: string; label: string; revoked_at: number | null }>(
      "SELECT id, secret_hash, label, revoked_at FROM operator_keys WHERE id = ?",
      [id],
    );
    return row ? { id: row.id, secretHash: row.secret_hash, label: row.label, revokedAt: row.revoked_at } : null;
  }

  async revokeOperatorKey(id: string, now: number): Promise<boolean> {
    const result = await this.db.run("UPDATE operator_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [
      now,
      id,
    ]);
    return result.changes > 0;
  }

  async countOperatorKeys(): Promise<number> {
    const row = await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM operator_keys");
    return row?.n ?? 0;
  }

  async apiKeysOfUser(userId: string): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>("SELECT id FROM api_keys WHERE user_id = ? ORDER BY id", [userId]);
    return rows.map((r) => r.id);
  }

  async mqttUsernamesOfUser(userId: string): Promise<string[]> {
    const rows = await this.db.all<{ username: string }>(
      "SELECT username FROM mqtt_credentials WHERE user_id = ? ORDER BY username",
      [userId],
    );
    return rows.map((r) => r.username);
  }

  async mqttUsernamesOfOrganisation(orgId: string): Promise<string[]> {
    const rows = await this.db.all<{ username: string }>(
      `SELECT c.username FROM mqtt_credentials c
         LEFT JOIN stores s ON c.role IN ('gateway', 'store') AND s.id = c.store_id
         LEFT JOIN app_users u ON c.role = 'app' AND u.id = c.user_id
       WHERE c.revoked_at IS NULL AND (s.org_id = ? OR u.org_id = ?)
       ORDER BY c.username`,
      [orgId, orgId],
    );
    return rows.map((r) => r.username);
  }

  async storeDeviceCredentials(storeId: string): Promise<StoreDeviceCredential[]> {
    const rows = await this.db.all<{ username: string; device_id: string; created_at: number; revoked_at: number | null }>(
      `SELECT username, device_id, created_at, revoked_at FROM mqtt_credentials
       WHERE role = 'store' AND store_id = ? AND device_id IS NOT NULL ORDER BY device_id`,
      [storeId],
    );
    return rows.map((r) => ({
      deviceId: r.device_id,
      username: r.username,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
  }

  async organisationOfMqtt(username: string): Promise<string | null> {
    const row = await this.db.get<{ org_id: string | null }>(
      `SELECT COALESCE(s.org_id, u.org_id) AS org_id FROM mqtt_credentials c
         LEFT JOIN stores s ON c.role IN ('gateway', 'store') AND s.id = c.store_id
         LEFT JOIN app_users u ON c.role = 'app' AND u.id = c.user_id
       WHERE c.username = ?`,
      [username],
    );
    return row?.org_id ?? null;
  }
}
