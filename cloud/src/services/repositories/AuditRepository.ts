/** One entry of the audit log. */
export interface AuditEntry {
  /** Epoch ms. */
  readonly at: number;
  /** API key id, `cli`, `scheduler` or another component name; never a secret. */
  readonly actor: string;
  /** Dotted verb, e.g. `rule.create`, `user.erase`. */
  readonly action: string;
  /** What was changed, e.g. a rule id or `user:<userId>`. */
  readonly target: string;
  /** Free-form, stored as given (`{}` when none). */
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The audit log: who changed what, never a secret. Append-only but for erasure's pseudonyms. */
export interface AuditRepository {
  audit(entry: { at: number; actor: string; action: string; target: string; detail?: object }): Promise<void>;
  /** Entries about `target`, newest first (by time, then by order written), at most `limit`. */
  auditEntries(target: string, limit: number): Promise<AuditEntry[]>;
}
