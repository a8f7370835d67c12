/**
 * The surface the SQLite and PostgreSQL connections share: `?` placeholders (PostgreSQL numbers
 * them), the values both bind, and a transaction offering the same. A repository whose statements
 * and transactions read the same on both backends is written once against it, in this folder;
 * `SqliteDatabase` and `PostgresDatabase` each satisfy it as they are.
 */
export type SharedSqlValue = string | number | bigint | null | Buffer;

export interface SharedSqlExecutor {
  run(sql: string, params?: readonly SharedSqlValue[]): Promise<{ readonly changes: number }>;
  get<T>(sql: string, params?: readonly SharedSqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly SharedSqlValue[]): Promise<T[]>;
}

export interface SharedSqlDatabase extends SharedSqlExecutor {
  /**
   * Runs `fn` in one transaction, rolled back if it throws: queued behind every other statement on
   * SQLite's one connection, SERIALIZABLE (retried on conflict) on PostgreSQL.
   */
  transaction<T>(fn: (tx: SharedSqlExecutor) => Promise<T>): Promise<T>;
}
