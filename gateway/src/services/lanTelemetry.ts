import type { Telemetry } from "../../../protocol/index.js";
import type { FusedPresence } from "./FusedPresence.js";

/** What one configured peer sent this gateway since it started, as the channel counts it; times on this gateway's clock. */
export interface LanPeerTally {
  readonly id: string;
  /** The peer's last authenticated datagram; null: never heard. */
  readonly lastHeardAt: number | null;
  readonly sightingsReceived: number;
  readonly refused: number;
}

/** The store LAN's fusion as the telemetry reads it: the merge and its channel (UdpSightingChannel). */
export interface LanTelemetrySource {
  readonly presence: Pick<FusedPresence, "counters" | "lateDropped" | "clockOffsetMs">;
  readonly channel: {
    /** Each configured peer, in config order. */
    peers(): readonly LanPeerTally[];
    /** A peer's clock minus this gateway's, ms; null when not known. */
    peerClockOffsetMs(peerId: string, now: number): number | null;
  };
}

/** Seconds since a peer's last datagram, to a tenth; null: never heard. */
export function peerAgeS(lastHeardAt: number | null, now: number): number | null {
  return lastHeardAt === null ? null : Math.max(0, Math.round((now - lastHeardAt) / 100) / 10);
}

/**
 * The store LAN's part of the telemetry: what was taken in and refused, how lost datagrams were
 * asked for again and recovered or given up, and how far the peers' clocks are from this one's,
 * all counted since the gateway started (`now` is this gateway's clock).
 */
export function lanTelemetry(source: LanTelemetrySource, now: number): NonNullable<Telemetry["lan"]> {
  const { merge, lan } = source.presence.counters;
  return {
    sightingsReceived: lan.sightingsReceived,
    lateDropped: merge.late + merge.ahead + merge.full,
    refused: lan.unauthenticated + lan.malformed + lan.oversized + lan.stale + lan.replayed + lan.unknownSender,
    peers: source.channel.peers().map((p) => ({
      id: p.id,
      lastHeardAgeS: peerAgeS(p.lastHeardAt, now),
      sightingsReceived: p.sightingsReceived,
      refused: p.refused,
      lateDropped: source.presence.lateDropped(p.id),
      clockOffsetMs: source.channel.peerClockOffsetMs(p.id, now),
    })),
    clockOffsetMs: source.presence.clockOffsetMs,
    recovery: { missed: lan.missed, requested: lan.nacksSent, resent: lan.retransmitted, recovered: lan.recovered, givenUp: lan.abandoned },
  };
}
