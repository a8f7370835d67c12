/**
 * `arrival-gateway health`: what install-release.sh runs after switching to a new release. The
 * verdict is a pure function of the gateway's health file; the end-to-end case runs the real
 * gateway composition against a real cloud broker and the real command in its own process.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthSnapshot } from "../../gateway/src/adapters/system/HealthFile.js";
import { HealthFile } from "../../gateway/src/adapters/system/HealthFile.js";
import { judgeHealth } from "../../gateway/src/cli/health.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { RecordingLogger } from "../support/RecordingLogger.js";
import { ManualScheduler } from "../support/ManualScheduler.js";
import { silentSource, startUplinkGateway, uplinkGatewayConfig, uplinkGatewayDocument } from "../support/uplinkGateway.js";
import { until } from "../support/until.js";

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

const NOW = 1_800_000_000_000;
const healthy: HealthSnapshot = {
  v: 1,
  pid: 4242,
  version: "0.2.0",
  packageDir: "/opt/arrival-gateway/releases/0.2.0-abc",
  at: NOW - 4000,
  startedAt: NOW - 60_000,
  connected: true,
  scan: { state: "scanning", lastAdvertAgeS: 1 },
};
const expectation = {
  now: NOW,
  maxAgeMs: 30_000,
  packageDir: "/opt/arrival-gateway/releases/0.2.0-abc",
  processExists: (pid: number) => pid === 4242,
};

describe("judgeHealth", () => {
  it.each<[string, HealthSnapshot | null, RegExp]>([
    ["no file", null, /no health file/],
    ["a dead process", { ...healthy, pid: 7 }, /pid 7\) is not running/],
    ["the old release still running", { ...healthy, packageDir: "/opt/arrival-gateway/releases/0.1.0-def", version: "0.1.0" }, /running gateway is .*0\.1\.0-def/],
    ["a hung gateway", { ...healthy, at: NOW - 31_000 }, /31 s old: the gateway is hung/],
    ["not connected", { ...healthy, connected: false }, /not connected to the broker/],
    ["radio interrupted", { ...healthy, scan: { state: "interrupted", lastAdvertAgeS: 200 } }, /radio is interrupted/],
  ])("is not healthy with %s", (_name, snapshot, reason) => {
    const verdict = judgeHealth(snapshot, expectation);
    expect(verdict.healthy).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });

  it("is healthy when this release runs, fresh, connected and scanning", () => {
    expect(judgeHealth(healthy, expectation)).toEqual({ healthy: true, reason: "healthy: 0.2.0, connected and scanning (pid 4242)" });
  });
});

describe("arrival-gateway health against a running gateway", () => {
  let f: CloudFixture;
  let dir: string;
  let gateway: Gateway | undefined;
  let configPath: string;

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    dir = await mkdtemp(join(tmpdir(), "arrival-health-"));
  });
  afterAll(async () => {
    await gateway?.stop();
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const healthCommand = () =>
    execFileAsync(process.execPath, ["--import", "tsx", join(ROOT, "gateway", "src", "main.ts"), "health", "--config", configPath], { cwd: ROOT }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );

  it("is not healthy before the gateway ran, and healthy once it is connected and scanning", async () => {
    const login = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
    const options = { dataDir: join(dir, "data"), url: `mqtt://127.0.0.1:${f.cloud.mqttPort()}`, username: login.username, password: login.password };
    configPath = join(dir, "gateway.json");
    await writeFile(configPath, JSON.stringify(uplinkGatewayDocument(options)));

    const before = await healthCommand();
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/no health file/);

    // What install-release.sh left after switching back from a broken release: the gateway reports it.
    const report = { outcome: "rolled-back", from: "0.1.0-aaaaaaaaaaaa", to: "0.2.0-bbbbbbbbbbbb", reason: "0.2.0-bbbbbbbbbbbb not healthy within 120 s", at: "2026-03-02T09:00:00.000Z" };
    await mkdir(options.dataDir, { recursive: true });
    await writeFile(join(options.dataDir, "update-report.json"), `${JSON.stringify(report)}\n`);
    gateway = await startUplinkGateway(options, new RecordingLogger());
    const file = new HealthFile(join(options.dataDir, "health.json"));
    await until(async () => (await file.read())?.connected === true, 15_000, "the gateway to report itself connected");
    const snapshot = await file.read();
    expect(snapshot).toMatchObject({ pid: process.pid, scan: { state: "scanning" }, packageDir: ROOT });
    expect(JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"))).toMatchObject({ version: snapshot?.version });

    // The fleet view says which update failed and why, from the gateway's retained status.
    await until(async () => (await f.cloud.fleet.get("g1"))?.update?.outcome === "rolled-back", 15_000, "the update report in the fleet view");
    expect((await f.cloud.fleet.get("g1"))?.update).toEqual(report);

    const after = await healthCommand();
    expect(after.stdout).toMatch(/^healthy: /);
    expect(after.code).toBe(0);

    // install-release.sh writes an update's outcome only after the restarted gateway proved
    // healthy: the running gateway picks it up and reports it (the rollout's health gate needs it).
    const updated = { outcome: "updated", from: "0.1.0-aaaaaaaaaaaa", to: "0.2.1-cccccccccccc", reason: null, at: "2026-03-02T10:00:00.000Z" };
    await writeFile(join(options.dataDir, "update-report.json"), `${JSON.stringify(updated)}\n`);
    await until(async () => (await f.cloud.fleet.get("g1"))?.update?.outcome === "updated", 20_000, "the new update report in the fleet view");
    expect((await f.cloud.fleet.get("g1"))?.update).toEqual(updated);
  });

  it("rewrites the health file as the link comes up, not only on its five-second timer", async () => {
    const login = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g2" }, "test");
    const options = { dataDir: join(dir, "data-g2"), url: `mqtt://127.0.0.1:${f.cloud.mqttPort()}`, username: login.username, password: login.password };
    // Timers that never fire: only the start and the link's own changes can write the file.
    const clock = { now: () => Date.now(), set: () => undefined };
    const scheduler = new ManualScheduler(clock);
    const config = { ...uplinkGatewayConfig(options), gatewayId: "g2" };
    const quiet = await createGateway(config, { source: silentSource, log: new RecordingLogger(), clock, scheduler });
    try {
      await quiet.start();
      const file = new HealthFile(join(options.dataDir, "health.json"));
      await until(async () => (await file.read())?.connected === true, 15_000, "the file to say connected without a timer");
    } finally {
      await quiet.stop();
    }
  });
});
