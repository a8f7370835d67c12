import Type from "typebox";
import { BrokerAccessError } from "../../services/BrokerAccessProvisioner.js";
import type { Outcome, Refusal, RefusalCode } from "../../services/Outcome.js";

/** Codes only the HTTP layer gives: the request itself, authentication, limits and the server. */
export type HttpOnlyCode =
  | "MALFORMED_JSON"
  | "BAD_URL"
  | "BAD_REQUEST"
  | "URI_TOO_LONG"
  | "UNAUTHORIZED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RATE_LIMITED"
  | "INTERNAL"
  | "NOT_READY";

/** Every code the API answers with: the services' refusals and the HTTP layer's own. */
export type ApiErrorCode = RefusalCode | HttpOnlyCode;

/**
 * The catalogue of API error codes, each with its one HTTP status (fastify's way: errors are
 * declared once, with their status, and raised by code). The type makes it complete and closed: a
 * refusal code a service adds without a status here, or a key that is no code, does not compile.
 * Clients match on `code`, not on the message.
 */
export const API_ERRORS: { readonly [C in ApiErrorCode]: number } = {
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
  INSUFFICIENT_POINTS: 409,
  OUT_OF_STOCK: 409,
  LIMIT_REACHED: 409,
  PRESENCE_REQUIRED: 409,
  COUPON_NOT_VALID: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** Well-formed and valid, but the basket does not meet the coupon's conditions. */
  BASKET_NOT_ELIGIBLE: 422,
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
};

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
  /** Sent as the Retry-After header (seconds) where the refusal says when to try again. */
  readonly retryAfterS: number | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    details?: readonly { path: string; message: string }[],
    retryAfterS?: number,
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
    this.statusCode = API_ERRORS[code];
    this.retryAfterS = retryAfterS;
  }

  toBody(): ApiErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

/** A service's refusal as the API error it leaves as: its code, status, message and details. */
export function refusalError(refusal: Refusal): ApiError {
  return new ApiError(refusal.code, refusal.message, refusal.problems, refusal.retryAfterS);
}

/** The value of a service outcome, or its refusal thrown as the API error of its code. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw refusalError(outcome);
}

/**
 * Broker provisioning failures (thrown by the broker adapter, through the credential service)
 * with their refusal codes: the request may be retried once the broker answers.
 */
export function brokerRefusal(err: BrokerAccessError): Refusal {
  switch (err.code) {
    case "BROKER_UNAVAILABLE":
      return { code: "BROKER_UNAVAILABLE", message: `${err.message}; retry when the broker is reachable` };
    case "BROKER_REFUSED":
      return { code: "BROKER_ERROR", message: err.message };
    case "NOT_MANAGED":
      return { code: "CONFLICT", message: err.message };
  }
}

/** Runs `work`; a broker provisioning failure leaves as its refusal, anything else as it was. */
export async function atBroker<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BrokerAccessError) throw refusalError(brokerRefusal(err));
    throw err;
  }
}
