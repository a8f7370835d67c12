import type { LedgerRepository, LedgerWriteResult, WrittenEntry } from "../repositories.js";

/**
 * The ledger, telling `onWritten` of each entry it writes through `append`, `transfer` or
 * `expireDue` (a replayed idempotency key writes none): purchases, refunds, adjustments, spends,
 * both members' sides of a transfer, lots a write found expired and the lots the expiry sweep
 * writes off, so the webhook stream sees them without each caller reporting. Writes made beside a
 * purchase or a coupon in one transaction (points paid at the till, a points exchange) do not pass
 * here: their services report them. Every other method goes to the ledger itself, called on it,
 * so an adapter's own state (a group-commit queue) stays one.
 */
export function observedLedger(ledger: LedgerRepository, onWritten: (orgId: string, written: WrittenEntry) => void): LedgerRepository {
  const observe = (orgId: string, result: LedgerWriteResult): LedgerWriteResult => {
    if (result.ok) for (const w of result.written) onWritten(orgId, w);
    return result;
  };
  return {
    append: async (...args) => observe(args[0], await ledger.append(...args)),
    transfer: async (...args) => observe(args[0], await ledger.transfer(...args)),
    balance: (...args) => ledger.balance(...args),
    history: (...args) => ledger.history(...args),
    entryByKey: (...args) => ledger.entryByKey(...args),
    expireDue: async (...args) => {
      const written = await ledger.expireDue(...args);
      for (const w of written) onWritten(w.entry.orgId, w);
      return written;
    },
    entrySum: (...args) => ledger.entrySum(...args),
    entriesAfter: (...args) => ledger.entriesAfter(...args),
  };
}
