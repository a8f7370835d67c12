import { isValidInstant, storeDayKey } from "../rules/localTime.js";

/** Visits of one store and zone that started in the bucket `[bucketStart, bucketStart + DAY_SAFE_BUCKET_MS)`. */
export interface VisitBucket {
  readonly storeId: string;
  readonly zoneId: string;
  /** Epoch milliseconds, a multiple of `DAY_SAFE_BUCKET_MS`. */
  readonly bucketStart: number;
  readonly visits: number;
  /** The store's IANA timezone; null when the store is unknown. */
  readonly timezone: string | null;
}

/** Visits of a store's zone on one local day of the store. */
export interface LocalDailyVisitCount {
  /** The store's local calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly storeId: string;
  readonly zoneId: string;
  readonly visits: number;
}

/**
 * Sums visit buckets into counts per store-local day, store and zone, ordered by day, store, zone.
 * A bucket no calendar can name (a visit stored before ingest bounded dwell, entered 10^15 years
 * ago) is left out rather than failing every count of the store.
 */
export function localDailyVisitCounts(buckets: readonly VisitBucket[]): LocalDailyVisitCount[] {
  return sumDailyVisitCounts(
    buckets.filter((b) => isValidInstant(b.bucketStart)).map((b) => ({ day: storeDayKey(b.bucketStart, b.timezone), storeId: b.storeId, zoneId: b.zoneId, visits: b.visits })),
  );
}

/** Adds up counts of the same day, store and zone; ordered by day, store, zone. */
export function sumDailyVisitCounts(counts: readonly LocalDailyVisitCount[]): LocalDailyVisitCount[] {
  const sums = new Map<string, LocalDailyVisitCount>();
  for (const c of counts) {
    const key = JSON.stringify([c.day, c.storeId, c.zoneId]);
    sums.set(key, { ...c, visits: (sums.get(key)?.visits ?? 0) + c.visits });
  }
  const order = (a: LocalDailyVisitCount, b: LocalDailyVisitCount): number =>
    compare(a.day, b.day) || compare(a.storeId, b.storeId) || compare(a.zoneId, b.zoneId);
  return [...sums.values()].sort(order);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
