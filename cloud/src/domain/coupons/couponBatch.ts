import Type, { type Static } from "typebox";
import { type Checked, Checker, ID_PATTERN, type Problem, StringEnum } from "../../../../protocol/index.js";

/**
 * A coupon batch: the marketer's unit (WeChat's card type, WeChat Pay's stock). It says what the
 * coupon gives (the discount and its conditions on the basket), how long a claimed coupon is valid,
 * how many may be claimed (in total, per local day of the batch's timezone, per member), where it
 * is accepted, which channels may issue it, and whether it may be gifted. One schema gives the
 * type, the validation and the docs; `checkBatchSpec` adds the cross-field checks.
 */

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const Currency = Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code." });
const Minor = (description: string) =>
  Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: `${description} In the currency's minor unit (cents).` });

/** Largest quantity of a batch's stock, daily stock or per-member limit. */
export const MAX_STOCK = 100_000_000;
/** Longest validity from claim: a year. */
export const MAX_VALIDITY_HOURS = 366 * 24;
/** Longest a gift waits for the friend to accept: a week. */
export const MAX_GIFT_HOURS = 7 * 24;
/** Highest points price of one coupon (the ledger moves at most 10^9 points in one entry). */
export const MAX_POINTS_PRICE = 100_000_000;

/** Lines that count towards a discount: those whose SKU or category is listed (either list). */
export const EligibilitySchema = Type.Object(
  {
    skus: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000, uniqueItems: true })),
    categories: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 200, uniqueItems: true }),
    ),
  },
  { additionalProperties: false, description: "Absent: every line of the basket is eligible." },
);
export type Eligibility = Static<typeof EligibilitySchema>;

/** What a coupon gives, with its conditions on the basket. */
export const CouponDiscountSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal("percent"),
      percent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
      maxDiscountMinor: Type.Optional(Minor("Cap on the discount.")),
      minSpendMinor: Type.Optional(Minor("Eligible spend needed.")),
      eligible: Type.Optional(EligibilitySchema),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("amount"),
      amountMinor: Minor("Amount off, never more than the eligible spend."),
      currency: Currency,
      minSpendMinor: Type.Optional(Minor("Eligible spend needed.")),
      eligible: Type.Optional(EligibilitySchema),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("free-item"),
      item: Type.String({ minLength: 1, maxLength: 120, description: "What the shopper sees." }),
      sku: Type.String({ minLength: 1, maxLength: 64, description: "The SKU given free: one unit of it in the basket is discounted." }),
      minSpendMinor: Type.Optional(Minor("Spend needed on the other eligible lines.")),
      eligible: Type.Optional(EligibilitySchema),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("spend-save"),
      currency: Currency,
      tiers: Type.Array(
        Type.Object({ spendMinor: Minor("Eligible spend from which"), saveMinor: Minor("this is saved.") }, { additionalProperties: false }),
        { minItems: 1, maxItems: 10, description: "Spend X save Y; the highest tier reached applies." },
      ),
      eligible: Type.Optional(EligibilitySchema),
    },
    { additionalProperties: false },
  ),
]);
export type CouponDiscount = Static<typeof CouponDiscountSchema>;

export const ValiditySchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal("window"),
      from: Type.String({ format: "date-time", description: "Valid from (ISO 8601)." }),
      until: Type.String({ format: "date-time", description: "Valid until, exclusive (ISO 8601)." }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("from-claim"),
      hours: Type.Integer({ minimum: 1, maximum: MAX_VALIDITY_HOURS, description: "Valid for this many hours from claim." }),
      claimUntil: Type.Optional(Type.String({ format: "date-time", description: "Last moment a coupon may be claimed." })),
    },
    { additionalProperties: false },
  ),
]);
export type Validity = Static<typeof ValiditySchema>;

/** Who issues a coupon, recorded on every coupon. `rule`: a proximity rule (its implicit batch). */
export const ISSUE_CHANNELS = ["rule", "online", "segment", "till", "points"] as const;
export type IssueChannel = (typeof ISSUE_CHANNELS)[number];

export const BatchSpecSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    text: Type.String({ maxLength: 1000 }),
    imageUrl: Type.Optional(Type.String({ pattern: "^https://", maxLength: 500 })),
    discount: CouponDiscountSchema,
    validity: ValiditySchema,
    timezone: Type.String({ minLength: 1, maxLength: 64, description: "IANA zone whose midnight resets the daily stock." }),
    totalStock: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_STOCK, description: "Coupons that may ever be claimed; absent: no limit." })),
    dailyStock: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_STOCK, description: "Per local day of `timezone`; absent: no limit." })),
    perMemberLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: "Coupons of this batch one member may get over its life, by claim or by accepting a gift (a coupon given away still counts for its giver). Default 1." })),
    storeIds: Type.Array(Id("Store that accepts the coupon."), { minItems: 1, maxItems: 1000, uniqueItems: true }),
    channels: Type.Array(StringEnum(ISSUE_CHANNELS.filter((c) => c !== "rule")), {
      minItems: 1,
      uniqueItems: true,
      description: "Channels that may issue coupons of this batch.",
    }),
    giftable: Type.Optional(Type.Boolean({ description: "Default false." })),
    maxGiftPasses: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: "How often a coupon may pass to a friend. Default 1." })),
    giftTimeoutHours: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_GIFT_HOURS, description: "An unaccepted gift returns after this. Default 24." })),
    presenceWithinMin: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1440, description: "Claim only when seen in one of the stores within this many minutes (near-field claim)." }),
    ),
    reminderLeadMin: Type.Optional(Type.Integer({ minimum: 5, maximum: 10_080, description: "Remind this long before expiry; absent: the cloud default." })),
    pointsPrice: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_POINTS_PRICE,
        description: "Points a member spends for one coupon through the `points` channel; required with that channel, refused without it.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type BatchSpec = Static<typeof BatchSpecSchema>;

const BATCH_SPEC = new Checker(BatchSpecSchema);

/** A stored batch: the spec with its id, organisation and when it was created. */
export interface CouponBatch {
  readonly batchId: string;
  readonly orgId: string;
  readonly spec: BatchSpec;
  readonly createdAt: number;
}

/** Schema first (every problem with its path), then what JSON Schema cannot express. */
export function checkBatchSpec(value: unknown, isTimeZone: (tz: string) => boolean): Checked<BatchSpec> {
  const checked = BATCH_SPEC.check(value);
  if (!checked.ok) return checked;
  const spec = checked.value;
  const problems: Problem[] = [];
  if (!isTimeZone(spec.timezone)) problems.push({ path: "/timezone", message: "is not a known IANA time zone" });
  if (spec.validity.kind === "window") {
    const from = Date.parse(spec.validity.from);
    const until = Date.parse(spec.validity.until);
    if (!(until > from)) problems.push({ path: "/validity/until", message: "must be after from" });
  }
  if (spec.totalStock !== undefined && spec.dailyStock !== undefined && spec.dailyStock > spec.totalStock)
    problems.push({ path: "/dailyStock", message: `must not exceed totalStock (${spec.totalStock})` });
  if (spec.discount.kind === "spend-save") {
    spec.discount.tiers.forEach((t, i, all) => {
      if (t.saveMinor >= t.spendMinor) problems.push({ path: `/discount/tiers/${i}/saveMinor`, message: "must be below spendMinor" });
      const prev = all[i - 1];
      if (prev && t.spendMinor <= prev.spendMinor)
        problems.push({ path: `/discount/tiers/${i}/spendMinor`, message: "tiers must rise in spendMinor" });
    });
  }
  // A points channel without a price would give coupons away; a price without the channel is a
  // marketer's slip that would silently never apply.
  if (spec.channels.includes("points") && spec.pointsPrice === undefined)
    problems.push({ path: "/pointsPrice", message: "is required when the batch is issued through the points channel" });
  if (spec.pointsPrice !== undefined && !spec.channels.includes("points"))
    problems.push({ path: "/pointsPrice", message: "only for a batch issued through the points channel" });
  if (spec.maxGiftPasses !== undefined && spec.giftable !== true)
    problems.push({ path: "/maxGiftPasses", message: "only for a giftable batch" });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: spec };
}

/** Per-member limit as applied (default one coupon per member). */
export const perMemberLimitOf = (spec: BatchSpec): number => spec.perMemberLimit ?? 1;
export const maxGiftPassesOf = (spec: BatchSpec): number => (spec.giftable ? (spec.maxGiftPasses ?? 1) : 0);
export const giftTimeoutMsOf = (spec: BatchSpec): number => (spec.giftTimeoutHours ?? 24) * 3_600_000;

export type ClaimWindow =
  | { readonly ok: true; readonly validFrom: number; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: "not-started" | "ended"; readonly text: string };

/**
 * When a coupon claimed at `now` is valid: the batch's fixed window, or `hours` from the claim.
 * Claims are refused before a window opens (nothing to hold yet) and once it, or `claimUntil`, ends.
 */
export function claimWindow(spec: BatchSpec, now: number): ClaimWindow {
  const v = spec.validity;
  if (v.kind === "window") {
    const from = Date.parse(v.from);
    const until = Date.parse(v.until);
    if (now >= until) return { ok: false, reason: "ended", text: `the batch ended at ${v.until}` };
    return { ok: true, validFrom: from, expiresAt: until };
  }
  if (v.claimUntil !== undefined && now >= Date.parse(v.claimUntil))
    return { ok: false, reason: "ended", text: `claims ended at ${v.claimUntil}` };
  return { ok: true, validFrom: now, expiresAt: now + v.hours * 3_600_000 };
}
