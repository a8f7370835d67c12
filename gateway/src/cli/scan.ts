import { NobleScanError } from "../adapters/noble/NobleScanError.js";
import { NobleScanSource } from "../adapters/noble/NobleScanSource.js";
import {
  type BeaconFormat,
  type DecodedBeacon,
  decodeAdvertisement,
  subjectOf,
} from "../domain/advert/index.js";
import type { Advert, Clock, Logger, ScanSource } from "../services/ports.js";

/** Help text for `arrival-gateway scan`. */
export const SCAN_USAGE = `Usage: arrival-gateway scan [--adapter hciN] [--active] [--duration SECONDS] [--json]

Scans with the Bluetooth adapter and shows the beacons it hears, refreshed every second: the
subject id (or, for frames without one, format@address), format, last and median RSSI, adverts per
second and how long ago each was last heard. For installers checking that a gateway hears the
store's beacons. Runs until interrupted, or for --duration seconds.

  --adapter hciN   Bluetooth adapter (default hci0)
  --active         Active scanning (default passive, as the gateway runs)
  --duration S     Stop after S seconds
  --json           One JSON object per beacon per second instead of the table

Exit codes: 0 scan done, 2 adapter problem (the message says how to fix it) or bad options.`;

export interface ScanOptions {
  /** Bluetooth adapter, `hciN`. */
  readonly adapter: string;
  readonly active: boolean;
  /** Stop after this many seconds; without it, scan until `deps.signal` aborts. */
  readonly durationS?: number;
  readonly format: "table" | "json";
}

export interface ScanDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly output: NodeJS.WritableStream;
  /** Where adapter problems are written; default `output` (as a JSON line in json format). */
  readonly errorOutput?: NodeJS.WritableStream;
  /** Ends the scan (main aborts it on SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** The radio; default a NobleScanSource on `options.adapter`. Tests inject a fake. */
  readonly source?: ScanSource;
  /** Refresh period, ms; default 1000. */
  readonly refreshMs?: number;
}

/** The config default of scanner.watchdogS, so `scan` restarts a stuck radio like the gateway does. */
const WATCHDOG_MS = 30_000;
/** Adverts per second are counted over this window (or since first heard, if sooner, at least 1 s). */
const RATE_WINDOW_MS = 5000;
/** The smoothed RSSI is the median of this many last readings. */
const MEDIAN_OF = 5;
/** A beacon not heard for this long leaves the display. */
const FORGET_AFTER_MS = 120_000;

/** One beacon as the display shows it. */
export interface BeaconRow {
  /** Subject id, or `format@address` for frames that identify nothing (Eddystone URL, TLM, eTLM). */
  readonly key: string;
  /** Subject id (protocol SUBJECT_ID_PATTERNS), null for frames that identify nothing. */
  readonly subject: string | null;
  readonly format: BeaconFormat;
  /** Last RSSI, dBm. */
  readonly rssi: number;
  /** Median of the last 5 RSSI readings, dBm. */
  readonly rssiMedian: number;
  /** Adverts per second over the last 5 s. */
  readonly ratePerS: number;
  /** Adverts since the scan started. */
  readonly adverts: number;
  /** Epoch ms. */
  readonly lastSeen: number;
  /** The last decoded frame. */
  readonly beacon: DecodedBeacon;
}

interface Track {
  readonly key: string;
  readonly subject: string | null;
  readonly firstSeen: number;
  lastSeen: number;
  adverts: number;
  readonly times: number[];
  readonly rssis: number[];
  beacon: DecodedBeacon;
}

/** What the scan heard, per beacon. Time is data: adverts carry theirs, snapshots take `now`. */
export class BeaconTally {
  private readonly tracks = new Map<string, Track>();
  private readonly times: number[] = [];
  private firstAdvert: number | null = null;
  /** Adverts heard, beacons or not. */
  adverts = 0;
  /** Adverts that decoded to no beacon (phones, other devices): proof the radio hears something. */
  notBeacons = 0;

  observe(advert: Advert): void {
    this.adverts++;
    this.firstAdvert ??= advert.t;
    this.times.push(advert.t);
    const beacon = decodeAdvertisement(advert.data);
    if (beacon === null) {
      this.notBeacons++;
      return;
    }
    const subject = subjectOf(beacon)?.id ?? null;
    const key = subject ?? `${beacon.format}@${advert.addr}`;
    let track = this.tracks.get(key);
    if (track === undefined) {
      track = {
        key,
        subject,
        firstSeen: advert.t,
        lastSeen: advert.t,
        adverts: 0,
        times: [],
        rssis: [],
        beacon,
      };
      this.tracks.set(key, track);
    }
    track.adverts++;
    track.lastSeen = Math.max(track.lastSeen, advert.t);
    track.beacon = beacon;
    track.times.push(advert.t);
    track.rssis.push(advert.rssi);
    if (track.rssis.length > MEDIAN_OF) track.rssis.shift();
  }

  /** Adverts per second of every kind, over the rate window. */
  totalRate(now: number): number {
    prune(this.times, now);
    return rate(this.times.length, this.firstAdvert, now);
  }

  /** Beacons heard in the last 2 minutes, sorted by key so rows stay in place between refreshes. */
  snapshot(now: number): BeaconRow[] {
    const rows: BeaconRow[] = [];
    for (const track of this.tracks.values()) {
      if (now - track.lastSeen > FORGET_AFTER_MS) {
        this.tracks.delete(track.key);
        continue;
      }
      prune(track.times, now);
      rows.push({
        key: track.key,
        subject: track.subject,
        format: track.beacon.format,
        rssi: track.rssis.at(-1) ?? 0,
        rssiMedian: median(track.rssis),
        ratePerS: rate(track.times.length, track.firstSeen, now),
        adverts: track.adverts,
        lastSeen: track.lastSeen,
        beacon: track.beacon,
      });
    }
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

function prune(times: number[], now: number): void {
  let stale = 0;
  while (stale < times.length && (times[stale] as number) <= now - RATE_WINDOW_MS) stale++;
  times.splice(0, stale);
}

function rate(count: number, since: number | null, now: number): number {
  if (since === null) return 0;
  const windowMs = Math.min(RATE_WINDOW_MS, Math.max(1000, now - since));
  return round1((count * 1000) / windowMs);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A short human note per frame: battery and temperature of TLM, the URL, calibrated power. */
export function beaconDetail(beacon: DecodedBeacon): string {
  switch (beacon.format) {
    case "ibeacon":
      return `${beacon.measuredPower} dBm at 1 m`;
    case "altbeacon":
      return `${beacon.referenceRssi} dBm at 1 m`;
    case "eddystone-uid":
    case "eddystone-eid":
      return `${beacon.txPower} dBm at 0 m`;
    case "eddystone-url":
      return beacon.url;
    case "eddystone-tlm":
      return `battery ${beacon.batteryMv ?? "?"} mV, ${beacon.temperatureC ?? "?"} °C, up ${Math.round(beacon.uptimeS)} s`;
    case "eddystone-etlm":
      return "encrypted telemetry";
  }
}

export interface FrameInfo {
  readonly adapter: string;
  readonly active: boolean;
  /** Epoch ms of this frame and of the scan's start. */
  readonly now: number;
  readonly startedAt: number;
  readonly adverts: number;
  readonly notBeacons: number;
  readonly ratePerS: number;
}

/** The table, one frame: a status line, a header, one row per beacon. */
export function renderTable(rows: readonly BeaconRow[], info: FrameInfo): string {
  const elapsedS = Math.max(0, Math.round((info.now - info.startedAt) / 1000));
  const status =
    `${info.adapter} ${info.active ? "active" : "passive"} scan, ${elapsedS} s: ${plural(rows.length, "beacon")}, ` +
    `${info.ratePerS.toFixed(1)} adverts/s, ${info.adverts} adverts (${info.notBeacons} not beacons)`;
  if (rows.length === 0) return `${status}\nno beacons heard yet\n`;
  const table = [
    ["SUBJECT", "FORMAT", "RSSI", "MEDIAN", "ADV/S", "LAST", "DETAIL"],
    ...rows.map((r) => [
      r.key,
      r.format,
      String(r.rssi),
      Number.isInteger(r.rssiMedian) ? String(r.rssiMedian) : r.rssiMedian.toFixed(1),
      r.ratePerS.toFixed(1),
      `${((info.now - r.lastSeen) / 1000).toFixed(1)}s`,
      beaconDetail(r.beacon),
    ]),
  ];
  const widths =
    table[0]?.map((_, column) => Math.max(...table.map((line) => line[column]?.length ?? 0))) ?? [];
  // Numbers right-aligned (columns 2-5), text left-aligned; the last column is not padded.
  const lines = table.map((line) =>
    line
      .map((cell, column) =>
        column === line.length - 1
          ? cell
          : column >= 2
            ? cell.padStart(widths[column] ?? 0)
            : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd(),
  );
  return `${status}\n${lines.join("\n")}\n`;
}

/** One JSON line of `--json`: the row, with times as ISO strings and how long ago it was heard. */
export function jsonLine(row: BeaconRow, now: number): string {
  return `${JSON.stringify({
    t: new Date(now).toISOString(),
    key: row.key,
    subject: row.subject,
    format: row.format,
    rssi: row.rssi,
    rssiMedian: row.rssiMedian,
    ratePerS: row.ratePerS,
    adverts: row.adverts,
    lastSeen: new Date(row.lastSeen).toISOString(),
    lastSeenAgoS: round1((now - row.lastSeen) / 1000),
    beacon: row.beacon,
  })}\n`;
}

/**
 * `arrival-gateway scan`: a live view of the beacons the adapter hears. Table mode redraws the table
 * every second (clearing the screen on a terminal, one frame after another otherwise); json mode
 * writes one line per beacon per second. Ends after `durationS`, or when `deps.signal` aborts, with a
 * last frame. Returns 0, or 2 for bad options and adapter problems (NobleScanError), after writing
 * the fix to `errorOutput`. Other errors reject. Stops early, with 0, if the output goes away
 * (`scan --json | head`).
 */
export async function runScan(options: ScanOptions, deps: ScanDeps): Promise<number> {
  const { output, clock } = deps;
  const problem = optionsProblem(options);
  if (problem !== null) {
    reportError(options, deps, "INVALID_OPTIONS", problem);
    return 2;
  }
  const source =
    deps.source ??
    new NobleScanSource({
      adapter: options.adapter,
      active: options.active,
      watchdogMs: WATCHDOG_MS,
      clock,
      log: deps.log,
    });
  if (deps.signal?.aborted === true) return 0;
  const tally = new BeaconTally();
  const startedAt = clock.now();
  try {
    await source.start((advert) => tally.observe(advert));
  } catch (err) {
    if (!(err instanceof NobleScanError)) throw err;
    reportError(options, deps, err.code, err.message);
    return 2;
  }

  const tty = (output as { isTTY?: boolean }).isTTY === true;
  const frame = (): void => {
    const now = clock.now();
    const rows = tally.snapshot(now);
    if (options.format === "json") {
      output.write(rows.map((row) => jsonLine(row, now)).join(""));
      return;
    }
    const table = renderTable(rows, {
      adapter: options.adapter,
      active: options.active,
      now,
      startedAt,
      adverts: tally.adverts,
      notBeacons: tally.notBeacons,
      ratePerS: tally.totalRate(now),
    });
    // On a terminal: cursor home and clear screen (ECMA-48 CUP, ED), so the table redraws in place.
    output.write(tty ? `\x1b[H\x1b[2J${table}` : `${table}\n`);
  };

  let outputError: Error | undefined;
  const onError = (err: Error): void => {
    outputError ??= err;
    stopWaiting();
  };
  let stopWaiting = (): void => undefined;
  output.on("error", onError);
  try {
    await new Promise<void>((resolve) => {
      let deadline: NodeJS.Timeout | undefined;
      const refresh = setInterval(frame, deps.refreshMs ?? 1000);
      stopWaiting = () => {
        clearInterval(refresh);
        if (deadline !== undefined) clearTimeout(deadline);
        deps.signal?.removeEventListener("abort", stopWaiting);
        resolve();
      };
      if (options.durationS !== undefined) deadline = setTimeout(stopWaiting, options.durationS * 1000);
      if (deps.signal?.aborted === true) stopWaiting();
      else deps.signal?.addEventListener("abort", stopWaiting, { once: true });
    });
    await source.stop().catch((err: unknown) => deps.log.warn({ err }, "the scan did not stop cleanly"));
    if (outputError === undefined) {
      frame();
      // Resolve once the last frame has been handed on (an empty write's callback follows it).
      await new Promise<void>((resolve) => output.write("", () => resolve()));
    }
  } finally {
    output.off("error", onError);
  }
  if (outputError !== undefined && !isGoneOutput(outputError)) throw outputError;
  return 0;
}

function optionsProblem(options: ScanOptions): string | null {
  if (!/^hci\d{1,3}$/.test(options.adapter)) {
    return `--adapter must be hciN (hci0, hci1, ...), got ${JSON.stringify(options.adapter)}`;
  }
  const d = options.durationS;
  // setTimeout fires at once beyond 2^31 - 1 ms (24.8 days).
  if (d !== undefined && !(Number.isFinite(d) && d > 0 && d <= 2_147_483)) {
    return `--duration must be a positive number of seconds up to 2147483, got ${d}`;
  }
  return null;
}

function reportError(options: ScanOptions, deps: ScanDeps, code: string, message: string): void {
  if (deps.errorOutput !== undefined) deps.errorOutput.write(`${message}\n`);
  else if (options.format === "json") deps.output.write(`${JSON.stringify({ error: code, message })}\n`);
  else deps.output.write(`${message}\n`);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The reader went away (EPIPE) or the stream was destroyed under us. */
function isGoneOutput(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}
