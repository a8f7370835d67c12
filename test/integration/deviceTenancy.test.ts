/**
 * Registered beacons are per organisation: two retailers register the same beacon without either
 * learning of the other, ingest links it to each one's own user in each one's stores, and erasing
 * one's user touches nothing of the other's. Also the migration that moved the registry to per
 * organisation keeps the registrations held.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { MIGRATIONS, migrate } from "../../cloud/src/adapters/sqlite/migrations.js";
import { subjectIdOfBeacon } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";

const BEACON = { kind: "ibeacon", uuid: "5A4BCFCE-174E-4BAC-A814-092E77F6B7E5", major: 7, minor: 70 } as const;
const SUBJECT = subjectIdOfBeacon(BEACON);

describe("registered beacons per organisation", () => {
  let f: CloudFixture;
  let o2Admin: string;

  const api = async (method: string, url: string, key: string, body?: unknown) => {
    const res = await f.cloud.http.inject({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const eventsOf = async (storeId: string, key: string) =>
    ((await api("GET", `/v1/stores/${storeId}/events`, key)).body.events as { id: string; userId: string | null }[]).map(
      (e) => [e.id, e.userId],
    );

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    const repo = f.cloud.repositories;
    const now = Date.now();
    await repo.directory.upsertOrganisation({ id: "o2", name: "Other retailer", maxOffersPerUserPerDay: 3 }, now);
    await repo.directory.upsertStore({ id: "x1", orgId: "o2", name: "x1", timezone: "UTC", lat: null, lon: null, tags: [] }, now);
    await repo.directory.upsertGateway({ id: "gx", storeId: "x1", name: "Gateway" }, now);
    // Ingest refuses events for zones their store does not have.
    await repo.directory.upsertZone({ id: "z1", storeId: "x1", name: "Zone", tags: [], geometry: {} });
    o2Admin = (await f.cloud.credentials.issueApiKey({ role: "admin", orgId: "o2", label: "o2" }, "test")).key;
    const profile = { segments: [], consent: { marketing: true, analytics: true } };
    expect((await api("PUT", "/v1/users/ada", f.keys.admin, profile)).status).toBe(201);
    expect((await api("PUT", "/v1/users/bo", o2Admin, profile)).status).toBe(201);
    // The beacon heard in each organisation's store before anyone registered it: no user.
    const subject = { kind: "ibeacon", id: SUBJECT } as const;
    const before = new Date(now - 60_000).toISOString();
    await f.ingest([presenceEvent(1, { id: "event-o1-before", at: before, subject })]);
    await f.ingestAs("x1", "gx", [presenceEvent(1, { id: "event-o2-before", at: before, storeId: "x1", gatewayId: "gx", subject })]);
  });
  afterAll(async () => {
    await f?.close();
  });

  it("lets two organisations register the same beacon; a conflict concerns one's own users only", async () => {
    expect((await api("POST", "/v1/users/ada/devices", f.keys.admin, { identity: BEACON })).status).toBe(201);
    // The other retailer learns nothing: its registration is a plain 201.
    expect((await api("POST", "/v1/users/bo/devices", o2Admin, { identity: BEACON })).status).toBe(201);
    expect((await api("GET", "/v1/users/bo/devices", o2Admin)).body.devices).toMatchObject([{ subjectId: SUBJECT }]);
    // Within one organisation a beacon is still one user's.
    expect((await api("POST", "/v1/users/u1/devices", f.keys.admin, { identity: BEACON })).status).toBe(409);
    expect((await api("POST", "/v1/users/ada/devices", f.keys.admin, { identity: BEACON, label: "again" })).status).toBe(200);
  });

  it("links the beacon's presence to each organisation's own user in its own stores", async () => {
    const subject = { kind: "ibeacon", id: SUBJECT } as const;
    await f.ingest([presenceEvent(2, { id: "event-o1-beacon", subject })], 2);
    await f.ingestAs("x1", "gx", [presenceEvent(2, { id: "event-o2-beacon", storeId: "x1", gatewayId: "gx", subject })], 2);
    expect(await eventsOf("s1", f.keys.admin)).toEqual([
      ["event-o1-beacon", "ada"],
      ["event-o1-before", null],
    ]);
    expect(await eventsOf("x1", o2Admin)).toEqual([
      ["event-o2-beacon", "bo"],
      ["event-o2-before", null],
    ]);
  });

  it("erases one organisation's user without touching the other's registration or presence", async () => {
    const erased = await api("DELETE", "/v1/users/bo", o2Admin);
    expect(erased.status).toBe(200);
    // Its presence, and the beacon's heard in its store before registration, by beacon id.
    expect(erased.body.deleted).toMatchObject({ user_devices: 1, presence_events: 2 });
    expect(await eventsOf("x1", o2Admin)).toEqual([]);
    expect((await api("GET", "/v1/users/ada/devices", f.keys.admin)).body.devices).toMatchObject([{ subjectId: SUBJECT }]);
    // The other organisation keeps both: the same beacon heard before registration is not bo's there.
    expect(await eventsOf("s1", f.keys.admin)).toEqual([
      ["event-o1-beacon", "ada"],
      ["event-o1-before", null],
    ]);
    // Erasing ada removes her registration and presence too: nothing of the beacon is left.
    expect((await api("DELETE", "/v1/users/ada", f.keys.admin)).status).toBe(200);
    const db = f.cloud.repositories.db;
    expect(await db.all("SELECT org_id FROM user_devices WHERE subject_id = ?", [SUBJECT])).toEqual([]);
    expect(await db.all("SELECT id FROM presence_events WHERE subject_id = ?", [SUBJECT])).toEqual([]);
  });

  it("keeps the registrations held when the registry moves to per organisation", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-devices-"));
    const db = await SqliteDatabase.open(join(dir, "cloud.db"));
    try {
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of MIGRATIONS.filter((x) => x.version < 8)) {
        await db.exec(m.sql);
        await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
      }
      await db.exec(`
        INSERT INTO organisations (id, name, created_at) VALUES ('o1', 'a', 0), ('o2', 'b', 0);
        INSERT INTO app_users (id, org_id, segments, marketing_consent, analytics_consent, created_at, updated_at)
          VALUES ('ada', 'o1', '[]', 1, 1, 0, 0), ('bo', 'o2', '[]', 1, 1, 0, 0);
        INSERT INTO user_devices (subject_id, user_id, label, created_at, identity)
          VALUES ('ibeacon:a', 'ada', 'keyring', 5, '{}'), ('ibeacon:b', 'bo', NULL, 6, NULL);`);
      expect(await migrate(db, 0)).toBeGreaterThanOrEqual(8);
      expect(await db.all("SELECT * FROM user_devices ORDER BY subject_id")).toEqual([
        { org_id: "o1", subject_id: "ibeacon:a", user_id: "ada", label: "keyring", created_at: 5, identity: "{}" },
        { org_id: "o2", subject_id: "ibeacon:b", user_id: "bo", label: null, created_at: 6, identity: null },
      ]);
      // The same beacon may now be registered in the other organisation.
      await db.run("INSERT INTO user_devices (org_id, subject_id, user_id, created_at) VALUES ('o2', 'ibeacon:a', 'bo', 7)");
      expect(await db.get("SELECT COUNT(*) AS n FROM user_devices WHERE subject_id = 'ibeacon:a'")).toEqual({ n: 2 });
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
