/**
 * Builders of subject ids (`protocol/ids.ts` describes the format). The gateway's decoders and
 * the cloud's device registration both build ids here, so a beacon registered to a user over HTTP
 * gets exactly the id the gateway reports when it hears that beacon.
 */

/** `ibeacon:<uuid>:<major>:<minor>`: dashed lowercase proximity UUID, major and minor in decimal. */
export function ibeaconSubjectId(uuid: string, major: number, minor: number): string {
  return `ibeacon:${uuid.toLowerCase()}:${major}:${minor}`;
}

/** `altbeacon:<id1>:<id2>:<id3>`: id1 as 32 lowercase hex digits, id2 and id3 in decimal. */
export function altbeaconSubjectId(id1: string, id2: number, id3: number): string {
  return `altbeacon:${id1.toLowerCase()}:${id2}:${id3}`;
}

/** `app:<userId>`: a phone that reports its own position (a geofence fix) for its signed-in user. */
export function appSubjectId(userId: string): string {
  return `app:${userId}`;
}

/** The user id an `app:` subject id stands for; null for any other kind of subject id. */
export function userIdOfAppSubject(subjectId: string): string | null {
  return subjectId.startsWith("app:") ? subjectId.slice("app:".length) : null;
}

/** `eddystone-uid:<namespace>:<instance>`: 10-byte namespace and 6-byte instance in lowercase hex. */
export function eddystoneUidSubjectId(namespace: string, instance: string): string {
  return `eddystone-uid:${namespace.toLowerCase()}:${instance.toLowerCase()}`;
}

/**
 * A beacon's identity as a person types it from its label or its configuration app. UUIDs may be
 * given with or without dashes and in either case; they are normalised to the wire form.
 */
export type BeaconIdentity =
  | { readonly kind: "ibeacon"; readonly uuid: string; readonly major: number; readonly minor: number }
  | { readonly kind: "altbeacon"; readonly id1: string; readonly id2: number; readonly id3: number }
  | { readonly kind: "eddystone-uid"; readonly namespace: string; readonly instance: string };

/** The subject id the gateway reports for this beacon. */
export function subjectIdOfBeacon(identity: BeaconIdentity): string {
  switch (identity.kind) {
    case "ibeacon": {
      const hex = identity.uuid.replaceAll("-", "").toLowerCase();
      const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
      return ibeaconSubjectId(uuid, identity.major, identity.minor);
    }
    case "altbeacon":
      return altbeaconSubjectId(identity.id1.replaceAll("-", ""), identity.id2, identity.id3);
    case "eddystone-uid":
      return eddystoneUidSubjectId(identity.namespace, identity.instance);
  }
}
