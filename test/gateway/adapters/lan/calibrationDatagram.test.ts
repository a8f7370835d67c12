import { createHmac } from "node:crypto";
import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import {
  decodeCalibration,
  decodeSightings,
  encodeCalibration,
  MAX_DATAGRAM_BYTES,
} from "../../../../gateway/src/adapters/lan/sightingDatagram.js";
import type { UdpSightingChannel } from "../../../../gateway/src/adapters/lan/UdpSightingChannel.js";
import type { CalibrationRecord } from "../../../../gateway/src/domain/presence/peerCalibration.js";
import { RecordingLogger } from "../../../support/RecordingLogger.js";
import { until } from "../../../support/until.js";
import { KEY, lanChannel, lossyRelay, STORE } from "./lanKit.js";

const RECORD: CalibrationRecord = {
  gatewayId: "g1",
  rssiOffsetDb: -4.123456789012345,
  zones: [
    { zoneId: "floor", edgeLossDb: 24.000000000000004, exitMarginM: 9.31, peerEdges: [{ gatewayId: "g2", edgeLossDb: 31.2 }] },
    { zoneId: "door", edgeLossDb: null, exitMarginM: null, peerEdges: [] },
  ],
};
const SENT_AT = 1_772_442_001_000;

describe("calibration record datagram", () => {
  it("round-trips a record with every value as the sender runs it, to the last bit", () => {
    const d = encodeCalibration({ key: KEY, storeId: STORE, sentAt: SENT_AT }, RECORD);
    expect(decodeCalibration({ key: KEY, storeId: STORE }, d)).toEqual({ ok: true, datagram: { sentAt: SENT_AT, record: RECORD } });
    // A gateway of the release before takes it for a malformed sighting datagram, nothing more.
    expect(decodeSightings({ key: KEY, storeId: STORE }, d)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses another store's, a tampered one and a truncated one", () => {
    const d = encodeCalibration({ key: KEY, storeId: STORE, sentAt: SENT_AT }, RECORD);
    expect(decodeCalibration({ key: KEY, storeId: "s2" }, d)).toEqual({ ok: false, reason: "unauthenticated" });
    const tampered = Buffer.from(d);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    expect(decodeCalibration({ key: KEY, storeId: STORE }, tampered)).toEqual({ ok: false, reason: "unauthenticated" });
    // Cut short and signed again with the store's key: well authenticated, badly formed.
    const body = d.subarray(0, d.length - 32 - 3);
    const resigned = Buffer.concat([body, createHmac("sha256", KEY).update(`arrival-lan-v1|${STORE}|`).update(body).digest()]);
    expect(decodeCalibration({ key: KEY, storeId: STORE }, resigned)).toEqual({ ok: false, reason: "malformed" });
  });

  it("will not cut a record in parts: one that does not fit a datagram is not encoded", () => {
    const peers = Array.from({ length: 50 }, (_, i) => ({ gatewayId: `gateway-${"x".repeat(40)}-${i}`, edgeLossDb: 30 }));
    const big: CalibrationRecord = { ...RECORD, zones: [{ zoneId: "floor", edgeLossDb: 20, exitMarginM: 5, peerEdges: peers }] };
    expect(() => encodeCalibration({ key: KEY, storeId: STORE, sentAt: SENT_AT }, big)).toThrow(new RegExp(`exceeds ${MAX_DATAGRAM_BYTES}`));
  });
});

describe("calibration records over the store LAN", () => {
  const open: UdpSightingChannel[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.stop();
  });

  it("go to a peer first heard, on change and when due; a copy sent again is refused; settling waits for them", async () => {
    let now = SENT_AT;
    const log = new RecordingLogger();
    const got: { sender: string; record: CalibrationRecord }[] = [];
    // g2 reaches g1 through a relay that loses nothing (g1's port is known only once it is bound).
    let g1: UdpSightingChannel | null = null;
    const relay = await lossyRelay(() => g1?.port ?? 1, new Set());
    const g2 = lanChannel("g2", { id: "g1", port: relay.port }, () => now, log);
    g2.shareCalibration({ own: () => ({ gatewayId: "g2", rssiOffsetDb: 0, zones: [] }), onPeer: (sender, record) => void got.push({ sender, record }) });
    await g2.start(() => undefined);
    open.push(g2);
    let own: CalibrationRecord = RECORD;
    const owner = lanChannel("g1", { id: "g2", port: g2.port }, () => now, log);
    g1 = owner;
    owner.shareCalibration({ own: () => own, onPeer: () => undefined });
    await owner.start(() => undefined);
    open.push(owner);

    // g2 starting says it is alive; g1, hearing it for the first time, answers with its record at once.
    expect(g2.allPeersHeard()).toBe(false);
    g2.keepAlive();
    await until(() => got.length === 1, 5000, "the record");
    expect(got[0]).toEqual({ sender: "g1", record: RECORD });
    // g1's heartbeat alone would have settled g2 before: the record is what it waited for.
    expect(g2.allPeersHeard()).toBe(true);

    // The first tick sends it to every peer, in the same millisecond: stamped a millisecond later,
    // it is not taken for a copy. Then unchanged and not yet due: nothing; changed: sent.
    owner.tick(now);
    await until(() => got.length === 2, 5000, "the first tick's record");
    expect(g2.counters.replayed).toBe(0);
    now += 250;
    owner.tick(now);
    own = { ...RECORD, rssiOffsetDb: -5 };
    now += 250;
    owner.tick(now);
    await until(() => got.length === 3, 5000, "the changed record");
    expect(got[2]?.record.rssiOffsetDb).toBe(-5);
    // Due again after the interval, unchanged.
    now += 10_000;
    owner.tick(now);
    await until(() => got.length === 4, 5000, "the periodic record");
    expect(g2.calibrationsReceived).toBe(4);

    // The same bytes sent again by someone on the LAN: refused as replayed, never handed on.
    const sock = createSocket("udp4");
    const send = (d: Buffer) => new Promise<void>((resolve) => sock.send(d, g2.port, "127.0.0.1", () => resolve()));
    const replayedBefore = g2.counters.replayed;
    await send(encodeCalibration({ key: KEY, storeId: STORE, sentAt: now }, RECORD));
    await until(() => g2.counters.replayed === replayedBefore + 1, 5000, "the copy refused");
    // One older than the allowance: stale.
    const staleBefore = g2.counters.stale;
    await send(encodeCalibration({ key: KEY, storeId: STORE, sentAt: now + 1 - 60_000 }, RECORD));
    await until(() => g2.counters.stale === staleBefore + 1, 5000, "the old one refused");
    sock.close();
    await relay.close();
    expect(got).toHaveLength(4);
  });

  it("go at once to a peer that restarted, which then settles on them", async () => {
    let now = SENT_AT;
    const log = new RecordingLogger();
    const got: CalibrationRecord[] = [];
    // g1 reaches g2 through a relay: the restarted g2 binds another port.
    let g2: UdpSightingChannel | null = null;
    const relay = await lossyRelay(() => g2?.port ?? 1, new Set());
    const owner = lanChannel("g1", { id: "g2", port: relay.port }, () => now, log);
    owner.shareCalibration({ own: () => RECORD, onPeer: () => undefined });
    await owner.start(() => undefined);
    open.push(owner);
    const startG2 = async (): Promise<UdpSightingChannel> => {
      const channel = lanChannel("g2", { id: "g1", port: owner.port }, () => now, log);
      channel.shareCalibration({ own: () => ({ gatewayId: "g2", rssiOffsetDb: 0, zones: [] }), onPeer: (_sender, record) => void got.push(record) });
      await channel.start(() => undefined);
      open.push(channel);
      g2 = channel;
      return channel;
    };
    const first = await startG2();
    for (let i = 0; i < 3; i++) {
      now += 250;
      first.keepAlive();
    }
    await until(() => got.length === 1, 5000, "the record at the first start");
    await first.stop();
    // Restarted: its sequence starts again at 0. Not yet due, g1 sends no periodic record.
    now += 1000;
    const second = await startG2();
    second.keepAlive();
    await until(() => got.length === 2, 5000, "the record at the restart");
    expect(second.allPeersHeard()).toBe(true);
    await relay.close();
  });

  it("still flow after the store's clock stepped back by more than the age limit", async () => {
    // The cloud's clock corrects both gateways an hour back: the owner's next record is stamped on
    // the corrected clock, and the peer takes it though the last it took was stamped an hour later.
    let now = SENT_AT;
    const log = new RecordingLogger();
    const got: CalibrationRecord[] = [];
    const g2 = lanChannel("g2", { id: "g1", port: 1 }, () => now, log);
    g2.shareCalibration({ own: () => ({ gatewayId: "g2", rssiOffsetDb: 0, zones: [] }), onPeer: (_sender, record) => void got.push(record) });
    await g2.start(() => undefined);
    open.push(g2);
    let own: CalibrationRecord = RECORD;
    const owner = lanChannel("g1", { id: "g2", port: g2.port }, () => now, log);
    owner.shareCalibration({ own: () => own, onPeer: () => undefined });
    await owner.start(() => undefined);
    open.push(owner);
    owner.tick(now);
    await until(() => got.length === 1, 5000, "the record");
    now -= 3_600_000;
    own = { ...RECORD, rssiOffsetDb: -5 };
    owner.tick(now);
    await until(() => got.length === 2 || g2.counters.replayed + g2.counters.stale > 0, 5000, "the changed record handled");
    expect({ replayed: g2.counters.replayed, stale: g2.counters.stale }).toEqual({ replayed: 0, stale: 0 });
    expect(got[1]?.rssiOffsetDb).toBe(-5);
    // A copy of it sent again is still refused.
    const sock = createSocket("udp4");
    await new Promise<void>((resolve) => sock.send(encodeCalibration({ key: KEY, storeId: STORE, sentAt: now }, own), g2.port, "127.0.0.1", () => resolve()));
    await until(() => g2.counters.replayed === 1, 5000, "the copy refused");
    sock.close();
    expect(got).toHaveLength(2);
  });

  it("are never sent in parts: one too large is not sent, and said once, not at every tick", async () => {
    let now = SENT_AT;
    const log = new RecordingLogger();
    const peers = Array.from({ length: 50 }, (_, i) => ({ gatewayId: `gateway-${"x".repeat(40)}-${i}`, edgeLossDb: 30 }));
    const channel = lanChannel("g1", { id: "g2", port: 1 }, () => now, log);
    channel.shareCalibration({ own: () => ({ ...RECORD, zones: [{ zoneId: "floor", edgeLossDb: 20, exitMarginM: 5, peerEdges: peers }] }), onPeer: () => undefined });
    await channel.start(() => undefined);
    open.push(channel);
    for (let i = 0; i < 50; i++) channel.tick((now += 250));
    expect(channel.counters.datagramsQueued).toBe(0);
    expect(log.entries.filter((e) => e.msg === "calibration record not shared")).toHaveLength(1);
  });
});
