import { describe, expect, it } from "vitest";
import { type ReplayStep, ReplayTimeline } from "../../../../gateway/src/adapters/replay/ReplayTimeline.js";
import type { Advert } from "../../../../gateway/src/services/ports.js";

const advert = (t: number, rssi = -60): Advert => ({
  t,
  addr: "aa:bb:cc:dd:ee:ff",
  rssi,
  data: new Uint8Array([2, 1, 6]),
});

function run(ts: readonly number[], options: ConstructorParameters<typeof ReplayTimeline>[0] = {}): string[] {
  const steps: string[] = [];
  const record = (s: ReplayStep): void => {
    steps.push(s.kind === "tick" ? `tick ${s.t}` : `advert ${s.advert.t}/${s.advert.rssi}`);
  };
  const timeline = new ReplayTimeline(options);
  ts.forEach((t, i) => {
    timeline.push(advert(t, -i), record);
  });
  timeline.finish(record);
  return steps;
}

describe("ReplayTimeline", () => {
  it("ticks at every whole second up to each advert, a tick at T before an advert at T, and ends at the last advert", () => {
    expect(run([1500, 2000, 4200])).toEqual([
      "advert 1500/0",
      "tick 2000",
      "advert 2000/-1",
      "tick 3000",
      "tick 4000",
      "advert 4200/-2",
      "tick 4200",
    ]);
  });

  it("does not tick past the last advert when it falls on a whole second", () => {
    expect(run([1000, 2000])).toEqual(["tick 1000", "advert 1000/0", "tick 2000", "advert 2000/-1"]);
  });

  it("feeds adverts in timestamp order within the reorder window, file order for equal times", () => {
    expect(run([1100, 1050, 1100, 1000], { reorderMs: 500 })).toEqual([
      "tick 1000",
      "advert 1000/-3",
      "advert 1050/-1",
      "advert 1100/0",
      "advert 1100/-2",
      "tick 1100",
    ]);
  });

  it("feeds an advert older than the window at once and counts it late", () => {
    const timeline = new ReplayTimeline({ reorderMs: 100 });
    const steps: string[] = [];
    const record = (s: ReplayStep): void => {
      steps.push(s.kind === "tick" ? `tick ${s.t}` : `advert ${s.advert.t}`);
    };
    for (const t of [1000, 1500, 1700, 1200]) timeline.push(advert(t), record);
    timeline.finish(record);
    expect(steps).toEqual([
      "tick 1000",
      "advert 1000",
      "advert 1500",
      "advert 1200",
      "advert 1700",
      "tick 1700",
    ]);
    expect(timeline.late).toBe(1);
  });

  it("skips ticks over a silent stretch while the engine is idle", () => {
    expect(run([1000, 10_500], { idle: () => true })).toEqual([
      "tick 1000",
      "advert 1000/0",
      "tick 10000",
      "advert 10500/-1",
      "tick 10500",
    ]);
    expect(run([1000, 4500], { idle: () => false })).toEqual([
      "tick 1000",
      "advert 1000/0",
      "tick 2000",
      "tick 3000",
      "tick 4000",
      "advert 4500/-1",
      "tick 4500",
    ]);
  });

  it("does nothing for an empty capture", () => {
    expect(run([])).toEqual([]);
  });

  it("feeds adverts of one instant in gateway order, then file order, however the capture was merged", () => {
    const heard = (t: number, gatewayId: string | undefined, rssi: number): Advert => ({
      ...advert(t, rssi),
      ...(gatewayId === undefined ? {} : { gatewayId }),
    });
    const order = (adverts: readonly Advert[]): string[] => {
      const steps: string[] = [];
      const timeline = new ReplayTimeline();
      const record = (s: ReplayStep): void => {
        if (s.kind === "advert") steps.push(`${s.advert.t}/${s.advert.gatewayId ?? "-"}/${s.advert.rssi}`);
      };
      for (const a of adverts) timeline.push(a, record);
      timeline.finish(record);
      return steps;
    };
    const merged = [
      heard(1000, "gw-till", -70),
      heard(1000, "gw-entry", -60),
      heard(1000, "gw-floor", -65),
      heard(1000, "gw-entry", -61),
      heard(900, undefined, -50),
    ];
    const expected = ["900/-/-50", "1000/gw-entry/-60", "1000/gw-entry/-61", "1000/gw-floor/-65", "1000/gw-till/-70"];
    expect(order(merged)).toEqual(expected);
    expect(order([merged[2], merged[0], merged[1], merged[4], merged[3]].filter((a) => a !== undefined))).toEqual(expected);
  });
});
