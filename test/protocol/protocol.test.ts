import Type from "typebox";
import { describe, expect, it } from "vitest";
import {
  allGatewaysFilter,
  Checker,
  decodeGatewayMessage,
  decodeStoreMessage,
  decodeUserMessage,
  gatewayTopic,
  MAX_PAYLOAD_BYTES,
  ProtocolError,
  parseTopic,
  userTopic,
  ZoneSchema,
} from "../../protocol/index.js";

const event = {
  id: "0123456789abcdef0123456789abcdef",
  seq: 1,
  type: "enter",
  storeId: "s1",
  zoneId: "z1",
  gatewayId: "g1",
  subject: { kind: "ibeacon", id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2" },
  at: "2026-11-22T09:00:00.000Z",
  visitId: "fedcba9876543210fedcba9876543210",
  rssi: -65.5,
  distanceM: 2.1,
};

describe("topics", () => {
  it("builds every channel under arrival/v1 and parses it back", () => {
    for (const channel of ["events", "status", "telemetry", "config", "ack"] as const) {
      const topic = gatewayTopic("store-1", "gw_2", channel);
      expect(topic).toBe(`arrival/v1/stores/store-1/gateways/gw_2/${channel}`);
      expect(parseTopic(topic)).toEqual({ scope: "gateway", storeId: "store-1", gatewayId: "gw_2", channel });
    }
    expect(userTopic("u-1", "offers")).toBe("arrival/v1/users/u-1/offers");
    expect(parseTopic("arrival/v1/users/u-1/offers")).toEqual({
      scope: "user",
      userId: "u-1",
      channel: "offers",
    });
    expect(allGatewaysFilter("events")).toBe("arrival/v1/stores/+/gateways/+/events");
  });

  it.each(["a/b", "+", "#", "", "x".repeat(65), "-leading"])("refuses to build a topic from id %j", (id) => {
    expect(() => gatewayTopic(id, "g", "events")).toThrow(ProtocolError);
    expect(() => userTopic(id, "offers")).toThrow(ProtocolError);
  });

  it.each([
    "arrival/v2/users/u/offers",
    "arrival/v1/users/u/secrets",
    "arrival/v1/users/+/offers",
    "arrival/v1/stores/s/gateways/g/events/extra",
    "arrival/v1/stores/s/gateway/g/events",
    "$SYS/broker/clients",
  ])("parses %j to null", (topic) => {
    expect(parseTopic(topic)).toBeNull();
  });
});

describe("message decoding", () => {
  it("accepts a valid batch", () => {
    const decoded = decodeGatewayMessage("events", JSON.stringify({ v: 1, outbox: "outbox-1", fromSeq: 1, events: [event] }));
    expect(decoded.ok).toBe(true);
  });

  it("takes a status's calibration and telemetry's LAN peers, refusing bad ones by field", () => {
    const calibration = { surveyedAt: "2026-12-07T09:30:00.000Z", samples: 48, rssiOffsetDb: 6, zones: [{ zoneId: "floor", edgeLossDb: 71.5 }] };
    const status = { v: 1, state: "online", at: "2026-12-07T10:00:00.000Z", calibration };
    expect(decodeGatewayMessage("status", JSON.stringify(status)).ok).toBe(true);
    expect(decodeGatewayMessage("status", JSON.stringify({ ...status, calibration: { ...calibration, surveyedAt: null, samples: null } })).ok).toBe(true);
    const badOffset = decodeGatewayMessage("status", JSON.stringify({ ...status, calibration: { ...calibration, rssiOffsetDb: 45 } }));
    expect(badOffset.ok ? [] : badOffset.problems.map((p) => p.path)).toContain("/calibration/rssiOffsetDb");
    const telemetry = {
      v: 1, at: "2026-12-07T10:00:00.000Z", version: "0.4.0", uptimeS: 60, advertsPerS: 1, subjectsTracked: 1,
      outboxDepth: 0, outboxOldestAgeS: 0, eventsSent: 0, reconnects: 0, cpuPercent: 1, rssBytes: 1,
      lan: { sightingsReceived: 3, lateDropped: 0, refused: 0, peers: [{ id: "g2", lastHeardAgeS: null, sightingsReceived: 3, refused: 0, lateDropped: 0 }] },
    };
    expect(decodeGatewayMessage("telemetry", JSON.stringify(telemetry)).ok).toBe(true);
    const badPeer = decodeGatewayMessage(
      "telemetry",
      JSON.stringify({ ...telemetry, lan: { ...telemetry.lan, peers: [{ id: "g2", lastHeardAgeS: -1, sightingsReceived: 3, refused: 0, lateDropped: 0 }] } }),
    );
    expect(badPeer.ok ? [] : badPeer.problems.map((p) => p.path)).toContain("/lan/peers/0/lastHeardAgeS");
  });

  it.each([
    ["not JSON", "{", "", /not JSON/],
    [
      "an unknown version",
      JSON.stringify({ v: 2, outbox: "outbox-1", fromSeq: 1, events: [event] }),
      "/v",
      /unsupported version/,
    ],
    [
      "an unknown field",
      JSON.stringify({ v: 1, outbox: "outbox-1", fromSeq: 1, events: [event], extra: 1 }),
      "",
      /unknown field "extra"/,
    ],
    ["a wrong type", JSON.stringify({ v: 1, outbox: "outbox-1", fromSeq: "1", events: [event] }), "/fromSeq", /integer/],
    [
      "a bad event type",
      JSON.stringify({ v: 1, outbox: "outbox-1", fromSeq: 1, events: [{ ...event, type: "arrive" }] }),
      "/events/0/type",
      /one of/,
    ],
    [
      "a bad timestamp",
      JSON.stringify({ v: 1, outbox: "outbox-1", fromSeq: 1, events: [{ ...event, at: "yesterday" }] }),
      "/events/0/at",
      /date-time/,
    ],
    ["an empty batch", JSON.stringify({ v: 1, outbox: "outbox-1", fromSeq: 1, events: [] }), "/events", /./],
  ])("rejects %s with its path", (_name, payload, path, message) => {
    const decoded = decodeGatewayMessage("events", payload);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.problems.some((p) => p.path === path && message.test(p.message))).toBe(true);
  });

  it("decodes a store device's pick-up arrival and refuses one that carries more than the order", () => {
    const arrival = {
      v: 1,
      kind: "pickup-arrived",
      pickupId: "p_0123456789ab",
      orderId: "web-1001",
      storeId: "s1",
      arrivedAt: "2026-12-07T10:00:00.000Z",
    };
    expect(decodeStoreMessage("pickups", JSON.stringify(arrival))).toEqual({ ok: true, value: arrival });
    const named = decodeStoreMessage("pickups", JSON.stringify({ ...arrival, displayName: "Mei" }));
    expect(named.ok).toBe(false);
    const unversioned = decodeStoreMessage("pickups", JSON.stringify({ ...arrival, v: 2 }));
    expect(unversioned).toMatchObject({ ok: false, problems: [{ path: "/v" }] });
  });

  it("refuses an oversized payload before parsing it", () => {
    const decoded = decodeUserMessage("offers", Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problems[0]?.message).toMatch(/exceeds/);
  });

  it("never throws on arbitrary bytes", () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: i % 97 }, (_, k) => (i * 31 + k * 7) % 256));
      expect(() => decodeGatewayMessage("events", bytes)).not.toThrow();
      expect(() => decodeGatewayMessage("config", bytes)).not.toThrow();
    }
  });
});

describe("Checker on tagged unions", () => {
  const zones = new Checker(Type.Array(ZoneSchema));
  it.each([
    [[{ id: "z", shape: "circle" }], [["/0/center", /is required/], ["/0/radiusM", /is required/]]],
    [[{ id: "z", shape: "polygon", points: [] }], [["/0/points", /fewer than 3/]]],
    [[{ id: "z", shape: "square" }], [["/0/shape", /one of "gateway-radius", "circle", "polygon"/]]],
    [
      [
        { id: "a", shape: "gateway-radius", gatewayId: "g", radiusM: -1 },
        { id: "b", shape: "circle", center: { lat: 99, lon: 0 }, radiusM: 5 },
      ],
      [
        ["/0/radiusM", /0/],
        ["/1/center/lat", /90/],
      ],
    ],
  ] as const)("reports only the branch the value's tag names: %j", (value, expected) => {
    const checked = zones.check(value);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toHaveLength(expected.length);
    expected.forEach(([path, message], i) => {
      expect(checked.problems[i]?.path).toBe(path);
      expect(checked.problems[i]?.message).toMatch(message);
    });
  });
});

describe("Checker on missing fields", () => {
  const checker = new Checker(
    Type.Object({ name: Type.String(), "a/b~c": Type.Integer(), inner: Type.Object({ x: Type.Number(), y: Type.Number() }) }),
  );
  it("reports each missing field at its own path, nested and escaped as RFC 6901 says", () => {
    const checked = checker.check({ inner: { y: 1 } });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toEqual([
      { path: "/name", message: "is required" },
      { path: "/a~1b~0c", message: "is required" },
      { path: "/inner/x", message: "is required" },
    ]);
  });
});
