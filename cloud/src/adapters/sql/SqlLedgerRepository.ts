import { randomUUID } from "node:crypto";
import {
  applyLedgerCommand,
  applyTransfer,
  balancesAfter,
  expireDue,
  type LedgerChange,
  type LedgerCommand,
  type LedgerEntryKind,
  type LedgerSource,
  type MemberLedgerState,
  type NewLedgerEntry,
  type PointsLot,
} from "../../domain/loyalty/ledger.js";
import type { LedgerEntry, LedgerRepository, LedgerWriteResult, MemberBalance, WrittenEntry } from "../../services/repositories.js";
import { GroupCommit } from "./GroupCommit.js";
import type { SharedSqlDatabase, SharedSqlExecutor } from "./SqlDatabase.js";

export interface EntryRow {
  seq: number;
  id: string;
  org_id: string;
  member_id: string;
  kind: LedgerEntryKind;
  source: LedgerSource;
  points: number;
  idempotency_key: string;
  reference: string | null;
  reason: string | null;
  expires_at: number | null;
  reverses: string | null;
  at: number;
}

interface LotRow {
  id: string;
  earned_at: number;
  expires_at: number | null;
  points: number;
  remaining: number;
}

const ENTRY_COLUMNS = "seq, id, org_id, member_id, kind, source, points, idempotency_key, reference, reason, expires_at, reverses, at";

export function entryOf(r: EntryRow): LedgerEntry {
  return {
    seq: r.seq,
    id: r.id,
    orgId: r.org_id,
    memberId: r.member_id,
    kind: r.kind,
    source: r.source,
    points: r.points,
    at: r.at,
    idempotencyKey: r.idempotency_key,
    reference: r.reference,
    reason: r.reason,
    expiresAt: r.expires_at,
    reverses: r.reverses,
  };
}

/**
 * The member's live lots and debt, and whether `key` was used already, in one statement: a write's
 * round trips to the database are most of its cost.
 */
export async function stateOf(tx: SharedSqlExecutor, orgId: string, memberId: string, key = ""): Promise<MemberLedgerState & { keyUsed: boolean }> {
  const rows = await tx.all<{ used: number | null; owed: number | null } & { [K in keyof LotRow]: LotRow[K] | null }>(
    `SELECT p.seq AS used, a.owed, l.id, l.earned_at, l.expires_at, l.points, l.remaining FROM (SELECT 1) AS one
     LEFT JOIN ledger_entries p ON p.org_id = ?1 AND p.idempotency_key = ?3
     LEFT JOIN ledger_accounts a ON a.org_id = ?1 AND a.member_id = ?2
     LEFT JOIN ledger_lots l ON l.org_id = ?1 AND l.member_id = ?2 AND l.remaining > 0`,
    [orgId, memberId, key],
  );
  const lots: PointsLot[] = [];
  for (const r of rows)
    if (r.id !== null) lots.push({ id: r.id, earnedAt: r.earned_at ?? 0, expiresAt: r.expires_at, points: r.points ?? 0, remaining: r.remaining ?? 0 });
  return { lots, owed: rows[0]?.owed ?? 0, keyUsed: (rows[0]?.used ?? null) !== null };
}

export async function byKey(tx: SharedSqlExecutor, orgId: string, key: string): Promise<EntryRow | undefined> {
  return tx.get<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE org_id = ? AND idempotency_key = ?`, [orgId, key]);
}

/**
 * Writes a change's entries, lots and owed for one member (whose state was `before`); the stored
 * entries (with their seq), each with the member's balance just after it.
 */
export async function write(
  tx: SharedSqlExecutor,
  orgId: string,
  memberId: string,
  change: Omit<LedgerChange, "ok">,
  before: MemberLedgerState,
  now: number,
): Promise<WrittenEntry[]> {
  const stored: WrittenEntry[] = [];
  const balances = balancesAfter(before, change, now);
  for (const [i, e] of change.entries.entries()) {
    const entry = storedEntry(e, await insertEntry(tx, orgId, memberId, e), orgId, memberId);
    stored.push({ entry, balance: balances[i] ?? change.balance });
  }
  for (const lot of change.lots) await upsertLot(tx, orgId, memberId, lot);
  // No account row means nothing owed: most writes leave the debt as it was and skip the row.
  if (change.owed === before.owed) return stored;
  await tx.run(
    `INSERT INTO ledger_accounts (org_id, member_id, owed, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (org_id, member_id) DO UPDATE SET owed = excluded.owed, updated_at = excluded.updated_at`,
    [orgId, memberId, change.owed, now],
  );
  return stored;
}

/** An entry the domain made, as stored at `seq`. */
function storedEntry(e: NewLedgerEntry & { id: string }, seq: number, orgId: string, memberId: string): LedgerEntry {
  return {
    seq,
    id: e.id,
    orgId,
    memberId,
    kind: e.kind,
    source: e.source,
    points: e.points,
    at: e.at,
    idempotencyKey: e.idempotencyKey,
    reference: e.reference,
    reason: e.reason,
    expiresAt: e.expiresAt,
    reverses: e.reverses,
  };
}

/** Appends one entry; its seq. */
async function insertEntry(tx: SharedSqlExecutor, orgId: string, memberId: string, e: NewLedgerEntry & { id: string }): Promise<number> {
  const row = await tx.get<{ seq: number }>(
    `INSERT INTO ledger_entries (id, org_id, member_id, kind, source, points, idempotency_key, reference, reason, expires_at, reverses, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
    [e.id, orgId, memberId, e.kind, e.source, e.points, e.idempotencyKey, e.reference, e.reason, e.expiresAt, e.reverses, e.at],
  );
  if (row === undefined) throw new Error("ledger entry was not stored");
  return row.seq;
}

async function upsertLot(tx: SharedSqlExecutor, orgId: string, memberId: string, lot: PointsLot): Promise<void> {
  await tx.run(
    `INSERT INTO ledger_lots (id, org_id, member_id, earned_at, expires_at, points, remaining) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET remaining = excluded.remaining`,
    [lot.id, orgId, memberId, lot.earnedAt, lot.expiresAt, lot.points, lot.remaining],
  );
}

/** A replay of `key`: the entry it wrote, if it is the same member and kind; otherwise key-reused. */
function replay(row: EntryRow, memberId: string, kind: LedgerEntryKind, balance: MemberBalance): LedgerWriteResult {
  if (row.member_id !== memberId || row.kind !== kind)
    return { ok: false, reason: "key-reused", text: `idempotency key ${row.idempotency_key} was used for another entry` };
  return { ok: true, entry: entryOf(row), written: [], replayed: true, balance: balance.balance, owed: balance.owed };
}

/**
 * The points ledger in SQL (SQLite or PostgreSQL: the same statements on both). Writes are
 * group-committed (`GroupCommit`): the writes that arrive while a commit is on the disk go together
 * in the next transaction, each reading what the one before it wrote, so they are exactly as serial
 * as one transaction each, and a write resolves only once its commit is durable. One commit per
 * write would cap the ledger at the disk's fsync rate (a few hundred a second). On SQLite the
 * group's transaction is one of a single writer; on PostgreSQL it is SERIALIZABLE, so a group that
 * meets another process's write to the same members runs again whole.
 */
export class SqlLedgerRepository implements LedgerRepository {
  private readonly writes: GroupCommit;

  constructor(private readonly db: SharedSqlDatabase) {
    this.writes = new GroupCommit(db);
  }

  private write<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T> {
    return this.writes.run(work);
  }

  append(orgId: string, memberId: string, command: LedgerCommand, idempotencyKey: string, now: number): Promise<LedgerWriteResult> {
    const kind: LedgerEntryKind = command.kind;
    return this.write(async (tx) => {
      const state = await stateOf(tx, orgId, memberId, idempotencyKey);
      if (state.keyUsed) {
        const prior = await byKey(tx, orgId, idempotencyKey);
        if (prior) return replay(prior, memberId, kind, await this.balanceIn(tx, orgId, memberId, now));
      }
      let reversed = null;
      if (command.kind === "reverse") {
        const original = await byKey(tx, orgId, command.reversesKey);
        if (original && original.member_id === memberId && original.points > 0 && ["earn", "adjust"].includes(original.kind)) {
          // Reversals are negative: what earlier (partial) reversals took back, as a positive sum.
          // One step with the reversal written below (SQLite's single writer; SERIALIZABLE on
          // PostgreSQL), so two partial refunds racing on one earning cannot both take its last points.
          const taken = await tx.get<{ points: number | null }>("SELECT -SUM(points) AS points FROM ledger_entries WHERE reverses = ?", [original.id]);
          const reversedPoints = taken?.points ?? 0;
          reversed = { entryId: original.id, points: original.points, lotId: original.id, reversed: reversedPoints >= original.points, reversedPoints };
        } else if (original && original.member_id === memberId && original.kind === "spend") {
          // A spend's reversals give points back (positive): what they gave so far.
          const given = await tx.get<{ points: number | null }>("SELECT SUM(points) AS points FROM ledger_entries WHERE reverses = ?", [original.id]);
          const reversedPoints = given?.points ?? 0;
          const spent = -original.points;
          reversed = { entryId: original.id, points: spent, lotId: null, reversed: reversedPoints >= spent, reversedPoints, spend: true };
        }
      }
      const entryId = randomUUID();
      const change = applyLedgerCommand(state, command, { now, entryId, idempotencyKey, reversed });
      if (!change.ok) return change;
      const written = await write(tx, orgId, memberId, change, state, now);
      const entry = written.find((w) => w.entry.id === entryId)?.entry;
      if (!entry) throw new Error("the command's own entry was not written");
      return { ok: true, entry, written, replayed: false, balance: change.balance, owed: change.owed };
    });
  }

  transfer(
    orgId: string,
    fromMemberId: string,
    toMemberId: string,
    points: number,
    idempotencyKey: string,
    reference: string | null,
    now: number,
  ): Promise<LedgerWriteResult> {
    return this.write(async (tx) => {
      const prior = await byKey(tx, orgId, idempotencyKey);
      if (prior) return replay(prior, fromMemberId, "transfer-out", await this.balanceIn(tx, orgId, fromMemberId, now));
      const entryId = randomUUID();
      const from = await stateOf(tx, orgId, fromMemberId);
      const to = await stateOf(tx, orgId, toMemberId);
      const change = applyTransfer(from, to, points, {
        now,
        entryId,
        idempotencyKey,
        reference,
      });
      if (!change.ok) return change;
      // Both members' entries are reported: the receiver's balance changed as much as the sender's.
      const written = [...(await write(tx, orgId, fromMemberId, change.from, from, now)), ...(await write(tx, orgId, toMemberId, change.to, to, now))];
      const entry = written.find((w) => w.entry.id === entryId)?.entry;
      if (!entry) throw new Error("the transfer's own entry was not written");
      return { ok: true, entry, written, replayed: false, balance: change.from.balance, owed: change.from.owed };
    });
  }

  balance(orgId: string, memberId: string, now: number): Promise<MemberBalance> {
    return this.balanceIn(this.db, orgId, memberId, now);
  }

  /** The balance by one aggregate statement: a member may hold many lots, the answer is one row. */
  private async balanceIn(db: SharedSqlExecutor, orgId: string, memberId: string, now: number): Promise<MemberBalance> {
    const row = await db.get<{ owed: number | null; balance: number | null; next_at: number | null; next_points: number | null }>(
      `WITH live AS (
         SELECT remaining, expires_at FROM ledger_lots
         WHERE org_id = ?1 AND member_id = ?2 AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?3)),
       next AS (SELECT MIN(expires_at) AS at FROM live WHERE expires_at IS NOT NULL)
       SELECT (SELECT owed FROM ledger_accounts WHERE org_id = ?1 AND member_id = ?2) AS owed,
              (SELECT SUM(remaining) FROM live) AS balance,
              (SELECT at FROM next) AS next_at,
              (SELECT SUM(remaining) FROM live WHERE expires_at = (SELECT at FROM next)) AS next_points`,
      [orgId, memberId, now],
    );
    return {
      balance: row?.balance ?? 0,
      owed: row?.owed ?? 0,
      nextExpiry: (row?.next_at ?? null) === null ? null : { points: row?.next_points ?? 0, at: row?.next_at ?? 0 },
    };
  }

  async history(orgId: string, memberId: string, options: { readonly limit: number; readonly beforeSeq?: number }): Promise<LedgerEntry[]> {
    const limit = Math.max(1, Math.min(500, Math.trunc(options.limit)));
    const rows = await this.db.all<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE org_id = ? AND member_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
      [orgId, memberId, options.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit],
    );
    return rows.map(entryOf);
  }

  async entryByKey(orgId: string, idempotencyKey: string): Promise<LedgerEntry | null> {
    const row = await byKey(this.db, orgId, idempotencyKey);
    return row ? entryOf(row) : null;
  }

  expireDue(now: number, limit: number): Promise<WrittenEntry[]> {
    return this.write(async (tx) => {
      const due = await tx.all<LotRow & { org_id: string; member_id: string }>(
        `SELECT id, org_id, member_id, earned_at, expires_at, points, remaining FROM ledger_lots
         WHERE remaining > 0 AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
        [now, Math.max(1, Math.trunc(limit))],
      );
      const entries: LedgerEntry[] = [];
      for (const l of due) {
        const lot: PointsLot = { id: l.id, earnedAt: l.earned_at, expiresAt: l.expires_at, points: l.points, remaining: l.remaining };
        const expired = expireDue({ lots: [lot], owed: 0 }, now);
        for (const e of expired.entries) entries.push(storedEntry(e, await insertEntry(tx, l.org_id, l.member_id, e), l.org_id, l.member_id));
        for (const changed of expired.lots) await upsertLot(tx, l.org_id, l.member_id, changed);
      }
      // What each member holds at `now`, read once per member in this transaction: expired lots
      // had stopped counting already, so it is the balance after each of the member's expiries.
      const balances = new Map<string, number>();
      for (const e of entries) {
        const member = `${e.orgId}\n${e.memberId}`;
        if (!balances.has(member)) balances.set(member, (await this.balanceIn(tx, e.orgId, e.memberId, now)).balance);
      }
      return entries.map((entry) => ({ entry, balance: balances.get(`${entry.orgId}\n${entry.memberId}`) ?? 0 }));
    });
  }

  async entrySum(orgId: string, memberId: string): Promise<number> {
    const row = await this.db.get<{ total: number | null }>(
      "SELECT SUM(points) AS total FROM ledger_entries WHERE org_id = ? AND member_id = ?",
      [orgId, memberId],
    );
    return row?.total ?? 0;
  }

  async entriesAfter(orgId: string, afterSeq: number, limit: number): Promise<LedgerEntry[]> {
    const rows = await this.db.all<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      [orgId, afterSeq, Math.max(1, Math.min(10_000, Math.trunc(limit)))],
    );
    return rows.map(entryOf);
  }
}
