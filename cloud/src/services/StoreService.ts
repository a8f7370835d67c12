import { Checker, type Zone, ZoneSchema } from "../../../protocol/index.js";
import { isValidTimeZone } from "../domain/rules/index.js";
import type { Principal } from "./CredentialService.js";
import { conflict, done, forbidden, idNotAvailable, invalid, notFound, type Outcome } from "./Outcome.js";
import type { Clock } from "./ports.js";
import type {
  AuditRepository,
  DirectoryRepository,
  StoreDetails,
  ZoneRecord,
} from "./repositories.js";

/** A store's editable fields. Latitude and longitude come together or not at all. */
export interface StoreInput {
  readonly name: string;
  readonly timezone: string;
  readonly location: { readonly lat: number; readonly lon: number } | null;
  readonly address: string | null;
  readonly tags: readonly string[];
}

/** A zone as the API shows it: the geofence the gateways apply, and the tags rules select it by. */
export interface ZoneView {
  readonly id: string;
  readonly storeId: string;
  readonly name: string;
  readonly tags: readonly string[];
  /** Null when the stored geometry is not a valid zone (rows written before zones were validated). */
  readonly zone: Zone | null;
}

export interface StoreServiceOptions {
  readonly directory: Pick<
    DirectoryRepository,
    | "listStores"
    | "getStoreDetails"
    | "createStore"
    | "updateStore"
    | "getZone"
    | "listZones"
    | "upsertZone"
    | "createZone"
    | "deleteZone"
    | "getGateway"
  >;
  readonly audit: AuditRepository;
  readonly clock: Clock;
  /**
   * Told after a store's zones changed, to push them to the store's gateways (the fleet). It must
   * not fail for an unreachable broker: the change is committed and the push is retried.
   */
  readonly zonesChanged: ZonesChanged;
}

/** Port to whatever delivers a store's zones to its gateways. */
export type ZonesChanged = (storeId: string, actor: string) => Promise<unknown>;

const zoneChecker = new Checker(ZoneSchema);

function zoneView(record: ZoneRecord): ZoneView {
  const checked = zoneChecker.check(record.geometry);
  return {
    id: record.id,
    storeId: record.storeId,
    name: record.name,
    tags: record.tags,
    zone: checked.ok ? checked.value : null,
  };
}

const actorOf = (principal: Principal): string => `api-key:${principal.keyId}`;

/**
 * Stores and their zones, within the caller's organisation. A store of another organisation is
 * "not found" whether or not it exists; a store-bound key (store-ops, pos) sees only its store.
 */
export class StoreService {
  constructor(private readonly o: StoreServiceOptions) {}

  listStores(principal: Principal): Promise<StoreDetails[]> {
    return this.o.directory.listStores(principal.orgId, principal.storeId);
  }

  /** The store if the principal may see it. */
  async getStore(principal: Principal, storeId: string): Promise<Outcome<StoreDetails>> {
    const store = await this.o.directory.getStoreDetails(storeId);
    if (store?.orgId !== principal.orgId) return notFound(`no store ${storeId}`);
    if (principal.storeId !== null && principal.storeId !== storeId)
      return forbidden("this key is bound to another store");
    return done(store);
  }

  async createStore(principal: Principal, storeId: string, input: StoreInput): Promise<Outcome<StoreDetails>> {
    const checked = checkStoreInput(input);
    if (!checked.ok) return checked;
    const store = details(principal.orgId, storeId, checked.value);
    const now = this.o.clock.now();
    // Store ids are unique across organisations: gateways publish on arrival/v1/stores/{storeId}/...
    // and broker ACLs grant that prefix, with no organisation level (docs/api.md, "Ids").
    if (!(await this.o.directory.createStore(store, now))) return idNotAvailable("store", storeId);
    await this.o.audit.audit({ at: now, actor: actorOf(principal), action: "store.create", target: `store:${storeId}` });
    return done(store);
  }

  /** Applies the given fields; the others keep their values. */
  async updateStore(
    principal: Principal,
    storeId: string,
    patch: Partial<StoreInput>,
  ): Promise<Outcome<StoreDetails>> {
    const current = await this.getStore(principal, storeId);
    if (!current.ok) return current;
    const c = current.value;
    const input: StoreInput = {
      name: patch.name ?? c.name,
      timezone: patch.timezone ?? c.timezone,
      location:
        patch.location !== undefined
          ? patch.location
          : c.lat === null || c.lon === null
            ? null
            : { lat: c.lat, lon: c.lon },
      address: patch.address !== undefined ? patch.address : c.address,
      tags: patch.tags ?? c.tags,
    };
    const checked = checkStoreInput(input);
    if (!checked.ok) return checked;
    const store = details(principal.orgId, storeId, checked.value);
    const now = this.o.clock.now();
    await this.o.directory.updateStore(store, now);
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "store.update",
      target: `store:${storeId}`,
      detail: { fields: Object.keys(patch) },
    });
    return done(store);
  }

  async listZones(principal: Principal, storeId: string): Promise<Outcome<ZoneView[]>> {
    const store = await this.getStore(principal, storeId);
    if (!store.ok) return store;
    return done((await this.o.directory.listZones(storeId)).map(zoneView));
  }

  async getZone(principal: Principal, storeId: string, zoneId: string): Promise<Outcome<ZoneView>> {
    const store = await this.getStore(principal, storeId);
    if (!store.ok) return store;
    const zone = await this.o.directory.getZone(storeId, zoneId);
    return zone ? done(zoneView(zone)) : notFound(`no zone ${zoneId} in store ${storeId}`);
  }

  /** Creates (`create`) or replaces a zone; a gateway-radius zone must name a gateway of this store. */
  async putZone(
    principal: Principal,
    storeId: string,
    input: { readonly zone: Zone; readonly tags: readonly string[] },
    mode: "create" | "replace",
  ): Promise<Outcome<ZoneView>> {
    const store = await this.getStore(principal, storeId);
    if (!store.ok) return store;
    const { zone } = input;
    if (zone.shape === "gateway-radius") {
      const gateway = await this.o.directory.getGateway(zone.gatewayId);
      if (gateway?.storeId !== storeId)
        return invalid([{ path: "/zone/gatewayId", message: `no gateway ${zone.gatewayId} in store ${storeId}` }]);
    }
    const record: ZoneRecord = { id: zone.id, storeId, name: zone.name ?? zone.id, tags: input.tags, geometry: zone };
    const now = this.o.clock.now();
    if (mode === "create") {
      if (!(await this.o.directory.createZone(record))) return conflict(`store ${storeId} already has a zone ${zone.id}`);
    } else {
      if (!(await this.o.directory.getZone(storeId, zone.id))) return notFound(`no zone ${zone.id} in store ${storeId}`);
      await this.o.directory.upsertZone(record);
    }
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: mode === "create" ? "zone.create" : "zone.update",
      target: `zone:${storeId}/${zone.id}`,
    });
    await this.o.zonesChanged(storeId, actorOf(principal));
    return done(zoneView(record));
  }

  async deleteZone(principal: Principal, storeId: string, zoneId: string): Promise<Outcome<{ deleted: true }>> {
    const store = await this.getStore(principal, storeId);
    if (!store.ok) return store;
    if (!(await this.o.directory.deleteZone(storeId, zoneId))) return notFound(`no zone ${zoneId} in store ${storeId}`);
    await this.o.audit.audit({
      at: this.o.clock.now(),
      actor: actorOf(principal),
      action: "zone.delete",
      target: `zone:${storeId}/${zoneId}`,
    });
    await this.o.zonesChanged(storeId, actorOf(principal));
    return done({ deleted: true });
  }
}

/**
 * The canonical IANA name of a time zone (`asia/hong_kong` → `Asia/Hong_Kong`), or null. Schedules
 * and daily caps are evaluated in the store's zone, so an unknown name must never be stored; offset
 * strings (`+08:00`, which newer runtimes accept) are refused because they ignore daylight saving.
 */
function canonicalTimeZone(timeZone: string): string | null {
  if (!isValidTimeZone(timeZone)) return null;
  const canonical = new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  return /^[A-Za-z]/.test(canonical) ? canonical : null;
}

/** The input with its time zone made canonical, or the problems. */
function checkStoreInput(input: StoreInput): Outcome<StoreInput> {
  const timezone = canonicalTimeZone(input.timezone);
  if (timezone === null)
    return invalid([
      { path: "/timezone", message: `${JSON.stringify(input.timezone)} is not an IANA time zone (e.g. Asia/Hong_Kong)` },
    ]);
  return done({ ...input, timezone });
}

function details(orgId: string, id: string, input: StoreInput): StoreDetails {
  return {
    id,
    orgId,
    name: input.name,
    timezone: input.timezone,
    lat: input.location?.lat ?? null,
    lon: input.location?.lon ?? null,
    tags: input.tags,
    address: input.address,
  };
}
