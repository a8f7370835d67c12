/**
 * Pinned, verifiable releases: what `npm run release` makes, and the key pair that signs them.
 *
 * A release is three files in the output directory:
 *   arrival-VERSION.tgz         `npm pack` of the built app, with npm-shrinkwrap.json (the
 *                               lockfile under the name npm honours inside a package), so every
 *                               gateway installs exactly these versions with `npm ci`
 *   arrival-VERSION.tgz.sha256  `sha256sum` format: the tarball's SHA-256 and its name
 *   arrival-VERSION.tgz.sig     Ed25519 signature (64 raw bytes) of the .sha256 file, made with
 *                               the operator's private key; install-release.sh verifies it with
 *                               openssl (`pkeyutl -verify -rawin`) or node before installing
 * Signing the small checksum file rather than the tarball lets openssl verify without `-rawin`
 * streaming limits and binds the name to the content.
 */
import { execFile } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** The files `npm run release` writes. */
export interface ReleaseFiles {
  readonly tarball: string;
  readonly checksum: string;
  /** Absent for an unsigned release (`--unsigned`), which install-release.sh refuses. */
  readonly signature: string | null;
  readonly version: string;
  readonly sha256: string;
}

export interface BuildReleaseOptions {
  /** The built app: package.json, package-lock.json and what `files` names (dist/, firmware-config/). */
  readonly appDir: string;
  readonly outDir: string;
  /** PEM (PKCS#8) Ed25519 private key; null for an unsigned release. */
  readonly privateKeyPem: string | null;
  /** The npm binary; default `npm` on PATH. */
  readonly npm?: string;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Packs `appDir` into a release in `outDir`. Packing happens in a staging copy with the lockfile
 * added as npm-shrinkwrap.json, so the checkout itself is left as it was.
 */
export async function buildRelease(options: BuildReleaseOptions): Promise<ReleaseFiles> {
  const { appDir, outDir } = options;
  const pkg = JSON.parse(await readFile(join(appDir, "package.json"), "utf8")) as {
    name?: string;
    version?: string;
    files?: string[];
  };
  if (typeof pkg.version !== "string" || !/^[0-9A-Za-z.+-]+$/.test(pkg.version))
    throw new Error(`${appDir}/package.json has no usable version`);
  const lockfile = join(appDir, "package-lock.json");
  if (!(await exists(lockfile))) throw new Error(`${lockfile} is missing: a release pins its dependencies with it`);
  if (!(await exists(join(appDir, "dist", "gateway", "src", "main.js"))))
    throw new Error(`${appDir}/dist is not built: run npm run build (or leave out --no-build)`);
  const lock = JSON.parse(await readFile(lockfile, "utf8")) as { version?: string; lockfileVersion?: number };
  if (lock.version !== pkg.version)
    throw new Error(`package-lock.json is for version ${String(lock.version)}, package.json says ${pkg.version}: run npm install`);

  const stage = await mkdtemp(join(tmpdir(), "arrival-release-"));
  try {
    const pkgDir = join(stage, "package");
    await mkdir(pkgDir);
    // npm pack takes the shrinkwrap only when `files` names it (npm 11); the repository's does.
    const files = pkg.files;
    if (!files) throw new Error(`${appDir}/package.json has no "files": a release ships what it names, nothing else`);
    if (files.includes("npm-shrinkwrap.json")) await copyFile(join(appDir, "package.json"), join(pkgDir, "package.json"));
    else await writeFile(join(pkgDir, "package.json"), `${JSON.stringify({ ...pkg, files: [...files, "npm-shrinkwrap.json"] }, null, 2)}\n`);
    await copyFile(lockfile, join(pkgDir, "npm-shrinkwrap.json"));
    for (const item of [...files.filter((f) => f !== "npm-shrinkwrap.json"), "README.md", "LICENSE"]) {
      if (await exists(join(appDir, item))) await cp(join(appDir, item), join(pkgDir, item), { recursive: true });
    }
    await mkdir(outDir, { recursive: true });
    const { stdout } = await execFileAsync(
      options.npm ?? "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", outDir],
      { cwd: pkgDir, env: { ...process.env, npm_config_update_notifier: "false" } },
    );
    const packed = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    const first = packed[0];
    if (!first) throw new Error("npm pack made no tarball");
    if (!first.files.some((f) => f.path === "npm-shrinkwrap.json"))
      throw new Error("npm pack left out npm-shrinkwrap.json; the release would not be pinned");
    const tarball = join(outDir, basename(first.filename));
    const sha256 = createHash("sha256")
      .update(await readFile(tarball))
      .digest("hex");
    const checksum = `${tarball}.sha256`;
    const checksumText = `${sha256}  ${basename(tarball)}\n`;
    await writeFile(checksum, checksumText);
    let signature: string | null = null;
    if (options.privateKeyPem !== null) {
      const key = createPrivateKey(options.privateKeyPem);
      if (key.asymmetricKeyType !== "ed25519") throw new Error(`the signing key is ${String(key.asymmetricKeyType)}, not ed25519`);
      signature = `${tarball}.sig`;
      await writeFile(signature, sign(null, Buffer.from(checksumText), key));
    }
    return { tarball, checksum, signature, version: pkg.version, sha256 };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/**
 * A new Ed25519 key pair for signing releases: `release-signing.key` (PKCS#8 PEM, mode 0600, the
 * operator keeps it off the gateways) and `release-signing.pub` (SPKI PEM, installed on every
 * gateway as /etc/arrival-gateway/release-signing.pub). Refuses to overwrite an existing key.
 */
export async function generateReleaseKeys(outDir: string): Promise<{ privateKey: string; publicKey: string }> {
  const privateKey = join(outDir, "release-signing.key");
  const publicKey = join(outDir, "release-signing.pub");
  for (const path of [privateKey, publicKey])
    if (await exists(path)) throw new Error(`${path} exists; move it away first (a new key makes old signatures unverifiable)`);
  await mkdir(outDir, { recursive: true });
  const pair = generateKeyPairSync("ed25519");
  await writeFile(privateKey, pair.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  await writeFile(publicKey, createPublicKey(pair.privateKey).export({ type: "spki", format: "pem" }), { mode: 0o644, flag: "wx" });
  return { privateKey, publicKey };
}
