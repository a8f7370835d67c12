export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Exponential backoff with "full jitter" (delay drawn uniformly from 0 to the capped exponential),
 * which spreads a fleet of gateways that lost the broker at the same moment. `random` is in [0, 1).
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(policy.initialMs / 2, Math.floor(random * ceiling));
}
