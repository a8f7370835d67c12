/**
 * HciAdvertiser over noble's own HCI transport module, replaced by the fake controller
 * (FakeHciSocket.ts): the command packets are checked byte for byte, the controller answers each
 * with a Command Complete, and what it would put on air is decoded again by the gateway's decoders.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  eddystoneEidAdvertisingData,
  iBeaconAdvertisingData,
  storeBeaconValue,
} from "../../../../protocol/index.js";
import { AdvertisingRefusedError, HciAdvertiser, probeAdvertisingSocket } from "../../../../gateway/src/adapters/noble/HciAdvertiser.js";
import { NobleScanError } from "../../../../gateway/src/adapters/noble/NobleScanError.js";
import { decodeAdvertisement } from "../../../../gateway/src/domain/advert/index.js";
import { StoreBeaconAdvertiser } from "../../../../gateway/src/services/StoreBeaconAdvertiser.js";
import { ManualScheduler } from "../../../support/ManualScheduler.js";
import { advertiserContract } from "../advertiserContract.js";
import { ERRORS, FakeHciSocket, installFakeTransport } from "./FakeHciSocket.js";
import { manualClock, recordingLog } from "./testKit.js";

installFakeTransport();

const UUID = "E2C56DB5-DFFB-48D2-B060-D0F5A71096E0";
const KEY = Uint8Array.from(Buffer.from("0123456789abcdef0123456789abcdef", "hex"));

const DISABLE = "010a200100";
const PARAMETERS = "010620" + "0f" + "a000" + "a000" + "03" + "00" + "00" + "000000000000" + "07" + "00";
const ENABLE = "010a200101";
function dataCommand(data: Uint8Array): string {
  return "010820" + "20" + data.length.toString(16).padStart(2, "0") + Buffer.concat([data, Buffer.alloc(31 - data.length)]).toString("hex");
}

function kit(options: { commandTimeoutMs?: number } = {}) {
  const clock = manualClock();
  const scheduler = new ManualScheduler(clock);
  const log = recordingLog();
  const advertiser = new HciAdvertiser({ adapter: "hci0", log, scheduler, ...options });
  return { clock, scheduler, log, advertiser };
}

function written(socket: FakeHciSocket): string[] {
  return socket.written.map((b) => b.toString("hex"));
}

beforeEach(() => FakeHciSocket.reset());

advertiserContract("HciAdvertiser at the fake controller", () => {
  const { advertiser } = kit();
  return {
    advertiser,
    // On air: what the controller that the advertiser's socket is bound to advertises.
    onAir: () => {
      const socket = FakeHciSocket.instances.at(-1);
      return socket?.advertising.enabled === true && socket.advertising.data !== null ? Uint8Array.from(socket.advertising.data) : null;
    },
  };
});

describe("HciAdvertiser", () => {
  it("writes the legacy advertising sequence on a raw socket of the adapter and waits for each Command Complete", async () => {
    const { advertiser } = kit();
    const value = storeBeaconValue(KEY, 10, 1_765_000_000);
    const data = iBeaconAdvertisingData(UUID, value.major, value.minor, -59);
    await advertiser.advertise(data);
    const socket = FakeHciSocket.last;
    expect(socket.boundDevId).toBe(0);
    expect(socket.reading).toBe(true);
    // Events only, and of them Command Complete (0x0E) and Command Status (0x0F).
    expect(socket.filter?.toString("hex")).toBe("10000000" + "00c00000" + "00000000" + "0000");
    expect(written(socket)).toEqual([DISABLE, PARAMETERS, dataCommand(data), ENABLE]);
    expect(socket.commands.map((c) => c.name)).toEqual([
      "LE Set Advertising Enable",
      "LE Set Advertising Parameters",
      "LE Set Advertising Data",
      "LE Set Advertising Enable",
    ]);
    expect(socket.advertising.enabled).toBe(true);
  });

  it("iBeacon round trip: the data on air decodes to the organisation's UUID and the slot's major and minor", async () => {
    const { advertiser } = kit();
    const value = storeBeaconValue(KEY, 8, 1_765_000_123);
    await advertiser.advertise(iBeaconAdvertisingData(UUID, value.major, value.minor, -59));
    const onAir = FakeHciSocket.last.advertising.data;
    expect(onAir).not.toBeNull();
    expect(decodeAdvertisement(Uint8Array.from(onAir ?? []))).toMatchObject({
      format: "ibeacon",
      uuid: UUID.toLowerCase(),
      major: value.major,
      minor: value.minor,
      measuredPower: -59,
    });
    // The fields come from the EID's first four bytes, big-endian.
    expect(value.major).toBe(((value.eid[0] ?? 0) << 8) | (value.eid[1] ?? 0));
  });

  // The Service Data structure holds 13 octets (AD type, UUID 0xFEAA, frame type, TX power,
  // 8-octet EID): its length byte must say 0x0D, or the structure runs past the data on air.
  it("Eddystone-EID round trip: the data on air decodes to the slot's EID", async () => {
    const { advertiser } = kit();
    const value = storeBeaconValue(KEY, 9, 1_765_000_123);
    await advertiser.advertise(eddystoneEidAdvertisingData(value.eid, -18));
    const onAir = Uint8Array.from(FakeHciSocket.last.advertising.data ?? []);
    expect(onAir).toHaveLength(21);
    const decoded = decodeAdvertisement(onAir);
    expect(decoded).toMatchObject({ format: "eddystone-eid", eid: Buffer.from(value.eid).toString("hex"), txPower: -18 });
  });

  it("sends the whole sequence again on the next value, over the same socket, and switches off on stop", async () => {
    const { advertiser } = kit();
    const first = eddystoneEidAdvertisingData(storeBeaconValue(KEY, 6, 1_765_000_000).eid, -20);
    const second = eddystoneEidAdvertisingData(storeBeaconValue(KEY, 6, 1_765_000_064).eid, -20);
    expect(first).not.toEqual(second);
    await advertiser.advertise(first);
    await advertiser.advertise(second);
    const socket = FakeHciSocket.last;
    expect(FakeHciSocket.instances).toHaveLength(1);
    expect(written(socket).slice(4)).toEqual([DISABLE, PARAMETERS, dataCommand(second), ENABLE]);
    expect(socket.advertising.data?.toString("hex")).toBe(Buffer.from(second).toString("hex"));
    await advertiser.stop();
    expect(written(socket).at(-1)).toBe(DISABLE);
    expect(socket.advertising.enabled).toBe(false);
    expect(socket.reading).toBe(false);
    await advertiser.stop();
    expect(socket.written).toHaveLength(9);
  });

  it("a Bluetooth 4.x controller refusing to disable what is off does not stop the sequence", async () => {
    FakeHciSocket.reset({ hciVersion: 0x06 });
    const { advertiser } = kit();
    await advertiser.advertise(eddystoneEidAdvertisingData(new Uint8Array(8), 0));
    expect(FakeHciSocket.last.advertising.enabled).toBe(true);
  });

  it("Command Disallowed (0x0C) to the parameters: a clear error naming the command and status, data never sent", async () => {
    FakeHciSocket.reset({ refuse: { 0x2006: 0x0c } });
    const { advertiser } = kit();
    const err = await advertiser.advertise(eddystoneEidAdvertisingData(new Uint8Array(8), 0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdvertisingRefusedError);
    expect(err).toMatchObject({ code: "ADVERTISING_REFUSED", status: 0x0c, command: "LE Set Advertising Parameters" });
    expect((err as Error).message).toBe(
      "hci0 refused LE Set Advertising Parameters: Command Disallowed (0x0C); the controller does not allow it now: another program " +
        "(bluetoothd advertising, `btmgmt add-adv`) may be advertising on this adapter, or extended advertising was used since its last reset",
    );
    expect(written(FakeHciSocket.last)).toEqual([DISABLE, PARAMETERS]);
    expect(FakeHciSocket.last.advertising.enabled).toBe(false);
  });

  it("a refused enable is an error too", async () => {
    FakeHciSocket.reset({ refuse: { 0x200a: 0x11 } });
    const { advertiser } = kit();
    await expect(advertiser.advertise(new Uint8Array([0x02, 0x01, 0x06]))).rejects.toThrow(
      "hci0 refused LE Set Advertising Enable: Unsupported Feature or Parameter Value (0x11)",
    );
  });

  it("a controller that does not answer: ADAPTER_TIMEOUT after the command timeout, and a fresh socket next time", async () => {
    FakeHciSocket.reset({ silent: true });
    const { advertiser, scheduler } = kit({ commandTimeoutMs: 1500 });
    const attempt = advertiser.advertise(new Uint8Array([0x02, 0x01, 0x06])).catch((e: unknown) => e);
    // The first command is written (and its timeout set) once the transport is open.
    await scheduler.runDue();
    expect(FakeHciSocket.last.written).toHaveLength(1);
    let settled = false;
    void attempt.then(() => {
      settled = true;
    });
    await scheduler.advance(1499);
    expect(settled).toBe(false);
    await scheduler.advance(1);
    const err = await attempt;
    expect(err).toBeInstanceOf(NobleScanError);
    expect(err).toMatchObject({ code: "ADAPTER_TIMEOUT", message: expect.stringContaining("no answer to LE Set Advertising Enable within 1500 ms") });
    expect(FakeHciSocket.last.reading).toBe(false);
    FakeHciSocket.scenario = { ...FakeHciSocket.scenario, silent: false };
    await advertiser.advertise(new Uint8Array([0x02, 0x01, 0x06]));
    expect(FakeHciSocket.instances).toHaveLength(2);
    expect(FakeHciSocket.last.advertising.enabled).toBe(true);
  });

  it.each([
    ["no permission to write commands", { writeError: ERRORS.EPERM }, "PERMISSION_DENIED", "CAP_NET_RAW"],
    ["the adapter is down", { devUp: false }, "ADAPTER_POWERED_OFF", "sudo hciconfig hci0 up"],
    ["no such adapter", { bindError: ERRORS.ENODEV }, "NO_ADAPTER", "scanner.adapter"],
  ] as const)("%s: %s", async (_name, scenario, code, hint) => {
    FakeHciSocket.reset(scenario);
    const { advertiser } = kit();
    const err = await advertiser.advertise(new Uint8Array([0x02, 0x01, 0x06])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code, message: expect.stringContaining(hint) });
  });

  it("more than 31 octets is refused before anything is written", async () => {
    const { advertiser } = kit();
    await expect(advertiser.advertise(new Uint8Array(32))).rejects.toThrow("at most 31 octets, got 32");
    expect(FakeHciSocket.instances).toHaveLength(0);
  });
});

describe("probeAdvertisingSocket (doctor)", () => {
  it("opens and closes the advertiser's socket on the adapter without writing a command", async () => {
    expect(await probeAdvertisingSocket("hci0")).toEqual({ ok: true });
    const socket = FakeHciSocket.last;
    expect(socket.boundDevId).toBe(0);
    expect(socket.filter?.toString("hex")).toBe("1000000000c00000000000000000");
    expect(socket.written).toEqual([]);
    expect(socket.reading).toBe(false);
    expect(socket.stopCalls).toBe(1);
  });

  it.each([
    ["no such adapter", { bindError: ERRORS.ENODEV }, "NO_ADAPTER"],
    ["no Bluetooth in the kernel", { socketError: ERRORS.EAFNOSUPPORT }, "NO_ADAPTER"],
  ] as const)("%s: %s", async (_name, scenario, code) => {
    FakeHciSocket.reset(scenario);
    expect(await probeAdvertisingSocket("hci0")).toMatchObject({ ok: false, code });
  });

  it("noble's transport missing: NOBLE_NOT_INSTALLED", async () => {
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find module"), { code: "MODULE_NOT_FOUND" }));
    expect(await probeAdvertisingSocket("hci0", missing)).toMatchObject({ ok: false, code: "NOBLE_NOT_INSTALLED" });
  });
});

describe("StoreBeaconAdvertiser over the HCI advertiser", () => {
  it("a refusal is reported as failed with the controller's error, retried with backoff, then advertising", async () => {
    FakeHciSocket.reset({ refuse: { 0x2006: 0x0c } });
    const { advertiser, scheduler, clock, log } = kit();
    clock.set(Date.UTC(2026, 11, 7, 10, 0, 30));
    const reports: unknown[] = [];
    const service = new StoreBeaconAdvertiser({
      advertiser,
      clock,
      scheduler,
      log,
      random: () => 0.5,
      retry: { initialMs: 1000, maxMs: 8000 },
      onChange: (r) => reports.push(r),
    });
    await service.configure({ format: "ibeacon", uuid: UUID, identityKey: "0123456789abcdef0123456789abcdef", rotationExponent: 6, measuredPowerDbm: -59 });
    expect(service.report()).toEqual({
      state: "failed",
      format: "ibeacon",
      error: expect.stringContaining("refused LE Set Advertising Parameters: Command Disallowed (0x0C)"),
    });
    const socket = FakeHciSocket.last;
    // First retry after 0.5 × 1000 ms (full jitter, at least half the initial delay).
    await scheduler.advance(499);
    expect(socket.commands.filter((c) => c.opcode === 0x2006)).toHaveLength(1);
    await scheduler.advance(1);
    expect(socket.commands.filter((c) => c.opcode === 0x2006)).toHaveLength(2);
    expect(service.report().state).toBe("failed");
    // The controller frees up (another program stopped advertising): the next retry, 0.5 × 2000 ms later, succeeds.
    delete (socket.scenario as { refuse?: unknown }).refuse;
    await scheduler.advance(1000);
    const value = storeBeaconValue(KEY, 6, Math.floor(clock.now() / 1000));
    expect(service.report()).toEqual({ state: "advertising", format: "ibeacon", slotStart: "2026-12-07T09:59:28.000Z" });
    expect(value.slotStartS * 1000).toBe(Date.parse("2026-12-07T09:59:28.000Z"));
    expect(decodeAdvertisement(Uint8Array.from(socket.advertising.data ?? []))).toMatchObject({ major: value.major, minor: value.minor });
    expect(reports.map((r) => (r as { state: string }).state)).toEqual(["failed", "advertising"]);
    await service.stop();
    expect(socket.advertising.enabled).toBe(false);
    expect(service.report()).toEqual({ state: "off" });
  });
});
