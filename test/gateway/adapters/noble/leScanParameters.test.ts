import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  leSetScanParametersCommand,
  NOBLE_SCAN_INTERVAL_UNITS,
} from "../../../../gateway/src/adapters/noble/leScanParameters.js";
import { FakeHciSocket, installFakeTransport } from "./FakeHciSocket.js";

installFakeTransport();

/** noble's own hci.js, over the fake transport: what it writes for setScanParameters(). */
function nobleWrites(extended: boolean, interval?: number, window?: number): string {
  const Hci = createRequire(import.meta.url)("@abandonware/noble/lib/hci-socket/hci.js") as new (options: {
    extended: boolean;
  }) => { setScanParameters(interval?: number, window?: number): void };
  const hci = new Hci({ extended });
  hci.setScanParameters(interval, window);
  return FakeHciSocket.last.written.at(-1)?.toString("hex") ?? "";
}

const units = { intervalUnits: NOBLE_SCAN_INTERVAL_UNITS, windowUnits: NOBLE_SCAN_INTERVAL_UNITS };

describe("leSetScanParametersCommand", () => {
  it("active, legacy: the exact bytes noble's hci.js writes", () => {
    const ours = leSetScanParametersCommand({ active: true, extended: false, ...units }).toString("hex");
    expect(ours).toBe("010b2007011200120000" + "00");
    expect(ours).toBe(nobleWrites(false));
  });

  it("active, extended (LE 1M + LE Coded): the exact bytes noble's hci.js writes", () => {
    const ours = leSetScanParametersCommand({ active: true, extended: true, ...units }).toString("hex");
    expect(ours).toBe("0141200d" + "000005" + "0112001200" + "0112001200");
    expect(ours).toBe(nobleWrites(true));
  });

  it("passive differs from noble's only in LE_Scan_Type", () => {
    expect(leSetScanParametersCommand({ active: false, extended: false, ...units }).toString("hex")).toBe(
      "010b2007001200120000" + "00",
    );
    expect(leSetScanParametersCommand({ active: false, extended: true, ...units }).toString("hex")).toBe(
      "0141200d" + "000005" + "0012001200" + "0012001200",
    );
  });

  it("writes interval and window little-endian, as noble does for its arguments", () => {
    // 1 s interval (1600 × 0.625 ms), 500 ms window.
    const ours = leSetScanParametersCommand({
      active: true,
      extended: false,
      intervalUnits: 0x0640,
      windowUnits: 0x0320,
    });
    expect(ours.toString("hex")).toBe("010b200701" + "4006" + "2003" + "0000");
    expect(ours.toString("hex")).toBe(nobleWrites(false, 0x0640, 0x0320));
  });
});
