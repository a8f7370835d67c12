/**
 * What an Arrival push notification carries, on every provider: the offer's id and title, nothing
 * about the shopper. The app shows the title and fetches the offer itself (`ArrivalClient.catchUp`).
 */
export interface PushPayload {
  readonly offerId: string;
  readonly title: string | null;
}

/**
 * Reads a push payload as each platform hands it to the app: Web Push's decrypted JSON text or its
 * parsed object (`{ offerId, title }`), an APNs `userInfo` (`{ aps: { alert: { title } }, offerId }`)
 * or FCM `RemoteMessage.data` (`{ offerId }`, the title in the notification). Null when it is not an
 * Arrival offer notification.
 */
export function readPushPayload(data: unknown): PushPayload | null {
  let value = data;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  const offerId = record.offerId;
  if (typeof offerId !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(offerId)) return null;
  const aps = record.aps as { alert?: { title?: unknown } } | undefined;
  const title = typeof record.title === "string" ? record.title : typeof aps?.alert?.title === "string" ? aps.alert.title : null;
  return { offerId, title };
}
