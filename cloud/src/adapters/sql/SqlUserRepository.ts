import { reachableQuery } from "./reachable.js";
import type { AppUser, RegisteredDevice, UserRepository } from "../../services/repositories.js";
import type { SharedSqlDatabase } from "./SqlDatabase.js";

/** A row of `app_users` as both backends read it. */
export interface UserRow {
  id: string;
  org_id: string;
  display_name: string | null;
  segments: string;
  loyalty_tier: string | null;
  marketing_consent: number;
  analytics_consent: number;
}
interface DeviceRow {
  subject_id: string;
  user_id: string;
  label: string | null;
  identity: string | null;
  created_at: number;
}

/** An `app_users` row as the user it stores. */
export const toUser = (r: UserRow): AppUser => ({
  id: r.id,
  orgId: r.org_id,
  displayName: r.display_name,
  segments: JSON.parse(r.segments) as string[],
  loyaltyTier: r.loyalty_tier,
  marketingConsent: r.marketing_consent === 1,
  analyticsConsent: r.analytics_consent === 1,
});

const toDevice = (row: DeviceRow): RegisteredDevice => ({
  subjectId: row.subject_id,
  userId: row.user_id,
  label: row.label,
  identity: row.identity === null ? null : (JSON.parse(row.identity) as unknown),
  createdAt: row.created_at,
});

/**
 * App users and their registered devices in SQLite or PostgreSQL, the same statements on both
 * (each organisation has its own device registry).
 */
export class SqlUserRepository implements UserRepository {
  constructor(private readonly db: SharedSqlDatabase) {}

  async upsertUser(user: AppUser, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO app_users (id, org_id, display_name, segments, loyalty_tier, marketing_consent, analytics_consent,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, segments = excluded.segments,
         loyalty_tier = excluded.loyalty_tier, marketing_consent = excluded.marketing_consent,
         analytics_consent = excluded.analytics_consent, updated_at = excluded.updated_at`,
      [
        user.id,
        user.orgId,
        user.displayName,
        JSON.stringify(user.segments),
        user.loyaltyTier,
        user.marketingConsent ? 1 : 0,
        user.analyticsConsent ? 1 : 0,
        now,
        now,
      ],
    );
  }

  async getUser(id: string): Promise<AppUser | null> {
    const row = await this.db.get<UserRow>("SELECT * FROM app_users WHERE id = ?", [id]);
    return row ? toUser(row) : null;
  }

  async countReachable(orgId: string, audience: { readonly segments?: readonly string[]; readonly tiers?: readonly string[] }): Promise<number> {
    const { sql, params } = reachableQuery(orgId, audience);
    const row = await this.db.get<{ n: number | string }>(sql, params);
    return Number(row?.n ?? 0);
  }

  async usersByIds(ids: readonly string[]): Promise<AppUser[]> {
    const users: AppUser[] = [];
    // 500 a statement: well under SQLite's and PostgreSQL's limits on bound parameters.
    for (let k = 0; k < ids.length; k += 500) {
      const part = ids.slice(k, k + 500);
      const rows = await this.db.all<UserRow>(
        `SELECT * FROM app_users WHERE id IN (${part.map(() => "?").join(", ")})`,
        part,
      );
      users.push(...rows.map(toUser));
    }
    return users;
  }

  async registerDevice(subjectId: string, userId: string, label: string | null, now: number): Promise<void> {
    // In the user's organisation (each has its own registry of beacons).
    const result = await this.db.run(
      `INSERT INTO user_devices (org_id, subject_id, user_id, label, created_at)
       SELECT org_id, ?, id, ?, ? FROM app_users WHERE id = ?
       ON CONFLICT(org_id, subject_id) DO UPDATE SET user_id = excluded.user_id, label = excluded.label`,
      [subjectId, label, now, userId],
    );
    if (result.changes === 0) throw new Error(`user ${userId} does not exist`);
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
}
