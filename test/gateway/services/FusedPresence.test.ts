import { describe, expect, it } from "vitest";
import { engineOptions } from "../../../gateway/src/config/engineOptions.js";
import type { GatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { type PresenceChange, PresenceEngine, type Sighting } from "../../../gateway/src/domain/presence/PresenceEngine.js";
import { PeerClocks } from "../../../gateway/src/domain/presence/PeerClocks.js";
import type { SharedSighting, SightingChannel } from "../../../gateway/src/services/ports.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { beacon, prng, rssiAt } from "../domain/presence/scenario.js";
import { configOf, counters, fakeLan, fusedOf } from "./fusionKit.js";

const shopper = beacon(7);

/** A shopper walking in under gw-a, staying a minute, walking out; both gateways hear it each second. */
function heard(): Sighting[] {
  const random = prng(3);
  const out: Sighting[] = [];
  for (let t = 100_000; t <= 220_000; t += 1000) {
    const s = (t - 100_000) / 1000;
    const fromA = s < 30 ? 12 - s * 0.35 : s < 90 ? 1.5 : 1.5 + (s - 90) * 0.5;
    const fromB = Math.hypot(fromA, 4);
    for (const [gatewayId, d] of [["gw-a", fromA], ["gw-b", fromB]] as const)
      out.push({ t: t + (gatewayId === "gw-a" ? 3 : 7), gatewayId, subject: shopper, rssiDbm: Math.round(rssiAt(d) + (random() - 0.5) * 6), measuredPowerDbm: -59 });
  }
  return out;
}

/** The replay's way: every sighting in (time, gateway) order, a tick on each whole second first. */
function replayed(config: GatewayConfig, sightings: readonly Sighting[], endT: number): PresenceChange[] {
  const engine = new PresenceEngine(engineOptions(config));
  const sorted = [...sightings].sort((a, b) => a.t - b.t || (a.gatewayId < b.gatewayId ? -1 : 1));
  const out: PresenceChange[] = [];
  let nextTick = Math.ceil((sorted[0]?.t ?? 0) / 1000) * 1000;
  for (const s of sorted) {
    for (; nextTick <= s.t; nextTick += 1000) out.push(...engine.tick(nextTick));
    out.push(...engine.observe(s));
  }
  for (; nextTick <= endT; nextTick += 1000) out.push(...engine.tick(nextTick));
  return out;
}

async function live(delayBatchesOf?: string) {
  const net = fakeLan();
  const log = new RecordingLogger();
  const clock = { now: () => 0 };
  const fused = new Map(
    (["gw-a", "gw-b"] as const).map((id) => [
      id,
      fusedOf(id, net.channel(id, id === "gw-a" ? "gw-b" : "gw-a"), () => clock.now(), log),
    ]),
  );
  for (const f of fused.values()) await f.start();
  const decided = new Map<string, PresenceChange[]>([["gw-a", []], ["gw-b", []]]);
  const queue = heard();
  let k = 0;
  let endT = 0;
  for (let now = 99_750; now <= 260_000; now += 250) {
    clock.now = () => now;
    // Delayed batches are let through 2 s late: beyond the 1.5 s allowance.
    net.deliver((m) => m.from === delayBatchesOf && (m.sightings[0]?.t ?? 0) > now - 2250);
    for (; k < queue.length && (queue[k]?.t ?? Infinity) <= now; k++) {
      const s = queue[k];
      if (s) fused.get(s.gatewayId as "gw-a")?.observe(s);
    }
    for (const [id, f] of fused) decided.get(id)?.push(...f.tick(now));
    endT = now - 1500;
  }
  return { decided, fused, endT };
}

/** Both gateways decided an enter, a dwell and an exit, the very same, and (given `endT`) as the replay of the merged sightings. */
function expectAgreed(decided: ReadonlyMap<string, PresenceChange[]>, endT?: number): void {
  const a = decided.get("gw-a") ?? [];
  expect(a.map((c) => c.type)).toEqual(["enter", "dwell", "exit"]);
  expect(decided.get("gw-b")).toEqual(a);
  if (endT !== undefined) expect(a).toEqual(replayed(configOf("gw-a"), heard(), endT));
}

describe("FusedPresence", () => {
  it("makes both gateways decide the same events as the replay of the merged sightings", async () => {
    const { decided, endT } = await live();
    expectAgreed(decided, endT);
  });

  it("drops and counts a peer's sightings that arrive beyond the allowance, never reordering the past", async () => {
    const { fused } = await live("gw-b");
    expect(fused.get("gw-a")?.counters.merge.late).toBeGreaterThan(100);
    expect(fused.get("gw-b")?.counters.merge.late).toBe(0);
  });

  it("says once a minute, with totals, that peers' sightings were refused", async () => {
    const net = fakeLan();
    const log = new RecordingLogger();
    let now = 100_000;
    const f = fusedOf("gw-a", net.channel("gw-a", "gw-b"), () => now, log);
    await f.start();
    f.tick(now);
    for (let k = 0; k < 3; k++) {
      // A batch of gw-b's from 5 s ago, well past the watermark.
      net.channel("gw-b", "gw-a").send([{ t: now - 5000, subject: shopper, rssiDbm: -60, measuredPowerDbm: null }]);
      net.deliver();
      now += 40_000;
      f.tick(now);
    }
    const warned = log.entries.filter((e) => e.msg === "peer sightings refused");
    expect(warned.map((e) => (e.obj as { late: number }).late)).toEqual([1, 3]);
  });

  it("tells its peers it is alive when it has nothing to share, and counts each peer's late sightings", async () => {
    const net = fakeLan();
    let keptAlive = 0;
    let now = 100_000;
    const f = fusedOf("gw-a", { ...net.channel("gw-a", "gw-b"), keepAlive: () => void keptAlive++ }, () => now);
    await f.start();
    // Idle from the start: the first tick says so at once, then every KEEPALIVE_MS.
    for (; now <= 120_000; now += 250) f.tick(now);
    expect(keptAlive).toBe(3);
    // Sharing sightings is proof enough of life: no heartbeat while it does.
    for (const end = now + 30_000; now < end; now += 250) {
      f.observe({ t: now, gatewayId: "gw-a", subject: shopper, rssiDbm: -60, measuredPowerDbm: -59 });
      f.tick(now);
    }
    expect(keptAlive).toBe(3);
    expect(net.inFlight.length).toBeGreaterThan(100);
    net.inFlight.splice(0);

    net.channel("gw-b", "gw-a").send([{ t: 1, subject: shopper, rssiDbm: -60, measuredPowerDbm: null }]);
    net.deliver();
    expect(f.lateDropped("gw-b")).toBe(1);
    expect(f.lateDropped("gw-c")).toBe(0);
  });

  /**
   * The two gateways with clocks off by `skewMs` each, over a LAN that, like the UDP channel, tells
   * each receiver the sender's clock at sending (every datagram and heartbeat carries it).
   */
  async function liveSkewed(
    skewMs: { readonly "gw-a": number; readonly "gw-b": number },
    o: {
      readonly startAt?: number;
      readonly tellsPeersHeard?: boolean;
      /** Each gateway sets its clock by a reference (the cloud's) that answers at this true time. */
      readonly referenceAt?: number;
    } = {},
  ) {
    let trueNow = o.startAt ?? 95_000;
    // The reference's correction, once answered: each gateway then reads true time.
    const reference = (id: "gw-a" | "gw-b") => ({
      get known() {
        return o.referenceAt !== undefined && trueNow >= o.referenceAt;
      },
      get correctionMs() {
        return this.known ? -skewMs[id] : 0;
      },
    });
    const references = new Map([["gw-a", reference("gw-a")], ["gw-b", reference("gw-b")]] as const);
    /** A gateway's clock: its system clock plus the reference's correction in force. */
    const clockOf = (id: "gw-a" | "gw-b"): number => trueNow + skewMs[id] + (references.get(id)?.correctionMs ?? 0);
    /** Datagrams sent before the reference answered, per sender. */
    const sentBeforeReference = new Map<string, number>([["gw-a", 0], ["gw-b", 0]]);
    const heardBy = new Set<string>();
    const handlers = new Map<string, (sender: string, s: readonly SharedSighting[]) => void>();
    const clocks = new Map([["gw-a", new PeerClocks()], ["gw-b", new PeerClocks()]]);
    const inFlight: { to: string; from: "gw-a" | "gw-b"; sentAt: number; sightings: readonly SharedSighting[] }[] = [];
    const sendOf = (self: "gw-a" | "gw-b", peer: string, sightings: readonly SharedSighting[]) => {
      if (o.referenceAt !== undefined && trueNow < o.referenceAt) sentBeforeReference.set(self, (sentBeforeReference.get(self) ?? 0) + 1);
      inFlight.push({ to: peer, from: self, sentAt: clockOf(self), sightings: [...sightings] });
    };
    const channel = (self: "gw-a" | "gw-b", peer: string): SightingChannel => ({
      counters: counters(),
      start: async (on) => void handlers.set(self, on),
      send: (sightings) => void sendOf(self, peer, sightings),
      keepAlive: () => void sendOf(self, peer, []),
      clockOffsetMs: (now) => clocks.get(self)?.storeOffset(now) ?? 0,
      ...(o.tellsPeersHeard === true ? { allPeersHeard: () => heardBy.has(self) } : {}),
      stop: async () => void handlers.delete(self),
    });
    const fused = new Map(
      (["gw-a", "gw-b"] as const).map((id) => [
        id,
        o.referenceAt === undefined
          ? fusedOf(id, channel(id, id === "gw-a" ? "gw-b" : "gw-a"), () => trueNow + skewMs[id])
          : fusedOf(id, channel(id, id === "gw-a" ? "gw-b" : "gw-a"), () => clockOf(id), new RecordingLogger(), references.get(id)),
      ]),
    );
    for (const f of fused.values()) await f.start();
    const decided = new Map<string, PresenceChange[]>([["gw-a", []], ["gw-b", []]]);
    const queue = heard();
    let k = 0;
    for (; trueNow <= 260_000; trueNow += 250) {
      for (; k < queue.length && (queue[k]?.t ?? Infinity) <= trueNow; k++) {
        const s = queue[k];
        // Each radio's reading is stamped by its gateway's clock (the pipeline adds the correction in force).
        if (s) fused.get(s.gatewayId as "gw-a")?.observe({ ...s, t: s.t - trueNow + clockOf(s.gatewayId as "gw-a") });
      }
      for (const [id, f] of fused) decided.get(id)?.push(...f.tick(clockOf(id)));
      // What was sent arrives at once (a LAN's delay is a few ms: each estimate is that much low).
      for (const m of inFlight.splice(0)) {
        const to = m.to as "gw-a" | "gw-b";
        clocks.get(to)?.observe(m.from, m.sentAt, clockOf(to));
        heardBy.add(to);
        if (m.sightings.length > 0) handlers.get(to)?.(m.from, m.sightings);
      }
    }
    return { decided, fused, sentBeforeReference, endT: trueNow - 250 - 1500 };
  }

  it("decides as the replay when the two clocks are 4 s apart: each reads the store's time halfway", async () => {
    const { decided, fused, endT } = await liveSkewed({ "gw-a": 2000, "gw-b": -2000 });
    expect(fused.get("gw-a")?.clockOffsetMs).toBe(-2000);
    expect(fused.get("gw-b")?.clockOffsetMs).toBe(2000);
    expect(fused.get("gw-a")?.counters.merge.late).toBe(0);
    expect(fused.get("gw-b")?.counters.merge.late).toBe(0);
    expectAgreed(decided, endT);
  });

  it("keeps its own stamps when the clocks agree within the allowance", async () => {
    const { decided, fused } = await liveSkewed({ "gw-a": 100, "gw-b": -100 });
    expect(fused.get("gw-a")?.clockOffsetMs).toBe(0);
    expect(fused.get("gw-b")?.clockOffsetMs).toBe(0);
    expect(fused.get("gw-a")?.counters.merge.late).toBe(0);
    expectAgreed(decided);
  });

  it("holds its decisions until its peer is heard when a shopper is already there at the start: nothing dropped as late", async () => {
    // The shopper's first sightings come in the first tick, before either gateway has heard the
    // other: stamped on a clock 3 s off, they would be the store's time only after the correction.
    const start = { startAt: 99_750 };
    const unheld = await liveSkewed({ "gw-a": 3000, "gw-b": -3000 }, start);
    expect(unheld.fused.get("gw-a")?.counters.merge.late).toBeGreaterThan(0);

    const { decided, fused, endT } = await liveSkewed({ "gw-a": 3000, "gw-b": -3000 }, { ...start, tellsPeersHeard: true });
    expect(fused.get("gw-a")?.clockOffsetMs).toBe(-3000);
    expect(fused.get("gw-b")?.clockOffsetMs).toBe(3000);
    expect(fused.get("gw-a")?.counters.merge.late).toBe(0);
    expect(fused.get("gw-b")?.counters.merge.late).toBe(0);
    expectAgreed(decided, endT);
  });

  it("waits for the reference's time before it speaks or decides, then needs no correction among the peers", async () => {
    // The shopper's first sightings come before the cloud answers: held, then moved onto its time.
    const { decided, fused, sentBeforeReference, endT } = await liveSkewed(
      { "gw-a": 3000, "gw-b": -3000 },
      { startAt: 99_750, tellsPeersHeard: true, referenceAt: 100_500 },
    );
    expect([...sentBeforeReference.values()]).toEqual([0, 0]);
    expect(fused.get("gw-a")?.clockOffsetMs).toBe(0);
    expect(fused.get("gw-b")?.clockOffsetMs).toBe(0);
    expect(fused.get("gw-a")?.counters.merge.late).toBe(0);
    expect(fused.get("gw-b")?.counters.merge.late).toBe(0);
    // The replay's very events, on true time (not halfway between the two clocks).
    expectAgreed(decided, endT);
  });

  it("sends a heartbeat each tick for one allowance after its last sightings, so a lost last batch shows as a gap", async () => {
    const net = fakeLan();
    let keptAlive = 0;
    let now = 100_000;
    const f = fusedOf("gw-a", { ...net.channel("gw-a", "gw-b"), keepAlive: () => void keptAlive++, allPeersHeard: () => true }, () => now);
    await f.start();
    f.observe({ t: now, gatewayId: "gw-a", subject: shopper, rssiDbm: -60, measuredPowerDbm: -59 });
    f.tick(now);
    expect(net.inFlight).toHaveLength(1);
    // 1 500 ms of ticks after the batch: six heartbeats, then quiet until the keepalive.
    for (let k = 0; k < 20; k++) f.tick((now += 250));
    expect(keptAlive).toBe(6);
  });
});
