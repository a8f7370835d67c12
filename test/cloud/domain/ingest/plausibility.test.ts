import { describe, expect, it } from "vitest";
import {
  checkPlausibility,
  DEFAULT_PLAUSIBILITY_LIMITS,
} from "../../../../cloud/src/domain/ingest/plausibility.js";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const ZONES = new Set(["z1", "till"]);
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const H = 3_600_000;

describe("checkPlausibility", () => {
  it.each([
    ["now", { zoneId: "z1", at: at(0) }, null],
    ["a late delivery inside the outbox's age", { zoneId: "z1", at: at(-7 * 24 * H) }, null],
    ["just inside the skew", { zoneId: "till", at: at(DEFAULT_PLAUSIBILITY_LIMITS.maxClockSkewMs) }, null],
    ["older than any outbox holds", { zoneId: "z1", at: at(-9 * 24 * H) }, "too-old"],
    ["the epoch", { zoneId: "z1", at: "1971-01-01T00:00:00Z" }, "too-old"],
    ["a year ahead", { zoneId: "z1", at: at(365 * 24 * H) }, "in-future"],
    ["just beyond the skew", { zoneId: "z1", at: at(DEFAULT_PLAUSIBILITY_LIMITS.maxClockSkewMs + 1) }, "in-future"],
    ["the end of time", { zoneId: "z1", at: "9999-12-31T23:59:59Z" }, "in-future"],
    ["not a time", { zoneId: "z1", at: "2026-13-45T99:99:99Z" }, "bad-time"],
    // The wire schema's date-time format admits a leap second; a JavaScript Date cannot hold one.
    ["a leap second", { zoneId: "z1", at: "2026-06-01T23:59:60Z" }, "bad-time"],
    ["a zone the store lacks", { zoneId: "elsewhere", at: at(0) }, "unknown-zone"],
  ] as const)("%s", (_name, event, reason) => {
    expect(checkPlausibility(event, ZONES, NOW)?.reason ?? null).toBe(reason);
  });

  it("takes its limits as input", () => {
    const limits = { maxEventAgeMs: H, maxClockSkewMs: 1000 };
    expect(checkPlausibility({ zoneId: "z1", at: at(-2 * H) }, ZONES, NOW, limits)?.reason).toBe("too-old");
    expect(checkPlausibility({ zoneId: "z1", at: at(2000) }, ZONES, NOW, limits)?.reason).toBe("in-future");
    expect(checkPlausibility({ zoneId: "z1", at: at(-H + 1) }, ZONES, NOW, limits)).toBeNull();
  });

  it("says why in words", () => {
    expect(checkPlausibility({ zoneId: "z1", at: at(365 * 24 * H) }, ZONES, NOW)?.text).toMatch(/ahead, limit 300 s/);
  });
});
