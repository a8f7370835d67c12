import pg from "pg";

export type PgValue = string | number | bigint | boolean | null | Buffer;
export type PgParams = readonly PgValue[];

export interface PgRunResult {
  /** Rows the statement inserted, updated or deleted. */
  readonly changes: number;
}

/**
 * What repositories need from PostgreSQL; a transaction offers the same surface. Statements take
 * `?` placeholders, numbered `$1…$n` here (outside quoted literals), so a statement reads the same
 * as its SQLite sibling.
 */
export interface PgExecutor {
  run(sql: string, params?: PgParams): Promise<PgRunResult>;
  get<T>(sql: string, params?: PgParams): Promise<T | undefined>;
  all<T>(sql: string, params?: PgParams): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** How to reach the server: a connection URL plus what must not sit in it. */
export interface PostgresConnectOptions {
  /** `postgres://user@host:port/database`; a password in it is used unless `password` is given. */
  readonly url: string;
  readonly password?: string;
  /**
   * TLS: `false` for none, `true` to require it with the system's CAs, or node TLS options; it
   * replaces any `sslmode` of the URL. Default: what the URL says (none without `sslmode`).
   */
  readonly ssl?: boolean | { readonly ca?: string; readonly rejectUnauthorized?: boolean };
  /** Connections of this process's pool; default 10. */
  readonly maxConnections?: number;
  /** Tag on every connection, seen in pg_stat_activity; default "arrival-cloud". */
  readonly applicationName?: string;
  /** Told when an idle connection fails (server restart, failover); the pool replaces it. */
  readonly onIdleError?: (err: Error) => void;
}

/** SQLSTATEs after which a transaction is safe to run again from the start. */
const RETRYABLE = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
]);
/**
 * Tries of one transaction. Two processes issuing offers of one rule both update its counter row,
 * so one of them runs again; with a random back-off growing to 100 ms, 20 tries carry a few dozen
 * groups contending at once (one group at a time per cloud process is the usual case).
 */
const MAX_ATTEMPTS = 20;

/**
 * Types as the ports expect them: every time is an epoch-ms number and every count a number, as
 * in SQLite. int8 (BIGINT columns, COUNT) and numeric (SUM over BIGINT) arrive as strings by
 * default; both stay far below 2^53 here (times in ms until the year 287 396, counts of rows).
 */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));

/** `?` → `$n` and SQLite's numbered `?n` → `$n`, skipping quoted literals and identifiers. */
export function numberPlaceholders(sql: string): string {
  let out = "";
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql.charAt(i);
    if (quote !== null) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0];
      if (digits === undefined) {
        out += `$${++n}`;
      } else {
        out += `$${digits}`;
        i += digits.length;
      }
    } else {
      out += ch;
    }
  }
  return out;
}

const codeOf = (err: unknown): unknown => (err as { code?: unknown }).code;
const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));

/**
 * Statements on `client`. On the pool (`autocommit`), each statement is its own transaction: one
 * chosen as a deadlock victim (two processes updating the same rows in another order) was rolled
 * back whole, so it runs again.
 */
function executorOn(client: pg.Pool | pg.PoolClient, autocommit = false): PgExecutor {
  const query = async <T>(sql: string, params: PgParams): Promise<pg.QueryResult<T & pg.QueryResultRow>> => {
    const text = numberPlaceholders(sql);
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.query<T & pg.QueryResultRow>(text, params as unknown[]);
      } catch (err) {
        if (!autocommit || codeOf(err) !== "40P01" || attempt >= MAX_ATTEMPTS) throw err;
        await backOff(attempt);
      }
    }
  };
  return {
    async run(sql, params = []) {
      const result = await query(sql, params);
      return { changes: result.rowCount ?? 0 };
    },
    async get<T>(sql: string, params: PgParams = []) {
      const result = await query<T>(sql, params);
      return result.rows[0] as T | undefined;
    },
    async all<T>(sql: string, params: PgParams = []) {
      const result = await query<T>(sql, params);
      return result.rows as T[];
    },
    async exec(sql) {
      // The simple query protocol: several statements, no parameters (migrations).
      await client.query(sql);
    },
  };
}

/**
 * node-postgres settings for one connection of `options` (the pool's, or a dedicated session such
 * as PostgresCoordination's), so both reach the server the same way. node-postgres lets the
 * connection string override a separate password, so the password goes into the URL here, in
 * memory only; likewise its TLS parameters override `ssl`, so the option given, when there is
 * one, decides.
 */
export function postgresClientConfig(options: PostgresConnectOptions): pg.ClientConfig {
  const url = new URL(options.url);
  if (options.password !== undefined) url.password = encodeURIComponent(options.password);
  if (options.ssl !== undefined) {
    for (const name of ["ssl", "sslmode", "sslcert", "sslkey", "sslrootcert"]) url.searchParams.delete(name);
  }
  const config: pg.ClientConfig = {
    connectionString: url.toString(),
    application_name: options.applicationName ?? "arrival-cloud",
  };
  if (options.ssl !== undefined && options.ssl !== false) {
    config.ssl = options.ssl === true ? true : { ...options.ssl };
  }
  return config;
}

/**
 * A pool of connections to one PostgreSQL database. Unlike the SQLite connection, nothing here is
 * queued: several cloud processes share the database, so every read-modify-write runs in a
 * transaction and relies on the server (constraints, row locks, SERIALIZABLE), never on this
 * process's memory.
 */
export class PostgresDatabase implements PgExecutor {
  private readonly pool: pg.Pool;
  private readonly direct: PgExecutor;
  private closed = false;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
    this.direct = executorOn(pool, true);
  }

  /** Opens a pool and checks that the server answers. */
  static async open(options: PostgresConnectOptions): Promise<PostgresDatabase> {
    const config: pg.PoolConfig = { ...postgresClientConfig(options), max: options.maxConnections ?? 10, types };
    const pool = new pg.Pool(config);
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it and the next query reports any lasting failure.
    pool.on("error", (err) => options.onIdleError?.(err));
    try {
      await pool.query("SELECT 1");
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresDatabase(pool);
  }

  run(sql: string, params: PgParams = []): Promise<PgRunResult> {
    this.assertOpen();
    return this.direct.run(sql, params);
  }

  get<T>(sql: string, params: PgParams = []): Promise<T | undefined> {
    this.assertOpen();
    return this.direct.get<T>(sql, params);
  }

  all<T>(sql: string, params: PgParams = []): Promise<T[]> {
    this.assertOpen();
    return this.direct.all<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    this.assertOpen();
    return this.direct.exec(sql);
  }

  /**
   * Runs `fn` in one SERIALIZABLE transaction on one connection, rolled back if it throws. When
   * the server aborts it to keep the outcome serial (another process touched the same rows) or
   * to break a deadlock, it runs again from the start, so `fn` must have no effect outside the
   * transaction. With SERIALIZABLE, a read-then-write (a budget read, then an insert) is exact
   * across any number of cloud processes, as SQLite's single writer made it in one.
   *
   * `readCommitted` is for work that serialises itself with a lock it takes first (migrations, coupon claims and redemptions):
   * each statement then sees what was committed before it, not the snapshot of the first one.
   */
  async transaction<T>(fn: (tx: PgExecutor) => Promise<T>, options: { readonly readCommitted?: boolean } = {}): Promise<T> {
    this.assertOpen();
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      // pg-pool listens for a client's errors only while it is idle. A connection the server ends
      // while it is checked out here (a restart, a failover, pg_terminate_backend) emits 'error' on
      // the client; without a listener that is an uncaught exception and the whole worker dies. The
      // statement in flight fails on its own, so here the connection is only marked not to reuse.
      const onError = (): void => {
        broken = true;
      };
      client.on("error", onError);
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${options.readCommitted === true ? "READ COMMITTED" : "SERIALIZABLE"}`);
        const result = await fn(executorOn(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        const code = codeOf(err);
        if (typeof code === "string" && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          // Back off a little, at random, so two contenders do not collide again in step.
          await backOff(attempt);
          continue;
        }
        throw err;
      } finally {
        client.removeListener("error", onError);
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("database is closed");
  }
}
