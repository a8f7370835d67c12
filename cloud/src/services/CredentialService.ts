import { isValidId } from "../../../protocol/index.js";
import type { MqttIdentity } from "../domain/access/mqttAccess.js";
import type { BrokerAccessProvisioner } from "./BrokerAccessProvisioner.js";
import type { Clock, Logger } from "./ports.js";
import type {
  ApiKeyRecord,
  ApiRole,
  AuditRepository,
  CredentialRepository,
  DirectoryRepository,
  MqttAccount,
  StoreDeviceCredential,
} from "./repositories.js";
import { fingerprint, hashSecret, newSecret, verifySecret } from "./secrets.js";

/**
 * Who may call a route: a role of an organisation's API key, or the cloud's operator (an operator
 * key, bound to no organisation and allowed only on the operator's routes).
 */
export type PrincipalRole = ApiRole | "operator";

/** Who called the HTTP API, as established by its API key. */
export interface Principal {
  readonly keyId: string;
  readonly role: PrincipalRole;
  /** The key's organisation; empty for the operator, whose routes take the organisation as a parameter. */
  readonly orgId: string;
  readonly storeId: string | null;
  readonly userId: string | null;
}

export interface CredentialServiceOptions {
  readonly credentials: CredentialRepository;
  readonly audit: AuditRepository;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * Mirrors MQTT grants and revocations into the broker (and cuts live connections on revoke).
   * Absent: credentials are only recorded, which is right for a process that runs no broker and
   * manages none (the embedded cloud's CLI: the running cloud re-checks revocations itself).
   */
  readonly provisioner?: BrokerAccessProvisioner;
  /**
   * Where an API key's organisation is looked up, so a suspended organisation's keys are refused
   * (checked on every request, the cache included). Absent: suspension is not enforced.
   */
  readonly organisations?: Pick<DirectoryRepository, "getOrganisationStatus">;
  /** How long a verified API key is trusted without re-hashing, ms. */
  readonly cacheTtlMs?: number;
}

/**
 * The username an MQTT identity connects with; one per gateway, per app user and per store device.
 * Ids have no ".", so each username names exactly one identity.
 */
export function mqttUsernameFor(identity: MqttIdentity): string {
  switch (identity.role) {
    case "gateway":
      return `gw.${identity.storeId}.${identity.gatewayId}`;
    case "app":
      return `app.${identity.userId}`;
    case "store":
      return `store.${identity.storeId}.${identity.deviceId}`;
    case "service":
      return `svc.${identity.name}`;
  }
}

/** Identities reach the broker's ACLs as topic levels; an id with `/`, `+` or `#` must never get there. */
function checkIdentity(identity: MqttIdentity): void {
  const ids =
    identity.role === "gateway"
      ? [identity.storeId, identity.gatewayId]
      : identity.role === "store"
        ? [identity.storeId, identity.deviceId]
        : identity.role === "app"
          ? [identity.userId]
          : [identity.name];
  const bad = ids.find((id) => !isValidId(id));
  if (bad !== undefined) throw new RangeError(`${JSON.stringify(bad)} is not a valid id`);
}

const API_KEY_RE = /^ak_([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{43})$/;
/** Operator keys look like API keys with their own prefix, so neither is ever looked up as the other. */
const OPERATOR_KEY_RE = /^op_([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{43})$/;

const newKeyId = (): string =>
  newSecret()
    .slice(0, 16)
    .replace(/[^A-Za-z0-9]/g, "x");

/**
 * Issues, verifies and revokes MQTT credentials and API keys. Secrets are returned once, at issue,
 * and stored only as scrypt hashes. Verified API keys are cached by a SHA-256 fingerprint for a short
 * time so a busy till does not pay a scrypt per request; revocation clears the cache.
 */
export class CredentialService {
  private readonly o: CredentialServiceOptions;
  private readonly apiKeyCache = new Map<string, { principal: Principal; until: number }>();

  constructor(options: CredentialServiceOptions) {
    this.o = options;
  }

  /**
   * A new MQTT credential for `identity` (replacing any earlier one of the same identity): granted
   * at the broker first, then recorded, so a recorded credential is always usable. The password is
   * returned once and stored only as a scrypt hash.
   */
  async issueMqtt(
    identity: MqttIdentity,
    actor: string,
  ): Promise<{ username: string; password: string; clientId: string }> {
    checkIdentity(identity);
    const username = mqttUsernameFor(identity);
    const password = newSecret();
    const secretHash = await hashSecret(password);
    await this.o.provisioner?.grant(username, password, identity);
    const now = this.o.clock.now();
    try {
      await this.o.credentials.putMqttCredential({ username, secretHash, identity }, now);
    } catch (err) {
      // Not recorded means not issued: take the grant back so no account exists that nobody knows of.
      await this.o.provisioner?.revoke(username).catch((undo: unknown) => {
        this.o.log.error({ err: undo, username }, "could not undo a broker grant after a storage failure");
      });
      throw err;
    }
    await this.o.provisioner?.replaced(username);
    // A login issued while its organisation is suspended exists, but is refused until reinstatement.
    const orgId = identity.role === "service" ? null : await this.o.credentials.organisationOfMqtt(username);
    if (orgId !== null && (await this.suspended(orgId))) await this.o.provisioner?.suspend(username);
    await this.o.audit.audit({
      at: now,
      actor,
      action: "mqtt-credential.issue",
      target: username,
      detail: { ...identity, broker: this.o.provisioner?.kind ?? "none" },
    });
    this.o.log.info({ username, actor }, "mqtt credential issued");
    return { username, password, clientId: username };
  }

  /** The broker's authenticate hook: the identity for a valid, unrevoked credential, else null. */
  async verifyMqtt(username: string, password: Buffer): Promise<MqttIdentity | null> {
    const record = await this.o.credentials.getMqttCredential(username);
    if (!record || record.revokedAt !== null) return null;
    if (!(await verifySecret(password.toString("utf8"), record.secretHash))) return null;
    // A suspended organisation's gateways, store devices and app users are refused like its API keys.
    if (record.identity.role !== "service" && this.o.organisations) {
      const orgId = await this.o.credentials.organisationOfMqtt(username);
      if (orgId !== null && (await this.suspended(orgId))) return null;
    }
    return record.identity;
  }

  /**
   * Cuts the MQTT logins of a suspended organisation at the broker: each unrevoked login of its
   * gateways, store devices and app users is refused from now on and its live connections are closed (the
   * embedded broker: disconnected, and refused at CONNECT by `verifyMqtt`; mosquitto: the account
   * disabled). Accounts and passwords are kept for `resumeOrganisationMqtt`. Resolves to the
   * usernames cut; a broker failure rejects, and repeating the call completes it.
   */
  async suspendOrganisationMqtt(orgId: string): Promise<string[]> {
    const usernames = await this.o.credentials.mqttUsernamesOfOrganisation(orgId);
    for (const username of usernames) await this.o.provisioner?.suspend(username);
    return usernames;
  }

  /** Lets a reinstated organisation's MQTT logins connect again; resolves to the usernames. */
  async resumeOrganisationMqtt(orgId: string): Promise<string[]> {
    const usernames = await this.o.credentials.mqttUsernamesOfOrganisation(orgId);
    for (const username of usernames) await this.o.provisioner?.resume(username);
    return usernames;
  }

  /**
   * Revokes an MQTT credential this cloud issued: recorded as revoked (the embedded broker refuses
   * it from then on), then refused and disconnected at the broker. Resolves to false when there was
   * no active credential. An already revoked one is still enforced at the broker again, so a revoke
   * whose broker step failed (broker down) is completed by repeating it. Usernames the cloud never
   * issued are left alone: the broker may have other accounts (its admin) that are not ours.
   */
  async revokeMqtt(username: string, actor: string): Promise<boolean> {
    const record = await this.o.credentials.getMqttCredential(username);
    if (!record) return false;
    const now = this.o.clock.now();
    const revoked = await this.o.credentials.revokeMqttCredential(username, now);
    if (revoked) {
      await this.o.audit.audit({
        at: now,
        actor,
        action: "mqtt-credential.revoke",
        target: username,
        detail: { broker: this.o.provisioner?.kind ?? "none" },
      });
      this.o.log.info({ username, actor }, "mqtt credential revoked");
    }
    await this.o.provisioner?.revoke(username);
    return revoked;
  }

  /**
   * The unrevoked MQTT logins with their identities, a page at a time (keyset by username), read
   * only as the caller iterates: for bringing a broker's roles up to date with this release.
   */
  async *liveMqttAccounts(pageSize = 1000): AsyncGenerator<MqttAccount[]> {
    let after: string | null = null;
    for (;;) {
      const page = await this.o.credentials.liveMqttAccounts(after, pageSize);
      if (page.length === 0) return;
      yield page;
      // Not "a short page is the last": a row naming no complete identity is left out of a page.
      after = page[page.length - 1]?.username ?? null;
    }
  }

  /** The store devices' logins of a store (no hashes), revoked ones included, by device id. */
  storeDeviceCredentials(storeId: string): Promise<StoreDeviceCredential[]> {
    return this.o.credentials.storeDeviceCredentials(storeId);
  }

  /** Usernames revoked at or after `since` (epoch ms), for a broker that sweeps live connections. */
  revokedMqttSince(since: number): Promise<{ username: string; revokedAt: number }[]> {
    return this.o.credentials.revokedMqttCredentialsSince(since);
  }

  async issueApiKey(
    input: { role: ApiRole; orgId: string; storeId?: string | null; userId?: string | null; label: string },
    actor: string,
  ): Promise<{ id: string; key: string }> {
    const id = newKeyId();
    const secret = newSecret();
    const now = this.o.clock.now();
    const record: Omit<ApiKeyRecord, "revokedAt"> = {
      id,
      secretHash: await hashSecret(secret),
      role: input.role,
      orgId: input.orgId,
      storeId: input.storeId ?? null,
      userId: input.userId ?? null,
      label: input.label,
    };
    await this.o.credentials.putApiKey(record, now);
    await this.o.audit.audit({
      at: now,
      actor,
      action: "api-key.issue",
      target: id,
      detail: { role: record.role, orgId: record.orgId, storeId: record.storeId, userId: record.userId },
    });
    this.o.log.info({ keyId: id, role: record.role, actor }, "api key issued");
    return { id, key: `ak_${id}.${secret}` };
  }

  /** An API key's record without its hash, or null; for tenancy checks before a revoke. */
  async describeApiKey(id: string): Promise<Omit<ApiKeyRecord, "secretHash"> | null> {
    const record = await this.o.credentials.getApiKey(id);
    if (!record) return null;
    const { secretHash: _hash, ...rest } = record;
    return rest;
  }

  /**
   * A new operator key (`op_<id>.<secret>`), returned once. Operator keys manage organisations
   * (create, list, suspend) and nothing inside them.
   */
  async issueOperatorKey(label: string, actor: string): Promise<{ id: string; key: string }> {
    const id = newKeyId();
    const secret = newSecret();
    const now = this.o.clock.now();
    await this.o.credentials.putOperatorKey({ id, secretHash: await hashSecret(secret), label }, now);
    await this.o.audit.audit({ at: now, actor, action: "operator-key.issue", target: id });
    this.o.log.info({ keyId: id, actor }, "operator key issued");
    return { id, key: `op_${id}.${secret}` };
  }

  /** Whether any operator key was ever issued (the cloud was initialised). */
  async hasOperator(): Promise<boolean> {
    return (await this.o.credentials.countOperatorKeys()) > 0;
  }

  /**
   * The principal of a presented API key or operator key, or null when it is malformed, unknown,
   * revoked or wrong, or its organisation is suspended.
   */
  async verifyApiKey(presented: string): Promise<Principal | null> {
    if (presented.startsWith("op_")) return this.verifyOperatorKey(presented);
    const match = API_KEY_RE.exec(presented);
    if (!match) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    const now = this.o.clock.now();
    const cacheKey = fingerprint(presented);
    const cached = this.apiKeyCache.get(cacheKey);
    if (cached && cached.until > now) {
      // The cache saves the scrypt, not the lookup: a key revoked by another process (the CLI)
      // stops working at once.
      const current = await this.o.credentials.getApiKey(cached.principal.keyId);
      if (current && current.revokedAt === null && !(await this.suspended(current.orgId))) return cached.principal;
      this.apiKeyCache.delete(cacheKey);
      return null;
    }
    const record = await this.o.credentials.getApiKey(id);
    if (!record || record.revokedAt !== null || !isValidId(record.orgId)) return null;
    if (!(await verifySecret(secret, record.secretHash))) return null;
    if (await this.suspended(record.orgId)) return null;
    const principal: Principal = {
      keyId: record.id,
      role: record.role,
      orgId: record.orgId,
      storeId: record.storeId,
      userId: record.userId,
    };
    this.apiKeyCache.set(cacheKey, { principal, until: now + (this.o.cacheTtlMs ?? 60_000) });
    return principal;
  }

  private async suspended(orgId: string): Promise<boolean> {
    if (!this.o.organisations) return false;
    const status = await this.o.organisations.getOrganisationStatus(orgId);
    return status === null || status.suspendedAt !== null;
  }

  private async verifyOperatorKey(presented: string): Promise<Principal | null> {
    const match = OPERATOR_KEY_RE.exec(presented);
    if (!match) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    const now = this.o.clock.now();
    const cacheKey = fingerprint(presented);
    const cached = this.apiKeyCache.get(cacheKey);
    if (cached && cached.until > now) {
      const current = await this.o.credentials.getOperatorKey(id);
      if (current && current.revokedAt === null) return cached.principal;
      this.apiKeyCache.delete(cacheKey);
      return null;
    }
    const record = await this.o.credentials.getOperatorKey(id);
    if (!record || record.revokedAt !== null) return null;
    if (!(await verifySecret(secret, record.secretHash))) return null;
    const principal: Principal = { keyId: record.id, role: "operator", orgId: "", storeId: null, userId: null };
    this.apiKeyCache.set(cacheKey, { principal, until: now + (this.o.cacheTtlMs ?? 60_000) });
    return principal;
  }

  async revokeApiKey(id: string, actor: string): Promise<boolean> {
    const now = this.o.clock.now();
    const revoked = await this.o.credentials.revokeApiKey(id, now);
    if (revoked) {
      for (const [key, entry] of this.apiKeyCache)
        if (entry.principal.keyId === id) this.apiKeyCache.delete(key);
      await this.o.audit.audit({ at: now, actor, action: "api-key.revoke", target: id });
      this.o.log.info({ keyId: id, actor }, "api key revoked");
    }
    return revoked;
  }
}
