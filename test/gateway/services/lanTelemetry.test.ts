import { afterEach, describe, expect, it } from "vitest";
import type { UdpSightingChannel } from "../../../gateway/src/adapters/lan/UdpSightingChannel.js";
import type { FusedPresence } from "../../../gateway/src/services/FusedPresence.js";
import { lanTelemetry } from "../../../gateway/src/services/lanTelemetry.js";
import type { SharedSighting } from "../../../gateway/src/services/ports.js";
import { Checker, TelemetrySchema } from "../../../protocol/index.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { until } from "../../support/until.js";
import { lanChannel, lossyRelay, startChannel } from "../adapters/lan/lanKit.js";
import { fusedOf } from "./fusionKit.js";

const sightings = (count: number, t: number): SharedSighting[] =>
  Array.from({ length: count }, (_, i) => ({
    t,
    subject: { kind: "ibeacon", id: `ibeacon:2f234454-cf6d-4a0f-adf2-f4911ba9ffa6:1:${i}` },
    rssiDbm: -60 - i,
    measuredPowerDbm: -59,
  }));

/**
 * The store LAN's telemetry from a real fusion over UDP: gw-b's FusedPresence and channel, with
 * gw-a's channel 3 s ahead of it on the other side of a LAN that loses chosen datagrams. What it
 * reports is what the channel and the merge counted: lost datagrams asked for again, recovered or
 * given up, and the clocks' offsets.
 */
describe("lanTelemetry", () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it("reports lost datagrams recovered and given up, and each clock's offset, as the gateway counted them", async () => {
    const log = new RecordingLogger();
    const now = { t: 1_772_442_001_000 };
    const ports = { a: 0, b: 0 };
    // From gw-a to gw-b: the first batch is lost (index 1), and so are the third (4) and its answer (6).
    const toB = await lossyRelay(() => ports.b, new Set([1, 4, 6]));
    const toA = await lossyRelay(() => ports.a, new Set());
    stops.push(toB.close, toA.close);
    const channel: UdpSightingChannel = lanChannel("gw-b", { id: "gw-a", port: toA.port }, () => now.t, log);
    const fused: FusedPresence = fusedOf("gw-b", channel, () => now.t, log);
    await fused.start();
    stops.push(() => fused.stop());
    ports.b = channel.port;
    const a = await startChannel("gw-a", { id: "gw-b", port: toB.port }, () => now.t + 3000, log);
    stops.push(() => a.stop());
    ports.a = a.port;
    const waitFor = (check: () => boolean, what: string) => until(check, 10_000, what, 2);

    a.keepAlive();
    await waitFor(() => channel.counters.datagramsReceived === 1, "gw-a's first heartbeat");
    a.send(sightings(3, now.t + 2900)); // lost
    a.send(sightings(2, now.t + 2950)); // shows the gap: asked for at once, sent again, taken
    await waitFor(() => channel.counters.recovered === 1, "the first batch recovered");
    a.send(sightings(1, now.t + 2980)); // lost
    a.keepAlive(); // shows the gap: asked for at once, and the answer is lost too
    await waitFor(() => toB.state.seen === 7 && channel.counters.nacksSent === 2, "the third batch's answer lost");
    // Past the age a peer would refuse it at: given up.
    now.t += 2500;
    fused.tick(now.t);

    const lan = lanTelemetry({ presence: fused, channel }, now.t);
    expect(lan.recovery).toEqual({ missed: 2, requested: 2, resent: 0, recovered: 1, givenUp: 1 });
    expect(a.counters.retransmitted).toBe(2);
    // gw-a's clock is 3 s ahead; the store's time is the median of the two, halfway.
    expect(lan.clockOffsetMs).toBe(1500);
    expect(lan.peers).toEqual([
      { id: "gw-a", lastHeardAgeS: 2.5, sightingsReceived: 5, refused: 0, lateDropped: fused.lateDropped("gw-a"), clockOffsetMs: 3000 },
    ]);
    expect(lan.sightingsReceived).toBe(5);
    // What goes on the wire is a valid telemetry sample.
    const sample = {
      v: 1, at: new Date(now.t).toISOString(), version: "0.5.0", uptimeS: 3, advertsPerS: 0, subjectsTracked: 0, outboxDepth: 0,
      outboxOldestAgeS: 0, eventsSent: 0, reconnects: 0, cpuPercent: 1, rssBytes: 1, lan,
    };
    expect(new Checker(TelemetrySchema).check(sample)).toMatchObject({ ok: true });
  });
});
