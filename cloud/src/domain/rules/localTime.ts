import { WEEKDAYS, type Weekday } from "./ruleSpec.js";

/**
 * Wall-clock parts of an instant in an IANA timezone, via `Intl.DateTimeFormat` (the tz database
 * shipped with Node's ICU), so DST changes are the database's business, not ours: 09:00 is 09:00
 * local on both sides of a switch, and a local time skipped by the switch simply never occurs.
 */
export interface LocalParts {
  /** Local calendar day, `YYYY-MM-DD`. */
  readonly dayKey: string;
  readonly weekday: Weekday;
  readonly hour: number;
  readonly minute: number;
  /** Minutes since local midnight, 0..1439. */
  readonly minuteOfDay: number;
}

const WEEKDAY_BY_SHORT: Readonly<Record<string, Weekday>> = {
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
  Sun: "sun",
};

/**
 * Formatters are costly to build and immutable, so one per timezone is kept; the cache is a
 * memo of a pure function and does not change any result.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Largest distance from the epoch a JavaScript Date can hold, ms (ECMA-262 21.4.1.1: 100 000 000
 * days either side). Beyond it `toISOString` and `Intl` throw a RangeError.
 */
export const MAX_INSTANT_MS = 8.64e15;

/** True when `ms` is an instant a Date can hold (finite and within ±`MAX_INSTANT_MS`). */
export function isValidInstant(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_INSTANT_MS;
}

/**
 * `ms` as ISO-8601, clipped to the range a Date can hold (NaN as the epoch). For readers of rows
 * stored before ingest bounded times: one absurd row must show as absurd, not fail the whole answer.
 */
export function isoInstant(ms: number): string {
  const clipped = Number.isNaN(ms) ? 0 : Math.max(-MAX_INSTANT_MS, Math.min(MAX_INSTANT_MS, ms));
  return new Date(clipped).toISOString();
}

/** True when `timeZone` is an IANA name the runtime knows (e.g. `Asia/Hong_Kong`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The last answer per timezone: a group of events is decided at one instant, so the same question
 * comes once per event, and `formatToParts` is the costliest step of an evaluation. A memo of a pure
 * function, like `formatters`; it changes no result.
 */
const lastParts = new Map<string, { readonly ms: number; readonly parts: LocalParts }>();

/** Local parts of `ms` (epoch milliseconds) in `timeZone`; throws RangeError for an unknown zone. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const last = lastParts.get(timeZone);
  if (last !== undefined && last.ms === ms) return last.parts;
  const parts = computeLocalParts(ms, timeZone);
  lastParts.set(timeZone, { ms, parts });
  return parts;
}

function computeLocalParts(ms: number, timeZone: string): LocalParts {
  let year = "";
  let month = "";
  let day = "";
  let hour = 0;
  let minute = 0;
  let weekday: Weekday = "mon";
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    switch (part.type) {
      case "year":
        year = part.value.padStart(4, "0");
        break;
      case "month":
        month = part.value;
        break;
      case "day":
        day = part.value;
        break;
      case "hour":
        hour = Number(part.value) % 24;
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "weekday":
        weekday = WEEKDAY_BY_SHORT[part.value] ?? weekday;
        break;
      default:
        break;
    }
  }
  return { dayKey: `${year}-${month}-${day}`, weekday, hour, minute, minuteOfDay: hour * 60 + minute };
}

/** The local calendar day of `ms` in `timeZone`, `YYYY-MM-DD`: the "day" of daily caps. */
export function localDayKey(ms: number, timeZone: string): string {
  return localParts(ms, timeZone).dayKey;
}

/**
 * A store's local calendar day of `ms`, for counts and reports. A timezone the runtime does not
 * know (or a store that is gone: null) falls back to the UTC day: a count must land on some day,
 * and the rules engine's answer to an unknown timezone (issue nothing) has no equivalent for one.
 */
export function storeDayKey(ms: number, timeZone: string | null): string {
  return localDayKey(ms, timeZone !== null && isValidTimeZone(timeZone) ? timeZone : "UTC");
}

/**
 * One end of a period as a client gives it: an instant (epoch ms), or a calendar day
 * (`YYYY-MM-DD`) that means the first instant of that day in the timezone the reader is about.
 */
export type TimeBound = { readonly instant: number } | { readonly day: string };

/**
 * The first instant of calendar day `day` (`YYYY-MM-DD`) in `timeZone`: its local midnight, or the
 * end of a daylight-saving gap that skips midnight. A null or unknown timezone means UTC, as for
 * `storeDayKey`. Found by bisection over the minutes around the UTC midnight (every offset in use
 * lies within −12 h … +14 h), since `Intl` converts instants to wall time but not back.
 */
export function startOfLocalDay(day: string, timeZone: string | null): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const zone = timeZone !== null && isValidTimeZone(timeZone) ? timeZone : "UTC";
  if (zone === "UTC" || !isValidInstant(utcMidnight)) return utcMidnight;
  let lo = utcMidnight / 60_000 - 15 * 60;
  let hi = utcMidnight / 60_000 + 13 * 60;
  // Invariant: the local day at `lo` is before `day`, at `hi` it is `day` or later.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDayKey(mid * 60_000, zone) < day) lo = mid;
    else hi = mid;
  }
  return hi * 60_000;
}

/** True when `day` is `YYYY-MM-DD` and names a day of the calendar (not 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === day;
}

/** A bound as an instant: a day starts at its local midnight in `timeZone` (UTC when null). */
export function boundInstant(bound: TimeBound, timeZone: string | null): number {
  return "day" in bound ? startOfLocalDay(bound.day, timeZone) : bound.instant;
}

/**
 * Width of the time buckets a database counts in before each bucket is put on a local day. Every
 * UTC offset in use (and every daylight-saving switch) is a whole number of quarter hours, so a
 * quarter-hour bucket aligned on the epoch never straddles a local midnight: naming each bucket's
 * day gives the same days as naming every row's.
 */
export const DAY_SAFE_BUCKET_MS = 15 * 60_000;

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` key (civil calendar arithmetic, no timezone). */
export function dayNumber(dayKey: string): number {
  const [y, m, d] = dayKey.split("-").map(Number);
  return Math.floor(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / MS_PER_DAY);
}

/** The `YYYY-MM-DD` key `offset` days after `dayKey`. */
export function addDays(dayKey: string, offset: number): string {
  return new Date((dayNumber(dayKey) + offset) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The weekday before `weekday`. */
export function previousWeekday(weekday: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7] ?? weekday;
}

/** `HH:MM` to minutes since midnight. */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Minutes since midnight to `HH:MM`. */
export function formatMinutes(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}
