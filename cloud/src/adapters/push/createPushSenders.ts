import { readFile } from "node:fs/promises";
import type { CloudConfig } from "../../config/schema.js";
import type { Logger, Scheduler } from "../../services/ports.js";
import type { PushSender } from "../../services/push/PushSender.js";
import { ApnsSender } from "./ApnsSender.js";
import { FcmSender } from "./FcmSender.js";
import { vapidKeysFromPem } from "./webPushCrypto.js";
import { WebPushSender } from "./WebPushSender.js";

/** The senders of every provider the config sets up, and the VAPID public key (null without Web Push). */
export async function createPushSenders(
  config: CloudConfig["push"],
  now: () => number,
  runtime: { readonly scheduler: Scheduler; readonly log: Logger },
): Promise<{ senders: PushSender[]; vapidPublicKey: string | null }> {
  const senders: PushSender[] = [];
  let vapidPublicKey: string | null = null;
  if (config.webPush) {
    const vapid = vapidKeysFromPem(await readFile(config.webPush.vapidKeyFile, "utf8"));
    vapidPublicKey = vapid.publicKey;
    const threads = config.webPush.encryptionThreads;
    senders.push(
      new WebPushSender({
        vapid,
        subject: config.webPush.subject,
        now,
        scheduler: runtime.scheduler,
        log: runtime.log,
        ...(threads === undefined ? {} : { encryptionThreads: threads }),
      }),
    );
  }
  if (config.apns) {
    senders.push(
      new ApnsSender({
        teamId: config.apns.teamId,
        keyId: config.apns.keyId,
        signingKeyPem: await readFile(config.apns.keyFile, "utf8"),
        topic: config.apns.topic,
        productionUrl: config.apns.productionUrl,
        developmentUrl: config.apns.developmentUrl,
        now,
      }),
    );
  }
  if (config.fcm) {
    senders.push(
      new FcmSender({ serviceAccountJson: await readFile(config.fcm.serviceAccountFile, "utf8"), url: config.fcm.url, now }),
    );
  }
  return { senders, vapidPublicKey };
}
