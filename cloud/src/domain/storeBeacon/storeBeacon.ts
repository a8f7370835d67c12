import { type StoreBeaconConfig, storeBeaconValue, toHex } from "../../../../protocol/index.js";

/**
 * The cloud's half of the store beacon (protocol/storeBeacon.ts): the keys it derives and hands to
 * the gateways, and the resolution of a phone's sighting back to a store.
 *
 * Nothing is stored: one secret, shared by the workers, gives each organisation its proximity UUID
 * and each store its identity key (HMAC-SHA256, a key derivation RFC 5869 calls HKDF-Expand for one
 * block), so every worker computes the same keys and a key epoch renews them all.
 */

/** HMAC-SHA256 of `data` under `key`, injected (the domain does no crypto I/O of its own). */
export type Hmac = (key: Uint8Array, data: string) => Uint8Array;

export interface StoreBeaconSettings {
  readonly format: StoreBeaconConfig["format"];
  readonly rotationExponent: number;
  readonly measuredPowerDbm: number;
  readonly keyEpoch: number;
}

/** A store's 16-byte identity key for the epoch. */
export function storeIdentityKey(hmac: Hmac, secret: Uint8Array, storeId: string, keyEpoch: number): Uint8Array {
  return hmac(secret, `arrival store beacon key\u0000${keyEpoch}\u0000${storeId}`).slice(0, 16);
}

/**
 * The organisation's proximity UUID: stable for the secret (apps monitor it), different per
 * organisation, written as an RFC 9562 version 8 (custom) UUID.
 */
export function organisationBeaconUuid(hmac: Hmac, secret: Uint8Array, orgId: string): string {
  const b = hmac(secret, `arrival store beacon uuid\u0000${orgId}`).slice(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x80;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = toHex(b);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What a store's gateways advertise: the config the cloud pushes to them. */
export function storeBeaconConfig(
  hmac: Hmac,
  secret: Uint8Array,
  settings: StoreBeaconSettings,
  orgId: string,
  storeId: string,
): StoreBeaconConfig {
  return {
    format: settings.format,
    uuid: organisationBeaconUuid(hmac, secret, orgId),
    identityKey: toHex(storeIdentityKey(hmac, secret, storeId, settings.keyEpoch)),
    rotationExponent: settings.rotationExponent,
    measuredPowerDbm: settings.measuredPowerDbm,
  };
}

/** What a phone heard: an iBeacon's major and minor under the UUID, or an Eddystone-EID. */
export type HeardValue = { readonly major: number; readonly minor: number } | { readonly eid: string };

export type SightingRefusal = "too-old" | "in-the-future" | "no-store";

/** The values an organisation's stores advertise in one slot, by value (see `valueKey`). */
export interface SlotTable {
  readonly slotStartS: number;
  readonly storesByValue: ReadonlyMap<string, readonly string[]>;
}

/** One key for both formats: an iBeacon value by major and minor, an EID by its hex. */
export function valueKey(heard: HeardValue): string {
  return "eid" in heard ? `eid:${heard.eid.toLowerCase()}` : `ib:${heard.major}:${heard.minor}`;
}

/** Every store's value in the slot containing `timeS`, under both formats' keys. */
export function slotTable(
  stores: readonly { readonly storeId: string; readonly identityKey: Uint8Array }[],
  rotationExponent: number,
  timeS: number,
): SlotTable {
  const storesByValue = new Map<string, string[]>();
  let slotStartS = Math.floor(timeS / 2 ** rotationExponent) * 2 ** rotationExponent;
  for (const store of stores) {
    const value = storeBeaconValue(store.identityKey, rotationExponent, timeS);
    slotStartS = value.slotStartS;
    for (const key of [valueKey({ eid: toHex(value.eid) }), valueKey({ major: value.major, minor: value.minor })]) storesByValue.set(key, [...(storesByValue.get(key) ?? []), store.storeId]);
  }
  return { slotStartS, storesByValue };
}

/** Why a report made at `atS` is refused by its time alone, or null: further than `maxAgeS` from now. */
export function sightingTimeRefusal(atS: number, nowS: number, maxAgeS: number): SightingRefusal | null {
  if (atS < nowS - maxAgeS) return "too-old";
  if (atS > nowS + maxAgeS) return "in-the-future";
  return null;
}

/**
 * The store whose beacon sent `heard` in the slot of the report's time, or why none: a value is
 * worth only its own slot (`table` is that slot's), so a value replayed from another slot, or
 * guessed, names no store. A report whose time is further than `maxAgeS` from now is refused
 * before any value is looked at. Where two stores' values collide in a slot (32 bits among an
 * organisation's stores, rare), neither is named.
 */
export function resolveSighting(input: {
  readonly heard: HeardValue;
  readonly atS: number;
  readonly nowS: number;
  readonly maxAgeS: number;
  /** The slot table of `atS`'s slot. */
  readonly table: SlotTable;
}): { readonly ok: true; readonly storeId: string; readonly slotStartS: number } | { readonly ok: false; readonly reason: SightingRefusal } {
  const { table } = input;
  const late = sightingTimeRefusal(input.atS, input.nowS, input.maxAgeS);
  if (late !== null) return { ok: false, reason: late };
  const stores = table.storesByValue.get(valueKey(input.heard)) ?? [];
  const [only] = stores;
  return stores.length === 1 && only !== undefined ? { ok: true, storeId: only, slotStartS: table.slotStartS } : { ok: false, reason: "no-store" };
}
