import type {
  RegisteredDevice,
  StoreDetails,
  StoreDirectoryRepository,
  ZoneRecord,
} from "../../services/repositories.js";
import type { SqliteDatabase } from "./SqliteDatabase.js";
import { type StoreRow, toStore } from "./SqliteRepository.js";

interface DeviceRow {
  subject_id: string;
  user_id: string;
  label: string | null;
  identity: string | null;
  created_at: number;
}

const toDetails = (row: StoreRow & { address: string | null }): StoreDetails => ({
  ...toStore(row),
  address: row.address,
});

const toDevice = (row: DeviceRow): RegisteredDevice => ({
  subjectId: row.subject_id,
  userId: row.user_id,
  label: row.label,
  identity: row.identity === null ? null : (JSON.parse(row.identity) as unknown),
  createdAt: row.created_at,
});

/** SQLite implementation of the directory API's storage: stores, zones and registered devices. */
export class SqliteDirectoryRepository implements StoreDirectoryRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async listStores(orgId: string, storeId: string | null): Promise<StoreDetails[]> {
    const rows = await this.db.all<StoreRow & { address: string | null }>(
      storeId === null
        ? "SELECT * FROM stores WHERE org_id = ? ORDER BY id"
        : "SELECT * FROM stores WHERE org_id = ? AND id = ? ORDER BY id",
      storeId === null ? [orgId] : [orgId, storeId],
    );
    return rows.map(toDetails);
  }

  async getStoreDetails(id: string): Promise<StoreDetails | null> {
    const row = await this.db.get<StoreRow & { address: string | null }>("SELECT * FROM stores WHERE id = ?", [id]);
    return row ? toDetails(row) : null;
  }

  async createStore(store: StoreDetails, now: number): Promise<boolean> {
    const result = await this.db.run(
      `INSERT OR IGNORE INTO stores (id, org_id, name, timezone, lat, lon, tags, address, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        store.id,
        store.orgId,
        store.name,
        store.timezone,
        store.lat,
        store.lon,
        JSON.stringify(store.tags),
        store.address,
        now,
        now,
      ],
    );
    return result.changes > 0;
  }

  async updateStore(store: StoreDetails, now: number): Promise<void> {
    await this.db.run(
      `UPDATE stores SET name = ?, timezone = ?, lat = ?, lon = ?, tags = ?, address = ?, updated_at = ?
       WHERE id = ? AND org_id = ?`,
      [
        store.name,
        store.timezone,
        store.lat,
        store.lon,
        JSON.stringify(store.tags),
        store.address,
        now,
        store.id,
        store.orgId,
      ],
    );
  }

  async createZone(zone: ZoneRecord): Promise<boolean> {
    const result = await this.db.run(
      "INSERT OR IGNORE INTO zones (id, store_id, name, tags, geometry) VALUES (?, ?, ?, ?, ?)",
      [zone.id, zone.storeId, zone.name, JSON.stringify(zone.tags), JSON.stringify(zone.geometry)],
    );
    return result.changes > 0;
  }

  async deleteZone(storeId: string, zoneId: string): Promise<boolean> {
    const result = await this.db.run("DELETE FROM zones WHERE store_id = ? AND id = ?", [storeId, zoneId]);
    return result.changes > 0;
  }

  replaceZones(
    storeId: string,
    zones: readonly { readonly id: string; readonly name: string; readonly tags?: readonly string[]; readonly geometry: unknown }[],
  ): Promise<void> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<{ id: string; tags: string }>("SELECT id, tags FROM zones WHERE store_id = ?", [storeId]);
      const tagsOf = new Map(rows.map((r) => [r.id, r.tags]));
      await tx.run("DELETE FROM zones WHERE store_id = ?", [storeId]);
      for (const zone of zones)
        await tx.run("INSERT INTO zones (id, store_id, name, tags, geometry) VALUES (?, ?, ?, ?, ?)", [
          zone.id,
          storeId,
          zone.name,
          zone.tags === undefined ? (tagsOf.get(zone.id) ?? "[]") : JSON.stringify(zone.tags),
          JSON.stringify(zone.geometry),
        ]);
    });
  }

  async listDevices(userId: string): Promise<RegisteredDevice[]> {
    const rows = await this.db.all<DeviceRow>(
      "SELECT * FROM user_devices WHERE user_id = ? ORDER BY created_at, subject_id",
      [userId],
    );
    return rows.map(toDevice);
  }

  /**
   * Registers a beacon in its user's organisation. Each organisation has its own registry, so
   * "taken" only ever means another user of the same organisation holds it: whether another
   * retailer registered the same beacon is neither checked nor revealed.
   */
  addDevice(device: Omit<RegisteredDevice, "createdAt">, now: number): Promise<"added" | "exists" | "taken"> {
    return this.db.transaction(async (tx) => {
      const user = await tx.get<{ org_id: string }>("SELECT org_id FROM app_users WHERE id = ?", [device.userId]);
      if (!user) throw new Error(`user ${device.userId} does not exist`);
      const current = await tx.get<{ user_id: string }>(
        "SELECT user_id FROM user_devices WHERE org_id = ? AND subject_id = ?",
        [user.org_id, device.subjectId],
      );
      if (current && current.user_id !== device.userId) return "taken";
      if (current) {
        await tx.run("UPDATE user_devices SET label = ?, identity = ? WHERE org_id = ? AND subject_id = ?", [
          device.label,
          JSON.stringify(device.identity),
          user.org_id,
          device.subjectId,
        ]);
        return "exists";
      }
      await tx.run(
        "INSERT INTO user_devices (org_id, subject_id, user_id, label, identity, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [user.org_id, device.subjectId, device.userId, device.label, JSON.stringify(device.identity), now],
      );
      return "added";
    });
  }

  async removeDevice(userId: string, subjectId: string): Promise<boolean> {
    const result = await this.db.run("DELETE FROM user_devices WHERE user_id = ? AND subject_id = ?", [
      userId,
      subjectId,
    ]);
    return result.changes > 0;
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
}
