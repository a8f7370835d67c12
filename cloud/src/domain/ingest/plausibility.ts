/**
 * Plausibility of a presence event at ingest: what the wire schema cannot know because it needs
 * the cloud's clock or the store's zones. Pure: time and zones are inputs.
 */

/** Why an event that passed the schema is still refused. */
export type ImplausibleReason =
  /** The store has no zone of this id (deleted, mistyped, or never there). */
  | "unknown-zone"
  /** `at` does not parse to a time (the schema's date-time format admits a few that do not). */
  | "bad-time"
  /** `at` is older than any outbox holds: a clock reset to 1970, or a forged date. */
  | "too-old"
  /** `at` is further ahead of the cloud's clock than any honest clock drifts. */
  | "in-future";

export interface PlausibilityLimits {
  /** Oldest `at` accepted, ms before the cloud's now; above the gateways' outbox age (default 8 days). */
  readonly maxEventAgeMs: number;
  /** Furthest `at` accepted ahead of the cloud's now, ms (default 5 min). */
  readonly maxClockSkewMs: number;
}

/**
 * Defaults: gateways evict outbox rows after 168 h (`outboxMaxAgeH`), so an event older than that
 * plus a day of clock slack cannot be an honest late delivery; NTP keeps a Pi within seconds, and
 * five minutes covers one that booted before its first sync.
 */
export const DEFAULT_PLAUSIBILITY_LIMITS: PlausibilityLimits = {
  maxEventAgeMs: 192 * 3_600_000,
  maxClockSkewMs: 5 * 60_000,
};

/** The fields of an event this check reads. */
export interface PlausibilityInput {
  readonly zoneId: string;
  /** ISO-8601, as on the wire. */
  readonly at: string;
}

export interface Implausible {
  readonly reason: ImplausibleReason;
  /** For the operator's log line. */
  readonly text: string;
}

/**
 * Null when the event may be stored; otherwise why not.
 *
 * @param zoneIds the zones the event's store has now
 * @param nowMs the cloud's time, epoch ms
 */
export function checkPlausibility(
  event: PlausibilityInput,
  zoneIds: ReadonlySet<string>,
  nowMs: number,
  limits: PlausibilityLimits = DEFAULT_PLAUSIBILITY_LIMITS,
): Implausible | null {
  const atMs = Date.parse(event.at);
  if (!Number.isFinite(atMs)) return { reason: "bad-time", text: `at ${event.at} is not a time` };
  if (nowMs - atMs > limits.maxEventAgeMs) {
    return {
      reason: "too-old",
      text: `at ${event.at} is ${Math.round((nowMs - atMs) / 3_600_000)} h old, limit ${Math.round(limits.maxEventAgeMs / 3_600_000)} h`,
    };
  }
  if (atMs - nowMs > limits.maxClockSkewMs) {
    return {
      reason: "in-future",
      text: `at ${event.at} is ${Math.round((atMs - nowMs) / 1000)} s ahead, limit ${Math.round(limits.maxClockSkewMs / 1000)} s`,
    };
  }
  if (!zoneIds.has(event.zoneId)) return { reason: "unknown-zone", text: `the store has no zone ${event.zoneId}` };
  return null;
}
