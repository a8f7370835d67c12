import {
  checkCsvHeader,
  checkImportedMember,
  csvRecord,
  type ImportedMember,
  type ImportProblem,
  splitCsvLine,
} from "../domain/loyalty/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, invalid, type Outcome } from "./Outcome.js";
import type { Clock, Logger } from "./ports.js";
import type { ExportedMember, LedgerEntry, LedgerRepository, MembershipRepository, UserRepository } from "./repositories.js";

/** What an import did: counts, and each refused row with its line and field. */
export interface ImportReport {
  /** Data lines read (blank lines and a CSV header not counted). */
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  /** Rows equal to what was stored: nothing written (a rerun of the same file is all unchanged). */
  readonly unchanged: number;
  readonly rejected: number;
  /** The refused rows' problems, the first `maxReportedProblems`. */
  readonly problems: readonly ImportProblem[];
  /** True when more problems were found than listed. */
  readonly problemsTruncated: boolean;
}

export interface MemberImportServiceOptions {
  readonly membership: Pick<MembershipRepository, "upsertMembers" | "exportMembers" | "getProgram">;
  readonly ledger: Pick<LedgerRepository, "entriesAfter">;
  readonly users: Pick<UserRepository, "getUser">;
  readonly clock: Clock;
  readonly log: Logger;
  /** Rows per transaction (default 2000): large enough to amortise the commit, small enough to stream. */
  readonly batchSize?: number;
  /** Problems listed in a report (default 1000); all are counted. */
  readonly maxReportedProblems?: number;
  /** Called for each member whose analytics consent an import withdrew (in-memory views stop naming them). */
  readonly onAnalyticsWithdrawn?: (userId: string) => void;
  /** Called for each member whose analytics consent an import gave. */
  readonly onAnalyticsGiven?: (userId: string) => void;
}

/** A ledger entry as exported: the member named only with analytics consent. */
/**
 * A ledger entry as exported: `memberId` and `idempotencyKey` are null for a member without
 * analytics consent (a transfer's key names the member who sent it).
 */
export type ExportedLedgerEntry = Omit<LedgerEntry, "memberId" | "orgId" | "idempotencyKey"> & {
  readonly memberId: string | null;
  readonly idempotencyKey: string | null;
};

/**
 * CRM import and export of members. Imports stream: lines are read, checked and written in
 * batches, each batch one transaction, so a file of any size uses bounded memory; every bad row is
 * reported with its line and field and the good rows are applied. Admin keys only: an import sets
 * consents, which only an admin may write on a member's behalf.
 */
export class MemberImportService {
  constructor(private readonly o: MemberImportServiceOptions) {}

  async importMembers(principal: Principal, format: "ndjson" | "csv", lines: AsyncIterable<string>): Promise<Outcome<ImportReport>> {
    if (principal.role !== "admin") return forbidden("only an admin key may import members");
    const tiers = ((await this.o.membership.getProgram(principal.orgId))?.program.tiers ?? []).map((t) => t.name);
    const batchSize = this.o.batchSize ?? 2000;
    const maxProblems = this.o.maxReportedProblems ?? 1000;
    const problems: ImportProblem[] = [];
    let problemCount = 0;
    const report = (line: number, field: string, message: string) => {
      problemCount += 1;
      if (problems.length < maxProblems) problems.push({ line, field, message });
    };
    const seen = new Map<string, number>();
    let header: string[] | null = null;
    let batch: { member: ImportedMember; line: number }[] = [];
    const totals = { rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
    const flush = async () => {
      if (batch.length === 0) return;
      const result = await this.o.membership.upsertMembers(principal.orgId, batch.map((b) => b.member), this.o.clock.now());
      totals.created += result.created;
      totals.updated += result.updated;
      totals.unchanged += result.unchanged;
      for (const id of result.analyticsWithdrawn) this.o.onAnalyticsWithdrawn?.(id);
      for (const id of result.analyticsGiven) this.o.onAnalyticsGiven?.(id);
      for (const id of result.taken) {
        totals.rejected += 1;
        report(batch.find((b) => b.member.id === id)?.line ?? 0, "/id", `id ${id} is not available; choose another`);
      }
      batch = [];
    };

    let lineNo = 0;
    for await (const raw of lines) {
      lineNo += 1;
      const line = raw.replace(/^\uFEFF/, "").trimEnd();
      if (line.trim().length === 0) continue;
      if (format === "csv" && header === null) {
        const cells = splitCsvLine(line);
        const headerProblems = cells === null ? [{ path: "", message: "a quote is left open" }] : checkCsvHeader(cells.map((c) => c.trim()));
        if (headerProblems.length > 0)
          return invalid(
            headerProblems.map((p) => ({ path: `/line/1${p.path}`, message: p.message })),
            `the CSV header is not usable: ${headerProblems.map((p) => p.message).join("; ")}`,
          );
        header = (cells ?? []).map((c) => c.trim());
        continue;
      }
      totals.rows += 1;
      let record: unknown;
      if (format === "csv") {
        const cells = splitCsvLine(line);
        const parsed = cells === null ? { ok: false as const, problem: { path: "", message: "a quote is left open" } } : csvRecord(header ?? [], cells);
        if (!parsed.ok) {
          report(lineNo, parsed.problem.path, parsed.problem.message);
          totals.rejected += 1;
          continue;
        }
        record = parsed.record;
      } else {
        try {
          record = JSON.parse(line) as unknown;
        } catch {
          report(lineNo, "", "is not valid JSON");
          totals.rejected += 1;
          continue;
        }
      }
      const checked = checkImportedMember(record, tiers);
      if (!checked.ok) {
        for (const p of checked.problems) report(lineNo, p.path, p.message);
        totals.rejected += 1;
        continue;
      }
      const first = seen.get(checked.member.id);
      if (first !== undefined) {
        report(lineNo, "/id", `duplicate of line ${first}: the first row was applied`);
        totals.rejected += 1;
        continue;
      }
      seen.set(checked.member.id, lineNo);
      batch.push({ member: checked.member, line: lineNo });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (format === "csv" && header === null) return invalid([{ path: "/line/1", message: "the file has no header line" }], "the CSV file is empty");
    this.o.log.info({ orgId: principal.orgId, ...totals, actor: principal.keyId }, "members imported");
    return done({ ...totals, problems, problemsTruncated: problemCount > problems.length });
  }

  /** Every member of the organisation with profile, consents and birth month, by id. */
  async *exportMembers(principal: Principal): AsyncGenerator<ExportedMember> {
    let after: string | null = null;
    for (;;) {
      const page = await this.o.membership.exportMembers(principal.orgId, after, 1000);
      yield* page;
      const last = page.at(-1);
      if (last === undefined || page.length < 1000) return;
      after = last.id;
    }
  }

  /**
   * Every ledger entry of the organisation in writing order. An entry names its member only when
   * the member gave analytics consent; the others' entries are exported with `memberId: null`, so
   * the accounting still adds up without telling who.
   */
  async *exportLedger(principal: Principal): AsyncGenerator<ExportedLedgerEntry> {
    let after = 0;
    for (;;) {
      const page = await this.o.ledger.entriesAfter(principal.orgId, after, 1000);
      const consent = new Map<string, boolean>();
      for (const id of new Set(page.map((e) => e.memberId))) consent.set(id, (await this.o.users.getUser(id))?.analyticsConsent === true);
      for (const { orgId: _org, memberId, idempotencyKey, ...rest } of page) {
        const named = consent.get(memberId) === true;
        yield { ...rest, memberId: named ? memberId : null, idempotencyKey: named ? idempotencyKey : null };
      }
      const last = page.at(-1);
      if (last === undefined || page.length < 1000) return;
      after = last.seq;
    }
  }
}
