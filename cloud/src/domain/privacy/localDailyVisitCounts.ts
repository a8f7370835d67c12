import { isValidTimeZone, localDayKey } from "../rules/localTime.js";

/**
 * Width of the time buckets visits are counted in before they are put on local days. Every UTC
 * offset in use (and every daylight-saving switch) is a whole number of quarter hours, so a
 * quarter-hour bucket aligned on the epoch never straddles a local midnight: counting per bucket in
 * the database and naming each bucket's day here gives the same days as naming every visit's.
 */
export const VISIT_BUCKET_MS = 15 * 60_000;

/** Visits of one store and zone that started in the bucket `[bucketStart, bucketStart + VISIT_BUCKET_MS)`. */
export interface VisitBucket {
  readonly storeId: string;
  readonly zoneId: string;
  /** Epoch milliseconds, a multiple of `VISIT_BUCKET_MS`. */
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
 * The store's local calendar day of `ms`. A store's day is its own: in Asia/Hong_Kong the UTC day
 * would cut the business day at 08:00. A timezone the runtime does not know (or a store that is
 * gone) falls back to the UTC day, as the funnel's day grouping does: a count must land on some
 * day, and the rules engine's answer (issue nothing) has no equivalent for a count.
 */
export function storeDayKey(ms: number, timezone: string | null): string {
  return localDayKey(ms, timezone !== null && isValidTimeZone(timezone) ? timezone : "UTC");
}

/** Sums visit buckets into counts per store-local day, store and zone, ordered by day, store, zone. */
export function localDailyVisitCounts(buckets: readonly VisitBucket[]): LocalDailyVisitCount[] {
  return sumDailyVisitCounts(
    buckets.map((b) => ({ day: storeDayKey(b.bucketStart, b.timezone), storeId: b.storeId, zoneId: b.zoneId, visits: b.visits })),
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
