/**
 * A release from the operator's desk to a gateway, through the cloud: `arrival-cloud releases add`
 * (in-process, as main.ts runs it) checks the signature and stores it; a rollout names it; the
 * gateway downloads it from the cloud's HTTP API with its own MQTT login and hands it to the root
 * updater (install-release.sh take-request, the real script), which switches to it.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpUpdateInbox } from "../../gateway/src/adapters/http/HttpUpdateInbox.js";
import { buildRelease, generateReleaseKeys, type ReleaseFiles } from "../../scripts/tools/releaseArtifacts.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { type CliResult, cloudCliInProcess } from "../support/cloudCliInProcess.js";

const execFileAsync = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "..", "..", "firmware-config", "install-release.sh");

/** Runs `arrival-cloud` in this process (see cloudCliInProcess). */
const cli = (args: readonly string[]): Promise<CliResult> => cloudCliInProcess(args);

describe("releases served by the cloud", () => {
  let f: CloudFixture;
  let dir: string;
  let keys: { privateKey: string; publicKey: string };
  let other: { privateKey: string; publicKey: string };
  let release: ReleaseFiles;

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    dir = await mkdtemp(join(tmpdir(), "arrival-served-"));
    keys = await generateReleaseKeys(join(dir, "keys"));
    other = await generateReleaseKeys(join(dir, "other"));
    const app = join(dir, "app");
    await mkdir(join(app, "dist", "gateway", "src"), { recursive: true });
    await writeFile(join(app, "package.json"), JSON.stringify({ name: "arrival", version: "6.0.0", files: ["dist"] }));
    await writeFile(
      join(app, "package-lock.json"),
      JSON.stringify({ name: "arrival", version: "6.0.0", lockfileVersion: 3, packages: { "": { name: "arrival", version: "6.0.0" } } }),
    );
    await writeFile(join(app, "dist", "gateway", "src", "main.js"), 'if (process.argv[2] === "health") process.exit(0);\n');
    release = await buildRelease({ appDir: app, outDir: join(dir, "out"), privateKeyPem: await readFile(keys.privateKey, "utf8") });
  });
  afterAll(async () => {
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("adds only a release whose signature verifies with the operator's key", async () => {
    const refused = await cli(["releases", "add", release.tarball, "--public-key", other.publicKey, "--data-dir", f.dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not match the public key: not added/);
    expect((await cli(["releases", "list", "--data-dir", f.dataDir])).stdout).toBe("");
  });

  it("is downloaded by a gateway with its MQTT login, and switched to by its updater", async () => {
    const added = await cli(["releases", "add", release.tarball, "--public-key", keys.publicKey, "--data-dir", f.dataDir]);
    expect(added.code, added.stderr).toBe(0);
    const stored = JSON.parse(added.stdout) as { release: string; file: string; sha256: string; path: string };
    expect(stored).toMatchObject({ release: `6.0.0-${release.sha256.slice(0, 12)}`, sha256: release.sha256 });
    const url = `http://127.0.0.1:${f.cloud.httpPort()}${stored.path}`;

    // A rollout names it with the cloud's own URL; the canary's desired config carries it.
    const rollout = await f.cloud.http.inject({
      method: "PUT",
      url: "/v1/stores/s1/rollout",
      headers: { authorization: `Bearer ${f.keys.admin}` },
      payload: { release: stored.release, url, sha256: stored.sha256 },
    });
    expect(rollout.statusCode, rollout.body).toBe(200);
    const desired = (await f.cloud.repositories.fleet.desiredConfigs()).find((d) => d.gatewayId === "g1")?.config.software;
    expect(desired).toEqual({ release: stored.release, url, sha256: stored.sha256 });
    if (!desired) throw new Error("no software in g1's desired config");

    const login = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    // Not with a wrong password, nor with an app user's login.
    expect((await fetch(url, { headers: { authorization: basic(login.username, "wrong") } })).status).toBe(401);
    const app = await f.cloud.credentials.issueMqtt({ role: "app", userId: "u1" }, "test");
    expect((await fetch(url, { headers: { authorization: basic(app.username, app.password) } })).status).toBe(401);

    const updates = join(dir, "updates");
    const inbox = new HttpUpdateInbox({
      dir: updates,
      authorization: async () => basic(login.username, login.password),
      credentialHosts: [new URL(url).hostname],
    });
    await inbox.put(desired);
    expect(await inbox.requested()).toBe(stored.release);

    const prefix = join(dir, "opt");
    const report = join(dir, "update-report.json");
    await execFileAsync(
      "bash",
      [
        SCRIPT, "take-request", updates,
        "--prefix", prefix,
        "--public-key", keys.publicKey,
        "--restart", "true",
        "--health", `node ${join(prefix, "current", "dist", "gateway", "src", "main.js")} health`,
        "--health-timeout", "0",
        "--report", report,
      ],
      { env: { ...process.env, npm_config_offline: "true" } },
    );
    expect(JSON.parse(await readFile(report, "utf8"))).toMatchObject({ outcome: "updated", to: stored.release });
    expect(await readlink(join(prefix, "current"))).toBe(`releases/${stored.release}`);
  });
});
