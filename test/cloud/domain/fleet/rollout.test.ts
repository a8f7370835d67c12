import { describe, expect, it } from "vitest";
import { canariesOf, planRollout, type RolloutGateway, type RolloutSpec } from "../../../../cloud/src/domain/fleet/index.js";

const R = "0.2.0-abcdefabcdef";
const NOW = 10_000_000;
const spec: RolloutSpec = { release: R, canaryShare: 0.25, healthGateMs: 600_000, paused: false };

const gw = (id: string, over: Partial<RolloutGateway> = {}): RolloutGateway => ({ id, state: "online", lastUpdate: null, ...over });
const on = (at: number) => ({ outcome: "updated" as const, to: R, at });
const fleet = (n: number) => Array.from({ length: n }, (_, i) => gw(`g${String(i + 1).padStart(2, "0")}`));

describe("canariesOf", () => {
  it("takes the first ceil(share × n) by id, at least one", () => {
    expect(canariesOf(["g3", "g1", "g2", "g4"], 0.25)).toEqual(["g1"]);
    expect(canariesOf(["g3", "g1", "g2", "g4", "g5"], 0.25)).toEqual(["g1", "g2"]);
    expect(canariesOf(["g1", "g2"], 0.01)).toEqual(["g1"]);
    expect(canariesOf(["g1", "g2"], 1)).toEqual(["g1", "g2"]);
    expect(canariesOf([], 0.5)).toEqual([]);
  });
});

describe("planRollout", () => {
  it("tells the canaries first, and only them", () => {
    const plan = planRollout(spec, fleet(8), NOW);
    expect(plan).toMatchObject({ phase: "canary", assign: ["g01", "g02"], canaries: ["g01", "g02"], done: [] });
  });

  it("holds the rest until every canary ran the release, online, for the whole gate", () => {
    const gateways = fleet(8).map((g) => (g.id === "g01" || g.id === "g02" ? { ...g, lastUpdate: on(NOW - 100_000) } : g));
    const gated = planRollout(spec, gateways, NOW);
    expect(gated).toMatchObject({ phase: "gated", assign: [], reason: "canaries healthy; the rest go 500 s from now" });
    const degraded = gateways.map((g) => (g.id === "g02" ? { ...g, state: "degraded" as const } : g));
    expect(planRollout(spec, degraded, NOW + 600_000)).toMatchObject({ phase: "gated", reason: "canaries not healthy: g02" });
    const rest = planRollout(spec, gateways, NOW + 500_000);
    expect(rest.phase).toBe("rest");
    expect(rest.assign).toEqual(["g03", "g04", "g05", "g06", "g07", "g08"]);
  });

  it("halts on a gateway that rolled the release back, and names it", () => {
    const gateways = fleet(4).map((g) => (g.id === "g01" ? { ...g, lastUpdate: { outcome: "rolled-back" as const, to: R, at: NOW } } : g));
    expect(planRollout(spec, gateways, NOW)).toMatchObject({ phase: "halted", assign: [], failed: ["g01"] });
    // A rollback of another release says nothing about this one.
    const other = fleet(4).map((g) => (g.id === "g01" ? { ...g, lastUpdate: { outcome: "rolled-back" as const, to: "0.1.9-000000000000", at: NOW } } : g));
    expect(planRollout(spec, other, NOW).phase).toBe("canary");
  });

  it("pauses and resumes where it was, and is done when every gateway runs the release", () => {
    expect(planRollout({ ...spec, paused: true }, fleet(4), NOW)).toMatchObject({ phase: "paused", assign: [] });
    const all = fleet(3).map((g) => ({ ...g, lastUpdate: { outcome: "unchanged" as const, to: R, at: NOW } }));
    expect(planRollout({ ...spec, paused: true }, all, NOW)).toMatchObject({ phase: "done", done: ["g01", "g02", "g03"] });
    expect(planRollout(spec, [], NOW)).toMatchObject({ phase: "done", assign: [], reason: "the store has no gateways" });
  });

  it("does not tell a gateway again once it runs the release", () => {
    const gateways = fleet(4).map((g) => (g.id === "g01" ? { ...g, lastUpdate: on(NOW - 700_000) } : g.id === "g03" ? { ...g, lastUpdate: on(NOW - 10) } : g));
    expect(planRollout(spec, gateways, NOW).assign).toEqual(["g02", "g04"]);
  });
});
