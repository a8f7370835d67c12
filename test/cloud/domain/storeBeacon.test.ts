import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromHex, storeBeaconValue, toHex } from "../../../protocol/index.js";
import {
  type Hmac,
  organisationBeaconUuid,
  resolveSighting,
  slotTable,
  storeBeaconConfig,
  storeIdentityKey,
} from "../../../cloud/src/domain/storeBeacon/index.js";

const hmac: Hmac = (key, data) => createHmac("sha256", key).update(data).digest();
const SECRET = new TextEncoder().encode("a store beacon secret of 32 bytes or more!");
const K = 9; // slots of 512 s
const T = 1_800_000_000; // Unix seconds, mid-slot
const SLOT = Math.floor(T / 512) * 512;
const stores = ["s1", "s2", "s3"].map((storeId) => ({ storeId, identityKey: storeIdentityKey(hmac, SECRET, storeId, 1) }));

describe("store beacon keys", () => {
  it("gives each organisation a stable version 8 UUID and each store and epoch its own key", () => {
    const uuid = organisationBeaconUuid(hmac, SECRET, "o1");
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(organisationBeaconUuid(hmac, SECRET, "o1")).toBe(uuid);
    expect(organisationBeaconUuid(hmac, SECRET, "o2")).not.toBe(uuid);
    expect(organisationBeaconUuid(hmac, new TextEncoder().encode("another secret, just as long as the first"), "o1")).not.toBe(uuid);
    const keys = new Set([
      toHex(storeIdentityKey(hmac, SECRET, "s1", 1)),
      toHex(storeIdentityKey(hmac, SECRET, "s2", 1)),
      toHex(storeIdentityKey(hmac, SECRET, "s1", 2)),
    ]);
    expect(keys.size).toBe(3);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  it("puts in the gateway's config what the phone will hear: the UUID and the key the values derive from", () => {
    const config = storeBeaconConfig(hmac, SECRET, { format: "ibeacon", rotationExponent: K, measuredPowerDbm: -59, keyEpoch: 1 }, "o1", "s2");
    expect(config).toEqual({
      format: "ibeacon",
      uuid: organisationBeaconUuid(hmac, SECRET, "o1"),
      identityKey: toHex(storeIdentityKey(hmac, SECRET, "s2", 1)),
      rotationExponent: K,
      measuredPowerDbm: -59,
    });
    // What a gateway advertises from that config resolves to the store.
    const key = fromHex(config.identityKey) as Uint8Array;
    const { major, minor } = storeBeaconValue(key, K, T);
    expect(resolveSighting({ heard: { major, minor }, atS: T, nowS: T, maxAgeS: 120, table: slotTable(stores, K, T) })).toEqual({ ok: true, storeId: "s2", slotStartS: SLOT });
  });
});

describe("resolveSighting", () => {
  const table = slotTable(stores, K, T);
  const value = (storeId: string, atS: number) => storeBeaconValue(stores.find((s) => s.storeId === storeId)?.identityKey as Uint8Array, K, atS);

  it("names the store of an iBeacon or Eddystone-EID value heard in its slot", () => {
    const v = value("s3", T);
    expect(resolveSighting({ heard: { major: v.major, minor: v.minor }, atS: T, nowS: T + 30, maxAgeS: 120, table })).toEqual({ ok: true, storeId: "s3", slotStartS: SLOT });
    expect(resolveSighting({ heard: { eid: toHex(v.eid).toUpperCase() }, atS: T, nowS: T, maxAgeS: 120, table })).toEqual({ ok: true, storeId: "s3", slotStartS: SLOT });
  });

  it("names no store for a value from another slot, or a guessed one", () => {
    const previous = value("s1", SLOT - 1);
    const next = value("s1", SLOT + 512);
    for (const v of [previous, next]) expect(resolveSighting({ heard: { major: v.major, minor: v.minor }, atS: T, nowS: T, maxAgeS: 120, table })).toEqual({ ok: false, reason: "no-store" });
    expect(resolveSighting({ heard: { major: 1, minor: 2 }, atS: T, nowS: T, maxAgeS: 120, table })).toEqual({ ok: false, reason: "no-store" });
  });

  it("refuses a report too far from now before looking at the value", () => {
    const v = value("s1", T);
    const heard = { major: v.major, minor: v.minor };
    expect(resolveSighting({ heard, atS: T, nowS: T + 121, maxAgeS: 120, table })).toEqual({ ok: false, reason: "too-old" });
    expect(resolveSighting({ heard, atS: T, nowS: T - 121, maxAgeS: 120, table })).toEqual({ ok: false, reason: "in-the-future" });
  });

  it("names neither store when two stores' values collide in a slot", () => {
    const v = value("s1", T);
    const twice = slotTable([stores[0], { storeId: "s9", identityKey: stores[0]?.identityKey }] as typeof stores, K, T);
    expect(resolveSighting({ heard: { major: v.major, minor: v.minor }, atS: T, nowS: T, maxAgeS: 120, table: twice })).toEqual({ ok: false, reason: "no-store" });
  });
});
