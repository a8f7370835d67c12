import { describe, expect, it } from "vitest";
import { type Coordination, leaderOnlyScheduler, LocalCoordination } from "../../../cloud/src/services/Coordination.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { ManualClock } from "../manualClock.js";

describe("leaderOnlyScheduler", () => {
  it("runs a periodic job's ticks only while this worker leads, and one-shot timers always", async () => {
    const scheduler = new ManualScheduler(new ManualClock(0));
    let leader = false;
    const gated = leaderOnlyScheduler(scheduler, { isLeader: () => leader });
    const ticks: number[] = [];
    const once: string[] = [];
    const handle = gated.setInterval(() => ticks.push(ticks.length + 1), 1000);
    gated.setTimeout(() => once.push("fired"), 500);
    await scheduler.advance(2000);
    expect(ticks).toEqual([]);
    expect(once).toEqual(["fired"]);
    // Leadership arrives: the next tick runs here, with no hand-over.
    leader = true;
    await scheduler.advance(2000);
    expect(ticks).toEqual([1, 2]);
    leader = false;
    await scheduler.advance(3000);
    expect(ticks).toHaveLength(2);
    gated.clearInterval(handle);
    leader = true;
    await scheduler.advance(3000);
    expect(ticks).toHaveLength(2);
    expect(scheduler.pending).toBe(0);
  });
});

describe("LocalCoordination", () => {
  it("is the leader of its single process, and sends its notices to no one", async () => {
    const local: Coordination = new LocalCoordination("w1");
    const seen: boolean[] = [];
    local.onLeadership((leader) => seen.push(leader));
    await local.start();
    expect(local.isLeader()).toBe(true);
    // It never becomes leader: it always was. (A listener would re-publish configs for nothing.)
    expect(seen).toEqual([]);
    const changes: unknown[] = [];
    local.onChange((c) => changes.push(c));
    await local.notify({ topic: "rules", key: "o1" });
    expect(changes).toEqual([]);
    expect(local.workerId).toBe("w1");
  });
});
