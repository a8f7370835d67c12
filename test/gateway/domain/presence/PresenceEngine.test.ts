import { describe, expect, it } from "vitest";
import { eventIdOf, visitIdOf } from "../../../../gateway/src/domain/presence/deterministicId.js";
import {
  type PresenceChange,
  PresenceEngine,
  type PresenceEngineOptions,
  RECOMMENDED_PRESENCE_TUNING,
} from "../../../../gateway/src/domain/presence/PresenceEngine.js";
import { PresenceError } from "../../../../gateway/src/domain/presence/PresenceError.js";
import { geoDistanceM } from "../../../../gateway/src/domain/zones/geofence.js";
import type { Subject, Zone } from "../../../../protocol/index.js";
import { ORIGIN, offset, rectangle } from "../zones/geo.js";
import { beacon, brief, prng, rssiAt, run, type Stream, TEST_TUNING } from "./scenario.js";

const GW1 = "gw-1";
const GW2 = "gw-2";
const shopper = beacon(2);
const door: Zone = { id: "door", shape: "gateway-radius", gatewayId: GW1, radiusM: 3 };

function engineWith(over: Partial<PresenceEngineOptions> = {}): PresenceEngine {
  return new PresenceEngine({
    zones: [door],
    tuning: TEST_TUNING,
    gateways: [{ id: GW1 }],
    defaultMeasuredPowerDbm: -59,
    ...over,
  });
}

/** A stream at a fixed distance from gw-1 until `untilT` (inclusive), silent after. */
function steady(distanceM: number, untilT = Number.POSITIVE_INFINITY, subject: Subject = shopper): Stream {
  return { gatewayId: GW1, subject, rssiAt: (t) => (t <= untilT ? rssiAt(distanceM) : null) };
}

describe("PresenceEngine: entering", () => {
  it("enters on sustained evidence, with a deterministic visit and event id", () => {
    const engine = engineWith();
    const changes = run(engine, [steady(1)], { from: 0, to: 4000, stepMs: 1000 });
    const visitId = visitIdOf({ gatewayId: GW1, zoneId: "door", subjectId: shopper.id, enteredAt: 2000 });
    expect(changes).toEqual([
      {
        type: "enter",
        zoneId: "door",
        subject: shopper,
        at: 2000,
        visitId,
        eventId: eventIdOf(visitId, "enter"),
        rssiDbm: -59,
        distanceM: 1,
        gatewayId: GW1,
      },
    ]);
    expect(changes[0]).not.toHaveProperty("dwellMs");
    expect(visitId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("does not enter on a single strong sample", () => {
    const engine = engineWith();
    const stream: Stream = { gatewayId: GW1, subject: shopper, rssiAt: (t) => (t === 0 ? -50 : -85) };
    expect(run(engine, [stream], { from: 0, to: 10_000, stepMs: 1000 })).toEqual([]);
  });

  it("does not enter on a burst of strong adverts within one second (one sample per interval)", () => {
    const engine = engineWith();
    const burst: Stream = { gatewayId: GW1, subject: shopper, rssiAt: (t) => (t < 1000 ? -50 : null) };
    expect(run(engine, [burst], { from: 0, to: 20_000, stepMs: 50 })).toEqual([]);
  });

  it("needs the in-zone samples within the enter window", () => {
    const engine = engineWith(); // 3 samples within 5 s; here one every 3 s
    expect(run(engine, [steady(1)], { from: 0, to: 30_000, stepMs: 3000, tickMs: 3000 })).toEqual([]);
  });

  it("does not count beacons judged outside the zone", () => {
    const engine = engineWith();
    expect(run(engine, [steady(3.5)], { from: 0, to: 30_000, stepMs: 1000 })).toEqual([]); // band
    expect(run(engine, [steady(8)], { from: 30_000, to: 60_000, stepMs: 1000 })).toEqual([]); // outside
  });
});

describe("PresenceEngine: passers-by (recommended tuning)", () => {
  const n = RECOMMENDED_PRESENCE_TUNING.pathLossExponent;
  const engine = (radiusM: number): PresenceEngine =>
    new PresenceEngine({
      zones: [{ id: "window", shape: "gateway-radius", gatewayId: GW1, radiusM }],
      tuning: RECOMMENDED_PRESENCE_TUNING,
      gateways: [{ id: GW1 }],
    });

  /** A walker at 1.4 m/s along y = lateralM, 30% one-sided 10 dB drops, ±2 dB jitter. */
  function walker(lateralM: number, stopAtX0Ms: number, seed: number): Stream {
    const rnd = prng(seed);
    const speed = 1.4 / 1000;
    const tCentre = 20 / speed; // reaches x = 0 here
    return {
      gatewayId: GW1,
      subject: shopper,
      rssiAt: (t) => {
        const x =
          t < tCentre ? -20 + speed * t : t < tCentre + stopAtX0Ms ? 0 : speed * (t - tCentre - stopAtX0Ms);
        if (Math.abs(x) > 20) return null;
        const d = Math.hypot(x, lateralM);
        const drop = rnd() < 0.3 ? 10 : 0;
        return rssiAt(d, n) - drop + (rnd() * 4 - 2);
      },
    };
  }

  it("walkers crossing a 3 m zone 1.5 m from the gateway without stopping are not counted (20 walkers, 10 Hz)", () => {
    // About 3.7 s inside the zone. The staying estimate lingers ~3 s after they leave; only the
    // stricter enter estimate keeps these out.
    const counted: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const changes = run(engine(3), [walker(1.5, 0, seed)], { from: 0, to: 40_000, stepMs: 100 });
      if (changes.length > 0) counted.push(seed);
    }
    expect(counted).toEqual([]);
  });

  it("the same walker stopping 8 s at the display is counted once", () => {
    const changes = run(engine(2), [walker(1.5, 8000, 7)], { from: 0, to: 120_000, stepMs: 200 });
    expect(changes.map((c) => c.type)).toEqual(["enter", "exit"]);
  });

  it("someone waiting outside the window at 3.5 m with occasional +6 dB spikes is not counted", () => {
    const rnd = prng(11);
    const outside: Stream = {
      gatewayId: GW1,
      subject: shopper,
      rssiAt: () => rssiAt(3.5, n) + (rnd() < 0.1 ? 6 : 0) - (rnd() < 0.3 ? 10 : 0),
    };
    expect(run(engine(2), [outside], { from: 0, to: 120_000, stepMs: 200 })).toEqual([]);
  });
});

describe("PresenceEngine: staying and leaving", () => {
  it("standing still with noisy, dipping RSSI and short dropouts does not flap", () => {
    const rnd = prng(42);
    const noisy: Stream = {
      gatewayId: GW1,
      subject: shopper,
      rssiAt: (t) => {
        if (t > 300_000) return null; // leaves at 5 min
        if (t >= 60_000 && t % 60_000 < 6000) return null; // 6 s dropout every minute (phone in a pocket)
        const drop = rnd() < 0.4 ? 12 : 0; // body blocking, 40% of adverts
        return rssiAt(2.5) - drop + (rnd() * 3 - 1.5);
      },
    };
    const changes = run(engineWith(), [noisy], { from: 0, to: 330_000, stepMs: 200 });
    expect(changes.map((c) => c.type)).toEqual(["enter", "dwell", "dwell", "exit"]);
    const [enter, dwell20, dwell60, exit] = changes as [
      PresenceChange,
      PresenceChange,
      PresenceChange,
      PresenceChange,
    ];
    expect(enter.at).toBe(2000);
    expect(dwell20).toMatchObject({ at: 22_000, dwellMs: 20_000 });
    // The 60 s mark falls in the dropout (60-66 s): the dwell waits for the next evidence of presence
    // and reports the real time in the zone.
    expect(dwell60).toMatchObject({ at: 66_000, dwellMs: 64_000 });
    expect(exit.at).toBeGreaterThanOrEqual(309_000);
    expect(exit.at).toBeLessThanOrEqual(310_000);
    expect(exit.dwellMs).toBe(exit.at - 10_000 - 2000);
    expect(new Set(changes.map((c) => c.visitId)).size).toBe(1);
  });

  it("with enterRankPerSecond, a phone at 5 adverts/s needs the seconds of evidence a 1/s phone would", () => {
    // 40% of adverts 12 dB down. Ranked per advert, the 0.6 rank over ~20 adverts is almost always
    // a strong one: enter after 3 samples. Ranked per second (each second's median of 5 adverts), a
    // third of the seconds read weak, as single adverts of a 1/s phone would.
    const noisy = (seed: number): Stream => {
      const rnd = prng(seed);
      return {
        gatewayId: GW1,
        subject: shopper,
        rssiAt: () => rssiAt(2.5) - (rnd() < 0.4 ? 12 : 0) + (rnd() * 3 - 1.5),
      };
    };
    const perAdvert = run(engineWith(), [noisy(42)], { from: 0, to: 30_000, stepMs: 200 });
    const perSecond = run(
      engineWith({ tuning: { ...TEST_TUNING, enterRankPerSecond: true } }),
      [noisy(42)],
      { from: 0, to: 30_000, stepMs: 200 },
    );
    const enters = (changes: readonly PresenceChange[]) => changes.filter((c) => c.type === "enter").map((c) => c.at);
    expect(enters(perAdvert)).toEqual([2000]);
    expect(enters(perSecond)).toEqual([11_000]);
  });

  it("exits after the away timeout when no longer heard", () => {
    const engine = engineWith();
    const changes = run(engine, [steady(1, 9000)], { from: 0, to: 30_000, stepMs: 1000 });
    expect(brief(changes)).toEqual([
      { type: "enter", zoneId: "door", at: 2000, gatewayId: GW1 },
      { type: "exit", zoneId: "door", at: 19_000, gatewayId: GW1, dwellMs: 7000 },
    ]);
  });

  it("exits when heard beyond radius + margin for the away timeout", () => {
    const engine = engineWith();
    const away: Stream = { gatewayId: GW1, subject: shopper, rssiAt: (t) => rssiAt(t < 10_000 ? 1 : 10) };
    const changes = run(engine, [away], { from: 0, to: 40_000, stepMs: 1000 });
    // The smoother holds the strong level for two more samples (lag), so the last support is 11 s.
    expect(brief(changes)).toEqual([
      { type: "enter", zoneId: "door", at: 2000, gatewayId: GW1 },
      { type: "exit", zoneId: "door", at: 21_000, gatewayId: GW1, dwellMs: 9000 },
    ]);
    expect(changes[1]).toMatchObject({ rssiDbm: -59, distanceM: 1 });
  });

  it("keeps the visit while in the hysteresis band (radius < d <= radius + margin)", () => {
    const engine = engineWith();
    const band: Stream = {
      gatewayId: GW1,
      subject: shopper,
      rssiAt: (t) => (t > 60_000 ? null : rssiAt(t < 10_000 ? 1 : 3.5)),
    };
    const changes = run(engine, [band], { from: 0, to: 80_000, stepMs: 1000 });
    expect(brief(changes)).toEqual([
      { type: "enter", zoneId: "door", at: 2000, gatewayId: GW1 },
      { type: "dwell", zoneId: "door", at: 22_000, gatewayId: GW1, dwellMs: 20_000 },
      { type: "exit", zoneId: "door", at: 70_000, gatewayId: GW1, dwellMs: 58_000 },
    ]);
  });

  it("emits each dwell mark once, all events of a visit share its id, event ids are unique", () => {
    const engine = engineWith();
    const changes = run(engine, [steady(1, 70_000)], { from: 0, to: 100_000, stepMs: 500 });
    expect(brief(changes)).toEqual([
      { type: "enter", zoneId: "door", at: 2000, gatewayId: GW1 },
      { type: "dwell", zoneId: "door", at: 22_000, gatewayId: GW1, dwellMs: 20_000 },
      { type: "dwell", zoneId: "door", at: 62_000, gatewayId: GW1, dwellMs: 60_000 },
      { type: "exit", zoneId: "door", at: 80_000, gatewayId: GW1, dwellMs: 68_000 },
    ]);
    const visitId = changes[0]?.visitId ?? "";
    expect(changes.every((c) => c.visitId === visitId)).toBe(true);
    expect(changes[1]?.eventId).toBe(eventIdOf(visitId, "dwell", 20_000));
    expect(changes[3]?.eventId).toBe(eventIdOf(visitId, "exit"));
    expect(new Set(changes.map((c) => c.eventId)).size).toBe(4);
  });

  it("a later visit gets a new visit id", () => {
    const engine = engineWith();
    const back: Stream = {
      gatewayId: GW1,
      subject: shopper,
      rssiAt: (t) => (t <= 5000 || t >= 40_000 ? rssiAt(1) : null),
    };
    const changes = run(engine, [back], { from: 0, to: 45_000, stepMs: 1000 });
    expect(brief(changes)).toEqual([
      { type: "enter", zoneId: "door", at: 2000, gatewayId: GW1 },
      { type: "exit", zoneId: "door", at: 15_000, gatewayId: GW1, dwellMs: 3000 },
      { type: "enter", zoneId: "door", at: 42_000, gatewayId: GW1 },
    ]);
    expect(changes[2]?.visitId).not.toBe(changes[0]?.visitId);
  });

  it("ends a stale visit before starting a new one when ticks were missed", () => {
    const engine = engineWith();
    run(engine, [steady(1)], { from: 0, to: 3000, stepMs: 1000, tickMs: 1_000_000 });
    const changes = run(engine, [steady(1)], { from: 50_000, to: 52_000, stepMs: 1000, tickMs: 1_000_000 });
    expect(brief(changes)).toEqual([
      { type: "exit", zoneId: "door", at: 50_000, gatewayId: GW1, dwellMs: 1000 },
      { type: "enter", zoneId: "door", at: 52_000, gatewayId: GW1 },
    ]);
  });
});

describe("PresenceEngine: determinism", () => {
  function noisyDay(): PresenceChange[] {
    const rnd = prng(3);
    const engine = engineWith();
    const streams: Stream[] = [1, 2, 3].map((minor) => ({
      gatewayId: GW1,
      subject: beacon(minor),
      rssiAt: (t) => {
        const phase = (t / 1000 + minor * 17) % 90;
        if (phase > 70) return null;
        return rssiAt(phase < 40 ? 1.5 : 6) - (rnd() < 0.3 ? 10 : 0);
      },
    }));
    return run(engine, streams, { from: 0, to: 400_000, stepMs: 250 });
  }

  it("the same calls give the same output, byte for byte", () => {
    const a = noisyDay();
    const b = noisyDay();
    expect(a.length).toBeGreaterThan(10);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe("PresenceEngine: several gateways", () => {
  const gw1 = offset(ORIGIN, 5, 5);
  const gw2 = offset(ORIGIN, 15, 5);
  const store: Zone = { id: "store", shape: "polygon", points: rectangle(ORIGIN, 20, 10) };
  const gateways = [
    { id: GW1, ...gw1 },
    { id: GW2, ...gw2 },
  ];

  /** A subject at east(t) metres along y = 4, heard by both gateways per the model. */
  function walk(east: (t: number) => number | null): Stream[] {
    return [GW1, GW2].map((gatewayId) => ({
      gatewayId,
      subject: shopper,
      rssiAt: (t: number) => {
        const x = east(t);
        if (x === null) return null;
        const here = offset(ORIGIN, x, 4);
        return rssiAt(geoDistanceM(here, gatewayId === GW1 ? gw1 : gw2));
      },
    }));
  }

  it("hands a shopper over between gateways without an exit and a new enter", () => {
    const engine = engineWith({ zones: [store], gateways });
    // 0-10 s next to gw-1, walk to gw-2 by 20 s, stay until 60 s, then gone.
    const east = (t: number): number | null =>
      t > 60_000 ? null : t < 10_000 ? 5 : t < 20_000 ? 5 + (t - 10_000) / 1000 : 15;
    const changes = run(engine, walk(east), { from: 0, to: 80_000, stepMs: 200 });
    expect(brief(changes)).toEqual([
      { type: "enter", zoneId: "store", at: 2000, gatewayId: GW1 },
      { type: "dwell", zoneId: "store", at: 22_000, gatewayId: GW2, dwellMs: 20_000 },
      { type: "exit", zoneId: "store", at: 70_000, gatewayId: GW2, dwellMs: 58_000 },
    ]);
    expect(new Set(changes.map((c) => c.visitId)).size).toBe(1);
    expect(changes[0]?.visitId).toBe(
      visitIdOf({ gatewayId: GW1, zoneId: "store", subjectId: shopper.id, enteredAt: 2000 }),
    );
  });

  it("does not hand over for a challenger less than the margin stronger", () => {
    const engine = engineWith({ zones: [store], gateways });
    // gw-1 alone first, then gw-2 joins 3 dB stronger: gw-1 keeps the shopper.
    const streams: Stream[] = [
      { gatewayId: GW1, subject: shopper, rssiAt: (t) => (t > 30_000 ? null : -65) },
      { gatewayId: GW2, subject: shopper, rssiAt: (t) => (t < 5000 || t > 30_000 ? null : -62) },
    ];
    const changes = run(engine, streams, { from: 0, to: 50_000, stepMs: 200 });
    expect(changes.map((c) => [c.type, c.gatewayId])).toEqual([
      ["enter", GW1],
      ["dwell", GW1],
      ["exit", GW1],
    ]);
  });

  it("a gateway-radius zone is judged only by its own gateway, however strongly another hears", () => {
    const engine = engineWith({ gateways: [{ id: GW1 }, { id: GW2 }] });
    const streams: Stream[] = [
      { gatewayId: GW2, subject: shopper, rssiAt: () => -45 },
      { gatewayId: GW1, subject: shopper, rssiAt: (t) => (t < 10_000 ? null : rssiAt(2)) },
    ];
    const changes = run(engine, streams, { from: 0, to: 15_000, stepMs: 200 });
    expect(brief(changes)).toEqual([{ type: "enter", zoneId: "door", at: 12_000, gatewayId: GW1 }]);
  });

  it("ignores a gateway hearing only itself when the zone belongs to another", () => {
    const engine = engineWith({ gateways: [{ id: GW2 }] });
    const local: Stream = { gatewayId: GW2, subject: shopper, rssiAt: () => -50 };
    expect(run(engine, [local], { from: 0, to: 20_000, stepMs: 500 })).toEqual([]);
  });
});

describe("PresenceEngine: a gateway-radius zone pooling the store's surveyed gateways", () => {
  // door: 3 m around gw-1. gw-2 hangs 4 m east of gw-1 (within 2 radii), so no point of the door zone
  // is more than 7 m from gw-2. Path-loss exponent 2: the excess is 20 log10(d / reference).
  const gw1 = ORIGIN;
  const gw2 = offset(ORIGIN, 4, 0);
  const surveyed = [
    { id: GW1, ...gw1 },
    { id: GW2, ...gw2 },
  ];
  const lone = [{ id: GW1 }, { id: GW2 }];
  const heardAt = (gatewayId: string, distanceM: number, untilT = 40_000): Stream => ({
    gatewayId,
    subject: shopper,
    rssiAt: (t) => (t <= untilT ? rssiAt(distanceM) : null),
  });
  const span = { from: 0, to: 60_000, stepMs: 1000 };

  it("enters a shopper gw-1 ranges just outside when the inner gateway hears them close, and keeps the visit", () => {
    // gw-1: 3.6 m (+1.6 dB over 3 m); gw-2: 2 m (-10.9 dB under 7 m); mean -4.7 dB.
    const streams = [heardAt(GW1, 3.6), heardAt(GW2, 2)];
    expect(run(engineWith({ gateways: lone }), streams, span)).toEqual([]);
    const pooled = run(engineWith({ gateways: surveyed }), streams, span);
    // At 0 s gw-1's sighting comes before gw-2 has heard anything: that first sample is gw-1's word
    // alone, so the three samples of evidence are those of 1, 2 and 3 s.
    expect(brief(pooled)).toEqual([
      { type: "enter", zoneId: "door", at: 3000, gatewayId: GW1 },
      { type: "dwell", zoneId: "door", at: 23_000, gatewayId: GW1, dwellMs: 20_000 },
      { type: "exit", zoneId: "door", at: 50_000, gatewayId: GW1, dwellMs: 37_000 },
    ]);
  });

  it("does not enter someone gw-1 ranges inside when the inner gateway hears them far away", () => {
    // gw-1: 2.5 m (-1.6 dB); gw-2: 14 m (+6.0 dB); mean +2.2 dB: outside the window, not in the shop.
    const streams = [heardAt(GW1, 2.5), heardAt(GW2, 14)];
    expect(brief(run(engineWith({ gateways: lone }), streams, span))[0]).toEqual({
      type: "enter",
      zoneId: "door",
      at: 2000,
      gatewayId: GW1,
    });
    expect(run(engineWith({ gateways: surveyed }), streams, span)).toEqual([]);
  });

  it("decides as a lone gateway when the peer does not hear the subject", () => {
    const outside = [heardAt(GW1, 3.6)];
    const inside = [heardAt(GW1, 2.5)];
    for (const streams of [outside, inside]) {
      expect(run(engineWith({ gateways: surveyed }), streams, span)).toEqual(
        run(engineWith({ gateways: lone }), streams, span),
      );
    }
    expect(run(engineWith({ gateways: surveyed }), inside, span)).not.toEqual([]);
  });

  it("pools a peer against the edge loss the survey measured it at, not the geometry", () => {
    // The survey heard gw-2 at 3.5 dB of loss along the door zone's edge (1.5 m under the model):
    // a subject it hears at 2 m is 2.5 dB beyond that, not 10.9 dB short of the 7 m geometry.
    const loss = (distanceM: number): number => 20 * Math.log10(distanceM);
    const near: Zone = { ...door, peerEdges: [{ gatewayId: GW2, edgeLossDb: loss(1.5) }] };
    const taken = [heardAt(GW1, 3.6), heardAt(GW2, 2)];
    expect(run(engineWith({ gateways: surveyed }), taken, span)).not.toEqual([]);
    expect(run(engineWith({ zones: [near], gateways: surveyed }), taken, span)).toEqual([]);
    // And the other way: surveyed at 16 m, gw-2 hearing someone at 14 m counts for inside.
    const far: Zone = { ...door, peerEdges: [{ gatewayId: GW2, edgeLossDb: loss(16) }] };
    const kept = [heardAt(GW1, 2.5), heardAt(GW2, 14)];
    expect(run(engineWith({ gateways: surveyed }), kept, span)).toEqual([]);
    expect(brief(run(engineWith({ zones: [far], gateways: surveyed }), kept, span))[0]).toMatchObject({
      type: "enter",
      zoneId: "door",
    });
  });

  it("keeps the geometry for a peer the survey did not measure, and ignores a lone gateway's", () => {
    const other: Zone = { ...door, peerEdges: [{ gatewayId: "gw-9", edgeLossDb: 3 }] };
    const streams = [heardAt(GW1, 3.6), heardAt(GW2, 2)];
    expect(run(engineWith({ zones: [other], gateways: surveyed }), streams, span)).toEqual(
      run(engineWith({ gateways: surveyed }), streams, span),
    );
    const near: Zone = { ...door, peerEdges: [{ gatewayId: GW2, edgeLossDb: 3 }] };
    expect(run(engineWith({ zones: [near], gateways: lone }), streams, span)).toEqual([]);
  });

  it("rejects a peer edge loss that is not positive, with its path", () => {
    const bad: Zone = { ...door, peerEdges: [{ gatewayId: GW2, edgeLossDb: 0 }] };
    expect(() => engineWith({ zones: [bad], gateways: surveyed })).toThrow(/zones\[0\]\.peerEdges\[0\]\.edgeLossDb must be > 0/);
  });

  it("ignores a surveyed gateway more than two radii away", () => {
    const far = [
      { id: GW1, ...gw1 },
      { id: GW2, ...offset(ORIGIN, 6.5, 0) },
    ];
    const streams = [heardAt(GW1, 3.6), heardAt(GW2, 3)];
    expect(run(engineWith({ gateways: far }), streams, span)).toEqual([]);
  });
});

describe("PresenceEngine: calibration", () => {
  const at70: Stream = { gatewayId: GW1, subject: shopper, rssiAt: () => -70 };
  const go = (engine: PresenceEngine, stream: Stream = at70) =>
    run(engine, [stream], { from: 0, to: 5000, stepMs: 1000 });

  it("-70 dBm with the default -59 dBm at 1 m is 3.55 m: outside a 3 m zone", () => {
    expect(go(engineWith())).toEqual([]);
  });

  it("a per-beacon calibration of -65 dBm at 1 m puts it at 1.78 m", () => {
    const changes = go(engineWith({ calibration: new Map([[shopper.id, -65]]) }));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: "enter", rssiDbm: -70, distanceM: 1.78 });
  });

  it("the beacon's advertised measured power is used when there is no calibration", () => {
    const changes = go(engineWith(), { ...at70, measuredPowerDbm: -65 });
    expect(changes[0]).toMatchObject({ type: "enter", distanceM: 1.78 });
  });

  it("a gateway's RSSI offset is applied before smoothing", () => {
    const changes = go(engineWith({ gateways: [{ id: GW1, rssiOffsetDb: 6 }] }));
    expect(changes[0]).toMatchObject({ type: "enter", rssiDbm: -64, distanceM: 1.78 });
  });

  it("ignores RSSI 'not available' (127) and non-finite times", () => {
    const engine = engineWith();
    expect(
      engine.observe({ t: 0, gatewayId: GW1, subject: shopper, rssiDbm: 127, measuredPowerDbm: null }),
    ).toEqual([]);
    expect(
      engine.observe({
        t: Number.NaN,
        gatewayId: GW1,
        subject: shopper,
        rssiDbm: -60,
        measuredPowerDbm: null,
      }),
    ).toEqual([]);
    expect(engine.trackedSubjects).toBe(0);
  });
});

describe("PresenceEngine: GPS fixes", () => {
  const phone: Subject = { kind: "app", id: "app:user-1" };
  const forecourt: Zone = { id: "forecourt", shape: "circle", center: ORIGIN, radiusM: 30 };
  const engine = (): PresenceEngine =>
    engineWith({ zones: [forecourt], gateways: [{ id: GW1 }, { id: GW2 }] });

  function fixes(e: PresenceEngine, from: number, to: number, eastM: number, accuracyM: number) {
    const out: PresenceChange[] = [];
    const p = offset(ORIGIN, eastM, 0);
    for (let t = from; t <= to; t += 1000) {
      out.push(...e.observeFix({ t, subject: phone, lat: p.lat, lon: p.lon, accuracyM }));
      out.push(...e.tick(t));
    }
    return out;
  }

  it("enters on accurate fixes inside the zone and exits once they are far outside", () => {
    const e = engine();
    const changes = [...fixes(e, 0, 5000, 5, 8), ...fixes(e, 6000, 30_000, 60, 8)];
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({
      type: "enter",
      zoneId: "forecourt",
      subject: phone,
      at: 2000,
      gatewayId: GW1, // no gateway hears the phone: the first gateway listed
      rssiDbm: null,
      distanceM: null,
    });
    expect(changes[1]).toMatchObject({ type: "exit", at: 15_000, dwellMs: 3000 });
  });

  it("does not enter on fixes too coarse to place the phone mostly inside", () => {
    expect(fixes(engine(), 0, 20_000, 5, 60)).toEqual([]); // clearance 25 m < accuracy / 2
  });

  it("ignores fixes beyond the accuracy limit", () => {
    const e = engine();
    expect(fixes(e, 0, 20_000, 0, 150)).toEqual([]);
    expect(e.trackedSubjects).toBe(0);
  });

  it("stamps the fix's own gateway when it names one", () => {
    const e = engine();
    const out: PresenceChange[] = [];
    for (let t = 0; t <= 3000; t += 1000) {
      out.push(
        ...e.observeFix({
          t,
          subject: phone,
          lat: ORIGIN.lat,
          lon: ORIGIN.lon,
          accuracyM: 5,
          gatewayId: GW2,
        }),
      );
    }
    expect(brief(out)).toEqual([{ type: "enter", zoneId: "forecourt", at: 2000, gatewayId: GW2 }]);
  });
});

describe("PresenceEngine: reconfigure and flush", () => {
  const till: Zone = { id: "till", shape: "gateway-radius", gatewayId: GW1, radiusM: 10 };

  it("removing a zone exits its visits and leaves the others alone", () => {
    const engine = engineWith({ zones: [door, till] });
    const before = run(engine, [steady(1)], { from: 0, to: 5000, stepMs: 1000 });
    expect(brief(before)).toEqual([
      { type: "enter", zoneId: "door", at: 2000, gatewayId: GW1 },
      { type: "enter", zoneId: "till", at: 2000, gatewayId: GW1 },
    ]);
    const doorVisit = before[0]?.visitId;

    const removed = engine.reconfigure({ zones: [door], tuning: TEST_TUNING, gateways: [{ id: GW1 }] });
    expect(brief(removed)).toEqual([
      { type: "exit", zoneId: "till", at: 5000, gatewayId: GW1, dwellMs: 3000 },
    ]);
    expect(removed[0]?.visitId).toBe(before[1]?.visitId);

    const after = run(engine, [steady(1)], { from: 6000, to: 25_000, stepMs: 1000 });
    expect(brief(after)).toEqual([
      { type: "dwell", zoneId: "door", at: 22_000, gatewayId: GW1, dwellMs: 20_000 },
    ]);
    expect(after[0]?.visitId).toBe(doorVisit);
  });

  it("reapplying the same configuration emits nothing", () => {
    const engine = engineWith();
    run(engine, [steady(1)], { from: 0, to: 5000, stepMs: 1000 });
    expect(engine.reconfigure({ zones: [door], tuning: TEST_TUNING, gateways: [{ id: GW1 }] })).toEqual([]);
    expect(engine.openVisits).toBe(1);
  });

  it("does not emit dwell marks the visit passed before they were configured", () => {
    const engine = engineWith();
    run(engine, [steady(1)], { from: 0, to: 40_000, stepMs: 1000 });
    const tuning = { ...TEST_TUNING, dwellMarksMs: [10_000, 50_000] };
    expect(engine.reconfigure({ zones: [door], tuning, gateways: [{ id: GW1 }] })).toEqual([]);
    const changes = run(engine, [steady(1)], { from: 41_000, to: 55_000, stepMs: 1000 });
    expect(brief(changes)).toEqual([
      { type: "dwell", zoneId: "door", at: 52_000, gatewayId: GW1, dwellMs: 50_000 },
    ]);
  });

  it("rejects invalid options with every problem, and keeps running on the old ones", () => {
    const engine = engineWith();
    run(engine, [steady(1)], { from: 0, to: 3000, stepMs: 1000 });
    const bad = {
      zones: [door, door],
      tuning: { ...TEST_TUNING, enterMinSamples: 0 },
      gateways: [{ id: GW1 }],
    };
    let error: unknown;
    try {
      engine.reconfigure(bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PresenceError);
    expect((error as PresenceError).code).toBe("INVALID_PRESENCE_OPTIONS");
    expect((error as PresenceError).problems).toEqual([
      "tuning.enterMinSamples must be an integer >= 1",
      'zones[1]: duplicate id "door"',
    ]);
    expect(engine.openVisits).toBe(1);
    expect(() => engineWith({ zones: [door, door] })).toThrow(PresenceError);
  });

  it("flush emits nothing, not even exits already due, and forgets everything", () => {
    const engine = engineWith();
    run(engine, [steady(1)], { from: 0, to: 3000, stepMs: 1000 });
    expect(engine.openVisits).toBe(1);
    expect(engine.flush(60_000)).toEqual([]);
    expect(engine.trackedSubjects).toBe(0);
    expect(engine.tick(70_000)).toEqual([]);
  });
});

describe("PresenceEngine: bounded memory", () => {
  it("forgets subjects that are no longer heard", () => {
    const engine = engineWith();
    for (let i = 0; i < 1000; i++) {
      engine.observe({ t: i, gatewayId: GW1, subject: beacon(i), rssiDbm: -90, measuredPowerDbm: null });
    }
    expect(engine.trackedSubjects).toBe(1000);
    engine.tick(3000);
    expect(engine.trackedSubjects).toBe(1000); // still within the enter window / smoothing window
    engine.tick(1000 + 5000);
    expect(engine.trackedSubjects).toBe(0);
  });

  it("keeps a subject with an open visit until it exits, then forgets it", () => {
    const engine = engineWith();
    run(engine, [steady(1, 3000)], { from: 0, to: 12_000, stepMs: 1000 });
    expect(engine.trackedSubjects).toBe(1);
    expect(brief(engine.tick(13_000))).toEqual([
      { type: "exit", zoneId: "door", at: 13_000, gatewayId: GW1, dwellMs: 1000 },
    ]);
    engine.tick(13_001);
    expect(engine.trackedSubjects).toBe(0);
  });

  it("caps the subjects held, evicting the least recently heard without a visit", () => {
    const engine = engineWith({ maxSubjects: 10 });
    const regular = beacon(60_000);
    run(engine, [steady(1, Number.POSITIVE_INFINITY, regular)], { from: 0, to: 3000, stepMs: 1000 });
    expect(engine.openVisits).toBe(1);
    for (let i = 0; i < 500; i++) {
      engine.observe({
        t: 3000 + i,
        gatewayId: GW1,
        subject: beacon(i),
        rssiDbm: -90,
        measuredPowerDbm: null,
      });
      expect(engine.trackedSubjects).toBeLessThanOrEqual(10);
    }
    expect(engine.openVisits).toBe(1); // the shopper in the zone was not evicted
    const later = run(engine, [steady(1, Number.POSITIVE_INFINITY, regular)], {
      from: 4000,
      to: 22_000,
      stepMs: 1000,
    });
    expect(brief(later)).toEqual([
      { type: "dwell", zoneId: "door", at: 22_000, gatewayId: GW1, dwellMs: 20_000 },
    ]);
  });
});
