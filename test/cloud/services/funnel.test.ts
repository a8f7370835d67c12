import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isHeldOut } from "../../../cloud/src/domain/rules/index.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { addStore, addUsers, api, arrive, eventOf, liveRule } from "../ruleKit.js";

interface Counts {
  visits: number;
  eligible: number;
  heldOut: number;
  issued: number;
  delivered: number;
  viewed: number;
  redeemed: number;
}
interface Group extends Counts {
  key: Record<string, string | null>;
  rates: Record<string, number | null>;
  holdout?: Record<string, number | null>;
}
interface Funnel {
  groupBy: string;
  groups: Group[];
  totals: Counts & { rates: Record<string, number | null> };
}

const counts = (g: Counts): Counts => ({
  visits: g.visits,
  eligible: g.eligible,
  heldOut: g.heldOut,
  issued: g.issued,
  delivered: g.delivered,
  viewed: g.viewed,
  redeemed: g.redeemed,
});

/**
 * A small world with known answers. Rule "welcome" (s1, Hong Kong; one a day; 50 % holdout) and
 * rule "london" (store lon). Shoppers I1..I3 get welcome offers, H1..H3 are held out of it, X has
 * no marketing consent.
 *
 *   2026-03-10  02:00-02:05Z  I1 I2 I3 H1 H2 H3 enter s1/z1 → 3 offers, 3 held out
 *               02:05Z        I1 acknowledges delivery, I2 views, I3 redeems at the till (no ack)
 *               02:30Z        I1 again, s1/z2 → daily cap (not eligible)
 *               09:00Z        I1 in London → london offer
 *               16:30Z        X at s1 = 00:30 on the 11th in Hong Kong
 *               23:30Z        X in London = 23:30 on the 10th in London
 *   2026-03-11  02:00Z H1 (held out again), 03:00Z I2, 04:00Z I3 (welcome offers of the new day)
 */
describe("funnel analytics over a real cloud", () => {
  const clock = new ManualClock("2026-03-10T02:00:00Z");
  let f: CloudFixture;
  let period: string;

  async function funnel(groupBy: string, key = f.keys.marketer): Promise<Funnel> {
    const res = await api<Funnel>(f, key, "GET", `/v1/analytics/funnel?groupBy=${groupBy}&${period}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    period = "from=2026-03-10T00:00:00Z&to=2026-03-12T00:00:00Z";
    await addStore(f, "lon", "Europe/London");
    await f.cloud.repositories.directory.upsertZone({ id: "z2", storeId: "s1", name: "Counter", tags: [], geometry: {} });
    const candidates = Array.from({ length: 40 }, (_, i) => `u${701 + i}`);
    const held = candidates.filter((u) => isHeldOut("welcome", u, 50)).slice(0, 3);
    const sent = candidates.filter((u) => !isHeldOut("welcome", u, 50)).slice(0, 3);
    const [i1, i2, i3] = sent as [string, string, string];
    const [h1] = held as [string];
    const x = "u799";
    await addUsers(f, [...sent, ...held]);
    await addUsers(f, [x], { noConsent: [x] });
    await liveRule(f, "welcome", {
      name: "Welcome",
      trigger: { type: "enter" },
      scope: { storeIds: ["s1"] },
      holdoutPercent: 50,
      limits: { maxPerUserPerDay: 1 },
    });
    await liveRule(f, "london", { trigger: { type: "enter" }, scope: { storeIds: ["lon"] } });

    const at = async (iso: string, userId: string, extra: Parameters<typeof eventOf>[2] = {}) => {
      clock.set(iso);
      await arrive(f, [eventOf(userId, iso, extra)]);
    };
    // Purchases reported at the till (HKD, minor units): H2's before anyone's first decision does
    // not count for the holdout; I1's 300 and H1's 60 after it (below) do.
    const buy = async (iso: string, memberId: string, orderId: string, totalMinor: number) => {
      clock.set(iso);
      const res = await api(f, f.keys.pos, "POST", "/v1/purchases", {
        memberId,
        orderId,
        currency: "HKD",
        totalMinor,
        lines: [{ sku: "tea", quantity: 1, unitPriceMinor: totalMinor }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await buy("2026-03-10T01:30:00Z", held[1] as string, "early-1", 9900);
    for (const [k, u] of [...sent, ...held].entries()) await at(`2026-03-10T02:0${k}:00Z`, u);

    const offerOf = async (userId: string) => {
      const row = await f.cloud.repositories.db.get<{ id: string; code: string }>(
        "SELECT id, code FROM offers WHERE user_id = ?",
        [userId],
      );
      if (!row) throw new Error(`no offer for ${userId}`);
      return row;
    };
    const ack = async (userId: string, kind: "delivered" | "viewed") => {
      const key = (await f.cloud.credentials.issueApiKey({ role: "app", orgId: "o1", userId, label: userId }, "test")).key;
      const res = await api(f, key, "POST", `/v1/users/${userId}/offers/${(await offerOf(userId)).id}/acknowledgements`, { kind });
      expect(res.status).toBe(200);
    };
    await ack(i1, "delivered");
    await ack(i2, "viewed");
    const redeem = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/redemptions",
      headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": "funnel-i3-0001" },
      payload: { code: (await offerOf(i3)).code },
    });
    expect(redeem.statusCode).toBe(201);
    await buy("2026-03-10T02:10:00Z", i1, "after-1", 30000);
    await buy("2026-03-10T02:11:00Z", h1, "after-2", 6000);

    await at("2026-03-10T02:30:00Z", i1, { zoneId: "z2" });
    await at("2026-03-10T09:00:00Z", i1, { storeId: "lon" });
    await at("2026-03-10T16:30:00Z", x);
    await at("2026-03-10T23:30:00Z", x, { storeId: "lon" });
    await at("2026-03-11T02:00:00Z", h1);
    await at("2026-03-11T03:00:00Z", i2);
    await at("2026-03-11T04:00:00Z", i3);
    // An unknown phone: a visit, but not of an app user, so not in the funnel.
    await at("2026-03-11T05:00:00Z", "u9000");
  });
  afterAll(async () => {
    await f?.close();
  });

  const TOTALS: Counts = { visits: 13, eligible: 10, heldOut: 4, issued: 6, delivered: 3, viewed: 2, redeemed: 1 };

  it("by rule: the funnel of each rule, and its issued group against its holdout group", async () => {
    const r = await funnel("rule");
    expect(r.groups.map((g) => g.key)).toEqual([
      { ruleId: "london", name: null },
      { ruleId: "welcome", name: "Welcome" },
    ]);
    const [london, welcome] = r.groups as [Group, Group];
    expect(counts(welcome)).toEqual({ visits: 11, eligible: 9, heldOut: 4, issued: 5, delivered: 3, viewed: 2, redeemed: 1 });
    expect(welcome.rates).toEqual({ eligibleRate: 0.8182, deliveryRate: 0.6, viewRate: 0.4, redemptionRate: 0.2 });
    // Issued: I1 (did not come back on a later day: London was the same day), I2 and I3 came back;
    // I3 redeemed. Held out: H1 came back, H2 and H3 did not.
    expect(welcome.holdout).toEqual({
      issuedUsers: 3,
      issuedUsersRedeemed: 1,
      issuedRedemptionRate: 0.3333,
      issuedUsersReturned: 2,
      issuedReturnRate: 0.6667,
      heldOutUsers: 3,
      heldOutUsersReturned: 1,
      heldOutReturnRate: 0.3333,
      returnRateLift: 0.3334,
      // Revenue per shopper: I1's 300 over three issued, H1's 60 over three held out.
      issuedRevenueMinor: 30000,
      issuedRevenuePerUserMinor: 10000,
      heldOutRevenueMinor: 6000,
      heldOutRevenuePerUserMinor: 2000,
      revenuePerUserLiftMinor: 8000,
    });
    expect(counts(london)).toEqual({ visits: 2, eligible: 1, heldOut: 0, issued: 1, delivered: 0, viewed: 0, redeemed: 0 });
    expect(london.holdout).toMatchObject({ issuedUsers: 1, heldOutUsers: 0, heldOutReturnRate: null, returnRateLift: null });
    expect(counts(r.totals)).toEqual(TOTALS);
  });

  it("exports the report as CSV, a line per group and the totals, holdout revenue included", async () => {
    const res = await f.cloud.http.inject({
      method: "GET",
      url: `/v1/analytics/funnel/export?groupBy=rule&${period}`,
      headers: { authorization: `Bearer ${f.keys.marketer}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    const [header, ...lines] = res.body.trimEnd().split("\n").map((l) => l.split(","));
    const rows = lines.map((cells) => Object.fromEntries((header ?? []).map((h, i) => [h, cells[i]])));
    expect(rows.map((r) => [r.group, r.ruleId])).toEqual([
      ["rule", "london"],
      ["rule", "welcome"],
      ["total", ""],
    ]);
    expect(rows[1]).toMatchObject({
      name: "Welcome",
      visits: "11",
      redemptionRate: "0.2",
      returnRateLift: "0.3334",
      issuedRevenuePerUserMinor: "10000",
      heldOutRevenuePerUserMinor: "2000",
      revenuePerUserLiftMinor: "8000",
    });
    expect(rows[0]).toMatchObject({ heldOutRevenuePerUserMinor: "", revenuePerUserLiftMinor: "" });
    expect(rows[2]).toMatchObject({ visits: "13", issuedRevenueMinor: "" });
  });

  it("by store and by zone", async () => {
    const stores = await funnel("store");
    expect(stores.groups.map((g) => [g.key.storeId, counts(g)])).toEqual([
      ["lon", { visits: 2, eligible: 1, heldOut: 0, issued: 1, delivered: 0, viewed: 0, redeemed: 0 }],
      ["s1", { visits: 11, eligible: 9, heldOut: 4, issued: 5, delivered: 3, viewed: 2, redeemed: 1 }],
    ]);
    expect(counts(stores.totals)).toEqual(TOTALS);
    const zones = await funnel("zone");
    expect(zones.groups.map((g) => [g.key.storeId, g.key.zoneId, g.visits, g.eligible])).toEqual([
      ["lon", "z1", 2, 1],
      ["s1", "z1", 10, 9],
      ["s1", "z2", 1, 0],
    ]);
  });

  it("by day, each visit on the local day of its own store", async () => {
    const days = await funnel("day");
    // X's 16:30Z visit in Hong Kong is on the 11th there; X's 23:30Z visit in London on the 10th.
    expect(days.groups.map((g) => [g.key.day, counts(g)])).toEqual([
      ["2026-03-10", { visits: 9, eligible: 7, heldOut: 3, issued: 4, delivered: 3, viewed: 2, redeemed: 1 }],
      ["2026-03-11", { visits: 4, eligible: 3, heldOut: 1, issued: 2, delivered: 0, viewed: 0, redeemed: 0 }],
    ]);
  });

  it("lets store operators read it, a store-bound key only for its store", async () => {
    expect(counts((await funnel("store", f.keys.storeOps)).totals)).toEqual(TOTALS);
    const londonOps = (
      await f.cloud.credentials.issueApiKey({ role: "store-ops", orgId: "o1", storeId: "lon", label: "lon ops" }, "test")
    ).key;
    const own = await funnel("store", londonOps);
    expect(own.groups.map((g) => g.key.storeId)).toEqual(["lon"]);
    expect(own.totals.visits).toBe(2);
    const other = await api(f, londonOps, "GET", `/v1/analytics/funnel?groupBy=store&${period}&storeId=s1`);
    expect(other.status).toBe(403);
  });

  it.each([
    ["an unknown grouping", "groupBy=week&from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z", 400],
    ["to before from", "groupBy=day&from=2026-03-11T00:00:00Z&to=2026-03-10T00:00:00Z", 400],
    ["no period", "groupBy=day", 400],
    ["another organisation's store", "groupBy=day&from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&storeId=nope", 404],
  ])("answers %s with a clear error", async (_name, query, status) => {
    const res = await api(f, f.keys.marketer, "GET", `/v1/analytics/funnel?${query}`);
    expect(res.status).toBe(status);
  });

  it("takes a day without a time as its midnight where the report is about", async () => {
    const at = async (query: string) => {
      const res = await api<Funnel & { from: string; to: string }>(f, f.keys.marketer, "GET", `/v1/analytics/funnel?groupBy=store&${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    // One store: its timezone. The 11th in Hong Kong runs from 16:00 UTC on the 10th: X's 00:30
    // visit there, then H1, I2 and I3.
    const hk = await at("from=2026-03-11&to=2026-03-12&storeId=s1");
    expect([hk.from, hk.to]).toEqual(["2026-03-10T16:00:00.000Z", "2026-03-11T16:00:00.000Z"]);
    expect(hk.totals.visits).toBe(4);
    // The organisation's stores are in Hong Kong and London: no one local midnight, so UTC's.
    const org = await at("from=2026-03-11&to=2026-03-12");
    expect([org.from, org.to]).toEqual(["2026-03-11T00:00:00.000Z", "2026-03-12T00:00:00.000Z"]);
    expect(org.totals.visits).toBe(3);
    // A day and an instant mix.
    const mixed = await at("from=2026-03-11&to=2026-03-11T03:30:00Z&storeId=s1");
    expect(mixed.totals.visits).toBe(3);
    const impossible = await api<{ error: { details: unknown[] } }>(f, f.keys.marketer, "GET", "/v1/analytics/funnel?groupBy=day&from=2026-02-30&to=2026-03-12");
    expect(impossible.status).toBe(400);
    expect(impossible.body.error.details).toEqual([{ path: "/from", message: 'must match format "date-time" or "date"' }]);
    const empty = await api<{ error: { details: unknown[] } }>(f, f.keys.marketer, "GET", "/v1/analytics/funnel?groupBy=day&from=2026-03-11&to=2026-03-11");
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([{ path: "/to", message: "must be after from, by at most 366 days" }]);
  });

  it("is closed to tills and apps", async () => {
    expect((await api(f, f.keys.pos, "GET", `/v1/analytics/funnel?groupBy=day&${period}`)).status).toBe(403);
    expect((await api(f, f.keys.appU1, "GET", `/v1/analytics/funnel?groupBy=day&${period}`)).status).toBe(403);
  });
});
