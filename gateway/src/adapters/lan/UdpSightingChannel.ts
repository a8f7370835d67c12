import { createSocket, type Socket } from "node:dgram";
import { DatagramGuard } from "../../domain/presence/DatagramGuard.js";
import { PeerClocks, type PeerClocksOptions } from "../../domain/presence/PeerClocks.js";
import type { Clock, LanCounters, Logger, SharedSighting, SightingChannel } from "../../services/ports.js";
import type { CalibrationRecord } from "../../domain/presence/peerCalibration.js";
import {
  decodeCalibration,
  decodeNack,
  decodeSightings,
  encodeCalibration,
  encodeHeartbeat,
  encodeNack,
  encodeSightings,
  isCalibration,
  isNack,
} from "./sightingDatagram.js";

/** A peer's heartbeat is answered with one when this gateway has sent nothing for this long, ms. */
const ANSWER_QUIET_MS = 1000;

/**
 * This gateway's calibration record goes to every peer at least this often, ms, besides on change
 * and to a peer heard for the first time: within a starting peer's SETTLE_MS, so it settles with it.
 */
export const CALIBRATION_EVERY_MS = 10_000;

/** How a gateway shares its calibration record with its peers and hears theirs ({@link UdpSightingChannel.shareCalibration}). */
export interface CalibrationSharing {
  /** This gateway's record as its engine runs now; read at every tick, sent when it changed. */
  readonly own: () => CalibrationRecord;
  /** A peer's record, authenticated, fresh and newer than its last; whether it may set those values is the callee's. */
  readonly onPeer: (sender: string, record: CalibrationRecord) => void;
}

export interface LanPeerAddress {
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

/** What one configured peer sent this gateway since it started; times are epoch ms of this gateway's clock. */
export interface LanPeerReceipt {
  readonly id: string;
  /** The peer's last authenticated datagram, accepted or not; null: never heard. */
  readonly lastHeardAt: number | null;
  readonly sightingsReceived: number;
  /** Its authenticated datagrams refused as stale, ahead or replayed. */
  readonly refused: number;
}

export interface UdpSightingChannelOptions {
  readonly storeId: string;
  readonly gatewayId: string;
  /** The store's shared key (config `lan.keyFile`), at least 32 bytes. */
  readonly key: Uint8Array;
  /** Where this gateway listens, UDP; 0 picks a free port (tests). */
  readonly port: number;
  /** Address to bind; default every interface. */
  readonly bindHost?: string;
  readonly peers: readonly LanPeerAddress[];
  readonly clock: Clock;
  readonly log: Logger;
  /** A datagram sent longer ago than this is refused as stale, ms (on the sender's clock). */
  readonly maxAgeMs: number;
  /** How the peers' clocks are estimated and the store's agreed ({@link PeerClocks}). */
  readonly clocks?: PeerClocksOptions;
  /**
   * A peer's missing datagram is asked for again at most this often, ms, until it arrives or is older
   * than `maxAgeMs`. Default 200 (below the 250 ms batch interval, so once per tick).
   */
  readonly retryMs?: number;
}

/**
 * The store LAN over UDP unicast: the only user of `node:dgram`. Each batch goes to every peer's
 * configured address as signed datagrams ({@link encodeSightings}); what arrives is checked for size,
 * MAC, form and freshness ({@link DatagramGuard}) before it reaches the presence engine, and every
 * refusal is counted (and logged at debug: a LAN is noisy, a log must not be a way to fill a disk).
 * UDP because a sighting is worth something only within the lateness allowance: a lost datagram
 * is better dropped than retransmitted late, and no connection has to be kept per peer. Within the
 * allowance it is worth retransmitting: a gateway that missed a peer's datagram would decide an
 * arrival apart from the others, under another visit id. So each gateway keeps what it sent for
 * `maxAgeMs` (the age beyond which a peer refuses it anyway), a receiver that sees a sequence number
 * skipped asks the sender for it at once ({@link encodeNack}) and again at each {@link tick} until it
 * arrives or is too old, and the sender sends the very same bytes again to that peer only.
 */
export class UdpSightingChannel implements SightingChannel {
  readonly counters: LanCounters = {
    datagramsQueued: 0,
    datagramsSent: 0,
    datagramsReceived: 0,
    sightingsReceived: 0,
    oversized: 0,
    unauthenticated: 0,
    malformed: 0,
    stale: 0,
    replayed: 0,
    unknownSender: 0,
    sendErrors: 0,
    nacksSent: 0,
    retransmitted: 0,
    missed: 0,
    recovered: 0,
    abandoned: 0,
  };
  /** Peers' calibration records accepted since start. */
  calibrationsReceived = 0;
  private readonly o: UdpSightingChannelOptions;
  /** Per configured peer, in config order; a datagram failing authentication names no peer, so it is not here. */
  private readonly receipts = new Map<string, { lastHeardAt: number | null; sightingsReceived: number; refused: number }>();
  private readonly guard: DatagramGuard;
  private readonly clocks: PeerClocks;
  private socket: Socket | null = null;
  private seq = 0;
  /** When this gateway last handed a datagram to the socket, its clock. */
  private lastQueuedAt = Number.NEGATIVE_INFINITY;
  /** What this gateway sent, by sequence number, for a peer that asks again; oldest first. */
  private readonly sentBuffer = new Map<number, { readonly bytes: Buffer; readonly at: number; readonly answeredAt: Map<string, number> }>();
  private readonly retryMs: number;
  private calibration: CalibrationSharing | null = null;
  /** The record last sent (its JSON, to see a change) and when, this gateway's clock. */
  private lastRecord: { readonly json: string; readonly at: number } | null = null;
  /** When this gateway's last record was stamped: each next one strictly later, so none is taken for a copy. */
  private lastRecordSentAt = Number.NEGATIVE_INFINITY;
  /** Per peer, the `sentAt` of the last record accepted from it: an older one is refused. */
  private readonly recordsFrom = new Map<string, number>();
  /** Per peer, the highest sequence number accepted from it since it last started. */
  private readonly seqFrom = new Map<string, number>();

  constructor(options: UdpSightingChannelOptions) {
    this.o = options;
    this.guard = new DatagramGuard({
      senders: options.peers.map((p) => p.id),
      maxAgeMs: options.maxAgeMs,
      maxAheadMs: options.maxAgeMs,
    });
    this.clocks = new PeerClocks(options.clocks);
    this.retryMs = options.retryMs ?? 200;
    for (const p of options.peers) this.receipts.set(p.id, { lastHeardAt: null, sightingsReceived: 0, refused: 0 });
  }

  /** What to add to this gateway's clock to read the store's agreed time, ms ({@link PeerClocks}). */
  clockOffsetMs(now: number): number {
    return this.clocks.storeOffset(now);
  }

  /** A peer's clock minus this gateway's, ms, as estimated; null when not known. */
  peerClockOffsetMs(peerId: string, now: number): number | null {
    return this.clocks.offsetOf(peerId, now);
  }

  /**
   * True once every configured peer has sent an authenticated datagram and, when calibration is
   * shared, its calibration record: a gateway that decided before it knew a peer's learned values
   * would decide that peer's zones apart from it (a peer of an earlier release never sends one, and
   * the fusion settles without it after SETTLE_MS).
   */
  allPeersHeard(): boolean {
    for (const [id, r] of this.receipts) if (r.lastHeardAt === null || (this.calibration !== null && !this.recordsFrom.has(id))) return false;
    return true;
  }

  /**
   * Shares this gateway's calibration record (sent on change, every {@link CALIBRATION_EVERY_MS} and
   * to a peer first heard) and hands on the peers' ({@link encodeCalibration}). Call before start.
   */
  shareCalibration(sharing: CalibrationSharing): void {
    this.calibration = sharing;
  }

  /** Asks the peers again for what is still missing of theirs, and sends a changed calibration record; once per batch interval. */
  tick(now: number): void {
    this.askMissing(now);
    this.sendCalibration(now);
  }

  /** Sends this gateway's record to `to` (default every peer) when it changed, is due, or a peer is named. */
  private sendCalibration(now: number, to?: LanPeerAddress): void {
    const socket = this.socket;
    if (socket === null || this.calibration === null || this.o.peers.length === 0) return;
    let json = "";
    let bytes: Buffer;
    try {
      const record = this.calibration.own();
      json = JSON.stringify(record);
      const due = this.lastRecord === null || json !== this.lastRecord.json || now - this.lastRecord.at >= CALIBRATION_EVERY_MS || now < this.lastRecord.at;
      if (!due && to === undefined) return;
      // A peer refuses a record not newer than the last it took (a copy replayed): one sent to a peer
      // first heard and the tick's in the same millisecond must differ. After the clock stepped back
      // by more than the age limit, the clock's own time: one stamped after the last would be
      // refused as stale by every peer until the clock caught up (they forget that last, below).
      const clockNow = this.o.clock.now();
      const sentAt = this.lastRecordSentAt - clockNow >= this.o.maxAgeMs ? clockNow : Math.max(clockNow, this.lastRecordSentAt + 1);
      bytes = encodeCalibration({ key: this.o.key, storeId: this.o.storeId, sentAt }, record);
      this.lastRecordSentAt = sentAt;
      if (to === undefined) this.lastRecord = { json, at: now };
    } catch (err) {
      // Tried again when due, said again only when the record changed: not at every tick.
      if (this.lastRecord?.json !== json) this.o.log.warn({ err }, "calibration record not shared");
      this.lastRecord = { json, at: now };
      return;
    }
    for (const peer of to === undefined ? this.o.peers : [to]) this.sendTo(socket, peer, bytes);
  }

  /** Each configured peer: when it was last heard and what came from it. */
  peers(): LanPeerReceipt[] {
    return [...this.receipts].map(([id, r]) => ({ id, ...r }));
  }

  /** The UDP port bound, once started. */
  get port(): number {
    return this.socket?.address().port ?? 0;
  }

  async start(onSightings: (sender: string, sightings: readonly SharedSighting[]) => void): Promise<void> {
    if (this.socket) return;
    const socket = createSocket({ type: "udp4", reuseAddr: false });
    socket.on("message", (msg) => {
      // A listener boundary: nothing a datagram holds may throw out of here.
      try {
        this.receive(msg, onSightings);
      } catch (err) {
        this.o.log.warn({ err }, "lan datagram not handled");
      }
    });
    socket.on("error", (err) => this.o.log.warn({ err }, "lan socket error"));
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(this.o.port, this.o.bindHost, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    this.socket = socket;
  }

  send(sightings: readonly SharedSighting[]): void {
    const socket = this.socket;
    if (socket === null || sightings.length === 0 || this.o.peers.length === 0) return;
    const sentAt = this.o.clock.now();
    const datagrams = encodeSightings(
      { key: this.o.key, storeId: this.o.storeId, sender: this.o.gatewayId, sentAt, firstSeq: this.seq },
      sightings,
    );
    for (const d of datagrams) this.keep(this.seq++, d, sentAt);
    this.seq >>>= 0;
    for (const peer of this.o.peers) for (const d of datagrams) this.sendTo(socket, peer, d);
  }

  keepAlive(): void {
    const socket = this.socket;
    if (socket === null || this.o.peers.length === 0) return;
    const sentAt = this.o.clock.now();
    const d = encodeHeartbeat({ key: this.o.key, storeId: this.o.storeId, sender: this.o.gatewayId, sentAt, seq: this.seq });
    // Kept too: a lost heartbeat is a gap its peers ask about, and answering it ends the question.
    this.keep(this.seq, d, sentAt);
    this.seq = (this.seq + 1) >>> 0;
    for (const peer of this.o.peers) this.sendTo(socket, peer, d);
  }

  /** Keeps a sent datagram for retransmission, forgetting those a peer would refuse as stale. */
  private keep(seq: number, bytes: Buffer, at: number): void {
    this.sentBuffer.set(seq >>> 0, { bytes, at, answeredAt: new Map() });
    for (const [s, e] of this.sentBuffer) {
      if (e.at >= at - this.o.maxAgeMs) break;
      this.sentBuffer.delete(s);
    }
  }

  private sendTo(socket: Socket, peer: LanPeerAddress, d: Buffer): void {
    this.counters.datagramsQueued++;
    this.lastQueuedAt = this.o.clock.now();
    // A send can also throw at once (a closed socket): one peer must not stop the others.
    try {
      socket.send(d, peer.port, peer.host, (err) => {
        if (err) {
          this.counters.sendErrors++;
          this.o.log.debug({ err, peer: peer.id }, "lan datagram not sent");
        } else this.counters.datagramsSent++;
      });
    } catch (err) {
      this.counters.sendErrors++;
      this.o.log.debug({ err, peer: peer.id }, "lan datagram not sent");
    }
  }

  /** Sends each peer a request for its datagrams still missing and due to be asked for. */
  private askMissing(now: number): void {
    const socket = this.socket;
    if (socket === null) return;
    for (const { sender, seqs } of this.guard.due(now, this.retryMs)) {
      const peer = this.o.peers.find((p) => p.id === sender);
      if (peer === undefined) continue;
      // Sent twice: a request is a few bytes, and on a LAN that lost the datagram it may lose the
      // request too. The sender answers the copies once (see receiveNack).
      const nack = encodeNack({ key: this.o.key, storeId: this.o.storeId, sender: this.o.gatewayId, sentAt: now }, seqs);
      this.sendTo(socket, peer, nack);
      this.sendTo(socket, peer, nack);
      this.counters.nacksSent++;
    }
    this.syncGapCounters();
  }

  private syncGapCounters(): void {
    const g = this.guard.counters;
    this.counters.missed = g.missed;
    this.counters.recovered = g.recovered;
    this.counters.abandoned = g.abandoned;
  }

  /** A peer asks for datagrams of ours again: those still kept go to that peer only, as they were. */
  private receiveNack(msg: Buffer): void {
    const decoded = decodeNack({ key: this.o.key, storeId: this.o.storeId }, msg);
    if (!decoded.ok) {
      this.counters[decoded.reason]++;
      this.o.log.debug({ reason: decoded.reason, bytes: msg.length }, "lan request refused");
      return;
    }
    const { sender, sentAt, seqs } = decoded.nack;
    const now = this.o.clock.now();
    const peer = this.o.peers.find((p) => p.id === sender);
    // A request captured and sent again later only brings back datagrams the peer refuses as
    // replayed; still, only a fresh one is answered, and only from what is kept.
    if (peer === undefined || this.freshFrom(sender, sentAt, now) === null) return;
    const socket = this.socket;
    if (socket === null) return;
    for (const seq of seqs) {
      const kept = this.sentBuffer.get(seq);
      // Once per request: the copy of a request (or one repeated within half a retry) is not answered again.
      if (kept === undefined || now - (kept.answeredAt.get(sender) ?? Number.NEGATIVE_INFINITY) < this.retryMs / 2) continue;
      kept.answeredAt.set(sender, now);
      this.sendTo(socket, peer, kept.bytes);
      this.counters.retransmitted++;
    }
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** A peer's calibration record: authenticated, fresh and newer than its last, it goes to the sharing's `onPeer`. */
  private receiveCalibration(msg: Buffer): void {
    const decoded = decodeCalibration({ key: this.o.key, storeId: this.o.storeId }, msg);
    if (!decoded.ok) {
      this.counters[decoded.reason]++;
      this.o.log.debug({ reason: decoded.reason, bytes: msg.length }, "lan calibration record refused");
      return;
    }
    const { sentAt, record } = decoded.datagram;
    const sender = record.gatewayId;
    const now = this.o.clock.now();
    const receipt = this.freshFrom(sender, sentAt, now);
    if (receipt === null) return;
    // A copy sent again, or one overtaken by a newer record, is refused. A last record stamped ahead
    // of the sender's clock by more than the age limit (its clock stepped back since) is forgotten:
    // a copy of it would be refused as stale anyway, and keeping it would refuse every record the
    // sender stamps until its clock caught up with that one (hours, for a clock corrected by hours).
    const last = this.recordsFrom.get(sender) ?? Number.NEGATIVE_INFINITY;
    const lastAheadMs = last - (now + (this.clocks.offsetOf(sender, now) ?? 0));
    if (sentAt <= last && lastAheadMs <= this.o.maxAgeMs) {
      this.counters.replayed++;
      receipt.refused++;
      return;
    }
    this.recordsFrom.set(sender, sentAt);
    this.calibrationsReceived++;
    this.calibration?.onPeer(sender, record);
  }

  /**
   * The receipt of configured peer `sender`, marked heard, when what it sent at `sentAt` (its clock,
   * as estimated) is within the age limit either way; null, and counted, when it is no peer or the
   * datagram is stale.
   */
  private freshFrom(sender: string, sentAt: number, now: number): { lastHeardAt: number | null; sightingsReceived: number; refused: number } | null {
    const receipt = this.receipts.get(sender);
    if (receipt === undefined) {
      this.counters.unknownSender++;
      return null;
    }
    this.heard(sender, receipt, now);
    if (Math.abs(sentAt - (now + (this.clocks.offsetOf(sender, now) ?? 0))) > this.o.maxAgeMs) {
      this.counters.stale++;
      receipt.refused++;
      return null;
    }
    return receipt;
  }

  /** Marks a peer heard; the first time, it gets this gateway's calibration record at once. */
  private heard(id: string, receipt: { lastHeardAt: number | null }, now: number): void {
    const first = receipt.lastHeardAt === null;
    receipt.lastHeardAt = now;
    if (!first) return;
    const peer = this.o.peers.find((p) => p.id === id);
    if (peer !== undefined) this.sendCalibration(now, peer);
  }

  private receive(msg: Buffer, onSightings: (sender: string, sightings: readonly SharedSighting[]) => void): void {
    this.counters.datagramsReceived++;
    if (isNack(msg)) {
      this.receiveNack(msg);
      return;
    }
    if (isCalibration(msg)) {
      this.receiveCalibration(msg);
      return;
    }
    const decoded = decodeSightings({ key: this.o.key, storeId: this.o.storeId }, msg);
    if (!decoded.ok) {
      this.counters[decoded.reason]++;
      this.o.log.debug({ reason: decoded.reason, bytes: msg.length }, "lan datagram refused");
      return;
    }
    const b = decoded.batch;
    const now = this.o.clock.now();
    // Every authenticated datagram of a configured peer tells its clock (heartbeats too); the
    // freshness check then reads `sentAt` on that clock.
    if (this.receipts.has(b.sender)) this.clocks.observe(b.sender, b.sentAt, now);
    const recoveredBefore = this.guard.counters.recovered;
    const refusal = this.guard.check(b.sender, b.sentAt, b.seq, now, this.clocks.offsetOf(b.sender, now) ?? 0);
    // Authenticated with the store key: the sender is who it says, so the peer is alive even when
    // its datagram is refused (a clock off, a LAN that lags).
    const receipt = this.receipts.get(b.sender);
    if (receipt !== undefined) this.heard(b.sender, receipt, now);
    if (refusal === null && receipt !== undefined) {
      // Accepted with a lower sequence number than the last and not a gap filled: the peer restarted
      // (its sequence starts again at 0) and holds its decisions until it has this gateway's record,
      // which it gets now rather than at the next periodic one (maybe lost, maybe after it settled).
      const lastSeq = this.seqFrom.get(b.sender);
      if (this.guard.counters.recovered === recoveredBefore) {
        this.seqFrom.set(b.sender, b.seq);
        const peer = lastSeq !== undefined && b.seq < lastSeq ? this.o.peers.find((p) => p.id === b.sender) : undefined;
        if (peer !== undefined) this.sendCalibration(now, peer);
      }
    }
    if (refusal !== null) {
      if (receipt !== undefined) receipt.refused++;
      if (refusal === "unknown-sender") this.counters.unknownSender++;
      else if (refusal === "replayed") this.counters.replayed++;
      else this.counters.stale++;
      this.o.log.debug({ reason: refusal, sender: b.sender }, "lan datagram refused");
      return;
    }
    this.counters.sightingsReceived += b.sightings.length;
    if (receipt !== undefined) receipt.sightingsReceived += b.sightings.length;
    // A sequence number skipped: ask for it now, while it can still be merged in order.
    if (this.guard.awaited > 0) this.askMissing(now);
    else this.syncGapCounters();
    // A heartbeat while this gateway is quiet: a peer that is starting (it sends one each tick until
    // it has heard every peer) learns this gateway's clock now rather than at its next keepalive.
    // A heartbeat answering one comes less than a second after this gateway sent, so it is not answered.
    if (b.sightings.length === 0 && now - this.lastQueuedAt >= ANSWER_QUIET_MS) this.keepAlive();
    onSightings(b.sender, b.sightings);
  }
}
