import type { SharedSqlExecutor } from "./SqlDatabase.js";

/** A connection that runs work in one transaction: SQLite's, PostgreSQL's, or the shared surface of both. */
export interface Transactional<Tx> {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

interface PendingWork<Tx> {
  readonly work: (tx: Tx) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/** Most writes one group commit takes. */
const MAX_GROUP = 500;

/**
 * Group commit (as the ledger does it): the writes that arrive while a commit is on the disk go
 * together in the next transaction, each reading what the one before it wrote, so they are exactly
 * as serial as one transaction each, and each resolves only once its commit is durable. One commit
 * per write would cap claims and redemptions at the disk's fsync rate (a few hundred a second).
 * Writes must answer refusals as values: a write that throws takes its group's transaction with
 * it, and the group then runs again one write per transaction so only the failing one fails.
 */
export class GroupCommit<Tx = SharedSqlExecutor> {
  private pending: PendingWork<Tx>[] = [];
  private flushing = false;

  constructor(private readonly db: Transactional<Tx>) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, MAX_GROUP);
        try {
          const values = await this.db.transaction(async (tx) => {
            const out: unknown[] = [];
            for (const job of group) out.push(await job.work(tx));
            return out;
          });
          group.forEach((job, i) => job.resolve(values[i]));
        } catch {
          // A write failed and took its group's transaction with it (nothing was committed): each
          // write runs again alone, so only the failing one fails. Savepoints per write would cost
          // two statements each on the common path, where nothing fails.
          for (const job of group) {
            try {
              job.resolve(await this.db.transaction((tx) => job.work(tx)));
            } catch (err) {
              job.reject(err);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
