import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import {
  type Advert,
  type Clock,
  type Logger,
  type ScanSource,
  type ScanSourceState,
  type Scheduler,
  systemScheduler,
  type TimerHandle,
} from "../../services/ports.js";
import { adStructuresFromNoble, type NobleParsedAdvertisement } from "./adStructuresFromNoble.js";
import { leSetScanParametersCommand, NOBLE_SCAN_INTERVAL_UNITS } from "./leScanParameters.js";
import {
  type NobleScanError,
  type NobleScanErrorCode,
  nobleScanError,
  stateError,
  toNobleScanError,
} from "./NobleScanError.js";

/**
 * The gateway's radio: @abandonware/noble's HCI socket bindings, translated into plain `Advert`s. This
 * directory is the only place that imports noble, and it does so lazily inside start(), so machines
 * without Bluetooth (laptops, CI) never load it.
 *
 * What comes out, and why this way (read against noble 1.9.2-26, lib/hci-socket/*.js):
 * - `data` is the RAW advertising data of each HCI LE advertising report: noble's Hci object emits
 *   `leAdvertisingReport(status, type, address, addressType, data, rssi)` for every report before its
 *   gap.js parses it. noble's own `discover` event is not used: it merges adverts per address (and
 *   keeps an old manufacturer data across later frames of a beacon that interleaves iBeacon and
 *   Eddystone), holds back a connectable advert until a second one or a scan response, and hands the
 *   AD structures over only as parsed fields. If a future noble hides its Hci object, the source falls
 *   back to `discover` and rebuilds AD structures from the parsed fields (adStructuresFromNoble).
 * - Each report is one advert, scan responses included (active scanning): the decoder finds the beacon
 *   in whichever report carries it.
 * - Duplicates are allowed (`startScanning([], true)`): the controller reports every advert, which the
 *   RSSI smoothing and the watchdog need.
 * - Passive scanning: noble has no option for it (hci.js writes LE_Scan_Type 0x01 in every LE Set Scan
 *   Parameters command), so for `active: false` this adapter replaces `setScanParameters` on its own
 *   Hci instance with one that writes the same command with LE_Scan_Type 0x00 (leScanParameters.ts).
 * - Extended advertising reports (LE Meta subevent 0x0D): noble parses them, but in its default
 *   (legacy) mode it masks them out (LE event mask 0x1f: bit 12 clear) and scans with the legacy
 *   commands, so a compliant controller sends only legacy reports; beacons advertise with legacy PDUs
 *   anyway. If they come, they are delivered, with two fixes over noble: data cut to the report's own
 *   length (noble gives every report of a multi-report event all the bytes up to the event's end),
 *   and fragmented adverts reassembled (data status "incomplete, more to come").
 */
export interface NobleScanSourceOptions {
  /** Bluetooth adapter `hciN` (config `scanner.adapter`, default `hci0`). */
  readonly adapter: string;
  /** Active scanning (SCAN_REQ, scan responses) or passive (listen only). Config `scanner.active`. */
  readonly active: boolean;
  /** Stop and restart scanning after this long without any advert, ms (config `scanner.watchdogS` × 1000). */
  readonly watchdogMs: number;
  readonly clock: Clock;
  readonly log: Logger;
  /** Timers of the watchdog; default the process's own. */
  readonly scheduler?: Scheduler;
  /** How long the adapter may take to power on, and to start scanning, ms. Default 10 000. */
  readonly startTimeoutMs?: number;
  /** Loads noble. Tests replace it to simulate a missing install; default {@link loadNoble}. */
  readonly loadNoble?: () => Promise<NobleModules>;
}

/** The two modules of noble the source constructs, as loaded (checked at run time). */
export interface NobleModules {
  /** `@abandonware/noble/lib/hci-socket/bindings.js`: `new HciBindings({ deviceId })`. */
  readonly HciBindings: unknown;
  /** `@abandonware/noble/lib/noble.js`: `new Noble(bindings)`. */
  readonly Noble: unknown;
}

/**
 * Imports noble's HCI socket bindings and core, the documented way to choose the adapter in code
 * (noble README, "Multiple Adapters"): no NOBLE_HCI_DEVICE_ID in the environment, so two sources
 * may use two adapters. The HCI bindings are named explicitly: `hciN` means Linux, and on other
 * platforms the transport fails with "Unsupported platform" (UNSUPPORTED) instead of noble silently
 * switching to macOS bindings that ignore the adapter.
 */
export async function loadNoble(): Promise<NobleModules> {
  // Specifiers in variables: noble ships types only for its entry point, so TypeScript must not try
  // to resolve these deep paths; their shapes are checked when they are used.
  const bindingsModule = "@abandonware/noble/lib/hci-socket/bindings.js";
  const nobleModule = "@abandonware/noble/lib/noble.js";
  // Bindings first: loading them loads the transport, whose absence is the common failure.
  const bindings = (await import(bindingsModule)) as { default?: unknown };
  const noble = (await import(nobleModule)) as { default?: unknown };
  return { HciBindings: bindings.default, Noble: noble.default };
}

/** What the source reads of noble's objects. Underscored members are noble internals, feature-checked. */
interface NobleInternals extends EventEmitter {
  readonly state: string;
  startScanning(serviceUuids: string[], allowDuplicates: boolean): void;
  stopScanning(): void;
}

interface HciInternals extends EventEmitter {
  setScanParameters(interval?: number, window?: number): void;
  pollIsDevUp?: () => void;
  _socket?: { write?: (data: Buffer) => void; stop?: () => void };
  _isExtended?: unknown;
}

/** A listener as EventEmitter takes it: any argument list. */
type Listener = Parameters<EventEmitter["on"]>[1];

/** HCI RSSI value meaning "not available" (Core Spec Vol 4 Part E §7.7.65.2 and §7.7.65.13). */
const RSSI_NOT_AVAILABLE = 127;
/** LE Extended Advertising Report fixed fields before Data (§7.7.65.13): 24 octets. */
const EXTENDED_REPORT_HEADER = 24;
/** How long stop() waits for the controller to confirm that scanning stopped. */
const STOP_TIMEOUT_MS = 2000;
/** How often noble's per-address caches are emptied (see forgetPeripherals). */
const FORGET_PERIPHERALS_EVERY_MS = 60_000;
/** Adverts of at most this many addresses may be half-reassembled at once. */
const MAX_FRAGMENTED = 64;

export class NobleScanSource implements ScanSource {
  private readonly o: NobleScanSourceOptions;
  private driver: NobleDriver | null = null;
  private starting: Promise<void> | null = null;
  private onAdvert: ((advert: Advert) => void) | null = null;
  private readonly scheduler: Scheduler;
  private watchdog: TimerHandle | null = null;
  private lastAdvertAt = 0;
  private lastForgetAt = 0;
  private restarting = false;
  private restartFailing = false;
  private paused = false;
  private stopping = false;
  private restartCount = 0;
  private advertCount = 0;
  private pendingExtended: ExtendedReport | null = null;
  private readonly fragments = new Map<string, Uint8Array[]>();

  constructor(options: NobleScanSourceOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /**
   * `interrupted` while the adapter is not powered on (rfkill, `hciconfig down`) or the last restart
   * of the scan failed; the watchdog keeps trying, and the gateway's scan health gives up after its
   * bound. `scanning` otherwise, and before start.
   */
  state(): ScanSourceState {
    return this.paused || this.restartFailing ? "interrupted" : "scanning";
  }

  /** Times the watchdog restarted scanning since this source was created. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Adverts delivered since this source was created. */
  get adverts(): number {
    return this.advertCount;
  }

  /**
   * Loads noble, opens the adapter, waits until it is powered on and scanning runs. Rejects with a
   * NobleScanError (NOBLE_NOT_INSTALLED, NO_ADAPTER, ADAPTER_POWERED_OFF, PERMISSION_DENIED,
   * UNSUPPORTED, ADAPTER_TIMEOUT, ADAPTER_ERROR, INVALID_OPTIONS) and leaves nothing running.
   */
  start(onAdvert: (advert: Advert) => void): Promise<void> {
    if (this.driver !== null) return Promise.resolve();
    this.starting ??= this.open(onAdvert).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /**
   * Stops scanning, removes every listener, ends noble's device polling and closes its socket reads,
   * so the process can exit. Idempotent; waits for a start in progress first.
   */
  async stop(): Promise<void> {
    if (this.starting !== null) await this.starting.catch(() => undefined);
    const driver = this.driver;
    if (driver === null) return;
    this.driver = null;
    if (this.watchdog !== null) this.scheduler.clearInterval(this.watchdog);
    this.watchdog = null;
    await this.stopScanning(driver).catch((err: unknown) =>
      this.o.log.warn({ err: toNobleScanError(err, this.o.adapter) }, "scanning did not stop cleanly"),
    );
    driver.dispose();
    this.onAdvert = null;
    this.pendingExtended = null;
    this.fragments.clear();
    this.o.log.info(
      { adapter: this.o.adapter, adverts: this.advertCount, restarts: this.restartCount },
      "scan stopped",
    );
  }

  private async open(onAdvert: (advert: Advert) => void): Promise<void> {
    const { adapter, log } = this.o;
    const deviceId = deviceIdOf(adapter);
    if (!(this.o.watchdogMs > 0)) {
      throw nobleScanError("INVALID_OPTIONS", adapter, {
        detail: `watchdogMs must be positive, got ${this.o.watchdogMs}`,
      });
    }
    const timeoutMs = this.o.startTimeoutMs ?? 10_000;
    let modules: NobleModules;
    try {
      modules = await (this.o.loadNoble ?? loadNoble)();
    } catch (err) {
      throw toNobleScanError(err, adapter);
    }
    let driver: NobleDriver | null = null;
    try {
      driver = new NobleDriver(modules, deviceId);
      if (!this.o.active && !driver.scanPassively()) {
        log.warn({ adapter }, "passive scanning is not possible with this noble version; scanning actively");
      }
      driver.listen(driver.noble, "warning", (message: unknown) =>
        log.warn({ message: String(message) }, "noble warning"),
      );
      if (driver.hci !== null) {
        driver.listen(driver.hci, "leAdvertisingReport", this.onLegacyReport);
        driver.listen(driver.hci, "leExtendedAdvertisingReport", this.onExtendedReport);
      } else {
        log.warn(
          { adapter },
          "noble's HCI reports are out of reach; rebuilding adverts from its parsed advertisements",
        );
        driver.listen(driver.noble, "discover", this.onDiscover);
      }
      driver.init();
      await this.poweredOn(driver, timeoutMs);
      this.onAdvert = onAdvert;
      await this.startScanning(driver, timeoutMs);
    } catch (err) {
      this.onAdvert = null;
      // A scan start that timed out may still have reached the controller: switch it off, unanswered.
      if (driver?.initialised === true && driver.noble.state === "poweredOn") {
        try {
          driver.noble.stopScanning();
        } catch {
          // Best effort: the adapter is already failing.
        }
      }
      driver?.dispose();
      throw toNobleScanError(err, adapter);
    }
    driver.listen(driver.noble, "stateChange", this.onStateChange);
    driver.listen(driver.noble, "scanStop", this.onScanStop);
    this.driver = driver;
    this.paused = false;
    this.lastAdvertAt = this.o.clock.now();
    this.lastForgetAt = this.lastAdvertAt;
    const checkMs = Math.max(10, Math.min(1000, Math.floor(this.o.watchdogMs / 4)));
    this.watchdog = this.scheduler.setInterval(() => this.checkWatchdog(), checkMs);
    log.info(
      { adapter, active: this.o.active, watchdogMs: this.o.watchdogMs, rawReports: driver.hci !== null },
      "scan started",
    );
  }

  /** Resolves once noble reports poweredOn; rejects at once for a final state, or on timeout. */
  private async poweredOn(driver: NobleDriver, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let state = driver.noble.state;
    while (state !== "poweredOn") {
      const error = stateError(state, this.o.adapter);
      if (error !== null) throw error;
      const next = await nextEvent(driver.noble, "stateChange", deadline - Date.now());
      if (next === null) {
        throw nobleScanError("ADAPTER_TIMEOUT", this.o.adapter, {
          detail: `still "${state}" after ${timeoutMs} ms`,
        });
      }
      state = String(next[0]);
    }
  }

  private async startScanning(driver: NobleDriver, timeoutMs: number): Promise<void> {
    // startScanning throws when noble is not poweredOn; scanStart follows the controller's answer.
    const started = await nextEvent(driver.noble, "scanStart", timeoutMs, () =>
      driver.noble.startScanning([], true),
    );
    if (started === null) {
      throw nobleScanError("ADAPTER_TIMEOUT", this.o.adapter, {
        detail: `scanning did not start within ${timeoutMs} ms`,
      });
    }
  }

  private async stopScanning(driver: NobleDriver): Promise<void> {
    if (driver.noble.state !== "poweredOn") return;
    this.stopping = true;
    try {
      const stopped = await nextEvent(driver.noble, "scanStop", STOP_TIMEOUT_MS, () =>
        driver.noble.stopScanning(),
      );
      if (stopped === null)
        this.o.log.warn({ adapter: this.o.adapter }, "the adapter did not confirm that scanning stopped");
    } finally {
      this.stopping = false;
    }
  }

  private checkWatchdog(): void {
    const driver = this.driver;
    if (driver === null || this.restarting || this.paused) return;
    const now = this.o.clock.now();
    if (now - this.lastForgetAt >= FORGET_PERIPHERALS_EVERY_MS) {
      this.lastForgetAt = now;
      const forgotten = driver.forgetPeripherals();
      if (forgotten > 0) this.o.log.debug({ forgotten }, "noble peripheral caches emptied");
    }
    const silentMs = now - this.lastAdvertAt;
    if (silentMs < this.o.watchdogMs) return;
    this.restartCount++;
    this.o.log.warn(
      { adapter: this.o.adapter, silentMs, restarts: this.restartCount },
      "no adverts within the watchdog period, restarting scanning",
    );
    void this.restartScanning(driver);
  }

  /** Stops and starts scanning; never rejects (a failure is logged and retried by the watchdog). */
  private async restartScanning(driver: NobleDriver): Promise<void> {
    this.restarting = true;
    try {
      await this.stopScanning(driver);
      if (this.driver !== driver) return;
      await this.startScanning(driver, this.o.startTimeoutMs ?? 10_000);
      this.restartFailing = false;
    } catch (err) {
      this.restartFailing = true;
      this.o.log.error(
        { err: toNobleScanError(err, this.o.adapter) },
        "restarting scanning failed; the watchdog will try again",
      );
    } finally {
      this.restarting = false;
      this.lastAdvertAt = this.o.clock.now();
    }
  }

  private readonly onStateChange = (state: string): void => {
    const driver = this.driver;
    if (driver === null) return;
    if (state !== "poweredOn") {
      if (!this.paused)
        this.o.log.warn({ adapter: this.o.adapter, state }, "adapter is not powered on; scanning paused");
      this.paused = true;
      return;
    }
    if (!this.paused) return;
    this.paused = false;
    this.o.log.info({ adapter: this.o.adapter }, "adapter powered on again; resuming scanning");
    void this.restartScanning(driver);
  };

  private readonly onScanStop = (): void => {
    if (this.stopping || this.paused || this.driver === null) return;
    // gap.js reports an LE Set Scan Enable (disable) written by another program on the same adapter.
    this.o.log.warn(
      { adapter: this.o.adapter },
      "scanning was stopped by another program; the watchdog will restart it",
    );
  };

  private readonly onLegacyReport = (
    _status: number,
    _type: number,
    address: string,
    _addressType: string,
    data: Buffer,
    rssi: number,
  ): void => {
    this.deliver(address, rssi, data);
  };

  /**
   * noble hands each report of an LE Extended Advertising Report event everything from its Data to the
   * END OF THE EVENT (hci.js: `eir = data.slice(24)`), so all but the last report of a multi-report
   * event carry the following reports too. Reports of one event arrive synchronously, in order, as
   * views on one buffer: a report is held until the next one (or the end of the event, a microtask
   * later) shows where its data ends.
   */
  private readonly onExtendedReport = (
    _status: number,
    type: number,
    address: string,
    _addressType: string,
    _txPower: number,
    rssi: number,
    data: Buffer,
  ): void => {
    const previous = this.pendingExtended;
    if (previous !== null) {
      if (
        previous.data.buffer === data.buffer &&
        previous.data.byteOffset + previous.data.length === data.byteOffset + data.length &&
        data.byteOffset - EXTENDED_REPORT_HEADER >= previous.data.byteOffset
      ) {
        previous.data = previous.data.subarray(
          0,
          data.byteOffset - EXTENDED_REPORT_HEADER - previous.data.byteOffset,
        );
      }
      this.finishExtended(previous);
    } else {
      queueMicrotask(() => {
        const last = this.pendingExtended;
        this.pendingExtended = null;
        if (last !== null) this.finishExtended(last);
      });
    }
    this.pendingExtended = { type, address, rssi, data };
  };

  /**
   * Event_Type bits 5-6 are the data status (§7.7.65.13): 00 complete, 01 incomplete with more to
   * come, 10 truncated. Fragments of one advert are joined; a truncated advert is dropped.
   */
  private finishExtended(report: ExtendedReport): void {
    const status = (report.type >> 5) & 0b11;
    const earlier = this.fragments.get(report.address);
    if (status === 0b01) {
      if (earlier === undefined && this.fragments.size >= MAX_FRAGMENTED) this.fragments.clear();
      this.fragments.set(report.address, [...(earlier ?? []), report.data]);
      return;
    }
    this.fragments.delete(report.address);
    if (status !== 0b00) return;
    this.deliver(
      report.address,
      report.rssi,
      earlier === undefined ? report.data : Buffer.concat([...earlier, report.data]),
    );
  }

  /** Fallback only: noble's merged, parsed view of an address (see the class comment). */
  private readonly onDiscover = (peripheral: {
    address?: unknown;
    rssi?: unknown;
    advertisement?: NobleParsedAdvertisement;
  }): void => {
    if (typeof peripheral.address !== "string" || typeof peripheral.rssi !== "number") return;
    this.deliver(peripheral.address, peripheral.rssi, adStructuresFromNoble(peripheral.advertisement ?? {}));
  };

  private deliver(address: string, rssi: number, data: Uint8Array): void {
    const onAdvert = this.onAdvert;
    if (onAdvert === null || rssi === RSSI_NOT_AVAILABLE) return;
    const t = this.o.clock.now();
    this.lastAdvertAt = t;
    this.advertCount++;
    const advert: Advert = {
      t,
      addr: address.toLowerCase(),
      rssi,
      // A plain view, not noble's Buffer: consumers get the port's type and nothing more.
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
    try {
      onAdvert(advert);
    } catch (err) {
      // Caught here: noble's report loop would swallow it and drop the event's remaining reports.
      this.o.log.error({ err }, "advert handler failed");
    }
  }
}

interface ExtendedReport {
  readonly type: number;
  readonly address: string;
  readonly rssi: number;
  data: Buffer;
}

/** `hciN` → N. */
export function deviceIdOf(adapter: string): number {
  const match = /^hci(\d{1,3})$/.exec(adapter);
  if (match === null) {
    throw nobleScanError("INVALID_OPTIONS", adapter, {
      detail: `adapter must be hciN, got ${JSON.stringify(adapter)}`,
    });
  }
  return Number(match[1]);
}

/**
 * One noble instance on one adapter, and everything the source attached to it. Created per start(),
 * disposed by stop(): noble has no close of its own.
 */
class NobleDriver {
  readonly noble: NobleInternals;
  /** noble's Hci object, or null when this noble version hides it (then the `discover` fallback runs). */
  readonly hci: HciInternals | null;
  private readonly bindings: Record<string, unknown>;
  private readonly listeners: [EventEmitter, string, Listener][] = [];
  private exitListeners: Listener[] = [];
  private disposed = false;
  /** init() ran (reading noble's state before it would run noble's init). */
  initialised = false;

  constructor(modules: NobleModules, deviceId: number) {
    const { HciBindings, Noble } = modules;
    if (typeof HciBindings !== "function" || typeof Noble !== "function") {
      throw nobleScanError("NOBLE_NOT_INSTALLED", `hci${deviceId}`, {
        detail: "unexpected noble module layout",
      });
    }
    // Opens the HCI socket (throws EAFNOSUPPORT without kernel Bluetooth, "Unsupported platform" off Linux).
    this.bindings = new (HciBindings as new (options: { deviceId: number }) => Record<string, unknown>)({
      deviceId,
    });
    this.noble = new (Noble as new (bindings: unknown) => NobleInternals)(this.bindings);
    const hci = this.bindings._hci as Partial<HciInternals> | undefined;
    this.hci =
      typeof hci?.on === "function" &&
      typeof hci.removeListener === "function" &&
      typeof hci.setScanParameters === "function"
        ? (hci as HciInternals)
        : null;
    this.guardDevicePolling();
  }

  /**
   * Opens the adapter now, synchronously: reading `state` runs noble's init, so a failure to bind the
   * socket throws here with its errno (ENODEV, EPERM). noble's lazy init (on the first stateChange
   * listener) would run on the next tick and turn the same failure into a "warning" string.
   */
  init(): void {
    const exitListeners = new Set(process.listeners("exit"));
    this.initialised = true;
    void this.noble.state;
    // noble's bindings add a SIGINT handler that calls process.exit(1) when it is the last one, which
    // would cut the gateway's graceful shutdown short: signals belong to main.ts.
    const onSigInt = this.bindings.onSigIntBinded;
    if (typeof onSigInt === "function") process.removeListener("SIGINT", onSigInt as Listener);
    // They also add an 'exit' handler that disables scanning if the process ends mid-scan. Kept while
    // this driver runs, removed by dispose() (which disables scanning itself), so that start/stop
    // cycles do not pile handlers up on `process`.
    this.exitListeners = process.listeners("exit").filter((l) => !exitListeners.has(l));
  }

  /** Makes noble write passive LE Set Scan Parameters; false if this noble version does not allow it. */
  scanPassively(): boolean {
    const hci = this.hci;
    const socket = hci?._socket;
    const write = socket?.write;
    if (hci === null || socket === undefined || typeof write !== "function") return false;
    hci.setScanParameters = (interval = NOBLE_SCAN_INTERVAL_UNITS, window = NOBLE_SCAN_INTERVAL_UNITS) => {
      write.call(
        socket,
        leSetScanParametersCommand({
          active: false,
          intervalUnits: interval,
          windowUnits: window,
          extended: Boolean(hci._isExtended),
        }),
      );
    };
    return true;
  }

  listen(emitter: EventEmitter, event: string, listener: Listener): void {
    emitter.on(event, listener);
    this.listeners.push([emitter, event, listener]);
  }

  /**
   * Empties noble's per-address caches. noble keeps a Peripheral (and gap.js a discovery record) for
   * every address it ever heard and never forgets one; in a shop, phones rotate random addresses all
   * day, so a months-long scan grows without bound (noble/noble#636, abandonware/noble#109: 1.6 MB a
   * day on a Pi 4). The source never connects to peripherals, so nothing depends on these caches.
   * Returns how many peripherals were forgotten.
   */
  forgetPeripherals(): number {
    const noble = this.noble as unknown as Record<string, unknown>;
    const peripherals = noble._peripherals;
    const forgotten = isRecord(peripherals) ? Object.keys(peripherals).length : 0;
    for (const key of [
      "_peripherals",
      "_services",
      "_characteristics",
      "_descriptors",
      "_discoveredPeripheralUUids",
    ]) {
      if (isRecord(noble[key])) noble[key] = {};
    }
    for (const key of ["_addresses", "_addresseTypes", "_connectable", "scannable"]) {
      if (isRecord(this.bindings[key])) this.bindings[key] = {};
    }
    const gap = this.bindings._gap;
    if (isRecord(gap) && isRecord(gap._discoveries)) gap._discoveries = {};
    return forgotten;
  }

  /** Removes every listener, stops noble's device polling and the socket's reads. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const [emitter, event, listener] of this.listeners) emitter.removeListener(event, listener);
    this.listeners.length = 0;
    for (const listener of this.exitListeners) process.removeListener("exit", listener);
    this.exitListeners = [];
    // bluetooth-hci-socket: stop() ends the poll on the socket, which otherwise keeps the process alive.
    const socket = this.hci?._socket;
    if (typeof socket?.stop === "function") socket.stop();
  }

  /**
   * hci.js polls `isDevUp()` every second, forever, re-arming `setTimeout(this.pollIsDevUp.bind(this))`
   * from inside the poll. Wrapping the method on this instance (before init, so every re-arm goes
   * through the wrapper) lets dispose() end the loop within a second.
   */
  private guardDevicePolling(): void {
    const hci = this.hci;
    const poll = hci?.pollIsDevUp;
    if (hci === null || typeof poll !== "function") return;
    hci.pollIsDevUp = () => {
      if (!this.disposed) poll.call(hci);
    };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * The arguments of the next `event`, or null after `timeoutMs`. `trigger` runs once the listener is
 * in place; if it throws, the listener is removed and the promise rejects with its error.
 */
function nextEvent(
  emitter: EventEmitter,
  event: string,
  timeoutMs: number,
  trigger?: () => void,
): Promise<unknown[] | null> {
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      emitter.removeListener(event, listener);
    };
    const listener = (...args: unknown[]): void => {
      finish();
      resolve(args);
    };
    const timer = setTimeout(
      () => {
        finish();
        resolve(null);
      },
      Math.max(0, timeoutMs),
    );
    emitter.on(event, listener);
    try {
      trigger?.();
    } catch (err) {
      finish();
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** What {@link probeAdapterState} found: the adapter registered and up, or why it cannot scan. */
export type AdapterStateProbe =
  | { readonly ok: true; readonly state: "up" }
  | {
      readonly ok: false;
      readonly code: NobleScanErrorCode;
      readonly message: string;
      /** The kernel refused the Bluetooth socket itself (EAFNOSUPPORT): no Bluetooth in it, or in this network namespace. */
      readonly noKernelBluetooth?: true;
    };

/** The part of bluetooth-hci-socket's native socket the probe uses. */
interface HciControlSocket {
  bindControl(): void;
  getDeviceList(): { devId: number; devUp: boolean }[];
}

/**
 * noble's HCI transport (@abandonware/bluetooth-hci-socket), resolved from noble's own hci.js so
 * that it is the very module noble would use.
 */
export async function loadHciTransport(): Promise<unknown> {
  const fromHere = createRequire(import.meta.url);
  const hci = fromHere.resolve("@abandonware/noble/lib/hci-socket/hci.js");
  return createRequire(hci)("@abandonware/bluetooth-hci-socket") as unknown;
}

/**
 * Whether the adapter is registered and up, asked on an HCI control socket (HCIGETDEVLIST, as
 * `hciconfig` does). No command goes to the controller: opening the adapter through noble would
 * not do, because noble's start-up writes LE Set Scan Enable (disable) and would stop the scan of
 * a gateway running on the same adapter. Permission to scan is the capabilities check's part. For
 * `doctor`.
 */
export async function probeAdapterState(
  adapter: string,
  load: () => Promise<unknown> = loadHciTransport,
): Promise<AdapterStateProbe> {
  const failed = (error: NobleScanError): AdapterStateProbe & { ok: false } => ({ ok: false, code: error.code, message: error.message });
  try {
    const deviceId = deviceIdOf(adapter);
    const Transport = await load();
    if (typeof Transport !== "function") {
      return failed(nobleScanError("NOBLE_NOT_INSTALLED", adapter, { detail: "unexpected transport module" }));
    }
    const socket = new (Transport as new () => HciControlSocket)();
    socket.bindControl();
    const device = socket.getDeviceList().find((d) => d.devId === deviceId);
    if (device === undefined) return failed(nobleScanError("NO_ADAPTER", adapter, { detail: "not in the HCI device list" }));
    if (!device.devUp) return failed(nobleScanError("ADAPTER_POWERED_OFF", adapter));
    return { ok: true, state: "up" };
  } catch (err) {
    const failure = failed(toNobleScanError(err, adapter));
    return (err as { code?: unknown } | null)?.code === "EAFNOSUPPORT" ? { ...failure, noKernelBluetooth: true } : failure;
  }
}
