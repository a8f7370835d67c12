import type { PresenceEvent } from "../../../protocol/index.js";
import { boundInstant, type TimeBound } from "../domain/rules/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, invalid, type Outcome } from "./Outcome.js";
import type { DailyVisitCount, RetentionRepository } from "./repositories.js";
import type { ActivityQuery, ActivityRepository, StoredEvent, VisitRecord } from "./repositories.js";
import type { StoreService } from "./StoreService.js";

/**
 * An activity query as a client asks it: `from` and `to` may be calendar days, which start at
 * midnight in the store's timezone.
 */
export type ActivityRequest = Omit<ActivityQuery, "from" | "to"> & {
  readonly from: TimeBound | null;
  readonly to: TimeBound | null;
};

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
    request: ActivityRequest & { readonly type: PresenceEvent["type"] | null },
  ): Promise<Outcome<StoredEvent[]>> {
    const store = await this.o.stores.getStore(principal, request.storeId);
    if (!store.ok) return store;
    const query = queryIn(request, store.value.timezone);
    if (!query.ok) return query;
    return done(await this.o.activity.eventsPage({ ...query.value, type: request.type }));
  }

  /** Visits of the store, newest first, one page. */
  async visits(principal: Principal, request: ActivityRequest): Promise<Outcome<VisitRecord[]>> {
    const store = await this.o.stores.getStore(principal, request.storeId);
    if (!store.ok) return store;
    const query = queryIn(request, store.value.timezone);
    if (!query.ok) return query;
    return done(await this.o.activity.visitsPage(query.value));
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

/** The request with its bounds as instants, days starting at midnight in `timeZone`. */
function queryIn(request: ActivityRequest, timeZone: string): Outcome<ActivityQuery> {
  const from = request.from === null ? null : boundInstant(request.from, timeZone);
  const to = request.to === null ? null : boundInstant(request.to, timeZone);
  if (from !== null && to !== null && to <= from)
    return invalid([{ path: "/to", message: "must be after from" }], "invalid query:\n/to: must be after from");
  return done({ ...request, from, to });
}
