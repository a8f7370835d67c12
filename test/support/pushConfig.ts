import { createECDH, generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh P-256 key pair as PEM (PKCS#8 private key): a VAPID key or an APNs .p8 key. */
export function p256Pem(): string {
  return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}

/** The cloud's `push` config with Web Push on a fresh VAPID key file; `extra` is merged in. */
export async function webPushConfig(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), "arrival-push-"));
  const vapidKeyFile = join(dir, "vapid.pem");
  await writeFile(vapidKeyFile, p256Pem(), { mode: 0o600 });
  return { webPush: { subject: "mailto:ops@arrival.invalid", vapidKeyFile }, ...extra };
}

/** Keys of a browser subscription that are well-formed (a real P-256 point, a 16-byte secret). */
export function subscriptionKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") };
}
