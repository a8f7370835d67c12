import Type, { type Static } from "typebox";
import { type Checked, Checker, ID_PATTERN, type Problem, StringEnum } from "../../../../protocol/index.js";
import { WEEKDAYS, type Weekday } from "../rules/ruleSpec.js";
import { PointsRedemptionSchema } from "./pointsRedemption.js";

/**
 * A retailer's loyalty programme as its marketers write it (one JSON document per organisation):
 * how points are earned (per amount spent, per store visit), member days that multiply them, how
 * long points live, whether members may give points to each other, and the tiers. One schema gives
 * the type, the validation and the docs; `checkLoyaltyProgram` adds what JSON Schema cannot say.
 */

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const Tag = Type.String({ minLength: 1, maxLength: 64 });

export const PURCHASE_CHANNELS = ["till", "online"] as const;
export type PurchaseChannel = (typeof PURCHASE_CHANNELS)[number];

export const EarnRuleSchema = Type.Object(
  {
    id: Id("Stable id of the rule, for reports."),
    points: Type.Integer({ minimum: 1, maximum: 10_000, description: "Points for each full `perAmountMinor` spent." }),
    perAmountMinor: Type.Integer({
      minimum: 1,
      maximum: 100_000_000,
      description: "Amount in minor units (cents) that earns `points`; e.g. 100 = one point per dollar.",
    }),
    channels: Type.Optional(Type.Array(StringEnum(PURCHASE_CHANNELS), { minItems: 1, uniqueItems: true, description: "Default: every channel." })),
    storeIds: Type.Optional(Type.Array(Id("A store."), { minItems: 1, maxItems: 1000, uniqueItems: true, description: "Default: every store." })),
    categories: Type.Optional(
      Type.Array(Tag, { minItems: 1, maxItems: 200, uniqueItems: true, description: "Only basket lines of these categories count. Default: every line." }),
    ),
  },
  { additionalProperties: false },
);
export type EarnRule = Static<typeof EarnRuleSchema>;

export const MemberDayWhenSchema = Type.Union([
  Type.Object({ kind: Type.Literal("weekday"), weekday: StringEnum(WEEKDAYS, { description: "Every such day, e.g. `wed`." }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal("day-of-month"), day: Type.Integer({ minimum: 1, maximum: 31, description: "e.g. 8: the 8th of each month (months without it have none)." }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal("last-weekday-of-month"), weekday: StringEnum(WEEKDAYS, { description: "e.g. `fri`: the last Friday of each month." }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal("birthday-month") }, { additionalProperties: false, description: "The member's birth month (members with none recorded get no bonus)." }),
]);
export type MemberDayWhen = Static<typeof MemberDayWhenSchema>;

export const MemberDaySchema = Type.Object(
  {
    id: Id("Stable id of the member day."),
    when: MemberDayWhenSchema,
    multiplier: Type.Number({ minimum: 1, maximum: 10, description: "Points are multiplied by this on the day (the highest applying member day counts, they do not stack)." }),
    storeIds: Type.Optional(Type.Array(Id("A store."), { minItems: 1, uniqueItems: true, description: "Default: every store." })),
  },
  { additionalProperties: false },
);
export type MemberDay = Static<typeof MemberDaySchema>;

export const TierSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 32, description: "What rule conditions read as the user's `loyaltyTier`." }),
    minPoints: Type.Optional(Type.Integer({ minimum: 0, description: "Points earned within the window that qualify." })),
    minSpendMinor: Type.Optional(Type.Integer({ minimum: 0, description: "Spend within the window that qualifies, minor units." })),
  },
  { additionalProperties: false },
);
export type Tier = Static<typeof TierSchema>;

export const LoyaltyProgramSchema = Type.Object(
  {
    currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217; purchases in another currency earn nothing." }),
    pointsValidityDays: Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()], {
      description: "How long earned points live, days; null: they never expire.",
    }),
    transfersAllowed: Type.Boolean({ description: "Members may give points to another member of the organisation." }),
    earnRules: Type.Array(EarnRuleSchema, { maxItems: 100 }),
    visit: Type.Union(
      [
        Type.Object(
          {
            points: Type.Integer({ minimum: 1, maximum: 10_000, description: "Points per believed store visit." }),
            maxPerDay: Type.Integer({ minimum: 1, maximum: 24, description: "Visits that earn per member, store and local day." }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: "Points per store visit; null: visits earn nothing." },
    ),
    memberDays: Type.Array(MemberDaySchema, { maxItems: 50 }),
    tiers: Type.Array(TierSchema, {
      maxItems: 20,
      description: "Lowest first; a member holds the highest tier whose every threshold they meet within the window.",
    }),
    tierWindowDays: Type.Integer({ minimum: 1, maximum: 1096, description: "The rolling window tiers are computed over, days (e.g. 365)." }),
    pointsRedemption: Type.Optional(
      Type.Union([PointsRedemptionSchema, Type.Null()], { description: "Points as a discount at the till; absent or null: not taken." }),
    ),
  },
  { additionalProperties: false },
);
export type LoyaltyProgram = Static<typeof LoyaltyProgramSchema>;

/** The programme of an organisation that wrote none: nothing is earned, points never expire. */
export const EMPTY_PROGRAM: LoyaltyProgram = Object.freeze({
  currency: "HKD",
  pointsValidityDays: 365,
  transfersAllowed: false,
  earnRules: [],
  visit: null,
  memberDays: [],
  tiers: [],
  tierWindowDays: 365,
});

const PROGRAM = new Checker(LoyaltyProgramSchema);

/** Validates a programme: the schema, then unique ids and tier names, and tiers rising. */
export function checkLoyaltyProgram(value: unknown): Checked<LoyaltyProgram> {
  const checked = PROGRAM.check(value);
  if (!checked.ok) return checked;
  const p = checked.value;
  const problems: Problem[] = [];
  const dup = (items: readonly { id: string }[], path: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) problems.push({ path: `${path}/${i}/id`, message: `duplicate id ${item.id}` });
      seen.add(item.id);
    });
  };
  dup(p.earnRules, "/earnRules");
  dup(p.memberDays, "/memberDays");
  const names = new Set<string>();
  p.tiers.forEach((t, i) => {
    if (names.has(t.name)) problems.push({ path: `/tiers/${i}/name`, message: `duplicate tier ${t.name}` });
    names.add(t.name);
    if (t.minPoints === undefined && t.minSpendMinor === undefined && i > 0)
      problems.push({ path: `/tiers/${i}`, message: "needs minPoints or minSpendMinor (only the first tier may have no threshold)" });
    const prev = p.tiers[i - 1];
    if (prev && (t.minPoints ?? 0) < (prev.minPoints ?? 0))
      problems.push({ path: `/tiers/${i}/minPoints`, message: "must not be below the tier before it (tiers are listed lowest first)" });
    if (prev && (t.minSpendMinor ?? 0) < (prev.minSpendMinor ?? 0))
      problems.push({ path: `/tiers/${i}/minSpendMinor`, message: "must not be below the tier before it (tiers are listed lowest first)" });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: p };
}

/** A basket line as the till reports it. */
export interface BasketLine {
  readonly sku: string;
  readonly category: string | null;
  readonly quantity: number;
  readonly unitPriceMinor: number;
}

/** Where and when a purchase happened, and who made it, as the earn rules need it. */
export interface PurchaseContext {
  readonly channel: PurchaseChannel;
  readonly storeId: string | null;
  /** The store's IANA timezone: member days fall on its local day. */
  readonly timeZone: string;
  readonly at: number;
  readonly currency: string;
  /** 1..12, or null when the member's birth month is unknown. */
  readonly birthMonth: number | null;
  /**
   * What points paid of the basket, minor units (default 0): earning is on what the member paid,
   * so each rule's covered amount loses its pro-rata share of it.
   */
  readonly pointsDiscountMinor?: number;
  /**
   * A coupon's discount on each line (same order as the lines, minor units; default none): the
   * line earns on what it was sold for after the coupon, as the coupon's answer spread it.
   */
  readonly lineDiscountsMinor?: readonly number[];
}

/** The points a purchase earns and why. */
export interface PurchaseEarning {
  readonly points: number;
  /** Points before the member-day multiplier. */
  readonly basePoints: number;
  readonly multiplier: number;
  readonly memberDayId: string | null;
  readonly ruleIds: readonly string[];
}

/** One formatter per timezone: costly to build, immutable, so a memo that changes no result. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local calendar parts of an instant in a timezone (Intl's tz database). */
function localDate(at: number, timeZone: string): { year: number; month: number; day: number; weekday: Weekday } {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric", weekday: "short" });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    year: Number(get("year")),
    month: Number(get("month")),
    day: Number(get("day")),
    weekday: get("weekday").toLowerCase().slice(0, 3) as Weekday,
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when `when` is the store's local day of `at` (the member's birth month for birthdays). */
export function isMemberDay(when: MemberDayWhen, at: number, timeZone: string, birthMonth: number | null): boolean {
  const d = localDate(at, timeZone);
  switch (when.kind) {
    case "weekday":
      return d.weekday === when.weekday;
    case "day-of-month":
      return d.day === when.day;
    case "last-weekday-of-month":
      // The last such weekday: the same weekday a week later falls in the next month.
      return d.weekday === when.weekday && d.day + 7 > daysInMonth(d.year, d.month);
    case "birthday-month":
      return birthMonth !== null && d.month === birthMonth;
  }
}

/** The highest member-day multiplier applying at `at` in `storeId` (1 when none does). */
export function memberDayMultiplier(
  program: LoyaltyProgram,
  context: Pick<PurchaseContext, "storeId" | "timeZone" | "at" | "birthMonth">,
): { multiplier: number; memberDayId: string | null } {
  let best: { multiplier: number; memberDayId: string | null } = { multiplier: 1, memberDayId: null };
  for (const day of program.memberDays) {
    if (day.storeIds && (context.storeId === null || !day.storeIds.includes(context.storeId))) continue;
    if (!isMemberDay(day.when, context.at, context.timeZone, context.birthMonth)) continue;
    if (day.multiplier > best.multiplier) best = { multiplier: day.multiplier, memberDayId: day.id };
  }
  return best;
}

/**
 * Points a basket earns: each matching earn rule gives `points` per full `perAmountMinor` of the
 * lines it covers (rules add up), then the best member day multiplies the sum (rounded down).
 * A purchase in another currency than the programme's earns nothing.
 */
export function purchaseEarning(program: LoyaltyProgram, lines: readonly BasketLine[], context: PurchaseContext): PurchaseEarning {
  if (context.currency !== program.currency) return { points: 0, basePoints: 0, multiplier: 1, memberDayId: null, ruleIds: [] };
  let base = 0;
  const ruleIds: string[] = [];
  // What each line was sold for: its price less the coupon's share of it (never below zero).
  const net = lines.map((l, i) => Math.max(0, l.quantity * l.unitPriceMinor - (context.lineDiscountsMinor?.[i] ?? 0)));
  const total = net.reduce((sum, n) => sum + n, 0);
  for (const rule of program.earnRules) {
    if (rule.channels && !rule.channels.includes(context.channel)) continue;
    if (rule.storeIds && (context.storeId === null || !rule.storeIds.includes(context.storeId))) continue;
    const gross = lines.reduce(
      (sum, l, i) => (!rule.categories || (l.category !== null && rule.categories.includes(l.category)) ? sum + (net[i] ?? 0) : sum),
      0,
    );
    const covered = gross - proRata(gross, context.pointsDiscountMinor ?? 0, total);
    const points = Math.floor(covered / rule.perAmountMinor) * rule.points;
    if (points > 0) {
      base += points;
      ruleIds.push(rule.id);
    }
  }
  const { multiplier, memberDayId } = memberDayMultiplier(program, context);
  return { points: Math.floor(base * multiplier), basePoints: base, multiplier, memberDayId, ruleIds };
}

/** `part` of a `discount` spread over `total` in proportion, rounded up (the member earns on no more than they paid). */
function proRata(part: number, discount: number, total: number): number {
  if (discount <= 0 || total <= 0) return 0;
  return Number((BigInt(part) * BigInt(discount) + BigInt(total) - 1n) / BigInt(total));
}

/** What a member did within the tier window. */
export interface TierActivity {
  readonly pointsEarned: number;
  readonly spendMinor: number;
}

/** The highest tier whose every threshold the activity meets; null when none (or no tiers). */
export function qualifyingTier(tiers: readonly Tier[], activity: TierActivity): string | null {
  let reached: string | null = null;
  for (const t of tiers) {
    const byPoints = t.minPoints === undefined || activity.pointsEarned >= t.minPoints;
    const bySpend = t.minSpendMinor === undefined || activity.spendMinor >= t.minSpendMinor;
    if (byPoints && bySpend) reached = t.name;
  }
  return reached;
}

/**
 * The tier a member holds after a re-evaluation: an upgrade applies at once; a downgrade only at
 * the end of the member's tier period (`periodEnded`), and then to the qualifying tier. With no
 * qualifying tier and an undefined current one, the current one stays (nothing to replace it with).
 */
export function nextTier(
  tiers: readonly Tier[],
  current: string | null,
  qualified: string | null,
  periodEnded: boolean,
): { tier: string | null; change: "upgrade" | "downgrade" | null } {
  const rank = (name: string | null) => (name === null ? -1 : tiers.findIndex((t) => t.name === name));
  const now = rank(current);
  const next = rank(qualified);
  // A tier the programme does not define (dropped, or free text written before) ranks lowest, so
  // any qualifying tier replaces it at once.
  if (next > now) return { tier: qualified, change: "upgrade" };
  if (next < now) return periodEnded ? { tier: qualified, change: "downgrade" } : { tier: current, change: null };
  return { tier: current, change: null };
}
