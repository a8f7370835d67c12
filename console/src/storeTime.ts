import { client, ok } from "./api.js";

/**
 * Times as the store lives them. Rules' windows and days, and the engine's "why not" texts, are in
 * each store's own timezone (cloud/src/domain/rules/evaluate.ts); the console shows every instant
 * the same way, with the timezone named, instead of in whatever zone the browser happens to be.
 */

let zones: Promise<ReadonlyMap<string, string>> | null = null;

/** Store id → IANA timezone, read once per sign-in from `GET /v1/stores`; empty when unreadable. */
export function storeZones(): Promise<ReadonlyMap<string, string>> {
  if (zones !== null) return zones;
  const request: Promise<ReadonlyMap<string, string>> = ok(client.GET("/v1/stores"))
    .then(({ stores }) => new Map(stores.map((s) => [s.id, s.timezone])))
    .catch(() => {
      // Try again on the next page, unless a sign-in since has already asked again.
      if (zones === request) zones = null;
      return new Map<string, string>();
    });
  zones = request;
  return request;
}

/** Forgets the stores (sign-out: the next key may belong to another organisation). */
export function forgetStoreZones(): void {
  zones = null;
}

/** The browser's own timezone, for instants that belong to no store (a rule's last update). */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const formats = new Map<string, Intl.DateTimeFormat>();

function parts(ms: number, timeZone: string): Record<string, string> {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formats.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
}

/** `2026-12-07 21:17:49 Asia/Hong_Kong`; an unknown zone falls back to UTC, named as such. */
export function fmtZoned(iso: string | null, timeZone: string | undefined): string {
  if (!iso) return "—";
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  const zone = timeZone ?? "UTC";
  try {
    const p = parts(ms, zone);
    return `${p["year"]}-${p["month"]}-${p["day"]} ${p["hour"]}:${p["minute"]}:${p["second"]} ${zone}`;
  } catch {
    return zone === "UTC" ? iso : fmtZoned(iso, "UTC");
  }
}

/** `21:17:49` in the zone, for lists whose heading names the zone once. */
export function fmtClock(iso: string, timeZone: string | undefined): string {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  try {
    const p = parts(ms, timeZone ?? "UTC");
    return `${p["hour"]}:${p["minute"]}:${p["second"]}`;
  } catch {
    return fmtClock(iso, "UTC");
  }
}

/** Milliseconds the zone's wall clock is ahead of UTC at `ms` (negative west of Greenwich). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const wall = Date.UTC(Number(p["year"]), Number(p["month"]) - 1, Number(p["day"]), Number(p["hour"]), Number(p["minute"]), Number(p["second"]));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * A `datetime-local` value (`2026-12-24T18:00`) read as the wall clock of `timeZone`, as an ISO
 * instant; null when it is not such a value or the zone is unknown. A wall time that a daylight
 * saving change skips is moved forward by the change, as a clock on the wall is.
 */
export function zonedInputToIso(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? "0"));
  try {
    // The offset at the guess, then at the instant it gives: right on both sides of a change.
    const first = wall - zoneOffsetMs(wall, timeZone);
    return new Date(wall - zoneOffsetMs(first, timeZone)).toISOString();
  } catch {
    return null;
  }
}

/** An instant as a `datetime-local` value on the wall clock of `timeZone` (`2026-12-24T18:00`). */
export function isoToZonedInput(iso: string, timeZone: string): string {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return "";
  try {
    const p = parts(ms, timeZone);
    return `${p["year"]}-${p["month"]}-${p["day"]}T${p["hour"]}:${p["minute"]}`;
  } catch {
    return "";
  }
}

/** Today's date (`YYYY-MM-DD`) in `timeZone` at `now` (epoch ms). */
export function dayIn(timeZone: string, now: number): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(now));
}
