import { describe, expect, it } from "vitest";
import {
  eventIdOf,
  fnv1a128Hex,
  visitIdOf,
} from "../../../../gateway/src/domain/presence/deterministicId.js";

const ID = /^[A-Za-z0-9_-]{8,64}$/;

describe("fnv1a128Hex", () => {
  it.each([
    { text: "", expected: "6c62272e07bb014262b821756295c58d" }, // the offset basis
    { text: "a", expected: "d228cb696f1a8caf78912b704e4a8964" }, // published FNV-1a 128 test vector
  ])("of $text", ({ text, expected }) => {
    expect(fnv1a128Hex(text)).toBe(expected);
  });
});

describe("visit and event ids", () => {
  const key = {
    gatewayId: "gw-1",
    zoneId: "door",
    subjectId: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2",
    enteredAt: 1_700_000_000_000,
  };

  it("are protocol-shaped and deterministic", () => {
    const v = visitIdOf(key);
    expect(v).toMatch(ID);
    expect(v).toHaveLength(32);
    expect(visitIdOf({ ...key })).toBe(v);
    expect(eventIdOf(v, "dwell", 60_000)).toBe(eventIdOf(v, "dwell", 60_000));
  });

  it("differ when any part of the key differs", () => {
    const ids = new Set([
      visitIdOf(key),
      visitIdOf({ ...key, gatewayId: "gw-2" }),
      visitIdOf({ ...key, zoneId: "till" }),
      visitIdOf({ ...key, subjectId: `${key.subjectId.slice(0, -1)}3` }),
      visitIdOf({ ...key, enteredAt: key.enteredAt + 1 }),
    ]);
    expect(ids.size).toBe(5);
    const v = visitIdOf(key);
    const events = new Set([
      eventIdOf(v, "enter"),
      eventIdOf(v, "exit"),
      eventIdOf(v, "dwell", 60_000),
      eventIdOf(v, "dwell", 300_000),
    ]);
    expect(events.size).toBe(4);
    for (const e of events) expect(e).toMatch(ID);
  });
});
