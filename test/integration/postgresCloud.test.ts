/**
 * A whole cloud on PostgreSQL (storage.kind "postgres"): a gateway's event is stored, the rules
 * engine issues the offer, the shopper sees it and the till redeems it once. The password reaches
 * the cloud from a file, as an operator would give it, never in the URL. A second cloud process
 * on the same database sees the same offer and does not issue it again; the two coordinate
 * through that database by default (one leader, rule changes reaching the other); and
 * `arrival-cloud init` given only the environment works on the same database.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRuleSpec } from "../../cloud/src/domain/rules/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { cloudCliInProcess } from "../support/cloudCliInProcess.js";
import { POSTGRES_AVAILABLE, type PostgresInstance, startPostgres } from "../support/postgres.js";
import { parsePrometheusText } from "../support/prometheusText.js";
import { until } from "../support/until.js";

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

  it("coordinates the two clouds through the database by default: one leader, rule changes reach the other", async () => {
    if (!other) throw new Error("the second cloud is made by the test before");
    const second = other;
    const leads = async (fixture: CloudFixture): Promise<boolean> => {
      const res = await fixture.cloud.http.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${fixture.keys.admin}` } });
      // Without worker.id configured the series carries no worker label.
      return parsePrometheusText(res.body).value("arrival_worker_leader") === 1;
    };
    // Neither was given a coordination: with PostgreSQL storage each competes for the database's
    // advisory lock, so exactly one leads (with one process each, both would).
    expect(f.cloud.workerId).not.toBe(second.cloud.workerId);
    expect([await leads(f), await leads(second)].filter(Boolean)).toHaveLength(1);

    // A rule made live at the first cloud reaches the second's rule index only through a notice.
    const spec = checkRuleSpec({
      trigger: { type: "enter" },
      scope: { storeIds: ["s1"] },
      offer: { title: "Coffee", text: "On us", discount: { kind: "percent", percent: 100 }, validityS: 600 },
      limits: { maxPerUserPerDay: 1 },
    });
    if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
    const who = { orgId: "o1", actor: "test" };
    expect((await f.cloud.rules.create(who, { id: "r-notice", spec: spec.value })).ok).toBe(true);
    expect((await f.cloud.rules.transition(who, "r-notice", "live")).ok).toBe(true);
    let seq = 100;
    await until(
      async () => {
        // Each try a new visit (r1 gave u1 its one offer of the day already).
        await second.ingest([presenceEvent(++seq)], seq);
        await second.cloud.offers.idle();
        return second.cloud.offers.counters.offersIssued > 0;
      },
      10_000,
      "an offer at the second cloud under the rule made live at the first",
    );
    const issued = await second.cloud.repositories.db.all<{ rule_id: string }>("SELECT rule_id FROM offers WHERE rule_id = ?", ["r-notice"]);
    expect(issued).toHaveLength(1);
  });

  it("tells a gateway of a rollout once, though both clouds advance the store at the same moment", async () => {
    if (!other) throw new Error("the second cloud is made by the tests before");
    const second = other;
    const leader = f.cloud.coordination.isLeader() ? f : second;
    const follower = leader === f ? second : f;
    const revision = async (): Promise<number> =>
      (await f.cloud.repositories.fleet.desiredConfigs()).find((d) => d.gatewayId === "g1")?.config.revision ?? 0;
    const before = await revision();
    // Started at the worker that does not lead: it records the rollout and leaves the telling to
    // the leader, whose sweep would pick it up; here both are asked to advance at once instead, as
    // when two gateways' reports reach two workers together.
    const started = await follower.cloud.http.inject({
      method: "PUT",
      url: "/v1/stores/s1/rollout",
      headers: { authorization: `Bearer ${follower.keys.admin}` },
      payload: { release: "arrival-gateway-9.9.9-abcdefabcdef", url: "https://releases.example/arrival-gateway-9.9.9.tgz", sha256: "a".repeat(64), canaryShare: 1, healthGateS: 0 },
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(await revision()).toBe(before);
    await Promise.all([leader.cloud.rollouts.advance("s1"), follower.cloud.rollouts.advance("s1"), follower.cloud.rollouts.sweep()]);
    expect(await revision()).toBe(before + 1);
    const desired = (await f.cloud.repositories.fleet.desiredConfigs()).find((d) => d.gatewayId === "g1");
    expect(desired?.config.software?.release).toBe("arrival-gateway-9.9.9-abcdefabcdef");
    // The leader's sweep finds nothing more to tell.
    await leader.cloud.rollouts.sweep();
    expect(await revision()).toBe(before + 1);
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
