import { describe, expect, it } from "vitest";
import { PeerClocks } from "../../../../gateway/src/domain/presence/PeerClocks.js";

describe("PeerClocks", () => {
  it("estimates a peer's offset from the datagram that waited least, and forgets old ones", () => {
    const c = new PeerClocks({ windowMs: 30_000 });
    // The peer's clock is 2 s ahead; datagrams spend 3, 40 and 1 ms on the LAN.
    c.observe("gw-b", 102_000 - 3, 100_000);
    c.observe("gw-b", 102_500 - 40, 100_500);
    c.observe("gw-b", 103_000 - 1, 101_000);
    expect(c.offsetOf("gw-b", 101_000)).toBe(1999);
    expect(c.offsetOf("gw-a", 101_000)).toBeNull();
    // Not heard for longer than the window: unknown again.
    expect(c.offsetOf("gw-b", 132_001)).toBeNull();
  });

  it("does not believe an offset beyond maxSkewMs", () => {
    const c = new PeerClocks({ maxSkewMs: 10_000 });
    c.observe("gw-b", 100_000 - 60_000, 100_000);
    expect(c.offsetOf("gw-b", 100_000)).toBeNull();
    expect(c.storeOffset(100_000)).toBe(0);
  });

  it("reads the store's time as the median clock, so the majority wins over one clock far off", () => {
    // Seen from gw-a: gw-b agrees with it, gw-c is 5 s ahead.
    const a = new PeerClocks();
    a.observe("gw-b", 100_000, 100_000);
    a.observe("gw-c", 105_000, 100_000);
    expect(a.storeOffset(100_000)).toBe(0);
    // Seen from gw-c: the two others are 5 s behind; it moves its stamps back to theirs.
    const c = new PeerClocks();
    c.observe("gw-a", 100_000, 105_000);
    c.observe("gw-b", 100_000, 105_000);
    expect(c.storeOffset(105_000)).toBe(-5000);
  });

  it("meets halfway with a single peer, so both gateways agree on one time", () => {
    const a = new PeerClocks();
    const b = new PeerClocks();
    // gw-a's clock is 1 s ahead of true time, gw-b's 1 s behind; true time 100 000.
    a.observe("gw-b", 99_000, 101_000);
    b.observe("gw-a", 101_000, 99_000);
    const offA = a.storeOffset(101_000);
    const offB = b.storeOffset(99_000);
    expect(offA).toBe(-1000);
    expect(offB).toBe(1000);
    expect(101_000 + offA).toBe(99_000 + offB);
  });

  it("makes no correction below minCorrectionMs, and moves one in force only by stepMs or more", () => {
    const c = new PeerClocks({ minCorrectionMs: 250, stepMs: 100 });
    c.observe("gw-b", 100_200 + 200, 100_200);
    // Median of 0 and 400 is 200: within the allowance, no correction.
    expect(c.storeOffset(100_200)).toBe(0);
    c.observe("gw-b", 101_000 + 1000, 101_000);
    expect(c.storeOffset(101_000)).toBe(500);
    // The estimate is the window's largest: a later 1 060 ms raises it to 530 ms, under a step.
    c.observe("gw-b", 102_000 + 1060, 102_000);
    expect(c.storeOffset(102_000)).toBe(500);
    c.observe("gw-b", 103_000 + 1300, 103_000);
    expect(c.storeOffset(103_000)).toBe(650);
  });

  it("goes back to its own clock when no peer is heard any more", () => {
    const c = new PeerClocks({ windowMs: 30_000 });
    c.observe("gw-b", 103_000, 100_000);
    expect(c.storeOffset(100_000)).toBe(1500);
    expect(c.storeOffset(131_000)).toBe(0);
  });
});
