import sqlite3 from "sqlite3";

export type SqlValue = string | number | bigint | null | Buffer;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface RunResult {
  readonly changes: number;
  readonly lastId: number;
}

/** What repositories need from a connection; a transaction offers the same surface. */
export interface SqlExecutor {
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

export interface OpenOptions {
  /**
   * `FULL` makes every commit durable against power loss before it resolves: the cloud acks a
   * gateway's events only after they are committed, so an ack must never outlive a crash.
   */
  readonly synchronous?: "FULL" | "NORMAL";
  readonly busyTimeoutMs?: number;
}

/**
 * One SQLite connection (sqlite3) with WAL, a promise API and a single queue: every statement and
 * every transaction runs in order, so a transaction never interleaves with another caller's writes.
 */
export class SqliteDatabase implements SqlExecutor {
  private readonly db: sqlite3.Database;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(db: sqlite3.Database) {
    this.db = db;
  }

  static async open(path: string, options: OpenOptions = {}): Promise<SqliteDatabase> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle: sqlite3.Database = new sqlite3.Database(path, (err) =>
        err ? reject(err) : resolve(handle),
      );
    });
    db.configure("busyTimeout", options.busyTimeoutMs ?? 5000);
    const database = new SqliteDatabase(db);
    await database.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous ?? "FULL"}; PRAGMA foreign_keys = ON;`,
    );
    return database;
  }

  run(sql: string, params: SqlParams = []): Promise<RunResult> {
    return this.enqueue(() => rawRun(this.db, sql, params));
  }

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return this.enqueue(() => rawGet<T>(this.db, sql, params));
  }

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.enqueue(() => rawAll<T>(this.db, sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.enqueue(() => rawExec(this.db, sql));
  }

  /**
   * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`, rolled back if it throws. Transactions are queued,
   * so counters read inside one (budgets, caps) are exact under any concurrency of callers.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      const db = this.db;
      const tx: SqlExecutor = {
        run: (sql, params = []) => rawRun(db, sql, params),
        get: (sql, params = []) => rawGet(db, sql, params),
        all: (sql, params = []) => rawAll(db, sql, params),
        exec: (sql) => rawExec(db, sql),
      };
      await rawExec(db, "BEGIN IMMEDIATE");
      try {
        const result = await fn(tx);
        await rawExec(db, "COMMIT");
        return result;
      } catch (err) {
        await rawExec(db, "ROLLBACK").catch(() => undefined);
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("database is closed"));
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function rawRun(db: sqlite3.Database, sql: string, params: SqlParams): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
      if (err) reject(err);
      else resolve({ changes: this.changes, lastId: this.lastID });
    });
  });
}

function rawGet<T>(db: sqlite3.Database, sql: string, params: SqlParams): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    db.get(sql, params, (err: Error | null, row: T | undefined) => (err ? reject(err) : resolve(row)));
  });
}

function rawAll<T>(db: sqlite3.Database, sql: string, params: SqlParams): Promise<T[]> {
  return new Promise((resolve, reject) => {
    db.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
  });
}

function rawExec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}
