import type { LedgerCommand, LedgerEntryKind, LedgerSource } from "../../domain/loyalty/ledger.js";

/** One stored ledger entry. Entries are never changed or deleted (erasure only renames the member). */
export interface LedgerEntry {
  /** Order of writing across the whole ledger; a member's history pages by it. */
  readonly seq: number;
  readonly id: string;
  readonly orgId: string;
  readonly memberId: string;
  readonly kind: LedgerEntryKind;
  readonly source: LedgerSource;
  /** Signed points: positive adds, negative takes away. */
  readonly points: number;
  /** When it was written, epoch ms (an expiry: when the lot expired). */
  readonly at: number;
  /** Unique per organisation: the same key twice writes once. */
  readonly idempotencyKey: string;
  /** What the points are for (an order id, a visit, a lot); free text. */
  readonly reference: string | null;
  /** Why (required for adjustments). */
  readonly reason: string | null;
  /** When the lot this entry earned expires, epoch ms; null when it never does or earned none. */
  readonly expiresAt: number | null;
  /** The id of the entry this one reverses. */
  readonly reverses: string | null;
}

/** A member's points now. */
export interface MemberBalance {
  /** Spendable points: what the lots not yet expired hold. Never negative. */
  readonly balance: number;
  /** Points reversed after they were spent, settled by the next earnings. */
  readonly owed: number;
  /** The next lot to expire with points left. */
  readonly nextExpiry: { readonly points: number; readonly at: number } | null;
}

/** An entry as a write stored it, with its member's spendable balance just after it. */
export interface WrittenEntry {
  readonly entry: LedgerEntry;
  readonly balance: number;
}

export type LedgerWriteResult =
  | {
      readonly ok: true;
      /** The command's own entry (for a replay: the entry the first call wrote). */
      readonly entry: LedgerEntry;
      /**
       * Every entry this call stored, in order of writing: the member's lots it found expired, the
       * command's own entry, and for a transfer the receiver's entries too. Empty for a replay.
       */
      readonly written: readonly WrittenEntry[];
      /** True when the key was used before: nothing was written this time. */
      readonly replayed: boolean;
      readonly balance: number;
      readonly owed: number;
    }
  | { readonly ok: false; readonly reason: "insufficient-points"; readonly balance: number }
  | {
      readonly ok: false;
      /** `key-reused`: the key was used for another member or another kind of entry. */
      readonly reason: "invalid-points" | "nothing-to-reverse" | "already-reversed" | "key-reused";
      readonly text: string;
    };

/**
 * The points ledger: append-only entries per member (organisation-scoped), lots with their expiry,
 * and what each member owes. Every write is one transaction that reads the member's lots, applies
 * the domain's `applyLedgerCommand` and appends its entries, so concurrent writers never spend the
 * same points twice; the idempotency key is unique per organisation in the store itself.
 */
export interface LedgerRepository {
  /** Applies `command` to the member's ledger at `now`, once per `(orgId, idempotencyKey)`. */
  append(orgId: string, memberId: string, command: LedgerCommand, idempotencyKey: string, now: number): Promise<LedgerWriteResult>;
  /**
   * Moves points between two members of the organisation in one transaction. The result's entry is
   * the sender's `transfer-out`; a replayed key answers with it.
   */
  transfer(orgId: string, fromMemberId: string, toMemberId: string, points: number, idempotencyKey: string, reference: string | null, now: number): Promise<LedgerWriteResult>;
  /** The member's balance at `now` (lots expired by then no longer count, swept or not). */
  balance(orgId: string, memberId: string, now: number): Promise<MemberBalance>;
  /** The member's entries, newest first, before `beforeSeq` when given; at most `limit` (1..500). */
  history(orgId: string, memberId: string, options: { readonly limit: number; readonly beforeSeq?: number }): Promise<LedgerEntry[]>;
  /** The entry written under `idempotencyKey`, or null. */
  entryByKey(orgId: string, idempotencyKey: string): Promise<LedgerEntry | null>;
  /**
   * Writes the expiry entries of lots due by `now`, at most `limit` lots (one entry each); the
   * entries written, each with its member's balance at `now`.
   */
  expireDue(now: number, limit: number): Promise<WrittenEntry[]>;
  /** Sum of every entry's points of the member (for reconciliation: equals balance minus owed). */
  entrySum(orgId: string, memberId: string): Promise<number>;
  /** Every entry of the organisation in order of writing, `afterSeq` exclusive, at most `limit` (export). */
  entriesAfter(orgId: string, afterSeq: number, limit: number): Promise<LedgerEntry[]>;
}
