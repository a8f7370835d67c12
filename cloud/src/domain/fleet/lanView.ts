import type { Telemetry } from "../../../../protocol/index.js";

/** A peer not heard for longer than this is flagged: its gateway decides alone meanwhile, ms. */
export const PEER_SILENT_AFTER_MS = 60_000;

/** One configured LAN peer of a gateway, as the cloud last heard of it; times are epoch ms of the cloud's clock. */
export interface LanPeerView {
  readonly id: string;
  /** Its last authenticated datagram, anchored to when the telemetry saying so arrived; null: never heard. */
  readonly lastHeardAt: number | null;
  /** Heard within {@link PEER_SILENT_AFTER_MS} of now. */
  readonly heardRecently: boolean;
  readonly sightingsReceived: number;
  readonly refused: number;
  readonly lateDropped: number;
  /** Its clock minus this gateway's, ms; null: not known (not heard lately, too far off, or an older gateway). */
  readonly clockOffsetMs: number | null;
}

/** Lost datagrams asked for again, counted since the gateway started (see the telemetry's `lan.recovery`). */
export type LanRecoveryView = NonNullable<NonNullable<Telemetry["lan"]>["recovery"]>;

export interface LanView {
  readonly peers: readonly LanPeerView[];
  /** Configured peers not heard recently: while any is, this gateway judges its zones without its evidence. */
  readonly silentPeers: readonly string[];
  /** What this gateway adds to its clock to read the store's agreed time, ms; null: not reported (older gateways). */
  readonly clockOffsetMs: number | null;
  /** Lost datagrams asked for again, recovered and given up; null: not reported (older gateways). */
  readonly recovery: LanRecoveryView | null;
}

/**
 * The store LAN of a gateway from its latest telemetry: null when the gateway has no LAN peers or
 * does not report them (before 0.4). The gateway reports ages, not times, so no gateway clock is
 * trusted; a sample that is itself old ages every peer with it. Pure: `now` is passed in.
 */
export function lanView(telemetry: Telemetry | null, telemetryAt: number | null, now: number): LanView | null {
  const lan = telemetry?.lan;
  const peers = lan?.peers;
  if (peers === undefined || telemetryAt === null) return null;
  const out = peers.map((p): LanPeerView => {
    const lastHeardAt = p.lastHeardAgeS === null ? null : Math.round(telemetryAt - p.lastHeardAgeS * 1000);
    return {
      id: p.id,
      lastHeardAt,
      heardRecently: lastHeardAt !== null && now - lastHeardAt <= PEER_SILENT_AFTER_MS,
      sightingsReceived: p.sightingsReceived,
      refused: p.refused,
      lateDropped: p.lateDropped,
      clockOffsetMs: p.clockOffsetMs ?? null,
    };
  });
  return {
    peers: out,
    silentPeers: out.filter((p) => !p.heardRecently).map((p) => p.id),
    clockOffsetMs: lan?.clockOffsetMs ?? null,
    recovery: lan?.recovery ?? null,
  };
}
