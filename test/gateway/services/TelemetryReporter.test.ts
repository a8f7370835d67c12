import { describe, expect, it } from "vitest";
import { createLogger } from "../../../cloud/src/adapters/log/createLogger.js";
import type { OutboxStats } from "../../../gateway/src/services/ports.js";
import { type ProcessSample, TelemetryReporter } from "../../../gateway/src/services/TelemetryReporter.js";
import { decodeGatewayMessage, gatewayTopic, type Telemetry } from "../../../protocol/index.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";

const T0 = Date.parse("2026-03-03T10:00:00.000Z");

function setup(lan?: () => NonNullable<Telemetry["lan"]>) {
  const clock = new ManualClock(T0);
  const scheduler = new ManualScheduler(clock);
  const published: { topic: string; telemetry: Telemetry }[] = [];
  const connection = {
    connected: true,
    reconnects: 2,
    publish: async (topic: string, payload: Buffer) => {
      const decoded = decodeGatewayMessage("telemetry", payload);
      if (!decoded.ok) throw new Error(JSON.stringify(decoded.problems));
      published.push({ topic, telemetry: decoded.value });
    },
  };
  let stats: OutboxStats = { depth: 0, oldestInsertedAt: null, lowestSeq: null, evicted: 0 };
  const scan = { adverts: 0, subjectsTracked: 0 };
  let eventsSent = 0;
  let cpu: ProcessSample = { userUs: 1_000_000, systemUs: 500_000, rssBytes: 40_000_000 };
  const reporter = new TelemetryReporter({
    storeId: "s1",
    gatewayId: "g1",
    version: "9.9.9",
    connection,
    outbox: { stats: async () => stats },
    scan: () => scan,
    eventsSent: () => eventsSent,
    sampleProcess: () => cpu,
    ...(lan === undefined ? {} : { lan }),
    clock,
    log: createLogger({ level: "silent", format: "json", name: "test" }),
    intervalMs: 10_000,
    scheduler,
  });
  return {
    clock,
    scheduler,
    published,
    connection,
    reporter,
    scan,
    setStats: (s: OutboxStats) => (stats = s),
    setEventsSent: (n: number) => (eventsSent = n),
    setCpu: (c: ProcessSample) => (cpu = c),
  };
}

describe("TelemetryReporter", () => {
  it("publishes every interval, with rates and CPU over the time since the previous sample", async () => {
    const t = setup();
    t.reporter.start();
    await t.scheduler.advance(9_999);
    expect(t.published).toEqual([]);

    t.scan.adverts = 500;
    t.scan.subjectsTracked = 7;
    t.setEventsSent(42);
    t.setStats({ depth: 12, oldestInsertedAt: T0 + 4_000, lowestSeq: 31, evicted: 0 });
    // 1 s of CPU time over 10 s of wall time: 10 %.
    t.setCpu({ userUs: 1_700_000, systemUs: 800_000, rssBytes: 41_000_000 });
    await t.scheduler.advance(1);
    expect(t.published).toEqual([
      {
        topic: gatewayTopic("s1", "g1", "telemetry"),
        telemetry: {
          v: 1,
          at: new Date(T0 + 10_000).toISOString(),
          version: "9.9.9",
          uptimeS: 10,
          advertsPerS: 50,
          subjectsTracked: 7,
          outboxDepth: 12,
          outboxOldestAgeS: 6,
          eventsSent: 42,
          reconnects: 2,
          cpuPercent: 10,
          rssBytes: 41_000_000,
        },
      },
    ]);

    t.scan.adverts = 600;
    await t.scheduler.advance(10_000);
    expect(t.published[1]?.telemetry).toMatchObject({ uptimeS: 20, advertsPerS: 10, cpuPercent: 0 });
  });

  it("sends nothing while disconnected, and the next sample covers the gap", async () => {
    const t = setup();
    t.reporter.start();
    t.connection.connected = false;
    t.scan.adverts = 300;
    await t.scheduler.advance(20_000);
    expect(t.published).toEqual([]);
    t.connection.connected = true;
    await t.scheduler.advance(10_000);
    expect(t.published.map((p) => p.telemetry.advertsPerS)).toEqual([10]);
  });

  it("stops publishing once stopped; start and stop are idempotent", async () => {
    const t = setup();
    t.reporter.start();
    t.reporter.start();
    await t.scheduler.advance(10_000);
    expect(t.published).toHaveLength(1);
    t.reporter.stop();
    t.reporter.stop();
    await t.scheduler.advance(30_000);
    expect(t.published).toHaveLength(1);
    expect(t.scheduler.pending).toBe(0);
  });

  it("reports the store LAN fusion's counters when the gateway has LAN peers", async () => {
    const lan = { sightingsReceived: 0, lateDropped: 0, refused: 0 };
    const t = setup(() => ({ ...lan }));
    t.reporter.start();
    lan.sightingsReceived = 1234;
    lan.lateDropped = 5;
    lan.refused = 2;
    await t.scheduler.advance(10_000);
    // Decoded with the wire schema (setup's publish), so the field is part of the contract.
    expect(t.published[0]?.telemetry.lan).toEqual({ sightingsReceived: 1234, lateDropped: 5, refused: 2 });
  });
});
