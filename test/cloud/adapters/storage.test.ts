import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { createSqliteRepositories, type SqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import type { PresenceEvent } from "../../../protocol/index.js";

function event(seq: number, overrides: Partial<PresenceEvent> = {}): PresenceEvent {
  return {
    id: `event-${String(seq).padStart(8, "0")}`,
    seq,
    type: "enter",
    storeId: "s1",
    zoneId: "z1",
    gatewayId: "g1",
    subject: { kind: "ibeacon", id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2" },
    at: "2026-11-22T09:00:00.000Z",
    visitId: "visit-00000001",
    rssi: -60,
    distanceM: 1.5,
    ...overrides,
  };
}

describe("cloud storage (real SQLite file)", () => {
  let dir: string;
  let db: SqliteDatabase;
  let repo: SqliteRepositories;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-cloud-db-"));
    db = await SqliteDatabase.open(join(dir, "cloud.db"));
    await migrate(db, 0);
    repo = createSqliteRepositories(db);
    await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 3 }, 0);
    await repo.directory.upsertStore(
      { id: "s1", orgId: "o1", name: "Store", timezone: "UTC", lat: null, lon: null, tags: [] },
      0,
    );
    await repo.directory.upsertGateway({ id: "g1", storeId: "s1", name: "Gateway" }, 0);
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("migrates once: running the migrations again changes nothing", async () => {
    expect(await migrate(db, 1)).toBe(MIGRATIONS.at(-1)?.version);
    const rows = await db.all<{ version: number }>("SELECT version FROM schema_migrations");
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("stores each event once and acknowledges the contiguous prefix", async () => {
    const input = { storeId: "s1", gatewayId: "g1", outbox: "outbox-a1", fromSeq: 1, refusedSeqs: [], receivedAt: 5 };
    const first = await repo.events.storeBatch({ ...input, events: [event(1), event(2)] });
    expect(first).toMatchObject({ ackSeq: 2, duplicates: 0 });
    expect(first.inserted).toHaveLength(2);
    const again = await repo.events.storeBatch({ ...input, events: [event(1), event(2)] });
    expect(again).toMatchObject({ ackSeq: 2, duplicates: 2, inserted: [] });
    expect(await repo.events.countEvents()).toBe(2);
  });

  it("does not let a later batch acknowledge past a lost one, until the lost one arrives", async () => {
    const input = { storeId: "s1", gatewayId: "g1", outbox: "outbox-a1", refusedSeqs: [], receivedAt: 5 };
    // Batch 3-4 arrives while 1-2 was lost: stored, but the ack stays at 0.
    const later = await repo.events.storeBatch({ ...input, fromSeq: 1, events: [event(3), event(4)] });
    expect(later.ackSeq).toBe(0);
    const lost = await repo.events.storeBatch({ ...input, fromSeq: 1, events: [event(1), event(2)] });
    expect(lost.ackSeq).toBe(2);
    // The gateway re-sends 3-4 after its ack timeout: duplicates, and now the ack moves on.
    const resent = await repo.events.storeBatch({ ...input, fromSeq: 3, events: [event(3), event(4)] });
    expect(resent).toMatchObject({ ackSeq: 4, duplicates: 2 });
  });

  it("moves the ack past sequences the gateway evicted (fromSeq) and past refused events", async () => {
    const input = { storeId: "s1", gatewayId: "g1", outbox: "outbox-a1", receivedAt: 5 };
    const result = await repo.events.storeBatch({
      ...input,
      fromSeq: 10,
      events: [event(10), event(12)],
      refusedSeqs: [11],
    });
    expect(result.ackSeq).toBe(12);
    expect(await repo.events.countEvents()).toBe(2);
  });

  it("keeps acks per outbox: a replaced outbox numbering from 1 gets no ack for what it has not sent", async () => {
    const old = { storeId: "s1", gatewayId: "g1", outbox: "outbox-old", refusedSeqs: [], receivedAt: 5 };
    const oldEvents = Array.from({ length: 50 }, (_, i) => event(i + 1, { id: `old-event-${i + 1}-xx` }));
    expect((await repo.events.storeBatch({ ...old, fromSeq: 1, events: oldEvents })).ackSeq).toBe(50);
    // The new SD card's first batch (1-20) is lost; its second (21-40) arrives with fromSeq 1.
    const fresh = { storeId: "s1", gatewayId: "g1", outbox: "outbox-new", refusedSeqs: [], receivedAt: 6 };
    const second = Array.from({ length: 20 }, (_, i) => event(i + 21, { id: `new-event-${i + 21}-xx` }));
    expect((await repo.events.storeBatch({ ...fresh, fromSeq: 1, events: second })).ackSeq).toBe(0);
    const first = Array.from({ length: 20 }, (_, i) => event(i + 1, { id: `new-event-${i + 1}-xx` }));
    expect((await repo.events.storeBatch({ ...fresh, fromSeq: 1, events: first })).ackSeq).toBe(20);
  });

  it("resolves the subject to the app user who registered the device", async () => {
    await repo.users.upsertUser(
      {
        id: "u1",
        orgId: "o1",
        displayName: null,
        segments: [],
        loyaltyTier: null,
        marketingConsent: true,
        analyticsConsent: true,
      },
      0,
    );
    await repo.users.registerDevice(event(1).subject.id, "u1", null, 0);
    const { inserted } = await repo.events.storeBatch({
      storeId: "s1",
      gatewayId: "g1",
      outbox: "outbox-a1",
      fromSeq: 1,
      events: [event(1)],
      refusedSeqs: [],
      receivedAt: 5,
    });
    expect(inserted[0]?.userId).toBe("u1");
  });

  it("refuses a batch from a gateway that is not registered, storing nothing", async () => {
    await expect(
      repo.events.storeBatch({
        storeId: "s1",
        gatewayId: "ghost",
        outbox: "outbox-a1",
        fromSeq: 1,
        events: [event(1)],
        refusedSeqs: [],
        receivedAt: 5,
      }),
    ).rejects.toThrow(/not registered/);
    expect(await repo.events.countEvents()).toBe(0);
  });

  it("rolls a failed transaction back completely", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO audit_log (at, actor, action, target) VALUES (1, 'a', 'b', 'c')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log"))?.n).toBe(0);
  });
});
