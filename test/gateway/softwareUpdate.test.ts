/**
 * A software update as the gateway takes it from the cloud: the `software` of a remote config
 * makes the gateway download the release over HTTP (with its own login) into its updates directory
 * and ask for it; the root updater (install-release.sh take-request, the real script) verifies,
 * installs beside, switches, checks health and reports. The release server is a local HTTP server,
 * the release a signed stand-in app without dependencies (npm ci runs offline).
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SoftwareTarget, UpdateReport } from "../../protocol/index.js";
import { HttpUpdateInbox } from "../../gateway/src/adapters/http/HttpUpdateInbox.js";
import { SoftwareUpdater, type UpdateInbox } from "../../gateway/src/services/SoftwareUpdater.js";
import { buildRelease, generateReleaseKeys, type ReleaseFiles } from "../../scripts/tools/releaseArtifacts.js";
import { RecordingLogger } from "../support/RecordingLogger.js";

const execFileAsync = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "..", "..", "firmware-config", "install-release.sh");

describe("SoftwareUpdater", () => {
  const target: SoftwareTarget = { release: "0.2.0-bbbbbbbbbbbb", url: "https://releases.example/arrival-0.2.0.tgz", sha256: "a".repeat(64) };
  const inbox = (requested: string | null = null) => {
    const puts: SoftwareTarget[] = [];
    const box: UpdateInbox = {
      put: async (t) => {
        puts.push(t);
      },
      requested: async () => requested,
    };
    return { box, puts };
  };

  it("asks for a release it does not run, once at a time", async () => {
    const { box, puts } = inbox();
    const updater = new SoftwareUpdater({ runningRelease: "0.1.0-aaaaaaaaaaaa", lastReport: null, inbox: box, log: new RecordingLogger() });
    await Promise.all([updater.desired(target), updater.desired(target)]);
    expect(puts).toEqual([target]);
  });

  it("does nothing for the release it runs, one already asked for, or none", async () => {
    const { box, puts } = inbox("0.2.0-bbbbbbbbbbbb");
    await new SoftwareUpdater({ runningRelease: "0.2.0-bbbbbbbbbbbb", lastReport: null, inbox: box, log: new RecordingLogger() }).desired(target);
    await new SoftwareUpdater({ runningRelease: "0.1.0-aaaaaaaaaaaa", lastReport: null, inbox: box, log: new RecordingLogger() }).desired(target);
    await new SoftwareUpdater({ runningRelease: "0.1.0-aaaaaaaaaaaa", lastReport: null, inbox: box, log: new RecordingLogger() }).desired(undefined);
    expect(puts).toEqual([]);
  });

  it("does not ask again for a release that was rolled back here, and says why", async () => {
    const { box, puts } = inbox();
    const log = new RecordingLogger();
    const lastReport: UpdateReport = { outcome: "rolled-back", from: "0.1.0-aaaaaaaaaaaa", to: target.release, reason: "not healthy within 120 s", at: "2026-03-02T09:00:00.000Z" };
    await new SoftwareUpdater({ runningRelease: "0.1.0-aaaaaaaaaaaa", lastReport, inbox: box, log }).desired(target);
    expect(puts).toEqual([]);
    expect(log.named("not asking for a release that failed here before")).toHaveLength(1);
  });

  it("logs a failed download and does not reject", async () => {
    const log = new RecordingLogger();
    const box: UpdateInbox = { put: () => Promise.reject(new Error("GET …: 503")), requested: async () => null };
    await new SoftwareUpdater({ runningRelease: "x", lastReport: null, inbox: box, log }).desired(target);
    expect(log.named("release download failed; tried again with the next config or restart")).toHaveLength(1);
  });
});

describe("from the release server to the switched release", () => {
  let dir: string;
  let server: Server;
  let baseUrl: string;
  let keys: { privateKey: string; publicKey: string };
  let release: ReleaseFiles;
  const seenAuth: (string | undefined)[] = [];

  async function standIn(version: string, healthExit: number): Promise<ReleaseFiles> {
    const app = join(dir, `app-${version}`);
    await mkdir(join(app, "dist", "gateway", "src"), { recursive: true });
    await writeFile(join(app, "package.json"), JSON.stringify({ name: "arrival", version, files: ["dist"] }));
    await writeFile(join(app, "package-lock.json"), JSON.stringify({ name: "arrival", version, lockfileVersion: 3, packages: { "": { name: "arrival", version } } }));
    await writeFile(join(app, "dist", "gateway", "src", "main.js"), `if (process.argv[2] === "health") process.exit(${healthExit});\n`);
    return buildRelease({ appDir: app, outDir: join(dir, "served"), privateKeyPem: await readFile(keys.privateKey, "utf8") });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-software-"));
    keys = await generateReleaseKeys(join(dir, "keys"));
    release = await standIn("5.0.0", 0);
    server = createServer((req, res) => {
      seenAuth.push(req.headers.authorization);
      const name = basename(req.url ?? "");
      readFile(join(dir, "served", name)).then(
        (body) => res.writeHead(200, { "content-type": "application/octet-stream" }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const inboxAt = (updates: string, credentialHosts: readonly string[] = ["127.0.0.1"]) =>
    new HttpUpdateInbox({
      dir: updates,
      authorization: async () => `Basic ${Buffer.from("gw.s1.g1:secret").toString("base64")}`,
      credentialHosts,
    });

  it("sends the gateway's login to no host but the cloud's", async () => {
    const updates = join(dir, "updates-elsewhere");
    seenAuth.length = 0;
    // The release server here is not the cloud: the download works, without the login.
    await inboxAt(updates, ["cloud.example.com"]).put({ release: "5.0.0-x", url: `${baseUrl}/arrival-5.0.0.tgz`, sha256: release.sha256 });
    expect(seenAuth.length).toBeGreaterThan(0);
    expect(seenAuth.every((a) => a === undefined)).toBe(true);
  });

  it("refuses a download whose SHA-256 is not the config's, and leaves nothing behind", async () => {
    const updates = join(dir, "updates-bad");
    const inbox = inboxAt(updates);
    await expect(inbox.put({ release: "5.0.0-x", url: `${baseUrl}/arrival-5.0.0.tgz`, sha256: "0".repeat(64) })).rejects.toThrow(/the config says 0{64}/);
    expect(await readdir(updates)).toEqual([]);
    await expect(inbox.put({ release: "5.0.0-x", url: `${baseUrl}/missing.tgz`, sha256: "0".repeat(64) })).rejects.toThrow(/404/);
    expect(await inbox.requested()).toBeNull();
  });

  it("downloads with the gateway's login, asks for the update, and the updater installs and switches to it", async () => {
    const updates = join(dir, "updates");
    const prefix = join(dir, "opt");
    const name = `5.0.0-${release.sha256.slice(0, 12)}`;
    const updater = new SoftwareUpdater({ runningRelease: "4.9.0-aaaaaaaaaaaa", lastReport: null, inbox: inboxAt(updates), log: new RecordingLogger() });
    await updater.desired({ release: name, url: `${baseUrl}/arrival-5.0.0.tgz`, sha256: release.sha256 });
    expect((await readdir(updates)).sort()).toEqual(["release.tgz", "release.tgz.sha256", "release.tgz.sig", "request", "requested-release"]);
    expect(await inboxAt(updates).requested()).toBe(name);
    expect(seenAuth.at(-1)).toBe(`Basic ${Buffer.from("gw.s1.g1:secret").toString("base64")}`);

    // What arrival-gateway-update.service runs as root when `request` appears.
    const report = join(dir, "update-report.json");
    await execFileAsync("bash", [
      SCRIPT, "take-request", updates,
      "--prefix", prefix,
      "--public-key", keys.publicKey,
      "--restart", "true",
      "--health", `node ${join(prefix, "current", "dist", "gateway", "src", "main.js")} health`,
      "--health-timeout", "0",
      "--report", report,
    ], { env: { ...process.env, npm_config_offline: "true" } });
    expect(JSON.parse(await readFile(report, "utf8"))).toMatchObject({ outcome: "updated", to: name });
    expect(await readlink(join(prefix, "current"))).toBe(`releases/${name}`);
    expect(await readdir(updates)).toEqual(["requested-release"]);
  });
});
