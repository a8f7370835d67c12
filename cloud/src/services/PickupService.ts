import { encodeMessage, type PickupArrivalMessage, PROTOCOL_VERSION, storeTopic } from "../../../protocol/index.js";
import { arrivesFor, type Pickup, type PickupState } from "../domain/coupons/index.js";
import { formatRedemptionCode, parseScannedRedemptionCode, REDEMPTION_CODE_BYTES } from "../domain/offers/index.js";
import type { Principal } from "./CredentialService.js";
import { conflict, done, forbidden, invalid, notFound, type Outcome, type RefusalCode, refuse } from "./Outcome.js";
import type { Clock, Logger, MessageBus } from "./ports.js";
import type { CollectResult, DirectoryRepository, PickupRepository, StoredEvent, UserRepository } from "./repositories.js";

export interface PickupServiceOptions {
  readonly pickups: PickupRepository;
  readonly users: Pick<UserRepository, "getUser">;
  readonly stores: Pick<DirectoryRepository, "getStore">;
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly log: Logger;
  /** A CSPRNG (node's randomBytes): codes and ids. */
  readonly randomBytes: (size: number) => Buffer;
  /** Told each arrival once it is published (the live view, the webhook stream). */
  readonly onArrival?: (pickup: Pickup) => void;
}

/** How long a pick-up code is valid when the shop does not say, hours. */
export const DEFAULT_PICKUP_HOURS = 72;

const COLLECT_REFUSAL: Record<Extract<CollectResult, { ok: false }>["reason"], RefusalCode> = {
  "unknown-code": "NOT_FOUND",
  "already-collected": "CODE_ALREADY_REDEEMED",
  expired: "CODE_EXPIRED",
  "wrong-store": "WRONG_STORE",
};

/**
 * Click-and-collect: the online shop (admin key) registers an order for pick-up in a store and
 * gets a single-use pick-up code for its customer; when the customer is seen at that store (any
 * presence source), the store is told at once on `stores/{storeId}/pickups` (MQTT, QoS 1); the
 * counter (its till key) hands the order over by the code, once.
 */
export class PickupService {
  constructor(private readonly o: PickupServiceOptions) {}

  async create(
    principal: Principal,
    input: { readonly orderId: string; readonly storeId: string; readonly userId: string; readonly validHours?: number },
  ): Promise<Outcome<Pickup>> {
    const store = await this.o.stores.getStore(input.storeId);
    if (!store || store.orgId !== principal.orgId) return notFound(`no store ${input.storeId} in this organisation`);
    const user = await this.o.users.getUser(input.userId);
    if (!user || user.orgId !== principal.orgId) return notFound(`no user ${input.userId} in this organisation`);
    const now = this.o.clock.now();
    const pickup: Pickup = {
      pickupId: `p_${this.o.randomBytes(12).toString("base64url")}`,
      orgId: principal.orgId,
      storeId: input.storeId,
      userId: input.userId,
      orderId: input.orderId,
      code: formatRedemptionCode(this.o.randomBytes(REDEMPTION_CODE_BYTES)),
      state: "awaiting",
      createdAt: now,
      expiresAt: now + (input.validHours ?? DEFAULT_PICKUP_HOURS) * 3_600_000,
      arrivedAt: null,
      collectedAt: null,
    };
    if (!(await this.o.pickups.createPickup(pickup))) return conflict(`order ${input.orderId} is already waiting at store ${input.storeId}`);
    return done(pickup);
  }

  async get(principal: Principal, pickupId: string): Promise<Outcome<Pickup>> {
    const pickup = await this.o.pickups.getPickup(pickupId);
    if (!pickup || pickup.orgId !== principal.orgId) return notFound(`no pick-up ${pickupId}`);
    if (principal.role === "pos" && principal.storeId !== pickup.storeId) return forbidden("this order is collected at another store");
    return done(pickup);
  }

  /**
   * The orders a counter lists: a till key's own store only; an admin any store of the
   * organisation, or all of them. Newest first, at most `limit` (default 100).
   */
  async list(
    principal: Principal,
    input: { readonly storeId?: string; readonly states?: readonly PickupState[]; readonly limit?: number },
  ): Promise<Outcome<Pickup[]>> {
    let storeId = input.storeId;
    if (principal.role === "pos") {
      if (storeId !== undefined && storeId !== principal.storeId) return forbidden("this till key belongs to another store");
      storeId = principal.storeId ?? undefined;
      if (storeId === undefined) return forbidden("this till key belongs to no store");
    } else if (storeId !== undefined) {
      const store = await this.o.stores.getStore(storeId);
      if (!store || store.orgId !== principal.orgId) return notFound(`no store ${storeId} in this organisation`);
    }
    const pickups = await this.o.pickups.listPickups({
      orgId: principal.orgId,
      ...(storeId === undefined ? {} : { storeId }),
      ...(input.states === undefined ? {} : { states: input.states }),
      limit: input.limit ?? 100,
    });
    return done(pickups);
  }

  /** The counter hands the order over: a till key at its store, or an admin naming the store. */
  async collect(principal: Principal, input: { readonly code: string; readonly storeId?: string }): Promise<Outcome<Pickup>> {
    const storeId = principal.role === "pos" ? principal.storeId : (input.storeId ?? null);
    if (!storeId) return invalid([{ path: "/storeId", message: "required" }]);
    if (principal.role === "pos" && input.storeId !== undefined && input.storeId !== principal.storeId)
      return forbidden("this till key belongs to another store");
    if (principal.role === "admin") {
      const store = await this.o.stores.getStore(storeId);
      if (!store || store.orgId !== principal.orgId) return notFound(`no store ${storeId} in this organisation`);
    }
    const code = parseScannedRedemptionCode(input.code);
    if (!code) return notFound("no order has this pick-up code");
    const result = await this.o.pickups.collect(code, storeId, this.o.clock.now());
    if (!result.ok) return refuse(COLLECT_REFUSAL[result.reason], result.text);
    return done(result.pickup);
  }

  /**
   * Presence stored (gateways, geofences, phone-side beacons): an awaiting order's customer seen
   * at its store arrives, and the store is told once. A failed publish is logged; the order stays
   * arrived (the counter sees it in its list) rather than being told twice.
   */
  async presenceStored(events: readonly StoredEvent[]): Promise<void> {
    const seen = new Map<string, { userId: string; storeId: string; at: number }>();
    for (const e of events) {
      if (e.userId === null || e.type === "exit") continue;
      seen.set(`${e.userId}\u0000${e.storeId}`, { userId: e.userId, storeId: e.storeId, at: e.receivedAt });
    }
    for (const { userId, storeId, at } of seen.values()) {
      let arrived: Pickup[];
      try {
        arrived = await this.o.pickups.markArrived(userId, storeId, at);
      } catch (err) {
        this.o.log.warn({ err, storeId }, "pick-up arrival check failed");
        continue;
      }
      for (const pickup of arrived.filter((p) => arrivesFor({ ...p, state: "awaiting" }, storeId, at))) {
        const message: PickupArrivalMessage = {
          v: PROTOCOL_VERSION,
          kind: "pickup-arrived",
          pickupId: pickup.pickupId,
          orderId: pickup.orderId,
          storeId: pickup.storeId,
          arrivedAt: new Date(at).toISOString(),
        };
        try {
          await this.o.bus.publish(storeTopic(pickup.storeId, "pickups"), encodeMessage(message), { qos: 1, retain: false });
          this.o.log.info({ pickupId: pickup.pickupId, storeId: pickup.storeId }, "pick-up customer arrived");
        } catch (err) {
          this.o.log.warn({ err, pickupId: pickup.pickupId }, "pick-up arrival publish failed");
        }
        this.o.onArrival?.(pickup);
      }
    }
  }
}
