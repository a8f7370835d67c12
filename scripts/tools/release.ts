/**
 * `npm run release`: builds the app and packs a pinned, signed release (see releaseArtifacts.ts).
 *
 *   npm run release -- --key release-signing.key [--out release/] [--no-build] [--unsigned]
 *   npm run release -- keygen [--out DIR]
 *
 * The key may also come from ARRIVAL_RELEASE_KEY_FILE. Exit codes: 0 done, 1 failed, 2 usage.
 */
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { buildRelease, generateReleaseKeys } from "./releaseArtifacts.js";

const ROOT = join(import.meta.dirname, "..", "..");

const USAGE = `Usage: npm run release -- --key FILE [--out DIR] [--no-build] [--unsigned]
       npm run release -- keygen [--out DIR]

Builds the app (npm run build) and writes DIR/arrival-VERSION.tgz (with npm-shrinkwrap.json, so
gateways install identical dependencies with npm ci), its .sha256 and its Ed25519 .sig made with
the operator's private key (--key, or ARRIVAL_RELEASE_KEY_FILE). DIR defaults to release/.
keygen writes release-signing.key (keep it secret, off the gateways) and release-signing.pub
(install it on each gateway as /etc/arrival-gateway/release-signing.pub; provision.sh does).
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: "string" },
      out: { type: "string" },
      "no-build": { type: "boolean", default: false },
      unsigned: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (extra.length > 0 || (command !== undefined && command !== "keygen")) {
    process.stderr.write(`unexpected ${JSON.stringify(positionals.join(" "))}\n\n${USAGE}`);
    return 2;
  }
  if (command === "keygen") {
    const keys = await generateReleaseKeys(values.out ?? ".");
    process.stdout.write(`private key: ${keys.privateKey} (mode 0600: keep it off the gateways)\npublic key:  ${keys.publicKey}\n`);
    return 0;
  }
  const keyFile = values.key ?? process.env.ARRIVAL_RELEASE_KEY_FILE;
  if (keyFile === undefined && !values.unsigned) {
    process.stderr.write(`a release is signed: pass --key FILE (or --unsigned for a local test build)\n\n${USAGE}`);
    return 2;
  }
  if (!values["no-build"]) {
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
    if (build.status !== 0) return 1;
  }
  const files = await buildRelease({
    appDir: ROOT,
    outDir: values.out ?? join(ROOT, "release"),
    privateKeyPem: keyFile === undefined || values.unsigned ? null : await readFile(keyFile, "utf8"),
  });
  const show = (path: string) => relative(process.cwd(), path) || path;
  process.stdout.write(
    [
      `release ${files.version}`,
      `  ${show(files.tarball)}`,
      `  ${show(files.checksum)}  sha256 ${files.sha256}`,
      files.signature === null ? "  (unsigned: install-release.sh will refuse it)" : `  ${show(files.signature)}`,
      "",
    ].join("\n"),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
