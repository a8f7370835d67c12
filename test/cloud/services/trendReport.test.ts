import { describe, expect, it } from "vitest";
import { trendReport } from "../../../cloud/src/services/AnalyticsService.js";
import type { FunnelQuery, TrendBucket } from "../../../cloud/src/services/repositories.js";

const at = (iso: string) => Date.parse(iso);
const query: FunnelQuery = { orgId: "o1", from: at("2026-03-10T00:00:00Z"), to: at("2026-03-12T00:00:00Z"), storeId: null };
const zones = new Map([
  ["hk", "Asia/Hong_Kong"],
  ["lon", "Europe/London"],
]);
const names = { store: new Map([["hk", "Causeway Bay"]]), rule: new Map([["r1", "Welcome"]]), batch: new Map([["b1", "Coffee for a friend"]]) };
const visit = (storeId: string, iso: string, count = 1): TrendBucket => ({ measure: "visits", storeId, zoneId: "z1", bucketStart: at(iso), count });
const offer = (measure: "issued" | "redeemed", storeId: string, iso: string, extra: Partial<Extract<TrendBucket, { channel: string }>> = {}): TrendBucket => ({
  measure,
  storeId,
  zoneId: "z1",
  channel: "rule",
  ruleId: "r1",
  batchId: null,
  bucketStart: at(iso),
  count: 1,
  revenueMinor: 0,
  baskets: 0,
  ...extra,
});

describe("trendReport", () => {
  it("puts each count on its store's local day, adding a day a store's timezone reaches past the period", () => {
    // 20:00Z on the 11th is the 12th in Hong Kong, still the 11th in London.
    const r = trendReport("store", query, null, zones, [visit("hk", "2026-03-11T20:00:00Z"), visit("lon", "2026-03-11T20:00:00Z", 2)], names);
    expect(r.days).toEqual(["2026-03-10", "2026-03-11", "2026-03-12"]);
    expect(r.series.map((s) => [s.key, s.points.map((p) => p.visits)])).toEqual([
      [{ storeId: "hk", name: "Causeway Bay" }, [0, 0, 1]],
      [{ storeId: "lon", name: null }, [0, 2, 0]],
    ]);
    expect(r.totals.map((p) => p.visits)).toEqual([0, 2, 1]);
  });

  it("splits offers by channel and campaign, and keeps visits, which have neither, in the totals only", () => {
    const buckets = [
      visit("lon", "2026-03-10T09:00:00Z", 3),
      offer("issued", "lon", "2026-03-10T09:00:00Z"),
      offer("issued", "lon", "2026-03-10T10:00:00Z", { channel: "online", batchId: "b1", zoneId: null }),
      offer("redeemed", "lon", "2026-03-11T10:00:00Z", { channel: "online", batchId: "b1", zoneId: null, revenueMinor: 15_000, baskets: 1 }),
    ];
    const channels = trendReport("channel", query, "Europe/London", zones, buckets, names);
    expect(channels.series.map((s) => [s.key, s.points.map((p) => [p.visits, p.issued, p.redeemed, p.revenueMinor])])).toEqual([
      [{ channel: "online" }, [[null, 1, 0, 0], [null, 0, 1, 15_000]]],
      [{ channel: "rule" }, [[null, 1, 0, 0], [null, 0, 0, 0]]],
    ]);
    expect(channels.totals).toEqual([
      { day: "2026-03-10", visits: 3, issued: 2, redeemed: 0, revenueMinor: 0, basketRedemptions: 0 },
      { day: "2026-03-11", visits: 0, issued: 0, redeemed: 1, revenueMinor: 15_000, basketRedemptions: 1 },
    ]);
    const campaigns = trendReport("campaign", query, "Europe/London", zones, buckets, names);
    expect(campaigns.series.map((s) => s.key)).toEqual([
      { campaign: "batch", id: "b1", name: "Coffee for a friend" },
      { campaign: "rule", id: "r1", name: "Welcome" },
    ]);
    const byZone = trendReport("zone", query, "Europe/London", zones, buckets, names);
    expect(byZone.series.map((s) => [s.key, s.points.map((p) => p.issued)])).toEqual([
      [{ storeId: "lon", zoneId: null }, [1, 0]],
      [{ storeId: "lon", zoneId: "z1" }, [1, 0]],
    ]);
  });

  it("leaves out a bucket no calendar can name, and gives every day of an empty period", () => {
    const r = trendReport("store", query, "Europe/London", zones, [visit("lon", "2026-03-10T09:00:00Z"), { ...visit("lon", "2026-03-10T09:00:00Z"), bucketStart: 9e15 }], names);
    expect(r.totals.map((p) => p.visits)).toEqual([1, 0]);
    expect(trendReport("store", query, "Europe/London", zones, [], names)).toMatchObject({ days: ["2026-03-10", "2026-03-11"], series: [] });
  });
});
