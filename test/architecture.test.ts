import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/**
 * Every module specifier a file imports, statically or dynamically. With `runtimeOnly`, type-only
 * imports are left out: they vanish at compile time and touch no library at run time.
 */
function importsOf(file: string, runtimeOnly = false): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specs = new Set<string>();
  for (const m of text.matchAll(
    /(import|export)(\s+type)?\s[^"';]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
  )) {
    if (runtimeOnly && m[2]) continue;
    const spec = m[3] ?? m[4];
    if (spec) specs.add(spec);
  }
  return [...specs];
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(spec: string): string | null {
  if (spec.startsWith(".") || spec.startsWith("node:")) return null;
  const parts = spec.split("/");
  return spec.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? null);
}

const resolvedDir = (file: string, spec: string) => relative(ROOT, join(ROOT, file, "..", spec));

const appFiles = [
  ...sources("protocol"),
  ...sources("gateway/src"),
  ...sources("cloud/src"),
  ...sources("sdk/src"),
];

describe("architecture", () => {
  it("keeps the gateway and the cloud apart, and the protocol free of both", () => {
    const offences: string[] = [];
    for (const file of appFiles) {
      for (const spec of importsOf(file).filter((s) => s.startsWith("."))) {
        const target = resolvedDir(file, spec);
        if (file.startsWith("gateway/") && target.startsWith("cloud/")) offences.push(`${file} → ${spec}`);
        if (file.startsWith("cloud/") && target.startsWith("gateway/")) offences.push(`${file} → ${spec}`);
        if (file.startsWith("sdk/") && /^(cloud|gateway)\//.test(target)) offences.push(`${file} → ${spec}`);
        if (/^(cloud|gateway)\//.test(file) && target.startsWith("sdk/")) offences.push(`${file} → ${spec}`);
        if (file.startsWith("protocol/") && !target.startsWith("protocol/"))
          offences.push(`${file} → ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("keeps domain code pure: no adapters, no services, no I/O modules", () => {
    const offences: string[] = [];
    for (const file of appFiles.filter((f) => f.includes("/domain/"))) {
      for (const spec of importsOf(file)) {
        const target = spec.startsWith(".") ? resolvedDir(file, spec) : spec;
        if (/\/(adapters|services)\//.test(target)) offences.push(`${file} → ${spec}`);
        if (spec.startsWith("node:") || ["fs", "net", "http", "child_process"].includes(spec))
          offences.push(`${file} → ${spec}`);
        const pkg = packageOf(spec);
        if (pkg && !["typebox", "geolib"].includes(pkg)) offences.push(`${file} → ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("lets each library be touched by one adapter folder per application", () => {
    const owners: Record<string, RegExp> = {
      "@abandonware/noble": /^gateway\/src\/adapters\/noble\//,
      sqlite3: /^(gateway|cloud)\/src\/adapters\/sqlite\//,
      pg: /^cloud\/src\/adapters\/postgres\//,
      mqtt: /^gateway\/src\/adapters\/mqtt\/|^cloud\/src\/adapters\/mqtt\/|^sdk\/src\/adapters\/mqtt\//,
      aedes: /^cloud\/src\/adapters\/broker\//,
      // The embedded broker's WebSocket transport; MQTT.js brings its own client side.
      ws: /^cloud\/src\/adapters\/broker\//,
      fastify: /^cloud\/src\/adapters\/http\//,
      "@fastify/swagger": /^cloud\/src\/adapters\/http\//,
      "@fastify/rate-limit": /^cloud\/src\/adapters\/http\//,
      pino: /^(gateway|cloud)\/src\/adapters\/log\//,
      "pino-pretty": /^(gateway|cloud)\/src\/adapters\/log\//,
      "prom-client": /^cloud\/src\/adapters\/metrics\//,
      geolib: /^gateway\/src\/domain\/zones\/|^cloud\/src\/domain\/privacy\//,
      // Bundles the browser console (a development dependency, loaded only when serving from source).
      esbuild: /^cloud\/src\/adapters\/http\/console\//,
    };
    // Node built-ins with one owner: the store LAN's UDP socket.
    const builtinOwners: Record<string, RegExp> = { "node:dgram": /^gateway\/src\/adapters\/lan\// };
    const offences: string[] = [];
    for (const file of appFiles) {
      for (const spec of importsOf(file, true)) {
        const pkg = packageOf(spec) ?? (spec in builtinOwners ? spec : null);
        const owner = pkg ? (owners[pkg] ?? builtinOwners[pkg]) : undefined;
        if (owner && !owner.test(file)) offences.push(`${file} imports ${pkg}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("keeps the app client library runnable in browsers and React Native: no Node modules or globals", () => {
    const offences: string[] = [];
    // The protocol is bundled into the client too; its Buffer uses sit in Node-side helpers
    // (encodeMessage, formatUuid) that the client never calls, so only sdk/ is held to this.
    for (const file of sources("sdk/src")) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith("node:") || ["fs", "net", "http", "tls", "crypto", "events", "buffer"].includes(spec))
          offences.push(`${file} → ${spec}`);
      }
      const code = readFileSync(join(ROOT, file), "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
      for (const global of ["Buffer", "process", "require", "__dirname"]) {
        if (new RegExp(`\\b${global}\\b`).test(code)) offences.push(`${file} uses ${global}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("keeps HTTP routes in front of services: no repository, and statuses only from the error catalogue", () => {
    const httpFiles = sources("cloud/src/adapters/http");
    const offences: string[] = [];
    for (const file of httpFiles) {
      const code = readFileSync(join(ROOT, file), "utf8");
      // A route asks a service; the repositories (ports named *Repository or *Store) are behind it.
      for (const m of code.matchAll(/\b\w*(Repository|RuleStore)\b/g)) offences.push(`${file} names ${m[0]}`);
      for (const spec of importsOf(file).filter((s) => s.startsWith("."))) {
        if (resolvedDir(file, spec).startsWith("cloud/src/adapters/sqlite")) offences.push(`${file} → ${spec}`);
      }
      // Error statuses come from the catalogue in refusals.ts (ApiError's statusCode), never a literal.
      if (/\.(status|code)\(\s*[45]\d\d\s*\)/.test(code)) offences.push(`${file} sets an error status itself`);
    }
    expect(httpFiles).toContain("cloud/src/adapters/http/refusals.ts");
    expect(offences).toEqual([]);
  });

  it("finds the imports it checks (the scan itself works)", () => {
    expect(importsOf("cloud/src/adapters/broker/EmbeddedBroker.ts")).toContain("aedes");
    expect(appFiles.length).toBeGreaterThan(40);
    expect(importsOf("sdk/src/adapters/mqtt/mqttOfferChannel.ts")).toContain("mqtt");
    expect(importsOf("cloud/src/adapters/metrics/PromMetrics.ts")).toContain("prom-client");
  });
});
