import { appSubjectId } from "../../../../protocol/index.js";
import type { ErasureReport, PrivacyRepository } from "../../services/repositories.js";
import type { SqlExecutor, SqliteDatabase } from "./SqliteDatabase.js";

/** Table names come from sqlite_master, never from a caller; quoting still keeps odd names safe. */
const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Every table with its column names, from the schema itself. */
async function tablesWithColumns(tx: SqlExecutor): Promise<{ table: string; columns: Set<string> }[]> {
  const tables = await tx.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const result: { table: string; columns: Set<string> }[] = [];
  for (const { name } of tables) {
    const columns = await tx.all<{ name: string }>("SELECT name FROM pragma_table_info(?)", [name]);
    result.push({ table: name, columns: new Set(columns.map((c) => c.name)) });
  }
  return result;
}

/**
 * Erasure of an app user (GDPR art. 17, PDPO DPP2). Which rows are the user's is read from the
 * schema: every table with a `user_id` column, and every table with a `subject_id` column for the
 * user's subject ids (events heard before a beacon was registered carry no user id). A beacon id is
 * the user's only in their own organisation (each registers beacons on its own; the same beacon may
 * be another retailer's customer's there), so rows found by beacon id are deleted only where they
 * belong to that organisation: by `store_id` or `org_id`, and not at all from a table whose rows
 * name their user anyway (`user_id`). `app:<userId>` is this user wherever it was heard, as user
 * ids are unique across organisations. A table added
 * by a later migration is therefore erased without an edit here. Two exceptions are kept on purpose:
 * a redeemed offer is the till's accounting record (a discount given at a store under a rule), so it
 * stays with the user, visit and event replaced by a pseudonym; and the audit trail keeps its
 * entries with the pseudonym in place of the user id.
 */
export class SqliteErasureRepository implements PrivacyRepository {
  constructor(private readonly db: SqliteDatabase) {}

  eraseUser(userId: string, pseudonym: string): Promise<ErasureReport> {
    return this.db.transaction(async (tx) => {
      // Rows are removed table by table in name order; foreign keys are checked at commit, when the
      // set is consistent again, instead of after each statement.
      await tx.exec("PRAGMA defer_foreign_keys = ON");
      const devices = await tx.all<{ subject_id: string }>("SELECT subject_id FROM user_devices WHERE user_id = ?", [
        userId,
      ]);
      const orgId = (await tx.get<{ org_id: string }>("SELECT org_id FROM app_users WHERE id = ?", [userId]))?.org_id;
      const beacons = devices.map((d) => d.subject_id);

      const anonymised = await tx.run(
        `UPDATE offers SET user_id = ?, visit_id = 'erased-' || id, event_id = 'erased-' || id
         WHERE user_id = ? AND id IN (SELECT offer_id FROM redemptions)`,
        [pseudonym, userId],
      );
      const byTarget = await tx.run(
        `UPDATE audit_log SET target = ?, detail = json_remove(json_set(detail, '$.userId', ?), '$.subjectId')
         WHERE target IN (?, ?)`,
        [pseudonym, pseudonym, `user:${userId}`, `app.${userId}`],
      );
      const byDetail = await tx.run(
        `UPDATE audit_log SET detail = json_remove(json_set(detail, '$.userId', ?), '$.subjectId')
         WHERE json_valid(detail) AND json_extract(detail, '$.userId') = ?`,
        [pseudonym, userId],
      );

      const deleted: Record<string, number> = {};
      const marks = beacons.map(() => "?").join(", ");
      for (const { table, columns } of await tablesWithColumns(tx)) {
        let changes = 0;
        const remove = async (where: string, params: readonly string[]) => {
          changes += (await tx.run(`DELETE FROM ${quote(table)} WHERE ${where}`, [...params])).changes;
        };
        if (columns.has("user_id")) await remove("user_id = ?", [userId]);
        if (columns.has("subject_id")) {
          // A phone reporting its own position is the subject `app:<userId>`.
          await remove("subject_id = ?", [appSubjectId(userId)]);
          if (beacons.length > 0 && orgId !== undefined) {
            if (columns.has("store_id"))
              await remove(`subject_id IN (${marks}) AND store_id IN (SELECT id FROM stores WHERE org_id = ?)`, [...beacons, orgId]);
            else if (columns.has("org_id")) await remove(`subject_id IN (${marks}) AND org_id = ?`, [...beacons, orgId]);
            else if (!columns.has("user_id")) await remove(`subject_id IN (${marks})`, beacons);
          }
        }
        if (changes > 0) deleted[table] = changes;
      }
      const profile = await tx.run("DELETE FROM app_users WHERE id = ?", [userId]);
      if (profile.changes > 0) deleted.app_users = profile.changes;
      return {
        deleted,
        anonymisedOffers: anonymised.changes,
        pseudonymisedAudit: byTarget.changes + byDetail.changes,
      };
    });
  }
}
