import {
  decodeGatewayMessage,
  encodeMessage,
  type GatewayStatus,
  gatewayTopic,
  MAX_BATCH_EVENTS,
  type PresenceEvent,
} from "../../../protocol/index.js";
import {
  type Clock,
  type Logger,
  type Outbox,
  type Scheduler,
  systemScheduler,
  type TimerHandle,
  type UnsequencedEvent,
  type UplinkConnection,
} from "./ports.js";

export interface RelayOptions {
  readonly storeId: string;
  readonly gatewayId: string;
  readonly version: string;
  readonly outbox: Outbox;
  readonly connection: UplinkConnection;
  readonly clock: Clock;
  readonly log: Logger;
  /** Events per published batch. */
  readonly batchSize: number;
  /** Batches published and not yet acknowledged at once. */
  readonly maxInflightBatches: number;
  /** Without ack progress for this long, everything unacknowledged is sent again. */
  readonly ackTimeoutMs: number;
  /** Called with every message on topics the relay does not own (config, calibration labels, clock replies). */
  readonly onMessage?: (channel: "config" | "labels" | "time-reply", payload: Buffer) => void;
  /** Subscribe to the calibration labels topic too (the gateway learns from the till). */
  readonly labels?: boolean;
  /** Subscribe to the cloud's clock replies too (the gateway sets its clock by the cloud's). */
  readonly timeReplies?: boolean;
  /** Called after each connect once the clock replies are subscribed: replies to requests sent from now on arrive. */
  readonly onSubscribed?: () => void;
  /**
   * Outcome of the last remote config, repeated in the online status published on every connect:
   * the status is retained, so an online status without it would erase what the gateway reported.
   */
  readonly configStatus?: () => GatewayStatus["config"];
  /** The radio, repeated in the online status published on every connect. */
  readonly scanStatus?: () => GatewayStatus["scan"];
  /** The last software update's report, repeated in the online status. */
  readonly updateStatus?: () => GatewayStatus["update"];
  /** The store beacon, repeated in the online status. */
  readonly advertisingStatus?: () => GatewayStatus["advertising"];
  /** The presence calibration (offset, zone thresholds, when surveyed), repeated in the online status. */
  readonly calibrationStatus?: () => GatewayStatus["calibration"];
  /** Timers of the ack-timeout check; default the process's own. */
  readonly scheduler?: Scheduler;
  /** Called when the broker connection comes up or goes down (the health file follows it). */
  readonly onConnectionChange?: (connected: boolean) => void;
}

export interface RelayCounters {
  eventsQueued: number;
  eventsSent: number;
  eventsAcked: number;
  batchesSent: number;
  resends: number;
}

/** How often a refused subscription to the clock replies is asked again while connected, ms. */
export const TIME_REPLIES_RETRY_MS = 600_000;

/**
 * Moves events from the durable outbox to the cloud. An event is committed to the outbox before
 * anything is published; it is deleted only when the cloud's application ack (on the gateway's ack
 * topic) covers its sequence, because a broker's PUBACK does not mean the cloud stored it. Without
 * ack progress the relay sends again from the lowest unacknowledged sequence; the cloud stores by
 * event id, so a re-send is harmless. Publishing in sequence order keeps the order per subject.
 */
export class Relay {
  readonly counters: RelayCounters = {
    eventsQueued: 0,
    eventsSent: 0,
    eventsAcked: 0,
    batchesSent: 0,
    resends: 0,
  };
  private readonly o: RelayOptions;
  /** Highest sequence published on this connection. */
  private cursor = 0;
  /** Highest sequence acknowledged by the cloud. */
  private acked = 0;
  /** Highest sequence this relay has handed to the connection, on any connection. */
  private published = 0;
  private inflight: number[] = [];
  private lastProgressAt = 0;
  private pumping = false;
  private pumpAgain = false;
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  private started = false;
  /** Connections made so far: a retry belongs to the connection it was scheduled on. */
  private connections = 0;
  private timeRepliesRetry: TimerHandle | null = null;
  /** Refused subscriptions to the clock replies in a row (the first is logged as a warning). */
  private timeRepliesRefused = 0;

  constructor(options: RelayOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const stats = await this.o.outbox.stats();
    this.acked = stats.lowestSeq === null ? 0 : stats.lowestSeq - 1;
    this.cursor = this.acked;
    this.published = this.acked;
    this.o.connection.start({
      onConnect: () => {
        this.o.onConnectionChange?.(true);
        void this.onConnect();
      },
      onDisconnect: () => {
        this.inflight = [];
        this.cursor = this.acked;
        this.o.onConnectionChange?.(false);
      },
      onMessage: (topic, payload) => this.onMessage(topic, payload),
    });
    this.timer = this.scheduler.setInterval(
      () => this.checkAckTimeout(),
      Math.max(250, Math.floor(this.o.ackTimeoutMs / 4)),
    );
  }

  /** Commits events to the outbox, then tries to publish them. */
  async enqueue(events: readonly UnsequencedEvent[]): Promise<PresenceEvent[]> {
    const stored = await this.o.outbox.append(events, this.o.clock.now());
    this.counters.eventsQueued += stored.length;
    this.schedulePump();
    return stored;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
    this.clearTimeRepliesRetry();
    await this.publishStatus({
      v: 1,
      state: "offline",
      at: new Date(this.o.clock.now()).toISOString(),
    }).catch(() => undefined);
    await this.o.connection.stop();
  }

  /** Publishes the retained status (also used to report a rejected config). */
  async publishStatus(status: GatewayStatus): Promise<void> {
    await this.o.connection.publish(
      gatewayTopic(this.o.storeId, this.o.gatewayId, "status"),
      encodeMessage(status),
      {
        qos: 1,
        retain: true,
      },
    );
  }

  private async onConnect(): Promise<void> {
    const { storeId, gatewayId, log } = this.o;
    const connection = ++this.connections;
    this.clearTimeRepliesRetry();
    this.inflight = [];
    this.cursor = this.acked;
    try {
      await this.o.connection.subscribe([
        gatewayTopic(storeId, gatewayId, "ack"),
        gatewayTopic(storeId, gatewayId, "config"),
        ...(this.o.labels === true ? [gatewayTopic(storeId, gatewayId, "labels")] : []),
      ]);
      const config = this.o.configStatus?.();
      const scan = this.o.scanStatus?.();
      const update = this.o.updateStatus?.();
      const advertising = this.o.advertisingStatus?.();
      const calibration = this.o.calibrationStatus?.();
      await this.publishStatus({
        v: 1,
        state: "online",
        at: new Date(this.o.clock.now()).toISOString(),
        version: this.o.version,
        ...(config ? { config } : {}),
        ...(scan ? { scan } : {}),
        ...(update ? { update } : {}),
        ...(advertising ? { advertising } : {}),
        ...(calibration ? { calibration } : {}),
      });
    } catch (err) {
      log.warn({ err }, "uplink setup after connect failed");
      return;
    }
    this.lastProgressAt = this.o.clock.now();
    this.schedulePump();
    if (this.o.timeReplies === true) await this.subscribeTimeReplies(connection);
  }

  /**
   * Apart from the rest: a cloud older than the clock replies refuses the subscription, and must
   * not stop the events for it; nor may the gateway then ask (its broker drops a client publishing
   * where it may not), so `onSubscribed` is called only once the replies can arrive. Refused, it is
   * asked again every {@link TIME_REPLIES_RETRY_MS} while the connection lasts: an external broker
   * keeps the gateway connected while the cloud is upgraded and its role gains the replies.
   */
  private async subscribeTimeReplies(connection: number): Promise<void> {
    try {
      await this.o.connection.subscribe([gatewayTopic(this.o.storeId, this.o.gatewayId, "time-reply")]);
    } catch (err) {
      if (connection !== this.connections || !this.started) return;
      if (this.timeRepliesRefused++ === 0) this.o.log.warn({ err }, "clock replies not subscribed: the gateway keeps its system clock and asks again every 10 min");
      this.timeRepliesRetry = this.scheduler.setTimeout(() => {
        this.timeRepliesRetry = null;
        if (connection === this.connections && this.started) void this.subscribeTimeReplies(connection);
      }, TIME_REPLIES_RETRY_MS);
      return;
    }
    if (this.timeRepliesRefused > 0) this.o.log.info({ refused: this.timeRepliesRefused }, "clock replies subscribed");
    this.timeRepliesRefused = 0;
    this.o.onSubscribed?.();
  }

  private clearTimeRepliesRetry(): void {
    if (this.timeRepliesRetry !== null) this.scheduler.clearTimeout(this.timeRepliesRetry);
    this.timeRepliesRetry = null;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const { storeId, gatewayId, log } = this.o;
    if (topic === gatewayTopic(storeId, gatewayId, "ack")) {
      const ack = decodeGatewayMessage("ack", payload);
      if (!ack.ok) {
        log.warn({ problems: ack.problems }, "malformed ack ignored");
        return;
      }
      // Acks name the outbox they answer; one for an earlier outbox of this gateway identity (a
      // replaced SD card numbers from 1 again) says nothing about this one.
      if (ack.value.outbox !== this.o.outbox.id) return;
      this.onAck(ack.value.upToSeq).catch((err: unknown) => {
        // A failed delete (full or failing SD card) must not crash the gateway: the rows stay, are
        // sent again and deduplicated, and the next ack retries the delete.
        log.error({ err }, "acknowledged events could not be deleted from the outbox");
      });
    } else if (topic === gatewayTopic(storeId, gatewayId, "config")) {
      this.o.onMessage?.("config", payload);
    } else if (topic === gatewayTopic(storeId, gatewayId, "labels")) {
      this.o.onMessage?.("labels", payload);
    } else if (topic === gatewayTopic(storeId, gatewayId, "time-reply")) {
      this.o.onMessage?.("time-reply", payload);
    }
  }

  private async onAck(ackedUpTo: number): Promise<void> {
    // An ack can only be about events this relay has sent. With clean session off the broker hands
    // over acks queued for the client id while it was away, and they may answer an earlier outbox of
    // this gateway identity (a replaced SD card numbers from 1 again): taken as is, such an ack
    // deletes events never sent and moves the cursor past them. Anything an earlier process of this
    // outbox sent and the ack would have covered is simply sent again, and deduplicated.
    const upToSeq = Math.min(ackedUpTo, this.published);
    if (upToSeq <= this.acked) return;
    const deleted = await this.o.outbox.ackUpTo(upToSeq);
    this.counters.eventsAcked += deleted;
    this.acked = upToSeq;
    if (this.cursor < this.acked) this.cursor = this.acked;
    this.inflight = this.inflight.filter((last) => last > upToSeq);
    this.lastProgressAt = this.o.clock.now();
    this.schedulePump();
  }

  private checkAckTimeout(): void {
    if (this.inflight.length === 0 || !this.o.connection.connected) return;
    if (this.o.clock.now() - this.lastProgressAt < this.o.ackTimeoutMs) return;
    this.o.log.warn({ acked: this.acked, cursor: this.cursor }, "no ack in time, sending again");
    this.counters.resends++;
    this.inflight = [];
    this.cursor = this.acked;
    this.lastProgressAt = this.o.clock.now();
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.pump()
      .catch((err: unknown) => this.o.log.error({ err }, "outbox read failed; retried on the next ack or timeout"))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.schedulePump();
        }
      });
  }

  private async pump(): Promise<void> {
    const { connection, outbox, storeId, gatewayId, log } = this.o;
    const size = Math.min(this.o.batchSize, MAX_BATCH_EVENTS);
    while (this.started && connection.connected && this.inflight.length < this.o.maxInflightBatches) {
      const from = this.cursor;
      const events = await outbox.peek(from, size);
      // The cursor moved while the outbox was read: a disconnect or an ack timeout sent it back to
      // the acknowledged sequence, or an ack moved it up. What was read then starts somewhere else
      // than the cursor says; published, it would skip the rows in between until the next timeout,
      // and the check below would take them for evicted and tell the cloud (`fromSeq`) they are
      // done, so the cloud would acknowledge events it never stored. Read again from the cursor.
      if (this.cursor !== from) continue;
      const last = events.at(-1);
      const first = events[0];
      if (!last || !first) return;
      // Rows below the first one still held were acknowledged or evicted (outbox bound); telling the
      // cloud so lets its contiguous ack move past an eviction gap.
      if (this.cursor === this.acked && first.seq > this.acked + 1) this.acked = first.seq - 1;
      if (this.inflight.length === 0) this.lastProgressAt = this.o.clock.now();
      // Counted before the PUBACK: the cloud's ack may overtake it.
      if (last.seq > this.published) this.published = last.seq;
      try {
        await connection.publish(
          gatewayTopic(storeId, gatewayId, "events"),
          encodeMessage({ v: 1, outbox: outbox.id, fromSeq: this.acked + 1, events }),
          { qos: 1, retain: false },
        );
      } catch (err) {
        log.debug({ err }, "publish failed; will send again after reconnect");
        return;
      }
      this.cursor = last.seq;
      this.inflight.push(last.seq);
      this.counters.batchesSent++;
      this.counters.eventsSent += events.length;
    }
  }
}
