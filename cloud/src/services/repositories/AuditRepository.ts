/** The audit log: who changed what, never a secret. */
export interface AuditRepository {
  audit(entry: { at: number; actor: string; action: string; target: string; detail?: object }): Promise<void>;
}
