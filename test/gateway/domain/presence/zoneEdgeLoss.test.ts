import { describe, expect, it } from "vitest";
import { PresenceEngine } from "../../../../gateway/src/domain/presence/PresenceEngine.js";
import { PresenceError } from "../../../../gateway/src/domain/presence/PresenceError.js";
import type { Zone } from "../../../../protocol/index.js";
import { beacon, brief, rssiAt, run, type Stream, TEST_TUNING } from "./scenario.js";

// A surveyed zone (edgeLossDb) is judged against the distance its edge loss means under the
// model, not its drawn radius: a subject standing at 4 m is outside a 3 m zone as drawn, inside
// the same zone surveyed at the loss of 5 m.

const GW = "gw-1";
const drawn: Zone = { id: "drawn", shape: "gateway-radius", gatewayId: GW, radiusM: 3 };
const n10 = 10 * TEST_TUNING.pathLossExponent;
const surveyed: Zone = { ...drawn, id: "surveyed", edgeLossDb: n10 * Math.log10(5) };
const atFourMetres: Stream = { gatewayId: GW, subject: beacon(3), rssiAt: (t) => (t > 30_000 ? null : rssiAt(4)) };

describe("a zone's surveyed edge loss", () => {
  it("moves the enter test to the distance that loss means", () => {
    const engine = new PresenceEngine({ zones: [drawn, surveyed], tuning: TEST_TUNING, gateways: [{ id: GW }] });
    const changes = brief(run(engine, [atFourMetres], { from: 0, to: 40_000, stepMs: 1000 }));
    expect(changes.filter((c) => c.zoneId === "drawn")).toEqual([]);
    expect(changes.filter((c) => c.zoneId === "surveyed")[0]).toMatchObject({ type: "enter", zoneId: "surveyed" });
  });

  it("rejects an edge loss that is not positive, with the zone's index", () => {
    expect(
      () => new PresenceEngine({ zones: [drawn, { ...surveyed, edgeLossDb: -3 }], tuning: TEST_TUNING, gateways: [{ id: GW }] }),
    ).toThrow(PresenceError);
    expect(
      () => new PresenceEngine({ zones: [drawn, { ...surveyed, edgeLossDb: -3 }], tuning: TEST_TUNING, gateways: [{ id: GW }] }),
    ).toThrow(/zones\[1\]\.edgeLossDb must be > 0/);
  });
});
