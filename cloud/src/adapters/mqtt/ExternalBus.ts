import { readFile } from "node:fs/promises";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { BusMessage, Logger, MessageBus, PublishOptions, SubscribeOptions } from "../../services/ports.js";
import { SerialQueue } from "../../services/SerialQueue.js";

export interface ExternalBusOptions {
  /** `mqtt://host:1883`, `mqtts://host:8883`, `ws://…` or `wss://…`. */
  readonly url: string;
  /** The cloud's service account at the broker. */
  readonly username: string;
  /** The password itself, or a file read again at every connection attempt (rotation). */
  readonly password?: string;
  readonly passwordFile?: string;
  /** PEM CA bundle for a broker with a private CA. */
  readonly caFile?: string;
  /**
   * Stable client id: the broker keeps this session (subscriptions, messages queued while the
   * cloud is away) only for the same id. Default: the username.
   */
  readonly clientId?: string;
  readonly keepaliveS?: number;
  /**
   * The MQTT 5 shared subscription group of the cloud's workers: a subscription made with
   * `{ shared: true }` is made at the broker as `$share/<group>/<filter>`, so each message goes to
   * one worker of the group [MQTT-4.8.2]. Absent: every subscription is a plain one.
   */
  readonly shareGroup?: string;
  /** How long the broker keeps the session after a disconnect, s (MQTT 5 Session Expiry). Default 3600. */
  readonly sessionExpiryS?: number;
  /** Reconnect delay: `initialMs * 2^attempt` up to `maxMs`, with jitter. Defaults 500 and 30 000. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** `start` fails if no connection is made within this time, ms. Default 30 000. */
  readonly startTimeoutMs?: number;
  /** A publish waits this long for a connection and its PUBACK, ms. Default 10 000. */
  readonly publishTimeoutMs?: number;
  /** Messages kept while no subscription of this process matches them yet (see `subscribe`). */
  readonly maxUnmatched?: number;
  readonly log: Logger;
  /** [0, 1) for jitter; tests pass a constant. */
  readonly random?: () => number;
  /**
   * Called after every connection but the first, once the subscriptions are in place: the broker
   * may have restarted and lost its retained messages, which the cloud then publishes again.
   */
  readonly onReconnected?: (info: { readonly sessionPresent: boolean }) => void;
}

/** MQTT 5 CONNACK reason codes meaning "your credentials are wrong" [MQTT-3.2.2.2], and 3.1.1's 4 and 5. */
const AUTH_REFUSALS = new Set([4, 5, 0x86, 0x87]);

interface Subscription {
  readonly filter: string;
  /** What is sent in SUBSCRIBE: the filter, or `$share/<group>/<filter>`. */
  readonly brokerFilter: string;
  readonly queue: SerialQueue;
  readonly handler: (message: BusMessage) => Promise<void>;
}

/** MQTT topic matching [MQTT-4.7]: `+` one level, `#` the rest; `$` topics only by explicit filters. */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith("$") && !filter.startsWith("$")) return false;
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === "#") return true;
    if (i >= t.length) return false;
    if (level !== "+" && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * The cloud's side of MQTT when the broker is external (mosquitto, EMQX): an MQTT.js client with
 * the cloud's service account behind the MessageBus port.
 *
 * - MQTT 5, clean start off with a session expiry, a stable client id: while the cloud restarts or
 *   the link is down the broker keeps its subscriptions and queues gateway events for it
 *   ([MQTT-3.1.2-5], [MQTT-3.1.2-11]).
 * - Each attempt is a fresh client with MQTT.js's own reconnect off; attempts are scheduled here
 *   with exponential backoff and jitter, and the password file is read again each time.
 * - Subscriptions are made again whenever the broker says it kept no session.
 * - Handlers run one message at a time per subscription, in arrival order, as with the embedded
 *   broker. A message that arrives before its subscription is registered in this process (queued
 *   by the broker for the persistent session, delivered right after CONNACK) is held and handed over
 *   when `subscribe` registers it, instead of being acknowledged into the void.
 * - Publishes are QoS 1 and resolve on PUBACK; MQTT 5 lets the broker refuse one with a reason code
 *   (0x87 not authorized), which rejects the publish rather than dropping it silently.
 */
export class ExternalBus implements MessageBus {
  private readonly o: ExternalBusOptions;
  private client: MqttClient | null = null;
  private stopped = true;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly subscriptions = new Map<string, Subscription>();
  /** Filters the broker has granted in the current session. */
  private readonly granted = new Set<string>();
  private unmatched: BusMessage[] = [];
  private droppedUnmatched = 0;
  /** Waiters for the next successful connection, and rejecters of publishes awaiting a PUBACK. */
  private readonly connectWaiters = new Set<{
    resolve: () => void;
    reject: (err: Error) => void;
    /** Start-up gives up on refused credentials; a publish just waits for its timeout. */
    failOnAuth: boolean;
  }>();
  private readonly inflight = new Set<(err: Error) => void>();
  private connections = 0;

  constructor(options: ExternalBusOptions) {
    this.o = options;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Successful connections so far (1 after start, +1 per reconnect). */
  get connectCount(): number {
    return this.connections;
  }

  /**
   * Connects, resolving on the first CONNACK. Refused credentials fail at once (an operator must
   * fix them); an unreachable broker is retried until `startTimeoutMs`.
   */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const first = this.nextConnection(this.o.startTimeoutMs ?? 30_000, true);
    void this.connect();
    try {
      await first;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const waiter of this.connectWaiters) waiter.reject(new Error("the message bus stopped"));
    this.connectWaiters.clear();
    for (const reject of this.inflight) reject(new Error("the message bus stopped"));
    this.inflight.clear();
    const client = this.client;
    this.client = null;
    this.granted.clear();
    // A normal DISCONNECT keeps the session (and its queued messages) for the next start.
    if (client) await client.endAsync().catch(() => undefined);
    await Promise.all([...this.subscriptions.values()].map((s) => s.queue.drain()));
  }

  async subscribe(
    filter: string,
    handler: (message: BusMessage) => Promise<void>,
    options: SubscribeOptions = {},
  ): Promise<void> {
    if (this.stopped) throw new Error("the message bus is not started");
    if (this.subscriptions.has(filter)) throw new Error(`already subscribed to ${filter}`);
    const queue = new SerialQueue((err) => this.o.log.error({ err, filter }, "message handler failed"));
    // A shared subscription's messages arrive under their own topic [MQTT-4.8.2], so they are
    // matched to the handler by the plain filter; only the SUBSCRIBE names the group.
    const group = this.o.shareGroup;
    const brokerFilter = options.shared === true && group !== undefined ? `$share/${group}/${filter}` : filter;
    const subscription: Subscription = { filter, brokerFilter, queue, handler };
    this.subscriptions.set(filter, subscription);
    // Hand over what the broker delivered for this filter before it was registered, in order.
    const held = this.unmatched.filter((m) => topicMatches(filter, m.topic));
    if (held.length > 0) {
      this.unmatched = this.unmatched.filter((m) => !topicMatches(filter, m.topic));
      for (const message of held) queue.push(() => handler(message));
    }
    const client = this.client;
    if (client?.connected) await this.subscribeAtBroker(client, subscription);
    // Otherwise the next connection subscribes it.
  }

  async publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void> {
    if (this.stopped) throw new Error("the message bus is not started");
    const timeoutMs = this.o.publishTimeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    let client = this.client;
    if (!client?.connected) {
      await this.nextConnection(timeoutMs, false);
      client = this.client;
      if (!client?.connected) throw new Error("not connected to the broker");
    }
    // MQTT.js keeps an unacknowledged QoS 1 publish for its own resend and never settles it when
    // the client is discarded, so a publish is raced against its connection closing and a timeout.
    let reject: (err: Error) => void = () => undefined;
    const cut = new Promise<never>((_, r) => {
      reject = r;
    });
    this.inflight.add(reject);
    const timer = setTimeout(
      () => reject(new Error(`no PUBACK within ${timeoutMs} ms`)),
      Math.max(0, deadline - Date.now()),
    );
    try {
      await Promise.race([client.publishAsync(topic, payload, { qos: options.qos, retain: options.retain }), cut]);
    } finally {
      clearTimeout(timer);
      this.inflight.delete(reject);
    }
  }

  /** Resolves on the next successful connection (at once if connected), or rejects after `timeoutMs`. */
  private nextConnection(timeoutMs: number, failOnAuth: boolean): Promise<void> {
    if (this.client?.connected) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          this.connectWaiters.delete(waiter);
          resolve();
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          this.connectWaiters.delete(waiter);
          reject(err);
        },
        failOnAuth,
      };
      const timer = setTimeout(
        () => waiter.reject(new Error(`no connection to ${redactUrl(this.o.url)} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.connectWaiters.add(waiter);
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { log } = this.o;
    let options: IClientOptions;
    try {
      options = await this.clientOptions();
    } catch (err) {
      log.error({ err }, "cannot read the broker credentials");
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const client = mqtt.connect(this.o.url, options);
    this.client = client;
    let closed = false;
    client.on("connect", (connack) => {
      this.attempt = 0;
      this.connections++;
      if (!connack.sessionPresent) this.granted.clear();
      log.info(
        { url: redactUrl(this.o.url), clientId: options.clientId, sessionPresent: connack.sessionPresent },
        "connected to the external broker",
      );
      const reconnected = this.connections > 1;
      void this.resubscribe(client).then(
        () => {
          for (const waiter of [...this.connectWaiters]) waiter.resolve();
          if (reconnected) this.o.onReconnected?.({ sessionPresent: connack.sessionPresent });
        },
        (err: unknown) => {
          log.error({ err }, "subscriptions refused by the external broker");
          const error = err instanceof Error ? err : new Error(String(err));
          for (const waiter of [...this.connectWaiters]) waiter.reject(error);
        },
      );
    });
    client.on("message", (topic, payload) => this.dispatch({ topic, payload: Buffer.from(payload) }));
    client.on("error", (err) => {
      const code = (err as { code?: unknown }).code;
      // CONNACK refusals arrive here ("Connection refused: Not authorized"); never log the password.
      log.warn({ err: err.message, code }, "external broker error");
      if (typeof code === "number" && AUTH_REFUSALS.has(code)) {
        const refused = new Error(
          `the broker at ${redactUrl(this.o.url)} refused the cloud's credentials (user ${this.o.username}): ${err.message}`,
        );
        for (const waiter of [...this.connectWaiters]) if (waiter.failOnAuth) waiter.reject(refused);
      }
    });
    client.on("close", () => {
      if (closed) return;
      closed = true;
      client.removeAllListeners("connect");
      client.end(true);
      for (const reject of this.inflight) reject(new Error("connection to the broker closed"));
      this.inflight.clear();
      if (client === this.client) this.client = null;
      if (!this.stopped) {
        log.warn({ url: redactUrl(this.o.url) }, "disconnected from the external broker");
        this.scheduleReconnect();
      }
    });
  }

  private async resubscribe(client: MqttClient): Promise<void> {
    for (const subscription of this.subscriptions.values()) {
      if (!this.granted.has(subscription.filter)) await this.subscribeAtBroker(client, subscription);
    }
  }

  private async subscribeAtBroker(client: MqttClient, subscription: Subscription): Promise<void> {
    const filter = subscription.brokerFilter;
    let grants: { qos: number }[];
    try {
      grants = await client.subscribeAsync(filter, { qos: 1 });
    } catch (err) {
      if (!client.connected) return; // The link dropped; the next connection subscribes again.
      throw new Error(
        `the broker refused the cloud's subscription to ${filter} (user ${this.o.username}): ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (grants.some((g) => g.qos >= 0x80)) {
      throw new Error(`the broker refused the cloud's subscription to ${filter} (user ${this.o.username})`);
    }
    this.granted.add(subscription.filter);
  }

  private dispatch(message: BusMessage): void {
    let matched = false;
    for (const subscription of this.subscriptions.values()) {
      if (!topicMatches(subscription.filter, message.topic)) continue;
      matched = true;
      subscription.queue.push(() => subscription.handler(message));
    }
    if (matched) return;
    this.unmatched.push(message);
    const max = this.o.maxUnmatched ?? 10_000;
    if (this.unmatched.length > max) {
      this.unmatched.shift();
      if (this.droppedUnmatched++ % 1000 === 0) {
        this.o.log.warn(
          { topic: message.topic, dropped: this.droppedUnmatched },
          "dropping messages no subscription of this cloud matches",
        );
      }
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const { initialMs, maxMs } = this.o.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt++, 30));
    // Equal jitter: half fixed, half random, so a fleet of clouds does not reconnect in lockstep.
    const delay = Math.round(ceiling / 2 + (ceiling / 2) * (this.o.random ?? Math.random)());
    this.o.log.debug({ delayMs: delay, attempt: this.attempt }, "external broker reconnect scheduled");
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private async clientOptions(): Promise<IClientOptions> {
    const o = this.o;
    const password = o.passwordFile ? (await readFile(o.passwordFile, "utf8")).trim() : o.password;
    return {
      clientId: o.clientId ?? o.username,
      username: o.username,
      ...(password === undefined ? {} : { password }),
      ...(o.caFile ? { ca: await readFile(o.caFile) } : {}),
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: o.sessionExpiryS ?? 3600 },
      keepalive: o.keepaliveS ?? 30,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      resubscribe: false,
    };
  }
}

/** The URL without any user info, for logs and errors. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(invalid url)";
  }
}
