import type { PresenceEvent } from "../../../protocol/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, type Outcome } from "./Outcome.js";
import type { DailyVisitCount, RetentionRepository } from "./repositories.js";
import type { ActivityQuery, ActivityRepository, StoredEvent, VisitRecord } from "./repositories.js";
import type { StoreService } from "./StoreService.js";

export interface StoreActivityServiceOptions {
  readonly activity: ActivityRepository;
  readonly visitCounts: Pick<RetentionRepository, "dailyVisitCounts">;
  /** Whether the caller may see the store (another organisation's is "not found"). */
  readonly stores: Pick<StoreService, "getStore">;
}

/**
 * What happened in a store: its presence events and visits (raw, kept for the retention period)
 * and its daily visit counts (kept in aggregate after that), for the callers allowed to see the
 * store. A store-bound key sees its own store only.
 */
export class StoreActivityService {
  constructor(private readonly o: StoreActivityServiceOptions) {}

  /** Presence events of the store, newest first, one page. */
  async events(
    principal: Principal,
    query: ActivityQuery & { readonly type: PresenceEvent["type"] | null },
  ): Promise<Outcome<StoredEvent[]>> {
    const store = await this.o.stores.getStore(principal, query.storeId);
    if (!store.ok) return store;
    return done(await this.o.activity.eventsPage(query));
  }

  /** Visits of the store, newest first, one page. */
  async visits(principal: Principal, query: ActivityQuery): Promise<Outcome<VisitRecord[]>> {
    const store = await this.o.stores.getStore(principal, query.storeId);
    if (!store.ok) return store;
    return done(await this.o.activity.visitsPage(query));
  }

  /** Visits per store-local day and zone. */
  async dailyVisitCounts(principal: Principal, storeId: string): Promise<Outcome<DailyVisitCount[]>> {
    const store = await this.o.stores.getStore(principal, storeId);
    if (!store.ok) {
      // This answer has always named the store-ops key; the other refusals are the store's.
      return store.code === "FORBIDDEN" ? forbidden("a store-ops key reads only its own store") : store;
    }
    return done(await this.o.visitCounts.dailyVisitCounts(storeId));
  }
}
