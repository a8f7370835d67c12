import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { createCloud } from "../../cloud/src/createCloud.js";

/** Where the generated types are committed, relative to the repository root. */
export const API_TYPES_PATH = "sdk/src/generated/api.ts";

/** The command that regenerates them (package.json "api-types"). */
export const API_TYPES_COMMAND = "npm run -s api-types";

/**
 * The API's OpenAPI document as the cloud serves it at `/docs/openapi.json`: built by a cloud
 * composed in a temporary directory (never started: nothing listens), read through its router.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), "arrival-openapi-"));
  try {
    const parsed = parseCloudConfig({ dataDir: dir, http: { port: 0 }, mqtt: { mode: "embedded", port: 0 }, log: { level: "silent" } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const cloud = await createCloud(parsed.config, { log: createLogger({ level: "silent", format: "json", name: "api-types" }), clock: { now: () => Date.now() } });
    try {
      const res = await cloud.http.inject({ method: "GET", url: "/docs/openapi.json" });
      if (res.statusCode !== 200) throw new Error(`GET /docs/openapi.json answered ${res.statusCode}`);
      return res.json<Record<string, unknown>>();
    } finally {
      await cloud.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The TypeScript types of the document (openapi-typescript), with a header saying how they are made. */
export async function renderApiTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return [
    "/**",
    " * The Arrival cloud API's types, generated from its OpenAPI document (what `/docs/openapi.json` serves)",
    ` * by \`${API_TYPES_COMMAND}\`; do not edit. The console and the SDK type their calls with these, so a`,
    " * change of the contract that they do not follow fails the type-check.",
    " */",
    astToString(ast),
  ].join("\n");
}
