import type { SharedSqlExecutor } from "../sql/SqlDatabase.js";
import type { CouponDialect } from "../sql/SqlCouponRepository.js";
import type { PostgresDatabase } from "./PostgresDatabase.js";

/**
 * Coupon writes on PostgreSQL, where several cloud processes share the database: nothing is
 * batched or queued in memory as SQLite's group commit does; every limit holds by row locks,
 * conditional updates and unique constraints in the server.
 */
export class PostgresCouponDialect implements CouponDialect {
  constructor(private readonly db: PostgresDatabase) {}

  claim<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T> {
    // READ COMMITTED: the claim first locks the batch's row (lockBatch), so claims of one batch
    // run one after another (as SQLite's single writer runs them) and each of its later statements
    // sees what the claim before it committed. SERIALIZABLE would instead abort all but one of the
    // claims racing for a batch and run them again, a retry storm in a flash sale.
    return this.db.transaction(work, { readCommitted: true });
  }

  exchange<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T> {
    // SERIALIZABLE (the ledger's level): the member's lots are read and then spent, so a ledger
    // write of another process in between aborts one of the two, which runs again; the batch's
    // row lock in the claim orders it with the claims of the batch.
    return this.db.transaction(work);
  }

  answer<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T> {
    // READ COMMITTED behind the gift's row lock: an accept and a decline of one gift (in any
    // process) run one after the other, the second seeing the first's answer.
    return this.db.transaction(work, { readCommitted: true });
  }

  forUpdate(alias?: string): string {
    return alias === undefined ? " FOR UPDATE" : ` FOR UPDATE OF ${alias}`;
  }

  async lockBatch(tx: SharedSqlExecutor, batchId: string): Promise<boolean> {
    return (await tx.get<{ id: string }>("SELECT id FROM coupon_batches WHERE id = ? FOR UPDATE", [batchId])) !== undefined;
  }

  jsonTextElements(column: string, alias: string): string {
    // Erasure edits this JSON in a TEXT column; arrival_try_jsonb reads text that is not JSON as NULL.
    return `jsonb_array_elements_text(CASE WHEN jsonb_typeof(arrival_try_jsonb(${column})) = 'array'
             THEN arrival_try_jsonb(${column}) END) ${alias}(value)`;
  }
}
