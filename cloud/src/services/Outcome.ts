import { formatProblems, type Problem } from "../../../protocol/index.js";

/**
 * Every reason a service refuses a request: one catalogue for all services, so a new refusal is a
 * new code here and a status in the HTTP catalogue (`adapters/http/refusals.ts`), which does not
 * compile until it has one. Clients of the API match on these codes, so they are stable.
 */
export const REFUSAL_CODES = [
  /** The input breaks a rule the schema cannot express; `problems` says where. */
  "VALIDATION_FAILED",
  /** Absent, or of another organisation (the two are not told apart). */
  "NOT_FOUND",
  /** Visible to the caller, but not theirs to act on (another store, another user). */
  "FORBIDDEN",
  /** The current state does not allow it (an id held, a version moved on, a key reused). */
  "CONFLICT",
  /** The offer's code expired before it was used. */
  "CODE_EXPIRED",
  /** The offer's code was redeemed already. */
  "CODE_ALREADY_REDEEMED",
  /** The offer's code belongs to another store. */
  "WRONG_STORE",
  /** Too many unknown codes from one till key or store; `retryAfterS` says when to try again. */
  "REDEMPTION_LOCKED",
  /** The member's points do not cover the spend; the balance is in the message. */
  "INSUFFICIENT_POINTS",
  /** The broker answered with a refusal; retrying will not help until it is fixed. */
  "BROKER_ERROR",
  /** The broker could not be reached; the same request may be retried. */
  "BROKER_UNAVAILABLE",
  /** Coupon wallet: every coupon of the batch (or of today, in its timezone) has been claimed. */
  "OUT_OF_STOCK",
  /** Coupon wallet: the member holds as many coupons of the batch as it allows. */
  "LIMIT_REACHED",
  /** Coupon wallet: a near-field claim by a member not seen in one of the batch's stores lately. */
  "PRESENCE_REQUIRED",
  /** The coupon is voided, or its validity has not started. */
  "COUPON_NOT_VALID",
  /** The basket does not meet the coupon's conditions; `problems` says which (path `/basket`). */
  "BASKET_NOT_ELIGIBLE",
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Why a request was not carried out: a stable code, a message for people, and each problem's path. */
export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  /** The fields at fault, by JSON pointer into the input (always given for `VALIDATION_FAILED`). */
  readonly problems?: readonly Problem[];
  /** When the same request may succeed again, seconds from now (a lockout); HTTP sends it as Retry-After. */
  readonly retryAfterS?: number;
}

/** The refusal as an outcome. */
export type Refused = { readonly ok: false } & Refusal;

/** An expected outcome as a value: the result, or why not. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | Refused;

export const done = <T>(value: T): Outcome<T> => ({ ok: true, value });

/** A refusal with any code of the catalogue (a code not in it does not compile). */
export function refuse(code: RefusalCode, message: string, problems?: readonly Problem[]): Refused {
  return problems === undefined ? { ok: false, code, message } : { ok: false, code, message, problems };
}

export const notFound = (message: string): Refused => refuse("NOT_FOUND", message);
export const forbidden = (message: string): Refused => refuse("FORBIDDEN", message);
export const conflict = (message: string, problems?: readonly Problem[]): Refused =>
  refuse("CONFLICT", message, problems);
/**
 * An id in a namespace shared by every organisation (store, gateway, rule and user ids are global:
 * MQTT topic levels or keys in shared tables) that cannot be given out because it is held. One
 * answer, whichever organisation holds the id, so a refusal tells a caller nothing about another
 * organisation beyond "pick another id". An id the product reserves (the rule id `dry-run`) is not
 * this: it is invalid input (400) for everyone, which says nothing about anyone.
 */
export const idNotAvailable = (what: "store" | "gateway" | "rule", id: string, problems?: readonly Problem[]): Refused =>
  conflict(`${what} id ${id} is not available; choose another`, problems);
/**
 * Invalid input. The services check what the API receives as a request body, and problems' paths
 * point into it, so the default message says so; `message` replaces it where a summary reads better.
 */
export const invalid = (problems: readonly Problem[], message = `invalid body:\n${formatProblems(problems)}`): Refused =>
  refuse("VALIDATION_FAILED", message, problems);
