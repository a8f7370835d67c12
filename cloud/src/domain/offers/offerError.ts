export type OfferErrorCode = "INSUFFICIENT_ENTROPY" | "NOT_ISSUED";

/**
 * Raised only for programming errors in the offer domain (too few random bytes for a code,
 * building an offer from a decision that did not issue). Refusals of a redemption are values.
 */
export class OfferError extends Error {
  readonly code: OfferErrorCode;
  constructor(code: OfferErrorCode, message: string) {
    super(message);
    this.name = "OfferError";
    this.code = code;
  }
}
