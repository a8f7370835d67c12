import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** One file of the console as served: its bytes, content type and strong validator. */
export interface ConsoleAsset {
  readonly body: Buffer;
  /** The same bytes gzip-compressed once, for clients that accept it (a third of the size for JS). */
  readonly gzipped: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

/** The console's files by name (`index.html`, `app.js`, `app.css`). */
export type ConsoleAssets = ReadonlyMap<string, ConsoleAsset>;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** The names `buildConsole` writes; nothing else is ever served. */
export const CONSOLE_FILES = ["index.html", "app.js", "app.css"] as const;

function asset(name: string, body: Buffer): ConsoleAsset {
  const ext = name.slice(name.lastIndexOf("."));
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  return {
    body,
    gzipped: gzipSync(body, { level: 9 }),
    contentType: CONTENT_TYPES[ext] ?? "application/octet-stream",
    etag,
  };
}

/**
 * The repository root as seen from this file: `cloud/src/adapters/http/console` under tsx, or
 * `dist/cloud/src/adapters/http/console` once compiled (then the "root" is `dist/`, where
 * `npm run build` wrote the bundled console).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../..");

/**
 * Bundles the console from `console/` with esbuild's JS API, in memory: TypeScript to one minified
 * ES module and one stylesheet. esbuild is a development dependency; it is loaded only here, so a
 * production install serves the prebuilt files instead.
 */
export async function bundleConsole(sourceDir: string = join(ROOT, "console")): Promise<ConsoleAssets> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: { app: join(sourceDir, "src", "main.ts") },
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2022", "chrome110", "firefox110", "safari16"],
    outdir: "/console",
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  const assets = new Map<string, ConsoleAsset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf("/") + 1);
    assets.set(name, asset(name, Buffer.from(file.contents)));
  }
  assets.set("index.html", asset("index.html", await readFile(join(sourceDir, "index.html"))));
  return assets;
}

/** Reads a console written by `npm run build` (`dist/console`). */
export async function readBuiltConsole(dir: string): Promise<ConsoleAssets> {
  const assets = new Map<string, ConsoleAsset>();
  for (const name of CONSOLE_FILES) assets.set(name, asset(name, await readFile(join(dir, name))));
  return assets;
}

/**
 * The console to serve: the prebuilt files when this code runs compiled next to them, else a fresh
 * in-memory bundle of the sources (development, tests, `npm start`), so what runs is never stale.
 */
export async function loadConsole(): Promise<ConsoleAssets> {
  const built = join(ROOT, "console");
  if (existsSync(join(built, "app.js")) && !existsSync(join(built, "src"))) return readBuiltConsole(built);
  return bundleConsole();
}
