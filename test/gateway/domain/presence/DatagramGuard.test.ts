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
});
