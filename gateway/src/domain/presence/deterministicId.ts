/**
 * Deterministic ids for visits and events, without crypto so the domain stays pure and a replay
 * gives byte-identical output.
 *
 * FNV-1a with the 128-bit parameters (draft-eastlake-fnv, offset basis and prime below) over the
 * UTF-8 bytes, printed as 32 lowercase hex digits (matches `^[A-Za-z0-9_-]{8,64}$`). 128 rather than
 * 64 bits because the cloud keeps event ids of every store for years: at a billion events a 64-bit
 * id collides with a few percent probability, a 128-bit one practically never. BigInt is fine here:
 * ids are made per event, not per advert.
 */
const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;
const utf8 = new TextEncoder();

/** FNV-1a 128 of the UTF-8 encoding of `text`, 32 lowercase hex digits. */
export function fnv1a128Hex(text: string): string {
  let h = FNV128_OFFSET;
  for (const byte of utf8.encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV128_PRIME) & MASK128;
  }
  return h.toString(16).padStart(32, "0");
}

/** What identifies one visit of one subject to one zone. */
export interface VisitKey {
  /**
   * Gateway that owned the subject when the visit began: the zone's own for a `gateway-radius` zone,
   * else the one chosen from the evidence (chooseOwner). Never the gateway that runs the engine, so
   * gateways that pool the same sightings over the store LAN give a visit the same id.
   */
  readonly gatewayId: string;
  readonly zoneId: string;
  readonly subjectId: string;
  /** When the enter was decided, epoch ms. */
  readonly enteredAt: number;
}

/**
 * The visit id, shared by the enter, dwells and exit of one visit. `|` cannot occur in gateway, zone
 * or subject ids (protocol/ids.ts), so the joined key is unambiguous.
 */
export function visitIdOf(key: VisitKey): string {
  return fnv1a128Hex(`visit|${key.gatewayId}|${key.zoneId}|${key.subjectId}|${key.enteredAt}`);
}

/**
 * The event id: one per (visit, type, dwell mark). Stable across retries and replays, so the cloud
 * stores each event once however often it is sent.
 */
export function eventIdOf(visitId: string, type: "enter" | "dwell" | "exit", dwellMarkMs?: number): string {
  return fnv1a128Hex(`event|${visitId}|${type}|${dwellMarkMs ?? ""}`);
}
