import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { createSqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { IngestService } from "../../../cloud/src/services/IngestService.js";
import type { BusMessage, MessageBus } from "../../../cloud/src/services/ports.js";
import type { StoredEvent } from "../../../cloud/src/services/repositories.js";
import { gatewayTopic, MAX_PAYLOAD_BYTES, type PresenceEvent } from "../../../protocol/index.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { presenceEvent } from "../cloudFixture.js";

/**
 * Fuzzing of MQTT payloads into ingest: whatever a connected client publishes on an events topic
 * (or whatever reaches `handleBatch` on any topic), ingest never throws out of its handler, counts
 * each refusal under exactly one reason, and logs it exactly once; what it accepts is stored and
 * acknowledged.
 */

const TOPIC = gatewayTopic("s1", "g1", "events");
/** The cloud's clock; valid events are dated at it. */
const NOW = 1_800_000_000_000;
/** Messages ingest logs for a refusal, one per refused batch or event. */
const REFUSAL_LOGS = [
  "event batch rejected",
  "event batch rejected: not a gateway events topic",
  "event batch not stored",
  "event names another store or gateway",
  "event subject id is malformed",
  "event is implausible",
];

class RecordingBus implements MessageBus {
  readonly published: BusMessage[] = [];
  subscribe(): Promise<void> {
    return Promise.resolve();
  }
  publish(topic: string, payload: Buffer): Promise<void> {
    this.published.push({ topic, payload });
    return Promise.resolve();
  }
}

let dir: string;
let db: SqliteDatabase;
let ingest: IngestService;
let bus: RecordingBus;
let log: RecordingLogger;
const stored: StoredEvent[] = [];
let nextSeq = 1;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "arrival-ingest-fuzz-"));
  db = await SqliteDatabase.open(join(dir, "cloud.db"));
  await migrate(db, 0);
  const repo = createSqliteRepositories(db);
  await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, 0);
  await repo.directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, 0);
  await repo.directory.upsertGateway({ id: "g1", storeId: "s1", name: "g1" }, 0);
  await repo.directory.upsertZone({ id: "z1", storeId: "s1", name: "Zone", tags: [], geometry: {} });
  bus = new RecordingBus();
  log = new RecordingLogger();
  ingest = new IngestService({
    bus,
    events: repo.events,
    zones: repo.directory,
    clock: { now: () => NOW },
    log,
    onStored: (events) => stored.push(...events),
  });
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const anyJson = fc.jsonValue({ maxDepth: 4 });

/** A valid event of gateway g1 with fresh sequence and id (so valid batches are really new). */
function freshEvent(): PresenceEvent {
  const seq = nextSeq++;
  return presenceEvent(seq, {
    id: `fuzz-${String(seq).padStart(8, "0")}`,
    visitId: `visit-fuzz-${seq}`,
    at: new Date(NOW).toISOString(),
  });
}

/** One field of a valid event or batch replaced by something of the wrong type or range. */
const mutation = fc.oneof(
  fc.record({ where: fc.constant("batch" as const), key: fc.constantFrom("v", "outbox", "fromSeq", "events", "extra"), value: anyJson }),
  fc.record({
    where: fc.constant("event" as const),
    key: fc.constantFrom("id", "seq", "type", "storeId", "zoneId", "gatewayId", "subject", "at", "visitId", "rssi", "distanceM", "dwellMs", "extra"),
    value: fc.oneof(
      anyJson,
      fc.constantFrom(2 ** 53, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, "x".repeat(10_000), "", null, [], {}),
    ),
  }),
);

type Case =
  | { kind: "bytes"; topic: string; payload: Uint8Array }
  | { kind: "json"; topic: string; value: unknown }
  | { kind: "mutated"; change: { where: "batch" | "event"; key: string; value: unknown } }
  | { kind: "version"; v: number }
  | { kind: "huge" }
  | { kind: "foreign"; storeId: string }
  | { kind: "unregistered" }
  | { kind: "valid" };

const topics = fc.constantFrom(
  TOPIC,
  gatewayTopic("s1", "g1", "status"),
  gatewayTopic("s1", "ghost", "events"),
  "arrival/v1/stores/s1/gateways/g1",
  "not/a/topic",
  "",
);

const cases: fc.Arbitrary<Case> = fc.oneof(
  fc.record({ kind: fc.constant("bytes" as const), topic: topics, payload: fc.uint8Array({ maxLength: 512 }) }),
  fc.record({ kind: fc.constant("json" as const), topic: topics, value: anyJson }),
  fc.record({ kind: fc.constant("mutated" as const), change: mutation }),
  fc.record({ kind: fc.constant("version" as const), v: fc.integer({ min: -5, max: 1000 }).filter((v) => v !== 1) }),
  fc.constant({ kind: "huge" as const }),
  fc.record({ kind: fc.constant("foreign" as const), storeId: fc.constantFrom("s2", "S1", "other") }),
  fc.constant({ kind: "unregistered" as const }),
  fc.constant({ kind: "valid" as const }),
);

function render(c: Case): { topic: string; payload: Buffer } {
  const batch = (events: unknown[]): Record<string, unknown> => ({
    v: 1,
    outbox: "outbox-fuzz-1",
    fromSeq: (events[0] as { seq?: number } | undefined)?.seq ?? 1,
    events,
  });
  switch (c.kind) {
    case "bytes":
      return { topic: c.topic, payload: Buffer.from(c.payload) };
    case "json":
      return { topic: c.topic, payload: Buffer.from(JSON.stringify(c.value) ?? "null") };
    case "mutated": {
      const event: Record<string, unknown> = { ...freshEvent() };
      const body = batch([event]);
      if (c.change.where === "batch") body[c.change.key] = c.change.value;
      else event[c.change.key] = c.change.value;
      return { topic: TOPIC, payload: Buffer.from(JSON.stringify(body)) };
    }
    case "version":
      return { topic: TOPIC, payload: Buffer.from(JSON.stringify({ ...batch([freshEvent()]), v: c.v })) };
    case "huge":
      return { topic: TOPIC, payload: Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20) };
    case "foreign":
      return { topic: TOPIC, payload: Buffer.from(JSON.stringify(batch([{ ...freshEvent(), storeId: c.storeId }]))) };
    case "unregistered":
      return {
        topic: gatewayTopic("s1", "ghost", "events"),
        payload: Buffer.from(JSON.stringify(batch([{ ...freshEvent(), gatewayId: "ghost" }]))),
      };
    case "valid":
      return { topic: TOPIC, payload: Buffer.from(JSON.stringify(batch([freshEvent(), freshEvent()]))) };
  }
}

const totalRejections = (): number => Object.values(ingest.counters.rejections).reduce((a, b) => a + b, 0);
const refusalLogs = (): number => log.entries.filter((e) => REFUSAL_LOGS.includes(e.msg)).length;

describe("ingest under fuzzed MQTT payloads", () => {
  it("never throws; counts every refusal under one reason and logs it once; stores and acks what is valid", async () => {
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const { topic, payload } = render(c);
        const before = {
          rejections: totalRejections(),
          logs: refusalLogs(),
          batches: ingest.counters.batches,
          rejectedBatches: ingest.counters.rejectedBatches,
          stored: stored.length,
          acks: bus.published.length,
        };
        // A rejection of the promise is allowed for one reason only: the storage transaction
        // failed, and then it is counted as such.
        let failed = false;
        await ingest.handleBatch(topic, payload).catch(() => {
          failed = true;
        });
        const refusals = totalRejections() - before.rejections;
        expect(refusalLogs() - before.logs).toBe(refusals);
        const handled = ingest.counters.batches - before.batches + (ingest.counters.rejectedBatches - before.rejectedBatches);
        // Exactly one outcome per delivery: stored (and acked), or refused as a whole.
        expect(handled).toBe(1);
        expect(bus.published.length - before.acks).toBe(ingest.counters.batches - before.batches);
        if (failed) expect(ingest.counters.rejections.storage).toBeGreaterThan(0);
        if (c.kind === "valid") {
          valid++;
          expect(stored.length - before.stored).toBe(2);
          expect(refusals).toBe(0);
        }
        if (c.kind === "foreign") expect(ingest.counters.rejections["foreign-event"]).toBeGreaterThan(0);
        if (c.kind === "version" || c.kind === "huge") expect(refusals).toBe(1);
        if (c.kind === "unregistered") expect(failed).toBe(true);
      }),
      { numRuns: 400, seed: 20261122 },
    );
    expect(valid).toBeGreaterThan(0);
    // Every kind of refusal was exercised.
    expect(ingest.counters.rejections.schema).toBeGreaterThan(0);
    expect(ingest.counters.rejections.topic).toBeGreaterThan(0);
    expect(ingest.counters.rejections.storage).toBeGreaterThan(0);
    expect(ingest.counters.rejections["foreign-event"]).toBeGreaterThan(0);
  });
});
