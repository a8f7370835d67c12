import { Default } from "typebox/value";
import { Checker, type Problem } from "../../../protocol/index.js";
import { type CloudConfig, CloudConfigSchema } from "./schema.js";

const checker = new Checker(CloudConfigSchema);

export type CloudConfigResult =
  | { ok: true; config: Readonly<CloudConfig> }
  | { ok: false; problems: Problem[] };

/** Environment variables that override the file, and the config path each one sets. */
export const ENVIRONMENT: Readonly<Record<string, readonly string[]>> = {
  ARRIVAL_DATA_DIR: ["dataDir"],
  ARRIVAL_HTTP_HOST: ["http", "host"],
  ARRIVAL_HTTP_PORT: ["http", "port"],
  ARRIVAL_MQTT_HOST: ["mqtt", "host"],
  ARRIVAL_MQTT_PORT: ["mqtt", "port"],
  ARRIVAL_LOG_LEVEL: ["log", "level"],
  ARRIVAL_LOG_FORMAT: ["log", "format"],
};

/** Sets `path` in a plain document, creating objects on the way; numbers given as text are converted. */
export function setPath(document: Record<string, unknown>, path: readonly string[], raw: string): void {
  let node = document;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === "object" && next !== null ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  node[last] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
}

/** Applies defaults and validates; every problem is reported with its path. */
export function parseCloudConfig(document: unknown): CloudConfigResult {
  const value = Default(CloudConfigSchema, structuredClone(document ?? {}));
  const checked = checker.check(value);
  return checked.ok
    ? { ok: true, config: Object.freeze(checked.value) }
    : { ok: false, problems: checked.problems };
}
