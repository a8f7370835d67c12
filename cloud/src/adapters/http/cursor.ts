import { ApiError } from "./refusals.js";

/** Where a page of a newest-first list ends: the last row's time (epoch ms) and id. */
export interface PageCursor {
  readonly at: number;
  readonly id: string;
}

/** Cursors are opaque to clients: base64url of the last row's (time, id). */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

/** The cursor `encodeCursor` wrote; anything else is refused as invalid input at `/cursor`. */
export function decodeCursor(text: string): PageCursor {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === "string") return { at: value[0] as number, id: value[1] };
  } catch {
    // Falls through to the refusal below.
  }
  throw new ApiError("VALIDATION_FAILED", "invalid query:\n/cursor: is not a cursor this API returned", [
    { path: "/cursor", message: "is not a cursor this API returned" },
  ]);
}
