import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Rule } from "../../../cloud/src/domain/rules/index.js";
import type { RuleRepository } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, org } from "./repositoryContract.js";

export const ruleSpec = (title = "10% off"): Rule["spec"] => ({
  trigger: { type: "enter" },
  offer: { title, text: "Today only", discount: { kind: "percent", percent: 10 }, validityS: 600 },
});

export const rule = (id: string, overrides: Partial<Rule> = {}): Rule => ({
  id,
  version: 1,
  status: "draft",
  spec: ruleSpec(),
  ...overrides,
});

const change = (action: string, detail: Record<string, unknown> = {}) => ({ actor: "key-marketer", action, detail });

/** What every backend's RuleRepository does: versions, the current one, compare-and-swap writes. */
export function describeRuleRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`RuleRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let rules: RuleRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      rules = backend.repos.rules;
      await backend.repos.directory.upsertOrganisation(org("o1"), 0);
      await backend.repos.directory.upsertOrganisation(org("o2"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("lists the current version of each of an organisation's rules, by id", async () => {
      await rules.putRule("o1", rule("r2", { status: "live" }), 10);
      await rules.putRule("o1", rule("r1", { status: "live" }), 10);
      await rules.putRule("o1", rule("r1", { version: 2, status: "live", spec: ruleSpec("20% off") }), 20);
      await rules.putRule("o2", rule("x1"), 10);
      const current = await rules.listCurrentRules("o1");
      expect(current.map((r) => [r.id, r.version])).toEqual([
        ["r1", 2],
        ["r2", 1],
      ]);
      expect(current[0]).toEqual({ id: "r1", version: 2, status: "live", spec: ruleSpec("20% off"), updatedAt: 20 });
      expect(await rules.listCurrentRules("o9")).toEqual([]);
    });

    it("finds a rule's current version with its organisation, and null for an unknown id", async () => {
      await rules.putRule("o2", rule("r1", { updatedAt: 5 }), 10);
      expect(await rules.getRule("r1")).toEqual({ orgId: "o2", rule: { ...rule("r1"), updatedAt: 5 } });
      expect(await rules.getRule("nope")).toBeNull();
      expect(await rules.versions("nope")).toEqual([]);
    });

    it("creates a rule once per id across organisations, with its audit entry", async () => {
      expect(await rules.createRule("o1", rule("r1"), 10, change("rule.create", { version: 1 }))).toBe(true);
      expect(await rules.createRule("o2", rule("r1", { spec: ruleSpec("Other") }), 11, change("rule.create"))).toBe(false);
      expect(await rules.getRule("r1")).toEqual({ orgId: "o1", rule: { ...rule("r1"), updatedAt: 10 } });
      expect(await rules.auditTrail("r1", 10)).toEqual([
        { at: 10, actor: "key-marketer", action: "rule.create", detail: { version: 1 } },
      ]);
    });

    it("replaces a rule only from the version and status the caller read", async () => {
      await rules.createRule("o1", rule("r1"), 10, change("rule.create"));
      // A status change keeps the version.
      expect(await rules.replaceRule("o1", { version: 1, status: "draft" }, rule("r1", { status: "live" }), 20, change("rule.transition"))).toBe(true);
      // Someone else's edit came first: the stale write is refused and changes nothing.
      expect(await rules.replaceRule("o1", { version: 1, status: "draft" }, rule("r1", { status: "ended" }), 30, change("rule.transition"))).toBe(false);
      // Another organisation cannot write it, even with the right expectation.
      expect(await rules.replaceRule("o2", { version: 1, status: "live" }, rule("r1", { status: "paused" }), 30, change("rule.transition"))).toBe(false);
      expect(await rules.replaceRule("o1", { version: 1, status: "live" }, rule("nope", { status: "paused" }), 30, change("x"))).toBe(false);
      // An edit is the next version, current from now on.
      const edit = rule("r1", { version: 2, status: "live", spec: ruleSpec("20% off") });
      expect(await rules.replaceRule("o1", { version: 1, status: "live" }, edit, 40, change("rule.update"))).toBe(true);
      expect((await rules.getRule("r1"))?.rule).toEqual({ ...edit, updatedAt: 40 });
      expect((await rules.auditTrail("r1", 10)).map((e) => [e.at, e.action])).toEqual([
        [40, "rule.update"],
        [20, "rule.transition"],
        [10, "rule.create"],
      ]);
    });

    it("keeps every version, newest first, each with the status it last had", async () => {
      await rules.createRule("o1", rule("r1"), 10, change("rule.create"));
      await rules.replaceRule("o1", { version: 1, status: "draft" }, rule("r1", { status: "live" }), 20, change("rule.transition"));
      await rules.replaceRule("o1", { version: 1, status: "live" }, rule("r1", { version: 2, status: "live", spec: ruleSpec("v2") }), 30, change("rule.update"));
      await rules.replaceRule("o1", { version: 2, status: "live" }, rule("r1", { version: 2, status: "paused", spec: ruleSpec("v2") }), 40, change("rule.transition"));
      expect(await rules.versions("r1")).toEqual([
        { version: 2, status: "paused", spec: ruleSpec("v2"), createdAt: 30, offersIssued: 0 },
        { version: 1, status: "live", spec: ruleSpec(), createdAt: 10, offersIssued: 0 },
      ]);
      expect(await rules.listCurrentRules("o1")).toEqual([{ ...rule("r1", { version: 2, status: "paused", spec: ruleSpec("v2") }), updatedAt: 40 }]);
    });

    it("reads a rule's audit trail newest first, rule actions only, up to the limit", async () => {
      await rules.createRule("o1", rule("r1"), 10, change("rule.create"));
      await backend.repos.audit.audit({ at: 15, actor: "k", action: "store.update", target: "r1" });
      await rules.replaceRule("o1", { version: 1, status: "draft" }, rule("r1", { status: "live" }), 20, change("rule.transition", { to: "live" }));
      expect(await rules.auditTrail("r1", 1)).toEqual([
        { at: 20, actor: "key-marketer", action: "rule.transition", detail: { to: "live" } },
      ]);
      expect((await rules.auditTrail("r1", 10)).map((e) => e.action)).toEqual(["rule.transition", "rule.create"]);
    });
  });
}
