/**
 * NobleScanSource over noble's real code (core, HCI bindings, hci.js, gap.js) and a fake HCI socket
 * (FakeHciSocket.ts): commands noble writes are answered byte for byte, advertising reports are
 * built byte for byte from the shared beacon vectors.
 */
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NobleScanError, SETCAP_COMMAND } from "../../../../gateway/src/adapters/noble/NobleScanError.js";
import {
  NobleScanSource,
  type NobleScanSourceOptions,
} from "../../../../gateway/src/adapters/noble/NobleScanSource.js";
import { decodeAdvertisement } from "../../../../gateway/src/domain/advert/index.js";
import type { Advert } from "../../../../gateway/src/services/ports.js";
import {
  ad,
  advert,
  bytes,
  hex,
  loadVectors,
  manufacturer,
  vectorAdvertisingData,
} from "../../domain/advert/advertBytes.js";
import { ERRORS, FakeHciSocket, installFakeTransport } from "./FakeHciSocket.js";
import {
  ADV_IND,
  ADV_NONCONN_IND,
  EXT_INCOMPLETE_MORE,
  EXT_LEGACY,
  EXT_TRUNCATED,
  leAdvertisingReport,
  leExtendedAdvertisingReport,
  SCAN_RSP,
  type WrittenCommand,
} from "./hciPackets.js";
import { ManualScheduler } from "../../../support/ManualScheduler.js";
import { manualClock, recordingLog, settle, until } from "./testKit.js";

installFakeTransport();

const running: NobleScanSource[] = [];

function kit(overrides: Partial<NobleScanSourceOptions> = {}) {
  const log = recordingLog();
  const clock = manualClock();
  // The watchdog's periodic check runs on fake time: only when a test advances it.
  const scheduler = new ManualScheduler(clock);
  const source = new NobleScanSource({
    adapter: "hci0",
    active: false,
    watchdogMs: 30_000,
    clock,
    scheduler,
    log,
    startTimeoutMs: 2000,
    ...overrides,
  });
  running.push(source);
  const adverts: Advert[] = [];
  return { source, log, clock, scheduler, adverts, onAdvert: (a: Advert) => adverts.push(a) };
}

async function started(overrides: Partial<NobleScanSourceOptions> = {}) {
  const k = kit(overrides);
  await k.source.start(k.onAdvert);
  return { ...k, socket: FakeHciSocket.last };
}

async function startError(overrides: Partial<NobleScanSourceOptions> = {}): Promise<NobleScanError> {
  const { source } = kit(overrides);
  const err: unknown = await source
    .start(() => undefined)
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(NobleScanError);
  return err as NobleScanError;
}

const named = (commands: readonly WrittenCommand[], name: string) => commands.filter((c) => c.name === name);
const scanEnables = (socket: FakeHciSocket) =>
  named(socket.commands, "LE Set Scan Enable").filter((c) => c.parameters[0] === 0x01).length;
const address = (i: number) => `c3:a1:00:00:00:${i.toString(16).padStart(2, "0")}`;

beforeEach(() => FakeHciSocket.reset());
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  vi.restoreAllMocks();
});

/** Every vector that decodes to a beacon, with its advertising data. */
const BEACONS = loadVectors()
  .map((v) => ({ id: v.id, data: vectorAdvertisingData(v) }))
  .filter((v) => decodeAdvertisement(v.data) !== null);
/** Legacy advertising data is at most 31 octets; longer vectors (advert + scan response) go in extended reports. */
const LEGACY = BEACONS.filter((v) => v.data.length <= 31);
const LONG = BEACONS.filter((v) => v.data.length > 31);

describe("NobleScanSource: start-up through noble's HCI code", () => {
  it("binds the configured hciN and gets every start-up command answered", async () => {
    const { socket } = await started({ adapter: "hci1" });
    expect(socket.boundDevId).toBe(1);
    // noble 1.9.2-26 on a raw HCI channel (hci.js pollIsDevUp, then Read Local Version's answer, then
    // gap.startScanning). No HCI Reset: noble sends it only on a user channel (HCI_CHANNEL_USER).
    expect(socket.commands.map((c) => c.name)).toEqual([
      "Set Event Mask",
      "LE Set Event Mask",
      "Read Local Version Information",
      "Write LE Host Supported",
      "Read LE Host Supported",
      "LE Read Buffer Size",
      "Read BD_ADDR",
      "LE Set Scan Enable",
      "LE Set Scan Parameters",
      "LE Set Scan Enable",
      "LE Set Scan Parameters",
      "LE Set Scan Enable",
    ]);
    // The last command: LE_Scan_Enable 0x01, Filter_Duplicates 0x00 (every advert reported).
    expect(socket.commands.at(-1)?.bytes.toString("hex")).toBe("010c20020100");
    expect(socket.scan).toMatchObject({ enabled: true, filterDuplicates: false });
    expect(socket.reading).toBe(true);
  });

  it.each([
    { active: false, scanType: "00" },
    { active: true, scanType: "01" },
  ])(
    "active: $active writes LE_Scan_Type 0x$scanType in LE Set Scan Parameters",
    async ({ active, scanType }) => {
      const { socket } = await started({ active });
      const parameters = named(socket.commands, "LE Set Scan Parameters");
      expect(parameters).toHaveLength(2);
      // §7.8.10: type, interval 0x0012, window 0x0012 (11.25 ms each), own address public, accept all.
      for (const c of parameters) expect(c.bytes.toString("hex")).toBe(`010b2007${scanType}120012000000`);
      expect(socket.scan.scanType).toBe(Number.parseInt(scanType, 16));
    },
  );

  it("is idempotent: concurrent and repeated starts open one adapter", async () => {
    const { source, onAdvert } = kit();
    await Promise.all([source.start(onAdvert), source.start(onAdvert)]);
    await source.start(onAdvert);
    expect(FakeHciSocket.instances).toHaveLength(1);
  });

  it("leaves SIGINT to main.ts (noble's handler would process.exit(1)) and takes its exit handler back on stop", async () => {
    const sigint = process.listenerCount("SIGINT");
    const exit = process.listenerCount("exit");
    const { source } = await started();
    expect(process.listenerCount("SIGINT")).toBe(sigint);
    expect(process.listenerCount("exit")).toBe(exit + 1);
    await source.stop();
    expect(process.listenerCount("exit")).toBe(exit);
  });
});

describe("NobleScanSource: legacy LE Advertising Reports (subevent 0x02)", () => {
  it("delivers the raw advertising data of every report, decodable into the same beacon", async () => {
    const { socket, adverts, clock } = await started();
    clock.set(Date.UTC(2025, 2, 1, 10, 0, 0));
    const reports = LEGACY.map((v, i) => ({
      eventType: ADV_NONCONN_IND,
      address: address(i),
      data: v.data,
      rssi: -40 - i,
    }));
    // Three reports in one event (controllers batch them), the rest one per event.
    socket.hear(leAdvertisingReport(reports.slice(0, 3)));
    for (const r of reports.slice(3)) socket.hear(leAdvertisingReport([r]));
    await until(() => adverts.length === reports.length, 3000, "all adverts");
    adverts.forEach((a, i) => {
      const sent = reports[i];
      expect(sent).toBeDefined();
      expect(a).toMatchObject({ t: Date.UTC(2025, 2, 1, 10, 0, 0), addr: sent?.address, rssi: sent?.rssi });
      expect(a.data).toBeInstanceOf(Uint8Array);
      expect(hex(a.data)).toBe(hex(sent?.data ?? new Uint8Array()));
      expect(decodeAdvertisement(a.data)).toEqual(decodeAdvertisement(sent?.data ?? new Uint8Array()));
    });
  });

  it("decodes real iBeacon and Eddystone payloads with their RSSI", async () => {
    const { socket, adverts } = await started();
    const vector = (id: string) => {
      const v = BEACONS.find((b) => b.id === id);
      if (v === undefined) throw new Error(`no vector ${id}`);
      return v.data;
    };
    socket.hear(
      leAdvertisingReport([
        {
          eventType: ADV_NONCONN_IND,
          address: "C3:A1:00:00:00:01",
          data: vector("beacontools-ibeacon-cypress-sensor"),
          rssi: -61,
        },
        {
          eventType: ADV_NONCONN_IND,
          address: "c3:a1:00:00:00:02",
          data: vector("beacontools-eddystone-uid"),
          rssi: -72,
        },
        {
          eventType: ADV_NONCONN_IND,
          address: "c3:a1:00:00:00:03",
          data: vector("beacontools-eddystone-eid"),
          rssi: -80,
        },
        {
          eventType: ADV_NONCONN_IND,
          address: "c3:a1:00:00:00:04",
          data: vector("beacontools-eddystone-tlm"),
          rssi: -81,
        },
      ]),
    );
    await until(() => adverts.length === 4);
    const [ibeacon, uid, eid, tlm] = adverts.map((a) => ({
      rssi: a.rssi,
      addr: a.addr,
      beacon: decodeAdvertisement(a.data),
    }));
    expect(ibeacon).toEqual({
      rssi: -61,
      addr: "c3:a1:00:00:00:01",
      beacon: expect.objectContaining({
        format: "ibeacon",
        uuid: "00050001-0000-1000-8000-00805f9b0131",
        major: 2,
        minor: 27750,
        measuredPower: -61,
      }),
    });
    expect(uid).toMatchObject({
      rssi: -72,
      beacon: {
        format: "eddystone-uid",
        namespace: "12345678901234678901",
        instance: "000000000001",
        txPower: -29,
      },
    });
    expect(eid).toMatchObject({
      rssi: -80,
      beacon: { format: "eddystone-eid", id: "eddystone-eid:4549445f74657374" },
    });
    expect(tlm).toMatchObject({
      rssi: -81,
      beacon: { format: "eddystone-tlm", batteryMv: 2840, advCount: 5223 },
    });
  });

  it("delivers a connectable advert at once and a scan response as its own advert", async () => {
    const { socket, adverts } = await started({ active: true });
    const ibeacon = advert(
      ad(0x01, "06"),
      manufacturer("4c000215f7826da64fa24e988024bc5b71e0893e0102fffec5"),
    );
    const name = advert(ad(0x09, "4b6f6e74616b74")); // "Kontakt"
    socket.hear(leAdvertisingReport([{ eventType: ADV_IND, address: address(9), data: ibeacon, rssi: -50 }]));
    // noble's own `discover` holds a first connectable advert back until a second one or a scan response.
    await until(() => adverts.length === 1);
    expect(decodeAdvertisement(adverts[0]?.data ?? new Uint8Array())).toMatchObject({
      major: 258,
      minor: 65534,
    });
    socket.hear(leAdvertisingReport([{ eventType: SCAN_RSP, address: address(9), data: name, rssi: -51 }]));
    await until(() => adverts.length === 2);
    expect(hex(adverts[1]?.data ?? new Uint8Array())).toBe(hex(name));
    expect(decodeAdvertisement(adverts[1]?.data ?? new Uint8Array())).toBeNull();
  });

  it("drops reports whose RSSI is not available (127)", async () => {
    const { socket, adverts } = await started();
    const data = LEGACY[0]?.data ?? new Uint8Array();
    socket.hear(
      leAdvertisingReport([
        { eventType: ADV_NONCONN_IND, address: address(1), data, rssi: 127 },
        { eventType: ADV_NONCONN_IND, address: address(2), data, rssi: -70 },
      ]),
    );
    await until(() => adverts.length === 1);
    await settle();
    expect(adverts.map((a) => a.addr)).toEqual([address(2)]);
  });

  it("survives a throwing advert handler: logged, the event's other reports still delivered", async () => {
    const { source, log } = kit();
    const seen: string[] = [];
    await source.start((a) => {
      seen.push(a.addr);
      if (seen.length === 1) throw new Error("handler bug");
    });
    const data = LEGACY[0]?.data ?? new Uint8Array();
    FakeHciSocket.last.hear(
      leAdvertisingReport([
        { eventType: ADV_NONCONN_IND, address: address(1), data, rssi: -60 },
        { eventType: ADV_NONCONN_IND, address: address(2), data, rssi: -61 },
      ]),
    );
    await until(() => seen.length === 2);
    expect(log.messages("error")).toEqual(["advert handler failed"]);
  });
});

describe("NobleScanSource: LE Extended Advertising Reports (subevent 0x0D)", () => {
  it("is not asked for them: noble's LE event mask leaves bit 12 clear and it scans with legacy commands", async () => {
    const { socket } = await started();
    const [mask] = named(socket.commands, "LE Set Event Mask");
    // Bits 0-4: connection complete, advertising report, connection update, remote features, LTK request.
    expect(mask?.parameters.toString("hex")).toBe("1f00000000000000");
    expect(named(socket.commands, "LE Set Extended Scan Parameters")).toEqual([]);
  });

  it("still delivers them when a controller sends them: single reports, legacy and long data", async () => {
    const { socket, adverts } = await started();
    const sent = [...LEGACY.slice(0, 2), ...LONG].map((v, i) => ({
      eventType: EXT_LEGACY,
      address: address(i),
      data: v.data,
      rssi: -55 - i,
    }));
    for (const r of sent) socket.hear(leExtendedAdvertisingReport([r]));
    await until(() => adverts.length === sent.length);
    adverts.forEach((a, i) => {
      expect(hex(a.data)).toBe(hex(sent[i]?.data ?? new Uint8Array()));
      expect(a.rssi).toBe(sent[i]?.rssi);
      expect(decodeAdvertisement(a.data)).not.toBeNull();
    });
  });

  it("cuts each report of a multi-report event to its own data (noble hands it the rest of the event)", async () => {
    const reports = LEGACY.slice(0, 3).map((v, i) => ({
      eventType: EXT_LEGACY,
      address: address(i),
      data: v.data,
      rssi: -60 - i,
    }));
    const event = leExtendedAdvertisingReport(reports);

    // noble's own parse, alone: every report but the last carries the following reports' bytes.
    const Hci = createRequire(import.meta.url)("@abandonware/noble/lib/hci-socket/hci.js") as new (
      options: object,
    ) => { on(event: string, l: (...args: unknown[]) => void): void; onSocketData(data: Buffer): void };
    const hci = new Hci({});
    const lengths: number[] = [];
    hci.on("leExtendedAdvertisingReport", (...args) => lengths.push((args[6] as Buffer).length));
    hci.onSocketData(event);
    expect(lengths[0]).toBeGreaterThan(reports[0]?.data.length ?? 0);
    expect(lengths[2]).toBe(reports[2]?.data.length);

    const { socket, adverts } = await started();
    socket.hear(event);
    await until(() => adverts.length === 3);
    expect(adverts.map((a) => hex(a.data))).toEqual(reports.map((r) => hex(r.data)));
    expect(adverts.map((a) => a.rssi)).toEqual([-60, -61, -62]);
  });

  it("joins fragments (data status 01) and drops truncated adverts (10)", async () => {
    const { socket, adverts } = await started();
    const whole = LONG[0]?.data ?? new Uint8Array();
    socket.hear(
      leExtendedAdvertisingReport([
        { eventType: EXT_INCOMPLETE_MORE, address: address(1), data: whole.subarray(0, 20), rssi: -70 },
      ]),
    );
    socket.hear(
      leExtendedAdvertisingReport([
        { eventType: 0x00, address: address(1), data: whole.subarray(20), rssi: -71 },
      ]),
    );
    socket.hear(
      leExtendedAdvertisingReport([
        { eventType: EXT_INCOMPLETE_MORE, address: address(2), data: whole.subarray(0, 20), rssi: -72 },
      ]),
    );
    socket.hear(
      leExtendedAdvertisingReport([
        { eventType: EXT_TRUNCATED, address: address(2), data: whole.subarray(20, 25), rssi: -73 },
      ]),
    );
    socket.hear(
      leExtendedAdvertisingReport([
        { eventType: EXT_LEGACY, address: address(3), data: whole.subarray(0, 31), rssi: -74 },
      ]),
    );
    await until(() => adverts.some((a) => a.addr === address(3)));
    expect(adverts.map((a) => [a.addr, hex(a.data), a.rssi])).toEqual([
      [address(1), hex(whole), -71],
      [address(3), hex(whole.subarray(0, 31)), -74],
    ]);
  });
});

describe("NobleScanSource: watchdog", () => {
  it("restarts scanning after watchdogMs without adverts, and counts it", async () => {
    const { source, socket, scheduler, log, adverts } = await started({ watchdogMs: 200 });
    expect(scanEnables(socket)).toBe(1);
    socket.hear(
      leAdvertisingReport([
        { eventType: ADV_NONCONN_IND, address: address(1), data: LEGACY[0]?.data ?? bytes(""), rssi: -60 },
      ]),
    );
    await until(() => adverts.length === 1);
    // The check runs every 50 ms (a quarter of watchdogMs): at 50, 100 and 150 ms of silence, nothing.
    await scheduler.advance(150);
    expect(scanEnables(socket)).toBe(1);
    expect(source.restarts).toBe(0);

    // The first check at 200 ms of silence restarts.
    await scheduler.advance(50);
    await until(() => scanEnables(socket) === 2, 2000, "a second LE Set Scan Enable");
    expect(source.restarts).toBe(1);
    const warning = log.entries.find(
      (e) => e.msg === "no adverts within the watchdog period, restarting scanning",
    );
    expect(warning?.level).toBe("warn");
    expect(warning?.obj).toMatchObject({ adapter: "hci0", silentMs: 200, restarts: 1 });
    // Stop (disable), then noble's start: disable, parameters, enable.
    expect(socket.commands.slice(-4).map((c) => `${c.name} ${c.parameters.toString("hex")}`)).toEqual([
      "LE Set Scan Enable 0001",
      "LE Set Scan Enable 0001",
      "LE Set Scan Parameters 00120012000000",
      "LE Set Scan Enable 0100",
    ]);
    socket.hear(
      leAdvertisingReport([
        { eventType: ADV_NONCONN_IND, address: address(2), data: LEGACY[0]?.data ?? bytes(""), rssi: -61 },
      ]),
    );
    await until(() => adverts.length === 2);
  });

  it("pauses while the adapter is down and resumes scanning when it comes back", async () => {
    const { socket, log, adverts } = await started({ watchdogMs: 200 });
    socket.devUp = false;
    socket.scan.enabled = false;
    // hci.js polls isDevUp() every second.
    await until(() => log.messages("warn").includes("adapter is not powered on; scanning paused"), 3000);
    socket.devUp = true;
    await until(() => log.messages("info").includes("adapter powered on again; resuming scanning"), 3000);
    await until(() => socket.scan.enabled, 3000, "scanning re-enabled");
    socket.hear(
      leAdvertisingReport([
        { eventType: ADV_NONCONN_IND, address: address(1), data: LEGACY[0]?.data ?? bytes(""), rssi: -60 },
      ]),
    );
    await until(() => adverts.length === 1);
  });

  it("empties noble's per-address caches every minute", async () => {
    // A short watchdog only to make the periodic check run often; adverts keep it from restarting.
    const { source, socket, clock, scheduler, log, adverts } = await started({ watchdogMs: 400 });
    const hearFrom = (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        socket.hear(
          leAdvertisingReport([
            {
              eventType: ADV_NONCONN_IND,
              address: address(i),
              data: LEGACY[0]?.data ?? bytes(""),
              rssi: -60,
            },
          ]),
        );
      }
    };
    const forgotten = () =>
      log.entries.filter((e) => e.msg === "noble peripheral caches emptied").map((e) => e.obj.forgotten);
    // The clock jumps (no check runs meanwhile), then the check every 100 ms runs once.
    clock.advance(59_900);
    hearFrom(0, 5);
    await until(() => adverts.length === 5);
    await scheduler.advance(100);
    expect(forgotten()).toEqual([5]);
    clock.advance(59_900);
    hearFrom(10, 2);
    await until(() => adverts.length === 7);
    await scheduler.advance(100);
    expect(forgotten()).toEqual([5, 2]);
    expect(source.restarts).toBe(0);
  });
});

describe("NobleScanSource: stop", () => {
  it("disables scanning, removes its listeners, stops noble's polling and the socket; idempotent", async () => {
    const { source, socket, adverts } = await started();
    const polls = vi.spyOn(socket, "isDevUp");
    await source.stop();
    expect(socket.commands.at(-1)?.bytes.toString("hex")).toBe("010c20020001");
    expect(socket.scan.enabled).toBe(false);
    expect(socket.reading).toBe(false);
    const written = socket.written.length;
    await source.stop();
    expect(socket.written.length).toBe(written);
    expect(socket.stopCalls).toBe(1);
    // A report still reaching noble after stop goes nowhere.
    socket.emit(
      "data",
      leAdvertisingReport([
        { eventType: ADV_NONCONN_IND, address: address(1), data: LEGACY[0]?.data ?? bytes(""), rssi: -60 },
      ]),
    );
    await settle();
    expect(adverts).toEqual([]);
    // hci.js's one-second isDevUp poll has ended.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(polls).not.toHaveBeenCalled();
  });

  it("can start again after stop, on a new noble instance", async () => {
    const { source, onAdvert, adverts } = kit();
    await source.start(onAdvert);
    await source.stop();
    await source.start(onAdvert);
    expect(FakeHciSocket.instances).toHaveLength(2);
    FakeHciSocket.last.hear(
      leAdvertisingReport([
        { eventType: ADV_NONCONN_IND, address: address(1), data: LEGACY[0]?.data ?? bytes(""), rssi: -60 },
      ]),
    );
    await until(() => adverts.length === 1);
  });

  it("waits for a start in progress", async () => {
    const { source, onAdvert } = kit();
    const starting = source.start(onAdvert);
    await source.stop();
    await starting;
    expect(FakeHciSocket.last.scan.enabled).toBe(false);
    expect(FakeHciSocket.last.reading).toBe(false);
  });
});

describe("NobleScanSource: errors", () => {
  it("EPERM from the socket: PERMISSION_DENIED, with the capabilities and the setcap command", async () => {
    FakeHciSocket.reset({ writeError: ERRORS.EPERM });
    // noble's bindings print their own advice on stdout for this state.
    const noblePrints = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const err = await startError();
    expect(err.code).toBe("PERMISSION_DENIED");
    expect(err.message).toContain("CAP_NET_RAW");
    expect(err.message).toContain("CAP_NET_ADMIN");
    expect(err.message).toContain(
      "sudo setcap cap_net_raw,cap_net_admin+eip $(eval readlink -f $(which node))",
    );
    expect(err.message).toContain(SETCAP_COMMAND);
    expect(noblePrints).toHaveBeenCalledWith(expect.stringContaining("unauthorized"));
    expect(FakeHciSocket.last.reading).toBe(false);
  });

  it("no such hciN (ENODEV from bind): NO_ADAPTER naming the adapter", async () => {
    FakeHciSocket.reset({ bindError: ERRORS.ENODEV });
    const err = await startError({ adapter: "hci3" });
    expect(err.code).toBe("NO_ADAPTER");
    expect(err.message).toContain("No Bluetooth adapter hci3 (ENODEV from bind)");
    expect((err.cause as NodeJS.ErrnoException).code).toBe("ENODEV");
  });

  it("no Bluetooth at all (EAFNOSUPPORT from socket): NO_ADAPTER, pointing at the kernel or container", async () => {
    FakeHciSocket.reset({ socketError: ERRORS.EAFNOSUPPORT });
    const err = await startError();
    expect(err.code).toBe("NO_ADAPTER");
    expect(err.message).toContain("EAFNOSUPPORT");
    expect(err.message).toContain("--network host");
  });

  it("adapter down: ADAPTER_POWERED_OFF, with how to bring it up", async () => {
    FakeHciSocket.reset({ devUp: false });
    const err = await startError({ adapter: "hci0" });
    expect(err.code).toBe("ADAPTER_POWERED_OFF");
    expect(err.message).toContain("sudo hciconfig hci0 up");
    expect(FakeHciSocket.last.reading).toBe(false);
  });

  it("a Bluetooth 3.0 controller (HCI version 0x05): UNSUPPORTED", async () => {
    FakeHciSocket.reset({ hciVersion: 0x05 });
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const err = await startError();
    expect(err.code).toBe("UNSUPPORTED");
  });

  it("a controller that never answers: ADAPTER_TIMEOUT", async () => {
    FakeHciSocket.reset({ silent: true });
    const err = await startError({ startTimeoutMs: 150 });
    expect(err.code).toBe("ADAPTER_TIMEOUT");
    expect(err.message).toContain('still "unknown" after 150 ms');
  });

  it("a scan start the controller never confirms: ADAPTER_TIMEOUT, and scanning switched off", async () => {
    // The 9 start-up commands up to the LE Set Scan Parameters that powers noble on are answered;
    // the scan start that follows is not.
    FakeHciSocket.reset({ answerOnly: 9 });
    const err = await startError({ startTimeoutMs: 300 });
    expect(err.code).toBe("ADAPTER_TIMEOUT");
    expect(err.message).toContain("scanning did not start within 300 ms");
    const last = FakeHciSocket.last.commands.at(-1);
    expect(`${last?.name} ${last?.parameters.toString("hex")}`).toBe("LE Set Scan Enable 0001");
    expect(FakeHciSocket.last.reading).toBe(false);
  });

  it("noble not installed (the optional dependency is missing): NOBLE_NOT_INSTALLED", async () => {
    const missing = "@abandonware/noble-that-is-not-installed/lib/noble.js";
    const err = await startError({
      loadNoble: async () => {
        await import(missing);
        throw new Error("unreachable");
      },
    });
    expect(err.code).toBe("NOBLE_NOT_INSTALLED");
    expect((err.cause as NodeJS.ErrnoException).code).toBe("ERR_MODULE_NOT_FOUND");
    expect(err.message).toContain("npm install --include=optional");
    expect(FakeHciSocket.instances).toEqual([]);
  });

  it.each(["bluetooth0", "hci", "HCI0", "hci0 "])("adapter %j: INVALID_OPTIONS", async (adapter) => {
    const err = await startError({ adapter });
    expect(err.code).toBe("INVALID_OPTIONS");
  });

  it("starts once the problem is fixed", async () => {
    FakeHciSocket.reset({ devUp: false });
    const { source, onAdvert } = kit();
    await expect(source.start(onAdvert)).rejects.toMatchObject({ code: "ADAPTER_POWERED_OFF" });
    FakeHciSocket.reset();
    await source.start(onAdvert);
    expect(FakeHciSocket.last.scan.enabled).toBe(true);
  });
});
