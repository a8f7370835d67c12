import { execFile } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRelease, generateReleaseKeys } from "../../scripts/tools/releaseArtifacts.js";

const execFileAsync = promisify(execFile);
const FIRMWARE = join(import.meta.dirname, "..", "..", "firmware-config");
const SCRIPT = join(FIRMWARE, "provision.sh");
const SHELLCHECK = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck", "/bin/shellcheck"].find((p) => existsSync(p));
const REQUIRED = process.env.ARRIVAL_TEST_REQUIRE_SHELLCHECK === "1";
const NODE = realpathSync(process.execPath);
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
const AS_ROOT = process.getuid?.() === 0;

interface Run {
  readonly code: number;
  readonly lines: string[];
  readonly stderr: string;
}

/** Runs the script; with `asNobody` (needs root and setpriv), as the unprivileged user nobody. */
function provision(args: readonly string[], asNobody = false): Promise<Run> {
  const done = (code: number, stdout: string, stderr: string): Run => ({
    code,
    lines: stdout.split("\n").filter(Boolean),
    stderr,
  });
  const command = asNobody
    ? [SETPRIV ?? "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", SCRIPT, ...args]] as const
    : ["bash", [SCRIPT, ...args]] as const;
  return execFileAsync(command[0], command[1], { env: { ...process.env, LC_ALL: "C" } }).then(
    ({ stdout, stderr }) => done(0, stdout, stderr),
    (err: { code: number; stdout: string; stderr: string }) => done(err.code, err.stdout, err.stderr),
  );
}

/** Every path under `dir`, with file contents, to prove a dry run changed nothing. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries.map(async (e) => {
      const path = join(e.parentPath, e.name);
      return e.isFile() ? `${path}=${await readFile(path, "utf8")}` : path;
    }),
  ).then((list) => list.sort());
}

describe("firmware-config/provision.sh", () => {
  let dir: string;
  let root: string;
  let app: string;
  let config: string;
  let password: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-provision-"));
    root = join(dir, "root");
    app = join(dir, "app");
    await mkdir(root);
    // A built app as `npm run build` leaves it: package.json and dist/.
    await mkdir(join(app, "dist", "gateway", "src"), { recursive: true });
    await writeFile(join(app, "package.json"), '{\n  "name": "arrival",\n  "version": "9.8.7"\n}\n');
    await writeFile(join(app, "dist", "gateway", "src", "main.js"), "// built gateway\n");
    config = join(FIRMWARE, "examples", "one-gateway-shop.json");
    password = join(dir, "mqtt-password");
    await writeFile(password, "secret\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.runIf(REQUIRED)("has shellcheck to check with (ARRIVAL_TEST_REQUIRE_SHELLCHECK=1)", () => {
    expect(SHELLCHECK, "shellcheck not found: apt-get install shellcheck").toBeDefined();
  });

  it.skipIf(!SHELLCHECK)("passes shellcheck, as does the sandbox tool that runs it for real", async () => {
    const sandbox = join(FIRMWARE, "..", "scripts", "tools", "provisionSandbox.sh");
    const result = await execFileAsync(SHELLCHECK ?? "shellcheck", ["--shell=bash", SCRIPT, sandbox]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("prints the plan for a new gateway and changes nothing", async () => {
    const before = await snapshot(root);
    const run = await provision([
      "--dry-run", "--root", root, "--app", app, "--node", NODE, "--config", config, "--password-file", password,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe("Arrival gateway provisioning (dry run: nothing is changed)");
    const steps = run.lines.filter((line) => /^ {2}(ok|do|skip|FAIL) /.test(line));
    // What this machine has decides ok or do; that each is looked at is the plan.
    for (const pattern of [
      /^ {2}(ok|do) +.*bluez/,
      /^ {2}(ok|do) +.*libcap2-bin/,
      new RegExp(`^ {2}ok +node v\\d+\\.\\d+\\.\\d+ at ${NODE}$`),
      new RegExp(`^ {2}(ok|do) +(setcap cap_net_admin,cap_net_raw\\+eip ${NODE}|${NODE} has cap_net_admin,cap_net_raw\\+eip)$`),
      /^ {2}(ok|do) +(create system user arrival-gateway|user arrival-gateway exists)/,
      /^ {2}(ok|do) +.*arrival-gateway.* group bluetooth$/,
    ]) {
      expect(steps.some((line) => pattern.test(line)), `no step matching ${pattern}:\n${run.lines.join("\n")}`).toBe(true);
    }
    // VERSION-HASH: a second build of 9.8.7 would be a release of its own.
    const release = /release (9\.8\.7-[0-9a-f]{12}) in /.exec(run.lines.join("\n"))?.[1] ?? "no release line";
    // The files under the root are all new, so each is a change, in this order.
    expect(steps.filter((line) => line.includes(root))).toEqual([
      `  do    create ${root}/etc/arrival-gateway (root:arrival-gateway, 0750)`,
      `  do    create ${root}/var/lib/arrival-gateway (arrival-gateway:arrival-gateway, 0750)`,
      `  do    create ${root}/opt/arrival-gateway (root:root, 0755)`,
      `  do    create ${root}/opt/arrival-gateway/releases (root:root, 0755)`,
      `  do    install release ${release} in ${root}/opt/arrival-gateway/releases/${release} (npm ci --omit=dev)`,
      `  do    point ${root}/opt/arrival-gateway/current at release ${release}`,
      `  do    install ${root}/usr/local/bin/arrival-gateway (runs the current release)`,
      `  do    install ${config} as ${root}/etc/arrival-gateway/gateway.json (root:arrival-gateway, 0640)`,
      `  do    install the MQTT password as ${root}/etc/arrival-gateway/mqtt-password (arrival-gateway, 0600)`,
      `  do    install ${root}/etc/systemd/system/arrival-gateway.service (ExecStart uses ${NODE})`,
      `  do    install ${root}/etc/systemd/system/arrival-gateway-update.service`,
      `  do    install ${root}/etc/systemd/system/arrival-gateway-update.path`,
    ]);
    expect(steps).toContain("  skip  systemctl enable --now arrival-gateway (runs on the target, not under --root)");
    const changes = steps.filter((line) => line.startsWith("  do ")).length;
    expect(run.lines.at(-1)).toBe(`dry run: ${changes} change(s) planned, nothing changed`);
    expect(await snapshot(root)).toEqual(before);
  });

  it("keeps an existing config and password on a re-run, and sees an installed unit is up to date", async () => {
    const etc = join(root, "etc", "arrival-gateway");
    await mkdir(etc, { recursive: true });
    await writeFile(join(etc, "gateway.json"), '{ "edited": "by the store" }\n');
    await writeFile(join(etc, "mqtt-password"), "old\n");
    const unit = (await readFile(join(FIRMWARE, "arrival-gateway.service"), "utf8")).replace(
      /^ExecStart=\/usr\/bin\/node /m,
      `ExecStart=${NODE} `,
    );
    await mkdir(join(root, "etc", "systemd", "system"), { recursive: true });
    await writeFile(join(root, "etc", "systemd", "system", "arrival-gateway.service"), unit);
    const before = await snapshot(root);
    const run = await provision([
      "--dry-run", "--root", root, "--app", app, "--node", NODE, "--config", config, "--password-file", password,
    ]);
    expect(run.code).toBe(0);
    expect(run.lines).toContain(
      `  ok    keep ${etc}/gateway.json, not ${config} (an existing config is never overwritten: edit it, or remove it to install another)`,
    );
    expect(run.lines).toContain(`  ok    keep ${etc}/mqtt-password (never overwritten)`);
    expect(run.lines).toContain(`  ok    ${root}/etc/systemd/system/arrival-gateway.service up to date (ExecStart uses ${NODE})`);
    expect(run.lines).toContain(`  ok    ${etc} exists`);
    expect(run.lines.some((line) => line.startsWith("  do ") && line.includes(etc))).toBe(false);
    expect(await snapshot(root)).toEqual(before);
    await rm(join(root, "etc"), { recursive: true });
  });

  it("fails with what to do when the app is not built, and still shows the rest of the plan", async () => {
    const unbuilt = join(dir, "unbuilt");
    await mkdir(unbuilt, { recursive: true });
    await writeFile(join(unbuilt, "package.json"), '{ "version": "1.0.0" }\n');
    const run = await provision(["--dry-run", "--root", root, "--app", unbuilt, "--node", NODE]);
    expect(run.code).toBe(1);
    expect(run.lines).toContain(
      `  FAIL  no built app at ${unbuilt}: pass --app arrival-VERSION.tgz made by \`npm run release\`, or run \`npm ci && npm run build\` there`,
    );
    expect(run.lines.some((line) => line.includes("arrival-gateway.service"))).toBe(true);
    expect(run.lines.at(-1)).toMatch(/^dry run: fix the FAIL lines above; \d+ other change\(s\) planned, nothing changed$/);
  });

  it.runIf(AS_ROOT && SETPRIV)("plans without root, and refuses to change anything without it", async () => {
    await chmod(dir, 0o755);
    await chmod(root, 0o755);
    await chmod(password, 0o644);
    const run = await provision(["--dry-run", "--root", root, "--app", app, "--node", NODE, "--password-file", password], true);
    expect(run.code).toBe(0);
    expect(run.lines.at(-1)).toMatch(/^dry run: \d+ change\(s\) planned, nothing changed$/);
    const real = await provision(["--app", app], true);
    expect(real.code).toBe(2);
    expect(real.stderr).toContain("run it with sudo");
  });

  it("installs a release tarball only when its signature verifies with the operator's key, and says so in the plan", async () => {
    const keys = await generateReleaseKeys(join(dir, "keys"));
    const other = await generateReleaseKeys(join(dir, "other-keys"));
    await writeFile(join(app, "package.json"), JSON.stringify({ name: "arrival", version: "9.8.7", files: ["dist"] }));
    await writeFile(join(app, "package-lock.json"), JSON.stringify({ name: "arrival", version: "9.8.7", lockfileVersion: 3, packages: { "": { name: "arrival", version: "9.8.7" } } }));
    const signed = await buildRelease({ appDir: app, outDir: join(dir, "release"), privateKeyPem: await readFile(keys.privateKey, "utf8") });
    const base = ["--dry-run", "--root", root, "--app", signed.tarball, "--node", NODE, "--config", config, "--password-file", password];
    const good = await provision([...base, "--public-key", keys.publicKey]);
    expect(good.code, good.lines.join("\n")).toBe(0);
    expect(good.lines).toContain(`  do    install ${keys.publicKey} as ${root}/etc/arrival-gateway/release-signing.pub (root, 0644)`);
    expect(good.lines).toContain(`  ok    signature and checksum of ${signed.tarball} verified with ${keys.publicKey}`);
    const name = `9.8.7-${signed.sha256.slice(0, 12)}`;
    expect(good.lines).toContain(
      `  do    install release ${name} in ${root}/opt/arrival-gateway/releases/${name} (npm ci --omit=dev from its npm-shrinkwrap.json)`,
    );
    // Another key: refused before anything is installed.
    const forged = await provision([...base, "--public-key", other.publicKey]);
    expect(forged.code).toBe(1);
    expect(forged.lines.some((line) => /^ {2}FAIL {2}the signature .* does not match/.test(line)), forged.lines.join("\n")).toBe(true);
    // No key at all: a tarball is never installed unverified.
    const keyless = await provision(base);
    expect(keyless.code).toBe(1);
    expect(keyless.lines.some((line) => line.startsWith(`  FAIL  no release key at ${root}/etc/arrival-gateway/release-signing.pub`))).toBe(true);
  });

  it("installs the store's LAN key or plans a new one, never printing it, and keeps one store to one key", async () => {
    const key = join(dir, "lan.key");
    const secret = "7f".repeat(32);
    await writeFile(key, `${secret}\n`);
    const base = ["--dry-run", "--root", root, "--app", app, "--node", NODE, "--config", config, "--password-file", password];
    const etc = join(root, "etc", "arrival-gateway");
    const given = await provision([...base, "--lan-key", key]);
    expect(given.code, given.lines.join("\n")).toBe(0);
    expect(given.lines).toContain(`  do    install the store LAN key as ${etc}/lan.key (arrival-gateway, 0600)`);
    expect(`${given.lines.join("\n")}${given.stderr}`).not.toContain(secret);

    const fresh = await provision([...base, "--new-lan-key"]);
    expect(fresh.code).toBe(0);
    expect(fresh.lines).toContain(
      `  do    create a new store LAN key as ${etc}/lan.key (arrival-gateway, 0600): copy that file to every other gateway of the store and pass it with --lan-key`,
    );

    const short = join(dir, "short.key");
    await writeFile(short, "too short\n");
    const refused = await provision([...base, "--lan-key", short]);
    expect(refused.code).toBe(1);
    expect(refused.lines).toContain(
      `  FAIL  --lan-key ${short} holds 8 bytes of key; at least 32 are needed (openssl rand -hex 32 > FILE)`,
    );
    expect((await provision([...base, "--lan-key", key, "--new-lan-key"])).code).toBe(2);

    // A gateway already holding another store key: refused, not overwritten, and not printed either.
    await mkdir(etc, { recursive: true });
    await writeFile(join(etc, "lan.key"), `${"01".repeat(32)}\n`);
    const other = await provision([...base, "--lan-key", key]);
    expect(other.code).toBe(1);
    expect(other.lines).toContain(
      `  FAIL  ${etc}/lan.key holds another key than ${key}: the gateways of one store need the same key; remove ${etc}/lan.key first to replace it`,
    );
    expect(other.lines.join("\n")).not.toContain("01".repeat(32));
    await writeFile(join(etc, "lan.key"), `${secret}\n`);
    expect((await provision([...base, "--lan-key", key])).lines).toContain(`  ok    keep ${etc}/lan.key (never overwritten)`);
    await rm(join(root, "etc"), { recursive: true });
  });

  it("refuses --root outside a dry run and unknown options", async () => {
    expect((await provision(["--root", root])).code).toBe(2);
    const unknown = await provision(["--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option --frobnicate");
  });
});
