import { Default } from "typebox/value";
import { Checker, type Problem } from "../../../protocol/index.js";
import { type CloudConfig, CloudConfigSchema, EmbeddedMqttSchema, ExternalMqttSchema } from "./schema.js";

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
  ARRIVAL_MQTT_WS_PORT: ["mqtt", "websocket", "port"],
  ARRIVAL_MQTT_MODE: ["mqtt", "mode"],
  ARRIVAL_MQTT_URL: ["mqtt", "url"],
  ARRIVAL_MQTT_USERNAME: ["mqtt", "username"],
  ARRIVAL_MQTT_PASSWORD_FILE: ["mqtt", "passwordFile"],
  ARRIVAL_MQTT_PROVISIONING: ["mqtt", "provisioning"],
  ARRIVAL_MQTT_DYNSEC_USERNAME: ["mqtt", "dynsec", "username"],
  ARRIVAL_MQTT_DYNSEC_PASSWORD_FILE: ["mqtt", "dynsec", "passwordFile"],
  ARRIVAL_LOG_LEVEL: ["log", "level"],
  ARRIVAL_LOG_FORMAT: ["log", "format"],
  ARRIVAL_STORAGE: ["storage", "kind"],
  ARRIVAL_PG_URL: ["storage", "url"],
  ARRIVAL_PG_PASSWORD: ["storage", "password"],
  ARRIVAL_PG_PASSWORD_FILE: ["storage", "passwordFile"],
};

/** Sets `path` in a plain document, creating objects on the way; integers given as text are converted. */
export function setPath(document: Record<string, unknown>, path: readonly string[], raw: string): void {
  let node = document;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === "object" && next !== null ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  // Only digits that read back the same become a number: "0123" or a 20-digit secret stay text.
  const number = Number(raw);
  node[last] = /^-?\d+$/.test(raw) && Number.isSafeInteger(number) && String(number) === raw ? number : raw;
}

/**
 * The `mqtt` section names its mode; without one it is external when it gives a broker `url` and
 * embedded otherwise, so `npm start` and every existing config keep the embedded broker. The
 * defaults of the branch the mode names are applied first: a union's defaults would otherwise only
 * be filled in for a value that is already valid, and one mistake would hide behind "required".
 */
function withMqttDefaults(document: unknown): unknown {
  if (typeof document !== "object" || document === null) return document;
  const mqtt = (document as Record<string, unknown>).mqtt;
  if (typeof mqtt !== "object" || mqtt === null) return document;
  const section = { ...(mqtt as Record<string, unknown>) };
  section.mode ??= "url" in section ? "external" : "embedded";
  const branch =
    section.mode === "embedded" ? EmbeddedMqttSchema : section.mode === "external" ? ExternalMqttSchema : null;
  return { ...document, mqtt: branch ? Default(branch, section) : section };
}

/**
 * The `storage` section names its kind; without one it is PostgreSQL when it gives a `url` and
 * SQLite otherwise, so ARRIVAL_PG_URL alone selects PostgreSQL and every existing config keeps SQLite.
 */
function withStorageDefaults(document: unknown): unknown {
  if (typeof document !== "object" || document === null) return document;
  const storage = (document as Record<string, unknown>).storage;
  if (typeof storage !== "object" || storage === null) return document;
  const section = { ...(storage as Record<string, unknown>) };
  section.kind ??= "url" in section ? "postgres" : "sqlite";
  // The environment turns digits into numbers (setPath); a password is text whatever it holds.
  if (typeof section.password === "number") section.password = String(section.password);
  return { ...document, storage: section };
}

/**
 * Rules a schema cannot say: one password source for each account, and a separate dynsec admin
 * account when the cloud provisions mosquitto (the service account moves messages; only the admin
 * may change who may do what, and its client id must not be bound like the service account's).
 */
function crossFieldProblems(config: CloudConfig): Problem[] {
  const problems: Problem[] = [];
  if (config.storage.kind === "postgres" && config.storage.password !== undefined && config.storage.passwordFile !== undefined)
    problems.push({ path: "/storage", message: "set password (ARRIVAL_PG_PASSWORD) or passwordFile, not both" });
  if (config.mqtt.mode !== "external") return problems;
  const onePassword = (path: string, account: { password?: string; passwordFile?: string }) => {
    if (account.password !== undefined && account.passwordFile !== undefined)
      problems.push({ path, message: "set password or passwordFile, not both" });
  };
  onePassword("/mqtt", config.mqtt);
  if (config.mqtt.password === undefined && config.mqtt.passwordFile === undefined)
    problems.push({ path: "/mqtt", message: "the service account needs password or passwordFile" });
  if (config.mqtt.dynsec) onePassword("/mqtt/dynsec", config.mqtt.dynsec);
  if (config.mqtt.provisioning === "mosquitto-dynsec") {
    if (!config.mqtt.dynsec)
      problems.push({
        path: "/mqtt/dynsec",
        message: 'the dynsec admin account (username, password or passwordFile) is required to provision mosquitto; or set provisioning to "none"',
      });
    else if (config.mqtt.dynsec.password === undefined && config.mqtt.dynsec.passwordFile === undefined)
      problems.push({ path: "/mqtt/dynsec", message: "the dynsec admin account needs password or passwordFile" });
  }
  return problems;
}

/** Applies defaults and validates; every problem is reported with its path. */
export function parseCloudConfig(document: unknown): CloudConfigResult {
  const value = Default(CloudConfigSchema, withStorageDefaults(withMqttDefaults(structuredClone(document ?? {}))));
  const checked = checker.check(value);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const problems = crossFieldProblems(checked.value);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: Object.freeze(checked.value) };
}
