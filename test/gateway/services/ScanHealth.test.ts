import { describe, expect, it } from "vitest";
import type { ScanSourceState } from "../../../gateway/src/services/ports.js";
import { type ScanReport, ScanHealth } from "../../../gateway/src/services/ScanHealth.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

class Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(at: number): void {
    this.t = at;
  }
}

function kit(giveUpAfterMs = 60_000) {
  const clock = new Clock(1_000_000);
  const scheduler = new ManualScheduler(clock);
  const log = new RecordingLogger();
  let state: ScanSourceState = "scanning";
  let lastAdvertAt: number | null = null;
  const changes: ScanReport[] = [];
  const gaveUp: string[] = [];
  const health = new ScanHealth({
    source: { state: () => state },
    lastAdvertAt: () => lastAdvertAt,
    clock,
    scheduler,
    log,
    giveUpAfterMs,
    onChange: (report) => changes.push(report),
    onGiveUp: (reason) => gaveUp.push(reason),
  });
  return {
    clock,
    scheduler,
    health,
    changes,
    gaveUp,
    setState: (next: ScanSourceState) => {
      state = next;
    },
    heard: (at: number) => {
      lastAdvertAt = at;
    },
  };
}

describe("ScanHealth", () => {
  it("reports the radio's state and the whole seconds since the last advert", () => {
    const k = kit();
    expect(k.health.report()).toEqual({ state: "scanning", lastAdvertAgeS: null });
    k.heard(k.clock.now() - 12_700);
    expect(k.health.report()).toEqual({ state: "scanning", lastAdvertAgeS: 12 });
    // A source clock slightly ahead never gives a negative age.
    k.heard(k.clock.now() + 500);
    expect(k.health.report().lastAdvertAgeS).toBe(0);
  });

  it("reports each change of state and leaves a source that recovers in time alone", async () => {
    const k = kit(60_000);
    k.health.start();
    k.setState("interrupted");
    await k.scheduler.advance(1000);
    expect(k.changes.map((c) => c.state)).toEqual(["interrupted"]);
    await k.scheduler.advance(59_000);
    k.setState("scanning");
    await k.scheduler.advance(1000);
    expect(k.changes.map((c) => c.state)).toEqual(["interrupted", "scanning"]);
    // The bound restarts with each interruption: another 50 s is still within it.
    k.setState("interrupted");
    await k.scheduler.advance(50_000);
    expect(k.gaveUp).toEqual([]);
    k.health.stop();
  });

  it("gives up once when the radio stays interrupted past the bound", async () => {
    const k = kit(60_000);
    k.health.start();
    k.setState("interrupted");
    await k.scheduler.advance(60_000);
    expect(k.gaveUp).toEqual([]);
    await k.scheduler.advance(2000);
    expect(k.gaveUp).toHaveLength(1);
    expect(k.gaveUp[0]).toMatch(/interrupted for 6\d s without recovering/);
    await k.scheduler.advance(120_000);
    expect(k.gaveUp).toHaveLength(1);
    // It stopped its own timer.
    expect(k.scheduler.pending).toBe(0);
  });

  it("counts a source without a state as scanning", async () => {
    const clock = new Clock(0);
    const scheduler = new ManualScheduler(clock);
    const gaveUp: string[] = [];
    const health = new ScanHealth({
      source: {},
      lastAdvertAt: () => null,
      clock,
      scheduler,
      log: new RecordingLogger(),
      giveUpAfterMs: 1000,
      onChange: () => undefined,
      onGiveUp: (reason) => gaveUp.push(reason),
    });
    health.start();
    await scheduler.advance(10_000);
    expect(health.report().state).toBe("scanning");
    expect(gaveUp).toEqual([]);
    health.stop();
  });
});
