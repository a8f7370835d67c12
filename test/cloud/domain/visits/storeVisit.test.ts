import { describe, expect, it } from "vitest";
import { joinStoreVisit, STORE_VISIT_GAP_MS, type StoreVisitState } from "../../../../cloud/src/domain/visits/storeVisit.js";

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const OPEN: StoreVisitState = { visits: 3, lastVisitId: "v-open", lastVisitAt: T0, lastSeenAt: T0 + 10 * MIN, previousVisitAt: T0 - 86_400_000 };

describe("joinStoreVisit", () => {
  it.each([
    ["another gateway's enter a minute later joins", { type: "enter", visitId: "v-g2", at: T0 + 11 * MIN }, "v-open", false, 3],
    ["an enter 29 min after last seen joins", { type: "enter", visitId: "v-b", at: T0 + 39 * MIN }, "v-open", false, 3],
    ["an enter 30 min after last seen opens visit 4", { type: "enter", visitId: "v-b", at: T0 + 40 * MIN }, "v-b", true, 4],
    [
      "an exit two hours on whose zone visit began inside the open one joins",
      { type: "exit", visitId: "v-long", at: T0 + 130 * MIN, dwellMs: 125 * MIN },
      "v-open",
      false,
      3,
    ],
    ["a dwell an hour on with a lost enter opens a visit", { type: "dwell", visitId: "v-c", at: T0 + 70 * MIN, dwellMs: MIN }, "v-c", true, 4],
    ["a late enter from before the open visit counts on its own", { type: "enter", visitId: "v-old", at: T0 - 3 * 60 * MIN }, "v-old", true, 4],
    ["a late exit from before the open visit does not count", { type: "exit", visitId: "v-old", at: T0 - 2 * 60 * MIN, dwellMs: MIN }, "v-old", false, 3],
  ] as const)("%s", (_name, event, storeVisitId, opened, visits) => {
    const join = joinStoreVisit(OPEN, event);
    expect(join.storeVisitId).toBe(storeVisitId);
    expect(join.opened).toBe(opened);
    expect(join.state.visits).toBe(visits);
  });

  it("opens the first visit, and a new one keeps the previous start", () => {
    const first = joinStoreVisit(null, { type: "enter", visitId: "v1", at: T0 });
    expect(first.state).toEqual({ visits: 1, lastVisitId: "v1", lastVisitAt: T0, lastSeenAt: T0, previousVisitAt: null });
    const second = joinStoreVisit(first.state, { type: "enter", visitId: "v2", at: T0 + STORE_VISIT_GAP_MS });
    expect(second.state).toEqual({
      visits: 2,
      lastVisitId: "v2",
      lastVisitAt: T0 + STORE_VISIT_GAP_MS,
      lastSeenAt: T0 + STORE_VISIT_GAP_MS,
      previousVisitAt: T0,
    });
  });
});
