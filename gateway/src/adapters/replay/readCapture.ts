import { StringDecoder } from "node:string_decoder";
import type { Advert } from "../../services/ports.js";
import { type CaptureLineError, parseCaptureLine } from "./captureLine.js";

/** One line of a capture, read: the advert, or why the line is bad. Line numbers start at 1. */
export type CaptureEntry =
  | { readonly line: number; readonly advert: Advert }
  | { readonly line: number; readonly error: CaptureLineError | "line too long" };

export interface ReadCaptureOptions {
  /**
   * Lines longer than this many characters are reported as bad ("line too long") without being
   * parsed or held whole, so a capture without newlines cannot exhaust memory. Default 16384; a
   * legal line is far shorter (3300 hex digits of advertising data at most).
   */
  readonly maxLineChars?: number;
}

const DEFAULT_MAX_LINE_CHARS = 16_384;

/**
 * Reads a capture (JSON Lines, docs/replay.md) as it streams in: yields the entries of each chunk
 * read, in file order, as one batch. Memory stays flat whatever the size of the capture: one chunk
 * and one partial line at a time. Blank lines (and a missing final newline) are fine and yield
 * nothing; CRLF line ends are accepted. A bad line is yielded as an error entry and reading goes
 * on. Rejects only if the stream itself fails (an unreadable file).
 */
export async function* readCaptureBatches(
  input: AsyncIterable<Buffer | string>,
  options: ReadCaptureOptions = {},
): AsyncGenerator<CaptureEntry[]> {
  const maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const decoder = new StringDecoder("utf8");
  let partial = "";
  /** The current line grew past the limit; skip to its end. */
  let overlong = false;
  let lineNo = 0;

  const take = (text: string, out: CaptureEntry[]): void => {
    lineNo++;
    const line = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (line.trim() === "") return;
    const parsed = parseCaptureLine(line);
    out.push(typeof parsed === "string" ? { line: lineNo, error: parsed } : { line: lineNo, advert: parsed });
  };

  for await (const chunk of input) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    const out: CaptureEntry[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      if (overlong) {
        lineNo++;
        out.push({ line: lineNo, error: "line too long" });
        overlong = false;
        partial = "";
      } else {
        const piece = text.slice(start, nl);
        const line = partial === "" ? piece : partial + piece;
        partial = "";
        if (line.length > maxLineChars) {
          lineNo++;
          out.push({ line: lineNo, error: "line too long" });
        } else {
          take(line, out);
        }
      }
      start = nl + 1;
    }
    if (!overlong) {
      partial += text.slice(start);
      if (partial.length > maxLineChars) {
        overlong = true;
        partial = "";
      }
    }
    if (out.length > 0) yield out;
  }
  const rest = partial + decoder.end();
  const out: CaptureEntry[] = [];
  if (overlong) {
    lineNo++;
    out.push({ line: lineNo, error: "line too long" });
  } else if (rest.length > maxLineChars) {
    lineNo++;
    out.push({ line: lineNo, error: "line too long" });
  } else if (rest !== "") {
    take(rest, out);
  }
  if (out.length > 0) yield out;
}

/** {@link readCaptureBatches}, one entry at a time. */
export async function* readCapture(
  input: AsyncIterable<Buffer | string>,
  options: ReadCaptureOptions = {},
): AsyncGenerator<CaptureEntry> {
  for await (const batch of readCaptureBatches(input, options)) yield* batch;
}
