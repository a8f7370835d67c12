import type { Rule } from "./rule.js";
import { type EventTrigger, eventTriggerOf } from "./ruleSpec.js";
import { matchesScope, type Place } from "./scope.js";

export interface MatchContext extends Place {
  readonly trigger: EventTrigger;
}

/** Rules listening to one event trigger, bucketed by their most selective scope dimension. */
class TriggerBuckets {
  readonly byStoreId = new Map<string, Rule[]>();
  readonly byStoreTag = new Map<string, Rule[]>();
  readonly byZoneId = new Map<string, Rule[]>();
  readonly byZoneTag = new Map<string, Rule[]>();
  readonly orgWide: Rule[] = [];
}

function push(map: Map<string, Rule[]>, key: string, rule: Rule): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [rule]);
  else list.push(rule);
}

/**
 * Finds the rules that can apply to an event, so that the work per event grows with the rules
 * that target its store or zone (plus org-wide rules), not with the number of rules in the
 * organisation. Each rule is filed under its store selectors when it has any, else under its zone
 * selectors, else in the org-wide bucket; a lookup reads the buckets of the event's store id, store
 * tags, zone id and zone tags, then checks the full scope (the dimension not used for filing).
 *
 * Built once from a set of rules (rebuild on change, it is cheap); holds one version per rule id,
 * the highest. It does not filter by status: `evaluate` reports non-live rules as `rule-not-live`,
 * so a caller that wants a quiet decision log indexes only live rules.
 */
export class RuleIndex {
  private readonly buckets = new Map<EventTrigger, TriggerBuckets>();
  readonly size: number;

  constructor(rules: readonly Rule[]) {
    const latest = new Map<string, Rule>();
    for (const rule of rules) {
      const seen = latest.get(rule.id);
      if (seen === undefined || seen.version < rule.version) latest.set(rule.id, rule);
    }
    this.size = latest.size;
    for (const rule of latest.values()) {
      const trigger = eventTriggerOf(rule.spec.trigger);
      let b = this.buckets.get(trigger);
      if (b === undefined) {
        b = new TriggerBuckets();
        this.buckets.set(trigger, b);
      }
      const scope = rule.spec.scope ?? {};
      if (scope.storeIds !== undefined || scope.storeTags !== undefined) {
        for (const id of scope.storeIds ?? []) push(b.byStoreId, id, rule);
        for (const tag of scope.storeTags ?? []) push(b.byStoreTag, tag, rule);
      } else if (scope.zoneIds !== undefined || scope.zoneTags !== undefined) {
        for (const id of scope.zoneIds ?? []) push(b.byZoneId, id, rule);
        for (const tag of scope.zoneTags ?? []) push(b.byZoneTag, tag, rule);
      } else {
        b.orgWide.push(rule);
      }
    }
  }

  /** Rules whose trigger and scope fit `ctx`, highest priority first, then by rule id. */
  candidates(ctx: MatchContext): readonly Rule[] {
    const b = this.buckets.get(ctx.trigger);
    if (b === undefined) return [];
    const found = new Map<string, Rule>();
    const add = (list: readonly Rule[] | undefined) => {
      for (const rule of list ?? []) {
        if (!found.has(rule.id) && matchesScope(rule.spec.scope, ctx)) found.set(rule.id, rule);
      }
    };
    add(b.byStoreId.get(ctx.storeId));
    for (const tag of ctx.storeTags) add(b.byStoreTag.get(tag));
    add(b.byZoneId.get(ctx.zoneId));
    for (const tag of ctx.zoneTags) add(b.byZoneTag.get(tag));
    add(b.orgWide);
    return [...found.values()].sort(byPriorityThenId);
  }
}

/** Higher priority first; equal priorities by rule id, code-unit order, so every run agrees. */
export function byPriorityThenId(a: Rule, b: Rule): number {
  const pa = a.spec.priority ?? 0;
  const pb = b.spec.priority ?? 0;
  if (pa !== pb) return pb - pa;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
