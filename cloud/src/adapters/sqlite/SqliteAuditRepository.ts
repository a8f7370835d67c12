import type { AuditRepository } from "../../services/repositories.js";
import type { SqliteDatabase } from "./SqliteDatabase.js";

/** The audit log in SQLite; `detail` is stored as JSON. */
export class SqliteAuditRepository implements AuditRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async audit(entry: {
    at: number;
    actor: string;
    action: string;
    target: string;
    detail?: object;
  }): Promise<void> {
    await this.db.run("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)", [
      entry.at,
      entry.actor,
      entry.action,
      entry.target,
      JSON.stringify(entry.detail ?? {}),
    ]);
  }
}
