import type { ApiAnswer, Conforms } from "../../sdk/src/apiTypes.js";
import type { Session } from "./api.js";
import type { Report } from "./pages/analytics.js";
import type { Balance, LedgerEntry, Profile, TierChange } from "./pages/members.js";
import type { VersionView } from "./pages/ruleVersions.js";
import type { DryRunReport, HistoryEntry, ReachReport, RuleView } from "./pages/rules.js";

/**
 * The console's view of the API, checked against the contract whenever the console is
 * type-checked: every answer the API documents (types generated from its OpenAPI document) is what
 * the pages read. A change of the API that drops, renames or retypes a field a page shows fails the
 * build, not the marketer's screen.
 */
export const CONSOLE_CONTRACT: readonly [
  Conforms<ApiAnswer<"/v1/session", "get">, Session>,
  Conforms<ApiAnswer<"/v1/rules", "get">, { readonly rules: readonly RuleView[] }>,
  Conforms<ApiAnswer<"/v1/rules/{ruleId}", "get">, { readonly rule: RuleView; readonly offersIssued: number; readonly budgetRemaining: number | null; readonly versions: readonly VersionView[]; readonly history: readonly HistoryEntry[] }>,
  Conforms<ApiAnswer<"/v1/rules/dry-run", "post">, { readonly report: DryRunReport }>,
  Conforms<ApiAnswer<"/v1/users/{userId}", "get">, Profile>,
  Conforms<ApiAnswer<"/v1/users/{userId}/points", "get">, Balance>,
  Conforms<ApiAnswer<"/v1/users/{userId}/points/history", "get">, { readonly entries: readonly LedgerEntry[] }>,
  Conforms<ApiAnswer<"/v1/users/{userId}/tier-changes", "get">, { readonly changes: readonly TierChange[] }>,
  Conforms<ApiAnswer<"/v1/analytics/funnel", "get">, Report>,
  Conforms<ApiAnswer<"/v1/rules/reach", "post">, ReachReport>,
] = [true, true, true, true, true, true, true, true, true, true];
