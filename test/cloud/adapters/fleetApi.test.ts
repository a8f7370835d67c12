import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encodeMessage, gatewayTopic, type Telemetry } from "../../../protocol/index.js";
import { parsePrometheusText } from "../../support/prometheusText.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";

interface GatewayJson {
  id: string;
  storeId: string;
  name: string;
  state: string;
  lastSeenAt: string | null;
  version: string | null;
  offlineSinceAt: string | null;
  offlineTooLong: boolean;
  telemetry: Telemetry | null;
  advertising: { state: string; format?: string; slotStart?: string; error?: string } | null;
  lan: {
    peers: { id: string; heardRecently: boolean; clockOffsetMs: number | null }[];
    silentPeers: string[];
    clockOffsetMs: number | null;
    recovery: { missed: number; requested: number; resent: number; recovered: number; givenUp: number } | null;
  } | null;
  config: { desiredRevision: number | null; reportedRevision: number | null; state: string; problems: unknown[] };
}

function telemetry(clock: ManualClock, eventsSent: number): Telemetry {
  return {
    v: 1,
    at: clock.iso(),
    version: "0.1.0",
    uptimeS: 10,
    advertsPerS: 3.5,
    subjectsTracked: 2,
    outboxDepth: 0,
    outboxOldestAgeS: 0,
    eventsSent,
    reconnects: 0,
    cpuPercent: 1.5,
    rssBytes: 50_000_000,
  };
}

/**
 * The fleet routes and /metrics over a real cloud (SQLite in a temp dir, embedded broker, fastify
 * inject), with status and telemetry handed to the fleet service as the broker delivers them and a
 * manual clock, so staleness and the offline alert are exact. Defaults: stale after 120 s, alert
 * after 600 s, one history sample per 10 s.
 */
describe("fleet API", () => {
  let f: CloudFixture;
  const clock = new ManualClock("2026-03-02T09:00:00Z");
  let opsS1: string;
  let opsS2: string;

  const call = (method: "GET" | "POST", url: string, key: string, payload?: unknown) =>
    f.cloud.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const gateway = async (id: string, key = f.keys.admin) => {
    const res = await call("GET", `/v1/gateways/${id}`, key);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<GatewayJson>();
  };
  const status = (storeId: string, gatewayId: string, message: object) =>
    f.cloud.fleet.handleStatus(gatewayTopic(storeId, gatewayId, "status"), encodeMessage(message));
  const sendTelemetry = (storeId: string, gatewayId: string, message: object) =>
    f.cloud.fleet.handleTelemetry(gatewayTopic(storeId, gatewayId, "telemetry"), encodeMessage(message));
  const metrics = async () => {
    const res = await call("GET", "/metrics", f.keys.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    return parsePrometheusText(res.body);
  };

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    const issue = async (storeId: string) =>
      (await f.cloud.credentials.issueApiKey({ role: "store-ops", orgId: "o1", storeId, label: "ops" }, "test")).key;
    opsS1 = await issue("s1");
    opsS2 = await issue("s2");
  });
  afterAll(async () => {
    await f?.close();
  });

  it("registers gateways in a store; a store-ops key only in its own store, ids never move between stores", async () => {
    const created = await call("POST", "/v1/stores/s1/gateways", opsS1, { id: "g2", name: "Back door" });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      id: "g2",
      storeId: "s1",
      name: "Back door",
      state: "unknown",
      lastSeenAt: null,
      offlineTooLong: false,
      telemetry: null,
      config: { desiredRevision: null, reportedRevision: null, state: "none", problems: [] },
    });
    const renamed = await call("POST", "/v1/stores/s1/gateways", f.keys.admin, { id: "g2", name: "Rear door" });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json<GatewayJson>().name).toBe("Rear door");
    expect((await call("POST", "/v1/stores/s1/gateways", opsS2, { id: "g9", name: "x" })).statusCode).toBe(403);
    const taken = await call("POST", "/v1/stores/s2/gateways", f.keys.admin, { id: "g2", name: "x" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: { code: "CONFLICT" } });
    expect((await call("POST", "/v1/stores/s9/gateways", f.keys.admin, { id: "g9", name: "x" })).statusCode).toBe(404);
    const bad = await call("POST", "/v1/stores/s1/gateways", f.keys.admin, { id: "no/slash", name: "x", extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path).sort()).toEqual([
      "",
      "/id",
    ]);
    for (const key of [f.keys.marketer, f.keys.pos, f.keys.appU1]) {
      expect((await call("POST", "/v1/stores/s1/gateways", key, { id: "g8", name: "x" })).statusCode).toBe(403);
    }
  });

  it("lists gateways scoped to the caller: admin the organisation, store-ops its store only", async () => {
    await call("POST", "/v1/stores/s2/gateways", f.keys.admin, { id: "g3", name: "Other store" });
    const all = await call("GET", "/v1/gateways", f.keys.admin);
    expect(all.json<{ gateways: GatewayJson[] }>().gateways.map((g) => g.id)).toEqual(["g1", "g2", "g3"]);
    const onlyS2 = await call("GET", "/v1/gateways?storeId=s2", f.keys.admin);
    expect(onlyS2.json<{ gateways: GatewayJson[] }>().gateways.map((g) => g.id)).toEqual(["g3"]);
    const ops = await call("GET", "/v1/gateways", opsS1);
    expect(ops.json<{ gateways: GatewayJson[] }>().gateways.map((g) => g.id)).toEqual(["g1", "g2"]);
    expect((await call("GET", "/v1/gateways?storeId=s2", opsS1)).statusCode).toBe(403);
    expect((await call("GET", "/v1/gateways/g3", opsS1)).statusCode).toBe(403);
    expect((await call("GET", "/v1/gateways/g3/telemetry", opsS1)).statusCode).toBe(403);
    expect((await call("GET", "/v1/gateways/nope", f.keys.admin)).statusCode).toBe(404);
    // A store-ops key bound to no store sees nothing rather than everything.
    expect((await call("GET", "/v1/gateways", f.keys.storeOps)).statusCode).toBe(403);
    expect((await f.cloud.http.inject({ method: "GET", url: "/v1/gateways" })).statusCode).toBe(401);
    expect((await call("GET", "/v1/gateways", f.keys.marketer)).statusCode).toBe(403);
  });

  it("shows status, last seen, version and telemetry, keeps a bounded history, and refuses bad messages", async () => {
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.1.0" });
    let g1 = await gateway("g1");
    expect(g1).toMatchObject({ state: "online", version: "0.1.0", lastSeenAt: clock.iso(), offlineSinceAt: null });
    for (let i = 0; i < 6; i++) {
      await sendTelemetry("s1", "g1", telemetry(clock, i));
      clock.advance(5_000); // every 5 s; history keeps one per 10 s
    }
    g1 = await gateway("g1");
    expect(g1.telemetry?.eventsSent).toBe(5);
    const history = await call("GET", "/v1/gateways/g1/telemetry", opsS1);
    expect(history.json<{ samples: Telemetry[] }>().samples.map((s) => s.eventsSent)).toEqual([0, 2, 4]);
    const limited = await call("GET", "/v1/gateways/g1/telemetry?limit=2", f.keys.admin);
    expect(limited.json<{ samples: Telemetry[] }>().samples.map((s) => s.eventsSent)).toEqual([2, 4]);
    const from = new Date(clock.now() - 20_000).toISOString();
    const ranged = await call("GET", `/v1/gateways/g1/telemetry?from=${from}`, f.keys.admin);
    expect(ranged.json<{ samples: Telemetry[] }>().samples.map((s) => s.eventsSent)).toEqual([2, 4]);
    expect((await call("GET", "/v1/gateways/g1/telemetry?limit=0", f.keys.admin)).statusCode).toBe(400);

    // Invalid messages and unregistered gateways change nothing and are counted by reason.
    await sendTelemetry("s1", "g1", { ...telemetry(clock, 99), cpuPercent: -1 });
    await status("s1", "g1", { v: 2, state: "offline" });
    await status("s1", "ghost", { v: 1, state: "online" });
    expect((await gateway("g1")).telemetry?.eventsSent).toBe(5);
    expect((await gateway("g1")).state).toBe("online");
    const m = await metrics();
    expect(m.value("arrival_gateway_messages_rejected_total", { channel: "telemetry", reason: "invalid" })).toBe(1);
    expect(m.value("arrival_gateway_messages_rejected_total", { channel: "status", reason: "invalid" })).toBe(1);
    expect(m.value("arrival_gateway_messages_rejected_total", { channel: "status", reason: "unregistered" })).toBe(1);

    // Events move last seen too (written by the sweep, shown at once).
    clock.advance(60_000);
    await f.ingest([presenceEvent(1, { at: clock.iso() })]);
    expect((await gateway("g1")).lastSeenAt).toBe(clock.iso());
    await f.cloud.fleet.sweep();
    expect((await f.cloud.fleet.get("g1"))?.lastSeenAt).toBe(clock.now());
    // Old history is pruned by age (default 48 h).
    clock.advance(49 * 3_600_000);
    await f.cloud.fleet.sweep();
    expect((await call("GET", "/v1/gateways/g1/telemetry", f.keys.admin)).json()).toEqual({ samples: [] });
  });

  it("goes offline on the last will or on silence, and flags offlineTooLong after fleet.offlineAlertS", async () => {
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.1.0" });
    await status("s1", "g2", { v: 1, state: "online", at: clock.iso(), version: "0.1.0" });
    const willAt = clock.iso();
    await status("s1", "g1", { v: 1, state: "offline" }); // the last will: no time, no version
    let g1 = await gateway("g1");
    expect(g1).toMatchObject({ state: "offline", offlineSinceAt: willAt, offlineTooLong: false, version: "0.1.0" });

    clock.advance(121_000); // g2 silent for longer than staleAfterS
    const g2 = await gateway("g2");
    expect(g2).toMatchObject({ state: "offline", offlineTooLong: false });
    expect(g2.offlineSinceAt).toBe(g2.lastSeenAt);
    let m = await metrics();
    expect(m.value("arrival_gateways", { state: "offline" })).toBe(2);
    expect(m.value("arrival_gateways_offline_too_long")).toBe(0);

    clock.advance(479_000); // 600 s after the will and after g2 was last heard: not yet
    expect((await gateway("g1")).offlineTooLong).toBe(false);
    expect((await metrics()).value("arrival_gateways_offline_too_long")).toBe(0);
    clock.advance(1_000);
    g1 = await gateway("g1");
    expect(g1.offlineTooLong).toBe(true);
    // Silence counts from when the gateway was last heard.
    expect((await gateway("g2")).offlineTooLong).toBe(true);
    m = await metrics();
    expect(m.value("arrival_gateways_offline_too_long")).toBe(2);

    // Back: telemetry after the will means connected again, even if its online status was missed.
    await sendTelemetry("s1", "g1", telemetry(clock, 7));
    expect(await gateway("g1")).toMatchObject({ state: "online", offlineSinceAt: null, offlineTooLong: false });
    expect((await metrics()).value("arrival_gateways_offline_too_long")).toBe(1);
  });

  it("shows a connected gateway whose radio is interrupted as degraded, with when it last heard an advert", async () => {
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.2.0", scan: { state: "scanning", lastAdvertAgeS: 0 } });
    expect(await gateway("g1")).toMatchObject({ state: "online", scan: { state: "scanning", lastAdvertAt: clock.iso() } });
    const heardAt = clock.iso();
    clock.advance(95_000);
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.2.0", scan: { state: "interrupted", lastAdvertAgeS: 95 } });
    // The last advert is placed on the cloud's clock from the gateway's own count of seconds.
    expect(await gateway("g1")).toMatchObject({ state: "degraded", scan: { state: "interrupted", lastAdvertAt: heardAt } });
    expect((await metrics()).value("arrival_gateways", { state: "degraded" })).toBe(1);
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.2.0", scan: { state: "scanning", lastAdvertAgeS: 0 } });
    expect((await gateway("g1")).state).toBe("online");
    // A gateway that does not report its radio (before 0.2) is online as before.
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.1.0" });
    expect(await gateway("g1")).toMatchObject({ state: "online", scan: null });
  });

  it("shows the store beacon each gateway advertises, and why one cannot", async () => {
    const slotStart = new Date(Math.floor(clock.now() / 512_000) * 512_000).toISOString();
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.3.0", advertising: { state: "advertising", format: "ibeacon", slotStart } });
    expect((await gateway("g1")).advertising).toEqual({ state: "advertising", format: "ibeacon", slotStart });
    const refused = "hci0 refused LE Set Advertising Parameters: Command Disallowed (0x0C)";
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.3.0", advertising: { state: "failed", format: "ibeacon", error: refused } });
    expect((await gateway("g1")).advertising).toEqual({ state: "failed", format: "ibeacon", error: refused });
    // A gateway that does not say (before the store beacon) shows nothing.
    await status("s1", "g1", { v: 1, state: "online", at: clock.iso(), version: "0.2.0" });
    expect((await gateway("g1")).advertising).toBeNull();
  });

  it("refuses configs it can tell are wrong, with every problem and its path, and counts them", async () => {
    const before = (await metrics()).value("arrival_config_pushes_total", { outcome: "refused" }) ?? 0;
    const schema = await call("POST", "/v1/gateways/g1/config", f.keys.admin, {
      zones: [{ id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 500 }],
      presence: { enterMinSamples: 0 },
      revision: 3,
    });
    expect(schema.statusCode).toBe(400);
    const paths = schema.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path);
    expect(paths.sort()).toEqual(["", "/presence/enterMinSamples", "/zones/0/radiusM"]);

    const semantic = await call("POST", "/v1/gateways/g1/config", f.keys.admin, {
      zones: [
        { id: "z1", shape: "gateway-radius", gatewayId: "g3", radiusM: 3 },
        { id: "z1", shape: "gateway-radius", gatewayId: "g2", radiusM: 3 },
      ],
    });
    expect(semantic.statusCode).toBe(400);
    expect(semantic.json()).toMatchObject({
      error: {
        code: "VALIDATION_FAILED",
        details: [
          { path: "/zones/0/gatewayId", message: 'gateway "g3" is not a gateway of this store' },
          { path: "/zones/1/id", message: 'duplicate zone id "z1" (also /zones/0)' },
        ],
      },
    });
    const store = await call("POST", "/v1/stores/s1/config", opsS1, {
      zones: [{ id: "z1", shape: "gateway-radius", gatewayId: "g3", radiusM: 3 }],
    });
    expect(store.statusCode).toBe(400);
    expect((await call("POST", "/v1/stores/s2/config", opsS1, { zones: [] })).statusCode).toBe(403);
    expect((await gateway("g1")).config).toEqual({
      desiredRevision: null,
      reportedRevision: null,
      state: "none",
      problems: [],
    });
    expect((await metrics()).value("arrival_config_pushes_total", { outcome: "refused" })).toBe(before + 3);
  });

  it("assigns increasing revisions above what gateways report, and shows pending until they answer", async () => {
    const zones = [{ id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 4 }];
    const one = await call("POST", "/v1/gateways/g1/config", opsS1, { zones });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual({ revision: 1 });
    expect((await gateway("g1")).config).toMatchObject({ desiredRevision: 1, reportedRevision: null, state: "pending" });

    // g2 already runs revision 7 (say, the cloud's database was restored from an older backup).
    await status("s1", "g2", {
      v: 1,
      state: "online",
      at: clock.iso(),
      version: "0.1.0",
      config: { revision: 7, state: "applied" },
    });
    const all = await call("POST", "/v1/stores/s1/config", f.keys.admin, { zones, presence: { exitAfterMs: 20_000 } });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({
      gateways: [
        { gatewayId: "g1", revision: 2 },
        { gatewayId: "g2", revision: 8 },
      ],
    });
    await status("s1", "g2", {
      v: 1,
      state: "online",
      at: clock.iso(),
      config: { revision: 8, state: "rejected", problems: [{ path: "", message: "zones[1]: duplicate id" }] },
    });
    expect((await gateway("g2")).config).toEqual({
      desiredRevision: 8,
      reportedRevision: 8,
      state: "rejected",
      problems: [{ path: "", message: "zones[1]: duplicate id" }],
    });
    const m = await metrics();
    // The first push's zones became the store's, so g2 got them too: 2 + 2 publishes.
    expect(m.value("arrival_config_pushes_total", { outcome: "published" })).toBe(4);
    expect(m.value("arrival_config_reports_total", { state: "rejected" })).toBe(1);
    expect(m.value("arrival_gateway_configs", { state: "pending" })).toBe(1);
  });

  it("a push the broker does not take is stored, answered 503, and published by the next sweep", async () => {
    const bus = f.cloud.broker;
    const publish = bus.publish.bind(bus);
    const topics: string[] = [];
    let failing = true;
    const spy = vi.spyOn(bus, "publish").mockImplementation(async (topic, payload, options) => {
      topics.push(topic);
      if (failing) throw new Error("broker unreachable");
      return publish(topic, payload, options);
    });
    try {
      const zones = [{ id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 5 }];
      const res = await call("POST", "/v1/gateways/g1/config", f.keys.admin, { zones });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: "BROKER_UNAVAILABLE" } });
      const desired = (await gateway("g1")).config.desiredRevision;
      expect(desired).toBe(3);
      // The zones are the store's now: g2 of the same store was due them as well.
      expect((await gateway("g2")).config.desiredRevision).toBe(9);
      expect((await metrics()).value("arrival_config_pushes_total", { outcome: "failed" })).toBe(2);
      failing = false;
      await f.cloud.fleet.sweep();
      const g1 = gatewayTopic("s1", "g1", "config");
      const g2 = gatewayTopic("s1", "g2", "config");
      expect(topics).toEqual([g1, g2, g1, g2]);
      await f.cloud.fleet.sweep(); // published now: nothing more to retry
      expect(topics).toHaveLength(4);
    } finally {
      spy.mockRestore();
    }
  });

  it("serves /metrics to admin keys only, as valid exposition text with bounded labels", async () => {
    expect((await f.cloud.http.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    // Process-wide figures of every organisation: not for a store's operations key.
    for (const key of [f.keys.marketer, f.keys.pos, f.keys.appU1, f.keys.storeOps, opsS1]) {
      expect((await call("GET", "/metrics", key)).statusCode).toBe(403);
    }
    expect((await call("GET", "/metrics", f.keys.admin)).statusCode).toBe(200);
    await call("GET", "/v1/gateways/g1", f.keys.admin);
    await call("GET", "/v1/gateways/g2", f.keys.admin);
    await f.cloud.http.inject({ method: "GET", url: "/v1/no-such-route/123" });
    const till = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/redemptions",
      headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": "till-0001-attempt" },
      payload: { code: "NOT-A-REAL-CODE" },
    });
    expect(till.statusCode).toBe(404);
    const m = await metrics();
    expect(m.value("arrival_redemptions_total", { outcome: "unknown-code" })).toBe(1);
    expect(m.types.get("arrival_http_requests_total")).toBe("counter");
    expect(m.types.get("arrival_gateways")).toBe("gauge");
    expect(m.value("process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(m.value("process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(m.value("arrival_events_ingested_total")).toBe(1);
    expect(m.value("arrival_events_rejected_total", { reason: "foreign-event" })).toBe(0);
    expect(m.value("arrival_events_rejected_total", { reason: "app-subject" })).toBe(0);
    expect(m.value("arrival_offers_issued_total")).toBe(0);
    // Routes are patterns, not URLs: two gateways' reads are one series.
    expect(
      m.value("arrival_http_requests_total", { method: "GET", route: "/v1/gateways/:gatewayId", status: "200" }),
    ).toBeGreaterThanOrEqual(2);
    expect(m.value("arrival_http_requests_total", { method: "GET", route: "unmatched", status: "404" })).toBe(1);
    const docs = await f.cloud.http.inject({ method: "GET", url: "/docs" });
    const paths = Object.keys(docs.json<{ paths: Record<string, unknown> }>().paths);
    for (const path of ["/v1/gateways", "/v1/gateways/{gatewayId}/telemetry", "/v1/stores/{storeId}/config", "/metrics"])
      expect(paths).toContain(path);
    const routes = new Set(m.samples.filter((s) => s.name === "arrival_http_requests_total").map((s) => s.labels.route));
    expect([...routes].some((r) => r?.includes("g1") || r?.includes("123"))).toBe(false);
  });
  it("pushes beacon lists with the config, and keeps them through later zone pushes", async () => {
    const desiredOf = async (id: string) => (await f.cloud.repositories.fleet.desiredConfigs()).find((d) => d.gatewayId === id)?.config;
    const beacons = {
      deny: [{ match: "ibeacon:2f234454-cf6d-4a0f-adf2-f4911ba9ffa6:7:*", role: "staff" }],
      calibration: [{ subject: "ibeacon:2f234454-cf6d-4a0f-adf2-f4911ba9ffa6:1:99", measuredPowerDbm: -61 }],
    };
    const pushed = await call("POST", "/v1/gateways/g1/config", f.keys.admin, { beacons });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(await desiredOf("g1")).toMatchObject({ beacons });
    const zones = [{ id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 5 }];
    expect((await call("POST", "/v1/stores/s1/config", f.keys.admin, { zones })).statusCode).toBe(200);
    expect(await desiredOf("g1")).toMatchObject({ beacons, zones });
    const bad = await call("POST", "/v1/gateways/g1/config", f.keys.admin, { beacons: { deny: [{ match: "not a subject" }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path)).toContain("/beacons/deny/0/match");
  });

  it("pushes the software a gateway should run, and keeps it through later zone pushes", async () => {
    const software = { release: "0.2.0-0123456789ab", url: "https://releases.example/arrival-0.2.0.tgz", sha256: "f".repeat(64) };
    const desiredOf = async (id: string) => (await f.cloud.repositories.fleet.desiredConfigs()).find((d) => d.gatewayId === id)?.config;
    const pushed = await call("POST", "/v1/gateways/g1/config", f.keys.admin, { software });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(await desiredOf("g1")).toMatchObject({ software });
    // A zones push to the whole store keeps each gateway's software (g2 was given none).
    const zones = [{ id: "z1", shape: "gateway-radius", gatewayId: "g1", radiusM: 5 }];
    expect((await call("POST", "/v1/stores/s1/config", f.keys.admin, { zones })).statusCode).toBe(200);
    expect(await desiredOf("g1")).toMatchObject({ software, zones });
    expect((await desiredOf("g2"))?.software).toBeUndefined();
    // Something that is not a release is refused with its path.
    const bad = await call("POST", "/v1/gateways/g1/config", f.keys.admin, { software: { ...software, sha256: "not-hex" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path)).toContain("/software/sha256");
  });

  it("shows how the store LAN recovered lost datagrams and how far the peers' clocks are", async () => {
    const recovery = { missed: 7, requested: 5, resent: 3, recovered: 6, givenUp: 1 };
    const peers = [
      { id: "g1", lastHeardAgeS: 0.4, sightingsReceived: 120, refused: 0, lateDropped: 2, clockOffsetMs: 2990 },
      { id: "g9", lastHeardAgeS: null, sightingsReceived: 0, refused: 0, lateDropped: 0, clockOffsetMs: null },
    ];
    await sendTelemetry("s1", "g2", { ...telemetry(clock, 1), lan: { sightingsReceived: 120, lateDropped: 2, refused: 0, peers, clockOffsetMs: 1495, recovery } });
    const lan = (await gateway("g2", opsS1)).lan;
    expect(lan).toMatchObject({ silentPeers: ["g9"], clockOffsetMs: 1495, recovery });
    expect(lan?.peers.map((p) => [p.id, p.heardRecently, p.clockOffsetMs])).toEqual([
      ["g1", true, 2990],
      ["g9", false, null],
    ]);
    // Counts that cannot be are refused with the sample, as any other field.
    await sendTelemetry("s1", "g2", { ...telemetry(clock, 2), lan: { sightingsReceived: 120, lateDropped: 2, refused: 0, peers, recovery: { ...recovery, givenUp: -1 } } });
    expect((await gateway("g2")).telemetry?.eventsSent).toBe(1);
  });
});
