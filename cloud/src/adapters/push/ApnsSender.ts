import { createPrivateKey, type KeyObject } from "node:crypto";
import { type ClientHttp2Session, connect, constants } from "node:http2";
import type { PushMessage, PushSender, PushSendResult } from "../../services/push/PushSender.js";
import { retryAfterMs } from "../../services/push/PushSender.js";
import type { PushRegistration } from "../../services/repositories.js";
import { signEs256Jwt } from "./webPushCrypto.js";

export interface ApnsSenderOptions {
  readonly teamId: string;
  readonly keyId: string;
  /** The .p8 key's PEM. */
  readonly signingKeyPem: string;
  /** The app's bundle id. */
  readonly topic: string;
  readonly productionUrl: string;
  readonly developmentUrl: string;
  readonly now: () => number;
  /** Per request, ms (default 10 000). */
  readonly timeoutMs?: number;
}

/**
 * A provider token is valid for an hour and Apple refuses one refreshed more often than every 20
 * minutes (TooManyProviderTokenUpdates): 50 minutes sits between.
 */
const TOKEN_REFRESH_MS = 50 * 60_000;

/**
 * APNs over HTTP/2 with token-based authentication: an ES256 JWT (`iss` team id, `iat`, header `kid`)
 * as `authorization: bearer`, one long-lived connection per APNs host. Headers per Apple's "Sending
 * notification requests to APNs": apns-topic (bundle id), apns-push-type alert, apns-priority 10
 * (deliver now), apns-expiration (the offer's expiry), apns-collapse-id (the offer id). Answers:
 * 200 sent; 410 Unregistered and 400 BadDeviceToken / DeviceTokenNotForTopic remove the token;
 * 403 ExpiredProviderToken renews the token and retries; 429 and 5xx retry; other 4xx will not succeed.
 */
export class ApnsSender implements PushSender {
  readonly provider = "apns" as const;
  private readonly key: KeyObject;
  private token: { value: string; issuedAt: number } | null = null;
  private readonly sessions = new Map<string, ClientHttp2Session>();

  constructor(private readonly o: ApnsSenderOptions) {
    this.key = createPrivateKey(o.signingKeyPem);
  }

  async send(registration: PushRegistration, message: PushMessage): Promise<PushSendResult> {
    const origin = registration.environment === "development" ? this.o.developmentUrl : this.o.productionUrl;
    const now = this.o.now();
    const body = JSON.stringify({
      aps: { alert: { title: message.title }, sound: "default", "mutable-content": 1 },
      offerId: message.offerId,
    });
    let answer: { status: number; reason: string | null; retryAfter: string | null };
    try {
      answer = await this.request(origin, {
        [constants.HTTP2_HEADER_METHOD]: "POST",
        [constants.HTTP2_HEADER_PATH]: `/3/device/${registration.token}`,
        authorization: `bearer ${this.providerToken(now)}`,
        "apns-topic": this.o.topic,
        "apns-push-type": "alert",
        "apns-priority": "10",
        "apns-expiration": String(Math.floor(now / 1000) + message.ttlS),
        "apns-collapse-id": message.collapseKey.slice(0, 64),
        "content-type": "application/json",
      }, body);
    } catch (err) {
      this.drop(origin);
      return { outcome: "retry", reason: `apns request failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const { status, reason } = answer;
    const said = `HTTP ${status}${reason ? ` ${reason}` : ""}`;
    if (status === 200) return { outcome: "sent" };
    if (status === 410 || (status === 400 && (reason === "BadDeviceToken" || reason === "DeviceTokenNotForTopic")))
      return { outcome: "gone", reason: said };
    if (status === 403 && reason === "ExpiredProviderToken") {
      this.token = null;
      return { outcome: "retry", reason: said };
    }
    if (status === 429 || status >= 500) {
      const after = retryAfterMs(answer.retryAfter, now);
      return after === undefined ? { outcome: "retry", reason: said } : { outcome: "retry", reason: said, retryAfterMs: after };
    }
    return { outcome: "rejected", reason: said };
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.close(() => resolve())))),
    );
    this.sessions.clear();
  }

  private providerToken(now: number): string {
    if (this.token === null || now - this.token.issuedAt >= TOKEN_REFRESH_MS) {
      const value = signEs256Jwt({ alg: "ES256", kid: this.o.keyId }, { iss: this.o.teamId, iat: Math.floor(now / 1000) }, this.key);
      this.token = { value, issuedAt: now };
    }
    return this.token.value;
  }

  private session(origin: string): ClientHttp2Session {
    let session = this.sessions.get(origin);
    if (session === undefined || session.closed || session.destroyed) {
      session = connect(origin);
      const opened = session;
      // A dead connection is replaced on the next send; its error is that send's outcome.
      opened.on("error", () => this.drop(origin, opened));
      opened.on("goaway", () => this.drop(origin, opened));
      opened.unref();
      this.sessions.set(origin, opened);
    }
    return session;
  }

  private drop(origin: string, which?: ClientHttp2Session): void {
    const session = this.sessions.get(origin);
    if (session === undefined || (which !== undefined && session !== which)) return;
    this.sessions.delete(origin);
    session.destroy();
  }

  private request(
    origin: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; reason: string | null; retryAfter: string | null }> {
    return new Promise((resolve, reject) => {
      const stream = this.session(origin).request(headers);
      stream.setTimeout(this.o.timeoutMs ?? 10_000, () => stream.close(constants.NGHTTP2_CANCEL));
      let status = 0;
      let retryAfter: string | null = null;
      const chunks: Buffer[] = [];
      stream.on("response", (h) => {
        status = Number(h[constants.HTTP2_HEADER_STATUS]);
        const ra = h["retry-after"];
        retryAfter = typeof ra === "string" ? ra : null;
      });
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", reject);
      stream.on("close", () => {
        if (status === 0) return reject(new Error("no response"));
        let reason: string | null;
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { reason?: unknown };
          reason = typeof parsed.reason === "string" ? parsed.reason : null;
        } catch {
          reason = null;
        }
        resolve({ status, reason, retryAfter });
      });
      stream.end(body);
    });
  }
}
