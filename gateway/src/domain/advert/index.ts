/** Pure beacon decoding: advertising bytes in, a DecodedBeacon or null out. No I/O, no clock, no logging. */
export { decodeAdvertisement } from "./decodeAdvertisement.js";
export { decodeAltBeacon } from "./decodeAltBeacon.js";
export {
  type AltBeacon,
  BEACON_FORMATS,
  type BeaconFormat,
  type DecodedBeacon,
  type EddystoneEid,
  type EddystoneEtlm,
  type EddystoneTlm,
  type EddystoneUid,
  type EddystoneUrl,
  type IBeacon,
} from "./decodedBeacon.js";
export { decodeEddystone, type EddystoneFrame } from "./decodeEddystone.js";
export { decodeIBeacon } from "./decodeIBeacon.js";
export { decodeManufacturerData } from "./decodeManufacturerData.js";
export { decodeNobleAdvertisement, type NobleAdvertisementLike } from "./decodeNobleAdvertisement.js";
export { type BeaconSubject, type BeaconSubjectKind, subjectOf } from "./subjectOf.js";
