/**
 * Deterministic holdout: a shopper is in a rule's control group when a hash of (rule id, user id)
 * falls below the holdout share. The same pair always lands in the same place, so a held-out
 * shopper stays held out on every event, across restarts and across rule versions (the key is the
 * rule id, not the version); raising the percentage only adds shoppers to the group, never swaps
 * them. Different rules hash independently, so one shopper is not the control of every campaign.
 */

/** Position of (ruleId, userId) in [0, 1). FNV-1a over UTF-16 code units, then a murmur3 finaliser
 * so that sequential ids (`u0001`, `u0002`) spread evenly. Not cryptographic; it need not be. */
export function holdoutPosition(ruleId: string, userId: string): number {
  const key = `${ruleId}\u0000${userId}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

/** True when `userId` is in the control group of `ruleId` at `holdoutPercent` (0..100). */
export function isHeldOut(ruleId: string, userId: string, holdoutPercent: number): boolean {
  if (holdoutPercent <= 0) return false;
  return holdoutPosition(ruleId, userId) * 100 < holdoutPercent;
}
