import { isValidId } from "../../../protocol/index.js";
import type { MqttIdentity } from "../domain/access/mqttAccess.js";
import type { Clock, Logger } from "./ports.js";
import type { ApiKeyRecord, ApiRole, AuditRepository, CredentialRepository } from "./repositories.js";
import { fingerprint, hashSecret, newSecret, verifySecret } from "./secrets.js";

/** Who called the HTTP API, as established by its API key. */
export interface Principal {
  readonly keyId: string;
  readonly role: ApiRole;
  readonly orgId: string;
  readonly storeId: string | null;
  readonly userId: string | null;
}

export interface CredentialServiceOptions {
  readonly credentials: CredentialRepository;
  readonly audit: AuditRepository;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called when an MQTT credential is revoked, to cut its live connections at once. */
  readonly onRevokeMqtt?: (username: string) => void;
  /** How long a verified API key is trusted without re-hashing, ms. */
  readonly cacheTtlMs?: number;
}

/** The username an MQTT identity connects with; one per gateway and per app user. */
export function mqttUsernameFor(identity: MqttIdentity): string {
  switch (identity.role) {
    case "gateway":
      return `gw.${identity.storeId}.${identity.gatewayId}`;
    case "app":
      return `app.${identity.userId}`;
    case "service":
      return `svc.${identity.name}`;
  }
}

const API_KEY_RE = /^ak_([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{43})$/;

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

  async issueMqtt(identity: MqttIdentity, actor: string): Promise<{ username: string; password: string }> {
    const username = mqttUsernameFor(identity);
    const password = newSecret();
    const now = this.o.clock.now();
    await this.o.credentials.putMqttCredential(
      { username, secretHash: await hashSecret(password), identity },
      now,
    );
    await this.o.audit.audit({ at: now, actor, action: "mqtt-credential.issue", target: username });
    return { username, password };
  }

  /** The broker's authenticate hook: the identity for a valid, unrevoked credential, else null. */
  async verifyMqtt(username: string, password: Buffer): Promise<MqttIdentity | null> {
    const record = await this.o.credentials.getMqttCredential(username);
    if (!record || record.revokedAt !== null) return null;
    return (await verifySecret(password.toString("utf8"), record.secretHash)) ? record.identity : null;
  }

  async revokeMqtt(username: string, actor: string): Promise<boolean> {
    const now = this.o.clock.now();
    const revoked = await this.o.credentials.revokeMqttCredential(username, now);
    if (revoked) {
      this.o.onRevokeMqtt?.(username);
      await this.o.audit.audit({ at: now, actor, action: "mqtt-credential.revoke", target: username });
    }
    return revoked;
  }

  async issueApiKey(
    input: { role: ApiRole; orgId: string; storeId?: string | null; userId?: string | null; label: string },
    actor: string,
  ): Promise<{ id: string; key: string }> {
    const id = newSecret()
      .slice(0, 16)
      .replace(/[^A-Za-z0-9]/g, "x");
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
      detail: { role: input.role },
    });
    return { id, key: `ak_${id}.${secret}` };
  }

  /** The principal of a presented API key, or null when it is malformed, unknown, revoked or wrong. */
  async verifyApiKey(presented: string): Promise<Principal | null> {
    const match = API_KEY_RE.exec(presented);
    if (!match) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    const now = this.o.clock.now();
    const cacheKey = fingerprint(presented);
    const cached = this.apiKeyCache.get(cacheKey);
    if (cached && cached.until > now) return cached.principal;
    const record = await this.o.credentials.getApiKey(id);
    if (!record || record.revokedAt !== null || !isValidId(record.orgId)) return null;
    if (!(await verifySecret(secret, record.secretHash))) return null;
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

  async revokeApiKey(id: string, actor: string): Promise<boolean> {
    const now = this.o.clock.now();
    const revoked = await this.o.credentials.revokeApiKey(id, now);
    if (revoked) {
      for (const [key, entry] of this.apiKeyCache)
        if (entry.principal.keyId === id) this.apiKeyCache.delete(key);
      await this.o.audit.audit({ at: now, actor, action: "api-key.revoke", target: id });
    }
    return revoked;
  }
}
