/**
 * Test helpers: build advertising data from hex, and read the shared vectors
 * (test/fixtures/ble-adverts.json, copied from the team's vector collection with provenance).
 */
import { readFileSync } from "node:fs";
import type { NobleAdvertisementLike } from "../../../../gateway/src/domain/advert/index.js";

export function bytes(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, "");
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`bad hex in test: ${hex}`);
  return new Uint8Array(Buffer.from(clean, "hex"));
}

export function hex(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("hex");
}

/** One AD structure `[len][type][data]` (Core Spec Vol 3 Part C §11). */
export function ad(type: number, dataHex: string): string {
  const data = bytes(dataHex);
  if (data.length > 254) throw new Error("AD structure too long");
  return hex(Uint8Array.of(data.length + 1, type, ...data));
}

export const FLAGS = ad(0x01, "06");
/** Complete list of 16-bit service UUIDs holding 0xFEAA, as Eddystone beacons send it. */
export const EDDYSTONE_UUID_LIST = ad(0x03, "aafe");

/** Manufacturer-specific data AD structure; `dataHex` starts with the little-endian company id. */
export function manufacturer(dataHex: string): string {
  return ad(0xff, dataHex);
}

/** Eddystone service data AD structure; `frameHex` is the frame after the 0xFEAA UUID. */
export function eddystone(frameHex: string): string {
  return ad(0x16, `aafe${frameHex}`);
}

/** The advertising data of a whole advert: flags + the given structures. */
export function advert(...structures: string[]): Uint8Array {
  return bytes(structures.join(""));
}

/**
 * What @abandonware/noble 1.9.2 (lib/hci-socket/gap.js parseServices) makes of advertising data:
 * stop at a zero length or a structure past the end; the LAST 0xFF structure wins; 16-bit service
 * data keeps AD order with the UUID as reversed hex. Used to drive decodeNobleAdvertisement with the
 * same vectors.
 */
export function toNobleAdvertisement(data: Uint8Array): NobleAdvertisementLike {
  let manufacturerData: Uint8Array | undefined;
  const serviceData: { uuid: string; data: Uint8Array }[] = [];
  let i = 0;
  while (i + 1 < data.length) {
    const length = data[i] ?? 0;
    if (length < 1 || i + length + 1 > data.length) break;
    const type = data[i + 1];
    const body = data.subarray(i + 2, i + 1 + length);
    if (type === 0xff) manufacturerData = body;
    // Copy before reversing: subarray shares memory with the caller's bytes.
    if (type === 0x16) serviceData.push({ uuid: hex(body.slice(0, 2).reverse()), data: body.subarray(2) });
    i += length + 1;
  }
  return { manufacturerData, serviceData };
}

export type HexKind =
  | "full_advert_ad_structures"
  | "manufacturer_data_with_company_id"
  | "manufacturer_data_without_company_id"
  | "service_data_feaa";

export interface Vector {
  readonly id: string;
  readonly source_repo: string;
  readonly format: string;
  readonly hex_kind: HexKind;
  readonly hex: string;
  readonly expected: Readonly<Record<string, unknown>>;
  readonly notes?: string;
}

export function loadVectors(): readonly Vector[] {
  const url = new URL("../../../fixtures/ble-adverts.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Vector[];
}

/** A vector as full advertising data (AD structures), wrapping bare payloads as the radio sends them. */
export function vectorAdvertisingData(vector: Vector): Uint8Array {
  switch (vector.hex_kind) {
    case "full_advert_ad_structures":
      return bytes(vector.hex);
    case "manufacturer_data_with_company_id":
      return advert(manufacturer(vector.hex));
    case "manufacturer_data_without_company_id":
      // advlib strips Apple's company id 0x004C; put it back (little-endian 4c 00).
      return advert(manufacturer(`4c00${vector.hex}`));
    case "service_data_feaa":
      return advert(eddystone(vector.hex));
  }
}

/** The same vector as noble would hand it over. */
export function vectorNobleAdvertisement(vector: Vector): NobleAdvertisementLike {
  switch (vector.hex_kind) {
    case "full_advert_ad_structures":
      return toNobleAdvertisement(bytes(vector.hex));
    case "manufacturer_data_with_company_id":
      return { manufacturerData: bytes(vector.hex) };
    case "manufacturer_data_without_company_id":
      return { manufacturerData: bytes(`4c00${vector.hex}`) };
    case "service_data_feaa":
      return { serviceData: [{ uuid: "feaa", data: bytes(vector.hex) }] };
  }
}
