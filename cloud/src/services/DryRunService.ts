import type { Problem } from "../../../protocol/index.js";
import {
  boundInstant,
  checkRuleSpec,
  type EvaluationInput,
  eventTriggerOf,
  evaluate,
  InMemoryCounters,
  isValidTimeZone,
  localDayKey,
  matchesScope,
  type NotIssuedReason,
  type Rule,
  type Scope,
  type TimeBound,
} from "../domain/rules/index.js";
import { done, invalid, type Outcome } from "./Outcome.js";
import type { DirectoryRepository, ReplayRepository, StoreRecord } from "./repositories.js";

/** The reasons that are limits (caps, budget, cooldown), as opposed to targeting. */
export const LIMIT_REASONS = [
  "budget-exhausted",
  "already-issued-this-visit",
  "user-cap",
  "daily-cap",
  "cooldown",
  "org-daily-cap",
] as const satisfies readonly NotIssuedReason[];

export interface DryRunInput {
  readonly spec: unknown;
  /**
   * Period of recorded events to replay, [from, to): instants, or days that start at midnight in
   * the timezone of the stores the rule's scope names (all the organisation's stores without one)
   * when they share one, else in UTC.
   */
  readonly from: TimeBound;
  readonly to: TimeBound;
  /** The id the rule would have; it decides the holdout group. Default `dry-run`. */
  readonly ruleId?: string;
}

export interface DryRunReport {
  readonly ruleId: string;
  readonly from: number;
  readonly to: number;
  /** Recorded events of the rule's trigger type, inside its scope, replayed in time order. */
  readonly eventsEvaluated: number;
  /** Events of the trigger type at stores or zones outside the rule's scope (not evaluated). */
  readonly eventsOutOfScope: number;
  readonly offersIssued: number;
  readonly distinctUsers: number;
  readonly heldOutUsers: number;
  /** Every reason the rule would not have issued, with its count. */
  readonly notIssued: Readonly<Partial<Record<NotIssuedReason, number>>>;
  /** The subset of `notIssued` that are limits. */
  readonly limitsHit: Readonly<Partial<Record<(typeof LIMIT_REASONS)[number], number>>>;
  readonly budget: { readonly limit: number | null; readonly exhaustedAt: number | null };
  /** Offers per local day of the store they would have been issued in. */
  readonly issuedByDay: readonly { readonly day: string; readonly offers: number }[];
  /** True when the period held more events than one dry run replays (`maxEvents`). */
  readonly truncated: boolean;
}

export interface DryRunServiceOptions {
  readonly replay: ReplayRepository;
  readonly directory: Pick<DirectoryRepository, "getOrganisation" | "listZones">;
  readonly stores: (orgId: string) => Promise<StoreRecord[]>;
  /** Longest period one dry run may cover, ms (default 92 days). */
  readonly maxPeriodMs?: number;
  /** Most events one dry run replays (default 1,000,000). */
  readonly maxEvents?: number;
  readonly pageSize?: number;
}

const DAY_MS = 86_400_000;

/** Real offers of one user, in time order, consumed as the replay moves past them. */
interface RealOffers {
  readonly list: { readonly issuedAt: number; readonly dayKey: string }[];
  next: number;
  total: number;
  readonly perDay: Map<string, number>;
}

/**
 * "What would this rule have done?": replays the recorded presence events of a period through
 * `evaluate`, as if the rule had been live, with `InMemoryCounters` standing in for the offer
 * store, so budgets run out and caps bite as they would have. Reading the events is the only I/O;
 * the evaluation is the same pure code the live path runs, at each event's own time.
 *
 * Assumptions, so the numbers can be read correctly: shoppers' profiles (segments, tier, consent)
 * are today's; the offers other rules really issued count towards the organisation's daily cap and
 * the shopper's offers received; the rule competes with no other rule (priority is not simulated).
 */
export class DryRunService {
  private readonly o: DryRunServiceOptions;

  constructor(options: DryRunServiceOptions) {
    this.o = options;
  }

  async run(orgId: string, input: DryRunInput): Promise<Outcome<DryRunReport>> {
    const problems: Problem[] = [];
    const checked = checkRuleSpec(input.spec);
    if (!checked.ok) problems.push(...checked.problems.map((p) => ({ path: `/spec${p.path}`, message: p.message })));
    const maxPeriodMs = this.o.maxPeriodMs ?? 92 * DAY_MS;
    const storeList = await this.o.stores(orgId);
    const scope = checked.ok ? checked.value.scope : undefined;
    // Only the store dimension of the scope says whose midnight a day means.
    const storeScope: Scope = {
      ...(scope?.storeIds === undefined ? {} : { storeIds: scope.storeIds }),
      ...(scope?.storeTags === undefined ? {} : { storeTags: scope.storeTags }),
    };
    const zones = new Set(
      storeList
        .filter((s) => matchesScope(storeScope, { storeId: s.id, zoneId: "", storeTags: s.tags, zoneTags: [] }))
        .map((s) => s.timezone),
    );
    const timeZone = zones.size === 1 ? ([...zones][0] ?? null) : null;
    const from = boundInstant(input.from, timeZone);
    const to = boundInstant(input.to, timeZone);
    if (!(from < to)) problems.push({ path: "/to", message: "must be after from" });
    else if (to - from > maxPeriodMs) {
      problems.push({ path: "/to", message: `the period may cover at most ${Math.round(maxPeriodMs / DAY_MS)} days` });
    }
    if (!checked.ok || problems.length > 0) {
      return invalid(problems, "the dry run request is not valid");
    }
    const rule: Rule = { id: input.ruleId ?? "dry-run", version: 1, status: "live", spec: checked.value };

    const stores = new Map(storeList.map((s) => [s.id, s]));
    const zoneTags = new Map<string, readonly string[]>();
    for (const store of stores.values()) {
      for (const zone of await this.o.directory.listZones(store.id)) zoneTags.set(`${store.id}/${zone.id}`, zone.tags);
    }
    const org = await this.o.directory.getOrganisation(orgId);

    // Offers really issued by other rules: from well before the first local day, so "today" counts
    // are right at the start of the period too.
    const base = from - 2 * DAY_MS;
    const real = new Map<string, RealOffers>();
    const realOf = (userId: string): RealOffers => {
      let r = real.get(userId);
      if (r === undefined) {
        r = { list: [], next: 0, total: 0, perDay: new Map() };
        real.set(userId, r);
      }
      return r;
    };
    for (const { userId, n } of await this.o.replay.offerCountsBefore(orgId, base)) realOf(userId).total = n;
    for (const o of await this.o.replay.issuedOffers(orgId, base, to)) realOf(o.userId).list.push(o);

    const sim = new InMemoryCounters();
    const maxEvents = this.o.maxEvents ?? 1_000_000;
    const pageSize = this.o.pageSize ?? 5000;
    const issuedByDay = new Map<string, number>();
    let evaluated = 0;
    let outOfScope = 0;
    let truncated = false;
    let after: { at: number; id: string } | null = null;
    for (;;) {
      const page = await this.o.replay.replayEvents({
        orgId,
        from,
        to,
        type: eventTriggerOf(rule.spec.trigger),
        after,
        limit: pageSize,
      });
      for (const e of page) {
        if (evaluated >= maxEvents) {
          truncated = true;
          break;
        }
        const store = stores.get(e.storeId);
        if (store === undefined) continue;
        const tags = zoneTags.get(`${e.storeId}/${e.zoneId}`) ?? [];
        const place = { storeId: store.id, zoneId: e.zoneId, storeTags: store.tags, zoneTags: tags };
        if (!matchesScope(rule.spec.scope, place)) {
          outOfScope++;
          continue;
        }
        evaluated++;
        const dayKey = isValidTimeZone(store.timezone) ? localDayKey(e.at, store.timezone) : "";
        const mine = realOf(e.userId);
        while (mine.next < mine.list.length && (mine.list[mine.next]?.issuedAt ?? Infinity) < e.at) {
          const o = mine.list[mine.next++];
          if (o === undefined) break;
          mine.total++;
          mine.perDay.set(o.dayKey, (mine.perDay.get(o.dayKey) ?? 0) + 1);
        }
        const simulated = sim.countersFor({
          userId: e.userId,
          visitId: e.visitId,
          dayKey,
          ruleIds: [rule.id],
        });
        const evaluationInput: EvaluationInput = {
          event: {
            id: e.id,
            type: e.type,
            storeId: e.storeId,
            zoneId: e.zoneId,
            at: e.at,
            visitId: e.visitId,
            userId: e.userId,
            ...(e.dwellMs === null ? {} : { dwellMs: e.dwellMs }),
          },
          store: { id: store.id, timezone: store.timezone, tags: store.tags },
          zone: { id: e.zoneId, tags },
          user: {
            id: e.userId,
            segments: e.segments,
            loyaltyTier: e.loyaltyTier,
            marketingConsent: e.marketingConsent,
            visitCount: e.visitCount,
            previousVisitAt: e.previousVisitAt,
            offersReceived: mine.total + sim.offersIssuedTo(e.userId),
          },
          counters: simulated.counters,
          userIssuedTodayAllRules: simulated.userIssuedTodayAllRules + (mine.perDay.get(dayKey) ?? 0),
          orgMaxPerUserPerDay: org?.maxOffersPerUserPerDay ?? null,
          now: e.at,
          candidates: [rule],
        };
        const evaluation = evaluate(evaluationInput);
        sim.record(evaluationInput, evaluation);
        if (evaluation.issued) issuedByDay.set(dayKey, (issuedByDay.get(dayKey) ?? 0) + 1);
      }
      const last = page.at(-1);
      if (truncated || page.length < pageSize || last === undefined) break;
      after = { at: last.at, id: last.id };
    }

    const report = sim.report();
    const mineReport = report.rules[rule.id];
    const notIssued = mineReport?.notIssued ?? {};
    const limitsHit: Partial<Record<(typeof LIMIT_REASONS)[number], number>> = {};
    for (const reason of LIMIT_REASONS) {
      const n = notIssued[reason];
      if (n !== undefined) limitsHit[reason] = n;
    }
    return done({
      ruleId: rule.id,
      from,
      to,
      eventsEvaluated: evaluated,
      eventsOutOfScope: outOfScope,
      offersIssued: mineReport?.issued ?? 0,
      distinctUsers: mineReport?.distinctUsers ?? 0,
      heldOutUsers: mineReport?.heldOutUsers ?? 0,
      notIssued,
      limitsHit,
      budget: { limit: rule.spec.limits?.budget ?? null, exhaustedAt: mineReport?.budgetExhaustedAt ?? null },
      issuedByDay: [...issuedByDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([day, offers]) => ({ day, offers })),
      truncated,
    });
  }
}
