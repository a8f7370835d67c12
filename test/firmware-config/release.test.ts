/**
 * Pinned, verifiable releases, with the real tools: `npm run release`'s packing and signing
 * (scripts/tools/releaseArtifacts.ts, and its CLI for keygen) and firmware-config/install-release.sh
 * verifying, installing with `npm ci`, switching, pruning, updating with a health check and rolling
 * back a deliberately broken release, all under a temporary prefix instead of /opt. The app is a
 * small stand-in without dependencies, so `npm ci` runs offline; its main.js answers `health` with
 * the exit code its build was made with.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, readlink, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRelease, generateReleaseKeys, type ReleaseFiles } from "../../scripts/tools/releaseArtifacts.js";

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const SCRIPT = join(ROOT, "firmware-config", "install-release.sh");
const OPENSSL = ["/usr/bin/openssl", "/usr/local/bin/openssl"].find((p) => existsSync(p));
const SHELLCHECK = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck", "/bin/shellcheck"].find((p) => existsSync(p));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
  return execFileAsync("bash", [SCRIPT, ...args], {
    env: { ...process.env, npm_config_offline: "true", npm_config_update_notifier: "false", ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

describe("pinned, signed releases and install-release.sh", () => {
  let dir: string;
  let keys: { privateKey: string; publicKey: string };
  let otherKeys: { privateKey: string; publicKey: string };
  let prefix: string;
  let builds = 0;

  /** A built stand-in app of `version` whose `health` exits `healthExit`; packed and signed. */
  async function release(version: string, healthExit: number, key = keys.privateKey): Promise<ReleaseFiles> {
    const app = join(dir, `app-${++builds}`);
    await mkdir(join(app, "dist", "gateway", "src"), { recursive: true });
    await writeFile(join(app, "package.json"), `${JSON.stringify({ name: "arrival", version, files: ["dist"] }, null, 2)}\n`);
    await writeFile(
      join(app, "package-lock.json"),
      JSON.stringify({ name: "arrival", version, lockfileVersion: 3, requires: true, packages: { "": { name: "arrival", version } } }),
    );
    await writeFile(
      join(app, "dist", "gateway", "src", "main.js"),
      `// build ${builds}\nif (process.argv[2] === "health") process.exit(${healthExit});\n`,
    );
    return buildRelease({ appDir: app, outDir: join(dir, `out-${builds}`), privateKeyPem: await readFile(key, "utf8") });
  }

  const current = async () => (await readlink(join(prefix, "current"))).replace(/^releases\//, "");
  const previous = async () => (await readlink(join(prefix, "previous"))).replace(/^releases\//, "");
  const releases = async () => (await readdir(join(prefix, "releases"))).sort();
  const nameOf = (r: ReleaseFiles) => `${r.version}-${r.sha256.slice(0, 12)}`;
  const common = () => ["--prefix", prefix, "--public-key", keys.publicKey];
  /** `update` with a health check that runs the switched-to release's own `health`. */
  const update = (r: ReleaseFiles, report: string) =>
    run([
      "update", r.tarball, ...common(),
      "--restart", "true",
      "--health", `node ${join(prefix, "current", "dist", "gateway", "src", "main.js")} health`,
      "--health-timeout", "0",
      "--report", report,
    ]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-release-"));
    prefix = join(dir, "opt");
    keys = await generateReleaseKeys(join(dir, "keys"));
    otherKeys = await generateReleaseKeys(join(dir, "other-keys"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!SHELLCHECK)("install-release.sh passes shellcheck", async () => {
    const result = await execFileAsync(SHELLCHECK ?? "shellcheck", ["--shell=bash", SCRIPT]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("keygen writes an Ed25519 pair, the private key readable by its owner only, and never overwrites one", async () => {
    expect((await stat(keys.privateKey)).mode & 0o777).toBe(0o600);
    expect(await readFile(keys.privateKey, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await readFile(keys.publicKey, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    await expect(generateReleaseKeys(join(dir, "keys"))).rejects.toThrow(/exists/);
    // The command line does the same through `npm run release -- keygen`.
    const cli = await execFileAsync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "tools", "release.ts"), "keygen", "--out", join(dir, "cli-keys")], {
      cwd: ROOT,
    });
    expect(cli.stdout).toMatch(/release-signing\.key \(mode 0600/);
    expect((await stat(join(dir, "cli-keys", "release-signing.key"))).mode & 0o777).toBe(0o600);
  });

  it("packs the lockfile as npm-shrinkwrap.json, with a checksum and a signature openssl accepts", async () => {
    const r = await release("1.0.0", 0);
    const { stdout } = await execFileAsync("tar", ["-tzf", r.tarball]);
    expect(stdout.split("\n")).toEqual(expect.arrayContaining(["package/package.json", "package/npm-shrinkwrap.json", "package/dist/gateway/src/main.js"]));
    expect(await readFile(r.checksum, "utf8")).toBe(`${r.sha256}  arrival-1.0.0.tgz\n`);
    if (OPENSSL) {
      const verified = await execFileAsync(OPENSSL, ["pkeyutl", "-verify", "-pubin", "-inkey", keys.publicKey, "-rawin", "-in", r.checksum, "-sigfile", r.signature ?? ""]);
      expect(verified.stdout).toMatch(/Signature Verified Successfully/);
    }
  });

  it.each(["openssl", "node"])("verifies with %s, and refuses a tampered tarball, a forged signature or a missing one", async (verifier) => {
    if (verifier === "openssl" && !OPENSSL) return;
    const env = { ARRIVAL_VERIFY_WITH: verifier };
    const r = await release("1.1.0", 0);
    expect((await run(["verify", r.tarball, "--public-key", keys.publicKey], env)).code).toBe(0);
    // Signed by someone else's key.
    const forged = await release("1.1.0", 0, otherKeys.privateKey);
    const wrongKey = await run(["verify", forged.tarball, "--public-key", keys.publicKey], env);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/signature .* does not match/);
    // A tarball swapped after signing: its SHA-256 no longer matches the signed checksum.
    const swapped = join(dir, "swapped.tgz");
    await cp(forged.tarball, swapped);
    const mismatch = await run(["verify", swapped, "--checksum", r.checksum, "--signature", r.signature ?? "", "--public-key", keys.publicKey], env);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/corrupt or replaced, not installing/);
    // No signature at all.
    await rm(r.signature ?? "");
    const unsigned = await run(["verify", r.tarball, "--public-key", keys.publicKey], env);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toMatch(/no signature/);
  });

  it("installs beside the running release, never replaces it with another build of its version, and keeps two", async () => {
    const first = await release("2.0.0", 0);
    const install = await run(["install", first.tarball, "--prefix", prefix]);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout.trim()).toBe(nameOf(first));
    expect((await run(["switch", nameOf(first), "--prefix", prefix])).code).toBe(0);
    expect(await current()).toBe(nameOf(first));
    const runningMain = join(prefix, "releases", nameOf(first), "dist", "gateway", "src", "main.js");
    const runningBefore = await readFile(runningMain, "utf8");

    // The same version built again: a release of its own; the running one is untouched.
    const rebuilt = await release("2.0.0", 0);
    expect(nameOf(rebuilt)).not.toBe(nameOf(first));
    expect((await run(["install", rebuilt.tarball, "--prefix", prefix])).stdout.trim()).toBe(nameOf(rebuilt));
    expect(await readFile(runningMain, "utf8")).toBe(runningBefore);
    expect(await current()).toBe(nameOf(first));
    // Installing it again changes nothing.
    expect((await run(["install", rebuilt.tarball, "--prefix", prefix])).code).toBe(0);

    await run(["switch", nameOf(rebuilt), "--prefix", prefix]);
    const third = await release("2.1.0", 0);
    await run(["install", third.tarball, "--prefix", prefix]);
    await run(["switch", nameOf(third), "--prefix", prefix]);
    expect([await current(), await previous()]).toEqual([nameOf(third), nameOf(rebuilt)]);
    expect((await run(["prune", "--prefix", prefix])).code).toBe(0);
    expect(await releases()).toEqual([nameOf(rebuilt), nameOf(third)].sort());
  });

  it("refuses a tarball that does not pin its dependencies", async () => {
    const app = join(dir, "unpinned");
    await mkdir(join(app, "package", "dist"), { recursive: true });
    await writeFile(join(app, "package", "package.json"), JSON.stringify({ name: "arrival", version: "3.0.0" }));
    const tarball = join(dir, "unpinned.tgz");
    await execFileAsync("tar", ["-czf", tarball, "-C", app, "package"]);
    const result = await run(["install", tarball, "--prefix", prefix]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a pinned release: it has no npm-shrinkwrap\.json/);
  });

  it("updates to a healthy release and prunes; rolls a broken one back by itself and says why", async () => {
    const before = await current();
    const good = await release("4.0.0", 0);
    const report = join(dir, "update-report.json");
    const updated = await update(good, report);
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(await readFile(report, "utf8"))).toMatchObject({ outcome: "updated", from: before, to: nameOf(good), reason: null });
    expect(await current()).toBe(nameOf(good));
    expect(await releases()).toEqual([before, nameOf(good)].sort());

    // A deliberately broken release: it installs and starts, but never reports healthy.
    const broken = await release("4.1.0", 1);
    const failed = await update(broken, report);
    expect(failed.code).toBe(1);
    expect(JSON.parse(await readFile(report, "utf8"))).toMatchObject({
      outcome: "rolled-back",
      from: nameOf(good),
      to: nameOf(broken),
      reason: `${nameOf(broken)} not healthy within 0 s`,
    });
    expect(await current()).toBe(nameOf(good));
    // Kept for a look, marked so it is not taken again by accident.
    expect(await previous()).toBe(nameOf(broken));
    expect(await readFile(join(prefix, "releases", nameOf(broken), ".failed"), "utf8")).toMatch(/not healthy/);
    const again = await update(broken, report);
    expect(again.code).toBe(1);
    expect(JSON.parse(await readFile(report, "utf8"))).toMatchObject({ outcome: "refused", to: nameOf(broken) });
    expect(await current()).toBe(nameOf(good));

    // What the gateway asks for: a download and a request, taken by root through the path unit.
    const updates = join(dir, "updates");
    await mkdir(updates, { recursive: true });
    const next = await release("4.3.0", 0);
    for (const [from, to] of [[next.tarball, "release.tgz"], [next.checksum, "release.tgz.sha256"], [next.signature ?? "", "release.tgz.sig"]] as const)
      await cp(from, join(updates, to));
    await writeFile(join(updates, "request"), "");
    const taken = await run([
      "take-request", updates, ...common(),
      "--restart", "true",
      "--health", `node ${join(prefix, "current", "dist", "gateway", "src", "main.js")} health`,
      "--health-timeout", "0",
      "--report", report,
    ]);
    expect(taken.code, taken.stderr).toBe(0);
    expect(JSON.parse(await readFile(report, "utf8"))).toMatchObject({ outcome: "updated", to: nameOf(next) });
    // The request and the download are gone; without a request nothing happens.
    expect(await readdir(updates)).toEqual([]);
    expect((await run(["take-request", updates, ...common()])).code).toBe(0);
    expect(await current()).toBe(nameOf(next));

    // A release signed by another key is refused before anything is installed, and reported.
    const forged = await release("4.2.0", 0, otherKeys.privateKey);
    const refused = await update(forged, report);
    expect(refused.code).toBe(1);
    expect(JSON.parse(await readFile(report, "utf8"))).toMatchObject({ outcome: "refused", to: null });
    expect(await releases()).not.toContain(nameOf(forged));
  });
});
