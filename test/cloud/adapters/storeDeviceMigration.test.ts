import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqlCredentialRepository } from "../../../cloud/src/adapters/sql/SqlCredentialRepository.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";

describe("store-device credentials migration (23)", () => {
  it("keeps every MQTT login as it was, revocations included, and then admits store devices", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-store-devices-"));
    const db = await SqliteDatabase.open(join(dir, "cloud.db"));
    try {
      // A database as the release before store devices left it.
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of MIGRATIONS.filter((x) => x.version < 23)) {
        await db.exec(m.sql);
        await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
      }
      const login =
        "INSERT INTO mqtt_credentials (username, secret_hash, role, store_id, gateway_id, user_id, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
      await db.run(login, ["gw.s1.g1", "h1", "gateway", "s1", "g1", null, 10, null]);
      await db.run(login, ["app.u1", "h2", "app", null, null, "u1", 20, 25]);
      await db.run(login, ["svc.cloud", "h3", "service", null, null, null, 30, null]);
      // Before: the role check knows no store devices.
      await expect(db.run(login, ["store.s1.c1", "h4", "store", "s1", null, null, 40, null])).rejects.toThrow(/CHECK/);

      expect(await migrate(db, 0)).toBeGreaterThanOrEqual(23);
      expect(
        await db.all("SELECT username, secret_hash, role, store_id, gateway_id, user_id, device_id, created_at, revoked_at FROM mqtt_credentials ORDER BY username"),
      ).toEqual([
        { username: "app.u1", secret_hash: "h2", role: "app", store_id: null, gateway_id: null, user_id: "u1", device_id: null, created_at: 20, revoked_at: 25 },
        { username: "gw.s1.g1", secret_hash: "h1", role: "gateway", store_id: "s1", gateway_id: "g1", user_id: null, device_id: null, created_at: 10, revoked_at: null },
        { username: "svc.cloud", secret_hash: "h3", role: "service", store_id: null, gateway_id: null, user_id: null, device_id: null, created_at: 30, revoked_at: null },
      ]);
      const credentials = new SqlCredentialRepository(db);
      await credentials.putMqttCredential({ username: "store.s1.c1", secretHash: "h4", identity: { role: "store", storeId: "s1", deviceId: "c1" } }, 40);
      expect((await credentials.getMqttCredential("store.s1.c1"))?.identity).toEqual({ role: "store", storeId: "s1", deviceId: "c1" });
      expect((await credentials.getMqttCredential("gw.s1.g1"))?.identity).toEqual({ role: "gateway", storeId: "s1", gatewayId: "g1" });
      // Other roles stay refused, and the user index is back for erasure's lookups.
      await expect(db.run(login, ["x", "h", "root", null, null, null, 50, null])).rejects.toThrow(/CHECK/);
      expect(await db.all("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mqtt_credentials' ORDER BY name")).toEqual([
        { name: "mqtt_credentials_store" },
        { name: "mqtt_credentials_user" },
        { name: "sqlite_autoindex_mqtt_credentials_1" },
      ]);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
