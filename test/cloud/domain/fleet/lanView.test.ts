import { describe, expect, it } from "vitest";
import { lanView, PEER_SILENT_AFTER_MS } from "../../../../cloud/src/domain/fleet/lanView.js";
import { PROTOCOL_VERSION, type Telemetry } from "../../../../protocol/index.js";

const sample = (lan?: Telemetry["lan"]): Telemetry => ({
  v: PROTOCOL_VERSION,
  at: "2026-12-07T10:00:00.000Z",
  version: "0.4.0",
  uptimeS: 600,
  advertsPerS: 4,
  subjectsTracked: 3,
  outboxDepth: 0,
  outboxOldestAgeS: 0,
  eventsSent: 10,
  reconnects: 0,
  cpuPercent: 2,
  rssBytes: 1,
  ...(lan === undefined ? {} : { lan }),
});

const peer = (id: string, lastHeardAgeS: number | null) => ({ id, lastHeardAgeS, sightingsReceived: 7, refused: 1, lateDropped: 2 });
type Peer = NonNullable<NonNullable<Telemetry["lan"]>["peers"]>[number];
const lan = (...peers: Peer[]) => ({ sightingsReceived: 14, lateDropped: 4, refused: 2, peers });

describe("lanView", () => {
  const at = 1_800_000_000_000;

  it("anchors each peer's age to the sample's receipt and flags one silent for over a minute", () => {
    const view = lanView(sample(lan(peer("g2", 2.5), peer("g3", 59), peer("g4", 61), peer("g5", null))), at, at);
    expect(view?.peers.map((p) => [p.id, p.lastHeardAt, p.heardRecently])).toEqual([
      ["g2", at - 2500, true],
      ["g3", at - 59_000, true],
      ["g4", at - 61_000, false],
      ["g5", null, false],
    ]);
    expect(view?.silentPeers).toEqual(["g4", "g5"]);
    expect(view?.peers[0]).toMatchObject({ sightingsReceived: 7, refused: 1, lateDropped: 2 });
  });

  it("ages every peer with a sample that is itself old: no news is not good news", () => {
    const view = lanView(sample(lan(peer("g2", 0))), at, at + PEER_SILENT_AFTER_MS + 1);
    expect(view?.silentPeers).toEqual(["g2"]);
    expect(lanView(sample(lan(peer("g2", 0))), at, at + PEER_SILENT_AFTER_MS)?.silentPeers).toEqual([]);
  });

  it("carries the recovery of lost datagrams and the clocks' offsets as the gateway counted them", () => {
    const recovery = { missed: 12, requested: 9, resent: 4, recovered: 11, givenUp: 1 };
    const view = lanView(
      sample({ ...lan({ ...peer("g2", 1), clockOffsetMs: 3000 }, { ...peer("g3", null), clockOffsetMs: null }), clockOffsetMs: 1500, recovery }),
      at,
      at,
    );
    expect(view?.recovery).toEqual(recovery);
    expect(view?.clockOffsetMs).toBe(1500);
    expect(view?.peers.map((p) => [p.id, p.clockOffsetMs])).toEqual([
      ["g2", 3000],
      ["g3", null],
    ]);
    // A gateway that does not report them yet: unknown, not zero.
    const older = lanView(sample(lan(peer("g2", 1))), at, at);
    expect([older?.recovery, older?.clockOffsetMs, older?.peers[0]?.clockOffsetMs]).toEqual([null, null, null]);
  });

  it("is null for a gateway without LAN peers, one that does not report them, or before any telemetry", () => {
    expect(lanView(sample(), at, at)).toBeNull();
    expect(lanView(sample({ sightingsReceived: 1, lateDropped: 0, refused: 0 }), at, at)).toBeNull();
    expect(lanView(null, null, at)).toBeNull();
  });
});
