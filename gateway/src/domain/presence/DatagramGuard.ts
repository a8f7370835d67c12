/** Why an authenticated datagram was refused. */
export type DatagramRefusal = "stale" | "ahead" | "replayed" | "unknown-sender";

export interface DatagramGuardOptions {
  /** Senders accepted (the store's peers). */
  readonly senders: readonly string[];
  /** A datagram sent longer ago than this is stale, ms. Default 5000. */
  readonly maxAgeMs?: number;
  /** A datagram dated more than this in the future is refused (a clock ahead), ms. Default 5000. */
  readonly maxAheadMs?: number;
  /**
   * Most sequence numbers remembered as missing per sender, for retransmission; a larger jump (a
   * long outage) is not asked for. Default 64.
   */
  readonly maxMissing?: number;
}

/** Sequence numbers to ask one sender for again. */
export interface MissingRequest {
  readonly sender: string;
  readonly seqs: readonly number[];
}

/** What the guard saw of gaps since start. */
export interface DatagramGuardCounters {
  /** Sequence numbers found missing (a later one arrived first). */
  missed: number;
  /** Missing ones that arrived later (retransmitted, or reordered) and were accepted. */
  recovered: number;
  /** Missing ones given up on: older than the age limit, or beyond `maxMissing`. */
  abandoned: number;
}

interface Mark {
  sentAt: number;
  seq: number;
  /** Missing sequence numbers: when found missing and when last asked for (our clock). */
  readonly missing: Map<number, { readonly since: number; askedAt: number | null }>;
}

/**
 * Freshness, replay refusal and gap finding for the store LAN's authenticated datagrams: each sender
 * stamps its datagrams with the time sent and a sequence number, one more per datagram. A datagram
 * is accepted when it is recent and either above the last (sentAt, seq) accepted from that sender,
 * or one of the sequence numbers found missing below it (a retransmission, or a datagram the LAN
 * reordered), once. A captured datagram sent again is refused as replayed (within the age window)
 * or stale (after it); a sender that restarts stamps a later time with a lower sequence, so it needs
 * no state of its own. The numbers skipped when a higher one arrives are what {@link due} asks the
 * sender for again, at most every `retryMs`, until they arrive or grow older than the age limit.
 * Check only datagrams whose MAC verified, or anyone could raise a sender's mark. Pure: time is the
 * `now` passed in.
 */
export class DatagramGuard {
  readonly counters: DatagramGuardCounters = { missed: 0, recovered: 0, abandoned: 0 };
  private readonly maxAgeMs: number;
  private readonly maxAheadMs: number;
  private readonly maxMissing: number;
  private readonly last = new Map<string, Mark | null>();

  constructor(options: DatagramGuardOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 5000;
    this.maxAheadMs = options.maxAheadMs ?? 5000;
    this.maxMissing = Math.max(0, options.maxMissing ?? 64);
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
    if (!prev) {
      this.last.set(sender, { sentAt, seq, missing: new Map() });
      return null;
    }
    this.expire(prev, now);
    if (seq > prev.seq && sentAt >= prev.sentAt) {
      // The numbers skipped are missing: lost on the LAN, or still on their way.
      const skipped = seq - prev.seq - 1;
      for (let s = Math.max(prev.seq + 1, seq - this.maxMissing); s < seq; s++) prev.missing.set(s, { since: now, askedAt: null });
      this.counters.missed += skipped;
      this.counters.abandoned += Math.max(0, skipped - this.maxMissing);
      this.trim(prev);
      prev.sentAt = sentAt;
      prev.seq = seq;
      return null;
    }
    if (seq <= prev.seq && sentAt > prev.sentAt) {
      // Restarted: its sequence starts over at a later time, and what it sent before is gone.
      this.counters.abandoned += prev.missing.size;
      this.last.set(sender, { sentAt, seq, missing: new Map() });
      return null;
    }
    if (sentAt <= prev.sentAt && prev.missing.delete(seq)) {
      this.counters.recovered++;
      return null;
    }
    return "replayed";
  }

  /**
   * The missing sequence numbers to ask for now, per sender: never asked, or last asked `retryMs`
   * or more ago. Marks them asked at `now`.
   */
  due(now: number, retryMs: number): MissingRequest[] {
    const out: MissingRequest[] = [];
    for (const [sender, mark] of this.last) {
      if (!mark) continue;
      this.expire(mark, now);
      const seqs: number[] = [];
      for (const [seq, m] of mark.missing) {
        if (m.askedAt !== null && now - m.askedAt < retryMs) continue;
        m.askedAt = now;
        seqs.push(seq);
      }
      if (seqs.length > 0) out.push({ sender, seqs });
    }
    return out;
  }

  /** Missing sequence numbers still awaited, over every sender. */
  get awaited(): number {
    let n = 0;
    for (const mark of this.last.values()) n += mark?.missing.size ?? 0;
    return n;
  }

  /** Forgets missing ones found longer ago than the age limit: a datagram sent then is stale now. */
  private expire(mark: Mark, now: number): void {
    for (const [seq, m] of mark.missing) {
      if (m.since >= now - this.maxAgeMs) continue;
      mark.missing.delete(seq);
      this.counters.abandoned++;
    }
  }

  private trim(mark: Mark): void {
    for (const seq of mark.missing.keys()) {
      if (mark.missing.size <= this.maxMissing) break;
      mark.missing.delete(seq);
      this.counters.abandoned++;
    }
  }
}
