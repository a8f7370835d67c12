import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { createSqliteRepositories, type SqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { IngestService } from "../../../cloud/src/services/IngestService.js";
import type { MessageBus } from "../../../cloud/src/services/ports.js";
import type { StoredEvent } from "../../../cloud/src/services/repositories.js";
import { encodeMessage, gatewayTopic, type PresenceEvent } from "../../../protocol/index.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { presenceEvent } from "../cloudFixture.js";

/** Group commit: batches handed over together share a transaction but keep their own outcomes. */

class RecordingBus implements MessageBus {
  readonly acks: { topic: string; upToSeq: number }[] = [];
  /** Events handed to the rules engine when each ack was published. */
  readonly handedOnAtAck: number[] = [];
  handedOn: () => number = () => 0;
  subscribe(): Promise<void> {
    return Promise.resolve();
  }
  publish(topic: string, payload: Buffer): Promise<void> {
    this.acks.push({ topic, upToSeq: (JSON.parse(payload.toString("utf8")) as { upToSeq: number }).upToSeq });
    this.handedOnAtAck.push(this.handedOn());
    return Promise.resolve();
  }
}

let dir: string;
let db: SqliteDatabase;
let repo: SqliteRepositories;
let bus: RecordingBus;
let stored: StoredEvent[];
let ingest: IngestService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "arrival-group-commit-"));
  db = await SqliteDatabase.open(join(dir, "cloud.db"));
  await migrate(db, 0);
  repo = createSqliteRepositories(db);
  await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, 0);
  await repo.directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, 0);
  await repo.directory.upsertGateway({ id: "g1", storeId: "s1", name: "g1" }, 0);
  await repo.directory.upsertZone({ id: "z1", storeId: "s1", name: "Zone", tags: [], geometry: {} });
  bus = new RecordingBus();
  stored = [];
  bus.handedOn = () => stored.length;
  ingest = new IngestService({
    bus,
    events: repo.events,
    zones: repo.directory,
    // The events are dated now (presenceEvent), so the cloud's clock must be too.
    clock: { now: () => Date.now() },
    log: new RecordingLogger(),
    onStored: (events) => stored.push(...events),
  });
});

afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const batch = (events: readonly PresenceEvent[], outbox = "outbox-group-1"): Buffer =>
  encodeMessage({ v: 1, outbox, fromSeq: events[0]?.seq ?? 1, events });
const range = (from: number, to: number): PresenceEvent[] =>
  Array.from({ length: to - from + 1 }, (_, k) => presenceEvent(from + k));

describe("ingest group commit", () => {
  it("commits concurrent batches together, in order, with contiguous acks and duplicates stored once", async () => {
    const topic = gatewayTopic("s1", "g1", "events");
    // Handed over at once, as the broker does while a commit is running: 1-10, 11-20 and a re-send
    // of 1-10 (a flapping link).
    await Promise.all([
      ingest.handleBatch(topic, batch(range(1, 10))),
      ingest.handleBatch(topic, batch(range(1, 10))),
      ingest.handleBatch(topic, batch(range(11, 20))),
      ingest.handleBatch(topic, batch(range(21, 30))),
    ]);
    expect(ingest.counters.commits).toBeLessThan(4);
    expect(await repo.events.countEvents()).toBe(30);
    expect(stored.map((e) => e.seq)).toEqual(range(1, 30).map((e) => e.seq));
    expect(ingest.counters.duplicates).toBe(10);
    // One ack per batch, in arrival order, never ahead of what is stored.
    expect(bus.acks.map((a) => a.upToSeq)).toEqual([10, 10, 20, 30]);
  });

  it("stores each id once when one batch carries it twice", async () => {
    const event = presenceEvent(1);
    await ingest.handleBatch(gatewayTopic("s1", "g1", "events"), batch([event, { ...event, seq: 2 }]));
    expect(await repo.events.countEvents()).toBe(1);
    expect(stored).toHaveLength(1);
    expect(bus.acks).toEqual([{ topic: gatewayTopic("s1", "g1", "ack"), upToSeq: 2 }]);
  });

  it("fails a batch that cannot be stored alone, without taking the batches of its group along", async () => {
    const ghost = range(1, 5).map((e) => ({ ...e, id: `ghost-${String(e.seq).padStart(6, "0")}`, gatewayId: "ghost" }));
    const results = await Promise.allSettled([
      ingest.handleBatch(gatewayTopic("s1", "g1", "events"), batch(range(1, 5))),
      ingest.handleBatch(gatewayTopic("s1", "ghost", "events"), batch(ghost)),
      ingest.handleBatch(gatewayTopic("s1", "g1", "events"), batch(range(6, 10))),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await repo.events.countEvents()).toBe(10);
    expect(ingest.counters.rejections.storage).toBe(1);
    expect(bus.acks.map((a) => a.upToSeq)).toEqual([5, 10]);
  });

  it("hands a group's events to the rules engine before it publishes the group's acks", async () => {
    const topic = gatewayTopic("s1", "g1", "events");
    await Promise.all([
      ingest.handleBatch(topic, batch(range(1, 5))),
      ingest.handleBatch(topic, batch(range(6, 10))),
      ingest.handleBatch(topic, batch(range(11, 15))),
    ]);
    expect(bus.acks.map((a) => a.upToSeq)).toEqual([5, 10, 15]);
    // However the batches were grouped, every event an ack covers was handed on before it went out.
    bus.acks.forEach((ack, k) => expect(bus.handedOnAtAck[k]).toBeGreaterThanOrEqual(ack.upToSeq));
  });

  describe("the rest after a commit", () => {
    /** Three batches: the first commits alone, the other two wait for it, so a rest can follow. */
    async function storeThree(othersWaiting: (() => boolean) | undefined): Promise<number[]> {
      const rests: number[] = [];
      const scheduler = {
        setTimeout: (callback: () => void, delayMs: number) => {
          rests.push(delayMs);
          return setTimeout(callback, delayMs);
        },
        clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
        setInterval: (callback: () => void, intervalMs: number) => setInterval(callback, intervalMs),
        clearInterval: (handle: unknown) => clearInterval(handle as NodeJS.Timeout),
      };
      const resting = new IngestService({
        bus,
        events: repo.events,
        zones: repo.directory,
        clock: { now: () => Date.now() },
        log: new RecordingLogger(),
        onStored: (events) => stored.push(...events),
        scheduler,
        ...(othersWaiting === undefined ? {} : { othersWaiting }),
      });
      const topic = gatewayTopic("s1", "g1", "events");
      await Promise.all([
        resting.handleBatch(topic, batch(range(1, 5))),
        resting.handleBatch(topic, batch(range(6, 10))),
        resting.handleBatch(topic, batch(range(11, 15))),
      ]);
      expect(resting.counters.commits).toBeGreaterThan(1);
      expect(bus.acks.map((a) => a.upToSeq)).toEqual([5, 10, 15]);
      return rests;
    }

    it("rests before the next group while the pipeline works", async () => {
      expect(await storeThree(() => true)).toHaveLength(1);
    });

    it("commits the next group at once when nothing else waits for the database", async () => {
      expect(await storeThree(() => false)).toEqual([]);
    });

    it("always rests when it is not told what else waits", async () => {
      expect(await storeThree(undefined)).toHaveLength(1);
    });
  });
});
