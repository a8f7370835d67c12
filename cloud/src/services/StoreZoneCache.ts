import type { DirectoryRepository } from "./repositories.js";

/**
 * The zone ids of each store, for ingest's plausibility check, read once and kept in memory. A
 * zone the cache does not know sends it back to the database (it may have been added since), so a
 * new zone is never refused; a deleted zone is forgotten when `invalidate` is called (the store's
 * zones were replaced or edited) and at the latest on the next miss for that store.
 */
export class StoreZoneCache {
  private readonly byStore = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly directory: Pick<DirectoryRepository, "listZones">,
    /** Stores kept at most; beyond it the cache starts over (a flood of unknown store ids). */
    private readonly maxStores = 10_000,
  ) {}

  /** The cached zones of a store when they include every id in `wanted`; otherwise null. */
  peek(storeId: string, wanted: Iterable<string>): ReadonlySet<string> | null {
    const zones = this.byStore.get(storeId);
    if (!zones) return null;
    for (const id of wanted) if (!zones.has(id)) return null;
    return zones;
  }

  /** The store's zones, from the cache if it has every id in `wanted`, else read again. */
  async zoneIds(storeId: string, wanted: Iterable<string>): Promise<ReadonlySet<string>> {
    const cached = this.peek(storeId, wanted);
    if (cached) return cached;
    const zones = new Set((await this.directory.listZones(storeId)).map((z) => z.id));
    if (this.byStore.size >= this.maxStores) this.byStore.clear();
    this.byStore.set(storeId, zones);
    return zones;
  }

  /** Forgets a store's zones (they changed). */
  invalidate(storeId: string): void {
    this.byStore.delete(storeId);
  }

  /** Forgets every store's zones (changes may have been missed: another worker's notices were lost). */
  invalidateAll(): void {
    this.byStore.clear();
  }
}
