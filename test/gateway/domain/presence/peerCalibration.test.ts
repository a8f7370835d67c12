import { describe, expect, it } from "vitest";
import type { Zone } from "../../../../protocol/index.js";
import { PresenceEngine, type PresenceEngineOptions, RECOMMENDED_PRESENCE_TUNING } from "../../../../gateway/src/domain/presence/PresenceEngine.js";
import {
  type CalibrationRecord,
  calibrationRecordOf,
  checkCalibrationRecord,
  withPeerCalibrations,
} from "../../../../gateway/src/domain/presence/peerCalibration.js";

/** Gateway g2's view of a store of g1 and g2: a floor zone around g1, a shelf zone around g2, a polygon. */
const ZONES: readonly Zone[] = [
  { id: "floor", shape: "gateway-radius", gatewayId: "g1", radiusM: 5 },
  { id: "shelf", shape: "gateway-radius", gatewayId: "g2", radiusM: 2, edgeLossDb: 9 },
  {
    id: "till",
    shape: "polygon",
    points: [
      { lat: 52.5, lon: 13.4 },
      { lat: 52.5001, lon: 13.4 },
      { lat: 52.5001, lon: 13.4001 },
    ],
  },
];
const OWN: PresenceEngineOptions = {
  zones: ZONES,
  tuning: { ...RECOMMENDED_PRESENCE_TUNING },
  gateways: [
    { id: "g1", rssiOffsetDb: 0, lat: 52.5, lon: 13.4 },
    { id: "g2", rssiOffsetDb: 1, lat: 52.50005, lon: 13.4 },
  ],
};
const G1: CalibrationRecord = {
  gatewayId: "g1",
  rssiOffsetDb: -4.25,
  zones: [{ zoneId: "floor", edgeLossDb: 24.5, exitMarginM: 9.31, peerEdges: [{ gatewayId: "g2", edgeLossDb: 31.2 }] }],
};
const zone = (o: PresenceEngineOptions, id: string) => o.zones.find((z) => z.id === id);

describe("a peer's calibration record", () => {
  it("is accepted when it sets only the sender's offset and the sender's own zones, within bounds", () => {
    expect(checkCalibrationRecord(G1, "g1", OWN, "g2")).toEqual({ ok: true, record: G1 });
    // Nothing learned: the config's values travel as they are, "none" included.
    expect(checkCalibrationRecord({ gatewayId: "g1", rssiOffsetDb: 0, zones: [{ zoneId: "floor", edgeLossDb: null, exitMarginM: null, peerEdges: [] }] }, "g1", OWN, "g2").ok).toBe(true);
  });

  const floor = G1.zones[0];
  if (floor === undefined) throw new Error("no zone");
  it.each<[string, CalibrationRecord, string, RegExp]>([
    ["sent by another gateway than it names", G1, "g3", /sent by "g3"/],
    ["claiming this gateway's own values", { ...G1, gatewayId: "g2" }, "g2", /this gateway's own/],
    ["setting a zone of this gateway", { ...G1, zones: [{ ...floor, zoneId: "shelf" }] }, "g1", /"shelf" is not a gateway-radius zone of g1/],
    ["setting a polygon zone", { ...G1, zones: [{ ...floor, zoneId: "till" }] }, "g1", /"till" is not a gateway-radius zone/],
    ["naming a zone the store does not have", { ...G1, zones: [{ ...floor, zoneId: "nowhere" }] }, "g1", /"nowhere" is not/],
    ["the same zone twice", { ...G1, zones: [floor, floor] }, "g1", /twice/],
    ["an offset beyond 30 dB", { ...G1, rssiOffsetDb: 31 }, "g1", /rssiOffsetDb 31 out of bounds/],
    ["an offset that is no number", { ...G1, rssiOffsetDb: Number.NaN }, "g1", /rssiOffsetDb NaN/],
    ["an infinite edge loss", { ...G1, zones: [{ ...floor, edgeLossDb: Number.POSITIVE_INFINITY }] }, "g1", /edgeLossDb Infinity/],
    ["a zero edge loss", { ...G1, zones: [{ ...floor, edgeLossDb: 0 }] }, "g1", /edgeLossDb 0 out/],
    ["a negative exit margin", { ...G1, zones: [{ ...floor, exitMarginM: -1 }] }, "g1", /exitMarginM -1/],
    ["a reference of a gateway the store does not list", { ...G1, zones: [{ ...floor, peerEdges: [{ gatewayId: "g9", edgeLossDb: 30 }] }] }, "g1", /"g9" not allowed/],
    ["a reference of the sender itself", { ...G1, zones: [{ ...floor, peerEdges: [{ gatewayId: "g1", edgeLossDb: 30 }] }] }, "g1", /"g1" not allowed/],
    ["a reference beyond 150 dB", { ...G1, zones: [{ ...floor, peerEdges: [{ gatewayId: "g2", edgeLossDb: 151 }] }] }, "g1", /peer reference 151/],
  ])("is refused whole when %s", (_, record, sender, problem) => {
    const checked = checkCalibrationRecord(record, sender, OWN, "g2");
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.join("\n")).toMatch(problem);
  });

  it("is refused from a sender the store does not list", () => {
    const checked = checkCalibrationRecord({ gatewayId: "g9", rssiOffsetDb: 0, zones: [] }, "g9", OWN, "g2");
    expect(checked.ok ? [] : checked.problems).toEqual(['sender "g9" is not a gateway of the store']);
  });

  it("lays the sender's offset and zone values over the receiver's options, and nothing else", () => {
    const run = withPeerCalibrations(OWN, [G1], "g2");
    expect(run.gateways).toEqual([
      { id: "g1", rssiOffsetDb: -4.25, lat: 52.5, lon: 13.4 },
      { id: "g2", rssiOffsetDb: 1, lat: 52.50005, lon: 13.4 },
    ]);
    expect(zone(run, "floor")).toEqual({ id: "floor", shape: "gateway-radius", gatewayId: "g1", radiusM: 5, edgeLossDb: 24.5, exitMarginM: 9.31, peerEdges: [{ gatewayId: "g2", edgeLossDb: 31.2 }] });
    expect(zone(run, "shelf")).toBe(ZONES[1]);
    expect(zone(run, "till")).toBe(ZONES[2]);
    // The engine compiles it.
    expect(() => new PresenceEngine(run)).not.toThrow();
    // A record back at the config's values takes the learned ones away again.
    const reverted = withPeerCalibrations(run, [{ gatewayId: "g1", rssiOffsetDb: 0, zones: [{ zoneId: "floor", edgeLossDb: null, exitMarginM: null, peerEdges: [] }] }], "g2");
    expect(zone(reverted, "floor")).toEqual(ZONES[0]);
  });

  it("no longer touches a zone a remote config moved to another gateway, nor the receiver's own values", () => {
    const moved = { ...OWN, zones: [{ ...ZONES[0], gatewayId: "g2" } as Zone, ...ZONES.slice(1)] };
    expect(zone(withPeerCalibrations(moved, [G1], "g2"), "floor")).toEqual(moved.zones[0]);
    expect(withPeerCalibrations(OWN, [{ ...G1, gatewayId: "g2" }], "g2")).toBe(OWN);
  });

  it("is what the sender's engine runs: its offset and its own gateway-radius zones", () => {
    const senderRuns = withPeerCalibrations(OWN, [G1], "g2");
    expect(calibrationRecordOf(senderRuns, "g1")).toEqual(G1);
    expect(calibrationRecordOf(OWN, "g2")).toEqual({
      gatewayId: "g2",
      rssiOffsetDb: 1,
      zones: [{ zoneId: "shelf", edgeLossDb: 9, exitMarginM: null, peerEdges: [] }],
    });
  });
});
