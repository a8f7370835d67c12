import { describe, expect, it } from "vitest";
import { RecordingAdvertiser } from "../../../../gateway/src/adapters/sim/RecordingAdvertiser.js";
import { manualClock } from "../noble/testKit.js";
import { advertiserContract } from "../advertiserContract.js";

advertiserContract("RecordingAdvertiser", () => {
  const advertiser = new RecordingAdvertiser({ clock: manualClock() });
  return { advertiser, onAir: () => advertiser.current };
});

describe("RecordingAdvertiser", () => {
  it("keeps what it would have advertised, with the time, up to its limit", async () => {
    const clock = manualClock(1000);
    const advertiser = new RecordingAdvertiser({ clock, limit: 2 });
    await advertiser.advertise(Uint8Array.of(1));
    clock.advance(10);
    await advertiser.advertise(Uint8Array.of(2));
    clock.advance(10);
    await advertiser.stop();
    expect(advertiser.recorded).toEqual([
      { at: 1010, kind: "advertise", data: Uint8Array.of(2) },
      { at: 1020, kind: "stop" },
    ]);
  });
});
