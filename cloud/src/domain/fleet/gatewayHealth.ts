/**
 * How a gateway is doing, from what the cloud last heard of it. Pure: times are epoch ms passed in.
 *
 * A gateway says it is online in its retained status when it connects, and the broker publishes
 * its last will (`offline`) when the connection dies without a DISCONNECT [MQTT-3.1.2-8]; a clean
 * stop publishes `offline` itself. Neither arrives when the cloud itself is cut off, or when a
 * half-open TCP connection outlives the keepalive at an external broker, so silence for longer
 * than `staleAfterMs` also counts as offline.
 */

/** `degraded`: connected, but its radio is interrupted (powered off, blocked, failing): no presence from it. */
export type GatewayState = "online" | "degraded" | "offline" | "unknown";

export interface GatewayPresenceFacts {
  /** State of the last status message (or of telemetry heard after an offline status). */
  readonly reportedState: "online" | "offline" | null;
  /** When the last offline status arrived (its own `at` when it has one), epoch ms. */
  readonly offlineSince: number | null;
  /** Last message of any kind from the gateway (status, telemetry, events), epoch ms. */
  readonly lastSeenAt: number | null;
  /** The radio as the last online status reported it; absent or null when it did not say. */
  readonly scanState?: "scanning" | "interrupted" | null;
}

export interface HealthThresholds {
  /** Silence longer than this means offline, ms. */
  readonly staleAfterMs: number;
  /** Offline longer than this raises `offlineTooLong`, ms. */
  readonly offlineAlertMs: number;
}

export interface GatewayHealth {
  readonly state: GatewayState;
  /** When it went offline (or was last heard, when silence decided it); null unless offline. */
  readonly offlineSince: number | null;
  readonly offlineTooLong: boolean;
}

export function gatewayHealth(facts: GatewayPresenceFacts, now: number, t: HealthThresholds): GatewayHealth {
  const offline = (since: number): GatewayHealth => ({
    state: "offline",
    offlineSince: since,
    offlineTooLong: now - since > t.offlineAlertMs,
  });
  if (facts.reportedState === "offline") {
    return offline(facts.offlineSince ?? facts.lastSeenAt ?? now);
  }
  if (facts.lastSeenAt === null) return { state: "unknown", offlineSince: null, offlineTooLong: false };
  if (now - facts.lastSeenAt > t.staleAfterMs) return offline(facts.lastSeenAt);
  return { state: facts.scanState === "interrupted" ? "degraded" : "online", offlineSince: null, offlineTooLong: false };
}

export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** What a gateway last reported about remote config (from its status). */
export interface ReportedConfig {
  readonly revision: number;
  readonly state: "applied" | "rejected";
  readonly problems?: readonly ConfigProblem[];
}

export type ConfigState = "pending" | "applied" | "rejected" | "none";

export interface ConfigView {
  readonly desiredRevision: number | null;
  readonly reportedRevision: number | null;
  readonly state: ConfigState;
  readonly problems: readonly ConfigProblem[];
}

/**
 * Desired revision (what the cloud pushed last) against the gateway's report. A gateway applies
 * only revisions above the one it runs and ignores lower ones (docs/protocol.md), so a report above
 * the desired revision (a cloud database restored from an older backup) means the desired config
 * will never be applied: that is shown as rejected, with what to do.
 */
export function configView(desiredRevision: number | null, reported: ReportedConfig | null): ConfigView {
  const reportedRevision = reported?.revision ?? null;
  if (desiredRevision === null) return { desiredRevision, reportedRevision, state: "none", problems: [] };
  if (!reported || reported.revision < desiredRevision)
    return { desiredRevision, reportedRevision, state: "pending", problems: [] };
  // Above the desired revision: someone else published a config. Its own rejection says more
  // than ours; applied, it is still not what the cloud wants the gateway to run.
  if (reported.revision > desiredRevision && reported.state === "applied") {
    return {
      desiredRevision,
      reportedRevision,
      state: "rejected",
      problems: [
        {
          path: "/revision",
          message: `the gateway runs revision ${reported.revision}, newer than the desired ${desiredRevision}; push the config again`,
        },
      ],
    };
  }
  return { desiredRevision, reportedRevision, state: reported.state, problems: reported.problems ?? [] };
}

/**
 * The revision of the next push: above both the last desired revision and whatever the gateway
 * reports running, or the gateway would ignore it as old.
 */
export function nextRevision(desiredRevision: number | null, reportedRevision: number | null): number {
  return Math.max(desiredRevision ?? 0, reportedRevision ?? 0) + 1;
}
