import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { SoftwareTarget } from "../../../../protocol/index.js";
import type { UpdateInbox } from "../../services/SoftwareUpdater.js";

export interface HttpUpdateInboxOptions {
  /** `<dataDir>/updates`: watched by arrival-gateway-update.path. */
  readonly dir: string;
  /** The Authorization header for the release server (the gateway's own login), or none. */
  readonly authorization?: () => Promise<string | undefined>;
  /**
   * Host names the login may be sent to: the cloud's (the broker's host), whose `/v1/releases/`
   * serves releases to gateway logins. A release on any other server is fetched without it, so a
   * mirror, a CDN or a URL someone put in a config never sees the gateway's password. Default none.
   */
  readonly credentialHosts?: readonly string[];
  /** Largest tarball accepted, bytes; default 512 MiB. */
  readonly maxBytes?: number;
  /** Per request, ms; default 10 minutes (a Pi on a slow shop line). */
  readonly timeoutMs?: number;
}

/**
 * Downloads a release over HTTP(S) into the updates directory and asks for it: the tarball to a
 * partial file with its SHA-256 computed on the way and compared with the config's, then its
 * .sha256 and .sig (the updater verifies the signature with the root-owned key: this check only
 * catches a broken download early), then `requested-release` and finally `request`, which starts
 * the updater. Nothing of a failed download stays behind.
 */
export class HttpUpdateInbox implements UpdateInbox {
  constructor(private readonly o: HttpUpdateInboxOptions) {}

  async requested(): Promise<string | null> {
    try {
      await readFile(join(this.o.dir, "request"));
    } catch {
      return null;
    }
    return (await readFile(join(this.o.dir, "requested-release"), "utf8").catch(() => "")).trim() || null;
  }

  async put(target: SoftwareTarget): Promise<void> {
    const { dir } = this.o;
    await mkdir(dir, { recursive: true });
    const tarball = join(dir, "release.tgz");
    try {
      const sha256 = await this.download(target.url, `${tarball}.partial`);
      if (sha256 !== target.sha256)
        throw new Error(`downloaded ${target.url} has SHA-256 ${sha256}, the config says ${target.sha256}`);
      await writeFile(`${tarball}.sha256`, await this.small(`${target.url}.sha256`));
      await writeFile(`${tarball}.sig`, await this.small(`${target.url}.sig`));
      await rename(`${tarball}.partial`, tarball);
      await writeFile(join(dir, "requested-release"), `${target.release}\n`);
      await writeFile(join(dir, "request"), "");
    } catch (err) {
      await Promise.all(
        [`${tarball}.partial`, tarball, `${tarball}.sha256`, `${tarball}.sig`].map((path) => rm(path, { force: true })),
      );
      throw err;
    }
  }

  private async get(url: string): Promise<Response> {
    // The gateway's password goes only to the cloud's own host (`credentialHosts`), and only over
    // TLS or to this machine: never to another server, never in clear across a shop's network.
    const { protocol, hostname } = new URL(url);
    const overSafeLink = protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(hostname);
    const toCloud = (this.o.credentialHosts ?? []).includes(hostname);
    const authorization = overSafeLink && toCloud ? await this.o.authorization?.() : undefined;
    const response = await fetch(url, {
      headers: authorization === undefined ? {} : { authorization },
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 600_000),
      // fetch keeps the header across a redirect to another host: with the login, none is followed.
      redirect: authorization === undefined ? "follow" : "error",
    });
    if (!response.ok || response.body === null) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
    return response;
  }

  private async small(url: string): Promise<Buffer> {
    const body = Buffer.from(await (await this.get(url)).arrayBuffer());
    if (body.byteLength > 4096) throw new Error(`${url} is ${body.byteLength} bytes; a checksum or signature is far smaller`);
    return body;
  }

  /** Streams `url` to `path`; resolves to its SHA-256 (hex). Refuses more than maxBytes. */
  private async download(url: string, path: string): Promise<string> {
    const response = await this.get(url);
    const maxBytes = this.o.maxBytes ?? 512 * 1024 * 1024;
    const hash = createHash("sha256");
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) {
          callback(new Error(`${url} is larger than ${maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), meter, createWriteStream(path));
    return hash.digest("hex");
  }
}
