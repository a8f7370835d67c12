import { addDays, boundInstant, DAY_SAFE_BUCKET_MS, isValidInstant, storeDayKey, type TimeBound } from "../domain/rules/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, invalid, notFound, type Outcome } from "./Outcome.js";
import type {
  AnalyticsRepository,
  CouponRepository,
  DirectoryRepository,
  FunnelCounts,
  FunnelQuery,
  RuleRepository,
  StoreRecord,
  TrendBucket,
} from "./repositories.js";

export const FUNNEL_GROUPS = ["rule", "store", "zone", "day"] as const;
/** Longest funnel period, ms (366 days). */
export const MAX_FUNNEL_PERIOD_MS = 366 * 86_400_000;
export type FunnelGroupBy = (typeof FUNNEL_GROUPS)[number];

/** Stage-to-stage rates, 0..1 with four decimals; null when the stage before is empty. */
export interface FunnelRates {
  /** eligible / visits */
  readonly eligibleRate: number | null;
  /** delivered / issued */
  readonly deliveryRate: number | null;
  /** viewed / issued */
  readonly viewRate: number | null;
  /** redeemed / issued */
  readonly redemptionRate: number | null;
}

/**
 * Per rule: the shoppers who were sent the offer against the shoppers held out of it. A held-out
 * shopper gets no offer and so cannot redeem one; what both groups can do is come back and spend,
 * so the effect of the offer is read on the return rate (a visit on a later local day, in the
 * period) and on revenue per shopper (what each spent from their first eligible decision to the
 * period's end: baskets of coupon redemptions and purchases reported, see `HoldoutCohortRow`).
 */
export interface HoldoutComparison {
  readonly issuedUsers: number;
  readonly issuedUsersRedeemed: number;
  /** issuedUsersRedeemed / issuedUsers */
  readonly issuedRedemptionRate: number | null;
  readonly issuedUsersReturned: number;
  readonly issuedReturnRate: number | null;
  readonly heldOutUsers: number;
  readonly heldOutUsersReturned: number;
  readonly heldOutReturnRate: number | null;
  /** issuedReturnRate - heldOutReturnRate; null unless both groups have members. */
  readonly returnRateLift: number | null;
  /** What the issued group spent in all, minor units. */
  readonly issuedRevenueMinor: number;
  /** issuedRevenueMinor / issuedUsers, rounded to a minor unit; null when the group is empty. */
  readonly issuedRevenuePerUserMinor: number | null;
  readonly heldOutRevenueMinor: number;
  readonly heldOutRevenuePerUserMinor: number | null;
  /**
   * Revenue per issued shopper less revenue per held-out shopper, minor units (rounded once, from
   * the unrounded averages); null unless both groups have members. The offer's effect on takings.
   */
  readonly revenuePerUserLiftMinor: number | null;
}

export type FunnelKey =
  | { readonly ruleId: string; readonly name: string | null }
  | { readonly storeId: string; readonly name: string | null }
  | { readonly storeId: string; readonly zoneId: string }
  | { readonly day: string };

export interface FunnelGroup extends FunnelCounts {
  readonly key: FunnelKey;
  readonly rates: FunnelRates;
  /** Only when grouped by rule. */
  readonly holdout?: HoldoutComparison;
}

export interface FunnelReport {
  readonly groupBy: FunnelGroupBy;
  readonly from: number;
  readonly to: number;
  readonly storeId: string | null;
  readonly groups: readonly FunnelGroup[];
  /** The whole period and place, every rule together. */
  readonly totals: FunnelCounts & { readonly rates: FunnelRates };
}

export interface AnalyticsServiceOptions {
  readonly analytics: AnalyticsRepository;
  /** The organisation's stores, for their timezones and names. */
  readonly directory: Pick<DirectoryRepository, "listStores">;
  readonly rules: Pick<RuleRepository, "listCurrentRules">;
  /** Coupon batches, for the names of campaigns. */
  readonly coupons: Pick<CouponRepository, "listBatches">;
}

export const TREND_BREAKDOWNS = ["store", "zone", "channel", "campaign"] as const;
export type TrendBreakdown = (typeof TREND_BREAKDOWNS)[number];

/** One local day of a trend. */
export interface TrendPoint {
  /** YYYY-MM-DD, the local day of the store where it happened. */
  readonly day: string;
  /** App users' zone visits that started that day; null where visits cannot be split so (by channel or campaign). */
  readonly visits: number | null;
  readonly issued: number;
  readonly redeemed: number;
  /** Baskets of the day's redemptions, minor units. */
  readonly revenueMinor: number;
  /** Redemptions of the day that came with a basket (the others add no revenue). */
  readonly basketRedemptions: number;
}

export type TrendKey =
  | { readonly storeId: string; readonly name: string | null }
  | { readonly storeId: string; readonly zoneId: string | null }
  | { readonly channel: string }
  | { readonly campaign: "rule" | "batch"; readonly id: string; readonly name: string | null };

export interface TrendSeries {
  readonly key: TrendKey;
  /** One point per day of the report, zeros included. */
  readonly points: readonly TrendPoint[];
}

export interface TrendReport {
  readonly by: TrendBreakdown;
  readonly from: number;
  readonly to: number;
  readonly storeId: string | null;
  /** Every local day of the period, in order. */
  readonly days: readonly string[];
  readonly series: readonly TrendSeries[];
  /** All series together, per day; visits counted whatever the breakdown. */
  readonly totals: readonly TrendPoint[];
}

/** Longest trend period, ms (93 days: a quarter, a point per day stays readable). */
export const MAX_TREND_PERIOD_MS = 93 * 86_400_000;

function ratio(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;
}

function ratesOf(c: FunnelCounts): FunnelRates {
  return {
    eligibleRate: ratio(c.eligible, c.visits),
    deliveryRate: ratio(c.delivered, c.issued),
    viewRate: ratio(c.viewed, c.issued),
    redemptionRate: ratio(c.redeemed, c.issued),
  };
}

const ZERO: FunnelCounts = { visits: 0, eligible: 0, heldOut: 0, issued: 0, delivered: 0, viewed: 0, redeemed: 0 };

function add(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
  return {
    visits: a.visits + b.visits,
    eligible: a.eligible + b.eligible,
    heldOut: a.heldOut + b.heldOut,
    issued: a.issued + b.issued,
    delivered: a.delivered + b.delivered,
    viewed: a.viewed + b.viewed,
    redeemed: a.redeemed + b.redeemed,
  };
}

function counts(c: FunnelCounts): FunnelCounts {
  return {
    visits: c.visits,
    eligible: c.eligible,
    heldOut: c.heldOut,
    issued: c.issued,
    delivered: c.delivered,
    viewed: c.viewed,
    redeemed: c.redeemed,
  };
}

/**
 * The marketer's funnel over a cohort of visits: app users' visits that started in [from, to), and
 * everything that came of them, whenever it happened (an offer redeemed after `to` still counts for
 * its visit). A visit is a zone visit, as the gateways report it.
 *
 * - visits: zone visits of app users; grouped by rule, the visits on which the rule was evaluated
 *   (in its scope, with its trigger event, while it was live);
 * - eligible: visits where a rule passed every check: it issued, held the shopper out, or lost
 *   on priority to another rule;
 * - issued → delivered → viewed → redeemed: offers issued on those visits, each stage counting
 *   offers that reached it or a later one (a redemption implies the shopper saw the code).
 *
 * Days are the local days of each visit's store, so a Hong Kong and a London store each count
 * their own midnight.
 */
export class AnalyticsService {
  private readonly o: AnalyticsServiceOptions;

  constructor(options: AnalyticsServiceOptions) {
    this.o = options;
  }

  /**
   * The funnel the principal may see: its organisation's, or one store's (`storeId`); a
   * store-bound key sees its own store only, with or without `storeId`.
   */
  async funnelFor(
    principal: Pick<Principal, "orgId" | "storeId">,
    request: Omit<FunnelQuery, "orgId" | "from" | "to"> & {
      readonly groupBy: FunnelGroupBy;
      readonly from: TimeBound;
      readonly to: TimeBound;
    },
  ): Promise<Outcome<FunnelReport>> {
    const scope = await this.scope(principal, request, MAX_FUNNEL_PERIOD_MS, "366 days");
    if (!scope.ok) return scope;
    const { query, stores } = scope.value;
    return done(await this.funnel({ ...query, groupBy: request.groupBy }, stores));
  }

  /**
   * Daily trends the principal may see (its organisation's, or one store's, as for the funnel):
   * visits, offers issued, redemptions and their baskets per local day, one series per store,
   * zone, issue channel or campaign (a rule, or a coupon batch). Offers count on the day they were
   * issued, redemptions on the day they were made, each in its store's timezone. Visits have no
   * channel or campaign: by those, visits are given in the totals only.
   */
  async trendsFor(
    principal: Pick<Principal, "orgId" | "storeId">,
    request: { readonly by: TrendBreakdown; readonly from: TimeBound; readonly to: TimeBound; readonly storeId: string | null },
  ): Promise<Outcome<TrendReport>> {
    const scope = await this.scope(principal, request, MAX_TREND_PERIOD_MS, "93 days");
    if (!scope.ok) return scope;
    const { query, stores, timeZone } = scope.value;
    const [buckets, rules, batches] = await Promise.all([
      this.o.analytics.trendBuckets(query, DAY_SAFE_BUCKET_MS),
      request.by === "campaign" ? this.o.rules.listCurrentRules(query.orgId) : Promise.resolve([]),
      request.by === "campaign" ? this.o.coupons.listBatches(query.orgId, 1000) : Promise.resolve([]),
    ]);
    const names = {
      store: new Map(stores.map((s) => [s.id, s.name ?? null])),
      rule: new Map(rules.map((r) => [r.id, r.spec.name ?? null])),
      batch: new Map(batches.map((b) => [b.batchId, b.spec.title])),
    };
    return done(trendReport(request.by, query, timeZone, new Map(stores.map((s) => [s.id, s.timezone])), buckets, names));
  }

  /** The organisation's stores, the store the principal may see, and the period as instants. */
  private async scope(
    principal: Pick<Principal, "orgId" | "storeId">,
    request: { readonly storeId: string | null; readonly from: TimeBound; readonly to: TimeBound },
    maxPeriodMs: number,
    maxText: string,
  ): Promise<Outcome<{ query: FunnelQuery; stores: readonly StoreRecord[]; timeZone: string | null }>> {
    let storeId = request.storeId;
    if (principal.storeId !== null) {
      if (storeId !== null && storeId !== principal.storeId) return forbidden("this key is bound to another store");
      storeId = principal.storeId;
    }
    const stores = await this.o.directory.listStores(principal.orgId, null);
    if (storeId !== null && !stores.some((s) => s.id === storeId))
      return notFound(`no store ${storeId} in this organisation`);
    // A day given without a time starts at midnight where the report is about: the chosen store,
    // or the organisation's stores when they share one timezone; UTC when they do not.
    const zones = new Set(stores.filter((s) => storeId === null || s.id === storeId).map((s) => s.timezone));
    const timeZone = zones.size === 1 ? ([...zones][0] ?? null) : null;
    const from = boundInstant(request.from, timeZone);
    const to = boundInstant(request.to, timeZone);
    if (!(from < to) || to - from > maxPeriodMs)
      return invalid([{ path: "/to", message: `must be after from, by at most ${maxText}` }], `to must be after from, by at most ${maxText}`);
    return done({ query: { orgId: principal.orgId, from, to, storeId }, stores, timeZone });
  }

  private async funnel(
    query: FunnelQuery & { readonly groupBy: FunnelGroupBy },
    orgStores: readonly StoreRecord[],
  ): Promise<FunnelReport> {
    const { analytics } = this.o;
    const stores = new Map(orgStores.map((s) => [s.id, s]));
    const byStore = await analytics.funnelByPlace(query, "store");
    const totals = byStore.reduce<FunnelCounts>((sum, row) => add(sum, row), ZERO);
    let groups: FunnelGroup[];
    switch (query.groupBy) {
      case "store":
        groups = byStore.map((r) => ({
          key: { storeId: r.storeId, name: stores.get(r.storeId)?.name ?? null },
          ...counts(r),
          rates: ratesOf(r),
        }));
        break;
      case "zone":
        groups = (await analytics.funnelByPlace(query, "zone")).map((r) => ({
          key: { storeId: r.storeId, zoneId: r.zoneId ?? "" },
          ...counts(r),
          rates: ratesOf(r),
        }));
        break;
      case "day":
        groups = await this.byDay(query, stores);
        break;
      case "rule":
        groups = await this.byRule(query, stores);
        break;
    }
    return {
      groupBy: query.groupBy,
      from: query.from,
      to: query.to,
      storeId: query.storeId,
      groups,
      totals: { ...totals, rates: ratesOf(totals) },
    };
  }

  private async byDay(query: FunnelQuery, stores: ReadonlyMap<string, StoreRecord>): Promise<FunnelGroup[]> {
    const days = new Map<string, FunnelCounts>();
    for (const row of await this.o.analytics.funnelByBucket(query, DAY_SAFE_BUCKET_MS)) {
      // A bucket no calendar can name (a row stored before ingest bounded times) has no day.
      if (!isValidInstant(row.bucketStart)) continue;
      const day = storeDayKey(row.bucketStart, stores.get(row.storeId)?.timezone ?? null);
      days.set(day, add(days.get(day) ?? ZERO, row));
    }
    return [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([day, c]) => ({ key: { day }, ...c, rates: ratesOf(c) }));
  }

  private async byRule(query: FunnelQuery, stores: ReadonlyMap<string, StoreRecord>): Promise<FunnelGroup[]> {
    const { analytics } = this.o;
    const [rows, cohorts, lastVisits, rules] = await Promise.all([
      analytics.funnelByRule(query),
      analytics.holdoutCohorts(query),
      analytics.lastVisits(query),
      this.o.rules.listCurrentRules(query.orgId),
    ]);
    const names = new Map(rules.map((r) => [r.id, r.spec.name ?? null]));
    const last = new Map(lastVisits.map((v) => [v.userId, v.enteredAt]));
    const empty = { issued: 0, redeemed: 0, issuedBack: 0, issuedRevenue: 0, held: 0, heldBack: 0, heldRevenue: 0 };
    const groups = new Map<string, typeof empty>();
    for (const c of cohorts) {
      const g = groups.get(c.ruleId) ?? { ...empty };
      const tz = stores.get(c.storeId)?.timezone ?? null;
      const lastAt = last.get(c.userId);
      const returned =
        lastAt !== undefined &&
        isValidInstant(lastAt) &&
        isValidInstant(c.firstAt) &&
        storeDayKey(lastAt, tz) > storeDayKey(c.firstAt, tz);
      if (c.group === "issued") {
        g.issued++;
        if (c.redeemed) g.redeemed++;
        if (returned) g.issuedBack++;
        g.issuedRevenue += c.revenueMinor;
      } else {
        g.held++;
        if (returned) g.heldBack++;
        g.heldRevenue += c.revenueMinor;
      }
      groups.set(c.ruleId, g);
    }
    return rows.map((r) => {
      const g = groups.get(r.ruleId) ?? empty;
      const issuedReturnRate = ratio(g.issuedBack, g.issued);
      const heldOutReturnRate = ratio(g.heldBack, g.held);
      const perUser = (total: number, users: number) => (users > 0 ? total / users : null);
      const issuedPerUser = perUser(g.issuedRevenue, g.issued);
      const heldPerUser = perUser(g.heldRevenue, g.held);
      return {
        key: { ruleId: r.ruleId, name: names.get(r.ruleId) ?? null },
        ...counts(r),
        rates: ratesOf(r),
        holdout: {
          issuedUsers: g.issued,
          issuedUsersRedeemed: g.redeemed,
          issuedRedemptionRate: ratio(g.redeemed, g.issued),
          issuedUsersReturned: g.issuedBack,
          issuedReturnRate,
          heldOutUsers: g.held,
          heldOutUsersReturned: g.heldBack,
          heldOutReturnRate,
          returnRateLift:
            issuedReturnRate === null || heldOutReturnRate === null
              ? null
              : Math.round((issuedReturnRate - heldOutReturnRate) * 10_000) / 10_000,
          issuedRevenueMinor: g.issuedRevenue,
          issuedRevenuePerUserMinor: issuedPerUser === null ? null : Math.round(issuedPerUser),
          heldOutRevenueMinor: g.heldRevenue,
          heldOutRevenuePerUserMinor: heldPerUser === null ? null : Math.round(heldPerUser),
          revenuePerUserLiftMinor: issuedPerUser === null || heldPerUser === null ? null : Math.round(issuedPerUser - heldPerUser),
        },
      };
    });
  }
}

type MutablePoint = { -readonly [K in keyof TrendPoint]: TrendPoint[K] };

const emptyPoint = (day: string, visits: number | null): MutablePoint => ({ day, visits, issued: 0, redeemed: 0, revenueMinor: 0, basketRedemptions: 0 });

/**
 * Folds the repository's buckets into one series per group and local day. The days run from the
 * local day of `from` to that of the period's last instant in the report's timezone (the store's,
 * or the one the organisation's stores share, else UTC); a day a store in another timezone adds at
 * either end is added too, so nothing counted is dropped.
 */
export function trendReport(
  by: TrendBreakdown,
  query: FunnelQuery,
  timeZone: string | null,
  storeZones: ReadonlyMap<string, string>,
  buckets: readonly TrendBucket[],
  names: {
    readonly store: ReadonlyMap<string, string | null>;
    readonly rule: ReadonlyMap<string, string | null>;
    readonly batch: ReadonlyMap<string, string>;
  },
): TrendReport {
  const daySet = new Set<string>();
  const last = storeDayKey(query.to - 1, timeZone);
  for (let d = storeDayKey(query.from, timeZone); d <= last; d = addDays(d, 1)) daySet.add(d);
  const visitsSplit = by === "store" || by === "zone";
  const groups = new Map<string, { key: TrendKey; points: Map<string, MutablePoint> }>();
  const totals = new Map<string, MutablePoint>();
  const keyOf = (b: TrendBucket): [string, TrendKey] | null => {
    switch (by) {
      case "store":
        return [b.storeId, { storeId: b.storeId, name: names.store.get(b.storeId) ?? null }];
      case "zone":
        return [`${b.storeId}\u0000${b.zoneId ?? ""}`, { storeId: b.storeId, zoneId: b.zoneId }];
      case "channel":
        return b.measure === "visits" ? null : [b.channel, { channel: b.channel }];
      case "campaign":
        if (b.measure === "visits") return null;
        return b.batchId === null
          ? [`rule\u0000${b.ruleId}`, { campaign: "rule", id: b.ruleId, name: names.rule.get(b.ruleId) ?? null }]
          : [`batch\u0000${b.batchId}`, { campaign: "batch", id: b.batchId, name: names.batch.get(b.batchId) ?? null }];
    }
  };
  const addTo = (p: MutablePoint, b: TrendBucket) => {
    if (b.measure === "visits") p.visits = (p.visits ?? 0) + b.count;
    else if (b.measure === "issued") p.issued += b.count;
    else {
      p.redeemed += b.count;
      p.revenueMinor += b.revenueMinor;
      p.basketRedemptions += b.baskets;
    }
  };
  for (const b of buckets) {
    // A bucket no calendar can name (a row stored before ingest bounded times) has no day.
    if (!isValidInstant(b.bucketStart)) continue;
    const day = storeDayKey(b.bucketStart, storeZones.get(b.storeId) ?? null);
    daySet.add(day);
    const total = totals.get(day) ?? emptyPoint(day, 0);
    totals.set(day, total);
    addTo(total, b);
    const key = keyOf(b);
    if (key === null) continue;
    const group = groups.get(key[0]) ?? { key: key[1], points: new Map<string, MutablePoint>() };
    groups.set(key[0], group);
    const point = group.points.get(day) ?? emptyPoint(day, visitsSplit ? 0 : null);
    group.points.set(day, point);
    addTo(point, b);
  }
  const days = [...daySet].sort();
  const series = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({ key: g.key, points: days.map((d) => g.points.get(d) ?? emptyPoint(d, visitsSplit ? 0 : null)) }));
  return {
    by,
    from: query.from,
    to: query.to,
    storeId: query.storeId,
    days,
    series,
    totals: days.map((d) => totals.get(d) ?? emptyPoint(d, 0)),
  };
}
