import { createHmac, timingSafeEqual } from "node:crypto";
import { SUBJECT_KINDS, type Subject } from "../../../../protocol/index.js";
import type { CalibrationRecord, ZoneCalibration } from "../../domain/presence/peerCalibration.js";

/**
 * The store LAN's sighting datagram, version 1: one gateway's own sightings of the last batch
 * interval, sent to each surveyed peer. Big-endian, all lengths in bytes:
 *
 * ```
 * "AF" 0x01                      magic and version
 * u8 L, L bytes                  sender gateway id (UTF-8)
 * f64 sentAt                     epoch ms, for freshness (DatagramGuard)
 * u32 seq                        per sender, for replay refusal
 * f64 baseT                      time of the first sighting, epoch ms (whole ms)
 * u8 S, S × (u8 kind, u8 L, L)   subject table: kind index in SUBJECT_KINDS, id (UTF-8)
 * u16 N, N × 7 bytes             sightings: u8 subject, u32 t - baseT, i8 RSSI, i8 power at 1 m
 *                                (-128: none advertised)
 * 32 bytes                       HMAC-SHA256 (store key) over "arrival-lan-v1|<storeId>|" + the above
 * ```
 *
 * A datagram stays within {@link MAX_DATAGRAM_BYTES}, below the 1 280-byte IPv6 minimum MTU and a
 * typical 1 500-byte Ethernet MTU, so it never fragments; the encoder splits a batch as needed. The
 * store id is in the MAC but not on the wire: a key wrongly shared by two stores still keeps their
 * sightings apart.
 */
export const MAX_DATAGRAM_BYTES = 1200;
const MAGIC0 = 0x41;
const MAGIC1 = 0x46;
const VERSION = 1;
const TAG_BYTES = 32;
const NO_POWER = -128;
const ENTRY_BYTES = 7;
/** Shortest key accepted, bytes: HMAC-SHA256's security needs at least 128 bits, we ask for 256. */
export const MIN_LAN_KEY_BYTES = 32;

/** One sighting as it travels: integer ms and dBm, the sender being the gateway that heard it. */
export interface WireSighting {
  readonly t: number;
  readonly subject: Subject;
  readonly rssiDbm: number;
  readonly measuredPowerDbm: number | null;
}

export interface SightingBatch {
  readonly sender: string;
  readonly sentAt: number;
  readonly seq: number;
  readonly sightings: readonly WireSighting[];
}

export type DecodeFailure = "oversized" | "malformed" | "unauthenticated";

export type Decoded = { readonly ok: true; readonly batch: SightingBatch } | { readonly ok: false; readonly reason: DecodeFailure };

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });
const kindIndex = new Map(SUBJECT_KINDS.map((k, i) => [k as string, i]));

function tag(key: Uint8Array, storeId: string, body: Uint8Array): Buffer {
  return createHmac("sha256", key).update(`arrival-lan-v1|${storeId}|`).update(body).digest();
}

const clampInt8 = (x: number): number => Math.max(-127, Math.min(127, Math.round(x)));

/**
 * Encodes a sender's sightings into as many datagrams as needed, each at most
 * {@link MAX_DATAGRAM_BYTES}, numbered from `firstSeq`. Times are rounded to whole ms and RSSI to
 * whole dBm: callers round the same way before feeding their own engine, so a sighting decides
 * the same everywhere. Sightings whose subject cannot be carried (an unknown kind, an id over 255
 * bytes) are skipped.
 */
export function encodeSightings(
  o: { readonly key: Uint8Array; readonly storeId: string; readonly sender: string; readonly sentAt: number; readonly firstSeq: number },
  sightings: readonly WireSighting[],
): Buffer[] {
  const sender = utf8.encode(o.sender);
  if (sender.length === 0 || sender.length > 255) throw new RangeError("sender id must be 1..255 bytes");
  const headerBytes = 3 + 1 + sender.length + 8 + 4 + 8 + 1 + 2 + TAG_BYTES;
  const sorted = sightings
    .filter(
      (s) =>
        kindIndex.has(s.subject.kind) &&
        utf8.encode(s.subject.id).length <= 255 &&
        Number.isFinite(s.t) &&
        Number.isFinite(s.rssiDbm),
    )
    .sort((a, b) => a.t - b.t);
  const out: Buffer[] = [];
  let i = 0;
  while (i < sorted.length) {
    const subjects = new Map<string, { index: number; kind: number; id: Uint8Array }>();
    const entries: { subject: number; t: number; rssi: number; power: number }[] = [];
    let size = headerBytes;
    const baseT = Math.round(sorted[i]?.t ?? 0);
    for (; i < sorted.length; i++) {
      const s = sorted[i];
      if (s === undefined) continue;
      const kind = kindIndex.get(s.subject.kind) ?? 0;
      const id = utf8.encode(s.subject.id);
      const known = subjects.get(s.subject.id);
      const extra = ENTRY_BYTES + (known ? 0 : 2 + id.length);
      const dt = Math.round(s.t) - baseT;
      if (size + extra > MAX_DATAGRAM_BYTES || (!known && subjects.size === 255) || entries.length === 0xffff || dt > 0xffffffff)
        break;
      let entry = known;
      if (entry === undefined) {
        entry = { index: subjects.size, kind, id };
        subjects.set(s.subject.id, entry);
      }
      entries.push({
        subject: entry.index,
        t: dt,
        rssi: clampInt8(s.rssiDbm),
        power: s.measuredPowerDbm === null ? NO_POWER : clampInt8(s.measuredPowerDbm),
      });
      size += extra;
    }
    if (entries.length === 0) continue;
    const buf = Buffer.alloc(size);
    let p = writeHeader(buf, sender, o.sentAt, o.firstSeq + out.length, baseT);
    buf[p++] = subjects.size;
    for (const s of subjects.values()) {
      buf[p++] = s.kind;
      buf[p++] = s.id.length;
      buf.set(s.id, p);
      p += s.id.length;
    }
    p = buf.writeUInt16BE(entries.length, p);
    for (const e of entries) {
      buf[p++] = e.subject;
      p = buf.writeUInt32BE(e.t, p);
      p = buf.writeInt8(e.rssi, p);
      p = buf.writeInt8(e.power, p);
    }
    tag(o.key, o.storeId, buf.subarray(0, p)).copy(buf, p);
    out.push(buf);
  }
  return out;
}

/** Writes what every kind of datagram starts with (magic, kind, sender, sent time); answers where it ends. */
function writePrefix(buf: Buffer, kind: number, sender: Uint8Array, sentAt: number): number {
  let p = 0;
  buf[p++] = MAGIC0;
  buf[p++] = MAGIC1;
  buf[p++] = kind;
  buf[p++] = sender.length;
  buf.set(sender, p);
  p += sender.length;
  return buf.writeDoubleBE(sentAt, p);
}

/** Writes the v1 header (magic, version, sender, sent time, sequence, base time); answers where it ends. */
function writeHeader(buf: Buffer, sender: Uint8Array, sentAt: number, seq: number, baseT: number): number {
  const p = buf.writeUInt32BE(seq >>> 0, writePrefix(buf, VERSION, sender, sentAt));
  return buf.writeDoubleBE(baseT, p);
}

/**
 * A datagram with no sightings, sent when a gateway has heard nothing for a while: its peers then
 * know it is alive and keyed alike, so silence means a dead peer or a broken LAN, not an empty
 * shop. The same v1 format (S = 0, N = 0, baseT = 0), so a peer of the previous release takes it
 * as an empty batch.
 */
export function encodeHeartbeat(o: { readonly key: Uint8Array; readonly storeId: string; readonly sender: string; readonly sentAt: number; readonly seq: number }): Buffer {
  const sender = utf8.encode(o.sender);
  if (sender.length === 0 || sender.length > 255) throw new RangeError("sender id must be 1..255 bytes");
  const buf = Buffer.alloc(3 + 1 + sender.length + 8 + 4 + 8 + 1 + 2 + TAG_BYTES);
  let p = writeHeader(buf, sender, o.sentAt, o.seq, 0);
  buf[p++] = 0;
  p = buf.writeUInt16BE(0, p);
  tag(o.key, o.storeId, buf.subarray(0, p)).copy(buf, p);
  return buf;
}

/**
 * Checks and decodes one datagram: refused when larger than {@link MAX_DATAGRAM_BYTES}, when its
 * MAC does not verify with the store's key (checked in constant time before anything is parsed),
 * or when it is not well formed. Freshness is the caller's ({@link DatagramGuard}).
 */
export function decodeSightings(o: { readonly key: Uint8Array; readonly storeId: string }, datagram: Uint8Array): Decoded {
  const body = authenticated(o, datagram);
  if (typeof body === "string") return { ok: false, reason: body };
  try {
    return { ok: true, batch: parse(body) };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}

/**
 * The body of a datagram (without its MAC) when its size is within bounds and its MAC verifies,
 * checked in constant time before anything is parsed; else why not.
 */
function authenticated(o: { readonly key: Uint8Array; readonly storeId: string }, datagram: Uint8Array): Buffer | DecodeFailure {
  if (datagram.length > MAX_DATAGRAM_BYTES) return "oversized";
  if (datagram.length < 3 + TAG_BYTES) return "malformed";
  const body = datagram.subarray(0, datagram.length - TAG_BYTES);
  if (!timingSafeEqual(tag(o.key, o.storeId, body), datagram.subarray(datagram.length - TAG_BYTES))) return "unauthenticated";
  return Buffer.from(body.buffer, body.byteOffset, body.length);
}

function parse(b: Buffer): SightingBatch {
  let p = 0;
  const need = (n: number): void => {
    if (p + n > b.length) throw new RangeError("truncated");
  };
  need(4);
  if (b[p++] !== MAGIC0 || b[p++] !== MAGIC1 || b[p++] !== VERSION) throw new RangeError("not a v1 datagram");
  const senderLen = b[p++] ?? 0;
  need(senderLen + 8 + 4 + 8 + 1);
  const sender = fromUtf8.decode(b.subarray(p, p + senderLen));
  p += senderLen;
  const sentAt = b.readDoubleBE(p);
  p += 8;
  const seq = b.readUInt32BE(p);
  p += 4;
  const baseT = b.readDoubleBE(p);
  p += 8;
  if (!Number.isInteger(baseT) || !Number.isFinite(sentAt)) throw new RangeError("bad time");
  const subjectCount = b[p++] ?? 0;
  const subjects: Subject[] = [];
  for (let k = 0; k < subjectCount; k++) {
    need(2);
    const kind = SUBJECT_KINDS[b[p++] ?? 255];
    const len = b[p++] ?? 0;
    need(len);
    if (kind === undefined || len < 3) throw new RangeError("bad subject");
    subjects.push(Object.freeze({ kind, id: fromUtf8.decode(b.subarray(p, p + len)) }));
    p += len;
  }
  need(2);
  const n = b.readUInt16BE(p);
  p += 2;
  need(n * ENTRY_BYTES);
  const sightings: WireSighting[] = [];
  for (let k = 0; k < n; k++) {
    const subject = subjects[b[p++] ?? 255];
    if (subject === undefined) throw new RangeError("bad subject index");
    const t = baseT + b.readUInt32BE(p);
    p += 4;
    const rssiDbm = b.readInt8(p++);
    const power = b.readInt8(p++);
    sightings.push({ t, subject, rssiDbm, measuredPowerDbm: power === NO_POWER ? null : power });
  }
  if (p !== b.length) throw new RangeError("trailing bytes");
  return { sender, sentAt, seq, sightings };
}

/**
 * The store LAN's retransmission request ("NACK"), version byte 2: a receiver that found datagrams
 * of a sender missing (a later sequence number arrived first) asks that sender to send them again,
 * within the lateness allowance, while they can still be merged in order. Big-endian:
 *
 * ```
 * "AF" 0x02                      magic and kind (v1 sightings are 0x01)
 * u8 L, L bytes                  requesting gateway id (UTF-8)
 * f64 sentAt                     epoch ms, for freshness
 * u8 K, K × u32 seq              sequence numbers wanted again (at most 255)
 * 32 bytes                       HMAC-SHA256 (store key) over "arrival-lan-v1|<storeId>|" + the above
 * ```
 *
 * A gateway of the previous release refuses it as malformed and goes on without retransmission.
 */
export const NACK_VERSION = 2;
export const MAX_NACK_SEQS = 255;

export interface NackRequest {
  readonly sender: string;
  readonly sentAt: number;
  readonly seqs: readonly number[];
}

export type DecodedNack = { readonly ok: true; readonly nack: NackRequest } | { readonly ok: false; readonly reason: DecodeFailure };

/** True when the datagram claims to be a retransmission request (checked by {@link decodeNack}). */
export function isNack(datagram: Uint8Array): boolean {
  return datagram.length > 3 && datagram[0] === MAGIC0 && datagram[1] === MAGIC1 && datagram[2] === NACK_VERSION;
}

/** Encodes a request for `seqs` again (the first {@link MAX_NACK_SEQS}). */
export function encodeNack(o: { readonly key: Uint8Array; readonly storeId: string; readonly sender: string; readonly sentAt: number }, seqs: readonly number[]): Buffer {
  const sender = utf8.encode(o.sender);
  if (sender.length === 0 || sender.length > 255) throw new RangeError("sender id must be 1..255 bytes");
  const wanted = seqs.slice(0, MAX_NACK_SEQS);
  const buf = Buffer.alloc(3 + 1 + sender.length + 8 + 1 + 4 * wanted.length + TAG_BYTES);
  let p = writePrefix(buf, NACK_VERSION, sender, o.sentAt);
  buf[p++] = wanted.length;
  for (const seq of wanted) p = buf.writeUInt32BE(seq >>> 0, p);
  tag(o.key, o.storeId, buf.subarray(0, p)).copy(buf, p);
  return buf;
}

/** Checks (size, MAC in constant time, form) and decodes a retransmission request. */
export function decodeNack(o: { readonly key: Uint8Array; readonly storeId: string }, datagram: Uint8Array): DecodedNack {
  const b = authenticated(o, datagram);
  if (typeof b === "string") return { ok: false, reason: b };
  if (b.length < 4 || !isNack(b)) return { ok: false, reason: "malformed" };
  const len = b[3] ?? 0;
  let p = 4;
  if (p + len + 8 + 1 > b.length) return { ok: false, reason: "malformed" };
  let sender: string;
  try {
    sender = fromUtf8.decode(b.subarray(p, p + len));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  p += len;
  const sentAt = b.readDoubleBE(p);
  p += 8;
  const k = b[p++] ?? 0;
  if (p + 4 * k !== b.length || !Number.isFinite(sentAt)) return { ok: false, reason: "malformed" };
  const seqs: number[] = [];
  for (let i = 0; i < k; i++) seqs.push(b.readUInt32BE(p + 4 * i));
  return { ok: true, nack: { sender, sentAt, seqs } };
}

/**
 * The store LAN's calibration record, kind byte 3: what one gateway runs that its peers must run
 * too ({@link CalibrationRecord}: its RSSI offset and its own zones' edge loss, exit margin and
 * peer references after every learned adjustment). Sent on change and every few seconds; each
 * replaces the sender's last. Values travel as f64, exactly as the sender's engine runs them, so
 * every gateway compiles the very same numbers. Big-endian:
 *
 * ```
 * "AF" 0x03                      magic and kind
 * u8 L, L bytes                  sender gateway id (UTF-8)
 * f64 sentAt                     epoch ms, for freshness and order
 * f64 rssiOffsetDb               the sender's offset, dB
 * u8 Z, Z × zone                 zone: u8 L, L bytes zone id; f64 edgeLossDb, f64 exitMarginM
 *                                (NaN: none); u8 P, P × (u8 L, L bytes gateway id, f64 edgeLossDb)
 * 32 bytes                       HMAC-SHA256 (store key) over "arrival-lan-v1|<storeId>|" + the above
 * ```
 *
 * A gateway of a release before it refuses it as malformed (counted) and judges as before.
 */
export const CALIBRATION_KIND = 3;

export interface CalibrationDatagram {
  readonly sentAt: number;
  readonly record: CalibrationRecord;
}

export type DecodedCalibration = { readonly ok: true; readonly datagram: CalibrationDatagram } | { readonly ok: false; readonly reason: DecodeFailure };

/** True when the datagram claims to be a calibration record (checked by {@link decodeCalibration}). */
export function isCalibration(datagram: Uint8Array): boolean {
  return datagram.length > 3 && datagram[0] === MAGIC0 && datagram[1] === MAGIC1 && datagram[2] === CALIBRATION_KIND;
}

/**
 * Encodes `record` (its `gatewayId` is the sender) in one datagram; throws a RangeError when an id
 * is over 255 bytes, a list over 255 entries, or the whole over {@link MAX_DATAGRAM_BYTES}: a
 * record is applied whole, never in parts.
 */
export function encodeCalibration(o: { readonly key: Uint8Array; readonly storeId: string; readonly sentAt: number }, record: CalibrationRecord): Buffer {
  const id = (s: string): Uint8Array => {
    const bytes = utf8.encode(s);
    if (bytes.length === 0 || bytes.length > 255) throw new RangeError("ids must be 1..255 bytes");
    return bytes;
  };
  const sender = id(record.gatewayId);
  if (record.zones.length > 255) throw new RangeError("at most 255 zones");
  const zones = record.zones.map((z) => {
    if (z.peerEdges.length > 255) throw new RangeError("at most 255 peer references");
    return { id: id(z.zoneId), z, peers: z.peerEdges.map((p) => ({ id: id(p.gatewayId), edgeLossDb: p.edgeLossDb })) };
  });
  let size = 3 + 1 + sender.length + 8 + 8 + 1 + TAG_BYTES;
  for (const z of zones) size += 1 + z.id.length + 8 + 8 + 1 + z.peers.reduce((n, p) => n + 1 + p.id.length + 8, 0);
  if (size > MAX_DATAGRAM_BYTES) throw new RangeError(`calibration record of ${size} bytes exceeds ${MAX_DATAGRAM_BYTES}`);
  const buf = Buffer.alloc(size);
  let p = writePrefix(buf, CALIBRATION_KIND, sender, o.sentAt);
  p = buf.writeDoubleBE(record.rssiOffsetDb, p);
  buf[p++] = zones.length;
  for (const z of zones) {
    buf[p++] = z.id.length;
    buf.set(z.id, p);
    p += z.id.length;
    p = buf.writeDoubleBE(z.z.edgeLossDb ?? Number.NaN, p);
    p = buf.writeDoubleBE(z.z.exitMarginM ?? Number.NaN, p);
    buf[p++] = z.peers.length;
    for (const peer of z.peers) {
      buf[p++] = peer.id.length;
      buf.set(peer.id, p);
      p += peer.id.length;
      p = buf.writeDoubleBE(peer.edgeLossDb, p);
    }
  }
  tag(o.key, o.storeId, buf.subarray(0, p)).copy(buf, p);
  return buf;
}

/**
 * Checks (size, MAC in constant time, form) and decodes a calibration record. Its values are only
 * decoded here; whether the sender may set them is {@link checkCalibrationRecord}'s.
 */
export function decodeCalibration(o: { readonly key: Uint8Array; readonly storeId: string }, datagram: Uint8Array): DecodedCalibration {
  const b = authenticated(o, datagram);
  if (typeof b === "string") return { ok: false, reason: b };
  let p = 0;
  const need = (n: number): void => {
    if (p + n > b.length) throw new RangeError("truncated");
  };
  const readId = (): string => {
    need(1);
    const len = b[p++] ?? 0;
    need(len);
    if (len === 0) throw new RangeError("empty id");
    const s = fromUtf8.decode(b.subarray(p, p + len));
    p += len;
    return s;
  };
  const readF64 = (): number => {
    need(8);
    const x = b.readDoubleBE(p);
    p += 8;
    return x;
  };
  try {
    if (!isCalibration(b)) throw new RangeError("not a calibration record");
    p = 3;
    const gatewayId = readId();
    const sentAt = readF64();
    const rssiOffsetDb = readF64();
    if (!Number.isFinite(sentAt)) throw new RangeError("bad time");
    need(1);
    const zoneCount = b[p++] ?? 0;
    const zones: ZoneCalibration[] = [];
    for (let k = 0; k < zoneCount; k++) {
      const zoneId = readId();
      const edgeLossDb = readF64();
      const exitMarginM = readF64();
      need(1);
      const peerCount = b[p++] ?? 0;
      const peerEdges: { gatewayId: string; edgeLossDb: number }[] = [];
      for (let i = 0; i < peerCount; i++) peerEdges.push({ gatewayId: readId(), edgeLossDb: readF64() });
      zones.push({
        zoneId,
        edgeLossDb: Number.isNaN(edgeLossDb) ? null : edgeLossDb,
        exitMarginM: Number.isNaN(exitMarginM) ? null : exitMarginM,
        peerEdges,
      });
    }
    if (p !== b.length) throw new RangeError("trailing bytes");
    return { ok: true, datagram: { sentAt, record: { gatewayId, rssiOffsetDb, zones } } };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}
