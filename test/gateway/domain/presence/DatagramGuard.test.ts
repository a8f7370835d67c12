import { describe, expect, it } from "vitest";
import { DatagramGuard } from "../../../../gateway/src/domain/presence/DatagramGuard.js";

describe("DatagramGuard", () => {
  const guard = () => new DatagramGuard({ senders: ["gw-a", "gw-b"], maxAgeMs: 2000, maxAheadMs: 2000 });

  it("accepts fresh datagrams with a rising (sentAt, seq) per sender", () => {
    const g = guard();
    expect(g.check("gw-a", 10_000, 0, 10_100)).toBeNull();
    expect(g.check("gw-a", 10_000, 1, 10_100)).toBeNull();
    expect(g.check("gw-a", 10_250, 2, 10_300)).toBeNull();
    // Another sender has its own mark.
    expect(g.check("gw-b", 10_000, 0, 10_300)).toBeNull();
  });

  it("refuses a datagram sent again, or an older one, as replayed", () => {
    const g = guard();
    expect(g.check("gw-a", 10_000, 5, 10_000)).toBeNull();
    expect(g.check("gw-a", 10_000, 5, 10_500)).toBe("replayed");
    expect(g.check("gw-a", 10_000, 4, 10_500)).toBe("replayed");
    expect(g.check("gw-a", 9_900, 9, 10_500)).toBe("replayed");
  });

  it("refuses stale and far-future datagrams, and unknown senders", () => {
    const g = guard();
    expect(g.check("gw-a", 7_999, 0, 10_000)).toBe("stale");
    expect(g.check("gw-a", 12_001, 0, 10_000)).toBe("ahead");
    expect(g.check("gw-z", 10_000, 0, 10_000)).toBe("unknown-sender");
    expect(g.check("gw-a", Number.NaN, 0, 10_000)).toBe("stale");
  });

  it("takes a restarted sender back: its sequence starts over at a later time", () => {
    const g = guard();
    expect(g.check("gw-a", 10_000, 900, 10_000)).toBeNull();
    expect(g.check("gw-a", 10_400, 0, 10_500)).toBeNull();
  });

  it("judges a datagram on the sender's clock when its offset is known", () => {
    const g = guard();
    // gw-a's clock runs 5 s behind ours: on our clock its datagrams look 5 s old.
    expect(g.check("gw-a", 5_000, 0, 10_000)).toBe("stale");
    expect(g.check("gw-a", 5_000, 1, 10_000, -5_000)).toBeNull();
    expect(g.check("gw-a", 2_999, 2, 10_000, -5_000)).toBe("stale");
    // gw-b's runs 5 s ahead.
    expect(g.check("gw-b", 15_000, 0, 10_000)).toBe("ahead");
    expect(g.check("gw-b", 15_000, 1, 10_000, 5_000)).toBeNull();
  });

  it("finds the sequence numbers skipped, accepts each once when it comes after all, and asks for them on a schedule", () => {
    const g = guard();
    expect(g.check("gw-a", 10_000, 0, 10_000)).toBeNull();
    // 1 and 2 lost on the LAN: 3 shows the gap.
    expect(g.check("gw-a", 10_500, 3, 10_500)).toBeNull();
    expect(g.counters).toEqual({ missed: 2, recovered: 0, abandoned: 0 });
    expect(g.awaited).toBe(2);
    expect(g.due(10_500, 200)).toEqual([{ sender: "gw-a", seqs: [1, 2] }]);
    // Asked: not again before retryMs.
    expect(g.due(10_600, 200)).toEqual([]);
    // The retransmission of 2 arrives (its original sentAt, below the mark): accepted once.
    expect(g.check("gw-a", 10_250, 2, 10_650)).toBeNull();
    expect(g.check("gw-a", 10_250, 2, 10_660)).toBe("replayed");
    expect(g.counters.recovered).toBe(1);
    // 1 is still missing and due again.
    expect(g.due(10_700, 200)).toEqual([{ sender: "gw-a", seqs: [1] }]);
    // A number never missing stays a replay.
    expect(g.check("gw-a", 10_000, 0, 10_700)).toBe("replayed");
  });

  it("gives up on a missing one once a datagram sent then would be stale", () => {
    const g = guard();
    g.check("gw-a", 10_000, 0, 10_000);
    g.check("gw-a", 10_250, 2, 10_250);
    expect(g.due(12_250, 200)).toEqual([{ sender: "gw-a", seqs: [1] }]);
    expect(g.due(12_251, 200)).toEqual([]);
    expect(g.counters).toEqual({ missed: 1, recovered: 0, abandoned: 1 });
    // Arriving now it is not taken: too old anyway.
    expect(g.check("gw-a", 10_100, 1, 12_260)).toBe("stale");
  });

  it("remembers at most maxMissing of a long outage, and forgets the gaps of a sender that restarted", () => {
    const g = new DatagramGuard({ senders: ["gw-a"], maxAgeMs: 2000, maxMissing: 3 });
    g.check("gw-a", 10_000, 0, 10_000);
    g.check("gw-a", 10_100, 10, 10_100);
    expect(g.due(10_100, 200)).toEqual([{ sender: "gw-a", seqs: [7, 8, 9] }]);
    expect(g.counters).toEqual({ missed: 9, recovered: 0, abandoned: 6 });
    // Restarted: a lower sequence at a later time; what it sent before is not asked for.
    expect(g.check("gw-a", 10_200, 0, 10_200)).toBeNull();
    expect(g.awaited).toBe(0);
    expect(g.counters.abandoned).toBe(9);
  });
});
