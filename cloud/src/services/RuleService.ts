import { randomBytes } from "node:crypto";
import { isValidId, type Problem } from "../../../protocol/index.js";
import {
  checkRuleSpec,
  dueTransition,
  isProblem,
  type KnownPlaces,
  type Rule,
  type RuleSpec,
  type RuleStatus,
  reviseRule,
  transition,
  unknownPlaces,
} from "../domain/rules/index.js";
import { conflict, done, idNotAvailable, invalid, notFound, type Outcome } from "./Outcome.js";
import { type Clock, type Logger, type Scheduler, systemScheduler, type TimerHandle } from "./ports.js";
import type {
  DirectoryRepository,
  RuleAuditEntry,
  RuleChange,
  RuleRepository,
  RuleVersionRecord,
} from "./repositories.js";

/** Who changes a rule: the API key id (never the key) or the scheduler. */
export interface RuleActor {
  readonly orgId: string;
  readonly actor: string;
}

export interface RuleDetails {
  readonly orgId: string;
  readonly rule: Rule;
  /** Newest first; each with the offers issued under it. */
  readonly versions: readonly RuleVersionRecord[];
  /** Creation, edits and status changes, newest first, with who made them. */
  readonly history: readonly RuleAuditEntry[];
  readonly offersIssued: number;
  /** Offers the budget still allows; null without a budget. */
  readonly budgetRemaining: number | null;
}

export interface RuleServiceOptions {
  readonly rules: RuleRepository;
  /** Organisations for the scheduler; stores and zones to refuse a rule naming one that does not exist. */
  readonly directory: Pick<DirectoryRepository, "listOrganisations" | "listStores" | "listZones">;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called after any change to an organisation's rules (the offer service rebuilds its index). */
  readonly onRulesChanged: (orgId: string) => Promise<void>;
  /** How often the scheduler looks for due transitions, ms. */
  readonly schedulerIntervalMs?: number;
  /** Timers; default the process's own. */
  readonly scheduler?: Scheduler;
}

/** Rule ids a client cannot take: they name routes under /v1/rules. */
const RESERVED_IDS = new Set(["dry-run", "reach"]);
/** Optimistic writes retried this often before a request gives up with a conflict. */
const MAX_ATTEMPTS = 5;
export const SCHEDULER_ACTOR = "scheduler";

function prefixed(problems: readonly Problem[], prefix: string): Problem[] {
  return problems.map((p) => ({ path: prefix + p.path, message: p.message }));
}

/**
 * The rules API's behaviour and the rule scheduler. Rules belong to one organisation; every write
 * goes through the domain (`checkRuleSpec`, `reviseRule`, `transition`, `dueTransition`), is a
 * compare-and-swap on the version and status the caller saw, and is stored together with its audit
 * entry. After each change the organisation's live index is rebuilt.
 *
 * The scheduler is a timer that asks `dueTransition` about every current rule at the clock's now:
 * scheduled rules go live once their `from` day has begun somewhere, rules end once their `until`
 * day is over everywhere. Each store still waits for its own local days (`evaluate` checks the
 * schedule in the store's timezone), so the scheduler only has to be no later than the earliest store.
 */
export class RuleService {
  private readonly o: RuleServiceOptions;
  private timer: TimerHandle | null = null;
  private ticking: Promise<number> | null = null;
  private readonly scheduler: Scheduler;

  constructor(options: RuleServiceOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /** Applies due transitions now, then every `schedulerIntervalMs`. */
  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = this.scheduler.setInterval(() => {
      this.tick().catch((err: unknown) => this.o.log.error({ err }, "rule scheduler failed"));
    }, this.o.schedulerIntervalMs ?? 30_000);
    await this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
  }

  async list(orgId: string, status?: RuleStatus): Promise<Rule[]> {
    const rules = await this.o.rules.listCurrentRules(orgId);
    return status === undefined ? rules : rules.filter((r) => r.status === status);
  }

  async get(orgId: string, ruleId: string): Promise<Outcome<RuleDetails>> {
    const found = await this.o.rules.getRule(ruleId);
    if (!found || found.orgId !== orgId) return noRule(ruleId);
    const [versions, history] = await Promise.all([
      this.o.rules.versions(ruleId),
      this.o.rules.auditTrail(ruleId, 200),
    ]);
    const offersIssued = versions.reduce((n, v) => n + v.offersIssued, 0);
    const budget = found.rule.spec.limits?.budget;
    return done({
      orgId,
      rule: found.rule,
      versions,
      history,
      offersIssued,
      budgetRemaining: budget === undefined ? null : Math.max(0, budget - offersIssued),
    });
  }

  /** A new rule as a draft, version 1. `id` is optional; one is generated when absent. */
  async create(who: RuleActor, input: { readonly id?: string; readonly spec: unknown }): Promise<Outcome<Rule>> {
    const problems: Problem[] = [];
    if (input.id !== undefined && (!isValidId(input.id) || RESERVED_IDS.has(input.id))) {
      problems.push({ path: "/id", message: `must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$ and not be "dry-run" or "reach"` });
    }
    const checked = checkRuleSpec(input.spec);
    if (!checked.ok) problems.push(...prefixed(checked.problems, "/spec"));
    else problems.push(...(await this.unknownPlaces(who.orgId, checked.value)));
    if (!checked.ok || problems.length > 0) {
      return invalid(problems, "the rule is not valid");
    }
    const now = this.o.clock.now();
    const rule: Rule = {
      id: input.id ?? `rule-${randomBytes(6).toString("hex")}`,
      version: 1,
      status: "draft",
      spec: checked.value,
      updatedAt: now,
    };
    const created = await this.o.rules.createRule(who.orgId, rule, now, {
      actor: who.actor,
      action: "rule.create",
      detail: { version: 1, status: "draft" },
    });
    if (!created) {
      return idNotAvailable("rule", rule.id, [{ path: "/id", message: "is not available; choose another" }]);
    }
    this.o.log.info({ ruleId: rule.id, orgId: who.orgId, actor: who.actor }, "rule created");
    await this.o.onRulesChanged(who.orgId);
    return done(rule);
  }

  /**
   * An edit: the next version with the same status. With `baseVersion`, refused when the rule has
   * moved on since the editor read it (two marketers editing at once do not overwrite each other).
   */
  async revise(
    who: RuleActor,
    ruleId: string,
    input: { readonly spec: unknown; readonly baseVersion?: number },
  ): Promise<Outcome<Rule>> {
    const checked = checkRuleSpec(input.spec);
    if (!checked.ok) {
      return invalid(prefixed(checked.problems, "/spec"), "the rule is not valid");
    }
    // Another organisation's rule is not found, whatever its spec names.
    const found = await this.o.rules.getRule(ruleId);
    if (!found || found.orgId !== who.orgId) return noRule(ruleId);
    const unknown = await this.unknownPlaces(who.orgId, checked.value);
    if (unknown.length > 0) return invalid(unknown, "the rule names a store or zone that does not exist");
    return this.change(who, ruleId, (rule, now) => {
      if (input.baseVersion !== undefined && input.baseVersion !== rule.version) {
        return {
          path: "/baseVersion",
          message: `the rule is at version ${rule.version}, not ${input.baseVersion}; reload and edit again`,
        };
      }
      return reviseRule(rule, checked.value, now);
    });
  }

  /** A lifecycle step requested through the API: draft/scheduled/live/paused/ended. */
  transition(who: RuleActor, ruleId: string, to: RuleStatus): Promise<Outcome<Rule>> {
    return this.change(who, ruleId, (rule, now) => transition(rule, to, now));
  }

  /**
   * Applies every transition the clock calls for, in every organisation; resolves to how many
   * were applied. Concurrent calls share the run in progress.
   */
  tick(): Promise<number> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runTick().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async runTick(): Promise<number> {
    let applied = 0;
    for (const org of await this.o.directory.listOrganisations()) {
      let changed = false;
      for (const rule of await this.o.rules.listCurrentRules(org.id)) {
        const now = this.o.clock.now();
        const due = dueTransition(rule, now);
        if (due === null) continue;
        const next = transition(rule, due, now);
        if (isProblem(next)) {
          this.o.log.warn({ ruleId: rule.id, to: due, problem: next.message }, "scheduled transition refused");
          continue;
        }
        const stored = await this.o.rules.replaceRule(org.id, rule, next, now, {
          actor: SCHEDULER_ACTOR,
          action: "rule.transition",
          detail: { version: rule.version, from: rule.status, to: due, by: "schedule" },
        });
        if (!stored) continue; // changed through the API meanwhile; the next tick looks again
        this.o.log.info({ ruleId: rule.id, from: rule.status, to: due }, "rule transition by schedule");
        applied++;
        changed = true;
      }
      if (changed) await this.o.onRulesChanged(org.id);
    }
    return applied;
  }

  /** The stores and zones `spec` names that `orgId` does not have, as problems under `/spec`. */
  private async unknownPlaces(orgId: string, spec: RuleSpec): Promise<Problem[]> {
    const { scope, offer } = spec;
    if (!scope?.storeIds && !scope?.zoneIds && !offer.variations) return [];
    const { directory } = this.o;
    const stores = await directory.listStores(orgId, null);
    const withZones = scope?.zoneIds !== undefined;
    const known: KnownPlaces = new Map(
      await Promise.all(
        stores.map(async (s) => [s.id, new Set(withZones ? (await directory.listZones(s.id)).map((z) => z.id) : [])] as const),
      ),
    );
    return prefixed(unknownPlaces(spec, known), "/spec");
  }

  /** Read, apply `step`, write if nobody changed the rule meanwhile; retried on a lost race. */
  private async change(
    who: RuleActor,
    ruleId: string,
    step: (rule: Rule, now: number) => Rule | Problem,
  ): Promise<Outcome<Rule>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const found = await this.o.rules.getRule(ruleId);
      if (!found || found.orgId !== who.orgId) return noRule(ruleId);
      const current = found.rule;
      const now = this.o.clock.now();
      const next = step(current, now);
      if (isProblem(next)) return conflict(next.message, [next]);
      const change: RuleChange =
        next.version !== current.version
          ? {
              actor: who.actor,
              action: "rule.revise",
              detail: { version: next.version, previousVersion: current.version, status: next.status },
            }
          : {
              actor: who.actor,
              action: "rule.transition",
              detail: { version: next.version, from: current.status, to: next.status, by: "api" },
            };
      if (!(await this.o.rules.replaceRule(who.orgId, current, next, now, change))) continue;
      this.o.log.info(
        { ruleId, orgId: who.orgId, actor: who.actor, action: change.action, ...change.detail },
        "rule changed",
      );
      await this.o.onRulesChanged(who.orgId);
      // A rule scheduled for a day that has already begun somewhere goes live at once, not at the
      // next tick.
      const due = dueTransition(next, now);
      if (due !== null) await this.tick();
      const latest = await this.o.rules.getRule(ruleId);
      return done(latest?.rule ?? next);
    }
    return conflict(`rule ${ruleId} is being changed by someone else; try again`);
  }
}

function noRule(ruleId: string) {
  return notFound(`no rule ${ruleId} in this organisation`);
}
