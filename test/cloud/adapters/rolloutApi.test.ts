/**
 * A staged rollout through the API and the real fleet path: the canaries' desired configs get the
 * release, their update reports (in their retained status) open the health gate, then the rest
 * get it; a rollback halts it. Gateways are driven by their status messages, time by a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMessage, gatewayTopic } from "../../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";

const RELEASE = "0.2.0-0123456789ab";
const software = { release: RELEASE, url: "https://releases.example/arrival-0.2.0.tgz", sha256: "e".repeat(64) };

interface Plan {
  phase: string;
  assign: string[];
  canaries: string[];
  done: string[];
  failed: string[];
  reason: string;
}

describe("rollout API", () => {
  let f: CloudFixture;
  const clock = new ManualClock("2026-03-02T09:00:00Z");

  const call = (method: "GET" | "PUT" | "POST", url: string, payload?: unknown, key = f.keys.admin) =>
    f.cloud.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const status = (
    gatewayId: string,
    update?: { outcome: string; from: string | null; to: string | null; reason: string | null },
    updateAt = clock.now(),
  ) =>
    f.cloud.fleet.handleStatus(
      gatewayTopic("s1", gatewayId, "status"),
      encodeMessage({
        v: 1,
        state: "online",
        at: new Date(clock.now()).toISOString(),
        version: "0.2.0",
        scan: { state: "scanning", lastAdvertAgeS: 0 },
        ...(update ? { update: { ...update, at: new Date(updateAt).toISOString() } } : {}),
      }),
    );
  const softwareOf = async (id: string) =>
    (await f.cloud.repositories.fleet.desiredConfigs()).find((d) => d.gatewayId === id)?.config.software?.release ?? null;
  const plan = async () => {
    const res = await call("GET", "/v1/stores/s1/rollout");
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ plan: Plan; paused: boolean }>();
  };

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    for (const id of ["g2", "g3", "g4"]) await f.cloud.repositories.directory.upsertGateway({ id, storeId: "s1", name: id }, clock.now());
    for (const id of ["g1", "g2", "g3", "g4"]) await status(id);
  });
  afterAll(async () => {
    await f?.close();
  });

  it("answers 404 before a rollout, and refuses a body that is not a release", async () => {
    expect((await call("GET", "/v1/stores/s1/rollout")).statusCode).toBe(404);
    const bad = await call("PUT", "/v1/stores/s1/rollout", { ...software, canaryShare: 2 });
    expect(bad.statusCode).toBe(400);
  });

  it("lets only an admin choose the software in a direct config push", async () => {
    const ops = (await f.cloud.credentials.issueApiKey({ role: "store-ops", orgId: "o1", storeId: "s1", label: "ops" }, "test")).key;
    const byOps = await call("POST", "/v1/gateways/g2/config", { software }, ops);
    expect(byOps.statusCode, byOps.body).toBe(403);
    expect(byOps.json<{ error: { message: string } }>().error.message).toMatch(/only an admin key may choose the gateways' software/);
    expect((await call("POST", "/v1/stores/s1/config", { software }, ops)).statusCode).toBe(403);
    expect(await softwareOf("g2")).toBeNull();
    // Without software, the store's own ops key still pushes configs as before.
    const tuned = await call("POST", "/v1/gateways/g2/config", { presence: { exitAfterMs: 15_000 } }, ops);
    expect(tuned.statusCode, tuned.body).toBe(200);
  });

  it("gives the canaries the release first, the rest after the health gate, and halts on a rollback", async () => {
    // g1 runs with its own presence tuning; the rollout changes its release, not its tuning.
    const tuned = await call("POST", "/v1/gateways/g1/config", { presence: { exitAfterMs: 15_000 } });
    expect(tuned.statusCode, tuned.body).toBe(200);
    const presenceOf = async (id: string) =>
      (await f.cloud.repositories.fleet.desiredConfigs()).find((d) => d.gatewayId === id)?.config.presence;
    const started = await call("PUT", "/v1/stores/s1/rollout", { ...software, canaryShare: 0.25, healthGateS: 600 });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json<{ plan: Plan }>().plan).toMatchObject({ phase: "canary", canaries: ["g1"], assign: ["g1"] });
    expect(await softwareOf("g1")).toBe(RELEASE);
    expect(await presenceOf("g1")).toEqual({ exitAfterMs: 15_000 });
    expect(await softwareOf("g2")).toBeNull();

    // g1 installed it and came up healthy: the gate runs from its report.
    const updatedAt = clock.now();
    const updated = { outcome: "updated", from: "0.1.0-aaaaaaaaaaaa", to: RELEASE, reason: null };
    await status("g1", updated);
    expect((await plan()).plan).toMatchObject({ phase: "gated", done: ["g1"] });
    expect(await softwareOf("g2")).toBeNull();

    // Paused during the gate: nothing moves when it passes.
    expect((await call("POST", "/v1/stores/s1/rollout/pause")).json<{ paused: boolean }>().paused).toBe(true);
    clock.advance(601_000);
    // Its status repeats the same report (as the gateway reads it from update-report.json).
    await status("g1", updated, updatedAt);
    expect((await plan()).plan.phase).toBe("paused");
    expect(await softwareOf("g2")).toBeNull();

    // Resumed: the rest are told.
    const resumed = await call("POST", "/v1/stores/s1/rollout/resume");
    expect(resumed.json<{ plan: Plan }>().plan).toMatchObject({ phase: "rest", assign: ["g2", "g3", "g4"] });
    for (const id of ["g2", "g3", "g4"]) expect(await softwareOf(id)).toBe(RELEASE);

    // g3 did not come up: it switched back by itself and said why; the rollout halts and names it.
    await status("g3", { outcome: "rolled-back", from: "0.1.0-aaaaaaaaaaaa", to: RELEASE, reason: `${RELEASE} not healthy within 120 s` });
    expect((await plan()).plan).toMatchObject({ phase: "halted", failed: ["g3"] });
  });
});
