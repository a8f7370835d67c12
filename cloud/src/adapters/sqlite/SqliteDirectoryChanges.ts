import type { DirectoryChangeCounter } from "../../services/pipeline/DirectoryCache.js";
import type { SqliteDatabase } from "./SqliteDatabase.js";

/** The directory change counter that migration 11's triggers keep on every directory write. */
export class SqliteDirectoryChanges implements DirectoryChangeCounter {
  constructor(private readonly db: SqliteDatabase) {}

  async directoryChanges(): Promise<number> {
    const row = await this.db.get<{ changes: number }>("SELECT changes FROM directory_changes WHERE id = 1");
    return row?.changes ?? 0;
  }
}
