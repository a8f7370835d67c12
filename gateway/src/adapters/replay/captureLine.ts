import { isValidId } from "../../../../protocol/index.js";
import type { Advert } from "../../services/ports.js";

/**
 * One line of a capture (JSON Lines, docs/replay.md): an advertising report as a radio heard it.
 *
 * ```json
 * {"t":1772442000123,"addr":"aa:bb:cc:dd:ee:ff","rssi":-71,"ad":"0201061aff4c000215...","gw":"gw-floor"}
 * ```
 */
export interface CaptureLine {
  /** When it was heard, epoch ms. */
  readonly t: number;
  /** Advertiser address, `aa:bb:cc:dd:ee:ff` (any case; read as lowercase). */
  readonly addr: string;
  /** Received signal strength as the radio reported it, dBm. */
  readonly rssi: number;
  /** Advertising data (the AD structures `[len][type][data]...`), hex, no separators. */
  readonly ad: string;
  /** Gateway that heard it; absent when the capture comes from one radio. */
  readonly gw?: string;
}

/** Largest advertising data accepted, bytes: BLE 5 extended advertising data (Core 5.4 Vol 6 Part B 2.3.4.9). */
export const MAX_AD_BYTES = 1650;

const ADDR = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Why a line is not a capture record. Stable strings: operators and tests match on them. */
export type CaptureLineError =
  | "not JSON"
  | "not a JSON object"
  | "t must be a finite number (epoch ms)"
  | "addr must be aa:bb:cc:dd:ee:ff"
  | "rssi must be a finite number (dBm)"
  | "ad must be an even number of hex digits"
  | "ad is empty"
  | `ad is longer than ${typeof MAX_AD_BYTES} bytes`
  | "gw must be an id ([A-Za-z0-9][A-Za-z0-9_-]{0,63})";

/**
 * Parses one capture line into the gateway's {@link Advert}, or says why it cannot. Unknown fields
 * are ignored, so a capture tool may add its own (a channel, a sequence number) without breaking
 * replays. Never throws.
 */
export function parseCaptureLine(text: string): Advert | CaptureLineError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const o = value as Record<string, unknown>;
  const { t, addr, rssi, ad, gw } = o;
  if (typeof t !== "number" || !Number.isFinite(t)) return "t must be a finite number (epoch ms)";
  if (typeof addr !== "string" || !ADDR.test(addr)) return "addr must be aa:bb:cc:dd:ee:ff";
  if (typeof rssi !== "number" || !Number.isFinite(rssi)) return "rssi must be a finite number (dBm)";
  if (typeof ad !== "string" || !HEX.test(ad)) return "ad must be an even number of hex digits";
  if (ad.length === 0) return "ad is empty";
  if (ad.length > MAX_AD_BYTES * 2) return `ad is longer than ${MAX_AD_BYTES} bytes`;
  if (gw !== undefined && (typeof gw !== "string" || !isValidId(gw))) {
    return "gw must be an id ([A-Za-z0-9][A-Za-z0-9_-]{0,63})";
  }
  // Buffer.from(hex) is safe here: the pattern above admits only whole hex byte pairs.
  const data = new Uint8Array(Buffer.from(ad, "hex"));
  const advert: Advert = { t, addr: addr.toLowerCase(), rssi, data };
  return gw === undefined ? advert : { ...advert, gatewayId: gw };
}

/** Formats one advert as a capture line (without the newline); the inverse of {@link parseCaptureLine}. */
export function formatCaptureLine(advert: Advert): string {
  const line: CaptureLine = {
    t: advert.t,
    addr: advert.addr,
    rssi: advert.rssi,
    ad: Buffer.from(advert.data.buffer, advert.data.byteOffset, advert.data.byteLength).toString("hex"),
    ...(advert.gatewayId === undefined ? {} : { gw: advert.gatewayId }),
  };
  return JSON.stringify(line);
}
