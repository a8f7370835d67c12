import type { Rule, RuleStatus } from "../../domain/rules/index.js";

/** One stored version of a rule. */
export interface RuleVersionRecord {
  readonly version: number;
  /** The status this version had when it was last current. */
  readonly status: RuleStatus;
  readonly spec: Rule["spec"];
  readonly createdAt: number;
  /** Offers issued under this version. */
  readonly offersIssued: number;
}

/** A change to a rule as recorded in the audit log. */
export interface RuleAuditEntry {
  readonly at: number;
  /** API key id, or `scheduler`; never a secret. */
  readonly actor: string;
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The audit entry stored in the same transaction as a rule change. */
export interface RuleChange {
  readonly actor: string;
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * Rules and their versions: one row per version, the newest current. `listCurrentRules` and
 * `putRule` are what the rules engine and seeding use; the rules API writes through `createRule`
 * and `replaceRule`, which are compare-and-swap and store their audit entry with the change.
 */
export interface RuleRepository {
  /** The newest version of every rule of the organisation, by id. */
  listCurrentRules(orgId: string): Promise<Rule[]>;
  /** Unchecked write (seeding, fixtures): the version is stored and becomes the current one. */
  putRule(orgId: string, rule: Rule, now: number): Promise<void>;
  getRule(ruleId: string): Promise<{ readonly orgId: string; readonly rule: Rule } | null>;
  /** Every stored version of the rule, newest first. */
  versions(ruleId: string): Promise<RuleVersionRecord[]>;
  /** The rule's audit entries (`rule.*` actions), newest first. */
  auditTrail(ruleId: string, limit: number): Promise<RuleAuditEntry[]>;
  /** Stores version 1 of a new rule with its audit entry; false when the id is taken (any org). */
  createRule(orgId: string, rule: Rule, now: number, change: RuleChange): Promise<boolean>;
  /**
   * Stores `next` (a new version, or a new status of the current one) with its audit entry, only
   * if the current version and status are still `expected`; false when someone changed it first.
   */
  replaceRule(
    orgId: string,
    expected: { readonly version: number; readonly status: RuleStatus },
    next: Rule,
    now: number,
    change: RuleChange,
  ): Promise<boolean>;
}
