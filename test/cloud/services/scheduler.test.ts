import { describe, expect, it } from "vitest";
import { systemScheduler as cloudSystemScheduler, type Scheduler } from "../../../cloud/src/services/ports.js";
import { systemScheduler as gatewaySystemScheduler } from "../../../gateway/src/services/ports.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { ManualClock } from "../manualClock.js";

/** Lets `ms` pass on the scheduler under test: real time for the system one, fake time for the manual one. */
type Pass = (ms: number) => Promise<void>;

const realPass: Pass = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every Scheduler does, the system ones (Node's timers) and the test fake alike, so a test on
 * fake time means what it would on real time. Delays are a few milliseconds: the system runs wait
 * for real, and nothing is asserted about how long anything took.
 */
function schedulerContract(name: string, make: () => { scheduler: Scheduler; pass: Pass }): void {
  describe(`Scheduler contract: ${name}`, () => {
    it("fires timeouts once each, in due order", async () => {
      const { scheduler, pass } = make();
      const fired: string[] = [];
      scheduler.setTimeout(() => fired.push("late"), 20);
      scheduler.setTimeout(() => fired.push("early"), 5);
      await pass(60);
      expect(fired).toEqual(["early", "late"]);
      await pass(30);
      expect(fired).toEqual(["early", "late"]);
    });

    it("does not fire a cleared timeout", async () => {
      const { scheduler, pass } = make();
      const fired: string[] = [];
      const handle = scheduler.setTimeout(() => fired.push("cleared"), 5);
      scheduler.setTimeout(() => fired.push("kept"), 5);
      scheduler.clearTimeout(handle);
      await pass(40);
      expect(fired).toEqual(["kept"]);
    });

    it("repeats an interval until it is cleared", async () => {
      const { scheduler, pass } = make();
      let runs = 0;
      const handle = scheduler.setInterval(() => runs++, 5);
      await pass(60);
      expect(runs).toBeGreaterThanOrEqual(2);
      scheduler.clearInterval(handle);
      const after = runs;
      await pass(30);
      expect(runs).toBe(after);
    });
  });
}

schedulerContract("cloud system scheduler", () => ({ scheduler: cloudSystemScheduler, pass: realPass }));
schedulerContract("gateway system scheduler", () => ({ scheduler: gatewaySystemScheduler, pass: realPass }));
schedulerContract("manual scheduler", () => {
  const scheduler = new ManualScheduler(new ManualClock(0));
  return { scheduler, pass: (ms) => scheduler.advance(ms) };
});

describe("ManualScheduler", () => {
  it("sets the clock to each timer's due time when it fires, and to the target after", async () => {
    const clock = new ManualClock(1000);
    const scheduler = new ManualScheduler(clock);
    const seen: [string, number][] = [];
    scheduler.setTimeout(() => seen.push(["timeout", clock.now()]), 250);
    scheduler.setInterval(() => seen.push(["interval", clock.now()]), 100);
    await scheduler.advance(300);
    expect(seen).toEqual([
      ["interval", 1100],
      ["interval", 1200],
      ["timeout", 1250],
      ["interval", 1300],
    ]);
    expect(clock.now()).toBe(1300);
    expect(scheduler.pending).toBe(1);
  });

  it("fires a timer set by a firing timer when it falls due within the same advance", async () => {
    const clock = new ManualClock(0);
    const scheduler = new ManualScheduler(clock);
    const seen: number[] = [];
    scheduler.setTimeout(() => {
      seen.push(clock.now());
      scheduler.setTimeout(() => seen.push(clock.now()), 10);
    }, 10);
    await scheduler.advance(15);
    expect(seen).toEqual([10]);
    await scheduler.advance(5);
    expect(seen).toEqual([10, 20]);
  });

  it("runs an interval the clock was set past once, not once per missed period, as Node does", async () => {
    const clock = new ManualClock(0);
    const scheduler = new ManualScheduler(clock);
    let runs = 0;
    scheduler.setInterval(() => runs++, 100);
    clock.advance(1000);
    await scheduler.advance(0);
    expect(runs).toBe(1);
    await scheduler.advance(100);
    expect(runs).toBe(2);
  });
});
