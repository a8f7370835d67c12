import { done, notFound, type Outcome } from "./Outcome.js";
import type {
  DecisionCursor,
  DecisionPageQuery,
  DecisionRepository,
  EventRecord,
  RecordedDecision,
  RuleRepository,
  UserRepository,
} from "./repositories.js";

/** One page of the decision log, newest first. */
export interface DecisionPage {
  readonly decisions: readonly RecordedDecision[];
  /** Where the next page starts; null on the last page. */
  readonly next: DecisionCursor | null;
}

/** Which page: at most `limit` decisions, strictly after `after` (null: the newest). */
export interface DecisionPageRequest {
  readonly limit: number;
  readonly after: DecisionCursor | null;
}

/**
 * Why an event may have no decisions: `pending` (not decided yet), `no-user` (the subject is not
 * linked to an app user, so no rule is evaluated), `no-candidate-rules` (no live rule listens to
 * its store, zone and type) or `decided`.
 */
export type EventDecisionStatus = "pending" | "no-user" | "no-candidate-rules" | "decided";

export interface DecisionLogServiceOptions {
  readonly decisions: DecisionRepository;
  readonly users: Pick<UserRepository, "getUser">;
  readonly rules: Pick<RuleRepository, "getRule">;
}

/**
 * The decision log, read by user, by event or by rule, within the caller's organisation: a user,
 * event or rule of another organisation is "not found", whether or not it exists.
 */
export class DecisionLogService {
  constructor(private readonly o: DecisionLogServiceOptions) {}

  async forUser(orgId: string, userId: string, page: DecisionPageRequest): Promise<Outcome<DecisionPage>> {
    const user = await this.o.users.getUser(userId);
    if (!user || user.orgId !== orgId) return notFound(`no user ${userId} in this organisation`);
    return done(await this.page("user", userId, page));
  }

  async forRule(orgId: string, ruleId: string, page: DecisionPageRequest): Promise<Outcome<DecisionPage>> {
    const found = await this.o.rules.getRule(ruleId);
    if (!found || found.orgId !== orgId) return notFound(`no rule ${ruleId} in this organisation`);
    return done(await this.page("rule", ruleId, page));
  }

  /** The event, what became of it, and a page of its decisions. */
  async forEvent(
    orgId: string,
    eventId: string,
    page: DecisionPageRequest,
  ): Promise<Outcome<DecisionPage & { readonly record: EventRecord; readonly status: EventDecisionStatus }>> {
    const record = await this.o.decisions.getEvent(eventId);
    if (!record || record.orgId !== orgId) return notFound(`no event ${eventId} in this organisation`);
    const result = await this.page("event", eventId, page);
    // Only the first page can tell that there were no decisions at all.
    const status: EventDecisionStatus =
      record.decidedAt === null
        ? "pending"
        : record.event.userId === null
          ? "no-user"
          : result.decisions.length === 0 && page.after === null
            ? "no-candidate-rules"
            : "decided";
    return done({ ...result, record, status });
  }

  private async page(by: DecisionPageQuery["by"], id: string, page: DecisionPageRequest): Promise<DecisionPage> {
    // One more than asked tells whether there is a next page without a second query.
    const rows = await this.o.decisions.decisionsPage({ by, id, limit: page.limit + 1, after: page.after });
    const decisions = rows.slice(0, page.limit);
    const last = decisions.at(-1);
    return { decisions, next: rows.length > page.limit && last ? { decidedAt: last.decidedAt, id: last.id } : null };
  }
}
