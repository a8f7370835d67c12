export interface AppUser {
  readonly id: string;
  readonly orgId: string;
  readonly displayName: string | null;
  readonly segments: readonly string[];
  readonly loyaltyTier: string | null;
  readonly marketingConsent: boolean;
  readonly analyticsConsent: boolean;
}

/** A beacon or device registered to an app user; `subjectId` is what the gateways report. */
export interface RegisteredDevice {
  readonly subjectId: string;
  readonly userId: string;
  readonly label: string | null;
  /** The identity it was registered with (e.g. iBeacon uuid/major/minor); null for older rows. */
  readonly identity: unknown;
  readonly createdAt: number;
}

/** App users and the beacons or devices registered to them. */
export interface UserRepository {
  /** Creates the user or updates their profile and consents (the organisation is kept). */
  upsertUser(user: AppUser, now: number): Promise<void>;
  getUser(id: string): Promise<AppUser | null>;
  /** The users of `ids` that exist, in any order (a decision group's users in one read). */
  usersByIds(ids: readonly string[]): Promise<AppUser[]>;
  /**
   * Registers a device to the user in the user's organisation, moving it from another user of that
   * organisation if it was theirs (seeding and fixtures; the API uses `addDevice`). Throws when the
   * user does not exist.
   */
  registerDevice(subjectId: string, userId: string, label: string | null, now: number): Promise<void>;
  /** The user's devices, oldest first. */
  listDevices(userId: string): Promise<RegisteredDevice[]>;
  /**
   * Registers a device to a user: `added`, `exists` (already this user's; the label is updated) or
   * `taken` (registered to another user of the organisation, which is left alone). Throws when the
   * user does not exist.
   */
  addDevice(device: Omit<RegisteredDevice, "createdAt">, now: number): Promise<"added" | "exists" | "taken">;
  removeDevice(userId: string, subjectId: string): Promise<boolean>;
  /**
   * How many of the organisation's members a rule's audience conditions reach: marketing consent
   * given, in one of `segments` and of `tiers` where each is given (absent: any).
   */
  countReachable(orgId: string, audience: { readonly segments?: readonly string[]; readonly tiers?: readonly string[] }): Promise<number>;
}
