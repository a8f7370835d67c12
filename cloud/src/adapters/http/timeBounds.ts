import Type from "typebox";
import { isCalendarDay, type TimeBound } from "../../domain/rules/index.js";
import { ApiError } from "./refusals.js";

/**
 * A period bound in a query or body: an ISO 8601 instant, or a calendar day (`2026-12-01`) that stands for
 * the start of that day in the timezone the route names in `description`.
 */
export function PeriodBoundSchema(description: string) {
  return Type.Union([Type.String({ format: "date-time" }), Type.String({ format: "date" })], {
    description: `${description} An instant (ISO 8601), or a day (YYYY-MM-DD) meaning its start.`,
  });
}

/** A checked bound as the services take it; `path` names it in the refusal of an impossible day. */
export function timeBoundOf(text: string, path: string): TimeBound {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!isCalendarDay(text)) throw new ApiError("VALIDATION_FAILED", `${path}: is not a day of the calendar`, [{ path, message: "is not a day of the calendar" }]);
    return { day: text };
  }
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) throw new ApiError("VALIDATION_FAILED", `${path}: is not a time`, [{ path, message: "is not a time" }]);
  return { instant };
}
