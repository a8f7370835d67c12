import Type, { type Static } from "typebox";
import {
  type Checked,
  Checker,
  DiscountSchema,
  ID_PATTERN,
  type Problem,
  StringEnum,
} from "../../../../protocol/index.js";

/**
 * The rule a marketer writes as JSON: when it fires (trigger), where (scope), for whom and when
 * (conditions), what it gives (offer), how often (limits), and how it ranks against other rules
 * (priority, holdout). One schema gives the type, the validation and the docs; `checkRuleSpec`
 * adds the checks JSON Schema cannot express and reports every problem with its JSON-pointer path.
 */

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const Tag = Type.String({
  minLength: 1,
  maxLength: 64,
  description: "Free-form tag set on stores or zones.",
});

/** Weekdays as written in rules; `localParts` reports the same three letters. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Largest dwell a rule may ask for: a whole day. */
const MAX_DWELL_S = 86_400;
/** Longest an offer may stay valid: 30 days. */
export const MAX_VALIDITY_S = 30 * 86_400;
/** Shortest validity: one minute, below which nobody can walk to the till. */
export const MIN_VALIDITY_S = 60;

export const TriggerSchema = Type.Union(
  [
    Type.Object(
      { type: Type.Literal("enter", { description: "Fires when the shopper enters a zone." }) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal("dwell", {
          description: "Fires on a dwell event once the shopper stayed long enough.",
        }),
        minDwellS: Type.Integer({
          minimum: 1,
          maximum: MAX_DWELL_S,
          description: "Seconds in the zone before the rule fires; compared with the event's dwellMs.",
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { type: Type.Literal("exit", { description: "Fires when the shopper leaves a zone." }) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal("geofence-arrival", {
          description: "Fires when the app reports its own geofence arrival (GPS fix), no beacon needed.",
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal("beacon-arrival", {
          description:
            "Fires when the app reports hearing the store's own beacon (the store beacon its gateways advertise), resolved to the store within its slot.",
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal("nth-visit", { description: "Fires on the enter of the shopper's n-th visit." }),
        n: Type.Integer({ minimum: 1, maximum: 100_000, description: "Visit number, 1-based." }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal("first-visit", {
          description: "Fires on the enter of the shopper's first visit.",
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal("return-after", {
          description:
            "Fires on the enter of a visit that comes at least `days` calendar days after the previous one.",
        }),
        days: Type.Integer({
          minimum: 1,
          maximum: 3650,
          description: "Calendar days (in the store's timezone) since the previous visit.",
        }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: "What makes the rule fire." },
);
export type Trigger = Static<typeof TriggerSchema>;
export type TriggerType = Trigger["type"];

/**
 * Where the rule applies. Within the store dimension the lists add up (a store matches when its id
 * is in `storeIds` OR it carries one of `storeTags`); the same holds for zones; the two dimensions
 * combine with AND. An absent dimension matches everything; `{}` is the whole organisation.
 */
export const ScopeSchema = Type.Object(
  {
    storeIds: Type.Optional(Type.Array(Id("Store id."), { minItems: 1, maxItems: 1000, uniqueItems: true })),
    zoneIds: Type.Optional(Type.Array(Id("Zone id."), { minItems: 1, maxItems: 1000, uniqueItems: true })),
    storeTags: Type.Optional(Type.Array(Tag, { minItems: 1, maxItems: 100, uniqueItems: true })),
    zoneTags: Type.Optional(Type.Array(Tag, { minItems: 1, maxItems: 100, uniqueItems: true })),
  },
  {
    additionalProperties: false,
    description: "Where the rule applies; omit a list instead of leaving it empty.",
  },
);
export type Scope = Static<typeof ScopeSchema>;

const HHMM = Type.String({
  pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$",
  description: "Local wall-clock time HH:MM, 24-hour.",
});

/**
 * Wall-clock window in the store's timezone, start inclusive, end exclusive. A window whose end is
 * before its start crosses midnight (`22:00`-`02:00`); its after-midnight part belongs to the day
 * it started on, as opening hours do, so `days: ["fri"]` with `22:00-02:00` includes Saturday 01:00.
 */
export const TimeWindowSchema = Type.Object(
  { start: HHMM, end: HHMM },
  { additionalProperties: false, description: "Local time window; end < start crosses midnight." },
);
export type TimeWindow = Static<typeof TimeWindowSchema>;

const IsoDate = (description: string) => Type.String({ format: "date", maxLength: 10, description });

/** When the rule may fire, in the store's own timezone (IANA name), so one rule works in every city. */
export const ScheduleSchema = Type.Object(
  {
    days: Type.Optional(
      Type.Array(StringEnum(WEEKDAYS), {
        minItems: 1,
        maxItems: 7,
        uniqueItems: true,
        description: "Local weekdays the rule runs on; absent = every day.",
      }),
    ),
    windows: Type.Optional(
      Type.Array(TimeWindowSchema, {
        minItems: 1,
        maxItems: 24,
        description: "Local time windows (any of); absent = all day.",
      }),
    ),
    from: Type.Optional(IsoDate("First local day the rule runs, YYYY-MM-DD, inclusive.")),
    until: Type.Optional(IsoDate("Last local day the rule runs, YYYY-MM-DD, inclusive.")),
  },
  { additionalProperties: false },
);
export type Schedule = Static<typeof ScheduleSchema>;

export const ConditionsSchema = Type.Object(
  {
    schedule: Type.Optional(ScheduleSchema),
    segments: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description: "CRM segments; the shopper must be in at least one.",
      }),
    ),
    loyaltyTiers: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: 20,
        uniqueItems: true,
        description: "Loyalty tiers; the shopper's tier must be one of them.",
      }),
    ),
    requireMarketingConsent: Type.Optional(
      Type.Literal(true, {
        description:
          "Always true (the default). Offers are marketing, and the engine never sends one to a shopper " +
          "without marketing consent, whatever a rule says; `false` is rejected so nobody believes otherwise.",
      }),
    ),
    visitCount: Type.Optional(
      Type.Object(
        {
          min: Type.Optional(Type.Integer({ minimum: 1, description: "Inclusive." })),
          max: Type.Optional(Type.Integer({ minimum: 1, description: "Inclusive." })),
        },
        {
          additionalProperties: false,
          description: "Range of the shopper's visit count, this visit included.",
        },
      ),
    ),
    maxOffersReceived: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: "Only shoppers who received at most this many offers so far (all rules, lifetime).",
      }),
    ),
    requireCorroboration: Type.Optional(
      Type.Literal(true, {
        description:
          "Fire on a phone's geofence arrival only when the store's own gateways saw the shopper within " +
          "±10 min of the fix (the cross-check recorded as seenByStoreGateways). A gateway sighting is " +
          "the store's own evidence and always passes. Absent: a plausible claim is enough.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type Conditions = Static<typeof ConditionsSchema>;

const Title = Type.String({ minLength: 1, maxLength: 120, description: "Shown as the notification title." });
const Text = Type.String({ maxLength: 1000, description: "Body text of the offer." });

export const OfferVariationSchema = Type.Object(
  {
    storeId: Id("Store this variation applies to."),
    title: Type.Optional(Title),
    text: Type.Optional(Text),
    discount: Type.Optional(DiscountSchema),
  },
  { additionalProperties: false, description: "Per-store override of title, text or discount." },
);
export type OfferVariation = Static<typeof OfferVariationSchema>;

export const OfferTemplateSchema = Type.Object(
  {
    title: Title,
    text: Text,
    discount: DiscountSchema,
    validityS: Type.Integer({
      minimum: MIN_VALIDITY_S,
      maximum: MAX_VALIDITY_S,
      description: "Seconds from issue until the offer expires.",
    }),
    variations: Type.Optional(Type.Array(OfferVariationSchema, { minItems: 1, maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type OfferTemplate = Static<typeof OfferTemplateSchema>;

/** Per-rule limits; the cross-rule daily cap is an organisation setting passed to `evaluate`. */
export const LimitsSchema = Type.Object(
  {
    cooldownS: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: "Seconds after an offer of this rule before the same shopper gets another.",
      }),
    ),
    maxPerUserPerDay: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "Offers of this rule per shopper per local day of the store.",
      }),
    ),
    maxPerUser: Type.Optional(
      Type.Integer({ minimum: 1, description: "Offers of this rule per shopper, ever." }),
    ),
    budget: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "Offers this rule may issue in total, all versions together.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type Limits = Static<typeof LimitsSchema>;

export const RuleSpecSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: "For dashboards." })),
    trigger: TriggerSchema,
    scope: Type.Optional(ScopeSchema),
    conditions: Type.Optional(ConditionsSchema),
    offer: OfferTemplateSchema,
    limits: Type.Optional(LimitsSchema),
    priority: Type.Optional(
      Type.Integer({
        minimum: -1000,
        maximum: 1000,
        description: "Higher wins when several rules could issue on one event; default 0.",
      }),
    ),
    holdoutPercent: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 50,
        description:
          "Share of eligible shoppers kept as a control group and never sent this rule's offer; default 0.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type RuleSpec = Static<typeof RuleSpecSchema>;

export const RULE_SPEC = new Checker(RuleSpecSchema);

const CONSENT_PATH = "/conditions/requireMarketingConsent";

/**
 * Validates a rule spec: the schema first (every problem with its path), then the cross-field
 * checks. On success the value is deep-frozen, so a validated spec is never edited in place
 * (an edit is a new version, see `reviseRule`).
 */
export function checkRuleSpec(value: unknown): Checked<RuleSpec> {
  const checked = RULE_SPEC.check(value);
  if (!checked.ok) {
    // Tagged unions (trigger `type`, discount `kind`) are already reported for the branch the
    // value names by the shared Checker (protocol/schema.ts).
    const problems = checked.problems;
    return {
      ok: false,
      problems: problems.map((p) =>
        p.path === CONSENT_PATH
          ? { path: p.path, message: "must be true: offers are never sent without marketing consent" }
          : p,
      ),
    };
  }
  const problems = semanticProblems(checked.value);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: deepFreeze(structuredClone(checked.value)) };
}

function semanticProblems(spec: RuleSpec): Problem[] {
  const problems: Problem[] = [];
  const schedule = spec.conditions?.schedule;
  schedule?.windows?.forEach((w, i) => {
    if (w.start === w.end) {
      problems.push({
        path: `/conditions/schedule/windows/${i}`,
        message: "start and end are equal; use separate windows or omit windows for all day",
      });
    }
  });
  if (schedule?.from !== undefined && schedule.until !== undefined && schedule.from > schedule.until) {
    problems.push({ path: "/conditions/schedule/until", message: `is before from (${schedule.from})` });
  }
  const visits = spec.conditions?.visitCount;
  if (visits?.min !== undefined && visits.max !== undefined && visits.min > visits.max) {
    problems.push({ path: "/conditions/visitCount/max", message: `is below min (${visits.min})` });
  }
  const seen = new Set<string>();
  spec.offer.variations?.forEach((v, i) => {
    if (seen.has(v.storeId)) {
      problems.push({
        path: `/offer/variations/${i}/storeId`,
        message: `duplicate variation for ${v.storeId}`,
      });
    }
    seen.add(v.storeId);
  });
  const limits = spec.limits;
  if (
    limits?.maxPerUserPerDay !== undefined &&
    limits.maxPerUser !== undefined &&
    limits.maxPerUserPerDay > limits.maxPerUser
  ) {
    problems.push({ path: "/limits/maxPerUserPerDay", message: `exceeds maxPerUser (${limits.maxPerUser})` });
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The event kind a trigger listens to: visit qualifiers fire on the enter of the qualifying visit. */
export type EventTrigger = "enter" | "dwell" | "exit" | "geofence-arrival" | "beacon-arrival";

export function eventTriggerOf(trigger: Trigger): EventTrigger {
  switch (trigger.type) {
    case "enter":
    case "nth-visit":
    case "first-visit":
    case "return-after":
      return "enter";
    case "dwell":
      return "dwell";
    case "exit":
      return "exit";
    case "geofence-arrival":
      return "geofence-arrival";
    case "beacon-arrival":
      return "beacon-arrival";
  }
}
