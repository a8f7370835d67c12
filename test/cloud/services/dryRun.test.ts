import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isHeldOut } from "../../../cloud/src/domain/rules/index.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { addStore, addUsers, api, arrive, count, eventOf, liveRule, OFFER } from "../ruleKit.js";

interface Report {
  ruleId: string;
  eventsEvaluated: number;
  eventsOutOfScope: number;
  offersIssued: number;
  distinctUsers: number;
  heldOutUsers: number;
  notIssued: Record<string, number>;
  limitsHit: Record<string, number>;
  budget: { limit: number | null; exhaustedAt: string | null };
  issuedByDay: { day: string; offers: number }[];
  truncated: boolean;
}

/**
 * A recorded history, then "what would this rule have done?". Shoppers a, b, c (consenting) and d
 * (no consent) at store s1 in Hong Kong; a also once in London (out of the rules' scope). Before
 * anything else on day 1, a live rule really issued a an offer.
 *
 *   day 1 (2026-03-02 UTC = HK local)  01:00 a · 02:00 a · 02:10 b · 02:20 c · 02:30 d · 03:00 a · 03:10 b · 03:20 c
 *                                      02:05 a dwell (not an enter) · 12:00 a in London
 *   day 2 (2026-03-03)                 02:00 a · 02:10 b · 02:20 c · 03:00 a · 03:10 b · 03:20 c
 */
describe("dry run over recorded history", () => {
  const clock = new ManualClock("2026-03-02T01:00:00Z");
  let f: CloudFixture;
  const [a, b, c, d] = ["u601", "u602", "u603", "u604"] as const;

  async function at(iso: string, userId: string, extra: Parameters<typeof eventOf>[2] = {}): Promise<void> {
    clock.set(iso);
    await arrive(f, [eventOf(userId, iso, extra)]);
  }

  async function dryRun(spec: Record<string, unknown>, ruleId?: string): Promise<Report> {
    const res = await api<{ report: Report }>(f, f.keys.marketer, "POST", "/v1/rules/dry-run", {
      spec: { offer: OFFER, ...spec },
      from: "2026-03-02T00:00:00Z",
      to: "2026-03-04T00:00:00Z",
      ...(ruleId ? { ruleId } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.report;
  }

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    await addStore(f, "lon", "Europe/London");
    await addUsers(f, [a, b, c, d], { noConsent: [d] });
    await liveRule(f, "real", { trigger: { type: "enter" } });
    await at("2026-03-02T01:00:00Z", a);
    expect(await count(f, "SELECT COUNT(*) AS n FROM offers")).toBe(1);
    expect((await api(f, f.keys.marketer, "POST", "/v1/rules/real/transitions", { to: "ended" })).status).toBe(200);
    for (const day of ["2026-03-02", "2026-03-03"]) {
      await at(`${day}T02:00:00Z`, a);
      if (day === "2026-03-02") await at(`${day}T02:05:00Z`, a, { type: "dwell", dwellMs: 300_000 });
      await at(`${day}T02:10:00Z`, b);
      await at(`${day}T02:20:00Z`, c);
      if (day === "2026-03-02") await at(`${day}T02:30:00Z`, d);
      await at(`${day}T03:00:00Z`, a);
      await at(`${day}T03:10:00Z`, b);
      await at(`${day}T03:20:00Z`, c);
      if (day === "2026-03-02") await at(`${day}T12:00:00Z`, a, { storeId: "lon" });
    }
    clock.set("2026-03-10T00:00:00Z");
  });
  afterAll(async () => {
    await f?.close();
  });

  it("replays a budget of 4 with one offer per shopper per day", async () => {
    const before = {
      offers: await count(f, "SELECT COUNT(*) AS n FROM offers"),
      decisions: await count(f, "SELECT COUNT(*) AS n FROM decisions"),
    };
    const report = await dryRun({
      trigger: { type: "enter" },
      scope: { storeIds: ["s1"] },
      limits: { budget: 4, maxPerUserPerDay: 1 },
    });
    // Day 1: a (01:00), b, c issue; d has no consent; a (02:00, 03:00), b, c hit the daily cap.
    // Day 2: a issues the 4th and last offer at 02:00; the five arrivals after it find no budget.
    expect(report).toEqual({
      ruleId: "dry-run",
      from: "2026-03-02T00:00:00.000Z",
      to: "2026-03-04T00:00:00.000Z",
      eventsEvaluated: 14,
      eventsOutOfScope: 1,
      offersIssued: 4,
      distinctUsers: 3,
      heldOutUsers: 0,
      notIssued: { "no-marketing-consent": 1, "daily-cap": 4, "budget-exhausted": 5 },
      limitsHit: { "daily-cap": 4, "budget-exhausted": 5 },
      budget: { limit: 4, exhaustedAt: "2026-03-03T02:00:00.000Z" },
      issuedByDay: [
        { day: "2026-03-02", offers: 3 },
        { day: "2026-03-03", offers: 1 },
      ],
      truncated: false,
    });
    // Pure: the dry run read the history and wrote nothing.
    expect(await count(f, "SELECT COUNT(*) AS n FROM offers")).toBe(before.offers);
    expect(await count(f, "SELECT COUNT(*) AS n FROM decisions")).toBe(before.decisions);
  });

  it("takes days without a time as midnight where the rule's stores are", async () => {
    const run = async (spec: Record<string, unknown>, from: string, to: string) => {
      const res = await api<{ report: Report & { from: string; to: string } }>(f, f.keys.marketer, "POST", "/v1/rules/dry-run", {
        spec: { offer: OFFER, trigger: { type: "enter" }, ...spec },
        from,
        to,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.report;
    };
    // s1 is in Hong Kong: 2026-03-03 there runs from 16:00 UTC on the 2nd, so day 2's six arrivals.
    const hk = await run({ scope: { storeIds: ["s1"] } }, "2026-03-03", "2026-03-04");
    expect([hk.from, hk.to, hk.eventsEvaluated]).toEqual(["2026-03-02T16:00:00.000Z", "2026-03-03T16:00:00.000Z", 6]);
    // London keeps GMT in early March; the whole organisation (Hong Kong and London) has no one
    // midnight, so UTC's.
    const lon = await run({ scope: { storeIds: ["lon"] } }, "2026-03-02", "2026-03-03");
    expect([lon.from, lon.eventsEvaluated]).toEqual(["2026-03-02T00:00:00.000Z", 1]);
    const org = await run({}, "2026-03-03", "2026-03-04T00:00:00Z");
    expect([org.from, org.to]).toEqual(["2026-03-03T00:00:00.000Z", "2026-03-04T00:00:00.000Z"]);
  });

  it("counts the offers other rules really issued towards the organisation's daily cap", async () => {
    await f.cloud.repositories.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 2 }, 0);
    const report = await dryRun({ trigger: { type: "enter" }, scope: { storeIds: ["s1"] } });
    // a's real offer at 01:00 plus the simulated one at 01:00 fill a's day-1 cap of 2, so a's
    // 02:00 and 03:00 arrivals are refused; everyone else gets one per arrival (two a day).
    expect(report.notIssued).toEqual({ "no-marketing-consent": 1, "org-daily-cap": 2 });
    expect(report.offersIssued).toBe(11);
    expect(report.issuedByDay).toEqual([
      { day: "2026-03-02", offers: 5 },
      { day: "2026-03-03", offers: 6 },
    ]);
    await f.cloud.repositories.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, 0);
  });

  it("keeps the holdout group of the rule id it is given", async () => {
    const ruleId = "spring-welcome";
    const held = [a, b, c].filter((u) => isHeldOut(ruleId, u, 50));
    const report = await dryRun(
      { trigger: { type: "enter" }, scope: { storeIds: ["s1"] }, holdoutPercent: 50, limits: { maxPerUserPerDay: 1 } },
      ruleId,
    );
    expect(report.ruleId).toBe(ruleId);
    expect(report.heldOutUsers).toBe(held.length);
    // Each consenting shopper not held out gets one offer a day, two days.
    expect(report.offersIssued).toBe((3 - held.length) * 2);
    expect(report.distinctUsers).toBe(3 - held.length);
  });

  it("replays dwell rules on dwell events only", async () => {
    const report = await dryRun({ trigger: { type: "dwell", minDwellS: 60 } });
    expect(report).toMatchObject({ eventsEvaluated: 1, offersIssued: 1, distinctUsers: 1 });
  });
});
