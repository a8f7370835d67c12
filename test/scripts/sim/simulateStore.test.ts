import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCaptureLine } from "../../../gateway/src/adapters/replay/captureLine.js";
import { parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { decodeAdvertisement, subjectOf } from "../../../gateway/src/domain/advert/index.js";
import { geoDistanceM } from "../../../gateway/src/domain/zones/geofence.js";
import { gatewayOf, STORE_PLAN } from "../../../scripts/sim/floorPlan.js";
import { simulateSurvey } from "../../../scripts/sim/survey.js";
import {
  type Simulation,
  type SubjectTruth,
  simulateStore,
  type VisitTruth,
  writeSimulation,
} from "../../../scripts/sim/simulateStore.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sim-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function files(
  sim: Simulation,
  name: string,
): Promise<{ capture: string; truth: string; config: string }> {
  const written = await writeSimulation(sim, join(dir, name));
  return {
    capture: await readFile(written.capturePath, "utf8"),
    truth: await readFile(written.truthPath, "utf8"),
    config: await readFile(written.configPath, "utf8"),
  };
}

describe("simulateStore", () => {
  it("with a gateway added on its own stream, the plan's gateways hear exactly what they heard without it", () => {
    const extra = { ...STORE_PLAN, gateways: [...STORE_PLAN.gateways, { id: "gw-extra", position: { x: 0.5, y: 1.5 }, ownStream: true }] };
    const shared = { ...STORE_PLAN, gateways: [...STORE_PLAN.gateways, { id: "gw-extra", position: { x: 0.5, y: 1.5 } }] };
    const heard = (plan: typeof STORE_PLAN, gatewayId: string) => {
      const sim = simulateStore({ seed: 4, minutes: 3, rate: "1hz", plan });
      const survey = simulateSurvey(sim.plan, sim.radio, { seed: 4, startAt: sim.startAt });
      const keep = (a: { gatewayId?: string }) => a.gatewayId === gatewayId;
      return { shop: [...sim.adverts()].filter(keep), survey: survey.adverts.filter(keep) };
    };
    const alone = heard(STORE_PLAN, "gw-floor");
    expect(alone.shop.length).toBeGreaterThan(100);
    expect(heard(extra, "gw-floor")).toEqual(alone);
    expect(heard(extra, "gw-extra").shop.length).toBeGreaterThan(100);
    // Sharing the transmitters' stream, the added gateway would shift what the others hear.
    expect(heard(shared, "gw-floor").shop).not.toEqual(alone.shop);
  });

  it("is deterministic: the same seed gives the same bytes, another seed others", async () => {
    const a = await files(simulateStore({ seed: 3, minutes: 5, rate: "android" }), "a");
    const b = await files(simulateStore({ seed: 3, minutes: 5, rate: "android" }), "b");
    const c = await files(simulateStore({ seed: 4, minutes: 5, rate: "android" }), "c");
    expect(a.capture.length).toBeGreaterThan(10_000);
    expect(b.capture).toBe(a.capture);
    expect(b.truth).toBe(a.truth);
    expect(b.config).toBe(a.config);
    expect(c.capture).not.toBe(a.capture);
  });

  it("writes a capture in timestamp order that the replay reader accepts, every advert a known subject", async () => {
    const sim = simulateStore({ seed: 5, minutes: 6, rate: "1hz" });
    const { capture, config } = await files(sim, "order");
    const subjects = new Set(sim.truth.filter((r) => r.kind === "subject").map((r) => r.subject));
    const gateways = new Set(sim.plan.gateways.map((g) => g.id));
    let last = Number.NEGATIVE_INFINITY;
    const lines = capture.trimEnd().split("\n");
    for (const line of lines) {
      const advert = parseCaptureLine(line);
      if (typeof advert === "string") throw new Error(`${advert}: ${line}`);
      expect(advert.t).toBeGreaterThanOrEqual(last);
      expect(advert.t).toBeGreaterThanOrEqual(sim.startAt);
      expect(advert.t).toBeLessThan(sim.endAt);
      last = advert.t;
      expect(gateways.has(advert.gatewayId ?? "")).toBe(true);
      expect(advert.rssi).toBeLessThanOrEqual(0);
      expect(advert.rssi).toBeGreaterThanOrEqual(-98);
      const beacon = decodeAdvertisement(advert.data);
      const subject = beacon === null ? null : subjectOf(beacon);
      expect(subjects.has(subject?.id ?? "")).toBe(true);
    }
    const parsed = parseGatewayConfig(JSON.parse(config));
    expect(parsed.ok).toBe(true);
  });

  it("keeps ground truth consistent with the trajectories and the zones", () => {
    const sim = simulateStore({ seed: 9, minutes: 30, rate: "1hz" });
    const subjects = new Map(
      sim.truth.filter((r): r is SubjectTruth => r.kind === "subject").map((r) => [r.subject, r]),
    );
    const advertisers = new Map(sim.advertisers.map((a) => [a.subjectId, a]));
    const visits = sim.truth.filter((r): r is VisitTruth => r.kind === "visit");
    expect(subjects.size).toBe(sim.advertisers.length);
    const roles = new Set([...subjects.values()].map((s) => s.role));
    expect([...roles].sort()).toEqual(["fixed", "passer-by", "shopper", "staff"]);

    for (const v of visits) {
      const subject = subjects.get(v.subject);
      const advertiser = advertisers.get(v.subject);
      if (subject === undefined || advertiser === undefined) throw new Error(`unknown subject ${v.subject}`);
      expect(v.role).toBe(subject.role);
      expect(v.role).not.toBe("passer-by");
      expect(v.leaveAt).toBeGreaterThan(v.enterAt);
      expect(v.durationMs).toBe(v.leaveAt - v.enterAt);
      expect(v.enterAt).toBeGreaterThanOrEqual(subject.firstAt);
      expect(v.leaveAt).toBeLessThanOrEqual(Math.max(subject.lastAt, sim.endAt));
      const zone = sim.plan.zones.find((z) => z.id === v.zone);
      if (zone === undefined) throw new Error(`unknown zone ${v.zone}`);
      const center = gatewayOf(sim.plan, zone.gatewayId).position;
      const distanceAt = (t: number): number => {
        const p = advertiser.trajectory.at(t);
        return p === null ? Number.POSITIVE_INFINITY : Math.hypot(p.x - center.x, p.y - center.y);
      };
      // Inside throughout, outside just before and after (unless cut by the capture's edges).
      for (let k = 1; k < 10; k++)
        expect(distanceAt(v.enterAt + ((v.leaveAt - v.enterAt) * k) / 10)).toBeLessThanOrEqual(
          zone.radiusM + 0.01,
        );
      if (!v.open) {
        expect(distanceAt(v.enterAt - 600)).toBeGreaterThan(zone.radiusM - 0.01);
        expect(distanceAt(v.leaveAt + 600)).toBeGreaterThan(zone.radiusM - 0.01);
      }
    }
    // Passers-by never come near a zone; every shopper visits the store zone once.
    for (const s of subjects.values()) {
      if (s.role === "passer-by") expect(s.closestM["gw-floor"] ?? 0).toBeGreaterThan(9);
      if (s.role === "shopper")
        expect(visits.filter((v) => v.subject === s.subject && v.zone === "store")).toHaveLength(1);
    }
    const shopperVisits = visits.filter((v) => v.role === "shopper" && v.zone === "store");
    const long = shopperVisits.filter((v) => v.durationMs >= 20_000).length;
    expect(long).toBeGreaterThan(0);
    expect(long).toBeLessThan(shopperVisits.length);
  });

  it("orders truth: subjects first, then visits by enter time", () => {
    const sim = simulateStore({ seed: 2, minutes: 10, rate: "1hz" });
    const kinds = sim.truth.map((r) => r.kind);
    expect(kinds.indexOf("visit")).toBe(kinds.lastIndexOf("subject") + 1);
    const enters = sim.truth.filter((r): r is VisitTruth => r.kind === "visit").map((v) => v.enterAt);
    expect(enters).toEqual([...enters].sort((a, b) => a - b));
  });

  it("advertises at the rate asked for", () => {
    for (const [rate, interval] of [
      ["ios", 100],
      ["android", 250],
      ["1hz", 1000],
    ] as const) {
      const sim = simulateStore({ seed: 1, minutes: 2, rate });
      const phones = sim.advertisers.filter((a) => a.role === "shopper" || a.role === "passer-by");
      expect(phones.every((a) => a.intervalMs === interval)).toBe(true);
    }
  });

  it("writes the tuned presence, configured radius and zone exit margins into config.json", () => {
    const sim = simulateStore({
      seed: 1,
      minutes: 1,
      rate: "1hz",
      presence: { enterMinSamples: 7 },
      configuredRadiusM: { store: 4 },
      zoneExitMarginM: { till: 1.5 },
    });
    const parsed = parseGatewayConfig(sim.config);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.config.presenceTuning.enterMinSamples).toBe(7);
    expect(parsed.config.zones.map((z) => ("radiusM" in z ? z.radiusM : null))).toEqual([4, 2]);
    expect(parsed.config.zones.map((z) => [z.id, z.exitMarginM])).toEqual([
      ["store", undefined],
      ["till", 1.5],
    ]);
    expect(parsed.config.peers).toEqual([]);
  });

  it("writes every gateway's surveyed position when asked, the plan's distances kept", () => {
    const sim = simulateStore({ seed: 1, minutes: 1, rate: "1hz", surveyed: true });
    const parsed = parseGatewayConfig(sim.config);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const { site, peers } = parsed.config;
    expect(peers.map((p) => p.id)).toEqual(["gw-till"]);
    const [floor, till] = sim.plan.gateways;
    const peer = peers[0];
    if (floor === undefined || till === undefined || peer === undefined) throw new Error("plan incomplete");
    if (site.lat === undefined || site.lon === undefined) throw new Error("site not surveyed");
    const apartM = Math.hypot(floor.position.x - till.position.x, floor.position.y - till.position.y);
    expect(geoDistanceM({ lat: site.lat, lon: site.lon }, peer)).toBeCloseTo(apartM, 1);
  });
});
