/**
 * When redemption attempts are refused for a while: a till key (or a store) that keeps presenting
 * codes that do not exist is guessing, not serving shoppers. Pure: attempts and time are inputs.
 *
 * Only `unknown-code` answers count. A code that exists but is expired, of another store or already
 * redeemed is a shopper's mistake, not a guess (a guesser learns nothing from 96 random bits but
 * "unknown"); a retry with the same idempotency key is the same attempt (counted once); and a
 * successful redemption clears its key's count, so a till that mostly redeems real codes never
 * reaches the limit however long it runs.
 */

export interface LockoutPolicy {
  /** Failed attempts within `windowMs` that lock the key (or the store) out. */
  readonly maxFailures: number;
  /** Sliding window the failures are counted in, ms. */
  readonly windowMs: number;
  /** How long a lockout lasts, ms. */
  readonly lockoutMs: number;
}

/**
 * Per till key: 20 unknown codes in 10 minutes. A cashier mistyping a 20-character code gets it
 * wrong a few times in a row at worst, and every success starts the count again; a guesser at 20
 * codes per 10 minutes has a chance of about 2^-84 per year of finding one.
 */
export const KEY_LOCKOUT_POLICY: LockoutPolicy = { maxFailures: 20, windowMs: 10 * 60_000, lockoutMs: 10 * 60_000 };

/** Per store, all its tills together: 100 unknown codes in 10 minutes (five tills each near their limit). */
export const STORE_LOCKOUT_POLICY: LockoutPolicy = { maxFailures: 100, windowMs: 10 * 60_000, lockoutMs: 10 * 60_000 };

/** What is remembered for one key or store: recent failure times (oldest first) and any lockout. */
export interface LockoutState {
  readonly failuresAt: readonly number[];
  /** Epoch ms until which attempts are refused; null when not locked. */
  readonly lockedUntil: number | null;
}

export const NO_FAILURES: LockoutState = { failuresAt: [], lockedUntil: null };

/** Epoch ms until which attempts are refused at `nowMs`, or null when they are allowed. */
export function lockedUntil(state: LockoutState, nowMs: number): number | null {
  return state.lockedUntil !== null && state.lockedUntil > nowMs ? state.lockedUntil : null;
}

/** The state after one more failed attempt at `nowMs`: the window slides, and the limit locks. */
export function noteFailure(state: LockoutState, nowMs: number, policy: LockoutPolicy): LockoutState {
  const recent = [...state.failuresAt.filter((t) => nowMs - t < policy.windowMs), nowMs];
  if (recent.length >= policy.maxFailures) return { failuresAt: [], lockedUntil: nowMs + policy.lockoutMs };
  return { failuresAt: recent, lockedUntil: lockedUntil(state, nowMs) };
}

/** True when the state holds nothing worth keeping at `nowMs` (so it can be forgotten). */
export function isSpent(state: LockoutState, nowMs: number, policy: LockoutPolicy): boolean {
  return lockedUntil(state, nowMs) === null && state.failuresAt.every((t) => nowMs - t >= policy.windowMs);
}
