/**
 * The dynamic member code the app shows as a QR at the till: the member id, when the code stops
 * being valid, and a signature by the server's secret over both. A code lives minutes, so a
 * screenshot shown tomorrow is refused; the signature is computed by the service (HMAC-SHA-256,
 * truncated), this module only builds and parses the text. Format: `M1.<memberId>.<expiresAtS in
 * base 36>.<signature>`; the QR payload is `arrival:member:v1:<code>`.
 */

export const MEMBER_CODE_PREFIX = "M1";
export const MEMBER_CODE_QR_PREFIX = "arrival:member:v1:";
/** Default life of a code, seconds. */
export const MEMBER_CODE_TTL_S = 300;
/** Signature length, base64url characters (128 bits). */
export const MEMBER_CODE_SIGNATURE_CHARS = 22;

/** What the signature covers. */
export function memberCodePayload(memberId: string, expiresAtS: number): string {
  return `${MEMBER_CODE_PREFIX}.${memberId}.${expiresAtS.toString(36)}`;
}

export function formatMemberCode(memberId: string, expiresAtS: number, signature: string): string {
  return `${memberCodePayload(memberId, expiresAtS)}.${signature}`;
}

export interface ParsedMemberCode {
  readonly memberId: string;
  readonly expiresAtS: number;
  readonly signature: string;
  /** The signed text, to recompute the signature over. */
  readonly payload: string;
}

/** The parts of a code (or of its QR payload), or null when it is not one. */
export function parseMemberCode(text: string): ParsedMemberCode | null {
  const code = text.startsWith(MEMBER_CODE_QR_PREFIX) ? text.slice(MEMBER_CODE_QR_PREFIX.length) : text;
  const match = /^M1\.([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{22})$/.exec(code.trim());
  if (!match) return null;
  const [, memberId = "", exp = "", signature = ""] = match;
  const expiresAtS = Number.parseInt(exp, 36);
  if (!Number.isSafeInteger(expiresAtS)) return null;
  return { memberId, expiresAtS, signature, payload: memberCodePayload(memberId, expiresAtS) };
}
