/**
 * Deterministic workload for scripts/bench/rules.ts: stores, zones, live rules, users and events
 * from a seeded PRNG, plus the same rules written for json-rules-engine.
 */
import type {
  EvaluationEvent,
  StoreContext,
  UserContext,
  ZoneContext,
} from "../../cloud/src/domain/rules/evaluate.js";
import type { Rule } from "../../cloud/src/domain/rules/rule.js";
import { checkRuleSpec, type RuleSpec, type TimeWindow } from "../../cloud/src/domain/rules/ruleSpec.js";

/** mulberry32: small, fast, good enough to spread a workload; same seed, same workload. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
function pick<T>(r: Rand, xs: readonly T[]): T {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error("pick from an empty list");
  return x;
}
function some<T>(r: Rand, xs: readonly T[], n: number): T[] {
  const pool = [...xs];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(...pool.splice(Math.floor(r() * pool.length), 1));
  return out;
}

export const TIMEZONES = ["Asia/Hong_Kong", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney"];
export const ZONE_TAGS = ["cosmetics", "shoes", "food", "electronics", "fashion", "checkout"];
export const SEGMENTS = Array.from({ length: 12 }, (_, i) => `seg-${i}`);
export const TIERS = ["bronze", "silver", "gold", "platinum"];
export const ZONES_PER_STORE = 4;
const DWELLS_S = [30, 60, 120, 300];

export interface Store extends StoreContext {
  readonly zones: readonly ZoneContext[];
}

export function makeStores(count: number, prefix: string, seed: number): Store[] {
  const r = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}${String(i).padStart(4, "0")}`;
    return {
      id,
      timezone: pick(r, TIMEZONES),
      tags: [pick(r, ["mall", "street", "airport"])],
      zones: Array.from({ length: ZONES_PER_STORE }, (_, z) => ({ id: `${id}-z${z}`, tags: [pick(r, ZONE_TAGS)] })),
    };
  });
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/**
 * `perStore` rules for every store, plus `orgWide` rules with no scope and `zoneTagOnly` rules
 * scoped to a zone tag in every store. Per store: 80% one zone, 20% the store's zones carrying a tag.
 * 60% enter, 40% dwell; half with segments (any of 1-3), 30% with tiers, half with one local time
 * window (a quarter of those cross midnight); limits on most (counters are empty, so they never bind).
 */
export function makeRules(
  stores: readonly Store[],
  perStore: number,
  extra: { readonly orgWide: number; readonly zoneTagOnly: number },
  seed: number,
  idPrefix: string,
): Rule[] {
  const r = prng(seed);
  const rules: Rule[] = [];
  const specOf = (scope: RuleSpec["scope"]): RuleSpec => {
    const dwell = r() < 0.4;
    const conditions: Record<string, unknown> = {};
    if (r() < 0.5) conditions["segments"] = some(r, SEGMENTS, int(r, 1, 3));
    if (r() < 0.3) conditions["loyaltyTiers"] = some(r, TIERS, int(r, 1, 3));
    if (r() < 0.5) {
      const start = int(r, 0, 95) * 15;
      const crosses = r() < 0.25;
      const length = crosses ? int(r, 8, 40) * 15 : int(r, 8, 48) * 15;
      const end = crosses ? (start + length) % 1440 : Math.min(start + length, 1439);
      if (end !== start) conditions["schedule"] = { windows: [{ start: hhmm(start), end: hhmm(end) }] };
    }
    const raw = {
      trigger: dwell ? { type: "dwell", minDwellS: pick(r, DWELLS_S) } : { type: "enter" },
      ...(scope === undefined ? {} : { scope }),
      ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
      offer: { title: "Offer", text: "", discount: { kind: "percent", percent: int(r, 5, 30) }, validityS: 1800 },
      ...(r() < 0.8 ? { limits: { maxPerUserPerDay: 1, cooldownS: 3600, budget: 10_000 } } : {}),
      priority: int(r, -10, 10),
    };
    const checked = checkRuleSpec(raw);
    if (!checked.ok) throw new Error(`bad generated rule: ${JSON.stringify(checked.problems)}`);
    return checked.value;
  };
  const add = (scope: RuleSpec["scope"]) =>
    rules.push({ id: `${idPrefix}${String(rules.length).padStart(6, "0")}`, version: 1, status: "live", spec: specOf(scope) });
  for (const store of stores) {
    for (let k = 0; k < perStore; k++) {
      if (r() < 0.8) add({ storeIds: [store.id], zoneIds: [pick(r, store.zones).id] });
      else add({ storeIds: [store.id], zoneTags: [pick(r, ZONE_TAGS)] });
    }
  }
  for (let k = 0; k < extra.zoneTagOnly; k++) add({ zoneTags: [pick(r, ZONE_TAGS)] });
  for (let k = 0; k < extra.orgWide; k++) add(undefined);
  return rules;
}

export interface BenchEvent {
  readonly event: EvaluationEvent;
  readonly store: Store;
  readonly zone: ZoneContext;
  readonly user: UserContext;
}

/** 2026-03-09 00:00Z (a Monday); events spread over the following week. */
export const WEEK_START = Date.UTC(2026, 2, 9);

export function makeEvents(stores: readonly Store[], count: number, users: number, seed: number): BenchEvent[] {
  const r = prng(seed);
  const people: UserContext[] = Array.from({ length: users }, (_, i) => ({
    id: `u-${i}`,
    segments: some(r, SEGMENTS, int(r, 0, 3)),
    loyaltyTier: r() < 0.3 ? null : pick(r, TIERS),
    marketingConsent: r() < 0.85,
    visitCount: int(r, 1, 20),
    previousVisitAt: null,
    offersReceived: int(r, 0, 10),
  }));
  return Array.from({ length: count }, (_, i) => {
    const store = pick(r, stores);
    const zone = pick(r, store.zones);
    const user = pick(r, people);
    const at = WEEK_START + Math.floor(r() * 7 * 86_400_000);
    const dwell = r() < 0.5;
    const event: EvaluationEvent = {
      id: `e-${i}`,
      type: dwell ? "dwell" : "enter",
      storeId: store.id,
      zoneId: zone.id,
      at,
      visitId: `v-${i}`,
      userId: user.id,
      ...(dwell ? { dwellMs: int(r, 10, 400) * 1000 } : {}),
    };
    return { event, store, zone, user };
  });
}

// ---- json-rules-engine form of the same rules -------------------------------------------------

interface JreCondition {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
  readonly priority?: number;
}
type JreNode = JreCondition | { readonly all: JreNode[]; readonly priority?: number } | { readonly any: JreNode[]; readonly priority?: number };
export interface JreRule {
  readonly name: string;
  readonly priority: number;
  readonly conditions: { readonly all: JreNode[] };
  readonly event: { readonly type: string; readonly params: { readonly ruleId: string } };
}

/** Scope first (priority 3), then trigger (2), then the rest (1): `all` stops at the first failing group. */
const SCOPE_P = 3;
const TRIGGER_P = 2;

function windowNode(w: TimeWindow): JreNode {
  const start = Number(w.start.slice(0, 2)) * 60 + Number(w.start.slice(3, 5));
  const end = Number(w.end.slice(0, 2)) * 60 + Number(w.end.slice(3, 5));
  const ge: JreCondition = { fact: "localMinute", operator: "greaterThanInclusive", value: start };
  const lt: JreCondition = { fact: "localMinute", operator: "lessThan", value: end };
  return start < end ? { all: [ge, lt] } : { any: [ge, lt] };
}

/**
 * The same rule as json-rules-engine conditions over the facts of `jreFacts`: store and zone
 * (ids `in`, tags via `contains` on the place's tag list), trigger and dwell threshold, schedule
 * windows on the local minute of day, consent, segments (any of), tier (in).
 */
export function toJre(rule: Rule): JreRule {
  const { spec } = rule;
  const all: JreNode[] = [];
  const scope = spec.scope ?? {};
  const dimension = (ids: readonly string[] | undefined, tags: readonly string[] | undefined, idFact: string, tagFact: string) => {
    if (ids === undefined && tags === undefined) return;
    const any: JreNode[] = [];
    if (ids !== undefined) any.push({ fact: idFact, operator: "in", value: [...ids] });
    for (const t of tags ?? []) any.push({ fact: tagFact, operator: "contains", value: t });
    all.push(any.length === 1 && any[0] !== undefined ? { ...any[0], priority: SCOPE_P } : { any, priority: SCOPE_P });
  };
  dimension(scope.storeIds, scope.storeTags, "storeId", "storeTags");
  dimension(scope.zoneIds, scope.zoneTags, "zoneId", "zoneTags");
  const trigger = spec.trigger;
  if (trigger.type === "dwell") {
    all.push({ fact: "eventType", operator: "equal", value: "dwell", priority: TRIGGER_P });
    all.push({ fact: "dwellMs", operator: "greaterThanInclusive", value: trigger.minDwellS * 1000, priority: TRIGGER_P });
  } else if (trigger.type === "enter") {
    all.push({ fact: "eventType", operator: "equal", value: "enter", priority: TRIGGER_P });
  } else {
    throw new Error(`bench generates enter and dwell rules only, not ${trigger.type}`);
  }
  const c = spec.conditions;
  const windows = c?.schedule?.windows;
  if (windows !== undefined) all.push(windows.length === 1 && windows[0] !== undefined ? windowNode(windows[0]) : { any: windows.map(windowNode) });
  all.push({ fact: "consent", operator: "equal", value: true });
  if (c?.segments !== undefined) all.push({ any: c.segments.map((s) => ({ fact: "segments", operator: "contains", value: s })) });
  if (c?.loyaltyTiers !== undefined) all.push({ fact: "tier", operator: "in", value: [...c.loyaltyTiers] });
  return {
    name: rule.id,
    priority: Math.max(1, (spec.priority ?? 0) + 11),
    conditions: { all },
    event: { type: "match", params: { ruleId: rule.id } },
  };
}

/** Facts of one event for json-rules-engine; `localMinute` is the store's local minute of day. */
export function jreFacts(e: BenchEvent, localMinute: number): Record<string, unknown> {
  return {
    storeId: e.store.id,
    storeTags: e.store.tags,
    zoneId: e.zone.id,
    zoneTags: e.zone.tags,
    eventType: e.event.type,
    dwellMs: e.event.dwellMs ?? 0,
    localMinute,
    consent: e.user.marketingConsent,
    segments: e.user.segments,
    tier: e.user.loyaltyTier,
  };
}
