import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteOutbox } from "../../../gateway/src/adapters/sqlite/SqliteOutbox.js";
import type {
  Outbox,
  OutboxStats,
  UnsequencedEvent,
  UplinkConnection,
  UplinkHandlers,
} from "../../../gateway/src/services/ports.js";
import { Relay, TIME_REPLIES_RETRY_MS } from "../../../gateway/src/services/Relay.js";
import { createLogger } from "../../../cloud/src/adapters/log/createLogger.js";
import { decodeGatewayMessage, gatewayTopic, type PresenceEvent } from "../../../protocol/index.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { until } from "../../support/until.js";
import { GATEWAY_ID, STORE_ID, uplinkEvents } from "../../support/uplinkEvents.js";

const EVENTS_TOPIC = gatewayTopic(STORE_ID, GATEWAY_ID, "events");
const silent = createLogger({ level: "silent", format: "json", name: "test" });

/** One events batch as the relay published it, and the connection (1, 2, ...) it went out on. */
interface SentBatch {
  readonly connection: number;
  readonly fromSeq: number;
  readonly first: number;
  readonly last: number;
}

/**
 * The link as the relay sees it, driven by the test: it connects and drops when told, and every
 * publish gets its PUBACK at once. The relay's ordering against link events is what is under test,
 * and only a link the test drives can drop at one exact point of the relay's work.
 */
class ScriptedLink implements UplinkConnection {
  readonly sent: SentBatch[] = [];
  connected = false;
  reconnects = 0;
  private handlers: UplinkHandlers | null = null;
  private connections = 0;

  start(handlers: UplinkHandlers): void {
    this.handlers = handlers;
  }

  up(): void {
    this.connected = true;
    if (++this.connections > 1) this.reconnects++;
    this.handlers?.onConnect();
  }

  down(): void {
    this.connected = false;
    this.handlers?.onDisconnect("connection closed");
  }

  publish(topic: string, payload: Buffer): Promise<void> {
    if (!this.connected) return Promise.reject(new Error("not connected"));
    if (topic === EVENTS_TOPIC) {
      const batch = decodeGatewayMessage("events", payload);
      if (!batch.ok) throw new Error("relay published a malformed batch");
      const { fromSeq, events } = batch.value;
      this.sent.push({
        connection: this.connections,
        fromSeq,
        first: events[0]?.seq ?? 0,
        last: events.at(-1)?.seq ?? 0,
      });
    }
    return Promise.resolve();
  }

  /** Topics the broker refuses to subscribe to (a cloud older than them). */
  refuse = new Set<string>();
  readonly subscribed: string[] = [];

  subscribe(topics: readonly string[]): Promise<void> {
    if (!this.connected) return Promise.reject(new Error("not connected"));
    const refused = topics.filter((t) => this.refuse.has(t));
    if (refused.length > 0) return Promise.reject(new Error(`broker refused subscription to ${refused.join(", ")}`));
    this.subscribed.push(...topics);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }
}

/** The real outbox, with one read the test can hold: the next peek after `afterSeq`. */
class HeldOutbox implements Outbox {
  private readonly inner: SqliteOutbox;
  private hold: { afterSeq: number; reached: () => void; release: Promise<void> } | null = null;

  constructor(inner: SqliteOutbox) {
    this.inner = inner;
  }

  get id(): string {
    return this.inner.id;
  }

  /** Resolves when the relay reads after `afterSeq`; that read answers once `release` is called. */
  holdPeekAfter(afterSeq: number): { reached: Promise<void>; release: () => void } {
    let release: () => void = () => undefined;
    let reached: () => void = () => undefined;
    const whenReached = new Promise<void>((resolve) => {
      reached = resolve;
    });
    this.hold = {
      afterSeq,
      reached,
      release: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    return { reached: whenReached, release };
  }

  append(events: readonly UnsequencedEvent[], now: number): Promise<PresenceEvent[]> {
    return this.inner.append(events, now);
  }

  async peek(afterSeq: number, limit: number): Promise<PresenceEvent[]> {
    const rows = await this.inner.peek(afterSeq, limit);
    const hold = this.hold;
    if (hold?.afterSeq === afterSeq) {
      this.hold = null;
      hold.reached();
      await hold.release;
    }
    return rows;
  }

  ackUpTo(seq: number): Promise<number> {
    return this.inner.ackUpTo(seq);
  }

  stats(): Promise<OutboxStats> {
    return this.inner.stats();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe("Relay (real SQLite outbox, scripted link)", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  });

  const setup = async (ackTimeoutMs: number, extra: Partial<ConstructorParameters<typeof Relay>[0]> = {}, link = new ScriptedLink()) => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-relay-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const outbox = new HeldOutbox(
      await SqliteOutbox.open({ path: join(dir, "outbox.db"), maxRows: 1_000_000, maxAgeMs: 3_600_000 }),
    );
    cleanups.push(() => outbox.close());
    // Fake time: the ack timeout fires when a test advances it, never on a loaded machine's whim.
    const clock = new ManualClock(Date.now());
    const scheduler = new ManualScheduler(clock);
    const relay = new Relay({
      storeId: STORE_ID,
      gatewayId: GATEWAY_ID,
      version: "test",
      outbox,
      connection: link,
      clock,
      scheduler,
      log: silent,
      batchSize: 100,
      maxInflightBatches: 4,
      ackTimeoutMs,
      ...extra,
    });
    await relay.start();
    cleanups.push(() => relay.stop());
    return { outbox, link, relay, scheduler };
  };

  // A read of the outbox that was started before the link dropped answers after the relay went back
  // to its last acknowledged sequence. Taken as the next batch, its first row (101) looks like the
  // lowest row still held, as if 1..100 had been evicted: the relay would tell the cloud that
  // everything below 101 is done (`fromSeq`), and the cloud, which never stored 1..100 (the process
  // died before its commit), would acknowledge past them and the gateway delete them.
  it("sends again from the last acknowledged sequence when the link drops while it reads the outbox", async () => {
    const { outbox, link } = await setup(60_000);
    await outbox.append(uplinkEvents("drop", 0, 150), Date.now());
    const held = outbox.holdPeekAfter(100);
    link.up();
    await held.reached;
    expect(link.sent).toEqual([{ connection: 1, fromSeq: 1, first: 1, last: 100 }]);

    link.down();
    link.up();
    held.release();
    await until(() => link.sent.some((b) => b.connection === 2 && b.last === 150), 10_000, "150 sent again");

    const again = link.sent.filter((b) => b.connection === 2);
    expect(again.map((b) => b.fromSeq)).toEqual(again.map(() => 1));
    expect(again[0]?.first).toBe(1);
    expect((await outbox.stats()).depth).toBe(150);
  });

  // The same read racing the ack timeout, which also sends everything unacknowledged again: no
  // link event at all, just a cloud slower than `ackTimeoutMs`.
  it("sends again from the last acknowledged sequence when the ack timeout fires while it reads the outbox", async () => {
    const { outbox, link, relay, scheduler } = await setup(200);
    await outbox.append(uplinkEvents("timeout", 0, 150), Date.now());
    const held = outbox.holdPeekAfter(100);
    link.up();
    await held.reached;
    expect(relay.counters.resends).toBe(0);
    // The check runs every 250 ms (a quarter of the timeout, at least 250); the first one past 200 ms resends.
    await scheduler.advance(250);
    expect(relay.counters.resends).toBe(1);
    held.release();
    await until(() => link.sent.some((b) => b.last === 150), 10_000, "150 sent");

    expect(link.sent.map((b) => b.fromSeq)).toEqual(link.sent.map(() => 1));
    expect(link.sent.slice(1).some((b) => b.first === 1)).toBe(true);
    expect((await outbox.stats()).depth).toBe(150);
  });

  it("asks for the clock replies apart, and the clock is asked only once they can arrive", async () => {
    let subscribed = 0;
    const { outbox, link } = await setup(60_000, { timeReplies: true, onSubscribed: () => subscribed++ });
    link.up();
    await until(() => subscribed === 1, 10_000, "the clock replies subscribed");
    expect(link.subscribed).toContain(gatewayTopic(STORE_ID, GATEWAY_ID, "time-reply"));

    // A cloud older than the clock replies refuses them: the events still flow, and nothing is asked.
    link.down();
    link.refuse.add(gatewayTopic(STORE_ID, GATEWAY_ID, "time-reply"));
    await outbox.append(uplinkEvents("old-cloud", 0, 3), Date.now());
    link.up();
    await until(() => link.sent.some((b) => b.connection === 2 && b.last === 3), 10_000, "events sent to the older cloud");
    expect(subscribed).toBe(1);
  });

  it("asks for refused clock replies again while connected, and asks the clock once they are granted", async () => {
    let subscribed = 0;
    const { link, scheduler } = await setup(60_000, { timeReplies: true, onSubscribed: () => subscribed++ });
    const replies = gatewayTopic(STORE_ID, GATEWAY_ID, "time-reply");
    link.refuse.add(replies);
    link.up();
    await until(() => link.subscribed.includes(gatewayTopic(STORE_ID, GATEWAY_ID, "config")), 10_000, "the gateway's topics subscribed");
    // Still refused ten minutes on: nothing asked.
    await scheduler.advance(TIME_REPLIES_RETRY_MS);
    expect(subscribed).toBe(0);
    // The cloud is upgraded behind the same broker connection and its role gains the replies.
    link.refuse.delete(replies);
    expect(link.subscribed).not.toContain(replies);
    await scheduler.advance(TIME_REPLIES_RETRY_MS);
    await until(() => subscribed === 1, 10_000, "the clock replies subscribed on the same connection");
    expect(link.subscribed).toContain(replies);
  });
});
