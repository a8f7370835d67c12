import { appSubjectId } from "../../../../protocol/index.js";
import type { EidKey, EidResolutionRow } from "../../domain/privacy/eidResolution.js";
import type { LocationFix } from "../../domain/privacy/geofencePlausibility.js";
import {
  localDailyVisitCounts,
  sumDailyVisitCounts,
  type VisitBucket,
} from "../../domain/privacy/localDailyVisitCounts.js";
import { DAY_SAFE_BUCKET_MS, MAX_INSTANT_MS } from "../../domain/rules/localTime.js";
import type {
  AppEntryInput,
  DailyVisitCount,
  ErasureReport,
  PrivacyRepository,
  RetentionResult,
  StoredEvent,
} from "../../services/repositories.js";
import type { PgExecutor, PostgresDatabase, PgValue } from "./PostgresDatabase.js";
import { insertEvent } from "./PostgresEventRepository.js";

/** Table names come from the catalogue, never from a caller; quoting still keeps odd names safe. */
const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Every table with its column names, from the schema itself. */
async function tablesWithColumns(tx: PgExecutor): Promise<{ table: string; columns: Set<string> }[]> {
  const rows = await tx.all<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema()
       AND table_name IN (SELECT table_name FROM information_schema.tables
                          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
     ORDER BY table_name COLLATE "C", ordinal_position`,
  );
  const result: { table: string; columns: Set<string> }[] = [];
  for (const row of rows) {
    const last = result.at(-1);
    if (last?.table === row.table_name) last.columns.add(row.column_name);
    else result.push({ table: row.table_name, columns: new Set([row.column_name]) });
  }
  return result;
}

/** Storage of the privacy features: EID keys and resolution, phone fixes, retention and aggregates, erasure. */
export class PostgresPrivacyRepository implements PrivacyRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async putEidKey(key: EidKey, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO eid_keys (user_id, install_id, identity_key, rotation_exponent, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(user_id, install_id) DO UPDATE SET identity_key = excluded.identity_key,
           rotation_exponent = excluded.rotation_exponent, created_at = excluded.created_at`,
        [key.userId, key.installId, Buffer.from(key.identityKey), key.rotationExponent, now],
      );
      // A replaced key's ids must stop resolving at once.
      await tx.run("DELETE FROM eid_resolutions WHERE user_id = ? AND install_id = ?", [key.userId, key.installId]);
    });
  }

  async listEidKeys(): Promise<EidKey[]> {
    const rows = await this.db.all<{
      user_id: string;
      install_id: string;
      identity_key: Buffer;
      rotation_exponent: number;
    }>("SELECT user_id, install_id, identity_key, rotation_exponent FROM eid_keys");
    return rows.map((r) => ({
      userId: r.user_id,
      installId: r.install_id,
      identityKey: new Uint8Array(r.identity_key),
      rotationExponent: r.rotation_exponent,
    }));
  }

  async refreshEidResolutions(rows: readonly EidResolutionRow[], nowS: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const row of rows) {
        await tx.run(
          `INSERT INTO eid_resolutions (subject_id, period_start_s, valid_until_s, user_id, install_id) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(subject_id, period_start_s) DO UPDATE SET valid_until_s = excluded.valid_until_s,
             user_id = excluded.user_id, install_id = excluded.install_id`,
          [row.subjectId, row.periodStartS, row.validUntilS, row.userId, row.installId],
        );
      }
      await tx.run("DELETE FROM eid_resolutions WHERE valid_until_s <= ?", [nowS]);
    });
  }

  async lastFix(userId: string, before: number): Promise<LocationFix | null> {
    const row = await this.db.get<{ lat: number; lon: number; accuracy_m: number; at: number }>(
      "SELECT lat, lon, accuracy_m, at FROM location_fixes WHERE user_id = ? AND at <= ? ORDER BY at DESC LIMIT 1",
      [userId, before],
    );
    return row ? { lat: row.lat, lon: row.lon, accuracyM: row.accuracy_m, at: row.at } : null;
  }

  async countGateways(storeId: string): Promise<number> {
    const row = await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM gateways WHERE store_id = ?", [storeId]);
    return row?.n ?? 0;
  }

  async countGatewaySightings(userId: string, storeId: string, from: number, to: number): Promise<number> {
    // Events of users without analytics consent are stored unlinked, so they cannot corroborate.
    const row = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM presence_events
       WHERE user_id = ? AND store_id = ? AND subject_kind != 'app' AND at BETWEEN ? AND ?`,
      [userId, storeId, from, to],
    );
    return row?.n ?? 0;
  }

  storeAppEntry(input: AppEntryInput): Promise<StoredEvent | null> {
    return this.db.transaction(async (tx) => {
      // An entry decided on arrival is implausible: it never counts as a visit nor joins one.
      const stored = await insertEvent(tx, input.event, input.receivedAt, input.signals, {
        joinsVisit: input.decidedAt === null,
      });
      if (!stored) return null;
      if (input.decidedAt !== null) {
        // An implausible entry goes no further, and its fix is not kept as the user's last known
        // position: a spoofed far-away fix must not make the next genuine one look like a jump.
        await tx.run("UPDATE presence_events SET decided_at = ? WHERE id = ?", [input.decidedAt, input.event.id]);
        if (stored.unlinked === true) await tx.run("DELETE FROM pending_event_users WHERE event_id = ?", [input.event.id]);
        return stored;
      }
      // A store beacon sighting has no position to keep.
      if (input.fix !== null) {
        await tx.run(
          "INSERT INTO location_fixes (event_id, user_id, store_id, lat, lon, accuracy_m, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          [input.event.id, input.userId, input.event.storeId, input.fix.lat, input.fix.lon, input.fix.accuracyM, input.fix.at],
        );
      }
      return stored;
    });
  }

  applyRetention(cutoff: number): Promise<RetentionResult> {
    return this.db.transaction(async (tx) => {
      // Daily counts by the store's local day of entry (see localDailyVisitCounts); a visit counts
      // once however many events it had. Rows folded before counts used local days keep the UTC
      // day they were written with: the visits they came from are gone, so they cannot be redone.
      for (const c of localDailyVisitCounts(await visitBuckets(tx, "v.entered_at < ?", [cutoff]))) {
        await tx.run(
          `INSERT INTO visit_daily_counts (day, store_id, zone_id, visits) VALUES (?, ?, ?, ?)
           ON CONFLICT(day, store_id, zone_id) DO UPDATE SET visits = visit_daily_counts.visits + excluded.visits`,
          [c.day, c.storeId, c.zoneId, c.visits],
        );
      }
      const visits = await tx.run("DELETE FROM visits WHERE entered_at < ?", [cutoff]);
      const events = await tx.run("DELETE FROM presence_events WHERE at < ?", [cutoff]);
      const fixes = await tx.run("DELETE FROM location_fixes WHERE at < ?", [cutoff]);
      // Rows SQLite migration 10 quarantined are presence rows too: kept for an operator to look at, for
      // no longer than the presence they were.
      await tx.run("DELETE FROM quarantined_rows WHERE quarantined_at < ?", [cutoff]);
      // Each decision names a user, a store, a zone and a time: a presence history of its own.
      // Offers stay (redemption and accounting); what they say is what the shopper was given.
      const decisions = await tx.run("DELETE FROM decisions WHERE decided_at < ?", [cutoff]);
      return {
        eventsDeleted: events.changes,
        visitsAggregated: visits.changes,
        fixesDeleted: fixes.changes,
        decisionsDeleted: decisions.changes,
      };
    });
  }

  async dailyVisitCounts(storeId: string): Promise<DailyVisitCount[]> {
    // Days past retention come from the kept counts, recent days from the visits still held, put
    // on the store's local days as retention will fold them, so a day's number does not change
    // when its raw data goes.
    const kept = await this.db.all<{ day: string; zone_id: string; visits: number }>(
      "SELECT day, zone_id, visits FROM visit_daily_counts WHERE store_id = ?",
      [storeId],
    );
    const recent = localDailyVisitCounts(await visitBuckets(this.db, "v.store_id = ?", [storeId]));
    return sumDailyVisitCounts([...kept.map((r) => ({ day: r.day, storeId, zoneId: r.zone_id, visits: r.visits })), ...recent]);
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
   * stays with the user, visit and event replaced by a pseudonym; the points ledger keeps its
   * entries (and lots and debt) with the pseudonym as member; and the audit trail keeps its
   * entries with the pseudonym in place of the user id.
   */
  eraseUser(userId: string, pseudonym: string): Promise<ErasureReport> {
    return this.db.transaction(async (tx) => {
      // Rows are removed table by table in name order; foreign keys are checked at commit, when the
      // set is consistent again, instead of after each statement.
      await tx.exec("SET CONSTRAINTS ALL DEFERRED");
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
      // Points are the retailer's accounting (a liability on its books): the ledger keeps its
      // entries, lots and debt under the pseudonym, as redeemed offers do, and no longer names the
      // member. Its tables name the member in member_id, so the sweep below leaves them alone.
      for (const table of ["ledger_entries", "ledger_lots", "ledger_accounts"])
        await tx.run(`UPDATE ${table} SET member_id = ? WHERE member_id = ?`, [pseudonym, userId]);
      const byTarget = await tx.run(
        `UPDATE audit_log SET target = ?,
           detail = COALESCE(((arrival_try_jsonb(detail) || jsonb_build_object('userId', ?::text)) - 'subjectId')::text, detail)
         WHERE target IN (?, ?)`,
        [pseudonym, pseudonym, `user:${userId}`, `app.${userId}`],
      );
      const byDetail = await tx.run(
        `UPDATE audit_log SET detail = ((arrival_try_jsonb(detail) || jsonb_build_object('userId', ?::text)) - 'subjectId')::text
         WHERE jsonb_typeof(arrival_try_jsonb(detail)) = 'object' AND arrival_try_jsonb(detail) ->> 'userId' = ?`,
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
      // Quarantined presence rows (SQLite migration 10) are kept whole as JSON: the user's go too.
      const subjects = [appSubjectId(userId), ...beacons];
      const quarantined = await tx.run(
        `DELETE FROM quarantined_rows WHERE arrival_try_jsonb(row) ->> 'user_id' = ?
           OR arrival_try_jsonb(row) ->> 'subject_id' IN (${subjects.map(() => "?").join(", ")})`,
        [userId, ...subjects],
      );
      if (quarantined.changes > 0) deleted.quarantined_rows = quarantined.changes;
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

/**
 * Visits matching `where` (over `visits v`) counted per store, zone and quarter-hour bucket of
 * entry, with the store's timezone. The local day of each bucket is named in TypeScript
 * (localDailyVisitCounts), as for SQLite, so both backends put a visit on the same day whatever
 * zone data the server has; the database still returns counts, not visits.
 */
async function visitBuckets(db: PgExecutor, where: string, params: readonly PgValue[]): Promise<VisitBucket[]> {
  const rows = await db.all<{ store_id: string; zone_id: string; bucket: number; visits: number; timezone: string | null }>(
    `SELECT v.store_id, v.zone_id, (v.entered_at / ?) AS bucket, COUNT(*) AS visits, s.timezone
     FROM visits v LEFT JOIN stores s ON s.id = v.store_id
     WHERE ${where} AND v.entered_at BETWEEN ? AND ? GROUP BY v.store_id, v.zone_id, bucket, s.timezone`,
    // Visits entered at no instant a calendar can name (stored before ingest bounded dwell) are
    // not counted: they cannot be put on a day.
    [DAY_SAFE_BUCKET_MS, ...params, -MAX_INSTANT_MS, MAX_INSTANT_MS],
  );
  return rows.map((r) => ({
    storeId: r.store_id,
    zoneId: r.zone_id,
    bucketStart: r.bucket * DAY_SAFE_BUCKET_MS,
    visits: r.visits,
    timezone: r.timezone,
  }));
}
