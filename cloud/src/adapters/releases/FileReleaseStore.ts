import { createHash, createPublicKey, verify } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** A file the store serves: a release tarball, or its checksum or signature. */
const FILE_RE = /^[0-9A-Za-z.+-]{1,100}\.tgz(\.sha256|\.sig)?$/;

/** A release as the store holds it, and what a rollout needs to name it. */
export interface StoredRelease {
  /** `VERSION-HASH`, as install-release.sh names it. */
  readonly release: string;
  /** The tarball's file name under /v1/releases/. */
  readonly file: string;
  readonly sha256: string;
}

/**
 * Releases the cloud serves to its gateways (`GET /v1/releases/{file}`), as files under
 * `<dataDir>/releases`: `VERSION-HASH.tgz` with its `.sha256` and `.sig`. A release is added only
 * when its signature verifies with the operator's public key, so the cloud never hands out
 * something the gateways' updater would refuse.
 */
export class FileReleaseStore {
  constructor(private readonly dir: string) {}

  /** A readable stream of the file, or null when there is no such file (or the name is not one). */
  async open(file: string): Promise<{ stream: Readable; bytes: number } | null> {
    if (!FILE_RE.test(file)) return null;
    const path = join(this.dir, file);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    return { stream: createReadStream(path), bytes: info.size };
  }

  /** Verifies `tarball` (with `.sha256` and `.sig` beside it) with the public key and copies it in. */
  async add(tarball: string, publicKeyPem: string): Promise<StoredRelease> {
    const [body, checksum, signature] = await Promise.all([
      readFile(tarball),
      readFile(`${tarball}.sha256`),
      readFile(`${tarball}.sig`),
    ]);
    if (!verify(null, checksum, createPublicKey(publicKeyPem), signature))
      throw new Error(`the signature of ${tarball}.sha256 does not match the public key: not added`);
    const sha256 = createHash("sha256").update(body).digest("hex");
    const claimed = checksum.toString("utf8").split(/\s+/)[0];
    if (claimed !== sha256) throw new Error(`${tarball} has SHA-256 ${sha256}, its signed checksum says ${String(claimed)}: not added`);
    const { stdout } = await execFileAsync("tar", ["-xzOf", tarball, "package/package.json"], { maxBuffer: 1024 * 1024 });
    const version = (JSON.parse(stdout) as { version?: unknown }).version;
    if (typeof version !== "string" || !/^[0-9A-Za-z.+-]+$/.test(version)) throw new Error(`${tarball} has no usable version`);
    const release = `${version}-${sha256.slice(0, 12)}`;
    const file = `${release}.tgz`;
    await mkdir(this.dir, { recursive: true });
    await copyFile(`${tarball}.sha256`, join(this.dir, `${file}.sha256`));
    await copyFile(`${tarball}.sig`, join(this.dir, `${file}.sig`));
    await copyFile(tarball, join(this.dir, file));
    return { release, file, sha256 };
  }

  /** The releases held, by name. */
  async list(): Promise<StoredRelease[]> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    const releases: StoredRelease[] = [];
    for (const file of files.filter((f) => f.endsWith(".tgz")).sort()) {
      const checksum = await readFile(join(this.dir, `${file}.sha256`), "utf8").catch(() => "");
      releases.push({ release: file.slice(0, -".tgz".length), file, sha256: checksum.split(/\s+/)[0] ?? "" });
    }
    return releases;
  }
}
