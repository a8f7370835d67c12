import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { DiscountSchema, ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import {
  BatchSpecSchema,
  type Coupon,
  type CouponBatch,
  CouponDiscountSchema,
  type CouponGift,
  COUPON_STATUSES,
  GIFT_STATES,
  type GiftCounts,
  type GiftState,
  ISSUE_CHANNELS,
  type StaffGift,
} from "../../../domain/coupons/index.js";
import type { CouponService } from "../../../services/CouponService.js";
import type { CouponStatsRow } from "../../../services/repositories.js";
import { csvOf } from "../csv.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { principalOf } from "../createHttpApp.js";
import { unwrap } from "../refusals.js";

const CouponId = Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" });
const BatchParams = Type.Object({ batchId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const UserParams = Type.Object({ userId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const CouponParams = Type.Object({ userId: Type.String({ pattern: ID_PATTERN }), couponId: CouponId }, { additionalProperties: false });
const LimitQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false });

const ExchangeBody = Type.Object(
  { batchId: Type.String({ pattern: ID_PATTERN, description: "A batch issued through the `points` channel, with its `pointsPrice`." }) },
  { additionalProperties: false },
);
const IdempotencyHeaders = Type.Object(
  { "idempotency-key": Type.String({ minLength: 8, maxLength: 128, pattern: "^[\\x21-\\x7e]+$" }) },
  { description: "A retried exchange with the same key answers the first coupon and spends nothing again." },
);

const CreateBatchBody = Type.Object(
  { batchId: Type.String({ pattern: ID_PATTERN, description: "Chosen by the marketer; unique." }), spec: BatchSpecSchema },
  { additionalProperties: false },
);
const ClaimBody = Type.Object(
  {
    userId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Default: the app key's own user. Required for till and admin keys." })),
    channelTag: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]*$", description: "The tag the link or QR carried (campaign, post, poster)." })),
    storeId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Where it was claimed; a till key names its own store." })),
  },
  { additionalProperties: false },
);
const SendBody = Type.Union([
  Type.Object(
    { userIds: Type.Array(Type.String({ pattern: ID_PATTERN }), { minItems: 1, maxItems: 1000, uniqueItems: true, description: "The members to send to." }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      audience: Type.Object(
        {
          segment: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          tier: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          seenInStoreIds: Type.Optional(Type.Array(Type.String({ pattern: ID_PATTERN }), { minItems: 1, maxItems: 1000, uniqueItems: true })),
          seenWithinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: "With seenInStoreIds; default 30." })),
        },
        { additionalProperties: false, description: "Members of a segment or tier, optionally seen in some stores lately; at most 1 000 per send." },
      ),
    },
    { additionalProperties: false },
  ),
]);
const TokenBody = Type.Object({ token: Type.String({ minLength: 16, maxLength: 128, pattern: "^[A-Za-z0-9_-]+$" }) }, { additionalProperties: false });
const StatsQuery = Type.Object(
  {
    from: Type.String({ format: "date-time", description: "Start, inclusive." }),
    to: Type.String({ format: "date-time", description: "End, exclusive; at most 366 days after from." }),
  },
  { additionalProperties: false },
);

const iso = (ms: number) => new Date(ms).toISOString();

export const CouponViewSchema = Type.Object({
  couponId: Type.String(),
  batchId: Type.String({ description: "`rule:<ruleId>` for a proximity rule's offer." }),
  channel: StringEnum(ISSUE_CHANNELS),
  channelTag: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  text: Type.String(),
  discount: DiscountSchema,
  terms: Type.Union([CouponDiscountSchema, Type.Null()]),
  code: Type.String(),
  status: StringEnum(COUPON_STATUSES),
  storeIds: Type.Array(Type.String()),
  issuedAt: Type.String({ format: "date-time" }),
  validFrom: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time" }),
  giftPasses: Type.Integer(),
});

const ExchangeViewSchema = Type.Object({
  coupon: CouponViewSchema,
  pointsSpent: Type.Integer({ description: "The batch's points price, spent from the lots that expire soonest." }),
  balance: Type.Union([Type.Integer(), Type.Null()], { description: "Spendable points after the exchange; null on a replay." }),
});

export function couponView(c: Coupon): Static<typeof CouponViewSchema> {
  return {
    couponId: c.offerId,
    batchId: c.batchId,
    channel: c.channel,
    channelTag: c.channelTag,
    title: c.title,
    text: c.text,
    discount: c.discount,
    terms: c.terms,
    // A voided or redeemed coupon's code is worth nothing; it is still shown for the record.
    code: c.code,
    status: c.status,
    storeIds: [...c.storeIds],
    issuedAt: iso(c.issuedAt),
    validFrom: iso(c.validFrom),
    expiresAt: iso(c.expiresAt),
    giftPasses: c.giftPasses,
  };
}

const BatchViewSchema = Type.Object({
  batchId: Type.String(),
  spec: BatchSpecSchema,
  createdAt: Type.String({ format: "date-time" }),
});
const batchView = (b: CouponBatch) => ({ batchId: b.batchId, spec: b.spec, createdAt: iso(b.createdAt) });

const GiftStateSchema = StringEnum(GIFT_STATES, {
  description: "pending (waiting for the friend), accepted, declined, or timed-out (unanswered in time: the coupon stayed with its giver).",
});
const GiftViewSchema = Type.Object({
  giftId: Type.String(),
  couponId: Type.String(),
  state: GiftStateSchema,
  createdAt: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time" }),
});
const giftView = (g: CouponGift) => ({ giftId: g.giftId, couponId: g.couponId, state: g.state, createdAt: iso(g.createdAt), expiresAt: iso(g.expiresAt) });

const GiftCountsSchema = Type.Object(
  {
    made: Type.Integer({ description: "Every gift offered of the batch's coupons." }),
    pending: Type.Integer(),
    accepted: Type.Integer(),
    declined: Type.Integer(),
    timedOut: Type.Integer(),
  },
  { description: "The batch's gifts by their state now (a pending gift past its time counts as timed out)." },
);
const giftCountsView = (c: GiftCounts): Static<typeof GiftCountsSchema> => ({ ...c });

const StaffGiftViewSchema = Type.Object({
  giftId: Type.String(),
  couponId: Type.String(),
  state: GiftStateSchema,
  createdAt: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time", description: "When an unanswered gift times out." }),
  resolvedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description: "When the friend accepted or declined, or the gift timed out; null while pending.",
  }),
  fromUserId: Type.Union([Type.String(), Type.Null()], { description: "The giver; null when the giver does not consent to analytics." }),
  toUserId: Type.Union([Type.String(), Type.Null()], {
    description: "The friend who answered; null while pending, when timed out, when the friend does not consent to analytics, or was erased.",
  }),
});
const staffGiftView = (g: StaffGift): Static<typeof StaffGiftViewSchema> => ({
  giftId: g.giftId,
  couponId: g.couponId,
  state: g.state,
  createdAt: iso(g.createdAt),
  expiresAt: iso(g.expiresAt),
  resolvedAt: g.resolvedAt === null ? null : iso(g.resolvedAt),
  fromUserId: g.fromUserId,
  toUserId: g.toUserId,
});
const GIFT_STATE_LIST = `^(${GIFT_STATES.join("|")})(,(${GIFT_STATES.join("|")})){0,${GIFT_STATES.length - 1}}$`;
const GiftsQuery = Type.Object(
  {
    state: Type.Optional(
      Type.String({ pattern: GIFT_STATE_LIST, description: `Only gifts in these states now, comma-separated: ${GIFT_STATES.join(", ")}.` }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: "Page size, default 50." })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: "`nextCursor` of the previous page; omit for the newest page." })),
  },
  { additionalProperties: false },
);

const StatsRowSchema = Type.Object({
  batchId: Type.String(),
  channel: Type.String(),
  storeId: Type.String(),
  day: Type.String(),
  claimed: Type.Integer(),
  giftsMade: Type.Integer(),
  giftsAccepted: Type.Integer(),
  redeemed: Type.Integer(),
  voided: Type.Integer(),
  expired: Type.Integer(),
  revenueMinor: Type.Integer(),
  discountMinor: Type.Integer(),
  basketRedemptions: Type.Integer(),
  averageBasketMinor: Type.Union([Type.Integer(), Type.Null()]),
});
const statsView = (r: CouponStatsRow) => ({
  ...r,
  averageBasketMinor: r.basketRedemptions > 0 ? Math.round(r.revenueMinor / r.basketRedemptions) : null,
});
const CSV_COLUMNS = Object.keys(StatsRowSchema.properties) as (keyof ReturnType<typeof statsView>)[];

/**
 * The coupon wallet API: batches (admin, marketer), claims (app for itself online, till at its
 * store, admin), segment sends (admin, marketer), wallets and gifts (the member's app; admins read
 * wallets; admins and marketers list a batch's gifts), and analytics with a CSV export (admin, marketer).
 */
export function couponRoutes(app: FastifyInstance, deps: { coupons: CouponService }): void {
  const { coupons } = deps;

  app.post(
    "/v1/coupon-batches",
    {
      config: { roles: ["admin", "marketer"] },
      schema: { summary: "Create a coupon batch", body: CreateBatchBody, response: { 201: Type.Object({ batch: BatchViewSchema }) } },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateBatchBody>;
      const batch = unwrap(await coupons.createBatch(principalOf(request), body.batchId, body.spec));
      void reply.status(201);
      return { batch: batchView(batch) };
    },
  );

  app.get(
    "/v1/coupon-batches",
    {
      config: { roles: ["admin", "marketer"] },
      schema: { summary: "The organisation's coupon batches, newest first", querystring: LimitQuery, response: { 200: Type.Object({ batches: Type.Array(BatchViewSchema) }) } },
    },
    async (request) => {
      const { limit = 100 } = request.query as Static<typeof LimitQuery>;
      return { batches: unwrap(await coupons.batches(principalOf(request), limit)).map(batchView) };
    },
  );

  app.get(
    "/v1/coupon-batches/:batchId",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "A coupon batch with its stock counters (claimed in total and today, in the batch's timezone)",
        params: BatchParams,
        response: { 200: Type.Object({ batch: BatchViewSchema, claimed: Type.Integer(), claimedToday: Type.Integer(), gifts: GiftCountsSchema }) },
      },
    },
    async (request) => {
      const { batchId } = request.params as Static<typeof BatchParams>;
      const { batch, counters, gifts } = unwrap(await coupons.batch(principalOf(request), batchId));
      return { batch: batchView(batch), claimed: counters.claimed, claimedToday: counters.claimedOnDay, gifts: giftCountsView(gifts) };
    },
  );

  app.get(
    "/v1/coupon-batches/:batchId/gifts",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "A batch's gifts, newest first: who gave a coupon to whom and how each gift ended",
        description:
          "Each gift in its state now (`state` filters, comma-separated). The giver and the friend are named only when that " +
          "member consents to analytics; the gift link's token is never stored, so never listed. Pages of `limit` follow `nextCursor`.",
        params: BatchParams,
        querystring: GiftsQuery,
        response: { 200: Type.Object({ gifts: Type.Array(StaffGiftViewSchema), nextCursor: Type.Union([Type.String(), Type.Null()], { description: "Null on the last page." }) }) },
      },
    },
    async (request) => {
      const { batchId } = request.params as Static<typeof BatchParams>;
      const q = request.query as Static<typeof GiftsQuery>;
      const limit = q.limit ?? 50;
      const gifts = unwrap(
        await coupons.gifts(principalOf(request), batchId, {
          limit,
          after: q.cursor === undefined ? null : decodeCursor(q.cursor),
          ...(q.state === undefined ? {} : { states: q.state.split(",") as GiftState[] }),
        }),
      );
      const last = gifts.at(-1);
      return { gifts: gifts.map(staffGiftView), nextCursor: last && gifts.length === limit ? encodeCursor({ at: last.createdAt, id: last.giftId }) : null };
    },
  );

  app.post(
    "/v1/coupon-batches/:batchId/claims",
    {
      config: { roles: ["app", "pos", "admin"] },
      schema: {
        summary: "Claim a coupon: online in the app (from a link or QR tag), at the till for the next visit, or by an admin",
        description: "Refused with `409 OUT_OF_STOCK`, `409 LIMIT_REACHED` or, for a near-field batch, `409 PRESENCE_REQUIRED`.",
        params: BatchParams,
        body: ClaimBody,
        response: { 201: Type.Object({ coupon: CouponViewSchema }) },
      },
    },
    async (request, reply) => {
      const { batchId } = request.params as Static<typeof BatchParams>;
      const body = request.body as Static<typeof ClaimBody>;
      const coupon = unwrap(
        await coupons.claim(principalOf(request), {
          batchId,
          ...(body.userId === undefined ? {} : { userId: body.userId }),
          ...(body.channelTag === undefined ? {} : { channelTag: body.channelTag }),
          ...(body.storeId === undefined ? {} : { storeId: body.storeId }),
        }),
      );
      void reply.status(201);
      return { coupon: couponView(coupon) };
    },
  );

  app.post(
    "/v1/users/:userId/points/exchanges",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Exchange points for a coupon of a batch: the points are spent and the coupon issued together, or neither",
        description:
          "The member's app for its own user, or an admin on a member's behalf. 201 with the coupon (channel `points`); a repeat " +
          "with the same Idempotency-Key answers 200 with the same coupon and spends nothing. Refused with `409 INSUFFICIENT_POINTS`, " +
          "`409 OUT_OF_STOCK` (stock out, or the batch ended), `409 LIMIT_REACHED` (the member's limit of the batch) or " +
          "`403 FORBIDDEN` (the batch is not exchanged for points); a refusal spends nothing.",
        params: UserParams,
        headers: IdempotencyHeaders,
        body: ExchangeBody,
        response: { 201: ExchangeViewSchema, 200: ExchangeViewSchema },
      },
    },
    async (request, reply) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const { batchId } = request.body as Static<typeof ExchangeBody>;
      const key = (request.headers as Static<typeof IdempotencyHeaders>)["idempotency-key"];
      const result = unwrap(await coupons.exchangeForPoints(principalOf(request), userId, { batchId, idempotencyKey: key }));
      void reply.status(result.replayed ? 200 : 201);
      return { coupon: couponView(result.coupon), pointsSpent: result.pointsSpent, balance: result.balance };
    },
  );

  app.post(
    "/v1/coupon-batches/:batchId/sends",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "Send a batch to members chosen by the marketer (a segment's list): one coupon each while stock lasts",
        params: BatchParams,
        body: SendBody,
        response: {
          200: Type.Object({
            results: Type.Array(Type.Object({ userId: Type.String(), couponId: Type.Union([Type.String(), Type.Null()]), refused: Type.Union([Type.String(), Type.Null()]) })),
          }),
        },
      },
    },
    async (request) => {
      const { batchId } = request.params as Static<typeof BatchParams>;
      const body = request.body as Static<typeof SendBody>;
      const target = "userIds" in body ? { userIds: body.userIds } : { audience: body.audience };
      return { results: unwrap(await coupons.send(principalOf(request), batchId, target)) };
    },
  );

  app.get(
    "/v1/users/:userId/coupons",
    {
      config: { roles: ["app", "admin"] },
      schema: { summary: "A member's wallet: coupons of every channel, newest first", params: UserParams, querystring: LimitQuery, response: { 200: Type.Object({ coupons: Type.Array(CouponViewSchema) }) } },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const { limit = 100 } = request.query as Static<typeof LimitQuery>;
      return { coupons: unwrap(await coupons.wallet(principalOf(request), userId, limit)).map(couponView) };
    },
  );

  app.get(
    "/v1/users/:userId/coupons/:couponId",
    {
      config: { roles: ["app", "admin"] },
      schema: { summary: "One coupon of a member's wallet", params: CouponParams, response: { 200: Type.Object({ coupon: CouponViewSchema }) } },
    },
    async (request) => {
      const { userId, couponId } = request.params as Static<typeof CouponParams>;
      return { coupon: couponView(unwrap(await coupons.coupon(principalOf(request), userId, couponId))) };
    },
  );

  app.post(
    "/v1/users/:userId/coupons/:couponId/gifts",
    {
      config: { roles: ["app"] },
      schema: {
        summary: "Offer a coupon as a gift: the answer's token is the link to share (shown once)",
        params: CouponParams,
        response: { 201: Type.Object({ token: Type.String(), gift: GiftViewSchema }) },
      },
    },
    async (request, reply) => {
      const { userId, couponId } = request.params as Static<typeof CouponParams>;
      const { token, gift } = unwrap(await coupons.gift(principalOf(request), userId, couponId));
      void reply.status(201);
      return { token, gift: giftView(gift) };
    },
  );

  app.post(
    "/v1/gifts/accept",
    {
      config: { roles: ["app"] },
      schema: {
        summary: "Accept a gift: the coupon moves to the caller's wallet with a new code (the old one is dead)",
        body: TokenBody,
        response: { 200: Type.Object({ gift: GiftViewSchema, coupon: CouponViewSchema }) },
      },
    },
    async (request) => {
      const { token } = request.body as Static<typeof TokenBody>;
      const { gift, coupon } = unwrap(await coupons.accept(principalOf(request), token));
      return { gift: giftView(gift), coupon: couponView(coupon) };
    },
  );

  app.post(
    "/v1/gifts/decline",
    {
      config: { roles: ["app"] },
      schema: { summary: "Decline a gift: the coupon stays with its owner", body: TokenBody, response: { 200: Type.Object({ gift: GiftViewSchema }) } },
    },
    async (request) => {
      const { token } = request.body as Static<typeof TokenBody>;
      return { gift: giftView(unwrap(await coupons.decline(principalOf(request), token)).gift) };
    },
  );

  app.get(
    "/v1/coupon-analytics",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "Coupons claimed, gifted, redeemed, voided and expired, with revenue and discount cost, per batch, channel, store and local day",
        querystring: StatsQuery,
        response: { 200: Type.Object({ rows: Type.Array(StatsRowSchema) }) },
      },
    },
    async (request) => {
      const { from, to } = request.query as Static<typeof StatsQuery>;
      return { rows: unwrap(await coupons.stats(principalOf(request), Date.parse(from), Date.parse(to))).map(statsView) };
    },
  );

  app.get(
    "/v1/coupon-analytics/export",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "The coupon analytics as CSV (one header line, then a line per row)",
        querystring: StatsQuery,
        response: {
          200: {
            description: "CSV, RFC 4180 quoting; the columns of GET /v1/coupon-analytics, in its order.",
            content: { "text/csv": { schema: Type.String({ contentMediaType: "text/csv" }) } },
          },
        },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query as Static<typeof StatsQuery>;
      const rows = unwrap(await coupons.stats(principalOf(request), Date.parse(from), Date.parse(to))).map(statsView);
      void reply.type("text/csv; charset=utf-8");
      return csvOf(CSV_COLUMNS, rows.map((r) => CSV_COLUMNS.map((c) => r[c])));
    },
  );
}
