/**
 * Signing as the Standard Webhooks specification says (standardwebhooks.com, "Signature scheme"):
 * the signed content is `{webhook-id}.{webhook-timestamp}.{body}`, signed with HMAC-SHA256 under the
 * key that is the base64 part of a `whsec_` secret, sent as `v1,<base64 signature>`. Several
 * signatures are separated by spaces, so during a rotation a receiver that knows either secret
 * verifies the message. The HMAC is a parameter: this module does no cryptography of its own.
 */

/** HMAC-SHA256 of `data` (UTF-8) under `key`. */
export type HmacSha256 = (key: Uint8Array, data: string) => Uint8Array;

export const SECRET_PREFIX = "whsec_";
/** Key length of a generated secret, bytes (the specification allows 24 to 64). */
export const SECRET_KEY_BYTES = 32;

/** A secret in the specification's format from random key bytes. */
export function formatSecret(key: Uint8Array): string {
  return SECRET_PREFIX + Buffer.from(key).toString("base64");
}

/** The key bytes of a `whsec_` secret; null when it is not one. */
export function secretKey(secret: string): Uint8Array | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  const text = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const key = Buffer.from(text, "base64");
  return key.length >= 24 && key.length <= 64 ? new Uint8Array(key) : null;
}

/** The content signed: `{id}.{timestamp}.{body}` with the timestamp in whole seconds. */
export function signedContent(messageId: string, timestampS: number, body: string): string {
  return `${messageId}.${timestampS}.${body}`;
}

/** The `webhook-signature` header: one `v1,` entry per secret, in the order given. */
export function signatureHeader(
  hmac: HmacSha256,
  secrets: readonly string[],
  messageId: string,
  timestampS: number,
  body: string,
): string {
  const content = signedContent(messageId, timestampS, body);
  const entries: string[] = [];
  for (const secret of secrets) {
    const key = secretKey(secret);
    if (key === null) continue;
    entries.push(`v1,${Buffer.from(hmac(key, content)).toString("base64")}`);
  }
  return entries.join(" ");
}

/** The secrets that sign at `now`: the current one, and the previous one until its grace ends. */
export function signingSecrets(
  endpoint: { readonly secret: string; readonly previousSecret: string | null; readonly previousSecretUntil: number | null },
  now: number,
): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret !== null && endpoint.previousSecretUntil !== null && now < endpoint.previousSecretUntil)
    secrets.push(endpoint.previousSecret);
  return secrets;
}

/** The request headers of one attempt at a message (the id is the same across its retries). */
export function webhookHeaders(
  hmac: HmacSha256,
  secrets: readonly string[],
  messageId: string,
  now: number,
  body: string,
): Record<string, string> {
  const timestampS = Math.floor(now / 1000);
  return {
    "content-type": "application/json",
    "webhook-id": messageId,
    "webhook-timestamp": String(timestampS),
    "webhook-signature": signatureHeader(hmac, secrets, messageId, timestampS, body),
  };
}
