import { createHash } from "node:crypto";
import type { Offer } from "../../domain/offers/index.js";
import type { Pickup } from "../../domain/coupons/index.js";
import { type WebhookEventType, type WebhookPayload, wantsEvent, webhookPayload } from "../../domain/webhooks/index.js";
import type { CouponEvent } from "../CouponService.js";
import type { Clock, Logger } from "../ports.js";
import type { DirectoryRepository, LedgerEntry, StoredEvent, TierChange, UserRepository, WebhookEndpoint, WebhookRepository } from "../repositories.js";

export interface WebhookEventsOptions {
  readonly webhooks: WebhookRepository;
  readonly stores: Pick<DirectoryRepository, "getStore">;
  /** Analytics consent of the member, read again before a visit event is queued. */
  readonly users: Pick<UserRepository, "getUser">;
  readonly clock: Clock;
  readonly log: Logger;
  /** Deliveries were written to the outbox: send them. */
  readonly onQueued: (count: number) => void;
  /** How long an organisation's endpoints are kept in memory, ms (a change reaches other workers within it). */
  readonly endpointCacheMs?: number;
}

/**
 * What the product's flows tell webhooks: each event becomes one delivery per enabled endpoint of
 * the organisation that wants it, written to the durable outbox before this resolves. A failure to
 * write is logged, never thrown: a webhook is not worth a redemption. Each message's id is derived
 * from the endpoint and the event (an offer's id, a ledger entry's), so an event reported twice (a
 * redelivered batch, a receipt per channel seen again) is queued once.
 *
 * Visit events describe a member's movements: they are queued only for presence that storage kept
 * linked (the member consented to analytics) and while the member still consents.
 */
export class WebhookEvents {
  private readonly cache = new Map<string, { at: number; endpoints: Promise<WebhookEndpoint[]> }>();
  private readonly orgOfStoreCache = new Map<string, string>();

  /** Reports in progress, so shutdown (and tests) can wait until they are in the outbox. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly o: WebhookEventsOptions) {}

  /** Follows a report started by a flow that does not wait for it (the flow's result never depends on it). */
  track(report: Promise<unknown>): void {
    const tracked = report.catch((err: unknown) => this.o.log.warn({ err }, "webhook event not queued"));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** Resolves once every tracked report has settled (those started meanwhile included). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Queues an event of `orgId`; `key` identifies the event among those of its type. */
  async emit(orgId: string, type: WebhookEventType, key: string, at: number, data: WebhookPayload["data"], userId: string | null): Promise<number> {
    try {
      return await this.enqueue(orgId, type, key, at, data, userId);
    } catch (first) {
      // The cached endpoints may be stale (one deleted on another worker fails its foreign key):
      // read them again, once.
      this.cache.delete(orgId);
      try {
        return await this.enqueue(orgId, type, key, at, data, userId);
      } catch (err) {
        this.o.log.warn({ err, first, orgId, type }, "webhook event not queued");
        return 0;
      }
    }
  }

  private async enqueue(orgId: string, type: WebhookEventType, key: string, at: number, data: WebhookPayload["data"], userId: string | null): Promise<number> {
    const endpoints = (await this.endpointsOf(orgId)).filter((e) => e.enabled && wantsEvent(e.events, type));
    if (endpoints.length === 0) return 0;
    const body = JSON.stringify(webhookPayload(type, at, data));
    const now = this.o.clock.now();
    const added = await this.o.webhooks.enqueue(
      endpoints.map((e) => ({ id: messageId(e.id, type, key), endpointId: e.id, orgId, eventType: type, userId, payload: body, nextAttemptAt: now })),
      now,
    );
    if (added > 0) this.o.onQueued(added);
    return added;
  }

  /** Forgets the cached endpoints of an organisation (its endpoints changed on this worker). */
  endpointsChanged(orgId: string): void {
    this.cache.delete(orgId);
  }

  async offersIssued(offers: readonly Offer[]): Promise<void> {
    for (const offer of offers) {
      const orgId = await this.orgOfStore(offer.storeId);
      if (orgId === null) continue;
      await this.emit(orgId, "offer.issued", offer.offerId, offer.issuedAt, {
        offerId: offer.offerId,
        ruleId: offer.ruleId,
        userId: offer.userId,
        storeId: offer.storeId,
        zoneId: offer.zoneId,
        expiresAt: new Date(offer.expiresAt).toISOString(),
      }, offer.userId);
    }
  }

  /** An offer reached its member by a channel (the first receipt per channel counts). */
  async offersDelivered(offers: readonly Pick<Offer, "offerId" | "userId" | "storeId">[], channel: "push" | "mqtt" | "pull"): Promise<void> {
    const at = this.o.clock.now();
    for (const offer of offers) {
      const orgId = await this.orgOfStore(offer.storeId);
      if (orgId === null) continue;
      await this.emit(orgId, "offer.delivered", `${offer.offerId}:${channel}`, at, {
        offerId: offer.offerId,
        userId: offer.userId,
        storeId: offer.storeId,
        channel,
      }, offer.userId);
    }
  }

  async offerRedeemed(offer: Offer, at: number): Promise<void> {
    const orgId = await this.orgOfStore(offer.storeId);
    if (orgId === null) return;
    await this.emit(orgId, "offer.redeemed", offer.offerId, at, {
      offerId: offer.offerId,
      ruleId: offer.ruleId,
      userId: offer.userId,
      storeId: offer.storeId,
    }, offer.userId);
  }

  async couponEvent(event: CouponEvent): Promise<void> {
    if (event.kind !== "claimed" && event.kind !== "gift-accepted") return;
    const coupon = event.coupon;
    const user = await this.o.users.getUser(coupon.userId);
    if (user === null) return;
    if (event.kind === "claimed")
      await this.emit(user.orgId, "coupon.claimed", coupon.offerId, event.at, {
        couponId: coupon.offerId,
        batchId: coupon.batchId,
        userId: coupon.userId,
        channel: coupon.channel,
      }, coupon.userId);
    else
      await this.emit(user.orgId, "coupon.gifted", event.gift.giftId, event.at, {
        giftId: event.gift.giftId,
        couponId: coupon.offerId,
        batchId: coupon.batchId,
        // The giver is not named: a message is erased with the member it is about (the receiver);
        // the gift itself, through the API, says who gave it.
        toUserId: coupon.userId,
      }, coupon.userId);
  }

  /** A ledger entry was written (not a replay of an idempotency key). */
  async pointsChanged(orgId: string, entry: LedgerEntry, balance: number): Promise<void> {
    await this.emit(orgId, "points.changed", entry.id, entry.at, {
      entryId: entry.id,
      userId: entry.memberId,
      kind: entry.kind,
      points: entry.points,
      balance,
    }, entry.memberId);
  }

  /** A member's tier changed (upgrade at once, downgrade at period end, or the programme's tiers changed). */
  async tierChanged(orgId: string, change: TierChange): Promise<void> {
    await this.emit(orgId, "tier.changed", `${change.userId}:${change.seq}`, change.at, {
      userId: change.userId,
      fromTier: change.fromTier,
      toTier: change.toTier,
      reason: change.reason,
    }, change.userId);
  }

  /** A click-and-collect customer arrived at the store of their order: the order can be brought to the counter. */
  async pickupArrived(pickup: Pickup): Promise<void> {
    const at = pickup.arrivedAt ?? this.o.clock.now();
    await this.emit(
      pickup.orgId,
      "pickup.arrived",
      pickup.pickupId,
      at,
      { pickupId: pickup.pickupId, orderId: pickup.orderId, storeId: pickup.storeId, userId: pickup.userId, expiresAt: new Date(pickup.expiresAt).toISOString() },
      pickup.userId,
    );
  }

  async gatewayOffline(storeId: string, gatewayId: string, at: number): Promise<void> {
    const orgId = await this.orgOfStore(storeId);
    if (orgId === null) return;
    await this.emit(orgId, "gateway.offline", `${gatewayId}:${at}`, at, { gatewayId, storeId }, null);
  }

  /**
   * Stored presence: an enter that opened a store visit is `visit.started`, an exit `visit.ended`
   * (the member left the zone of the visit). Only linked presence of consenting members.
   */
  async presenceStored(events: readonly StoredEvent[]): Promise<void> {
    for (const e of events) {
      if (e.unlinked === true || e.userId === null || e.storeVisitId === undefined) continue;
      const type: WebhookEventType | null =
        e.type === "enter" && e.storeVisitId === e.visitId ? "visit.started" : e.type === "exit" ? "visit.ended" : null;
      if (type === null) continue;
      // Presence is the hot path: the member is read only when an endpoint wants the event.
      const orgId = await this.orgOfStore(e.storeId);
      if (orgId === null) continue;
      const endpoints = await this.endpointsOf(orgId).catch((err: unknown) => {
        this.o.log.error({ err, orgId }, "webhook endpoints not read; visit event not queued");
        return [];
      });
      if (!endpoints.some((x) => x.enabled && wantsEvent(x.events, type))) continue;
      const user = await this.o.users.getUser(e.userId);
      if (user === null || user.orgId !== orgId || !user.analyticsConsent) continue;
      await this.emit(orgId, type, e.id, Date.parse(e.at), {
        visitId: e.storeVisitId,
        userId: e.userId,
        storeId: e.storeId,
        zoneId: e.zoneId,
      }, e.userId);
    }
  }

  private async orgOfStore(storeId: string): Promise<string | null> {
    // A store keeps its organisation (upsertStore never moves it): read once per process.
    const known = this.orgOfStoreCache.get(storeId);
    if (known !== undefined) return known;
    try {
      const orgId = (await this.o.stores.getStore(storeId))?.orgId ?? null;
      if (orgId !== null) this.orgOfStoreCache.set(storeId, orgId);
      return orgId;
    } catch (err) {
      this.o.log.warn({ err, storeId }, "webhook event not queued");
      return null;
    }
  }

  private endpointsOf(orgId: string): Promise<WebhookEndpoint[]> {
    const now = this.o.clock.now();
    const cached = this.cache.get(orgId);
    if (cached !== undefined && now - cached.at < (this.o.endpointCacheMs ?? 5000)) return cached.endpoints;
    const endpoints = this.o.webhooks.endpoints(orgId);
    this.cache.set(orgId, { at: now, endpoints });
    endpoints.catch(() => this.cache.delete(orgId));
    return endpoints;
  }
}

/** A message id per endpoint and event: `msg_` and 128 bits of a hash, the same however often the event is reported. */
function messageId(endpointId: string, type: WebhookEventType, key: string): string {
  return `msg_${createHash("sha256").update(`${endpointId}\n${type}\n${key}`).digest("base64url").slice(0, 22)}`;
}
