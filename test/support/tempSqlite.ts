import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteRepositories, type SqliteRepositories } from "../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";

/** A migrated cloud database in its own temp dir, and its repositories. */
export interface TempSqlite {
  readonly db: SqliteDatabase;
  readonly repos: SqliteRepositories;
  /** Closes the database and removes its dir. */
  close(): Promise<void>;
}

/** A fresh SQLite cloud database (every migration applied) in a new dir under the OS temp dir named `prefix…`. */
export async function openTempSqlite(prefix: string): Promise<TempSqlite> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const db = await SqliteDatabase.open(join(dir, "cloud.db"));
  await migrate(db, 0);
  return {
    db,
    repos: createSqliteRepositories(db),
    close: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
