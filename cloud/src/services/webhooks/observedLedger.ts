import type { LedgerRepository, LedgerWriteResult } from "../repositories.js";

/**
 * The ledger, telling `onWritten` of each entry it writes (a replayed idempotency key writes none):
 * every path that changes points (purchases, refunds, adjustments, spends, transfers) goes through
 * `append` or `transfer`, so the webhook stream sees them all without each caller reporting.
 */
export function observedLedger(
  ledger: LedgerRepository,
  onWritten: (orgId: string, result: Extract<LedgerWriteResult, { ok: true }>) => void,
): LedgerRepository {
  const observe = (orgId: string, result: LedgerWriteResult): LedgerWriteResult => {
    if (result.ok && !result.replayed) onWritten(orgId, result);
    return result;
  };
  return Object.assign(Object.create(ledger) as LedgerRepository, {
    append: async (...args: Parameters<LedgerRepository["append"]>) => observe(args[0], await ledger.append(...args)),
    transfer: async (...args: Parameters<LedgerRepository["transfer"]>) => observe(args[0], await ledger.transfer(...args)),
  });
}
