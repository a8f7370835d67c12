import { describe, expect, it } from "vitest";
import {
  NobleScanError,
  type NobleScanErrorCode,
  SETCAP_COMMAND,
  stateError,
  toNobleScanError,
} from "../../../../gateway/src/adapters/noble/NobleScanError.js";
import { errnoError } from "./FakeHciSocket.js";

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("toNobleScanError", () => {
  it.each<[string, unknown, NobleScanErrorCode]>([
    [
      "noble missing (ESM import)",
      coded("ERR_MODULE_NOT_FOUND", "Cannot find package '@abandonware/noble'"),
      "NOBLE_NOT_INSTALLED",
    ],
    [
      "transport missing (require in hci.js)",
      coded("MODULE_NOT_FOUND", "Cannot find module '@abandonware/bluetooth-hci-socket'"),
      "NOBLE_NOT_INSTALLED",
    ],
    [
      "native module built for another Node",
      coded("ERR_DLOPEN_FAILED", "was compiled against a different Node.js version"),
      "NOBLE_NOT_INSTALLED",
    ],
    ["EPERM from write", errnoError("EPERM", 1, "write", "Operation not permitted"), "PERMISSION_DENIED"],
    ["EACCES", errnoError("EACCES", 13, "bind", "Permission denied"), "PERMISSION_DENIED"],
    ["ENODEV from bind", errnoError("ENODEV", 19, "bind", "No such device"), "NO_ADAPTER"],
    [
      "EAFNOSUPPORT from socket",
      errnoError("EAFNOSUPPORT", 97, "socket", "Address family not supported by protocol"),
      "NO_ADAPTER",
    ],
    ["ENETDOWN from write", errnoError("ENETDOWN", 100, "write", "Network is down"), "ADAPTER_POWERED_OFF"],
    ["macOS: bluetooth-hci-socket/lib/unsupported.js", new Error("Unsupported platform"), "UNSUPPORTED"],
    ["anything else", new Error("uv_poll_start failed"), "ADAPTER_ERROR"],
    ["not even an Error", "boom", "ADAPTER_ERROR"],
  ])("%s -> %s", (_what, err, code) => {
    const mapped = toNobleScanError(err, "hci0");
    expect(mapped).toBeInstanceOf(NobleScanError);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(err);
    expect(mapped.name).toBe("NobleScanError");
  });

  it("passes NobleScanErrors through", () => {
    const err = new NobleScanError("ADAPTER_TIMEOUT", "slow");
    expect(toNobleScanError(err, "hci0")).toBe(err);
  });

  it("says what to do about permissions, with the exact setcap command", () => {
    const { message } = toNobleScanError(errnoError("EPERM", 1, "write", "Operation not permitted"), "hci1");
    expect(SETCAP_COMMAND).toBe(
      "sudo setcap cap_net_raw,cap_net_admin+eip $(eval readlink -f $(which node))",
    );
    expect(message).toBe(
      "Permission denied on Bluetooth adapter hci1 (EPERM from write): scanning through a raw HCI socket " +
        "needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities. Grant them to node with\n" +
        "  sudo setcap cap_net_raw,cap_net_admin+eip $(eval readlink -f $(which node))\n" +
        "or, under systemd, AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN.",
    );
  });
});

describe("stateError", () => {
  it.each<[string, NobleScanErrorCode | null]>([
    ["poweredOff", "ADAPTER_POWERED_OFF"],
    ["unauthorized", "PERMISSION_DENIED"],
    ["unsupported", "UNSUPPORTED"],
    ["unknown", null],
    ["resetting", null],
    ["poweredOn", null],
  ])("%s -> %s", (state, code) => {
    expect(stateError(state, "hci0")?.code ?? null).toBe(code);
  });
});
