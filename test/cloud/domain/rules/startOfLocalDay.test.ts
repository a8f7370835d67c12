import { describe, expect, it } from "vitest";
import { boundInstant, isCalendarDay, startOfLocalDay } from "../../../../cloud/src/domain/rules/index.js";

describe("startOfLocalDay", () => {
  it.each([
    ["2026-12-01", "Asia/Hong_Kong", "2026-11-30T16:00:00.000Z"],
    ["2026-12-01", "Europe/London", "2026-12-01T00:00:00.000Z"],
    // British Summer Time: midnight is 23:00 UTC the day before.
    ["2026-07-01", "Europe/London", "2026-06-30T23:00:00.000Z"],
    ["2026-12-01", "America/Los_Angeles", "2026-12-01T08:00:00.000Z"],
    // The extremes of the offsets in use: +14 h and −11 h.
    ["2026-12-01", "Pacific/Kiritimati", "2026-11-30T10:00:00.000Z"],
    ["2026-12-01", "Pacific/Pago_Pago", "2026-12-01T11:00:00.000Z"],
    // Brazil's 2018 daylight saving began at midnight: the day began at 01:00 local (UTC−2).
    ["2018-11-04", "America/Sao_Paulo", "2018-11-04T03:00:00.000Z"],
    ["2026-12-01", null, "2026-12-01T00:00:00.000Z"],
    ["2026-12-01", "Nowhere/Else", "2026-12-01T00:00:00.000Z"],
  ] as const)("%s in %s starts at %s", (day, zone, expected) => {
    expect(new Date(startOfLocalDay(day, zone)).toISOString()).toBe(expected);
  });

  it("leaves an instant as it is and starts a day where told", () => {
    expect(boundInstant({ instant: 1234 }, "Asia/Hong_Kong")).toBe(1234);
    expect(boundInstant({ day: "2026-12-01" }, "Asia/Hong_Kong")).toBe(Date.parse("2026-11-30T16:00:00Z"));
  });

  it.each([
    ["2026-12-01", true],
    ["2024-02-29", true],
    ["2026-02-29", false],
    ["2026-02-30", false],
    ["2026-13-01", false],
    ["2026-2-3", false],
    ["2026-12-01T00:00:00Z", false],
  ] as const)("%s is a calendar day: %s", (day, expected) => {
    expect(isCalendarDay(day)).toBe(expected);
  });
});
