/**
 * Right to erasure over a real cloud: a user with data in every table is deleted through the API,
 * then every table listed in sqlite_master is searched, column by column, for the user id and the
 * user's subject ids. The search reads the schema, so a table added by a later migration is checked
 * without an edit here (the test adds one of its own to show it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subjectIdOfBeacon } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { until } from "../support/until.js";
import { connectAs } from "./brokerContract.js";

const USER = "shopper-erase-7f3a9c";
const IBEACON = { kind: "ibeacon", uuid: "0D6A3F2E-9B1C-4E55-8A77-3C2B1A0F9E8D", major: 4242, minor: 17 } as const;
const EDDYSTONE = { kind: "eddystone-uid", namespace: "a1b2c3d4e5f60718293a", instance: "00c0ffee0042" } as const;
const SUBJECTS = [subjectIdOfBeacon(IBEACON), subjectIdOfBeacon(EDDYSTONE), `app:${USER}`];

describe("deleting a user (right to erasure)", () => {
  let f: CloudFixture;
  let appKey: string;
  let redeemedOfferId: string;
  let reference: string;

  const api = async (method: string, url: string, key: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await f.cloud.http.inject({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${key}`, ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };

  /** Rows of every table with any column containing one of `needles`, as `table.column: n`. */
  async function mentions(needles: readonly string[]): Promise<string[]> {
    const db = f.cloud.repositories.db;
    const found: string[] = [];
    const tables = await db.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    for (const { name } of tables) {
      const columns = await db.all<{ name: string }>("SELECT name FROM pragma_table_info(?)", [name]);
      for (const column of columns) {
        for (const needle of needles) {
          const row = await db.get<{ n: number }>(
            `SELECT COUNT(*) AS n FROM "${name}" WHERE instr(CAST("${column.name}" AS TEXT), ?) > 0`,
            [needle],
          );
          if ((row?.n ?? 0) > 0) found.push(`${name}.${column.name} (${needle}): ${row?.n}`);
        }
      }
    }
    return found;
  }

  beforeAll(async () => {
    f = await createCloudFixture();
    const admin = f.keys.admin;
    // A table a later release might add: it is erased and checked like the others.
    await f.cloud.repositories.db.exec("CREATE TABLE later_feature (id INTEGER PRIMARY KEY, user_id TEXT, note TEXT)");
    await f.cloud.repositories.db.run("INSERT INTO later_feature (user_id, note) VALUES (?, 'wishlist'), ('u1', 'kept')", [
      USER,
    ]);

    expect((await api("PUT", `/v1/users/${USER}`, admin, { displayName: "Mei", segments: ["vip"], loyaltyTier: "gold", consent: { marketing: true, analytics: true } })).status).toBe(201);
    // Heard before the beacon was registered: stored without a user, found by its subject id.
    await f.ingest([presenceEvent(1, { subject: { kind: "eddystone-uid", id: SUBJECTS[1] ?? "" }, visitId: "visit-before-reg" })], 1);
    expect((await api("POST", `/v1/users/${USER}/devices`, admin, { identity: IBEACON, label: "keyring" })).status).toBe(201);
    expect((await api("POST", `/v1/users/${USER}/devices`, admin, { identity: EDDYSTONE })).status).toBe(201);
    appKey = (await api("POST", "/v1/api-keys", admin, { role: "app", label: "Mei's phone", userId: USER })).body.key as string;
    expect((await api("PUT", `/v1/users/${USER}/consent`, appKey, { marketing: true, analytics: true })).status).toBe(200);

    // A second rule without a daily cap, so the user gets two offers: one redeemed, one not.
    const rule = await api("POST", "/v1/rules", admin, {
      id: "r-erase",
      spec: {
        trigger: { type: "enter" },
        scope: { storeIds: ["s1"] },
        offer: { title: "Coffee", text: "Free", discount: { kind: "percent", percent: 100 }, validityS: 600 },
        limits: { maxPerUserPerDay: 5 },
      },
    });
    expect(rule.status).toBe(201);
    expect((await api("POST", "/v1/rules/r-erase/transitions", admin, { to: "live" })).status).toBe(200);
    await f.ingest(
      [
        presenceEvent(2, { subject: { kind: "ibeacon", id: SUBJECTS[0] ?? "" }, visitId: "visit-erase-1" }),
        presenceEvent(3, { subject: { kind: "ibeacon", id: SUBJECTS[0] ?? "" }, visitId: "visit-erase-2", id: "event-erase-3" }),
        presenceEvent(4, { subject: { kind: "app", id: SUBJECTS[2] ?? "" }, visitId: "visit-erase-3", id: "event-erase-4" }),
      ],
      2,
    );
    await f.cloud.offers.idle();
    const offers = (await api("GET", `/v1/users/${USER}/offers`, appKey)).body.offers as { offerId: string; code: string }[];
    expect(offers.length).toBeGreaterThanOrEqual(2);
    const [first] = offers;
    if (!first) throw new Error("no offer");
    expect((await api("POST", `/v1/users/${USER}/offers/${first.offerId}/acknowledgements`, appKey, { kind: "viewed" })).status).toBe(200);
    const redeemed = await api("POST", "/v1/redemptions", f.keys.pos, { code: first.code }, { "idempotency-key": "till-1-receipt-0001" });
    expect(redeemed.status).toBe(201);
    redeemedOfferId = first.offerId;
  });
  afterAll(async () => {
    await f?.close();
  });

  it("finds the user in the tables before (so the search below can fail)", async () => {
    const before = await mentions([USER, ...SUBJECTS]);
    for (const table of ["app_users", "user_devices", "presence_events", "visits", "decisions", "offers", "api_keys", "audit_log", "later_feature"])
      expect(before.some((m) => m.startsWith(`${table}.`)), `${table} in ${before.join("; ")}`).toBe(true);
  });

  it("revokes the user's MQTT credential (a connected app is cut off), deletes the data, keeps anonymous accounting", async () => {
    const issued = await api("POST", `/v1/users/${USER}/credentials`, f.keys.admin);
    expect(issued.status).toBe(201);
    const login = { username: issued.body.username as string, password: issued.body.password as string };
    const client = await connectAs(`mqtt://127.0.0.1:${f.cloud.mqttPort()}`, login);
    let closed = false;
    client.on("close", () => {
      closed = true;
    });
    expect((await mentions([USER])).some((m) => m.startsWith("mqtt_credentials.user_id"))).toBe(true);

    const erased = await api("DELETE", `/v1/users/${USER}`, appKey);
    expect(erased.status).toBe(200);
    reference = erased.body.reference as string;
    expect(reference).toMatch(/^erased-/);
    expect(erased.body.anonymisedOffers).toBe(1);
    expect(erased.body.deleted).toMatchObject({ app_users: 1, user_devices: 2, api_keys: 1, mqtt_credentials: 1, later_feature: 1 });
    await until(() => closed, 5000, "the erased user's MQTT connection to close");
    client.end(true);

    expect(await mentions([USER, ...SUBJECTS])).toEqual([]);

    // The till's accounting: the redemption and its offer stay, naming only the pseudonym.
    const db = f.cloud.repositories.db;
    const offer = await db.get<{ user_id: string; state: string }>("SELECT user_id, state FROM offers WHERE id = ?", [redeemedOfferId]);
    expect(offer).toEqual({ user_id: reference, state: "redeemed" });
    expect(await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM redemptions WHERE offer_id = ?", [redeemedOfferId])).toEqual({ n: 1 });
    // The erasure itself is audited without personal data.
    const audit = await db.get<{ actor: string; detail: string }>("SELECT actor, detail FROM audit_log WHERE action = 'user.erase' AND target = ?", [reference]);
    expect(audit?.actor).toMatch(/^api-key:/);
    expect(JSON.parse(audit?.detail ?? "{}")).toMatchObject({ deleted: { app_users: 1, user_devices: 2, later_feature: 1 } });
  });

  it("leaves other users alone and refuses the erased user's keys", async () => {
    const db = f.cloud.repositories.db;
    expect(await db.get("SELECT id FROM app_users WHERE id = 'u1'")).toEqual({ id: "u1" });
    expect(await db.get("SELECT note FROM later_feature WHERE user_id = 'u1'")).toEqual({ note: "kept" });
    const refused = await api("GET", `/v1/users/${USER}`, appKey);
    expect(refused.status).toBe(401);
    expect((await api("GET", `/v1/users/${USER}`, f.keys.admin)).status).toBe(404);
  });
});
