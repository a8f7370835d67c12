/**
 * Simulated stores for the system benchmark: gateways that speak the gateway wire contract (event
 * batches from an outbox, a window of batches in flight, resent on reconnection, forgotten only on
 * the cloud's application ack), and the shoppers' apps, each an MQTT client on its own offers topic.
 *
 * The outbox here is in memory: the gateway's durable outbox is the gateway's cost (measured in
 * docs/benchmarks.md, "Gateway outbox"), and this benchmark is about what one cloud carries.
 */
import { randomBytes } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import { encodeMessage, gatewayTopic, type PresenceEvent, userTopic } from "../../protocol/index.js";
import type { AppLogin, GatewayLogin } from "./systemSetup.js";

/** The gateway's defaults (gateway/src/config/schema.ts, uplink): 200 events a batch, 4 in flight. */
const BATCH = 200;
const IN_FLIGHT = 4;
/** Anonymous shoppers (no app) per gateway, as iBeacon minors of their own major. */
const ANON_SUBJECTS = 5000;

export interface FleetCounters {
  generated: number;
  published: number;
  acked: number;
  offers: number;
  /** Eligible enters published; each should bring exactly one offer. */
  eligible: number;
}

/**
 * One shopper's app: connected, subscribed to its offers, and entering at most once a run. A second
 * enter within the store-visit gap (30 min) joins the same store visit, which a once-per-visit rule
 * rightly refuses, so it would count as eligible and never issue.
 */
interface App {
  readonly login: AppLogin;
  client: MqttClient | null;
  /** When the gateway published the batch with this user's outstanding enter; null when none. */
  pendingSince: number | null;
  /** Set when the app's enter was generated, before it is published; never cleared. */
  queued: boolean;
}

class SimGateway {
  readonly login: GatewayLogin;
  readonly outbox = `bench-${randomBytes(6).toString("hex")}`;
  private client: MqttClient | null = null;
  private nextSeq = 1;
  /** Events not yet acked, in sequence order; `sentUpTo` marks how far they were published. */
  private queue: { event: PresenceEvent; app: App | null }[] = [];
  private sentUpTo = 0;
  private inFlight = 0;
  private anon = 0;
  /** Publish time of each batch in flight, by its last sequence, for publish-to-ack latency. */
  private readonly sentAt: { lastSeq: number; at: number }[] = [];
  private readonly counters: FleetCounters;
  private readonly ackLatency: (ms: number) => void;

  constructor(login: GatewayLogin, counters: FleetCounters, ackLatency: (ms: number) => void) {
    this.login = login;
    this.counters = counters;
    this.ackLatency = ackLatency;
  }

  get backlog(): number {
    return this.queue.length;
  }

  async connect(url: string): Promise<void> {
    const client = mqtt.connect(url, {
      username: this.login.username,
      password: this.login.password,
      clientId: this.login.clientId,
      clean: true,
      reconnectPeriod: 500,
    });
    this.client = client;
    client.on("message", (_topic, payload) => this.onAck(payload));
    client.on("error", () => undefined);
    client.on("connect", () => {
      // A new connection: everything unacked is sent again, like the real relay.
      this.sentUpTo = 0;
      this.inFlight = 0;
      this.sentAt.length = 0;
      this.pump();
    });
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    await client.subscribeAsync(gatewayTopic(this.login.storeId, this.login.gatewayId, "ack"), { qos: 1 });
  }

  /** Appends `count` events; an eligible app's enter is among them when `app` is given. */
  generate(count: number, app: App | null): void {
    const now = new Date().toISOString();
    for (let k = 0; k < count; k++) {
      const seq = this.nextSeq++;
      const owner = k === 0 ? app : null;
      const anon = this.anon++ % ANON_SUBJECTS;
      const event: PresenceEvent = {
        id: `${this.outbox}-${seq}`,
        seq,
        type: owner ? "enter" : "dwell",
        storeId: this.login.storeId,
        zoneId: "z1",
        gatewayId: this.login.gatewayId,
        subject: {
          kind: "ibeacon",
          // Major 8 is never registered (apps are major 9); a minor is at most 65 535.
          id: owner ? owner.login.subject : `ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:8:${anon}`,
        },
        at: now,
        visitId: owner ? `v-${this.outbox}-${seq}` : `v-${this.login.gatewayId}-${anon}`,
        rssi: -68,
        distanceM: 2.5,
        ...(owner ? {} : { dwellMs: 30_000 }),
      };
      this.queue.push({ event, app: owner });
      this.counters.generated++;
    }
    this.pump();
  }

  private pump(): void {
    const client = this.client;
    if (!client?.connected) return;
    while (this.inFlight < IN_FLIGHT && this.sentUpTo < this.queue.length) {
      const slice = this.queue.slice(this.sentUpTo, this.sentUpTo + BATCH);
      this.sentUpTo += slice.length;
      this.inFlight++;
      const first = slice[0];
      if (!first) break;
      const payload = encodeMessage({
        v: 1,
        outbox: this.outbox,
        fromSeq: first.event.seq,
        events: slice.map((s) => s.event),
      });
      const now = performance.now();
      this.sentAt.push({ lastSeq: slice[slice.length - 1]?.event.seq ?? 0, at: now });
      for (const item of slice) {
        if (item.app && item.app.pendingSince === null) {
          item.app.pendingSince = now;
          this.counters.eligible++;
        }
      }
      this.counters.published += slice.length;
      client.publish(
        gatewayTopic(this.login.storeId, this.login.gatewayId, "events"),
        payload,
        { qos: 1 },
        () => undefined,
      );
    }
  }

  private onAck(payload: Buffer): void {
    const ack = JSON.parse(payload.toString("utf8")) as { outbox: string; upToSeq: number };
    if (ack.outbox !== this.outbox) return;
    let dropped = 0;
    while (this.queue.length > 0 && (this.queue[0]?.event.seq ?? Infinity) <= ack.upToSeq) {
      this.queue.shift();
      dropped++;
    }
    this.sentUpTo = Math.max(0, this.sentUpTo - dropped);
    this.counters.acked += dropped;
    const now = performance.now();
    while (this.sentAt.length > 0 && (this.sentAt[0]?.lastSeq ?? Infinity) <= ack.upToSeq) {
      this.ackLatency(now - (this.sentAt.shift()?.at ?? now));
    }
    // Acks are cumulative and one per batch; a batch's ack frees its slot.
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.pump();
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true);
  }
}

export interface LatencySink {
  (ms: number): void;
}

/** The stores: gateways and apps, driven at an offered rate by `tick`. */
export class Fleet {
  readonly counters: FleetCounters = { generated: 0, published: 0, acked: 0, offers: 0, eligible: 0 };
  private readonly gateways: SimGateway[];
  private readonly apps: App[];
  private readonly appsByStore = new Map<string, App[]>();
  private latency: LatencySink = () => undefined;
  private ackLatency: LatencySink = () => undefined;
  private carry = 0;
  private cursor = 0;

  constructor(gateways: readonly GatewayLogin[], apps: readonly AppLogin[]) {
    this.gateways = gateways.map((g) => new SimGateway(g, this.counters, (ms) => this.ackLatency(ms)));
    this.apps = apps.map((login) => ({ login, client: null, pendingSince: null, queued: false }));
    for (const app of this.apps) {
      const list = this.appsByStore.get(app.login.storeId) ?? [];
      list.push(app);
      this.appsByStore.set(app.login.storeId, list);
    }
  }

  /** Gateway publish of an eligible enter to its offer at the app. */
  onLatency(sink: LatencySink): void {
    this.latency = sink;
  }

  /** Gateway publish of a batch to the cloud's ack (stored and committed). */
  onAckLatency(sink: LatencySink): void {
    this.ackLatency = sink;
  }

  get backlog(): number {
    return this.gateways.reduce((n, g) => n + g.backlog, 0);
  }

  async connect(url: string): Promise<void> {
    for (const gateway of this.gateways) await gateway.connect(url);
    for (let k = 0; k < this.apps.length; k += 50) await this.connectApps(url, this.apps.slice(k, k + 50));
  }

  private async connectApps(url: string, apps: readonly App[]): Promise<void> {
    await Promise.all(
      apps.map(async (app) => {
        const client = mqtt.connect(url, {
          username: app.login.username,
          password: app.login.password,
          clientId: app.login.clientId,
          clean: true,
          reconnectPeriod: 500,
        });
        app.client = client;
        client.on("message", (_topic, payload) => this.onOffer(app, payload));
        // Reconnection is the client's job; an error event without a listener would end the run.
        client.on("error", () => undefined);
        await new Promise<void>((resolve, reject) => {
          client.once("connect", () => resolve());
          client.once("error", reject);
        });
        await client.subscribeAsync(userTopic(app.login.userId, "offers"), { qos: 1 });
      }),
    );
  }

  /**
   * The gateway's publish of the enter that issued each offer, by offer id, as epoch ms (the push
   * service, another process, stamps its receipts so): only with `trackOffers`.
   */
  readonly enterPublishedAt = new Map<string, number>();
  /** When each of those offers reached its app over MQTT, epoch ms (`trackOffers`). */
  readonly offerArrivedAt = new Map<string, number>();
  trackOffers = false;

  private onOffer(app: App, payload: Buffer): void {
    this.counters.offers++;
    if (app.pendingSince !== null && this.trackOffers) {
      const offerId = (JSON.parse(payload.toString()) as { offerId?: unknown }).offerId;
      if (typeof offerId === "string") {
        this.enterPublishedAt.set(offerId, performance.timeOrigin + app.pendingSince);
        this.offerArrivedAt.set(offerId, performance.timeOrigin + performance.now());
      }
    }
    if (app.pendingSince !== null) this.latency(performance.now() - app.pendingSince);
    app.pendingSince = null;
  }

  /**
   * Generates `events` events spread over the gateways; `eligibleShare` of them are enters of
   * registered shoppers who have not entered yet this run (so every one issues an offer and each
   * offer is matched to its enter), while any are left; the rest are dwells of anonymous beacons.
   * The latency samples of a run are at most its apps (`--subjects` a store).
   */
  tick(events: number, eligibleShare: number): void {
    const whole = Math.floor(events + this.carry);
    this.carry = events + this.carry - whole;
    if (whole === 0) return;
    const per = Math.floor(whole / this.gateways.length);
    let extra = whole - per * this.gateways.length;
    for (const gateway of this.gateways) {
      const count = per + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
      if (count === 0) continue;
      let app: App | null = null;
      if (Math.random() < eligibleShare * count) {
        const candidates = this.appsByStore.get(gateway.login.storeId) ?? [];
        for (let k = 0; k < candidates.length; k++) {
          const candidate = candidates[(this.cursor + k) % candidates.length];
          if (candidate && !candidate.queued) {
            app = candidate;
            this.cursor += k + 1;
            break;
          }
        }
        if (app) app.queued = true;
      }
      gateway.generate(count, app);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.gateways.map((g) => g.close()));
    await Promise.all(this.apps.map((a) => a.client?.endAsync(true) ?? Promise.resolve()));
  }
}
