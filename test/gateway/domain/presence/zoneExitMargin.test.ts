import { describe, expect, it } from "vitest";
import { type PresenceChange, PresenceEngine } from "../../../../gateway/src/domain/presence/PresenceEngine.js";
import { PresenceError } from "../../../../gateway/src/domain/presence/PresenceError.js";
import { geoDistanceM } from "../../../../gateway/src/domain/zones/geofence.js";
import type { Subject, Zone } from "../../../../protocol/index.js";
import { ORIGIN, offset, rectangle } from "../zones/geo.js";
import { beacon, brief, rssiAt, run, type Stream, TEST_TUNING } from "./scenario.js";

// Every scenario runs two zones of the same geometry under a large global margin (tuning): one
// without a margin of its own, one with a small one. The subject settles inside, then stands
// where only the small margin puts it outside: that zone's visit ends after exitAfterMs (10 s),
// the other's holds until the subject is no longer heard.

const GW1 = "gw-1";
const GW2 = "gw-2";
const shopper = beacon(7);
const LARGE = 5;
const tuning = { ...TEST_TUNING, exitMarginM: LARGE };

const visits = (changes: readonly PresenceChange[], zoneId: string) =>
  brief(changes.filter((c) => c.zoneId === zoneId));

describe("per-zone exit margin: a gateway-radius zone on one gateway", () => {
  const wide: Zone = { id: "wide", shape: "gateway-radius", gatewayId: GW1, radiusM: 3 };
  const tight: Zone = { ...wide, id: "tight", exitMarginM: 0.5 };
  // 1 m for 10 s, then 5 m: beyond 3 + 0.5, within 3 + 5. Silent after 40 s.
  const stream: Stream = {
    gatewayId: GW1,
    subject: shopper,
    rssiAt: (t) => (t > 40_000 ? null : rssiAt(t < 10_000 ? 1 : 5)),
  };

  it("the zone with its own small margin exits, the zone on the global margin keeps the visit", () => {
    const engine = new PresenceEngine({ zones: [wide, tight], tuning, gateways: [{ id: GW1 }] });
    const changes = run(engine, [stream], { from: 0, to: 60_000, stepMs: 1000 });
    // The smoother holds the 1 m level two samples past 10 s, so the last support is at 11 s.
    expect(visits(changes, "tight")).toEqual([
      { type: "enter", zoneId: "tight", at: 2000, gatewayId: GW1 },
      { type: "exit", zoneId: "tight", at: 21_000, gatewayId: GW1, dwellMs: 9000 },
    ]);
    expect(visits(changes, "wide")).toEqual([
      { type: "enter", zoneId: "wide", at: 2000, gatewayId: GW1 },
      { type: "dwell", zoneId: "wide", at: 22_000, gatewayId: GW1, dwellMs: 20_000 },
      { type: "exit", zoneId: "wide", at: 50_000, gatewayId: GW1, dwellMs: 38_000 },
    ]);
  });

  it("a zone's own margin also widens the band beyond a smaller global margin", () => {
    const sticky: Zone = { ...wide, id: "sticky", exitMarginM: LARGE };
    const engine = new PresenceEngine({
      zones: [wide, sticky],
      tuning: { ...TEST_TUNING, exitMarginM: 0.5 },
      gateways: [{ id: GW1 }],
    });
    const changes = run(engine, [stream], { from: 0, to: 60_000, stepMs: 1000 });
    expect(visits(changes, "wide").at(-1)).toMatchObject({ type: "exit", at: 21_000 });
    expect(visits(changes, "sticky").at(-1)).toMatchObject({ type: "exit", at: 50_000 });
  });

  it("rejects a negative margin on a zone, with the zone's index", () => {
    expect(
      () => new PresenceEngine({ zones: [wide, { ...tight, exitMarginM: -1 }], tuning, gateways: [{ id: GW1 }] }),
    ).toThrow(PresenceError);
    try {
      new PresenceEngine({ zones: [wide, { ...tight, exitMarginM: -1 }], tuning, gateways: [{ id: GW1 }] });
    } catch (err) {
      expect((err as PresenceError).problems).toEqual(["zones[1].exitMarginM must be >= 0"]);
    }
  });
});

describe("per-zone exit margin: a gateway-radius zone pooling a surveyed peer", () => {
  // Both zones: 3 m around gw-1; gw-2 hangs 4 m east (within 2 radii), reference 7 m. Exponent 2.
  // The outside threshold is 20 log10((3 + margin) / 3): 1.3 dB for 0.5 m, 8.5 dB for 5 m.
  const gateways = [
    { id: GW1, ...ORIGIN },
    { id: GW2, ...offset(ORIGIN, 4, 0) },
  ];
  const wide: Zone = { id: "wide", shape: "gateway-radius", gatewayId: GW1, radiusM: 3 };
  const tight: Zone = { ...wide, id: "tight", exitMarginM: 0.5 };
  // Until 10 s: gw-1 1 m, gw-2 4 m (mean excess -7.3 dB, inside). Then gw-1 5 m (+4.4 dB) and
  // gw-2 9 m (+2.2 dB): mean +3.3 dB, between the two thresholds. Silent after 40 s.
  const heard = (gatewayId: string, nearM: number, farM: number): Stream => ({
    gatewayId,
    subject: shopper,
    rssiAt: (t) => (t > 40_000 ? null : rssiAt(t < 10_000 ? nearM : farM)),
  });
  const streams = [heard(GW1, 1, 5), heard(GW2, 4, 9)];

  it("the zone with its own small margin exits on the pooled excess, the other keeps the visit", () => {
    const engine = new PresenceEngine({ zones: [wide, tight], tuning, gateways });
    const changes = run(engine, streams, { from: 0, to: 60_000, stepMs: 1000 });
    const tightVisit = visits(changes, "tight");
    const wideVisit = visits(changes, "wide");
    expect(tightVisit.map((c) => c.type)).toEqual(["enter", "exit"]);
    expect(tightVisit[1]?.at).toBeLessThan(25_000);
    expect(wideVisit.map((c) => c.type)).toEqual(["enter", "dwell", "exit"]);
    expect(wideVisit[2]).toMatchObject({ at: 50_000 });
    // Same entry for both: the margin only moves the exit.
    expect(tightVisit[0]).toEqual({ ...wideVisit[0], zoneId: "tight" });
  });
});

describe("per-zone exit margin: circle and polygon zones", () => {
  it("polygon zones judged from the fused position: the small margin exits, the global one holds", () => {
    // The till polygon covers x 0..8 m, y 0..10 m; gw-1 hangs inside it at (5, 5), gw-2 outside at
    // (15, 5). The shopper stands by gw-1, then by gw-2: the fused position is then about 7 m
    // beyond the till's edge with an accuracy near 1 m. Tuning margin 10 m (band), own 2 m (outside).
    const gw1 = offset(ORIGIN, 5, 5);
    const gw2 = offset(ORIGIN, 15, 5);
    const wide: Zone = { id: "wide", shape: "polygon", points: rectangle(ORIGIN, 8, 10) };
    const tight: Zone = { ...wide, id: "tight", exitMarginM: 2 };
    const streams: Stream[] = [GW1, GW2].map((gatewayId) => ({
      gatewayId,
      subject: shopper,
      rssiAt: (t: number) => {
        if (t > 40_000) return null;
        const here = offset(ORIGIN, t < 10_000 ? 5 : 15, 4);
        return rssiAt(geoDistanceM(here, gatewayId === GW1 ? gw1 : gw2));
      },
    }));
    const engine = new PresenceEngine({
      zones: [wide, tight],
      tuning: { ...TEST_TUNING, exitMarginM: 10 },
      gateways: [
        { id: GW1, ...gw1 },
        { id: GW2, ...gw2 },
      ],
    });
    const changes = run(engine, streams, { from: 0, to: 60_000, stepMs: 1000 });
    const tightVisit = visits(changes, "tight");
    const wideVisit = visits(changes, "wide");
    expect(tightVisit.map((c) => c.type)).toEqual(["enter", "exit"]);
    expect(tightVisit[1]?.at).toBeLessThan(25_000);
    expect(wideVisit.map((c) => c.type)).toEqual(["enter", "dwell", "exit"]);
    expect(wideVisit[2]).toMatchObject({ at: 50_000 });
  });

  it("circle zones judged from GPS fixes: the small margin exits, the global one holds", () => {
    const phone: Subject = { kind: "app", id: "app:user-1" };
    const wide: Zone = { id: "wide", shape: "circle", center: ORIGIN, radiusM: 30 };
    const tight: Zone = { ...wide, id: "tight", exitMarginM: 2 };
    const engine = new PresenceEngine({
      zones: [wide, tight],
      tuning: { ...TEST_TUNING, exitMarginM: 20 },
      gateways: [{ id: GW1 }],
    });
    const out: PresenceChange[] = [];
    // 5 m east (inside), then 40 m east with 2 m accuracy: clearance -10 m, beyond 2 + 1, within 20 + 1.
    for (let t = 0; t <= 40_000; t += 1000) {
      const p = offset(ORIGIN, t < 10_000 ? 5 : 40, 0);
      out.push(...engine.observeFix({ t, subject: phone, lat: p.lat, lon: p.lon, accuracyM: 2 }));
      out.push(...engine.tick(t));
    }
    expect(visits(out, "tight")).toEqual([
      { type: "enter", zoneId: "tight", at: 2000, gatewayId: GW1 },
      { type: "exit", zoneId: "tight", at: 19_000, gatewayId: GW1, dwellMs: 7000 },
    ]);
    expect(visits(out, "wide")).toEqual([
      { type: "enter", zoneId: "wide", at: 2000, gatewayId: GW1 },
      { type: "dwell", zoneId: "wide", at: 22_000, gatewayId: GW1, dwellMs: 20_000 },
    ]);
    expect(engine.openVisits).toBe(1);
  });
});
