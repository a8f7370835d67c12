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
import type { Rule } from "../../cloud/src/domain/rules/index.js";
import { DEMO_BATCHES, DEMO_LOYALTY_PROGRAM, DEMO_NEWCOMER_EVERY_MS, DEMO_ORG, DEMO_RULES } from "../../scripts/demo/demoStore.js";
import { type DemoSystem, type DemoSystemCredentials, startDemo } from "../../scripts/demo/demoSystem.js";
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

  const run = async (meanwhile?: (demo: DemoSystem) => Promise<void>): Promise<DemoSystemCredentials> => {
    const parsed = parseCloudConfig({ dataDir: dir, http: { port: 0 }, mqtt: { mode: "embedded", port: 0 }, log: { level: "silent" } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const demo = await startDemo({ cloudConfig: parsed.config, log: createLogger({ level: "silent", format: "json", name: "demo" }), seed: 3 });
    try {
      const metrics = await demo.cloud.http.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${demo.credentials.adminKey}` } });
      expect(metrics.statusCode).toBe(200);
      await meanwhile?.(demo);
      return demo.credentials;
    } finally {
      await demo.stop();
    }
  };

  it("keeps every key and password (in a file only its owner reads) and the marketer's rules and programme as they left them", async () => {
    // The marketer ends one demo rule and writes one of their own while the demo runs.
    const [ended] = DEMO_RULES;
    if (!ended) throw new Error("no demo rules");
    const first = await run(async (demo) => {
      const rules = demo.cloud.repositories.rules;
      const current = (await rules.listCurrentRules(DEMO_ORG.id)).find((r) => r.id === ended.id);
      if (!current) throw new Error("demo rule not seeded");
      await rules.putRule(DEMO_ORG.id, { ...current, version: current.version + 1, status: "ended", updatedAt: Date.now() }, Date.now());
      await rules.putRule(DEMO_ORG.id, { ...current, id: "my-own-rule", version: 1, status: "live", updatedAt: Date.now() }, Date.now());
      // And makes visits worth more in the loyalty programme the demo wrote.
      const edited = await demo.cloud.http.inject({
        method: "PUT",
        url: "/v1/loyalty/program",
        headers: { authorization: `Bearer ${demo.credentials.marketerKey}` },
        payload: { ...DEMO_LOYALTY_PROGRAM, visit: { points: 25, maxPerDay: 1 } },
      });
      expect(edited.statusCode).toBe(200);
    });
    let after: Rule[] = [];
    let program: { version: number; program: { visit: unknown } } | null = null;
    const second = await run(async (demo) => {
      after = await demo.cloud.repositories.rules.listCurrentRules(DEMO_ORG.id);
      const read = await demo.cloud.http.inject({
        method: "GET",
        url: "/v1/loyalty/program",
        headers: { authorization: `Bearer ${demo.credentials.marketerKey}` },
      });
      program = read.json();
    });
    // Nor put the demo's programme back over the marketer's.
    expect(program).toMatchObject({ version: 2, program: { visit: { points: 25, maxPerDay: 1 } } });
    // The restart neither revived the ended rule nor ended the marketer's own.
    expect(after.find((r) => r.id === ended.id)).toMatchObject({ status: "ended", version: 2 });
    expect(after.find((r) => r.id === "my-own-rule")).toMatchObject({ status: "live" });
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

describe("npm start's banner", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-demo-banner-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("says that new members keep walking in and which offers run out, then stops cleanly on Ctrl-C", { timeout: 120_000 }, async () => {
    const child = new TsxChild("scripts/demo.ts", [
      "--http-port", String(await freePort()),
      "--mqtt-port", String(await freePort()),
      "--ws-port", String(await freePort()),
      "--data-dir", dir,
    ]);
    try {
      await child.waitForLine((l) => l === "Press Ctrl-C to stop.", 90_000, "the end of the banner");
      const banner = child.lines.join("\n");
      expect(banner).toContain(`a new member signs up and walks in every ${DEMO_NEWCOMER_EVERY_MS / 1000} s for as long as the demo runs`);
      expect(banner).toContain(`Each shopper gets at most ${DEMO_ORG.maxOffersPerUserPerDay} a day and one welcome ever`);
      expect(banner).toContain("the free-coffee flash stops after its 20 coupons");
      expect(banner).toContain("One membership for the app and the till: 1 point per HK$10.00 spent, 10 points a visit (at most 2 a day)");
      expect(banner).toContain(`"${DEMO_BATCHES.lipstick.spec.title}" claimed online`);
    } finally {
      expect((await child.kill("SIGINT")).code).toBe(0);
    }
  });
});
