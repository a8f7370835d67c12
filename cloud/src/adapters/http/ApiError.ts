import Type from "typebox";

/** The catalogue of API error codes; each has one HTTP status. Clients match on `code`, not text. */
export const API_ERRORS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  /** The path is not valid percent-encoding. */
  BAD_URL: 400,
  /** The request itself is broken (a Content-Length that does not match the body). */
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CODE_EXPIRED: 409,
  CODE_ALREADY_REDEEMED: 409,
  WRONG_STORE: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** A path parameter longer than the router takes (100 characters). */
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** Too many unknown codes from one till key or store; `Retry-After` says when to try again. */
  REDEMPTION_LOCKED: 429,
  INTERNAL: 500,
  BROKER_ERROR: 502,
  NOT_READY: 503,
  BROKER_UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiErrorBody {
  readonly error: {
    readonly code: ApiErrorCode;
    readonly message: string;
    readonly details?: readonly { readonly path: string; readonly message: string }[];
  };
}

/** The error body as a schema, so every route documents its errors in the OpenAPI document. */
export const ApiErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.Unsafe<ApiErrorCode>({ type: "string", enum: Object.keys(API_ERRORS), description: "Stable; match on this." }),
      message: Type.String({ description: "For people; may change." }),
      details: Type.Optional(
        Type.Array(Type.Object({ path: Type.String({ description: "JSON pointer of the field." }), message: Type.String() })),
      ),
    }),
  },
  { description: "Every error: a stable code, a message and, for invalid input, each problem with its path." },
);

/** The only error the HTTP layer throws on purpose; it becomes `{ error: { code, message } }`. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: readonly { path: string; message: string }[] | undefined;
  /** A plain field, not a getter: fastify assigns `statusCode` on errors it passes through. */
  statusCode: number;

  constructor(code: ApiErrorCode, message: string, details?: readonly { path: string; message: string }[]) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
    this.statusCode = API_ERRORS[code];
  }

  toBody(): ApiErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}
