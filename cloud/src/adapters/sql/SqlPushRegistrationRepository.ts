import type {
  NewPushRegistration,
  PushProvider,
  PushRegistration,
  PushRegistrationRepository,
} from "../../services/repositories.js";
import type { SharedSqlDatabase } from "./SqlDatabase.js";

interface Row {
  user_id: string;
  installation_id: string;
  org_id: string;
  provider: PushProvider;
  token: string;
  p256dh: string | null;
  auth: string | null;
  environment: "production" | "development" | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = "user_id, installation_id, org_id, provider, token, p256dh, auth, environment, created_at, updated_at";

/** Members whose registrations one statement reads. */
const REGISTRATIONS_PER_READ = 500;

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fromRow(r: Row): PushRegistration {
  return {
    userId: r.user_id,
    installationId: r.installation_id,
    orgId: r.org_id,
    provider: r.provider,
    token: r.token,
    keys: r.p256dh !== null && r.auth !== null ? { p256dh: r.p256dh, auth: r.auth } : null,
    environment: r.environment,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Push registrations in SQLite or PostgreSQL (`push_registrations`: SQLite migration 16, PostgreSQL 6). */
export class SqlPushRegistrationRepository implements PushRegistrationRepository {
  constructor(private readonly db: SharedSqlDatabase) {}

  upsertPushRegistration(
    registration: NewPushRegistration,
    now: number,
  ): Promise<{ registration: PushRegistration; created: boolean }> {
    const r = registration;
    return this.db.transaction(async (tx) => {
      const existing = await tx.get<{ created_at: number }>(
        "SELECT created_at FROM push_registrations WHERE user_id = ? AND installation_id = ?",
        [r.userId, r.installationId],
      );
      // The token now belongs to this installation: any other holder is a stale registration.
      await tx.run(
        "DELETE FROM push_registrations WHERE provider = ? AND token = ? AND NOT (user_id = ? AND installation_id = ?)",
        [r.provider, r.token, r.userId, r.installationId],
      );
      const createdAt = existing?.created_at ?? now;
      await tx.run(
        `INSERT INTO push_registrations (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, installation_id) DO UPDATE SET org_id = excluded.org_id,
           provider = excluded.provider, token = excluded.token, p256dh = excluded.p256dh,
           auth = excluded.auth, environment = excluded.environment, updated_at = excluded.updated_at`,
        [
          r.userId,
          r.installationId,
          r.orgId,
          r.provider,
          r.token,
          r.keys?.p256dh ?? null,
          r.keys?.auth ?? null,
          r.environment,
          createdAt,
          now,
        ],
      );
      return { registration: { ...r, createdAt, updatedAt: now }, created: existing === undefined };
    });
  }

  async pushRegistrations(userId: string): Promise<PushRegistration[]> {
    const rows = await this.db.all<Row>(
      `SELECT ${COLUMNS} FROM push_registrations WHERE user_id = ? ORDER BY installation_id`,
      [userId],
    );
    return rows.map(fromRow);
  }

  async pushRegistration(userId: string, installationId: string): Promise<PushRegistration | null> {
    const row = await this.db.get<Row>(
      `SELECT ${COLUMNS} FROM push_registrations WHERE user_id = ? AND installation_id = ?`,
      [userId, installationId],
    );
    return row ? fromRow(row) : null;
  }

  async pushRegistrationsOf(userIds: readonly string[]): Promise<PushRegistration[]> {
    const unique = [...new Set(userIds)];
    const out: PushRegistration[] = [];
    // In chunks, well inside the bound on a statement's parameters.
    for (let i = 0; i < unique.length; i += REGISTRATIONS_PER_READ) {
      const chunk = unique.slice(i, i + REGISTRATIONS_PER_READ);
      const rows = await this.db.all<Row>(
        `SELECT ${COLUMNS} FROM push_registrations WHERE user_id IN (${chunk.map(() => "?").join(", ")})
         ORDER BY user_id, installation_id`,
        chunk,
      );
      out.push(...rows.map(fromRow));
    }
    return out.sort((a, b) => (a.userId === b.userId ? cmp(a.installationId, b.installationId) : cmp(a.userId, b.userId)));
  }

  async removePushRegistration(userId: string, installationId: string): Promise<boolean> {
    const result = await this.db.run("DELETE FROM push_registrations WHERE user_id = ? AND installation_id = ?", [
      userId,
      installationId,
    ]);
    return result.changes > 0;
  }

  async removePushToken(provider: PushProvider, token: string): Promise<number> {
    return (await this.db.run("DELETE FROM push_registrations WHERE provider = ? AND token = ?", [provider, token]))
      .changes;
  }
}
