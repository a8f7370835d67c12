/**
 * The points ledger as pure policy: a member's points come in lots (one per earning, each with its
 * own expiry), a spend takes from the lots that expire soonest (oldest first when expiries tie), the
 * balance is what the live lots still hold and never goes below zero. A reversal (refund, voided
 * redemption) takes back exactly what its earning gave, even after some of it was spent: what the
 * lots no longer hold is recorded as `owed` and settled by the next earnings, never silently lost.
 *
 * Invariant kept by every function here: the sum of all entries' points equals the live lots'
 * remaining points minus `owed`. Time is an input (`now`, epoch ms); nothing here does I/O.
 */

export const LEDGER_ENTRY_KINDS = ["earn", "spend", "expire", "adjust", "reverse", "transfer-out", "transfer-in"] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** Why points moved: what the retailer reports and reconciles by. */
export const LEDGER_SOURCES = [
  "store-visit",
  "till-purchase",
  "online-order",
  "coupon-redemption",
  "points-exchange",
  "referral",
  "admin-adjustment",
  "transfer",
  "expiry",
] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

/** Points earned together, spent and expired together. */
export interface PointsLot {
  readonly id: string;
  readonly earnedAt: number;
  /** When what is left of the lot expires, epoch ms; null: never. */
  readonly expiresAt: number | null;
  /** Points the lot was earned with. */
  readonly points: number;
  /** Points still in the lot (0 once spent, expired or taken by a reversal). */
  readonly remaining: number;
}

/** What a member's ledger holds now: lots with points left, and what the member owes. */
export interface MemberLedgerState {
  readonly lots: readonly PointsLot[];
  /** Points reversed that the lots no longer held; earnings settle it first. Never negative. */
  readonly owed: number;
}

/** One entry as the domain writes it; the store adds the member, organisation and sequence. */
export interface NewLedgerEntry {
  readonly kind: LedgerEntryKind;
  readonly source: LedgerSource;
  /** Signed: positive adds to the member's points, negative takes away. Never 0. */
  readonly points: number;
  readonly at: number;
  readonly idempotencyKey: string;
  readonly reference: string | null;
  readonly reason: string | null;
  /** The lot an earning created (its id is the entry's), null for other entries. */
  readonly lotId: string | null;
  readonly expiresAt: number | null;
  /** The entry a reversal takes back (its id), null for other entries. */
  readonly reverses: string | null;
}

/** A command against one member's ledger. */
export type LedgerCommand =
  | {
      readonly kind: "earn";
      readonly points: number;
      readonly source: LedgerSource;
      readonly expiresAt: number | null;
      readonly reference: string | null;
      readonly reason: string | null;
    }
  | {
      readonly kind: "spend";
      readonly points: number;
      readonly source: LedgerSource;
      readonly reference: string | null;
      readonly reason: string | null;
    }
  | {
      /** An admin's correction, with the reason required; positive earns a lot, negative spends. */
      readonly kind: "adjust";
      readonly points: number;
      readonly expiresAt: number | null;
      readonly reason: string;
    }
  | {
      /**
       * Takes back what the earning written under `reversesKey` gave, or `points` of it; or, when
       * that entry is a spend (points paid part of a purchase that is refunded), gives them back.
       */
      readonly kind: "reverse";
      readonly reversesKey: string;
      /**
       * How many of the earning's points to take back (a partial refund); default all that no
       * earlier reversal took. More than that is refused.
       */
      readonly points?: number;
      readonly source: LedgerSource;
      readonly reference: string | null;
      readonly reason: string | null;
      /** When points a reversed spend gives back expire (a new lot); default never. */
      readonly expiresAt?: number | null;
    };

/** The earning a reversal refers to, as the store found it. */
export interface ReversedEarning {
  readonly entryId: string;
  readonly points: number;
  readonly lotId: string | null;
  /** True when earlier reversals took all of it back already. */
  readonly reversed: boolean;
  /**
   * Points earlier (partial) reversals took back, positive; absent from a store that knows only
   * whole reversals, where it is all of them when `reversed` and none otherwise.
   */
  readonly reversedPoints?: number;
  /**
   * True when the entry is a spend (`points` is then what it spent, positive): its reversal gives
   * points back as a new lot instead of taking them.
   */
  readonly spend?: boolean;
}

export type LedgerRefusal =
  | { readonly ok: false; readonly reason: "insufficient-points"; readonly balance: number }
  | { readonly ok: false; readonly reason: "invalid-points"; readonly text: string }
  | { readonly ok: false; readonly reason: "nothing-to-reverse"; readonly text: string }
  | { readonly ok: false; readonly reason: "already-reversed"; readonly text: string };

/** What a command changes: entries to append (in order), lots to write, the new `owed`. */
export interface LedgerChange {
  readonly ok: true;
  readonly entries: readonly (NewLedgerEntry & { readonly id: string })[];
  /** Lots whose `remaining` changed, and new lots; each written whole. */
  readonly lots: readonly PointsLot[];
  readonly owed: number;
  /** The balance after the change (live lots at `now`). */
  readonly balance: number;
}

/** Most points one entry may move: far beyond any basket, small enough that sums stay exact. */
export const MAX_ENTRY_POINTS = 1_000_000_000;

const live = (lot: PointsLot, now: number): boolean => lot.remaining > 0 && (lot.expiresAt === null || lot.expiresAt > now);

/** Spending order: soonest expiry first (never-expiring last), then oldest, then id (stable). */
export function spendOrder(a: PointsLot, b: PointsLot): number {
  const ea = a.expiresAt ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  if (a.earnedAt !== b.earnedAt) return a.earnedAt - b.earnedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The spendable balance at `now`: points in lots not yet expired. */
export function balanceAt(state: MemberLedgerState, now: number): number {
  let sum = 0;
  for (const lot of state.lots) if (live(lot, now)) sum += lot.remaining;
  return sum;
}

/** The next lot to expire with points left, for "120 points expire on …". */
export function nextExpiry(state: MemberLedgerState, now: number): { points: number; at: number } | null {
  const due = state.lots.filter((l) => live(l, now) && l.expiresAt !== null).sort(spendOrder)[0];
  if (due === undefined || due.expiresAt === null) return null;
  const at = due.expiresAt;
  const points = state.lots.filter((l) => live(l, now) && l.expiresAt === at).reduce((s, l) => s + l.remaining, 0);
  return { points, at };
}

const validPoints = (points: number): boolean => Number.isSafeInteger(points) && points > 0 && points <= MAX_ENTRY_POINTS;

/**
 * Expiry entries for every lot whose time has come with points left (key `expire:<lotId>`, so two
 * writers expiring the same lot write it once), and the lots emptied.
 */
export function expireDue(state: MemberLedgerState, now: number): { entries: (NewLedgerEntry & { id: string })[]; lots: PointsLot[] } {
  const entries: (NewLedgerEntry & { id: string })[] = [];
  const lots: PointsLot[] = [];
  for (const lot of [...state.lots].sort(spendOrder)) {
    if (lot.remaining <= 0 || lot.expiresAt === null || lot.expiresAt > now) continue;
    entries.push({
      id: `expire-${lot.id}`,
      kind: "expire",
      source: "expiry",
      points: -lot.remaining,
      at: lot.expiresAt,
      idempotencyKey: `expire:${lot.id}`,
      reference: lot.id,
      reason: null,
      lotId: null,
      expiresAt: null,
      reverses: null,
    });
    lots.push({ ...lot, remaining: 0 });
  }
  return { entries, lots };
}

/**
 * The member's balance just after each of a change's entries, in their order: an expiry entry
 * leaves what was live at `now` before the change (a lot stops counting when it expires, written
 * off or not), the command's own entry leaves the change's balance. What a points-changed message
 * reports beside each entry.
 */
export function balancesAfter(before: MemberLedgerState, change: Pick<LedgerChange, "entries" | "balance">, now: number): number[] {
  const live = balanceAt(before, now);
  return change.entries.map((e) => (e.kind === "expire" ? live : change.balance));
}

/** Takes `points` from the live lots in spending order; null when they hold fewer. */
function take(lots: readonly PointsLot[], points: number, now: number): PointsLot[] | null {
  const changed: PointsLot[] = [];
  let left = points;
  for (const lot of [...lots].filter((l) => live(l, now)).sort(spendOrder)) {
    if (left === 0) break;
    const used = Math.min(lot.remaining, left);
    changed.push({ ...lot, remaining: lot.remaining - used });
    left -= used;
  }
  return left === 0 ? changed : null;
}

function merge(lots: readonly PointsLot[], changed: readonly PointsLot[]): PointsLot[] {
  const byId = new Map(lots.map((l) => [l.id, l]));
  for (const l of changed) byId.set(l.id, l);
  return [...byId.values()];
}

/**
 * Applies `command` to the member's ledger at `now`: first expires what is due, then earns, spends,
 * adjusts or reverses. `entryId` is the id of the command's own entry (and of the lot it earns);
 * `reversed` is the earning a reversal names (null when none was found).
 */
export function applyLedgerCommand(
  state: MemberLedgerState,
  command: LedgerCommand,
  context: { readonly now: number; readonly entryId: string; readonly idempotencyKey: string; readonly reversed?: ReversedEarning | null },
): LedgerChange | LedgerRefusal {
  const { now, entryId, idempotencyKey } = context;
  const expired = expireDue(state, now);
  let lots = merge(state.lots, expired.lots);
  let owed = state.owed;
  const base = { at: now, idempotencyKey, lotId: null, expiresAt: null, reverses: null } as const;
  const changedLots: PointsLot[] = [...expired.lots];
  let entry: NewLedgerEntry & { id: string };

  const earnLot = (points: number, expiresAt: number | null): PointsLot => {
    // Earnings settle what the member owes before they can be spent.
    const settled = Math.min(owed, points);
    owed -= settled;
    return { id: entryId, earnedAt: now, expiresAt, points, remaining: points - settled };
  };
  const spendFrom = (points: number): LedgerRefusal | null => {
    const taken = take(lots, points, now);
    if (taken === null) return { ok: false, reason: "insufficient-points", balance: balanceAt({ lots, owed }, now) };
    lots = merge(lots, taken);
    changedLots.push(...taken);
    return null;
  };

  switch (command.kind) {
    case "earn": {
      if (!validPoints(command.points)) return { ok: false, reason: "invalid-points", text: `points must be a whole number from 1 to ${MAX_ENTRY_POINTS}` };
      if (command.expiresAt !== null && command.expiresAt <= now)
        return { ok: false, reason: "invalid-points", text: "points cannot be earned already expired" };
      const lot = earnLot(command.points, command.expiresAt);
      lots = merge(lots, [lot]);
      changedLots.push(lot);
      entry = { ...base, id: entryId, kind: "earn", source: command.source, points: command.points, reference: command.reference, reason: command.reason, lotId: lot.id, expiresAt: command.expiresAt };
      break;
    }
    case "spend": {
      if (!validPoints(command.points)) return { ok: false, reason: "invalid-points", text: `points must be a whole number from 1 to ${MAX_ENTRY_POINTS}` };
      const refused = spendFrom(command.points);
      if (refused) return refused;
      entry = { ...base, id: entryId, kind: "spend", source: command.source, points: -command.points, reference: command.reference, reason: command.reason };
      break;
    }
    case "adjust": {
      const magnitude = Math.abs(command.points);
      if (!validPoints(magnitude)) return { ok: false, reason: "invalid-points", text: `points must be a non-zero whole number within ±${MAX_ENTRY_POINTS}` };
      if (command.points > 0) {
        const lot = earnLot(command.points, command.expiresAt);
        lots = merge(lots, [lot]);
        changedLots.push(lot);
        entry = { ...base, id: entryId, kind: "adjust", source: "admin-adjustment", points: command.points, reference: null, reason: command.reason, lotId: lot.id, expiresAt: command.expiresAt };
      } else {
        const refused = spendFrom(magnitude);
        if (refused) return refused;
        entry = { ...base, id: entryId, kind: "adjust", source: "admin-adjustment", points: command.points, reference: null, reason: command.reason };
      }
      break;
    }
    case "reverse": {
      const original = context.reversed ?? null;
      if (original === null) return { ok: false, reason: "nothing-to-reverse", text: `no earning under key ${command.reversesKey}` };
      const before = original.reversedPoints ?? (original.reversed ? original.points : 0);
      const open = original.points - before;
      if (open <= 0) return { ok: false, reason: "already-reversed", text: `the earning under key ${command.reversesKey} was reversed already` };
      const wanted = command.points ?? open;
      if (!validPoints(wanted) || wanted > open)
        return { ok: false, reason: "invalid-points", text: `points to reverse must be a whole number from 1 to ${open} (what is left of the earning)` };
      if (original.spend === true) {
        // A refund of a purchase points paid for: the points come back as a lot of their own
        // (settling what the member owes first, as any earning does).
        const expiresAt = command.expiresAt ?? null;
        if (expiresAt !== null && expiresAt <= now) return { ok: false, reason: "invalid-points", text: "points cannot be given back already expired" };
        const lot = earnLot(wanted, expiresAt);
        lots = merge(lots, [lot]);
        changedLots.push(lot);
        entry = { ...base, id: entryId, kind: "reverse", source: command.source, points: wanted, reference: command.reference, reason: command.reason, lotId: lot.id, expiresAt, reverses: original.entryId };
        break;
      }
      // Exactly what was asked comes back: from the earning's own lot first, then from the other
      // live lots in spending order, and the rest is owed.
      let left = wanted;
      const own = lots.find((l) => l.id === original.lotId && live(l, now));
      const ordered = [...(own ? [own] : []), ...lots.filter((l) => l !== own && live(l, now)).sort(spendOrder)];
      const taken: PointsLot[] = [];
      for (const lot of ordered) {
        if (left === 0) break;
        const used = Math.min(lot.remaining, left);
        taken.push({ ...lot, remaining: lot.remaining - used });
        left -= used;
      }
      lots = merge(lots, taken);
      changedLots.push(...taken);
      owed += left;
      entry = { ...base, id: entryId, kind: "reverse", source: command.source, points: -wanted, reference: command.reference, reason: command.reason, reverses: original.entryId };
      break;
    }
  }
  return {
    ok: true,
    entries: [...expired.entries, entry],
    lots: merge([], changedLots),
    owed,
    balance: balanceAt({ lots, owed }, now),
  };
}

/**
 * A transfer between two members of one organisation: the sender's points leave in spending order
 * and arrive as lots with the same expiries (a transfer does not extend a point's life). Entries:
 * the sender's `transfer-out` (key `idempotencyKey`) and the receiver's `transfer-in` (key
 * `<idempotencyKey>:in`).
 */
export function applyTransfer(
  from: MemberLedgerState,
  to: MemberLedgerState,
  points: number,
  context: { readonly now: number; readonly entryId: string; readonly idempotencyKey: string; readonly reference: string | null },
):
  | { ok: true; from: Omit<LedgerChange, "ok">; to: Omit<LedgerChange, "ok"> }
  | LedgerRefusal {
  const { now, entryId, idempotencyKey } = context;
  if (!validPoints(points)) return { ok: false, reason: "invalid-points", text: `points must be a whole number from 1 to ${MAX_ENTRY_POINTS}` };
  const fromExpired = expireDue(from, now);
  const fromLots = merge(from.lots, fromExpired.lots);
  const taken = take(fromLots, points, now);
  if (taken === null) return { ok: false, reason: "insufficient-points", balance: balanceAt({ lots: fromLots, owed: from.owed }, now) };
  const toExpired = expireDue(to, now);
  let owed = to.owed;
  const arriving: PointsLot[] = [];
  const byId = new Map(fromLots.map((l) => [l.id, l]));
  taken.forEach((after, i) => {
    const moved = (byId.get(after.id)?.remaining ?? 0) - after.remaining;
    const settled = Math.min(owed, moved);
    owed -= settled;
    arriving.push({ id: `${entryId}-${i}`, earnedAt: now, expiresAt: after.expiresAt, points: moved, remaining: moved - settled });
  });
  const base = { at: now, reference: context.reference, reason: null, source: "transfer", reverses: null } as const;
  const fromAfter = merge(fromLots, taken);
  const toAfter = merge(merge(to.lots, toExpired.lots), arriving);
  return {
    ok: true,
    from: {
      entries: [...fromExpired.entries, { ...base, id: entryId, kind: "transfer-out", points: -points, idempotencyKey, lotId: null, expiresAt: null }],
      lots: merge(fromExpired.lots, taken),
      owed: from.owed,
      balance: balanceAt({ lots: fromAfter, owed: from.owed }, now),
    },
    to: {
      entries: [...toExpired.entries, { ...base, id: `${entryId}-in`, kind: "transfer-in", points, idempotencyKey: `${idempotencyKey}:in`, lotId: null, expiresAt: null }],
      lots: merge(toExpired.lots, arriving),
      owed,
      balance: balanceAt({ lots: toAfter, owed }, now),
    },
  };
}
