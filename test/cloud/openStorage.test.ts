import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { openStorage } from "../../cloud/src/openStorage.js";

const configOf = (document: unknown) => {
  const parsed = parseCloudConfig(document);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
};

/** The backend the config selects, opened and migrated; PostgreSQL's own paths are in postgresCloud.test.ts. */
describe("openStorage", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-open-storage-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("opens SQLite under dataDir by default, or at storage.path, migrated and answering", async () => {
    for (const [document, file] of [
      [{ dataDir: dir }, join(dir, "cloud.db")],
      [{ dataDir: dir, storage: { kind: "sqlite", path: join(dir, "nested", "other.db") } }, join(dir, "nested", "other.db")],
    ] as const) {
      const storage = await openStorage(configOf(document), 0);
      try {
        expect(storage.kind).toBe("sqlite");
        expect(await storage.ping()).toBe(true);
        await storage.repositories.directory.upsertOrganisation({ id: "o1", name: "O", maxOffersPerUserPerDay: 3 }, 0);
        expect((await storage.repositories.directory.getOrganisation("o1"))?.name).toBe("O");
      } finally {
        await storage.close();
      }
      await access(file);
    }
  });

  it("says the database does not answer once it is closed", async () => {
    const storage = await openStorage(configOf({ dataDir: dir }), 0);
    await storage.close();
    expect(await storage.ping()).toBe(false);
  });
});
