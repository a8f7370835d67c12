import type { MessageBus } from "../../cloud/src/services/ports.js";
import type { Path } from "../../gateway/src/adapters/sim/SimWorld.js";
import type { Clock, Scheduler, TimerHandle } from "../../gateway/src/services/ports.js";
import { Checker, PickupArrivalMessageSchema, storeTopic } from "../../protocol/index.js";
import { pick, type Random, streamOf } from "../sim/rng.js";
import {
  DEMO_BATCHES,
  DEMO_CATALOGUE,
  DEMO_CHANNEL_TAGS,
  DEMO_LOYALTY_PROGRAM,
  DEMO_STORE,
  type DemoChannelTag,
  type DemoSku,
} from "./demoStore.js";

/** What the retailer's systems did, in the order they did it (the demo prints each; tests read the API). */
export type DemoRetailEvent =
  | { readonly kind: "claimed"; readonly userId: string; readonly title: string; readonly channelTag: DemoChannelTag; readonly code: string }
  | { readonly kind: "claim-refused"; readonly userId: string; readonly title: string; readonly reason: string; readonly text: string }
  | { readonly kind: "gift-offered"; readonly fromUserId: string; readonly title: string }
  | { readonly kind: "gift-accepted"; readonly fromUserId: string; readonly toUserId: string; readonly title: string; readonly code: string }
  | { readonly kind: "gift-declined"; readonly fromUserId: string; readonly toUserId: string; readonly title: string; readonly reason: string }
  | { readonly kind: "pickup-ordered"; readonly userId: string; readonly orderId: string; readonly pickupId: string; readonly code: string }
  | { readonly kind: "pickup-arrived"; readonly userId: string; readonly orderId: string; readonly pickupId: string }
  | { readonly kind: "pickup-collected"; readonly userId: string; readonly orderId: string; readonly pickupId: string }
  | {
      readonly kind: "coupon-redeemed";
      readonly userId: string;
      readonly title: string;
      readonly orderId: string;
      readonly totalMinor: number;
      readonly discountMinor: number;
      readonly text: string;
    }
  | { readonly kind: "coupon-refused"; readonly userId: string; readonly title: string; readonly text: string }
  | {
      readonly kind: "purchase";
      readonly userId: string;
      readonly orderId: string;
      readonly totalMinor: number;
      readonly points: number;
      readonly balance: number;
      readonly multiplier: number;
    };

/** A member the demo's app, online shop and till act for. */
export interface DemoMember {
  readonly userId: string;
  readonly segments: readonly string[];
  /** The member's app key (role app, bound to the member). */
  readonly appKey: string;
  /** Where the member's phone is, as the simulated store has it (null: out of range). */
  readonly path: Path;
}

export interface DemoRetailOptions {
  /** Base URL of the cloud's HTTP API. */
  readonly apiUrl: string;
  /** The demo's API keys: the marketer writes the programme and batches, the admin is the online shop, the till its store's. */
  readonly keys: { readonly marketer: string; readonly admin: string; readonly pos: string };
  /** Where the store's devices hear of pick-up customers arriving (`stores/{storeId}/pickups`). */
  readonly storeBus: Pick<MessageBus, "subscribe">;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly seed: number;
  readonly onEvent?: (event: DemoRetailEvent) => void;
  /** Told when a step fails unexpectedly (the demo goes on with the next one). */
  readonly onError?: (err: unknown) => void;
  readonly fetch?: typeof fetch;
}

/** A shopper pays at the till once they have been in the store this long on a visit, ms. */
export const DEMO_CHECKOUT_AFTER_MS = 30_000;
/** The regulars' story (claims, the gift, the pick-up order) starts this long after `start`, ms. */
export const DEMO_STORY_DELAY_MS = 1_500;
/** Share of the offers reaching a phone that the shopper opens (`viewed`), as the demo simulates. */
export const DEMO_VIEW_SHARE = 0.6;
/** How finely the simulated paths are read, ms: each moment is read once, however late the timer. */
const SCAN_STEP_MS = 1_000;
const LIVE_STATUSES = new Set(["issued", "delivered", "viewed"]);
const BATCH_ORDER: readonly string[] = Object.values(DEMO_BATCHES).map((b) => b.batchId);
const DEMO_BATCH_IDS: ReadonlySet<string> = new Set(BATCH_ORDER);
const TITLES: ReadonlyMap<string, string> = new Map(Object.values(DEMO_BATCHES).map((b) => [b.batchId, b.spec.title]));
const arrivalChecker = new Checker(PickupArrivalMessageSchema);

/** A refusal the API answered: expected ones (out of stock, limit reached) become events. */
class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Shopper extends DemoMember {
  readonly random: Random;
  /** The phone's own stream: when an offer arrives and whether it is opened. */
  readonly phone: Random;
  readonly regular: boolean;
  /** The newcomer's app key id, revoked once they are gone; null for regulars. */
  keyId: string | null;
  goneAt: number | null;
  insideSince: number | null;
  paid: boolean;
}

interface PickupOrder {
  readonly pickupId: string;
  readonly orderId: string;
  readonly userId: string;
  readonly code: string;
  collected: boolean;
}

interface WalletCoupon {
  readonly couponId: string;
  readonly batchId: string;
  readonly code: string;
  readonly status: string;
  readonly validFrom: string;
  readonly expiresAt: string;
}

interface BasketLine {
  readonly sku: DemoSku;
  readonly category: string;
  readonly quantity: number;
  readonly unitPriceMinor: number;
}

/**
 * The retailer around the demo store, speaking only the cloud's HTTP API with the key of each
 * role: the marketer writes the loyalty programme and the coupon batches; members' apps claim
 * coupons online from tagged links, give one to a friend who accepts it (or declines it, having had
 * theirs, or has not opened the link yet), and show a dynamic member code at the till; the online
 * shop registers click-and-collect orders; the store's counter hears
 * of a pick-up customer arriving and hands the order over; the till redeems coupons against the
 * basket, or reports the purchase so the member earns points (visits earn by themselves, from the
 * gateways). Each shopper pays at the till once they have been in the store 30 s on a visit, as
 * their simulated path has it, and draws their baskets from a random stream of their own.
 */
export class DemoRetail {
  private readonly o: DemoRetailOptions;
  private readonly fetchFn: typeof fetch;
  private readonly runTag: string;
  private readonly shoppers: Shopper[] = [];
  private readonly pickups = new Map<string, PickupOrder>();
  private timer: TimerHandle | null = null;
  private storyTimer: TimerHandle | null = null;
  private readonly phoneTimers = new Set<TimerHandle>();
  private scannedTo = 0;
  private orders = 0;
  private stopped = false;
  private work: Promise<void> = Promise.resolve();

  constructor(options: DemoRetailOptions) {
    this.o = options;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    // Order ids are unique per store across runs on the same data: this run's start names them.
    this.runTag = options.clock.now().toString(36).toUpperCase();
  }

  /**
   * The marketer's side, before any shopper walks in: the loyalty programme and the batches are
   * written once; after that they are the marketer's (edits survive a restart).
   */
  async setUp(): Promise<void> {
    const marketer = this.o.keys.marketer;
    const { version } = await this.call<{ version: number }>("GET", "/v1/loyalty/program", marketer);
    if (version === 0) await this.call("PUT", "/v1/loyalty/program", marketer, DEMO_LOYALTY_PROGRAM);
    for (const { batchId, spec } of Object.values(DEMO_BATCHES)) {
      try {
        await this.call("GET", `/v1/coupon-batches/${batchId}`, marketer);
      } catch (err) {
        if (!(err instanceof Refused) || err.status !== 404) throw err;
        await this.call("POST", "/v1/coupon-batches", marketer, { batchId, spec });
      }
    }
  }

  /**
   * Listens for pick-up arrivals, starts the regulars' story (online claims, a gift, an online
   * order for pick-up) and the till.
   */
  async start(regulars: readonly DemoMember[]): Promise<void> {
    if (this.timer) return;
    for (const member of regulars) this.shoppers.push(this.shopper(member, null, null, true));
    await this.o.storeBus.subscribe(storeTopic(DEMO_STORE.id, "pickups"), async (message) => this.arrival(message.payload));
    this.scannedTo = this.o.clock.now();
    const regular = (userId: string) => this.shoppers.find((s) => s.userId === userId);
    const [ada, chloe, dev, eun] = ["u-ada", "u-chloe", "u-dev", "u-eun"].map(regular);
    // A moment after the start, so the demo's banner comes first and the story after it.
    this.storyTimer = this.o.scheduler.setTimeout(
      () =>
        this.enqueue(async () => {
          if (chloe) await this.claim(chloe, DEMO_BATCHES.lipstick.batchId, "ig-spring-post");
          if (eun) await this.claim(eun, DEMO_BATCHES.lipstick.batchId, "mall-poster-l2");
          if (ada && chloe) await this.giveCoffee(ada, chloe);
          // Ada gave hers away but has had her one coffee of the batch: she declines Dev's.
          if (dev && ada) await this.giveCoffee(dev, ada);
          // Eun shares the link in a chat; nobody has opened it yet (it returns after a day).
          if (eun) await this.shareCoffee(eun);
          if (dev) await this.orderForPickup(dev);
        }),
      DEMO_STORY_DELAY_MS,
    );
    this.timer = this.o.scheduler.setInterval(() => this.scan(), SCAN_STEP_MS);
  }

  /**
   * A new member just signed up and walks in soon: the online shop's backend gives their app a key;
   * a beauty fan claims the lipstick coupon from a tagged link, the others claim a coffee and give
   * it to one of the regulars; every third orders online for pick-up on this visit.
   */
  newcomer(n: number, member: Omit<DemoMember, "appKey">, goneAt: number | null): void {
    if (this.stopped) return;
    const shopper = this.shopper({ ...member, appKey: "" }, null, goneAt, false);
    this.shoppers.push(shopper);
    this.enqueue(async () => {
      const issued = await this.call<{ id: string; key: string }>("POST", "/v1/api-keys", this.o.keys.admin, {
        role: "app",
        userId: member.userId,
        label: `demo app of ${member.userId}`,
      });
      Object.assign(shopper, { appKey: issued.key, keyId: issued.id });
      if (member.segments.includes("beauty")) {
        await this.claim(shopper, DEMO_BATCHES.lipstick.batchId, pick(shopper.random, Object.keys(DEMO_CHANNEL_TAGS) as DemoChannelTag[]));
      } else {
        const friends = this.shoppers.filter((s) => s.regular);
        if (friends.length > 0) await this.giveCoffee(shopper, pick(shopper.random, friends));
      }
      if (n % 3 === 0) await this.orderForPickup(shopper);
    });
  }

  /**
   * The cloud issued an offer to a member: their app takes it in a moment later (push or the
   * broker) and acknowledges delivery, as the SDK does, and a share of shoppers open it a few
   * seconds after (`viewed`). Both go through the API an app uses, with the member's app key;
   * when and whether are drawn from the member's phone stream of the seed. Offers to people
   * without the app (no key) are never acknowledged, as in a store.
   */
  offerIssued(offer: { readonly offerId: string; readonly userId: string }): void {
    if (this.stopped) return;
    const s = this.shoppers.find((x) => x.userId === offer.userId);
    if (!s) return;
    const deliveredAfterMs = 300 + Math.floor(s.phone() * 1_200);
    const viewedAfterMs = s.phone() < DEMO_VIEW_SHARE ? deliveredAfterMs + 2_000 + Math.floor(s.phone() * 8_000) : null;
    this.later(deliveredAfterMs, () => this.acknowledge(s, offer.offerId, "delivered"));
    if (viewedAfterMs !== null) this.later(viewedAfterMs, () => this.acknowledge(s, offer.offerId, "viewed"));
  }

  /** Resolves when the steps started so far are done (tests, shutdown). */
  settled(): Promise<void> {
    return this.work;
  }

  /** Stops the till and revokes the newcomers' app keys still out. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.o.scheduler.clearInterval(this.timer);
    if (this.storyTimer) this.o.scheduler.clearTimeout(this.storyTimer);
    this.timer = null;
    this.storyTimer = null;
    for (const t of this.phoneTimers) this.o.scheduler.clearTimeout(t);
    this.phoneTimers.clear();
    await this.work;
    for (const s of this.shoppers.splice(0)) if (s.keyId !== null) await this.retire(s).catch((err: unknown) => this.o.onError?.(err));
  }

  private shopper(member: DemoMember, keyId: string | null, goneAt: number | null, regular: boolean): Shopper {
    return {
      ...member,
      regular,
      random: streamOf(this.o.seed, "shopper", member.userId),
      phone: streamOf(this.o.seed, "phone", member.userId),
      keyId,
      goneAt,
      insideSince: null,
      paid: false,
    };
  }

  /** Runs `step` in turn with the others, `ms` from now. */
  private later(ms: number, step: () => Promise<void>): void {
    const timer = this.o.scheduler.setTimeout(() => {
      this.phoneTimers.delete(timer);
      this.enqueue(step);
    }, ms);
    this.phoneTimers.add(timer);
  }

  /**
   * The member's app tells the cloud the offer reached the phone or was opened. An offer already
   * redeemed or expired, or an app signed out since (a newcomer gone), has nothing to acknowledge.
   */
  private async acknowledge(s: Shopper, offerId: string, kind: "delivered" | "viewed"): Promise<void> {
    if (s.appKey === "" || (!s.regular && s.keyId === null)) return;
    try {
      await this.call("POST", `/v1/users/${s.userId}/offers/${encodeURIComponent(offerId)}/acknowledgements`, s.appKey, { kind });
    } catch (err) {
      if (!(err instanceof Refused) || err.status !== 409) throw err;
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.work = this.work.then(step).catch((err: unknown) => {
      if (!this.stopped) this.o.onError?.(err);
    });
  }

  /**
   * Reads every shopper's simulated path at each second since the last scan, in order, so a late
   * timer on a busy machine delays a checkout but never skips or reorders one.
   */
  private scan(): void {
    const now = this.o.clock.now();
    for (let t = this.scannedTo + SCAN_STEP_MS; t <= now; t += SCAN_STEP_MS) {
      this.scannedTo = t;
      for (const s of [...this.shoppers]) {
        const at = s.path(t);
        // The door is at y = 0; the shop floor is beyond it, the pavement before it.
        if (at !== null && at.y > 0) {
          s.insideSince ??= t;
          if (!s.paid && t - s.insideSince >= DEMO_CHECKOUT_AFTER_MS) {
            s.paid = true;
            this.enqueue(() => this.checkout(s));
          }
        } else {
          s.insideSince = null;
          s.paid = false;
          if (s.goneAt !== null && t > s.goneAt) {
            this.shoppers.splice(this.shoppers.indexOf(s), 1);
            this.enqueue(() => this.retire(s));
          }
        }
      }
    }
  }

  private async retire(s: Shopper): Promise<void> {
    if (s.keyId === null) return;
    await this.call("DELETE", `/v1/api-keys/${s.keyId}`, this.o.keys.admin);
    s.keyId = null;
  }

  /** The member's app claims a coupon online from a link or QR carrying `channelTag`. */
  private async claim(s: Shopper, batchId: string, channelTag: DemoChannelTag): Promise<WalletCoupon | null> {
    const title = TITLES.get(batchId) ?? batchId;
    try {
      const { coupon } = await this.call<{ coupon: WalletCoupon }>("POST", `/v1/coupon-batches/${batchId}/claims`, s.appKey, { channelTag });
      this.emit({ kind: "claimed", userId: s.userId, title, channelTag, code: coupon.code });
      return coupon;
    } catch (err) {
      if (!(err instanceof Refused) || err.status !== 409) throw err;
      // Out of stock, or a member who claimed it on an earlier run: the limit holds.
      this.emit({ kind: "claim-refused", userId: s.userId, title, reason: err.code, text: err.message });
      return null;
    }
  }

  /**
   * The giver claims the coffee in the app and shares the gift link; the friend's app accepts it.
   * A friend who already had their one coffee of the batch is told so by the cloud and declines,
   * and the coffee stays with the giver.
   */
  private async giveCoffee(giver: Shopper, friend: Shopper): Promise<void> {
    const token = await this.shareCoffee(giver);
    if (token === null) return;
    const title = DEMO_BATCHES.friendCoffee.spec.title;
    try {
      const accepted = await this.call<{ coupon: WalletCoupon }>("POST", "/v1/gifts/accept", friend.appKey, { token });
      this.emit({ kind: "gift-accepted", fromUserId: giver.userId, toUserId: friend.userId, title, code: accepted.coupon.code });
    } catch (err) {
      if (!(err instanceof Refused) || err.code !== "LIMIT_REACHED") throw err;
      await this.call("POST", "/v1/gifts/decline", friend.appKey, { token });
      this.emit({ kind: "gift-declined", fromUserId: giver.userId, toUserId: friend.userId, title, reason: err.code });
    }
  }

  /** The member claims the coffee in the app and offers it as a gift: the link's token, or null if no coffee was had. */
  private async shareCoffee(giver: Shopper): Promise<string | null> {
    const coupon = await this.claim(giver, DEMO_BATCHES.friendCoffee.batchId, "line-official");
    if (!coupon) return null;
    const { token } = await this.call<{ token: string }>("POST", `/v1/users/${giver.userId}/coupons/${coupon.couponId}/gifts`, giver.appKey);
    this.emit({ kind: "gift-offered", fromUserId: giver.userId, title: DEMO_BATCHES.friendCoffee.spec.title });
    return token;
  }

  /** The online shop's backend registers an order for pick-up at the demo store. */
  private async orderForPickup(s: Shopper): Promise<void> {
    const orderId = `WEB-${this.runTag}-${this.pickups.size + 1}`;
    const { pickup } = await this.call<{ pickup: { pickupId: string; code: string } }>("POST", "/v1/pickups", this.o.keys.admin, {
      orderId,
      storeId: DEMO_STORE.id,
      userId: s.userId,
      validHours: 24,
    });
    this.pickups.set(orderId, { pickupId: pickup.pickupId, orderId, userId: s.userId, code: pickup.code, collected: false });
    this.emit({ kind: "pickup-ordered", userId: s.userId, orderId, pickupId: pickup.pickupId, code: pickup.code });
  }

  /** The store's counter screen: an arrival for one of the shop's orders. */
  private async arrival(payload: Buffer): Promise<void> {
    if (this.stopped) return;
    let message: unknown;
    try {
      message = JSON.parse(payload.toString("utf8"));
    } catch {
      return;
    }
    const checked = arrivalChecker.check(message);
    if (!checked.ok) return;
    const order = this.pickups.get(checked.value.orderId);
    if (!order || order.pickupId !== checked.value.pickupId) return;
    this.emit({ kind: "pickup-arrived", userId: order.userId, orderId: order.orderId, pickupId: order.pickupId });
  }

  /**
   * At the till: a waiting pick-up order is handed over by its code; coupons the member holds are
   * redeemed against the basket (the till applies exactly the discount answered); without one, the
   * member shows the app's member code and the purchase earns points.
   */
  private async checkout(s: Shopper): Promise<void> {
    if (s.appKey === "") return;
    for (const order of this.pickups.values()) {
      if (order.userId !== s.userId || order.collected) continue;
      await this.call("POST", "/v1/pickups/collect", this.o.keys.pos, { code: order.code });
      order.collected = true;
      this.emit({ kind: "pickup-collected", userId: s.userId, orderId: order.orderId, pickupId: order.pickupId });
    }
    const now = this.o.clock.now();
    const { coupons } = await this.call<{ coupons: WalletCoupon[] }>("GET", `/v1/users/${s.userId}/coupons?limit=50`, s.appKey);
    // In the batches' order, whatever order the wallet lists coupons issued in the same instant.
    const held = coupons
      .filter((c) => DEMO_BATCH_IDS.has(c.batchId) && LIVE_STATUSES.has(c.status) && Date.parse(c.validFrom) <= now && Date.parse(c.expiresAt) > now)
      .sort((a, b) => BATCH_ORDER.indexOf(a.batchId) - BATCH_ORDER.indexOf(b.batchId) || a.couponId.localeCompare(b.couponId));
    const lines = basketFor(s, held.map((c) => c.batchId));
    const totalMinor = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
    const orderId = `T${this.runTag}-${++this.orders}`;
    const basket = { orderId, totalMinor, currency: DEMO_LOYALTY_PROGRAM.currency, lines };
    if (held.length > 0) {
      for (const coupon of held) {
        const title = TITLES.get(coupon.batchId) ?? coupon.batchId;
        try {
          const answer = await this.call<{ discount?: { discountMinor: number; text: string } }>(
            "POST",
            "/v1/redemptions",
            this.o.keys.pos,
            { code: coupon.code, basket },
            { "idempotency-key": `${orderId}:${coupon.couponId}` },
          );
          const discount = answer.discount ?? { discountMinor: 0, text: "no discount" };
          this.emit({ kind: "coupon-redeemed", userId: s.userId, title, orderId, totalMinor, discountMinor: discount.discountMinor, text: discount.text });
        } catch (err) {
          if (!(err instanceof Refused) || (err.status !== 409 && err.status !== 422)) throw err;
          this.emit({ kind: "coupon-refused", userId: s.userId, title, text: err.message });
        }
      }
      return;
    }
    const { code } = await this.call<{ code: string }>("POST", `/v1/users/${s.userId}/member-code`, s.appKey);
    const result = await this.call<{ points: number; balance: number; multiplier: number }>("POST", "/v1/purchases", this.o.keys.pos, {
      memberCode: code,
      ...basket,
    });
    this.emit({ kind: "purchase", userId: s.userId, orderId, totalMinor, points: result.points, balance: result.balance, multiplier: result.multiplier });
  }

  private emit(event: DemoRetailEvent): void {
    if (!this.stopped) this.o.onEvent?.(event);
  }

  private async call<T = unknown>(method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await this.fetchFn(`${this.o.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed = text.length > 0 ? (JSON.parse(text) as unknown) : {};
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } }).error;
      throw new Refused(response.status, error?.code ?? "HTTP_ERROR", `${method} ${path}: ${error?.message ?? `HTTP ${response.status}`}`);
    }
    return parsed as T;
  }
}

const line = (sku: DemoSku, quantity = 1): BasketLine => {
  const item = DEMO_CATALOGUE[sku];
  return { sku, category: item.category, quantity, unitPriceMinor: item.unitPriceMinor };
};

/**
 * What a shopper buys on a visit, drawn from their own stream: with the lipstick coupon, two
 * lipsticks (enough for its HK$300) and perhaps a serum; with the friend's coffee, the coffee too;
 * otherwise what their segment is about.
 */
function basketFor(s: Shopper, batchIds: readonly string[]): BasketLine[] {
  const r = s.random;
  const lines: BasketLine[] = [];
  const lipsticks: DemoSku[] = ["LIP-ROUGE-01", "LIP-NUDE-02", "LIP-GLOSS-03"];
  if (batchIds.includes(DEMO_BATCHES.lipstick.batchId)) {
    const first = pick(r, lipsticks);
    lines.push(line(first), line(pick(r, lipsticks.filter((sku) => sku !== first))));
    if (r() < 0.5) lines.push(line("SKN-SERUM-01"));
  }
  if (batchIds.includes(DEMO_BATCHES.friendCoffee.batchId)) lines.push(line("CAFE-REG"), ...(r() < 0.5 ? [line("BAK-CROISSANT")] : []));
  if (lines.length > 0) return lines;
  if (s.segments.includes("beauty")) return [line(pick(r, [...lipsticks, "SKN-SERUM-01"])), ...(r() < 0.4 ? [line("SKN-MIST-02")] : [])];
  return [line(pick(r, ["CAFE-REG", "CAFE-LATTE"] as DemoSku[]), 1 + Math.floor(r() * 2)), ...(r() < 0.6 ? [line("BAK-CROISSANT")] : [])];
}
