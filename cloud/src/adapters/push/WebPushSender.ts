import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { PushMessage, PushSender, PushSendResult } from "../../services/push/PushSender.js";
import { retryAfterMs } from "../../services/push/PushSender.js";
import type { Logger, Scheduler } from "../../services/ports.js";
import type { PushRegistration } from "../../services/repositories.js";
import { encryptWebPush, type VapidKeys, vapidAuthorization } from "./webPushCrypto.js";
import { defaultEncryptionThreads, WebPushEncryptionPool } from "./WebPushEncryptionPool.js";

export interface WebPushSenderOptions {
  readonly vapid: VapidKeys;
  /** VAPID `sub`: mailto: or https: contact. */
  readonly subject: string;
  readonly now: () => number;
  /** Per request, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Connections kept open per push service origin (default 128): the dispatcher's whole window. */
  readonly maxSocketsPerOrigin?: number;
  /**
   * Threads that encrypt the messages (`WebPushEncryptionPool`), started on the first message;
   * 0 encrypts on the event loop. Default: one fewer than the cores, at least 1, at most 4.
   */
  readonly encryptionThreads?: number;
  /** Timers of the encryption threads' respawn backoff (default the process's own). */
  readonly scheduler?: Scheduler;
  /** Where lost encryption threads are reported (default silent). */
  readonly log?: Logger;
}

/** The longest TTL we ask for: push services may cap it anyway (RFC 8030 §5.2). */
const MAX_TTL_S = 28 * 86_400;

/**
 * Web Push (RFC 8030) with message encryption (RFC 8291, aes128gcm) and VAPID (RFC 8292). The
 * payload is `{"offerId","title"}` and nothing else. The endpoint's answer maps to the outbox's
 * outcomes: 201 sent; 404 and 410 the subscription is gone (RFC 8030 §7.3); 429 and 5xx retried after
 * Retry-After; 413 and other 4xx (a bad request, our VAPID refused) will not succeed by retrying.
 * Redirects are not followed: an endpoint is a URL the app handed us, not one to chase.
 *
 * Requests go over `node:http(s)` with keep-alive agents rather than `fetch`: a push service is a
 * few origins receiving a great many small POSTs, so connections are kept open and reused (one TLS
 * handshake per connection, not per notification), and `fetch`'s per-request streams and abort
 * signals cost the sender about a tenth of its CPU at a thousand notifications a second.
 */
export class WebPushSender implements PushSender {
  readonly provider = "webpush" as const;
  private readonly vapidCache = new Map<string, { header: string; until: number }>();
  private readonly agents: { readonly http: HttpAgent; readonly https: HttpsAgent };
  private readonly pool: WebPushEncryptionPool | null;

  constructor(private readonly o: WebPushSenderOptions) {
    const threads = o.encryptionThreads ?? defaultEncryptionThreads();
    this.pool =
      threads > 0
        ? new WebPushEncryptionPool(threads, { ...(o.scheduler ? { scheduler: o.scheduler } : {}), ...(o.log ? { log: o.log } : {}) })
        : null;
    const options = { keepAlive: true, maxSockets: o.maxSocketsPerOrigin ?? 128, scheduling: "lifo" as const };
    this.agents = { http: new HttpAgent(options), https: new HttpsAgent(options) };
  }

  /** The applicationServerKey browsers subscribe with. */
  get publicKey(): string {
    return this.o.vapid.publicKey;
  }

  async send(registration: PushRegistration, message: PushMessage): Promise<PushSendResult> {
    if (registration.keys === null) return { outcome: "gone", reason: "subscription without keys" };
    const plaintext = JSON.stringify({ offerId: message.offerId, title: message.title });
    // A failure here (a key that is not a P-256 point, a lost encryption thread) throws, as the
    // encryption on the event loop does: the outbox retries it.
    const body = this.pool
      ? await this.pool.encrypt(plaintext, registration.keys)
      : encryptWebPush(Buffer.from(plaintext), {
          p256dh: Buffer.from(registration.keys.p256dh, "base64url"),
          auth: Buffer.from(registration.keys.auth, "base64url"),
        });
    let response: { status: number; headers: IncomingHttpHeaders };
    try {
      const url = new URL(registration.token);
      response = await this.post(url, body, {
        authorization: this.authorization(url),
        "content-encoding": "aes128gcm",
        "content-type": "application/octet-stream",
        "content-length": String(body.length),
        ttl: String(Math.min(MAX_TTL_S, message.ttlS)),
        // An on-arrival offer is worth something only now (RFC 8030 §5.3).
        urgency: "high",
        // RFC 8030 §5.4: a topic is at most 32 base64url characters; a newer message replaces it.
        topic: Buffer.from(message.collapseKey).toString("base64url").slice(0, 32),
      });
    } catch (err) {
      return { outcome: "retry", reason: `web push request failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const status = response.status;
    if (status >= 200 && status < 300) return { outcome: "sent" };
    if (status === 404 || status === 410) return { outcome: "gone", reason: `HTTP ${status}` };
    if (status === 429 || status >= 500) {
      const after = retryAfterMs(response.headers["retry-after"], this.o.now());
      return after === undefined
        ? { outcome: "retry", reason: `HTTP ${status}` }
        : { outcome: "retry", reason: `HTTP ${status}`, retryAfterMs: after };
    }
    return { outcome: "rejected", reason: `HTTP ${status}` };
  }

  async close(): Promise<void> {
    this.agents.http.destroy();
    this.agents.https.destroy();
    await this.pool?.close();
  }

  /**
   * POSTs `body`; resolves with the answer's status once its body is read (and the connection
   * free). One deadline bounds the whole exchange: a socket idle timeout beside it would only
   * re-arm a timer on every read and write.
   */
  private post(url: URL, body: Buffer, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders }> {
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") return Promise.reject(new Error(`unsupported endpoint scheme ${url.protocol}`));
    const timeoutMs = this.o.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const req = secure
        ? httpsRequest(url, { method: "POST", headers, agent: this.agents.https })
        : httpRequest(url, { method: "POST", headers, agent: this.agents.http });
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on("error", (err) => {
        clearTimeout(deadline);
        reject(err);
      });
      req.on("response", (res) => {
        res.on("error", (err) => {
          clearTimeout(deadline);
          reject(err);
        });
        res.on("end", () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, headers: res.headers });
        });
        // Read to the end, so the connection goes back to the pool.
        res.resume();
      });
      req.end(body);
    });
  }

  /** One VAPID header per push service origin, reused for an hour of its 12 h validity. */
  private authorization(endpoint: URL): string {
    const origin = endpoint.origin;
    const now = this.o.now();
    const cached = this.vapidCache.get(origin);
    if (cached && cached.until > now) return cached.header;
    const header = vapidAuthorization(origin, this.o.subject, this.o.vapid, now);
    this.vapidCache.set(origin, { header, until: now + 3_600_000 });
    return header;
  }
}
