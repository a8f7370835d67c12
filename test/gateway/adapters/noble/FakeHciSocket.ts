/**
 * A fake of @abandonware/bluetooth-hci-socket: the same interface as its lib/native.js (bindRaw,
 * bindUser, bindControl, setFilter, start, stop, write, isDevUp, getDeviceList, 'data' and 'error'
 * events) and a small controller behind it that answers every command noble writes with a Command
 * Complete event built byte for byte. Everything above the transport — noble's hci.js, gap.js,
 * bindings and core — is noble's own code.
 *
 * It is put in place through Node's CommonJS module cache, not vi.mock: noble is CommonJS loaded by
 * Node itself (vitest externalises node_modules), and vi.mock only reaches modules imported through
 * vitest's own loader, never a `require()` inside a dependency. (Tried: with vi.mock of
 * '@abandonware/bluetooth-hci-socket', noble's hci.js still constructs the real socket and fails with
 * EAFNOSUPPORT on this machine.) The cache entry replaces exactly the transport module and nothing else.
 */
import { EventEmitter } from "node:events";
import { createRequire, Module } from "node:module";
import { commandComplete, HCI_COMMAND_PKT, parseCommand, type WrittenCommand } from "./hciPackets.js";

/** An errno exception as Node's native addons throw them (node::ErrnoException via Nan). */
export function errnoError(
  code: string,
  errno: number,
  syscall: string,
  text: string,
): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}, ${text}`), { code, errno, syscall });
}

export const ERRORS = {
  /** socket(AF_BLUETOOTH) without Bluetooth in the kernel or network namespace (what this CI box does). */
  EAFNOSUPPORT: () => errnoError("EAFNOSUPPORT", 97, "socket", "Address family not supported by protocol"),
  /** bind() to an hciN that does not exist. */
  ENODEV: () => errnoError("ENODEV", 19, "bind", "No such device"),
  /** write() of a command without CAP_NET_RAW (the kernel's HCI security filter). */
  EPERM: () => errnoError("EPERM", 1, "write", "Operation not permitted"),
  /** write() while the adapter is down. */
  ENETDOWN: () => errnoError("ENETDOWN", 100, "write", "Network is down"),
};

export interface ControllerScenario {
  /** Thrown by the constructor, as socket(2) fails in the native constructor. */
  socketError?: () => Error;
  /** Thrown by bindRaw/bindUser. */
  bindError?: () => Error;
  /** Emitted synchronously as 'error' from every write, like the native emitErrnoError. */
  writeError?: () => Error;
  /** What isDevUp() answers (HCIGETDEVINFO's HCI_UP flag); can be flipped on a live socket. */
  devUp: boolean;
  /** HCI_Version of Read Local Version Information: 0x06 = Bluetooth 4.0, 0x09 = 5.0. */
  hciVersion: number;
  /** Never answer any command (a wedged controller). */
  silent?: boolean;
  /** Answer only this many commands, then go quiet (firmware that wedges mid-way). */
  answerOnly?: number;
  /** The controller's public address. */
  address: string;
  /** Status to answer a command with instead of its normal answer, by opcode (0x0C Command Disallowed...). */
  refuse?: Readonly<Record<number, number>>;
}

export function defaultScenario(): ControllerScenario {
  return { devUp: true, hciVersion: 0x09, address: "b8:27:eb:12:34:56" };
}

/** Scan state the controller keeps from the commands it accepted. */
export interface ScanState {
  enabled: boolean;
  filterDuplicates: boolean;
  /** LE_Scan_Type of the last LE Set Scan Parameters: 0 passive, 1 active. */
  scanType: number | null;
}

/** Legacy advertising state the controller keeps from the commands it accepted (§7.8.5-§7.8.9). */
export interface AdvertisingState {
  enabled: boolean;
  /** Parameters of the last accepted LE Set Advertising Parameters (15 octets). */
  parameters: Buffer | null;
  /** The significant part of the last accepted LE Set Advertising Data: what goes on air. */
  data: Buffer | null;
}

export class FakeHciSocket extends EventEmitter {
  /** The scenario the next constructed socket gets. */
  static scenario: ControllerScenario = defaultScenario();
  static readonly instances: FakeHciSocket[] = [];

  readonly scenario: ControllerScenario;
  /** Every packet noble wrote, in order. */
  readonly written: Buffer[] = [];
  readonly scan: ScanState = { enabled: false, filterDuplicates: false, scanType: null };
  readonly advertising: AdvertisingState = { enabled: false, parameters: null, data: null };
  devUp: boolean;
  boundDevId: number | null = null;
  filter: Buffer | null = null;
  reading = false;
  stopCalls = 0;
  private answered = 0;

  constructor() {
    super();
    this.scenario = { ...FakeHciSocket.scenario };
    if (this.scenario.socketError) throw this.scenario.socketError();
    this.devUp = this.scenario.devUp;
    FakeHciSocket.instances.push(this);
  }

  static get last(): FakeHciSocket {
    const socket = FakeHciSocket.instances.at(-1);
    if (socket === undefined) throw new Error("noble has not constructed an HCI socket");
    return socket;
  }

  static reset(scenario: Partial<ControllerScenario> = {}): void {
    FakeHciSocket.scenario = { ...defaultScenario(), ...scenario };
    FakeHciSocket.instances.length = 0;
  }

  bindRaw(devId?: number): number {
    return this.bind(devId);
  }

  bindUser(devId?: number): number {
    return this.bind(devId);
  }

  bindControl(): void {}

  isDevUp(): boolean {
    return this.devUp;
  }

  getDeviceList(): { devId: number; devUp: boolean }[] {
    return [{ devId: this.boundDevId ?? 0, devUp: this.devUp }];
  }

  setFilter(filter: Buffer): void {
    this.filter = Buffer.from(filter);
  }

  start(): void {
    this.reading = true;
  }

  stop(): void {
    this.reading = false;
    this.stopCalls++;
  }

  write(packet: Buffer): void {
    this.written.push(Buffer.from(packet));
    if (this.scenario.writeError) {
      this.emit("error", this.scenario.writeError());
      return;
    }
    if (!this.devUp) {
      this.emit("error", ERRORS.ENETDOWN());
      return;
    }
    const command = packet[0] === HCI_COMMAND_PKT ? parseCommand(packet) : null;
    if (command === null || this.scenario.silent === true) return;
    if (this.scenario.answerOnly !== undefined && this.answered >= this.scenario.answerOnly) return;
    this.answered++;
    this.send(commandComplete(command.opcode, this.answer(command)));
  }

  /** The commands noble wrote, parsed. */
  get commands(): WrittenCommand[] {
    return this.written.map(parseCommand).filter((c): c is WrittenCommand => c !== null);
  }

  /** Hands an event to noble as the kernel does: asynchronously, in order, only while reading. */
  send(event: Buffer): void {
    setImmediate(() => {
      if (this.reading) this.emit("data", event);
    });
  }

  /** An advertising report event heard on air: delivered only while the controller scans. */
  hear(event: Buffer): void {
    if (this.scan.enabled && this.devUp) this.send(event);
  }

  private bind(devId?: number): number {
    if (this.scenario.bindError) throw this.scenario.bindError();
    this.boundDevId = devId ?? 0;
    return this.boundDevId;
  }

  /** Return_Parameters of each command, Status (0x00 success) first. */
  private answer(command: WrittenCommand): number[] {
    const p = command.parameters;
    const refusal = this.scenario.refuse?.[command.opcode];
    if (refusal !== undefined) return [refusal];
    switch (command.opcode) {
      case 0x0c03: // Reset (§7.3.2)
        this.scan.enabled = false;
        this.advertising.enabled = false;
        return [0x00];
      case 0x2006: // LE Set Advertising Parameters (§7.8.5): 15 octets, only while advertising is off
        if (p.length !== 15) return [0x12]; // Invalid HCI Command Parameters
        if (this.advertising.enabled) return [0x0c];
        this.advertising.parameters = Buffer.from(p);
        return [0x00];
      case 0x2008: // LE Set Advertising Data (§7.8.7): length, then 31 octets
        if (p.length !== 32 || (p[0] ?? 32) > 31) return [0x12];
        this.advertising.data = Buffer.from(p.subarray(1, 1 + (p[0] ?? 0)));
        return [0x00];
      case 0x200a: // LE Set Advertising Enable (§7.8.9); a 4.x controller refuses a no-op change
        if (p.length !== 1 || (p[0] !== 0x00 && p[0] !== 0x01)) return [0x12];
        if ((p[0] === 0x01) === this.advertising.enabled && this.scenario.hciVersion < 0x09) return [0x0c];
        this.advertising.enabled = p[0] === 0x01;
        return [0x00];
      case 0x0c01: // Set Event Mask (§7.3.1)
      case 0x2001: // LE Set Event Mask (§7.8.1)
      case 0x0c6d: // Write LE Host Supported (§7.3.79)
      case 0x2031: // LE Set Default PHY (§7.8.48)
        return [0x00];
      case 0x0c6c: // Read LE Host Supported (§7.3.78): LE_Supported_Host, Unused
        return [0x00, 0x01, 0x00];
      case 0x1001: // Read Local Version Information (§7.4.1): HCI_Version, HCI_Subversion (2),
        // LMP_Version, Company_Identifier (2), LMP_Subversion (2). Plausible Broadcom values.
        return [0x00, this.scenario.hciVersion, 0x60, 0x01, this.scenario.hciVersion, 0x0f, 0x00, 0x0e, 0x22];
      case 0x1005: // Read Buffer Size (§7.4.5): ACL length (2), SCO length (1), ACL count (2), SCO count (2)
        return [0x00, 0xfd, 0x03, 0x40, 0x08, 0x00, 0x01, 0x00];
      case 0x1009: // Read BD_ADDR (§7.4.6)
        return [
          0x00,
          ...this.scenario.address
            .split(":")
            .reverse()
            .map((h) => Number.parseInt(h, 16)),
        ];
      case 0x2002: // LE Read Buffer Size [v1] (§7.8.2): LE_ACL_Data_Packet_Length (2), Total_Num (1)
        return [0x00, 0x1b, 0x00, 0x08];
      case 0x200b: // LE Set Scan Parameters (§7.8.10): LE_Scan_Type is the first parameter
      case 0x2041: // LE Set Extended Scan Parameters (§7.8.64): Scan_Type of the first PHY at octet 3
        if (this.scan.enabled) return [0x0c]; // Command Disallowed while scanning
        this.scan.scanType = (command.opcode === 0x200b ? p[0] : p[3]) ?? null;
        return [0x00];
      case 0x200c: // LE Set Scan Enable (§7.8.11): LE_Scan_Enable, Filter_Duplicates
      case 0x2042: // LE Set Extended Scan Enable (§7.8.65)
        this.scan.enabled = p[0] === 0x01;
        this.scan.filterDuplicates = p[1] === 0x01;
        return [0x00];
      default:
        return [0x01]; // Unknown HCI Command (Vol 1 Part F §1.3)
    }
  }
}

/**
 * Puts FakeHciSocket in Node's module cache as '@abandonware/bluetooth-hci-socket', resolved from
 * noble's hci.js exactly as its `require` will resolve it. Must run before noble is first loaded in
 * this process (vitest runs each test file in its own fork).
 */
export function installFakeTransport(): void {
  const require = createRequire(import.meta.url);
  const hciPath = require.resolve("@abandonware/noble/lib/hci-socket/hci.js");
  if (require.cache[hciPath] !== undefined)
    throw new Error("noble's hci.js was loaded before the fake transport");
  const transportPath = createRequire(hciPath).resolve("@abandonware/bluetooth-hci-socket");
  const fake = new Module(transportPath);
  fake.filename = transportPath;
  fake.loaded = true;
  fake.exports = FakeHciSocket;
  require.cache[transportPath] = fake;
}
