import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteOutbox } from "../../../../gateway/src/adapters/sqlite/SqliteOutbox.js";
import type { UnsequencedEvent } from "../../../../gateway/src/services/ports.js";

function event(n: number): UnsequencedEvent {
  return {
    id: `event-${String(n).padStart(8, "0")}`,
    type: "enter",
    storeId: "s1",
    zoneId: "z1",
    gatewayId: "g1",
    subject: { kind: "ibeacon", id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2" },
    at: new Date(1_700_000_000_000 + n).toISOString(),
    visitId: `visit-${String(n).padStart(8, "0")}`,
    rssi: -60,
    distanceM: 1.5,
  };
}

describe("SqliteOutbox (real SQLite file)", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-outbox-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const open = (overrides: { maxRows?: number; maxAgeMs?: number; evictions?: [number, string][] } = {}) =>
    SqliteOutbox.open({
      path: join(dir, "outbox.db"),
      maxRows: overrides.maxRows ?? 1000,
      maxAgeMs: overrides.maxAgeMs ?? 3_600_000,
      onEvict: (count, reason) => overrides.evictions?.push([count, reason]),
    });

  it("assigns increasing sequences, peeks in order and deletes only what is acknowledged", async () => {
    const outbox = await open();
    const stored = await outbox.append([event(1), event(2), event(3)], 1000);
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await outbox.peek(0, 2)).map((e) => e.id)).toEqual([event(1).id, event(2).id]);
    expect((await outbox.peek(2, 10)).map((e) => e.seq)).toEqual([3]);
    expect(await outbox.ackUpTo(2)).toBe(2);
    expect(await outbox.stats()).toMatchObject({ depth: 1, lowestSeq: 3, oldestInsertedAt: 1000 });
    await outbox.close();
  });

  it("never reuses a sequence, even after every row was acknowledged and the file reopened", async () => {
    const first = await open();
    await first.append([event(1), event(2)], 1000);
    await first.ackUpTo(2);
    await first.close();
    const second = await open();
    const [next] = await second.append([event(3)], 2000);
    expect(next?.seq).toBe(3);
    expect(await second.lastAssignedSeq()).toBe(3);
    await second.close();
  });

  it("keeps committed events across a reopen (what a power cut after append leaves)", async () => {
    const first = await open();
    await first.append([event(1), event(2)], 1000);
    await first.close();
    const second = await open();
    expect((await second.peek(0, 10)).map((e) => e.id)).toEqual([event(1).id, event(2).id]);
    await second.close();
  });

  it("evicts the oldest rows beyond the row bound, and rows older than the age bound, counting both", async () => {
    const evictions: [number, string][] = [];
    const outbox = await open({ maxRows: 3, maxAgeMs: 10_000, evictions });
    await outbox.append([1, 2, 3, 4, 5].map(event), 1000);
    expect((await outbox.peek(0, 10)).map((e) => e.seq)).toEqual([3, 4, 5]);
    await outbox.append([event(6)], 20_000);
    expect((await outbox.peek(0, 10)).map((e) => e.seq)).toEqual([6]);
    expect(evictions).toEqual([
      [2, "rows"],
      [3, "age"],
    ]);
    expect((await outbox.stats()).evicted).toBe(5);
    await outbox.close();
  });

  it("appends large batches in one commit", async () => {
    const outbox = await open({ maxRows: 10_000 });
    const many = Array.from({ length: 1234 }, (_, i) => event(i));
    const stored = await outbox.append(many, 1000);
    expect(stored.at(-1)?.seq).toBe(1234);
    expect((await outbox.stats()).depth).toBe(1234);
    await outbox.close();
  });
});
