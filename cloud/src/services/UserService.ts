import { type BeaconIdentity, subjectIdOfBeacon } from "../../../protocol/index.js";
import { type CredentialService, mqttUsernameFor, type Principal } from "./CredentialService.js";
import { conflict, done, forbidden, notFound, type Outcome } from "./Outcome.js";
import type { Clock, Logger } from "./ports.js";
import type {
  AppUser,
  AuditRepository,
  ErasureReport,
  CredentialRepository,
  ErasureRepository,
  RegisteredDevice,
  UserRepository,
} from "./repositories.js";

/** A profile as a CRM sends it; consent is optional (and reserved to admins, see `upsertProfile`). */
export interface ProfileInput {
  readonly displayName: string | null;
  readonly segments: readonly string[];
  readonly loyaltyTier: string | null;
  readonly consent?: Consent;
}

export interface Consent {
  /** Offers may be sent (direct marketing). */
  readonly marketing: boolean;
  /** Presence may be used for analytics. */
  readonly analytics: boolean;
}

export interface UserServiceOptions {
  readonly users: UserRepository;
  /** The user's API keys and MQTT credentials, to revoke them on erasure. */
  readonly credentialsOfUser: Pick<CredentialRepository, "apiKeysOfUser" | "mqttUsernamesOfUser">;
  readonly privacy: ErasureRepository;
  readonly credentials: Pick<CredentialService, "revokeMqtt" | "revokeApiKey">;
  readonly audit: AuditRepository;
  readonly clock: Clock;
  readonly log: Logger;
  /** A fresh random token (for the pseudonym that replaces an erased user in kept records). */
  readonly randomToken: () => string;
  /** Called once a user is erased, so in-memory views (the live feed) drop them too. */
  readonly onErased?: (userId: string) => void;
  /** Called when a user withdraws analytics consent, so in-memory views stop naming them. */
  readonly onAnalyticsWithdrawn?: (userId: string) => void;
  /** Called when a user gives analytics consent (a new user with it, or given again). */
  readonly onAnalyticsGiven?: (userId: string) => void;
}

const actorOf = (principal: Principal): string => `api-key:${principal.keyId}`;

/**
 * App users' profiles, consent, registered beacons and erasure. Who may do what (least privilege):
 * - a CRM upserts profiles with an admin or marketer key; only an admin key may set consent in that
 *   upsert, because consent is the shopper's own statement and a marketer must not be able to grant
 *   marketing consent to their own campaigns;
 * - consent, registered beacons and erasure: the user's own app key, or an admin;
 * - an app key acts only for its own user; a user of another organisation is "not found".
 */
export class UserService {
  constructor(private readonly o: UserServiceOptions) {}

  /** The user if the principal may act on them. */
  async visibleUser(principal: Principal, userId: string): Promise<Outcome<AppUser>> {
    if (principal.role === "app" && principal.userId !== userId)
      return forbidden("an app key may only act for its own user");
    const user = await this.o.users.getUser(userId);
    if (user?.orgId !== principal.orgId) return notFound(`no user ${userId}`);
    return done(user);
  }

  /** Creates or replaces a profile; consent is kept when the body has none. */
  async upsertProfile(
    principal: Principal,
    userId: string,
    input: ProfileInput,
  ): Promise<Outcome<{ user: AppUser; created: boolean }>> {
    if (input.consent !== undefined && principal.role !== "admin")
      return forbidden("only an admin key may set consent in a profile; the user sets it through the app");
    const existing = await this.o.users.getUser(userId);
    // User ids are unique across organisations; another's user is "not found", never overwritten.
    if (existing && existing.orgId !== principal.orgId) return notFound(`no user ${userId}`);
    const user: AppUser = {
      id: userId,
      orgId: principal.orgId,
      displayName: input.displayName,
      segments: [...new Set(input.segments)],
      loyaltyTier: input.loyaltyTier,
      // A new user has consented to nothing until they say so (GDPR art. 7: consent is opt-in).
      marketingConsent: input.consent?.marketing ?? existing?.marketingConsent ?? false,
      analyticsConsent: input.consent?.analytics ?? existing?.analyticsConsent ?? false,
    };
    const now = this.o.clock.now();
    await this.o.users.upsertUser(user, now);
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: existing ? "user.update" : "user.create",
      target: `user:${userId}`,
      detail: input.consent ? { consent: input.consent } : {},
    });
    if (existing?.analyticsConsent === true && !user.analyticsConsent) this.o.onAnalyticsWithdrawn?.(userId);
    if (existing?.analyticsConsent !== true && user.analyticsConsent) this.o.onAnalyticsGiven?.(userId);
    return done({ user, created: existing === null });
  }

  async setConsent(principal: Principal, userId: string, consent: Consent): Promise<Outcome<AppUser>> {
    const visible = await this.visibleUser(principal, userId);
    if (!visible.ok) return visible;
    const user: AppUser = { ...visible.value, marketingConsent: consent.marketing, analyticsConsent: consent.analytics };
    const now = this.o.clock.now();
    await this.o.users.upsertUser(user, now);
    // Consent changes are evidence (GDPR art. 7(1): the controller must be able to show consent).
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "user.consent",
      target: `user:${userId}`,
      detail: { consent },
    });
    if (visible.value.analyticsConsent && !consent.analytics) this.o.onAnalyticsWithdrawn?.(userId);
    if (!visible.value.analyticsConsent && consent.analytics) this.o.onAnalyticsGiven?.(userId);
    return done(user);
  }

  async listDevices(principal: Principal, userId: string): Promise<Outcome<RegisteredDevice[]>> {
    const visible = await this.visibleUser(principal, userId);
    if (!visible.ok) return visible;
    return done(await this.o.users.listDevices(userId));
  }

  /** Registers a beacon under the subject id the gateways report for it. */
  async addDevice(
    principal: Principal,
    userId: string,
    identity: BeaconIdentity,
    label: string | null,
  ): Promise<Outcome<{ device: RegisteredDevice; created: boolean }>> {
    const visible = await this.visibleUser(principal, userId);
    if (!visible.ok) return visible;
    const subjectId = subjectIdOfBeacon(identity);
    const now = this.o.clock.now();
    const result = await this.o.users.addDevice({ subjectId, userId, label, identity }, now);
    if (result === "taken") return conflict("this beacon is registered to another user");
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "user.device.add",
      target: `user:${userId}`,
      detail: { subjectId },
    });
    const device = (await this.o.users.listDevices(userId)).find((d) => d.subjectId === subjectId);
    if (!device) return notFound("the device was removed meanwhile");
    return done({ device, created: result === "added" });
  }

  async removeDevice(principal: Principal, userId: string, subjectId: string): Promise<Outcome<{ removed: true }>> {
    const visible = await this.visibleUser(principal, userId);
    if (!visible.ok) return visible;
    if (!(await this.o.users.removeDevice(userId, subjectId))) return notFound(`no device ${subjectId} of this user`);
    await this.o.audit.audit({
      at: this.o.clock.now(),
      actor: actorOf(principal),
      action: "user.device.remove",
      target: `user:${userId}`,
      detail: { subjectId },
    });
    return done({ removed: true });
  }

  /**
   * Erases a user. Credentials go first: every MQTT credential is revoked at the broker (which cuts
   * a connected app at once) and every API key of the user is revoked; if the broker cannot be
   * reached this throws before anything is deleted, so the request can simply be repeated. Then the
   * data goes in one transaction (see `ErasureRepository.eraseUser`), and the audit record names
   * only a random pseudonym and counts.
   */
  async erase(principal: Principal, userId: string): Promise<Outcome<ErasureReport & { reference: string }>> {
    const visible = await this.visibleUser(principal, userId);
    if (!visible.ok) return visible;
    const actor = actorOf(principal);
    const usernames = new Set([
      mqttUsernameFor({ role: "app", userId }),
      ...(await this.o.credentialsOfUser.mqttUsernamesOfUser(userId)),
    ]);
    for (const username of usernames) await this.o.credentials.revokeMqtt(username, actor);
    for (const keyId of await this.o.credentialsOfUser.apiKeysOfUser(userId)) await this.o.credentials.revokeApiKey(keyId, actor);
    const reference = `erased-${this.o.randomToken()}`;
    const report = await this.o.privacy.eraseUser(userId, reference);
    this.o.onErased?.(userId);
    await this.o.audit.audit({
      at: this.o.clock.now(),
      actor,
      action: "user.erase",
      target: reference,
      detail: { ...report },
    });
    this.o.log.info({ reference, actor }, "user erased");
    return done({ ...report, reference });
  }
}
