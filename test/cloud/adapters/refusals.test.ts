import { describe, expect, it } from "vitest";
import {
  API_ERRORS,
  type ApiErrorCode,
  ApiErrorSchema,
  atBroker,
  brokerRefusal,
  refusalError,
  unwrap,
} from "../../../cloud/src/adapters/http/refusals.js";
import { BrokerAccessError } from "../../../cloud/src/services/BrokerAccessProvisioner.js";
import {
  conflict,
  done,
  forbidden,
  idNotAvailable,
  invalid,
  notFound,
  REFUSAL_CODES,
  type RefusalCode,
  refuse,
} from "../../../cloud/src/services/Outcome.js";

// Compile-time halves of the catalogue's contract (checked by `tsc`, which covers test/):
// every refusal code is an API code, and a code outside the catalogue is not accepted.
const everyRefusalIsAnApiCode: ApiErrorCode = "CODE_EXPIRED" satisfies RefusalCode;
/** Never called: it only has to compile, with exactly these two errors. */
export function notInTheCatalogue(): unknown[] {
  return [
    // @ts-expect-error a code that is not in the catalogue does not compile
    refuse("NO_SUCH_CODE", "never"),
    // @ts-expect-error the catalogue is closed: a key that is no code does not compile
    { ...API_ERRORS, TEAPOT: 418 } satisfies typeof API_ERRORS,
  ];
}

describe("the refusal catalogue", () => {
  it("gives every refusal code a client-error or server-error status", () => {
    expect(everyRefusalIsAnApiCode).toBe("CODE_EXPIRED");
    for (const code of REFUSAL_CODES) {
      const status = API_ERRORS[code];
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it("keeps the statuses the API has always answered with", () => {
    expect(API_ERRORS).toEqual({
      VALIDATION_FAILED: 400,
      MALFORMED_JSON: 400,
      BAD_URL: 400,
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
      BASKET_NOT_ELIGIBLE: 422,
      URI_TOO_LONG: 414,
      UNSUPPORTED_MEDIA_TYPE: 415,
      RATE_LIMITED: 429,
      REDEMPTION_LOCKED: 429,
      INTERNAL: 500,
      BROKER_ERROR: 502,
      NOT_READY: 503,
      BROKER_UNAVAILABLE: 503,
    });
  });

  it("documents every code in the OpenAPI error schema", () => {
    const code = ApiErrorSchema.properties.error.properties.code as unknown as { enum: string[] };
    expect([...code.enum].sort()).toEqual(Object.keys(API_ERRORS).sort());
  });

  it.each(REFUSAL_CODES.map((code) => [code]))("answers a %s refusal with its status, message and details", (code) => {
    const problems = [{ path: "/x", message: "is wrong" }];
    const error = refusalError(refuse(code, `refused: ${code}`, problems));
    expect(error.statusCode).toBe(API_ERRORS[code]);
    expect(error.toBody()).toEqual({ error: { code, message: `refused: ${code}`, details: problems } });
  });

  it("words the shorthand refusals as the API always has", () => {
    expect(refusalError(notFound("no store s1")).toBody()).toEqual({ error: { code: "NOT_FOUND", message: "no store s1" } });
    expect(refusalError(forbidden("not yours")).statusCode).toBe(403);
    expect(refusalError(conflict("taken")).statusCode).toBe(409);
    expect(refusalError(idNotAvailable("store", "s1")).toBody()).toEqual({
      error: { code: "CONFLICT", message: "store id s1 is not available; choose another" },
    });
    const problems = [
      { path: "/timezone", message: "is not a zone" },
      { path: "", message: "is odd" },
    ];
    expect(refusalError(invalid(problems)).toBody()).toEqual({
      error: { code: "VALIDATION_FAILED", message: "invalid body:\n/timezone: is not a zone\n/: is odd", details: problems },
    });
    expect(refusalError(invalid(problems, "the rule is not valid")).message).toBe("the rule is not valid");
  });

  it("unwraps a value and throws a refusal as its API error", () => {
    expect(unwrap(done(42))).toBe(42);
    expect(() => unwrap(notFound("gone"))).toThrow(expect.objectContaining({ code: "NOT_FOUND", statusCode: 404 }));
  });

  it("maps broker provisioning failures to their refusals", async () => {
    expect(brokerRefusal(new BrokerAccessError("BROKER_UNAVAILABLE", "no answer"))).toEqual({
      code: "BROKER_UNAVAILABLE",
      message: "no answer; retry when the broker is reachable",
    });
    expect(brokerRefusal(new BrokerAccessError("BROKER_REFUSED", "denied")).code).toBe("BROKER_ERROR");
    expect(brokerRefusal(new BrokerAccessError("NOT_MANAGED", "not ours")).code).toBe("CONFLICT");
    await expect(atBroker(() => Promise.reject(new BrokerAccessError("BROKER_REFUSED", "denied")))).rejects.toMatchObject({
      code: "BROKER_ERROR",
      statusCode: 502,
    });
    const other = new Error("disk full");
    await expect(atBroker(() => Promise.reject(other))).rejects.toBe(other);
    await expect(atBroker(() => Promise.resolve("ok"))).resolves.toBe("ok");
  });
});
