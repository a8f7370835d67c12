import type { MqttIdentity } from "../../domain/access/mqttAccess.js";

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

/** An MQTT login as a broker needs it to set its rights: no hash. */
export type MqttAccount = Pick<MqttCredentialRecord, "username" | "identity">;

/** A store device's MQTT login as a store's staff see it: never its hash. */
export interface StoreDeviceCredential {
  readonly deviceId: string;
  readonly username: string;
  /** When it was first issued (a re-issue keeps the date), epoch ms. */
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/**
 * A key of the cloud's operator: above the organisations (creates, lists and suspends them), bound
 * to none, and allowed nowhere else.
 */
export interface OperatorKeyRecord {
  readonly id: string;
  readonly secretHash: string;
  readonly label: string;
  readonly revokedAt: number | null;
}

/** API keys and MQTT credentials: stored as hashes, revoked rather than deleted. */
export interface CredentialRepository {
  /** Creates or replaces the credential (a replaced one is no longer revoked). */
  putMqttCredential(record: Omit<MqttCredentialRecord, "revokedAt">, now: number): Promise<void>;
  getMqttCredential(username: string): Promise<MqttCredentialRecord | null>;
  /**
   * A page of the unrevoked MQTT credentials, by username: the first `limit` after `after` (null:
   * from the start). Pass the last username of a page to get the next; an empty page is the end
   * (rows naming no complete identity are left out, so a page may be shorter than `limit`).
   */
  liveMqttAccounts(after: string | null, limit: number): Promise<MqttAccount[]>;
  /** True when this call revoked it (false for an unknown or already revoked one). */
  revokeMqttCredential(username: string, now: number): Promise<boolean>;
  /** MQTT credentials revoked at or after `since` (epoch ms), oldest first. */
  revokedMqttCredentialsSince(since: number): Promise<{ username: string; revokedAt: number }[]>;
  /** Stores a new key; throws when the id is taken. */
  putApiKey(record: Omit<ApiKeyRecord, "revokedAt">, now: number): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  /** True when this call revoked it (false for an unknown or already revoked one). */
  revokeApiKey(id: string, now: number): Promise<boolean>;
  /** Stores a new operator key; throws when the id is taken. */
  putOperatorKey(record: Omit<OperatorKeyRecord, "revokedAt">, now: number): Promise<void>;
  getOperatorKey(id: string): Promise<OperatorKeyRecord | null>;
  /** True when this call revoked it (false for an unknown or already revoked one). */
  revokeOperatorKey(id: string, now: number): Promise<boolean>;
  /** How many operator keys exist, revoked ones included (0 on a cloud never initialised). */
  countOperatorKeys(): Promise<number>;
  /** Ids of the API keys bound to a user, revoked or not, by id. */
  apiKeysOfUser(userId: string): Promise<string[]>;
  /** Usernames of the MQTT credentials of a user, revoked or not, by username. */
  mqttUsernamesOfUser(userId: string): Promise<string[]>;
  /**
   * Usernames of the unrevoked MQTT credentials that belong to an organisation (its stores'
   * gateways and devices, and its app users), by username; service accounts belong to none.
   */
  mqttUsernamesOfOrganisation(orgId: string): Promise<string[]>;
  /** The store devices' MQTT logins of a store, revoked ones included, by device id. */
  storeDeviceCredentials(storeId: string): Promise<StoreDeviceCredential[]>;
  /** The organisation an MQTT credential belongs to (through its store or user); null for a service or unknown one. */
  organisationOfMqtt(username: string): Promise<string | null>;
}
