import type { Rule, RuleStatus } from "../../domain/rules/index.js";
import type {
  RuleAuditEntry,
  RuleChange,
  RuleRepository,
  RuleVersionRecord,
} from "../../services/repositories.js";
import type { SharedSqlDatabase, SharedSqlExecutor } from "./SqlDatabase.js";

interface RuleRow {
  id: string;
  version: number;
  org_id: string;
  status: RuleStatus;
  spec: string;
  created_at: number;
  updated_at: number | null;
}

function toRule(r: RuleRow): Rule {
  return {
    id: r.id,
    version: r.version,
    status: r.status,
    spec: JSON.parse(r.spec) as Rule["spec"],
    updatedAt: r.updated_at ?? r.created_at,
  };
}

/**
 * Rules in SQL (SQLite or PostgreSQL): one row per version, `current = 1` on the newest. A status change updates the
 * current version's row; an edit inserts the next version. Every change made through `createRule`
 * or `replaceRule` is written together with its audit entry, in one transaction, after checking
 * that nobody changed the rule since the caller read it.
 */
export class SqlRuleRepository implements RuleRepository {
  private readonly db: SharedSqlDatabase;

  constructor(db: SharedSqlDatabase) {
    this.db = db;
  }

  async listCurrentRules(orgId: string): Promise<Rule[]> {
    const rows = await this.db.all<RuleRow>(
      "SELECT * FROM rules WHERE org_id = ? AND current = 1 ORDER BY id",
      [orgId],
    );
    return rows.map(toRule);
  }

  /** Unchecked write, for seeding (demo, fixtures): the rule becomes current as given. */
  putRule(orgId: string, rule: Rule, now: number): Promise<void> {
    return this.db.transaction((tx) => writeRule(tx, orgId, rule, now));
  }

  async getRule(ruleId: string): Promise<{ orgId: string; rule: Rule } | null> {
    const row = await this.db.get<RuleRow>("SELECT * FROM rules WHERE id = ? AND current = 1", [ruleId]);
    return row ? { orgId: row.org_id, rule: toRule(row) } : null;
  }

  async versions(ruleId: string): Promise<RuleVersionRecord[]> {
    const rows = await this.db.all<RuleRow & { offers: number }>(
      `SELECT r.*, (SELECT COUNT(*) FROM offers o WHERE o.rule_id = r.id AND o.rule_version = r.version) AS offers
       FROM rules r WHERE r.id = ? ORDER BY r.version DESC`,
      [ruleId],
    );
    return rows.map((r) => ({
      version: r.version,
      status: r.status,
      spec: JSON.parse(r.spec) as Rule["spec"],
      createdAt: r.created_at,
      offersIssued: r.offers,
    }));
  }

  async auditTrail(ruleId: string, limit: number): Promise<RuleAuditEntry[]> {
    const rows = await this.db.all<{ at: number; actor: string; action: string; detail: string }>(
      `SELECT at, actor, action, detail FROM audit_log WHERE target = ? AND action LIKE 'rule.%'
       ORDER BY at DESC, id DESC LIMIT ?`,
      [ruleId, limit],
    );
    return rows.map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  createRule(orgId: string, rule: Rule, now: number, change: RuleChange): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const taken = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM rules WHERE id = ?", [rule.id]);
      if ((taken?.n ?? 0) > 0) return false;
      await writeRule(tx, orgId, rule, now);
      await audit(tx, rule.id, now, change);
      return true;
    });
  }

  replaceRule(
    orgId: string,
    expected: { version: number; status: RuleStatus },
    next: Rule,
    now: number,
    change: RuleChange,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const current = await tx.get<{ version: number; status: RuleStatus; org_id: string }>(
        "SELECT version, status, org_id FROM rules WHERE id = ? AND current = 1",
        [next.id],
      );
      if (
        !current ||
        current.org_id !== orgId ||
        current.version !== expected.version ||
        current.status !== expected.status
      ) {
        return false;
      }
      await writeRule(tx, orgId, next, now);
      await audit(tx, next.id, now, change);
      return true;
    });
  }
}

async function writeRule(tx: SharedSqlExecutor, orgId: string, rule: Rule, now: number): Promise<void> {
  const at = rule.updatedAt ?? now;
  await tx.run("UPDATE rules SET current = 0 WHERE id = ? AND current = 1 AND version != ?", [
    rule.id,
    rule.version,
  ]);
  await tx.run(
    `INSERT INTO rules (id, version, org_id, status, spec, created_at, updated_at, current) VALUES (?, ?, ?, ?, ?, ?, ?, 1)
     ON CONFLICT(id, version) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, current = 1`,
    [rule.id, rule.version, orgId, rule.status, JSON.stringify(rule.spec), at, at],
  );
}

async function audit(tx: SharedSqlExecutor, ruleId: string, at: number, change: RuleChange): Promise<void> {
  await tx.run("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)", [
    at,
    change.actor,
    change.action,
    ruleId,
    JSON.stringify(change.detail),
  ]);
}
