import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Secret hashing for MQTT passwords and API keys: scrypt (RFC 7914) with a per-secret salt, stored
 * as `scrypt$N$r$p$salt$hash` so parameters can be raised later without breaking old records.
 * N = 2^14, r = 8, p = 1 is the interactive-login cost recommended by the scrypt paper.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scryptAsync(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LEN, { N: n, r, p, maxmem: 256 * n * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (!Number.isInteger(n) || !Number.isInteger(r) || !Number.isInteger(p)) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  const actual = await scryptAsync(secret, salt, n, r, p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A new random secret: 32 bytes, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** A short, non-secret fingerprint for caches and logs (never the secret itself). */
export function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}
