import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The version of the installed package: the `version` of the nearest package.json above this
 * module (the checkout's when run from source, the release's in `/opt/arrival-gateway/current`
 * after `tsc` to `dist/`). What the gateway reports in its status and telemetry, so the fleet view
 * shows what is really installed. Read once, at start.
 */
export function packageVersion(from: string = fileURLToPath(import.meta.url)): string {
  return installedPackage(from).version;
}

/**
 * The installed package above this module: its version and its directory. Node resolves the
 * symlinks of the main module, so under /opt/arrival-gateway/current the directory is the release
 * itself (`releases/VERSION-HASH`), which tells two builds of one version apart.
 */
export function installedPackage(from: string = fileURLToPath(import.meta.url)): { version: string; dir: string } {
  let dir = dirname(from);
  for (;;) {
    let text: string | null;
    try {
      text = readFileSync(join(dir, "package.json"), "utf8");
    } catch {
      text = null;
    }
    if (text !== null) {
      const version = (JSON.parse(text) as { version?: unknown }).version;
      if (typeof version === "string" && version !== "") return { version, dir };
      throw new Error(`${join(dir, "package.json")} has no version`);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}
