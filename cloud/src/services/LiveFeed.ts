import { appSubjectId, userIdOfAppSubject } from "../../../protocol/index.js";
import type { Offer } from "../domain/offers/index.js";
import type { Clock, Logger } from "./ports.js";
import type { StoredEvent } from "./repositories.js";

/** Minutes of arrivals kept per store for the per-minute chart. */
export const LIVE_MINUTES = 30;
/** Offers kept per store for the feed. */
const RECENT_OFFERS = 50;
/**
 * A subject with no event for this long is no longer shown as present: a gateway that went
 * offline never sends the exit, and a ghost shopper standing in a zone for hours misleads.
 */
const PRESENCE_TTL_MS = 30 * 60_000;

export interface LivePresence {
  /** The subject id the gateway reported: a beacon identity or a pseudonymous rotating-MAC hash. */
  readonly subjectId: string;
  readonly userId: string | null;
  /** Epoch ms of the enter, and of the latest event. */
  readonly since: number;
  readonly lastSeenAt: number;
}

export interface LiveOffer {
  readonly offerId: string;
  readonly ruleId: string;
  /**
   * The shopper's user id, or null when they gave no analytics consent: like their presence, the
   * offer is then shown without anyone named (it still counts, and its redemption shows).
   */
  readonly userId: string | null;
  readonly storeId: string;
  readonly zoneId: string;
  readonly title: string;
  readonly issuedAt: number;
  readonly redeemedAt: number | null;
}

/** What a console shows of one store right now. */
export interface LiveStoreView {
  readonly storeId: string;
  readonly zones: readonly {
    readonly zoneId: string;
    /** Shoppers present whom storage keeps linked; others count only in `unlinked`. */
    readonly present: readonly LivePresence[];
    /** How many more are present whose presence is stored unlinked (no analytics consent): a head-count only. */
    readonly unlinked: number;
    /** Enters into this zone in the last `LIVE_MINUTES` minutes. */
    readonly arrivals: number;
  }[];
  /** Enters per minute for the last `LIVE_MINUTES` minutes, oldest first; `minute` is epoch ms. */
  readonly arrivalsPerMinute: readonly { readonly minute: number; readonly count: number }[];
  /** Newest first. */
  readonly offers: readonly LiveOffer[];
  readonly issuedCount: number;
  readonly redeemedCount: number;
}

export interface LiveSnapshot {
  readonly at: number;
  readonly stores: readonly LiveStoreView[];
}

/** Which stores a subscriber may see: one store for a store-bound key, else its organisation's. */
export interface LiveAudience {
  readonly orgId: string;
  readonly storeId: string | null;
}

export type LiveListener = (storeId: string) => void;

/** A presence as held here; an unlinked one is keyed by its visit and has no subject or user. */
interface Present extends LivePresence {
  readonly unlinked: boolean;
  readonly visitId: string;
}

/**
 * An offer as held here: the user is kept (to drop it on erasure) even when the view hides it; null
 * when another worker shared it without its unconsenting user.
 */
interface HeldOffer {
  readonly shown: LiveOffer;
  readonly userId: string | null;
}

/** What the view reads of a stored event: a worker's own, or one another worker shared. */
export interface LiveEvent
  extends Pick<StoredEvent, "storeId" | "zoneId" | "type" | "at" | "userId" | "visitId" | "unlinked"> {
  readonly subject: { readonly id: string };
}

/** What the view reads of an issued offer; `userId` null when it may not be held (see `HeldOffer`). */
export interface LiveOfferIssued extends Pick<Offer, "offerId" | "ruleId" | "storeId" | "zoneId" | "title" | "issuedAt"> {
  readonly userId: string | null;
}

/** What the offer hook is told of the shopper besides the offer. */
export interface LiveShopper {
  /** True only if the user consents to analytics, at the decision and when the event was stored. */
  readonly analyticsConsent: boolean;
}

interface StoreState {
  readonly orgId: string;
  /**
   * zoneId → subjectId (or `visit:<visitId>` when unlinked) → presence. Each zone's map is kept in
   * the order its entries were last written (an update deletes and re-adds), which is last-seen
   * order as long as events arrive in time order: stale presences are then at the front, and expiry
   * drops them from there, in time proportional to what it drops instead of to who is present.
   */
  readonly zones: Map<string, Map<string, Present>>;
  /** minute (epoch ms) → enters, for the store and per zone */
  readonly arrivals: Map<number, number>;
  readonly zoneArrivals: Map<string, Map<number, number>>;
  /** The minute the arrival maps were last cut to the chart's window (once per minute, not per event). */
  prunedMinute: number;
  readonly offers: HeldOffer[];
  issuedCount: number;
  redeemedCount: number;
}

export interface LiveFeedOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** The organisation a store belongs to, or null for an unknown store (its events are ignored). */
  readonly orgOfStore: (storeId: string) => Promise<string | null>;
}

/**
 * What is happening in the stores now, in memory: who is in which zone, arrivals per minute and
 * the offers issued and redeemed since the cloud started. Fed by the ingest and offer hooks; the
 * console's live stream reads it. Nothing here is a record: the database stays the source of truth,
 * and a restart starts the view empty.
 */
export class LiveFeed {
  private readonly stores = new Map<string, StoreState>();
  private readonly listeners = new Set<LiveListener>();
  private readonly orgs = new Map<string, string | null>();
  /**
   * Users not to be named whatever the hook says: those who withdrew analytics consent (until they
   * give it again) or were erased since the cloud started. An offer or event is read with the
   * consent of its decision or storage, and reaches this view after waiting in the decision queue or
   * on the store lookup; if consent was withdrawn meanwhile, `unlinkUser` has already run and would
   * not see it. Checked when the entry is added, so it is unnamed like the ones already held.
   */
  private readonly unnamed = new Set<string>();

  constructor(private readonly o: LiveFeedOptions) {}

  /**
   * Ingest hook: events stored for the first time. Never throws (it runs inside ingest). An event
   * storage keeps unlinked (no analytics consent) is reduced here to what storage keeps — no user,
   * subject `unlinked` — so that shopper counts in the aggregates but is never listed.
   */
  eventsStored(events: readonly LiveEvent[]): void {
    void this.apply(events).catch((err: unknown) => this.o.log.warn({ err }, "live feed update failed"));
  }

  /**
   * Offer hook: an offer was issued. Without the shopper's analytics consent the offer is listed
   * with no user id, as their presence is (storage keeps it unlinked): the console learns that an
   * offer went out in that zone, not to whom.
   */
  offerIssued(offer: LiveOfferIssued, shopper: LiveShopper): void {
    void this.withStore(offer.storeId, (state) => {
      const named = offer.userId !== null && shopper.analyticsConsent && !this.unnamed.has(offer.userId);
      state.offers.unshift({
        userId: offer.userId,
        shown: {
          offerId: offer.offerId,
          ruleId: offer.ruleId,
          userId: named ? offer.userId : null,
          storeId: offer.storeId,
          zoneId: offer.zoneId,
          title: offer.title,
          issuedAt: offer.issuedAt,
          redeemedAt: null,
        },
      });
      state.offers.length = Math.min(state.offers.length, RECENT_OFFERS);
      state.issuedCount++;
    }).catch((err: unknown) => this.o.log.warn({ err }, "live feed update failed"));
  }

  /** Redemption hook: an offer was redeemed at the till (first time only, not a replayed request). */
  offerRedeemed(offer: Pick<Offer, "offerId" | "storeId">, at: number): void {
    void this.withStore(offer.storeId, (state) => {
      const index = state.offers.findIndex((o) => o.shown.offerId === offer.offerId);
      const held = state.offers[index];
      if (held) state.offers[index] = { ...held, shown: { ...held.shown, redeemedAt: at } };
      state.redeemedCount++;
    }).catch((err: unknown) => this.o.log.warn({ err }, "live feed update failed"));
  }

  /**
   * Erasure hook: drops the user's presences (by user and by their app subject) and the offers
   * listed for them, so an erased user leaves the view at once. The counts stay: they name no one.
   */
  forgetUser(userId: string): void {
    // An offer or event of theirs still on its way here is then listed without them.
    this.unnamed.add(userId);
    for (const [storeId, state] of this.stores) {
      let changed = false;
      for (const { zone, key } of presencesOf(state, userId)) {
        zone.delete(key);
        changed = true;
      }
      const kept = state.offers.filter((o) => o.userId !== userId);
      if (kept.length !== state.offers.length) {
        state.offers.splice(0, state.offers.length, ...kept);
        changed = true;
      }
      if (changed) this.notify(storeId);
    }
  }

  /**
   * Consent hook: the user withdrew analytics consent. What the view holds of them becomes what it
   * would hold had they never given it: their presences count in the zone's head-count only (keyed by
   * visit, as later events of theirs arrive unlinked), and their offers are listed without the user.
   */
  unlinkUser(userId: string): void {
    this.unnamed.add(userId);
    for (const [storeId, state] of this.stores) {
      let changed = false;
      for (const { zone, key, presence } of presencesOf(state, userId)) {
        if (presence.unlinked) continue;
        zone.delete(key);
        zone.set(`visit:${presence.visitId}`, { ...presence, subjectId: "unlinked", userId: null, unlinked: true });
        changed = true;
      }
      for (const [index, held] of state.offers.entries()) {
        if (held.userId !== userId || held.shown.userId === null) continue;
        state.offers[index] = { ...held, shown: { ...held.shown, userId: null } };
        changed = true;
      }
      if (changed) this.notify(storeId);
    }
  }

  /**
   * Consent hook: the user gave analytics consent (again, or a new user with the id of an erased
   * one). What they do from now on may be named; what storage keeps unlinked stays so.
   */
  relinkUser(userId: string): void {
    this.unnamed.delete(userId);
  }

  /** Called with the store id after each change; returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** May `audience` see `storeId`? Unknown stores are not visible. */
  visible(audience: LiveAudience, storeId: string): boolean {
    const state = this.stores.get(storeId);
    if (!state || state.orgId !== audience.orgId) return false;
    return audience.storeId === null || audience.storeId === storeId;
  }

  /** The stores `audience` may see, optionally one of them, as of now. */
  snapshot(audience: LiveAudience, storeId: string | null = null): LiveSnapshot {
    const now = this.o.clock.now();
    const stores: LiveStoreView[] = [];
    for (const [id, state] of this.stores) {
      if (!this.visible(audience, id) || (storeId !== null && storeId !== id)) continue;
      stores.push(this.view(id, state, now));
    }
    stores.sort((a, b) => a.storeId.localeCompare(b.storeId));
    return { at: now, stores };
  }

  private view(storeId: string, state: StoreState, now: number): LiveStoreView {
    const current = minuteOf(now);
    const oldest = current - (LIVE_MINUTES - 1) * 60_000;
    const zones = [...state.zones]
      .map(([zoneId, present]) => ({
        zoneId,
        present: [...present.values()]
          .filter((p) => !p.unlinked && now - p.lastSeenAt < PRESENCE_TTL_MS)
          .sort((a, b) => a.since - b.since)
          .map(({ subjectId, userId, since, lastSeenAt }) => ({ subjectId, userId, since, lastSeenAt })),
        unlinked: [...present.values()].filter((p) => p.unlinked && now - p.lastSeenAt < PRESENCE_TTL_MS).length,
        arrivals: [...(state.zoneArrivals.get(zoneId) ?? new Map<number, number>())]
          .filter(([minute]) => minute >= oldest && minute <= current)
          .reduce((sum, [, count]) => sum + count, 0),
      }))
      .sort((a, b) => a.zoneId.localeCompare(b.zoneId));
    const arrivalsPerMinute = [];
    for (let i = LIVE_MINUTES - 1; i >= 0; i--) {
      const minute = current - i * 60_000;
      arrivalsPerMinute.push({ minute, count: state.arrivals.get(minute) ?? 0 });
    }
    return {
      storeId,
      zones,
      arrivalsPerMinute,
      offers: state.offers.map((o) => o.shown),
      issuedCount: state.issuedCount,
      redeemedCount: state.redeemedCount,
    };
  }

  private async apply(events: readonly LiveEvent[]): Promise<void> {
    const byStore = new Map<string, LiveEvent[]>();
    for (const e of events) {
      const list = byStore.get(e.storeId);
      if (list) list.push(e);
      else byStore.set(e.storeId, [e]);
    }
    for (const [storeId, list] of byStore) {
      await this.withStore(storeId, (state) => {
        for (const e of list) this.applyEvent(state, this.asShown(e));
      });
    }
  }

  /** Applies one event; O(1) amortised, whoever is present (expiry takes only what it drops). */
  private applyEvent(state: StoreState, e: LiveEvent): void {
    const at = Date.parse(e.at);
    const now = this.o.clock.now();
    const current = minuteOf(now);
    // Keep the arrival maps bounded: minutes past the chart's window go once a minute.
    const oldest = current - LIVE_MINUTES * 60_000;
    if (current !== state.prunedMinute) {
      state.prunedMinute = current;
      for (const minutes of [state.arrivals, ...state.zoneArrivals.values()]) {
        for (const minute of minutes.keys()) if (minute < oldest) minutes.delete(minute);
      }
    }
    let zone = state.zones.get(e.zoneId);
    if (!zone) {
      zone = new Map<string, Present>();
      state.zones.set(e.zoneId, zone);
    }
    const unlinked = e.unlinked === true;
    // The visit id is kept in storage for unlinked presence too; it tells one stay from another.
    const key = unlinked ? `visit:${e.visitId}` : e.subject.id;
    const existing = zone.get(key);
    // Re-added, not overwritten: the entry moves to the back, where the most recently seen are.
    zone.delete(key);
    switch (e.type) {
      case "enter": {
        zone.set(key, { subjectId: e.subject.id, userId: e.userId, since: at, lastSeenAt: at, unlinked, visitId: e.visitId });
        const minute = minuteOf(at);
        // An enter older than the chart's window counts in no minute the chart shows.
        if (minute >= oldest) {
          state.arrivals.set(minute, (state.arrivals.get(minute) ?? 0) + 1);
          let perZone = state.zoneArrivals.get(e.zoneId);
          if (!perZone) {
            perZone = new Map<number, number>();
            state.zoneArrivals.set(e.zoneId, perZone);
          }
          perZone.set(minute, (perZone.get(minute) ?? 0) + 1);
        }
        break;
      }
      case "exit":
        break;
      default:
        // Dwell and any later kind: the subject is still there.
        zone.set(key, {
          subjectId: e.subject.id,
          userId: e.userId,
          since: existing?.since ?? at,
          lastSeenAt: at,
          unlinked,
          visitId: e.visitId,
        });
    }
    // A late event can be stale on arrival; it is at the back, so drop it here.
    if (e.type !== "exit" && now - at >= PRESENCE_TTL_MS) zone.delete(key);
    expireStale(zone, now);
  }

  /** The event as storage keeps it, and unlinked too if its user may no longer be named here. */
  private asShown(e: LiveEvent): LiveEvent {
    const user = e.userId ?? userIdOfAppSubject(e.subject.id);
    return asStored(user !== null && this.unnamed.has(user) ? { ...e, unlinked: true } : e);
  }

  private async withStore(storeId: string, change: (state: StoreState) => void): Promise<void> {
    let state = this.stores.get(storeId);
    if (!state) {
      const orgId = await this.orgOf(storeId);
      if (orgId === null) return;
      state = this.stores.get(storeId) ?? {
        orgId,
        zones: new Map(),
        arrivals: new Map(),
        zoneArrivals: new Map(),
        offers: [],
        issuedCount: 0,
        redeemedCount: 0,
        prunedMinute: Number.NEGATIVE_INFINITY,
      };
      this.stores.set(storeId, state);
    }
    change(state);
    this.notify(storeId);
  }

  private notify(storeId: string): void {
    for (const listener of this.listeners) {
      try {
        listener(storeId);
      } catch (err) {
        this.o.log.warn({ err }, "live listener failed");
      }
    }
  }

  private async orgOf(storeId: string): Promise<string | null> {
    if (this.orgs.has(storeId)) return this.orgs.get(storeId) ?? null;
    const orgId = await this.o.orgOfStore(storeId);
    // Unknown stores are not cached: the store may be created a moment later.
    if (orgId !== null) this.orgs.set(storeId, orgId);
    return orgId;
  }
}

/**
 * The presences held for a user in a store: by user id, or by their app subject (a phone's report
 * of its own position). Collected first, so the caller may change the zones while going through them.
 */
function presencesOf(state: StoreState, userId: string): { zone: Map<string, Present>; key: string; presence: Present }[] {
  const appSubject = appSubjectId(userId);
  const found: { zone: Map<string, Present>; key: string; presence: Present }[] = [];
  for (const zone of state.zones.values()) {
    for (const [key, presence] of zone) {
      if (presence.userId === userId || presence.subjectId === appSubject) found.push({ zone, key, presence });
    }
  }
  return found;
}

/**
 * Drops the stale presences at the front of a zone (least recently written first) and stops at the
 * first fresh one. An event older than one written before it (clock skew between gateways, or a
 * presence re-keyed by `unlinkUser`) can leave a stale entry behind a fresh one for a while; it
 * goes once what is in front of it does, and the view never shows it (it checks the TTL itself).
 */
function expireStale(zone: Map<string, Present>, now: number): void {
  for (const [key, presence] of zone) {
    if (now - presence.lastSeenAt < PRESENCE_TTL_MS) return;
    zone.delete(key);
  }
}

/** The event as storage keeps it: without user and subject when it is stored unlinked. */
export function asStored(e: LiveEvent): LiveEvent {
  return e.unlinked ? { ...e, userId: null, subject: { ...e.subject, id: "unlinked" } } : e;
}

function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}
