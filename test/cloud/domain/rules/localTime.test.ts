import { describe, expect, it } from "vitest";
import { localDayKey, startOfLocalDay } from "../../../../cloud/src/domain/rules/localTime.js";

describe("startOfLocalDay", () => {
  it.each([
    ["2026-03-10", "Asia/Hong_Kong", "2026-03-09T16:00:00.000Z"],
    ["2026-03-10", "UTC", "2026-03-10T00:00:00.000Z"],
    ["2026-03-10", "Asia/Kathmandu", "2026-03-09T18:15:00.000Z"],
    ["2026-03-10", "Pacific/Kiritimati", "2026-03-09T10:00:00.000Z"],
    ["2026-03-10", "Etc/GMT+12", "2026-03-10T12:00:00.000Z"],
    // DST: London switches on 2026-03-29 at 01:00 UTC; the day starts at +00:00, the next at +01:00.
    ["2026-03-29", "Europe/London", "2026-03-29T00:00:00.000Z"],
    ["2026-03-30", "Europe/London", "2026-03-29T23:00:00.000Z"],
    // New York: 2026-03-08 is 23 hours long, 2026-11-01 is 25 hours long.
    ["2026-03-08", "America/New_York", "2026-03-08T05:00:00.000Z"],
    ["2026-03-09", "America/New_York", "2026-03-09T04:00:00.000Z"],
    ["2026-11-02", "America/New_York", "2026-11-02T05:00:00.000Z"],
    // Santiago skips local midnight on 2026-09-06: the day starts at 01:00 local (04:00Z).
    ["2026-09-06", "America/Santiago", "2026-09-06T04:00:00.000Z"],
  ])("%s in %s starts at %s", (day, tz, iso) => {
    const start = startOfLocalDay(day, tz);
    expect(new Date(start).toISOString()).toBe(iso);
    expect(localDayKey(start, tz)).toBe(day);
    expect(localDayKey(start - 60_000, tz) < day).toBe(true);
  });
});
