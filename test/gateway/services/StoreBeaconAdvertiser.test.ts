/**
 * The store beacon's slot timing and lifecycle on fake time: a manual clock and scheduler, the
 * recording advertiser of gateways without a radio, and an advertiser that refuses on demand.
 */
import { describe, expect, it } from "vitest";
import {
  eddystoneEidAdvertisingData,
  iBeaconAdvertisingData,
  type StoreBeaconConfig,
  storeBeaconValue,
} from "../../../protocol/index.js";
import { RecordingAdvertiser } from "../../../gateway/src/adapters/sim/RecordingAdvertiser.js";
import { decodeAdvertisement } from "../../../gateway/src/domain/advert/index.js";
import type { Advertiser } from "../../../gateway/src/services/ports.js";
import { type AdvertisingReport, StoreBeaconAdvertiser } from "../../../gateway/src/services/StoreBeaconAdvertiser.js";
import { manualClock, recordingLog } from "../adapters/noble/testKit.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";

const KEY_HEX = "00112233445566778899aabbccddeeff";
const KEY = Uint8Array.from(Buffer.from(KEY_HEX, "hex"));
const UUID = "9f3c1a2e-5b7d-4e8f-a1b2-c3d4e5f60718";

function beacon(overrides: Partial<StoreBeaconConfig> = {}): StoreBeaconConfig {
  return { format: "ibeacon", uuid: UUID, identityKey: KEY_HEX, rotationExponent: 7, measuredPowerDbm: -59, ...overrides };
}

/** Not on a boundary: 1796637600 s is 32 s into its 64 s slot and into its 128 s slot. */
const START_MS = Date.UTC(2026, 11, 7, 10, 0, 0);

function kit(advertiser?: Advertiser, options: { refreshMs?: number } = {}) {
  const clock = manualClock(START_MS);
  const scheduler = new ManualScheduler(clock);
  const log = recordingLog();
  const recorder = new RecordingAdvertiser({ clock });
  const reports: AdvertisingReport[] = [];
  const service = new StoreBeaconAdvertiser({
    advertiser: advertiser ?? recorder,
    clock,
    scheduler,
    log,
    random: () => 0.5,
    retry: { initialMs: 1000, maxMs: 8000 },
    ...options,
    onChange: (r) => reports.push(r),
  });
  return { clock, scheduler, log, recorder, reports, service };
}

const hex = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString("hex") : null);

describe("StoreBeaconAdvertiser", () => {
  it("advertises the slot's value and changes it exactly at each boundary (multiples of 2^K Unix seconds)", async () => {
    const { clock, scheduler, recorder, service, reports } = kit(undefined, { refreshMs: 10 * 60_000 });
    const K = 7;
    await service.configure(beacon({ rotationExponent: K }));
    const nowS = START_MS / 1000;
    const slotS = Math.floor(nowS / 2 ** K) * 2 ** K;
    const first = storeBeaconValue(KEY, K, nowS);
    expect(first.slotStartS).toBe(slotS);
    expect(hex(recorder.current)).toBe(hex(iBeaconAdvertisingData(UUID, first.major, first.minor, -59)));
    expect(service.report()).toEqual({ state: "advertising", format: "ibeacon", slotStart: new Date(slotS * 1000).toISOString() });

    // One millisecond before the boundary: still the first value, nothing sent again.
    const boundaryMs = (slotS + 2 ** K) * 1000;
    await scheduler.advance(boundaryMs - 1 - clock.now());
    expect(recorder.recorded).toHaveLength(1);
    await scheduler.advance(1);
    expect(recorder.recorded).toHaveLength(2);
    expect(recorder.recorded[1]?.at).toBe(boundaryMs);
    const second = storeBeaconValue(KEY, K, boundaryMs / 1000);
    expect(second.slotStartS).toBe(slotS + 2 ** K);
    expect(hex(second.eid)).not.toBe(hex(first.eid));
    expect(decodeAdvertisement(recorder.current ?? new Uint8Array())).toMatchObject({ uuid: UUID, major: second.major, minor: second.minor });
    expect(service.report().slotStart).toBe(new Date(boundaryMs).toISOString());

    // And at the next one, 2^K s later.
    await scheduler.advance(2 ** K * 1000);
    expect(recorder.recorded.map((r) => r.at)).toEqual([START_MS, boundaryMs, boundaryMs + 2 ** K * 1000]);
    expect(reports.map((r) => r.slotStart)).toEqual([
      new Date(slotS * 1000).toISOString(),
      new Date(boundaryMs).toISOString(),
      new Date(boundaryMs + 2 ** K * 1000).toISOString(),
    ]);
  });

  it("sends the same value again every refreshMs within a long slot, without a status change", async () => {
    const { scheduler, recorder, service, reports } = kit(undefined, { refreshMs: 60_000 });
    await service.configure(beacon({ rotationExponent: 15 }));
    await scheduler.advance(3 * 60_000);
    expect(recorder.recorded).toHaveLength(4);
    expect(new Set(recorder.recorded.map((r) => (r.kind === "advertise" ? hex(r.data) : null))).size).toBe(1);
    expect(reports).toHaveLength(1);
  });

  it("Eddystone-EID: the 8-byte EID of the slot, with the configured TX power", async () => {
    const { recorder, service } = kit();
    await service.configure(beacon({ format: "eddystone-eid", rotationExponent: 6, measuredPowerDbm: -18 }));
    const value = storeBeaconValue(KEY, 6, START_MS / 1000);
    expect(hex(recorder.current)).toBe(hex(eddystoneEidAdvertisingData(value.eid, -18)));
    expect(service.report()).toMatchObject({ state: "advertising", format: "eddystone-eid" });
  });

  it("the same config again changes nothing; a changed one takes effect at once; dropping it stops", async () => {
    const { scheduler, recorder, service, reports } = kit();
    await service.configure(beacon());
    await service.configure(beacon({ uuid: UUID.toUpperCase() }));
    expect(recorder.recorded).toHaveLength(1);
    await service.configure(beacon({ format: "eddystone-eid" }));
    expect(recorder.recorded).toHaveLength(2);
    expect(hex(recorder.current)).toBe(hex(eddystoneEidAdvertisingData(storeBeaconValue(KEY, 7, START_MS / 1000).eid, -59)));
    await service.configure(undefined);
    expect(recorder.recorded.at(-1)?.kind).toBe("stop");
    expect(recorder.current).toBeNull();
    expect(service.report()).toEqual({ state: "off" });
    expect(reports.map((r) => r.state)).toEqual(["advertising", "advertising", "off"]);
    // No timer left: nothing goes on air again.
    expect(scheduler.pending).toBe(0);
    await scheduler.advance(3_600_000);
    expect(recorder.recorded.at(-1)?.kind).toBe("stop");
  });

  it("a refusal: failed with the error, retried with growing delays, advertising once accepted", async () => {
    let refusals = 3;
    const attempts: number[] = [];
    const clockRef: { now: () => number } = { now: () => 0 };
    const refusing: Advertiser = {
      advertise: async () => {
        attempts.push(clockRef.now());
        if (refusals-- > 0) throw new Error("hci0 refused LE Set Advertising Parameters: Command Disallowed (0x0C)");
      },
      stop: async () => undefined,
    };
    const { clock, scheduler, service, reports, log } = kit(refusing);
    clockRef.now = () => clock.now();
    await service.configure(beacon());
    expect(service.report()).toEqual({ state: "failed", format: "ibeacon", error: "hci0 refused LE Set Advertising Parameters: Command Disallowed (0x0C)" });
    await scheduler.advance(10_000);
    // Full jitter at 0.5: 500 ms, then 1000 ms, then 2000 ms.
    expect(attempts.map((t) => t - START_MS)).toEqual([0, 500, 1500, 3500]);
    expect(service.report().state).toBe("advertising");
    expect(reports.map((r) => r.state)).toEqual(["failed", "advertising"]);
    expect(log.messages("warn")).toEqual(Array(3).fill("store beacon not advertised"));
  });

  it("an error message longer than the status allows is cut, and the key never reaches the log", async () => {
    const refusing: Advertiser = { advertise: async () => Promise.reject(new Error("x".repeat(500))), stop: async () => undefined };
    const { service, log } = kit(refusing);
    await service.configure(beacon());
    expect(service.report().error).toHaveLength(200);
    await service.configure(undefined);
    expect(JSON.stringify(log.entries)).not.toContain(KEY_HEX);
  });

  it("stop takes the beacon off the air and clears its timers", async () => {
    const { scheduler, recorder, service } = kit();
    await service.configure(beacon());
    await service.stop();
    await service.stop();
    expect(recorder.recorded.map((r) => r.kind)).toEqual(["advertise", "stop"]);
    expect(scheduler.pending).toBe(0);
  });
});
