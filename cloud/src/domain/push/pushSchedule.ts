import { isValidTimeZone, localParts, minutesOf } from "../rules/localTime.js";

/** Quiet hours as local `HH:MM` times; `end` earlier than `start` spans midnight. */
export interface QuietWindow {
  readonly start: string;
  readonly end: string;
}

const MINUTE_MS = 60_000;
/** Every UTC offset and DST switch in use is a whole number of quarter hours. */
const QUARTER_HOUR_MS = 15 * MINUTE_MS;

/** True when the local minute of day falls inside the window (start inclusive, end exclusive). */
export function isQuietMinute(minuteOfDay: number, window: QuietWindow): boolean {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return false;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

/**
 * When the quiet hours around `now` end (epoch ms), or null when `now` is not in quiet hours. Local
 * time is the store's (`timeZone`, IANA); an unknown zone is read as UTC rather than never being
 * quiet. Across a DST switch the estimate from the wall clock can be off by the hour switched, so it
 * is corrected by quarter hours (the granularity of every switch) to the first one out of the window.
 */
export function quietHoursEnd(now: number, timeZone: string, window: QuietWindow | null): number | null {
  if (window === null) return null;
  const zone = isValidTimeZone(timeZone) ? timeZone : "UTC";
  const minuteOfDay = localParts(now, zone).minuteOfDay;
  if (!isQuietMinute(minuteOfDay, window)) return null;
  const remaining = (minutesOf(window.end) - minuteOfDay + 1440) % 1440;
  let end = Math.floor(now / MINUTE_MS) * MINUTE_MS + remaining * MINUTE_MS;
  const quietAt = (ms: number) => isQuietMinute(localParts(ms, zone).minuteOfDay, window);
  for (let i = 0; i < 8 && quietAt(end); i++) end += QUARTER_HOUR_MS;
  // Springing forward skips local time: the estimate then overshoots by the hour skipped.
  for (let i = 0; i < 8 && end - QUARTER_HOUR_MS > now && !quietAt(end - QUARTER_HOUR_MS); i++) end -= QUARTER_HOUR_MS;
  return end;
}

/** Retry timing of the push outbox: exponential from `baseMs`, at most `maxMs`. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failed ones (1 or more): `baseMs · 2^(attempt-1)`
 * capped at `maxMs`, stretched by `jitter` (0..1, up to +50 %) so a burst of failures does not retry in
 * lockstep. A push service's own Retry-After (RFC 8030 §8.4, RFC 9110 §10.2.3) wins when longer.
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, jitter: number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const spread = Math.round(exponential * (1 + Math.min(1, Math.max(0, jitter)) / 2));
  return Math.max(spread, retryAfterMs ?? 0);
}
