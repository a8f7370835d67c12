import { readFile } from "node:fs/promises";
import { Default } from "typebox/value";
import type { PresenceTuning, Problem } from "../../../protocol/index.js";
import { Checker } from "../../../protocol/index.js";
import { DEFAULT_PRESENCE, type GatewayConfigInput, GatewayConfigSchema } from "./schema.js";

/** A validated, frozen gateway configuration with every default applied. */
export type GatewayConfig = Readonly<GatewayConfigInput> & { readonly presenceTuning: PresenceTuning };

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; problems: Problem[] };

const checker = new Checker(GatewayConfigSchema);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** Validates a parsed config document; every problem is reported with its JSON path. */
export function parseGatewayConfig(document: unknown): ConfigResult {
  const withDefaults = Default(GatewayConfigSchema, structuredClone(document));
  const checked = checker.check(withDefaults);
  // The cross-field rules run on a file with schema errors too, so one pass reports every problem.
  const problems: Problem[] = [...(checked.ok ? [] : checked.problems), ...crossFieldProblems(withDefaults)];
  if (!checked.ok || problems.length > 0) return { ok: false, problems };
  const value = checked.value;
  const presenceTuning: PresenceTuning = {
    ...DEFAULT_PRESENCE,
    dwellMarksMs: [...DEFAULT_PRESENCE.dwellMarksMs],
    ...value.presence,
  };
  return { ok: true, config: deepFreeze({ ...value, presenceTuning }) };
}

/** Rules the schema cannot say, read defensively: the document may not match the schema. */
function crossFieldProblems(document: unknown): Problem[] {
  const problems: Problem[] = [];
  const doc = (typeof document === "object" && document !== null ? document : {}) as {
    mqtt?: { password?: unknown; passwordFile?: unknown; certFile?: unknown };
    zones?: unknown;
    peers?: unknown;
    lan?: unknown;
    site?: { lat?: unknown; lon?: unknown };
  };
  const mqtt = doc.mqtt;
  if (typeof mqtt === "object" && mqtt !== null && !mqtt.password && !mqtt.passwordFile && !mqtt.certFile) {
    problems.push({
      path: "/mqtt",
      message: "needs password, passwordFile or certFile: anonymous access is refused",
    });
  }
  const zoneIds = new Set<string>();
  (Array.isArray(doc.zones) ? (doc.zones as unknown[]) : []).forEach((zone, i) => {
    const id = (zone as { id?: unknown } | null)?.id;
    if (typeof id !== "string") return;
    if (zoneIds.has(id)) problems.push({ path: `/zones/${i}/id`, message: `duplicate zone id ${JSON.stringify(id)}` });
    zoneIds.add(id);
  });
  const peers = Array.isArray(doc.peers) ? (doc.peers as unknown[]) : [];
  const lanPeers = peers.filter((p) => typeof (p as { lan?: unknown } | null)?.lan === "string");
  peers.forEach((p, i) => {
    const lan = (p as { lan?: unknown } | null)?.lan;
    const port = typeof lan === "string" ? Number(lan.slice(lan.lastIndexOf(":") + 1)) : Number.NaN;
    if (typeof lan === "string" && /:[0-9]{1,5}$/.test(lan) && !(port >= 1 && port <= 65_535))
      problems.push({ path: `/peers/${i}/lan`, message: `port ${port} is not within 1..65535` });
  });
  if (lanPeers.length > 0) {
    // Sharing sightings without a key, or without the positions that let them be pooled, would
    // either be open to anyone on the LAN or change nothing: refused rather than half-working.
    if (doc.lan === undefined)
      problems.push({ path: "/lan", message: "peers have lan addresses: the lan section (with keyFile) is required" });
    if (typeof doc.site?.lat !== "number" || typeof doc.site.lon !== "number")
      problems.push({ path: "/site", message: "peers have lan addresses: site.lat and site.lon are required to pool their evidence" });
  }
  return problems;
}

/** Reads and validates a JSON config file. */
export async function loadGatewayConfig(path: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    return { ok: false, problems: [{ path: "", message: `cannot read ${path}: ${(err as Error).message}` }] };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [{ path: "", message: `${path} is not valid JSON: ${withLine(text, (err as Error).message)}` }],
    };
  }
  return parseGatewayConfig(document);
}

/** Adds the line and column to a JSON.parse message that gives only a position (Node 20). */
function withLine(text: string, message: string): string {
  const match = /at position (\d+)/.exec(message);
  if (match?.[1] === undefined || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(match[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message} (line ${line} column ${column})`;
}
