import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteRepositories, type SqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { IngestService } from "../../../cloud/src/services/IngestService.js";
import type { MessageBus } from "../../../cloud/src/services/ports.js";
import type { StoredEvent } from "../../../cloud/src/services/repositories.js";
import { encodeMessage, gatewayTopic, type PresenceEvent } from "../../../protocol/index.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { presenceEvent } from "../cloudFixture.js";

/**
 * Two cloud workers, each with its own connection to one SQLite file, taking batches of one
 * gateway as a shared subscription hands them out: in any order, at the same time. The ack each
 * answers is computed from what the database holds, whichever worker stored it.
 */

class RecordingBus implements MessageBus {
  readonly acks: number[] = [];
  subscribe(): Promise<void> {
    return Promise.resolve();
  }
  publish(_topic: string, payload: Buffer): Promise<void> {
    this.acks.push((JSON.parse(payload.toString("utf8")) as { upToSeq: number }).upToSeq);
    return Promise.resolve();
  }
}

interface Worker {
  readonly db: SqliteDatabase;
  readonly repos: SqliteRepositories;
  readonly bus: RecordingBus;
  readonly stored: StoredEvent[];
  readonly ingest: IngestService;
}

let dir: string;
let workers: [Worker, Worker];

async function worker(file: string): Promise<Worker> {
  const db = await SqliteDatabase.open(file);
  const repos = createSqliteRepositories(db);
  const bus = new RecordingBus();
  const stored: StoredEvent[] = [];
  const ingest = new IngestService({
    bus,
    events: repos.events,
    zones: repos.directory,
    clock: { now: () => Date.now() },
    log: new RecordingLogger(),
    onStored: (events) => stored.push(...events),
  });
  return { db, repos, bus, stored, ingest };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "arrival-workers-"));
  const file = join(dir, "cloud.db");
  const first = await worker(file);
  await migrate(first.db, 0);
  const repo = first.repos;
  await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, 0);
  await repo.directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, 0);
  await repo.directory.upsertGateway({ id: "g1", storeId: "s1", name: "g1" }, 0);
  await repo.directory.upsertZone({ id: "z1", storeId: "s1", name: "Zone", tags: [], geometry: {} });
  workers = [first, await worker(file)];
});

afterEach(async () => {
  for (const w of workers) await w.db.close();
  await rm(dir, { recursive: true, force: true });
});

const topic = gatewayTopic("s1", "g1", "events");
const range = (from: number, to: number): PresenceEvent[] =>
  Array.from({ length: to - from + 1 }, (_, k) => presenceEvent(from + k));
/** A batch as the gateway sends it: `fromSeq` is its lowest unacknowledged sequence. */
const batch = (fromSeq: number, events: readonly PresenceEvent[]): Buffer =>
  encodeMessage({ v: 1, outbox: "outbox-w", fromSeq, events });

describe("ingest across workers on one database", () => {
  it("does not ack an earlier batch another worker has not stored yet, and acks both once it has", async () => {
    const [a, b] = workers;
    // The gateway sent 1-10 then 11-20; the broker gave 11-20 to b, which stored it first.
    await b.ingest.handleBatch(topic, batch(1, range(11, 20)));
    expect(b.bus.acks).toEqual([0]);
    await a.ingest.handleBatch(topic, batch(1, range(1, 10)));
    // a's ack covers what b stored: the gateway deletes 1-20 without waiting to re-send 11-20.
    expect(a.bus.acks).toEqual([20]);
    expect(await a.repos.events.outboxProgress("g1")).toEqual([{ outbox: "outbox-w", ackedSeq: 20, pending: [] }]);
    // Each event went to the rules engine of exactly one worker.
    expect([...a.stored, ...b.stored].map((e) => e.seq).sort((x, y) => x - y)).toEqual(range(1, 20).map((e) => e.seq));
  });

  it("ends with the ack past both when two workers store neighbouring batches at once", async () => {
    const [a, b] = workers;
    await Promise.all([
      a.ingest.handleBatch(topic, batch(1, range(1, 10))),
      b.ingest.handleBatch(topic, batch(1, range(11, 20))),
      a.ingest.handleBatch(topic, batch(1, range(21, 30))),
      b.ingest.handleBatch(topic, batch(1, range(31, 40))),
    ]);
    // Whichever committed last saw everything the other committed.
    expect(Math.max(...a.bus.acks, ...b.bus.acks)).toBe(40);
    expect(await b.repos.events.outboxProgress("g1")).toEqual([{ outbox: "outbox-w", ackedSeq: 40, pending: [] }]);
    expect(await a.repos.events.countEvents()).toBe(40);
    expect(a.stored.length + b.stored.length).toBe(40);
  });
});
