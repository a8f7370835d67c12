import { describe, expect, it } from "vitest";
import { DecisionLogService } from "../../../cloud/src/services/DecisionLogService.js";
import type {
  AppUser,
  DecisionPageQuery,
  EventRecord,
  RecordedDecision,
  StoredEvent,
} from "../../../cloud/src/services/repositories.js";

function decision(id: number): RecordedDecision {
  return {
    id,
    eventId: "event-0001",
    ruleId: "r1",
    ruleVersion: 1,
    userId: "u1",
    storeId: "s1",
    zoneId: "z1",
    visitId: "v1",
    outcome: "not-issued",
    reason: "cooldown",
    text: "cooldown",
    offerId: null,
    decidedAt: 1000 + id,
  };
}

/** A log of `decisions` (default five) decisions, newest first, over fakes that page like storage and remember the queries. */
function setup(event: { decidedAt: number | null; userId: string | null; decisions?: number }) {
  const count = event.decisions ?? 5;
  const rows = Array.from({ length: count }, (_, i) => decision(count - i));
  const queries: DecisionPageQuery[] = [];
  const record = {
    event: { id: "event-0001", userId: event.userId } as StoredEvent,
    orgId: "o1",
    decidedAt: event.decidedAt,
  } satisfies EventRecord;
  const log = new DecisionLogService({
    decisions: {
      decisionsPage: async (query) => {
        queries.push(query);
        const after = query.after;
        const from = after === null ? 0 : rows.findIndex((d) => d.id === after.id) + 1;
        return rows.slice(from, from + query.limit);
      },
      getEvent: async (id) => (id === "event-0001" ? record : null),
    },
    users: { getUser: async (id) => (id === "u1" ? ({ id: "u1", orgId: "o1" } as AppUser) : null) },
    rules: { getRule: async (id) => (id === "r1" ? { orgId: "o1", rule: {} as never } : null) },
  });
  return { log, queries };
}

describe("decision log", () => {
  it("pages newest first with a cursor to the next page, and none after the last", async () => {
    const { log, queries } = setup({ decidedAt: 1, userId: "u1" });
    const first = await log.forUser("o1", "u1", { limit: 2, after: null });
    expect(first.ok && first.value.decisions.map((d) => d.id)).toEqual([5, 4]);
    expect(first.ok && first.value.next).toEqual({ decidedAt: 1004, id: 4 });
    // One more than asked tells whether there is a next page.
    expect(queries[0]).toEqual({ by: "user", id: "u1", limit: 3, after: null });
    const last = await log.forRule("o1", "r1", { limit: 3, after: { decidedAt: 1004, id: 4 } });
    expect(last.ok && last.value.decisions.map((d) => d.id)).toEqual([3, 2, 1]);
    expect(last.ok && last.value.next).toBeNull();
  });

  it("refuses a user, rule or event of another organisation as not found", async () => {
    const { log, queries } = setup({ decidedAt: 1, userId: "u1" });
    const page = { limit: 10, after: null };
    expect(await log.forUser("o2", "u1", page)).toEqual({ ok: false, code: "NOT_FOUND", message: "no user u1 in this organisation" });
    expect(await log.forRule("o2", "r1", page)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await log.forEvent("o2", "event-0001", page)).toEqual({
      ok: false,
      code: "NOT_FOUND",
      message: "no event event-0001 in this organisation",
    });
    expect(await log.forEvent("o1", "event-9999", page)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(queries).toEqual([]);
  });

  it.each([
    [{ decidedAt: null, userId: "u1" }, "pending"],
    [{ decidedAt: 1, userId: null, decisions: 0 }, "no-user"],
    [{ decidedAt: 1, userId: "u1", decisions: 0 }, "no-candidate-rules"],
    [{ decidedAt: 1, userId: "u1" }, "decided"],
  ] as const)("says what became of an event %j: %s", async (event, status) => {
    const { log } = setup(event);
    const result = await log.forEvent("o1", "event-0001", { limit: 10, after: null });
    expect(result.ok && result.value.status).toBe(status);
  });

  it("does not call an event without candidate rules from an empty later page", async () => {
    const { log } = setup({ decidedAt: 1, userId: "u1", decisions: 1 });
    const result = await log.forEvent("o1", "event-0001", { limit: 10, after: { decidedAt: 1001, id: 1 } });
    expect(result.ok && result.value.decisions).toEqual([]);
    expect(result.ok && result.value.status).toBe("decided");
  });
});
