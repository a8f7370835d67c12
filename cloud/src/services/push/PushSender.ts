import type { PushProvider, PushRegistration } from "../repositories.js";

/**
 * What a notification carries: the offer's id and title, nothing about the member (the app fetches
 * the rest with its own key). The same for every provider; each adapter maps it to its format.
 */
export interface PushMessage {
  readonly offerId: string;
  readonly title: string;
  /** How long the push service may hold it for an unreachable device, seconds (the offer's remaining validity). */
  readonly ttlS: number;
  /** A repeat of the same offer replaces the earlier notification (Web Push Topic, apns-collapse-id, FCM collapse key). */
  readonly collapseKey: string;
}

/**
 * How a push service answered, as a value: `gone` means the registration is dead and is removed
 * (Web Push 404/410, APNs 410 Unregistered or 400 BadDeviceToken, FCM UNREGISTERED); `retry` is
 * worth another attempt (429, 5xx, a network error), after `retryAfterMs` when the service said;
 * `rejected` will not succeed however often it is sent (a bad request, bad credentials).
 */
export type PushSendResult =
  | { readonly outcome: "sent" }
  | { readonly outcome: "gone"; readonly reason: string }
  | { readonly outcome: "retry"; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly outcome: "rejected"; readonly reason: string };

/** One OS push service behind one adapter (`adapters/push/`). */
export interface PushSender {
  readonly provider: PushProvider;
  /** Sends one notification; never throws for what the service answered, only returns it. */
  send(registration: PushRegistration, message: PushMessage): Promise<PushSendResult>;
  /** Closes connections (APNs keeps an HTTP/2 session open). */
  close?(): Promise<void>;
}

/**
 * Reads a Retry-After header (RFC 9110 §10.2.3: delay-seconds or an HTTP date) into milliseconds
 * from `now`; undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined || header === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
