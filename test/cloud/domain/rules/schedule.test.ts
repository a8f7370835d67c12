import { describe, expect, it } from "vitest";
import {
  addDays,
  dayNumber,
  isValidTimeZone,
  localDayKey,
  localParts,
} from "../../../../cloud/src/domain/rules/localTime.js";
import type { Schedule } from "../../../../cloud/src/domain/rules/ruleSpec.js";
import { checkSchedule } from "../../../../cloud/src/domain/rules/schedule.js";

const utc = (iso: string) => Date.parse(iso);

describe("localDayKey", () => {
  it.each([
    // Hong Kong is UTC+8 all year: 16:00Z is already the next local day.
    ["2026-03-10T15:59:59Z", "Asia/Hong_Kong", "2026-03-10"],
    ["2026-03-10T16:00:00Z", "Asia/Hong_Kong", "2026-03-11"],
    // New York: EST (UTC-5) before 2026-03-08, EDT (UTC-4) after.
    ["2026-03-08T04:59:59Z", "America/New_York", "2026-03-07"],
    ["2026-03-08T05:00:00Z", "America/New_York", "2026-03-08"],
    ["2026-03-10T03:59:59Z", "America/New_York", "2026-03-09"],
    ["2026-03-10T04:00:00Z", "America/New_York", "2026-03-10"],
    ["2026-12-31T23:00:00Z", "UTC", "2026-12-31"],
    ["2026-12-31T23:00:00Z", "Europe/Berlin", "2027-01-01"],
  ])("%s in %s is %s", (iso, tz, expected) => {
    expect(localDayKey(utc(iso), tz)).toBe(expected);
  });
});

describe("localParts", () => {
  it.each([
    ["2026-03-10T02:00:00Z", "Asia/Hong_Kong", { dayKey: "2026-03-10", weekday: "tue", hour: 10, minute: 0 }],
    [
      "2026-03-08T06:59:00Z",
      "America/New_York",
      { dayKey: "2026-03-08", weekday: "sun", hour: 1, minute: 59 },
    ],
    // 02:00 EST does not exist on 2026-03-08: the clock jumps to 03:00 EDT.
    [
      "2026-03-08T07:00:00Z",
      "America/New_York",
      { dayKey: "2026-03-08", weekday: "sun", hour: 3, minute: 0 },
    ],
    [
      "2026-03-09T00:30:00Z",
      "America/New_York",
      { dayKey: "2026-03-08", weekday: "sun", hour: 20, minute: 30 },
    ],
    ["2026-03-09T16:00:00Z", "Asia/Hong_Kong", { dayKey: "2026-03-10", weekday: "tue", hour: 0, minute: 0 }],
  ])("%s in %s", (iso, tz, expected) => {
    const parts = localParts(utc(iso), tz);
    expect(parts).toEqual({ ...expected, minuteOfDay: expected.hour * 60 + expected.minute });
  });

  it("knows real zones and refuses invented ones", () => {
    expect(isValidTimeZone("Asia/Hong_Kong")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(() => localParts(0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });

  it("does civil-day arithmetic", () => {
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(dayNumber("2026-03-10") - dayNumber("2026-02-08")).toBe(30);
  });
});

const NY = "America/New_York";
const HK = "Asia/Hong_Kong";
const nineToTen: Schedule = { windows: [{ start: "09:00", end: "10:00" }] };
const lateFriday: Schedule = { days: ["fri"], windows: [{ start: "22:00", end: "02:00" }] };

describe("checkSchedule", () => {
  it.each<[string, Schedule | undefined, string, string, boolean]>([
    ["no schedule", undefined, "2026-03-10T02:00:00Z", HK, true],
    ["empty schedule", {}, "2026-03-10T02:00:00Z", HK, true],
    // Hong Kong, 09:00-10:00 local = 01:00Z-02:00Z.
    ["HK 08:59", nineToTen, "2026-03-10T00:59:00Z", HK, false],
    ["HK 09:00 (start inclusive)", nineToTen, "2026-03-10T01:00:00Z", HK, true],
    ["HK 09:59", nineToTen, "2026-03-10T01:59:00Z", HK, true],
    ["HK 10:00 (end exclusive)", nineToTen, "2026-03-10T02:00:00Z", HK, false],
    // New York, the day before the switch (EST, UTC-5): 09:00-10:00 local = 14:00Z-15:00Z.
    ["NY Sat 03-07 13:30Z = 08:30 EST", nineToTen, "2026-03-07T13:30:00Z", NY, false],
    ["NY Sat 03-07 14:30Z = 09:30 EST", nineToTen, "2026-03-07T14:30:00Z", NY, true],
    // The day of the switch and the day after (EDT, UTC-4): the same window is 13:00Z-14:00Z.
    ["NY Sun 03-08 13:30Z = 09:30 EDT", nineToTen, "2026-03-08T13:30:00Z", NY, true],
    ["NY Sun 03-08 14:30Z = 10:30 EDT", nineToTen, "2026-03-08T14:30:00Z", NY, false],
    ["NY Mon 03-09 13:30Z = 09:30 EDT", nineToTen, "2026-03-09T13:30:00Z", NY, true],
    ["NY Mon 03-09 14:30Z = 10:30 EDT", nineToTen, "2026-03-09T14:30:00Z", NY, false],
    // The same instant in two cities.
    ["14:30Z is 09:30 in NY (EST)", nineToTen, "2026-03-06T14:30:00Z", NY, true],
    ["14:30Z is 22:30 in HK", nineToTen, "2026-03-06T14:30:00Z", HK, false],
    // Windows crossing midnight belong to the day they open: Friday 22:00 to Saturday 02:00.
    ["Fri 21:59 HK", lateFriday, "2026-03-13T13:59:00Z", HK, false],
    ["Fri 22:00 HK", lateFriday, "2026-03-13T14:00:00Z", HK, true],
    ["Sat 00:00 HK", lateFriday, "2026-03-13T16:00:00Z", HK, true],
    ["Sat 01:59 HK", lateFriday, "2026-03-13T17:59:00Z", HK, true],
    ["Sat 02:00 HK", lateFriday, "2026-03-13T18:00:00Z", HK, false],
    ["Sat 23:00 HK (Saturday's own evening)", lateFriday, "2026-03-14T15:00:00Z", HK, false],
    ["Fri 01:00 HK (Thursday's night)", lateFriday, "2026-03-12T17:00:00Z", HK, false],
    // Days and date range.
    ["Tue, days mon-fri", { days: ["mon", "tue", "wed", "thu", "fri"] }, "2026-03-10T02:00:00Z", HK, true],
    ["Sun, days mon-fri", { days: ["mon", "tue", "wed", "thu", "fri"] }, "2026-03-08T02:00:00Z", HK, false],
    ["from day, local", { from: "2026-03-10" }, "2026-03-09T16:00:00Z", HK, true],
    ["day before from, local", { from: "2026-03-10" }, "2026-03-09T15:59:00Z", HK, false],
    ["until day, last minute", { until: "2026-03-10" }, "2026-03-10T15:59:00Z", HK, true],
    ["day after until", { until: "2026-03-10" }, "2026-03-10T16:00:00Z", HK, false],
    // After-midnight part of the until day's window still counts; a window opening after until does not.
    [
      "until Fri, Sat 01:00 in Friday's window",
      { until: "2026-03-13", windows: [{ start: "22:00", end: "02:00" }] },
      "2026-03-13T17:00:00Z",
      HK,
      true,
    ],
    [
      "from Sat, Sat 01:00 in Friday's window",
      { from: "2026-03-14", windows: [{ start: "22:00", end: "02:00" }] },
      "2026-03-13T17:00:00Z",
      HK,
      false,
    ],
    [
      "second of two windows",
      {
        windows: [
          { start: "09:00", end: "10:00" },
          { start: "17:00", end: "19:00" },
        ],
      },
      "2026-03-10T10:30:00Z",
      HK,
      true,
    ],
  ])("%s", (_name, schedule, iso, tz, expected) => {
    expect(checkSchedule(schedule, localParts(utc(iso), tz)).ok).toBe(expected);
  });

  it("explains what failed", () => {
    expect(checkSchedule(nineToTen, localParts(utc("2026-03-10T00:59:00Z"), HK))).toEqual({
      ok: false,
      text: "local time 08:59 is outside 09:00-10:00",
    });
    expect(checkSchedule({ days: ["mon"] }, localParts(utc("2026-03-10T02:00:00Z"), HK))).toEqual({
      ok: false,
      text: "tue 2026-03-10 is not one of mon",
    });
    expect(checkSchedule(lateFriday, localParts(utc("2026-03-14T15:00:00Z"), HK))).toEqual({
      ok: false,
      text: "sat 2026-03-14 is not one of fri",
    });
  });
});
