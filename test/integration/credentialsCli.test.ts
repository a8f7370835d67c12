import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type Cloud, createCloud } from "../../cloud/src/createCloud.js";
import { ManualClock } from "../cloud/manualClock.js";
import { ManualScheduler } from "../support/ManualScheduler.js";
import {
  externalMqttConfig,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  startMosquitto,
} from "../support/mosquitto.js";
import { storeTopic } from "../../protocol/index.js";
import { connectAs, grant } from "./brokerContract.js";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { type CliResult, cloudCliInProcess } from "../support/cloudCliInProcess.js";

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

/** The environment without the caller's ARRIVAL_* settings. */
function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ARRIVAL_")));
}

/** Runs `arrival-cloud` in this process (see cloudCliInProcess). */
const cli = (args: readonly string[]): Promise<CliResult> => cloudCliInProcess(args, cleanEnv());

/** Runs `arrival-cloud` as an operator would, in its own process through tsx (main.ts itself). */
async function cliProcess(args: readonly string[]): Promise<CliResult> {
  const env = cleanEnv();
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ["--import", "tsx", "cloud/src/main.ts", ...args],
      { cwd: ROOT, env, timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function seed(cloud: Cloud): Promise<void> {
  const repo = cloud.repositories;
  const now = Date.now();
  await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, now);
  await repo.directory.upsertStore(
    { id: "s1", orgId: "o1", name: "s1", timezone: "Asia/Hong_Kong", lat: null, lon: null, tags: [] },
    now,
  );
  await repo.directory.upsertGateway({ id: "g1", storeId: "s1", name: "Gateway" }, now);
}

/** A cloud on fake time: its sweeps run when the test advances `scheduler`. */
async function startCloud(dataDir: string, mqtt: Record<string, unknown>, scheduler: ManualScheduler, clock: ManualClock): Promise<Cloud> {
  const parsed = parseCloudConfig({ dataDir, http: { port: 0 }, mqtt, log: { level: "silent" } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const log = createLogger({ level: "silent", format: "json", name: "test" });
  const cloud = await createCloud(parsed.config, { log, clock, scheduler });
  await seed(cloud);
  await cloud.start();
  return cloud;
}

/**
 * `arrival-cloud credentials …` and `api-keys …` on the data directory of a cloud that is running
 * at the same time, as an operator on the host would use them.
 */
describe("credentials CLI (embedded broker)", () => {
  let dir: string;
  let cloud: Cloud;
  // Starts at the real time: the command records revocations on the system clock.
  const clock = new ManualClock(Date.now());
  const scheduler = new ManualScheduler(clock);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-cli-"));
  });
  afterAll(async () => {
    await cloud?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // The one run through main.ts in a real process: arguments, streams and exit code as an operator sees them.
  it("issues a gateway credential before the cloud knows the gateway, and the cloud accepts it", async () => {
    const result = await cliProcess(["credentials", "issue-gateway", "--store", "s1", "--gateway", "g1", "--data-dir", dir, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/not registered/);
    const issued = JSON.parse(result.stdout) as { username: string; password: string; clientId: string };
    expect(issued).toMatchObject({ username: "gw.s1.g1", clientId: "gw.s1.g1" });
    expect(result.stderr).not.toContain(issued.password);

    cloud = await startCloud(dir, { mode: "embedded", port: 0 }, scheduler, clock);
    const client = await connectAs(`mqtt://127.0.0.1:${cloud.mqttPort()}`, issued);
    client.end(true);
  });

  it("prints a human-readable secret on stdout only, and revokes it on a running cloud within seconds", async () => {
    const issuedRun = await cli(["credentials", "issue-gateway", "--store", "s1", "--gateway", "g1", "--data-dir", dir]);
    expect(issuedRun.code, issuedRun.stderr).toBe(0);
    const password = /password:\s+(\S+)/.exec(issuedRun.stdout)?.[1] ?? "";
    expect(issuedRun.stdout).toMatch(/username:\s+gw\.s1\.g1/);
    expect(issuedRun.stderr).not.toContain(password);
    const login = { username: "gw.s1.g1", password };
    const client = await connectAs(`mqtt://127.0.0.1:${cloud.mqttPort()}`, login);
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));

    const revoked = await cli(["credentials", "revoke", "gw.s1.g1", "--data-dir", dir]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toMatch(/Revoked gw\.s1\.g1/);
    // Another process revoked it: the running cloud's next sweep (every 2 s) disconnects it.
    clock.set(Math.max(clock.now(), Date.now()));
    await scheduler.advance(2000);
    await closed;
    client.end(true);
    await expect(connectAs(`mqtt://127.0.0.1:${cloud.mqttPort()}`, login)).rejects.toThrow();
  });

  it("issues a store device's credential that reads its store's pick-ups on the running cloud, and revokes it", async () => {
    const issued = await cli(["credentials", "issue-store-device", "--store", "s1", "--device", "counter-1", "--data-dir", dir, "--json"]);
    expect(issued.code, issued.stderr).toBe(0);
    const login = JSON.parse(issued.stdout) as { username: string; password: string; clientId: string };
    expect(login).toMatchObject({ username: "store.s1.counter-1", clientId: "store.s1.counter-1" });
    expect(issued.stderr).not.toContain(login.password);
    const client = await connectAs(`mqtt://127.0.0.1:${cloud.mqttPort()}`, login);
    try {
      expect(await grant(client, storeTopic("s1", "pickups"))).toBe(1);
      expect(await grant(client, storeTopic("s2", "pickups"))).toBe(128);
    } finally {
      client.end(true);
    }
    const revoked = await cli(["credentials", "revoke", login.username, "--data-dir", dir]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await cloud.repositories.credentials.getMqttCredential(login.username))?.revokedAt).not.toBeNull();
    // A store this cloud does not know is issued with a warning, as a gateway is.
    const unknown = await cli(["credentials", "issue-store-device", "--store", "s9", "--device", "counter-1", "--data-dir", dir, "--json"]);
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(unknown.stderr).toMatch(/store s9 is not registered/);
  });

  it("issues and revokes API keys, checking the organisation, store and user", async () => {
    const issued = await cli(["api-keys", "issue", "--role", "pos", "--org", "o1", "--store", "s1", "--data-dir", dir, "--json"]);
    expect(issued.code, issued.stderr).toBe(0);
    const key = JSON.parse(issued.stdout) as { id: string; key: string; role: string; storeId: string };
    expect(key).toMatchObject({ role: "pos", storeId: "s1" });
    expect(await cloud.credentials.verifyApiKey(key.key)).toMatchObject({ role: "pos", orgId: "o1", storeId: "s1" });

    const revoked = await cli(["api-keys", "revoke", key.id, "--data-dir", dir]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await cloud.repositories.credentials.getApiKey(key.id))?.revokedAt).not.toBeNull();

    const audit = await cloud.repositories.db.all<{ actor: string; action: string }>(
      "SELECT actor, action FROM audit_log WHERE actor LIKE 'cli:%' ORDER BY id",
    );
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set(["mqtt-credential.issue", "mqtt-credential.revoke", "api-key.issue", "api-key.revoke"]),
    );
    expect(audit.every((a) => a.actor === `cli:${userInfo().username}`)).toBe(true);
  });

  it.each([
    [["api-keys", "issue", "--role", "pos", "--org", "o1"], 2, /needs --store/],
    [["api-keys", "issue", "--role", "boss", "--org", "o1"], 2, /--role must be one of/],
    [["api-keys", "issue", "--role", "admin", "--org", "nobody"], 1, /no organisation nobody/],
    [["api-keys", "issue", "--role", "app", "--org", "o1", "--user", "ghost"], 1, /no user ghost/],
    [["credentials", "issue-gateway", "--store", "s/1", "--gateway", "g1"], 2, /not a valid id/],
    [["credentials", "issue-gateway", "--store", "s2", "--gateway", "g1"], 1, /belongs to store s1/],
    [["credentials", "issue-store-device", "--store", "s1"], 2, /--device is required/],
    [["credentials", "issue-store-device", "--store", "s1", "--device", "till.1"], 2, /not a valid id/],
    [["credentials", "revoke", "admin"], 1, /no MQTT credential named admin/],
    [["credentials", "frobnicate"], 2, /unknown command frobnicate/],
  ] as const)("refuses %j with exit %i", async (args, code, message) => {
    const result = await cli([...args, "--data-dir", dir]);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });
});

describe.skipIf(!MOSQUITTO_AVAILABLE)(
  `credentials CLI (external mosquitto)${MOSQUITTO_AVAILABLE ? "" : ` (skipped: ${MOSQUITTO_SKIP_REASON})`}`,
  () => {
    let broker: MosquittoInstance;
    let dir: string;
    let configFile: string;

    beforeAll(async () => {
      broker = await startMosquitto();
      dir = await mkdtemp(join(tmpdir(), "arrival-cli-ext-"));
      const { mqtt } = await externalMqttConfig(broker);
      configFile = join(dir, "cloud.json");
      await writeFile(configFile, JSON.stringify({ dataDir: join(dir, "data"), mqtt }));
    });
    afterAll(async () => {
      await broker?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it("provisions an app user on mosquitto and revokes it there, cutting the live client", async () => {
      const issued = await cli(["credentials", "issue-app", "--user", "u5", "--config", configFile, "--json"]);
      expect(issued.code, issued.stderr).toBe(0);
      const login = JSON.parse(issued.stdout) as { username: string; password: string };
      const client = await connectAs(broker.url, login);
      const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
      const revoked = await cli(["credentials", "revoke", login.username, "--config", configFile]);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(revoked.stderr).toMatch(/disconnected it at the broker/);
      await closed;
      client.end(true);
      await expect(connectAs(broker.url, login)).rejects.toThrow();
    });

    it("exits 1 with the broker's code when mosquitto cannot be reached", async () => {
      const unreachable = join(dir, "unreachable.json");
      const { mqtt } = await externalMqttConfig(broker, "cli2");
      await writeFile(
        unreachable,
        JSON.stringify({ dataDir: join(dir, "data"), mqtt: { ...mqtt, url: "mqtt://127.0.0.1:1" } }),
      );
      const result = await cli(["credentials", "issue-gateway", "--store", "s1", "--gateway", "g1", "--config", unreachable]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/BROKER_UNAVAILABLE/);
      expect(result.stdout).toBe("");
    });
  },
);
