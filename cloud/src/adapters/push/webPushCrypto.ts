import { createCipheriv, createECDH, createPrivateKey, createPublicKey, hkdfSync, type KeyObject, randomBytes, sign } from "node:crypto";

/**
 * Web Push message encryption, `aes128gcm` (RFC 8291 §3.4 over RFC 8188 §2): one record, the
 * plaintext followed by the 0x02 last-record delimiter and no padding. A fresh ECDH key pair and salt
 * per message; the result is the body to POST with `Content-Encoding: aes128gcm`.
 */
export function encryptWebPush(
  plaintext: Buffer,
  subscription: { readonly p256dh: Buffer; readonly auth: Buffer },
  fixed?: { readonly privateKey: Buffer; readonly salt: Buffer },
): Buffer {
  const ecdh = createECDH("prime256v1");
  if (fixed) ecdh.setPrivateKey(fixed.privateKey);
  else ecdh.generateKeys();
  const asPublic = ecdh.getPublicKey(); // uncompressed, 65 bytes
  const ecdhSecret = ecdh.computeSecret(subscription.p256dh);
  // RFC 8291 §3.3: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32).
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), subscription.p256dh, asPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", ecdhSecret, subscription.auth, keyInfo, 32));
  const salt = fixed?.salt ?? randomBytes(16);
  // RFC 8188 §2.2/2.3: CEK and nonce from the salt and IKM.
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const cipher = createCipheriv("aes-128-gcm", cek, nonce);
  const ciphertext = Buffer.concat([cipher.update(Buffer.concat([plaintext, Buffer.from([2])])), cipher.final(), cipher.getAuthTag()]);
  // Header: salt (16) || rs (uint32 BE) || idlen (1) || keyid (the sender's public key, 65).
  const header = Buffer.alloc(21);
  salt.copy(header, 0);
  // A single record: rs only has to exceed it (RFC 8188 §2: rs must be larger than the record).
  header.writeUInt32BE(Math.max(4096, ciphertext.length + 1), 16);
  header.writeUInt8(asPublic.length, 20);
  return Buffer.concat([header, asPublic, ciphertext]);
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
