/**
 * HCI packets built byte for byte, as a controller sends them over a Linux HCI socket: the UART
 * packet indicator first (Core Spec v5.4 Vol 4 Part A §2), then the event packet of Vol 4 Part E
 * §5.4.4: event code (1), parameter total length (1), parameters. Multi-octet fields little-endian.
 */

export const HCI_COMMAND_PKT = 0x01;
export const HCI_EVENT_PKT = 0x04;
/** §7.7.14 */
export const EVT_COMMAND_COMPLETE = 0x0e;
/** §7.7.65 */
export const EVT_LE_META = 0x3e;
export const LE_ADVERTISING_REPORT = 0x02;
export const LE_EXTENDED_ADVERTISING_REPORT = 0x0d;

/** Command names by opcode (OGF << 10 | OCF), for readable logs of what noble wrote. */
export const COMMAND_NAMES: Readonly<Record<number, string>> = {
  3073: "Set Event Mask",
  3075: "Reset",
  3180: "Read LE Host Supported",
  3181: "Write LE Host Supported",
  4097: "Read Local Version Information",
  4098: "Read Local Supported Commands",
  4101: "Read Buffer Size",
  4105: "Read BD_ADDR",
  8193: "LE Set Event Mask",
  8194: "LE Read Buffer Size",
  8198: "LE Set Advertising Parameters",
  8200: "LE Set Advertising Data",
  8202: "LE Set Advertising Enable",
  8203: "LE Set Scan Parameters",
  8204: "LE Set Scan Enable",
  8241: "LE Set Default PHY",
  8257: "LE Set Extended Scan Parameters",
  8258: "LE Set Extended Scan Enable",
};

/** An event packet: indicator, code, length, parameters. Parameters are at most 255 octets. */
export function eventPacket(code: number, parameters: readonly number[] | Uint8Array): Buffer {
  if (parameters.length > 255) throw new Error(`HCI event parameters too long: ${parameters.length}`);
  return Buffer.from([HCI_EVENT_PKT, code, parameters.length, ...parameters]);
}

/**
 * Command Complete (§7.7.14): Num_HCI_Command_Packets (1), Command_Opcode (2), Return_Parameters,
 * whose first octet is the command's Status for every command noble sends.
 */
export function commandComplete(opcode: number, returnParameters: readonly number[]): Buffer {
  return eventPacket(EVT_COMMAND_COMPLETE, [0x01, opcode & 0xff, opcode >> 8, ...returnParameters]);
}

/** `aa:bb:cc:dd:ee:ff` → the 6 octets of a BD_ADDR on the wire, least significant first. */
export function bdAddr(address: string): number[] {
  const octets = address.split(":").map((h) => Number.parseInt(h, 16));
  if (octets.length !== 6 || octets.some((o) => !(o >= 0 && o <= 255)))
    throw new Error(`bad address ${address}`);
  return octets.reverse();
}

/** Legacy advertising PDU types as the LE Advertising Report reports them (§7.7.65.2 Event_Type). */
export const ADV_IND = 0x00;
export const ADV_SCAN_IND = 0x02;
export const ADV_NONCONN_IND = 0x03;
export const SCAN_RSP = 0x04;

export interface LegacyReport {
  readonly eventType: number;
  /** 0x00 public, 0x01 random. */
  readonly addressType?: number;
  readonly address: string;
  readonly data: Uint8Array;
  /** dBm, -127..20; 127 = not available. */
  readonly rssi: number;
}

/**
 * LE Advertising Report (§7.7.65.2): Subevent_Code 0x02, Num_Reports, then per report Event_Type (1),
 * Address_Type (1), Address (6), Data_Length (1), Data (0..31), RSSI (1). Reports are laid out one
 * after another, as Linux (struct hci_ev_le_advertising_info) and every controller we know do.
 */
export function leAdvertisingReport(reports: readonly LegacyReport[]): Buffer {
  const parameters: number[] = [LE_ADVERTISING_REPORT, reports.length];
  for (const r of reports) {
    if (r.data.length > 31)
      throw new Error(`legacy advertising data is at most 31 octets, got ${r.data.length}`);
    parameters.push(
      r.eventType,
      r.addressType ?? 0x01,
      ...bdAddr(r.address),
      r.data.length,
      ...r.data,
      r.rssi & 0xff,
    );
  }
  return eventPacket(EVT_LE_META, parameters);
}

/** Event_Type bits of the extended report (§7.7.65.13). */
export const EXT_CONNECTABLE = 0x01;
export const EXT_SCANNABLE = 0x02;
export const EXT_SCAN_RESPONSE = 0x08;
export const EXT_LEGACY = 0x10;
export const EXT_INCOMPLETE_MORE = 0x20;
export const EXT_TRUNCATED = 0x40;

export interface ExtendedReport {
  readonly eventType: number;
  readonly addressType?: number;
  readonly address: string;
  readonly data: Uint8Array;
  readonly rssi: number;
  /** dBm, 127 = not available (the default). */
  readonly txPower?: number;
}

/**
 * LE Extended Advertising Report (§7.7.65.13): Subevent_Code 0x0D, Num_Reports, then per report
 * Event_Type (2), Address_Type (1), Address (6), Primary_PHY (1), Secondary_PHY (1),
 * Advertising_SID (1), TX_Power (1), RSSI (1), Periodic_Advertising_Interval (2),
 * Direct_Address_Type (1), Direct_Address (6), Data_Length (1), Data. Legacy PDUs report Primary_PHY
 * LE 1M (0x01), no secondary PHY (0x00) and no SID (0xFF).
 */
export function leExtendedAdvertisingReport(reports: readonly ExtendedReport[]): Buffer {
  const parameters: number[] = [LE_EXTENDED_ADVERTISING_REPORT, reports.length];
  for (const r of reports) {
    parameters.push(
      r.eventType & 0xff,
      r.eventType >> 8,
      r.addressType ?? 0x01,
      ...bdAddr(r.address),
      0x01,
      0x00,
      0xff,
      (r.txPower ?? 0x7f) & 0xff,
      r.rssi & 0xff,
      0x00,
      0x00,
      0x00,
      ...bdAddr("00:00:00:00:00:00"),
      r.data.length,
      ...r.data,
    );
  }
  return eventPacket(EVT_LE_META, parameters);
}

/** A command packet as noble writes it, split into opcode and parameters. */
export interface WrittenCommand {
  readonly opcode: number;
  readonly name: string;
  readonly parameters: Buffer;
  readonly bytes: Buffer;
}

export function parseCommand(packet: Buffer): WrittenCommand | null {
  if (packet.length < 4 || packet[0] !== HCI_COMMAND_PKT) return null;
  const opcode = packet.readUInt16LE(1);
  const length = packet.readUInt8(3);
  return {
    opcode,
    name: COMMAND_NAMES[opcode] ?? `unknown 0x${opcode.toString(16).padStart(4, "0")}`,
    parameters: packet.subarray(4, 4 + length),
    bytes: packet,
  };
}
