import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import type { Principal } from "../../../cloud/src/services/CredentialService.js";
import { PickupService } from "../../../cloud/src/services/PickupService.js";
import type { Logger, MessageBus } from "../../../cloud/src/services/ports.js";
import type { StoredEvent } from "../../../cloud/src/services/repositories.js";
import { openTempSqlite, type TempSqlite } from "../../support/tempSqlite.js";
import { ManualClock } from "../manualClock.js";

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };
const admin: Principal = { keyId: "k-admin", role: "admin", orgId: "o1", storeId: null, userId: null };
const till: Principal = { keyId: "k-pos", role: "pos", orgId: "o1", storeId: "s1", userId: null };
const otherTill: Principal = { keyId: "k-pos2", role: "pos", orgId: "o1", storeId: "s2", userId: null };

/** Click-and-collect over a real SQLite file: arrival told once on the store's topic, collection once. */
describe("PickupService", () => {
  let sqlite: TempSqlite;
  let repos: SqliteRepositories;
  let published: { topic: string; payload: Record<string, unknown> }[];
  let service: PickupService;
  const clock = new ManualClock("2026-12-07T02:00:00Z");
  let n = 0;

  const event = (userId: string | null, storeId: string, type: StoredEvent["type"] = "enter"): StoredEvent =>
    ({ id: `e-${++n}`, seq: n, type, storeId, zoneId: "z1", gatewayId: "g1", subject: { kind: "ibeacon", id: "x" }, at: clock.iso(), visitId: "v-1", userId, receivedAt: clock.now() }) as StoredEvent;

  beforeEach(async () => {
    sqlite = await openTempSqlite("arrival-pickups-");
    repos = sqlite.repos;
    await repos.directory.upsertOrganisation({ id: "o1", name: "O", maxOffersPerUserPerDay: 3 }, 0);
    for (const id of ["s1", "s2"]) await repos.directory.upsertStore({ id, orgId: "o1", name: id, timezone: "UTC", lat: null, lon: null, tags: [] }, 0);
    await repos.users.upsertUser({ id: "u1", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: false, analyticsConsent: true }, 0);
    published = [];
    const bus: MessageBus = {
      publish: (topic: string, payload: Buffer) => {
        published.push({ topic, payload: JSON.parse(payload.toString()) as Record<string, unknown> });
        return Promise.resolve();
      },
    } as unknown as MessageBus;
    let seq = 0;
    service = new PickupService({
      pickups: repos.pickups,
      users: repos.users,
      stores: repos.directory,
      bus,
      clock,
      log: silent,
      randomBytes: (size) => Buffer.alloc(size, ++seq),
    });
  });
  afterEach(() => sqlite.close());

  it("tells the store once when the customer arrives there, naming the order, not the person", async () => {
    const created = await service.create(admin, { orderId: "web-1", storeId: "s1", userId: "u1" });
    if (!created.ok) throw new Error(created.message);
    await service.presenceStored([event("u1", "s2"), event(null, "s1"), event("u1", "s1", "exit")]);
    expect(published).toEqual([]);
    await service.presenceStored([event("u1", "s1"), event("u1", "s1", "dwell")]);
    await service.presenceStored([event("u1", "s1")]);
    expect(published).toEqual([
      {
        topic: "arrival/v1/stores/s1/pickups",
        payload: { v: 1, kind: "pickup-arrived", pickupId: created.value.pickupId, orderId: "web-1", storeId: "s1", arrivedAt: clock.iso() },
      },
    ]);
    expect(await service.get(till, created.value.pickupId)).toMatchObject({ ok: true, value: { state: "arrived", arrivedAt: clock.now() } });
  });

  it("lists a store's orders for its counter: its own store only, the arrived ones when asked", async () => {
    const first = await service.create(admin, { orderId: "web-4", storeId: "s1", userId: "u1" });
    clock.advance(1000);
    const second = await service.create(admin, { orderId: "web-5", storeId: "s2", userId: "u1" });
    if (!first.ok || !second.ok) throw new Error("orders not created");
    await service.presenceStored([event("u1", "s1")]);
    const ids = (o: Awaited<ReturnType<PickupService["list"]>>) => (o.ok ? o.value.map((p) => `${p.orderId}:${p.state}`) : o.code);
    expect(ids(await service.list(till, {}))).toEqual(["web-4:arrived"]);
    expect(ids(await service.list(till, { states: ["awaiting"] }))).toEqual([]);
    expect(ids(await service.list(till, { storeId: "s2" }))).toBe("FORBIDDEN");
    expect(ids(await service.list(admin, {}))).toEqual(["web-5:awaiting", "web-4:arrived"]);
    expect(ids(await service.list(admin, { storeId: "s2", states: ["awaiting"] }))).toEqual(["web-5:awaiting"]);
    expect(ids(await service.list(admin, { storeId: "nope" }))).toBe("NOT_FOUND");
  });

  it("hands the order over once, at its store, before the code expires", async () => {
    const created = await service.create(admin, { orderId: "web-2", storeId: "s1", userId: "u1", validHours: 1 });
    if (!created.ok) throw new Error(created.message);
    const { code } = created.value;
    expect(await service.create(admin, { orderId: "web-2", storeId: "s1", userId: "u1" })).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await service.collect(otherTill, { code })).toMatchObject({ ok: false, code: "WRONG_STORE" });
    expect(await service.collect(till, { code: `arrival:redeem:v1:${code}` })).toMatchObject({ ok: true, value: { state: "collected" } });
    expect(await service.collect(till, { code })).toMatchObject({ ok: false, code: "CODE_ALREADY_REDEEMED" });
    const late = await service.create(admin, { orderId: "web-3", storeId: "s1", userId: "u1", validHours: 1 });
    if (!late.ok) throw new Error(late.message);
    clock.advance(3_600_000);
    expect(await service.collect(till, { code: late.value.code })).toMatchObject({ ok: false, code: "CODE_EXPIRED" });
    await service.presenceStored([event("u1", "s1")]);
    expect(published).toEqual([]);
  });
});
