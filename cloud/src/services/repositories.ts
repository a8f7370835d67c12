import type { PresenceEvent } from "../../../protocol/index.js";
import type { MqttIdentity } from "../domain/access/mqttAccess.js";
import type { Offer } from "../domain/offers/index.js";
import type { Decision, EventTrigger, Rule, RuleCounters, RuleStatus } from "../domain/rules/index.js";

/**
 * Storage ports. The SQLite adapter implements them today; a server database can implement the same
 * interfaces later without touching services or domain code.
 */

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly maxOffersPerUserPerDay: number;
}

export interface StoreRecord {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  /** IANA timezone, e.g. `Asia/Hong_Kong`; schedules and "days" are evaluated in it. */
  readonly timezone: string;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly tags: readonly string[];
}

export interface ZoneRecord {
  readonly id: string;
  readonly storeId: string;
  readonly name: string;
  readonly tags: readonly string[];
  /** The zone as the gateways see it (protocol ZoneSchema), kept whole. */
  readonly geometry: unknown;
}

export interface GatewayRecord {
  readonly id: string;
  readonly storeId: string;
  readonly name: string;
}

export type ApiRole = "admin" | "marketer" | "store-ops" | "pos" | "app";

export interface ApiKeyRecord {
  readonly id: string;
  readonly secretHash: string;
  readonly role: ApiRole;
  readonly orgId: string;
  readonly storeId: string | null;
  readonly userId: string | null;
  readonly label: string;
  readonly revokedAt: number | null;
}

export interface MqttCredentialRecord {
  readonly username: string;
  readonly secretHash: string;
  readonly identity: MqttIdentity;
  readonly revokedAt: number | null;
}

export interface AppUser {
  readonly id: string;
  readonly orgId: string;
  readonly displayName: string | null;
  readonly segments: readonly string[];
  readonly loyaltyTier: string | null;
  readonly marketingConsent: boolean;
  readonly analyticsConsent: boolean;
}

/** A presence event as stored, with the app user its subject resolved to (if any). */
export interface StoredEvent extends PresenceEvent {
  readonly userId: string | null;
  readonly receivedAt: number;
  /**
   * True when storage kept this event with no user and the subject `unlinked` (the user gave no
   * analytics consent): beyond deciding an offer now, it may be used only in aggregate.
   */
  readonly unlinked?: boolean;
}

export interface StoreBatchInput {
  readonly storeId: string;
  readonly gatewayId: string;
  /** The gateway's outbox id: sequences, and so acks, are per outbox. */
  readonly outbox: string;
  readonly fromSeq: number;
  /** Events that passed validation; their seqs count towards the ack. */
  readonly events: readonly PresenceEvent[];
  /** Seqs of events refused (wrong store or gateway); they are done, never stored. */
  readonly refusedSeqs: readonly number[];
  readonly receivedAt: number;
}

export interface StoreBatchResult {
  /** Highest sequence below which every event of this gateway is stored or was refused. */
  readonly ackSeq: number;
  /** Events stored by this call (duplicates of earlier deliveries are not in here). */
  readonly inserted: readonly StoredEvent[];
  readonly duplicates: number;
}

export interface DirectoryRepository {
  upsertOrganisation(org: Organisation, now: number): Promise<void>;
  getOrganisation(id: string): Promise<Organisation | null>;
  listOrganisations(): Promise<Organisation[]>;
  upsertStore(store: StoreRecord, now: number): Promise<void>;
  getStore(id: string): Promise<StoreRecord | null>;
  upsertZone(zone: ZoneRecord): Promise<void>;
  getZone(storeId: string, zoneId: string): Promise<ZoneRecord | null>;
  listZones(storeId: string): Promise<ZoneRecord[]>;
  /**
   * Registers the gateway in its store, or renames it if it is already there. A gateway of another
   * store is never moved: the answer is then "taken" and nothing is written.
   */
  upsertGateway(gateway: GatewayRecord, now: number): Promise<"created" | "renamed" | "taken">;
  getGateway(id: string): Promise<GatewayRecord | null>;
}

export interface UserRepository {
  upsertUser(user: AppUser, now: number): Promise<void>;
  getUser(id: string): Promise<AppUser | null>;
  registerDevice(subjectId: string, userId: string, label: string | null, now: number): Promise<void>;
}

export interface CredentialRepository {
  putMqttCredential(record: Omit<MqttCredentialRecord, "revokedAt">, now: number): Promise<void>;
  getMqttCredential(username: string): Promise<MqttCredentialRecord | null>;
  revokeMqttCredential(username: string, now: number): Promise<boolean>;
  /** MQTT credentials revoked at or after `since` (epoch ms), oldest first. */
  revokedMqttCredentialsSince(since: number): Promise<{ username: string; revokedAt: number }[]>;
  putApiKey(record: Omit<ApiKeyRecord, "revokedAt">, now: number): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  revokeApiKey(id: string, now: number): Promise<boolean>;
}

export interface EventRepository {
  storeBatch(input: StoreBatchInput): Promise<StoreBatchResult>;
  /** Several batches in one transaction (group commit), each handled as `storeBatch` would. */
  storeBatches(inputs: readonly StoreBatchInput[]): Promise<StoreBatchResult[]>;
  /** Events stored but not yet through the rules engine (after a crash), oldest first. */
  undecidedEvents(limit: number): Promise<StoredEvent[]>;
  countEvents(): Promise<number>;
}

export interface AuditRepository {
  audit(entry: { at: number; actor: string; action: string; target: string; detail?: object }): Promise<void>;
}

/** What the rules engine needs from storage about one user and the candidate rules, read inside
 * the same transaction that records the decisions, so caps and budgets are exact. */
export interface DecisionCounters {
  readonly counters: Readonly<Record<string, RuleCounters>>;
  readonly userIssuedTodayAllRules: number;
  readonly visitCount: number;
  readonly previousVisitAt: number | null;
  readonly offersReceived: number;
  /** When the event's visit ended (its exit is stored), epoch ms; null while it is open. */
  readonly visitEndedAt: number | null;
}

export interface DecisionOutcome {
  readonly decisions: readonly Decision[];
  readonly offer: Offer | null;
}

export interface DecisionRequest {
  readonly event: StoredEvent;
  readonly userId: string;
  /** Local day of the store at decision time (daily caps count within it). */
  readonly dayKey: string;
  readonly ruleIds: readonly string[];
  readonly now: number;
}

export type RedeemResult =
  | { readonly ok: true; readonly offer: Offer; readonly redemptionId: string; readonly replayed: boolean }
  | {
      readonly ok: false;
      readonly reason: "unknown-code" | "expired" | "wrong-store" | "already-redeemed" | "key-reused";
      readonly text: string;
    };

export type AcknowledgeResult =
  | { readonly ok: true; readonly offer: Offer }
  | { readonly ok: false; readonly reason: "expired" | "already-redeemed"; readonly text: string };

export interface RecordedDecision {
  /** Storage order; with `decidedAt` it makes the paging cursor. */
  readonly id: number;
  readonly eventId: string;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly userId: string | null;
  readonly storeId: string;
  readonly zoneId: string;
  readonly visitId: string;
  readonly outcome: Decision["outcome"];
  readonly reason: string;
  readonly text: string;
  readonly offerId: string | null;
  readonly decidedAt: number;
  /**
   * What else was known about the event when it was decided: for a phone's geofence report, the
   * plausibility verdict and whether the store's own gateways saw the user around that time.
   */
  readonly signals?: Record<string, unknown>;
}

export interface RuleRepository {
  /** The newest version of every rule of the organisation. */
  listCurrentRules(orgId: string): Promise<Rule[]>;
  /** Stores a rule version; it becomes the current one. */
  putRule(orgId: string, rule: Rule, now: number): Promise<void>;
}

/**
 * The events of one group, decided together in one transaction (see `OfferRepository.decideGroup`).
 */
export interface DecisionGroup {
  /** Events to evaluate, in order; each sees the offers issued to the ones before it. */
  readonly requests: readonly DecisionRequest[];
  /**
   * Events through the rules engine with nothing to evaluate (no user, store or candidate rule):
   * marked decided, and an unlinked event's pending user is forgotten with it.
   */
  readonly passed: readonly StoredEvent[];
  /** Offers handed to the broker since the last group: recorded as published in this transaction. */
  readonly published: readonly string[];
  /** Decision time, epoch ms. */
  readonly now: number;
}

/**
 * Chooses the outcome of one request from its counters (pure and synchronous: it runs inside the
 * transaction, between the reads and the writes, so it must not wait on anything).
 */
export type DecideOne = (request: DecisionRequest, counters: DecisionCounters) => DecisionOutcome;

export interface OfferRepository {
  /**
   * In one transaction: records `published` as published, reads the counters of every request
   * (keyed counter rows, never a count over history), lets `decide` choose for each in order (an
   * offer issued to one request counts for the next), records every decision, stores the offers
   * and marks every event of the group decided. Resolves to the new offers, in request order, one
   * entry per request (null when none was issued).
   */
  decideGroup(group: DecisionGroup, decide: DecideOne): Promise<(Offer | null)[]>;
  markPublished(offerId: string, now: number): Promise<void>;
  /** Records offers as handed to the broker (those no decision group took along), in one statement. */
  markAllPublished(offerIds: readonly string[], now: number): Promise<void>;
  /** Offers issued but never handed to the broker (e.g. the cloud stopped in between). */
  unpublishedOffers(limit: number): Promise<Offer[]>;
  /** A user's offers that can still be used (not redeemed, not expired at `now`). */
  pendingOffers(userId: string, now: number): Promise<Offer[]>;
  getOffer(offerId: string): Promise<Offer | null>;
  /**
   * Records the app's delivery or view acknowledgement; forward-only. Null when the user has no such
   * offer; a refusal when the offer was already redeemed or has expired.
   */
  acknowledge(offerId: string, userId: string, kind: "deliver" | "view", now: number): Promise<AcknowledgeResult | null>;
  /** Atomic single-use redemption; a retried request with the same key gets the same answer. */
  redeem(input: {
    code: string;
    storeId: string;
    idempotencyKey: string;
    apiKeyId: string;
    now: number;
  }): Promise<RedeemResult>;
  decisionsForUser(userId: string, limit: number): Promise<RecordedDecision[]>;
}

/** Where a page of decisions starts: strictly after this one in newest-first order. */
export interface DecisionCursor {
  readonly decidedAt: number;
  readonly id: number;
}

export interface DecisionPageQuery {
  readonly by: "user" | "event" | "rule";
  /** The user, event or rule id. */
  readonly id: string;
  readonly limit: number;
  readonly after: DecisionCursor | null;
}

/** A presence event with what happened to it, for "why did nothing happen" questions. */
export interface EventRecord {
  readonly event: StoredEvent;
  readonly orgId: string;
  /** When the rules engine was done with it; null while queued. */
  readonly decidedAt: number | null;
}

/** Decisions as recorded, newest first, for the decision log API. */
export interface DecisionRepository {
  decisionsPage(query: DecisionPageQuery): Promise<RecordedDecision[]>;
  getEvent(eventId: string): Promise<EventRecord | null>;
}

/** What the offer sweeper needs: expiry, reminders, redelivery, all driven from storage. */
export interface OfferLifecycleRepository {
  /** Marks offers expired whose `expiresAt` is at or before `now` (oldest first); returns them. */
  expireDue(now: number, limit: number): Promise<Offer[]>;
  /**
   * Offers due for their reminder at `now`: open (issued, delivered, viewed), already published,
   * not yet reminded, expiring after `now` but within `leadMs`, valid for longer than `leadMs`, and
   * of a user who still consents to marketing.
   */
  remindersDue(now: number, leadMs: number, limit: number): Promise<Offer[]>;
  /** Sets `reminder_sent_at` if it is unset and the offer still open at `now`; true when this call did. */
  claimReminder(offerId: string, now: number): Promise<boolean>;
  /** Undoes a claim whose publish failed, so the next sweep tries again. */
  releaseReminder(offerId: string, claimedAt: number): Promise<void>;
  /** Offers never handed to the broker, still `issued` (the app has not fetched them either) and
   * valid at `now`, issued at or before `issuedBefore`; oldest first. */
  undeliveredOffers(now: number, issuedBefore: number, limit: number): Promise<Offer[]>;
}

/** One stored version of a rule. */
export interface RuleVersionRecord {
  readonly version: number;
  /** The status this version had when it was last current. */
  readonly status: RuleStatus;
  readonly spec: Rule["spec"];
  readonly createdAt: number;
  /** Offers issued under this version. */
  readonly offersIssued: number;
}

/** A change to a rule as recorded in the audit log. */
export interface RuleAuditEntry {
  readonly at: number;
  /** API key id, or `scheduler`; never a secret. */
  readonly actor: string;
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The audit entry stored in the same transaction as a rule change. */
export interface RuleChange {
  readonly actor: string;
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The rule catalogue behind the rules API and its scheduler. Writes are compare-and-swap. */
export interface RuleStore extends RuleRepository {
  getRule(ruleId: string): Promise<{ readonly orgId: string; readonly rule: Rule } | null>;
  versions(ruleId: string): Promise<RuleVersionRecord[]>;
  auditTrail(ruleId: string, limit: number): Promise<RuleAuditEntry[]>;
  /** Stores version 1 of a new rule with its audit entry; false when the id is taken (any org). */
  createRule(orgId: string, rule: Rule, now: number, change: RuleChange): Promise<boolean>;
  /**
   * Stores `next` (a new version, or a new status of the current one) with its audit entry, only
   * if the current version and status are still `expected`; false when someone changed it first.
   */
  replaceRule(
    orgId: string,
    expected: { readonly version: number; readonly status: RuleStatus },
    next: Rule,
    now: number,
    change: RuleChange,
  ): Promise<boolean>;
}

/** The period and place of an analytics query: visits that started in [from, to). */
export interface FunnelQuery {
  readonly orgId: string;
  readonly from: number;
  readonly to: number;
  /** Only this store (a store-bound key), or all of the organisation's. */
  readonly storeId: string | null;
}

/** Counts of one funnel group; see `AnalyticsService` for the definitions. */
export interface FunnelCounts {
  readonly visits: number;
  readonly eligible: number;
  readonly heldOut: number;
  readonly issued: number;
  readonly delivered: number;
  readonly viewed: number;
  readonly redeemed: number;
}

/** One user's first eligible decision of a rule in the period, and what came of it. */
export interface HoldoutCohortRow {
  readonly ruleId: string;
  readonly userId: string;
  readonly group: "issued" | "held-out";
  readonly firstAt: number;
  readonly storeId: string;
  /** The user redeemed an offer of this rule issued in the period. */
  readonly redeemed: boolean;
}

export interface AnalyticsRepository {
  storesOf(orgId: string): Promise<StoreRecord[]>;
  funnelByPlace(
    query: FunnelQuery,
    by: "store" | "zone",
  ): Promise<(FunnelCounts & { storeId: string; zoneId: string | null })[]>;
  /**
   * Per store and UTC time bucket of `bucketMs` (visit start), for grouping by local day: every
   * timezone offset and DST switch falls on a 15-minute boundary, so a 15-minute bucket never
   * straddles a local midnight.
   */
  funnelByBucket(
    query: FunnelQuery,
    bucketMs: number,
  ): Promise<(FunnelCounts & { storeId: string; bucketStart: number })[]>;
  funnelByRule(query: FunnelQuery): Promise<(FunnelCounts & { ruleId: string })[]>;
  holdoutCohorts(query: FunnelQuery): Promise<HoldoutCohortRow[]>;
  /** Each user's latest visit start in the period (any store of the organisation). */
  lastVisits(query: FunnelQuery): Promise<{ userId: string; enteredAt: number }[]>;
}

/** A recorded presence event of an app user, with the user's profile and visit history, to replay. */
export interface ReplayEvent {
  readonly id: string;
  readonly type: EventTrigger;
  readonly storeId: string;
  readonly zoneId: string;
  readonly at: number;
  readonly visitId: string;
  readonly dwellMs: number | null;
  readonly userId: string;
  readonly segments: readonly string[];
  readonly loyaltyTier: string | null;
  readonly marketingConsent: boolean;
  /** The shopper's visits to this store up to this one, this one included. */
  readonly visitCount: number;
  /** Start of the shopper's previous visit to this store, epoch ms. */
  readonly previousVisitAt: number | null;
}

/** Reads of recorded history for dry runs; nothing here writes. */
export interface ReplayRepository {
  /** Events of `type` at the organisation's stores in [from, to), by (at, id), after `after`. */
  replayEvents(query: {
    readonly orgId: string;
    readonly from: number;
    readonly to: number;
    readonly type: EventTrigger;
    readonly after: { readonly at: number; readonly id: string } | null;
    readonly limit: number;
  }): Promise<ReplayEvent[]>;
  /** Offers really issued in [from, to) at the organisation's stores, by time. */
  issuedOffers(
    orgId: string,
    from: number,
    to: number,
  ): Promise<{ userId: string; issuedAt: number; dayKey: string }[]>;
  /** Per user, offers really issued before `before` (lifetime counts for `offersReceived`). */
  offerCountsBefore(orgId: string, before: number): Promise<{ userId: string; n: number }[]>;
}

/** A store as the directory API shows it: the record plus its postal address. */
export interface StoreDetails extends StoreRecord {
  readonly address: string | null;
}

/** A beacon or device registered to an app user; `subjectId` is what the gateways report. */
export interface RegisteredDevice {
  readonly subjectId: string;
  readonly userId: string;
  readonly label: string | null;
  /** The identity it was registered with (e.g. iBeacon uuid/major/minor); null for older rows. */
  readonly identity: unknown;
  readonly createdAt: number;
}

/** Stores, zones and registered devices as the directory API manages them. */
export interface StoreDirectoryRepository {
  /** The organisation's stores by id; only `storeId` when given (a store-bound key). */
  listStores(orgId: string, storeId: string | null): Promise<StoreDetails[]>;
  getStoreDetails(id: string): Promise<StoreDetails | null>;
  /** False when the id is taken (store ids are unique across organisations). */
  createStore(store: StoreDetails, now: number): Promise<boolean>;
  updateStore(store: StoreDetails, now: number): Promise<void>;
  /** False when the store already has a zone of this id. */
  createZone(zone: ZoneRecord): Promise<boolean>;
  deleteZone(storeId: string, zoneId: string): Promise<boolean>;
  /**
   * Replaces a store's zones with `zones` in one transaction. A zone without `tags` keeps the tags
   * of the zone of the same id it replaces (none for a new one).
   */
  replaceZones(
    storeId: string,
    zones: readonly { readonly id: string; readonly name: string; readonly tags?: readonly string[]; readonly geometry: unknown }[],
  ): Promise<void>;
  listDevices(userId: string): Promise<RegisteredDevice[]>;
  /**
   * Registers a device to a user: `added`, `exists` (already this user's; the label is updated) or
   * `taken` (registered to another user, which is left alone).
   */
  addDevice(device: Omit<RegisteredDevice, "createdAt">, now: number): Promise<"added" | "exists" | "taken">;
  removeDevice(userId: string, subjectId: string): Promise<boolean>;
  /** Ids of the API keys bound to a user, revoked or not. */
  apiKeysOfUser(userId: string): Promise<string[]>;
  /** Usernames of the MQTT credentials of a user, revoked or not. */
  mqttUsernamesOfUser(userId: string): Promise<string[]>;
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
export interface PrivacyRepository {
  /**
   * Deletes the user's profile, devices, credentials, presence events and visits (by user id and
   * by every subject id of the user), decisions and unredeemed offers; anonymises redeemed offers
   * and rewrites audit entries with `pseudonym` in place of the user.
   */
  eraseUser(userId: string, pseudonym: string): Promise<ErasureReport>;
}

/** Where a page of events or visits starts: strictly after this row in newest-first order. */
export interface ActivityCursor {
  readonly at: number;
  readonly id: string;
}

export interface ActivityQuery {
  readonly storeId: string;
  /** Inclusive lower and exclusive upper bound on the time (event time, visit start), epoch ms. */
  readonly from: number | null;
  readonly to: number | null;
  readonly zoneId: string | null;
  readonly subjectId: string | null;
  readonly userId: string | null;
  readonly limit: number;
  readonly after: ActivityCursor | null;
}

/** A visit as stored: one subject's stay in one zone. */
export interface VisitRecord {
  readonly id: string;
  readonly storeId: string;
  readonly zoneId: string;
  readonly subjectId: string;
  readonly userId: string | null;
  readonly enteredAt: number;
  readonly lastEventAt: number;
  readonly exitedAt: number | null;
  readonly dwellMs: number;
}

/**
 * Presence history of a store, newest first, for the events and visits API. A row names its user
 * (and the `userId` filter finds it) only while the user consents to analytics; otherwise it is
 * listed under its subject id alone.
 */
export interface ActivityRepository {
  eventsPage(query: ActivityQuery & { readonly type: PresenceEvent["type"] | null }): Promise<StoredEvent[]>;
  visitsPage(query: ActivityQuery): Promise<VisitRecord[]>;
}
