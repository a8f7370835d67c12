/**
 * What the beacon decoder returns: one plain, JSON-ready value per advert, discriminated on `format`.
 * The same shape is printed by `arrival-gateway decode`, so field names are part of the tool's output.
 *
 * Hex strings are lowercase; UUIDs are dashed 8-4-4-4-12. `id` is the subject id the presence layer
 * keys on (`protocol/ids.ts` SUBJECT_ID_PATTERNS); frames that identify nothing (URL, TLM, eTLM) carry
 * `id: null`, so a consumer can test `beacon.id !== null` without knowing the formats.
 */

/** Every format the decoder recognises. */
export type BeaconFormat =
  | "ibeacon"
  | "altbeacon"
  | "eddystone-uid"
  | "eddystone-url"
  | "eddystone-tlm"
  | "eddystone-etlm"
  | "eddystone-eid";

export const BEACON_FORMATS: readonly BeaconFormat[] = [
  "ibeacon",
  "altbeacon",
  "eddystone-uid",
  "eddystone-url",
  "eddystone-tlm",
  "eddystone-etlm",
  "eddystone-eid",
];

/** Apple iBeacon (Proximity Beacon Specification R1): manufacturer data of company 0x004C, type 0x02. */
export interface IBeacon {
  readonly format: "ibeacon";
  /** `ibeacon:<uuid>:<major>:<minor>`. */
  readonly id: string;
  /** Proximity UUID, dashed lowercase. */
  readonly uuid: string;
  /** 0..65535. */
  readonly major: number;
  /** 0..65535. */
  readonly minor: number;
  /** Calibrated RSSI at 1 m, dBm (signed byte as sent; a non-negative value is implausible but reported). */
  readonly measuredPower: number;
}

/** AltBeacon (github.com/AltBeacon/spec): manufacturer data with beacon code 0xBEAC, any company. */
export interface AltBeacon {
  readonly format: "altbeacon";
  /** `altbeacon:<id1>:<id2>:<id3>`. */
  readonly id: string;
  /** Bluetooth SIG company identifier of the beacon's maker, 0..65535. */
  readonly companyId: number;
  /**
   * First 16 bytes of the 20-byte beacon id, 32 lowercase hex chars, NOT dashed: the AltBeacon spec
   * only asks that they be unique to the organisational unit; they need not be a UUID.
   */
  readonly id1: string;
  /** Bytes 16-17 of the beacon id, big-endian, 0..65535. */
  readonly id2: number;
  /** Bytes 18-19 of the beacon id, big-endian, 0..65535. */
  readonly id3: number;
  /** Average RSSI at 1 m, dBm. */
  readonly referenceRssi: number;
  /** Manufacturer-reserved byte, or null when the advert omits it (25-byte payload). */
  readonly mfgReserved: number | null;
}

/** Eddystone-UID (frame type 0x00): 10-byte namespace + 6-byte instance. */
export interface EddystoneUid {
  readonly format: "eddystone-uid";
  /** `eddystone-uid:<namespace>:<instance>`. */
  readonly id: string;
  /** 20 lowercase hex chars. */
  readonly namespace: string;
  /** 12 lowercase hex chars. */
  readonly instance: string;
  /** Calibrated TX power at 0 m, dBm. */
  readonly txPower: number;
}

/** Eddystone-URL (frame type 0x10). Identifies nothing: many beacons may broadcast the same URL. */
export interface EddystoneUrl {
  readonly format: "eddystone-url";
  readonly id: null;
  /** The expanded URL, e.g. `https://example.com/`. */
  readonly url: string;
  /** Calibrated TX power at 0 m, dBm. */
  readonly txPower: number;
}

/** Unencrypted Eddystone-TLM (frame type 0x20, version 0x00): telemetry, no identity. */
export interface EddystoneTlm {
  readonly format: "eddystone-tlm";
  readonly id: null;
  /** Battery voltage, mV; null when the beacon does not measure it (the spec says it sends 0). */
  readonly batteryMv: number | null;
  /** Beacon temperature, °C (signed 8.8 fixed point); null when unsupported (0x8000). */
  readonly temperatureC: number | null;
  /** Advertising PDUs sent since power-on or reboot. */
  readonly advCount: number;
  /** Time since power-on or reboot, seconds (the frame counts 0.1 s units). */
  readonly uptimeS: number;
}

/** Encrypted Eddystone-TLM (frame type 0x20, version 0x01): opaque until paired with a resolved EID. */
export interface EddystoneEtlm {
  readonly format: "eddystone-etlm";
  readonly id: null;
  /** 12 bytes of encrypted telemetry, 24 lowercase hex chars. */
  readonly etlm: string;
  /** 16-bit salt, 4 lowercase hex chars (big-endian as sent). */
  readonly salt: string;
  /** 16-bit message integrity check, 4 lowercase hex chars (big-endian as sent). */
  readonly mic: string;
}

/** Eddystone-EID (frame type 0x30): an 8-byte ephemeral id that rotates; resolvable only by its registrar. */
export interface EddystoneEid {
  readonly format: "eddystone-eid";
  /** `eddystone-eid:<eid>`. */
  readonly id: string;
  /** 16 lowercase hex chars. */
  readonly eid: string;
  /** Calibrated TX power at 0 m, dBm. */
  readonly txPower: number;
}

export type DecodedBeacon =
  | IBeacon
  | AltBeacon
  | EddystoneUid
  | EddystoneUrl
  | EddystoneTlm
  | EddystoneEtlm
  | EddystoneEid;
