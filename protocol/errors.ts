export type ProtocolErrorCode = "INVALID_ID" | "INVALID_MESSAGE";

/** Raised only for programming errors (building a topic from a bad id); bad input is a value. */
export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
  }
}
