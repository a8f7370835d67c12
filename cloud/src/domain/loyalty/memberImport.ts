import { isValidId, type Problem } from "../../../../protocol/index.js";

/**
 * One member as a CRM sends it, in NDJSON (one JSON object per line) or CSV (a header line, then
 * one member per line; segments separated by `;`, booleans `true`/`false`, empty cells absent).
 * Fields: `id` (required), `displayName`, `segments`, `loyaltyTier`, `birthMonth` (1..12),
 * `marketingConsent`, `analyticsConsent`. An absent field keeps what the member had (a new member
 * gets nothing, and no consent until one is given).
 */
export interface ImportedMember {
  readonly id: string;
  readonly displayName?: string | null;
  readonly segments?: readonly string[];
  readonly loyaltyTier?: string | null;
  readonly birthMonth?: number | null;
  readonly marketingConsent?: boolean;
  readonly analyticsConsent?: boolean;
}

export const IMPORT_FIELDS = ["id", "displayName", "segments", "loyaltyTier", "birthMonth", "marketingConsent", "analyticsConsent"] as const;
type ImportField = (typeof IMPORT_FIELDS)[number];

/** A row refused, by line (1-based, the header of a CSV file is line 1) and field. */
export interface ImportProblem {
  readonly line: number;
  /** JSON pointer of the field (`/birthMonth`), or empty for the whole row. */
  readonly field: string;
  readonly message: string;
}

/** Most segments a member may hold, and longest texts (as the profile API allows). */
const MAX_SEGMENTS = 50;
const MAX_TEXT = 100;

/**
 * Splits one CSV line (RFC 4180 quoting within the line: `"a,b"`, `"say ""hi"""`); null when a
 * quote is left open. Fields spanning lines are not supported: a CRM export of members has none.
 */
export function splitCsvLine(line: string): string[] | null {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.length === 0) quoted = true;
    else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

/** A CSV header's problems (unknown or repeated columns, no `id`); an empty list when it is fine. */
export function checkCsvHeader(header: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (!(IMPORT_FIELDS as readonly string[]).includes(name)) problems.push({ path: `/${i}`, message: `unknown column ${JSON.stringify(name)}; columns are ${IMPORT_FIELDS.join(", ")}` });
    if (seen.has(name)) problems.push({ path: `/${i}`, message: `column ${name} appears twice` });
    seen.add(name);
  });
  if (!seen.has("id")) problems.push({ path: "", message: "the header has no id column" });
  return problems;
}

/** A CSV row as the record NDJSON would give (empty cells left out), typed as the columns say. */
export function csvRecord(
  header: readonly string[],
  cells: readonly string[],
): { ok: true; record: Record<string, unknown> } | { ok: false; problem: Problem } {
  if (cells.length !== header.length) return { ok: false, problem: { path: "", message: `has ${cells.length} cells, the header ${header.length}` } };
  const record: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const raw = (cells[i] ?? "").trim();
    if (raw === "") return;
    switch (name as ImportField) {
      case "segments":
        record[name] = raw.split(";").map((s) => s.trim()).filter((s) => s.length > 0);
        break;
      case "birthMonth":
        record[name] = /^\d+$/.test(raw) ? Number(raw) : raw;
        break;
      case "marketingConsent":
      case "analyticsConsent":
        record[name] = raw === "true" ? true : raw === "false" ? false : raw;
        break;
      default:
        record[name] = raw;
    }
  });
  return { ok: true, record };
}

/**
 * Checks one record: every problem with its field. `tiers` are the programme's tier names (empty:
 * any tier text is taken, as the profile API takes it).
 */
export function checkImportedMember(record: unknown, tiers: readonly string[]): { ok: true; member: ImportedMember } | { ok: false; problems: Problem[] } {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return { ok: false, problems: [{ path: "", message: "must be an object" }] };
  const r = record as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(r)) if (!(IMPORT_FIELDS as readonly string[]).includes(key)) problems.push({ path: `/${key}`, message: "unknown field" });
  const member: { -readonly [K in keyof ImportedMember]: ImportedMember[K] } = { id: "" };
  if (typeof r.id !== "string" || !isValidId(r.id)) problems.push({ path: "/id", message: "must be 1-64 letters, digits, _ or -, starting with a letter or digit" });
  else member.id = r.id;
  const text = (key: "displayName" | "loyaltyTier") => {
    const v = r[key];
    if (v === undefined) return;
    if (v === null) member[key] = null;
    else if (typeof v !== "string" || v.length === 0 || v.length > MAX_TEXT) problems.push({ path: `/${key}`, message: `must be a text of 1 to ${MAX_TEXT} characters or null` });
    else member[key] = v;
  };
  text("displayName");
  text("loyaltyTier");
  if (typeof member.loyaltyTier === "string" && tiers.length > 0 && !tiers.includes(member.loyaltyTier))
    problems.push({ path: "/loyaltyTier", message: `unknown tier ${JSON.stringify(member.loyaltyTier)}; the programme's tiers are ${tiers.join(", ")}` });
  if (r.segments !== undefined) {
    const s = r.segments;
    if (!Array.isArray(s) || s.length > MAX_SEGMENTS || s.some((x) => typeof x !== "string" || x.length === 0 || x.length > 64))
      problems.push({ path: "/segments", message: `must be at most ${MAX_SEGMENTS} texts of 1 to 64 characters` });
    else member.segments = [...new Set(s as string[])];
  }
  if (r.birthMonth !== undefined) {
    const m = r.birthMonth;
    if (m !== null && (typeof m !== "number" || !Number.isInteger(m) || m < 1 || m > 12)) problems.push({ path: "/birthMonth", message: "must be a month from 1 to 12 or null" });
    else member.birthMonth = m;
  }
  for (const key of ["marketingConsent", "analyticsConsent"] as const) {
    const v = r[key];
    if (v === undefined) continue;
    if (typeof v !== "boolean") problems.push({ path: `/${key}`, message: "must be true or false" });
    else member[key] = v;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, member };
}
