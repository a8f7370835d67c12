/**
 * The HCI command that chooses passive or active scanning, built byte for byte (Bluetooth Core Spec
 * v5.4 Vol 4 Part E §5.4.1 command packet, §7.8.10 and §7.8.64). noble 1.9.2's hci.js writes the
 * same command but always with LE_Scan_Type = 0x01 (active), so the adapter writes it itself when
 * it is asked for passive scanning.
 */

/** UART transport packet indicator of an HCI command (Core Spec Vol 4 Part A §2). */
export const HCI_COMMAND_PKT = 0x01;
/** OGF 0x08 (LE Controller), OCF 0x000B: LE Set Scan Parameters. */
export const LE_SET_SCAN_PARAMETERS = 0x200b;
/** OGF 0x08, OCF 0x000C: LE Set Scan Enable. */
export const LE_SET_SCAN_ENABLE = 0x200c;
/** OGF 0x08, OCF 0x0041: LE Set Extended Scan Parameters (Bluetooth 5). */
export const LE_SET_EXTENDED_SCAN_PARAMETERS = 0x2041;
/** OGF 0x08, OCF 0x0042: LE Set Extended Scan Enable (Bluetooth 5). */
export const LE_SET_EXTENDED_SCAN_ENABLE = 0x2042;

/** noble's scan interval and window, in units of 0.625 ms: 0x12 = 11.25 ms, window = interval (always listening). */
export const NOBLE_SCAN_INTERVAL_UNITS = 0x0012;

export interface LeScanParameters {
  /** Active scanning sends SCAN_REQ and gets scan responses; passive only listens. */
  readonly active: boolean;
  /** LE_Scan_Interval, 0.625 ms units (0x0004..0x4000 legacy). */
  readonly intervalUnits: number;
  /** LE_Scan_Window, 0.625 ms units, at most the interval. */
  readonly windowUnits: number;
  /**
   * Write the Bluetooth 5 extended command instead, as noble does in its `extended` mode: both the
   * LE 1M and the LE Coded PHY (Scanning_PHYs = 0x05), with the same type, interval and window.
   */
  readonly extended: boolean;
}

/** Own_Address_Type 0x00: the public device address. Scanning_Filter_Policy 0x00: accept all adverts. */
const PUBLIC_ADDRESS = 0x00;
const ACCEPT_ALL = 0x00;
/** Scanning_PHYs bit 0 (LE 1M) and bit 2 (LE Coded). */
const PHYS_1M_AND_CODED = 0x05;

/** The complete command packet, packet indicator included, ready for the HCI socket. */
export function leSetScanParametersCommand(parameters: LeScanParameters): Buffer {
  const scanType = parameters.active ? 0x01 : 0x00;
  if (!parameters.extended) {
    // §7.8.10: LE_Scan_Type (1), LE_Scan_Interval (2), LE_Scan_Window (2), Own_Address_Type (1),
    // Scanning_Filter_Policy (1): 7 parameter octets. Multi-octet fields are little-endian (§5.2).
    const cmd = Buffer.alloc(4 + 7);
    cmd.writeUInt8(HCI_COMMAND_PKT, 0);
    cmd.writeUInt16LE(LE_SET_SCAN_PARAMETERS, 1);
    cmd.writeUInt8(7, 3);
    cmd.writeUInt8(scanType, 4);
    cmd.writeUInt16LE(parameters.intervalUnits, 5);
    cmd.writeUInt16LE(parameters.windowUnits, 7);
    cmd.writeUInt8(PUBLIC_ADDRESS, 9);
    cmd.writeUInt8(ACCEPT_ALL, 10);
    return cmd;
  }
  // §7.8.64: Own_Address_Type (1), Scanning_Filter_Policy (1), Scanning_PHYs (1), then for each PHY
  // bit set, lowest first: Scan_Type (1), Scan_Interval (2), Scan_Window (2). Two PHYs: 13 octets.
  const cmd = Buffer.alloc(4 + 13);
  cmd.writeUInt8(HCI_COMMAND_PKT, 0);
  cmd.writeUInt16LE(LE_SET_EXTENDED_SCAN_PARAMETERS, 1);
  cmd.writeUInt8(13, 3);
  cmd.writeUInt8(PUBLIC_ADDRESS, 4);
  cmd.writeUInt8(ACCEPT_ALL, 5);
  cmd.writeUInt8(PHYS_1M_AND_CODED, 6);
  for (const offset of [7, 12]) {
    cmd.writeUInt8(scanType, offset);
    cmd.writeUInt16LE(parameters.intervalUnits, offset + 1);
    cmd.writeUInt16LE(parameters.windowUnits, offset + 3);
  }
  return cmd;
}
