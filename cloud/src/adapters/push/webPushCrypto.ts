import { createCipheriv, createECDH, createHmac, createPrivateKey, createPublicKey, type ECDH, type KeyObject, randomBytes, sign } from "node:crypto";

/** RFC 8291 §3.4: the key info's label; the subscriber's and the sender's public keys follow it. */
const KEY_INFO_LABEL = Buffer.from("WebPush: info\0");
/** RFC 8188 §2.2 and §2.3: the CEK's and the nonce's info, each with HKDF-Expand's counter byte T(1). */
const CEK_INFO_T1 = Buffer.from("Content-Encoding: aes128gcm\0\x01", "latin1");
const NONCE_INFO_T1 = Buffer.from("Content-Encoding: nonce\0\x01", "latin1");
const T1 = Buffer.from([1]);
/** RFC 8188 §2: the padding delimiter of the last (here the only) record. */
const LAST_RECORD = Buffer.from([2]);
/** salt (16) || rs (4) || idlen (1) || keyid (the sender's uncompressed P-256 public key, 65). */
const HEADER_BYTES = 21 + 65;
const TAG_BYTES = 16;
/** The sender's ECDH object, re-keyed for every message (encryption is synchronous, so never shared mid-use). */
let messageKeys: ECDH | undefined;

/**
 * Web Push message encryption, `aes128gcm` (RFC 8291 §3.4 over RFC 8188 §2): one record, the
 * plaintext followed by the 0x02 last-record delimiter and no padding. A fresh ECDH key pair and salt
 * per message; the result is the body to POST with `Content-Encoding: aes128gcm`.
 *
 * Each HKDF here yields at most 32 bytes, so it is one HMAC-SHA-256 to extract and one to expand
 * (RFC 5869 §2: T(1) only), written out: the same bytes as `hkdfSync`, without its key objects and
 * argument copies, and the CEK and the nonce share one extract of the IKM with the salt. The ECDH
 * shared secret is most of what remains (the `fixed` inputs only reproduce known vectors).
 */
export function encryptWebPush(
  plaintext: Buffer,
  subscription: { readonly p256dh: Buffer; readonly auth: Buffer },
  fixed?: { readonly privateKey: Buffer; readonly salt: Buffer },
): Buffer {
  let ecdh: ECDH;
  let asPublic: Buffer; // uncompressed, 65 bytes
  if (fixed) {
    ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(fixed.privateKey);
    asPublic = ecdh.getPublicKey();
  } else {
    // A fresh key pair for this message (RFC 8291 §3.1) on an ECDH object kept for the thread:
    // `generateKeys` replaces both keys, and building the object cost as much as the key pair.
    ecdh = messageKeys ??= createECDH("prime256v1");
    asPublic = ecdh.generateKeys();
  }
  if (asPublic.length !== 65) throw new Error(`unexpected public key length ${asPublic.length}`);
  const ecdhSecret = ecdh.computeSecret(subscription.p256dh);
  // RFC 8291 §3.3: IKM = HKDF(salt = auth_secret, ikm = ecdh_secret, info = "WebPush: info" || 0x00 || ua_public || as_public, 32).
  const prkKey = createHmac("sha256", subscription.auth).update(ecdhSecret).digest();
  const ikm = createHmac("sha256", prkKey).update(KEY_INFO_LABEL).update(subscription.p256dh).update(asPublic).update(T1).digest();
  const salt = fixed?.salt ?? randomBytes(16);
  // RFC 8188 §2.2/2.3: PRK = HMAC(salt, IKM); CEK and nonce expand from it.
  const prk = createHmac("sha256", salt).update(ikm).digest();
  const cek = createHmac("sha256", prk).update(CEK_INFO_T1).digest().subarray(0, 16);
  const nonce = createHmac("sha256", prk).update(NONCE_INFO_T1).digest().subarray(0, 12);
  const cipher = createCipheriv("aes-128-gcm", cek, nonce);
  const recordBytes = plaintext.length + 1 + TAG_BYTES;
  const body = Buffer.allocUnsafe(HEADER_BYTES + recordBytes);
  salt.copy(body, 0);
  // A single record: rs only has to exceed it (RFC 8188 §2: rs must be larger than the record).
  body.writeUInt32BE(Math.max(4096, recordBytes + 1), 16);
  body.writeUInt8(65, 20);
  asPublic.copy(body, 21);
  let at = HEADER_BYTES;
  at += cipher.update(plaintext).copy(body, at);
  at += cipher.update(LAST_RECORD).copy(body, at);
  at += cipher.final().copy(body, at);
  cipher.getAuthTag().copy(body, at);
  return body;
}

/** A VAPID key pair (RFC 8292): the private key to sign with and the public key as sent in `k=`. */
export interface VapidKeys {
  readonly privateKey: KeyObject;
  /** Uncompressed P-256 point, base64url: the `k` parameter and the browser's applicationServerKey. */
  readonly publicKey: string;
}

/** Reads a PEM P-256 private key and derives the public key the browser subscribes with. */
export function vapidKeysFromPem(pem: string): VapidKeys {
  const privateKey = createPrivateKey(pem);
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  if (jwk.crv !== "P-256" || jwk.x === undefined || jwk.y === undefined) throw new Error("the VAPID key must be a P-256 key");
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return { privateKey, publicKey: point.toString("base64url") };
}

/**
 * A compact JWS with ES256 (RFC 7515, RFC 7518 §3.4: the signature is r || s, 64 bytes, hence
 * `dsaEncoding: "ieee-p1363"`, not DER). Used for VAPID and the APNs provider token.
 */
export function signEs256Jwt(header: object, claims: object, key: KeyObject): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const signature = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

/**
 * The `Authorization` header value for a push to `endpoint` (RFC 8292 §3): `vapid t=<JWT>, k=<key>`,
 * the JWT's `aud` being the endpoint's origin and `exp` at most 24 h ahead (we use 12 h).
 */
export function vapidAuthorization(endpoint: string, subject: string, keys: VapidKeys, nowMs: number): string {
  const exp = Math.floor(nowMs / 1000) + 12 * 3600;
  const jwt = signEs256Jwt({ typ: "JWT", alg: "ES256" }, { aud: new URL(endpoint).origin, exp, sub: subject }, keys.privateKey);
  return `vapid t=${jwt}, k=${keys.publicKey}`;
}
