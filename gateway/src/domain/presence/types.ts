import type { Subject } from "../../../../protocol/index.js";

/** One decoded beacon advert, after the identity step resolved its subject. */
export interface Sighting {
  /** When it was heard, epoch ms. */
  readonly t: number;
  /** Gateway that heard it. */
  readonly gatewayId: string;
  readonly subject: Subject;
  /** Raw RSSI as the radio reported it, dBm. */
  readonly rssiDbm: number;
  /** Calibrated power at 1 m the beacon advertises (iBeacon measuredPower), dBm, if any. */
  readonly measuredPowerDbm: number | null;
}

/** A phone's own GPS fix; goes through the same zone and state code as beacon sightings. */
export interface Fix {
  /** When the fix was taken, epoch ms. */
  readonly t: number;
  readonly subject: Subject;
  readonly lat: number;
  readonly lon: number;
  /** Radius of the fix's uncertainty (the platform's horizontal accuracy), metres. */
  readonly accuracyM: number;
  /**
   * Gateway (or relay) the fix arrived through, stamped on events decided from fixes while no
   * gateway hears the subject. Optional; see `PresenceEngineOptions.fixGatewayId`.
   */
  readonly gatewayId?: string;
}

export type PresenceChangeType = "enter" | "dwell" | "exit";

/** What the engine decides; the pipeline stamps id/seq/storeId on it to make a PresenceEvent. */
export interface PresenceChange {
  readonly type: PresenceChangeType;
  readonly zoneId: string;
  readonly subject: Subject;
  /** When the engine decided, epoch ms (the time of the sample or tick that decided it). */
  readonly at: number;
  /** Shared by the enter, dwells and exit of one visit; 32 hex digits, deterministic. */
  readonly visitId: string;
  /** Unique per (visit, type, dwell mark); 32 hex digits, stable across retries and replays. */
  readonly eventId: string;
  /** Smoothed, calibrated RSSI at the owning gateway, dBm (0.1 dB); null when decided from a GPS fix. */
  readonly rssiDbm: number | null;
  /** Estimated distance to the owning gateway, metres (0.01 m); null when decided from a GPS fix. */
  readonly distanceM: number | null;
  /**
   * On dwell: time since the enter, ms. On exit: time from the enter to the last sample that still
   * placed the subject in the zone (the away timeout is not counted).
   */
  readonly dwellMs?: number;
  /** The gateway that owns the subject in that zone when the event is decided. */
  readonly gatewayId: string;
}

/** A gateway of the store: its RSSI correction and, if surveyed, its position. */
export interface GatewaySite {
  readonly id: string;
  /** Added to every RSSI this gateway reports, dB (receivers differ by several dB). Default 0. */
  readonly rssiOffsetDb?: number;
  /** Surveyed position, decimal degrees; needed for circle and polygon zones judged from RSSI. */
  readonly lat?: number;
  readonly lon?: number;
}
