import { describe, expect, it } from "vitest";
import { toEvent } from "../../../gateway/src/services/ScanPipeline.js";
import { decodeGatewayMessage, MAX_DWELL_MS } from "../../../protocol/index.js";

/** What the scan pipeline hands the outbox always passes the wire contract's bounds. */

const change = (overrides: { rssiDbm?: number | null; distanceM?: number | null; dwellMs?: number }) => ({
  type: "exit" as const,
  zoneId: "z1",
  subject: { kind: "ibeacon" as const, id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:1" },
  at: Date.parse("2026-06-01T10:00:00Z"),
  visitId: "0123456789abcdef0123456789abcdef",
  eventId: "fedcba9876543210fedcba9876543210",
  rssiDbm: -60,
  distanceM: 2,
  gatewayId: "g1",
  ...overrides,
});

describe("toEvent", () => {
  it.each([
    ["a fixture beacon's week-long dwell", { dwellMs: 7 * 86_400_000 }, { dwellMs: MAX_DWELL_MS }],
    ["RSSI pushed past +20 dBm by a calibration offset", { rssiDbm: 35 }, { rssi: 20 }],
    ["RSSI below what a controller reports", { rssiDbm: -150 }, { rssi: -127 }],
    ["a distance past the contract's kilometre", { distanceM: 5000 }, { distanceM: 1000 }],
    ["values inside the bounds", { rssiDbm: -71.5, distanceM: 3.25, dwellMs: 60_000 }, { rssi: -71.5, distanceM: 3.25, dwellMs: 60_000 }],
    ["a GPS-decided event", { rssiDbm: null, distanceM: null }, { rssi: null, distanceM: null }],
  ] as const)("clamps %s to the contract", (_name, overrides, expected) => {
    const event = toEvent(change(overrides), "s1", "g1");
    expect(event).toMatchObject(expected);
    const decoded = decodeGatewayMessage("events", JSON.stringify({ v: 1, outbox: "outbox-01", fromSeq: 1, events: [{ ...event, seq: 1 }] }));
    expect(decoded.ok).toBe(true);
  });

  it("the contract refuses a dwell beyond the bound", () => {
    const event = { ...toEvent(change({}), "s1", "g1"), seq: 1, dwellMs: Number.MAX_SAFE_INTEGER };
    const decoded = decodeGatewayMessage("events", JSON.stringify({ v: 1, outbox: "outbox-01", fromSeq: 1, events: [event] }));
    expect(decoded.ok).toBe(false);
  });
});
