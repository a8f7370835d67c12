import type { Problem } from "../../../protocol/index.js";
import type { MqttIdentity } from "../domain/access/mqttAccess.js";
import { type CredentialService, mqttUsernameFor, type Principal } from "./CredentialService.js";
import type { GatewayService } from "./GatewayService.js";
import { done, forbidden, invalid, notFound, type Outcome } from "./Outcome.js";
import type { ApiRole, DirectoryRepository, StoreDeviceCredential, UserRepository } from "./repositories.js";

export interface CredentialAdminServiceOptions {
  readonly credentials: Pick<
    CredentialService,
    "issueMqtt" | "revokeMqtt" | "issueApiKey" | "describeApiKey" | "revokeApiKey" | "storeDeviceCredentials"
  >;
  readonly gateways: Pick<GatewayService, "visibleGateway">;
  readonly stores: Pick<DirectoryRepository, "getStore">;
  readonly users: Pick<UserRepository, "getUser">;
}

/** An API key to issue: its role, who holds it, and what it is bound to (store or user, by role). */
export interface ApiKeyRequest {
  readonly role: ApiRole;
  readonly label: string;
  readonly storeId?: string;
  readonly userId?: string;
}

/**
 * Whose MQTT credential: a gateway's, an app user's, or a store device's (a pick-up counter's
 * tablet or a POS terminal, named by its store and a device id the store chooses).
 */
export type MqttHolder =
  | { readonly gatewayId: string }
  | { readonly userId: string }
  | { readonly storeId: string; readonly deviceId: string };

/** The audit trail's actor for a request: the key, never its secret. */
const actorOf = (principal: Principal): string => `api-key:${principal.keyId}`;

/**
 * Issuing and revoking credentials on behalf of an API caller, within what it may manage. MQTT
 * credentials: an admin for any gateway, store device or app user of its organisation, a store-ops
 * key for the gateways and devices of its own store. API keys: admins, for their organisation.
 * Anything of another organisation is "not found", so ids of other tenants do not leak. A broker that cannot be reached
 * throws `BrokerAccessError` (from `CredentialService`) before anything is recorded.
 */
export class CredentialAdminService {
  constructor(private readonly o: CredentialAdminServiceOptions) {}

  /** The MQTT identity of `holder`, if the principal may manage its credentials. */
  async mqttIdentity(principal: Principal, holder: MqttHolder): Promise<Outcome<MqttIdentity>> {
    if ("gatewayId" in holder) {
      const gateway = await this.o.gateways.visibleGateway(principal, holder.gatewayId, "manage");
      if (!gateway.ok) return gateway;
      return done({ role: "gateway", storeId: gateway.value.storeId, gatewayId: gateway.value.id });
    }
    if ("deviceId" in holder) {
      const store = await this.deviceStore(principal, holder.storeId);
      if (!store.ok) return store;
      return done({ role: "store", storeId: store.value, deviceId: holder.deviceId });
    }
    const user = await this.o.users.getUser(holder.userId);
    if (user?.orgId !== principal.orgId) return notFound("no such user");
    return done({ role: "app", userId: user.id });
  }

  /**
   * The store devices of a store that have (or had) an MQTT login, for its admin or its own
   * store-ops key: which counters exist and which were revoked. Never a secret or its hash.
   */
  async storeDevices(principal: Principal, storeId: string): Promise<Outcome<StoreDeviceCredential[]>> {
    const store = await this.deviceStore(principal, storeId);
    if (!store.ok) return store;
    return done(await this.o.credentials.storeDeviceCredentials(store.value));
  }

  /** The store id, if the principal may manage that store's devices. */
  private async deviceStore(principal: Principal, storeId: string): Promise<Outcome<string>> {
    const store = await this.o.stores.getStore(storeId);
    if (store?.orgId !== principal.orgId) return notFound("no such store");
    if (principal.role === "store-ops" && principal.storeId !== store.id)
      return forbidden("a store-ops key manages only the devices of its own store");
    return done(store.id);
  }

  /** A new MQTT credential for `holder` (replacing its earlier one); the password is in this answer only. */
  async issueMqtt(
    principal: Principal,
    holder: MqttHolder,
  ): Promise<Outcome<{ username: string; password: string; clientId: string }>> {
    const identity = await this.mqttIdentity(principal, holder);
    if (!identity.ok) return identity;
    return done(await this.o.credentials.issueMqtt(identity.value, actorOf(principal)));
  }

  /** Revokes `holder`'s MQTT credential and disconnects it; `revoked` is false when there was none. */
  async revokeMqtt(principal: Principal, holder: MqttHolder): Promise<Outcome<{ username: string; revoked: boolean }>> {
    const identity = await this.mqttIdentity(principal, holder);
    if (!identity.ok) return identity;
    const username = mqttUsernameFor(identity.value);
    return done({ username, revoked: await this.o.credentials.revokeMqtt(username, actorOf(principal)) });
  }

  /**
   * An API key of the principal's organisation. pos and store-ops keys are bound to a store of it,
   * app keys to a user of it, other roles to neither.
   */
  async issueApiKey(principal: Principal, request: ApiKeyRequest): Promise<Outcome<{ id: string; key: string }>> {
    const { role, storeId, userId } = request;
    const needsStore = role === "pos" || role === "store-ops";
    const problems: Problem[] = [];
    if (needsStore && storeId === undefined) problems.push({ path: "/storeId", message: `required for a ${role} key` });
    if (!needsStore && storeId !== undefined)
      problems.push({ path: "/storeId", message: `a ${role} key is not bound to a store` });
    if (role === "app" && userId === undefined) problems.push({ path: "/userId", message: "required for an app key" });
    if (role !== "app" && userId !== undefined)
      problems.push({ path: "/userId", message: `a ${role} key is not bound to a user` });
    if (problems.length > 0) return invalid(problems, problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
    if (storeId !== undefined && (await this.o.stores.getStore(storeId))?.orgId !== principal.orgId)
      return notFound("no such store");
    if (userId !== undefined) {
      const user = await this.mqttIdentity(principal, { userId });
      if (!user.ok) return user;
    }
    const issued = await this.o.credentials.issueApiKey(
      { role, orgId: principal.orgId, storeId: storeId ?? null, userId: userId ?? null, label: request.label },
      actorOf(principal),
    );
    return done(issued);
  }

  /** Revokes an API key of the principal's organisation. */
  async revokeApiKey(principal: Principal, keyId: string): Promise<Outcome<{ id: string; revoked: boolean }>> {
    const key = await this.o.credentials.describeApiKey(keyId);
    if (key?.orgId !== principal.orgId) return notFound("no such API key");
    return done({ id: keyId, revoked: await this.o.credentials.revokeApiKey(keyId, actorOf(principal)) });
  }
}
