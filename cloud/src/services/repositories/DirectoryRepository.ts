export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly maxOffersPerUserPerDay: number;
}

/** An organisation as the operator sees it: when it was created and whether it is suspended. */
export interface OrganisationStatus {
  readonly id: string;
  readonly name: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms when it was suspended; null while active. A suspended organisation's API keys are refused. */
  readonly suspendedAt: number | null;
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

/** A store as the directory API shows it: the record plus its postal address. */
export interface StoreDetails extends StoreRecord {
  readonly address: string | null;
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

/**
 * Organisations, stores, zones and gateways: the directory every other part reads. One port for
 * every read and write of these records, so a zone created through the directory API and one
 * written by the fleet or a seed go through the same code.
 */
export interface DirectoryRepository {
  /**
   * A number that changes whenever an organisation, store, zone or app user is written or deleted,
   * by any writer (kept by storage itself, so no write path can forget it). Caches of directory
   * records (the decision stage's) start over when it moves.
   */
  directoryChanges(): Promise<number>;
  upsertOrganisation(org: Organisation, now: number): Promise<void>;
  getOrganisation(id: string): Promise<Organisation | null>;
  /** Every organisation, by id. */
  listOrganisations(): Promise<Organisation[]>;
  /** False when the id is taken; the existing organisation is left as it was. */
  createOrganisation(org: Organisation, now: number): Promise<boolean>;
  getOrganisationStatus(id: string): Promise<OrganisationStatus | null>;
  /** Every organisation with its status, by id. */
  listOrganisationStatuses(): Promise<OrganisationStatus[]>;
  /**
   * Suspends (`suspendedAt` epoch ms) or reinstates (null) an organisation. True when this call
   * changed it; false for an unknown one or one already in that state (a second suspension keeps
   * the first time).
   */
  setOrganisationSuspended(id: string, suspendedAt: number | null): Promise<boolean>;
  /** Creates the store or updates its name, timezone, position and tags (its address is kept). */
  upsertStore(store: StoreRecord, now: number): Promise<void>;
  getStore(id: string): Promise<StoreRecord | null>;
  /** The organisation's stores by id; only `storeId` when given (a store-bound key). */
  listStores(orgId: string, storeId: string | null): Promise<StoreDetails[]>;
  getStoreDetails(id: string): Promise<StoreDetails | null>;
  /** False when the id is taken (store ids are unique across organisations). */
  createStore(store: StoreDetails, now: number): Promise<boolean>;
  /** Updates a store of `store.orgId`; a store of another organisation is left alone. */
  updateStore(store: StoreDetails, now: number): Promise<void>;
  upsertZone(zone: ZoneRecord): Promise<void>;
  getZone(storeId: string, zoneId: string): Promise<ZoneRecord | null>;
  /** The store's zones by id. */
  listZones(storeId: string): Promise<ZoneRecord[]>;
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
  /**
   * Registers the gateway in its store, or renames it if it is already there. A gateway of another
   * store is never moved: the answer is then "taken" and nothing is written.
   */
  upsertGateway(gateway: GatewayRecord, now: number): Promise<"created" | "renamed" | "taken">;
  getGateway(id: string): Promise<GatewayRecord | null>;
}
