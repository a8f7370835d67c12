import { boundInstant, DAY_SAFE_BUCKET_MS, isValidInstant, storeDayKey, type TimeBound } from "../domain/rules/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, invalid, notFound, type Outcome } from "./Outcome.js";
import type {
  AnalyticsRepository,
  DirectoryRepository,
  FunnelCounts,
  FunnelQuery,
  RuleRepository,
  StoreRecord,
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
}

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
    if (!(from < to) || to - from > MAX_FUNNEL_PERIOD_MS)
      return invalid([{ path: "/to", message: "must be after from, by at most 366 days" }], "to must be after from, by at most 366 days");
    return done(await this.funnel({ ...request, from, to, orgId: principal.orgId, storeId }, stores));
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
