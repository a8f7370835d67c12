/**
 * The demo run again on the same data directory, as someone who stopped it for lunch would: the
 * keys and passwords printed the first time still work (the open console, the till's curl,
 * mosquitto_sub), the admin key reads /metrics, and a busy port is one line naming its flag.
 */
import { createServer, type Server } from "node:net";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type DemoSystemCredentials, startDemo } from "../../scripts/demo/demoSystem.js";
import { freePort } from "../support/freePort.js";
import { TsxChild } from "../support/TsxChild.js";

describe("the demo across a restart", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-demo-restart-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (): Promise<DemoSystemCredentials> => {
    const parsed = parseCloudConfig({ dataDir: dir, http: { port: 0 }, mqtt: { mode: "embedded", port: 0 }, log: { level: "silent" } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const demo = await startDemo({ cloudConfig: parsed.config, log: createLogger({ level: "silent", format: "json", name: "demo" }), seed: 3 });
    try {
      const metrics = await demo.cloud.http.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${demo.credentials.adminKey}` } });
      expect(metrics.statusCode).toBe(200);
      return demo.credentials;
    } finally {
      await demo.stop();
    }
  };

  it("keeps every key and password, and keeps them in a file only its owner reads", async () => {
    const first = await run();
    const second = await run();
    expect(second.posKey).toBe(first.posKey);
    expect(second.marketerKey).toBe(first.marketerKey);
    expect(second.adminKey).toBe(first.adminKey);
    expect(second.appKey).toEqual(first.appKey);
    expect(second.apps).toEqual(first.apps);
    expect(second.shopperTokens).toEqual(first.shopperTokens);
    expect((await stat(join(dir, "demo-credentials.json"))).mode & 0o777).toBe(0o600);
  });
});

describe("npm start on a busy port", () => {
  let busy: Server;
  let port: number;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-demo-busy-"));
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it("says which port is taken and which flag moves it, in one line, and exits 1", async () => {
    const child = new TsxChild("scripts/demo.ts", [
      "--http-port", String(port),
      "--mqtt-port", String(await freePort()),
      "--ws-port", String(await freePort()),
      "--data-dir", dir,
    ]);
    const exit = await child.exited;
    expect(exit.code).toBe(1);
    expect(child.errorOutput.trim()).toBe(`Port ${port} is in use (another Arrival demo?): stop it, or choose another port with --http-port N.`);
  });
});
