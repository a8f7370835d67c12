import { open, readFile, stat, unlink } from "node:fs/promises";
import { resolve } from "node:path";

/** Lock files this process holds: a second gateway in the same process is refused too. */
const heldHere = new Set<string>();

/** A lock file with no pid yet younger than this is being written by its owner, not stale. */
const WRITING_GRACE_MS = 10_000;

/** Another live process holds the outbox: two processes with one identity would fight over it. */
export class OutboxLockedError extends Error {
  readonly code = "outbox-locked";

  constructor(
    readonly lockPath: string,
    readonly holderPid: number,
  ) {
    super(
      `another gateway process (pid ${holderPid}) runs with this data directory (lock ${lockPath}); ` +
        "two processes with one identity would take each other's MQTT session and share one outbox. " +
        "Stop the other one, or give this one its own dataDir and gateway id.",
    );
    this.name = "OutboxLockedError";
  }
}

/** True when a process with this pid exists (signal 0 checks without signalling; EPERM: it exists). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface OutboxLockOptions {
  /** The lock file, beside the outbox (`<dataDir>/outbox.lock`). */
  readonly path: string;
  /** This process's pid; default `process.pid`. */
  readonly pid?: number;
  /** Whether a pid is alive; default `processExists`. */
  readonly isAlive?: (pid: number) => boolean;
}

/**
 * One gateway identity, one process: an exclusive lock file holding the owner's pid, created with
 * O_EXCL so two processes starting at once cannot both get it. A lock whose pid is dead (a crash, a
 * power cut) is stale and taken over; one whose pid lives makes `acquire` throw `OutboxLockedError`.
 */
export class OutboxLock {
  private held = false;
  private readonly path: string;
  private readonly pid: number;

  constructor(private readonly options: OutboxLockOptions) {
    this.path = resolve(options.path);
    this.pid = options.pid ?? process.pid;
  }

  async acquire(): Promise<void> {
    if (this.held) return;
    if (heldHere.has(this.path)) throw new OutboxLockedError(this.path, this.pid);
    const isAlive = this.options.isAlive ?? processExists;
    // Twice at most: once as found, once after removing a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(this.path, "wx");
        try {
          await handle.writeFile(`${this.pid}\n`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        this.held = true;
        heldHere.add(this.path);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const holder = await this.holder();
      if (holder === null && (await this.ageMs()) < WRITING_GRACE_MS) throw new OutboxLockedError(this.path, -1);
      // Our own pid in the file (and not held in this process): a lock left by this very pid in an
      // earlier life (pids are reused after a reboot; a container's gateway is often pid 1 every
      // time); it is ours to take.
      if (holder !== null && holder !== this.pid && isAlive(holder)) throw new OutboxLockedError(this.path, holder);
      await unlink(this.path).catch(() => undefined);
    }
    throw new OutboxLockedError(this.path, (await this.holder()) ?? -1);
  }

  /** Removes the lock if this process holds it. Idempotent. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.path);
    if ((await this.holder()) === this.pid) await unlink(this.path).catch(() => undefined);
  }

  private async ageMs(): Promise<number> {
    try {
      return Date.now() - (await stat(this.path)).mtimeMs;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  /** The pid in the lock file, or null when it is missing or unreadable (a crash mid-write). */
  private async holder(): Promise<number | null> {
    try {
      const pid = Number.parseInt((await readFile(this.path, "utf8")).trim(), 10);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }
}
