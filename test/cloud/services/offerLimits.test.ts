import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_ISSUED_REASONS } from "../../../cloud/src/domain/rules/index.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import {
  addStore,
  addUsers,
  api,
  arrive,
  count,
  DAY,
  eventOf,
  liveRule,
  MIN,
  ruleDecisions,
} from "../ruleKit.js";

const range = (prefix: string, from: number, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);

async function end(f: CloudFixture, ruleId: string): Promise<void> {
  expect((await api(f, f.keys.marketer, "POST", `/v1/rules/${ruleId}/transitions`, { to: "ended" })).status).toBe(200);
}

function reasons(decisions: readonly { outcome: string; reason: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of decisions) out[d.reason] = (out[d.reason] ?? 0) + 1;
  return out;
}

/** Limits are exact under concurrent arrivals: the counters are read in the transaction that records. */
describe("limits, late and duplicate events, recorded reasons", () => {
  // Tuesday 2026-03-10, 10:00 in Hong Kong (the fixture's stores are there).
  const clock = new ManualClock("2026-03-10T02:00:00Z");
  let f: CloudFixture;

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("issues exactly the budget to 50 shoppers arriving at once", async () => {
    const users = range("u", 1001, 50);
    await addUsers(f, users);
    await liveRule(f, "flash", { trigger: { type: "enter" }, limits: { budget: 10 } });
    await arrive(f, users.map((u) => eventOf(u, clock.now())));

    expect(await count(f, "SELECT COUNT(*) AS n FROM offers WHERE rule_id = 'flash'")).toBe(10);
    expect(await count(f, "SELECT COUNT(DISTINCT user_id) AS n FROM offers WHERE rule_id = 'flash'")).toBe(10);
    const decisions = await ruleDecisions(f, "flash");
    expect(decisions).toHaveLength(50);
    expect(new Set(decisions.map((d) => d.eventId)).size).toBe(50); // paging neither repeats nor skips
    expect(reasons(decisions)).toEqual({ eligible: 10, "budget-exhausted": 40 });
    for (const d of decisions.filter((x) => x.reason === "budget-exhausted")) {
      expect(d.text).toBe("budget of 10 offers is used up");
    }
    const rule = await api<{ budgetRemaining: number; offersIssued: number }>(f, f.keys.marketer, "GET", "/v1/rules/flash");
    expect(rule.body).toMatchObject({ offersIssued: 10, budgetRemaining: 0 });
    await end(f, "flash");
  });

  // A store visit is the unit of once-per-visit caps, so one shopper's simultaneous visits are
  // visits to different stores (the same store at once is one visit).
  const stores = range("cap", 1, 20);
  const atEveryStore = (userId: string, n: number) =>
    stores.slice(0, n).map((storeId) => eventOf(userId, clock.now(), { storeId }));

  it("holds one shopper to the per-user daily cap across 20 visits at once, and again the next local day", async () => {
    for (const storeId of stores) await addStore(f, storeId, "Asia/Hong_Kong");
    await addUsers(f, ["u1100"]);
    await liveRule(f, "daily", { trigger: { type: "enter" }, limits: { maxPerUserPerDay: 2 } });
    await arrive(f, atEveryStore("u1100", 20));
    expect(await count(f, "SELECT COUNT(*) AS n FROM offers WHERE rule_id = 'daily'")).toBe(2);
    expect(reasons(await ruleDecisions(f, "daily"))).toEqual({ eligible: 2, "daily-cap": 18 });

    clock.advance(DAY);
    await arrive(f, atEveryStore("u1100", 10));
    const days = await f.cloud.repositories.db.all<{ day_key: string; n: number }>(
      "SELECT day_key, COUNT(*) AS n FROM offers WHERE rule_id = 'daily' GROUP BY day_key ORDER BY day_key",
    );
    expect(days).toEqual([
      { day_key: "2026-03-10", n: 2 },
      { day_key: "2026-03-11", n: 2 },
    ]);
    await end(f, "daily");
  });

  it("holds the organisation's daily cap (5) across rules, and records who lost on priority", async () => {
    await addUsers(f, ["u1200"]);
    await liveRule(f, "cap-a", { trigger: { type: "enter" }, priority: 1 });
    await liveRule(f, "cap-b", { trigger: { type: "enter" } });
    await arrive(f, atEveryStore("u1200", 12));
    expect(await count(f, "SELECT COUNT(*) AS n FROM offers WHERE user_id = 'u1200'")).toBe(5);
    expect(reasons(await ruleDecisions(f, "cap-a"))).toEqual({ eligible: 5, "org-daily-cap": 7 });
    expect(reasons(await ruleDecisions(f, "cap-b"))).toEqual({ "lower-priority": 5, "org-daily-cap": 7 });
    await end(f, "cap-a");
    await end(f, "cap-b");
  });

  describe("late and duplicate events", () => {
    beforeAll(async () => {
      await addUsers(f, ["u1300", "u1301", "u1302", "u1303", "u1304"]);
      await liveRule(f, "arrival", { trigger: { type: "enter" } });
      await liveRule(f, "linger", { trigger: { type: "dwell", minDwellS: 60 } });
    });

    async function decisionsOf(eventId: string) {
      const res = await api<{ event: { status: string }; decisions: { ruleId: string; outcome: string; reason: string; text: string }[] }>(
        f,
        f.keys.marketer,
        "GET",
        `/v1/events/${eventId}/decisions`,
      );
      expect(res.status).toBe(200);
      return res.body;
    }

    it("records stale-event for an event older than the maximum age (10 min)", async () => {
      const late = eventOf("u1300", clock.now() - 11 * MIN);
      await arrive(f, [late]);
      expect((await decisionsOf(late.id)).decisions).toEqual([
        expect.objectContaining({ ruleId: "arrival", outcome: "not-issued", reason: "stale-event", text: "event is 660 s old, limit 600 s" }),
      ]);
      expect(await count(f, "SELECT COUNT(*) AS n FROM offers WHERE event_id = ?", [late.id])).toBe(0);
    });

    it("stores and decides a duplicate once, however often and whenever it comes again", async () => {
      const event = eventOf("u1301", clock.now());
      await Promise.all(Array.from({ length: 10 }, () => f.ingest([event])));
      await f.cloud.offers.idle();
      clock.advance(MIN);
      await f.ingest([event]);
      await f.cloud.offers.idle();
      expect(await count(f, "SELECT COUNT(*) AS n FROM presence_events WHERE id = ?", [event.id])).toBe(1);
      expect(await count(f, "SELECT COUNT(*) AS n FROM decisions WHERE event_id = ?", [event.id])).toBe(1);
      expect(await count(f, "SELECT COUNT(*) AS n FROM offers WHERE event_id = ?", [event.id])).toBe(1);
    });

    it("sends no arrival offer for a visit whose exit arrived in the same batch (gateway back from an outage)", async () => {
      const t = clock.now() - 5 * MIN;
      const enter = eventOf("u1302", t, { visit: "visit-outage-1" });
      const dwell = eventOf("u1302", t + 2 * MIN, { type: "dwell", dwellMs: 120_000, visit: "visit-outage-1" });
      const exit = eventOf("u1302", t + 3 * MIN, { type: "exit", dwellMs: 180_000, visit: "visit-outage-1" });
      await f.ingest([enter, dwell, exit], enter.seq);
      await f.cloud.offers.idle();
      const onEnter = await decisionsOf(enter.id);
      expect(onEnter.decisions).toEqual([
        expect.objectContaining({ ruleId: "arrival", outcome: "not-issued", reason: "visit-ended" }),
      ]);
      expect(onEnter.decisions[0]?.text).toMatch(/^visit visit-outage-1 already ended at .*; the shopper has left$/);
      expect((await decisionsOf(dwell.id)).decisions).toEqual([
        expect.objectContaining({ ruleId: "linger", reason: "visit-ended" }),
      ]);
      expect(await count(f, "SELECT COUNT(*) AS n FROM offers WHERE user_id = 'u1302'")).toBe(0);
    });

    it("still issues on an enter decided before its exit was stored", async () => {
      const enter = eventOf("u1303", clock.now(), { visit: "visit-live-1" });
      await arrive(f, [enter]);
      clock.advance(MIN);
      await arrive(f, [eventOf("u1303", clock.now(), { type: "exit", dwellMs: 60_000, visit: "visit-live-1" })]);
      expect((await decisionsOf(enter.id)).decisions).toEqual([expect.objectContaining({ outcome: "issued" })]);
    });

    it("says why an event has no decisions at all", async () => {
      const stranger = eventOf("u9999", clock.now()); // a device nobody registered
      await arrive(f, [stranger]);
      expect((await decisionsOf(stranger.id)).event.status).toBe("no-user");
      const exit = eventOf("u1304", clock.now(), { type: "exit", dwellMs: 1000 }); // no live exit rule
      await arrive(f, [exit]);
      expect((await decisionsOf(exit.id)).event.status).toBe("no-candidate-rules");
      const unknown = await api(f, f.keys.marketer, "GET", "/v1/events/ev-nonexistent/decisions");
      expect(unknown.status).toBe(404);
    });

    it("records no-marketing-consent for a shopper without consent", async () => {
      await addUsers(f, ["u1305"], { noConsent: ["u1305"] });
      const event = eventOf("u1305", clock.now());
      await arrive(f, [event]);
      expect((await decisionsOf(event.id)).decisions).toEqual([
        expect.objectContaining({ reason: "no-marketing-consent", text: "user has not consented to marketing" }),
      ]);
    });
  });

  it("has a reason and its text for every decision, and an issued decision for every offer", async () => {
    const rows = await f.cloud.repositories.db.all<{ outcome: string; reason: string; detail: string; offer_id: string | null }>(
      "SELECT outcome, reason, detail, offer_id FROM decisions",
    );
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.detail.length).toBeGreaterThan(0);
      if (r.outcome === "not-issued") expect(NOT_ISSUED_REASONS).toContain(r.reason);
      else if (r.outcome === "issued") expect([r.reason, typeof r.offer_id]).toEqual(["eligible", "string"]);
      else expect(r.reason).toBe("held-out");
    }
    expect(await count(f, "SELECT COUNT(*) AS n FROM offers")).toBe(
      await count(f, "SELECT COUNT(*) AS n FROM decisions d JOIN offers o ON o.id = d.offer_id WHERE d.outcome = 'issued'"),
    );
    // Every event of a known user with a live rule in scope got a decision from each such rule.
    const undecided = await count(
      f,
      `SELECT COUNT(*) AS n FROM presence_events e WHERE e.user_id IS NOT NULL AND e.type = 'enter'
       AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.event_id = e.id)`,
    );
    expect(undecided).toBe(0);
  });
});
