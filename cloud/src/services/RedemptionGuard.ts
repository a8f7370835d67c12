import {
  isSpent,
  KEY_LOCKOUT_POLICY,
  type LockoutPolicy,
  type LockoutState,
  lockedUntil,
  NO_FAILURES,
  noteFailure,
  STORE_LOCKOUT_POLICY,
} from "../domain/offers/index.js";

/**
 * Failed redemption attempts per till key and per store, in memory. Kept in memory on purpose: a
 * lockout is a brake on guessing over minutes, a restart (which takes longer than a guesser gains
 * from it, and is an operator's act) may forget it, and a table written on every failed attempt
 * would give a guesser a way to load the database.
 */
export class RedemptionGuard {
  private readonly keys = new Map<string, LockoutState>();
  private readonly stores = new Map<string, LockoutState>();
  /** Idempotency keys already counted per till key, so a till's honest retry counts once. */
  private readonly counted = new Map<string, Set<string>>();
  /** Idempotency keys of redemptions that succeeded, per till key: their retries pass a lockout. */
  private readonly redeemed = new Map<string, Set<string>>();

  constructor(
    private readonly keyPolicy: LockoutPolicy = KEY_LOCKOUT_POLICY,
    private readonly storePolicy: LockoutPolicy = STORE_LOCKOUT_POLICY,
    /** Keys and stores remembered at most; spent entries are dropped first. */
    private readonly maxEntries = 10_000,
  ) {}

  /** Epoch ms until which this key (or its store) may not try codes, or null. */
  lockedUntil(keyId: string, storeId: string, nowMs: number): number | null {
    const key = lockedUntil(this.keys.get(keyId) ?? NO_FAILURES, nowMs);
    const store = lockedUntil(this.stores.get(storeId) ?? NO_FAILURES, nowMs);
    if (key === null) return store;
    return store === null ? key : Math.max(key, store);
  }

  /** A code that does not exist was presented; a retry under the same idempotency key counts once. */
  noteUnknownCode(keyId: string, storeId: string, idempotencyKey: string, nowMs: number): void {
    const seen = this.counted.get(keyId) ?? new Set<string>();
    if (seen.has(idempotencyKey)) return;
    if (seen.size >= 1000) seen.clear();
    seen.add(idempotencyKey);
    this.counted.set(keyId, seen);
    this.prune(nowMs);
    this.keys.set(keyId, noteFailure(this.keys.get(keyId) ?? NO_FAILURES, nowMs, this.keyPolicy));
    this.stores.set(storeId, noteFailure(this.stores.get(storeId) ?? NO_FAILURES, nowMs, this.storePolicy));
  }

  /**
   * True when this till key already redeemed under this idempotency key: a retry that can only
   * replay the first answer (the key is bound to its code), so a lockout need not stop it.
   */
  isReplay(keyId: string, idempotencyKey: string): boolean {
    return this.redeemed.get(keyId)?.has(idempotencyKey) ?? false;
  }

  /** A redemption succeeded: the key's count starts again (the store's keeps its window). */
  noteRedeemed(keyId: string, idempotencyKey: string): void {
    const state = this.keys.get(keyId);
    if (state && state.lockedUntil === null) this.keys.delete(keyId);
    this.counted.delete(keyId);
    const done = this.redeemed.get(keyId) ?? new Set<string>();
    if (done.size >= 1000) done.clear();
    done.add(idempotencyKey);
    if (!this.redeemed.has(keyId) && this.redeemed.size >= this.maxEntries) this.redeemed.clear();
    this.redeemed.set(keyId, done);
  }

  private prune(nowMs: number): void {
    if (this.keys.size + this.stores.size < this.maxEntries) return;
    for (const [id, s] of this.keys) if (isSpent(s, nowMs, this.keyPolicy)) this.keys.delete(id);
    for (const [id, s] of this.stores) if (isSpent(s, nowMs, this.storePolicy)) this.stores.delete(id);
    for (const id of this.counted.keys()) if (!this.keys.has(id)) this.counted.delete(id);
    // Still full: a flood of fresh keys; forget the oldest entries rather than grow.
    while (this.keys.size + this.stores.size >= this.maxEntries) {
      const oldest = this.keys.keys().next();
      if (oldest.done) break;
      this.keys.delete(oldest.value);
    }
  }
}
