import type { PresenceEvent } from "../../../protocol/index.js";
import type { MqttIdentity } from "../domain/access/mqttAccess.js";

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
