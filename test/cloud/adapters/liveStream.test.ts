import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHttpApp } from "../../../cloud/src/adapters/http/createHttpApp.js";
import { liveRoutes } from "../../../cloud/src/adapters/http/routes/liveRoutes.js";
import { createLogger } from "../../../cloud/src/adapters/log/createLogger.js";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { createSqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { CredentialService } from "../../../cloud/src/services/CredentialService.js";
import { LiveFeed } from "../../../cloud/src/services/LiveFeed.js";

/** Reads the stream to its end; returns what came. */
async function readToEnd(body: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) text += chunk;
  return text;
}

describe("live stream authorisation", () => {
  let dir: string;
  let db: SqliteDatabase;
  let app: FastifyInstance;
  let credentials: CredentialService;
  let base: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-live-"));
    db = await SqliteDatabase.open(join(dir, "cloud.db"));
    await migrate(db, Date.now());
    const repo = createSqliteRepositories(db);
    await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, Date.now());
    const clock = { now: () => Date.now() };
    const log = createLogger({ level: "silent", format: "json", name: "test" });
    credentials = new CredentialService({ credentials: repo.credentials, audit: repo.audit, clock, log });
    app = await createHttpApp({ credentials, log });
    const live = new LiveFeed({ clock, log, orgOfStore: () => Promise.resolve(null) });
    // A short heartbeat, so the re-check runs within the test.
    liveRoutes(app, { live, credentials, heartbeatMs: 20 });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterEach(async () => {
    await app.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps streaming while the key is valid and ends the stream once it is revoked", async () => {
    const { id, key } = await credentials.issueApiKey({ role: "store-ops", orgId: "o1", label: "ops" }, "test");
    const res = await fetch(`${base}/v1/live/stream`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    if (!res.body) throw new Error("no body");
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    // Two heartbeats pass the re-check while the key is valid.
    while ((seen.match(/: keep-alive/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      seen += value ?? "";
    }
    expect(seen).toMatch(/^event: snapshot\n/);
    await credentials.revokeApiKey(id, "test");
    // The server ends the stream: reading reaches its end instead of waiting for ever.
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    const again = await fetch(`${base}/v1/live/stream`, { headers: { authorization: `Bearer ${key}` } });
    expect(again.status).toBe(401);
    await readToEnd(again.body ?? new ReadableStream());
  });
});
