/** Stable codes of the client's errors; apps match on `code`, not on the text. */
export type ArrivalClientErrorCode =
  | "INVALID_TOKEN"
  | "INVALID_INPUT"
  | "NETWORK"
  | "HTTP_ERROR"
  | "INVALID_MESSAGE"
  | "NOT_STARTED"
  /** The broker refused the MQTT credential (revoked, user deleted): the client stopped. */
  | "NOT_AUTHORIZED"
  | "UNKNOWN_OFFER";

export class ArrivalClientError extends Error {
  readonly code: ArrivalClientErrorCode;
  /** HTTP status and the API's own error code, for `HTTP_ERROR`. */
  readonly status: number | undefined;
  readonly apiCode: string | undefined;

  constructor(code: ArrivalClientErrorCode, message: string, http?: { status: number; apiCode?: string }) {
    super(message);
    this.name = "ArrivalClientError";
    this.code = code;
    this.status = http?.status;
    this.apiCode = http?.apiCode;
  }
}
