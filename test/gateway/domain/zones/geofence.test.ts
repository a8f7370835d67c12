import { describe, expect, it } from "vitest";
import {
  classifyClearance,
  type GeoPoint,
  geoDistanceM,
  isValidGeoPoint,
  rangeClearanceM,
  zoneClearanceM,
} from "../../../../gateway/src/domain/zones/geofence.js";
import type { Zone } from "../../../../protocol/index.js";
import { ORIGIN, offset, rectangle } from "./geo.js";

const noSites = (): GeoPoint | undefined => undefined;
const gw1 = offset(ORIGIN, 5, 5);
const sites = (id: string): GeoPoint | undefined => (id === "gw-1" ? gw1 : undefined);

const circle: Zone = { id: "till", shape: "circle", center: ORIGIN, radiusM: 5 };
// 20 m east-west by 10 m north-south, south-west corner at ORIGIN.
const polygon: Zone = { id: "store", shape: "polygon", points: rectangle(ORIGIN, 20, 10) };
const aroundGateway: Zone = { id: "door", shape: "gateway-radius", gatewayId: "gw-1", radiusM: 3 };

describe("test geometry helper", () => {
  it("places points at the distance asked", () => {
    expect(geoDistanceM(ORIGIN, offset(ORIGIN, 3, 4))).toBeCloseTo(5, 1);
  });
});

describe("zoneClearanceM", () => {
  it.each([
    {
      name: "circle: 3 m from the centre of a 5 m circle",
      zone: circle,
      at: offset(ORIGIN, 0, 3),
      expected: 2,
    },
    { name: "circle: at the centre", zone: circle, at: ORIGIN, expected: 5 },
    { name: "circle: 8 m from the centre", zone: circle, at: offset(ORIGIN, -8, 0), expected: -3 },
    {
      name: "polygon: middle, nearest edge is a long side",
      zone: polygon,
      at: offset(ORIGIN, 10, 5),
      expected: 5,
    },
    { name: "polygon: 1 m inside the east edge", zone: polygon, at: offset(ORIGIN, 19, 5), expected: 1 },
    { name: "polygon: 2 m outside the east edge", zone: polygon, at: offset(ORIGIN, 22, 5), expected: -2 },
    // Beyond the north-east corner the nearest boundary point is the corner itself (3-4-5).
    { name: "polygon: diagonally off a corner", zone: polygon, at: offset(ORIGIN, 23, 14), expected: -5 },
    {
      name: "gateway-radius: 1 m from a surveyed gateway",
      zone: aroundGateway,
      at: offset(gw1, 1, 0),
      expected: 2,
    },
    {
      name: "gateway-radius: 4 m from a surveyed gateway",
      zone: aroundGateway,
      at: offset(gw1, 0, -4),
      expected: -1,
    },
  ])("$name -> $expected m", ({ zone, at, expected }) => {
    const c = zoneClearanceM(zone, at, sites);
    expect(c).not.toBeNull();
    expect(c ?? Number.NaN).toBeCloseTo(expected, 1);
  });

  it("cannot judge a gateway-radius zone by position when the gateway has no surveyed position", () => {
    expect(zoneClearanceM(aroundGateway, ORIGIN, noSites)).toBeNull();
  });

  it("for RSSI ranges is radius minus distance", () => {
    expect(rangeClearanceM(3, 1.25)).toBe(1.75);
    expect(rangeClearanceM(3, 4)).toBe(-1);
  });
});

describe("classifyClearance", () => {
  it.each([
    // RSSI range readings have no accuracy radius: inside iff d <= radius, outside iff d > radius + margin.
    { clearance: 0.5, accuracy: 0, margin: 1.5, expected: "inside" },
    { clearance: 0, accuracy: 0, margin: 1.5, expected: "inside" },
    { clearance: -1.5, accuracy: 0, margin: 1.5, expected: "band" },
    { clearance: -1.51, accuracy: 0, margin: 1.5, expected: "outside" },
    { clearance: -0.01, accuracy: 0, margin: 0, expected: "outside" },
    // GPS fixes: inside when at least half the accuracy radius clear of the boundary (~80% of the disc).
    { clearance: 10, accuracy: 20, margin: 1.5, expected: "inside" },
    { clearance: 9.9, accuracy: 20, margin: 1.5, expected: "band" },
    { clearance: 2, accuracy: 20, margin: 1.5, expected: "band" }, // centre inside, fix too coarse to say
    { clearance: -11.5, accuracy: 20, margin: 1.5, expected: "band" },
    { clearance: -11.6, accuracy: 20, margin: 1.5, expected: "outside" },
  ] as const)("clearance $clearance m, accuracy $accuracy m, margin $margin m -> $expected", (row) => {
    expect(classifyClearance(row.clearance, row.accuracy, row.margin)).toBe(row.expected);
  });

  it("judges GPS fixes with their accuracy against a circle zone", () => {
    const bigCircle: Zone = { id: "forecourt", shape: "circle", center: ORIGIN, radiusM: 30 };
    const fixes = [
      { name: "near the centre, 10 m accuracy", at: offset(ORIGIN, 5, 0), accuracyM: 10, expected: "inside" },
      { name: "near the centre, 60 m accuracy", at: offset(ORIGIN, 5, 0), accuracyM: 60, expected: "band" },
      {
        name: "26 m from the centre, 5 m accuracy",
        at: offset(ORIGIN, 26, 0),
        accuracyM: 5,
        expected: "inside",
      },
      {
        name: "28 m from the centre, 5 m accuracy",
        at: offset(ORIGIN, 28, 0),
        accuracyM: 5,
        expected: "band",
      },
      {
        name: "31 m from the centre, 5 m accuracy",
        at: offset(ORIGIN, 0, -31),
        accuracyM: 5,
        expected: "band",
      },
      {
        name: "40 m from the centre, 5 m accuracy",
        at: offset(ORIGIN, 0, 40),
        accuracyM: 5,
        expected: "outside",
      },
      {
        name: "40 m from the centre, 30 m accuracy",
        at: offset(ORIGIN, 0, 40),
        accuracyM: 30,
        expected: "band",
      },
    ] as const;
    for (const f of fixes) {
      const clearance = zoneClearanceM(bigCircle, f.at, noSites) ?? Number.NaN;
      expect(classifyClearance(clearance, f.accuracyM, 1.5), f.name).toBe(f.expected);
    }
  });
});

describe("isValidGeoPoint", () => {
  it.each([
    { p: { lat: 52.5, lon: 13.4 }, ok: true },
    { p: { lat: 91, lon: 0 }, ok: false },
    { p: { lat: 0, lon: -181 }, ok: false },
    { p: { lat: Number.NaN, lon: 0 }, ok: false },
    { p: { lat: 1 }, ok: false },
  ])("$p -> $ok", ({ p, ok }) => {
    expect(isValidGeoPoint(p)).toBe(ok);
  });
});
