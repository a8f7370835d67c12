/**
 * A whole cloud on PostgreSQL (storage.kind "postgres"): a gateway's event is stored, the rules
 * engine issues the offer, the shopper sees it and the till redeems it once. The password reaches
 * the cloud from a file, as an operator would give it, never in the URL. A second cloud process
 * on the same database sees the same offer and does not issue it again, and `arrival-cloud init`
 * given only the environment works on the same database.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { cloudCliInProcess } from "../support/cloudCliInProcess.js";
import { POSTGRES_AVAILABLE, type PostgresInstance, startPostgres } from "../support/postgres.js";

interface OfferView {
  offerId: string;
  code: string;
  status: string;
}

describe.skipIf(!POSTGRES_AVAILABLE)("a cloud on PostgreSQL", () => {
  let server: PostgresInstance;
  let dir: string;
  let storage: Record<string, unknown>;
  let f: CloudFixture;
  let other: CloudFixture | null = null;

  beforeAll(async () => {
    server = await startPostgres();
    const url = new URL(await server.createDatabase("cloud"));
    dir = await mkdtemp(join(tmpdir(), "arrival-pg-cloud-"));
    const passwordFile = join(dir, "pg-password");
    await writeFile(passwordFile, `${server.password}\n`, { mode: 0o600 });
    url.password = "";
    storage = { kind: "postgres", url: url.toString(), passwordFile };
    f = await createCloudFixture({ storage });
  }, 60_000);

  afterAll(async () => {
    await other?.close();
    await f?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("stores the event, issues the offer and redeems it once", async () => {
    const event = presenceEvent(1);
    // The same batch delivered twice (a QoS 1 redelivery): stored and decided once.
    await Promise.all([f.ingest([event]), f.ingest([event])]);
    await f.cloud.offers.idle();
    expect(f.cloud.ingest.counters.eventsStored).toBe(1);

    const listed = await f.cloud.http.inject({
      method: "GET",
      url: "/v1/users/u1/offers",
      headers: { authorization: `Bearer ${f.keys.appU1}` },
    });
    expect(listed.statusCode).toBe(200);
    const offers = listed.json<{ offers: OfferView[] }>().offers;
    expect(offers).toHaveLength(1);
    const offer = offers[0] as OfferView;

    const redeem = (key: string) =>
      f.cloud.http.inject({
        method: "POST",
        url: "/v1/redemptions",
        headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": key },
        payload: { code: offer.code },
      });
    const [first, second] = await Promise.all([redeem("till-1-receipt-0001"), redeem("till-2-receipt-0001")]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([201, 409]);
    const row = await f.cloud.repositories.db.get<{ state: string; n: number }>(
      "SELECT o.state, (SELECT COUNT(*) FROM redemptions r WHERE r.offer_id = o.id) AS n FROM offers o WHERE o.id = ?",
      [offer.offerId],
    );
    expect(row).toEqual({ state: "redeemed", n: 1 });
  });

  it("shares its data with a second cloud process on the same database", async () => {
    // A second cloud (its own data directory, pool and keys) on the same database: it migrates
    // nothing new, sees the first cloud's offer as redeemed, and does not issue it again.
    other = await createCloudFixture({ storage, seedRule: false });
    const [state] = await other.cloud.repositories.db.all<{ state: string }>("SELECT state FROM offers WHERE user_id = ?", ["u1"]);
    expect(state).toEqual({ state: "redeemed" });
    await other.ingest([presenceEvent(1)]);
    await other.cloud.offers.idle();
    const count = await other.cloud.repositories.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM offers");
    expect(count?.n).toBe(1);
  });

  it("runs init on the database the environment names, and the cloud accepts the key it printed", async () => {
    const env = {
      ARRIVAL_PG_URL: String(storage.url),
      ARRIVAL_PG_PASSWORD: server.password,
      ARRIVAL_DATA_DIR: join(dir, "cli-data"),
    };
    const result = await cloudCliInProcess(["init", "--org", "chain", "--name", "Chain", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { adminKey: { key: string } | null };
    const key = answer.adminKey?.key ?? "";
    // The running cloud (another process, as far as the CLI is concerned) accepts it at once.
    const created = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/stores",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      payload: JSON.stringify({ id: "chain-central", name: "Central", timezone: "Europe/London" }),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await f.cloud.repositories.directory.getStore("chain-central"))?.orgId).toBe("chain");
  });
});
