import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { type BackoffPolicy, backoffDelayMs } from "../../services/backoff.js";
import type { LastWill, Logger, UplinkConnection, UplinkHandlers } from "../../services/ports.js";
import { type BrokerCredentials, readBrokerCredentials } from "./brokerCredentials.js";

export interface MqttUplinkOptions extends BrokerCredentials {
  /** `mqtt://host:1883` or `mqtts://host:8883`. */
  readonly url: string;
  readonly keepaliveS: number;
  readonly backoff: BackoffPolicy;
  readonly will: LastWill;
  readonly log: Logger;
}

/**
 * MQTT.js behind the uplink port. Each attempt is a fresh client with auto-reconnect off: the
 * adapter schedules attempts itself (exponential backoff with jitter) and re-reads the password,
 * so a credential an operator fixes is picked up without a restart. Clean session is off
 * ([MQTT-3.1.2-4]) so the broker keeps the gateway's subscriptions and queued acks while it is away.
 */
export class MqttUplinkConnection implements UplinkConnection {
  private readonly options: MqttUplinkOptions;
  private client: MqttClient | null = null;
  private handlers: UplinkHandlers | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private stopped = true;
  private reconnectCount = 0;
  private everConnected = false;
  /** Rejecters of publishes waiting for a PUBACK on the current client. */
  private readonly pending = new Set<(err: Error) => void>();

  constructor(options: MqttUplinkOptions) {
    this.options = options;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  get reconnects(): number {
    return this.reconnectCount;
  }

  start(handlers: UplinkHandlers): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.handlers = handlers;
    void this.connect();
  }

  async publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new Error("not connected");
    // With clean session off MQTT.js keeps an unacknowledged QoS 1 publish for its own resend and
    // never settles it when the client is discarded; callers must learn the link died, so every
    // pending publish is rejected when its connection closes (the outbox sends it again anyway).
    let reject: (err: Error) => void = () => undefined;
    const closed = new Promise<never>((_, r) => {
      reject = r;
    });
    this.pending.add(reject);
    try {
      await Promise.race([
        client.publishAsync(topic, payload, { qos: options.qos, retain: options.retain }),
        closed,
      ]);
    } finally {
      this.pending.delete(reject);
    }
  }

  async subscribe(topics: readonly string[]): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new Error("not connected");
    const grants = await client.subscribeAsync([...topics], { qos: 1 });
    const refused = grants.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length > 0) throw new Error(`broker refused subscription to ${refused.join(", ")}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    for (const reject of this.pending) reject(new Error("connection stopped"));
    this.pending.clear();
    if (!client) return;
    // A connected client ends gracefully (DISCONNECT, so the broker does not publish the will).
    // One still waiting for its CONNACK has nothing to finish: ending it gracefully would wait out
    // the whole connect timeout, and a gateway asked to stop (systemd, Ctrl-C) would hang for it.
    client.removeAllListeners("connect");
    await client.endAsync(!client.connected);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { log } = this.options;
    let clientOptions: IClientOptions;
    try {
      clientOptions = await this.clientOptions();
    } catch (err) {
      log.error({ err }, "cannot read uplink credentials");
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const client = mqtt.connect(this.options.url, clientOptions);
    this.client = client;
    let closed = false;
    client.on("connect", () => {
      if (this.everConnected) this.reconnectCount++;
      this.everConnected = true;
      this.attempt = 0;
      log.info({ url: this.options.url }, "uplink connected");
      this.handlers?.onConnect();
    });
    client.on("message", (topic, payload) => this.handlers?.onMessage(topic, payload));
    client.on("error", (err) => {
      // CONNACK refusals arrive here (e.g. "Connection refused: Not authorized"); never log the password.
      log.warn({ err: err.message, code: (err as { code?: unknown }).code }, "uplink error");
    });
    client.on("close", () => {
      if (closed) return;
      closed = true;
      const wasConnected = client === this.client;
      client.removeAllListeners("connect");
      client.end(true);
      for (const reject of this.pending) reject(new Error("connection closed"));
      this.pending.clear();
      if (wasConnected) this.client = null;
      this.handlers?.onDisconnect("connection closed");
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const delay = backoffDelayMs(this.attempt++, this.options.backoff, Math.random());
    this.options.log.debug({ delayMs: delay, attempt: this.attempt }, "uplink reconnect scheduled");
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private async clientOptions(): Promise<IClientOptions> {
    const o = this.options;
    return {
      ...(await readBrokerCredentials(o)),
      clientId: o.username,
      clean: false,
      keepalive: o.keepaliveS,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      protocolVersion: 4,
      will: { topic: o.will.topic, payload: o.will.payload, qos: 1, retain: true },
    };
  }
}
