/** Why an authenticated datagram was refused. */
export type DatagramRefusal = "stale" | "ahead" | "replayed" | "unknown-sender";

export interface DatagramGuardOptions {
  /** Senders accepted (the store's peers). */
  readonly senders: readonly string[];
  /** A datagram sent longer ago than this is stale, ms. Default 5000. */
  readonly maxAgeMs?: number;
  /** A datagram dated more than this in the future is refused (a clock ahead), ms. Default 5000. */
  readonly maxAheadMs?: number;
}

/**
 * Freshness of the store LAN's authenticated datagrams: each sender stamps its datagrams with the
 * time sent and a sequence number, and a datagram is accepted only when it is recent and its
 * (sentAt, seq) is above the last one accepted from that sender. A captured datagram sent again is
 * refused as replayed (within the age window) or stale (after it); a sender that restarts stamps a
 * later time, so it needs no state of its own. Check only datagrams whose MAC verified, or anyone
 * could raise a sender's mark. Pure: time is the `now` passed in.
 */
export class DatagramGuard {
  private readonly maxAgeMs: number;
  private readonly maxAheadMs: number;
  private readonly last = new Map<string, { sentAt: number; seq: number } | null>();

  constructor(options: DatagramGuardOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 5000;
    this.maxAheadMs = options.maxAheadMs ?? 5000;
    for (const id of options.senders) this.last.set(id, null);
  }

  /**
   * Accepts the datagram (and remembers its mark) or says why not. `senderOffsetMs` is how far the
   * sender's clock is ahead of ours, as estimated (PeerClocks); its `sentAt` is judged on its
   * own clock, so a peer whose clock is off is still fresh. 0 when unknown.
   */
  check(sender: string, sentAt: number, seq: number, now: number, senderOffsetMs = 0): DatagramRefusal | null {
    if (!this.last.has(sender)) return "unknown-sender";
    const theirNow = now + (Number.isFinite(senderOffsetMs) ? senderOffsetMs : 0);
    if (!Number.isFinite(sentAt) || sentAt < theirNow - this.maxAgeMs) return "stale";
    if (sentAt > theirNow + this.maxAheadMs) return "ahead";
    const prev = this.last.get(sender);
    if (prev && (sentAt < prev.sentAt || (sentAt === prev.sentAt && seq <= prev.seq))) return "replayed";
    this.last.set(sender, { sentAt, seq });
    return null;
  }
}
