import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import type { PushMessage, PushSender, PushSendResult } from "../../services/push/PushSender.js";
import { retryAfterMs } from "../../services/push/PushSender.js";
import type { PushRegistration } from "../../services/repositories.js";

export interface FcmSenderOptions {
  /** The Firebase service account key file's JSON. */
  readonly serviceAccountJson: string;
  /** FCM host, e.g. https://fcm.googleapis.com. */
  readonly url: string;
  readonly now: () => number;
  /** Per request, ms (default 10 000). */
  readonly timeoutMs?: number;
}

interface ServiceAccount {
  readonly projectId: string;
  readonly clientEmail: string;
  readonly privateKey: KeyObject;
  readonly tokenUri: string;
}

function serviceAccountOf(json: string): ServiceAccount {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const field = (name: string): string => {
    const value = raw[name];
    if (typeof value !== "string" || value === "") throw new Error(`the FCM service account has no ${name}`);
    return value;
  };
  return {
    projectId: field("project_id"),
    clientEmail: field("client_email"),
    privateKey: createPrivateKey(field("private_key")),
    tokenUri: field("token_uri"),
  };
}

const SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

interface FcmErrorBody {
  error?: { code?: number; status?: string; message?: string; details?: { "@type"?: string; errorCode?: string; fieldViolations?: { field?: string }[] }[] };
}

/**
 * FCM HTTP v1. Access tokens come from the service account by the OAuth 2.0 JWT-bearer grant
 * (RFC 7523 §2.1): an RS256 JWT with `iss` the client email, `scope` firebase.messaging, `aud` the
 * token URI, exchanged at the token URI for an access token, kept until five minutes before it
 * expires. Messages go to `/v1/projects/{project}/messages:send` with a notification (title) and
 * data (offerId); Android priority high, ttl the offer's remaining validity, collapse key the offer.
 * Errors by FCM error code: UNREGISTERED and SENDER_ID_MISMATCH remove the token, INVALID_ARGUMENT
 * naming the token removes it too (our message format is fixed, so the token is what was wrong),
 * QUOTA_EXCEEDED, UNAVAILABLE and INTERNAL retry (Retry-After when given), a refused access token is
 * renewed and retried, anything else will not succeed by retrying.
 */
export class FcmSender implements PushSender {
  readonly provider = "fcm" as const;
  private readonly account: ServiceAccount;
  private accessToken: { value: string; until: number } | null = null;

  constructor(private readonly o: FcmSenderOptions) {
    this.account = serviceAccountOf(o.serviceAccountJson);
  }

  async send(registration: PushRegistration, message: PushMessage): Promise<PushSendResult> {
    const now = this.o.now();
    let response: Response;
    try {
      const token = await this.token(now);
      response = await fetch(`${this.o.url}/v1/projects/${encodeURIComponent(this.account.projectId)}/messages:send`, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          message: {
            token: registration.token,
            notification: { title: message.title },
            data: { offerId: message.offerId },
            android: { priority: "high", ttl: `${message.ttlS}s`, collapse_key: message.collapseKey },
          },
        }),
      });
    } catch (err) {
      return { outcome: "retry", reason: `fcm request failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      return { outcome: "sent" };
    }
    const body = (await response.json().catch(() => ({}))) as FcmErrorBody;
    const details = body.error?.details ?? [];
    const code = details.find((d) => d.errorCode !== undefined)?.errorCode ?? body.error?.status ?? `HTTP ${response.status}`;
    const said = `HTTP ${response.status} ${code}`;
    switch (code) {
      case "UNREGISTERED":
      case "SENDER_ID_MISMATCH":
        return { outcome: "gone", reason: said };
      case "INVALID_ARGUMENT": {
        const aboutToken =
          details.some((d) => d.fieldViolations?.some((v) => v.field === "message.token")) ||
          /registration token/i.test(body.error?.message ?? "");
        return aboutToken ? { outcome: "gone", reason: said } : { outcome: "rejected", reason: said };
      }
      case "UNAUTHENTICATED":
        this.accessToken = null;
        return { outcome: "retry", reason: said };
      case "QUOTA_EXCEEDED":
      case "UNAVAILABLE":
      case "INTERNAL": {
        const after = retryAfterMs(response.headers.get("retry-after"), now);
        return after === undefined ? { outcome: "retry", reason: said } : { outcome: "retry", reason: said, retryAfterMs: after };
      }
      default:
        return response.status >= 500 ? { outcome: "retry", reason: said } : { outcome: "rejected", reason: said };
    }
  }

  /** An access token by the JWT-bearer grant, reused until five minutes before it expires. */
  private async token(now: number): Promise<string> {
    if (this.accessToken !== null && this.accessToken.until > now) return this.accessToken.value;
    const iat = Math.floor(now / 1000);
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iss: this.account.clientEmail, scope: SCOPE, aud: this.account.tokenUri, iat, exp: iat + 3600 })}`;
    const assertion = `${input}.${sign("sha256", Buffer.from(input), this.account.privateKey).toString("base64url")}`;
    const response = await fetch(this.account.tokenUri, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!response.ok || typeof body.access_token !== "string")
      throw new Error(`token exchange refused: HTTP ${response.status} ${typeof body.error === "string" ? body.error : ""}`.trim());
    const expiresInS = typeof body.expires_in === "number" ? body.expires_in : 3600;
    this.accessToken = { value: body.access_token, until: now + Math.max(0, expiresInS - 300) * 1000 };
    return body.access_token;
  }
}
