import { type Advertiser, type Logger, type Scheduler, systemScheduler, type TimerHandle } from "../../services/ports.js";
import {
  COMMAND_NAMES,
  commandAnswerFilter,
  commandAnswerOf,
  LE_SET_ADVERTISING_ENABLE,
  leSetAdvertisingDataCommand,
  leSetAdvertisingEnableCommand,
  leSetAdvertisingParametersCommand,
  refusalHint,
  statusName,
} from "./hciAdvertising.js";
import { type NobleScanErrorCode, nobleScanError, toNobleScanError } from "./NobleScanError.js";
import { deviceIdOf, loadHciTransport } from "./NobleScanSource.js";

/** The controller answered an advertising command with a non-zero status. */
export class AdvertisingRefusedError extends Error {
  readonly code = "ADVERTISING_REFUSED";

  constructor(
    readonly command: string,
    readonly status: number,
    adapter: string,
  ) {
    super(`${adapter} refused ${command}: ${statusName(status)}; ${refusalHint(status)}`);
    this.name = "AdvertisingRefusedError";
  }
}

export interface HciAdvertiserOptions {
  /** Bluetooth adapter `hciN`: the one noble scans with (config `scanner.adapter`). */
  readonly adapter: string;
  readonly log: Logger;
  /** Timers of the command timeout; default the process's own. */
  readonly scheduler?: Scheduler;
  /** How long the controller may take to answer one command, ms. Default 2000. */
  readonly commandTimeoutMs?: number;
  /** Loads the HCI transport; default noble's own (@abandonware/bluetooth-hci-socket). */
  readonly loadTransport?: () => Promise<unknown>;
}

/** The part of bluetooth-hci-socket's native socket (lib/native.js) the advertiser uses. */
interface HciRawSocket {
  on(event: "data", listener: (data: Buffer) => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
  removeAllListeners(): unknown;
  bindRaw(devId: number): number;
  setFilter(filter: Buffer): void;
  start(): void;
  stop(): void;
  write(packet: Buffer): void;
}

interface Pending {
  readonly opcode: number;
  readonly resolve: (status: number) => void;
  readonly reject: (err: Error) => void;
  readonly timer: TimerHandle;
}

/**
 * Advertises through HCI commands on the adapter noble scans with, over noble's own transport
 * (@abandonware/bluetooth-hci-socket): a second raw HCI socket on the same adapter, so the scan's
 * socket and noble's state are left alone. A controller scans and advertises non-connectable
 * adverts at the same time (Vol 6 Part B §1.1.1 allows the combination; every LE controller we
 * know of supports it).
 *
 * Every `advertise` sends the whole legacy sequence and waits for each Command Complete:
 * LE Set Advertising Enable (off; its status is ignored, since a Bluetooth 4.x controller refuses
 * to disable what is not enabled), LE Set Advertising Parameters (ADV_NONCONN_IND, 100 ms, all
 * three channels: parameters may only change while advertising is off), LE Set Advertising Data
 * and LE Set Advertising Enable (on). Sending it all each time puts the advert back after anything
 * cleared the controller behind the gateway's back (a reset, the adapter powered off and on).
 *
 * Noble's own socket sees these commands' answers too (Linux hands events to every raw socket);
 * noble ignores answers to commands it does not send.
 */
export class HciAdvertiser implements Advertiser {
  private socket: HciRawSocket | null = null;
  private pending: Pending | null = null;
  private readonly scheduler: Scheduler;

  constructor(private readonly o: HciAdvertiserOptions) {
    this.scheduler = o.scheduler ?? systemScheduler;
  }

  async advertise(data: Uint8Array): Promise<void> {
    const dataCommand = leSetAdvertisingDataCommand(data);
    try {
      const socket = await this.open();
      await this.send(socket, leSetAdvertisingEnableCommand(false), { ignoreStatus: true });
      await this.send(socket, leSetAdvertisingParametersCommand());
      await this.send(socket, dataCommand);
      await this.send(socket, leSetAdvertisingEnableCommand(true));
    } catch (err) {
      // A socket that failed (adapter gone, down) is opened afresh by the next attempt.
      if (!(err instanceof AdvertisingRefusedError)) this.close();
      throw err;
    }
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    if (socket === null) return;
    try {
      await this.send(socket, leSetAdvertisingEnableCommand(false), { ignoreStatus: true });
    } catch (err) {
      this.o.log.warn({ err, adapter: this.o.adapter }, "advertising was not switched off");
    }
    this.close();
  }

  private async open(): Promise<HciRawSocket> {
    if (this.socket !== null) return this.socket;
    const { adapter } = this.o;
    try {
      const deviceId = deviceIdOf(adapter);
      const Transport = await (this.o.loadTransport ?? loadHciTransport)();
      if (typeof Transport !== "function") {
        throw nobleScanError("NOBLE_NOT_INSTALLED", adapter, { detail: "unexpected transport module" });
      }
      const socket = new (Transport as new () => HciRawSocket)();
      socket.on("data", (packet) => this.onData(packet));
      socket.on("error", (err) => this.onError(err));
      socket.bindRaw(deviceId);
      socket.setFilter(commandAnswerFilter());
      socket.start();
      this.socket = socket;
      return socket;
    } catch (err) {
      throw toNobleScanError(err, adapter);
    }
  }

  private close(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket === null) return;
    socket.removeAllListeners();
    try {
      socket.stop();
    } catch {
      // Closing a failed socket: nothing more to do.
    }
  }

  /** Writes one command and waits for its answer; rejects on a refusal (unless ignored), an error or a timeout. */
  private send(socket: HciRawSocket, packet: Buffer, options: { ignoreStatus?: boolean } = {}): Promise<void> {
    const opcode = packet.readUInt16LE(1);
    const name = COMMAND_NAMES[opcode] ?? `command 0x${opcode.toString(16)}`;
    const timeoutMs = this.o.commandTimeoutMs ?? 2000;
    return new Promise<number>((resolve, reject) => {
      const timer = this.scheduler.setTimeout(() => {
        if (this.pending?.timer !== timer) return;
        this.pending = null;
        reject(nobleScanError("ADAPTER_TIMEOUT", this.o.adapter, { detail: `no answer to ${name} within ${timeoutMs} ms` }));
      }, timeoutMs);
      this.pending = { opcode, resolve, reject, timer };
      // The native write reports a failure as an 'error' event (onError), or throws.
      try {
        socket.write(packet);
      } catch (err) {
        this.settle()?.reject(toNobleScanError(err, this.o.adapter));
      }
    }).then((status) => {
      if (status !== 0 && options.ignoreStatus !== true) throw new AdvertisingRefusedError(name, status, this.o.adapter);
      if (status !== 0 && opcode === LE_SET_ADVERTISING_ENABLE) {
        this.o.log.debug({ status: statusName(status) }, "advertising was not on");
      }
    });
  }

  /** Ends the pending command's wait and hands it back. */
  private settle(): Pending | null {
    const pending = this.pending;
    this.pending = null;
    if (pending !== null) this.scheduler.clearTimeout(pending.timer);
    return pending;
  }

  private onData(packet: Buffer): void {
    const answer = commandAnswerOf(packet);
    // Answers to other programs' commands (noble's) come through here too.
    if (answer === null || this.pending === null || answer.opcode !== this.pending.opcode) return;
    this.settle()?.resolve(answer.status);
  }

  private onError(err: Error): void {
    this.settle()?.reject(toNobleScanError(err, this.o.adapter));
  }
}

/** What {@link probeAdvertisingSocket} found. */
export type AdvertisingSocketProbe =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: NobleScanErrorCode; readonly message: string };

/**
 * Opens the socket the advertiser would use (noble's transport, a raw HCI socket bound to the
 * adapter, the advertiser's filter) and closes it, without writing a command: a gateway running
 * on the adapter is left undisturbed (even a read command's answer would reach its noble, which
 * acts on some, e.g. Read Local Supported Commands). For `doctor`.
 */
export async function probeAdvertisingSocket(
  adapter: string,
  load: () => Promise<unknown> = loadHciTransport,
): Promise<AdvertisingSocketProbe> {
  try {
    const deviceId = deviceIdOf(adapter);
    const Transport = await load();
    if (typeof Transport !== "function") {
      throw nobleScanError("NOBLE_NOT_INSTALLED", adapter, { detail: "unexpected transport module" });
    }
    const socket = new (Transport as new () => HciRawSocket)();
    try {
      socket.bindRaw(deviceId);
      socket.setFilter(commandAnswerFilter());
    } finally {
      socket.stop();
    }
    return { ok: true };
  } catch (err) {
    const error = toNobleScanError(err, adapter);
    return { ok: false, code: error.code, message: error.message };
  }
}
