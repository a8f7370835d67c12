/**
 * The HCI commands of legacy advertising, byte for byte (Bluetooth Core Specification v5.4, Vol 4
 * Part E). A command packet on a Linux HCI socket is the packet indicator 0x01 (Vol 4 Part A §2),
 * the opcode (OGF << 10 | OCF, little-endian), the parameter total length and the parameters
 * (§5.4.1). Multi-octet parameters are little-endian.
 */

export const HCI_COMMAND_PKT = 0x01;
export const HCI_EVENT_PKT = 0x04;
/** Command Complete (§7.7.14) and Command Status (§7.7.15) event codes. */
export const EVT_COMMAND_COMPLETE = 0x0e;
export const EVT_COMMAND_STATUS = 0x0f;

const OGF_LE = 0x08;
/** LE Set Advertising Parameters (§7.8.5). */
export const LE_SET_ADVERTISING_PARAMETERS = (OGF_LE << 10) | 0x0006;
/** LE Set Advertising Data (§7.8.7). */
export const LE_SET_ADVERTISING_DATA = (OGF_LE << 10) | 0x0008;
/** LE Set Advertising Enable (§7.8.9). */
export const LE_SET_ADVERTISING_ENABLE = (OGF_LE << 10) | 0x000a;

export const COMMAND_NAMES: Readonly<Record<number, string>> = {
  [LE_SET_ADVERTISING_PARAMETERS]: "LE Set Advertising Parameters",
  [LE_SET_ADVERTISING_DATA]: "LE Set Advertising Data",
  [LE_SET_ADVERTISING_ENABLE]: "LE Set Advertising Enable",
};

/** Legacy advertising data is at most 31 octets (§7.8.7). */
export const MAX_ADVERTISING_DATA = 31;
/** Advertising_Type ADV_NONCONN_IND: non-connectable, not scannable, undirected (§7.8.5). */
export const ADV_NONCONN_IND = 0x03;
/**
 * Advertising interval, in units of 0.625 ms: 0x00A0 = 100 ms, the shortest a non-connectable
 * advert may use before Bluetooth 5.0 (§7.8.5) and what iBeacon deployments use (Apple's Proximity
 * Beacon Specification recommends 100 ms), so a phone hears it within its short scan windows.
 */
export const ADVERTISING_INTERVAL_UNITS = 0x00a0;
/** Advertising_Channel_Map: channels 37, 38 and 39. */
export const ALL_CHANNELS = 0x07;

function command(opcode: number, parameters: readonly number[]): Buffer {
  return Buffer.from([HCI_COMMAND_PKT, opcode & 0xff, opcode >> 8, parameters.length, ...parameters]);
}

/**
 * LE Set Advertising Parameters: Advertising_Interval_Min and _Max (2 each), Advertising_Type,
 * Own_Address_Type (0x00 public: the controller's own address), Peer_Address_Type and
 * Peer_Address (unused by undirected adverts: zeros), Advertising_Channel_Map and
 * Advertising_Filter_Policy (0x00: no filter). 15 octets.
 */
export function leSetAdvertisingParametersCommand(intervalUnits = ADVERTISING_INTERVAL_UNITS): Buffer {
  return command(LE_SET_ADVERTISING_PARAMETERS, [
    intervalUnits & 0xff,
    intervalUnits >> 8,
    intervalUnits & 0xff,
    intervalUnits >> 8,
    ADV_NONCONN_IND,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    ALL_CHANNELS,
    0x00,
  ]);
}

/**
 * LE Set Advertising Data: Advertising_Data_Length, then Advertising_Data, always 31 octets (the
 * significant part first, zeros after it), as the command's fixed size requires. 32 octets.
 */
export function leSetAdvertisingDataCommand(data: Uint8Array): Buffer {
  if (data.length > MAX_ADVERTISING_DATA) {
    throw new RangeError(`legacy advertising data is at most ${MAX_ADVERTISING_DATA} octets, got ${data.length}`);
  }
  const padded = new Array<number>(MAX_ADVERTISING_DATA).fill(0);
  data.forEach((b, i) => {
    padded[i] = b;
  });
  return command(LE_SET_ADVERTISING_DATA, [data.length, ...padded]);
}

/** LE Set Advertising Enable: Advertising_Enable 0x01 on, 0x00 off. */
export function leSetAdvertisingEnableCommand(enable: boolean): Buffer {
  return command(LE_SET_ADVERTISING_ENABLE, [enable ? 0x01 : 0x00]);
}

/** The answer to a command: Command Complete's (or a failing Command Status's) status. */
export interface CommandAnswer {
  readonly opcode: number;
  readonly status: number;
}

/**
 * The answer an HCI event packet carries, or null for any other packet. Command Complete
 * (§7.7.14): Num_HCI_Command_Packets, Command_Opcode (2), Return_Parameters whose first octet is
 * the Status of every command here. Command Status (§7.7.15): Status, Num_HCI_Command_Packets,
 * Command_Opcode (2); a controller answers with it when it refuses a command it does not know.
 */
export function commandAnswerOf(packet: Buffer): CommandAnswer | null {
  if (packet.length < 3 || packet[0] !== HCI_EVENT_PKT) return null;
  const length = packet[2] ?? 0;
  if (packet.length < 3 + length) return null;
  if (packet[1] === EVT_COMMAND_COMPLETE && length >= 4) {
    return { opcode: packet.readUInt16LE(4), status: packet[6] ?? 0 };
  }
  if (packet[1] === EVT_COMMAND_STATUS && length >= 4) {
    return { opcode: packet.readUInt16LE(5), status: packet[3] ?? 0 };
  }
  return null;
}

/**
 * The socket filter (struct hci_filter of Linux's hci_sock.h): type mask (4), event mask (8),
 * opcode (2, 0 = any). Only event packets, and of them Command Complete and Command Status.
 */
export function commandAnswerFilter(): Buffer {
  const filter = Buffer.alloc(14);
  filter.writeUInt32LE(1 << HCI_EVENT_PKT, 0);
  filter.writeUInt32LE((1 << EVT_COMMAND_COMPLETE) | (1 << EVT_COMMAND_STATUS), 4);
  filter.writeUInt32LE(0, 8);
  filter.writeUInt16LE(0, 12);
  return filter;
}

/** Names of the HCI error codes a controller answers advertising commands with (Vol 1 Part F §1.3). */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  0x01: "Unknown HCI Command",
  0x07: "Memory Capacity Exceeded",
  0x0c: "Command Disallowed",
  0x11: "Unsupported Feature or Parameter Value",
  0x12: "Invalid HCI Command Parameters",
  0x1f: "Unspecified Error",
  0x3a: "Controller Busy",
};

/** `Command Disallowed (0x0C)`. */
export function statusName(status: number): string {
  const hex = `0x${status.toString(16).toUpperCase().padStart(2, "0")}`;
  return `${STATUS_NAMES[status] ?? "error"} (${hex})`;
}

/** Why a refusal happened, in words an installer can act on. */
export function refusalHint(status: number): string {
  switch (status) {
    case 0x0c:
      return (
        "the controller does not allow it now: another program (bluetoothd advertising, " +
        "`btmgmt add-adv`) may be advertising on this adapter, or extended advertising was used since its last reset"
      );
    case 0x01:
    case 0x11:
      return "the controller does not support legacy advertising (Bluetooth 4.0 LE)";
    default:
      return "the controller refused it";
  }
}
