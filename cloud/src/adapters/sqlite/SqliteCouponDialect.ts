import { GroupCommit } from "../sql/GroupCommit.js";
import type { SharedSqlExecutor } from "../sql/SqlDatabase.js";
import type { CouponDialect } from "../sql/SqlCouponRepository.js";
import type { SqliteDatabase } from "./SqliteDatabase.js";

/**
 * Coupon writes on SQLite's one connection: its transactions run one at a time, so none locks a
 * row, and a counter read inside one is the counter its update raises.
 */
export class SqliteCouponDialect implements CouponDialect {
  /** Claims are group-committed (see `GroupCommit`): a flash sale is thousands a second. */
  private readonly writes: GroupCommit;

  constructor(private readonly db: SqliteDatabase) {
    this.writes = new GroupCommit<SharedSqlExecutor>(db);
  }

  claim<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T> {
    return this.writes.run(work);
  }

  exchange<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T> {
    // In the claims' group commit: an exchange is a claim that also writes the ledger, and the
    // database runs one transaction at a time, so the ledger's own writes are serial with it too.
    return this.writes.run(work);
  }

  answer<T>(work: (tx: SharedSqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  forUpdate(): string {
    return "";
  }

  lockBatch(): Promise<boolean> {
    // Nothing to lock, and no statement spent: the claim's next read finds a missing batch.
    return Promise.resolve(true);
  }

  jsonTextElements(column: string, alias: string): string {
    return `json_each(${column}) ${alias}`;
  }
}
