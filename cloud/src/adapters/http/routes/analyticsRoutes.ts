import type { FastifyInstance, FastifyRequest } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import {
  type AnalyticsService,
  FUNNEL_GROUPS,
  type FunnelGroup,
  type FunnelReport,
  type HoldoutComparison,
  TREND_BREAKDOWNS,
} from "../../../services/AnalyticsService.js";
import { csvOf } from "../csv.js";
import { principalOf } from "../createHttpApp.js";
import { unwrap } from "../refusals.js";
import { PeriodBoundSchema, timeBoundOf } from "../timeBounds.js";

const FunnelQuery = Type.Object(
  {
    groupBy: StringEnum(FUNNEL_GROUPS),
    from: PeriodBoundSchema("Visits that started at or after this instant."),
    to: PeriodBoundSchema("… and before this one; at most 366 days after from."),
    storeId: Type.Optional(
      Type.String({ pattern: ID_PATTERN, description: "One store only; a store-bound key sees its own store." }),
    ),
  },
  { additionalProperties: false },
);

const Rate = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: `${description}; 0..1, null when the stage before is empty.` });
const SignedRate = (description: string) => Type.Union([Type.Number({ minimum: -1, maximum: 1 }), Type.Null()], { description });

const funnelCounts = {
  visits: Type.Integer(),
  eligible: Type.Integer(),
  heldOut: Type.Integer(),
  issued: Type.Integer(),
  delivered: Type.Integer(),
  viewed: Type.Integer(),
  redeemed: Type.Integer(),
};
const FunnelRates = Type.Object({
  eligibleRate: Rate("eligible / visits"),
  deliveryRate: Rate("delivered / issued"),
  viewRate: Rate("viewed / issued"),
  redemptionRate: Rate("redeemed / issued"),
});
const HoldoutView = Type.Object(
  {
    issuedUsers: Type.Integer(),
    issuedUsersRedeemed: Type.Integer(),
    issuedRedemptionRate: Rate("issuedUsersRedeemed / issuedUsers"),
    issuedUsersReturned: Type.Integer(),
    issuedReturnRate: Rate("issuedUsersReturned / issuedUsers"),
    heldOutUsers: Type.Integer(),
    heldOutUsersReturned: Type.Integer(),
    heldOutReturnRate: Rate("heldOutUsersReturned / heldOutUsers"),
    returnRateLift: SignedRate("issuedReturnRate − heldOutReturnRate; null unless both groups have members."),
    issuedRevenueMinor: Type.Integer({ description: "What the issued group spent in all, minor units." }),
    issuedRevenuePerUserMinor: Type.Union([Type.Integer(), Type.Null()], { description: "issuedRevenueMinor / issuedUsers, rounded; null when the group is empty." }),
    heldOutRevenueMinor: Type.Integer({ description: "What the holdout group spent in all, minor units." }),
    heldOutRevenuePerUserMinor: Type.Union([Type.Integer(), Type.Null()], { description: "heldOutRevenueMinor / heldOutUsers, rounded; null when the group is empty." }),
    revenuePerUserLiftMinor: Type.Union([Type.Integer(), Type.Null()], {
      description: "Revenue per issued shopper − revenue per held-out shopper, minor units; null unless both groups have members.",
    }),
  },
  { description: "Only when grouped by rule." },
);
/** The group's key, by `groupBy`: each branch has its own required fields, so exactly one matches. */
const FunnelKeyView = Type.Union([
  Type.Object({ ruleId: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  Type.Object({ storeId: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  Type.Object({ storeId: Type.String(), zoneId: Type.String() }),
  Type.Object({ day: Type.String({ description: "YYYY-MM-DD, the visit's local day in its store's timezone." }) }),
]);
const FunnelReportView = Type.Object({
  groupBy: StringEnum(FUNNEL_GROUPS),
  from: Type.String({ format: "date-time" }),
  to: Type.String({ format: "date-time" }),
  storeId: Type.Union([Type.String(), Type.Null()]),
  groups: Type.Array(Type.Object({ key: FunnelKeyView, ...funnelCounts, rates: FunnelRates, holdout: Type.Optional(HoldoutView) })),
  totals: Type.Object({ ...funnelCounts, rates: FunnelRates }, { description: "The whole period and place, all rules together." }),
});

const KEY_COLUMNS = ["ruleId", "storeId", "zoneId", "day", "name"] as const;
const COUNT_COLUMNS = Object.keys(funnelCounts) as (keyof typeof funnelCounts)[];
const RATE_COLUMNS = Object.keys(FunnelRates.properties) as (keyof Static<typeof FunnelRates>)[];
const HOLDOUT_COLUMNS = Object.keys(HoldoutView.properties) as (keyof HoldoutComparison)[];
const CSV_COLUMNS = ["group", ...KEY_COLUMNS, ...COUNT_COLUMNS, ...RATE_COLUMNS, ...HOLDOUT_COLUMNS];

const FUNNEL_DESCRIPTION = `The funnel of a cohort: app users' zone visits that started in [from, to), and what came of
them, whenever it happened (an offer redeemed after \`to\` still counts for its visit).

- **visits**: zone visits of app users (anonymous beacons never get offers and are left out). Grouped by
  rule: the visits on which the rule was evaluated (in its scope, on its trigger event, while live).
- **eligible**: visits on which a rule passed every check: it issued, held the shopper out (control
  group), or was eligible but lost on priority to another rule.
- **heldOut**: visits on which the shopper was held out of a rule.
- **issued → delivered → viewed → redeemed**: offers issued on those visits; each stage counts offers
  that reached it or a later one (a view implies delivery; a redemption implies both, even when the app
  never acknowledged).
- **rates**: eligible/visits, and delivered, viewed, redeemed over issued.
- **day**: the local day of the visit in its store's timezone.
- **from, to**: an instant, or a day (\`2026-12-01\`) meaning its midnight in the chosen store's timezone
  (\`storeId\`, or the store a key is bound to), else in the timezone the organisation's stores share,
  else UTC; the answer gives both as instants.
- **totals**: the whole period and place, all rules together.

**Issued group against holdout group** (groupBy=rule, \`holdout\`): the issued group is the shoppers who
were sent the rule's offer at least once in the period, the holdout group those who were eligible but
held out (and so never sent it). A held-out shopper cannot redeem an offer they never received, so
redemption is reported for the issued group only (\`issuedRedemptionRate\`: share of its shoppers who
redeemed), and the two groups are compared on what both can do: **come back**. A shopper returned when
they started another visit at the organisation's stores (the chosen store, if any) on a later local day
than their first eligible decision, within the period. \`returnRateLift\` = issuedReturnRate −
heldOutReturnRate, the offer's effect on footfall; counts are given so significance can be judged.

Both groups are compared on **revenue** too: what each shopper spent from their first eligible
decision to the end of the period, in minor units: the baskets of their coupon redemptions (voided
ones excluded) and the purchases reported for them at the till or online (net of refunds), at the
chosen store when there is one; an order both redeemed with a basket and reported as a purchase (same
store and order id) counts once. \`issuedRevenuePerUserMinor\` and \`heldOutRevenuePerUserMinor\` are
the groups' averages (every member of a group counts, spending or not), \`revenuePerUserLiftMinor\`
their difference: the offer's effect on takings, before its discount. An organisation is assumed to
sell in one currency: amounts in several are added as they are.

\`GET /v1/analytics/funnel/export\` answers the same report as CSV.`;

const TrendsQuery = Type.Object(
  {
    by: StringEnum(TREND_BREAKDOWNS, { description: "One series per store, zone, issue channel or campaign (a rule, or a coupon batch)." }),
    from: PeriodBoundSchema("The first day (or instant) of the trends."),
    to: PeriodBoundSchema("… and the end, exclusive: a day means its midnight; at most 93 days after from."),
    storeId: Type.Optional(
      Type.String({ pattern: ID_PATTERN, description: "One store only; a store-bound key sees its own store." }),
    ),
  },
  { additionalProperties: false },
);
const TrendPointView = Type.Object({
  day: Type.String({ description: "YYYY-MM-DD, the local day of the store where it happened." }),
  visits: Type.Union([Type.Integer(), Type.Null()], {
    description: "App users' zone visits that started that day; null in a series by channel or campaign (a visit has neither).",
  }),
  issued: Type.Integer({ description: "Offers and coupons issued that day." }),
  redeemed: Type.Integer({ description: "Redemptions made that day (voided ones not)." }),
  revenueMinor: Type.Integer({ description: "The baskets of those redemptions, minor units." }),
  basketRedemptions: Type.Integer({ description: "How many of those redemptions came with a basket." }),
});
const TrendKeyView = Type.Union([
  Type.Object({ storeId: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  Type.Object({
    storeId: Type.String(),
    zoneId: Type.Union([Type.String(), Type.Null()], { description: "null: coupons claimed rather than earned in a zone, or redeemed at another store." }),
  }),
  Type.Object({ channel: Type.String({ description: "The issue channel: rule, online, segment, till or points." }) }),
  Type.Object({
    campaign: StringEnum(["rule", "batch"] as const),
    id: Type.String(),
    name: Type.Union([Type.String(), Type.Null()], { description: "The rule's name or the batch's title." }),
  }),
]);
const TrendReportView = Type.Object({
  by: StringEnum(TREND_BREAKDOWNS),
  from: Type.String({ format: "date-time" }),
  to: Type.String({ format: "date-time" }),
  storeId: Type.Union([Type.String(), Type.Null()]),
  days: Type.Array(Type.String(), { description: "Every local day of the period, in order; each series has a point per day." }),
  series: Type.Array(Type.Object({ key: TrendKeyView, points: Type.Array(TrendPointView) })),
  totals: Type.Array(TrendPointView, { description: "All series together per day, visits included whatever the breakdown." }),
});

const TRENDS_DESCRIPTION = `Daily trends to steer campaigns by: per local day, app users' zone visits that started,
offers issued (by rules and coupon batches, every channel), redemptions made and the revenue of their
baskets, one series per store, zone, issue channel or campaign.

- **Days** are each store's local days: an offer counts on the day it was issued, a redemption on the
  day it was made, at the store where it was made (its zone is the offer's only at the store that
  issued it).
- **Visits** have no channel or campaign: by those, they are in \`totals\` only.
- **Consent**: what the funnel leaves out for want of analytics consent is left out here too: visits
  stored unlinked, and offers issued on them. Nothing here names a shopper.
- **Revenue** is the basket total the till sent with a redemption (minor units; redemptions without a
  basket add none, \`basketRedemptions\` says how many had one). An organisation is assumed to sell in
  one currency.
- **from, to** as for the funnel: an instant, or a day meaning its midnight in the store's timezone
  (or the one the organisation's stores share, else UTC).`;

/** Analytics for marketers and store operators. */
export function analyticsRoutes(
  app: FastifyInstance,
  deps: { analytics: AnalyticsService },
): void {
  app.get(
    "/v1/analytics/funnel",
    {
      config: { roles: ["marketer", "admin", "store-ops"] },
      schema: {
        summary: "Visits → eligible → issued → delivered → viewed → redeemed, by rule, store, zone or day",
        description: FUNNEL_DESCRIPTION,
        querystring: FunnelQuery,
        response: { 200: FunnelReportView },
      },
    },
    async (request) => {
      const report = await reportFor(request);
      return {
        ...report,
        from: new Date(report.from).toISOString(),
        to: new Date(report.to).toISOString(),
      };
    },
  );

  app.get(
    "/v1/analytics/funnel/export",
    {
      config: { roles: ["marketer", "admin", "store-ops"] },
      schema: {
        summary: "The funnel as CSV: a line per group, then the totals, with the holdout comparison on visits and revenue",
        querystring: FunnelQuery,
        response: {
          200: {
            description: `CSV, RFC 4180 quoting: ${CSV_COLUMNS.join(", ")}. \`group\` is the groupBy (\`total\` on the last line); key columns another grouping has no value for, and the holdout columns of groups other than rules, are empty.`,
            content: { "text/csv": { schema: Type.String({ contentMediaType: "text/csv" }) } },
          },
        },
      },
    },
    async (request, reply) => {
      const report = await reportFor(request);
      void reply.type("text/csv; charset=utf-8");
      const line = (group: string, g: FunnelReport["totals"] & { key?: FunnelGroup["key"]; holdout?: HoldoutComparison }) => {
        const key: Partial<Record<(typeof KEY_COLUMNS)[number], string | null>> = g.key ?? {};
        return [
          group,
          ...KEY_COLUMNS.map((c) => key[c]),
          ...COUNT_COLUMNS.map((c) => g[c]),
          ...RATE_COLUMNS.map((c) => g.rates[c]),
          ...HOLDOUT_COLUMNS.map((c) => g.holdout?.[c]),
        ];
      };
      return csvOf(CSV_COLUMNS, [...report.groups.map((g) => line(report.groupBy, g)), line("total", report.totals)]);
    },
  );

  app.get(
    "/v1/analytics/trends",
    {
      config: { roles: ["marketer", "admin", "store-ops"] },
      schema: {
        summary: "Visits, offers issued, redeemed and revenue per local day, by store, zone, channel or campaign",
        description: TRENDS_DESCRIPTION,
        querystring: TrendsQuery,
        response: { 200: TrendReportView },
      },
    },
    async (request) => {
      const query = request.query as Static<typeof TrendsQuery>;
      const report = unwrap(
        await deps.analytics.trendsFor(principalOf(request), {
          by: query.by,
          from: timeBoundOf(query.from, "/from"),
          to: timeBoundOf(query.to, "/to"),
          storeId: query.storeId ?? null,
        }),
      );
      return { ...report, from: new Date(report.from).toISOString(), to: new Date(report.to).toISOString() };
    },
  );

  async function reportFor(request: FastifyRequest): Promise<FunnelReport> {
    const query = request.query as Static<typeof FunnelQuery>;
    return unwrap(
      await deps.analytics.funnelFor(principalOf(request), {
        from: timeBoundOf(query.from, "/from"),
        to: timeBoundOf(query.to, "/to"),
        storeId: query.storeId ?? null,
        groupBy: query.groupBy,
      }),
    );
  }
}
