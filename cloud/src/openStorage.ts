import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { PostgresCoordination } from "./adapters/postgres/coordination/PostgresCoordination.js";
import { createPostgresRepositories } from "./adapters/postgres/createPostgresRepositories.js";
import { migratePostgres } from "./adapters/postgres/migrations.js";
import { type PostgresConnectOptions, postgresClientConfig, PostgresDatabase } from "./adapters/postgres/PostgresDatabase.js";
import { createSqliteRepositories } from "./adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "./adapters/sqlite/migrations.js";
import { SqliteDatabase } from "./adapters/sqlite/SqliteDatabase.js";
import type { CloudConfig } from "./config/schema.js";
import { type Coordination, LocalCoordination } from "./services/Coordination.js";
import type { Logger, Scheduler } from "./services/ports.js";
import type { Repositories } from "./services/repositories.js";

/** A value bound to a statement's `?` placeholder, on either backend. */
export type SqlStoreValue = string | number | bigint | null | Buffer;

/**
 * The statement surface both backends share (`?` placeholders, rows as plain objects): for the
 * readiness probe, tools and tests that look at the tables. Services never use it; they use the
 * repositories.
 */
export interface SqlStore {
  run(sql: string, params?: readonly SqlStoreValue[]): Promise<{ readonly changes: number }>;
  get<T>(sql: string, params?: readonly SqlStoreValue[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly SqlStoreValue[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Every repository of the configured backend, and its connection. */
export interface CloudRepositories extends Repositories {
  readonly db: SqlStore;
}

/** The cloud's storage, opened and migrated. */
export interface Storage {
  readonly kind: CloudConfig["storage"]["kind"];
  readonly repositories: CloudRepositories;
  /** Whether the database answers (the readiness probe). */
  ping(): Promise<boolean>;
  /**
   * Coordination of the workers sharing this storage, for worker `workerId`: with SQLite one
   * process (`LocalCoordination`, always leader); with PostgreSQL, leadership and change notices
   * through the same database (`PostgresCoordination`, its own session with the same connection
   * settings), not started.
   */
  coordination(workerId: string, deps: { readonly scheduler: Scheduler; readonly log: Logger }): Coordination;
  close(): Promise<void>;
}

/**
 * Opens the storage the config selects and brings its schema up to date: SQLite in one file
 * (`<dataDir>/cloud.db` unless `storage.path` names another), or a PostgreSQL database that
 * several cloud processes may share. The PostgreSQL password comes from `passwordFile`, else
 * `password` (ARRIVAL_PG_PASSWORD), else the URL.
 */
export async function openStorage(config: Readonly<CloudConfig>, now: number, log?: Logger): Promise<Storage> {
  const storage = config.storage;
  if (storage.kind === "postgres") {
    const options: PostgresConnectOptions = {
      url: storage.url,
      onIdleError: (err) => log?.warn({ err }, "idle database connection failed; replaced"),
      ...(storage.maxConnections === undefined ? {} : { maxConnections: storage.maxConnections }),
    };
    const password =
      storage.passwordFile === undefined
        ? storage.password
        : (await readFile(storage.passwordFile, "utf8")).replace(/\r?\n$/, "");
    const ssl =
      storage.ssl === undefined || typeof storage.ssl === "boolean"
        ? storage.ssl
        : {
            ...(storage.ssl.caFile === undefined ? {} : { ca: await readFile(storage.ssl.caFile, "utf8") }),
            rejectUnauthorized: storage.ssl.rejectUnauthorized ?? true,
          };
    const connection: PostgresConnectOptions = {
      ...options,
      ...(password === undefined ? {} : { password }),
      ...(ssl === undefined ? {} : { ssl }),
    };
    const db = await PostgresDatabase.open(connection);
    try {
      await migratePostgres(db, now);
    } catch (err) {
      await db.close();
      throw err;
    }
    return {
      kind: "postgres",
      repositories: createPostgresRepositories(db),
      ping: async () => (await db.get("SELECT 1 AS ok").catch(() => undefined)) !== undefined,
      coordination: (workerId, deps) =>
        new PostgresCoordination({
          // Its own application name, so the sessions holding leadership stand out in pg_stat_activity.
          connection: postgresClientConfig({ ...connection, applicationName: "arrival-cloud-coordination" }),
          workerId,
          scheduler: deps.scheduler,
          log: deps.log,
        }),
      close: () => db.close(),
    };
  }
  const path = storage.path ?? join(config.dataDir, "cloud.db");
  await mkdir(dirname(path), { recursive: true });
  const db = await SqliteDatabase.open(path);
  try {
    await migrate(db, now);
  } catch (err) {
    await db.close();
    throw err;
  }
  return {
    kind: "sqlite",
    repositories: createSqliteRepositories(db),
    ping: async () => (await db.get("SELECT 1 AS ok").catch(() => undefined)) !== undefined,
    // One file, one process: no other worker to lead or to tell.
    coordination: (workerId) => new LocalCoordination(workerId),
    close: () => db.close(),
  };
}
