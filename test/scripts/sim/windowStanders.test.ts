import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayCapture } from "../../../gateway/src/cli/replay.js";
import type { GatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { RECOMMENDED_PRESENCE_TUNING } from "../../../gateway/src/domain/presence/PresenceEngine.js";
import { surveyedShop } from "../../../scripts/bench/surveyedShop.js";
import { writeSimulation } from "../../../scripts/sim/simulateStore.js";

/**
 * The depth rule of pooled zones (`presence.enterPooledDepth`) on the simulated shop, as the bench
 * runs it (scripts/bench/presence.ts, `engine-surveyed-fused`): a tuning seed's shop surveyed before
 * opening, every gateway pooled, the gateway's own pipeline replaying the simulator's capture.
 */
// Seed 12 of the tuning seeds at 3 dB of shadowing: one person who stops at the window is taken in
// by the k-of-n rule alone (docs/benchmarks.md, "Passers-by at the window: evidence depth").
const shop = surveyedShop({ firstSeed: 12, seeds: 1, minutes: 30, shadowingDb: 3, storefrontDb: 6, gatewayOffsetDb: 0 }, 12);
const sim = shop.sim;

/** Every enter of the store zone, replaying the simulation's capture as `arrival-gateway replay` does. */
async function storeEnters(config: GatewayConfig, capturePath: string): Promise<{ subject: string; at: number }[]> {
  const enters: { subject: string; at: number }[] = [];
  await replayCapture(config, createReadStream(capturePath), (events) => {
    for (const ev of events)
      if (ev.type === "enter" && ev.zoneId === "store") enters.push({ subject: ev.subject.id, at: Date.parse(ev.at) });
  });
  return enters;
}

describe("the depth rule on a surveyed, pooled simulated shop", () => {
  // The survey of this lightly shadowed shop turns the rule on; the k-of-n rule alone is without it.
  const { enterPooledDepth: surveyed, ...kOfN } = shop.config.presenceTuning;
  const without: GatewayConfig = { ...shop.config, presenceTuning: kOfN };
  const withRule: GatewayConfig = {
    ...without,
    presenceTuning: { ...without.presenceTuning, enterPooledDepth: { depthDb: 1.5, holdMs: 15_000 } },
  };
  const roles = new Map<string, { role: string; pausedMs: number }>();
  for (const r of sim.truth) if (r.kind === "subject") roles.set(r.subject, { role: r.role, pausedMs: r.pausedMs });
  const longVisits = sim.truth.filter(
    (r) => r.kind === "visit" && r.role === "shopper" && r.zone === "store" && r.durationMs >= 20_000,
  );
  let before: { subject: string; at: number }[] = [];
  let after: { subject: string; at: number }[] = [];
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-window-"));
    const written = await writeSimulation(sim, dir);
    before = await storeEnters(without, written.capturePath);
    after = await storeEnters(withRule, written.capturePath);
  });
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });
  const windowStanders = (enters: readonly { subject: string }[]): string[] =>
    enters.filter((e) => roles.get(e.subject)?.role === "passer-by" && (roles.get(e.subject)?.pausedMs ?? 0) > 0).map((e) => e.subject);

  it("is off by default, and on where the survey hears the edges spread little", () => {
    expect(RECOMMENDED_PRESENCE_TUNING.enterPooledDepth).toBeUndefined();
    expect(shop.calibration.edgeSpreadDb).toBeLessThanOrEqual(14);
    expect(surveyed).toEqual({ depthDb: 1.5, holdMs: 15_000 });
  });

  it("keeps out the window-stander the k-of-n rule alone takes in", () => {
    expect(windowStanders(before)).toHaveLength(1);
    expect(windowStanders(after)).toEqual([]);
  });

  it("still enters every shopper who stays 20 s or more that the k-of-n rule enters, at most the hold later", () => {
    expect(longVisits.length).toBeGreaterThan(10);
    let entered = 0;
    for (const v of longVisits) {
      if (v.kind !== "visit") continue;
      const first = (enters: readonly { subject: string; at: number }[]) =>
        enters.find((e) => e.subject === v.subject && e.at >= v.enterAt - 30_000 && e.at <= v.leaveAt)?.at;
      const was = first(before);
      if (was === undefined) continue;
      entered++;
      const is = first(after);
      expect(is, v.subject).toBeDefined();
      expect(is ?? 0).toBeGreaterThanOrEqual(was);
      expect((is ?? 0) - was).toBeLessThanOrEqual(15_000);
    }
    // One shopper of this shop is missed with or without the rule (recall 99.1% over seeds 11-15).
    expect(entered).toBe(longVisits.length - 1);
  });

  it("never adds an enter", () => {
    expect(after.length).toBeLessThanOrEqual(before.length);
  });
});
