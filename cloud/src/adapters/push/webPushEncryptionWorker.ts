/**
 * The body of a Web Push encryption thread (`WebPushEncryptionPool`): each request is one message to
 * encrypt as RFC 8291 says, answered with the body to POST. Runs `encryptWebPush` unchanged, so the
 * wire format is the same whether a message is encrypted here or on the sender's event loop.
 */
import { parentPort } from "node:worker_threads";
import { encryptWebPush } from "./webPushCrypto.js";

/**
 * One message to encrypt: the plaintext and the subscription's keys as the registration holds them
 * (strings are cheaper to post than byte arrays); `fixed` only reproduces known vectors (RFC 8291 §5).
 */
export interface EncryptionRequest {
  readonly id: number;
  readonly plaintext: string;
  /** base64url, as in the subscription's `keys`. */
  readonly p256dh: string;
  readonly auth: string;
  readonly fixed?: { readonly privateKey: Uint8Array; readonly salt: Uint8Array };
}

/**
 * The answers to one list of requests: the bodies one after another in `bodies` (one buffer,
 * transferred, not copied), body i being `bodies[ends[i-1] .. ends[i])`; an error has an empty body.
 */
export interface EncryptionAnswers {
  readonly ids: readonly number[];
  readonly ends: readonly number[];
  readonly errors: readonly (string | null)[];
  readonly bodies: ArrayBuffer;
}

/** Decoded subscription keys, kept for the subscriptions seen lately (most get more than one message). */
const keys = new Map<string, { readonly p256dh: Buffer; readonly auth: Buffer }>();
const MAX_KEYS = 10_000;

function keysOf(p256dh: string, auth: string): { readonly p256dh: Buffer; readonly auth: Buffer } {
  const k = `${p256dh}.${auth}`;
  let decoded = keys.get(k);
  if (decoded === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    decoded = { p256dh: Buffer.from(p256dh, "base64url"), auth: Buffer.from(auth, "base64url") };
    keys.set(k, decoded);
  }
  return decoded;
}

const port = parentPort;
if (port) {
  // Requests come in lists (those the sender made in one turn of its event loop), answered as one.
  port.on("message", (requests: readonly EncryptionRequest[]) => {
    const bodies: (Buffer | null)[] = [];
    const errors: (string | null)[] = [];
    for (const request of requests) {
      try {
        const fixed = request.fixed ? { privateKey: Buffer.from(request.fixed.privateKey), salt: Buffer.from(request.fixed.salt) } : undefined;
        bodies.push(encryptWebPush(Buffer.from(request.plaintext), keysOf(request.p256dh, request.auth), fixed));
        errors.push(null);
      } catch (err) {
        bodies.push(null);
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    // One buffer of its own for all the bodies: a small Buffer is a view of a shared 8 KiB slab,
    // which cannot be transferred, and one transfer costs less than one per body.
    const out = new Uint8Array(bodies.reduce((n, b) => n + (b?.length ?? 0), 0));
    const ends: number[] = [];
    let at = 0;
    for (const body of bodies) {
      if (body !== null) {
        out.set(body, at);
        at += body.length;
      }
      ends.push(at);
    }
    const answers: EncryptionAnswers = { ids: requests.map((r) => r.id), ends, errors, bodies: out.buffer };
    port.postMessage(answers, [out.buffer]);
  });
}
