import type { PresenceEvent } from "../../../protocol/index.js";
import type { MqttIdentity } from "../domain/access/mqttAccess.js";
import type { Offer } from "../domain/offers/index.js";
import type { Decision, Rule, RuleCounters } from "../domain/rules/index.js";

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
}

export interface StoreBatchInput {
  readonly storeId: string;
  readonly gatewayId: string;
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
  upsertGateway(gateway: GatewayRecord, now: number): Promise<void>;
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

export interface RecordedDecision {
  readonly eventId: string;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly userId: string | null;
  readonly outcome: Decision["outcome"];
  readonly reason: string;
  readonly text: string;
  readonly offerId: string | null;
  readonly decidedAt: number;
}

export interface RuleRepository {
  /** The newest version of every rule of the organisation. */
  listCurrentRules(orgId: string): Promise<Rule[]>;
  /** Stores a rule version; it becomes the current one. */
  putRule(orgId: string, rule: Rule, now: number): Promise<void>;
}

export interface OfferRepository {
  /**
   * In one transaction: reads the counters, lets `decide` (pure) choose, records every decision,
   * stores the offer if one is issued, and marks the event decided. Resolves to the new offer.
   */
  decide(
    request: DecisionRequest,
    decide: (counters: DecisionCounters) => DecisionOutcome,
  ): Promise<Offer | null>;
  /** Marks an event as through the rules engine when nothing was evaluated (no user, no rule). */
  markDecided(eventId: string, now: number): Promise<void>;
  markPublished(offerId: string, now: number): Promise<void>;
  /** Offers issued but never handed to the broker (e.g. the cloud stopped in between). */
  unpublishedOffers(limit: number): Promise<Offer[]>;
  /** A user's offers that can still be used (not redeemed, not expired at `now`). */
  pendingOffers(userId: string, now: number): Promise<Offer[]>;
  getOffer(offerId: string): Promise<Offer | null>;
  /** Records the app's delivery or view acknowledgement; forward-only. */
  acknowledge(offerId: string, userId: string, kind: "deliver" | "view", now: number): Promise<Offer | null>;
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
