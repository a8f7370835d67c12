/**
 * The body of a Web Push encryption thread (`WebPushEncryptionPool`): each request is one message to
 * encrypt as RFC 8291 says, answered with the body to POST. Runs `encryptWebPush` unchanged, so the
 * wire format is the same whether a message is encrypted here or on the sender's event loop.
 */
import { parentPort } from "node:worker_threads";
import { encryptWebPush } from "./webPushCrypto.js";

/** One message to encrypt; `fixed` only reproduces known vectors (RFC 8291 §5). */
export interface EncryptionRequest {
  readonly id: number;
  readonly plaintext: Uint8Array;
  readonly p256dh: Uint8Array;
  readonly auth: Uint8Array;
  readonly fixed?: { readonly privateKey: Uint8Array; readonly salt: Uint8Array };
}

export type EncryptionAnswer = { readonly id: number; readonly body: Uint8Array } | { readonly id: number; readonly error: string };

const port = parentPort;
if (port) {
  // Requests come in lists (those the sender made in one turn of its event loop), answered as one.
  port.on("message", (requests: readonly EncryptionRequest[]) => {
    const answers: EncryptionAnswer[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const request of requests) {
      try {
        const fixed = request.fixed ? { privateKey: Buffer.from(request.fixed.privateKey), salt: Buffer.from(request.fixed.salt) } : undefined;
        const body = encryptWebPush(Buffer.from(request.plaintext), { p256dh: Buffer.from(request.p256dh), auth: Buffer.from(request.auth) }, fixed);
        // A copy with a buffer of its own: a small Buffer is a view of a shared 8 KiB slab, which
        // posting would copy whole, and which cannot be transferred.
        const own = new Uint8Array(body);
        answers.push({ id: request.id, body: own });
        transfer.push(own.buffer);
      } catch (err) {
        answers.push({ id: request.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    port.postMessage(answers, transfer);
  });
}
