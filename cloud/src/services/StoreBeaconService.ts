import { createHash } from "node:crypto";
import { appSubjectId, type PresenceEvent, type StoreBeaconConfig } from "../../../protocol/index.js";
import type { Offer } from "../domain/offers/index.js";
import {
  type HeardValue,
  type Hmac,
  organisationBeaconUuid,
  resolveSighting,
  type SightingRefusal,
  sightingTimeRefusal,
  type SlotTable,
  slotTable,
  type StoreBeaconSettings,
  storeBeaconConfig,
  storeIdentityKey,
} from "../domain/storeBeacon/index.js";
import { geofenceVisitId, PHONE_GATEWAY_ID, STORE_BEACON_ZONE_ID } from "./GeofenceService.js";
import type { Clock, Logger } from "./ports.js";
import type { DirectoryRepository, LocationRepository, StoredEvent } from "./repositories.js";

export interface StoreBeaconServiceOptions {
  /** The secret every key derives from; null: no store beacon (the gateways advertise none). */
  readonly secret: Uint8Array | null;
  readonly settings: StoreBeaconSettings & { readonly maxReportAgeS: number };
  readonly hmac: Hmac;
  readonly directory: Pick<DirectoryRepository, "getStore" | "listStores">;
  /** Where a resolved sighting is stored, as a phone's own presence event. */
  readonly locations: Pick<LocationRepository, "storeAppEntry">;
  /** A sighting stored for the first time goes on to the rules (the presence pipeline). */
  readonly onStored: (events: readonly StoredEvent[]) => void;
  /**
   * The offers the rules issued on a stored sighting, or null when deciding took longer than
   * `withinMs`; absent: the answer carries none.
   */
  readonly decided?: (eventId: string, withinMs: number) => Promise<readonly Offer[] | null>;
  /** How long the answer to a sighting waits for its decision (default 2 000 ms). */
  readonly answerWithinMs?: number;
  /**
   * A sighting stored for the first time in its slot: the user was in the store at `at` (a
   * calibration label for its gateways, PlaceLabelService, which checks consent). Never throws.
   */
  readonly onInside?: (sighting: { readonly storeId: string; readonly userId: string; readonly at: number }) => void;
  readonly clock: Clock;
  readonly log: Logger;
}

/** What an app needs to monitor its organisation's store beacon. */
export interface StoreBeaconDescription {
  readonly enabled: boolean;
  /** The proximity UUID an iOS app monitors as its beacon region; null when disabled. */
  readonly uuid: string | null;
  readonly format: StoreBeaconConfig["format"];
  /** How long one value lasts, seconds. */
  readonly slotS: number;
}

export type SightingResult =
  | { readonly ok: true; readonly storeId: string; readonly slotStart: number }
  | { readonly ok: false; readonly reason: SightingRefusal | "disabled" | "other-organisation" };

export type SightingReport =
  | {
      readonly ok: true;
      readonly storeId: string;
      readonly slotStart: number;
      readonly eventId: string;
      readonly repeated: boolean;
      /** Offers issued on this sighting, decided before the answer (none for a repeat or past the wait). */
      readonly offers: readonly Offer[];
    }
  | { readonly ok: false; readonly reason: SightingRefusal | "disabled" | "other-organisation" };

/**
 * The presence event of a user's sighting of a store's beacon: one per user, store and slot, so a
 * phone that reports the same beacon again within the slot (it hears it every second) is one event.
 */
export function storeBeaconEventId(userId: string, storeId: string, slotStart: number): string {
  return `sb-${createHash("sha256").update(`${userId}\u0000${storeId}\u0000${slotStart}`).digest("hex").slice(0, 40)}`;
}

/** Slot tables kept per organisation: the current slot's and a few recent ones. */
const TABLES_KEPT = 4;

/**
 * The store beacon from the cloud's side: the config each store's gateways advertise (pushed with
 * their remote config), the UUID an organisation's apps monitor, and the resolution of a phone's
 * "heard value X at time T" to the store whose beacon sent X in T's slot. Keys are derived, not
 * stored (see domain/storeBeacon), so every worker answers the same.
 */
export class StoreBeaconService {
  private readonly o: StoreBeaconServiceOptions;
  /** orgId → slot start → the slot's values; a store added mid-slot is found from the next slot. */
  private readonly tables = new Map<string, Map<number, SlotTable>>();

  constructor(options: StoreBeaconServiceOptions) {
    this.o = options;
  }

  get enabled(): boolean {
    return this.o.secret !== null;
  }

  describe(orgId: string): StoreBeaconDescription {
    const { secret, settings, hmac } = this.o;
    return {
      enabled: secret !== null,
      uuid: secret === null ? null : organisationBeaconUuid(hmac, secret, orgId),
      format: settings.format,
      slotS: 2 ** settings.rotationExponent,
    };
  }

  /** The beacon a store's gateways advertise; undefined when disabled or the store is unknown. */
  async configFor(storeId: string): Promise<StoreBeaconConfig | undefined> {
    const { secret, settings, hmac } = this.o;
    if (secret === null) return undefined;
    const store = await this.o.directory.getStore(storeId);
    return store ? storeBeaconConfig(hmac, secret, settings, store.orgId, store.id) : undefined;
  }

  /** The store of `orgId` whose beacon sent `heard` at `atMs`, or why none. */
  async resolve(orgId: string, report: { readonly uuid?: string; readonly heard: HeardValue; readonly atMs: number }): Promise<SightingResult> {
    const { secret, settings } = this.o;
    if (secret === null) return { ok: false, reason: "disabled" };
    // An iBeacon of another organisation's UUID (a neighbouring retailer's, or ours elsewhere).
    if (report.uuid !== undefined && report.uuid.toLowerCase() !== this.describe(orgId).uuid) return { ok: false, reason: "other-organisation" };
    const atS = Math.floor(report.atMs / 1000);
    const nowS = Math.floor(this.o.clock.now() / 1000);
    // Refused by time before any key is derived: a flood of stale reports costs nothing.
    const late = sightingTimeRefusal(atS, nowS, settings.maxReportAgeS);
    if (late !== null) return { ok: false, reason: late };
    const resolved = resolveSighting({ heard: report.heard, atS, nowS, maxAgeS: settings.maxReportAgeS, table: await this.table(secret, orgId, atS) });
    return resolved.ok ? { ok: true, storeId: resolved.storeId, slotStart: resolved.slotStartS * 1000 } : resolved;
  }

  /**
   * A phone heard its organisation's store beacon: resolved to a store within the value's slot, the
   * sighting is stored as the user's own presence (an enter of the store's `store-beacon` zone,
   * sharing the visit id of the user's geofence entries at the store in the same window) and goes
   * to the rules, which select it as `beacon-arrival`. A repeat within the slot is answered, not
   * stored again.
   */
  async reportSighting(input: {
    readonly userId: string;
    readonly orgId: string;
    readonly uuid?: string;
    readonly heard: HeardValue;
    readonly atMs: number;
    readonly rssi: number | null;
  }): Promise<SightingReport> {
    const resolved = await this.resolve(input.orgId, { ...(input.uuid === undefined ? {} : { uuid: input.uuid }), heard: input.heard, atMs: input.atMs });
    if (!resolved.ok) {
      this.o.log.info({ reason: resolved.reason }, "store beacon sighting not resolved");
      return resolved;
    }
    const { storeId, slotStart } = resolved;
    const event: PresenceEvent = {
      id: storeBeaconEventId(input.userId, storeId, slotStart),
      seq: 1,
      type: "enter",
      storeId,
      zoneId: STORE_BEACON_ZONE_ID,
      gatewayId: PHONE_GATEWAY_ID,
      subject: { kind: "app", id: appSubjectId(input.userId) },
      at: new Date(input.atMs).toISOString(),
      visitId: geofenceVisitId(input.userId, storeId, input.atMs),
      rssi: input.rssi,
      distanceM: null,
    };
    const stored = await this.o.locations.storeAppEntry({
      event,
      userId: input.userId,
      fix: null,
      signals: { source: "store-beacon", plausible: true, flags: [], format: "eid" in input.heard ? "eddystone-eid" : "ibeacon", slotStart: new Date(slotStart).toISOString(), rssi: input.rssi },
      receivedAt: this.o.clock.now(),
      decidedAt: null,
    });
    if (stored) {
      this.o.onStored([stored]);
      this.o.onInside?.({ storeId, userId: input.userId, at: input.atMs });
    }
    // A woken app has seconds to show a notification: the answer carries what the rules issued on
    // this sighting, when they decide in time (a shopper stored unlinked is decided without a wait).
    const offers =
      stored && stored.userId !== null && this.o.decided ? ((await this.o.decided(event.id, this.o.answerWithinMs ?? 2000)) ?? []) : [];
    // Without the user id (as for geofence entries): the event id leads to them only where storage links it.
    this.o.log.info({ storeId, eventId: event.id, repeated: stored === null, offers: offers.length }, "store beacon sighting reported");
    return { ok: true, storeId, slotStart, eventId: event.id, repeated: stored === null, offers };
  }

  private async table(secret: Uint8Array, orgId: string, atS: number): Promise<SlotTable> {
    const { settings, hmac } = this.o;
    const size = 2 ** settings.rotationExponent;
    const slotStartS = Math.floor(atS / size) * size;
    let tables = this.tables.get(orgId);
    const cached = tables?.get(slotStartS);
    if (cached) return cached;
    const stores = (await this.o.directory.listStores(orgId, null)).map((s) => ({
      storeId: s.id,
      identityKey: storeIdentityKey(hmac, secret, s.id, settings.keyEpoch),
    }));
    const table = slotTable(stores, settings.rotationExponent, slotStartS);
    if (!tables) {
      tables = new Map();
      this.tables.set(orgId, tables);
    }
    tables.set(slotStartS, table);
    for (const slot of [...tables.keys()].sort((a, b) => a - b).slice(0, Math.max(0, tables.size - TABLES_KEPT))) tables.delete(slot);
    return table;
  }
}
