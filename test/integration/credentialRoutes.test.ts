import type mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeTopic, userTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import {
  externalMqttConfig,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  startMosquitto,
} from "../support/mosquitto.js";
import { connectAs, grant } from "./brokerContract.js";

interface Issued {
  username: string;
  password: string;
  clientId: string;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Credentials issued and revoked over the HTTP API, as an operator or a store's staff would. */
describe("credential routes (embedded broker)", () => {
  let f: CloudFixture;
  let url: string;
  let storeOpsS1: string;
  const open: mqtt.MqttClient[] = [];

  const call = (method: "POST" | "DELETE", path: string, key: string | null, body?: object) =>
    f.cloud.http.inject({
      method,
      url: path,
      headers: { ...(key ? bearer(key) : {}), ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    f = await createCloudFixture();
    url = `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
    const repo = f.cloud.repositories;
    const now = Date.now();
    await repo.directory.upsertGateway({ id: "g2", storeId: "s2", name: "Other store's gateway" }, now);
    await repo.directory.upsertOrganisation({ id: "o2", name: "Other org", maxOffersPerUserPerDay: 5 }, now);
    await repo.directory.upsertStore(
      { id: "s3", orgId: "o2", name: "s3", timezone: "Asia/Hong_Kong", lat: null, lon: null, tags: [] },
      now,
    );
    await repo.directory.upsertGateway({ id: "g3", storeId: "s3", name: "Other org's gateway" }, now);
    const res = await call("POST", "/v1/api-keys", f.keys.admin, { role: "store-ops", storeId: "s1", label: "s1 staff" });
    expect(res.statusCode).toBe(201);
    storeOpsS1 = res.json<{ key: string }>().key;
  });
  afterAll(async () => {
    for (const client of open) client.end(true);
    await f?.close();
  });

  it("issues a gateway credential to an admin, once, and it connects", async () => {
    const res = await call("POST", "/v1/gateways/g1/credentials", f.keys.admin);
    expect(res.statusCode).toBe(201);
    const issued = res.json<Issued>();
    expect(issued).toMatchObject({ username: "gw.s1.g1", clientId: "gw.s1.g1" });
    expect(issued.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const client = await connectAs(url, issued);
    open.push(client);
    expect(client.connected).toBe(true);
  });

  it("lets store-ops manage only the gateways of its own store", async () => {
    expect((await call("POST", "/v1/gateways/g1/credentials", storeOpsS1)).statusCode).toBe(201);
    const other = await call("POST", "/v1/gateways/g2/credentials", storeOpsS1);
    expect(other.statusCode).toBe(403);
    // A store-ops key bound to no store has no gateways of its own.
    expect((await call("POST", "/v1/gateways/g1/credentials", f.keys.storeOps)).statusCode).toBe(403);
  });

  it("hides other organisations' gateways and refuses the wrong roles", async () => {
    expect((await call("POST", "/v1/gateways/g3/credentials", f.keys.admin)).json()).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
    expect((await call("POST", "/v1/gateways/nope/credentials", f.keys.admin)).statusCode).toBe(404);
    expect((await call("POST", "/v1/gateways/g1/credentials", f.keys.marketer)).statusCode).toBe(403);
    expect((await call("POST", "/v1/gateways/g1/credentials", f.keys.pos)).statusCode).toBe(403);
    expect((await call("POST", "/v1/gateways/g1/credentials", null)).statusCode).toBe(401);
    expect((await call("POST", "/v1/gateways/g!1/credentials", f.keys.admin)).statusCode).toBe(400);
  });

  it("revokes a gateway credential: the live client is cut off and the password refused", async () => {
    const issued = (await call("POST", "/v1/gateways/g1/credentials", f.keys.admin)).json<Issued>();
    const client = await connectAs(url, issued);
    open.push(client);
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    const res = await call("DELETE", "/v1/gateways/g1/credentials", storeOpsS1);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ username: "gw.s1.g1", revoked: true });
    await closed;
    await expect(connectAs(url, issued)).rejects.toThrow();
    expect((await call("DELETE", "/v1/gateways/g1/credentials", f.keys.admin)).json()).toEqual({
      username: "gw.s1.g1",
      revoked: false,
    });
  });

  it("issues and revokes app user credentials for admins only", async () => {
    expect((await call("POST", "/v1/users/u1/credentials", f.keys.appU1)).statusCode).toBe(403);
    expect((await call("POST", "/v1/users/nobody/credentials", f.keys.admin)).statusCode).toBe(404);
    const res = await call("POST", "/v1/users/u1/credentials", f.keys.admin);
    expect(res.statusCode).toBe(201);
    const issued = res.json<Issued>();
    expect(issued.username).toBe("app.u1");
    const phone = await connectAs(url, issued);
    open.push(phone);
    expect(await grant(phone, userTopic("u1", "offers"))).toBe(1);
    const closed = new Promise<void>((resolve) => phone.once("close", () => resolve()));
    expect((await call("DELETE", "/v1/users/u1/credentials", f.keys.admin)).json()).toEqual({
      username: "app.u1",
      revoked: true,
    });
    await closed;
  });

  it("issues a store device's credential to admins and its own store's staff, for its store's pick-ups only", async () => {
    const res = await call("POST", "/v1/stores/s1/devices/counter-1/credentials", storeOpsS1);
    expect(res.statusCode).toBe(201);
    const issued = res.json<Issued>();
    expect(issued).toMatchObject({ username: "store.s1.counter-1", clientId: "store.s1.counter-1" });
    expect(issued.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const counter = await connectAs(url, issued);
    open.push(counter);
    expect(await grant(counter, storeTopic("s1", "pickups"))).toBe(1);
    expect(await grant(counter, storeTopic("s2", "pickups"))).toBe(128);
    // Issuing again replaces the password: the first one no longer connects.
    const again = (await call("POST", "/v1/stores/s1/devices/counter-1/credentials", f.keys.admin)).json<Issued>();
    await expect(connectAs(url, issued)).rejects.toThrow();
    open.push(await connectAs(url, again));

    expect((await call("POST", "/v1/stores/s2/devices/counter-1/credentials", storeOpsS1)).json()).toMatchObject({
      error: { code: "FORBIDDEN" },
    });
    expect((await call("POST", "/v1/stores/s1/devices/counter-1/credentials", f.keys.storeOps)).statusCode).toBe(403);
    expect((await call("POST", "/v1/stores/s1/devices/counter-1/credentials", f.keys.pos)).statusCode).toBe(403);
    expect((await call("POST", "/v1/stores/s1/devices/counter-1/credentials", f.keys.marketer)).statusCode).toBe(403);
    expect((await call("POST", "/v1/stores/s1/devices/counter-1/credentials", null)).statusCode).toBe(401);
    expect((await call("POST", "/v1/stores/s3/devices/counter-1/credentials", f.keys.admin)).json()).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
    expect((await call("POST", "/v1/stores/nope/devices/counter-1/credentials", f.keys.admin)).statusCode).toBe(404);
    const bad = await call("POST", "/v1/stores/s1/devices/counter.1/credentials", f.keys.admin);
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain("deviceId");
  });

  it("revokes a store device's credential: the live counter is cut off and its password refused", async () => {
    const issued = (await call("POST", "/v1/stores/s1/devices/pos-2/credentials", f.keys.admin)).json<Issued>();
    const counter = await connectAs(url, issued);
    open.push(counter);
    const closed = new Promise<void>((resolve) => counter.once("close", () => resolve()));
    expect((await call("DELETE", "/v1/stores/s2/devices/pos-2/credentials", storeOpsS1)).statusCode).toBe(403);
    const res = await call("DELETE", "/v1/stores/s1/devices/pos-2/credentials", storeOpsS1);
    expect(res.json()).toEqual({ username: "store.s1.pos-2", revoked: true });
    await closed;
    await expect(connectAs(url, issued)).rejects.toThrow();
    expect((await call("DELETE", "/v1/stores/s1/devices/pos-2/credentials", f.keys.admin)).json()).toEqual({
      username: "store.s1.pos-2",
      revoked: false,
    });
  });

  it("lists a store's devices for its admin and staff, without a secret", async () => {
    const get = (path: string, key: string) => f.cloud.http.inject({ method: "GET", url: path, headers: bearer(key) });
    const res = await get("/v1/stores/s1/devices", storeOpsS1);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      devices: [
        { deviceId: "counter-1", username: "store.s1.counter-1", createdAt: expect.any(String), revokedAt: null },
        { deviceId: "pos-2", username: "store.s1.pos-2", createdAt: expect.any(String), revokedAt: expect.any(String) },
      ],
    });
    expect(res.body).not.toMatch(/[A-Za-z0-9_-]{43}|scrypt|\$/);
    expect((await get("/v1/stores/s2/devices", storeOpsS1)).statusCode).toBe(403);
    expect((await get("/v1/stores/s3/devices", f.keys.admin)).statusCode).toBe(404);
    expect((await get("/v1/stores/s1/devices", f.keys.pos)).statusCode).toBe(403);
    expect((await get("/v1/stores/s2/devices", f.keys.admin)).json()).toEqual({ devices: [] });
  });

  it("issues API keys bound as their role requires, and revokes them", async () => {
    const bad = await call("POST", "/v1/api-keys", f.keys.admin, { role: "pos", label: "till" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { details: { path: string }[] } }>().error.details).toEqual([
      expect.objectContaining({ path: "/storeId" }),
    ]);
    expect((await call("POST", "/v1/api-keys", f.keys.admin, { role: "app", label: "x" })).statusCode).toBe(400);
    expect(
      (await call("POST", "/v1/api-keys", f.keys.admin, { role: "marketer", label: "x", userId: "u1" })).statusCode,
    ).toBe(400);
    expect(
      (await call("POST", "/v1/api-keys", f.keys.admin, { role: "pos", label: "x", storeId: "s3" })).statusCode,
    ).toBe(404);
    expect((await call("POST", "/v1/api-keys", f.keys.marketer, { role: "admin", label: "x" })).statusCode).toBe(403);

    const res = await call("POST", "/v1/api-keys", f.keys.admin, { role: "app", userId: "u1", label: "u1's phone" });
    expect(res.statusCode).toBe(201);
    const key = res.json<{ id: string; key: string; role: string; userId: string }>();
    expect(key).toMatchObject({ role: "app", userId: "u1", storeId: null });
    const read = () => f.cloud.http.inject({ method: "GET", url: "/v1/users/u1/offers", headers: bearer(key.key) });
    expect((await read()).statusCode).toBe(200);
    expect((await call("DELETE", `/v1/api-keys/${key.id}`, f.keys.admin)).json()).toEqual({ id: key.id, revoked: true });
    expect((await read()).statusCode).toBe(401);
    expect((await call("DELETE", `/v1/api-keys/${key.id}`, f.keys.admin)).json()).toEqual({
      id: key.id,
      revoked: false,
    });
  });

  it("hides other organisations' API keys", async () => {
    const other = await f.cloud.credentials.issueApiKey({ role: "admin", orgId: "o2", label: "o2 admin" }, "test");
    expect((await call("DELETE", `/v1/api-keys/${other.id}`, f.keys.admin)).statusCode).toBe(404);
  });

  it("records every issue and revoke in the audit log, with the key that did it and no secret", async () => {
    const rows = await f.cloud.repositories.db.all<{ actor: string; action: string; target: string; detail: string }>(
      "SELECT actor, action, target, detail FROM audit_log WHERE actor LIKE 'api-key:%' ORDER BY id",
    );
    const actions = rows.map((r) => `${r.action} ${r.target}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "mqtt-credential.issue gw.s1.g1",
        "mqtt-credential.revoke gw.s1.g1",
        "mqtt-credential.issue app.u1",
        "mqtt-credential.revoke app.u1",
        "mqtt-credential.issue store.s1.counter-1",
        "mqtt-credential.issue store.s1.pos-2",
        "mqtt-credential.revoke store.s1.pos-2",
      ]),
    );
    expect(actions.filter((a) => a.startsWith("api-key.issue")).length).toBeGreaterThanOrEqual(2);
    expect(actions.filter((a) => a.startsWith("api-key.revoke")).length).toBe(1);
    expect(rows.every((r) => /^api-key:[A-Za-z0-9_-]+$/.test(r.actor))).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/[A-Za-z0-9_-]{43}/); // no password or key secret
  });
});

describe.skipIf(!MOSQUITTO_AVAILABLE)(
  `credential routes (external mosquitto)${MOSQUITTO_AVAILABLE ? "" : ` (skipped: ${MOSQUITTO_SKIP_REASON})`}`,
  () => {
    let broker: MosquittoInstance;
    let f: CloudFixture;

    beforeAll(async () => {
      broker = await startMosquitto();
      const { mqtt: config } = await externalMqttConfig(broker);
      f = await createCloudFixture({ mqtt: config });
    });
    afterAll(async () => {
      await f?.close();
      await broker?.stop();
    });

    const call = (method: "POST" | "DELETE", path: string) =>
      f.cloud.http.inject({ method, url: path, headers: bearer(f.keys.admin) });

    it("issues a gateway credential that works on mosquitto, and revokes it there", async () => {
      const res = await call("POST", "/v1/gateways/g1/credentials");
      expect(res.statusCode).toBe(201);
      const issued = res.json<Issued>();
      const client = await connectAs(broker.url, issued);
      const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
      expect((await call("DELETE", "/v1/gateways/g1/credentials")).json()).toEqual({
        username: "gw.s1.g1",
        revoked: true,
      });
      await closed;
      client.end(true);
      await expect(connectAs(broker.url, issued)).rejects.toThrow();
    });

    it("issues a store device's credential that reads its store's pick-ups on mosquitto, and revokes it there", async () => {
      const res = await call("POST", "/v1/stores/s1/devices/counter-1/credentials");
      expect(res.statusCode).toBe(201);
      const issued = res.json<Issued>();
      const counter = await connectAs(broker.url, issued);
      expect(await grant(counter, storeTopic("s1", "pickups"))).toBe(1);
      expect(await grant(counter, storeTopic("s2", "pickups"))).toBe(128);
      const closed = new Promise<void>((resolve) => counter.once("close", () => resolve()));
      expect((await call("DELETE", "/v1/stores/s1/devices/counter-1/credentials")).json()).toEqual({
        username: "store.s1.counter-1",
        revoked: true,
      });
      await closed;
      counter.end(true);
      await expect(connectAs(broker.url, issued)).rejects.toThrow();
    });

    it("answers 503 BROKER_UNAVAILABLE and records nothing when mosquitto is down", async () => {
      await broker.stop();
      const res = await call("POST", "/v1/users/u2/credentials");
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: "BROKER_UNAVAILABLE" } });
      expect(await f.cloud.repositories.credentials.getMqttCredential("app.u2")).toBeNull();
    });
  },
);
