/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, and a text's leading
 * formula character neutralised, so a spreadsheet opening the export runs nothing (CSV injection);
 * a number is written as it is (a negative lift stays a number).
 */
export function csvCell(v: string | number | null | undefined): string {
  if (typeof v === "number") return String(v);
  const s = v ?? "";
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV document: the header line, then a line per row, each cell by `csvCell`. */
export function csvOf(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header.map(csvCell).join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\n") + "\n";
}
