import type { AuditEntry, AuditRepository } from "../../services/repositories.js";
import type { SharedSqlDatabase } from "./SqlDatabase.js";

/** The audit log in SQLite or PostgreSQL (the same statements on both); `detail` is stored as JSON. */
export class SqlAuditRepository implements AuditRepository {
  constructor(private readonly db: SharedSqlDatabase) {}

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

  async auditEntries(target: string, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db.all<{ at: number; actor: string; action: string; target: string; detail: string }>(
      "SELECT at, actor, action, target, detail FROM audit_log WHERE target = ? ORDER BY at DESC, id DESC LIMIT ?",
      [target, limit],
    );
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
