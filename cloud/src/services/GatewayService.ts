import type { Principal } from "./CredentialService.js";
import { done, forbidden, idNotAvailable, notFound, type Outcome } from "./Outcome.js";
import type { AuditRepository, DirectoryRepository, GatewayRecord, StoreRecord } from "./repositories.js";

export interface GatewayServiceOptions {
  readonly directory: Pick<DirectoryRepository, "getGateway" | "getStore" | "upsertGateway">;
  readonly audit: AuditRepository;
  readonly now: () => number;
}

/** What a caller does with a gateway; only the wording of a refusal depends on it. */
export type GatewayUse = "see" | "manage";

const actorOf = (principal: Principal): string => `api-key:${principal.keyId}`;

/**
 * The gateways of the directory as operators reach them: which store and gateway a caller may see
 * or manage, and registering a gateway in a store. Admins reach their organisation; a store-ops key
 * only its own store (another store of the organisation is 403, anything of another organisation
 * 404, so other tenants' ids do not leak).
 */
export class GatewayService {
  constructor(private readonly o: GatewayServiceOptions) {}

  /** The store, if the principal may see its gateways. */
  async visibleStore(principal: Principal, storeId: string): Promise<Outcome<StoreRecord>> {
    const store = await this.o.directory.getStore(storeId);
    if (store?.orgId !== principal.orgId) return notFound("no such store");
    if (principal.role === "store-ops" && principal.storeId !== store.id)
      return forbidden("a store-ops key sees only its own store");
    return done(store);
  }

  /** The gateway, if the principal may see (or manage) it. */
  async visibleGateway(principal: Principal, gatewayId: string, use: GatewayUse = "see"): Promise<Outcome<GatewayRecord>> {
    const gateway = await this.o.directory.getGateway(gatewayId);
    const store = gateway ? await this.o.directory.getStore(gateway.storeId) : null;
    if (!gateway || store?.orgId !== principal.orgId) return notFound("no such gateway");
    if (principal.role === "store-ops" && principal.storeId !== gateway.storeId)
      return forbidden(
        use === "see"
          ? "a store-ops key sees only the gateways of its own store"
          : "a store-ops key manages only the gateways of its own store",
      );
    return done(gateway);
  }

  /**
   * Registers a gateway in a store, or renames it when it is registered there already
   * (`created: false`). Gateway ids are global (they are MQTT identities): one held by another
   * store is never moved, and the refusal is the same whoever holds it. The write itself refuses,
   * so two concurrent registrations cannot both pass a check made before either wrote.
   */
  async register(
    principal: Principal,
    storeId: string,
    input: { readonly id: string; readonly name: string },
  ): Promise<Outcome<{ created: boolean }>> {
    const store = await this.visibleStore(principal, storeId);
    if (!store.ok) return store;
    const now = this.o.now();
    const written = await this.o.directory.upsertGateway({ id: input.id, storeId, name: input.name }, now);
    if (written === "taken") return idNotAvailable("gateway", input.id);
    const created = written === "created";
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: created ? "gateway.register" : "gateway.rename",
      target: `gateway:${input.id}`,
      detail: { storeId, name: input.name },
    });
    return done({ created });
  }
}
