import { describe, expect, it } from "vitest";
import { type MergedStep, SightingMerger } from "../../../../gateway/src/domain/presence/SightingMerger.js";
import type { Sighting } from "../../../../gateway/src/domain/presence/types.js";

const subject = (n: number) => ({ kind: "ibeacon" as const, id: `ibeacon:00000000-0000-0000-0000-00000000000${n}:1:${n}` });
const s = (t: number, gatewayId: string, n = 1, rssiDbm = -60): Sighting => ({
  t,
  gatewayId,
  subject: subject(n),
  rssiDbm,
  measuredPowerDbm: -59,
});
const brief = (steps: readonly MergedStep[]) =>
  steps.map((x) =>
    x.kind === "tick" ? `tick@${x.t}` : `${x.sighting.t}/${x.sighting.gatewayId}/s${x.sighting.subject.id.slice(-1)}/${x.sighting.rssiDbm}`,
  );

/** A fixed set of sightings from three gateways, a few per second over ten seconds. */
function sightings(): Sighting[] {
  const out: Sighting[] = [];
  for (let t = 100_000; t < 110_000; t += 333)
    for (const gw of ["gw-a", "gw-b", "gw-c"]) for (const n of [1, 2]) out.push(s(t - (t % 7), gw, n, -50 - ((t / 7) % 20)));
  return out;
}

/** Feeds `list` in the given arrival order, releasing every 250 ms of `now`; all released steps. */
function drive(list: readonly Sighting[], arrivalDelay: (s: Sighting, i: number) => number): MergedStep[] {
  const m = new SightingMerger({ latenessMs: 1500 });
  const arrivals = list.map((x, i) => ({ x, at: x.t + arrivalDelay(x, i) })).sort((a, b) => a.at - b.at);
  const out: MergedStep[] = [];
  let k = 0;
  for (let now = 99_000; now <= 113_000; now += 250) {
    while (k < arrivals.length && (arrivals[k]?.at ?? Infinity) <= now) {
      const a = arrivals[k++];
      if (a) expect(m.offer(a.x, now)).toBeNull();
    }
    out.push(...m.release(now));
  }
  return out;
}

describe("SightingMerger", () => {
  it("holds sightings until the watermark, then releases them in (time, gateway, subject) order, a tick at T first", () => {
    const m = new SightingMerger({ latenessMs: 1500 });
    // Arrival order is scrambled: a peer's batch comes after the gateway's own later sightings.
    expect(m.offer(s(10_400, "gw-b", 1), 10_400)).toBeNull();
    expect(m.offer(s(10_400, "gw-a", 2), 10_450)).toBeNull();
    expect(m.offer(s(9_800, "gw-b", 1), 10_500)).toBeNull();
    expect(m.offer(s(10_400, "gw-a", 1), 10_600)).toBeNull();
    expect(m.offer(s(11_000, "gw-a", 1), 11_000)).toBeNull();
    expect(brief(m.release(11_800))).toEqual(["9800/gw-b/s1/-60", "tick@10000"]);
    expect(m.held).toBe(4);
    expect(brief(m.release(12_500))).toEqual([
      "10400/gw-a/s1/-60",
      "10400/gw-a/s2/-60",
      "10400/gw-b/s1/-60",
      "tick@11000",
      "11000/gw-a/s1/-60",
    ]);
    expect(m.watermark).toBe(11_000);
    expect(m.counters.released).toBe(5);
  });

  it("gives the same steps whatever the arrival order and delay within the allowance", () => {
    const list = sightings();
    const inOrder = drive(list, () => 0);
    // Each gateway's batches arrive 0-1.2 s late, in a different interleaving.
    const scrambled = drive([...list].reverse(), (x, i) => (x.gatewayId === "gw-b" ? 1200 : (i * 37) % 900));
    expect(scrambled).toEqual(inOrder);
    expect(inOrder.filter((x) => x.kind === "sighting")).toHaveLength(list.length);
    // Sorted, and ticks on every whole second within the span.
    const times = inOrder.map((x) => (x.kind === "tick" ? x.t : x.sighting.t));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(inOrder.filter((x) => x.kind === "tick").map((x) => (x.kind === "tick" ? x.t : 0))).toEqual(
      Array.from({ length: 14 }, (_, i) => 98_000 + i * 1000),
    );
  });

  it("drops and counts a sighting at or before the watermark: the past is never reordered", () => {
    const m = new SightingMerger({ latenessMs: 1000 });
    m.offer(s(5_000, "gw-a"), 5_000);
    expect(brief(m.release(6_200))).toEqual(["tick@5000", "5000/gw-a/s1/-60"]);
    expect(m.offer(s(5_100, "gw-b"), 6_300)).toBe("late");
    expect(m.offer(s(5_200, "gw-b"), 6_300)).toBe("late");
    expect(m.offer(s(5_201, "gw-b"), 6_300)).toBeNull();
    expect(m.counters.late).toBe(2);
    expect(brief(m.release(6_300))).toEqual(["5201/gw-b/s1/-60"]);
    expect(brief(m.release(6_201))).toEqual([]); // time going back releases nothing
    expect(brief(m.release(7_000))).toEqual(["tick@6000"]);
  });

  it("refuses sightings from a clock far ahead, invalid ones and beyond its bound", () => {
    const m = new SightingMerger({ latenessMs: 1000, maxAheadMs: 5000, maxHeld: 2 });
    expect(m.offer(s(20_000, "gw-b"), 10_000)).toBe("ahead");
    expect(m.offer(s(Number.NaN, "gw-b"), 10_000)).toBe("invalid");
    expect(m.offer(s(10_000, "gw-a"), 10_000)).toBeNull();
    expect(m.offer(s(10_001, "gw-a"), 10_000)).toBeNull();
    expect(m.offer(s(10_002, "gw-a"), 10_000)).toBe("full");
    expect(m.counters).toEqual({ released: 0, late: 0, ahead: 1, full: 1, invalid: 1 });
  });

  it("breaks ties on everything the engine reads, so equal-time sightings have one order", () => {
    const a = new SightingMerger({ latenessMs: 0 });
    const b = new SightingMerger({ latenessMs: 0 });
    const same = [s(1_000, "gw-a", 1, -70), s(1_000, "gw-a", 1, -60), s(1_000, "gw-a", 2, -80)];
    for (const x of same) a.offer(x, 1_000);
    for (const x of [...same].reverse()) b.offer(x, 1_000);
    expect(brief(a.release(1_000))).toEqual(brief(b.release(1_000)));
  });
});
