import type { PresenceEvent } from "../../../../protocol/index.js";
import type { EidKey, EidResolutionRow } from "../../domain/privacy/eidResolution.js";
import type { LocationFix } from "../../domain/privacy/geofencePlausibility.js";
import type { StoredEvent } from "./EventRepository.js";

/** Eddystone-EID identity keys and the resolution table built from them. */
export interface EidKeyRepository {
  /** Stores (or replaces) an install's identity key; the key is never read back by the API. */
  putEidKey(key: EidKey, now: number): Promise<void>;
  listEidKeys(): Promise<EidKey[]>;
  /** Upserts these rows and deletes every row no longer valid at `nowS`. */
  refreshEidResolutions(rows: readonly EidResolutionRow[], nowS: number): Promise<void>;
}

/** A phone's geofence entry as stored: the event, its fix and its plausibility signals. */
export interface AppEntryInput {
  readonly event: PresenceEvent;
  readonly userId: string;
  /** The GPS fix of a geofence entry; null for a store beacon sighting (no position, the beacon is the store). */
  readonly fix: LocationFix | null;
  readonly signals: object;
  readonly receivedAt: number;
  /** Set for an entry that goes no further (implausible), so no restart decides it later. */
  readonly decidedAt: number | null;
}

/** Phone location reports and what the store's own gateways saw. */
export interface LocationRepository {
  /** The user's latest fix before `before`, or null. */
  lastFix(userId: string, before: number): Promise<LocationFix | null>;
  countGateways(storeId: string): Promise<number>;
  /** How many gateway (non-app) events of the user at the store fall in [from, to]. */
  countGatewaySightings(userId: string, storeId: string, from: number, to: number): Promise<number>;
  /** Stores the entry event with its signals and the fix, once; null when already stored. */
  storeAppEntry(input: AppEntryInput): Promise<StoredEvent | null>;
}

export interface RetentionResult {
  readonly eventsDeleted: number;
  readonly visitsAggregated: number;
  readonly fixesDeleted: number;
  /** Decision log entries older than the cutoff (by decision time): they say where a user was. */
  readonly decisionsDeleted: number;
}

export interface DailyVisitCount {
  /** The store's local calendar day of the visits' entry, `YYYY-MM-DD` (UTC for an unknown timezone). */
  readonly day: string;
  readonly storeId: string;
  readonly zoneId: string;
  readonly visits: number;
}

export interface RetentionRepository {
  /**
   * Folds visits that started before `cutoff` into daily counts per store-local day and zone, then deletes
   * them, the raw presence events, the location fixes and the decision log older than `cutoff`, in
   * one transaction.
   */
  applyRetention(cutoff: number): Promise<RetentionResult>;
  /**
   * Visits per local day of the store and zone: kept counts past retention plus the visits still
   * held. Counts folded before days were local keep the UTC day they were written with.
   */
  dailyVisitCounts(storeId: string): Promise<DailyVisitCount[]>;
}

/** What erasing a user removed, by table; no personal data. */
export interface ErasureReport {
  readonly deleted: Readonly<Record<string, number>>;
  /** Redeemed offers kept for the till's accounting, with the user replaced by the pseudonym. */
  readonly anonymisedOffers: number;
  /** Audit entries that named the user, now naming the pseudonym. */
  readonly pseudonymisedAudit: number;
}

/** Right to erasure: removes a user and every row that refers to them, in one transaction. */
export interface ErasureRepository {
  /**
   * Deletes the user's profile, devices, credentials, presence events and visits (by user id and
   * by every subject id of the user), decisions and unredeemed offers; anonymises redeemed offers
   * and rewrites audit entries with `pseudonym` in place of the user.
   */
  eraseUser(userId: string, pseudonym: string): Promise<ErasureReport>;
}

/** Everything the privacy features store: EID keys, phone fixes, retention and erasure. */
export interface PrivacyRepository extends EidKeyRepository, LocationRepository, RetentionRepository, ErasureRepository {}
