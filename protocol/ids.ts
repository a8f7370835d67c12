/**
 * Identifiers that travel on the wire. Store, gateway, zone, user and rule ids become MQTT topic
 * levels, so they must never contain `/`, `+`, `#` or NUL ([MQTT-4.7.1-1], [MQTT-4.7.3-2]); the
 * pattern below admits only a conservative, URL- and topic-safe alphabet.
 */
export const ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";
const ID_RE = new RegExp(ID_PATTERN);

export function isValidId(value: string): boolean {
  return ID_RE.test(value);
}

/**
 * What a presence event is about. Beacon kinds carry the ids the beacon advertises; `mac` carries a
 * keyed hash of a device address (raw addresses never leave the gateway); `app` is a phone that
 * reports its own position (GPS fix) and is known by its user id.
 */
export type SubjectKind = "ibeacon" | "altbeacon" | "eddystone-uid" | "eddystone-eid" | "mac" | "app";
export const SUBJECT_KINDS: readonly SubjectKind[] = [
  "ibeacon",
  "altbeacon",
  "eddystone-uid",
  "eddystone-eid",
  "mac",
  "app",
];

/**
 * Subject ids are `<kind>:<fields>` in lowercase hex with dashed UUIDs, e.g.
 * `ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2`. One regex per kind keeps both sides honest.
 */
const HEX = "[0-9a-f]";
const UUID = `${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`;
const U16 = "(?:0|[1-9][0-9]{0,4})";
export const SUBJECT_ID_PATTERNS: Readonly<Record<SubjectKind, RegExp>> = {
  ibeacon: new RegExp(`^ibeacon:${UUID}:${U16}:${U16}$`),
  altbeacon: new RegExp(`^altbeacon:${HEX}{32}:${U16}:${U16}$`),
  "eddystone-uid": new RegExp(`^eddystone-uid:${HEX}{20}:${HEX}{12}$`),
  "eddystone-eid": new RegExp(`^eddystone-eid:${HEX}{16}$`),
  mac: new RegExp(`^mac:${HEX}{16,64}$`),
  app: /^app:[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
};

/** True when `id` is a well-formed subject id of `kind`. */
export function isValidSubjectId(kind: SubjectKind, id: string): boolean {
  return SUBJECT_ID_PATTERNS[kind].test(id);
}

/** Formats 16 bytes as a dashed, lowercase UUID (8-4-4-4-12). */
export function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
