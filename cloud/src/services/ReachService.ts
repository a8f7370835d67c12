import type { DryRunService } from "./DryRunService.js";
import { done, type Outcome } from "./Outcome.js";
import type { Clock } from "./ports.js";
import type { UserRepository } from "./repositories.js";

const WEEK_MS = 7 * 86_400_000;

export interface Reach {
  /** Members with marketing consent in one of the rule's segments and tiers where it names them, now. */
  readonly members: number;
  /** The rule replayed over the last 7 days (its dry run). */
  readonly lastWeek: { readonly from: number; readonly to: number; readonly arrivals: number; readonly shoppers: number; readonly offers: number };
}

/** Who a rule would reach before it goes live: its audience counted now, and its last week replayed. */
export class ReachService {
  constructor(
    private readonly o: {
      readonly dryRun: Pick<DryRunService, "run">;
      readonly audience: Pick<UserRepository, "countReachable">;
      readonly clock: Clock;
    },
  ) {}

  async reach(orgId: string, spec: unknown): Promise<Outcome<Reach>> {
    const to = this.o.clock.now();
    const from = to - WEEK_MS;
    const report = await this.o.dryRun.run(orgId, { spec, from: { instant: from }, to: { instant: to } });
    if (!report.ok) return report;
    const conditions = (spec as { conditions?: { segments?: string[]; loyaltyTiers?: string[] } }).conditions;
    const members = await this.o.audience.countReachable(orgId, {
      ...(conditions?.segments === undefined ? {} : { segments: conditions.segments }),
      ...(conditions?.loyaltyTiers === undefined ? {} : { tiers: conditions.loyaltyTiers }),
    });
    return done({
      members,
      lastWeek: { from, to, arrivals: report.value.eventsEvaluated, shoppers: report.value.distinctUsers, offers: report.value.offersIssued },
    });
  }
}
