import { createSocket, type Socket } from "node:dgram";
import { DatagramGuard } from "../../domain/presence/DatagramGuard.js";
import { PeerClocks, type PeerClocksOptions } from "../../domain/presence/PeerClocks.js";
import type { Clock, LanCounters, Logger, SharedSighting, SightingChannel } from "../../services/ports.js";
import { decodeSightings, encodeHeartbeat, encodeSightings } from "./sightingDatagram.js";

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
}

/**
 * The store LAN over UDP unicast: the only user of `node:dgram`. Each batch goes to every peer's
 * configured address as signed datagrams ({@link encodeSightings}); what arrives is checked for size,
 * MAC, form and freshness ({@link DatagramGuard}) before it reaches the presence engine, and every
 * refusal is counted (and logged at debug: a LAN is noisy, a log must not be a way to fill a disk).
 * UDP because a sighting is worth something only within the lateness allowance: a lost datagram
 * is better dropped than retransmitted late, and no connection has to be kept per peer.
 */
export class UdpSightingChannel implements SightingChannel {
  readonly counters: LanCounters = {
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
  };
  private readonly o: UdpSightingChannelOptions;
  /** Per configured peer, in config order; a datagram failing authentication names no peer, so it is not here. */
  private readonly receipts = new Map<string, { lastHeardAt: number | null; sightingsReceived: number; refused: number }>();
  private readonly guard: DatagramGuard;
  private readonly clocks: PeerClocks;
  private socket: Socket | null = null;
  private seq = 0;

  constructor(options: UdpSightingChannelOptions) {
    this.o = options;
    this.guard = new DatagramGuard({
      senders: options.peers.map((p) => p.id),
      maxAgeMs: options.maxAgeMs,
      maxAheadMs: options.maxAgeMs,
    });
    this.clocks = new PeerClocks(options.clocks);
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
    const datagrams = encodeSightings(
      { key: this.o.key, storeId: this.o.storeId, sender: this.o.gatewayId, sentAt: this.o.clock.now(), firstSeq: this.seq },
      sightings,
    );
    this.seq = (this.seq + datagrams.length) >>> 0;
    const failed = (err: unknown, peer: string): void => {
      this.counters.sendErrors++;
      this.o.log.debug({ err, peer }, "lan datagram not sent");
    };
    for (const peer of this.o.peers) {
      for (const d of datagrams) {
        // A send can also throw at once (a closed socket): one peer must not stop the others.
        try {
          socket.send(d, peer.port, peer.host, (err) => {
            if (err) failed(err, peer.id);
            else this.counters.datagramsSent++;
          });
        } catch (err) {
          failed(err, peer.id);
        }
      }
    }
  }

  keepAlive(): void {
    const socket = this.socket;
    if (socket === null || this.o.peers.length === 0) return;
    const d = encodeHeartbeat({ key: this.o.key, storeId: this.o.storeId, sender: this.o.gatewayId, sentAt: this.o.clock.now(), seq: this.seq });
    this.seq = (this.seq + 1) >>> 0;
    for (const peer of this.o.peers) {
      try {
        socket.send(d, peer.port, peer.host, (err) => {
          if (err) {
            this.counters.sendErrors++;
            this.o.log.debug({ err, peer: peer.id }, "lan heartbeat not sent");
          } else this.counters.datagramsSent++;
        });
      } catch (err) {
        this.counters.sendErrors++;
        this.o.log.debug({ err, peer: peer.id }, "lan heartbeat not sent");
      }
    }
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private receive(msg: Buffer, onSightings: (sender: string, sightings: readonly SharedSighting[]) => void): void {
    this.counters.datagramsReceived++;
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
    const refusal = this.guard.check(b.sender, b.sentAt, b.seq, now, this.clocks.offsetOf(b.sender, now) ?? 0);
    // Authenticated with the store key: the sender is who it says, so the peer is alive even when
    // its datagram is refused (a clock off, a LAN that lags).
    const receipt = this.receipts.get(b.sender);
    if (receipt !== undefined) receipt.lastHeardAt = now;
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
    onSightings(b.sender, b.sightings);
  }
}
