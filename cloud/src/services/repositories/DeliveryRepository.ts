/** How an offer reached a member: an OS push notification, the MQTT channel, or the app's pull. */
export type DeliveryChannel = "push" | "mqtt" | "pull";
export const DELIVERY_CHANNELS: readonly DeliveryChannel[] = ["push", "mqtt", "pull"];

/** An offer delivered by a channel (the store it was issued at places it in an organisation). */
export interface DeliveryReceipt {
  readonly offerId: string;
  readonly storeId: string;
  readonly channel: DeliveryChannel;
}

/** `pending` waits for its next attempt; the others are final. */
export type PushOutboxStatus = "pending" | "sent" | "dropped" | "dead";

/** A push notification to send: one offer to one installation. */
export interface NewPushOutboxItem {
  readonly id: string;
  readonly offerId: string;
  readonly userId: string;
  readonly installationId: string;
  readonly orgId: string;
  readonly storeId: string;
  /** The offer's title: with its id, all a notification carries. */
  readonly title: string;
  /** Epoch ms: when the offer expires, after which the notification is pointless. */
  readonly expiresAt: number;
  /** Epoch ms: the first attempt. */
  readonly nextAttemptAt: number;
}

export interface PushOutboxItem extends NewPushOutboxItem {
  readonly status: PushOutboxStatus;
  readonly attempts: number;
  /** Why the last attempt failed, or why the item was dropped or dead-lettered. */
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Quiet hours as local wall-clock times `HH:MM` in the store's timezone; `end` may be past midnight. */
export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

/** An organisation's push policy, or a store's override of its quiet hours. */
export interface PushPolicy {
  /** No push notification between these local times (null: none). */
  readonly quietHours: QuietHours | null;
  /** At most one offer notified per member per this many minutes (null: the configured default). */
  readonly frequencyCapMinutes: number | null;
}

/**
 * The durable push outbox, delivery receipts per channel and what the delivery policies need: an
 * item is written before its first attempt and changes state in place, so a restart resumes every
 * pending one; receipts keep the first time each channel delivered an offer.
 */
export interface DeliveryRepository {
  /** Stores new items; an item for an offer and installation already queued is ignored. How many were new. */
  enqueuePush(items: readonly NewPushOutboxItem[], now: number): Promise<number>;
  /** Pending items due at `now`, earliest first, at most `limit`. */
  duePush(now: number, limit: number): Promise<PushOutboxItem[]>;
  /** When the earliest pending item is due (epoch ms), or null when none is pending. */
  nextPushDueAt(): Promise<number | null>;
  pushItem(id: string): Promise<PushOutboxItem | null>;
  /** Sets a pending item's next attempt (a retry or a deferral), its attempt count and the reason. */
  reschedulePush(id: string, change: { attempts: number; nextAttemptAt: number; error: string | null }, now: number): Promise<void>;
  /**
   * Ends an item: sent, dropped (nothing to do) or dead (given up), with the reason for the last two;
   * `receipt` is recorded in the same write (a sent item's push receipt), as `recordReceipts` would.
   */
  settlePush(
    id: string,
    status: Exclude<PushOutboxStatus, "pending">,
    reason: string | null,
    now: number,
    receipt?: DeliveryReceipt,
  ): Promise<void>;
  /** An organisation's dead letters, newest first. */
  deadPush(orgId: string, limit: number): Promise<PushOutboxItem[]>;
  /** Puts a dead letter back in the queue, due at `now`, its attempts reset; false when it is not dead. */
  replayPush(id: string, now: number): Promise<boolean>;
  /** Records receipts; only the first per offer and channel is kept. */
  recordReceipts(receipts: readonly DeliveryReceipt[], at: number): Promise<void>;
  /**
   * Offers delivered per channel with a receipt in [from, to) (an offer counts once per channel), at
   * the organisation's stores or at one of them.
   */
  receiptCounts(query: { orgId: string; storeId: string | null; from: number; to: number }): Promise<Record<DeliveryChannel, number>>;
  /**
   * The frequency cap's claim: notes `offerId` as the member's notified offer at `now` unless another
   * offer was notified within `capMs` before. True when the offer may be notified (claimed now, or the
   * same offer claimed before, by another channel).
   */
  claimNotification(userId: string, offerId: string, now: number, capMs: number): Promise<boolean>;
  /** The organisation's policy (`storeId` null) or a store's override; null when none is set. */
  pushPolicy(orgId: string, storeId: string | null): Promise<PushPolicy | null>;
  setPushPolicy(orgId: string, storeId: string | null, policy: PushPolicy, now: number): Promise<void>;
}
