/**
 * Why a Bluetooth scan could not run. Stable codes: the `scan` command maps every one of them to exit
 * code 2, and telemetry may count them.
 *
 * - `NOBLE_NOT_INSTALLED`: the optional dependency @abandonware/noble, its HCI socket transport
 *   @abandonware/bluetooth-hci-socket, or the transport's native module is missing or did not build.
 * - `NO_ADAPTER`: no such hciN (ENODEV), or no Bluetooth in this kernel / network namespace (EAFNOSUPPORT).
 * - `ADAPTER_POWERED_OFF`: the adapter exists but is down (`hciconfig hciN down`, rfkill).
 * - `PERMISSION_DENIED`: the kernel refused raw HCI access (EPERM/EACCES): CAP_NET_RAW/CAP_NET_ADMIN missing.
 * - `UNSUPPORTED`: the adapter is older than Bluetooth 4.0 (no LE), or the platform has no HCI sockets.
 * - `ADAPTER_TIMEOUT`: the adapter did not answer in time (held by another program, wedged firmware).
 * - `ADAPTER_ERROR`: any other failure of the adapter or driver; the original error is the `cause`.
 * - `INVALID_OPTIONS`: a programming or configuration error (adapter not `hciN`, watchdog not positive).
 */
export type NobleScanErrorCode =
  | "NOBLE_NOT_INSTALLED"
  | "NO_ADAPTER"
  | "ADAPTER_POWERED_OFF"
  | "PERMISSION_DENIED"
  | "UNSUPPORTED"
  | "ADAPTER_TIMEOUT"
  | "ADAPTER_ERROR"
  | "INVALID_OPTIONS";

/** The command that lets an unprivileged `node` open raw HCI sockets (quoted in PERMISSION_DENIED). */
export const SETCAP_COMMAND = "sudo setcap cap_net_raw,cap_net_admin+eip $(eval readlink -f $(which node))";

/** A scan failure with a stable code and a message that tells the installer what to do. */
export class NobleScanError extends Error {
  readonly code: NobleScanErrorCode;

  constructor(code: NobleScanErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NobleScanError";
    this.code = code;
  }
}

/** The message for each code; `detail` is the underlying error's code or message, when there is one. */
export function nobleScanError(
  code: NobleScanErrorCode,
  adapter: string,
  options: { detail?: string; cause?: unknown } = {},
): NobleScanError {
  const detail = options.detail === undefined ? "" : ` (${options.detail})`;
  const cause = options.cause === undefined ? undefined : { cause: options.cause };
  return new NobleScanError(code, messageFor(code, adapter, detail), cause);
}

function messageFor(code: NobleScanErrorCode, adapter: string, detail: string): string {
  switch (code) {
    case "NOBLE_NOT_INSTALLED":
      return (
        `The Bluetooth driver is not available${detail}: @abandonware/noble is an optional dependency ` +
        "and it, or its native HCI socket module @abandonware/bluetooth-hci-socket, is missing or did not " +
        "build. On the gateway install the build tools (sudo apt-get install build-essential python3 " +
        "libbluetooth-dev libudev-dev), then run `npm install --include=optional` or " +
        "`npm rebuild @abandonware/bluetooth-hci-socket`."
      );
    case "NO_ADAPTER":
      return detail.includes("EAFNOSUPPORT")
        ? `This system has no Bluetooth support${detail}: the kernel lacks it, or the gateway runs in a ` +
            "container with its own network namespace (Bluetooth sockets exist only in the host's: use " +
            "--network host)."
        : `No Bluetooth adapter ${adapter}${detail}. List the adapters with \`hciconfig -a\` or ` +
            "`ls /sys/class/bluetooth`, and set scanner.adapter to one of them.";
    case "ADAPTER_POWERED_OFF":
      return (
        `Bluetooth adapter ${adapter} is powered off${detail}. Bring it up with ` +
        `\`sudo hciconfig ${adapter} up\` or \`bluetoothctl power on\`; if it is blocked, ` +
        "`sudo rfkill unblock bluetooth`."
      );
    case "PERMISSION_DENIED":
      return (
        `Permission denied on Bluetooth adapter ${adapter}${detail}: scanning through a raw HCI socket ` +
        "needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities. Grant them to node with\n" +
        `  ${SETCAP_COMMAND}\n` +
        "or, under systemd, AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN."
      );
    case "UNSUPPORTED":
      return (
        `Bluetooth adapter ${adapter} cannot scan for beacons${detail}: it needs Bluetooth Low Energy ` +
        "(Bluetooth 4.0 or later) on Linux, through a raw HCI socket."
      );
    case "ADAPTER_TIMEOUT":
      return (
        `Bluetooth adapter ${adapter} did not answer in time${detail}. Another program may be using it; ` +
        `try \`sudo hciconfig ${adapter} reset\`, or unplug and replug a USB adapter.`
      );
    case "ADAPTER_ERROR":
      return `Bluetooth adapter ${adapter} failed${detail}.`;
    case "INVALID_OPTIONS":
      return `Invalid Bluetooth scan options${detail}.`;
  }
}

/**
 * Translates whatever loading or driving noble threw into a NobleScanError. Errors of the native
 * transport are Node errno exceptions: `code` is the errno name ("EPERM", "ENODEV"), `syscall` the
 * call that failed ("socket", "bind", "write").
 */
export function toNobleScanError(err: unknown, adapter: string): NobleScanError {
  if (err instanceof NobleScanError) return err;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const syscall = (err as { syscall?: unknown } | null)?.syscall;
  const detail =
    code === undefined ? message : typeof syscall === "string" ? `${code} from ${syscall}` : code;
  const options = { detail, cause: err };
  switch (code) {
    case "ERR_MODULE_NOT_FOUND":
    case "MODULE_NOT_FOUND":
    case "ERR_DLOPEN_FAILED":
      return nobleScanError("NOBLE_NOT_INSTALLED", adapter, { detail: message, cause: err });
    case "EPERM":
    case "EACCES":
      return nobleScanError("PERMISSION_DENIED", adapter, options);
    case "ENODEV":
    case "EAFNOSUPPORT":
      return nobleScanError("NO_ADAPTER", adapter, options);
    case "ENETDOWN":
      return nobleScanError("ADAPTER_POWERED_OFF", adapter, options);
    default:
      // bluetooth-hci-socket's lib/unsupported.js, loaded on platforms without HCI sockets (macOS).
      if (message === "Unsupported platform") return nobleScanError("UNSUPPORTED", adapter, options);
      return nobleScanError("ADAPTER_ERROR", adapter, options);
  }
}

/** The error for a noble adapter state other than poweredOn, or null for states that may still change. */
export function stateError(state: string, adapter: string): NobleScanError | null {
  switch (state) {
    case "poweredOff":
      return nobleScanError("ADAPTER_POWERED_OFF", adapter);
    case "unauthorized":
      // noble's hci.js reports an EPERM from the socket as this state.
      return nobleScanError("PERMISSION_DENIED", adapter, { detail: "EPERM" });
    case "unsupported":
      // noble's hci.js: Read Local Version answered an HCI version below 0x06 (Bluetooth 4.0).
      return nobleScanError("UNSUPPORTED", adapter, { detail: "HCI version below 4.0" });
    default:
      return null;
  }
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
