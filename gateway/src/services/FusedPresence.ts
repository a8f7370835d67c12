import type { PresenceChange, PresenceEngine, Sighting } from "../domain/presence/PresenceEngine.js";
import { SightingMerger, type SightingMergerCounters } from "../domain/presence/SightingMerger.js";
import type { Clock, LanCounters, Logger, SharedSighting, SightingChannel } from "./ports.js";

/** What decides presence from sightings: the engine itself, or the engine behind the store LAN's fusion. */
export interface PresenceDecider {
  observe(s: Sighting): PresenceChange[];
  tick(now: number): PresenceChange[];
  readonly trackedSubjects: number;
}

export interface FusedPresenceOptions {
  readonly gatewayId: string;
  /** The pooled engine, configured with every surveyed gateway of the store (engineOptions). */
  readonly engine: PresenceEngine;
  readonly channel: SightingChannel;
  readonly clock: Clock;
  readonly log: Logger;
  /** See {@link SightingMerger}: the lateness allowance, ms. */
  readonly latenessMs: number;
  /**
   * Called with each peer's sightings as they arrive, stamped in this gateway's clock (raw RSSI, as
   * the peer heard it): the inside learner keeps what the peers heard of a labelled member.
   */
  readonly onPeerSightings?: (gatewayId: string, sightings: readonly SharedSighting[]) => void;
  /**
   * The time source `clock` follows (the cloud's, CloudClock): until it is known, this gateway
   * neither settles nor speaks on the LAN (for at most {@link SETTLE_MS}), and the sightings it holds
   * meanwhile are moved by the correction that comes. Absent: the clock is what it is.
   */
  readonly reference?: { readonly known: boolean; readonly correctionMs: number };
}

/** With nothing to share for this long, a gateway tells its peers it is alive, ms (a fraction of a minute). */
export const KEEPALIVE_MS = 10_000;

/**
 * Longest a starting gateway holds its decisions for its peers to be heard, ms: an idle peer speaks
 * at least every {@link KEEPALIVE_MS}; one that says nothing for longer is taken as down.
 */
export const SETTLE_MS = KEEPALIVE_MS + 1000;

/**
 * Live fusion of a store's gateways: this gateway's own sightings go to its peers over the store LAN
 * (sent at each {@link tick}) and, with the peers' sightings, into the {@link SightingMerger}, which
 * hands them to the pooled engine in one order once the lateness allowance has passed. Every gateway
 * of the store does the same with the same sightings, so every one of them decides the same events
 * with the same ids, as a replay of the merged capture would, only later by the allowance; each
 * uploads them and the cloud stores each event once. A gateway that dies takes only its own
 * sightings with it.
 *
 * Two things keep the gateways' sightings the same when the LAN is not perfect:
 * - **Retransmission.** A datagram lost on the LAN is asked for again by the gateway that missed it
 *   (the channel's {@link SightingChannel.tick}) while the allowance still holds it. A gap shows only
 *   when a later datagram arrives, so for one allowance after its last sightings a gateway sends a
 *   heartbeat each tick: a loss at the end of a burst is found in time too.
 * - **Settling first.** Until every peer has been heard (or {@link SETTLE_MS} has passed) the
 *   store's clock is unknown: this gateway's own sightings are held unstamped and nothing is decided.
 *   Stamped before, they would carry the wrong time, and once the correction came those of the last
 *   allowance would fall behind the watermark and be dropped as late.
 * - **The reference's time before that.** With a {@link FusedPresenceOptions.reference} (the cloud's
 *   clock), nothing is sent on the LAN until it answered (or SETTLE_MS passed): the peers believe the
 *   largest offset they heard for 30 s (PeerClocks), so a heartbeat stamped on the clock this gateway
 *   is about to leave would move the store's time for that long.
 */
export class FusedPresence implements PresenceDecider {
  private readonly o: FusedPresenceOptions;
  private readonly merger: SightingMerger;
  private outgoing: SharedSighting[] = [];
  private refusedAt = 0;
  /** Own sightings handed to the channel for the peers. */
  private shared = 0;
  private readonly lateBySender = new Map<string, number>();
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private lastReportAt = Number.NEGATIVE_INFINITY;
  /** When sightings were last sent (not heartbeats), this gateway's clock. */
  private lastSharedAt = Number.NEGATIVE_INFINITY;
  /** The store's clock is known (every peer heard, or SETTLE_MS passed); until then `early` holds own sightings. */
  private settled = false;
  /** The reference's time is known (or SETTLE_MS passed without it); until then nothing is sent. */
  private referenced = false;
  private firstTickAt: number | null = null;
  private early: Sighting[] = [];
  /** What is added to this gateway's clock to read the store's agreed time, ms. */
  private offsetMs = 0;

  constructor(options: FusedPresenceOptions) {
    this.o = options;
    this.merger = new SightingMerger({ latenessMs: options.latenessMs });
  }

  get trackedSubjects(): number {
    return this.o.engine.trackedSubjects;
  }

  /** A peer's sightings the merger dropped (late, ahead, full), since start. */
  lateDropped(sender: string): number {
    return this.lateBySender.get(sender) ?? 0;
  }

  /** Sightings refused by the merger (late, ahead, full) and datagrams refused by the channel. */
  get counters(): {
    readonly merge: Readonly<SightingMergerCounters>;
    readonly lan: Readonly<LanCounters>;
    readonly shared: number;
  } {
    return { merge: this.merger.counters, lan: this.o.channel.counters, shared: this.shared };
  }

  async start(): Promise<void> {
    await this.o.channel.start((sender, sightings) => {
      // The peers stamp their sightings in the store's time, as this gateway does (see observe).
      const now = this.o.clock.now() + this.offsetMs;
      let late = 0;
      for (const s of sightings) {
        const refusal = this.merger.offer({ ...s, gatewayId: sender }, now);
        if (refusal !== null && refusal !== "invalid") late++;
      }
      if (late > 0) this.lateBySender.set(sender, (this.lateBySender.get(sender) ?? 0) + late);
      if (this.o.onPeerSightings !== undefined) {
        const offsetMs = this.offsetMs;
        this.o.onPeerSightings(sender, offsetMs === 0 ? sightings : sightings.map((s) => ({ ...s, t: s.t - offsetMs })));
      }
    });
  }

  async stop(): Promise<void> {
    this.outgoing = [];
    await this.o.channel.stop();
  }

  /** What is added to this gateway's clock to read the store's agreed time, ms (0: its own clock is it). */
  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /**
   * Takes one of this gateway's own sightings; decides nothing yet. Stamped in the store's agreed
   * time (the clocks' median, PeerClocks), so a gateway whose clock is off by more than the
   * allowance neither has its sightings dropped as late by its peers nor drops theirs, and every
   * gateway decides on the same times. Rounded to whole ms and dBm as the datagram carries it, so
   * this gateway and its peers feed the very same values.
   */
  observe(s: Sighting): PresenceChange[] {
    if (this.settled) this.take(s);
    // Held on the system clock's stamp: the reference's correction may come before it is taken.
    else this.early.push({ ...s, t: s.t - (this.o.reference?.correctionMs ?? 0) });
    return [];
  }

  private take(s: Sighting): void {
    const own: SharedSighting = {
      t: Math.round(s.t + this.offsetMs),
      subject: s.subject,
      rssiDbm: Math.max(-127, Math.min(127, Math.round(s.rssiDbm))),
      measuredPowerDbm: s.measuredPowerDbm === null ? null : Math.max(-127, Math.min(127, Math.round(s.measuredPowerDbm))),
    };
    if (this.merger.offer({ ...own, gatewayId: this.o.gatewayId }, this.o.clock.now() + this.offsetMs) === null) this.outgoing.push(own);
  }

  /**
   * Sends what was heard since the last tick, then runs the pooled engine up to the watermark of the
   * store's time. `now` is this gateway's clock.
   */
  tick(now: number): PresenceChange[] {
    if (!this.referenced) {
      // Datagrams stamped before the reference's correction would tell the peers a clock this
      // gateway is about to leave, and they believe the largest offset of the last 30 s (PeerClocks).
      this.firstTickAt ??= now;
      if (!(this.o.reference?.known ?? true) && Math.abs(now - this.firstTickAt) < SETTLE_MS) return [];
      this.referenced = true;
      this.firstTickAt = null;
      if (this.o.reference !== undefined)
        this.o.log.info({ known: this.o.reference.known, correctionMs: this.o.reference.correctionMs }, "reference time settled");
    }
    const offsetMs = this.o.channel.clockOffsetMs?.(now) ?? 0;
    if (offsetMs !== this.offsetMs) {
      this.o.log.info({ from: this.offsetMs, to: offsetMs }, "store clock offset changed");
      this.offsetMs = offsetMs;
    }
    if (!this.settled) {
      this.firstTickAt ??= now;
      if ((this.o.channel.allPeersHeard?.() ?? true) || now - this.firstTickAt >= SETTLE_MS) {
        this.settled = true;
        this.o.log.info({ offsetMs: this.offsetMs, held: this.early.length }, "store clock settled");
        const correctionMs = this.o.reference?.correctionMs ?? 0;
        for (const s of this.early.splice(0)) this.take({ ...s, t: s.t + correctionMs });
      }
    }
    if (this.outgoing.length > 0) {
      this.o.channel.send(this.outgoing);
      this.shared += this.outgoing.length;
      this.outgoing = [];
      this.lastSentAt = now;
      this.lastSharedAt = now;
    } else if (!this.settled || now - this.lastSentAt >= KEEPALIVE_MS || now - this.lastSharedAt <= this.o.latenessMs) {
      // An empty shop sends no sightings: a heartbeat keeps "not heard for a minute" meaning a
      // dead peer or a broken LAN (the fleet view and doctor warn of it). Right after sightings it
      // also carries the next sequence number, so a peer that lost the last batch finds out in time.
      // Before settling, one each tick: an idle peer answers a heartbeat with one (the channel), so
      // this gateway hears it, and learns the store's clock, within a tick or two, not a keepalive.
      this.o.channel.keepAlive?.();
      this.lastSentAt = now;
    }
    this.o.channel.tick?.(now);
    if (!this.settled) return [];
    const out: PresenceChange[] = [];
    for (const step of this.merger.release(now + this.offsetMs)) {
      if (step.kind === "tick") out.push(...this.o.engine.tick(step.t));
      else out.push(...this.o.engine.observe(step.sighting));
    }
    this.reportRefusals(now);
    return out;
  }

  /**
   * Sightings dropped as late mean a peer's clock or the LAN lags; datagrams refused mean a peer with
   * another key, or someone else on the LAN. Said at most once a minute, with the totals so far.
   */
  private reportRefusals(now: number): void {
    const m = this.merger.counters;
    const l = this.o.channel.counters;
    const refused =
      m.late + m.ahead + m.full + l.unauthenticated + l.malformed + l.oversized + l.stale + l.replayed + l.unknownSender;
    if (refused === this.refusedAt || now - this.lastReportAt < 60_000) return;
    this.refusedAt = refused;
    this.lastReportAt = now;
    this.o.log.warn(
      {
        late: m.late,
        ahead: m.ahead,
        full: m.full,
        unauthenticated: l.unauthenticated,
        malformed: l.malformed,
        oversized: l.oversized,
        stale: l.stale,
        replayed: l.replayed,
        unknownSender: l.unknownSender,
      },
      "peer sightings refused",
    );
  }
}
