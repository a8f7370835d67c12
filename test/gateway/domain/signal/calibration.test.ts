import { describe, expect, it } from "vitest";
import {
  calibrateRssi,
  DEFAULT_MEASURED_POWER_DBM,
  resolveMeasuredPowerDbm,
} from "../../../../gateway/src/domain/signal/calibration.js";

describe("calibrateRssi", () => {
  it.each([
    { raw: -70, offset: 0, expected: -70 },
    { raw: -70, offset: 4, expected: -66 },
    { raw: -70, offset: -3.5, expected: -73.5 },
    { raw: -120, offset: 0, expected: -110 }, // implausibly weak: clamped
    { raw: -108, offset: -5, expected: -110 }, // clamped after the offset
    { raw: 5, offset: 0, expected: 0 }, // implausibly strong: clamped
    { raw: -2, offset: 6, expected: 0 },
    { raw: 127, offset: 0, expected: null }, // HCI "RSSI not available"
    { raw: 21, offset: 0, expected: null }, // outside the HCI range
    { raw: -128, offset: 0, expected: null },
    { raw: Number.NaN, offset: 0, expected: null },
    { raw: -70, offset: Number.NaN, expected: -70 }, // a broken offset is ignored, not propagated
  ])("raw $raw dBm with offset $offset dB -> $expected", ({ raw, offset, expected }) => {
    expect(calibrateRssi(raw, offset)).toBe(expected);
  });
});

describe("resolveMeasuredPowerDbm", () => {
  it.each([
    { name: "calibration wins", calibrated: -62, advertised: -55, fallback: -60, expected: -62 },
    {
      name: "then the advertised value",
      calibrated: undefined,
      advertised: -55,
      fallback: -60,
      expected: -55,
    },
    {
      name: "then the configured default",
      calibrated: undefined,
      advertised: null,
      fallback: -60,
      expected: -60,
    },
    {
      name: "then -59",
      calibrated: undefined,
      advertised: null,
      fallback: undefined,
      expected: DEFAULT_MEASURED_POWER_DBM,
    },
    {
      name: "an implausible advertised 0 is skipped",
      calibrated: undefined,
      advertised: 0,
      fallback: -61,
      expected: -61,
    },
    {
      name: "an implausible -127 is skipped",
      calibrated: undefined,
      advertised: -127,
      fallback: undefined,
      expected: -59,
    },
  ])("$name", ({ calibrated, advertised, fallback, expected }) => {
    expect(resolveMeasuredPowerDbm(calibrated, advertised, fallback)).toBe(expected);
  });
});
