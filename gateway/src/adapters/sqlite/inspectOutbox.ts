import { access } from "node:fs/promises";
import sqlite3 from "sqlite3";

/** What `doctor` reads of an outbox file, opened read-only. */
export interface OutboxInspection {
  /** Events waiting to be acknowledged by the cloud. */
  readonly depth: number;
  /** When the oldest waiting event was stored (epoch ms), or null when none waits. */
  readonly oldestInsertedAt: number | null;
  /** `PRAGMA quick_check`'s answer: ["ok"] for a sound file, otherwise what is wrong. */
  readonly integrity: readonly string[];
}

/**
 * Opens the outbox read-only (a running gateway may be writing it: WAL lets both proceed), checks
 * its structure and counts what waits. Rejects with ENOENT when there is no file (SQLite's own
 * CANTOPEN would not tell a missing file from an unreadable one), otherwise when it cannot be
 * opened or is not an outbox.
 */
export async function inspectOutbox(path: string): Promise<OutboxInspection> {
  await access(path);
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle: sqlite3.Database = new sqlite3.Database(path, sqlite3.OPEN_READONLY, (err) =>
      err ? reject(err) : resolve(handle),
    );
  });
  const all = <T>(sql: string): Promise<T[]> =>
    new Promise((resolve, reject) => db.all<T>(sql, [], (err, rows) => (err ? reject(err) : resolve(rows))));
  try {
    db.configure("busyTimeout", 5000);
    // quick_check: the structural checks of integrity_check without matching every index entry,
    // O(N) and fast enough on a Pi for the largest outbox the config allows.
    const integrity = (await all<{ quick_check: string }>("PRAGMA quick_check")).map((r) => r.quick_check);
    const [row] = await all<{ depth: number; oldest: number | null }>(
      "SELECT COUNT(*) AS depth, MIN(inserted_at) AS oldest FROM outbox",
    );
    return { depth: row?.depth ?? 0, oldestInsertedAt: row?.oldest ?? null, integrity };
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}
