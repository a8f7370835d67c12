import type { Outcome } from "../../services/Outcome.js";
import { ApiError } from "./ApiError.js";

/** The value of a service outcome, or the refusal as the API error of its kind. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  switch (outcome.kind) {
    case "not-found":
      throw new ApiError("NOT_FOUND", outcome.message);
    case "forbidden":
      throw new ApiError("FORBIDDEN", outcome.message);
    case "conflict":
      throw new ApiError("CONFLICT", outcome.message);
    case "invalid":
      throw new ApiError("VALIDATION_FAILED", `invalid body:\n${outcome.message}`, outcome.problems);
  }
}
