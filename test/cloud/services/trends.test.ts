import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { addStore, addUsers, api, arrive, eventOf, liveRule, subjectOf } from "../ruleKit.js";

interface Point {
  day: string;
  visits: number | null;
  issued: number;
  redeemed: number;
  revenueMinor: number;
  basketRedemptions: number;
}
interface Trends {
  by: string;
  days: string[];
  series: { key: Record<string, string | null>; points: Point[] }[];
  totals: Point[];
}

const p = (day: string, visits: number | null, issued: number, redeemed = 0, revenueMinor = 0, basketRedemptions = 0): Point => ({
  day,
  visits,
  issued,
  redeemed,
  revenueMinor,
  basketRedemptions,
});

/**
 * Daily trends over a real cloud: rule "welcome" at s1 (Hong Kong), "london" at lon. Shoppers
 * u801..u803 consent to analytics, u809 does not (its presence is stored unlinked, as ingest does).
 *
 *   2026-03-10 02:00Z (10:00 HK)  u801, u802, u803 enter s1/z1 → 3 welcome offers
 *              02:05Z             u801 redeems with a basket of HKD 250.00, u802 without one
 *              02:10Z             u809 enters s1/z1 → an offer, left out of the trends
 *              16:30Z (00:30 HK on the 11th)  u803 enters s1/z2 → a welcome offer of the 11th
 *              23:30Z (23:30 London, the 10th) u801 enters lon → a london offer
 */
describe("daily trends over a real cloud", () => {
  const clock = new ManualClock("2026-03-10T02:00:00Z");
  let f: CloudFixture;
  const period = "from=2026-03-10&to=2026-03-12";

  async function trends(by: string, key = f.keys.marketer, query = period): Promise<Trends> {
    const res = await api<Trends>(f, key, "GET", `/v1/analytics/trends?by=${by}&${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    await addStore(f, "lon", "Europe/London");
    await f.cloud.repositories.directory.upsertZone({ id: "z2", storeId: "s1", name: "Counter", tags: [], geometry: {} });
    await addUsers(f, ["u801", "u802", "u803"]);
    await f.cloud.repositories.users.upsertUser(
      { id: "u809", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: false },
      0,
    );
    await f.cloud.repositories.users.registerDevice(subjectOf("u809"), "u809", null, 0);
    await liveRule(f, "welcome", { name: "Welcome", trigger: { type: "enter" }, scope: { storeIds: ["s1"] }, limits: { maxPerUserPerDay: 1 } });
    await liveRule(f, "london", { trigger: { type: "enter" }, scope: { storeIds: ["lon"] } });
    const at = async (iso: string, userId: string, extra: Parameters<typeof eventOf>[2] = {}) => {
      clock.set(iso);
      await arrive(f, [eventOf(userId, iso, extra)]);
    };
    for (const [k, u] of ["u801", "u802", "u803"].entries()) await at(`2026-03-10T02:0${k}:00Z`, u);
    const codeOf = async (userId: string) => {
      const row = await f.cloud.repositories.db.get<{ code: string }>("SELECT code FROM offers WHERE user_id = ?", [userId]);
      if (!row) throw new Error(`no offer for ${userId}`);
      return row.code;
    };
    clock.set("2026-03-10T02:05:00Z");
    const redeem = async (userId: string, basket?: unknown) => {
      const res = await f.cloud.http.inject({
        method: "POST",
        url: "/v1/redemptions",
        headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": `trends-${userId}-0001` },
        payload: { code: await codeOf(userId), ...(basket === undefined ? {} : { basket }) },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await redeem("u801", { orderId: "t-1", currency: "HKD", totalMinor: 25000, lines: [{ sku: "tea", quantity: 1, unitPriceMinor: 25000 }] });
    await redeem("u802");
    await at("2026-03-10T02:10:00Z", "u809");
    expect(await codeOf("u809")).toBeTruthy();
    await at("2026-03-10T16:30:00Z", "u803", { zoneId: "z2" });
    await at("2026-03-10T23:30:00Z", "u801", { storeId: "lon" });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("by store, each store's own local days, without the shopper who gave no analytics consent", async () => {
    const r = await trends("store");
    // The stores are in two timezones: the days are UTC's, from midnight to midnight.
    expect(r.days).toEqual(["2026-03-10", "2026-03-11"]);
    expect(r.series.map((s) => [s.key, s.points])).toEqual([
      [{ storeId: "lon", name: "lon" }, [p("2026-03-10", 1, 1), p("2026-03-11", 0, 0)]],
      [{ storeId: "s1", name: "s1" }, [p("2026-03-10", 3, 3, 2, 25000, 1), p("2026-03-11", 1, 1)]],
    ]);
    expect(r.totals).toEqual([p("2026-03-10", 4, 4, 2, 25000, 1), p("2026-03-11", 1, 1)]);
  });

  it("by zone, by campaign and by channel; visits in the totals only where they cannot be split", async () => {
    const zones = await trends("zone");
    expect(zones.series.map((s) => [s.key.storeId, s.key.zoneId, s.points.map((x) => [x.visits, x.issued])])).toEqual([
      ["lon", "z1", [[1, 1], [0, 0]]],
      ["s1", "z1", [[3, 3], [0, 0]]],
      ["s1", "z2", [[0, 0], [1, 1]]],
    ]);
    const campaigns = await trends("campaign");
    expect(campaigns.series.map((s) => [s.key, s.points.map((x) => [x.visits, x.issued, x.redeemed, x.revenueMinor])])).toEqual([
      [{ campaign: "rule", id: "london", name: null }, [[null, 1, 0, 0], [null, 0, 0, 0]]],
      [{ campaign: "rule", id: "welcome", name: "Welcome" }, [[null, 3, 2, 25000], [null, 1, 0, 0]]],
    ]);
    expect(campaigns.totals.map((x) => x.visits)).toEqual([4, 1]);
    const channels = await trends("channel");
    expect(channels.series.map((s) => [s.key, s.points.map((x) => x.issued)])).toEqual([[{ channel: "rule" }, [4, 1]]]);
  });

  it("takes one store's days at its midnight, and keeps a store-bound key to its store", async () => {
    const s1 = await trends("store", f.keys.marketer, `${period}&storeId=s1`);
    // Hong Kong's 2026-03-10 starts at 16:00Z on the 9th: the same visits, on the same days.
    expect(s1.series.map((s) => s.key.storeId)).toEqual(["s1"]);
    expect(s1.totals).toEqual([p("2026-03-10", 3, 3, 2, 25000, 1), p("2026-03-11", 1, 1)]);
    const londonOps = (await f.cloud.credentials.issueApiKey({ role: "store-ops", orgId: "o1", storeId: "lon", label: "lon ops" }, "test")).key;
    const own = await trends("store", londonOps);
    expect(own.series.map((s) => s.key.storeId)).toEqual(["lon"]);
    // London's own midnight: u801's 23:30 visit is on the 10th there too.
    expect(own.totals).toEqual([p("2026-03-10", 1, 1), p("2026-03-11", 0, 0)]);
    expect((await api(f, londonOps, "GET", `/v1/analytics/trends?by=store&${period}&storeId=s1`)).status).toBe(403);
  });

  it("refuses a period it cannot draw, naming the field", async () => {
    const res = await api<{ error: { details: { path: string }[] } }>(f, f.keys.marketer, "GET", "/v1/analytics/trends?by=store&from=2026-01-01&to=2026-06-01");
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toEqual(["/to"]);
    expect((await api(f, f.keys.pos, "GET", `/v1/analytics/trends?by=store&${period}`)).status).toBe(403);
  });
});
