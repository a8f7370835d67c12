import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import {
  decodeNack,
  decodeSightings,
  encodeHeartbeat,
  encodeNack,
  encodeSightings,
  MAX_DATAGRAM_BYTES,
  type WireSighting,
} from "../../../../gateway/src/adapters/lan/sightingDatagram.js";
import type { UdpSightingChannel } from "../../../../gateway/src/adapters/lan/UdpSightingChannel.js";
import { RecordingLogger } from "../../../support/RecordingLogger.js";
import { until } from "../../../support/until.js";
import { collector, KEY, lossyRelay, STORE, startChannel } from "./lanKit.js";

const OTHER_KEY = Buffer.from("fedcba9876543210fedcba9876543210fedcba9876543210");
const subject = (n: number) => ({
  kind: "ibeacon" as const,
  id: `ibeacon:2f234454-cf6d-4a0f-adf2-${n.toString().padStart(12, "0")}:1:${n}`,
});

function batch(count: number, subjects = 5): WireSighting[] {
  return Array.from({ length: count }, (_, i) => ({
    t: 1_772_442_000_000 + i * 37,
    subject: subject(i % subjects),
    rssiDbm: -40 - (i % 60),
    measuredPowerDbm: i % 4 === 0 ? null : -59,
  }));
}

const enc = (sightings: readonly WireSighting[], o: Partial<{ key: Buffer; storeId: string; sentAt: number; firstSeq: number }> = {}) =>
  encodeSightings({ key: KEY, storeId: STORE, sender: "gw-floor", sentAt: 1_772_442_001_000, firstSeq: 7, ...o }, sightings);

describe("sighting datagram", () => {
  it("round-trips a batch: sender, time sent, sequence and every sighting", () => {
    const sightings = batch(12);
    const [d, ...more] = enc(sightings);
    expect(more).toEqual([]);
    if (!d) throw new Error("nothing encoded");
    const decoded = decodeSightings({ key: KEY, storeId: STORE }, d);
    expect(decoded).toEqual({ ok: true, batch: { sender: "gw-floor", sentAt: 1_772_442_001_000, seq: 7, sightings } });
    // Compact: a subject's id once per datagram, then 7 bytes per sighting.
    expect(d.length).toBeLessThan(12 * 7 + 5 * 70 + 100);
  });

  it("splits a large batch into datagrams of at most 1 200 bytes, numbered in turn, losing nothing", () => {
    const sightings = batch(600, 40);
    const datagrams = enc(sightings);
    expect(datagrams.length).toBeGreaterThan(3);
    for (const d of datagrams) expect(d.length).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
    const decoded = datagrams.map((d) => decodeSightings({ key: KEY, storeId: STORE }, d));
    expect(decoded.map((x) => (x.ok ? x.batch.seq : -1))).toEqual(datagrams.map((_, i) => 7 + i));
    expect(decoded.flatMap((x) => (x.ok ? x.batch.sightings : []))).toEqual(sightings);
  });

  it("rounds time and RSSI to what it carries, and skips subjects it cannot carry", () => {
    const [d] = enc([
      { t: 1000.6, subject: subject(1), rssiDbm: -61.4, measuredPowerDbm: -59 },
      { t: 1001, subject: { kind: "nope" as never, id: "nope:1" }, rssiDbm: -60, measuredPowerDbm: null },
      { t: 1002, subject: subject(2), rssiDbm: -300, measuredPowerDbm: null },
    ]);
    if (!d) throw new Error("nothing encoded");
    const decoded = decodeSightings({ key: KEY, storeId: STORE }, d);
    expect(decoded.ok && decoded.batch.sightings).toEqual([
      { t: 1001, subject: subject(1), rssiDbm: -61, measuredPowerDbm: -59 },
      { t: 1002, subject: subject(2), rssiDbm: -127, measuredPowerDbm: null },
    ]);
  });

  it("refuses a tampered datagram, another key and another store's as unauthenticated", () => {
    const [d] = enc(batch(3));
    if (!d) throw new Error("nothing encoded");
    for (let i = 0; i < d.length; i += 7) {
      const tampered = Buffer.from(d);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      expect(decodeSightings({ key: KEY, storeId: STORE }, tampered)).toEqual({ ok: false, reason: "unauthenticated" });
    }
    expect(decodeSightings({ key: OTHER_KEY, storeId: STORE }, d)).toEqual({ ok: false, reason: "unauthenticated" });
    expect(decodeSightings({ key: KEY, storeId: "s2" }, d)).toEqual({ ok: false, reason: "unauthenticated" });
    expect(decodeSightings({ key: KEY, storeId: STORE }, d.subarray(0, d.length - 1))).toEqual({ ok: false, reason: "unauthenticated" });
    expect(decodeSightings({ key: KEY, storeId: STORE }, Buffer.alloc(10))).toEqual({ ok: false, reason: "malformed" });
  });

  it("carries a heartbeat as an authenticated batch of no sightings", () => {
    const beat = encodeHeartbeat({ key: KEY, storeId: STORE, sender: "gw-a", sentAt: 1_772_442_000_000, seq: 9 });
    expect(decodeSightings({ key: KEY, storeId: STORE }, beat)).toEqual({
      ok: true,
      batch: { sender: "gw-a", sentAt: 1_772_442_000_000, seq: 9, sightings: [] },
    });
    expect(decodeSightings({ key: OTHER_KEY, storeId: STORE }, beat)).toEqual({ ok: false, reason: "unauthenticated" });
  });

  it("refuses an oversized datagram before checking anything else", () => {
    expect(decodeSightings({ key: KEY, storeId: STORE }, Buffer.alloc(MAX_DATAGRAM_BYTES + 1))).toEqual({
      ok: false,
      reason: "oversized",
    });
  });
});

describe("retransmission request", () => {
  it("round-trips the sequence numbers wanted, and is refused when forged or cut", () => {
    const d = encodeNack({ key: KEY, storeId: STORE, sender: "gw-till", sentAt: 1_772_442_001_250 }, [7, 9, 4_294_967_295]);
    expect(decodeNack({ key: KEY, storeId: STORE }, d)).toEqual({
      ok: true,
      nack: { sender: "gw-till", sentAt: 1_772_442_001_250, seqs: [7, 9, 4_294_967_295] },
    });
    expect(decodeNack({ key: OTHER_KEY, storeId: STORE }, d)).toEqual({ ok: false, reason: "unauthenticated" });
    expect(decodeNack({ key: KEY, storeId: "s2" }, d)).toEqual({ ok: false, reason: "unauthenticated" });
    expect(decodeNack({ key: KEY, storeId: STORE }, d.subarray(0, d.length - 1))).toEqual({ ok: false, reason: "unauthenticated" });
    // Not a sighting batch: a gateway of the previous release refuses it as malformed.
    expect(decodeSightings({ key: KEY, storeId: STORE }, d)).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("UdpSightingChannel", () => {
  const open: UdpSightingChannel[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.stop();
  });

  /** gw-a sends to gw-b (which never answers), both on `now`'s clock, or gw-a's own when given. */
  async function pair(now: { t: number }, aNow: () => number = () => now.t) {
    const log = new RecordingLogger();
    const { got, on } = collector();
    const b = await startChannel("gw-b", { id: "gw-a", port: 1 }, () => now.t, log, on);
    open.push(b);
    const a = await startChannel("gw-a", { id: "gw-b", port: b.port }, aNow, log);
    open.push(a);
    return { a, b, got };
  }

  /** Sends raw bytes to `port` and waits until `channel` counted them. */
  async function raw(port: number, bytes: Buffer, channel: UdpSightingChannel): Promise<void> {
    const before = channel.counters.datagramsReceived;
    const s = createSocket("udp4");
    await new Promise<void>((resolve, reject) => s.send(bytes, port, "127.0.0.1", (err) => (err ? reject(err) : resolve())));
    s.close();
    while (channel.counters.datagramsReceived === before) await new Promise((r) => setTimeout(r, 5));
  }

  it("delivers a peer's batch over UDP, and refuses a replayed, a stale and a forged one, counting each", async () => {
    const now = { t: 1_772_442_001_000 };
    const { a, b, got } = await pair(now);
    expect(b.peers()).toEqual([{ id: "gw-a", lastHeardAt: null, sightingsReceived: 0, refused: 0 }]);
    const sightings = batch(4).map((s) => ({ ...s, t: now.t - 100 }));
    a.send(sightings);
    while (got.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([{ sender: "gw-a", sightings }]);
    expect(b.peers()).toEqual([{ id: "gw-a", lastHeardAt: now.t, sightingsReceived: 4, refused: 0 }]);
    const sentAt = now.t;
    now.t += 10;

    // The same bytes again (captured on the LAN): replayed.
    const [copy] = encodeSightings({ key: KEY, storeId: STORE, sender: "gw-a", sentAt, firstSeq: 0 }, sightings);
    if (!copy) throw new Error("nothing encoded");
    await raw(b.port, copy, b);
    expect(b.counters.replayed).toBe(1);
    // Sent 5 s ago: stale, even with a sequence never seen.
    const [old] = encodeSightings({ key: KEY, storeId: STORE, sender: "gw-a", sentAt: now.t - 5000, firstSeq: 99 }, sightings);
    if (!old) throw new Error("nothing encoded");
    await raw(b.port, old, b);
    expect(b.counters.stale).toBe(1);
    // Refused, but authenticated: the peer is alive (its clock or the LAN is off), and it is said whose.
    expect(b.peers()).toEqual([{ id: "gw-a", lastHeardAt: now.t, sightingsReceived: 4, refused: 2 }]);
    const heardAt = now.t;
    now.t += 10;
    // Signed with another key: unauthenticated; a gateway that is no peer: unknown.
    const [forged] = encodeSightings({ key: OTHER_KEY, storeId: STORE, sender: "gw-a", sentAt: now.t + 1, firstSeq: 0 }, sightings);
    const [stranger] = encodeSightings({ key: KEY, storeId: STORE, sender: "gw-x", sentAt: now.t + 1, firstSeq: 0 }, sightings);
    if (!forged || !stranger) throw new Error("nothing encoded");
    await raw(b.port, forged, b);
    await raw(b.port, stranger, b);
    await raw(b.port, Buffer.alloc(1300), b);
    expect(b.counters).toMatchObject({ unauthenticated: 1, unknownSender: 1, oversized: 1, sightingsReceived: 4 });
    expect(got).toHaveLength(1);
    // A forgery naming the peer does not make it heard: only its key does.
    expect(b.peers()).toEqual([{ id: "gw-a", lastHeardAt: heardAt, sightingsReceived: 4, refused: 2 }]);
  });

  it("takes a peer whose clock is 4 s behind: learns its offset from a heartbeat and reads the store's time halfway", async () => {
    const now = { t: 1_772_442_001_000 };
    const { a, b, got } = await pair(now, () => now.t - 4000);
    expect(b.clockOffsetMs(now.t)).toBe(0);

    a.keepAlive();
    while (b.counters.datagramsReceived === 0) await new Promise((r) => setTimeout(r, 5));
    now.t += 250;
    const sightings = batch(3).map((s) => ({ ...s, t: now.t - 100 }));
    a.send(sightings);
    while (b.counters.datagramsReceived < 2) await new Promise((r) => setTimeout(r, 5));
    // Judged on gw-a's own clock, neither the heartbeat nor the batch is stale (4 s > 2 s allowed).
    expect(b.counters.stale).toBe(0);
    expect(got).toEqual([{ sender: "gw-a", sightings: [] }, { sender: "gw-a", sightings }]);
    expect(b.peerClockOffsetMs("gw-a", now.t)).toBe(-4000);
    // The median of its clock and gw-a's: 2 s back.
    expect(b.clockOffsetMs(now.t)).toBe(-2000);
  });

  const waitFor = (check: () => boolean, what: string): Promise<void> => until(check, 10_000, what, 2);

  it("recovers lost datagrams over UDP: asked for at once, asked again when the request is lost, found by a heartbeat at the end", async () => {
    const log = new RecordingLogger();
    const now = { t: 1_772_442_001_000 };
    const { got, on } = collector();
    const ports = { a: 0, b: 0 };
    // In front of gw-b: the 2nd and 5th datagrams from gw-a are lost (the 4th is the 2nd sent again).
    // In front of gw-a: gw-b's answer to the first heartbeat passes, its first request (sent twice:
    // both copies) is lost.
    const toB = await lossyRelay(() => ports.b, new Set([1, 4]));
    const toA = await lossyRelay(() => ports.a, new Set([1, 2]));
    try {
      const b = await startChannel("gw-b", { id: "gw-a", port: toA.port }, () => now.t, log, on);
      open.push(b);
      ports.b = b.port;
      const a = await startChannel("gw-a", { id: "gw-b", port: toB.port }, () => now.t, log);
      open.push(a);
      ports.a = a.port;

      const first = batch(3).map((s) => ({ ...s, t: now.t - 200 }));
      const second = batch(2, 2).map((s) => ({ ...s, t: now.t - 100 }));
      // A gap shows against what came before: gw-b has heard gw-a once.
      a.keepAlive();
      await waitFor(() => got.length === 1, "the first heartbeat");
      a.send(first); // lost
      a.send(second); // arrives: seq 0 is missing, gw-b asks at once, and that request is lost
      await waitFor(() => toA.state.seen === 3 && got.length === 2, "the second batch and a request");
      expect(got[1]).toEqual({ sender: "gw-a", sightings: second });
      expect(b.counters).toMatchObject({ missed: 1, nacksSent: 1, recovered: 0 });
      // Within retryMs: not asked again.
      now.t += 100;
      b.tick(now.t);
      expect(b.counters.nacksSent).toBe(1);
      // A tick later it asks again; gw-a sends the very datagram again, once for both copies, and gw-b takes it.
      now.t += 150;
      b.tick(now.t);
      await waitFor(() => got.length === 3, "the first batch sent again");
      expect(got[2]).toEqual({ sender: "gw-a", sightings: first });
      expect(a.counters.retransmitted).toBe(1);
      expect(b.counters).toMatchObject({ missed: 1, recovered: 1, nacksSent: 2, replayed: 0 });

      // The last batch of a burst is lost: the heartbeat after it shows the gap.
      const third = batch(4).map((s) => ({ ...s, t: now.t - 50 }));
      a.send(third);
      a.keepAlive();
      await waitFor(() => got.length === 5, "the heartbeat and the third batch sent again");
      expect(got.slice(3)).toEqual([
        { sender: "gw-a", sightings: [] },
        { sender: "gw-a", sightings: third },
      ]);
      expect(b.counters).toMatchObject({ missed: 2, recovered: 2, abandoned: 0, sightingsReceived: 9 });
    } finally {
      await toA.close();
      await toB.close();
    }
  });
});
