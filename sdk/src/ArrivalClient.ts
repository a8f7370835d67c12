import { type ApiAnswer, type ApiBody, apiPath, type Conforms } from "./apiTypes.js";
import {
  type BeaconIdentity,
  computeEid,
  eidPeriodStartS,
  formatProblems,
  LocationReportSchema,
  OfferMessageSchema,
  type OfferMessage,
  toHex,
  userTopic,
  Checker,
} from "../../protocol/index.js";
import { ArrivalClientError } from "./ArrivalClientError.js";
import { mqttOfferChannel } from "./adapters/mqtt/mqttOfferChannel.js";
import { type AppToken, decodeAppToken } from "./domain/appToken.js";
import { encodeBase64url, utf8Decode } from "./domain/base64url.js";
import { type ClientOffer, OfferInbox, redemptionPayload } from "./domain/OfferInbox.js";
import { readPushPayload } from "./domain/pushPayload.js";
import type { ConnectionState, Fetch, OfferChannel, OfferChannelFactory } from "./ports.js";

/** Events of the client, each with its payload type. */
export interface ArrivalClientEvents {
  /** A new offer, once per offer id, whether it came over MQTT or from the catch-up. */
  offer: (offer: ClientOffer) => void;
  /** The cloud's reminder that a held offer expires soon. */
  offerReminder: (offer: ClientOffer) => void;
  /** An offer reached its expiry time; it is no longer in `offers()`. */
  offerExpired: (offer: ClientOffer) => void;
  connection: (state: ConnectionState) => void;
  /** Something failed in the background (a catch-up, an automatic acknowledgement, a bad message). */
  error: (err: ArrivalClientError) => void;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ArrivalClientOptions {
  /** The app token from the retailer's backend (`encodeAppToken`), or its decoded form. */
  readonly token: string | AppToken;
  readonly fetch?: Fetch;
  /** The MQTT transport; default MQTT.js over WebSocket. */
  readonly channel?: OfferChannelFactory;
  /** Clock, epoch ms; default `Date.now`. */
  readonly now?: () => number;
  readonly timers?: Timers;
  /** Delay between reconnection attempts; default 2000 ms. */
  readonly reconnectPeriodMs?: number;
  /** Acknowledge delivery of each new offer automatically (default true). */
  readonly autoAcknowledgeDelivery?: boolean;
  /** Random bytes for identity keys; default `crypto.getRandomValues` (React Native: a polyfill). */
  readonly randomBytes?: (size: number) => Uint8Array;
}

/** A GPS fix from the operating system's geofence callback. */
export interface GeofenceFix {
  readonly lat: number;
  readonly lon: number;
  /** Horizontal accuracy radius, metres (iOS `horizontalAccuracy`, Android `getAccuracy()`). */
  readonly accuracyM: number;
  /** When the fix was taken, epoch ms. */
  readonly at: number;
}

/** A beacon registered to the shopper, as the cloud lists it. */
export interface RegisteredBeacon {
  /** The id the stores' gateways report when they hear this beacon. */
  readonly subjectId: string;
  readonly label: string | null;
  /** As registered; null for a registration that kept no identity. */
  readonly identity: BeaconIdentity | null;
  /** ISO time. */
  readonly registeredAt: string;
}

/** Where this installation is reached by its OS push service, as the app hands it over. */
export type PushTarget =
  /** A browser's `PushSubscription.toJSON()` (subscribed with `webPushKey()` as applicationServerKey). */
  | { readonly provider: "webpush"; readonly subscription: { readonly endpoint: string; readonly keys: { readonly p256dh: string; readonly auth: string } } }
  /** The APNs device token in hex; `development` for a debug build (sandbox APNs). */
  | { readonly provider: "apns"; readonly deviceToken: string; readonly environment?: "production" | "development" }
  /** The FCM registration token. */
  | { readonly provider: "fcm"; readonly token: string };

/** A push registration as the cloud lists it (the token itself is never sent back). */
export interface PushRegistrationInfo {
  readonly installationId: string;
  readonly provider: "webpush" | "apns" | "fcm";
  readonly environment: string | null;
  /** ISO time. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The identity key and rotation of this install's Eddystone-EID advertising. */
export interface EidRegistration {
  readonly installId: string;
  /** 16 bytes; keep it in the platform's secure storage (Keychain, Keystore). */
  readonly identityKey: Uint8Array;
  readonly rotationExponent: number;
}

type Listeners = { [E in keyof ArrivalClientEvents]: Set<ArrivalClientEvents[E]> };

const offerChecker = new Checker(OfferMessageSchema);
const locationChecker = new Checker(LocationReportSchema);

/**
 * The shopper app's client of Arrival: it signs in with an app token, keeps an MQTT-over-WebSocket
 * connection to the user's offer topic (reconnecting by itself), fetches pending offers over HTTP
 * after every (re)connection, shows each offer once, and tells the cloud when an offer was
 * delivered and viewed. It also reports OS geofence entries, sets consent, asks for deletion and
 * computes the rotating Eddystone-EID the phone advertises.
 *
 * Runs in browsers and React Native: it needs `fetch`, `WebSocket` (inside MQTT.js),
 * `TextEncoder`/`TextDecoder` and timers, nothing Node-only.
 */
export class ArrivalClient {
  readonly userId: string;
  private readonly token: AppToken;
  private readonly fetchFn: Fetch;
  private readonly channelFactory: OfferChannelFactory;
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly options: ArrivalClientOptions;
  private readonly inbox = new OfferInbox();
  private readonly listeners: Listeners = {
    offer: new Set(),
    offerReminder: new Set(),
    offerExpired: new Set(),
    connection: new Set(),
    error: new Set(),
  };
  private channel: OfferChannel | null = null;
  private expiryTimer: unknown = null;
  private state: ConnectionState = "closed";
  private eid: EidRegistration | null = null;
  private catchUps = 0;
  private deleting = false;

  constructor(options: ArrivalClientOptions) {
    let token: AppToken;
    if (typeof options.token === "string") {
      const decoded = decodeAppToken(options.token);
      if (!decoded.ok) throw new ArrivalClientError("INVALID_TOKEN", formatProblems(decoded.problems));
      token = decoded.value;
    } else {
      token = options.token;
    }
    this.token = token;
    this.userId = token.userId;
    this.options = options;
    this.fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
    this.channelFactory = options.channel ?? mqttOfferChannel;
    this.now = options.now ?? (() => Date.now());
    this.timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  on<E extends keyof ArrivalClientEvents>(event: E, listener: ArrivalClientEvents[E]): () => void {
    (this.listeners[event] as Set<ArrivalClientEvents[E]>).add(listener);
    return () => (this.listeners[event] as Set<ArrivalClientEvents[E]>).delete(listener);
  }

  /** The current connection state. */
  connectionState(): ConnectionState {
    return this.state;
  }

  /** Connects and starts receiving offers; returns at once (connection states arrive as events). */
  start(): void {
    if (this.channel) return;
    const { mqtt } = this.token;
    this.channel = this.channelFactory(
      {
        url: mqtt.url,
        username: mqtt.username,
        password: mqtt.password,
        clientId: mqtt.clientId,
        reconnectPeriodMs: this.options.reconnectPeriodMs ?? 2000,
      },
      {
        onConnect: () => void this.onConnect(),
        onMessage: (topic, payload) => this.onMessage(topic, payload),
        onState: (state) => this.setState(state),
        onError: (err) => this.emit("error", new ArrivalClientError("NETWORK", err.message)),
        onRefused: (code, message) => this.onRefused(code, message),
      },
    );
  }

  /** Disconnects for good and stops the expiry timer. */
  async stop(): Promise<void> {
    const channel = this.channel;
    this.channel = null;
    if (this.expiryTimer !== null) this.timers.clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (channel) await channel.close();
    this.setState("closed");
  }

  /** Live offers, soonest to expire first. */
  offers(): ClientOffer[] {
    this.expireDue();
    return this.inbox.list();
  }

  /** How many catch-ups completed (one after each connection). */
  catchUpCount(): number {
    return this.catchUps;
  }

  /** Fetches the user's pending offers over HTTP and takes in the ones not seen yet. */
  async catchUp(): Promise<ClientOffer[]> {
    const body = await this.request("GET", `/v1/users/${this.userId}/offers`);
    const list = (body as { offers?: unknown }).offers;
    if (!Array.isArray(list)) throw new ArrivalClientError("INVALID_MESSAGE", "catch-up answer has no offers list");
    const added: ClientOffer[] = [];
    for (const view of list as Record<string, unknown>[]) {
      // The catch-up view carries the offer message's fields plus zone and status: check it with
      // the wire contract's own schema so both paths accept exactly the same offers.
      const candidate = {
        v: 1,
        kind: "offer",
        offerId: view.offerId,
        ruleId: view.ruleId,
        storeId: view.storeId,
        title: view.title,
        text: view.text,
        discount: view.discount,
        code: view.code,
        issuedAt: view.issuedAt,
        expiresAt: view.expiresAt,
      };
      const checked = offerChecker.check(candidate);
      if (!checked.ok) {
        this.emit("error", new ArrivalClientError("INVALID_MESSAGE", formatProblems(checked.problems, "/offers")));
        continue;
      }
      const offer = this.take(checked.value);
      if (offer) added.push(offer);
    }
    this.catchUps++;
    return added;
  }

  /** Tells the cloud the offer reached the phone (`delivered`) or the shopper opened it (`viewed`). */
  async acknowledge(offerId: string, kind: "delivered" | "viewed"): Promise<void> {
    await this.request("POST", `/v1/users/${this.userId}/offers/${encodeURIComponent(offerId)}/acknowledgements`, {
      kind,
    });
  }

  /** What to show at the till: the code as text, the QR payload and the seconds left. */
  redemption(offerId: string): { code: string; qrPayload: string; secondsLeft: number } {
    const offer = this.inbox.get(offerId);
    if (!offer) throw new ArrivalClientError("UNKNOWN_OFFER", `no live offer ${offerId}`);
    return {
      code: offer.code,
      qrPayload: redemptionPayload(offer),
      secondsLeft: OfferInbox.secondsLeft(offer, this.now()),
    };
  }

  /**
   * Reports that the operating system saw the phone enter a store's geofence. The cloud checks the
   * fix for plausibility and runs it through the same offer rules as a beacon arrival.
   */
  async reportGeofenceEntry(report: { storeId: string; fix: GeofenceFix }): Promise<{
    eventId: string;
    plausible: boolean;
    flags: string[];
  }> {
    const { fix } = report;
    if (![fix.lat, fix.lon, fix.accuracyM, fix.at].every(Number.isFinite)) {
      throw new ArrivalClientError("INVALID_INPUT", "a fix needs finite lat, lon, accuracyM and at");
    }
    return (await this.request("POST", `/v1/users/${this.userId}/geofence-entries`, {
      storeId: report.storeId,
      lat: fix.lat,
      lon: fix.lon,
      accuracyM: fix.accuracyM,
      at: new Date(fix.at).toISOString(),
    })) as { eventId: string; plausible: boolean; flags: string[] };
  }

  /**
   * The store beacon to monitor: the organisation's proximity UUID (on iOS, monitor it as a beacon
   * region so the app is woken in a store), the format and how long one value lasts. Disabled when
   * the retailer runs no store beacon.
   */
  async storeBeacon(): Promise<ApiAnswer<"/v1/store-beacon", "get">> {
    return (await this.request("GET", "/v1/store-beacon")) as ApiAnswer<"/v1/store-beacon", "get">;
  }

  /**
   * Reports a store beacon the phone heard (on iOS, from ranging once a region entry woke the app;
   * on Android, from a scan): an iBeacon's `uuid`, `major` and `minor`, or an Eddystone `eid` (hex).
   * The cloud resolves the value to a store only within its slot; resolved, it is the shopper's
   * presence there and the rules decide on it (`beacon-arrival`). `at` defaults to now.
   */
  async reportStoreBeacon(
    heard: { readonly uuid: string; readonly major: number; readonly minor: number } | { readonly eid: string },
    options: { readonly rssi?: number; readonly at?: number } = {},
  ): Promise<ApiAnswer<"/v1/users/{userId}/store-beacon-sightings", "post">> {
    const body: ApiBody<"/v1/users/{userId}/store-beacon-sightings", "post"> = {
      ...heard,
      ...(options.rssi === undefined ? {} : { rssi: options.rssi }),
      at: new Date(options.at ?? this.now()).toISOString(),
    };
    const path = apiPath("/v1/users/{userId}/store-beacon-sightings", { userId: this.userId });
    return (await this.request("POST", path, body)) as ApiAnswer<"/v1/users/{userId}/store-beacon-sightings", "post">;
  }

  /**
   * The same report over MQTT (`users/{userId}/location`, QoS 1): for a phone whose network comes
   * and goes, the MQTT transport holds it until the link is back. Resolves with the report id
   * once the broker has it; the cloud counts a re-sent report once.
   */
  async queueGeofenceEntry(report: { storeId: string; fix: GeofenceFix }): Promise<string> {
    const channel = this.channel;
    if (!channel) throw new ArrivalClientError("NOT_STARTED", "start the client before reporting over MQTT");
    const { fix } = report;
    const reportId = encodeBase64url(this.randomBytes(16));
    const message = {
      v: 1,
      reportId,
      storeId: report.storeId,
      lat: fix.lat,
      lon: fix.lon,
      accuracyM: fix.accuracyM,
      at: Number.isFinite(fix.at) ? new Date(fix.at).toISOString() : "",
    };
    const checked = locationChecker.check(message);
    if (!checked.ok) throw new ArrivalClientError("INVALID_INPUT", formatProblems(checked.problems));
    await channel.publish(userTopic(this.userId, "location"), JSON.stringify(checked.value));
    return reportId;
  }

  /** Sets the shopper's consent: marketing offers, and analytics use of their visits. */
  async setConsent(consent: { marketing: boolean; analytics: boolean }): Promise<void> {
    await this.request("PUT", `/v1/users/${this.userId}/consent`, {
      marketing: consent.marketing,
      analytics: consent.analytics,
    });
  }

  /** The shopper's points balance, debt, next expiry and tier. */
  async pointsBalance(): Promise<PointsBalance> {
    return balanceOf(await this.request("GET", `/v1/users/${this.userId}/points`));
  }

  /** The shopper's points history, newest first: `limit` entries (1..500, default 50) before `beforeSeq`. */
  async pointsHistory(page: { limit?: number; beforeSeq?: number } = {}): Promise<PointsEntry[]> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set("limit", String(page.limit));
    if (page.beforeSeq !== undefined) query.set("beforeSeq", String(page.beforeSeq));
    const suffix = query.toString().length > 0 ? `?${query.toString()}` : "";
    const answer = (await this.request("GET", `/v1/users/${this.userId}/points/history${suffix}`)) as { entries?: unknown };
    if (!Array.isArray(answer.entries)) throw new ArrivalClientError("INVALID_MESSAGE", "points history has no entries");
    return answer.entries.map(entryOf);
  }

  /**
   * A fresh dynamic member code for the till (valid a few minutes: show it as a QR code and fetch
   * a new one before `expiresAt`; a screenshot stops working).
   */
  async memberCode(): Promise<MemberCode> {
    const v = (await this.request("POST", `/v1/users/${this.userId}/member-code`)) as Record<string, unknown>;
    if (typeof v.code !== "string" || typeof v.qr !== "string" || typeof v.expiresAt !== "string")
      throw new ArrivalClientError("INVALID_MESSAGE", "not a member code");
    return { code: v.code, qr: v.qr, expiresAt: v.expiresAt };
  }

  /**
   * Registers one of the shopper's own beacons (a key fob, a loyalty card) to them, so the stores
   * link its presence to the shopper. The identity is what is printed on the beacon or shown by its
   * configuration app; the answer carries the subject id the gateways report for it. A beacon another
   * shopper of the retailer registered first fails with `HTTP_ERROR` status 409.
   */
  async registerBeacon(identity: BeaconIdentity, label?: string): Promise<RegisteredBeacon> {
    const answer = await this.request("POST", `/v1/users/${this.userId}/devices`, {
      identity,
      ...(label === undefined ? {} : { label }),
    });
    return beaconOf(answer);
  }

  /** The beacons registered to the shopper. */
  async listBeacons(): Promise<RegisteredBeacon[]> {
    const answer = (await this.request("GET", `/v1/users/${this.userId}/devices`)) as { devices?: unknown };
    if (!Array.isArray(answer.devices)) throw new ArrivalClientError("INVALID_MESSAGE", "beacon list has no devices");
    return answer.devices.map(beaconOf);
  }

  /**
   * Claims a coupon of a batch (from a link or QR: `channelTag` is the tag it carried). Refused
   * with `HTTP_ERROR` status 409 when out of stock, over the member's limit, or (for a near-field
   * batch) when the shopper was not seen in one of its stores lately.
   */
  async claimCoupon(batchId: string, options: { channelTag?: string } = {}): Promise<WalletCoupon> {
    const answer = (await this.request("POST", `/v1/coupon-batches/${encodeURIComponent(batchId)}/claims`, {
      ...(options.channelTag === undefined ? {} : { channelTag: options.channelTag }),
    })) as { coupon?: unknown };
    return walletCouponOf(answer.coupon);
  }

  /**
   * Exchanges points for a coupon of a batch sold for points: the points are spent and the coupon
   * issued together, or neither. Pass the same `idempotencyKey` when retrying after a lost answer
   * (the default is a fresh random key per call): the retry answers the same coupon and spends
   * nothing again. Refused with `HTTP_ERROR` status 409 and `apiCode` `INSUFFICIENT_POINTS`,
   * `OUT_OF_STOCK` or `LIMIT_REACHED`; nothing is spent then.
   */
  async exchangePoints(batchId: string, options: { idempotencyKey?: string } = {}): Promise<PointsExchangeResult> {
    const key = options.idempotencyKey ?? encodeBase64url(this.randomBytes(18));
    const answer = (await this.request("POST", `/v1/users/${this.userId}/points/exchanges`, { batchId }, { "idempotency-key": key })) as {
      coupon?: unknown;
      pointsSpent?: unknown;
      balance?: unknown;
    };
    if (typeof answer.pointsSpent !== "number" || !(answer.balance === null || typeof answer.balance === "number"))
      throw new ArrivalClientError("INVALID_MESSAGE", "not a points exchange");
    return { coupon: walletCouponOf(answer.coupon), pointsSpent: answer.pointsSpent, balance: answer.balance, idempotencyKey: key };
  }

  /** The shopper's wallet: coupons of every channel (proximity offers included), newest first. */
  async wallet(limit = 100): Promise<WalletCoupon[]> {
    const answer = (await this.request("GET", `/v1/users/${this.userId}/coupons?limit=${limit}`)) as { coupons?: unknown };
    if (!Array.isArray(answer.coupons)) throw new ArrivalClientError("INVALID_MESSAGE", "wallet has no coupons");
    return answer.coupons.map(walletCouponOf);
  }

  /** Offers a coupon as a gift: share `token` (e.g. in a link); the friend accepts with it. */
  async giftCoupon(couponId: string): Promise<{ token: string; expiresAt: string }> {
    const v = (await this.request("POST", `/v1/users/${this.userId}/coupons/${encodeURIComponent(couponId)}/gifts`)) as {
      token?: unknown;
      gift?: { expiresAt?: unknown };
    };
    if (typeof v.token !== "string" || typeof v.gift?.expiresAt !== "string") throw new ArrivalClientError("INVALID_MESSAGE", "not a gift");
    return { token: v.token, expiresAt: v.gift.expiresAt };
  }

  /** Accepts a friend's gift: the coupon, now in this shopper's wallet with a new code. */
  async acceptGift(token: string): Promise<WalletCoupon> {
    const answer = (await this.request("POST", "/v1/gifts/accept", { token })) as { coupon?: unknown };
    return walletCouponOf(answer.coupon);
  }

  /** Declines a friend's gift: the coupon stays with the friend. */
  async declineGift(token: string): Promise<void> {
    await this.request("POST", "/v1/gifts/decline", { token });
  }

  /** Unregisters a beacon by its subject id; false when it was not registered to the shopper. */
  async unregisterBeacon(subjectId: string): Promise<boolean> {
    let answer: { removed?: unknown };
    try {
      answer = (await this.request(
        "DELETE",
        `/v1/users/${this.userId}/devices/${encodeURIComponent(subjectId)}`,
      )) as { removed?: unknown };
    } catch (err) {
      // The cloud answers 404 for a beacon that is not (or no longer) the shopper's.
      if (err instanceof ArrivalClientError && err.status === 404) return false;
      throw err;
    }
    if (typeof answer.removed !== "boolean") throw new ArrivalClientError("INVALID_MESSAGE", "answer has no removed flag");
    return answer.removed;
  }

  /** The VAPID public key to pass as `applicationServerKey` to `pushManager.subscribe` (base64url). */
  async webPushKey(): Promise<string> {
    const answer = (await this.request("GET", "/v1/push/web-push-key")) as { publicKey?: unknown };
    if (typeof answer.publicKey !== "string") throw new ArrivalClientError("INVALID_MESSAGE", "answer has no publicKey");
    return answer.publicKey;
  }

  /**
   * Registers (or replaces) where this installation is reached by push, so offers reach the shopper
   * while the app is in the background. `installationId` is the app's own stable id for this install
   * (keep it across launches); call again whenever the OS hands out a new token.
   */
  async registerPush(installationId: string, target: PushTarget): Promise<PushRegistrationInfo> {
    const body =
      target.provider === "webpush"
        ? { provider: "webpush", token: target.subscription.endpoint, keys: target.subscription.keys }
        : target.provider === "apns"
          ? { provider: "apns", token: target.deviceToken, ...(target.environment ? { environment: target.environment } : {}) }
          : { provider: "fcm", token: target.token };
    const answer = await this.request(
      "PUT",
      `/v1/users/${this.userId}/push-registrations/${encodeURIComponent(installationId)}`,
      body,
    );
    return pushRegistrationOf(answer);
  }

  /** This shopper's push registrations, one per installation. */
  async listPushRegistrations(): Promise<PushRegistrationInfo[]> {
    const answer = (await this.request("GET", `/v1/users/${this.userId}/push-registrations`)) as { registrations?: unknown };
    if (!Array.isArray(answer.registrations))
      throw new ArrivalClientError("INVALID_MESSAGE", "answer has no registrations");
    return answer.registrations.map(pushRegistrationOf);
  }

  /** Stops push to an installation (sign-out, notifications turned off); false when none was registered. */
  async unregisterPush(installationId: string): Promise<boolean> {
    const answer = (await this.request(
      "DELETE",
      `/v1/users/${this.userId}/push-registrations/${encodeURIComponent(installationId)}`,
    )) as { removed?: unknown };
    if (typeof answer.removed !== "boolean") throw new ArrivalClientError("INVALID_MESSAGE", "answer has no removed flag");
    return answer.removed;
  }

  /**
   * The offer a push notification announced, fetched from the cloud (the notification carries only
   * its id and title); null when the payload is not an offer or the offer is no longer usable.
   */
  async offerFromPush(data: unknown): Promise<ClientOffer | null> {
    const payload = readPushPayload(data);
    if (payload === null) return null;
    return (await this.catchUp()).find((o) => o.offerId === payload.offerId) ?? null;
  }

  /** Asks the cloud to delete the shopper's data, then disconnects (the credentials stop working). */
  async requestDeletion(): Promise<void> {
    // The cloud revokes the MQTT credential before it answers, so the broker may refuse a
    // reconnection first: that refusal is the deletion working, not an error to report.
    this.deleting = true;
    try {
      await this.request("DELETE", `/v1/users/${this.userId}`);
    } finally {
      this.deleting = false;
    }
    await this.stop();
  }

  /**
   * Creates this install's Eddystone-EID identity key and registers it with the cloud, which
   * answers with the rotation exponent to use. Keep the result in secure storage and pass it to
   * `useEidRegistration` on the next start instead of registering again.
   */
  async registerEidKey(installId: string): Promise<EidRegistration> {
    const identityKey = this.randomBytes(16);
    const answer = (await this.request("PUT", `/v1/users/${this.userId}/eid-keys/${encodeURIComponent(installId)}`, {
      identityKey: toHex(identityKey),
    })) as { rotationExponent?: unknown };
    const exponent = answer.rotationExponent;
    if (typeof exponent !== "number" || !Number.isInteger(exponent) || exponent < 0 || exponent > 15) {
      throw new ArrivalClientError("INVALID_MESSAGE", "eid key answer has no valid rotationExponent");
    }
    this.eid = { installId, identityKey, rotationExponent: exponent };
    return this.eid;
  }

  useEidRegistration(registration: EidRegistration): void {
    this.eid = registration;
  }

  /**
   * The 8-byte Eddystone-EID to advertise now (lowercase hex) and when it changes; the app puts it
   * in an Eddystone frame of type 0x30 and re-advertises at `nextRotationAt`.
   */
  currentEid(now = this.now()): { eid: string; nextRotationAt: number } {
    if (!this.eid) throw new ArrivalClientError("NOT_STARTED", "register or load an EID identity key first");
    const timeS = Math.floor(now / 1000);
    const { identityKey, rotationExponent } = this.eid;
    return {
      eid: toHex(computeEid(identityKey, rotationExponent, timeS)),
      nextRotationAt: (eidPeriodStartS(rotationExponent, timeS) + 2 ** rotationExponent) * 1000,
    };
  }

  private randomBytes(size: number): Uint8Array {
    if (this.options.randomBytes) return this.options.randomBytes(size);
    return crypto.getRandomValues(new Uint8Array(size));
  }

  private async onConnect(): Promise<void> {
    const channel = this.channel;
    if (!channel) return;
    try {
      await channel.subscribe(userTopic(this.userId, "offers"));
      // Offers published while the phone was away went to no one (clean session): fetch them.
      await this.catchUp();
    } catch (err) {
      this.emit("error", toClientError(err));
    }
  }

  /** The broker refused the credential: retrying cannot help, so stop and say so once. */
  private onRefused(code: number, message: string): void {
    if (!this.channel) return;
    this.channel = null;
    if (this.expiryTimer !== null) this.timers.clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    this.setState("refused");
    if (!this.deleting) {
      this.emit(
        "error",
        new ArrivalClientError(
          "NOT_AUTHORIZED",
          `the broker refused the MQTT credential (CONNACK code ${code}: ${message}); sign in again for a new token`,
        ),
      );
    }
  }

  private onMessage(topic: string, payload: Uint8Array): void {
    if (topic !== userTopic(this.userId, "offers")) return;
    let value: unknown;
    try {
      value = JSON.parse(utf8Decode(payload));
    } catch {
      this.emit("error", new ArrivalClientError("INVALID_MESSAGE", "offer message is not UTF-8 JSON"));
      return;
    }
    const checked = offerChecker.check(value);
    if (!checked.ok) {
      this.emit("error", new ArrivalClientError("INVALID_MESSAGE", formatProblems(checked.problems)));
      return;
    }
    const message = checked.value;
    if (message.kind === "reminder") {
      const held = this.inbox.get(message.offerId);
      if (held) {
        this.emit("offerReminder", held);
        return;
      }
    }
    this.take(message);
  }

  /** Takes an offer in once; new ones are announced, acknowledged and scheduled to expire. */
  private take(message: OfferMessage): ClientOffer | null {
    const offer: ClientOffer = {
      offerId: message.offerId,
      ruleId: message.ruleId,
      storeId: message.storeId,
      title: message.title,
      text: message.text,
      discount: message.discount,
      code: message.code,
      issuedAt: Date.parse(message.issuedAt),
      expiresAt: Date.parse(message.expiresAt),
    };
    if (this.inbox.add(offer, this.now()) !== "new") return null;
    this.emit("offer", offer);
    if (this.options.autoAcknowledgeDelivery ?? true) {
      this.acknowledge(offer.offerId, "delivered").catch((err: unknown) => this.emit("error", toClientError(err)));
    }
    this.scheduleExpiry();
    return offer;
  }

  private expireDue(): void {
    for (const offer of this.inbox.expireDue(this.now())) this.emit("offerExpired", offer);
  }

  private scheduleExpiry(): void {
    if (this.expiryTimer !== null) this.timers.clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    const next = this.inbox.nextExpiry();
    if (next === null) return;
    this.expiryTimer = this.timers.setTimeout(
      () => {
        this.expiryTimer = null;
        this.expireDue();
        this.scheduleExpiry();
      },
      Math.max(0, next - this.now()),
    );
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.emit("connection", state);
  }

  private emit<E extends keyof ArrivalClientEvents>(event: E, ...args: Parameters<ArrivalClientEvents[E]>): void {
    for (const listener of this.listeners[event]) {
      try {
        (listener as (...a: Parameters<ArrivalClientEvents[E]>) => void)(...args);
      } catch {
        // A throwing listener must not stop the others or the client's own work.
      }
    }
  }

  private async request(method: string, path: string, body?: object, headers: Readonly<Record<string, string>> = {}): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetchFn(`${this.token.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token.apiKey}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new ArrivalClientError("NETWORK", `${method} ${path}: ${(err as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const apiCode = typeof error?.code === "string" ? error.code : undefined;
      const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status}`;
      throw new ArrivalClientError("HTTP_ERROR", `${method} ${path}: ${message}`, {
        status: response.status,
        ...(apiCode ? { apiCode } : {}),
      });
    }
    return parsed ?? {};
  }
}

/** What a points exchange bought. */
export interface PointsExchangeResult {
  readonly coupon: WalletCoupon;
  /** Points the coupon cost. */
  readonly pointsSpent: number;
  /** Spendable points after the exchange; null when the answer is a retry's (read `pointsBalance`). */
  readonly balance: number | null;
  /** The key the exchange was made under: pass it again to retry safely. */
  readonly idempotencyKey: string;
}

/** The shopper's points, as the cloud computes them now. */
export interface PointsBalance {
  /** Spendable points; never negative. */
  readonly balance: number;
  /** Points a refund took back after they were spent; the next earnings settle them. */
  readonly owed: number;
  /** The next points to expire and when (ISO-8601), or null. */
  readonly nextExpiry: { readonly points: number; readonly at: string } | null;
  /** The shopper's tier, or null. */
  readonly tier: string | null;
}

/** One entry of the shopper's points history. */
export interface PointsEntry {
  /** Order of writing; pass the last one's as `beforeSeq` for the next page. */
  readonly seq: number;
  readonly kind: "earn" | "spend" | "expire" | "adjust" | "reverse" | "transfer-out" | "transfer-in";
  readonly source: string;
  /** Signed: positive added, negative taken. */
  readonly points: number;
  /** ISO-8601. */
  readonly at: string;
  readonly reference: string | null;
  readonly reason: string | null;
  /** When the points this entry earned expire (ISO-8601), or null. */
  readonly expiresAt: string | null;
}

/** A dynamic member code to show at the till as a QR code (`qr`) or text (`code`). */
export interface MemberCode {
  readonly code: string;
  /** What the QR code should hold. */
  readonly qr: string;
  /** ISO-8601; fetch a new code before then (the till refuses an expired one). */
  readonly expiresAt: string;
}

const isNullableString = (v: unknown): v is string | null => v === null || typeof v === "string";

/** A coupon in the shopper's wallet, whatever issued it. */
export interface WalletCoupon {
  readonly couponId: string;
  /** `rule:<ruleId>` for a proximity offer. */
  readonly batchId: string;
  /** `rule`, `online`, `segment`, `till`, `points`. */
  readonly channel: string;
  readonly title: string;
  readonly text: string;
  /** The code shown at the till (as a QR: `redemptionPayload(code)`). */
  readonly code: string;
  /** `issued`, `delivered`, `viewed`, `redeemed`, `expired`, `voided`. */
  readonly status: string;
  readonly storeIds: readonly string[];
  /** ISO-8601. */
  readonly validFrom: string;
  /** ISO-8601. */
  readonly expiresAt: string;
}

function walletCouponOf(value: unknown): WalletCoupon {
  const v = value as Record<string, unknown> | null | undefined;
  if (
    v === null ||
    typeof v !== "object" ||
    typeof v.couponId !== "string" ||
    typeof v.batchId !== "string" ||
    typeof v.channel !== "string" ||
    typeof v.title !== "string" ||
    typeof v.text !== "string" ||
    typeof v.code !== "string" ||
    typeof v.status !== "string" ||
    !Array.isArray(v.storeIds) ||
    !v.storeIds.every((x) => typeof x === "string") ||
    typeof v.validFrom !== "string" ||
    typeof v.expiresAt !== "string"
  )
    throw new ArrivalClientError("INVALID_MESSAGE", "not a coupon");
  return {
    couponId: v.couponId,
    batchId: v.batchId,
    channel: v.channel,
    title: v.title,
    text: v.text,
    code: v.code,
    status: v.status,
    storeIds: v.storeIds,
    validFrom: v.validFrom,
    expiresAt: v.expiresAt,
  };
}

function balanceOf(value: unknown): PointsBalance {
  const v = value as Record<string, unknown> | null;
  const next = v?.nextExpiry as Record<string, unknown> | null | undefined;
  if (
    v === null ||
    typeof v !== "object" ||
    typeof v.balance !== "number" ||
    typeof v.owed !== "number" ||
    !isNullableString(v.tier) ||
    !(next === null || (typeof next === "object" && typeof next.points === "number" && typeof next.at === "string"))
  )
    throw new ArrivalClientError("INVALID_MESSAGE", "not a points balance");
  return {
    balance: v.balance,
    owed: v.owed,
    nextExpiry: next === null ? null : { points: next.points as number, at: next.at as string },
    tier: v.tier,
  };
}

function entryOf(value: unknown): PointsEntry {
  const v = value as Record<string, unknown> | null;
  if (
    v === null ||
    typeof v !== "object" ||
    typeof v.seq !== "number" ||
    typeof v.kind !== "string" ||
    typeof v.source !== "string" ||
    typeof v.points !== "number" ||
    typeof v.at !== "string" ||
    !isNullableString(v.reference) ||
    !isNullableString(v.reason) ||
    !isNullableString(v.expiresAt)
  )
    throw new ArrivalClientError("INVALID_MESSAGE", "not a points entry");
  return {
    seq: v.seq,
    kind: v.kind as PointsEntry["kind"],
    source: v.source,
    points: v.points,
    at: v.at,
    reference: v.reference,
    reason: v.reason,
    expiresAt: v.expiresAt,
  };
}

/** A registered beacon from the cloud's answer; anything else is an invalid message. */
function beaconOf(value: unknown): RegisteredBeacon {
  const v = value as Partial<Record<keyof RegisteredBeacon, unknown>> | null;
  if (
    v === null ||
    typeof v !== "object" ||
    typeof v.subjectId !== "string" ||
    !(v.label === null || typeof v.label === "string") ||
    typeof v.registeredAt !== "string" ||
    typeof v.identity !== "object" // an identity object, or null
  ) {
    throw new ArrivalClientError("INVALID_MESSAGE", "not a registered beacon");
  }
  return {
    subjectId: v.subjectId,
    label: v.label,
    identity: v.identity as BeaconIdentity | null,
    registeredAt: v.registeredAt,
  };
}

function toClientError(err: unknown): ArrivalClientError {
  return err instanceof ArrivalClientError ? err : new ArrivalClientError("NETWORK", (err as Error).message);
}

function pushRegistrationOf(value: unknown): PushRegistrationInfo {
  const r = value as Partial<Record<keyof PushRegistrationInfo, unknown>>;
  if (
    typeof r.installationId !== "string" ||
    (r.provider !== "webpush" && r.provider !== "apns" && r.provider !== "fcm") ||
    typeof r.createdAt !== "string" ||
    typeof r.updatedAt !== "string"
  )
    throw new ArrivalClientError("INVALID_MESSAGE", "not a push registration");
  return {
    installationId: r.installationId,
    provider: r.provider,
    environment: typeof r.environment === "string" ? r.environment : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * The contract, checked when the SDK is type-checked: every answer the API documents (the types
 * generated from its OpenAPI document) is what the SDK's types declare. A change of the API that
 * drops, renames or retypes a field the SDK hands to apps fails the build instead of the apps.
 */
export const SDK_CONTRACT: readonly [
  Conforms<ApiAnswer<"/v1/users/{userId}/points", "get">, PointsBalance>,
  Conforms<ApiAnswer<"/v1/users/{userId}/points/history", "get">, { readonly entries: readonly PointsEntry[] }>,
  Conforms<ApiAnswer<"/v1/users/{userId}/member-code", "post">, MemberCode>,
  Conforms<ApiAnswer<"/v1/users/{userId}/coupons", "get">, { readonly coupons: readonly WalletCoupon[] }>,
  Conforms<ApiAnswer<"/v1/gifts/accept", "post">, { readonly coupon: WalletCoupon }>,
  Conforms<ApiAnswer<"/v1/users/{userId}/devices", "get">, { readonly devices: readonly unknown[] }>,
] = [true, true, true, true, true, true];
