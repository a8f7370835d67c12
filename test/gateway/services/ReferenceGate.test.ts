import { describe, expect, it } from "vitest";
import type { PresenceChange, Sighting } from "../../../gateway/src/domain/presence/PresenceEngine.js";
import type { PresenceDecider } from "../../../gateway/src/services/FusedPresence.js";
import { ReferenceGate } from "../../../gateway/src/services/ReferenceGate.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

/** An engine that records what reaches it. */
class RecordingDecider implements PresenceDecider {
  readonly seen: number[] = [];
  readonly ticks: number[] = [];
  readonly trackedSubjects = 0;

  observe(s: Sighting): PresenceChange[] {
    this.seen.push(s.t);
    return [];
  }

  tick(now: number): PresenceChange[] {
    this.ticks.push(now);
    return [];
  }
}

const sighting = (t: number): Sighting => ({
  t,
  gatewayId: "g1",
  subject: { kind: "ibeacon", id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2" },
  rssiDbm: -70,
  measuredPowerDbm: -59,
});

describe("ReferenceGate", () => {
  it("decides nothing until the cloud's time is known, then everything", () => {
    const clock = new ManualClock(1_000_000);
    const reference = { known: false };
    const engine = new RecordingDecider();
    const log = new RecordingLogger();
    const gate = new ReferenceGate({ engine, reference, clock, maxWaitMs: 11_000, log });
    gate.observe(sighting(1_000_000));
    gate.tick(1_000_000);
    clock.advance(2000);
    gate.observe(sighting(1_002_000));
    expect(engine.seen).toEqual([]);
    expect(engine.ticks).toEqual([]);
    expect(gate.dropped).toBe(2);
    // The first reply: a clock 3 h behind is now the cloud's, and what follows is decided on it.
    reference.known = true;
    const corrected = 1_002_000 + 3 * 3_600_000;
    gate.observe(sighting(corrected));
    gate.tick(corrected + 1000);
    expect(engine.seen).toEqual([corrected]);
    expect(engine.ticks).toEqual([corrected + 1000]);
    expect(log.entries.find((e) => e.msg === "deciding on the cloud's time")?.obj).toMatchObject({ dropped: 2, waitedMs: 2000 });
  });

  it("decides on the system clock once the wait is over with no answer", () => {
    const clock = new ManualClock(5000);
    const engine = new RecordingDecider();
    const log = new RecordingLogger();
    const gate = new ReferenceGate({ engine, reference: { known: false }, clock, maxWaitMs: 11_000, log });
    clock.advance(10_999);
    gate.observe(sighting(15_999));
    expect(engine.seen).toEqual([]);
    clock.advance(1);
    gate.observe(sighting(16_000));
    expect(engine.seen).toEqual([16_000]);
    expect(log.entries.some((e) => e.msg.startsWith("deciding on the system clock"))).toBe(true);
  });
});
