/**
 * How long a shopper may go unseen by every source of a store and still be on the same store
 * visit: 30 min. Long enough for a zone left and entered again, a second gateway's late verdict or
 * a phone's geofence report that lags its gateways' arrival; short enough that coming back after
 * lunch is a new visit (return-after rules count in days, so they are not near this edge).
 */
export const STORE_VISIT_GAP_MS = 30 * 60_000;

/**
 * A user's visits to one store as the counter keeps them: how many, and the latest (open) one.
 * Times are epoch ms.
 */
export interface StoreVisitState {
  /** Store visits so far. */
  readonly visits: number;
  /** Id of the latest store visit: the id of the zone (or geofence) visit that opened it. */
  readonly lastVisitId: string;
  /** Start of the latest store visit. */
  readonly lastVisitAt: number;
  /** Latest time any source saw the user on the latest store visit. */
  readonly lastSeenAt: number;
  /** Start of the store visit before the latest; null while there was one. */
  readonly previousVisitAt: number | null;
}

/** What one stored presence event says about where the user was. */
export interface VisitEvidence {
  readonly type: "enter" | "dwell" | "exit";
  /** The zone visit (or geofence visit) the event belongs to. */
  readonly visitId: string;
  /** When the event was decided, epoch ms. */
  readonly at: number;
  /** Time in the zone so far, ms (dwell and exit events): the zone visit began `at - dwellMs`. */
  readonly dwellMs?: number;
}

export interface StoreVisitJoin {
  /** The store visit the event belongs to. */
  readonly storeVisitId: string;
  /** The counter after the event (unchanged when the event belongs to an older visit). */
  readonly state: StoreVisitState;
  /** True when the event opened a store visit (and so counted one). */
  readonly opened: boolean;
}

/**
 * Folds one event into a user's store visits. Every source of one arrival (each gateway's zone
 * visits, a phone's geofence entries) joins one store visit, so counts and once-per-visit caps
 * read the arrival once however many sources report it:
 * - an event whose zone visit overlaps the open store visit, give or take `gapMs`, joins it and
 *   extends when the user was last seen;
 * - an event beginning `gapMs` or more after the user was last seen opens a new store visit,
 *   named after its own zone visit, and counts one (a zone visit whose enter was lost still
 *   counts: the shopper was there);
 * - an event from before the open store visit (a gateway uploading after an outage) is its own
 *   store visit and counts one if it is an enter, leaving the open one as it was.
 * Pure: the same events in the same order give the same visits.
 */
export function joinStoreVisit(
  state: StoreVisitState | null,
  event: VisitEvidence,
  gapMs: number = STORE_VISIT_GAP_MS,
): StoreVisitJoin {
  const began = event.at - Math.max(0, event.dwellMs ?? 0);
  if (state === null) {
    return {
      storeVisitId: event.visitId,
      opened: true,
      state: { visits: 1, lastVisitId: event.visitId, lastVisitAt: began, lastSeenAt: event.at, previousVisitAt: null },
    };
  }
  if (began >= state.lastSeenAt + gapMs) {
    return {
      storeVisitId: event.visitId,
      opened: true,
      state: {
        visits: state.visits + 1,
        lastVisitId: event.visitId,
        lastVisitAt: began,
        lastSeenAt: event.at,
        previousVisitAt: state.lastVisitAt,
      },
    };
  }
  if (event.at >= state.lastVisitAt - gapMs || event.visitId === state.lastVisitId) {
    return {
      storeVisitId: state.lastVisitId,
      opened: false,
      // The start stays the opening event's: return-after and the visit's day read it.
      state: { ...state, lastSeenAt: Math.max(state.lastSeenAt, event.at) },
    };
  }
  // Older than the open visit: counted on its enter, once per zone visit as before store visits.
  const counts = event.type === "enter";
  return {
    storeVisitId: event.visitId,
    opened: counts,
    state: counts ? { ...state, visits: state.visits + 1 } : state,
  };
}
