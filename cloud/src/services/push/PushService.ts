import { isIP } from "node:net";
import type { Problem } from "../../../../protocol/index.js";
import { isValidTimeZone } from "../../domain/rules/index.js";
import type { Principal } from "../CredentialService.js";
import { done, forbidden, notFound, type Outcome, refuse } from "../Outcome.js";
import type { AuditRepository, DeliveryChannel, DeliveryRepository, DirectoryRepository, PushOutboxItem, PushPolicy, PushProvider, PushRegistration, PushRegistrationRepository, UserRepository } from "../repositories.js";
import type { Clock } from "../ports.js";

/** A registration as the app sends it. */
export interface PushRegistrationInput {
  readonly provider: PushProvider;
  readonly token: string;
  readonly keys?: { readonly p256dh: string; readonly auth: string } | undefined;
  readonly environment?: "production" | "development" | undefined;
}

export interface PushServiceOptions {
  readonly registrations: PushRegistrationRepository;
  readonly delivery: DeliveryRepository;
  readonly users: Pick<UserRepository, "getUser">;
  readonly directory: Pick<DirectoryRepository, "getStore">;
  readonly audit: AuditRepository;
  readonly clock: Clock;
  /** Providers the cloud can send through (configured); others are refused at registration. */
  readonly providers: () => readonly PushProvider[];
  /** The VAPID public key (base64url, uncompressed P-256) a browser subscribes with; null without Web Push. */
  readonly vapidPublicKey: string | null;
  /** Accept http:// and loopback or private-address Web Push endpoints (development only). */
  readonly allowPrivateEndpoints: boolean;
  /** Puts replayed dead letters through the outbox now. */
  readonly onReplayed?: () => void;
}

const actorOf = (principal: Principal): string => `api-key:${principal.keyId}`;

/** Push registrations one member may hold (phones, tablets, browsers). */
export const MAX_INSTALLATIONS = 20;

/** A URL the cloud may POST to on an app's say-so: https on a public host, unless development allows otherwise. */
export function endpointProblem(endpoint: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username !== "" || url.password !== "") return "must not carry credentials";
  if (allowPrivate) return url.protocol === "https:" || url.protocol === "http:" ? null : "must be an http(s) URL";
  if (url.protocol !== "https:") return "must be an https URL";
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(host) !== 0) return isPrivateAddress(host) ? "must be on a public address" : null;
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || !host.includes("."))
    return "must be on a public host";
  return null;
}

/** Loopback, private (RFC 1918, RFC 4193), link-local, CGNAT, unspecified: not a push service. */
function isPrivateAddress(ip: string): boolean {
  if (ip.includes(":")) {
    // An IPv4-mapped address, as written (::ffff:127.0.0.1) or as URL parsing normalises it (::ffff:7f00:1).
    const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1];
    if (dotted) return isPrivateAddress(dotted);
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
    if (hex?.[1] && hex[2]) {
      const [hi, lo] = [Number.parseInt(hex[1], 16), Number.parseInt(hex[2], 16)];
      return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    return ip === "::" || ip === "::1" || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip);
  }
  const [a = 0, b = 0] = ip.split(".").map(Number);
  return (
    a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224
  );
}

function base64urlBytes(value: string): number | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return null;
  return Buffer.from(value, "base64url").length;
}

/**
 * Push API behaviour: registrations per member and installation (the app for its own user, or an
 * admin), the organisation's and stores' push policies (admin), dead letters and their replay
 * (admin), and delivery receipts per channel (analytics roles).
 */
export class PushService {
  constructor(private readonly o: PushServiceOptions) {}

  private async visibleUser(principal: Principal, userId: string): Promise<Outcome<null>> {
    if (principal.role === "app" && principal.userId !== userId)
      return forbidden("an app key may only act for its own user");
    const user = await this.o.users.getUser(userId);
    if (user?.orgId !== principal.orgId) return notFound(`no user ${userId}`);
    return done(null);
  }

  /** What the app needs to subscribe a browser: the VAPID public key (RFC 8292 §3.2). */
  webPushKey(): Outcome<{ publicKey: string }> {
    if (this.o.vapidPublicKey === null) return notFound("Web Push is not configured on this cloud");
    return done({ publicKey: this.o.vapidPublicKey });
  }

  async register(
    principal: Principal,
    userId: string,
    installationId: string,
    input: PushRegistrationInput,
  ): Promise<Outcome<{ registration: PushRegistration; created: boolean }>> {
    const visible = await this.visibleUser(principal, userId);
    if (!visible.ok) return visible;
    const problems = this.check(input);
    if (problems.length > 0) return refuse("VALIDATION_FAILED", "the push registration is not usable", problems);
    // Every offer goes to every installation: a member with unbounded installations would turn one
    // offer into unbounded pushes.
    const existing = await this.o.registrations.pushRegistrations(userId);
    if (existing.length >= MAX_INSTALLATIONS && !existing.some((r) => r.installationId === installationId))
      return refuse("CONFLICT", `a member has at most ${MAX_INSTALLATIONS} push registrations; remove one first`);
    const now = this.o.clock.now();
    const result = await this.o.registrations.upsertPushRegistration(
      {
        userId,
        installationId,
        orgId: principal.orgId,
        provider: input.provider,
        token: input.token,
        keys: input.provider === "webpush" && input.keys ? { p256dh: input.keys.p256dh, auth: input.keys.auth } : null,
        environment: input.provider === "apns" ? (input.environment ?? "production") : null,
      },
      now,
    );
    // The token itself is a bearer address of the device: the audit names only the installation.
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "user.push.register",
      target: `user:${userId}`,
      detail: { installationId, provider: input.provider },
    });
    return done(result);
  }

  private check(input: PushRegistrationInput): Problem[] {
    const problems: Problem[] = [];
    if (!this.o.providers().includes(input.provider))
      problems.push({ path: "/provider", message: `${input.provider} is not configured on this cloud` });
    switch (input.provider) {
      case "webpush": {
        const endpoint = endpointProblem(input.token, this.o.allowPrivateEndpoints);
        if (endpoint !== null) problems.push({ path: "/token", message: endpoint });
        if (input.keys === undefined) problems.push({ path: "/keys", message: "a Web Push subscription needs its keys" });
        else {
          // RFC 8291 §3.1: an uncompressed P-256 point (65 bytes) and a 16-byte auth secret.
          if (base64urlBytes(input.keys.p256dh) !== 65 || !input.keys.p256dh.startsWith("B"))
            problems.push({ path: "/keys/p256dh", message: "must be an uncompressed P-256 public key, base64url" });
          if (base64urlBytes(input.keys.auth) !== 16)
            problems.push({ path: "/keys/auth", message: "must be 16 bytes, base64url" });
        }
        break;
      }
      case "apns":
        if (!/^[0-9a-fA-F]{64,200}$/.test(input.token)) problems.push({ path: "/token", message: "must be the device token in hex" });
        break;
      case "fcm":
        if (!/^[A-Za-z0-9_:-]{20,4096}$/.test(input.token)) problems.push({ path: "/token", message: "must be an FCM registration token" });
        break;
      default: {
        const never: never = input.provider;
        problems.push({ path: "/provider", message: `unknown provider ${String(never)}` });
      }
    }
    if (input.provider !== "webpush" && input.keys !== undefined)
      problems.push({ path: "/keys", message: "only Web Push subscriptions have keys" });
    if (input.provider !== "apns" && input.environment !== undefined)
      problems.push({ path: "/environment", message: "only APNs tokens have an environment" });
    return problems;
  }

  async list(principal: Principal, userId: string): Promise<Outcome<PushRegistration[]>> {
    const visible = await this.visibleUser(principal, userId);
    if (!visible.ok) return visible;
    return done(await this.o.registrations.pushRegistrations(userId));
  }

  async remove(principal: Principal, userId: string, installationId: string): Promise<Outcome<{ removed: boolean }>> {
    const visible = await this.visibleUser(principal, userId);
    if (!visible.ok) return visible;
    const removed = await this.o.registrations.removePushRegistration(userId, installationId);
    if (removed)
      await this.o.audit.audit({
        at: this.o.clock.now(),
        actor: actorOf(principal),
        action: "user.push.unregister",
        target: `user:${userId}`,
        detail: { installationId },
      });
    return done({ removed });
  }

  private async storeOf(principal: Principal, storeId: string): Promise<Outcome<{ timezone: string }>> {
    const store = await this.o.directory.getStore(storeId);
    if (store?.orgId !== principal.orgId) return notFound(`no store ${storeId}`);
    return done({ timezone: store.timezone });
  }

  /** The organisation's policy (`storeId` null) or a store's override, as stored (nulls when none). */
  async policy(principal: Principal, storeId: string | null): Promise<Outcome<PushPolicy>> {
    if (storeId !== null) {
      const store = await this.storeOf(principal, storeId);
      if (!store.ok) return store;
    }
    return done((await this.o.delivery.pushPolicy(principal.orgId, storeId)) ?? { quietHours: null, frequencyCapMinutes: null });
  }

  async setPolicy(principal: Principal, storeId: string | null, policy: PushPolicy): Promise<Outcome<PushPolicy>> {
    if (storeId !== null) {
      const store = await this.storeOf(principal, storeId);
      if (!store.ok) return store;
      if (!isValidTimeZone(store.value.timezone))
        return refuse("CONFLICT", `store ${storeId} has no valid timezone, so its quiet hours cannot be placed`);
      if (policy.frequencyCapMinutes !== null)
        return refuse("VALIDATION_FAILED", "the frequency cap is the organisation's, across its stores", [
          { path: "/frequencyCapMinutes", message: "must be null for a store" },
        ]);
    }
    const now = this.o.clock.now();
    await this.o.delivery.setPushPolicy(principal.orgId, storeId, policy, now);
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "push.policy",
      target: storeId === null ? `org:${principal.orgId}` : `store:${storeId}`,
      detail: { ...policy },
    });
    return done(policy);
  }

  async deadLetters(principal: Principal, limit: number): Promise<Outcome<PushOutboxItem[]>> {
    return done(await this.o.delivery.deadPush(principal.orgId, limit));
  }

  async replay(principal: Principal, id: string): Promise<Outcome<{ replayed: true }>> {
    const item = await this.o.delivery.pushItem(id);
    if (item?.orgId !== principal.orgId) return notFound(`no push notification ${id}`);
    const now = this.o.clock.now();
    if (!(await this.o.delivery.replayPush(id, now))) return refuse("CONFLICT", `push notification ${id} is not dead-lettered`);
    await this.o.audit.audit({ at: now, actor: actorOf(principal), action: "push.replay", target: `push:${id}` });
    this.o.onReplayed?.();
    return done({ replayed: true });
  }

  async receipts(
    principal: Principal,
    query: { from: number; to: number; storeId: string | null },
  ): Promise<Outcome<Record<DeliveryChannel, number>>> {
    let storeId = query.storeId;
    if (principal.storeId !== null) {
      if (storeId !== null && storeId !== principal.storeId) return forbidden("this key is bound to another store");
      storeId = principal.storeId;
    }
    if (storeId !== null) {
      const store = await this.storeOf(principal, storeId);
      if (!store.ok) return store;
    }
    return done(await this.o.delivery.receiptCounts({ orgId: principal.orgId, storeId, from: query.from, to: query.to }));
  }
}
