import type { PresenceEvent, Subject } from "../../../protocol/index.js";

/**
 * Ports of the gateway: what the services need from the outside world, as plain types. Adapters
 * (noble, replay files, the simulator, MQTT, SQLite) implement them; services never import a library.
 */

/** One advertising report heard by a radio, translated out of the library that heard it. */
export interface Advert {
  /** When it was heard, epoch ms (from the source's clock, or the capture's timestamp). */
  readonly t: number;
  /** Advertiser address as the radio reports it, lowercase `aa:bb:cc:dd:ee:ff`. Never leaves the gateway. */
  readonly addr: string;
  /** Received signal strength, dBm. */
  readonly rssi: number;
  /** Raw advertising data: the AD structures `[len][type][data]...` of the HCI LE advertising report. */
  readonly data: Uint8Array;
  /** Gateway that heard it, when a capture or simulator mixes several; absent for the local radio. */
  readonly gatewayId?: string;
}

/**
 * What a running source says of its radio: `scanning`, or `interrupted` (the adapter was powered
 * off or blocked, or restarting the scan failed) while it keeps trying to recover by itself.
 */
export type ScanSourceState = "scanning" | "interrupted";

/** A source of adverts: a real adapter, a replayed capture or the simulator. */
export interface ScanSource {
  /** Starts delivering adverts to `onAdvert`; resolves once scanning runs. Idempotent. */
  start(onAdvert: (advert: Advert) => void): Promise<void>;
  /** Stops delivering; resolves when no more adverts will arrive. Idempotent. */
  stop(): Promise<void>;
  /**
   * The radio's state while started; absent for sources that cannot be interrupted (a capture, the
   * simulator), which count as scanning.
   */
  state?(): ScanSourceState;
}

/** Wall-clock time for services; tests and replays pass a manual clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A timer started by a {@link Scheduler}: opaque, only handed back to the scheduler that made it. */
export type TimerHandle = object;

/**
 * Timers, injected beside the {@link Clock} (MQTT.js passes its keepalive timer the same way), so
 * tests and replays drive periodic work with fake time instead of sleeping. Services and adapters
 * never call the global `setTimeout`/`setInterval` for their own periodic work.
 *
 * Periodic timers (`setInterval`) never keep the process alive on their own; one-shot timers do.
 */
export interface Scheduler {
  /** Runs `callback` once after `delayMs` milliseconds (0 or less: on the next turn). */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Runs `callback` every `intervalMs` milliseconds, the first time `intervalMs` from now. */
  setInterval(callback: () => void, intervalMs: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** The scheduler of the running process: Node's timers, intervals unref'ed. */
export const systemScheduler: Scheduler = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (callback, intervalMs) => setInterval(callback, intervalMs).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** An event as the pipeline hands it to the outbox: everything but the sequence number. */
export type UnsequencedEvent = Omit<PresenceEvent, "seq">;

export interface OutboxStats {
  /** Rows waiting for the cloud's ack. */
  readonly depth: number;
  /** `at` of the oldest waiting row's insertion, epoch ms, or null when empty. */
  readonly oldestInsertedAt: number | null;
  /** Lowest sequence still held, or null when empty. */
  readonly lowestSeq: number | null;
  /** Events evicted because a bound was hit, since this outbox was opened. */
  readonly evicted: number;
}

/**
 * The gateway's durable outbox: an event is committed here before it is published, and deleted only
 * when the cloud acknowledges it. Sequence numbers are per gateway and never reused.
 */
export interface Outbox {
  /** Id of this outbox (its file); sequences are unique within it. */
  readonly id: string;
  /** Commits `events` in order, assigning sequence numbers; resolves after the commit. */
  append(events: readonly UnsequencedEvent[], now: number): Promise<PresenceEvent[]>;
  /** Up to `limit` events with `seq > afterSeq`, in sequence order. */
  peek(afterSeq: number, limit: number): Promise<PresenceEvent[]>;
  /** Deletes every event with `seq <= seq`; resolves to how many were deleted. */
  ackUpTo(seq: number): Promise<number>;
  stats(): Promise<OutboxStats>;
  close(): Promise<void>;
}

export interface UplinkHandlers {
  onConnect(): void;
  onDisconnect(reason: string): void;
  onMessage(topic: string, payload: Buffer): void;
}

export interface LastWill {
  readonly topic: string;
  readonly payload: Buffer;
}

/**
 * The gateway's connection to the broker. The adapter owns reconnection (backoff with jitter) and
 * re-reads credentials on every attempt, so fixing a refused password needs no restart.
 */
export interface UplinkConnection {
  start(handlers: UplinkHandlers): void;
  publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): Promise<void>;
  subscribe(topics: readonly string[]): Promise<void>;
  readonly connected: boolean;
  readonly reconnects: number;
  stop(): Promise<void>;
}

/** The subset of pino's logger that services use. */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * A radio that advertises: the store beacon goes out through it. The noble adapter writes HCI
 * commands to the adapter it scans with; the simulator and replays record what would go on air.
 */
export interface Advertiser {
  /**
   * Puts `data` (legacy advertising data: AD structures, at most 31 bytes) on air as
   * non-connectable adverts, replacing whatever this advertiser sent before. Resolves once the
   * controller accepted every command; rejects with its refusal (the message names the command and
   * the HCI status), after which the next call starts again from scratch.
   */
  advertise(data: Uint8Array): Promise<void>;
  /** Takes the advert off the air and releases the radio. Idempotent. */
  stop(): Promise<void>;
}

/** One of a gateway's own sightings as shared with its peers: whole ms, whole dBm. */
export interface SharedSighting {
  readonly t: number;
  readonly subject: Subject;
  readonly rssiDbm: number;
  /** Power at 1 m the beacon advertises, dBm; null when it advertises none. */
  readonly measuredPowerDbm: number | null;
}

/** What the store LAN channel refused or carried, since start. */
export interface LanCounters {
  /** Datagrams handed to the network (sightings, heartbeats, requests, retransmissions), before it confirms them. */
  datagramsQueued: number;
  datagramsSent: number;
  datagramsReceived: number;
  sightingsReceived: number;
  /** Larger than a datagram may be. */
  oversized: number;
  /** MAC missing or wrong: another key, tampered, or not ours at all. */
  unauthenticated: number;
  malformed: number;
  /** Authenticated, but sent too long ago, from a clock far ahead, or sent before (replayed). */
  stale: number;
  replayed: number;
  /** Authenticated with the store key by a gateway not configured as a peer. */
  unknownSender: number;
  sendErrors: number;
  /** Retransmission requests sent for a peer's missing datagrams, and datagrams sent again on a peer's request. */
  nacksSent: number;
  retransmitted: number;
  /** A peer's datagrams found missing, those that arrived after all, and those given up on. */
  missed: number;
  recovered: number;
  abandoned: number;
}

/**
 * The store LAN between a gateway and its surveyed peers: batches of own sightings out, peers'
 * authenticated, fresh batches in.
 */
export interface SightingChannel {
  readonly counters: LanCounters;
  start(onSightings: (sender: string, sightings: readonly SharedSighting[]) => void): Promise<void>;
  /** Sends to every peer; never throws (failures are counted and logged). */
  send(sightings: readonly SharedSighting[]): void;
  /** Tells every peer this gateway is alive when it has sent nothing for a while; never throws. */
  keepAlive?(): void;
  /**
   * What to add to this gateway's clock to read the time the store's gateways agree on, ms (0 when
   * the clocks agree within the allowance, or the channel does not know).
   */
  clockOffsetMs?(now: number): number;
  /** Asks peers again for datagrams found missing (retransmission), once per batch interval; never throws. */
  tick?(now: number): void;
  /**
   * True once every configured peer has been heard (an authenticated datagram, and its calibration
   * record where calibration is shared); the store's clock and the peers' calibration are then known.
   */
  allPeersHeard?(): boolean;
  stop(): Promise<void>;
}
