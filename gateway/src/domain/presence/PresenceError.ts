export type PresenceErrorCode = "INVALID_PRESENCE_OPTIONS";

/**
 * Raised only for programming or configuration errors that got past the config schema (duplicate
 * zone ids, a negative window). Bad input samples are not errors: they are ignored.
 */
export class PresenceError extends Error {
  readonly code: PresenceErrorCode;
  /** Every problem found, one line each. */
  readonly problems: readonly string[];

  constructor(code: PresenceErrorCode, problems: readonly string[]) {
    super(`${code}: ${problems.join("; ")}`);
    this.name = "PresenceError";
    this.code = code;
    this.problems = problems;
  }
}
