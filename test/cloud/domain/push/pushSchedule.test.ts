import { describe, expect, it } from "vitest";
import { isQuietMinute, quietHoursEnd, retryDelayMs } from "../../../../cloud/src/domain/push/index.js";

const at = (iso: string) => Date.parse(iso);

describe("quiet hours", () => {
  it.each([
    [{ start: "22:00", end: "07:00" }, "21:59", false],
    [{ start: "22:00", end: "07:00" }, "22:00", true],
    [{ start: "22:00", end: "07:00" }, "03:00", true],
    [{ start: "22:00", end: "07:00" }, "07:00", false],
    [{ start: "12:00", end: "14:00" }, "13:59", true],
    [{ start: "12:00", end: "14:00" }, "14:00", false],
    [{ start: "12:00", end: "12:00" }, "12:00", false],
  ])("%j at %s: quiet %s", (window, hhmm, quiet) => {
    const [h, m] = hhmm.split(":").map(Number);
    expect(isQuietMinute((h ?? 0) * 60 + (m ?? 0), window)).toBe(quiet);
  });

  it("ends at the window's end in the store's timezone", () => {
    const window = { start: "22:00", end: "07:00" };
    // 23:30 in Tokyo (UTC+9) is 14:30 UTC; the quiet hours end at 07:00 Tokyo = 22:00 UTC.
    expect(quietHoursEnd(at("2026-12-07T14:30:20Z"), "Asia/Tokyo", window)).toBe(at("2026-12-07T22:00:00Z"));
    // The same instant is 14:30 in London: not quiet.
    expect(quietHoursEnd(at("2026-12-07T14:30:20Z"), "Europe/London", window)).toBeNull();
    expect(quietHoursEnd(at("2026-12-07T14:30:20Z"), "Asia/Tokyo", null)).toBeNull();
  });

  it("lands after the window across a daylight-saving switch", () => {
    // Berlin springs forward on 2026-03-29 at 02:00 → 03:00; quiet 01:00-02:30 local.
    const end = quietHoursEnd(at("2026-03-29T00:10:00Z"), "Europe/Berlin", { start: "01:00", end: "02:30" });
    expect(end).not.toBeNull();
    // 02:30 never occurs that night; the first quiet-free instant is 03:00 CEST = 01:00 UTC.
    expect(end).toBeGreaterThanOrEqual(at("2026-03-29T01:00:00Z"));
    expect(end).toBeLessThanOrEqual(at("2026-03-29T01:15:00Z"));
  });

  it("reads an unknown timezone as UTC", () => {
    expect(quietHoursEnd(at("2026-12-07T23:00:00Z"), "Mars/Olympus", { start: "22:00", end: "06:00" })).toBe(
      at("2026-12-08T06:00:00Z"),
    );
  });
});

describe("retry backoff", () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it("doubles per attempt up to the ceiling and spreads by the jitter", () => {
    expect([1, 2, 3, 4, 10].map((a) => retryDelayMs(a, policy, 0))).toEqual([1000, 2000, 4000, 8000, 60_000]);
    expect(retryDelayMs(2, policy, 1)).toBe(3000);
  });
  it("waits at least as long as the push service asked", () => {
    expect(retryDelayMs(1, policy, 0, 120_000)).toBe(120_000);
    expect(retryDelayMs(3, policy, 0, 10)).toBe(4000);
  });
});
