import { describe, expect, it } from "vitest";
import { chooseOwner } from "../../../../gateway/src/domain/presence/chooseOwner.js";

describe("chooseOwner", () => {
  it.each([
    { name: "no owner yet: the strongest", current: null, c: { "gw-1": -70, "gw-2": -60 }, expected: "gw-2" },
    {
      name: "no owner yet, a tie: the smaller id",
      current: null,
      c: { "gw-2": -60, "gw-1": -60 },
      expected: "gw-1",
    },
    {
      name: "owner keeps a 3 dB weaker lead",
      current: "gw-1",
      c: { "gw-1": -70, "gw-2": -67 },
      expected: "gw-1",
    },
    { name: "owner keeps at 5.9 dB", current: "gw-1", c: { "gw-1": -70, "gw-2": -64.1 }, expected: "gw-1" },
    {
      name: "challenger 6 dB stronger takes over",
      current: "gw-1",
      c: { "gw-1": -70, "gw-2": -64 },
      expected: "gw-2",
    },
    {
      name: "owner no longer hears: the strongest",
      current: "gw-1",
      c: { "gw-2": -80, "gw-3": -75 },
      expected: "gw-3",
    },
    { name: "nobody hears: keep the owner", current: "gw-1", c: {}, expected: "gw-1" },
    { name: "nobody hears, no owner", current: null, c: {}, expected: null },
  ])("$name", ({ current, c, expected }) => {
    const candidates = Object.entries(c).map(([gatewayId, rssiDbm]) => ({ gatewayId, rssiDbm }));
    expect(chooseOwner(current, candidates, 6)).toBe(expected);
  });
});
