/**
 * The Arrival cloud API's types, generated from its OpenAPI document (what `/docs/openapi.json` serves)
 * by `npm run -s api-types`; do not edit. The console and the SDK type their calls with these, so a
 * change of the contract that they do not follow fails the type-check.
 */
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getHealthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition format 0.0.4) */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness (503 NOT_READY until storage and broker are usable) */
        get: operations["getReadyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Offers delivered per channel (push, MQTT, pull) with a receipt in [from, to)
         * @description An offer counts once per channel, at the channel's first receipt: push when the push service accepted the notification, mqtt when the broker took the QoS 1 publish, pull when the app fetched it over HTTP. An offer can count on several channels; the funnel's `delivered` stays the app's own acknowledgement.
         */
        get: operations["getAnalyticsDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/funnel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits → eligible → issued → delivered → viewed → redeemed, by rule, store, zone or day
         * @description The funnel of a cohort: app users' zone visits that started in [from, to), and what came of
         *     them, whenever it happened (an offer redeemed after `to` still counts for its visit).
         *
         *     - **visits**: zone visits of app users (anonymous beacons never get offers and are left out). Grouped by
         *       rule: the visits on which the rule was evaluated (in its scope, on its trigger event, while live).
         *     - **eligible**: visits on which a rule passed every check: it issued, held the shopper out (control
         *       group), or was eligible but lost on priority to another rule.
         *     - **heldOut**: visits on which the shopper was held out of a rule.
         *     - **issued → delivered → viewed → redeemed**: offers issued on those visits; each stage counts offers
         *       that reached it or a later one (a view implies delivery; a redemption implies both, even when the app
         *       never acknowledged).
         *     - **rates**: eligible/visits, and delivered, viewed, redeemed over issued.
         *     - **day**: the local day of the visit in its store's timezone.
         *     - **from, to**: an instant, or a day (`2026-12-01`) meaning its midnight in the chosen store's timezone
         *       (`storeId`, or the store a key is bound to), else in the timezone the organisation's stores share,
         *       else UTC; the answer gives both as instants.
         *     - **totals**: the whole period and place, all rules together.
         *
         *     **Issued group against holdout group** (groupBy=rule, `holdout`): the issued group is the shoppers who
         *     were sent the rule's offer at least once in the period, the holdout group those who were eligible but
         *     held out (and so never sent it). A held-out shopper cannot redeem an offer they never received, so
         *     redemption is reported for the issued group only (`issuedRedemptionRate`: share of its shoppers who
         *     redeemed), and the two groups are compared on what both can do: **come back**. A shopper returned when
         *     they started another visit at the organisation's stores (the chosen store, if any) on a later local day
         *     than their first eligible decision, within the period. `returnRateLift` = issuedReturnRate −
         *     heldOutReturnRate, the offer's effect on footfall; counts are given so significance can be judged.
         *
         *     Both groups are compared on **revenue** too: what each shopper spent from their first eligible
         *     decision to the end of the period, in minor units: the baskets of their coupon redemptions (voided
         *     ones excluded) and the purchases reported for them at the till or online (net of refunds), at the
         *     chosen store when there is one; an order both redeemed with a basket and reported as a purchase (same
         *     store and order id) counts once. `issuedRevenuePerUserMinor` and `heldOutRevenuePerUserMinor` are
         *     the groups' averages (every member of a group counts, spending or not), `revenuePerUserLiftMinor`
         *     their difference: the offer's effect on takings, before its discount. An organisation is assumed to
         *     sell in one currency: amounts in several are added as they are.
         *
         *     `GET /v1/analytics/funnel/export` answers the same report as CSV.
         */
        get: operations["getAnalyticsFunnel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/funnel/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The funnel as CSV: a line per group, then the totals, with the holdout comparison on visits and revenue */
        get: operations["getAnalyticsFunnelExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/trends": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits, offers issued, redeemed and revenue per local day, by store, zone, channel or campaign
         * @description Daily trends to steer campaigns by: per local day, app users' zone visits that started,
         *     offers issued (by rules and coupon batches, every channel), redemptions made and the revenue of their
         *     baskets, one series per store, zone, issue channel or campaign.
         *
         *     - **Days** are each store's local days: an offer counts on the day it was issued, a redemption on the
         *       day it was made, at the store where it was made (its zone is the offer's only at the store that
         *       issued it).
         *     - **Visits** have no channel or campaign: by those, they are in `totals` only.
         *     - **Consent**: what the funnel leaves out for want of analytics consent is left out here too: visits
         *       stored unlinked, and offers issued on them. Nothing here names a shopper.
         *     - **Revenue** is the basket total the till sent with a redemption (minor units; redemptions without a
         *       basket add none, `basketRedemptions` says how many had one). An organisation is assumed to sell in
         *       one currency.
         *     - **from, to** as for the funnel: an instant, or a day meaning its midnight in the store's timezone
         *       (or the one the organisation's stores share, else UTC).
         */
        get: operations["getAnalyticsTrends"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue an API key of the caller's organisation */
        post: operations["postApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key of the caller's organisation */
        delete: operations["deleteApiKeysByKeyId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/coupon-analytics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Coupons claimed, gifted, redeemed, voided and expired, with revenue and discount cost, per batch, channel, store and local day */
        get: operations["getCouponAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/coupon-analytics/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The coupon analytics as CSV (one header line, then a line per row) */
        get: operations["getCouponAnalyticsExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/coupon-batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation's coupon batches, newest first */
        get: operations["getCouponBatches"];
        put?: never;
        /** Create a coupon batch */
        post: operations["postCouponBatches"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/coupon-batches/{batchId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A coupon batch with its stock counters (claimed in total and today, in the batch's timezone) */
        get: operations["getCouponBatchesByBatchId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/coupon-batches/{batchId}/claims": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Claim a coupon: online in the app (from a link or QR tag), at the till for the next visit, or by an admin
         * @description Refused with `409 OUT_OF_STOCK`, `409 LIMIT_REACHED` or, for a near-field batch, `409 PRESENCE_REQUIRED`.
         */
        post: operations["postCouponBatchesClaims"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/coupon-batches/{batchId}/gifts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A batch's gifts, newest first: who gave a coupon to whom and how each gift ended
         * @description Each gift in its state now (`state` filters, comma-separated). The giver and the friend are named only when that member consents to analytics; the gift link's token is never stored, so never listed. Pages of `limit` follow `nextCursor`.
         */
        get: operations["getCouponBatchesGifts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/coupon-batches/{batchId}/sends": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a batch to members chosen by the marketer (a segment's list): one coupon each while stock lasts */
        post: operations["postCouponBatchesSends"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{eventId}/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the rules engine made of one presence event
         * @description Newest first. Every rule evaluated on an event has one decision: issued, held-out (the shopper is in the rule's control group) or not-issued with a reason code and its text. `status` says why an event may have no decisions at all: `pending` (not decided yet), `no-user` (the subject is not linked to an app user, so no rule is evaluated), `no-candidate-rules` (no live rule listens to this store, zone and event type), or `decided`.
         */
        get: operations["getEventsDecisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gateways": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Gateways with their health, last telemetry and config state */
        get: operations["getGateways"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gateways/{gatewayId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One gateway's health, last telemetry and config state */
        get: operations["getGatewaysByGatewayId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gateways/{gatewayId}/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Push a config (zones, presence tuning) to one gateway
         * @description Stored as the gateway's desired config with the next revision and published retained on its config topic. gateway-radius zones must name a gateway of the same store. `zones` replace the store's zones (GET /v1/stores/{storeId}/zones; tags kept unless `zoneTags` gives them), which the store's other gateways then get too; without `zones` the store's current zones are sent. Follow the outcome in GET /v1/gateways/{gatewayId} (config.state).
         */
        post: operations["postGatewaysConfig"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gateways/{gatewayId}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue (or replace) a gateway's MQTT credential */
        post: operations["postGatewaysCredentials"];
        /** Revoke a gateway's MQTT credential and disconnect it */
        delete: operations["deleteGatewaysCredentials"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gateways/{gatewayId}/telemetry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A gateway's telemetry history (kept fleet.telemetryRetentionH hours) */
        get: operations["getGatewaysTelemetry"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gifts/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept a gift: the coupon moves to the caller's wallet with a new code (the old one is dead) */
        post: operations["postGiftsAccept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gifts/decline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decline a gift: the coupon stays with its owner */
        post: operations["postGiftsDecline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is in each zone now, arrivals per minute, recent offers */
        get: operations["getLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/live/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The live view as server-sent events
         * @description `text/event-stream`: an `event: snapshot` with the same body as GET /v1/live at once and after every change (coalesced), and a comment line every 15 s to keep the connection open. The key is verified again every 15 s; the stream ends once it is revoked.
         */
        get: operations["getLiveStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/loyalty/program": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation's loyalty programme (version 0: none written yet) */
        get: operations["getLoyaltyProgram"];
        /**
         * Replace the loyalty programme: earn rules, visit points, member days, tiers
         * @description Every problem is reported with its path, e.g. `/earnRules/0/perAmountMinor`.
         */
        put: operations["putLoyaltyProgram"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every member as NDJSON: profile, consents, birth month */
        get: operations["getMembersExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Bulk upsert of members from a CRM (NDJSON or CSV, streamed)
         * @description Send `Content-Type: application/x-ndjson` (one member object per line) or `text/csv` (a header line naming the columns). Fields: id, displayName, segments (CSV: separated by `;`), loyaltyTier, birthMonth, marketingConsent, analyticsConsent. Every bad row is reported with its line and field; the good rows are applied; a rerun of the same file changes nothing.
         */
        post: operations["postMembersImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members/ledger/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every ledger entry as NDJSON, in writing order
         * @description An entry names its member only when the member gave analytics consent; otherwise `memberId` is null.
         */
        get: operations["getMembersLedgerExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/organisations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List every organisation with its status */
        get: operations["getOperatorOrganisations"];
        put?: never;
        /** Create an organisation and the key of its first admin */
        post: operations["postOperatorOrganisations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/organisations/{orgId}/reinstate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reinstate a suspended organisation: its unrevoked keys and MQTT logins work again */
        post: operations["postOperatorOrganisationsReinstate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/organisations/{orgId}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suspend an organisation: its API keys stop working and its MQTT logins are cut (live connections closed), its data stays */
        post: operations["postOperatorOrganisationsSuspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pickups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The pick-up orders of a store, newest first: what its counter lists
         * @description A till key lists its own store's orders; an admin key one store's (`storeId`) or every store's. `state` filters (comma-separated: awaiting, arrived, collected), e.g. `arrived` for the customers waiting at the counter.
         */
        get: operations["getPickups"];
        put?: never;
        /**
         * Register an online order for pick-up in a store; answers its single-use pick-up code
         * @description When the customer is seen at the store, the cloud publishes `pickup-arrived` on `arrival/v1/stores/{storeId}/pickups`.
         */
        post: operations["postPickups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pickups/{pickupId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pick-up order and its state */
        get: operations["getPickupsByPickupId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pickups/collect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hand over a pick-up order by its code, exactly once */
        post: operations["postPickupsCollect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/purchases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report a purchase of a member: earns points by the programme, once per order; points may pay part of it
         * @description The member is identified by the dynamic member code the app shows (valid minutes) or by id. With `pointsToSpend`, points pay part of the basket where the programme allows it, and points are earned on what is left to pay. A repeat of the same order id at the same store answers 200 with the first result.
         */
        post: operations["postPurchases"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/purchases/points-quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What points may pay of a basket, before the purchase is reported (writes nothing)
         * @description The till identifies the member, shows what their points can pay (`maxPoints`, `maxDiscountMinor`), then reports the purchase with the `pointsToSpend` chosen. `403 FORBIDDEN` when the programme does not take points at the till.
         */
        post: operations["postPurchasesPointsQuote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/purchases/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refund an order, whole or in part: its points are reversed in proportion, exactly once the whole order is refunded (points already spent are owed)
         * @description `amountMinor` is in the basket's value. Points that paid part of the order come back in the same proportion (`returnedPoints`); the till pays back the rest.
         */
        post: operations["postPurchasesRefunds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/push/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Push notifications given up on, newest first */
        get: operations["getPushDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/push/dead-letters/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a dead-lettered push notification again (attempts start over) */
        post: operations["postPushDeadLettersReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/push/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation's quiet hours and frequency cap */
        get: operations["getPushPolicy"];
        /** Set the organisation's quiet hours and frequency cap */
        put: operations["putPushPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/push/web-push-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The VAPID public key a browser subscribes with (applicationServerKey) */
        get: operations["getPushWebPushKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/redemptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeem a coupon at the till (or an online order), exactly once; with a basket, answers the discount to apply
         * @description A basket that does not meet the coupon's conditions is refused with `422 BASKET_NOT_ELIGIBLE` and the reason (`min-spend-not-reached`, `no-eligible-item`, `currency-mismatch`) in `details`; nothing is redeemed.
         */
        post: operations["postRedemptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/redemptions/{redemptionId}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Void a redemption: by the store that made it, within the void window; the coupon is valid again if not expired */
        post: operations["postRedemptionsVoid"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/releases/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a release (a gateway's MQTT login as HTTP Basic, or an admin key) */
        get: operations["getReleasesByFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation's rules, current versions */
        get: operations["getRules"];
        put?: never;
        /**
         * Create a rule (as a draft, version 1)
         * @description Every problem of the spec is reported with its path, e.g. `/spec/trigger/minDwellS`.
         */
        post: operations["postRules"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/{ruleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A rule with its versions, change history and offers issued */
        get: operations["getRulesByRuleId"];
        /**
         * Edit a rule: a new version with the same status
         * @description Offers already issued keep the version they were issued under; budgets and caps count across versions. An ended rule cannot be edited.
         */
        put: operations["putRulesByRuleId"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/{ruleId}/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every decision of one rule, with its reason
         * @description Newest first. Every rule evaluated on an event has one decision: issued, held-out (the shopper is in the rule's control group) or not-issued with a reason code and its text.
         */
        get: operations["getRulesDecisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/{ruleId}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a rule through its lifecycle
         * @description A refused step answers 409 CONFLICT with the reason in details (e.g. a scheduled rule needs a `from` day; ended is final). The scheduler moves scheduled rules live on their `from` day and ends rules after their `until` day by itself.
         */
        post: operations["postRulesTransitions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What a rule would have done over a past period
         * @description Replays the presence events recorded in [from, to) through the rules engine as if the rule had been live, with simulated counters: offers it would have issued, distinct shoppers, every reason it would not have issued (limitsHit: budget, caps, cooldown), when the budget would have run out, and offers per local day. Shoppers' profiles are today's; offers other rules really issued count towards the organisation's daily cap; priority against other rules is not simulated.
         */
        post: operations["postRulesDryRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/reach": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Who a rule would reach: members matching its audience now, and its last 7 days replayed */
        post: operations["postRulesReach"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who this console key is: role, organisation and store (if bound to one) */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/store-beacon": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The store beacon an app monitors: the organisation's proximity UUID, format and slot length */
        get: operations["getStoreBeacon"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the organisation's stores */
        get: operations["getStores"];
        put?: never;
        /** Create a store */
        post: operations["postStores"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A store */
        get: operations["getStoresByStoreId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a store's name, time zone, location, address or tags */
        patch: operations["patchStoresByStoreId"];
        trace?: never;
    };
    "/v1/stores/{storeId}/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Push one config to every gateway of a store
         * @description Each gateway gets its own next revision; see POST /v1/gateways/{gatewayId}/config.
         */
        post: operations["postStoresConfig"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a store's devices with MQTT logins (pick-up counters), revoked ones included */
        get: operations["getStoresDevices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/devices/{deviceId}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue (or replace) a store device's MQTT credential
         * @description For the store's pick-up counter tablet or POS terminal: it may subscribe to arrival/v1/stores/{storeId}/pickups (click-and-collect arrivals, QoS 1) and to nothing else, and publish nothing. Connect with clientId as given; see docs/api.md.
         */
        post: operations["postStoresDevicesCredentials"];
        /** Revoke a store device's MQTT credential and disconnect it */
        delete: operations["deleteStoresDevicesCredentials"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Presence events of a store (enter, dwell, exit), newest first */
        get: operations["getStoresEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/gateways": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a gateway in a store (201), or rename one already there (200)
         * @description Then issue its MQTT credential with POST /v1/gateways/{gatewayId}/credentials.
         */
        post: operations["postStoresGateways"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/push-policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A store's own quiet hours (null: the organisation's) */
        get: operations["getStoresPushPolicy"];
        /** Set a store's own quiet hours, in its timezone (frequencyCapMinutes must be null) */
        put: operations["putStoresPushPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/rollout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The store's rollout and where it stands */
        get: operations["getStoresRollout"];
        /** Roll a release out to the store's gateways: canaries, a health gate, then the rest */
        put: operations["putStoresRollout"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/rollout/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause the store's rollout (gateways told already go on) */
        post: operations["postStoresRolloutPause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/rollout/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume the store's rollout where it was */
        post: operations["postStoresRolloutResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/visit-counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Visits per day and zone, kept in aggregate after raw presence data is deleted */
        get: operations["getStoresVisitCounts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/visits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Visits of a store (one subject's stay in one zone), newest first */
        get: operations["getStoresVisits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/zones": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A store's zones */
        get: operations["getStoresZones"];
        put?: never;
        /** Create a zone (gateway radius, circle or polygon) */
        post: operations["postStoresZones"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/{storeId}/zones/{zoneId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A zone */
        get: operations["getStoresZonesByZoneId"];
        /** Replace a zone's geofence and tags */
        put: operations["putStoresZonesByZoneId"];
        post?: never;
        /** Delete a zone */
        delete: operations["deleteStoresZonesByZoneId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's profile and consent */
        get: operations["getUsersByUserId"];
        /** Create or replace a user's profile (CRM upsert) */
        put: operations["putUsersByUserId"];
        post?: never;
        /**
         * Delete a user and their personal data (right to erasure)
         * @description Revokes the user's MQTT credentials (disconnecting the app) and API keys, then deletes the profile, registered beacons, presence events, visits, decisions and unredeemed offers. Redeemed offers stay for the till's accounting with the user replaced by `reference`; the audit trail names only `reference`.
         */
        delete: operations["deleteUsersByUserId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a user's marketing and analytics consent */
        put: operations["putUsersConsent"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/coupons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A member's wallet: coupons of every channel, newest first */
        get: operations["getUsersCoupons"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/coupons/{couponId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One coupon of a member's wallet */
        get: operations["getUsersCouponsByCouponId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/coupons/{couponId}/gifts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Offer a coupon as a gift: the answer's token is the link to share (shown once) */
        post: operations["postUsersCouponsGifts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue (or replace) an app user's MQTT credential */
        post: operations["postUsersCredentials"];
        /** Revoke an app user's MQTT credential and disconnect it */
        delete: operations["deleteUsersCredentials"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every decision made for a user, with its reason
         * @description Newest first. Every rule evaluated on an event has one decision: issued, held-out (the shopper is in the rule's control group) or not-issued with a reason code and its text.
         */
        get: operations["getUsersDecisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Beacons registered to a user */
        get: operations["getUsersDevices"];
        put?: never;
        /** Register a beacon (iBeacon, AltBeacon or Eddystone-UID) to a user */
        post: operations["postUsersDevices"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/devices/{subjectId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unregister a beacon */
        delete: operations["deleteUsersDevicesBySubjectId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/eid-keys/{installId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Register this install's Eddystone-EID identity key (at sign-in) */
        put: operations["putUsersEidKeysByInstallId"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/geofence-entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report that the phone's OS geofence for a store was entered, with its GPS fix */
        post: operations["postUsersGeofenceEntries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/member-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A fresh dynamic member code to show at the till (QR), valid a few minutes */
        post: operations["postUsersMemberCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/offers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Offers a user can still use (catch-up for an app that was offline) */
        get: operations["getUsersOffers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/offers/{offerId}/acknowledgements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The app confirms an offer was delivered or viewed */
        post: operations["postUsersOffersAcknowledgements"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/points": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A member's points balance, debt, next expiry and tier */
        get: operations["getUsersPoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/points/adjustments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Adjust a member's points, with the reason
         * @description 201 when written; a repeat with the same Idempotency-Key answers 200 with the first result.
         */
        post: operations["postUsersPointsAdjustments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/points/exchanges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange points for a coupon of a batch: the points are spent and the coupon issued together, or neither
         * @description The member's app for its own user, or an admin on a member's behalf. 201 with the coupon (channel `points`); a repeat with the same Idempotency-Key answers 200 with the same coupon and spends nothing. Refused with `409 INSUFFICIENT_POINTS`, `409 OUT_OF_STOCK` (stock out, or the batch ended), `409 LIMIT_REACHED` (the member's limit of the batch) or `403 FORBIDDEN` (the batch is not exchanged for points); a refusal spends nothing.
         */
        post: operations["postUsersPointsExchanges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/points/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A member's ledger entries, newest first */
        get: operations["getUsersPointsHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/points/transfers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give points to another member (where the programme allows transfers) */
        post: operations["postUsersPointsTransfers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/push-registrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's push registrations (tokens are not shown) */
        get: operations["getUsersPushRegistrations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/push-registrations/{installationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Register (or replace) where an app installation is reached by push */
        put: operations["putUsersPushRegistrationsByInstallationId"];
        post?: never;
        /** Stop push to an installation (sign-out, notifications turned off) */
        delete: operations["deleteUsersPushRegistrationsByInstallationId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/store-beacon-sightings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report a store beacon value the phone heard: resolved to a store, it is the user's presence there
         * @description Give `uuid`, `major` and `minor` for an iBeacon, or `eid` for an Eddystone-EID. A value names a store only within the slot it was advertised in: a value replayed from another slot, or guessed, names none. At most 30 reports a minute per installation (429 beyond).
         */
        post: operations["postUsersStoreBeaconSightings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/tier-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A member's tier changes, newest first */
        get: operations["getUsersTierChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Webhook deliveries, newest first, by endpoint and status */
        get: operations["getWebhooksDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/deliveries/{deliveryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook delivery */
        get: operations["getWebhooksDeliveriesByDeliveryId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/deliveries/{deliveryId}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a dead-lettered delivery again (same webhook-id and body, attempts reset) */
        post: operations["postWebhooksDeliveriesReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation's webhook endpoints (secrets are not shown) */
        get: operations["getWebhooksEndpoints"];
        put?: never;
        /** Create a webhook endpoint; the answer shows its signing secret, once */
        post: operations["postWebhooksEndpoints"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints/{endpointId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook endpoint */
        get: operations["getWebhooksEndpointsByEndpointId"];
        put?: never;
        post?: never;
        /** Remove a webhook endpoint and its deliveries */
        delete: operations["deleteWebhooksEndpointsByEndpointId"];
        options?: never;
        head?: never;
        /** Change a webhook endpoint's URL, events, description, or turn it off and on */
        patch: operations["patchWebhooksEndpointsByEndpointId"];
        trace?: never;
    };
    "/v1/webhooks/endpoints/{endpointId}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the signing secret; the previous one signs too until the grace ends */
        post: operations["postWebhooksEndpointsSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints/{endpointId}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a webhook.test message to the endpoint (queued like any other) */
        post: operations["postWebhooksEndpointsTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description The process answers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description text/plain; version=0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
        };
    };
    getReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Storage and broker are usable. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready";
                    };
                };
            };
        };
    };
    getAnalyticsDeliveries: {
        parameters: {
            query: {
                from: string;
                storeId?: string;
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        delivered: {
                            mqtt: number;
                            pull: number;
                            push: number;
                        };
                        /** Format: date-time */
                        from: string;
                        /** Format: date-time */
                        to: string;
                    };
                };
            };
        };
    };
    getAnalyticsFunnel: {
        parameters: {
            query: {
                /** @description Visits that started at or after this instant. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                from: string;
                groupBy: "rule" | "store" | "zone" | "day";
                /** @description One store only; a store-bound key sees its own store. */
                storeId?: string;
                /** @description … and before this one; at most 366 days after from. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        from: string;
                        /** @enum {string} */
                        groupBy: "rule" | "store" | "zone" | "day";
                        groups: {
                            delivered: number;
                            eligible: number;
                            heldOut: number;
                            /** @description Only when grouped by rule. */
                            holdout?: {
                                /** @description heldOutUsersReturned / heldOutUsers; 0..1, null when the stage before is empty. */
                                heldOutReturnRate: number | null;
                                /** @description What the holdout group spent in all, minor units. */
                                heldOutRevenueMinor: number;
                                /** @description heldOutRevenueMinor / heldOutUsers, rounded; null when the group is empty. */
                                heldOutRevenuePerUserMinor: number | null;
                                heldOutUsers: number;
                                heldOutUsersReturned: number;
                                /** @description issuedUsersRedeemed / issuedUsers; 0..1, null when the stage before is empty. */
                                issuedRedemptionRate: number | null;
                                /** @description issuedUsersReturned / issuedUsers; 0..1, null when the stage before is empty. */
                                issuedReturnRate: number | null;
                                /** @description What the issued group spent in all, minor units. */
                                issuedRevenueMinor: number;
                                /** @description issuedRevenueMinor / issuedUsers, rounded; null when the group is empty. */
                                issuedRevenuePerUserMinor: number | null;
                                issuedUsers: number;
                                issuedUsersRedeemed: number;
                                issuedUsersReturned: number;
                                /** @description issuedReturnRate − heldOutReturnRate; null unless both groups have members. */
                                returnRateLift: number | null;
                                /** @description Revenue per issued shopper − revenue per held-out shopper, minor units; null unless both groups have members. */
                                revenuePerUserLiftMinor: number | null;
                            };
                            issued: number;
                            key: {
                                name: string | null;
                                ruleId: string;
                            } | {
                                name: string | null;
                                storeId: string;
                            } | {
                                storeId: string;
                                zoneId: string;
                            } | {
                                /** @description YYYY-MM-DD, the visit's local day in its store's timezone. */
                                day: string;
                            };
                            rates: {
                                /** @description delivered / issued; 0..1, null when the stage before is empty. */
                                deliveryRate: number | null;
                                /** @description eligible / visits; 0..1, null when the stage before is empty. */
                                eligibleRate: number | null;
                                /** @description redeemed / issued; 0..1, null when the stage before is empty. */
                                redemptionRate: number | null;
                                /** @description viewed / issued; 0..1, null when the stage before is empty. */
                                viewRate: number | null;
                            };
                            redeemed: number;
                            viewed: number;
                            visits: number;
                        }[];
                        storeId: string | null;
                        /** Format: date-time */
                        to: string;
                        /** @description The whole period and place, all rules together. */
                        totals: {
                            delivered: number;
                            eligible: number;
                            heldOut: number;
                            issued: number;
                            rates: {
                                /** @description delivered / issued; 0..1, null when the stage before is empty. */
                                deliveryRate: number | null;
                                /** @description eligible / visits; 0..1, null when the stage before is empty. */
                                eligibleRate: number | null;
                                /** @description redeemed / issued; 0..1, null when the stage before is empty. */
                                redemptionRate: number | null;
                                /** @description viewed / issued; 0..1, null when the stage before is empty. */
                                viewRate: number | null;
                            };
                            redeemed: number;
                            viewed: number;
                            visits: number;
                        };
                    };
                };
            };
        };
    };
    getAnalyticsFunnelExport: {
        parameters: {
            query: {
                /** @description Visits that started at or after this instant. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                from: string;
                groupBy: "rule" | "store" | "zone" | "day";
                /** @description One store only; a store-bound key sees its own store. */
                storeId?: string;
                /** @description … and before this one; at most 366 days after from. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description CSV, RFC 4180 quoting: group, ruleId, storeId, zoneId, day, name, visits, eligible, heldOut, issued, delivered, viewed, redeemed, eligibleRate, deliveryRate, viewRate, redemptionRate, issuedUsers, issuedUsersRedeemed, issuedRedemptionRate, issuedUsersReturned, issuedReturnRate, heldOutUsers, heldOutUsersReturned, heldOutReturnRate, returnRateLift, issuedRevenueMinor, issuedRevenuePerUserMinor, heldOutRevenueMinor, heldOutRevenuePerUserMinor, revenuePerUserLiftMinor. `group` is the groupBy (`total` on the last line); key columns another grouping has no value for, and the holdout columns of groups other than rules, are empty. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
        };
    };
    getAnalyticsTrends: {
        parameters: {
            query: {
                /** @description One series per store, zone, issue channel or campaign (a rule, or a coupon batch). */
                by: "store" | "zone" | "channel" | "campaign";
                /** @description The first day (or instant) of the trends. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                from: string;
                /** @description One store only; a store-bound key sees its own store. */
                storeId?: string;
                /** @description … and the end, exclusive: a day means its midnight; at most 93 days after from. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        by: "store" | "zone" | "channel" | "campaign";
                        /** @description Every local day of the period, in order; each series has a point per day. */
                        days: string[];
                        /** Format: date-time */
                        from: string;
                        series: {
                            key: {
                                name: string | null;
                                storeId: string;
                            } | {
                                storeId: string;
                                /** @description null: coupons claimed rather than earned in a zone, or redeemed at another store. */
                                zoneId: string | null;
                            } | {
                                /** @description The issue channel: rule, online, segment, till or points. */
                                channel: string;
                            } | {
                                /** @enum {string} */
                                campaign: "rule" | "batch";
                                id: string;
                                /** @description The rule's name or the batch's title. */
                                name: string | null;
                            };
                            points: {
                                /** @description How many of those redemptions came with a basket. */
                                basketRedemptions: number;
                                /** @description YYYY-MM-DD, the local day of the store where it happened. */
                                day: string;
                                /** @description Offers and coupons issued that day. */
                                issued: number;
                                /** @description Redemptions made that day (voided ones not). */
                                redeemed: number;
                                /** @description The baskets of those redemptions, minor units. */
                                revenueMinor: number;
                                /** @description App users' zone visits that started that day; null in a series by channel or campaign (a visit has neither). */
                                visits: number | null;
                            }[];
                        }[];
                        storeId: string | null;
                        /** Format: date-time */
                        to: string;
                        /** @description All series together per day, visits included whatever the breakdown. */
                        totals: {
                            /** @description How many of those redemptions came with a basket. */
                            basketRedemptions: number;
                            /** @description YYYY-MM-DD, the local day of the store where it happened. */
                            day: string;
                            /** @description Offers and coupons issued that day. */
                            issued: number;
                            /** @description Redemptions made that day (voided ones not). */
                            redeemed: number;
                            /** @description The baskets of those redemptions, minor units. */
                            revenueMinor: number;
                            /** @description App users' zone visits that started that day; null in a series by channel or campaign (a visit has neither). */
                            visits: number | null;
                        }[];
                    };
                };
            };
        };
    };
    postApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Who or what holds the key. */
                    label: string;
                    /** @enum {string} */
                    role: "admin" | "marketer" | "store-ops" | "pos" | "app";
                    /** @description Required for pos and store-ops keys: their store. */
                    storeId?: string;
                    /** @description Required for app keys: their user. */
                    userId?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description Shown once: send it as 'Authorization: Bearer <key>'. */
                        key: string;
                        role: string;
                        storeId: string | null;
                        userId: string | null;
                    };
                };
            };
        };
    };
    deleteApiKeysByKeyId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        revoked: boolean;
                    };
                };
            };
        };
    };
    getCouponAnalytics: {
        parameters: {
            query: {
                /** @description Start, inclusive. */
                from: string;
                /** @description End, exclusive; at most 366 days after from. */
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rows: {
                            averageBasketMinor: number | null;
                            basketRedemptions: number;
                            batchId: string;
                            channel: string;
                            claimed: number;
                            day: string;
                            discountMinor: number;
                            expired: number;
                            giftsAccepted: number;
                            giftsMade: number;
                            redeemed: number;
                            revenueMinor: number;
                            storeId: string;
                            voided: number;
                        }[];
                    };
                };
            };
        };
    };
    getCouponAnalyticsExport: {
        parameters: {
            query: {
                /** @description Start, inclusive. */
                from: string;
                /** @description End, exclusive; at most 366 days after from. */
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description CSV, RFC 4180 quoting; the columns of GET /v1/coupon-analytics, in its order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
        };
    };
    getCouponBatches: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        batches: {
                            batchId: string;
                            /** Format: date-time */
                            createdAt: string;
                            spec: {
                                /** @description Channels that may issue coupons of this batch. */
                                channels: ("online" | "segment" | "till" | "points")[];
                                /** @description Per local day of `timezone`; absent: no limit. */
                                dailyStock?: number;
                                discount: {
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "percent";
                                    /** @description Cap on the discount. In the currency's minor unit (cents). */
                                    maxDiscountMinor?: number;
                                    /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                    percent: number;
                                } | {
                                    /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                    amountMinor: number;
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "amount";
                                    /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                } | {
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @description What the shopper sees. */
                                    item: string;
                                    /** @enum {string} */
                                    kind: "free-item";
                                    /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                    /** @description The SKU given free: one unit of it in the basket is discounted. */
                                    sku: string;
                                } | {
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "spend-save";
                                    /** @description Spend X save Y; the highest tier reached applies. */
                                    tiers: {
                                        /** @description this is saved. In the currency's minor unit (cents). */
                                        saveMinor: number;
                                        /** @description Eligible spend from which In the currency's minor unit (cents). */
                                        spendMinor: number;
                                    }[];
                                };
                                /** @description Default false. */
                                giftable?: boolean;
                                /** @description An unaccepted gift returns after this. Default 24. */
                                giftTimeoutHours?: number;
                                imageUrl?: string;
                                /** @description How often a coupon may pass to a friend. Default 1. */
                                maxGiftPasses?: number;
                                /** @description Coupons of this batch one member may get over its life, by claim or by accepting a gift (a coupon given away still counts for its giver). Default 1. */
                                perMemberLimit?: number;
                                /** @description Points a member spends for one coupon through the `points` channel; required with that channel, refused without it. */
                                pointsPrice?: number;
                                /** @description Claim only when seen in one of the stores within this many minutes (near-field claim). */
                                presenceWithinMin?: number;
                                /** @description Remind this long before expiry; absent: the cloud default. */
                                reminderLeadMin?: number;
                                storeIds: string[];
                                text: string;
                                /** @description IANA zone whose midnight resets the daily stock. */
                                timezone: string;
                                title: string;
                                /** @description Coupons that may ever be claimed; absent: no limit. */
                                totalStock?: number;
                                validity: {
                                    /**
                                     * Format: date-time
                                     * @description Valid from (ISO 8601).
                                     */
                                    from: string;
                                    /** @enum {string} */
                                    kind: "window";
                                    /**
                                     * Format: date-time
                                     * @description Valid until, exclusive (ISO 8601).
                                     */
                                    until: string;
                                } | {
                                    /**
                                     * Format: date-time
                                     * @description Last moment a coupon may be claimed.
                                     */
                                    claimUntil?: string;
                                    /** @description Valid for this many hours from claim. */
                                    hours: number;
                                    /** @enum {string} */
                                    kind: "from-claim";
                                };
                            };
                        }[];
                    };
                };
            };
        };
    };
    postCouponBatches: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Chosen by the marketer; unique. */
                    batchId: string;
                    spec: {
                        /** @description Channels that may issue coupons of this batch. */
                        channels: ("online" | "segment" | "till" | "points")[];
                        /** @description Per local day of `timezone`; absent: no limit. */
                        dailyStock?: number;
                        discount: {
                            /** @description Absent: every line of the basket is eligible. */
                            eligible?: {
                                categories?: string[];
                                skus?: string[];
                            };
                            /** @enum {string} */
                            kind: "percent";
                            /** @description Cap on the discount. In the currency's minor unit (cents). */
                            maxDiscountMinor?: number;
                            /** @description Eligible spend needed. In the currency's minor unit (cents). */
                            minSpendMinor?: number;
                            percent: number;
                        } | {
                            /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                            amountMinor: number;
                            /** @description ISO 4217 code. */
                            currency: string;
                            /** @description Absent: every line of the basket is eligible. */
                            eligible?: {
                                categories?: string[];
                                skus?: string[];
                            };
                            /** @enum {string} */
                            kind: "amount";
                            /** @description Eligible spend needed. In the currency's minor unit (cents). */
                            minSpendMinor?: number;
                        } | {
                            /** @description Absent: every line of the basket is eligible. */
                            eligible?: {
                                categories?: string[];
                                skus?: string[];
                            };
                            /** @description What the shopper sees. */
                            item: string;
                            /** @enum {string} */
                            kind: "free-item";
                            /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                            minSpendMinor?: number;
                            /** @description The SKU given free: one unit of it in the basket is discounted. */
                            sku: string;
                        } | {
                            /** @description ISO 4217 code. */
                            currency: string;
                            /** @description Absent: every line of the basket is eligible. */
                            eligible?: {
                                categories?: string[];
                                skus?: string[];
                            };
                            /** @enum {string} */
                            kind: "spend-save";
                            /** @description Spend X save Y; the highest tier reached applies. */
                            tiers: {
                                /** @description this is saved. In the currency's minor unit (cents). */
                                saveMinor: number;
                                /** @description Eligible spend from which In the currency's minor unit (cents). */
                                spendMinor: number;
                            }[];
                        };
                        /** @description Default false. */
                        giftable?: boolean;
                        /** @description An unaccepted gift returns after this. Default 24. */
                        giftTimeoutHours?: number;
                        imageUrl?: string;
                        /** @description How often a coupon may pass to a friend. Default 1. */
                        maxGiftPasses?: number;
                        /** @description Coupons of this batch one member may get over its life, by claim or by accepting a gift (a coupon given away still counts for its giver). Default 1. */
                        perMemberLimit?: number;
                        /** @description Points a member spends for one coupon through the `points` channel; required with that channel, refused without it. */
                        pointsPrice?: number;
                        /** @description Claim only when seen in one of the stores within this many minutes (near-field claim). */
                        presenceWithinMin?: number;
                        /** @description Remind this long before expiry; absent: the cloud default. */
                        reminderLeadMin?: number;
                        storeIds: string[];
                        text: string;
                        /** @description IANA zone whose midnight resets the daily stock. */
                        timezone: string;
                        title: string;
                        /** @description Coupons that may ever be claimed; absent: no limit. */
                        totalStock?: number;
                        validity: {
                            /**
                             * Format: date-time
                             * @description Valid from (ISO 8601).
                             */
                            from: string;
                            /** @enum {string} */
                            kind: "window";
                            /**
                             * Format: date-time
                             * @description Valid until, exclusive (ISO 8601).
                             */
                            until: string;
                        } | {
                            /**
                             * Format: date-time
                             * @description Last moment a coupon may be claimed.
                             */
                            claimUntil?: string;
                            /** @description Valid for this many hours from claim. */
                            hours: number;
                            /** @enum {string} */
                            kind: "from-claim";
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        batch: {
                            batchId: string;
                            /** Format: date-time */
                            createdAt: string;
                            spec: {
                                /** @description Channels that may issue coupons of this batch. */
                                channels: ("online" | "segment" | "till" | "points")[];
                                /** @description Per local day of `timezone`; absent: no limit. */
                                dailyStock?: number;
                                discount: {
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "percent";
                                    /** @description Cap on the discount. In the currency's minor unit (cents). */
                                    maxDiscountMinor?: number;
                                    /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                    percent: number;
                                } | {
                                    /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                    amountMinor: number;
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "amount";
                                    /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                } | {
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @description What the shopper sees. */
                                    item: string;
                                    /** @enum {string} */
                                    kind: "free-item";
                                    /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                    /** @description The SKU given free: one unit of it in the basket is discounted. */
                                    sku: string;
                                } | {
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "spend-save";
                                    /** @description Spend X save Y; the highest tier reached applies. */
                                    tiers: {
                                        /** @description this is saved. In the currency's minor unit (cents). */
                                        saveMinor: number;
                                        /** @description Eligible spend from which In the currency's minor unit (cents). */
                                        spendMinor: number;
                                    }[];
                                };
                                /** @description Default false. */
                                giftable?: boolean;
                                /** @description An unaccepted gift returns after this. Default 24. */
                                giftTimeoutHours?: number;
                                imageUrl?: string;
                                /** @description How often a coupon may pass to a friend. Default 1. */
                                maxGiftPasses?: number;
                                /** @description Coupons of this batch one member may get over its life, by claim or by accepting a gift (a coupon given away still counts for its giver). Default 1. */
                                perMemberLimit?: number;
                                /** @description Points a member spends for one coupon through the `points` channel; required with that channel, refused without it. */
                                pointsPrice?: number;
                                /** @description Claim only when seen in one of the stores within this many minutes (near-field claim). */
                                presenceWithinMin?: number;
                                /** @description Remind this long before expiry; absent: the cloud default. */
                                reminderLeadMin?: number;
                                storeIds: string[];
                                text: string;
                                /** @description IANA zone whose midnight resets the daily stock. */
                                timezone: string;
                                title: string;
                                /** @description Coupons that may ever be claimed; absent: no limit. */
                                totalStock?: number;
                                validity: {
                                    /**
                                     * Format: date-time
                                     * @description Valid from (ISO 8601).
                                     */
                                    from: string;
                                    /** @enum {string} */
                                    kind: "window";
                                    /**
                                     * Format: date-time
                                     * @description Valid until, exclusive (ISO 8601).
                                     */
                                    until: string;
                                } | {
                                    /**
                                     * Format: date-time
                                     * @description Last moment a coupon may be claimed.
                                     */
                                    claimUntil?: string;
                                    /** @description Valid for this many hours from claim. */
                                    hours: number;
                                    /** @enum {string} */
                                    kind: "from-claim";
                                };
                            };
                        };
                    };
                };
            };
        };
    };
    getCouponBatchesByBatchId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        batch: {
                            batchId: string;
                            /** Format: date-time */
                            createdAt: string;
                            spec: {
                                /** @description Channels that may issue coupons of this batch. */
                                channels: ("online" | "segment" | "till" | "points")[];
                                /** @description Per local day of `timezone`; absent: no limit. */
                                dailyStock?: number;
                                discount: {
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "percent";
                                    /** @description Cap on the discount. In the currency's minor unit (cents). */
                                    maxDiscountMinor?: number;
                                    /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                    percent: number;
                                } | {
                                    /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                    amountMinor: number;
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "amount";
                                    /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                } | {
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @description What the shopper sees. */
                                    item: string;
                                    /** @enum {string} */
                                    kind: "free-item";
                                    /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                    minSpendMinor?: number;
                                    /** @description The SKU given free: one unit of it in the basket is discounted. */
                                    sku: string;
                                } | {
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @description Absent: every line of the basket is eligible. */
                                    eligible?: {
                                        categories?: string[];
                                        skus?: string[];
                                    };
                                    /** @enum {string} */
                                    kind: "spend-save";
                                    /** @description Spend X save Y; the highest tier reached applies. */
                                    tiers: {
                                        /** @description this is saved. In the currency's minor unit (cents). */
                                        saveMinor: number;
                                        /** @description Eligible spend from which In the currency's minor unit (cents). */
                                        spendMinor: number;
                                    }[];
                                };
                                /** @description Default false. */
                                giftable?: boolean;
                                /** @description An unaccepted gift returns after this. Default 24. */
                                giftTimeoutHours?: number;
                                imageUrl?: string;
                                /** @description How often a coupon may pass to a friend. Default 1. */
                                maxGiftPasses?: number;
                                /** @description Coupons of this batch one member may get over its life, by claim or by accepting a gift (a coupon given away still counts for its giver). Default 1. */
                                perMemberLimit?: number;
                                /** @description Points a member spends for one coupon through the `points` channel; required with that channel, refused without it. */
                                pointsPrice?: number;
                                /** @description Claim only when seen in one of the stores within this many minutes (near-field claim). */
                                presenceWithinMin?: number;
                                /** @description Remind this long before expiry; absent: the cloud default. */
                                reminderLeadMin?: number;
                                storeIds: string[];
                                text: string;
                                /** @description IANA zone whose midnight resets the daily stock. */
                                timezone: string;
                                title: string;
                                /** @description Coupons that may ever be claimed; absent: no limit. */
                                totalStock?: number;
                                validity: {
                                    /**
                                     * Format: date-time
                                     * @description Valid from (ISO 8601).
                                     */
                                    from: string;
                                    /** @enum {string} */
                                    kind: "window";
                                    /**
                                     * Format: date-time
                                     * @description Valid until, exclusive (ISO 8601).
                                     */
                                    until: string;
                                } | {
                                    /**
                                     * Format: date-time
                                     * @description Last moment a coupon may be claimed.
                                     */
                                    claimUntil?: string;
                                    /** @description Valid for this many hours from claim. */
                                    hours: number;
                                    /** @enum {string} */
                                    kind: "from-claim";
                                };
                            };
                        };
                        claimed: number;
                        claimedToday: number;
                        /** @description The batch's gifts by their state now (a pending gift past its time counts as timed out). */
                        gifts: {
                            accepted: number;
                            declined: number;
                            /** @description Every gift offered of the batch's coupons. */
                            made: number;
                            pending: number;
                            timedOut: number;
                        };
                    };
                };
            };
        };
    };
    postCouponBatchesClaims: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The tag the link or QR carried (campaign, post, poster). */
                    channelTag?: string;
                    /** @description Where it was claimed; a till key names its own store. */
                    storeId?: string;
                    /** @description Default: the app key's own user. Required for till and admin keys. */
                    userId?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        coupon: {
                            /** @description `rule:<ruleId>` for a proximity rule's offer. */
                            batchId: string;
                            /** @enum {string} */
                            channel: "rule" | "online" | "segment" | "till" | "points";
                            channelTag: string | null;
                            code: string;
                            couponId: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            giftPasses: number;
                            /** Format: date-time */
                            issuedAt: string;
                            /** @enum {string} */
                            status: "issued" | "delivered" | "viewed" | "redeemed" | "expired" | "voided";
                            storeIds: string[];
                            terms: ({
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "percent";
                                /** @description Cap on the discount. In the currency's minor unit (cents). */
                                maxDiscountMinor?: number;
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                percent: number;
                            } | {
                                /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "amount";
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                            } | {
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @description What the shopper sees. */
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                                /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                /** @description The SKU given free: one unit of it in the basket is discounted. */
                                sku: string;
                            } | {
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "spend-save";
                                /** @description Spend X save Y; the highest tier reached applies. */
                                tiers: {
                                    /** @description this is saved. In the currency's minor unit (cents). */
                                    saveMinor: number;
                                    /** @description Eligible spend from which In the currency's minor unit (cents). */
                                    spendMinor: number;
                                }[];
                            }) | null;
                            text: string;
                            title: string;
                            /** Format: date-time */
                            validFrom: string;
                        };
                    };
                };
            };
        };
    };
    getCouponBatchesGifts: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page; omit for the newest page. */
                cursor?: string;
                /** @description Page size, default 50. */
                limit?: number;
                /** @description Only gifts in these states now, comma-separated: pending, accepted, declined, timed-out. */
                state?: string;
            };
            header?: never;
            path: {
                batchId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        gifts: {
                            couponId: string;
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When an unanswered gift times out.
                             */
                            expiresAt: string;
                            /** @description The giver; null when the giver does not consent to analytics. */
                            fromUserId: string | null;
                            giftId: string;
                            /** @description When the friend accepted or declined, or the gift timed out; null while pending. */
                            resolvedAt: string | null;
                            /**
                             * @description pending (waiting for the friend), accepted, declined, or timed-out (unanswered in time: the coupon stayed with its giver).
                             * @enum {string}
                             */
                            state: "pending" | "accepted" | "declined" | "timed-out";
                            /** @description The friend who answered; null while pending, when timed out, when the friend does not consent to analytics, or was erased. */
                            toUserId: string | null;
                        }[];
                        /** @description Null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    postCouponBatchesSends: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The members to send to. */
                    userIds: string[];
                } | {
                    /** @description Members of a segment or tier, optionally seen in some stores lately; at most 1 000 per send. */
                    audience: {
                        seenInStoreIds?: string[];
                        /** @description With seenInStoreIds; default 30. */
                        seenWithinDays?: number;
                        segment?: string;
                        tier?: string;
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            couponId: string | null;
                            refused: string | null;
                            userId: string;
                        }[];
                    };
                };
            };
        };
    };
    getEventsDecisions: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Decisions per page, newest first; default 100. */
                limit?: number;
            };
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        decisions: {
                            /** Format: date-time */
                            decidedAt: string;
                            eventId: string;
                            offerId: string | null;
                            /** @description issued, held-out or not-issued */
                            outcome: string;
                            /** @description eligible, held-out, or why not (rule-not-live, stale-event, visit-ended, scope-mismatch, …) */
                            reason: string;
                            ruleId: string;
                            ruleVersion: number;
                            /** @description For a phone's geofence entry: the plausibility verdict (flags, accuracy, distance, speed) and whether the store's gateways saw the user then. */
                            signals?: {
                                [key: string]: unknown;
                            };
                            storeId: string;
                            /** @description The reason in words, with the numbers that decided it. */
                            text: string;
                            userId: string | null;
                            visitId: string;
                            zoneId: string;
                        }[];
                        event: {
                            /** Format: date-time */
                            at: string;
                            decidedAt: string | null;
                            id: string;
                            status: string;
                            storeId: string;
                            type: string;
                            userId: string | null;
                            visitId: string;
                            zoneId: string;
                        };
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    getGateways: {
        parameters: {
            query?: {
                /** @description Only this store's gateways. Store-ops keys see only their own store, with or without it. */
                storeId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        gateways: {
                            advertising: {
                                error?: string;
                                format?: "ibeacon" | "eddystone-eid";
                                /** Format: date-time */
                                slotStart?: string;
                                state: "advertising" | "off" | "failed";
                            } | null;
                            calibration: {
                                learned?: {
                                    learnedAt: string | null;
                                    /** @description Labels that gave no sample since the gateway started (not heard, outliers). */
                                    refused: number;
                                    /** @description The offset learned and run with, dB; null while too few samples (the survey's or config's runs). */
                                    rssiOffsetDb: number | null;
                                    /** @description Till samples counted since the last survey. */
                                    samples: number;
                                    /** @description Recent weeks, oldest first. */
                                    weeks: {
                                        /** @description Median offset sample of the week, dB. */
                                        medianDb: number;
                                        samples: number;
                                        /**
                                         * Format: date-time
                                         * @description Start of the 7-day bin.
                                         */
                                        weekStart: string;
                                    }[];
                                };
                                learnedTraffic?: {
                                    /** @description The highest raw edge loss the pavement allows, dB (less the offset, the cap on this gateway's zones); null while too few tracks. */
                                    boundDb: number | null;
                                    /** @description Short tracks counted since the gateway started. */
                                    counted: number;
                                    /** @description Tracks counted per day, oldest first. */
                                    days: {
                                        /**
                                         * Format: date-time
                                         * @description Start of the day.
                                         */
                                        dayStart: string;
                                        tracks: number;
                                    }[];
                                    /** @description The strong tail of those tracks' closest approaches (extrapolated from their middle, or the learner's quantile), raw path loss, dB; null before any. */
                                    quantileDb: number | null;
                                    /** @description Short tracks the bound reads (its last days). */
                                    tracks: number;
                                };
                                learnedZones?: {
                                    /** @description The edge loss learned and run with, dB; null while too few labels (the survey's or the drawn radius's runs). */
                                    edgeLossDb: number | null;
                                    /** @description Inside labels counted since the last survey. */
                                    labels: number;
                                    learnedAt: string | null;
                                    /** @description Inside labels that gave no sample since the gateway started. */
                                    refused: number;
                                    /** @description Where the labels say the edge loss should be now, dB (it moves there a step a day); null while too few labels. */
                                    targetDb: number | null;
                                    /** @description Recent weeks, oldest first. */
                                    weeks: {
                                        labels: number;
                                        /** @description The raw path loss the week's labels put at the percentile, dB. */
                                        thresholdDb: number;
                                        /**
                                         * Format: date-time
                                         * @description Start of the 7-day bin.
                                         */
                                        weekStart: string;
                                    }[];
                                    /** @description The zone learned: the store's floor. */
                                    zoneId: string;
                                }[];
                                /** @description Added to every RSSI this radio reports, dB (config site.rssiOffsetDb). */
                                rssiOffsetDb: number;
                                /** @description Edge samples the offset was learned from; null when not surveyed. */
                                samples: number | null;
                                /** @description null: never surveyed with `arrival-gateway calibrate` (or its record is gone). */
                                surveyedAt: string | null;
                                /** @description This gateway's gateway-radius zones. */
                                zones: {
                                    /** @description Path loss at the zone's edge, dB: its enter threshold; null when the zone runs on its drawn radius. */
                                    edgeLossDb: number | null;
                                    /** @description The zone. */
                                    zoneId: string;
                                }[];
                            } | null;
                            config: {
                                desiredRevision: number | null;
                                problems: {
                                    message: string;
                                    path: string;
                                }[];
                                reportedRevision: number | null;
                                /** @description none: nothing pushed; pending: not yet reported; applied or rejected (with problems). */
                                state: "pending" | "applied" | "rejected" | "none";
                            };
                            id: string;
                            lan: {
                                clockOffsetMs: number | null;
                                peers: {
                                    clockOffsetMs: number | null;
                                    /** @description Heard within the last minute. */
                                    heardRecently: boolean;
                                    /** @description The peer's gateway id, as configured. */
                                    id: string;
                                    lastHeardAt: string | null;
                                    /** @description Its sightings dropped as late: its clock or the LAN lags. */
                                    lateDropped: number;
                                    /** @description Its authenticated datagrams refused as stale or replayed. */
                                    refused: number;
                                    /** @description Its sightings taken in since the gateway started. */
                                    sightingsReceived: number;
                                }[];
                                recovery: {
                                    /** @description Missing datagrams given up on: the gateways may have decided apart. */
                                    givenUp: number;
                                    /** @description Peers' datagrams found missing. */
                                    missed: number;
                                    /** @description Missing datagrams that arrived after all. */
                                    recovered: number;
                                    /** @description Requests sent to peers for missing datagrams. */
                                    requested: number;
                                    /** @description Datagrams sent again because a peer asked. */
                                    resent: number;
                                } | null;
                                /** @description Configured peers not heard for a minute: meanwhile this gateway decides its zones alone, without their evidence. */
                                silentPeers: string[];
                            } | null;
                            lastSeenAt: string | null;
                            lastTakeoverAt: string | null;
                            name: string;
                            offlineSinceAt: string | null;
                            /** @description Offline for longer than fleet.offlineAlertS. */
                            offlineTooLong: boolean;
                            scan: {
                                lastAdvertAt: string | null;
                                state: "scanning" | "interrupted";
                            } | null;
                            /** @description online: its status says so and it was heard within fleet.staleAfterS; degraded: the same, but its radio is interrupted (powered off, blocked, failing to restart: no presence from it); offline: its status (or last will) says so, or silence; unknown: never heard from. */
                            state: "online" | "degraded" | "offline" | "unknown";
                            storeId: string;
                            /** @description MQTT session takeovers of its client id since the cloud started (embedded broker): a new connection with the same id evicting a live one. More than a few: two processes run with one identity. */
                            takeovers: number;
                            telemetry: {
                                /** @description Adverts heard per second. */
                                advertsPerS: number;
                                /**
                                 * Format: date-time
                                 * @description When the sample was taken.
                                 */
                                at: string;
                                /** @description The gateway's clock against the cloud's; absent when it keeps its system clock (`time.source: system`). */
                                clock?: {
                                    /** @description What the gateway adds to its system clock wherever it stamps or decides, ms; 0: its clock agrees with the cloud's within the round trip (kept by NTP), or no reply yet. */
                                    correctionMs: number;
                                    /** @description The cloud's clock minus the gateway's system clock, ms, as the believed sample measured it; null: no reply yet. */
                                    offsetMs: number | null;
                                    /** @description Replies refused as absurd (a negative or too long round trip, an offset beyond belief). */
                                    refused: number;
                                    /** @description That sample's round trip, ms: the offset is right within half of it; null: no reply yet. */
                                    roundTripMs: number | null;
                                    /** @description Seconds since that sample when the telemetry was taken (it holds through an uplink outage); null: no reply yet. */
                                    sampleAgeS: number | null;
                                    /** @description Replies taken as samples since the gateway started. */
                                    samples: number;
                                    /**
                                     * @description The gateway sets its clock by the cloud's, over MQTT (`time` requests).
                                     * @enum {string}
                                     */
                                    source: "cloud";
                                    /** @description Requests the cloud did not answer in time. */
                                    unanswered: number;
                                };
                                /** @description Process CPU, percent of one core (so up to 100 per core). */
                                cpuPercent: number;
                                eventsSent: number;
                                /** @description The store LAN's live fusion, counted since the gateway started; absent without LAN peers. */
                                lan?: {
                                    /** @description What this gateway adds to its clock to read the time the store's gateways agree on, ms; 0: its own clock is it. */
                                    clockOffsetMs?: number;
                                    /** @description Sightings dropped as late, ahead or beyond the merge's bound: a peer's clock or the LAN lags. */
                                    lateDropped: number;
                                    /** @description Each configured LAN peer, in config order. */
                                    peers?: {
                                        /** @description The peer's clock minus this gateway's, ms, as its freshest datagrams tell (less the LAN's delay); null: not heard lately, or too far off to believe. */
                                        clockOffsetMs?: number | null;
                                        /** @description The peer's gatewayId, as configured. */
                                        id: string;
                                        /** @description Seconds since the peer's last authenticated datagram when the sample was taken; null: never heard. */
                                        lastHeardAgeS: number | null;
                                        lateDropped: number;
                                        /** @description Its authenticated datagrams refused as stale or replayed (a datagram failing authentication names no peer). */
                                        refused: number;
                                        sightingsReceived: number;
                                    }[];
                                    /** @description Lost datagrams asked for again within the lateness allowance. */
                                    recovery?: {
                                        /** @description Missing datagrams given up on: too old to merge by then, so the gateways may decide apart. */
                                        givenUp: number;
                                        /** @description Peers' datagrams found missing (a sequence number skipped). */
                                        missed: number;
                                        /** @description Missing datagrams that arrived after all (sent again, or reordered). */
                                        recovered: number;
                                        /** @description Requests this gateway sent its peers for missing datagrams (one may name several). */
                                        requested: number;
                                        /** @description Datagrams this gateway sent again because a peer asked. */
                                        resent: number;
                                    };
                                    /** @description Datagrams refused: unauthenticated, malformed, oversized, stale, replayed or from no peer. */
                                    refused: number;
                                    /** @description Peers' sightings taken in. */
                                    sightingsReceived: number;
                                };
                                outboxDepth: number;
                                outboxOldestAgeS: number;
                                reconnects: number;
                                rssBytes: number;
                                subjectsTracked: number;
                                /** @description Seconds since the gateway started. */
                                uptimeS: number;
                                /**
                                 * @description Message schema version.
                                 * @enum {number}
                                 */
                                v: 1;
                                version: string;
                            } | null;
                            update: {
                                /**
                                 * Format: date-time
                                 * @description When the update ended (the gateway's clock).
                                 */
                                at: string;
                                from: string | null;
                                /**
                                 * @description updated: switched and healthy; rolled-back: switched, not healthy in time, switched back; refused: not verified (or failed here before); failed: could not install.
                                 * @enum {string}
                                 */
                                outcome: "updated" | "unchanged" | "rolled-back" | "refused" | "failed";
                                reason: string | null;
                                to: string | null;
                            } | null;
                            version: string | null;
                        }[];
                    };
                };
            };
        };
    };
    getGatewaysByGatewayId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Gateway id. */
                gatewayId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        advertising: {
                            error?: string;
                            format?: "ibeacon" | "eddystone-eid";
                            /** Format: date-time */
                            slotStart?: string;
                            state: "advertising" | "off" | "failed";
                        } | null;
                        calibration: {
                            learned?: {
                                learnedAt: string | null;
                                /** @description Labels that gave no sample since the gateway started (not heard, outliers). */
                                refused: number;
                                /** @description The offset learned and run with, dB; null while too few samples (the survey's or config's runs). */
                                rssiOffsetDb: number | null;
                                /** @description Till samples counted since the last survey. */
                                samples: number;
                                /** @description Recent weeks, oldest first. */
                                weeks: {
                                    /** @description Median offset sample of the week, dB. */
                                    medianDb: number;
                                    samples: number;
                                    /**
                                     * Format: date-time
                                     * @description Start of the 7-day bin.
                                     */
                                    weekStart: string;
                                }[];
                            };
                            learnedTraffic?: {
                                /** @description The highest raw edge loss the pavement allows, dB (less the offset, the cap on this gateway's zones); null while too few tracks. */
                                boundDb: number | null;
                                /** @description Short tracks counted since the gateway started. */
                                counted: number;
                                /** @description Tracks counted per day, oldest first. */
                                days: {
                                    /**
                                     * Format: date-time
                                     * @description Start of the day.
                                     */
                                    dayStart: string;
                                    tracks: number;
                                }[];
                                /** @description The strong tail of those tracks' closest approaches (extrapolated from their middle, or the learner's quantile), raw path loss, dB; null before any. */
                                quantileDb: number | null;
                                /** @description Short tracks the bound reads (its last days). */
                                tracks: number;
                            };
                            learnedZones?: {
                                /** @description The edge loss learned and run with, dB; null while too few labels (the survey's or the drawn radius's runs). */
                                edgeLossDb: number | null;
                                /** @description Inside labels counted since the last survey. */
                                labels: number;
                                learnedAt: string | null;
                                /** @description Inside labels that gave no sample since the gateway started. */
                                refused: number;
                                /** @description Where the labels say the edge loss should be now, dB (it moves there a step a day); null while too few labels. */
                                targetDb: number | null;
                                /** @description Recent weeks, oldest first. */
                                weeks: {
                                    labels: number;
                                    /** @description The raw path loss the week's labels put at the percentile, dB. */
                                    thresholdDb: number;
                                    /**
                                     * Format: date-time
                                     * @description Start of the 7-day bin.
                                     */
                                    weekStart: string;
                                }[];
                                /** @description The zone learned: the store's floor. */
                                zoneId: string;
                            }[];
                            /** @description Added to every RSSI this radio reports, dB (config site.rssiOffsetDb). */
                            rssiOffsetDb: number;
                            /** @description Edge samples the offset was learned from; null when not surveyed. */
                            samples: number | null;
                            /** @description null: never surveyed with `arrival-gateway calibrate` (or its record is gone). */
                            surveyedAt: string | null;
                            /** @description This gateway's gateway-radius zones. */
                            zones: {
                                /** @description Path loss at the zone's edge, dB: its enter threshold; null when the zone runs on its drawn radius. */
                                edgeLossDb: number | null;
                                /** @description The zone. */
                                zoneId: string;
                            }[];
                        } | null;
                        config: {
                            desiredRevision: number | null;
                            problems: {
                                message: string;
                                path: string;
                            }[];
                            reportedRevision: number | null;
                            /** @description none: nothing pushed; pending: not yet reported; applied or rejected (with problems). */
                            state: "pending" | "applied" | "rejected" | "none";
                        };
                        id: string;
                        lan: {
                            clockOffsetMs: number | null;
                            peers: {
                                clockOffsetMs: number | null;
                                /** @description Heard within the last minute. */
                                heardRecently: boolean;
                                /** @description The peer's gateway id, as configured. */
                                id: string;
                                lastHeardAt: string | null;
                                /** @description Its sightings dropped as late: its clock or the LAN lags. */
                                lateDropped: number;
                                /** @description Its authenticated datagrams refused as stale or replayed. */
                                refused: number;
                                /** @description Its sightings taken in since the gateway started. */
                                sightingsReceived: number;
                            }[];
                            recovery: {
                                /** @description Missing datagrams given up on: the gateways may have decided apart. */
                                givenUp: number;
                                /** @description Peers' datagrams found missing. */
                                missed: number;
                                /** @description Missing datagrams that arrived after all. */
                                recovered: number;
                                /** @description Requests sent to peers for missing datagrams. */
                                requested: number;
                                /** @description Datagrams sent again because a peer asked. */
                                resent: number;
                            } | null;
                            /** @description Configured peers not heard for a minute: meanwhile this gateway decides its zones alone, without their evidence. */
                            silentPeers: string[];
                        } | null;
                        lastSeenAt: string | null;
                        lastTakeoverAt: string | null;
                        name: string;
                        offlineSinceAt: string | null;
                        /** @description Offline for longer than fleet.offlineAlertS. */
                        offlineTooLong: boolean;
                        scan: {
                            lastAdvertAt: string | null;
                            state: "scanning" | "interrupted";
                        } | null;
                        /** @description online: its status says so and it was heard within fleet.staleAfterS; degraded: the same, but its radio is interrupted (powered off, blocked, failing to restart: no presence from it); offline: its status (or last will) says so, or silence; unknown: never heard from. */
                        state: "online" | "degraded" | "offline" | "unknown";
                        storeId: string;
                        /** @description MQTT session takeovers of its client id since the cloud started (embedded broker): a new connection with the same id evicting a live one. More than a few: two processes run with one identity. */
                        takeovers: number;
                        telemetry: {
                            /** @description Adverts heard per second. */
                            advertsPerS: number;
                            /**
                             * Format: date-time
                             * @description When the sample was taken.
                             */
                            at: string;
                            /** @description The gateway's clock against the cloud's; absent when it keeps its system clock (`time.source: system`). */
                            clock?: {
                                /** @description What the gateway adds to its system clock wherever it stamps or decides, ms; 0: its clock agrees with the cloud's within the round trip (kept by NTP), or no reply yet. */
                                correctionMs: number;
                                /** @description The cloud's clock minus the gateway's system clock, ms, as the believed sample measured it; null: no reply yet. */
                                offsetMs: number | null;
                                /** @description Replies refused as absurd (a negative or too long round trip, an offset beyond belief). */
                                refused: number;
                                /** @description That sample's round trip, ms: the offset is right within half of it; null: no reply yet. */
                                roundTripMs: number | null;
                                /** @description Seconds since that sample when the telemetry was taken (it holds through an uplink outage); null: no reply yet. */
                                sampleAgeS: number | null;
                                /** @description Replies taken as samples since the gateway started. */
                                samples: number;
                                /**
                                 * @description The gateway sets its clock by the cloud's, over MQTT (`time` requests).
                                 * @enum {string}
                                 */
                                source: "cloud";
                                /** @description Requests the cloud did not answer in time. */
                                unanswered: number;
                            };
                            /** @description Process CPU, percent of one core (so up to 100 per core). */
                            cpuPercent: number;
                            eventsSent: number;
                            /** @description The store LAN's live fusion, counted since the gateway started; absent without LAN peers. */
                            lan?: {
                                /** @description What this gateway adds to its clock to read the time the store's gateways agree on, ms; 0: its own clock is it. */
                                clockOffsetMs?: number;
                                /** @description Sightings dropped as late, ahead or beyond the merge's bound: a peer's clock or the LAN lags. */
                                lateDropped: number;
                                /** @description Each configured LAN peer, in config order. */
                                peers?: {
                                    /** @description The peer's clock minus this gateway's, ms, as its freshest datagrams tell (less the LAN's delay); null: not heard lately, or too far off to believe. */
                                    clockOffsetMs?: number | null;
                                    /** @description The peer's gatewayId, as configured. */
                                    id: string;
                                    /** @description Seconds since the peer's last authenticated datagram when the sample was taken; null: never heard. */
                                    lastHeardAgeS: number | null;
                                    lateDropped: number;
                                    /** @description Its authenticated datagrams refused as stale or replayed (a datagram failing authentication names no peer). */
                                    refused: number;
                                    sightingsReceived: number;
                                }[];
                                /** @description Lost datagrams asked for again within the lateness allowance. */
                                recovery?: {
                                    /** @description Missing datagrams given up on: too old to merge by then, so the gateways may decide apart. */
                                    givenUp: number;
                                    /** @description Peers' datagrams found missing (a sequence number skipped). */
                                    missed: number;
                                    /** @description Missing datagrams that arrived after all (sent again, or reordered). */
                                    recovered: number;
                                    /** @description Requests this gateway sent its peers for missing datagrams (one may name several). */
                                    requested: number;
                                    /** @description Datagrams this gateway sent again because a peer asked. */
                                    resent: number;
                                };
                                /** @description Datagrams refused: unauthenticated, malformed, oversized, stale, replayed or from no peer. */
                                refused: number;
                                /** @description Peers' sightings taken in. */
                                sightingsReceived: number;
                            };
                            outboxDepth: number;
                            outboxOldestAgeS: number;
                            reconnects: number;
                            rssBytes: number;
                            subjectsTracked: number;
                            /** @description Seconds since the gateway started. */
                            uptimeS: number;
                            /**
                             * @description Message schema version.
                             * @enum {number}
                             */
                            v: 1;
                            version: string;
                        } | null;
                        update: {
                            /**
                             * Format: date-time
                             * @description When the update ended (the gateway's clock).
                             */
                            at: string;
                            from: string | null;
                            /**
                             * @description updated: switched and healthy; rolled-back: switched, not healthy in time, switched back; refused: not verified (or failed here before); failed: could not install.
                             * @enum {string}
                             */
                            outcome: "updated" | "unchanged" | "rolled-back" | "refused" | "failed";
                            reason: string | null;
                            to: string | null;
                        } | null;
                        version: string | null;
                    };
                };
            };
        };
    };
    postGatewaysConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Gateway id. */
                gatewayId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default {} */
                    beacons?: {
                        /**
                         * @description When not empty, only beacons matching an entry are tracked.
                         * @default []
                         */
                        allow?: {
                            /** @description A subject id (ibeacon:<uuid>:<major>:<minor>, eddystone-uid:<namespace>:<instance>, …) or a prefix of one ending in * (ibeacon:<uuid>:7:* for every badge of major 7). Case does not matter. */
                            match: string;
                            /** @description For people reading the list. */
                            note?: string;
                            /**
                             * @description What the beacon is: a staff badge, a fixed beacon (till, shelf), or something else.
                             * @enum {string}
                             */
                            role?: "staff" | "fixture" | "other";
                        }[];
                        /**
                         * @description Per-beacon power at 1 m, for beacons whose advertised value is wrong.
                         * @default []
                         */
                        calibration?: {
                            /** @description Its power at 1 m as measured on site, dBm; overrides what the beacon advertises. */
                            measuredPowerDbm: number;
                            /** @description The beacon's subject id. */
                            subject: string;
                        }[];
                        /**
                         * @description Beacons never tracked, even if allowed: staff badges, fixed beacons near the till. They never enter a zone.
                         * @default []
                         */
                        deny?: {
                            /** @description A subject id (ibeacon:<uuid>:<major>:<minor>, eddystone-uid:<namespace>:<instance>, …) or a prefix of one ending in * (ibeacon:<uuid>:7:* for every badge of major 7). Case does not matter. */
                            match: string;
                            /** @description For people reading the list. */
                            note?: string;
                            /**
                             * @description What the beacon is: a staff badge, a fixed beacon (till, shelf), or something else.
                             * @enum {string}
                             */
                            role?: "staff" | "fixture" | "other";
                        }[];
                    };
                    presence?: {
                        /** @description Dwell events at these times. */
                        dwellMarksMs?: number[];
                        /** @description In-zone samples needed to enter. */
                        enterMinSamples?: number;
                        /** @description In a zone that pools the store's gateways, an enter on the k-of-n rule must lie deep enough inside the edge or have held long enough: someone who stops at the window for a few seconds, heard just inside the edge, does not enter. */
                        enterPooledDepth?: {
                            /** @description Enter at once only when the counted seconds lie this far inside the edge on average, dB. */
                            depthDb: number;
                            /** @description Otherwise enter once the evidence has held this long without a gap of enterWindowMs, ms. A hold within the k-of-n rule's own seconds leaves the rule without effect. */
                            holdMs: number;
                        };
                        /** @description Enter test ranks one value per second, not every advert: same strictness at any advertising rate. */
                        enterRankPerSecond?: boolean;
                        /** @description Also enter on accumulated evidence (a CUSUM over each second's distance to the enter threshold, floored at 0), so a shopper who stays just beyond the threshold enters eventually. */
                        enterSequential?: {
                            /** @description Most one second can add or take away, dB. */
                            capDb: number;
                            /** @description A second this far (dB) beyond the enter threshold counts neither way; nearer counts for inside. */
                            offsetDb: number;
                            /** @description Enter once the accumulated evidence reaches this, dB·s. */
                            thresholdDb: number;
                        };
                        /** @description Window those samples must fall in. */
                        enterWindowMs?: number;
                        /** @description Out of zone (or unheard) this long = exit. */
                        exitAfterMs?: number;
                        /** @description Hysteresis: leave only beyond radius + margin. */
                        exitMarginM?: number;
                        /** @description Log-distance exponent n; 2 is free space. */
                        pathLossExponent?: number;
                    };
                    /** @description The software the gateway should run. It downloads it, then its updater verifies the signature, installs it beside the running release, switches and rolls back by itself when unhealthy. */
                    software?: {
                        /** @description The release to run, VERSION-HASH (install-release.sh's name). */
                        release: string;
                        /** @description The tarball's SHA-256, checked after download. */
                        sha256: string;
                        /** @description Where the tarball is; its .sha256 and .sig are at the same URL with those suffixes. */
                        url: string;
                    };
                    zones?: ({
                        /** @description Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM. */
                        edgeLossDb?: number;
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Gateway at the centre of the circle. */
                        gatewayId: string;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        /** @description Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry. */
                        peerEdges?: {
                            /** @description Path loss that gateway measured along this zone's edge during the site survey, dB. */
                            edgeLossDb: number;
                            /** @description Another gateway of the store that pools its evidence into this zone. */
                            gatewayId: string;
                        }[];
                        /** @description Radius, metres. */
                        radiusM: number;
                        /** @enum {string} */
                        shape: "gateway-radius";
                    } | {
                        center: {
                            lat: number;
                            lon: number;
                        };
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        radiusM: number;
                        /** @enum {string} */
                        shape: "circle";
                    } | {
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        points: {
                            lat: number;
                            lon: number;
                        }[];
                        /** @enum {string} */
                        shape: "polygon";
                    })[];
                    /** @description Tags that rules select zones by, per zone id of `zones`; a zone not named keeps the tags it had in the store. */
                    zoneTags?: {
                        [key: string]: string[];
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        revision: number;
                    };
                };
            };
        };
    };
    postGatewaysCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gatewayId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description A new MQTT credential. Issuing again replaces the earlier password. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Connect with exactly this client id. */
                        clientId: string;
                        /** @description Shown once; store it where the client reads it. */
                        password: string;
                        username: string;
                    };
                };
            };
        };
    };
    deleteGatewaysCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gatewayId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description false when there was no active credential */
                        revoked: boolean;
                        username: string;
                    };
                };
            };
        };
    };
    getGatewaysTelemetry: {
        parameters: {
            query?: {
                /** @description Samples received at or after this time. */
                from?: string;
                /** @description The most recent samples of the range, oldest first. */
                limit?: number;
                /** @description Samples received at or before this time. */
                to?: string;
            };
            header?: never;
            path: {
                /** @description Gateway id. */
                gatewayId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        samples: {
                            /** @description Adverts heard per second. */
                            advertsPerS: number;
                            /**
                             * Format: date-time
                             * @description When the sample was taken.
                             */
                            at: string;
                            /** @description The gateway's clock against the cloud's; absent when it keeps its system clock (`time.source: system`). */
                            clock?: {
                                /** @description What the gateway adds to its system clock wherever it stamps or decides, ms; 0: its clock agrees with the cloud's within the round trip (kept by NTP), or no reply yet. */
                                correctionMs: number;
                                /** @description The cloud's clock minus the gateway's system clock, ms, as the believed sample measured it; null: no reply yet. */
                                offsetMs: number | null;
                                /** @description Replies refused as absurd (a negative or too long round trip, an offset beyond belief). */
                                refused: number;
                                /** @description That sample's round trip, ms: the offset is right within half of it; null: no reply yet. */
                                roundTripMs: number | null;
                                /** @description Seconds since that sample when the telemetry was taken (it holds through an uplink outage); null: no reply yet. */
                                sampleAgeS: number | null;
                                /** @description Replies taken as samples since the gateway started. */
                                samples: number;
                                /**
                                 * @description The gateway sets its clock by the cloud's, over MQTT (`time` requests).
                                 * @enum {string}
                                 */
                                source: "cloud";
                                /** @description Requests the cloud did not answer in time. */
                                unanswered: number;
                            };
                            /** @description Process CPU, percent of one core (so up to 100 per core). */
                            cpuPercent: number;
                            eventsSent: number;
                            /** @description The store LAN's live fusion, counted since the gateway started; absent without LAN peers. */
                            lan?: {
                                /** @description What this gateway adds to its clock to read the time the store's gateways agree on, ms; 0: its own clock is it. */
                                clockOffsetMs?: number;
                                /** @description Sightings dropped as late, ahead or beyond the merge's bound: a peer's clock or the LAN lags. */
                                lateDropped: number;
                                /** @description Each configured LAN peer, in config order. */
                                peers?: {
                                    /** @description The peer's clock minus this gateway's, ms, as its freshest datagrams tell (less the LAN's delay); null: not heard lately, or too far off to believe. */
                                    clockOffsetMs?: number | null;
                                    /** @description The peer's gatewayId, as configured. */
                                    id: string;
                                    /** @description Seconds since the peer's last authenticated datagram when the sample was taken; null: never heard. */
                                    lastHeardAgeS: number | null;
                                    lateDropped: number;
                                    /** @description Its authenticated datagrams refused as stale or replayed (a datagram failing authentication names no peer). */
                                    refused: number;
                                    sightingsReceived: number;
                                }[];
                                /** @description Lost datagrams asked for again within the lateness allowance. */
                                recovery?: {
                                    /** @description Missing datagrams given up on: too old to merge by then, so the gateways may decide apart. */
                                    givenUp: number;
                                    /** @description Peers' datagrams found missing (a sequence number skipped). */
                                    missed: number;
                                    /** @description Missing datagrams that arrived after all (sent again, or reordered). */
                                    recovered: number;
                                    /** @description Requests this gateway sent its peers for missing datagrams (one may name several). */
                                    requested: number;
                                    /** @description Datagrams this gateway sent again because a peer asked. */
                                    resent: number;
                                };
                                /** @description Datagrams refused: unauthenticated, malformed, oversized, stale, replayed or from no peer. */
                                refused: number;
                                /** @description Peers' sightings taken in. */
                                sightingsReceived: number;
                            };
                            outboxDepth: number;
                            outboxOldestAgeS: number;
                            reconnects: number;
                            rssBytes: number;
                            subjectsTracked: number;
                            /** @description Seconds since the gateway started. */
                            uptimeS: number;
                            /**
                             * @description Message schema version.
                             * @enum {number}
                             */
                            v: 1;
                            version: string;
                        }[];
                    };
                };
            };
        };
    };
    postGiftsAccept: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        coupon: {
                            /** @description `rule:<ruleId>` for a proximity rule's offer. */
                            batchId: string;
                            /** @enum {string} */
                            channel: "rule" | "online" | "segment" | "till" | "points";
                            channelTag: string | null;
                            code: string;
                            couponId: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            giftPasses: number;
                            /** Format: date-time */
                            issuedAt: string;
                            /** @enum {string} */
                            status: "issued" | "delivered" | "viewed" | "redeemed" | "expired" | "voided";
                            storeIds: string[];
                            terms: ({
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "percent";
                                /** @description Cap on the discount. In the currency's minor unit (cents). */
                                maxDiscountMinor?: number;
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                percent: number;
                            } | {
                                /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "amount";
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                            } | {
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @description What the shopper sees. */
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                                /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                /** @description The SKU given free: one unit of it in the basket is discounted. */
                                sku: string;
                            } | {
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "spend-save";
                                /** @description Spend X save Y; the highest tier reached applies. */
                                tiers: {
                                    /** @description this is saved. In the currency's minor unit (cents). */
                                    saveMinor: number;
                                    /** @description Eligible spend from which In the currency's minor unit (cents). */
                                    spendMinor: number;
                                }[];
                            }) | null;
                            text: string;
                            title: string;
                            /** Format: date-time */
                            validFrom: string;
                        };
                        gift: {
                            couponId: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            giftId: string;
                            /**
                             * @description pending (waiting for the friend), accepted, declined, or timed-out (unanswered in time: the coupon stayed with its giver).
                             * @enum {string}
                             */
                            state: "pending" | "accepted" | "declined" | "timed-out";
                        };
                    };
                };
            };
        };
    };
    postGiftsDecline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        gift: {
                            couponId: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            giftId: string;
                            /**
                             * @description pending (waiting for the friend), accepted, declined, or timed-out (unanswered in time: the coupon stayed with its giver).
                             * @enum {string}
                             */
                            state: "pending" | "accepted" | "declined" | "timed-out";
                        };
                    };
                };
            };
        };
    };
    getLive: {
        parameters: {
            query?: {
                /** @description One store only; a store-bound key sees its own store. */
                storeId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        at: string;
                        stores: {
                            /** @description Enters per minute for the last 30 minutes, oldest first. */
                            arrivalsPerMinute: {
                                count: number;
                                /** Format: date-time */
                                minute: string;
                            }[];
                            issuedCount: number;
                            /** @description Recent offers, newest first. */
                            offers: {
                                /** Format: date-time */
                                issuedAt: string;
                                offerId: string;
                                redeemedAt: string | null;
                                ruleId: string;
                                storeId: string;
                                title: string;
                                /** @description Null when the shopper gave no analytics consent. */
                                userId: string | null;
                                zoneId: string;
                            }[];
                            redeemedCount: number;
                            storeId: string;
                            zones: {
                                /** @description Enters into this zone in the last 30 minutes. */
                                arrivals: number;
                                /** @description Shoppers present whom storage keeps linked. */
                                present: {
                                    /** Format: date-time */
                                    lastSeenAt: string;
                                    /** Format: date-time */
                                    since: string;
                                    /** @description A beacon identity or a pseudonymous rotating-MAC hash. */
                                    subjectId: string;
                                    userId: string | null;
                                }[];
                                /** @description More shoppers present without analytics consent: a head-count only. */
                                unlinked: number;
                                zoneId: string;
                            }[];
                        }[];
                    };
                };
            };
        };
    };
    getLiveStream: {
        parameters: {
            query?: {
                /** @description One store only; a store-bound key sees its own store. */
                storeId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description The stream; each `snapshot` event's data is the body of GET /v1/live. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
        };
    };
    getLoyaltyProgram: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        program: {
                            /** @description ISO 4217; purchases in another currency earn nothing. */
                            currency: string;
                            earnRules: {
                                /** @description Only basket lines of these categories count. Default: every line. */
                                categories?: string[];
                                /** @description Default: every channel. */
                                channels?: ("till" | "online")[];
                                /** @description Stable id of the rule, for reports. */
                                id: string;
                                /** @description Amount in minor units (cents) that earns `points`; e.g. 100 = one point per dollar. */
                                perAmountMinor: number;
                                /** @description Points for each full `perAmountMinor` spent. */
                                points: number;
                                /** @description Default: every store. */
                                storeIds?: string[];
                            }[];
                            memberDays: {
                                /** @description Stable id of the member day. */
                                id: string;
                                /** @description Points are multiplied by this on the day (the highest applying member day counts, they do not stack). */
                                multiplier: number;
                                /** @description Default: every store. */
                                storeIds?: string[];
                                when: {
                                    /** @enum {string} */
                                    kind: "weekday";
                                    /**
                                     * @description Every such day, e.g. `wed`.
                                     * @enum {string}
                                     */
                                    weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
                                } | {
                                    /** @description e.g. 8: the 8th of each month (months without it have none). */
                                    day: number;
                                    /** @enum {string} */
                                    kind: "day-of-month";
                                } | {
                                    /** @enum {string} */
                                    kind: "last-weekday-of-month";
                                    /**
                                     * @description e.g. `fri`: the last Friday of each month.
                                     * @enum {string}
                                     */
                                    weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
                                } | {
                                    /** @enum {string} */
                                    kind: "birthday-month";
                                };
                            }[];
                            /** @description Points as a discount at the till; absent or null: not taken. */
                            pointsRedemption?: {
                                /** @description Minor units in one currency unit. Default 100 (HKD, USD); 1 for JPY. */
                                currencyUnitMinor?: number;
                                /** @description Members may pay part of a purchase with points. */
                                enabled: boolean;
                                /** @description Largest share of the basket total points may pay, e.g. 0.5 (half); a larger spend is reduced to it. */
                                maxShareOfBasket: number;
                                /** @description Fewest points spent at once (0: any). */
                                minPoints: number;
                                /** @description Points that pay one currency unit (`currencyUnitMinor` minor units); e.g. 100: 100 points = HKD 1. */
                                pointsPerCurrencyUnit: number;
                            } | null;
                            /** @description How long earned points live, days; null: they never expire. */
                            pointsValidityDays: number | null;
                            /** @description Lowest first; a member holds the highest tier whose every threshold they meet within the window. */
                            tiers: {
                                /** @description Points earned within the window that qualify. */
                                minPoints?: number;
                                /** @description Spend within the window that qualifies, minor units. */
                                minSpendMinor?: number;
                                /** @description What rule conditions read as the user's `loyaltyTier`. */
                                name: string;
                            }[];
                            /** @description The rolling window tiers are computed over, days (e.g. 365). */
                            tierWindowDays: number;
                            /** @description Members may give points to another member of the organisation. */
                            transfersAllowed: boolean;
                            /** @description Points per store visit; null: visits earn nothing. */
                            visit: {
                                /** @description Visits that earn per member, store and local day. */
                                maxPerDay: number;
                                /** @description Points per believed store visit. */
                                points: number;
                            } | null;
                        };
                        /** @description 1 for the first programme written; 0: none written yet (the empty programme). */
                        version: number;
                    };
                };
            };
        };
    };
    putLoyaltyProgram: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description ISO 4217; purchases in another currency earn nothing. */
                    currency: string;
                    earnRules: {
                        /** @description Only basket lines of these categories count. Default: every line. */
                        categories?: string[];
                        /** @description Default: every channel. */
                        channels?: ("till" | "online")[];
                        /** @description Stable id of the rule, for reports. */
                        id: string;
                        /** @description Amount in minor units (cents) that earns `points`; e.g. 100 = one point per dollar. */
                        perAmountMinor: number;
                        /** @description Points for each full `perAmountMinor` spent. */
                        points: number;
                        /** @description Default: every store. */
                        storeIds?: string[];
                    }[];
                    memberDays: {
                        /** @description Stable id of the member day. */
                        id: string;
                        /** @description Points are multiplied by this on the day (the highest applying member day counts, they do not stack). */
                        multiplier: number;
                        /** @description Default: every store. */
                        storeIds?: string[];
                        when: {
                            /** @enum {string} */
                            kind: "weekday";
                            /**
                             * @description Every such day, e.g. `wed`.
                             * @enum {string}
                             */
                            weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
                        } | {
                            /** @description e.g. 8: the 8th of each month (months without it have none). */
                            day: number;
                            /** @enum {string} */
                            kind: "day-of-month";
                        } | {
                            /** @enum {string} */
                            kind: "last-weekday-of-month";
                            /**
                             * @description e.g. `fri`: the last Friday of each month.
                             * @enum {string}
                             */
                            weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
                        } | {
                            /** @enum {string} */
                            kind: "birthday-month";
                        };
                    }[];
                    /** @description Points as a discount at the till; absent or null: not taken. */
                    pointsRedemption?: {
                        /** @description Minor units in one currency unit. Default 100 (HKD, USD); 1 for JPY. */
                        currencyUnitMinor?: number;
                        /** @description Members may pay part of a purchase with points. */
                        enabled: boolean;
                        /** @description Largest share of the basket total points may pay, e.g. 0.5 (half); a larger spend is reduced to it. */
                        maxShareOfBasket: number;
                        /** @description Fewest points spent at once (0: any). */
                        minPoints: number;
                        /** @description Points that pay one currency unit (`currencyUnitMinor` minor units); e.g. 100: 100 points = HKD 1. */
                        pointsPerCurrencyUnit: number;
                    } | null;
                    /** @description How long earned points live, days; null: they never expire. */
                    pointsValidityDays: number | null;
                    /** @description Lowest first; a member holds the highest tier whose every threshold they meet within the window. */
                    tiers: {
                        /** @description Points earned within the window that qualify. */
                        minPoints?: number;
                        /** @description Spend within the window that qualifies, minor units. */
                        minSpendMinor?: number;
                        /** @description What rule conditions read as the user's `loyaltyTier`. */
                        name: string;
                    }[];
                    /** @description The rolling window tiers are computed over, days (e.g. 365). */
                    tierWindowDays: number;
                    /** @description Members may give points to another member of the organisation. */
                    transfersAllowed: boolean;
                    /** @description Points per store visit; null: visits earn nothing. */
                    visit: {
                        /** @description Visits that earn per member, store and local day. */
                        maxPerDay: number;
                        /** @description Points per believed store visit. */
                        points: number;
                    } | null;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        program: {
                            /** @description ISO 4217; purchases in another currency earn nothing. */
                            currency: string;
                            earnRules: {
                                /** @description Only basket lines of these categories count. Default: every line. */
                                categories?: string[];
                                /** @description Default: every channel. */
                                channels?: ("till" | "online")[];
                                /** @description Stable id of the rule, for reports. */
                                id: string;
                                /** @description Amount in minor units (cents) that earns `points`; e.g. 100 = one point per dollar. */
                                perAmountMinor: number;
                                /** @description Points for each full `perAmountMinor` spent. */
                                points: number;
                                /** @description Default: every store. */
                                storeIds?: string[];
                            }[];
                            memberDays: {
                                /** @description Stable id of the member day. */
                                id: string;
                                /** @description Points are multiplied by this on the day (the highest applying member day counts, they do not stack). */
                                multiplier: number;
                                /** @description Default: every store. */
                                storeIds?: string[];
                                when: {
                                    /** @enum {string} */
                                    kind: "weekday";
                                    /**
                                     * @description Every such day, e.g. `wed`.
                                     * @enum {string}
                                     */
                                    weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
                                } | {
                                    /** @description e.g. 8: the 8th of each month (months without it have none). */
                                    day: number;
                                    /** @enum {string} */
                                    kind: "day-of-month";
                                } | {
                                    /** @enum {string} */
                                    kind: "last-weekday-of-month";
                                    /**
                                     * @description e.g. `fri`: the last Friday of each month.
                                     * @enum {string}
                                     */
                                    weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
                                } | {
                                    /** @enum {string} */
                                    kind: "birthday-month";
                                };
                            }[];
                            /** @description Points as a discount at the till; absent or null: not taken. */
                            pointsRedemption?: {
                                /** @description Minor units in one currency unit. Default 100 (HKD, USD); 1 for JPY. */
                                currencyUnitMinor?: number;
                                /** @description Members may pay part of a purchase with points. */
                                enabled: boolean;
                                /** @description Largest share of the basket total points may pay, e.g. 0.5 (half); a larger spend is reduced to it. */
                                maxShareOfBasket: number;
                                /** @description Fewest points spent at once (0: any). */
                                minPoints: number;
                                /** @description Points that pay one currency unit (`currencyUnitMinor` minor units); e.g. 100: 100 points = HKD 1. */
                                pointsPerCurrencyUnit: number;
                            } | null;
                            /** @description How long earned points live, days; null: they never expire. */
                            pointsValidityDays: number | null;
                            /** @description Lowest first; a member holds the highest tier whose every threshold they meet within the window. */
                            tiers: {
                                /** @description Points earned within the window that qualify. */
                                minPoints?: number;
                                /** @description Spend within the window that qualifies, minor units. */
                                minSpendMinor?: number;
                                /** @description What rule conditions read as the user's `loyaltyTier`. */
                                name: string;
                            }[];
                            /** @description The rolling window tiers are computed over, days (e.g. 365). */
                            tierWindowDays: number;
                            /** @description Members may give points to another member of the organisation. */
                            transfersAllowed: boolean;
                            /** @description Points per store visit; null: visits earn nothing. */
                            visit: {
                                /** @description Visits that earn per member, store and local day. */
                                maxPerDay: number;
                                /** @description Points per believed store visit. */
                                points: number;
                            } | null;
                        };
                        /** @description 1 for the first programme written; 0: none written yet (the empty programme). */
                        version: number;
                    };
                };
            };
        };
    };
    getMembersExport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description One member per line: id, orgId, displayName, segments, loyaltyTier, marketingConsent, analyticsConsent, birthMonth. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
        };
    };
    postMembersImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created: number;
                        /** @description The refused rows' problems, the first 1000. */
                        problems: {
                            /** @description JSON pointer of the field (`/birthMonth`), or empty for the whole row. */
                            field: string;
                            line: number;
                            message: string;
                        }[];
                        /** @description More problems were found than listed. */
                        problemsTruncated: boolean;
                        rejected: number;
                        /** @description Data lines read (blank lines and a CSV header not counted). */
                        rows: number;
                        /** @description Rows equal to what was stored: nothing written. */
                        unchanged: number;
                        updated: number;
                    };
                };
            };
        };
    };
    getMembersLedgerExport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description One ledger entry per line: seq, id, memberId, kind, source, points, at, idempotencyKey, reference, reason, expiresAt, reverses. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
        };
    };
    getOperatorOrganisations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Epoch ms. */
                        createdAt: number;
                        id: string;
                        name: string;
                        /** @description Epoch ms; null while active. */
                        suspendedAt: number | null;
                    }[];
                };
            };
        };
    };
    postOperatorOrganisations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The organisation's id; unique in this cloud. */
                    id: string;
                    /** @description Offers per user per day across its rules; default 3. */
                    maxOffersPerUserPerDay?: number;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The first admin of the organisation; it issues every other key. */
                        adminKey: {
                            id: string;
                            /** @description Shown once: the organisation's first admin key. */
                            key: string;
                        };
                        organisation: {
                            /** @description Epoch ms. */
                            createdAt: number;
                            id: string;
                            name: string;
                            /** @description Epoch ms; null while active. */
                            suspendedAt: number | null;
                        };
                    };
                };
            };
        };
    };
    postOperatorOrganisationsReinstate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Epoch ms. */
                        createdAt: number;
                        id: string;
                        name: string;
                        /** @description Epoch ms; null while active. */
                        suspendedAt: number | null;
                    };
                };
            };
        };
    };
    postOperatorOrganisationsSuspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Epoch ms. */
                        createdAt: number;
                        id: string;
                        name: string;
                        /** @description Epoch ms; null while active. */
                        suspendedAt: number | null;
                    };
                };
            };
        };
    };
    getPickups: {
        parameters: {
            query?: {
                /** @description At most this many; default 100. */
                limit?: number;
                /** @description Only orders in these states, comma-separated: awaiting, arrived, collected. */
                state?: string;
                /** @description One store; a till key may name only its own. */
                storeId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pickups: {
                            arrivedAt: string | null;
                            /** @description Single-use; shown by the customer at the counter. */
                            code: string;
                            collectedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            orderId: string;
                            pickupId: string;
                            /** @description awaiting, arrived or collected. */
                            state: string;
                            storeId: string;
                        }[];
                    };
                };
            };
        };
    };
    postPickups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The online shop's order id; unique per store. */
                    orderId: string;
                    /** @description Where the customer collects it. */
                    storeId: string;
                    /** @description The customer (a member), whose arrival the store is told. */
                    userId: string;
                    /** @description How long the code is accepted. Default 72. */
                    validHours?: number;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pickup: {
                            arrivedAt: string | null;
                            /** @description Single-use; shown by the customer at the counter. */
                            code: string;
                            collectedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            orderId: string;
                            pickupId: string;
                            /** @description awaiting, arrived or collected. */
                            state: string;
                            storeId: string;
                        };
                    };
                };
            };
        };
    };
    getPickupsByPickupId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pickupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pickup: {
                            arrivedAt: string | null;
                            /** @description Single-use; shown by the customer at the counter. */
                            code: string;
                            collectedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            orderId: string;
                            pickupId: string;
                            /** @description awaiting, arrived or collected. */
                            state: string;
                            storeId: string;
                        };
                    };
                };
            };
        };
    };
    postPickupsCollect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The pick-up code as typed, or its QR payload. */
                    code: string;
                    /** @description Required for admin keys; a till key is bound to its store. */
                    storeId?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pickup: {
                            arrivedAt: string | null;
                            /** @description Single-use; shown by the customer at the counter. */
                            code: string;
                            collectedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            orderId: string;
                            pickupId: string;
                            /** @description awaiting, arrived or collected. */
                            state: string;
                            storeId: string;
                        };
                    };
                };
            };
        };
    };
    postPurchases: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Default `till`.
                     * @enum {string}
                     */
                    channel?: "till" | "online";
                    currency: string;
                    lines: {
                        /** @description What category earn rules match on. */
                        category?: string;
                        quantity: number;
                        sku: string;
                        /** @description Minor units (cents). */
                        unitPriceMinor: number;
                    }[];
                    /** @description The dynamic member code the app shows (or its QR payload `arrival:member:v1:<code>`). */
                    memberCode?: string;
                    /** @description Instead of a member code (e.g. a phone number lookup at the till). */
                    memberId?: string;
                    /** @description Unique per store: a repeat is answered, not earned again. */
                    orderId: string;
                    /** @description Points the member pays part of the basket with, where the programme's `pointsRedemption` allows it: reduced to the basket share it allows; spent from the soonest-expiring lots with the purchase in one write, or refused (`409 INSUFFICIENT_POINTS`) and nothing recorded. The answer's `payableMinor` is what the till takes. */
                    pointsToSpend?: number;
                    /** @description Required for admin keys; a till key is bound to its store. */
                    storeId?: string;
                    /** @description Must equal the sum of quantity × unitPriceMinor over the lines. */
                    totalMinor: number;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The member's balance after the purchase. */
                        balance: number;
                        memberDayId: string | null;
                        memberId: string;
                        /** @description The member-day multiplier applied (1 on other days). */
                        multiplier: number;
                        /** @description The order's key: the store and the till's order id. */
                        orderKey: string;
                        /** @description Points the member owes from earlier reversals. */
                        owed: number;
                        /** @description What the member pays: totalMinor less the points discount. Points are earned on this. */
                        payableMinor: number;
                        /** @description Points this purchase earned (0 when no earn rule applies). */
                        points: number;
                        /** @description The discount those points paid, minor units. */
                        pointsDiscountMinor: number;
                        /** @description Points spent as a discount on this purchase (0: none). */
                        pointsSpent: number;
                        /** @description True when this order was reported before; the first result is answered. */
                        replayed: boolean;
                        tier: string | null;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The member's balance after the purchase. */
                        balance: number;
                        memberDayId: string | null;
                        memberId: string;
                        /** @description The member-day multiplier applied (1 on other days). */
                        multiplier: number;
                        /** @description The order's key: the store and the till's order id. */
                        orderKey: string;
                        /** @description Points the member owes from earlier reversals. */
                        owed: number;
                        /** @description What the member pays: totalMinor less the points discount. Points are earned on this. */
                        payableMinor: number;
                        /** @description Points this purchase earned (0 when no earn rule applies). */
                        points: number;
                        /** @description The discount those points paid, minor units. */
                        pointsDiscountMinor: number;
                        /** @description Points spent as a discount on this purchase (0: none). */
                        pointsSpent: number;
                        /** @description True when this order was reported before; the first result is answered. */
                        replayed: boolean;
                        tier: string | null;
                    };
                };
            };
        };
    };
    postPurchasesPointsQuote: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currency: string;
                    /** @description The dynamic member code (or its QR payload). */
                    memberCode?: string;
                    /** @description Instead of a member code. */
                    memberId?: string;
                    /** @description The points the member offers; absent: as many as the basket and balance take. */
                    pointsToSpend?: number;
                    /** @description The basket's total, minor units. */
                    totalMinor: number;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The member's spendable points now. */
                        balance: number;
                        /** @description The discount those points pay, minor units. */
                        discountMinor: number;
                        /** @description The largest discount points may pay on this basket, minor units. */
                        maxDiscountMinor: number;
                        /** @description The most points this basket takes (the programme's basket share, or the balance if lower). */
                        maxPoints: number;
                        memberId: string;
                        /** @description totalMinor less that discount. */
                        payableMinor: number;
                        /** @description Points the purchase would spend for the `pointsToSpend` asked (0 when none was asked). */
                        points: number;
                    };
                };
            };
        };
    };
    postPurchasesRefunds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A partial refund of this much, minor units (at most what is left to refund); points are reversed in proportion, rounded down, and exactly in full once the whole order is refunded. Absent: the rest of the order. */
                    amountMinor?: number;
                    orderId: string;
                    /** @description Unique per order; required with amountMinor. A repeat with the same id is answered, not refunded again. */
                    refundId?: string;
                    /** @description Required for admin keys. */
                    storeId?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        balance: number;
                        memberId: string;
                        owed: number;
                        /** @description Refunded of the order so far, this refund included, in minor units. */
                        refundedMinor: number;
                        refundId: string;
                        replayed: boolean;
                        /** @description Points that paid part of the order given back by this refund, in proportion to amountMinor (exactly in full once the whole order is refunded). */
                        returnedPoints: number;
                        /** @description Points this refund reversed. */
                        reversedPoints: number;
                        totalMinor: number;
                    };
                };
            };
        };
    };
    getPushDeadLetters: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deadLetters: {
                            attempts: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            deadAt: string;
                            id: string;
                            installationId: string;
                            lastError: string | null;
                            offerId: string;
                            storeId: string;
                            userId: string;
                        }[];
                    };
                };
            };
        };
    };
    postPushDeadLettersReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        replayed: boolean;
                    };
                };
            };
        };
    };
    getPushPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description At most one offer notified per member per this many minutes; null: the cloud's default. Organisation only. */
                        frequencyCapMinutes: number | null;
                        /** @description Null: no quiet hours (a store then falls back to the organisation's). */
                        quietHours: {
                            /** @description Local time HH:MM. */
                            end: string;
                            /** @description Local time HH:MM. */
                            start: string;
                        } | null;
                    };
                };
            };
        };
    };
    putPushPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description At most one offer notified per member per this many minutes; null: the cloud's default. Organisation only. */
                    frequencyCapMinutes: number | null;
                    /** @description Null: no quiet hours (a store then falls back to the organisation's). */
                    quietHours: {
                        /** @description Local time HH:MM. */
                        end: string;
                        /** @description Local time HH:MM. */
                        start: string;
                    } | null;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description At most one offer notified per member per this many minutes; null: the cloud's default. Organisation only. */
                        frequencyCapMinutes: number | null;
                        /** @description Null: no quiet hours (a store then falls back to the organisation's). */
                        quietHours: {
                            /** @description Local time HH:MM. */
                            end: string;
                            /** @description Local time HH:MM. */
                            start: string;
                        } | null;
                    };
                };
            };
        };
    };
    getPushWebPushKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Uncompressed P-256 point, base64url. */
                        publicKey: string;
                    };
                };
            };
        };
    };
    postRedemptions: {
        parameters: {
            query?: never;
            header: {
                "idempotency-key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The order the coupon is redeemed against: its conditions are checked and the discount to apply answered. */
                    basket?: {
                        currency: string;
                        lines: {
                            category?: string;
                            quantity: number;
                            sku: string;
                            /** @description Minor units (cents). */
                            unitPriceMinor: number;
                        }[];
                        /** @description The till's or shop's order id. */
                        orderId: string;
                        /** @description Must equal the sum of quantity × unitPriceMinor over the lines. */
                        totalMinor: number;
                    };
                    /**
                     * @description `online`: an order of the retailer's online shop, sent by its backend (admin key); needs a basket. Default `till`.
                     * @enum {string}
                     */
                    channel?: "till" | "online";
                    /** @description The code as the cashier typed it, or the scanned QR payload `arrival:redeem:v1:<code>` as it is. */
                    code: string;
                    /** @description Required for admin keys; a till key is bound to its store. */
                    storeId?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        discount?: {
                            currency: string;
                            /** @description Minor units to take off the basket: apply exactly this. */
                            discountMinor: number;
                            /** @description Sum of the lines the coupon applies to. */
                            eligibleMinor: number;
                            /** @description The SKU given free (one unit), for a free-item coupon. */
                            freeSku: string | null;
                            /** @description The discount spread over the basket's lines (same order), summing to discountMinor: what each line was sold for. */
                            lineDiscountsMinor?: number[];
                            text: string;
                        };
                        offer: {
                            code: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: date-time */
                            issuedAt: string;
                            offerId: string;
                            ruleId: string;
                            status: string;
                            storeId: string;
                            text: string;
                            title: string;
                            zoneId: string;
                        };
                        /** @description With a basket: what the redemption earned the member (see Membership). */
                        points?: {
                            memberDayId: string | null;
                            /** @description The member-day multiplier applied (1: none). */
                            multiplier: number;
                            /** @description Points the coupon's owner earned on what they paid (0: none); a replay answers the first earning. */
                            points: number;
                            /** @description `order-reported`: the order earned already (reported as a purchase, or redeemed with another coupon). */
                            reason: "earned" | "order-reported" | "no-member" | "not-written";
                        };
                        redemptionId: string;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        discount?: {
                            currency: string;
                            /** @description Minor units to take off the basket: apply exactly this. */
                            discountMinor: number;
                            /** @description Sum of the lines the coupon applies to. */
                            eligibleMinor: number;
                            /** @description The SKU given free (one unit), for a free-item coupon. */
                            freeSku: string | null;
                            /** @description The discount spread over the basket's lines (same order), summing to discountMinor: what each line was sold for. */
                            lineDiscountsMinor?: number[];
                            text: string;
                        };
                        offer: {
                            code: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: date-time */
                            issuedAt: string;
                            offerId: string;
                            ruleId: string;
                            status: string;
                            storeId: string;
                            text: string;
                            title: string;
                            zoneId: string;
                        };
                        /** @description With a basket: what the redemption earned the member (see Membership). */
                        points?: {
                            memberDayId: string | null;
                            /** @description The member-day multiplier applied (1: none). */
                            multiplier: number;
                            /** @description Points the coupon's owner earned on what they paid (0: none); a replay answers the first earning. */
                            points: number;
                            /** @description `order-reported`: the order earned already (reported as a purchase, or redeemed with another coupon). */
                            reason: "earned" | "order-reported" | "no-member" | "not-written";
                        };
                        redemptionId: string;
                    };
                };
            };
        };
    };
    postRedemptionsVoid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                redemptionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Required for admin keys; a till key is bound to its store. */
                    storeId?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        offer: {
                            code: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: date-time */
                            issuedAt: string;
                            offerId: string;
                            ruleId: string;
                            status: string;
                            storeId: string;
                            text: string;
                            title: string;
                            zoneId: string;
                        };
                        /** @description Points the redemption had earned that the void took back (0: none). */
                        pointsReversed: number;
                        redemptionId: string;
                        replayed: boolean;
                    };
                };
            };
        };
    };
    getReleasesByFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VERSION-HASH.tgz, or its .sha256 or .sig. */
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description The file as stored: a signed release archive, its SHA-256 or its signature. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
        };
    };
    getRules: {
        parameters: {
            query?: {
                status?: "draft" | "scheduled" | "live" | "paused" | "ended";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rules: {
                            id: string;
                            /** @description The rule spec as written (see the request body's `spec`). */
                            spec: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "draft" | "scheduled" | "live" | "paused" | "ended";
                            updatedAt: string | null;
                            version: number;
                        }[];
                    };
                };
            };
        };
    };
    postRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Stable id of the rule across versions; generated when absent. */
                    id?: string;
                    spec: {
                        conditions?: {
                            /** @description Loyalty tiers; the shopper's tier must be one of them. */
                            loyaltyTiers?: string[];
                            /** @description Only shoppers who received at most this many offers so far (all rules, lifetime). */
                            maxOffersReceived?: number;
                            /**
                             * @description Fire on a phone's geofence arrival only when the store's own gateways saw the shopper within ±10 min of the fix (the cross-check recorded as seenByStoreGateways). A gateway sighting is the store's own evidence and always passes. Absent: a plausible claim is enough.
                             * @enum {boolean}
                             */
                            requireCorroboration?: true;
                            /**
                             * @description Always true (the default). Offers are marketing, and the engine never sends one to a shopper without marketing consent, whatever a rule says; `false` is rejected so nobody believes otherwise.
                             * @enum {boolean}
                             */
                            requireMarketingConsent?: true;
                            schedule?: {
                                /** @description Local weekdays the rule runs on; absent = every day. */
                                days?: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                /**
                                 * Format: date
                                 * @description First local day the rule runs, YYYY-MM-DD, inclusive.
                                 */
                                from?: string;
                                /**
                                 * Format: date
                                 * @description Last local day the rule runs, YYYY-MM-DD, inclusive.
                                 */
                                until?: string;
                                /** @description Local time windows (any of); absent = all day. */
                                windows?: {
                                    /** @description Local wall-clock time HH:MM, 24-hour. */
                                    end: string;
                                    /** @description Local wall-clock time HH:MM, 24-hour. */
                                    start: string;
                                }[];
                            };
                            /** @description CRM segments; the shopper must be in at least one. */
                            segments?: string[];
                            /** @description Range of the shopper's visit count, this visit included. */
                            visitCount?: {
                                /** @description Inclusive. */
                                max?: number;
                                /** @description Inclusive. */
                                min?: number;
                            };
                        };
                        /** @description Share of eligible shoppers kept as a control group and never sent this rule's offer; default 0. */
                        holdoutPercent?: number;
                        limits?: {
                            /** @description Offers this rule may issue in total, all versions together. */
                            budget?: number;
                            /** @description Seconds after an offer of this rule before the same shopper gets another. */
                            cooldownS?: number;
                            /** @description Offers of this rule per shopper, ever. */
                            maxPerUser?: number;
                            /** @description Offers of this rule per shopper per local day of the store. */
                            maxPerUserPerDay?: number;
                        };
                        /** @description For dashboards. */
                        name?: string;
                        offer: {
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** @description Body text of the offer. */
                            text: string;
                            /** @description Shown as the notification title. */
                            title: string;
                            /** @description Seconds from issue until the offer expires. */
                            validityS: number;
                            variations?: {
                                discount?: {
                                    /** @enum {string} */
                                    kind: "percent";
                                    percent: number;
                                } | {
                                    /** @description Amount in the currency's minor unit (cents). */
                                    amountMinor: number;
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @enum {string} */
                                    kind: "amount";
                                } | {
                                    item: string;
                                    /** @enum {string} */
                                    kind: "free-item";
                                };
                                /** @description Store this variation applies to. */
                                storeId: string;
                                /** @description Body text of the offer. */
                                text?: string;
                                /** @description Shown as the notification title. */
                                title?: string;
                            }[];
                        };
                        /** @description Higher wins when several rules could issue on one event; default 0. */
                        priority?: number;
                        /** @description Where the rule applies; omit a list instead of leaving it empty. */
                        scope?: {
                            storeIds?: string[];
                            storeTags?: string[];
                            zoneIds?: string[];
                            zoneTags?: string[];
                        };
                        /** @description What makes the rule fire. */
                        trigger: {
                            /**
                             * @description Fires when the shopper enters a zone.
                             * @enum {string}
                             */
                            type: "enter";
                        } | {
                            /** @description Seconds in the zone before the rule fires; compared with the event's dwellMs. */
                            minDwellS: number;
                            /**
                             * @description Fires on a dwell event once the shopper stayed long enough.
                             * @enum {string}
                             */
                            type: "dwell";
                        } | {
                            /**
                             * @description Fires when the shopper leaves a zone.
                             * @enum {string}
                             */
                            type: "exit";
                        } | {
                            /**
                             * @description Fires when the app reports its own geofence arrival (GPS fix), no beacon needed.
                             * @enum {string}
                             */
                            type: "geofence-arrival";
                        } | {
                            /**
                             * @description Fires when the app reports hearing the store's own beacon (the store beacon its gateways advertise), resolved to the store within its slot.
                             * @enum {string}
                             */
                            type: "beacon-arrival";
                        } | {
                            /** @description Visit number, 1-based. */
                            n: number;
                            /**
                             * @description Fires on the enter of the shopper's n-th visit.
                             * @enum {string}
                             */
                            type: "nth-visit";
                        } | {
                            /**
                             * @description Fires on the enter of the shopper's first visit.
                             * @enum {string}
                             */
                            type: "first-visit";
                        } | {
                            /** @description Calendar days (in the store's timezone) since the previous visit. */
                            days: number;
                            /**
                             * @description Fires on the enter of a visit that comes at least `days` calendar days after the previous one.
                             * @enum {string}
                             */
                            type: "return-after";
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rule: {
                            id: string;
                            /** @description The rule spec as written (see the request body's `spec`). */
                            spec: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "draft" | "scheduled" | "live" | "paused" | "ended";
                            updatedAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
    };
    getRulesByRuleId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ruleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Offers the budget still allows; null without a budget. */
                        budgetRemaining: number | null;
                        /** @description Creation, edits and status changes, newest first. */
                        history: {
                            action: string;
                            /** @description API key id, or `scheduler`; never a secret. */
                            actor: string;
                            /** Format: date-time */
                            at: string;
                            /** @description What changed; its fields depend on the action. */
                            detail: {
                                [key: string]: unknown;
                            };
                        }[];
                        /** @description Across every version. */
                        offersIssued: number;
                        rule: {
                            id: string;
                            /** @description The rule spec as written (see the request body's `spec`). */
                            spec: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "draft" | "scheduled" | "live" | "paused" | "ended";
                            updatedAt: string | null;
                            version: number;
                        };
                        /** @description Newest first. */
                        versions: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Offers issued under this version. */
                            offersIssued: number;
                            /** @description The rule spec as written (see the request body's `spec`). */
                            spec: {
                                [key: string]: unknown;
                            };
                            /**
                             * @description The status this version had when it was last current.
                             * @enum {string}
                             */
                            status: "draft" | "scheduled" | "live" | "paused" | "ended";
                            version: number;
                        }[];
                    };
                };
            };
        };
    };
    putRulesByRuleId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ruleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The version the edit was made from; refused with 409 if the rule has moved on since. */
                    baseVersion?: number;
                    spec: {
                        conditions?: {
                            /** @description Loyalty tiers; the shopper's tier must be one of them. */
                            loyaltyTiers?: string[];
                            /** @description Only shoppers who received at most this many offers so far (all rules, lifetime). */
                            maxOffersReceived?: number;
                            /**
                             * @description Fire on a phone's geofence arrival only when the store's own gateways saw the shopper within ±10 min of the fix (the cross-check recorded as seenByStoreGateways). A gateway sighting is the store's own evidence and always passes. Absent: a plausible claim is enough.
                             * @enum {boolean}
                             */
                            requireCorroboration?: true;
                            /**
                             * @description Always true (the default). Offers are marketing, and the engine never sends one to a shopper without marketing consent, whatever a rule says; `false` is rejected so nobody believes otherwise.
                             * @enum {boolean}
                             */
                            requireMarketingConsent?: true;
                            schedule?: {
                                /** @description Local weekdays the rule runs on; absent = every day. */
                                days?: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                /**
                                 * Format: date
                                 * @description First local day the rule runs, YYYY-MM-DD, inclusive.
                                 */
                                from?: string;
                                /**
                                 * Format: date
                                 * @description Last local day the rule runs, YYYY-MM-DD, inclusive.
                                 */
                                until?: string;
                                /** @description Local time windows (any of); absent = all day. */
                                windows?: {
                                    /** @description Local wall-clock time HH:MM, 24-hour. */
                                    end: string;
                                    /** @description Local wall-clock time HH:MM, 24-hour. */
                                    start: string;
                                }[];
                            };
                            /** @description CRM segments; the shopper must be in at least one. */
                            segments?: string[];
                            /** @description Range of the shopper's visit count, this visit included. */
                            visitCount?: {
                                /** @description Inclusive. */
                                max?: number;
                                /** @description Inclusive. */
                                min?: number;
                            };
                        };
                        /** @description Share of eligible shoppers kept as a control group and never sent this rule's offer; default 0. */
                        holdoutPercent?: number;
                        limits?: {
                            /** @description Offers this rule may issue in total, all versions together. */
                            budget?: number;
                            /** @description Seconds after an offer of this rule before the same shopper gets another. */
                            cooldownS?: number;
                            /** @description Offers of this rule per shopper, ever. */
                            maxPerUser?: number;
                            /** @description Offers of this rule per shopper per local day of the store. */
                            maxPerUserPerDay?: number;
                        };
                        /** @description For dashboards. */
                        name?: string;
                        offer: {
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** @description Body text of the offer. */
                            text: string;
                            /** @description Shown as the notification title. */
                            title: string;
                            /** @description Seconds from issue until the offer expires. */
                            validityS: number;
                            variations?: {
                                discount?: {
                                    /** @enum {string} */
                                    kind: "percent";
                                    percent: number;
                                } | {
                                    /** @description Amount in the currency's minor unit (cents). */
                                    amountMinor: number;
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @enum {string} */
                                    kind: "amount";
                                } | {
                                    item: string;
                                    /** @enum {string} */
                                    kind: "free-item";
                                };
                                /** @description Store this variation applies to. */
                                storeId: string;
                                /** @description Body text of the offer. */
                                text?: string;
                                /** @description Shown as the notification title. */
                                title?: string;
                            }[];
                        };
                        /** @description Higher wins when several rules could issue on one event; default 0. */
                        priority?: number;
                        /** @description Where the rule applies; omit a list instead of leaving it empty. */
                        scope?: {
                            storeIds?: string[];
                            storeTags?: string[];
                            zoneIds?: string[];
                            zoneTags?: string[];
                        };
                        /** @description What makes the rule fire. */
                        trigger: {
                            /**
                             * @description Fires when the shopper enters a zone.
                             * @enum {string}
                             */
                            type: "enter";
                        } | {
                            /** @description Seconds in the zone before the rule fires; compared with the event's dwellMs. */
                            minDwellS: number;
                            /**
                             * @description Fires on a dwell event once the shopper stayed long enough.
                             * @enum {string}
                             */
                            type: "dwell";
                        } | {
                            /**
                             * @description Fires when the shopper leaves a zone.
                             * @enum {string}
                             */
                            type: "exit";
                        } | {
                            /**
                             * @description Fires when the app reports its own geofence arrival (GPS fix), no beacon needed.
                             * @enum {string}
                             */
                            type: "geofence-arrival";
                        } | {
                            /**
                             * @description Fires when the app reports hearing the store's own beacon (the store beacon its gateways advertise), resolved to the store within its slot.
                             * @enum {string}
                             */
                            type: "beacon-arrival";
                        } | {
                            /** @description Visit number, 1-based. */
                            n: number;
                            /**
                             * @description Fires on the enter of the shopper's n-th visit.
                             * @enum {string}
                             */
                            type: "nth-visit";
                        } | {
                            /**
                             * @description Fires on the enter of the shopper's first visit.
                             * @enum {string}
                             */
                            type: "first-visit";
                        } | {
                            /** @description Calendar days (in the store's timezone) since the previous visit. */
                            days: number;
                            /**
                             * @description Fires on the enter of a visit that comes at least `days` calendar days after the previous one.
                             * @enum {string}
                             */
                            type: "return-after";
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rule: {
                            id: string;
                            /** @description The rule spec as written (see the request body's `spec`). */
                            spec: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "draft" | "scheduled" | "live" | "paused" | "ended";
                            updatedAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
    };
    getRulesDecisions: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Decisions per page, newest first; default 100. */
                limit?: number;
            };
            header?: never;
            path: {
                ruleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        decisions: {
                            /** Format: date-time */
                            decidedAt: string;
                            eventId: string;
                            offerId: string | null;
                            /** @description issued, held-out or not-issued */
                            outcome: string;
                            /** @description eligible, held-out, or why not (rule-not-live, stale-event, visit-ended, scope-mismatch, …) */
                            reason: string;
                            ruleId: string;
                            ruleVersion: number;
                            /** @description For a phone's geofence entry: the plausibility verdict (flags, accuracy, distance, speed) and whether the store's gateways saw the user then. */
                            signals?: {
                                [key: string]: unknown;
                            };
                            storeId: string;
                            /** @description The reason in words, with the numbers that decided it. */
                            text: string;
                            userId: string | null;
                            visitId: string;
                            zoneId: string;
                        }[];
                        /** @description null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    postRulesTransitions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ruleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description draft → scheduled | live; scheduled → draft | live | ended; live → paused | ended; paused → live | ended.
                     * @enum {string}
                     */
                    to: "draft" | "scheduled" | "live" | "paused" | "ended";
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rule: {
                            id: string;
                            /** @description The rule spec as written (see the request body's `spec`). */
                            spec: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "draft" | "scheduled" | "live" | "paused" | "ended";
                            updatedAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
    };
    postRulesDryRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Start of the replayed period, inclusive; a day starts at midnight where the rule's stores are. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                    from: string;
                    /** @description Id the rule would have (it decides the holdout group); default `dry-run`. */
                    ruleId?: string;
                    spec: {
                        conditions?: {
                            /** @description Loyalty tiers; the shopper's tier must be one of them. */
                            loyaltyTiers?: string[];
                            /** @description Only shoppers who received at most this many offers so far (all rules, lifetime). */
                            maxOffersReceived?: number;
                            /**
                             * @description Fire on a phone's geofence arrival only when the store's own gateways saw the shopper within ±10 min of the fix (the cross-check recorded as seenByStoreGateways). A gateway sighting is the store's own evidence and always passes. Absent: a plausible claim is enough.
                             * @enum {boolean}
                             */
                            requireCorroboration?: true;
                            /**
                             * @description Always true (the default). Offers are marketing, and the engine never sends one to a shopper without marketing consent, whatever a rule says; `false` is rejected so nobody believes otherwise.
                             * @enum {boolean}
                             */
                            requireMarketingConsent?: true;
                            schedule?: {
                                /** @description Local weekdays the rule runs on; absent = every day. */
                                days?: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                /**
                                 * Format: date
                                 * @description First local day the rule runs, YYYY-MM-DD, inclusive.
                                 */
                                from?: string;
                                /**
                                 * Format: date
                                 * @description Last local day the rule runs, YYYY-MM-DD, inclusive.
                                 */
                                until?: string;
                                /** @description Local time windows (any of); absent = all day. */
                                windows?: {
                                    /** @description Local wall-clock time HH:MM, 24-hour. */
                                    end: string;
                                    /** @description Local wall-clock time HH:MM, 24-hour. */
                                    start: string;
                                }[];
                            };
                            /** @description CRM segments; the shopper must be in at least one. */
                            segments?: string[];
                            /** @description Range of the shopper's visit count, this visit included. */
                            visitCount?: {
                                /** @description Inclusive. */
                                max?: number;
                                /** @description Inclusive. */
                                min?: number;
                            };
                        };
                        /** @description Share of eligible shoppers kept as a control group and never sent this rule's offer; default 0. */
                        holdoutPercent?: number;
                        limits?: {
                            /** @description Offers this rule may issue in total, all versions together. */
                            budget?: number;
                            /** @description Seconds after an offer of this rule before the same shopper gets another. */
                            cooldownS?: number;
                            /** @description Offers of this rule per shopper, ever. */
                            maxPerUser?: number;
                            /** @description Offers of this rule per shopper per local day of the store. */
                            maxPerUserPerDay?: number;
                        };
                        /** @description For dashboards. */
                        name?: string;
                        offer: {
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** @description Body text of the offer. */
                            text: string;
                            /** @description Shown as the notification title. */
                            title: string;
                            /** @description Seconds from issue until the offer expires. */
                            validityS: number;
                            variations?: {
                                discount?: {
                                    /** @enum {string} */
                                    kind: "percent";
                                    percent: number;
                                } | {
                                    /** @description Amount in the currency's minor unit (cents). */
                                    amountMinor: number;
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @enum {string} */
                                    kind: "amount";
                                } | {
                                    item: string;
                                    /** @enum {string} */
                                    kind: "free-item";
                                };
                                /** @description Store this variation applies to. */
                                storeId: string;
                                /** @description Body text of the offer. */
                                text?: string;
                                /** @description Shown as the notification title. */
                                title?: string;
                            }[];
                        };
                        /** @description Higher wins when several rules could issue on one event; default 0. */
                        priority?: number;
                        /** @description Where the rule applies; omit a list instead of leaving it empty. */
                        scope?: {
                            storeIds?: string[];
                            storeTags?: string[];
                            zoneIds?: string[];
                            zoneTags?: string[];
                        };
                        /** @description What makes the rule fire. */
                        trigger: {
                            /**
                             * @description Fires when the shopper enters a zone.
                             * @enum {string}
                             */
                            type: "enter";
                        } | {
                            /** @description Seconds in the zone before the rule fires; compared with the event's dwellMs. */
                            minDwellS: number;
                            /**
                             * @description Fires on a dwell event once the shopper stayed long enough.
                             * @enum {string}
                             */
                            type: "dwell";
                        } | {
                            /**
                             * @description Fires when the shopper leaves a zone.
                             * @enum {string}
                             */
                            type: "exit";
                        } | {
                            /**
                             * @description Fires when the app reports its own geofence arrival (GPS fix), no beacon needed.
                             * @enum {string}
                             */
                            type: "geofence-arrival";
                        } | {
                            /**
                             * @description Fires when the app reports hearing the store's own beacon (the store beacon its gateways advertise), resolved to the store within its slot.
                             * @enum {string}
                             */
                            type: "beacon-arrival";
                        } | {
                            /** @description Visit number, 1-based. */
                            n: number;
                            /**
                             * @description Fires on the enter of the shopper's n-th visit.
                             * @enum {string}
                             */
                            type: "nth-visit";
                        } | {
                            /**
                             * @description Fires on the enter of the shopper's first visit.
                             * @enum {string}
                             */
                            type: "first-visit";
                        } | {
                            /** @description Calendar days (in the store's timezone) since the previous visit. */
                            days: number;
                            /**
                             * @description Fires on the enter of a visit that comes at least `days` calendar days after the previous one.
                             * @enum {string}
                             */
                            type: "return-after";
                        };
                    };
                    /** @description End of the replayed period, exclusive; at most 92 days after from. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                    to: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        report: {
                            budget: {
                                exhaustedAt: string | null;
                                limit: number | null;
                            };
                            distinctUsers: number;
                            /** @description Recorded events of the rule's trigger type, inside its scope, replayed in time order. */
                            eventsEvaluated: number;
                            /** @description Events of the trigger type at stores or zones outside the rule's scope. */
                            eventsOutOfScope: number;
                            /** Format: date-time */
                            from: string;
                            heldOutUsers: number;
                            /** @description Offers per local day of the store they would have been issued in. */
                            issuedByDay: {
                                /** @description YYYY-MM-DD in the store's timezone. */
                                day: string;
                                offers: number;
                            }[];
                            /** @description The subset of notIssued that are limits (budget, caps, cooldown). */
                            limitsHit: {
                                "already-issued-this-visit"?: number;
                                "budget-exhausted"?: number;
                                cooldown?: number;
                                "daily-cap"?: number;
                                "org-daily-cap"?: number;
                                "user-cap"?: number;
                            };
                            /** @description Every reason the rule would not have issued, with its count. */
                            notIssued: {
                                "already-issued-this-visit"?: number;
                                "budget-exhausted"?: number;
                                cooldown?: number;
                                "daily-cap"?: number;
                                "invalid-timezone"?: number;
                                "lower-priority"?: number;
                                "no-marketing-consent"?: number;
                                "not-corroborated"?: number;
                                "offers-received"?: number;
                                "org-daily-cap"?: number;
                                "outside-schedule"?: number;
                                "rule-not-live"?: number;
                                "scope-mismatch"?: number;
                                "segment-mismatch"?: number;
                                "stale-event"?: number;
                                "tier-mismatch"?: number;
                                "trigger-mismatch"?: number;
                                "user-cap"?: number;
                                "visit-count"?: number;
                                "visit-ended"?: number;
                            };
                            offersIssued: number;
                            ruleId: string;
                            /** Format: date-time */
                            to: string;
                            /** @description The period held more events than one dry run replays. */
                            truncated: boolean;
                        };
                    };
                };
            };
        };
    };
    postRulesReach: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    spec: {
                        conditions?: {
                            /** @description Loyalty tiers; the shopper's tier must be one of them. */
                            loyaltyTiers?: string[];
                            /** @description Only shoppers who received at most this many offers so far (all rules, lifetime). */
                            maxOffersReceived?: number;
                            /**
                             * @description Fire on a phone's geofence arrival only when the store's own gateways saw the shopper within ±10 min of the fix (the cross-check recorded as seenByStoreGateways). A gateway sighting is the store's own evidence and always passes. Absent: a plausible claim is enough.
                             * @enum {boolean}
                             */
                            requireCorroboration?: true;
                            /**
                             * @description Always true (the default). Offers are marketing, and the engine never sends one to a shopper without marketing consent, whatever a rule says; `false` is rejected so nobody believes otherwise.
                             * @enum {boolean}
                             */
                            requireMarketingConsent?: true;
                            schedule?: {
                                /** @description Local weekdays the rule runs on; absent = every day. */
                                days?: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                /**
                                 * Format: date
                                 * @description First local day the rule runs, YYYY-MM-DD, inclusive.
                                 */
                                from?: string;
                                /**
                                 * Format: date
                                 * @description Last local day the rule runs, YYYY-MM-DD, inclusive.
                                 */
                                until?: string;
                                /** @description Local time windows (any of); absent = all day. */
                                windows?: {
                                    /** @description Local wall-clock time HH:MM, 24-hour. */
                                    end: string;
                                    /** @description Local wall-clock time HH:MM, 24-hour. */
                                    start: string;
                                }[];
                            };
                            /** @description CRM segments; the shopper must be in at least one. */
                            segments?: string[];
                            /** @description Range of the shopper's visit count, this visit included. */
                            visitCount?: {
                                /** @description Inclusive. */
                                max?: number;
                                /** @description Inclusive. */
                                min?: number;
                            };
                        };
                        /** @description Share of eligible shoppers kept as a control group and never sent this rule's offer; default 0. */
                        holdoutPercent?: number;
                        limits?: {
                            /** @description Offers this rule may issue in total, all versions together. */
                            budget?: number;
                            /** @description Seconds after an offer of this rule before the same shopper gets another. */
                            cooldownS?: number;
                            /** @description Offers of this rule per shopper, ever. */
                            maxPerUser?: number;
                            /** @description Offers of this rule per shopper per local day of the store. */
                            maxPerUserPerDay?: number;
                        };
                        /** @description For dashboards. */
                        name?: string;
                        offer: {
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** @description Body text of the offer. */
                            text: string;
                            /** @description Shown as the notification title. */
                            title: string;
                            /** @description Seconds from issue until the offer expires. */
                            validityS: number;
                            variations?: {
                                discount?: {
                                    /** @enum {string} */
                                    kind: "percent";
                                    percent: number;
                                } | {
                                    /** @description Amount in the currency's minor unit (cents). */
                                    amountMinor: number;
                                    /** @description ISO 4217 code. */
                                    currency: string;
                                    /** @enum {string} */
                                    kind: "amount";
                                } | {
                                    item: string;
                                    /** @enum {string} */
                                    kind: "free-item";
                                };
                                /** @description Store this variation applies to. */
                                storeId: string;
                                /** @description Body text of the offer. */
                                text?: string;
                                /** @description Shown as the notification title. */
                                title?: string;
                            }[];
                        };
                        /** @description Higher wins when several rules could issue on one event; default 0. */
                        priority?: number;
                        /** @description Where the rule applies; omit a list instead of leaving it empty. */
                        scope?: {
                            storeIds?: string[];
                            storeTags?: string[];
                            zoneIds?: string[];
                            zoneTags?: string[];
                        };
                        /** @description What makes the rule fire. */
                        trigger: {
                            /**
                             * @description Fires when the shopper enters a zone.
                             * @enum {string}
                             */
                            type: "enter";
                        } | {
                            /** @description Seconds in the zone before the rule fires; compared with the event's dwellMs. */
                            minDwellS: number;
                            /**
                             * @description Fires on a dwell event once the shopper stayed long enough.
                             * @enum {string}
                             */
                            type: "dwell";
                        } | {
                            /**
                             * @description Fires when the shopper leaves a zone.
                             * @enum {string}
                             */
                            type: "exit";
                        } | {
                            /**
                             * @description Fires when the app reports its own geofence arrival (GPS fix), no beacon needed.
                             * @enum {string}
                             */
                            type: "geofence-arrival";
                        } | {
                            /**
                             * @description Fires when the app reports hearing the store's own beacon (the store beacon its gateways advertise), resolved to the store within its slot.
                             * @enum {string}
                             */
                            type: "beacon-arrival";
                        } | {
                            /** @description Visit number, 1-based. */
                            n: number;
                            /**
                             * @description Fires on the enter of the shopper's n-th visit.
                             * @enum {string}
                             */
                            type: "nth-visit";
                        } | {
                            /**
                             * @description Fires on the enter of the shopper's first visit.
                             * @enum {string}
                             */
                            type: "first-visit";
                        } | {
                            /** @description Calendar days (in the store's timezone) since the previous visit. */
                            days: number;
                            /**
                             * @description Fires on the enter of a visit that comes at least `days` calendar days after the previous one.
                             * @enum {string}
                             */
                            type: "return-after";
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The rule replayed over the last 7 days, as `POST /v1/rules/dry-run` does. */
                        lastWeek: {
                            /** @description Recorded events of the rule's trigger inside its scope in the last 7 days. */
                            arrivals: number;
                            /** Format: date-time */
                            from: string;
                            /** @description Offers it would have issued in those 7 days, within its limits. */
                            offers: number;
                            /** @description Distinct shoppers the rule would have sent an offer to in those 7 days (its dry run). */
                            shoppers: number;
                            /** Format: date-time */
                            to: string;
                        };
                        /** @description Members the rule's audience reaches now: marketing consent given, in one of its segments and tiers where it names them. */
                        members: number;
                    };
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orgId: string;
                        /** @enum {string} */
                        role: "marketer" | "admin" | "store-ops";
                        /** @description The store a store-ops key is bound to. */
                        storeId: string | null;
                    };
                };
            };
        };
    };
    getStoreBeacon: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description False: the stores' gateways advertise no store beacon. */
                        enabled: boolean;
                        /** @enum {string} */
                        format: "ibeacon" | "eddystone-eid";
                        /** @description How long one beacon value lasts, seconds; values rotate at multiples of it in Unix time. */
                        slotS: number;
                        /** @description The organisation's proximity UUID: the beacon region an iOS app monitors to be woken in a store. */
                        uuid: string | null;
                    };
                };
            };
        };
    };
    getStores: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        stores: {
                            address: string | null;
                            id: string;
                            location: {
                                /** @description Latitude, WGS 84 degrees. */
                                lat: number;
                                /** @description Longitude, WGS 84 degrees. */
                                lon: number;
                            } | null;
                            name: string;
                            tags: string[];
                            timezone: string;
                        }[];
                    };
                };
            };
        };
    };
    postStores: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    address?: string | null;
                    /** @description Store id; it becomes an MQTT topic level, unique across organisations. */
                    id: string;
                    location?: {
                        /** @description Latitude, WGS 84 degrees. */
                        lat: number;
                        /** @description Longitude, WGS 84 degrees. */
                        lon: number;
                    } | null;
                    name: string;
                    /** @description Tags that rules select stores or zones by. */
                    tags?: string[];
                    /** @description IANA time zone, e.g. `Asia/Hong_Kong`; schedules and daily caps are evaluated in it. */
                    timezone: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string | null;
                        id: string;
                        location: {
                            /** @description Latitude, WGS 84 degrees. */
                            lat: number;
                            /** @description Longitude, WGS 84 degrees. */
                            lon: number;
                        } | null;
                        name: string;
                        tags: string[];
                        timezone: string;
                    };
                };
            };
        };
    };
    getStoresByStoreId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string | null;
                        id: string;
                        location: {
                            /** @description Latitude, WGS 84 degrees. */
                            lat: number;
                            /** @description Longitude, WGS 84 degrees. */
                            lon: number;
                        } | null;
                        name: string;
                        tags: string[];
                        timezone: string;
                    };
                };
            };
        };
    };
    patchStoresByStoreId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
            };
            cookie?: never;
        };
        /** @description The fields to change; the others keep their values. */
        requestBody: {
            content: {
                "application/json": {
                    address?: string | null;
                    location?: {
                        /** @description Latitude, WGS 84 degrees. */
                        lat: number;
                        /** @description Longitude, WGS 84 degrees. */
                        lon: number;
                    } | null;
                    name?: string;
                    /** @description Tags that rules select stores or zones by. */
                    tags?: string[];
                    /** @description IANA time zone, e.g. `Asia/Hong_Kong`; schedules and daily caps are evaluated in it. */
                    timezone?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string | null;
                        id: string;
                        location: {
                            /** @description Latitude, WGS 84 degrees. */
                            lat: number;
                            /** @description Longitude, WGS 84 degrees. */
                            lon: number;
                        } | null;
                        name: string;
                        tags: string[];
                        timezone: string;
                    };
                };
            };
        };
    };
    postStoresConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default {} */
                    beacons?: {
                        /**
                         * @description When not empty, only beacons matching an entry are tracked.
                         * @default []
                         */
                        allow?: {
                            /** @description A subject id (ibeacon:<uuid>:<major>:<minor>, eddystone-uid:<namespace>:<instance>, …) or a prefix of one ending in * (ibeacon:<uuid>:7:* for every badge of major 7). Case does not matter. */
                            match: string;
                            /** @description For people reading the list. */
                            note?: string;
                            /**
                             * @description What the beacon is: a staff badge, a fixed beacon (till, shelf), or something else.
                             * @enum {string}
                             */
                            role?: "staff" | "fixture" | "other";
                        }[];
                        /**
                         * @description Per-beacon power at 1 m, for beacons whose advertised value is wrong.
                         * @default []
                         */
                        calibration?: {
                            /** @description Its power at 1 m as measured on site, dBm; overrides what the beacon advertises. */
                            measuredPowerDbm: number;
                            /** @description The beacon's subject id. */
                            subject: string;
                        }[];
                        /**
                         * @description Beacons never tracked, even if allowed: staff badges, fixed beacons near the till. They never enter a zone.
                         * @default []
                         */
                        deny?: {
                            /** @description A subject id (ibeacon:<uuid>:<major>:<minor>, eddystone-uid:<namespace>:<instance>, …) or a prefix of one ending in * (ibeacon:<uuid>:7:* for every badge of major 7). Case does not matter. */
                            match: string;
                            /** @description For people reading the list. */
                            note?: string;
                            /**
                             * @description What the beacon is: a staff badge, a fixed beacon (till, shelf), or something else.
                             * @enum {string}
                             */
                            role?: "staff" | "fixture" | "other";
                        }[];
                    };
                    presence?: {
                        /** @description Dwell events at these times. */
                        dwellMarksMs?: number[];
                        /** @description In-zone samples needed to enter. */
                        enterMinSamples?: number;
                        /** @description In a zone that pools the store's gateways, an enter on the k-of-n rule must lie deep enough inside the edge or have held long enough: someone who stops at the window for a few seconds, heard just inside the edge, does not enter. */
                        enterPooledDepth?: {
                            /** @description Enter at once only when the counted seconds lie this far inside the edge on average, dB. */
                            depthDb: number;
                            /** @description Otherwise enter once the evidence has held this long without a gap of enterWindowMs, ms. A hold within the k-of-n rule's own seconds leaves the rule without effect. */
                            holdMs: number;
                        };
                        /** @description Enter test ranks one value per second, not every advert: same strictness at any advertising rate. */
                        enterRankPerSecond?: boolean;
                        /** @description Also enter on accumulated evidence (a CUSUM over each second's distance to the enter threshold, floored at 0), so a shopper who stays just beyond the threshold enters eventually. */
                        enterSequential?: {
                            /** @description Most one second can add or take away, dB. */
                            capDb: number;
                            /** @description A second this far (dB) beyond the enter threshold counts neither way; nearer counts for inside. */
                            offsetDb: number;
                            /** @description Enter once the accumulated evidence reaches this, dB·s. */
                            thresholdDb: number;
                        };
                        /** @description Window those samples must fall in. */
                        enterWindowMs?: number;
                        /** @description Out of zone (or unheard) this long = exit. */
                        exitAfterMs?: number;
                        /** @description Hysteresis: leave only beyond radius + margin. */
                        exitMarginM?: number;
                        /** @description Log-distance exponent n; 2 is free space. */
                        pathLossExponent?: number;
                    };
                    /** @description The software the gateway should run. It downloads it, then its updater verifies the signature, installs it beside the running release, switches and rolls back by itself when unhealthy. */
                    software?: {
                        /** @description The release to run, VERSION-HASH (install-release.sh's name). */
                        release: string;
                        /** @description The tarball's SHA-256, checked after download. */
                        sha256: string;
                        /** @description Where the tarball is; its .sha256 and .sig are at the same URL with those suffixes. */
                        url: string;
                    };
                    zones?: ({
                        /** @description Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM. */
                        edgeLossDb?: number;
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Gateway at the centre of the circle. */
                        gatewayId: string;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        /** @description Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry. */
                        peerEdges?: {
                            /** @description Path loss that gateway measured along this zone's edge during the site survey, dB. */
                            edgeLossDb: number;
                            /** @description Another gateway of the store that pools its evidence into this zone. */
                            gatewayId: string;
                        }[];
                        /** @description Radius, metres. */
                        radiusM: number;
                        /** @enum {string} */
                        shape: "gateway-radius";
                    } | {
                        center: {
                            lat: number;
                            lon: number;
                        };
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        radiusM: number;
                        /** @enum {string} */
                        shape: "circle";
                    } | {
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        points: {
                            lat: number;
                            lon: number;
                        }[];
                        /** @enum {string} */
                        shape: "polygon";
                    })[];
                    /** @description Tags that rules select zones by, per zone id of `zones`; a zone not named keeps the tags it had in the store. */
                    zoneTags?: {
                        [key: string]: string[];
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        gateways: {
                            gatewayId: string;
                            revision: number;
                        }[];
                    };
                };
            };
        };
    };
    getStoresDevices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        devices: {
                            /**
                             * Format: date-time
                             * @description When the login was first issued.
                             */
                            createdAt: string;
                            deviceId: string;
                            /** @description null while it is active */
                            revokedAt: string | null;
                            username: string;
                        }[];
                    };
                };
            };
        };
    };
    postStoresDevicesCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The device within its store, chosen by the store (e.g. counter-1, pos-2). */
                deviceId: string;
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description A new MQTT credential. Issuing again replaces the earlier password. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Connect with exactly this client id. */
                        clientId: string;
                        /** @description Shown once; store it where the client reads it. */
                        password: string;
                        username: string;
                    };
                };
            };
        };
    };
    deleteStoresDevicesCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The device within its store, chosen by the store (e.g. counter-1, pos-2). */
                deviceId: string;
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description false when there was no active credential */
                        revoked: boolean;
                        username: string;
                    };
                };
            };
        };
    };
    getStoresEvents: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page; omit for the newest page. */
                cursor?: string;
                /** @description Inclusive start (event time, visit start); a day starts at midnight in the store's timezone. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                from?: string;
                /** @description Page size, default 100. */
                limit?: number;
                subjectId?: string;
                /** @description Exclusive end; a day starts at midnight in the store's timezone. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                to?: string;
                type?: "enter" | "dwell" | "exit";
                userId?: string;
                zoneId?: string;
            };
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            /** Format: date-time */
                            at: string;
                            distanceM: number | null;
                            dwellMs: number | null;
                            gatewayId: string;
                            id: string;
                            /** Format: date-time */
                            receivedAt: string;
                            rssi: number | null;
                            storeId: string;
                            subject: {
                                /** @description Subject id `<kind>:<fields>`, lowercase hex, e.g. `ibeacon:<uuid>:<major>:<minor>`. */
                                id: string;
                                /**
                                 * @description How the subject was identified.
                                 * @enum {string}
                                 */
                                kind: "ibeacon" | "altbeacon" | "eddystone-uid" | "eddystone-eid" | "mac" | "app";
                            };
                            type: string;
                            userId: string | null;
                            visitId: string;
                            zoneId: string;
                        }[];
                        /** @description Null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    postStoresGateways: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Gateway id; also its MQTT identity and topic level. */
                    id: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        advertising: {
                            error?: string;
                            format?: "ibeacon" | "eddystone-eid";
                            /** Format: date-time */
                            slotStart?: string;
                            state: "advertising" | "off" | "failed";
                        } | null;
                        calibration: {
                            learned?: {
                                learnedAt: string | null;
                                /** @description Labels that gave no sample since the gateway started (not heard, outliers). */
                                refused: number;
                                /** @description The offset learned and run with, dB; null while too few samples (the survey's or config's runs). */
                                rssiOffsetDb: number | null;
                                /** @description Till samples counted since the last survey. */
                                samples: number;
                                /** @description Recent weeks, oldest first. */
                                weeks: {
                                    /** @description Median offset sample of the week, dB. */
                                    medianDb: number;
                                    samples: number;
                                    /**
                                     * Format: date-time
                                     * @description Start of the 7-day bin.
                                     */
                                    weekStart: string;
                                }[];
                            };
                            learnedTraffic?: {
                                /** @description The highest raw edge loss the pavement allows, dB (less the offset, the cap on this gateway's zones); null while too few tracks. */
                                boundDb: number | null;
                                /** @description Short tracks counted since the gateway started. */
                                counted: number;
                                /** @description Tracks counted per day, oldest first. */
                                days: {
                                    /**
                                     * Format: date-time
                                     * @description Start of the day.
                                     */
                                    dayStart: string;
                                    tracks: number;
                                }[];
                                /** @description The strong tail of those tracks' closest approaches (extrapolated from their middle, or the learner's quantile), raw path loss, dB; null before any. */
                                quantileDb: number | null;
                                /** @description Short tracks the bound reads (its last days). */
                                tracks: number;
                            };
                            learnedZones?: {
                                /** @description The edge loss learned and run with, dB; null while too few labels (the survey's or the drawn radius's runs). */
                                edgeLossDb: number | null;
                                /** @description Inside labels counted since the last survey. */
                                labels: number;
                                learnedAt: string | null;
                                /** @description Inside labels that gave no sample since the gateway started. */
                                refused: number;
                                /** @description Where the labels say the edge loss should be now, dB (it moves there a step a day); null while too few labels. */
                                targetDb: number | null;
                                /** @description Recent weeks, oldest first. */
                                weeks: {
                                    labels: number;
                                    /** @description The raw path loss the week's labels put at the percentile, dB. */
                                    thresholdDb: number;
                                    /**
                                     * Format: date-time
                                     * @description Start of the 7-day bin.
                                     */
                                    weekStart: string;
                                }[];
                                /** @description The zone learned: the store's floor. */
                                zoneId: string;
                            }[];
                            /** @description Added to every RSSI this radio reports, dB (config site.rssiOffsetDb). */
                            rssiOffsetDb: number;
                            /** @description Edge samples the offset was learned from; null when not surveyed. */
                            samples: number | null;
                            /** @description null: never surveyed with `arrival-gateway calibrate` (or its record is gone). */
                            surveyedAt: string | null;
                            /** @description This gateway's gateway-radius zones. */
                            zones: {
                                /** @description Path loss at the zone's edge, dB: its enter threshold; null when the zone runs on its drawn radius. */
                                edgeLossDb: number | null;
                                /** @description The zone. */
                                zoneId: string;
                            }[];
                        } | null;
                        config: {
                            desiredRevision: number | null;
                            problems: {
                                message: string;
                                path: string;
                            }[];
                            reportedRevision: number | null;
                            /** @description none: nothing pushed; pending: not yet reported; applied or rejected (with problems). */
                            state: "pending" | "applied" | "rejected" | "none";
                        };
                        id: string;
                        lan: {
                            clockOffsetMs: number | null;
                            peers: {
                                clockOffsetMs: number | null;
                                /** @description Heard within the last minute. */
                                heardRecently: boolean;
                                /** @description The peer's gateway id, as configured. */
                                id: string;
                                lastHeardAt: string | null;
                                /** @description Its sightings dropped as late: its clock or the LAN lags. */
                                lateDropped: number;
                                /** @description Its authenticated datagrams refused as stale or replayed. */
                                refused: number;
                                /** @description Its sightings taken in since the gateway started. */
                                sightingsReceived: number;
                            }[];
                            recovery: {
                                /** @description Missing datagrams given up on: the gateways may have decided apart. */
                                givenUp: number;
                                /** @description Peers' datagrams found missing. */
                                missed: number;
                                /** @description Missing datagrams that arrived after all. */
                                recovered: number;
                                /** @description Requests sent to peers for missing datagrams. */
                                requested: number;
                                /** @description Datagrams sent again because a peer asked. */
                                resent: number;
                            } | null;
                            /** @description Configured peers not heard for a minute: meanwhile this gateway decides its zones alone, without their evidence. */
                            silentPeers: string[];
                        } | null;
                        lastSeenAt: string | null;
                        lastTakeoverAt: string | null;
                        name: string;
                        offlineSinceAt: string | null;
                        /** @description Offline for longer than fleet.offlineAlertS. */
                        offlineTooLong: boolean;
                        scan: {
                            lastAdvertAt: string | null;
                            state: "scanning" | "interrupted";
                        } | null;
                        /** @description online: its status says so and it was heard within fleet.staleAfterS; degraded: the same, but its radio is interrupted (powered off, blocked, failing to restart: no presence from it); offline: its status (or last will) says so, or silence; unknown: never heard from. */
                        state: "online" | "degraded" | "offline" | "unknown";
                        storeId: string;
                        /** @description MQTT session takeovers of its client id since the cloud started (embedded broker): a new connection with the same id evicting a live one. More than a few: two processes run with one identity. */
                        takeovers: number;
                        telemetry: {
                            /** @description Adverts heard per second. */
                            advertsPerS: number;
                            /**
                             * Format: date-time
                             * @description When the sample was taken.
                             */
                            at: string;
                            /** @description The gateway's clock against the cloud's; absent when it keeps its system clock (`time.source: system`). */
                            clock?: {
                                /** @description What the gateway adds to its system clock wherever it stamps or decides, ms; 0: its clock agrees with the cloud's within the round trip (kept by NTP), or no reply yet. */
                                correctionMs: number;
                                /** @description The cloud's clock minus the gateway's system clock, ms, as the believed sample measured it; null: no reply yet. */
                                offsetMs: number | null;
                                /** @description Replies refused as absurd (a negative or too long round trip, an offset beyond belief). */
                                refused: number;
                                /** @description That sample's round trip, ms: the offset is right within half of it; null: no reply yet. */
                                roundTripMs: number | null;
                                /** @description Seconds since that sample when the telemetry was taken (it holds through an uplink outage); null: no reply yet. */
                                sampleAgeS: number | null;
                                /** @description Replies taken as samples since the gateway started. */
                                samples: number;
                                /**
                                 * @description The gateway sets its clock by the cloud's, over MQTT (`time` requests).
                                 * @enum {string}
                                 */
                                source: "cloud";
                                /** @description Requests the cloud did not answer in time. */
                                unanswered: number;
                            };
                            /** @description Process CPU, percent of one core (so up to 100 per core). */
                            cpuPercent: number;
                            eventsSent: number;
                            /** @description The store LAN's live fusion, counted since the gateway started; absent without LAN peers. */
                            lan?: {
                                /** @description What this gateway adds to its clock to read the time the store's gateways agree on, ms; 0: its own clock is it. */
                                clockOffsetMs?: number;
                                /** @description Sightings dropped as late, ahead or beyond the merge's bound: a peer's clock or the LAN lags. */
                                lateDropped: number;
                                /** @description Each configured LAN peer, in config order. */
                                peers?: {
                                    /** @description The peer's clock minus this gateway's, ms, as its freshest datagrams tell (less the LAN's delay); null: not heard lately, or too far off to believe. */
                                    clockOffsetMs?: number | null;
                                    /** @description The peer's gatewayId, as configured. */
                                    id: string;
                                    /** @description Seconds since the peer's last authenticated datagram when the sample was taken; null: never heard. */
                                    lastHeardAgeS: number | null;
                                    lateDropped: number;
                                    /** @description Its authenticated datagrams refused as stale or replayed (a datagram failing authentication names no peer). */
                                    refused: number;
                                    sightingsReceived: number;
                                }[];
                                /** @description Lost datagrams asked for again within the lateness allowance. */
                                recovery?: {
                                    /** @description Missing datagrams given up on: too old to merge by then, so the gateways may decide apart. */
                                    givenUp: number;
                                    /** @description Peers' datagrams found missing (a sequence number skipped). */
                                    missed: number;
                                    /** @description Missing datagrams that arrived after all (sent again, or reordered). */
                                    recovered: number;
                                    /** @description Requests this gateway sent its peers for missing datagrams (one may name several). */
                                    requested: number;
                                    /** @description Datagrams this gateway sent again because a peer asked. */
                                    resent: number;
                                };
                                /** @description Datagrams refused: unauthenticated, malformed, oversized, stale, replayed or from no peer. */
                                refused: number;
                                /** @description Peers' sightings taken in. */
                                sightingsReceived: number;
                            };
                            outboxDepth: number;
                            outboxOldestAgeS: number;
                            reconnects: number;
                            rssBytes: number;
                            subjectsTracked: number;
                            /** @description Seconds since the gateway started. */
                            uptimeS: number;
                            /**
                             * @description Message schema version.
                             * @enum {number}
                             */
                            v: 1;
                            version: string;
                        } | null;
                        update: {
                            /**
                             * Format: date-time
                             * @description When the update ended (the gateway's clock).
                             */
                            at: string;
                            from: string | null;
                            /**
                             * @description updated: switched and healthy; rolled-back: switched, not healthy in time, switched back; refused: not verified (or failed here before); failed: could not install.
                             * @enum {string}
                             */
                            outcome: "updated" | "unchanged" | "rolled-back" | "refused" | "failed";
                            reason: string | null;
                            to: string | null;
                        } | null;
                        version: string | null;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        advertising: {
                            error?: string;
                            format?: "ibeacon" | "eddystone-eid";
                            /** Format: date-time */
                            slotStart?: string;
                            state: "advertising" | "off" | "failed";
                        } | null;
                        calibration: {
                            learned?: {
                                learnedAt: string | null;
                                /** @description Labels that gave no sample since the gateway started (not heard, outliers). */
                                refused: number;
                                /** @description The offset learned and run with, dB; null while too few samples (the survey's or config's runs). */
                                rssiOffsetDb: number | null;
                                /** @description Till samples counted since the last survey. */
                                samples: number;
                                /** @description Recent weeks, oldest first. */
                                weeks: {
                                    /** @description Median offset sample of the week, dB. */
                                    medianDb: number;
                                    samples: number;
                                    /**
                                     * Format: date-time
                                     * @description Start of the 7-day bin.
                                     */
                                    weekStart: string;
                                }[];
                            };
                            learnedTraffic?: {
                                /** @description The highest raw edge loss the pavement allows, dB (less the offset, the cap on this gateway's zones); null while too few tracks. */
                                boundDb: number | null;
                                /** @description Short tracks counted since the gateway started. */
                                counted: number;
                                /** @description Tracks counted per day, oldest first. */
                                days: {
                                    /**
                                     * Format: date-time
                                     * @description Start of the day.
                                     */
                                    dayStart: string;
                                    tracks: number;
                                }[];
                                /** @description The strong tail of those tracks' closest approaches (extrapolated from their middle, or the learner's quantile), raw path loss, dB; null before any. */
                                quantileDb: number | null;
                                /** @description Short tracks the bound reads (its last days). */
                                tracks: number;
                            };
                            learnedZones?: {
                                /** @description The edge loss learned and run with, dB; null while too few labels (the survey's or the drawn radius's runs). */
                                edgeLossDb: number | null;
                                /** @description Inside labels counted since the last survey. */
                                labels: number;
                                learnedAt: string | null;
                                /** @description Inside labels that gave no sample since the gateway started. */
                                refused: number;
                                /** @description Where the labels say the edge loss should be now, dB (it moves there a step a day); null while too few labels. */
                                targetDb: number | null;
                                /** @description Recent weeks, oldest first. */
                                weeks: {
                                    labels: number;
                                    /** @description The raw path loss the week's labels put at the percentile, dB. */
                                    thresholdDb: number;
                                    /**
                                     * Format: date-time
                                     * @description Start of the 7-day bin.
                                     */
                                    weekStart: string;
                                }[];
                                /** @description The zone learned: the store's floor. */
                                zoneId: string;
                            }[];
                            /** @description Added to every RSSI this radio reports, dB (config site.rssiOffsetDb). */
                            rssiOffsetDb: number;
                            /** @description Edge samples the offset was learned from; null when not surveyed. */
                            samples: number | null;
                            /** @description null: never surveyed with `arrival-gateway calibrate` (or its record is gone). */
                            surveyedAt: string | null;
                            /** @description This gateway's gateway-radius zones. */
                            zones: {
                                /** @description Path loss at the zone's edge, dB: its enter threshold; null when the zone runs on its drawn radius. */
                                edgeLossDb: number | null;
                                /** @description The zone. */
                                zoneId: string;
                            }[];
                        } | null;
                        config: {
                            desiredRevision: number | null;
                            problems: {
                                message: string;
                                path: string;
                            }[];
                            reportedRevision: number | null;
                            /** @description none: nothing pushed; pending: not yet reported; applied or rejected (with problems). */
                            state: "pending" | "applied" | "rejected" | "none";
                        };
                        id: string;
                        lan: {
                            clockOffsetMs: number | null;
                            peers: {
                                clockOffsetMs: number | null;
                                /** @description Heard within the last minute. */
                                heardRecently: boolean;
                                /** @description The peer's gateway id, as configured. */
                                id: string;
                                lastHeardAt: string | null;
                                /** @description Its sightings dropped as late: its clock or the LAN lags. */
                                lateDropped: number;
                                /** @description Its authenticated datagrams refused as stale or replayed. */
                                refused: number;
                                /** @description Its sightings taken in since the gateway started. */
                                sightingsReceived: number;
                            }[];
                            recovery: {
                                /** @description Missing datagrams given up on: the gateways may have decided apart. */
                                givenUp: number;
                                /** @description Peers' datagrams found missing. */
                                missed: number;
                                /** @description Missing datagrams that arrived after all. */
                                recovered: number;
                                /** @description Requests sent to peers for missing datagrams. */
                                requested: number;
                                /** @description Datagrams sent again because a peer asked. */
                                resent: number;
                            } | null;
                            /** @description Configured peers not heard for a minute: meanwhile this gateway decides its zones alone, without their evidence. */
                            silentPeers: string[];
                        } | null;
                        lastSeenAt: string | null;
                        lastTakeoverAt: string | null;
                        name: string;
                        offlineSinceAt: string | null;
                        /** @description Offline for longer than fleet.offlineAlertS. */
                        offlineTooLong: boolean;
                        scan: {
                            lastAdvertAt: string | null;
                            state: "scanning" | "interrupted";
                        } | null;
                        /** @description online: its status says so and it was heard within fleet.staleAfterS; degraded: the same, but its radio is interrupted (powered off, blocked, failing to restart: no presence from it); offline: its status (or last will) says so, or silence; unknown: never heard from. */
                        state: "online" | "degraded" | "offline" | "unknown";
                        storeId: string;
                        /** @description MQTT session takeovers of its client id since the cloud started (embedded broker): a new connection with the same id evicting a live one. More than a few: two processes run with one identity. */
                        takeovers: number;
                        telemetry: {
                            /** @description Adverts heard per second. */
                            advertsPerS: number;
                            /**
                             * Format: date-time
                             * @description When the sample was taken.
                             */
                            at: string;
                            /** @description The gateway's clock against the cloud's; absent when it keeps its system clock (`time.source: system`). */
                            clock?: {
                                /** @description What the gateway adds to its system clock wherever it stamps or decides, ms; 0: its clock agrees with the cloud's within the round trip (kept by NTP), or no reply yet. */
                                correctionMs: number;
                                /** @description The cloud's clock minus the gateway's system clock, ms, as the believed sample measured it; null: no reply yet. */
                                offsetMs: number | null;
                                /** @description Replies refused as absurd (a negative or too long round trip, an offset beyond belief). */
                                refused: number;
                                /** @description That sample's round trip, ms: the offset is right within half of it; null: no reply yet. */
                                roundTripMs: number | null;
                                /** @description Seconds since that sample when the telemetry was taken (it holds through an uplink outage); null: no reply yet. */
                                sampleAgeS: number | null;
                                /** @description Replies taken as samples since the gateway started. */
                                samples: number;
                                /**
                                 * @description The gateway sets its clock by the cloud's, over MQTT (`time` requests).
                                 * @enum {string}
                                 */
                                source: "cloud";
                                /** @description Requests the cloud did not answer in time. */
                                unanswered: number;
                            };
                            /** @description Process CPU, percent of one core (so up to 100 per core). */
                            cpuPercent: number;
                            eventsSent: number;
                            /** @description The store LAN's live fusion, counted since the gateway started; absent without LAN peers. */
                            lan?: {
                                /** @description What this gateway adds to its clock to read the time the store's gateways agree on, ms; 0: its own clock is it. */
                                clockOffsetMs?: number;
                                /** @description Sightings dropped as late, ahead or beyond the merge's bound: a peer's clock or the LAN lags. */
                                lateDropped: number;
                                /** @description Each configured LAN peer, in config order. */
                                peers?: {
                                    /** @description The peer's clock minus this gateway's, ms, as its freshest datagrams tell (less the LAN's delay); null: not heard lately, or too far off to believe. */
                                    clockOffsetMs?: number | null;
                                    /** @description The peer's gatewayId, as configured. */
                                    id: string;
                                    /** @description Seconds since the peer's last authenticated datagram when the sample was taken; null: never heard. */
                                    lastHeardAgeS: number | null;
                                    lateDropped: number;
                                    /** @description Its authenticated datagrams refused as stale or replayed (a datagram failing authentication names no peer). */
                                    refused: number;
                                    sightingsReceived: number;
                                }[];
                                /** @description Lost datagrams asked for again within the lateness allowance. */
                                recovery?: {
                                    /** @description Missing datagrams given up on: too old to merge by then, so the gateways may decide apart. */
                                    givenUp: number;
                                    /** @description Peers' datagrams found missing (a sequence number skipped). */
                                    missed: number;
                                    /** @description Missing datagrams that arrived after all (sent again, or reordered). */
                                    recovered: number;
                                    /** @description Requests this gateway sent its peers for missing datagrams (one may name several). */
                                    requested: number;
                                    /** @description Datagrams this gateway sent again because a peer asked. */
                                    resent: number;
                                };
                                /** @description Datagrams refused: unauthenticated, malformed, oversized, stale, replayed or from no peer. */
                                refused: number;
                                /** @description Peers' sightings taken in. */
                                sightingsReceived: number;
                            };
                            outboxDepth: number;
                            outboxOldestAgeS: number;
                            reconnects: number;
                            rssBytes: number;
                            subjectsTracked: number;
                            /** @description Seconds since the gateway started. */
                            uptimeS: number;
                            /**
                             * @description Message schema version.
                             * @enum {number}
                             */
                            v: 1;
                            version: string;
                        } | null;
                        update: {
                            /**
                             * Format: date-time
                             * @description When the update ended (the gateway's clock).
                             */
                            at: string;
                            from: string | null;
                            /**
                             * @description updated: switched and healthy; rolled-back: switched, not healthy in time, switched back; refused: not verified (or failed here before); failed: could not install.
                             * @enum {string}
                             */
                            outcome: "updated" | "unchanged" | "rolled-back" | "refused" | "failed";
                            reason: string | null;
                            to: string | null;
                        } | null;
                        version: string | null;
                    };
                };
            };
        };
    };
    getStoresPushPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description At most one offer notified per member per this many minutes; null: the cloud's default. Organisation only. */
                        frequencyCapMinutes: number | null;
                        /** @description Null: no quiet hours (a store then falls back to the organisation's). */
                        quietHours: {
                            /** @description Local time HH:MM. */
                            end: string;
                            /** @description Local time HH:MM. */
                            start: string;
                        } | null;
                    };
                };
            };
        };
    };
    putStoresPushPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description At most one offer notified per member per this many minutes; null: the cloud's default. Organisation only. */
                    frequencyCapMinutes: number | null;
                    /** @description Null: no quiet hours (a store then falls back to the organisation's). */
                    quietHours: {
                        /** @description Local time HH:MM. */
                        end: string;
                        /** @description Local time HH:MM. */
                        start: string;
                    } | null;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description At most one offer notified per member per this many minutes; null: the cloud's default. Organisation only. */
                        frequencyCapMinutes: number | null;
                        /** @description Null: no quiet hours (a store then falls back to the organisation's). */
                        quietHours: {
                            /** @description Local time HH:MM. */
                            end: string;
                            /** @description Local time HH:MM. */
                            start: string;
                        } | null;
                    };
                };
            };
        };
    };
    getStoresRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        canaryShare: number;
                        /** @description Epoch ms. */
                        createdAt: number;
                        healthGateS: number;
                        paused: boolean;
                        plan: {
                            /** @description Gateways told (or to be told) to update now. */
                            assign: string[];
                            canaries: string[];
                            /** @description Gateways that run the release. */
                            done: string[];
                            /** @description Gateways that rolled it back, refused or failed it: see their `update`. */
                            failed: string[];
                            /** @description canary: the first share is updating; gated: waiting for the health gate; rest: the others are updating; halted: a gateway rolled it back. */
                            phase: "paused" | "canary" | "gated" | "rest" | "done" | "halted";
                            reason: string;
                        };
                        release: string;
                        sha256: string;
                        storeId: string;
                        url: string;
                    };
                };
            };
        };
    };
    putStoresRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Share of the store's gateways that go first (at least one); default 0.1. */
                    canaryShare?: number;
                    /** @description How long every canary must run it online and scanning before the rest go, s; default 900. */
                    healthGateS?: number;
                    /** @description The release to run, VERSION-HASH (install-release.sh's name). */
                    release: string;
                    /** @description The tarball's SHA-256, checked after download. */
                    sha256: string;
                    /** @description Where the tarball is; its .sha256 and .sig are at the same URL with those suffixes. */
                    url: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        canaryShare: number;
                        /** @description Epoch ms. */
                        createdAt: number;
                        healthGateS: number;
                        paused: boolean;
                        plan: {
                            /** @description Gateways told (or to be told) to update now. */
                            assign: string[];
                            canaries: string[];
                            /** @description Gateways that run the release. */
                            done: string[];
                            /** @description Gateways that rolled it back, refused or failed it: see their `update`. */
                            failed: string[];
                            /** @description canary: the first share is updating; gated: waiting for the health gate; rest: the others are updating; halted: a gateway rolled it back. */
                            phase: "paused" | "canary" | "gated" | "rest" | "done" | "halted";
                            reason: string;
                        };
                        release: string;
                        sha256: string;
                        storeId: string;
                        url: string;
                    };
                };
            };
        };
    };
    postStoresRolloutPause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        canaryShare: number;
                        /** @description Epoch ms. */
                        createdAt: number;
                        healthGateS: number;
                        paused: boolean;
                        plan: {
                            /** @description Gateways told (or to be told) to update now. */
                            assign: string[];
                            canaries: string[];
                            /** @description Gateways that run the release. */
                            done: string[];
                            /** @description Gateways that rolled it back, refused or failed it: see their `update`. */
                            failed: string[];
                            /** @description canary: the first share is updating; gated: waiting for the health gate; rest: the others are updating; halted: a gateway rolled it back. */
                            phase: "paused" | "canary" | "gated" | "rest" | "done" | "halted";
                            reason: string;
                        };
                        release: string;
                        sha256: string;
                        storeId: string;
                        url: string;
                    };
                };
            };
        };
    };
    postStoresRolloutResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        canaryShare: number;
                        /** @description Epoch ms. */
                        createdAt: number;
                        healthGateS: number;
                        paused: boolean;
                        plan: {
                            /** @description Gateways told (or to be told) to update now. */
                            assign: string[];
                            canaries: string[];
                            /** @description Gateways that run the release. */
                            done: string[];
                            /** @description Gateways that rolled it back, refused or failed it: see their `update`. */
                            failed: string[];
                            /** @description canary: the first share is updating; gated: waiting for the health gate; rest: the others are updating; halted: a gateway rolled it back. */
                            phase: "paused" | "canary" | "gated" | "rest" | "done" | "halted";
                            reason: string;
                        };
                        release: string;
                        sha256: string;
                        storeId: string;
                        url: string;
                    };
                };
            };
        };
    };
    getStoresVisitCounts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        visits: {
                            /** @description The store's local day of entry (its timezone; UTC if unknown), YYYY-MM-DD. */
                            day: string;
                            visits: number;
                            zoneId: string;
                        }[];
                    };
                };
            };
        };
    };
    getStoresVisits: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page; omit for the newest page. */
                cursor?: string;
                /** @description Inclusive start (event time, visit start); a day starts at midnight in the store's timezone. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                from?: string;
                /** @description Page size, default 100. */
                limit?: number;
                subjectId?: string;
                /** @description Exclusive end; a day starts at midnight in the store's timezone. An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start. */
                to?: string;
                userId?: string;
                zoneId?: string;
            };
            header?: never;
            path: {
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Null on the last page. */
                        nextCursor: string | null;
                        visits: {
                            dwellMs: number;
                            /** Format: date-time */
                            enteredAt: string;
                            exitedAt: string | null;
                            id: string;
                            /** Format: date-time */
                            lastEventAt: string;
                            storeId: string;
                            subjectId: string;
                            userId: string | null;
                            zoneId: string;
                        }[];
                    };
                };
            };
        };
    };
    getStoresZones: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        zones: {
                            id: string;
                            name: string;
                            storeId: string;
                            tags: string[];
                            /** @description The geofence as gateways apply it; null for a zone stored before zones were validated. */
                            zone: ({
                                /** @description Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM. */
                                edgeLossDb?: number;
                                /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                                exitMarginM?: number;
                                /** @description Gateway at the centre of the circle. */
                                gatewayId: string;
                                /** @description Zone id. */
                                id: string;
                                name?: string;
                                /** @description Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry. */
                                peerEdges?: {
                                    /** @description Path loss that gateway measured along this zone's edge during the site survey, dB. */
                                    edgeLossDb: number;
                                    /** @description Another gateway of the store that pools its evidence into this zone. */
                                    gatewayId: string;
                                }[];
                                /** @description Radius, metres. */
                                radiusM: number;
                                /** @enum {string} */
                                shape: "gateway-radius";
                            } | {
                                center: {
                                    lat: number;
                                    lon: number;
                                };
                                /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                                exitMarginM?: number;
                                /** @description Zone id. */
                                id: string;
                                name?: string;
                                radiusM: number;
                                /** @enum {string} */
                                shape: "circle";
                            } | {
                                /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                                exitMarginM?: number;
                                /** @description Zone id. */
                                id: string;
                                name?: string;
                                points: {
                                    lat: number;
                                    lon: number;
                                }[];
                                /** @enum {string} */
                                shape: "polygon";
                            }) | null;
                        }[];
                    };
                };
            };
        };
    };
    postStoresZones: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Tags that rules select stores or zones by. */
                    tags?: string[];
                    zone: {
                        /** @description Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM. */
                        edgeLossDb?: number;
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Gateway at the centre of the circle. */
                        gatewayId: string;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        /** @description Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry. */
                        peerEdges?: {
                            /** @description Path loss that gateway measured along this zone's edge during the site survey, dB. */
                            edgeLossDb: number;
                            /** @description Another gateway of the store that pools its evidence into this zone. */
                            gatewayId: string;
                        }[];
                        /** @description Radius, metres. */
                        radiusM: number;
                        /** @enum {string} */
                        shape: "gateway-radius";
                    } | {
                        center: {
                            lat: number;
                            lon: number;
                        };
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        radiusM: number;
                        /** @enum {string} */
                        shape: "circle";
                    } | {
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        points: {
                            lat: number;
                            lon: number;
                        }[];
                        /** @enum {string} */
                        shape: "polygon";
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        storeId: string;
                        tags: string[];
                        /** @description The geofence as gateways apply it; null for a zone stored before zones were validated. */
                        zone: ({
                            /** @description Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM. */
                            edgeLossDb?: number;
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Gateway at the centre of the circle. */
                            gatewayId: string;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            /** @description Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry. */
                            peerEdges?: {
                                /** @description Path loss that gateway measured along this zone's edge during the site survey, dB. */
                                edgeLossDb: number;
                                /** @description Another gateway of the store that pools its evidence into this zone. */
                                gatewayId: string;
                            }[];
                            /** @description Radius, metres. */
                            radiusM: number;
                            /** @enum {string} */
                            shape: "gateway-radius";
                        } | {
                            center: {
                                lat: number;
                                lon: number;
                            };
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            radiusM: number;
                            /** @enum {string} */
                            shape: "circle";
                        } | {
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            points: {
                                lat: number;
                                lon: number;
                            }[];
                            /** @enum {string} */
                            shape: "polygon";
                        }) | null;
                    };
                };
            };
        };
    };
    getStoresZonesByZoneId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
                /** @description Zone id. */
                zoneId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        storeId: string;
                        tags: string[];
                        /** @description The geofence as gateways apply it; null for a zone stored before zones were validated. */
                        zone: ({
                            /** @description Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM. */
                            edgeLossDb?: number;
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Gateway at the centre of the circle. */
                            gatewayId: string;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            /** @description Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry. */
                            peerEdges?: {
                                /** @description Path loss that gateway measured along this zone's edge during the site survey, dB. */
                                edgeLossDb: number;
                                /** @description Another gateway of the store that pools its evidence into this zone. */
                                gatewayId: string;
                            }[];
                            /** @description Radius, metres. */
                            radiusM: number;
                            /** @enum {string} */
                            shape: "gateway-radius";
                        } | {
                            center: {
                                lat: number;
                                lon: number;
                            };
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            radiusM: number;
                            /** @enum {string} */
                            shape: "circle";
                        } | {
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            points: {
                                lat: number;
                                lon: number;
                            }[];
                            /** @enum {string} */
                            shape: "polygon";
                        }) | null;
                    };
                };
            };
        };
    };
    putStoresZonesByZoneId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
                /** @description Zone id. */
                zoneId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Tags that rules select stores or zones by. */
                    tags?: string[];
                    zone: {
                        /** @description Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM. */
                        edgeLossDb?: number;
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Gateway at the centre of the circle. */
                        gatewayId: string;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        /** @description Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry. */
                        peerEdges?: {
                            /** @description Path loss that gateway measured along this zone's edge during the site survey, dB. */
                            edgeLossDb: number;
                            /** @description Another gateway of the store that pools its evidence into this zone. */
                            gatewayId: string;
                        }[];
                        /** @description Radius, metres. */
                        radiusM: number;
                        /** @enum {string} */
                        shape: "gateway-radius";
                    } | {
                        center: {
                            lat: number;
                            lon: number;
                        };
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        radiusM: number;
                        /** @enum {string} */
                        shape: "circle";
                    } | {
                        /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                        exitMarginM?: number;
                        /** @description Zone id. */
                        id: string;
                        name?: string;
                        points: {
                            lat: number;
                            lon: number;
                        }[];
                        /** @enum {string} */
                        shape: "polygon";
                    };
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        storeId: string;
                        tags: string[];
                        /** @description The geofence as gateways apply it; null for a zone stored before zones were validated. */
                        zone: ({
                            /** @description Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM. */
                            edgeLossDb?: number;
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Gateway at the centre of the circle. */
                            gatewayId: string;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            /** @description Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry. */
                            peerEdges?: {
                                /** @description Path loss that gateway measured along this zone's edge during the site survey, dB. */
                                edgeLossDb: number;
                                /** @description Another gateway of the store that pools its evidence into this zone. */
                                gatewayId: string;
                            }[];
                            /** @description Radius, metres. */
                            radiusM: number;
                            /** @enum {string} */
                            shape: "gateway-radius";
                        } | {
                            center: {
                                lat: number;
                                lon: number;
                            };
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            radiusM: number;
                            /** @enum {string} */
                            shape: "circle";
                        } | {
                            /** @description Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM. */
                            exitMarginM?: number;
                            /** @description Zone id. */
                            id: string;
                            name?: string;
                            points: {
                                lat: number;
                                lon: number;
                            }[];
                            /** @enum {string} */
                            shape: "polygon";
                        }) | null;
                    };
                };
            };
        };
    };
    deleteStoresZonesByZoneId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Store id. */
                storeId: string;
                /** @description Zone id. */
                zoneId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deleted: boolean;
                    };
                };
            };
        };
    };
    getUsersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id, as the CRM and the app know it. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            /** @description Presence may be used for analytics. */
                            analytics: boolean;
                            /** @description Offers may be sent. */
                            marketing: boolean;
                        };
                        displayName: string | null;
                        id: string;
                        loyaltyTier: string | null;
                        segments: string[];
                    };
                };
            };
        };
    };
    putUsersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id, as the CRM and the app know it. */
                userId: string;
            };
            cookie?: never;
        };
        /** @description The whole profile (absent fields are cleared), except consent, which is kept when absent and may be set here by an admin key only. */
        requestBody: {
            content: {
                "application/json": {
                    consent?: {
                        /** @description Presence may be used for analytics. */
                        analytics: boolean;
                        /** @description Offers may be sent. */
                        marketing: boolean;
                    };
                    displayName?: string | null;
                    loyaltyTier?: string | null;
                    /** @description Segments rules target. */
                    segments?: string[];
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            /** @description Presence may be used for analytics. */
                            analytics: boolean;
                            /** @description Offers may be sent. */
                            marketing: boolean;
                        };
                        displayName: string | null;
                        id: string;
                        loyaltyTier: string | null;
                        segments: string[];
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            /** @description Presence may be used for analytics. */
                            analytics: boolean;
                            /** @description Offers may be sent. */
                            marketing: boolean;
                        };
                        displayName: string | null;
                        id: string;
                        loyaltyTier: string | null;
                        segments: string[];
                    };
                };
            };
        };
    };
    deleteUsersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id, as the CRM and the app know it. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        anonymisedOffers: number;
                        /** @description Rows deleted, by table. */
                        deleted: {
                            [key: string]: number;
                        };
                        pseudonymisedAudit: number;
                        /** @description Random pseudonym of the erased user in kept records. */
                        reference: string;
                    };
                };
            };
        };
    };
    putUsersConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id, as the CRM and the app know it. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Presence may be used for analytics. */
                    analytics: boolean;
                    /** @description Offers may be sent. */
                    marketing: boolean;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            /** @description Presence may be used for analytics. */
                            analytics: boolean;
                            /** @description Offers may be sent. */
                            marketing: boolean;
                        };
                        displayName: string | null;
                        id: string;
                        loyaltyTier: string | null;
                        segments: string[];
                    };
                };
            };
        };
    };
    getUsersCoupons: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        coupons: {
                            /** @description `rule:<ruleId>` for a proximity rule's offer. */
                            batchId: string;
                            /** @enum {string} */
                            channel: "rule" | "online" | "segment" | "till" | "points";
                            channelTag: string | null;
                            code: string;
                            couponId: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            giftPasses: number;
                            /** Format: date-time */
                            issuedAt: string;
                            /** @enum {string} */
                            status: "issued" | "delivered" | "viewed" | "redeemed" | "expired" | "voided";
                            storeIds: string[];
                            terms: ({
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "percent";
                                /** @description Cap on the discount. In the currency's minor unit (cents). */
                                maxDiscountMinor?: number;
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                percent: number;
                            } | {
                                /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "amount";
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                            } | {
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @description What the shopper sees. */
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                                /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                /** @description The SKU given free: one unit of it in the basket is discounted. */
                                sku: string;
                            } | {
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "spend-save";
                                /** @description Spend X save Y; the highest tier reached applies. */
                                tiers: {
                                    /** @description this is saved. In the currency's minor unit (cents). */
                                    saveMinor: number;
                                    /** @description Eligible spend from which In the currency's minor unit (cents). */
                                    spendMinor: number;
                                }[];
                            }) | null;
                            text: string;
                            title: string;
                            /** Format: date-time */
                            validFrom: string;
                        }[];
                    };
                };
            };
        };
    };
    getUsersCouponsByCouponId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                couponId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        coupon: {
                            /** @description `rule:<ruleId>` for a proximity rule's offer. */
                            batchId: string;
                            /** @enum {string} */
                            channel: "rule" | "online" | "segment" | "till" | "points";
                            channelTag: string | null;
                            code: string;
                            couponId: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            giftPasses: number;
                            /** Format: date-time */
                            issuedAt: string;
                            /** @enum {string} */
                            status: "issued" | "delivered" | "viewed" | "redeemed" | "expired" | "voided";
                            storeIds: string[];
                            terms: ({
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "percent";
                                /** @description Cap on the discount. In the currency's minor unit (cents). */
                                maxDiscountMinor?: number;
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                percent: number;
                            } | {
                                /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "amount";
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                            } | {
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @description What the shopper sees. */
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                                /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                /** @description The SKU given free: one unit of it in the basket is discounted. */
                                sku: string;
                            } | {
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "spend-save";
                                /** @description Spend X save Y; the highest tier reached applies. */
                                tiers: {
                                    /** @description this is saved. In the currency's minor unit (cents). */
                                    saveMinor: number;
                                    /** @description Eligible spend from which In the currency's minor unit (cents). */
                                    spendMinor: number;
                                }[];
                            }) | null;
                            text: string;
                            title: string;
                            /** Format: date-time */
                            validFrom: string;
                        };
                    };
                };
            };
        };
    };
    postUsersCouponsGifts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                couponId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        gift: {
                            couponId: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            giftId: string;
                            /**
                             * @description pending (waiting for the friend), accepted, declined, or timed-out (unanswered in time: the coupon stayed with its giver).
                             * @enum {string}
                             */
                            state: "pending" | "accepted" | "declined" | "timed-out";
                        };
                        token: string;
                    };
                };
            };
        };
    };
    postUsersCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description A new MQTT credential. Issuing again replaces the earlier password. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Connect with exactly this client id. */
                        clientId: string;
                        /** @description Shown once; store it where the client reads it. */
                        password: string;
                        username: string;
                    };
                };
            };
        };
    };
    deleteUsersCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description false when there was no active credential */
                        revoked: boolean;
                        username: string;
                    };
                };
            };
        };
    };
    getUsersDecisions: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Decisions per page, newest first; default 100. */
                limit?: number;
            };
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        decisions: {
                            /** Format: date-time */
                            decidedAt: string;
                            eventId: string;
                            offerId: string | null;
                            /** @description issued, held-out or not-issued */
                            outcome: string;
                            /** @description eligible, held-out, or why not (rule-not-live, stale-event, visit-ended, scope-mismatch, …) */
                            reason: string;
                            ruleId: string;
                            ruleVersion: number;
                            /** @description For a phone's geofence entry: the plausibility verdict (flags, accuracy, distance, speed) and whether the store's gateways saw the user then. */
                            signals?: {
                                [key: string]: unknown;
                            };
                            storeId: string;
                            /** @description The reason in words, with the numbers that decided it. */
                            text: string;
                            userId: string | null;
                            visitId: string;
                            zoneId: string;
                        }[];
                        /** @description null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    getUsersDevices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id, as the CRM and the app know it. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        devices: {
                            identity: ({
                                /** @enum {string} */
                                kind: "ibeacon";
                                /** @description Major. */
                                major: number;
                                /** @description Minor. */
                                minor: number;
                                /** @description Proximity UUID, with or without dashes. */
                                uuid: string;
                            } | {
                                /** @description First 16 bytes of the beacon id, hex (dashes allowed). */
                                id1: string;
                                /** @description Next 2 bytes. */
                                id2: number;
                                /** @description Last 2 bytes. */
                                id3: number;
                                /** @enum {string} */
                                kind: "altbeacon";
                            } | {
                                /** @description 6-byte instance, hex. */
                                instance: string;
                                /** @enum {string} */
                                kind: "eddystone-uid";
                                /** @description 10-byte namespace, hex. */
                                namespace: string;
                            }) | null;
                            label: string | null;
                            /** Format: date-time */
                            registeredAt: string;
                            /** @description The id gateways report when they hear this beacon. */
                            subjectId: string;
                        }[];
                    };
                };
            };
        };
    };
    postUsersDevices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id, as the CRM and the app know it. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    identity: {
                        /** @enum {string} */
                        kind: "ibeacon";
                        /** @description Major. */
                        major: number;
                        /** @description Minor. */
                        minor: number;
                        /** @description Proximity UUID, with or without dashes. */
                        uuid: string;
                    } | {
                        /** @description First 16 bytes of the beacon id, hex (dashes allowed). */
                        id1: string;
                        /** @description Next 2 bytes. */
                        id2: number;
                        /** @description Last 2 bytes. */
                        id3: number;
                        /** @enum {string} */
                        kind: "altbeacon";
                    } | {
                        /** @description 6-byte instance, hex. */
                        instance: string;
                        /** @enum {string} */
                        kind: "eddystone-uid";
                        /** @description 10-byte namespace, hex. */
                        namespace: string;
                    };
                    label?: string | null;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        identity: ({
                            /** @enum {string} */
                            kind: "ibeacon";
                            /** @description Major. */
                            major: number;
                            /** @description Minor. */
                            minor: number;
                            /** @description Proximity UUID, with or without dashes. */
                            uuid: string;
                        } | {
                            /** @description First 16 bytes of the beacon id, hex (dashes allowed). */
                            id1: string;
                            /** @description Next 2 bytes. */
                            id2: number;
                            /** @description Last 2 bytes. */
                            id3: number;
                            /** @enum {string} */
                            kind: "altbeacon";
                        } | {
                            /** @description 6-byte instance, hex. */
                            instance: string;
                            /** @enum {string} */
                            kind: "eddystone-uid";
                            /** @description 10-byte namespace, hex. */
                            namespace: string;
                        }) | null;
                        label: string | null;
                        /** Format: date-time */
                        registeredAt: string;
                        /** @description The id gateways report when they hear this beacon. */
                        subjectId: string;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        identity: ({
                            /** @enum {string} */
                            kind: "ibeacon";
                            /** @description Major. */
                            major: number;
                            /** @description Minor. */
                            minor: number;
                            /** @description Proximity UUID, with or without dashes. */
                            uuid: string;
                        } | {
                            /** @description First 16 bytes of the beacon id, hex (dashes allowed). */
                            id1: string;
                            /** @description Next 2 bytes. */
                            id2: number;
                            /** @description Last 2 bytes. */
                            id3: number;
                            /** @enum {string} */
                            kind: "altbeacon";
                        } | {
                            /** @description 6-byte instance, hex. */
                            instance: string;
                            /** @enum {string} */
                            kind: "eddystone-uid";
                            /** @description 10-byte namespace, hex. */
                            namespace: string;
                        }) | null;
                        label: string | null;
                        /** Format: date-time */
                        registeredAt: string;
                        /** @description The id gateways report when they hear this beacon. */
                        subjectId: string;
                    };
                };
            };
        };
    };
    deleteUsersDevicesBySubjectId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The device's subject id, as listed. */
                subjectId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        removed: boolean;
                    };
                };
            };
        };
    };
    putUsersEidKeysByInstallId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app install (one key per install). */
                installId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The install's 16-byte Eddystone-EID identity key, lowercase hex. Never returned. */
                    identityKey: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        installId: string;
                        /** @description Advertise a new EID every 2^K seconds. */
                        rotationExponent: number;
                    };
                };
            };
        };
    };
    postUsersGeofenceEntries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Horizontal accuracy radius, metres. */
                    accuracyM: number;
                    /**
                     * Format: date-time
                     * @description When the fix was taken.
                     */
                    at: string;
                    lat: number;
                    lon: number;
                    /** @description Store whose geofence the OS reported entered. */
                    storeId: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        eventId: string;
                        /** @description Why the fix is implausible (empty when plausible). */
                        flags: string[];
                        /** @description False: stored and flagged, decided no further. */
                        plausible: boolean;
                        signals: {
                            accuracyM: number;
                            distanceFromStoreM: number | null;
                            flags: string[];
                            plausible: boolean;
                            /** @description null: the store has no gateways; otherwise whether they saw this user within ±10 min. */
                            seenByStoreGateways: boolean | null;
                            /** @enum {string} */
                            source: "phone-geofence";
                            speedFromPreviousMps: number | null;
                        };
                    };
                };
            };
        };
    };
    postUsersMemberCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        /** Format: date-time */
                        expiresAt: string;
                        qr: string;
                    };
                };
            };
        };
    };
    getUsersOffers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        offers: {
                            code: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: date-time */
                            issuedAt: string;
                            offerId: string;
                            ruleId: string;
                            status: string;
                            storeId: string;
                            text: string;
                            title: string;
                            zoneId: string;
                        }[];
                    };
                };
            };
        };
    };
    postUsersOffersAcknowledgements: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                offerId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    kind: "delivered" | "viewed";
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        offer: {
                            code: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: date-time */
                            issuedAt: string;
                            offerId: string;
                            ruleId: string;
                            status: string;
                            storeId: string;
                            text: string;
                            title: string;
                            zoneId: string;
                        };
                    };
                };
            };
        };
    };
    getUsersPoints: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Spendable points; never negative. */
                        balance: number;
                        nextExpiry: {
                            /** Format: date-time */
                            at: string;
                            points: number;
                        } | null;
                        /** @description Points reversed after they were spent; the next earnings settle them. */
                        owed: number;
                        tier: string | null;
                    };
                };
            };
        };
    };
    postUsersPointsAdjustments: {
        parameters: {
            query?: never;
            header: {
                "idempotency-key": string;
            };
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Positive adds a lot, negative takes points (never below zero). */
                    points: number;
                    /** @description Why; kept on the entry with the admin key's id. */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        balance: number;
                        entry: {
                            /** Format: date-time */
                            at: string;
                            expiresAt: string | null;
                            id: string;
                            /** @enum {string} */
                            kind: "earn" | "spend" | "expire" | "adjust" | "reverse" | "transfer-out" | "transfer-in";
                            /** @description Signed. */
                            points: number;
                            reason: string | null;
                            reference: string | null;
                            reverses: string | null;
                            seq: number;
                            /** @enum {string} */
                            source: "store-visit" | "till-purchase" | "online-order" | "coupon-redemption" | "points-exchange" | "referral" | "admin-adjustment" | "transfer" | "expiry";
                        };
                        owed: number;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        balance: number;
                        entry: {
                            /** Format: date-time */
                            at: string;
                            expiresAt: string | null;
                            id: string;
                            /** @enum {string} */
                            kind: "earn" | "spend" | "expire" | "adjust" | "reverse" | "transfer-out" | "transfer-in";
                            /** @description Signed. */
                            points: number;
                            reason: string | null;
                            reference: string | null;
                            reverses: string | null;
                            seq: number;
                            /** @enum {string} */
                            source: "store-visit" | "till-purchase" | "online-order" | "coupon-redemption" | "points-exchange" | "referral" | "admin-adjustment" | "transfer" | "expiry";
                        };
                        owed: number;
                    };
                };
            };
        };
    };
    postUsersPointsExchanges: {
        parameters: {
            query?: never;
            header: {
                "idempotency-key": string;
            };
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A batch issued through the `points` channel, with its `pointsPrice`. */
                    batchId: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Spendable points after the exchange; null on a replay. */
                        balance: number | null;
                        coupon: {
                            /** @description `rule:<ruleId>` for a proximity rule's offer. */
                            batchId: string;
                            /** @enum {string} */
                            channel: "rule" | "online" | "segment" | "till" | "points";
                            channelTag: string | null;
                            code: string;
                            couponId: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            giftPasses: number;
                            /** Format: date-time */
                            issuedAt: string;
                            /** @enum {string} */
                            status: "issued" | "delivered" | "viewed" | "redeemed" | "expired" | "voided";
                            storeIds: string[];
                            terms: ({
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "percent";
                                /** @description Cap on the discount. In the currency's minor unit (cents). */
                                maxDiscountMinor?: number;
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                percent: number;
                            } | {
                                /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "amount";
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                            } | {
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @description What the shopper sees. */
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                                /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                /** @description The SKU given free: one unit of it in the basket is discounted. */
                                sku: string;
                            } | {
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "spend-save";
                                /** @description Spend X save Y; the highest tier reached applies. */
                                tiers: {
                                    /** @description this is saved. In the currency's minor unit (cents). */
                                    saveMinor: number;
                                    /** @description Eligible spend from which In the currency's minor unit (cents). */
                                    spendMinor: number;
                                }[];
                            }) | null;
                            text: string;
                            title: string;
                            /** Format: date-time */
                            validFrom: string;
                        };
                        /** @description The batch's points price, spent from the lots that expire soonest. */
                        pointsSpent: number;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Spendable points after the exchange; null on a replay. */
                        balance: number | null;
                        coupon: {
                            /** @description `rule:<ruleId>` for a proximity rule's offer. */
                            batchId: string;
                            /** @enum {string} */
                            channel: "rule" | "online" | "segment" | "till" | "points";
                            channelTag: string | null;
                            code: string;
                            couponId: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            giftPasses: number;
                            /** Format: date-time */
                            issuedAt: string;
                            /** @enum {string} */
                            status: "issued" | "delivered" | "viewed" | "redeemed" | "expired" | "voided";
                            storeIds: string[];
                            terms: ({
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "percent";
                                /** @description Cap on the discount. In the currency's minor unit (cents). */
                                maxDiscountMinor?: number;
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                percent: number;
                            } | {
                                /** @description Amount off, never more than the eligible spend. In the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "amount";
                                /** @description Eligible spend needed. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                            } | {
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @description What the shopper sees. */
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                                /** @description Spend needed on the other eligible lines. In the currency's minor unit (cents). */
                                minSpendMinor?: number;
                                /** @description The SKU given free: one unit of it in the basket is discounted. */
                                sku: string;
                            } | {
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @description Absent: every line of the basket is eligible. */
                                eligible?: {
                                    categories?: string[];
                                    skus?: string[];
                                };
                                /** @enum {string} */
                                kind: "spend-save";
                                /** @description Spend X save Y; the highest tier reached applies. */
                                tiers: {
                                    /** @description this is saved. In the currency's minor unit (cents). */
                                    saveMinor: number;
                                    /** @description Eligible spend from which In the currency's minor unit (cents). */
                                    spendMinor: number;
                                }[];
                            }) | null;
                            text: string;
                            title: string;
                            /** Format: date-time */
                            validFrom: string;
                        };
                        /** @description The batch's points price, spent from the lots that expire soonest. */
                        pointsSpent: number;
                    };
                };
            };
        };
    };
    getUsersPointsHistory: {
        parameters: {
            query?: {
                /** @description The `seq` of the last entry of the previous page. */
                beforeSeq?: number;
                limit?: number;
            };
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            /** Format: date-time */
                            at: string;
                            expiresAt: string | null;
                            id: string;
                            /** @enum {string} */
                            kind: "earn" | "spend" | "expire" | "adjust" | "reverse" | "transfer-out" | "transfer-in";
                            /** @description Signed. */
                            points: number;
                            reason: string | null;
                            reference: string | null;
                            reverses: string | null;
                            seq: number;
                            /** @enum {string} */
                            source: "store-visit" | "till-purchase" | "online-order" | "coupon-redemption" | "points-exchange" | "referral" | "admin-adjustment" | "transfer" | "expiry";
                        }[];
                    };
                };
            };
        };
    };
    postUsersPointsTransfers: {
        parameters: {
            query?: never;
            header: {
                "idempotency-key": string;
            };
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    points: number;
                    toUserId: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The sender's balance after the transfer. */
                        balance: number;
                        entry: {
                            /** Format: date-time */
                            at: string;
                            expiresAt: string | null;
                            id: string;
                            /** @enum {string} */
                            kind: "earn" | "spend" | "expire" | "adjust" | "reverse" | "transfer-out" | "transfer-in";
                            /** @description Signed. */
                            points: number;
                            reason: string | null;
                            reference: string | null;
                            reverses: string | null;
                            seq: number;
                            /** @enum {string} */
                            source: "store-visit" | "till-purchase" | "online-order" | "coupon-redemption" | "points-exchange" | "referral" | "admin-adjustment" | "transfer" | "expiry";
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The sender's balance after the transfer. */
                        balance: number;
                        entry: {
                            /** Format: date-time */
                            at: string;
                            expiresAt: string | null;
                            id: string;
                            /** @enum {string} */
                            kind: "earn" | "spend" | "expire" | "adjust" | "reverse" | "transfer-out" | "transfer-in";
                            /** @description Signed. */
                            points: number;
                            reason: string | null;
                            reference: string | null;
                            reverses: string | null;
                            seq: number;
                            /** @enum {string} */
                            source: "store-visit" | "till-purchase" | "online-order" | "coupon-redemption" | "points-exchange" | "referral" | "admin-adjustment" | "transfer" | "expiry";
                        };
                    };
                };
            };
        };
    };
    getUsersPushRegistrations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        registrations: {
                            /** Format: date-time */
                            createdAt: string;
                            environment: string | null;
                            installationId: string;
                            provider: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                    };
                };
            };
        };
    };
    putUsersPushRegistrationsByInstallationId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id for this installation (stable across launches, new after a reinstall). */
                installationId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description APNs only: the APNs environment of the token (default production).
                     * @enum {string}
                     */
                    environment?: "production" | "development";
                    /** @description Web Push only: `PushSubscription.toJSON().keys`. */
                    keys?: {
                        /** @description The subscription's auth secret, base64url. */
                        auth: string;
                        /** @description The subscription's P-256 public key, base64url. */
                        p256dh: string;
                    };
                    /**
                     * @description The OS push service.
                     * @enum {string}
                     */
                    provider: "webpush" | "apns" | "fcm";
                    /** @description Web Push: the subscription's endpoint URL; APNs: the device token (hex); FCM: the registration token. */
                    token: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        environment: string | null;
                        installationId: string;
                        provider: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        environment: string | null;
                        installationId: string;
                        provider: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
        };
    };
    deleteUsersPushRegistrationsByInstallationId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id for this installation (stable across launches, new after a reinstall). */
                installationId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        removed: boolean;
                    };
                };
            };
        };
    };
    postUsersStoreBeaconSightings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description When the phone heard it.
                     */
                    at: string;
                    /** @description An Eddystone-EID as heard, hex. */
                    eid?: string;
                    major?: number;
                    minor?: number;
                    rssi?: number;
                    /**
                     * Format: uuid
                     * @description The iBeacon's proximity UUID as heard.
                     */
                    uuid?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The presence event the sighting is stored as (one per user, store and slot: a repeat in the slot names the same), which the rules decide on as `beacon-arrival`. */
                        eventId: string | null;
                        /** @description Offers the rules issued on this sighting when they decided within the wait (about 2 s): a woken app can show one at once. The same offer also arrives by push, MQTT or the pending list: de-duplicate by offerId. Empty for a repeat within the slot. */
                        offers: {
                            code: string;
                            discount: {
                                /** @enum {string} */
                                kind: "percent";
                                percent: number;
                            } | {
                                /** @description Amount in the currency's minor unit (cents). */
                                amountMinor: number;
                                /** @description ISO 4217 code. */
                                currency: string;
                                /** @enum {string} */
                                kind: "amount";
                            } | {
                                item: string;
                                /** @enum {string} */
                                kind: "free-item";
                            };
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: date-time */
                            issuedAt: string;
                            offerId: string;
                            ruleId: string;
                            status: string;
                            storeId: string;
                            text: string;
                            title: string;
                            zoneId: string;
                        }[];
                        /** @description Why no store: the report is older (or later) than the cloud allows, the value names no store in the slot of `at` (a value from another slot, or guessed), store beacons are off, or the UUID is another organisation's. */
                        reason: ("too-old" | "in-the-future" | "no-store" | "disabled" | "other-organisation") | null;
                        resolved: boolean;
                        slotStart: string | null;
                        /** @description The store whose beacon sent the value in that slot. */
                        storeId: string | null;
                    };
                };
            };
        };
    };
    getUsersTierChanges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        changes: {
                            /** Format: date-time */
                            at: string;
                            fromTier: string | null;
                            /** @description `upgrade`, `downgrade`, or `programme` (the programme's tiers changed). */
                            reason: string;
                            toTier: string | null;
                        }[];
                    };
                };
            };
        };
    };
    getWebhooksDeliveries: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page; omit for the newest page. */
                cursor?: string;
                endpointId?: string;
                /** @description Page size, default 50. */
                limit?: number;
                status?: "pending" | "sent" | "dead";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deliveries: {
                            attempts: number;
                            /** Format: date-time */
                            createdAt: string;
                            endpointId: string;
                            eventType: string;
                            /** @description The message's `webhook-id`: the same on every retry and replay. */
                            id: string;
                            lastError: string | null;
                            lastStatusCode: number | null;
                            /** @description Null once sent or dead. */
                            nextAttemptAt: string | null;
                            /** @description The body as sent: `{ type, timestamp, data }`. */
                            payload: unknown;
                            /** @enum {string} */
                            status: "pending" | "sent" | "dead";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        /** @description Null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
        };
    };
    getWebhooksDeliveriesByDeliveryId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        endpointId: string;
                        eventType: string;
                        /** @description The message's `webhook-id`: the same on every retry and replay. */
                        id: string;
                        lastError: string | null;
                        lastStatusCode: number | null;
                        /** @description Null once sent or dead. */
                        nextAttemptAt: string | null;
                        /** @description The body as sent: `{ type, timestamp, data }`. */
                        payload: unknown;
                        /** @enum {string} */
                        status: "pending" | "sent" | "dead";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
        };
    };
    postWebhooksDeliveriesReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        endpointId: string;
                        eventType: string;
                        /** @description The message's `webhook-id`: the same on every retry and replay. */
                        id: string;
                        lastError: string | null;
                        lastStatusCode: number | null;
                        /** @description Null once sent or dead. */
                        nextAttemptAt: string | null;
                        /** @description The body as sent: `{ type, timestamp, data }`. */
                        payload: unknown;
                        /** @enum {string} */
                        status: "pending" | "sent" | "dead";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
        };
    };
    getWebhooksEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        endpoints: {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            enabled: boolean;
                            events: string[];
                            id: string;
                            /** @description Until when the secret before the last rotation signs too; null when none does. */
                            previousSecretUntil: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string;
                        }[];
                    };
                };
            };
        };
    };
    postWebhooksEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description For people: what the endpoint feeds. */
                    description?: string;
                    /** @default true */
                    enabled?: boolean;
                    /** @description Event types (offer.issued, offer.delivered, offer.redeemed, coupon.claimed, coupon.gifted, pickup.arrived, visit.started, visit.ended, points.changed, tier.changed, gateway.offline), a family (`offer.*`) or `*`. */
                    events: string[];
                    /** @description Where messages are POSTed: https, a public address (loopback and private ones are refused). */
                    url: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        endpoint: {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            enabled: boolean;
                            events: string[];
                            id: string;
                            /** @description Until when the secret before the last rotation signs too; null when none does. */
                            previousSecretUntil: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string;
                        };
                        /** @description The signing secret (`whsec_…`). Shown only in this answer: store it now. */
                        secret: string;
                    };
                };
            };
        };
    };
    getWebhooksEndpointsByEndpointId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        description: string;
                        enabled: boolean;
                        events: string[];
                        id: string;
                        /** @description Until when the secret before the last rotation signs too; null when none does. */
                        previousSecretUntil: string | null;
                        /** Format: date-time */
                        updatedAt: string;
                        url: string;
                    };
                };
            };
        };
    };
    deleteWebhooksEndpointsByEndpointId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        removed: boolean;
                    };
                };
            };
        };
    };
    patchWebhooksEndpointsByEndpointId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description For people: what the endpoint feeds. */
                    description?: string;
                    enabled?: boolean;
                    /** @description Event types (offer.issued, offer.delivered, offer.redeemed, coupon.claimed, coupon.gifted, pickup.arrived, visit.started, visit.ended, points.changed, tier.changed, gateway.offline), a family (`offer.*`) or `*`. */
                    events?: string[];
                    /** @description Where messages are POSTed: https, a public address (loopback and private ones are refused). */
                    url?: string;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        description: string;
                        enabled: boolean;
                        events: string[];
                        id: string;
                        /** @description Until when the secret before the last rotation signs too; null when none does. */
                        previousSecretUntil: string | null;
                        /** Format: date-time */
                        updatedAt: string;
                        url: string;
                    };
                };
            };
        };
    };
    postWebhooksEndpointsSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
            };
            cookie?: never;
        };
        /** @description `{}` for the default grace of a day. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description How long the previous secret keeps signing beside the new one, seconds (0: it stops now).
                     * @default 86400
                     */
                    graceS?: number;
                };
            };
        };
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        endpoint: {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            enabled: boolean;
                            events: string[];
                            id: string;
                            /** @description Until when the secret before the last rotation signs too; null when none does. */
                            previousSecretUntil: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string;
                        };
                        /** @description The signing secret (`whsec_…`). Shown only in this answer: store it now. */
                        secret: string;
                    };
                };
            };
        };
    };
    postWebhooksEndpointsTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Every error: a stable code, a message and, for invalid input, each problem with its path. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /**
                             * @description Stable; match on this.
                             * @enum {string}
                             */
                            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "BAD_URL" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "CODE_EXPIRED" | "CODE_ALREADY_REDEEMED" | "WRONG_STORE" | "INSUFFICIENT_POINTS" | "OUT_OF_STOCK" | "LIMIT_REACHED" | "PRESENCE_REQUIRED" | "COUPON_NOT_VALID" | "PAYLOAD_TOO_LARGE" | "BASKET_NOT_ELIGIBLE" | "URI_TOO_LONG" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "REDEMPTION_LOCKED" | "INTERNAL" | "BROKER_ERROR" | "NOT_READY" | "BROKER_UNAVAILABLE";
                            details?: {
                                message: string;
                                /** @description JSON pointer of the field. */
                                path: string;
                            }[];
                            /** @description For people; may change. */
                            message: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        endpointId: string;
                        eventType: string;
                        /** @description The message's `webhook-id`: the same on every retry and replay. */
                        id: string;
                        lastError: string | null;
                        lastStatusCode: number | null;
                        /** @description Null once sent or dead. */
                        nextAttemptAt: string | null;
                        /** @description The body as sent: `{ type, timestamp, data }`. */
                        payload: unknown;
                        /** @enum {string} */
                        status: "pending" | "sent" | "dead";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
        };
    };
}
