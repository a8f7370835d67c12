import type { SubjectKind } from "../../../../protocol/index.js";
import type { DecodedBeacon } from "./decodedBeacon.js";

/** The subject kinds a beacon can identify (protocol's SubjectKind minus `mac` and `app`). */
export type BeaconSubjectKind = Extract<
  SubjectKind,
  "ibeacon" | "altbeacon" | "eddystone-uid" | "eddystone-eid"
>;

/** Who a beacon identifies, in the wire contract's terms (`protocol/ids.ts`). */
export interface BeaconSubject {
  readonly kind: BeaconSubjectKind;
  /** Matches SUBJECT_ID_PATTERNS[kind]. */
  readonly id: string;
}

/**
 * The subject a decoded beacon identifies, or null for frames that identify nothing (Eddystone-URL,
 * TLM and eTLM carry no beacon id; they are paired with an identifying frame by device address).
 */
export function subjectOf(beacon: DecodedBeacon): BeaconSubject | null {
  switch (beacon.format) {
    case "ibeacon":
    case "altbeacon":
    case "eddystone-uid":
    case "eddystone-eid":
      // For identifying formats the format name is the subject kind by design.
      return { kind: beacon.format, id: beacon.id };
    case "eddystone-url":
    case "eddystone-tlm":
    case "eddystone-etlm":
      return null;
  }
}
