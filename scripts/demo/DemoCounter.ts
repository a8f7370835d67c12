import mqtt, { type MqttClient } from "mqtt";
import type { BusMessage, Logger, MessageBus } from "../../cloud/src/services/ports.js";

export interface DemoCounterOptions {
  /** The broker the store's devices reach (`mqtt://host:port`). */
  readonly url: string;
  /** The counter's store-device login (`store.{storeId}.{deviceId}`); the client id is the username. */
  readonly username: string;
  readonly password: string;
  readonly log: Logger;
}

/**
 * The demo store's pick-up counter: a tablet with its own store-device MQTT login, as a store's
 * IT would set one up (docs/api.md, "Connecting a counter device"). It reads its store's pick-up
 * arrivals over the broker like any device, through the same ACL, rather than inside the cloud's
 * process. A persistent session at QoS 1 keeps arrivals that come while it reconnects.
 */
export class DemoCounter implements Pick<MessageBus, "subscribe"> {
  private client: MqttClient | null = null;
  private readonly handlers = new Map<string, (message: BusMessage) => Promise<void>>();

  constructor(private readonly o: DemoCounterOptions) {}

  async start(): Promise<void> {
    if (this.client) return;
    const client = await mqtt.connectAsync(this.o.url, {
      clientId: this.o.username,
      username: this.o.username,
      password: this.o.password,
      clean: false,
      reconnectPeriod: 1000,
    });
    client.on("message", (topic, payload) => {
      const handler = this.handlers.get(topic);
      if (handler) void handler({ topic, payload }).catch((err: unknown) => this.o.log.warn({ err }, "counter message failed"));
    });
    client.on("error", (err) => this.o.log.warn({ err: err.message }, "counter connection error"));
    this.client = client;
  }

  /** Subscribes to one concrete topic; the broker refuses anything but the counter's own store's pick-ups. */
  async subscribe(filter: string, handler: (message: BusMessage) => Promise<void>): Promise<void> {
    const client = this.client;
    if (!client) throw new Error("the counter is not connected");
    this.handlers.set(filter, handler);
    const [granted] = await client.subscribeAsync(filter, { qos: 1 });
    if (!granted || granted.qos >= 0x80) throw new Error(`the broker refused the counter ${filter}`);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.handlers.clear();
    await client?.endAsync();
  }
}
