/** The OS push services an installation can be reached through. */
export type PushProvider = "webpush" | "apns" | "fcm";

/** Web Push subscription keys (RFC 8291 §3.1): the browser's P-256 public key and auth secret, base64url. */
export interface WebPushKeys {
  readonly p256dh: string;
  readonly auth: string;
}

/** Where one app installation of a member is reached by push. */
export interface PushRegistration {
  readonly userId: string;
  /** The app's own id for this installation (stable across launches, new after a reinstall). */
  readonly installationId: string;
  readonly orgId: string;
  readonly provider: PushProvider;
  /** Web Push: the subscription endpoint URL; APNs: the device token (hex); FCM: the registration token. */
  readonly token: string;
  /** Web Push only; null otherwise. */
  readonly keys: WebPushKeys | null;
  /** APNs only: which APNs host the token belongs to; null otherwise. */
  readonly environment: "production" | "development" | null;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms. */
  readonly updatedAt: number;
}

export type NewPushRegistration = Omit<PushRegistration, "createdAt" | "updatedAt">;

/**
 * Push registrations per member and installation. A token reaches one device, so registering a
 * token that another installation holds moves it (the newest registration wins).
 */
export interface PushRegistrationRepository {
  /** Creates or replaces the installation's registration; `createdAt` is kept on a replace. */
  upsertPushRegistration(
    registration: NewPushRegistration,
    now: number,
  ): Promise<{ registration: PushRegistration; created: boolean }>;
  /** A member's registrations, by installation id. */
  pushRegistrations(userId: string): Promise<PushRegistration[]>;
  pushRegistration(userId: string, installationId: string): Promise<PushRegistration | null>;
  /**
   * The registrations of every member in `userIds`, ordered by member and installation: one read
   * for a batch of offers or outbox items instead of one per member.
   */
  pushRegistrationsOf(userIds: readonly string[]): Promise<PushRegistration[]>;
  /** True when there was one to remove. */
  removePushRegistration(userId: string, installationId: string): Promise<boolean>;
  /** Removes every registration holding `token` (the push service said it is gone); how many. */
  removePushToken(provider: PushProvider, token: string): Promise<number>;
}
