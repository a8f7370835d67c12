/**
 * A fleet software update from end to end, with a deliberately broken release, through the real
 * pieces: the cloud's staged rollout API and release downloads, a real gateway process (`run` of
 * the gateway's own main, on the simulated radio, connected to the cloud's embedded broker), its
 * SoftwareUpdater downloading the release with its MQTT login and asking for it, and
 * firmware-config/install-release.sh `take-request` doing what arrival-gateway-update.service does
 * as root: verify the signature, install beside the running release, switch, restart, wait for
 * `arrival-gateway health`, and switch back by itself when the release is not healthy. The
 * restarted gateway then reports the rollback in its status, the fleet view shows it and the
 * rollout halts.
 *
 * What stands in, and why: systemd is a small restart script (stop the running gateway with
 * SIGTERM, start `current` again), `/opt` is a temp prefix, and the release packs the gateway's
 * TypeScript sources with a two-line entry that runs them through tsx instead of a `tsc` build (a
 * full build takes minutes on a shared machine and is covered by `npm run release` itself).
 * `npm ci` is replaced by a link to this checkout's node_modules through install-release.sh's
 * `NPM` variable, because installing from the registry needs the network; release.test.ts runs
 * the real `npm ci` on a release without dependencies.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, copyFile, cp, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRelease, generateReleaseKeys, type ReleaseFiles } from "../../scripts/tools/releaseArtifacts.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { uplinkGatewayDocument } from "../support/uplinkGateway.js";
import { until } from "../support/until.js";

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const SCRIPT = join(ROOT, "firmware-config", "install-release.sh");
const ENTRY = join("dist", "gateway", "src", "main.js");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Plan {
  readonly phase: string;
  readonly done: string[];
  readonly failed: string[];
}

describe("a fleet update with a broken release: update, health gate, automatic rollback, reported", () => {
  let f: CloudFixture;
  let dir: string;
  let prefix: string;
  let keys: { privateKey: string; publicKey: string };
  let config: string;
  let dataDir: string;
  let restart: string;
  let gatewayLog: string;
  let pidFile: string;
  let fakeNpm: string;
  let builds = 0;

  const nameOf = (r: ReleaseFiles): string => `${r.version}-${r.sha256.slice(0, 12)}`;
  const current = async (): Promise<string> => basename(await readlink(join(prefix, "current")));

  /** A release of the real gateway; `broken` makes its entry fail before anything runs. */
  async function release(version: string, broken = false): Promise<ReleaseFiles> {
    const app = join(dir, `app-${++builds}`);
    await mkdir(join(app, "dist", "gateway", "src"), { recursive: true });
    for (const part of ["gateway", "protocol", "firmware-config"]) await cp(join(ROOT, part), join(app, part), { recursive: true });
    await copyFile(join(ROOT, "tsconfig.json"), join(app, "tsconfig.json"));
    await writeFile(
      join(app, "package.json"),
      `${JSON.stringify({ name: "arrival", version, type: "module", files: ["dist", "gateway", "protocol", "firmware-config", "tsconfig.json"] }, null, 2)}\n`,
    );
    await writeFile(
      join(app, "package-lock.json"),
      JSON.stringify({ name: "arrival", version, lockfileVersion: 3, requires: true, packages: { "": { name: "arrival", version } } }),
    );
    await writeFile(
      join(app, ENTRY),
      broken
        ? `// build ${builds}: broken on purpose\nthrow new Error("this build is broken");\n`
        : `// build ${builds}\nimport { register } from "tsx/esm/api";\nregister();\nawait import("../../../gateway/src/main.ts");\n`,
    );
    return buildRelease({ appDir: app, outDir: join(dir, `out-${builds}`), privateKeyPem: await readFile(keys.privateKey, "utf8") });
  }

  /** Puts a release where the cloud serves it (GET /v1/releases/{file}). */
  async function publish(r: ReleaseFiles): Promise<string> {
    const releases = join(f.dataDir, "releases");
    await mkdir(releases, { recursive: true });
    for (const file of [r.tarball, r.checksum, r.signature ?? ""]) await copyFile(file, join(releases, basename(file)));
    return `http://127.0.0.1:${f.cloud.httpPort()}/v1/releases/${basename(r.tarball)}`;
  }

  const installRelease = (args: readonly string[]): Promise<Run> =>
    execFileAsync("bash", [SCRIPT, ...args], {
      env: { ...process.env, NPM: fakeNpm, ARRIVAL_VERIFY_WITH: "node" },
      timeout: 300_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  /** `arrival-gateway health` of the current release, as install-release.sh's default runs it. */
  const healthCommand = (): string => `node ${join(prefix, "current", ENTRY)} health --config ${config}`;

  /** What arrival-gateway-update.service runs once the gateway has asked for an update. */
  const takeRequest = (healthTimeoutS: number): Promise<Run> =>
    installRelease([
      "take-request", join(dataDir, "updates"),
      "--prefix", prefix,
      "--public-key", keys.publicKey,
      "--restart", `bash ${restart}`,
      "--health", healthCommand(),
      "--health-timeout", String(healthTimeoutS),
      "--report", join(dataDir, "update-report.json"),
    ]);

  const admin = (method: "GET" | "PUT", url: string, payload?: Record<string, unknown>) =>
    f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${f.keys.admin}` }, ...(payload ? { payload } : {}) });
  const plan = async (): Promise<Plan> => (await admin("GET", "/v1/stores/s1/rollout")).json<{ plan: Plan }>().plan;
  const rollOut = async (r: ReleaseFiles): Promise<void> => {
    const url = await publish(r);
    const started = await admin("PUT", "/v1/stores/s1/rollout", { release: nameOf(r), url, sha256: r.sha256, canaryShare: 1, healthGateS: 0 });
    expect(started.statusCode, started.body).toBe(200);
  };
  const requested = (): boolean => existsSync(join(dataDir, "updates", "request"));
  const gatewayOutput = async (): Promise<string> => (await readFile(gatewayLog, "utf8").catch(() => "")).slice(-4000);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-fleet-update-"));
    prefix = join(dir, "opt");
    dataDir = join(dir, "var");
    config = join(dir, "gateway.json");
    restart = join(dir, "restart.sh");
    gatewayLog = join(dir, "gateway.log");
    pidFile = join(dir, "gateway.pid");
    fakeNpm = join(dir, "npm");
    keys = await generateReleaseKeys(join(dir, "keys"));
    f = await createCloudFixture({ seedRule: false });
    const login = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
    await writeFile(
      config,
      JSON.stringify(uplinkGatewayDocument({ dataDir, url: `mqtt://127.0.0.1:${f.cloud.mqttPort()}`, username: login.username, password: login.password })),
    );
    // `npm ci --omit=dev …` in the release directory: this checkout's dependencies, linked.
    await writeFile(fakeNpm, `#!/usr/bin/env bash\nset -e\n[ "$1" = ci ]\nln -s ${JSON.stringify(join(ROOT, "node_modules"))} node_modules\n`);
    await chmod(fakeNpm, 0o755);
    // systemd's part: stop the running gateway (SIGTERM, as `systemctl restart` does), start `current`.
    await writeFile(
      restart,
      [
        "set -u",
        `pidfile=${JSON.stringify(pidFile)}`,
        'if [ -f "$pidfile" ]; then',
        '  pid="$(cat "$pidfile")"',
        '  kill -TERM "$pid" 2>/dev/null || true',
        '  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done',
        '  kill -KILL "$pid" 2>/dev/null || true',
        "fi",
        `setsid node ${JSON.stringify(join(prefix, "current", ENTRY))} run --config ${JSON.stringify(config)} >>${JSON.stringify(gatewayLog)} 2>&1 </dev/null &`,
        'echo "$!" >"$pidfile"',
        "",
      ].join("\n"),
    );
  });

  afterAll(async () => {
    const pid = Number(await readFile(pidFile, "utf8").catch(() => "0"));
    if (pid > 0) {
      try {
        process.kill(pid, "SIGTERM");
        await until(() => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        }, 30_000, "the gateway to stop");
      } catch {
        // Gone already.
      }
    }
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs the first release as provision.sh leaves it", { timeout: 240_000 }, async () => {
    const first = await release("9.0.0");
    const installed = await installRelease(["install", first.tarball, "--prefix", prefix, "--public-key", keys.publicKey]);
    expect(installed.code, installed.stderr).toBe(0);
    expect((await installRelease(["switch", nameOf(first), "--prefix", prefix])).code).toBe(0);
    await execFileAsync("bash", [restart]);
    await until(async () => (await f.cloud.fleet.get("g1"))?.state === "online", 120_000, "the gateway online in the fleet view").catch(
      async (err: Error) => {
        throw new Error(`${err.message}\n${await gatewayOutput()}`);
      },
    );
    const health = await execFileAsync("bash", ["-c", healthCommand()]).then(
      () => ({ code: 0, output: "" }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, output: `${err.stdout}${err.stderr}` }),
    );
    expect(health.code, health.output).toBe(0);
  });

  it("updates to a healthy release the rollout assigns, and the health gate lets it through", { timeout: 300_000 }, async () => {
    const good = await release("9.1.0");
    await rollOut(good);
    await until(requested, 60_000, "the gateway to download the release and ask for it");
    const taken = await takeRequest(120);
    expect(taken.code, `${taken.stderr}\n${await gatewayOutput()}`).toBe(0);
    expect(JSON.parse(await readFile(join(dataDir, "update-report.json"), "utf8"))).toMatchObject({ outcome: "updated", to: nameOf(good) });
    expect(await current()).toBe(nameOf(good));
    // The restarted gateway reports the update in its status; the rollout counts it done.
    await until(async () => (await plan()).done.includes("g1"), 120_000, "the rollout to count g1 done");
    expect((await f.cloud.fleet.get("g1"))?.update).toMatchObject({ outcome: "updated", to: nameOf(good) });
  });

  it("switches back from a broken release by itself, and the fleet view and rollout say why", { timeout: 300_000 }, async () => {
    const good = await current();
    const broken = await release("9.2.0", true);
    await rollOut(broken);
    await until(requested, 60_000, "the gateway to download the broken release and ask for it");
    const taken = await takeRequest(15);
    expect(taken.code).toBe(1);
    const report = JSON.parse(await readFile(join(dataDir, "update-report.json"), "utf8")) as Record<string, unknown>;
    expect(report).toMatchObject({ outcome: "rolled-back", from: good, to: nameOf(broken), reason: `${nameOf(broken)} not healthy within 15 s` });
    expect(await current()).toBe(good);

    // The gateway is back on the good release, and says what happened.
    await until(async () => (await f.cloud.fleet.get("g1"))?.update?.outcome === "rolled-back", 120_000, "the rollback in the fleet view").catch(
      async (err: Error) => {
        throw new Error(`${err.message}\n${await gatewayOutput()}`);
      },
    );
    expect((await f.cloud.fleet.get("g1"))?.update).toMatchObject({ outcome: "rolled-back", from: good, to: nameOf(broken) });
    await until(async () => (await plan()).phase === "halted", 30_000, "the rollout to halt");
    expect((await plan()).failed).toContain("g1");
    await until(
      () => execFileAsync("bash", ["-c", healthCommand()]).then(() => true, () => false),
      120_000,
      "the good release healthy again",
    );
    // It does not ask for the broken release again.
    expect(requested()).toBe(false);
  });
});
