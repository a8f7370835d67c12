import type {
  DirectoryRepository,
  GatewayRecord,
  Organisation,
  OrganisationStatus,
  StoreDetails,
  StoreRecord,
  ZoneRecord,
} from "../../services/repositories.js";
import type { SharedSqlDatabase } from "./SqlDatabase.js";

interface StoreRow {
  id: string;
  org_id: string;
  name: string;
  timezone: string;
  lat: number | null;
  lon: number | null;
  tags: string;
}
interface ZoneRow {
  id: string;
  store_id: string;
  name: string;
  tags: string;
  geometry: string;
}

const toStore = (r: StoreRow): StoreRecord => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  timezone: r.timezone,
  lat: r.lat,
  lon: r.lon,
  tags: JSON.parse(r.tags) as string[],
});
const toZone = (r: ZoneRow): ZoneRecord => ({
  id: r.id,
  storeId: r.store_id,
  name: r.name,
  tags: JSON.parse(r.tags) as string[],
  geometry: JSON.parse(r.geometry) as unknown,
});

interface OrganisationStatusRow {
  id: string;
  name: string;
  created_at: number;
  suspended_at: number | null;
}
const toOrganisationStatus = (r: OrganisationStatusRow): OrganisationStatus => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  suspendedAt: r.suspended_at,
});

const toDetails = (row: StoreRow & { address: string | null }): StoreDetails => ({
  ...toStore(row),
  address: row.address,
});

/** Organisations, stores, zones and gateways in SQL (SQLite or PostgreSQL): every read and write of those tables. */
export class SqlDirectoryRepository implements DirectoryRepository {
  constructor(private readonly db: SharedSqlDatabase) {}

  async upsertOrganisation(org: Organisation, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO organisations (id, name, max_offers_per_user_per_day, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, max_offers_per_user_per_day = excluded.max_offers_per_user_per_day`,
      [org.id, org.name, org.maxOffersPerUserPerDay, now],
    );
  }

  async directoryChanges(): Promise<number> {
    // Kept by triggers on organisations, stores, zones and app_users (SQLite migration 11,
    // PostgreSQL migration 1).
    const row = await this.db.get<{ changes: number }>("SELECT changes FROM directory_changes WHERE id = 1");
    return row?.changes ?? 0;
  }

  async getOrganisation(id: string): Promise<Organisation | null> {
    const row = await this.db.get<{ id: string; name: string; max: number }>(
      "SELECT id, name, max_offers_per_user_per_day AS max FROM organisations WHERE id = ?",
      [id],
    );
    return row ? { id: row.id, name: row.name, maxOffersPerUserPerDay: row.max } : null;
  }

  async listOrganisations(): Promise<Organisation[]> {
    const rows = await this.db.all<{ id: string; name: string; max: number }>(
      "SELECT id, name, max_offers_per_user_per_day AS max FROM organisations ORDER BY id",
    );
    return rows.map((row) => ({ id: row.id, name: row.name, maxOffersPerUserPerDay: row.max }));
  }

  async createOrganisation(org: Organisation, now: number): Promise<boolean> {
    const result = await this.db.run(
      "INSERT INTO organisations (id, name, max_offers_per_user_per_day, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      [org.id, org.name, org.maxOffersPerUserPerDay, now],
    );
    return result.changes > 0;
  }

  async getOrganisationStatus(id: string): Promise<OrganisationStatus | null> {
    const row = await this.db.get<OrganisationStatusRow>(
      "SELECT id, name, created_at, suspended_at FROM organisations WHERE id = ?",
      [id],
    );
    return row ? toOrganisationStatus(row) : null;
  }

  async listOrganisationStatuses(): Promise<OrganisationStatus[]> {
    const rows = await this.db.all<OrganisationStatusRow>(
      "SELECT id, name, created_at, suspended_at FROM organisations ORDER BY id",
    );
    return rows.map(toOrganisationStatus);
  }

  async setOrganisationSuspended(id: string, suspendedAt: number | null): Promise<boolean> {
    const result = await this.db.run(
      suspendedAt === null
        ? "UPDATE organisations SET suspended_at = NULL WHERE id = ? AND suspended_at IS NOT NULL"
        : "UPDATE organisations SET suspended_at = ? WHERE id = ? AND suspended_at IS NULL",
      suspendedAt === null ? [id] : [suspendedAt, id],
    );
    return result.changes > 0;
  }

  async upsertStore(store: StoreRecord, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO stores (id, org_id, name, timezone, lat, lon, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, lat = excluded.lat,
         lon = excluded.lon, tags = excluded.tags`,
      [
        store.id,
        store.orgId,
        store.name,
        store.timezone,
        store.lat,
        store.lon,
        JSON.stringify(store.tags),
        now,
      ],
    );
  }

  async getStore(id: string): Promise<StoreRecord | null> {
    const row = await this.db.get<StoreRow>("SELECT * FROM stores WHERE id = ?", [id]);
    return row ? toStore(row) : null;
  }

  async upsertZone(zone: ZoneRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO zones (id, store_id, name, tags, geometry) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(store_id, id) DO UPDATE SET name = excluded.name, tags = excluded.tags, geometry = excluded.geometry`,
      [zone.id, zone.storeId, zone.name, JSON.stringify(zone.tags), JSON.stringify(zone.geometry)],
    );
  }

  async getZone(storeId: string, zoneId: string): Promise<ZoneRecord | null> {
    const row = await this.db.get<ZoneRow>("SELECT * FROM zones WHERE store_id = ? AND id = ?", [
      storeId,
      zoneId,
    ]);
    return row ? toZone(row) : null;
  }

  async listZones(storeId: string): Promise<ZoneRecord[]> {
    const rows = await this.db.all<ZoneRow>("SELECT * FROM zones WHERE store_id = ? ORDER BY id", [storeId]);
    return rows.map(toZone);
  }

  async upsertGateway(gateway: GatewayRecord, now: number): Promise<"created" | "renamed" | "taken"> {
    // Each statement decides on its own, so a check made before (by a concurrent request) cannot
    // let one store's registration move another store's gateway.
    const inserted = await this.db.run(
      "INSERT INTO gateways (id, store_id, name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      [gateway.id, gateway.storeId, gateway.name, now],
    );
    if (inserted.changes === 1) return "created";
    const renamed = await this.db.run("UPDATE gateways SET name = ? WHERE id = ? AND store_id = ?", [
      gateway.name,
      gateway.id,
      gateway.storeId,
    ]);
    return renamed.changes === 1 ? "renamed" : "taken";
  }

  async getGateway(id: string): Promise<GatewayRecord | null> {
    const row = await this.db.get<{ id: string; store_id: string; name: string }>(
      "SELECT id, store_id, name FROM gateways WHERE id = ?",
      [id],
    );
    return row ? { id: row.id, storeId: row.store_id, name: row.name } : null;
  }

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
      `INSERT INTO stores (id, org_id, name, timezone, lat, lon, tags, address, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
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
      "INSERT INTO zones (id, store_id, name, tags, geometry) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
}
