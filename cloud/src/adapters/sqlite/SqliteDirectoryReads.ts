import type { DirectoryChangeCounter, UsersByIds } from "../../services/pipeline/DirectoryCache.js";
import type { AppUser } from "../../services/repositories.js";
import type { SqliteDatabase } from "./SqliteDatabase.js";

interface UserRow {
  id: string;
  org_id: string;
  display_name: string | null;
  segments: string;
  loyalty_tier: string | null;
  marketing_consent: number;
  analytics_consent: number;
}

/**
 * What the decision stage's directory cache asks storage: the change counter that migration 11's
 * triggers keep on every directory write, and the users of a whole group in one statement.
 */
export class SqliteDirectoryReads implements DirectoryChangeCounter, UsersByIds {
  constructor(private readonly db: SqliteDatabase) {}

  async directoryChanges(): Promise<number> {
    const row = await this.db.get<{ changes: number }>("SELECT changes FROM directory_changes WHERE id = 1");
    return row?.changes ?? 0;
  }

  async usersByIds(ids: readonly string[]): Promise<AppUser[]> {
    const users: AppUser[] = [];
    for (let k = 0; k < ids.length; k += 500) {
      const part = ids.slice(k, k + 500);
      const rows = await this.db.all<UserRow>(
        `SELECT * FROM app_users WHERE id IN (${part.map(() => "?").join(", ")})`,
        part,
      );
      for (const r of rows) {
        users.push({
          id: r.id,
          orgId: r.org_id,
          displayName: r.display_name,
          segments: JSON.parse(r.segments) as string[],
          loyaltyTier: r.loyalty_tier,
          marketingConsent: r.marketing_consent === 1,
          analyticsConsent: r.analytics_consent === 1,
        });
      }
    }
    return users;
  }
}
