import type { AppUser, DirectoryRepository, Organisation, StoreRecord, UserRepository, ZoneRecord } from "../repositories.js";

/** How often the directory was written, as storage counts it (any write, by any writer). */
export type DirectoryChangeCounter = Pick<DirectoryRepository, "directoryChanges">;

/** Users read many at a time (one statement for a whole group's users). */
export type UsersByIds = Pick<UserRepository, "usersByIds">;

/** The directory records a decision reads. */
export interface DirectoryReads {
  getStore(id: string): Promise<StoreRecord | null>;
  getZone(storeId: string, zoneId: string): Promise<ZoneRecord | null>;
  getOrganisation(id: string): Promise<Organisation | null>;
  getUser(id: string): Promise<AppUser | null>;
}

export interface DirectoryCacheOptions {
  readonly directory: Pick<DirectoryRepository, "getStore" | "getZone" | "getOrganisation">;
  readonly users: Pick<UserRepository, "getUser">;
  readonly changes: DirectoryChangeCounter;
  /** When given, `prime` reads a group's missing users in one go. */
  readonly usersByIds?: UsersByIds;
  /** Records held before the cache starts over (default 100 000), so memory stays bounded. */
  readonly maxEntries?: number;
}

/**
 * The organisations, stores, zones and users that decisions read, held in memory. Every record is
 * dropped when storage's change counter moves (`refresh`, once per decision group): the counter is
 * kept by storage itself on every write, whichever repository or erasure or migration made it, so
 * no write path can forget to invalidate the cache. A decision therefore sees every directory
 * write committed before its group started, as it did when it read them one by one.
 */
export class DirectoryCache implements DirectoryReads {
  private readonly o: DirectoryCacheOptions;
  private readonly records = new Map<string, Promise<unknown>>();
  private seen: number | null = null;

  constructor(options: DirectoryCacheOptions) {
    this.o = options;
  }

  /** Drops every record if the directory changed since the last call. */
  async refresh(): Promise<void> {
    const changes = await this.o.changes.directoryChanges();
    if (changes !== this.seen || this.records.size >= (this.o.maxEntries ?? 100_000)) this.records.clear();
    this.seen = changes;
  }

  /**
   * Drops every record now (another worker said the directory changed). `refresh` would notice at
   * the next group through storage's counter; this saves the reads of a group decided meanwhile.
   */
  invalidate(): void {
    this.records.clear();
    this.seen = null;
  }

  /** Reads the users of `ids` not held yet in one go, so a group's lookups do not queue one by one. */
  async prime(userIds: readonly string[]): Promise<void> {
    const batch = this.o.usersByIds;
    if (!batch) return;
    const missing = [...new Set(userIds)].filter((id) => !this.records.has(`u\u0000${id}`));
    if (missing.length === 0) return;
    const found = new Map((await batch.usersByIds(missing)).map((u) => [u.id, u]));
    for (const id of missing) {
      const key = `u\u0000${id}`;
      if (!this.records.has(key)) this.records.set(key, Promise.resolve(found.get(id) ?? null));
    }
  }

  getStore(id: string): Promise<StoreRecord | null> {
    return this.cached(`s\u0000${id}`, () => this.o.directory.getStore(id));
  }

  getZone(storeId: string, zoneId: string): Promise<ZoneRecord | null> {
    return this.cached(`z\u0000${storeId}\u0000${zoneId}`, () => this.o.directory.getZone(storeId, zoneId));
  }

  getOrganisation(id: string): Promise<Organisation | null> {
    return this.cached(`o\u0000${id}`, () => this.o.directory.getOrganisation(id));
  }

  getUser(id: string): Promise<AppUser | null> {
    return this.cached(`u\u0000${id}`, () => this.o.users.getUser(id));
  }

  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.records.get(key);
    if (hit !== undefined) return hit as Promise<T>;
    const reading = read();
    this.records.set(key, reading);
    // A failed read is not kept: the next decision reads again.
    reading.catch(() => {
      if (this.records.get(key) === reading) this.records.delete(key);
    });
    return reading;
  }
}
