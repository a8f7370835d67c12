/**
 * doctor's adapter probe over the fake HCI transport (FakeHciSocket.ts, put in place of the module
 * noble loads): it asks for the device list on a control socket and never writes a command to the
 * controller, so a gateway scanning on the same adapter is not disturbed.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { probeAdapterState } from "../../../../gateway/src/adapters/noble/NobleScanSource.js";
import { ERRORS, FakeHciSocket, installFakeTransport } from "./FakeHciSocket.js";

installFakeTransport();

beforeEach(() => FakeHciSocket.reset());

describe("probeAdapterState", () => {
  it("reports an adapter that is up, through noble's own transport module, without a command to the controller", async () => {
    expect(await probeAdapterState("hci0")).toEqual({ ok: true, state: "up" });
    expect(FakeHciSocket.instances).toHaveLength(1);
    expect(FakeHciSocket.last.commands).toEqual([]);
    expect(FakeHciSocket.last.reading).toBe(false);
  });

  it.each([
    ["adapter down", "hci0", { devUp: false }, "ADAPTER_POWERED_OFF", "sudo hciconfig hci0 up"],
    ["no such hciN", "hci1", {}, "NO_ADAPTER", "No Bluetooth adapter hci1"],
    ["no Bluetooth in the kernel", "hci0", { socketError: ERRORS.EAFNOSUPPORT }, "NO_ADAPTER", "--network host"],
    ["not an adapter name", "bt0", {}, "INVALID_OPTIONS", "adapter must be hciN"],
  ] as const)("%s: %s", async (_name, adapter, scenario, code, hint) => {
    FakeHciSocket.reset(scenario);
    const result = await probeAdapterState(adapter);
    expect(result).toMatchObject({ ok: false, code, message: expect.stringContaining(hint) });
  });

  it("noble's transport missing: NOBLE_NOT_INSTALLED with how to install it", async () => {
    const result = await probeAdapterState("hci0", () =>
      Promise.reject(Object.assign(new Error("Cannot find module '@abandonware/bluetooth-hci-socket'"), { code: "MODULE_NOT_FOUND" })),
    );
    expect(result).toMatchObject({ ok: false, code: "NOBLE_NOT_INSTALLED", message: expect.stringContaining("npm") });
  });
});
