/**
 * docs/deploy.md "A cloud from nothing", as an operator follows it: `arrival-cloud init` on an
 * empty data directory (in-process, as main.ts runs it), then the running cloud's HTTP API with
 * the keys it printed: the first admin works, the operator creates, lists, suspends and reinstates
 * organisations, and a suspended organisation's keys stop working.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type Cloud, createCloud } from "../../cloud/src/createCloud.js";
import { systemClock } from "../../cloud/src/services/ports.js";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { type CliResult, cloudCliInProcess } from "../support/cloudCliInProcess.js";

/** Runs `arrival-cloud` in this process (see cloudCliInProcess). */
const cli = (args: readonly string[]): Promise<CliResult> => cloudCliInProcess(args);

interface InitAnswer {
  operatorKey: { id: string; key: string } | null;
  organisation: { id: string; name: string; suspendedAt: number | null } | null;
  adminKey: { id: string; key: string } | null;
}

describe("a cloud from nothing", () => {
  let dataDir: string;
  let cloud: Cloud | undefined;
  let first: InitAnswer;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "arrival-from-nothing-"));
  });
  afterAll(async () => {
    await cloud?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function call(method: "GET" | "POST", url: string, key: string | null, body?: unknown) {
    if (!cloud) throw new Error("the cloud is not running");
    const res = await cloud.http.inject({
      method,
      url,
      headers: {
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown> & { error?: { code: string } }>() };
  }

  it("init refuses to run without --org and changes nothing", async () => {
    const result = await cli(["init", "--data-dir", dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--org is required");
    expect(result.stdout).toBe("");
  });

  it("init issues the operator key and creates the first organisation with its admin key, once", async () => {
    const result = await cli(["init", "--data-dir", dataDir, "--org", "acme", "--name", "Acme Retail", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    first = JSON.parse(result.stdout) as InitAnswer;
    expect(first.operatorKey?.key).toMatch(/^op_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(first.adminKey?.key).toMatch(/^ak_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(first.organisation).toMatchObject({ id: "acme", name: "Acme Retail", suspendedAt: null });

    // Idempotent: a second run issues nothing, prints no secret and still succeeds.
    const again = await cli(["init", "--data-dir", dataDir, "--org", "acme"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe("");
    expect(again.stderr).toContain("this cloud is initialised");
  });

  it("serves the keys init printed: the admin inside its organisation, the operator above it", async () => {
    const parsed = parseCloudConfig({ dataDir, http: { port: 0 }, mqtt: { mode: "embedded", port: 0 }, log: { level: "silent" } });
    if (!parsed.ok) throw new Error("bad test config");
    cloud = await createCloud(parsed.config, {
      log: createLogger({ level: "silent", format: "json", name: "test" }),
      clock: systemClock,
    });
    await cloud.start();
    const admin = first.adminKey?.key ?? "";
    const operator = first.operatorKey?.key ?? "";

    // The admin creates the first store of its organisation through the ordinary API.
    const store = await call("POST", "/v1/stores", admin, { id: "acme-central", name: "Central", timezone: "Europe/London" });
    expect(store.status, JSON.stringify(store.body)).toBe(201);
    // The operator key is not an organisation's key, and an admin key is not the operator's.
    expect((await call("GET", "/v1/stores", operator)).status).toBe(403);
    expect((await call("GET", "/v1/operator/organisations", admin)).status).toBe(403);
    expect((await call("GET", "/v1/operator/organisations", null)).status).toBe(401);

    const created = await call("POST", "/v1/operator/organisations", operator, { id: "globex", name: "Globex" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const globexAdmin = (created.body.adminKey as { key: string }).key;
    expect((await call("GET", "/v1/stores", globexAdmin)).body).toEqual({ stores: [] });
    const taken = await call("POST", "/v1/operator/organisations", operator, { id: "globex", name: "Again" });
    expect(taken.status).toBe(409);

    const listed = await call("GET", "/v1/operator/organisations", operator);
    expect((listed.body as unknown as { id: string }[]).map((o) => o.id)).toEqual(["acme", "globex"]);
  });

  it("a suspended organisation's keys stop working at once, and work again when reinstated", async () => {
    const operator = first.operatorKey?.key ?? "";
    const admin = first.adminKey?.key ?? "";
    expect((await call("GET", "/v1/stores", admin)).status).toBe(200);
    const suspended = await call("POST", "/v1/operator/organisations/acme/suspend", operator);
    expect(suspended.status).toBe(200);
    expect(suspended.body.suspendedAt).toEqual(expect.any(Number));
    // The key was verified (and cached) a moment ago; suspension still refuses it.
    const refused = await call("GET", "/v1/stores", admin);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe("UNAUTHORIZED");

    const reinstated = await call("POST", "/v1/operator/organisations/acme/reinstate", operator);
    expect(reinstated.body.suspendedAt).toBeNull();
    expect((await call("GET", "/v1/stores", admin)).status).toBe(200);
    expect((await call("POST", "/v1/operator/organisations/nobody/suspend", operator)).status).toBe(404);
  });
});
