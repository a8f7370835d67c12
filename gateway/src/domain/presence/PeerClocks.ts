/**
 * The store's clock, agreed among its gateways without a time server: every datagram on the store
 * LAN (sightings and heartbeats alike) carries the sender's clock when sent (`sentAt`), so a
 * receiver sees each peer's clock minus its own, less the LAN's delay. Pure: times are passed in.
 *
 * - **A peer's offset** is the largest `sentAt - receivedAt` of the last `windowMs`: the datagram
 *   that waited least on the LAN (NTP's minimum-delay filter, one way). Offsets beyond `maxSkewMs`
 *   are not believed (a captured datagram replayed long after, a peer whose clock is lost): that
 *   peer is then judged against this gateway's own clock, as without this class.
 * - **The store's time** is the median of the clocks of the gateways heard within `windowMs`,
 *   this one included. Each gateway computes the same median from where it stands, so all of them
 *   stamp their own sightings in the same time and their pooled engines see the same sightings at
 *   the same times, hence decide the same events with the same ids. The median follows the majority:
 *   with three gateways, one clock far off moves nothing.
 * - **Only when it matters**: a correction smaller than `minCorrectionMs` is not made (the lateness
 *   allowance absorbs it, and gateways kept on time by NTP keep exactly their own stamps), and once
 *   made it moves only when the estimate moves by `stepMs` or more, so LAN jitter does not move the
 *   stamps a millisecond at a time.
 *
 * Time is not made true by this: the store's events carry the median clock's error, which only a
 * time source (NTP) removes. What it removes is the gateways' disagreement.
 */

export interface PeerClocksOptions {
  /** Samples older than this are forgotten, and a peer not heard for this long does not count, ms. Default 30 000. */
  readonly windowMs?: number;
  /** Largest offset believed, ms. Default 10 000 (the merge's limit for sightings ahead). */
  readonly maxSkewMs?: number;
  /** Smaller corrections of this gateway's stamps are not made, ms. Default 250. */
  readonly minCorrectionMs?: number;
  /** A correction in force moves only by this much or more, ms. Default 100. */
  readonly stepMs?: number;
}

export const PEER_CLOCKS_DEFAULTS = Object.freeze({ windowMs: 30_000, maxSkewMs: 10_000, minCorrectionMs: 250, stepMs: 100 });

export class PeerClocks {
  private readonly o: Required<PeerClocksOptions>;
  /** Per peer: per second of receipt, the largest `sentAt - receivedAt`, oldest first. */
  private readonly samples = new Map<string, { at: number; offsetMs: number }[]>();
  private correction = 0;

  constructor(options: PeerClocksOptions = {}) {
    this.o = { ...PEER_CLOCKS_DEFAULTS, ...options };
  }

  /** One authenticated datagram from `sender`, sent at `sentAt` of its clock, received at `receivedAt` of ours. */
  observe(sender: string, sentAt: number, receivedAt: number): void {
    if (!Number.isFinite(sentAt) || !Number.isFinite(receivedAt)) return;
    const offsetMs = sentAt - receivedAt;
    const second = Math.floor(receivedAt / 1000) * 1000;
    let list = this.samples.get(sender);
    if (list === undefined) {
      list = [];
      this.samples.set(sender, list);
    }
    const last = list.at(-1);
    if (last !== undefined && last.at === second) last.offsetMs = Math.max(last.offsetMs, offsetMs);
    else if (last === undefined || second > last.at) list.push({ at: second, offsetMs });
    this.forget(list, receivedAt);
  }

  /** The sender's clock minus ours, ms; null when not heard within the window or beyond belief. */
  offsetOf(sender: string, now: number): number | null {
    const list = this.samples.get(sender);
    if (list === undefined) return null;
    this.forget(list, now);
    if (list.length === 0) return null;
    let best = Number.NEGATIVE_INFINITY;
    for (const s of list) best = Math.max(best, s.offsetMs);
    return Math.abs(best) > this.o.maxSkewMs ? null : best;
  }

  /**
   * What to add to this gateway's clock to read the store's time, ms (whole): the median of the
   * clocks heard, relative to ours, once it is at least `minCorrectionMs`.
   */
  storeOffset(now: number): number {
    const offsets = [0];
    for (const sender of this.samples.keys()) {
      const offset = this.offsetOf(sender, now);
      if (offset !== null) offsets.push(offset);
    }
    offsets.sort((a, b) => a - b);
    const mid = offsets.length / 2;
    const median = offsets.length % 2 === 1 ? (offsets[Math.floor(mid)] ?? 0) : ((offsets[mid - 1] ?? 0) + (offsets[mid] ?? 0)) / 2;
    const wanted = Math.abs(median) < this.o.minCorrectionMs ? 0 : Math.round(median);
    if (wanted === 0 || Math.abs(wanted - this.correction) >= this.o.stepMs) this.correction = wanted;
    return this.correction;
  }

  private forget(list: { at: number }[], now: number): void {
    let drop = 0;
    while (drop < list.length && (list[drop]?.at ?? 0) < now - this.o.windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
  }
}
