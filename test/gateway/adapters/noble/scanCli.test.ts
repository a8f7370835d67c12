/**
 * `arrival-gateway scan` (gateway/src/cli/scan.ts) with a fake ScanSource; one test wires the default
 * NobleScanSource over the fake HCI transport. Lives here because this directory is the noble work's
 * test area; its natural home is test/gateway/cli/.
 */
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { NobleScanError } from "../../../../gateway/src/adapters/noble/NobleScanError.js";
import {
  type BeaconRow,
  BeaconTally,
  jsonLine,
  renderTable,
  runScan,
  type ScanDeps,
  type ScanOptions,
} from "../../../../gateway/src/cli/scan.js";
import type { Advert, ScanSource } from "../../../../gateway/src/services/ports.js";
import {
  advert,
  eddystone,
  loadVectors,
  manufacturer,
  vectorAdvertisingData,
} from "../../domain/advert/advertBytes.js";
import { FakeHciSocket, installFakeTransport } from "./FakeHciSocket.js";
import { manualClock, recordingLog, until } from "./testKit.js";

installFakeTransport();

const IBEACON = advert(manufacturer("4c000215f7826da64fa24e988024bc5b71e0893e0102fffec5"));
const IBEACON_ID = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:258:65534";
const TLM = advert(eddystone("20000bb815000000004500000258"));
const EID = advert(eddystone("30fc0011223344556677"));
const PHONE = advert(manufacturer("4c0010061a1e16ec7f61"));
const T0 = Date.UTC(2025, 2, 1, 9, 0, 0);

class FakeSource implements ScanSource {
  private onAdvert: ((advert: Advert) => void) | null = null;
  starts = 0;
  stops = 0;
  constructor(private readonly startError?: Error) {}
  async start(onAdvert: (advert: Advert) => void): Promise<void> {
    this.starts++;
    if (this.startError) throw this.startError;
    this.onAdvert = onAdvert;
  }
  async stop(): Promise<void> {
    this.stops++;
    this.onAdvert = null;
  }
  hear(t: number, addr: string, rssi: number, data: Uint8Array): void {
    this.onAdvert?.({ t, addr, rssi, data });
  }
}

function sink(options: { tty?: boolean } = {}): Writable & { text(): string } {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      callback();
    },
  });
  if (options.tty === true) Object.assign(writable, { isTTY: true });
  return Object.assign(writable, { text: () => chunks.join("") });
}

function scan(options: Partial<ScanOptions> = {}, deps: Partial<ScanDeps> = {}) {
  const source = new FakeSource();
  const clock = manualClock(T0);
  const output = sink();
  const abort = new AbortController();
  const log = recordingLog();
  const done = runScan(
    { adapter: "hci0", active: false, format: "table", ...options },
    { log, clock, output, source, signal: abort.signal, refreshMs: 10, ...deps },
  );
  return { source, clock, output, abort, log, done };
}

/** Five iBeacon adverts over one second, RSSI -60 -62 -58 -70 -61, then one TLM, one EID, one phone. */
function hearSome(source: FakeSource): void {
  [-60, -62, -58, -70, -61].forEach((rssi, i) => {
    source.hear(T0 + i * 250, "c3:a1:00:00:00:01", rssi, IBEACON);
  });
  source.hear(T0 + 500, "c3:a1:00:00:00:02", -80, TLM);
  source.hear(T0 + 900, "c3:a1:00:00:00:03", -75, EID);
  source.hear(T0 + 950, "5a:11:22:33:44:55", -66, PHONE);
}

afterEach(() => FakeHciSocket.reset());

describe("runScan: table", () => {
  it("redraws a compact table; the last frame shows every beacon", async () => {
    const { source, clock, output, abort, done } = scan();
    await until(() => source.starts === 1);
    hearSome(source);
    clock.set(T0 + 2000);
    await until(() => output.text().includes(IBEACON_ID));
    abort.abort();
    expect(await done).toBe(0);
    expect(source.stops).toBe(1);
    const frames = output
      .text()
      .split("\n\n")
      .filter((f) => f !== "");
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.at(-1)).toBe(
      [
        "hci0 passive scan, 2 s: 3 beacons, 4.0 adverts/s, 8 adverts (1 not beacons)",
        "SUBJECT                                                 FORMAT         RSSI  MEDIAN  ADV/S  LAST  DETAIL",
        "eddystone-eid:0011223344556677                          eddystone-eid   -75     -75    0.9  1.1s  -4 dBm at 0 m",
        "eddystone-tlm@c3:a1:00:00:00:02                         eddystone-tlm   -80     -80    0.7  1.5s  battery 3000 mV, 21 °C, up 60 s",
        `${IBEACON_ID}  ibeacon         -61     -61    2.5  1.0s  -59 dBm at 1 m`,
      ].join("\n"),
    );
  });

  it("clears the screen before each frame on a terminal", async () => {
    const output = sink({ tty: true });
    const { source, abort, done } = scan({}, { output });
    await until(() => output.text().length > 0);
    abort.abort();
    await done;
    expect(source.stops).toBe(1);
    const frames = output.text().split("\x1b[H\x1b[2J");
    expect(frames[0]).toBe("");
    expect(frames.at(-1)).toBe(
      "hci0 passive scan, 0 s: 0 beacons, 0.0 adverts/s, 0 adverts (0 not beacons)\nno beacons heard yet\n",
    );
  });

  it("does not touch the radio when already aborted", async () => {
    const abort = new AbortController();
    abort.abort();
    const { source, done } = scan({}, { signal: abort.signal });
    expect(await done).toBe(0);
    expect(source.starts).toBe(0);
  });

  it("stops by itself after --duration", async () => {
    const { source, done } = scan({ durationS: 0.05 });
    expect(await done).toBe(0);
    expect(source.stops).toBe(1);
  });
});

describe("runScan: json", () => {
  it("writes one JSON line per beacon per refresh", async () => {
    const { source, clock, output, abort, done } = scan({ format: "json" });
    await until(() => source.starts === 1);
    hearSome(source);
    clock.set(T0 + 2000);
    await until(() => output.text().split("\n").length > 9);
    abort.abort();
    expect(await done).toBe(0);
    const lines = output
      .text()
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length % 3).toBe(0);
    expect(lines.slice(-3)).toEqual([
      expect.objectContaining({
        key: "eddystone-eid:0011223344556677",
        subject: "eddystone-eid:0011223344556677",
      }),
      expect.objectContaining({
        key: "eddystone-tlm@c3:a1:00:00:00:02",
        subject: null,
        format: "eddystone-tlm",
      }),
      {
        t: "2025-03-01T09:00:02.000Z",
        key: IBEACON_ID,
        subject: IBEACON_ID,
        format: "ibeacon",
        rssi: -61,
        rssiMedian: -61,
        ratePerS: 2.5,
        adverts: 5,
        lastSeen: "2025-03-01T09:00:01.000Z",
        lastSeenAgoS: 1,
        beacon: {
          format: "ibeacon",
          id: IBEACON_ID,
          uuid: "f7826da6-4fa2-4e98-8024-bc5b71e0893e",
          major: 258,
          minor: 65534,
          measuredPower: -59,
        },
      },
    ]);
  });

  it("stops with 0 when the reader goes away (scan --json | head)", async () => {
    const output = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const { source, done } = scan({ format: "json" }, { output });
    await until(() => source.starts === 1);
    source.hear(T0, "c3:a1:00:00:00:01", -60, IBEACON);
    expect(await done).toBe(0);
    expect(source.stops).toBe(1);
  });
});

describe("runScan: errors", () => {
  const denied = new NobleScanError(
    "PERMISSION_DENIED",
    "Permission denied on Bluetooth adapter hci0: run setcap",
  );

  it("an adapter error: exit 2 with its message on the error output", async () => {
    const errors = sink();
    const source = new FakeSource(denied);
    const output = sink();
    const code = await runScan(
      { adapter: "hci0", active: false, format: "table" },
      { log: recordingLog(), clock: manualClock(), output, errorOutput: errors, source },
    );
    expect(code).toBe(2);
    expect(errors.text()).toBe(`${denied.message}\n`);
    expect(output.text()).toBe("");
  });

  it("json without an error output: the error as one JSON line", async () => {
    const output = sink();
    const code = await runScan(
      { adapter: "hci0", active: false, format: "json" },
      { log: recordingLog(), clock: manualClock(), output, source: new FakeSource(denied) },
    );
    expect(code).toBe(2);
    expect(JSON.parse(output.text())).toEqual({ error: "PERMISSION_DENIED", message: denied.message });
  });

  it.each([
    [{ adapter: "bluetooth0" }, "--adapter must be hciN"],
    [{ durationS: 0 }, "--duration must be a positive number"],
    [{ durationS: Number.NaN }, "--duration must be a positive number"],
    [{ durationS: 30 * 24 * 3600 }, "--duration must be a positive number"],
  ])("bad options %j: exit 2 without touching the radio", async (options, message) => {
    const source = new FakeSource();
    const output = sink();
    const code = await runScan(
      { adapter: "hci0", active: false, format: "table", ...options },
      { log: recordingLog(), clock: manualClock(), output, source },
    );
    expect(code).toBe(2);
    expect(output.text()).toContain(message);
    expect(source.starts).toBe(0);
  });

  it("other errors reject", async () => {
    await expect(
      runScan(
        { adapter: "hci0", active: false, format: "table" },
        {
          log: recordingLog(),
          clock: manualClock(),
          output: sink(),
          source: new FakeSource(new Error("bug")),
        },
      ),
    ).rejects.toThrow("bug");
  });

  it("without an injected source it scans with noble: a powered-off adapter exits 2 with the fix", async () => {
    FakeHciSocket.reset({ devUp: false });
    const errors = sink();
    const code = await runScan(
      { adapter: "hci1", active: false, durationS: 1, format: "table" },
      { log: recordingLog(), clock: manualClock(), output: sink(), errorOutput: errors },
    );
    expect(code).toBe(2);
    expect(FakeHciSocket.last.boundDevId).toBe(1);
    expect(errors.text()).toContain("Bluetooth adapter hci1 is powered off");
    expect(errors.text()).toContain("sudo hciconfig hci1 up");
  });

  it("without an injected source it scans with noble: beacons heard through noble's HCI code", async () => {
    const output = sink();
    const clock = manualClock(T0);
    const done = runScan(
      { adapter: "hci0", active: false, durationS: 0.3, format: "json" },
      { log: recordingLog(), clock, output, refreshMs: 20 },
    );
    await until(() => FakeHciSocket.instances.length === 1 && FakeHciSocket.last.scan.enabled);
    const { leAdvertisingReport, ADV_NONCONN_IND } = await import("./hciPackets.js");
    FakeHciSocket.last.hear(
      leAdvertisingReport([
        { eventType: ADV_NONCONN_IND, address: "c3:a1:00:00:00:01", data: IBEACON, rssi: -64 },
      ]),
    );
    expect(await done).toBe(0);
    const last = output.text().trimEnd().split("\n").at(-1) ?? "{}";
    expect(JSON.parse(last)).toMatchObject({ subject: IBEACON_ID, rssi: -64, adverts: 1 });
  });
});

describe("BeaconTally", () => {
  const tally = (adverts: readonly [number, number][], data = IBEACON) => {
    const t = new BeaconTally();
    for (const [at, rssi] of adverts) t.observe({ t: at, addr: "c3:a1:00:00:00:01", rssi, data });
    return t;
  };

  it("smooths RSSI as the median of the last 5 readings", () => {
    const rows = tally([
      [T0, -90],
      [T0 + 1, -60],
      [T0 + 2, -61],
      [T0 + 3, -62],
      [T0 + 4, -63],
      [T0 + 5, -40],
    ]).snapshot(T0 + 10);
    expect(rows[0]).toMatchObject({ rssi: -40, rssiMedian: -61 });
    expect(
      tally([
        [T0, -60],
        [T0 + 1, -63],
      ]).snapshot(T0 + 10)[0]?.rssiMedian,
    ).toBe(-61.5);
  });

  it("counts adverts per second over the last 5 s, or since first heard (at least 1 s)", () => {
    const tenHz = Array.from({ length: 100 }, (_, i) => [T0 + i * 100, -60] as [number, number]);
    expect(tally(tenHz).snapshot(T0 + 10_000)[0]?.ratePerS).toBe(9.8);
    expect(tally(tenHz.slice(0, 3)).snapshot(T0 + 300)[0]?.ratePerS).toBe(3);
    expect(tally(tenHz.slice(0, 30)).snapshot(T0 + 3000)[0]?.ratePerS).toBe(10);
  });

  it("forgets a beacon unheard for 2 minutes", () => {
    const t = tally([[T0, -60]]);
    expect(t.snapshot(T0 + 120_000)).toHaveLength(1);
    expect(t.snapshot(T0 + 120_001)).toEqual([]);
  });

  it("decodes every beacon vector into a row keyed by its subject", () => {
    const t = new BeaconTally();
    for (const v of loadVectors())
      t.observe({ t: T0, addr: "c3:a1:00:00:00:01", rssi: -60, data: vectorAdvertisingData(v) });
    const rows = t.snapshot(T0);
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows)
      expect(row.key === row.subject || row.key.endsWith("@c3:a1:00:00:00:01")).toBe(true);
    expect(t.notBeacons).toBe(loadVectors().length - rows.reduce((n, r) => n + r.adverts, 0));
  });
});

describe("renderTable and jsonLine", () => {
  const row: BeaconRow = {
    key: IBEACON_ID,
    subject: IBEACON_ID,
    format: "ibeacon",
    rssi: -61,
    rssiMedian: -60.5,
    ratePerS: 9.8,
    adverts: 42,
    lastSeen: T0,
    beacon: { format: "ibeacon", id: IBEACON_ID, uuid: "u", major: 258, minor: 65534, measuredPower: -59 },
  };

  it("prints a half-dBm median with one decimal", () => {
    const text = renderTable([row], {
      adapter: "hci2",
      active: true,
      now: T0 + 250,
      startedAt: T0 - 60_000,
      adverts: 42,
      notBeacons: 0,
      ratePerS: 9.8,
    });
    expect(text.split("\n")[0]).toBe(
      "hci2 active scan, 60 s: 1 beacon, 9.8 adverts/s, 42 adverts (0 not beacons)",
    );
    expect(text.split("\n")[2]).toBe(`${IBEACON_ID}  ibeacon   -61   -60.5    9.8  0.3s  -59 dBm at 1 m`);
  });

  it("json lines carry ISO times", () => {
    expect(JSON.parse(jsonLine(row, T0 + 1500))).toMatchObject({
      t: "2025-03-01T09:00:01.500Z",
      lastSeenAgoS: 1.5,
    });
  });
});
