import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import { type AnalyticsService, FUNNEL_GROUPS } from "../../../services/AnalyticsService.js";
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
heldOutReturnRate, the offer's effect on footfall; counts are given so significance can be judged.`;

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
      const principal = principalOf(request);
      const query = request.query as Static<typeof FunnelQuery>;
      const report = unwrap(
        await deps.analytics.funnelFor(principal, {
          from: timeBoundOf(query.from, "/from"),
          to: timeBoundOf(query.to, "/to"),
          storeId: query.storeId ?? null,
          groupBy: query.groupBy,
        }),
      );
      return {
        ...report,
        from: new Date(report.from).toISOString(),
        to: new Date(report.to).toISOString(),
      };
    },
  );
}
